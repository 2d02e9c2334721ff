/*
** sqlite/enum_module.c: the module dynenum, an enum defined in the database.
**
**     CREATE VIRTUAL TABLE endpoint_type USING dynenum(
**       OPENAI_CHAT,
**       ANTHROPIC_CHAT = 'anthropic_chat',
**       "Legacy Completions" = 'completions'
**     );
**     SELECT ordinal, name, value FROM endpoint_type;
**       1|OPENAI_CHAT|openai_chat
**       2|ANTHROPIC_CHAT|anthropic_chat
**       3|Legacy Completions|completions
**     INSERT INTO endpoint_type(name) VALUES ('NVIDIA_OPTIMIZED');  -- ordinal 4
**
** Each argument is NAME or NAME = 'value' (sqlite/create_args.c reads
** them).  A member without a value has the key of its name as value.  The
** rules for names, values and collisions are the core's (dynenum_enum_add,
** and for the members CREATE and INSERT make,
** dynenum_enum_check_new_member).
**
** The members live in the shadow table "<name>_members"(ordinal INTEGER
** PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL) (sqlite/shadow.c),
** declared through xShadowName so that defensive connections cannot write
** it directly.
** A scan lists the connection's copy after comparing it with every row
** of the shadow table, so it shows what the current transaction sees and
** refuses what the functions refuse.  INSERT appends a member whose value
** is the key of its name (any other explicit value is refused), so adding a
** member never changes what any input resolves to; UPDATE and DELETE are
** refused because they would orphan stored data.  INSERT OR IGNORE skips a
** name that is already a member.
**
** The module is SQLITE_VTAB_INNOCUOUS: reading an enum has no side effect,
** and the one write, appending a member, changes only the database itself,
** like an INSERT into any table, and by design cannot change the result of
** any resolution.  So views and triggers of a database whose schema is not
** trusted may use it.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <stdlib.h>
#include <string.h>

/* Column numbers of the dynenum module's declared table. */
#define ENUM_COLUMN_ORDINAL 0
#define ENUM_COLUMN_NAME 1
#define ENUM_COLUMN_VALUE 2
#define ENUM_COLUMN_RETIRED 3  /* hidden: 1 for a retired member; the one column UPDATE may change */
#define ENUM_COLUMN_ALIAS_OF 4 /* hidden: always NULL in a scan; INSERT names an alias's member with it */

typedef struct enum_table {
  sqlite3_vtab base;
  dynenum_connection *connection; /* and its db */
  char *schema;
  char *name; /* the table's name, as declared */
  /* name quoted for messages, once: quoting it per INSERT of a bulk
  ** INSERT ... SELECT cost more than the core's checks. */
  char shown[DYNENUM_QUOTE_SIZE];
  /* Set once this transaction has written the members table: from then on
  ** it holds the write lock, so no other connection can change the enum,
  ** and as long as this one changes no row but through the module, the
  ** cached copy needs no verifying against the file (a verification reads
  ** every row).  The count of changes tells: since the last verification
  ** (verified_changes), each of the added inserts counted once when its
  ** members or aliases row was written, and counts once more when the INSERT
  ** statement that made it ends; so without another change the count is at
  ** most verified_changes + 2 * added.  A members table written directly in
  ** the same transaction is noticed by the next INSERT statement.  Cleared
  ** when the transaction (or a savepoint rollback) ends. */
  int writing;
  long long verified_changes; /* sqlite3_total_changes() then */
  long long added;
  /* While writing, a reference to the copy the last insert added to, and
  ** one to its carrier in the connection's cache (NULL if it had none): the
  ** next trusted insert takes the copy without looking the enum up again,
  ** as long as the connection still holds it (dynenum_connection_holds).
  ** held_generation is the connection's generation when that was last
  ** confirmed.  Dropped with writing (stop_writing). */
  dynenum_enum *held, *carrier;
  unsigned held_generation;
  sqlite3_stmt *insert; /* into the members table, kept between inserts */
  /* Set while insert runs.  A trigger on the members table (a file may have
  ** one) that adds to this enum again would re-enter enum_insert here, and
  ** step insert while it is running. */
  int adding;
  /* The keys of the members this transaction added, to be written to the
  ** key table at commit (enum_sync, docs/SPEC.md section 12.6): each a
  ** pending_key into key_bytes.  marks[i] is the count when savepoint i
  ** began, so that a ROLLBACK TO drops the keys of the members it undid. */
  unsigned char *key_bytes;
  size_t key_bytes_len, key_bytes_cap;
  struct pending_key *pending;
  size_t pending_count, pending_cap;
  size_t *marks;
  int marks_count;
  int added_any; /* a member or alias was added in this transaction */
} enum_table;

/* A key of a member added in the transaction, and what it names. */
typedef struct pending_key {
  size_t offset; /* into key_bytes */
  size_t len;
  sqlite3_int64 ordinal;
} pending_key;

/* A row of the key table to write: the key and the ordinal it names, the
** member's or minus the alias's rowid. */
typedef struct key_row {
  const unsigned char *key;
  size_t len;
  sqlite3_int64 ordinal;
} key_row;

/* A scan lists the members of the connection's copy of the enum, verified
** against the members table when the scan starts, so that it shows what the
** functions answer from and fails where they fail. */
typedef struct enum_cursor {
  sqlite3_vtab_cursor base;
  dynenum_enum *e;     /* a reference, held while the cursor is open */
  size_t next, end;    /* the members [next, end) are still to be listed */
  const dynenum_member *member; /* the current one */
} enum_cursor;

static const char enum_table_schema[] =
    "CREATE TABLE x(ordinal INTEGER, name TEXT COLLATE DYNENUM, value TEXT COLLATE DYNENUM, retired INTEGER HIDDEN, "
    "alias_of TEXT HIDDEN)";

static int enum_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                        char **error) {
  enum_table *t;
  int rc;
  (void)argc;
  rc = sqlite3_declare_vtab(db, enum_table_schema);
  if (rc != SQLITE_OK) {
    /* SQLite would say only "vtable constructor failed". */
    if (rc != SQLITE_NOMEM) {
      char shown[DYNENUM_QUOTE_SIZE];
      dynenum_quote(shown, sizeof shown, argv[2], strlen(argv[2]));
      *error = sqlite3_mprintf("dynenum: cannot open enum '%s': %s", shown, sqlite3_errmsg(db));
    }
    return rc;
  }
  rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  if (rc != SQLITE_OK) return rc;
  t = sqlite3_malloc64(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  t->connection = aux;
  t->schema = sqlite3_mprintf("%s", argv[1]);
  t->name = sqlite3_mprintf("%s", argv[2]);
  if (!t->schema || !t->name) {
    sqlite3_free(t->schema);
    sqlite3_free(t->name);
    sqlite3_free(t);
    return SQLITE_NOMEM;
  }
  dynenum_quote(t->shown, sizeof t->shown, t->name, strlen(t->name));
  *out = &t->base;
  return SQLITE_OK;
}

/* Whether rc, from writing the key table, only means the table is not
** written: refused (an authorizer, a read-only file, a table not as it
** should be), so the commit goes on and the table is short (SPEC section
** 12.6).  Anything else (no memory, I/O, a full disk, corruption) fails
** the commit as any failed write does.  SQLITE_TOOBIG is a refusal too: a
** connection's lowered length limits must not keep its inserts from
** committing. */
static int key_write_refused(int rc) {
  rc &= 0xff;
  return rc == SQLITE_AUTH || rc == SQLITE_READONLY || rc == SQLITE_PERM || rc == SQLITE_ERROR ||
         rc == SQLITE_CONSTRAINT || rc == SQLITE_TOOBIG;
}

static int compare_key_rows(const void *a, const void *b) {
  const key_row *x = a, *y = b;
  int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The bytes the radix sort orders by: the first 16 of a key. */
#define SORT_PREFIX 16

/* Byte i (below SORT_PREFIX) of the row's key, 0 past its end. */
static unsigned key_byte(const key_row *r, int i) { return (size_t)i < r->len ? r->key[i] : 0; }

/* Whether two rows' keys are equal in their first SORT_PREFIX bytes, each
** padded with zeros. */
static int same_prefix(const key_row *x, const key_row *y) {
  size_t shorter = x->len < y->len ? x->len : y->len;
  if (shorter > SORT_PREFIX) shorter = SORT_PREFIX;
  if (memcmp(x->key, y->key, shorter) != 0) return 0;
  for (int i = (int)shorter; i < SORT_PREFIX; i++) {
    if (key_byte(x, i) != key_byte(y, i)) return 0;
  }
  return 1;
}

/* Sorts rows by key: a least-significant-digit radix sort on the first 16
** bytes, the counts of every position taken in one pass over the rows (a
** position whose byte is the same in every row is skipped, as the common
** prefix of names usually is), then each run of rows equal in those bytes
** by a full comparison.  qsort alone cost a quarter of the key table's
** write (callgrind, 100,000 members), a pass over the rows per position
** 48 M instructions; sorted rows go into its b-tree at half the cost of
** rows in insertion order. */
static int sort_key_rows(key_row *rows, size_t n) {
  if (n < 2) return SQLITE_OK;
  key_row *spare = sqlite3_malloc64(sizeof *spare * n);
  size_t(*count)[257] = sqlite3_malloc64(sizeof *count * SORT_PREFIX);
  if (!spare || !count) {
    sqlite3_free(spare);
    sqlite3_free(count);
    return SQLITE_NOMEM;
  }
  memset(count, 0, sizeof *count * SORT_PREFIX);
  for (size_t j = 0; j < n; j++) {
    const key_row *r = &rows[j];
    if (r->len >= SORT_PREFIX) {
      for (int i = 0; i < SORT_PREFIX; i++) count[i][r->key[i] + 1]++;
    } else {
      for (int i = 0; i < SORT_PREFIX; i++) count[i][key_byte(r, i) + 1]++;
    }
  }
  key_row *from = rows, *to = spare;
  for (int i = SORT_PREFIX - 1; i >= 0; i--) {
    int skip = 0;
    for (int b = 1; b <= 256; b++) skip |= count[i][b] == n;
    if (skip) continue;
    for (int b = 1; b <= 256; b++) count[i][b] += count[i][b - 1];
    for (size_t j = 0; j < n; j++) to[count[i][key_byte(&from[j], i)]++] = from[j];
    key_row *swap = from;
    from = to;
    to = swap;
  }
  if (from != rows) memcpy(rows, from, sizeof *rows * n);
  sqlite3_free(spare);
  sqlite3_free(count);
  for (size_t start = 0, end; start < n; start = end) {
    for (end = start + 1; end < n && same_prefix(&rows[end - 1], &rows[end]); end++) {
    }
    if (end - start > 1) qsort(rows + start, end - start, sizeof *rows, compare_key_rows);
  }
  return SQLITE_OK;
}

/* Writes rows (sorted here, by key) into the key table of schema.table,
** as few statements as the variable limit allows.  An SQLite code from a
** step; a statement that cannot be made (SQLite refuses it, a limit) ran
** nothing and is a refusal: the table is left short and SQLITE_OK
** returned (docs/SPEC.md section 12.6).  Except SQLITE_NOMEM: SQLite
** remembers a failed allocation on the connection and fails the statement
** that is committing with it anyway, so the COMMIT must fail too, or it
** would report an error for a transaction that was committed. */
static int write_key_rows(sqlite3 *db, const char *schema, const char *table, key_row *rows, size_t n) {
  if (!n) return SQLITE_OK;
  int rc = sort_key_rows(rows, n);
  if (rc != SQLITE_OK) return rc;
  /* Within the connection's limits: two variables a row, and the SQL text,
  ** which each row after the first lengthens by ", (?, ?)". */
  char *one_row = dynenum_keys_insert_sql(schema, table, 1);
  if (!one_row) return SQLITE_NOMEM;
  int one_row_len = (int)strlen(one_row);
  sqlite3_free(one_row);
  int per = sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1) / 2;
  int sql_room = sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, -1) - one_row_len;
  if (sql_room < 0) return SQLITE_OK; /* not even one row fits */
  if (per > sql_room / 8 + 1) per = sql_room / 8 + 1;
  int room = dynenum_key_rows_room(db); /* the VDBE_OP limit's, 256 at most */
  if (per > room) per = room;
  if (per < 1) return SQLITE_OK;
  sqlite3_stmt *stmt = NULL;
  int prepared_rows = 0;
  for (size_t done = 0; rc == SQLITE_OK && done < n;) {
    int now = n - done < (size_t)per ? (int)(n - done) : per;
    if (now != prepared_rows) {
      sqlite3_finalize(stmt);
      stmt = NULL;
      char *sql = dynenum_keys_insert_sql(schema, table, now);
      rc = sql ? sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) : SQLITE_NOMEM;
      sqlite3_free(sql);
      prepared_rows = now;
      if (rc != SQLITE_OK) {
        if (rc != SQLITE_NOMEM) rc = SQLITE_OK;
        break;
      }
    }
    for (int i = 0; rc == SQLITE_OK && i < now; i++) {
      rc = sqlite3_bind_blob64(stmt, 2 * i + 1, rows[done + (size_t)i].key, rows[done + (size_t)i].len, SQLITE_STATIC);
      if (rc == SQLITE_OK) rc = sqlite3_bind_int64(stmt, 2 * i + 2, rows[done + (size_t)i].ordinal);
    }
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt) == SQLITE_DONE ? SQLITE_OK : sqlite3_reset(stmt);
    if (rc == SQLITE_OK) rc = sqlite3_reset(stmt);
    done += (size_t)now;
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* Makes sure schema.table has its key table: *usable set when it is the
** module's (there, or created now; *created then says which).  A table in
** the way, or a CREATE refused, leaves it clear: the enum has none, which
** is not an error.  An SQLite code for a failure that is one. */
static int ensure_key_table(sqlite3 *db, const char *schema, const char *table, int *usable, int *created) {
  shadow_holder holder;
  const char *kind;
  *usable = *created = 0;
  if (!dynenum_key_rows_room(db)) return SQLITE_OK; /* a VDBE_OP limit too low for it */
  int rc = dynenum_optional_holder(db, schema, table, SHADOW_KEYS, &holder, &kind);
  if (rc != SQLITE_OK) return key_write_refused(rc) ? SQLITE_OK : rc;
  if (holder == SHADOW_IN_THE_WAY) return SQLITE_OK;
  if (holder == SHADOW_NONE) {
    rc = dynenum_members_run(db, KEYS_CREATE, schema, table, NULL);
    if (rc != SQLITE_OK) return key_write_refused(rc) ? SQLITE_OK : rc;
    *created = 1;
  }
  *usable = 1;
  return SQLITE_OK;
}

/* The key rows of every member of e (its name's key, and its value's
** when that differs) and of every alias whose key is not its member's
** (the alias of index i is rowid i + 1 of the aliases table as the module
** writes it; a wrong guess only fails verification), in *out, keys in
** *bytes.  SQLITE_NOMEM or OK. */
static int enum_key_rows(dynenum_enum *e, key_row **out, size_t *n, unsigned char **bytes) {
  size_t members = dynenum_enum_size(e), aliases = dynenum_enum_alias_count(e);
  size_t most = 2 * members + aliases;
  key_row *rows = sqlite3_malloc64(sizeof *rows * (most ? most : 1));
  unsigned char *buffer = sqlite3_malloc64((size_t)DYNENUM_MAX_KEY_BYTES * (most ? most : 1));
  size_t count = 0, used = 0;
  *out = NULL;
  *bytes = NULL;
  *n = 0;
  if (!rows || !buffer) {
    sqlite3_free(rows);
    sqlite3_free(buffer);
    return SQLITE_NOMEM;
  }
  for (size_t i = 0; i < members; i++) {
    const dynenum_member *m = dynenum_enum_member(e, i);
    const char *texts[2] = {m->name, m->value};
    size_t lens[2] = {m->name_len, m->value_len};
    unsigned char *first = buffer + used;
    size_t first_len = 0;
    for (int j = 0; j < 2; j++) {
      unsigned char *key = buffer + used;
      size_t len = dynenum_key(texts[j], lens[j], (char *)key, DYNENUM_MAX_KEY_BYTES);
      if (len > DYNENUM_MAX_KEY_BYTES) continue;
      if (j == 1 && len == first_len && memcmp(key, first, len) == 0) continue;
      if (j == 0) first_len = len;
      rows[count++] = (key_row){key, len, m->ordinal};
      used += len;
    }
  }
  for (size_t i = members; i < members + aliases; i++) {
    const dynenum_alias *a = dynenum_enum_alias(e, i - members);
    const dynenum_member *m = a->member;
    unsigned char *key = buffer + used;
    size_t len = dynenum_key(a->name, a->name_len, (char *)key, DYNENUM_MAX_KEY_BYTES);
    char member_key[DYNENUM_MAX_KEY_BYTES], value_key[DYNENUM_MAX_KEY_BYTES];
    size_t member_len = dynenum_key(m->name, m->name_len, member_key, sizeof member_key);
    size_t value_len = dynenum_key(m->value, m->value_len, value_key, sizeof value_key);
    if (len > DYNENUM_MAX_KEY_BYTES || (len == member_len && memcmp(key, member_key, len) == 0) ||
        (len == value_len && memcmp(key, value_key, len) == 0)) {
      continue;
    }
    rows[count++] = (key_row){key, len, -(sqlite3_int64)(i - members + 1)};
    used += len;
  }
  *out = rows;
  *n = count;
  *bytes = buffer;
  return SQLITE_OK;
}

/* Writes the keys of every member and alias of e into the key table of
** schema.table, making the table if it is free (CREATE, and the first
** commit that adds to an enum written before key tables).  Refusals are
** not errors (key_write_refused). */
static int write_all_keys(sqlite3 *db, const char *schema, const char *table, dynenum_enum *e) {
  int usable, created;
  int rc = ensure_key_table(db, schema, table, &usable, &created);
  if (rc != SQLITE_OK || !usable) return rc;
  key_row *rows;
  size_t n;
  unsigned char *bytes;
  rc = enum_key_rows(e, &rows, &n, &bytes);
  if (rc == SQLITE_OK) rc = write_key_rows(db, schema, table, rows, n);
  sqlite3_free(rows);
  sqlite3_free(bytes);
  return rc != SQLITE_OK && key_write_refused(rc) ? SQLITE_OK : rc;
}

/* Creates the members table of schema.name and writes scratch's members to
** it.  SQLITE_OK, or an error with *error set unless out of memory. */
static int write_new_enum(sqlite3 *db, const char *schema, const char *name, dynenum_enum *scratch, char **error) {
  sqlite3_stmt *insert = NULL;
  int rc = dynenum_members_run(db, MEMBERS_CREATE, schema, name, NULL);
  if (rc != SQLITE_OK) {
    if (rc != SQLITE_NOMEM) {
      *error = sqlite3_mprintf("dynenum: cannot create enum '%s': %s", dynenum_enum_label(scratch), sqlite3_errmsg(db));
    }
    return rc;
  }
  rc = dynenum_members_prepare(db, MEMBERS_INSERT, schema, name, &insert);
  size_t count = rc == SQLITE_OK ? dynenum_enum_size(scratch) : 0;
  for (size_t i = 0; i < count && rc == SQLITE_OK; i++) {
    rc = dynenum_members_write(db, insert, dynenum_enum_member(scratch, i), error);
  }
  sqlite3_finalize(insert);
  insert = NULL;
  size_t aliases = rc == SQLITE_OK ? dynenum_enum_alias_count(scratch) : 0;
  if (aliases) rc = dynenum_members_run(db, ALIASES_CREATE, schema, name, NULL);
  if (aliases && rc != SQLITE_OK && rc != SQLITE_NOMEM) {
    *error = sqlite3_mprintf("dynenum: cannot create enum '%s': %s", dynenum_enum_label(scratch), sqlite3_errmsg(db));
  }
  if (aliases && rc == SQLITE_OK) rc = dynenum_members_prepare(db, ALIASES_INSERT, schema, name, &insert);
  for (size_t i = 0; i < aliases && rc == SQLITE_OK; i++) {
    rc = dynenum_aliases_write(db, insert, dynenum_enum_alias(scratch, i), error);
  }
  sqlite3_finalize(insert);
  if (rc == SQLITE_OK) rc = write_all_keys(db, schema, name, scratch);
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM && !*error) {
    *error = sqlite3_mprintf("dynenum: cannot create enum '%s': %s", dynenum_enum_label(scratch), sqlite3_errmsg(db));
  }
  return rc;
}

/* Whether schema holds an enum called the first n bytes of name; if so,
** its name as sqlite_schema spells it is copied to real (for messages). */
static int is_enum_named(sqlite3 *db, const char *schema, const char *name, size_t n, int *is_enum,
                         char real[DYNENUM_QUOTE_SIZE]) {
  sqlite3_stmt *stmt;
  char *sql = sqlite3_mprintf("SELECT sql, name FROM \"%w\".sqlite_schema WHERE type = 'table' AND name = ?1 "
                              "COLLATE NOCASE",
                              schema);
  int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  *is_enum = 0;
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_bind_text64(stmt, 1, name, n, SQLITE_STATIC, SQLITE_UTF8);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) *is_enum = dynenum_is_enum_sql((const char *)sqlite3_column_text(stmt, 0));
  if (*is_enum) {
    const char *spelled = (const char *)sqlite3_column_text(stmt, 1);
    if (!spelled) rc = SQLITE_NOMEM;
    else dynenum_quote(real, DYNENUM_QUOTE_SIZE, spelled, (size_t)sqlite3_column_bytes(stmt, 1));
  }
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
  sqlite3_finalize(stmt);
  return rc;
}

/* Refuses a new name for an enum (created, or renamed from old_name) whose
** shadow tables' names are taken, or which is the name of another enum's
** shadow table: either way one enum would read the other's tables, or
** neither could have aliases (SPEC section 11.5).  SQLite finds
** "<enum>_<suffix>" by the last '_', and so does this. */
static int check_names_free(sqlite3 *db, const char *schema, const char *name, const char *old_name, char **error) {
  char shown[DYNENUM_QUOTE_SIZE], base[DYNENUM_QUOTE_SIZE];
  const char *underscore = strrchr(name, '_');
  int rc = SQLITE_OK, is_enum = 0;
  if (underscore && dynenum_is_members_suffix(underscore + 1)) {
    rc = is_enum_named(db, schema, name, (size_t)(underscore - name), &is_enum, base);
  }
  if (rc != SQLITE_OK) return rc;
  dynenum_quote(shown, sizeof shown, name, strlen(name));
  if (is_enum) {
    *error = sqlite3_mprintf("dynenum: an enum cannot be called '%s': it is the name of a shadow table of enum '%s'",
                             shown, base);
    return *error ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  /* CREATE finds a taken members name itself, when it creates the table;
  ** a RENAME must know before it renames anything. */
  const shadow_table tables[] = {SHADOW_MEMBERS, SHADOW_ALIASES, SHADOW_RETIRED};
  for (int i = old_name ? 0 : 1; i < 3; i++) {
    shadow_holder holder;
    const char *kind;
    rc = dynenum_optional_holder(db, schema, name, tables[i], &holder, &kind);
    if (rc != SQLITE_OK) return rc;
    if (holder == SHADOW_NONE) continue;
    char *taken = dynenum_shadow_name(tables[i], name);
    if (!taken) return SQLITE_NOMEM;
    char shown_taken[DYNENUM_QUOTE_SIZE], shown_old[DYNENUM_QUOTE_SIZE];
    dynenum_quote(shown_taken, sizeof shown_taken, taken, strlen(taken));
    sqlite3_free(taken);
    if (old_name) {
      dynenum_quote(shown_old, sizeof shown_old, old_name, strlen(old_name));
      *error = sqlite3_mprintf("dynenum: cannot rename enum '%s' to '%s': %s \"%s\" already exists", shown_old, shown,
                               kind, shown_taken);
    } else {
      *error = sqlite3_mprintf("dynenum: cannot create enum '%s': %s \"%s\" already exists", shown, kind, shown_taken);
    }
    return *error ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

/* Validates every definition with a scratch core enum, then creates the
** shadow table and writes the members to it. */
static int enum_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                       char **error) {
  const char *schema = argv[1], *name = argv[2];
  dynenum_enum *scratch;
  /* Its members table, dynenum_members, would hide the catalog. */
  if (sqlite3_stricmp(name, "dynenum_members") == 0) {
    *error = sqlite3_mprintf("dynenum: an enum cannot be called '%s': it would hide the dynenum_members catalog", name);
    return SQLITE_ERROR;
  }
  if (sqlite3_stricmp(name, "dynenum") == 0) {
    *error = sqlite3_mprintf("dynenum: an enum cannot be called '%s': its members table would hide the "
                             "dynenum_members catalog",
                             name);
    return SQLITE_ERROR;
  }
  int rc = dynenum_enum_from_arguments(name, argc, argv, &scratch, error);
  if (rc != SQLITE_OK) return rc;
  rc = check_names_free(db, schema, name, NULL, error);
  if (rc == SQLITE_OK) rc = write_new_enum(db, schema, name, scratch, error);
  dynenum_enum_release(scratch);
  if (rc == SQLITE_OK) rc = enum_connect(db, aux, argc, argv, out, error);
  if (rc == SQLITE_OK) dynenum_connection_changed(aux, 1);
  return rc;
}

/* Whether t->insert is still a statement of the connection's.  A program
** may finalize every statement sqlite3_next_stmt lists, at any time
** (docs/SPEC.md section 2.3.5), and the INSERT kept for a transaction is
** listed: between two INSERTs, between the rows of an INSERT ... RETURNING,
** before closing with the transaction open.  Then it is gone, and must be
** neither stepped nor finalized again.  It is found in the list by address
** and by its text, which ends with a mark of dynenum's, so that a statement
** of the program's prepared since at the same address is not taken for it.
** Clears t->insert when it is gone. */
static int kept_insert(enum_table *t) {
  if (!t->insert) return 0;
  sqlite3 *db = t->connection->db;
  for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL); s; s = sqlite3_next_stmt(db, s)) {
    if (s != t->insert) continue;
    const char *sql = sqlite3_sql(s);
    size_t n = sql ? strlen(sql) : 0, mark = strlen(DYNENUM_MEMBERS_INSERT_MARK);
    if (n >= mark && strcmp(sql + n - mark, DYNENUM_MEMBERS_INSERT_MARK) == 0) return 1;
    break;
  }
  t->insert = NULL;
  return 0;
}

/* Finalizes the kept INSERT if it is still there (kept_insert). */
static void release_insert(enum_table *t) {
  if (kept_insert(t)) sqlite3_finalize(t->insert);
  t->insert = NULL;
}

/* SQLite disconnects an enum's table when it lets go of the schema holding
** it: after sqlite3_deserialize, a backup into the connection, a DETACH, a
** reload for another connection's DDL.  Whatever the cause, the cached
** copies may belong to a schema that is gone, and nothing else need have
** changed (a new image can repeat every version number of the old one), so
** every copy is forgotten.  load_enum connects the table of every enum it
** caches for this reason. */
static int enum_disconnect(sqlite3_vtab *vtab) {
  enum_table *t = (enum_table *)vtab;
  dynenum_connection_changed(t->connection, 0);
  dynenum_enum_release(t->held);
  dynenum_enum_release(t->carrier);
  release_insert(t);
  sqlite3_free(t->key_bytes);
  sqlite3_free(t->pending);
  sqlite3_free(t->marks);
  sqlite3_free(t->schema);
  sqlite3_free(t->name);
  sqlite3_free(t);
  return SQLITE_OK;
}

/* Drops the members table with the enum, if there is a table of ours to
** drop: a view or anything else in its place is not the module's, and must
** not keep the enum from being dropped.  (SQLite ignores the message of a
** failed xDestroy, so none is set.) */
static int enum_destroy(sqlite3_vtab *vtab) {
  enum_table *t = (enum_table *)vtab;
  release_insert(t); /* it would keep the table from being dropped */
  const char *problem;
  int rc = dynenum_members_table_problem(t->connection->db, t->schema, t->name, &problem);
  if (rc != SQLITE_OK) return rc;
  int ours = !problem || strcmp(problem, DYNENUM_MEMBERS_COLUMNS) == 0;
  rc = ours ? dynenum_members_run(t->connection->db, MEMBERS_DROP, t->schema, t->name, NULL) : SQLITE_OK;
  const members_statement drops[] = {ALIASES_DROP, RETIRED_DROP, KEYS_DROP};
  const shadow_table tables[] = {SHADOW_ALIASES, SHADOW_RETIRED, SHADOW_KEYS};
  for (int i = 0; i < 3 && rc == SQLITE_OK; i++) {
    shadow_holder holder;
    rc = dynenum_optional_holder(t->connection->db, t->schema, t->name, tables[i], &holder, &problem);
    if (rc == SQLITE_OK && holder == SHADOW_OURS) {
      rc = dynenum_members_run(t->connection->db, drops[i], t->schema, t->name, NULL);
    }
  }
  if (rc != SQLITE_OK) return rc;
  dynenum_connection_changed(t->connection, 1);
  return enum_disconnect(vtab);
}

/* idxNum: 1 when argv[0] of xFilter is the ordinal wanted, else 0 (all). */
static int enum_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  (void)vtab;
  info->idxNum = 0;
  info->estimatedCost = 1000;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->usable && c->op == SQLITE_INDEX_CONSTRAINT_EQ && (c->iColumn == ENUM_COLUMN_ORDINAL || c->iColumn < 0)) {
      info->aConstraintUsage[i].argvIndex = 1;
      info->aConstraintUsage[i].omit = 1;
      info->idxNum = 1;
      info->estimatedCost = 1;
      info->estimatedRows = 1;
      info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
      break;
    }
  }
  /* Rows come in ordinal order. */
  if (info->nOrderBy == 1 && (info->aOrderBy[0].iColumn == ENUM_COLUMN_ORDINAL || info->aOrderBy[0].iColumn < 0) &&
      !info->aOrderBy[0].desc) {
    info->orderByConsumed = 1;
  }
  return SQLITE_OK;
}

static int enum_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **out) {
  enum_cursor *c = sqlite3_malloc64(sizeof *c);
  (void)vtab;
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static int enum_close(sqlite3_vtab_cursor *cursor) {
  enum_cursor *c = (enum_cursor *)cursor;
  dynenum_enum_release(c->e);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int enum_next(sqlite3_vtab_cursor *cursor) {
  enum_cursor *c = (enum_cursor *)cursor;
  c->member = c->next < c->end ? dynenum_enum_member(c->e, c->next++) : NULL;
  return SQLITE_OK;
}

/* The ordinal that ordinal = value asks for, as SQL compares an INTEGER
** column with value; 0 when no member can have it. */
static sqlite3_int64 wanted_ordinal(sqlite3_value *value) {
  switch (sqlite3_value_numeric_type(value)) {
    case SQLITE_INTEGER:
      return sqlite3_value_int64(value);
    case SQLITE_FLOAT: {
      double d = sqlite3_value_double(value);
      return d >= 1 && d <= 9e15 && d == (double)(sqlite3_int64)d ? (sqlite3_int64)d : 0;
    }
    default:
      return 0;
  }
}

static int enum_filter(sqlite3_vtab_cursor *cursor, int idx_num, const char *idx_str, int argc,
                       sqlite3_value **argv) {
  enum_cursor *c = (enum_cursor *)cursor;
  enum_table *t = (enum_table *)cursor->pVtab;
  (void)idx_str;
  (void)argc;
  dynenum_enum_release(c->e);
  c->e = NULL;
  c->member = NULL;
  char *error;
  /* A whole scan reads the members table anyway: verify it.  A look-up by
  ** ordinal trusts the copy as far as the functions do. */
  int rc = dynenum_connection_table_enum(t->connection, t->schema, t->name, idx_num != 1, &c->e, &error);
  if (rc != SQLITE_OK) return error ? dynenum_vtab_error(&t->base, rc, error) : rc;
  c->next = 0;
  c->end = dynenum_enum_size(c->e);
  if (idx_num == 1) {
    sqlite3_int64 ordinal = wanted_ordinal(argv[0]);
    if (ordinal >= 1 && (size_t)ordinal <= c->end) {
      c->next = (size_t)ordinal - 1;
      c->end = c->next + 1;
    } else {
      c->end = 0;
    }
  }
  return enum_next(cursor);
}

static int enum_eof(sqlite3_vtab_cursor *cursor) { return ((enum_cursor *)cursor)->member == NULL; }

static int enum_column(sqlite3_vtab_cursor *cursor, sqlite3_context *ctx, int column) {
  const dynenum_member *m = ((enum_cursor *)cursor)->member;
  switch (column) {
    case ENUM_COLUMN_ORDINAL: sqlite3_result_int64(ctx, m->ordinal); break;
    case ENUM_COLUMN_NAME: sqlite3_result_text64(ctx, m->name, m->name_len, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case ENUM_COLUMN_VALUE: sqlite3_result_text64(ctx, m->value, m->value_len, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case ENUM_COLUMN_RETIRED: sqlite3_result_int(ctx, dynenum_member_is_retired(m)); break;
    default: break; /* alias_of: NULL, a member is nobody's alias */
  }
  return SQLITE_OK;
}

static int enum_rowid(sqlite3_vtab_cursor *cursor, sqlite_int64 *rowid) {
  *rowid = ((enum_cursor *)cursor)->member->ordinal;
  return SQLITE_OK;
}

/* What an INSERT asks for: xUpdate's argv[1] (the rowid) and argv[2..4],
** the new row's ordinal, name and value, with the name as text. */
typedef struct insert_request {
  sqlite3_value *rowid, *ordinal, *value, *retired;
  const char *name;
  size_t name_len;
  const char *shown_enum; /* the enum, quoted for messages (enum_table's shown) */
} insert_request;

/* The name and value rules of an added member.  It is a name that was in
** use as a dynamic member, so it must be a valid dynamic name: then nothing
** that resolved before resolves differently after.  Being new, it must not
** look like another (dynenum_enum_check_new_member).  Its value is always
** the key of its name (which fits the buffer: the name was checked), so an
** explicit value must be that key. */
static int check_name_and_value(enum_table *t, dynenum_enum *e, const insert_request *r) {
  dynenum_error err;
  if (dynenum_enum_check_name(e, r->name, r->name_len, &err) != DYNENUM_OK ||
      dynenum_enum_check_new_member(e, r->name, r->name_len, NULL, 0, &err) != DYNENUM_OK) {
    return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT, sqlite3_mprintf("dynenum: %s", err.message));
  }
  int type = sqlite3_value_type(r->value);
  if (type == SQLITE_NULL) return SQLITE_OK;
  char key[DYNENUM_MAX_KEY_BYTES];
  size_t key_len = dynenum_key(r->name, r->name_len, key, sizeof key);
  if (type == SQLITE_TEXT && (size_t)sqlite3_value_bytes(r->value) == key_len &&
      memcmp(sqlite3_value_text(r->value), key, key_len) == 0) {
    return SQLITE_OK;
  }
  char shown_name[DYNENUM_QUOTE_SIZE], shown_key[DYNENUM_QUOTE_SIZE];
  dynenum_quote(shown_name, sizeof shown_name, r->name, r->name_len);
  dynenum_quote(shown_key, sizeof shown_key, key, key_len);
  return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                            sqlite3_mprintf("dynenum: member '%s' added to enum '%s' must have the value '%s', the key "
                                            "of its name, or none",
                                            shown_name, r->shown_enum, shown_key));
}

/* The rowid and the ordinal, when given, must both be the next ordinal. */
static int check_ordinals(enum_table *t, dynenum_enum *e, const insert_request *r) {
  sqlite_int64 next = (sqlite_int64)dynenum_enum_size(e) + 1;
  sqlite3_value *given[2] = {r->rowid, r->ordinal};
  for (int i = 0; i < 2; i++) {
    if (sqlite3_value_type(given[i]) == SQLITE_NULL ||
        (sqlite3_value_numeric_type(given[i]) == SQLITE_INTEGER && sqlite3_value_int64(given[i]) == next)) {
      continue;
    }
    const char *text = (const char *)sqlite3_value_text(given[i]);
    char shown[DYNENUM_QUOTE_SIZE];
    dynenum_quote(shown, sizeof shown, text ? text : "", text ? strlen(text) : 0);
    return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                              sqlite3_mprintf("dynenum: cannot give the new member of enum '%s' the ordinal %s: the "
                                              "next ordinal is %lld",
                                              r->shown_enum, shown, next));
  }
  return SQLITE_OK;
}

/* Writes the member the core has just added to the members table, with the
** INSERT kept for the transaction (see forget_insert).  before is
** sqlite3_total_changes() as the insert began: nothing since has written. */
static int write_member(enum_table *t, const dynenum_member *m, const insert_request *r, long long before) {
  sqlite3 *db = t->connection->db;
  char *error = NULL;
  int rc = kept_insert(t) ? SQLITE_OK : dynenum_members_prepare(db, MEMBERS_INSERT, t->schema, t->name, &t->insert);
  if (rc != SQLITE_OK) {
    /* An authorizer may refuse the write: say whose and why. */
    if (rc == SQLITE_NOMEM) return rc;
    return dynenum_vtab_error(&t->base, rc,
                              sqlite3_mprintf("dynenum: cannot add a member to enum '%s': %s (dynenum writes its "
                                              "members table)",
                                              r->shown_enum, sqlite3_errmsg(db)));
  }
  t->adding = 1;
  rc = dynenum_members_write(db, t->insert, m, &error);
  t->adding = 0;
  if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? rc : dynenum_vtab_error(&t->base, rc, error);
  /* An authorizer answering SQLITE_IGNORE makes the INSERT write nothing
  ** and succeed: the member would exist only in memory.  (The count may
  ** grow by more than the row: triggers' changes count.) */
  if (sqlite3_total_changes(db) <= before) {
    return dynenum_vtab_error(&t->base, SQLITE_ERROR,
                              sqlite3_mprintf("dynenum: cannot add a member to enum '%s': its members table was not "
                                              "written (an authorizer that ignores the write?)",
                                              r->shown_enum));
  }
  /* The row took the next rowid, the member's ordinal unless a row was
  ** written past the members the copy has since it was last verified (by a
  ** trigger on the members table, within the changes a trusted insert
  ** allows).  Not SQLITE_CONSTRAINT: OR IGNORE must not keep the row. */
  sqlite3_int64 ordinal = sqlite3_last_insert_rowid(db);
  if (ordinal == m->ordinal) return SQLITE_OK;
  char shown[DYNENUM_QUOTE_SIZE];
  dynenum_quote(shown, sizeof shown, m->name, m->name_len);
  return dynenum_vtab_error(&t->base, SQLITE_ERROR,
                            sqlite3_mprintf("dynenum: cannot add member '%s' to enum '%s': its members table gave it "
                                            "the ordinal %lld, not %lld (a row written there directly?)",
                                            shown, r->shown_enum, ordinal, (long long)m->ordinal));
}

/* Reads the request from argv: SQLITE_OK, or the error for a name that is
** not text. */
static int read_request(enum_table *t, sqlite3_value **argv, insert_request *r) {
  sqlite3_value *name = argv[2 + ENUM_COLUMN_NAME];
  r->rowid = argv[1];
  r->ordinal = argv[2 + ENUM_COLUMN_ORDINAL];
  r->value = argv[2 + ENUM_COLUMN_VALUE];
  r->retired = argv[2 + ENUM_COLUMN_RETIRED];
  r->shown_enum = t->shown;
  r->name = NULL;
  r->name_len = 0;
  if (sqlite3_value_type(name) != SQLITE_TEXT) {
    char *what = dynenum_describe_value(name);
    if (!what) return SQLITE_NOMEM;
    int rc = dynenum_vtab_error(
        &t->base, SQLITE_CONSTRAINT,
        sqlite3_mprintf("dynenum: a member's name must be text, not %s, in enum '%s'", what, r->shown_enum));
    sqlite3_free(what);
    return rc;
  }
  r->name = (const char *)sqlite3_value_text(name);
  r->name_len = (size_t)sqlite3_value_bytes(name);
  return r->name ? SQLITE_OK : SQLITE_NOMEM;
}

/* Runs one statement with an optional integer ?1 and text ?2 on a shadow
** table of t, creating that table first if it does not exist yet (which is
** DDL: the cache then checks the file until the transaction ends).  An
** error has its message set, naming the enum; something else under the
** table's name is never written (SPEC section 11.5). */
static int write_shadow(enum_table *t, shadow_table which, members_statement statement, const char *shown_enum,
                        sqlite3_int64 number, const char *text, size_t text_len) {
  sqlite3 *db = t->connection->db;
  sqlite3_stmt *stmt = NULL;
  const char *what = which == SHADOW_ALIASES ? "aliases" : "retired", *kind;
  shadow_holder holder;
  int rc = dynenum_optional_holder(db, t->schema, t->name, which, &holder, &kind);
  if (rc == SQLITE_OK && holder == SHADOW_IN_THE_WAY) {
    char shown[DYNENUM_QUOTE_SIZE];
    char *name = dynenum_shadow_name(which, t->name);
    if (!name) return SQLITE_NOMEM;
    dynenum_quote(shown, sizeof shown, name, strlen(name));
    sqlite3_free(name);
    return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                              sqlite3_mprintf("dynenum: cannot change enum '%s': %s '%s' is in the way (it is not "
                                              "dynenum's %s table; rename or drop it first, with "
                                              "SQLITE_DBCONFIG_DEFENSIVE off or from a connection without dynenum)",
                                              shown_enum, kind, shown, what));
  }
  if (rc == SQLITE_OK && holder == SHADOW_NONE) {
    rc = dynenum_members_run(db, which == SHADOW_ALIASES ? ALIASES_CREATE : RETIRED_CREATE, t->schema, t->name, NULL);
    if (rc == SQLITE_OK) dynenum_connection_changed(t->connection, 1);
  }
  if (rc == SQLITE_OK) rc = dynenum_members_prepare(db, statement, t->schema, t->name, &stmt);
  if (rc == SQLITE_OK && text) rc = sqlite3_bind_text64(stmt, 1, text, text_len, SQLITE_STATIC, SQLITE_UTF8);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(stmt, text ? 2 : 1, number);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM) {
    rc = dynenum_vtab_error(&t->base, rc,
                            sqlite3_mprintf("dynenum: cannot change enum '%s': %s (dynenum writes its %s table)",
                                            shown_enum, sqlite3_errmsg(db), what));
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* The error for a column an INSERT must leave empty: "dynenum: <what> in
** enum 'E'". */
static int not_given(enum_table *t, const char *what, const char *shown_enum) {
  return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                            sqlite3_mprintf("dynenum: %s in enum '%s'", what, shown_enum));
}

/* The flag in retired: 0 or 1 when it is that integer, else -1.  Only an
** integer: '1' and 1.0 are refused as they are shown (SPEC section 11.6). */
static int retired_flag(sqlite3_value *retired) {
  if (sqlite3_value_type(retired) != SQLITE_INTEGER) return -1;
  sqlite3_int64 flag = sqlite3_value_int64(retired);
  return flag == 0 || flag == 1 ? (int)flag : -1;
}

/* The refusal of a retired that is not 0 or 1, for the member called name. */
static int not_a_flag(enum_table *t, sqlite3_value *retired, const char *name, size_t name_len,
                      const char *shown_enum) {
  char shown[DYNENUM_QUOTE_SIZE];
  dynenum_quote(shown, sizeof shown, name, name_len);
  char *what = dynenum_show_value(retired);
  if (!what) return SQLITE_NOMEM;
  int rc = dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                              sqlite3_mprintf("dynenum: retired must be 0 or 1, not %s, for member '%s' of enum '%s'",
                                              what, shown, shown_enum));
  sqlite3_free(what);
  return rc;
}

/* The caps on aliases an INSERT may add (docs/SPEC.md section 11.4): every
** alias that already resolves is a spelling of a key the member has, and
** a name has as many case variants as 2 to the power of its letters. */
#define ALIASES_PER_MEMBER 64
#define ALIASES_PER_ENUM 4096

/* After a write through the module that the connection's copy e already
** holds: e is current, and until the transaction ends the copy need not be
** verified again (see enum_table).  held says the insert took e as the
** copy held: then, if nothing bumped the generation meanwhile (a trigger on
** the members table may have), the cache still has the carrier held, and it
** is touched without a lookup. */
static void note_write(enum_table *t, dynenum_enum *e, int trusted, long long changes, int held) {
  dynenum_connection *c = t->connection;
  held = held && c->generation == t->held_generation;
  c->generation++;
  if (!held) {
    dynenum_enum_release(t->carrier);
    t->carrier = dynenum_connection_carrier(c, e);
  }
  if (t->carrier) dynenum_connection_touch(c, t->carrier);
  if (!trusted) {
    t->writing = 1;
    t->verified_changes = changes;
    t->added = 0;
  }
  t->added++;
  if (t->held != e) {
    dynenum_enum_release(t->held);
    dynenum_enum_retain(e);
    t->held = e;
  }
}

/* Ends the trust of enum_table's writing, and lets go of the copy held. */
static void stop_writing(enum_table *t) {
  t->writing = 0;
  dynenum_enum_release(t->held);
  dynenum_enum_release(t->carrier);
  t->held = t->carrier = NULL;
}

/* The refusal of an alias past a cap, or SQLITE_OK. */
static int check_alias_caps(enum_table *t, dynenum_enum *e, const insert_request *r, const dynenum_member *target) {
  size_t count = dynenum_enum_alias_count(e), of_target = 0;
  for (size_t i = 0; i < count; i++) of_target += dynenum_enum_alias(e, i)->member == target;
  if (count < ALIASES_PER_ENUM && of_target < ALIASES_PER_MEMBER) return SQLITE_OK;
  char name[DYNENUM_QUOTE_SIZE], member[DYNENUM_QUOTE_SIZE];
  dynenum_quote(name, sizeof name, r->name, r->name_len);
  dynenum_quote(member, sizeof member, target->name, target->name_len);
  if (count >= ALIASES_PER_ENUM) {
    return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                              sqlite3_mprintf("dynenum: too many aliases in enum '%s' (at most %d): cannot add alias "
                                              "'%s' of member '%s'",
                                              r->shown_enum, ALIASES_PER_ENUM, name, member));
  }
  return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                            sqlite3_mprintf("dynenum: too many aliases of member '%s' in enum '%s' (at most %d): "
                                            "cannot add alias '%s'",
                                            member, r->shown_enum, ALIASES_PER_MEMBER, name));
}

/* Adds an alias: INSERT INTO e(name, alias_of) VALUES (...).  Only one
** that already resolves to its member, so that adding it changes no result
** (docs/SPEC.md section 11.4); the rest are declared in CREATE. */
static int insert_alias(enum_table *t, dynenum_enum *e, const insert_request *r, sqlite3_value *alias_of,
                        int trusted, long long changes, int held, sqlite_int64 *rowid) {
  dynenum_error err;
  const dynenum_member *target = NULL, *now = NULL;
  const dynenum_alias *a = NULL;
  if (sqlite3_value_type(r->ordinal) != SQLITE_NULL || sqlite3_value_type(r->rowid) != SQLITE_NULL ||
      sqlite3_value_type(r->value) != SQLITE_NULL || sqlite3_value_type(r->retired) != SQLITE_NULL) {
    return not_given(t, "an alias takes only a name and alias_of (no ordinal, value or retired)", r->shown_enum);
  }
  if (sqlite3_value_type(alias_of) != SQLITE_TEXT) {
    char *what = dynenum_describe_value(alias_of);
    if (!what) return SQLITE_NOMEM;
    int rc = dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                                sqlite3_mprintf("dynenum: alias_of must be text, not %s, in enum '%s'", what,
                                                r->shown_enum));
    sqlite3_free(what);
    return rc;
  }
  const char *target_name = (const char *)sqlite3_value_text(alias_of);
  size_t target_len = (size_t)sqlite3_value_bytes(alias_of);
  if (!target_name) return SQLITE_NOMEM;
  int found = dynenum_enum_find(e, target_name, target_len, &target) == DYNENUM_OK;
  int rc = dynenum_enum_check_new_member(e, r->name, r->name_len, NULL, 0, &err);
  /* Without its member, the core says what is wrong (the name's rules first). */
  if (rc == DYNENUM_OK && !found) rc = dynenum_enum_add_alias(e, r->name, r->name_len, target_name, target_len, NULL, &err);
  if (rc == DYNENUM_OK && (dynenum_enum_find(e, r->name, r->name_len, &now) != DYNENUM_OK || now != target)) {
    char name[DYNENUM_QUOTE_SIZE], member[DYNENUM_QUOTE_SIZE];
    dynenum_quote(name, sizeof name, r->name, r->name_len);
    dynenum_quote(member, sizeof member, target->name, target->name_len);
    return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                              sqlite3_mprintf("dynenum: cannot add alias '%s' of member '%s' to enum '%s': '%s' does "
                                              "not already resolve to that member, and an added alias must change no "
                                              "result (declare it in CREATE VIRTUAL TABLE)",
                                              name, member, r->shown_enum, name));
  }
  if (rc == DYNENUM_OK) {
    int refused = check_alias_caps(t, e, r, target);
    if (refused != SQLITE_OK) return refused;
  }
  if (rc == DYNENUM_OK) rc = dynenum_enum_add_alias(e, r->name, r->name_len, target_name, target_len, &a, &err);
  if (rc == DYNENUM_NOMEM) return SQLITE_NOMEM;
  if (rc != DYNENUM_OK) {
    return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT, sqlite3_mprintf("dynenum: %s", err.message));
  }
  *rowid = target->ordinal;
  rc = write_shadow(t, SHADOW_ALIASES, ALIASES_INSERT, r->shown_enum, target->ordinal, a->name, a->name_len);
  if (rc == SQLITE_OK) {
    note_write(t, e, trusted, changes, held);
    t->added_any = 1; /* its key is its member's already (SPEC section 11.4) */
  } else {
    dynenum_connection_changed(t->connection, 0); /* the copy holds an alias the file does not */
  }
  return rc;
}

/* Room for one more pending key: SQLITE_NOMEM or OK. */
static int pending_room(enum_table *t) {
  if (t->key_bytes_cap - t->key_bytes_len < DYNENUM_MAX_KEY_BYTES) {
    size_t cap = t->key_bytes_cap ? 2 * t->key_bytes_cap : 64 * DYNENUM_MAX_KEY_BYTES;
    unsigned char *grown = sqlite3_realloc64(t->key_bytes, cap);
    if (!grown) return SQLITE_NOMEM;
    t->key_bytes = grown;
    t->key_bytes_cap = cap;
  }
  if (t->pending_count == t->pending_cap) {
    size_t cap = t->pending_cap ? 2 * t->pending_cap : 64;
    pending_key *grown = sqlite3_realloc64(t->pending, sizeof *grown * cap);
    if (!grown) return SQLITE_NOMEM;
    t->pending = grown;
    t->pending_cap = cap;
  }
  return SQLITE_OK;
}

/* Keeps the key of m, just added, for the key table (enum_sync).  An added
** member's value is the key of its name (SPEC section 2.2.6), which the
** core computed as it took the row, so the value is that key, copied; its
** own key is the same key again (folding twice folds as once), so no
** second row.  Out of memory makes the INSERT fail, as any allocation of
** it failing does. */
static int note_keys(enum_table *t, const dynenum_member *m) {
  t->added_any = 1;
  if (m->value_len > DYNENUM_MAX_KEY_BYTES) return SQLITE_OK; /* no key is that long */
  int rc = pending_room(t);
  if (rc != SQLITE_OK) return rc;
  memcpy(t->key_bytes + t->key_bytes_len, m->value, m->value_len);
  t->pending[t->pending_count++] = (pending_key){t->key_bytes_len, m->value_len, m->ordinal};
  t->key_bytes_len += m->value_len;
  return SQLITE_OK;
}

/* Forgets the pending keys past the first keep. */
static void drop_pending(enum_table *t, size_t keep) {
  if (keep >= t->pending_count) return;
  t->pending_count = keep;
  t->key_bytes_len = keep ? t->pending[keep - 1].offset + t->pending[keep - 1].len : 0;
}

/* Adds a member: every check first, then the core's copy, then the file.
** SQLITE_CONSTRAINT comes only before any change, so that SQLite applies OR
** IGNORE and the like; a failure after the core has the member makes the
** cache forget it, since the file does not have it. */
static int enum_insert(enum_table *t, sqlite3_value **argv, sqlite_int64 *rowid) {
  insert_request r;
  int rc = read_request(t, argv, &r);
  if (rc != SQLITE_OK) return rc;
  /* Not SQLITE_CONSTRAINT: an OR IGNORE in the trigger must not hide it. */
  if (t->adding) {
    return dynenum_vtab_error(&t->base, SQLITE_ERROR,
                              sqlite3_mprintf("dynenum: cannot add a member to enum '%s' while adding another one (a "
                                              "trigger on its members table?)",
                                              r.shown_enum));
  }
  /* A write must never trust a cached copy: verify against the file, unless
  ** this transaction already holds the write lock (see enum_table). */
  long long changes = sqlite3_total_changes(t->connection->db);
  int trusted = t->writing && changes >= t->verified_changes + t->added &&
                changes <= t->verified_changes + 2 * t->added;
  int held = trusted && t->carrier && dynenum_connection_holds(t->connection, t->carrier, t->held);
  dynenum_enum *e = held ? t->held : NULL;
  if (e) {
    t->held_generation = t->connection->generation;
    dynenum_enum_retain(e);
  } else {
    char *error;
    rc = dynenum_connection_table_enum(t->connection, t->schema, t->name, !trusted, &e, &error);
    if (rc != SQLITE_OK) return error ? dynenum_vtab_error(&t->base, rc, error) : rc;
  }

  if (sqlite3_value_type(argv[2 + ENUM_COLUMN_ALIAS_OF]) != SQLITE_NULL) {
    rc = insert_alias(t, e, &r, argv[2 + ENUM_COLUMN_ALIAS_OF], trusted, changes, held, rowid);
    dynenum_enum_release(e);
    return rc;
  }
  const dynenum_member *m = NULL;
  /* The columns an INSERT usually leaves NULL are checked (after the name,
  ** whose errors come first) only when given; otherwise the core checks the
  ** name and adds it in one call. */
  if (sqlite3_value_type(r.value) != SQLITE_NULL || sqlite3_value_type(r.ordinal) != SQLITE_NULL ||
      sqlite3_value_type(r.rowid) != SQLITE_NULL || sqlite3_value_type(r.retired) != SQLITE_NULL) {
    rc = check_name_and_value(t, e, &r);
    if (rc == SQLITE_OK) rc = check_ordinals(t, e, &r);
    if (rc == SQLITE_OK && sqlite3_value_type(r.retired) != SQLITE_NULL && retired_flag(r.retired) != 0) {
      rc = retired_flag(r.retired) == 1
               ? not_given(t, "a new member cannot be retired at once (add it, then set retired = 1)", r.shown_enum)
               : not_a_flag(t, r.retired, r.name, r.name_len, r.shown_enum);
    }
  }
  if (rc == SQLITE_OK) {
    dynenum_error err;
    int added = dynenum_enum_add_new_member(e, r.name, r.name_len, &m, &err);
    if (added == DYNENUM_NOMEM) rc = SQLITE_NOMEM;
    else if (added != DYNENUM_OK) rc = dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT, sqlite3_mprintf("dynenum: %s", err.message));
  }
  if (m) {
    *rowid = m->ordinal;
    rc = write_member(t, m, &r, changes);
    if (rc != SQLITE_OK) {
      dynenum_connection_changed(t->connection, 0); /* the copy holds a member the file does not */
    } else {
      note_write(t, e, trusted, changes, held);
      rc = note_keys(t, m);
    }
  }
  dynenum_enum_release(e);
  return rc;
}

/* Whether v is text of exactly those bytes; sets *oom when SQLite could
** not give the text. */
static int is_text(sqlite3_value *v, const char *s, size_t n, int *oom) {
  if (sqlite3_value_type(v) != SQLITE_TEXT) return 0;
  const unsigned char *text = sqlite3_value_text(v);
  if (!text) *oom = 1;
  return text && (size_t)sqlite3_value_bytes(v) == n && memcmp(text, s, n) == 0;
}

/* UPDATE e SET retired = 0 or 1: the one change of a member there is
** (docs/SPEC.md section 11.6).  Any other column changed is refused as every
** UPDATE was before. */
static int update_member(enum_table *t, sqlite3_value **argv, const char *shown_enum) {
  dynenum_enum *e;
  char *error;
  int rc = dynenum_connection_table_enum(t->connection, t->schema, t->name, 1, &e, &error);
  if (rc != SQLITE_OK) return error ? dynenum_vtab_error(&t->base, rc, error) : rc;
  sqlite3_int64 ordinal = sqlite3_value_int64(argv[0]);
  const dynenum_member *m =
      ordinal >= 1 && (size_t)ordinal <= dynenum_enum_size(e) ? dynenum_enum_member(e, (size_t)ordinal - 1) : NULL;
  sqlite3_value *retired = argv[2 + ENUM_COLUMN_RETIRED];
  int oom = 0;
  if (!m || sqlite3_value_numeric_type(argv[1]) != SQLITE_INTEGER || sqlite3_value_int64(argv[1]) != ordinal ||
      sqlite3_value_numeric_type(argv[2 + ENUM_COLUMN_ORDINAL]) != SQLITE_INTEGER ||
      sqlite3_value_int64(argv[2 + ENUM_COLUMN_ORDINAL]) != ordinal ||
      !is_text(argv[2 + ENUM_COLUMN_NAME], m->name, m->name_len, &oom) ||
      !is_text(argv[2 + ENUM_COLUMN_VALUE], m->value, m->value_len, &oom) ||
      sqlite3_value_type(argv[2 + ENUM_COLUMN_ALIAS_OF]) != SQLITE_NULL) {
    dynenum_enum_release(e);
    if (oom) return SQLITE_NOMEM;
    return dynenum_vtab_error(&t->base, SQLITE_CONSTRAINT,
                              sqlite3_mprintf("dynenum: cannot update members of enum '%s': a member, once added, is "
                                              "never changed or removed",
                                              shown_enum));
  }
  sqlite3_int64 asked = retired_flag(retired);
  int flag = asked == 1;
  if (asked < 0) {
    rc = not_a_flag(t, retired, m->name, m->name_len, shown_enum);
    dynenum_enum_release(e);
    return rc;
  }
  if (flag != dynenum_member_is_retired(m)) {
    rc = write_shadow(t, SHADOW_RETIRED, flag ? RETIRED_INSERT : RETIRED_DELETE, shown_enum, ordinal, NULL, 0);
    if (rc == SQLITE_OK) dynenum_enum_set_retired(e, m, flag);
    /* Other copies of this connection read the flag again. */
    dynenum_connection_changed(t->connection, 0);
    stop_writing(t);
  }
  dynenum_enum_release(e);
  return rc;
}

static int enum_update(sqlite3_vtab *vtab, int argc, sqlite3_value **argv, sqlite_int64 *rowid) {
  enum_table *t = (enum_table *)vtab;
  char shown[DYNENUM_QUOTE_SIZE];
  if (argc > 1 && sqlite3_value_type(argv[0]) == SQLITE_NULL) return enum_insert(t, argv, rowid);
  dynenum_quote(shown, sizeof shown, t->name, strlen(t->name));
  if (argc > 1) return update_member(t, argv, shown);
  return dynenum_vtab_error(vtab, SQLITE_CONSTRAINT,
                    sqlite3_mprintf("dynenum: cannot delete members of enum '%s': a member, once added, is never "
                                    "changed or removed",
                                    shown));
}

static int enum_rename(sqlite3_vtab *vtab, const char *new_name) {
  enum_table *t = (enum_table *)vtab;
  char *error = NULL;
  int rc = check_names_free(t->connection->db, t->schema, new_name, t->name, &error);
  if (rc != SQLITE_OK) return error ? dynenum_vtab_error(vtab, rc, error) : rc;
  char *renamed = sqlite3_mprintf("%s", new_name);
  if (!renamed) return SQLITE_NOMEM;
  rc = dynenum_members_run(t->connection->db, MEMBERS_RENAME, t->schema, t->name, new_name);
  const members_statement renames[] = {ALIASES_RENAME, RETIRED_RENAME};
  const shadow_table tables[] = {SHADOW_ALIASES, SHADOW_RETIRED};
  for (int i = 0; i < 2 && rc == SQLITE_OK; i++) {
    shadow_holder holder;
    const char *kind;
    rc = dynenum_optional_holder(t->connection->db, t->schema, t->name, tables[i], &holder, &kind);
    if (rc == SQLITE_OK && holder == SHADOW_OURS) {
      rc = dynenum_members_run(t->connection->db, renames[i], t->schema, t->name, new_name);
    }
  }
  /* The key table follows when its new name is free; otherwise the enum's
  ** own is emptied and left under the old name (SQLite cannot drop a table
  ** inside ALTER TABLE: "database table is locked"), never the rename
  ** refused, since it is only an accelerator. */
  shadow_holder keys = SHADOW_NONE, target = SHADOW_NONE;
  const char *kind;
  if (rc == SQLITE_OK) rc = dynenum_optional_holder(t->connection->db, t->schema, t->name, SHADOW_KEYS, &keys, &kind);
  if (rc == SQLITE_OK && keys == SHADOW_OURS) {
    rc = dynenum_optional_holder(t->connection->db, t->schema, new_name, SHADOW_KEYS, &target, &kind);
    if (rc == SQLITE_OK) {
      rc = dynenum_members_run(t->connection->db, target == SHADOW_NONE ? KEYS_RENAME : KEYS_EMPTY, t->schema, t->name,
                               new_name);
    }
  }
  if (rc != SQLITE_OK) {
    sqlite3_free(renamed);
    if (rc == SQLITE_NOMEM) return rc;
    return dynenum_vtab_error(vtab, rc, sqlite3_mprintf("%s", sqlite3_errmsg(t->connection->db)));
  }
  sqlite3_free(t->name);
  t->name = renamed;
  dynenum_quote(t->shown, sizeof t->shown, t->name, strlen(t->name));
  release_insert(t); /* it names the old members table */
  dynenum_connection_changed(t->connection, 1);
  return SQLITE_OK;
}

/* The prepared INSERT into the members table lives only as long as a
** transaction: a trigger on the members table that names this enum makes
** the statement hold this very table open, and a statement kept until
** xDisconnect would then keep the table from ever being disconnected (and
** the connection from closing).  Never while it runs: a trigger's RAISE
** can roll back from inside it. */
static void forget_insert(enum_table *t) {
  if (t->adding) return;
  release_insert(t);
}

static int enum_begin(sqlite3_vtab *vtab) {
  enum_table *t = (enum_table *)vtab;
  stop_writing(t);
  drop_pending(t, 0);
  t->added_any = 0;
  t->marks_count = 0;
  dynenum_connection_will_write(t->connection, t->schema, t->name); /* never into a shared copy */
  return SQLITE_OK;
}

/* Sets *missing when the key table of schema.table lacks the key of
** member ordinal of e, or names another ordinal under it: one indexed
** read.  A read that cannot be made leaves it clear (only speed is at
** stake); SQLITE_NOMEM is returned, for the reason write_key_rows gives. */
static int key_missing(sqlite3 *db, const char *schema, const char *table, dynenum_enum *e, sqlite3_int64 ordinal,
                       int *missing) {
  char key[DYNENUM_MAX_KEY_BYTES];
  if (*missing || ordinal < 1 || (size_t)ordinal > dynenum_enum_size(e)) return SQLITE_OK;
  const dynenum_member *m = dynenum_enum_member(e, (size_t)ordinal - 1);
  size_t len = dynenum_key(m->name, m->name_len, key, sizeof key);
  if (m->ordinal != ordinal || len > sizeof key) return SQLITE_OK;
  sqlite3_stmt *stmt;
  int rc = dynenum_members_prepare(db, KEYS_SELECT, schema, table, &stmt);
  if (rc == SQLITE_OK) rc = sqlite3_bind_blob64(stmt, 1, key, len, SQLITE_STATIC);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(stmt);
    *missing = rc == SQLITE_DONE || (rc == SQLITE_ROW && (sqlite3_column_type(stmt, 0) != SQLITE_INTEGER ||
                                                          sqlite3_column_int64(stmt, 0) != ordinal));
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
}

/* Before the commit: the keys of the members this transaction added go
** into the key table, sorted, in a few statements (SPEC section 12.6).  An
** enum written before key tables gets one now, filled from the
** connection's copy, which holds every member after an INSERT; so does one
** whose key table lacks the key of member 1 or of the member just before
** the first one added, or names another ordinal under it (members added
** without dynenum, an old key table adopted after a DROP by dynenum 1.x):
** repaired at the next commit that adds to the enum.  Only refusals are
** forgiven: a failure of another kind fails the COMMIT. */
static int enum_sync(sqlite3_vtab *vtab) {
  enum_table *t = (enum_table *)vtab;
  sqlite3 *db = t->connection->db;
  if (!t->added_any) return SQLITE_OK;
  int usable, created, rc = ensure_key_table(db, t->schema, t->name, &usable, &created);
  if (rc != SQLITE_OK || !usable) return rc;
  dynenum_enum *e = NULL;
  if (created || t->pending_count) {
    char *error = NULL;
    /* The copy is only needed whole; one that cannot be had leaves the
    ** table as the pending keys make it. */
    rc = dynenum_connection_table_enum(t->connection, t->schema, t->name, 0, &e, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK) e = NULL;
    if (rc != SQLITE_NOMEM) rc = SQLITE_OK;
  }
  if (rc == SQLITE_OK && e && !created && t->pending_count) {
    sqlite3_int64 first = t->pending[0].ordinal;
    int missing = 0;
    rc = key_missing(db, t->schema, t->name, e, first - 1, &missing);
    if (rc == SQLITE_OK && first > 2) rc = key_missing(db, t->schema, t->name, e, 1, &missing);
    if (missing) created = 1;
  }
  if (rc == SQLITE_OK && created && e) {
    rc = write_all_keys(db, t->schema, t->name, e);
  } else if (rc == SQLITE_OK && t->pending_count) {
    key_row *rows = sqlite3_malloc64(sizeof *rows * t->pending_count);
    for (size_t i = 0; rows && i < t->pending_count; i++) {
      rows[i] = (key_row){t->key_bytes + t->pending[i].offset, t->pending[i].len, t->pending[i].ordinal};
    }
    rc = rows ? write_key_rows(db, t->schema, t->name, rows, t->pending_count) : SQLITE_NOMEM;
    sqlite3_free(rows);
  }
  dynenum_enum_release(e);
  drop_pending(t, 0);
  t->added_any = 0;
  return rc != SQLITE_OK && key_write_refused(rc) ? SQLITE_OK : rc;
}

static int enum_commit(sqlite3_vtab *vtab) {
  enum_table *t = (enum_table *)vtab;
  stop_writing(t);
  forget_insert(t);
  drop_pending(t, 0);
  t->added_any = 0;
  return SQLITE_OK;
}

/* Ends the transaction's trust and the connection's copies, keeping the
** first keep pending keys. */
static void undo(enum_table *t, size_t keep) {
  stop_writing(t);
  forget_insert(t);
  drop_pending(t, keep);
  dynenum_connection_changed(t->connection, 0);
}

static int enum_rollback(sqlite3_vtab *vtab) {
  enum_table *t = (enum_table *)vtab;
  undo(t, 0);
  t->added_any = 0;
  return SQLITE_OK;
}

/* Does nothing, and is not dead: SQLite records the savepoint level of a
** table whose transaction begins inside a savepoint only when the module
** has xSavepoint (sqlite3VtabBegin), and calls xRollbackTo only for
** savepoints at or above that level.  Without it, BEGIN; SAVEPOINT a;
** INSERT INTO e ...; ROLLBACK TO a would leave the cache holding the
** member the rollback undid.  xRelease has nothing to do, so it is NULL. */
static int enum_savepoint(sqlite3_vtab *vtab, int savepoint) {
  enum_table *t = (enum_table *)vtab;
  /* The pending count at the start of savepoint N, for a ROLLBACK TO it. */
  if (savepoint < 0) return SQLITE_OK;
  if (savepoint >= t->marks_count) {
    size_t *grown = sqlite3_realloc64(t->marks, sizeof *grown * (size_t)(savepoint + 1));
    if (!grown) return SQLITE_NOMEM;
    for (int i = t->marks_count; i < savepoint; i++) grown[i] = 0; /* unknown: keep none */
    t->marks = grown;
  }
  t->marks[savepoint] = t->pending_count;
  t->marks_count = savepoint + 1;
  return SQLITE_OK;
}

static int enum_rollback_to(sqlite3_vtab *vtab, int savepoint) {
  enum_table *t = (enum_table *)vtab;
  undo(t, savepoint >= 0 && savepoint < t->marks_count ? t->marks[savepoint] : 0);
  return SQLITE_OK;
}

static int enum_shadow_name(const char *suffix) { return dynenum_is_members_suffix(suffix); }

/* PRAGMA integrity_check and quick_check (SQLite 3.44 and newer): the checks
** every reader makes, on a scratch copy.  A problem is reported through
** *message, and SQLite lists it; only a failure to check is an error. */
static int enum_integrity(sqlite3_vtab *vtab, const char *schema, const char *table, int flags, char **message) {
  enum_table *t = (enum_table *)vtab;
  char *error = NULL;
  (void)flags; /* quick_check too: reading the members is the check */
  int rc = dynenum_verify_enum(t->connection->db, schema, table, &error);
  if (rc == SQLITE_CORRUPT) {
    *message = error;
    return SQLITE_OK;
  }
  sqlite3_free(error);
  return rc;
}

/* The module's slots, one line each, named once for both layouts below. */
#define ENUM_MODULE_SLOTS                                                            \
  .iVersion = 4,             /* for xSavepoint..xRollbackTo, xShadowName, xIntegrity */ \
  .xCreate = enum_create,    /* validates, makes and fills the shadow table */      \
  .xConnect = enum_connect,                                                         \
  .xBestIndex = enum_best_index, /* ordinal = ? */                                  \
  .xDisconnect = enum_disconnect,                                                   \
  .xDestroy = enum_destroy,  /* drops the shadow table */                           \
  .xOpen = enum_open,                                                               \
  .xClose = enum_close,                                                             \
  .xFilter = enum_filter,                                                           \
  .xNext = enum_next,                                                               \
  .xEof = enum_eof,                                                                 \
  .xColumn = enum_column,                                                           \
  .xRowid = enum_rowid,      /* the ordinal */                                      \
  .xUpdate = enum_update,    /* INSERT only */                                      \
  .xBegin = enum_begin,                                                              \
  .xSync = enum_sync,        /* writes the key table, SPEC section 12.6 */           \
  .xCommit = enum_commit,    /* also forgets the prepared INSERT */                 \
  .xRollback = enum_rollback,                                                       \
  .xRename = enum_rename,                                                           \
  .xSavepoint = enum_savepoint, /* see enum_savepoint; no xRelease */               \
  .xRollbackTo = enum_rollback_to,                                                  \
  .xShadowName = enum_shadow_name

/* SQLite 3.44 added xIntegrity at the end of sqlite3_module, read from
** modules of iVersion 4 or more.  Built against older headers, the binding
** lays that slot out itself, right after the struct, so one build checks
** enums wherever SQLite is new enough to ask; older SQLite reads no further
** than xShadowName.  This is the one place the two layouts differ. */
#if SQLITE_VERSION_NUMBER >= 3044000
static const sqlite3_module enum_module = {ENUM_MODULE_SLOTS, .xIntegrity = enum_integrity};
const sqlite3_module *const dynenum_enum_module = &enum_module;
#else
static const struct {
  sqlite3_module base;
  int (*xIntegrity)(sqlite3_vtab *, const char *, const char *, int, char **);
} enum_module = {{ENUM_MODULE_SLOTS}, enum_integrity};
const sqlite3_module *const dynenum_enum_module = &enum_module.base;
#endif
