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
} enum_table;

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
  sqlite3_finalize(t->insert);
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
  sqlite3_finalize(t->insert); /* it would keep the table from being dropped */
  t->insert = NULL;
  const char *problem;
  int rc = dynenum_members_table_problem(t->connection->db, t->schema, t->name, &problem);
  if (rc != SQLITE_OK) return rc;
  int ours = !problem || strcmp(problem, DYNENUM_MEMBERS_COLUMNS) == 0;
  rc = ours ? dynenum_members_run(t->connection->db, MEMBERS_DROP, t->schema, t->name, NULL) : SQLITE_OK;
  const members_statement drops[] = {ALIASES_DROP, RETIRED_DROP};
  const shadow_table tables[] = {SHADOW_ALIASES, SHADOW_RETIRED};
  for (int i = 0; i < 2 && rc == SQLITE_OK; i++) {
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
  int rc = t->insert ? SQLITE_OK : dynenum_members_prepare(db, MEMBERS_INSERT, t->schema, t->name, &t->insert);
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
  if (rc == SQLITE_OK) note_write(t, e, trusted, changes, held);
  else dynenum_connection_changed(t->connection, 0); /* the copy holds an alias the file does not */
  return rc;
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
  if (rc != SQLITE_OK) {
    sqlite3_free(renamed);
    if (rc == SQLITE_NOMEM) return rc;
    return dynenum_vtab_error(vtab, rc, sqlite3_mprintf("%s", sqlite3_errmsg(t->connection->db)));
  }
  sqlite3_free(t->name);
  t->name = renamed;
  dynenum_quote(t->shown, sizeof t->shown, t->name, strlen(t->name));
  sqlite3_finalize(t->insert); /* it names the old members table */
  t->insert = NULL;
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
  sqlite3_finalize(t->insert);
  t->insert = NULL;
}

static int enum_begin(sqlite3_vtab *vtab) {
  enum_table *t = (enum_table *)vtab;
  stop_writing(t);
  dynenum_connection_will_write(t->connection, t->schema, t->name); /* never into a shared copy */
  return SQLITE_OK;
}

static int enum_commit(sqlite3_vtab *vtab) {
  stop_writing((enum_table *)vtab);
  forget_insert((enum_table *)vtab);
  return SQLITE_OK;
}

static int enum_rollback(sqlite3_vtab *vtab) {
  stop_writing((enum_table *)vtab);
  forget_insert((enum_table *)vtab);
  dynenum_connection_changed(((enum_table *)vtab)->connection, 0);
  return SQLITE_OK;
}

/* Does nothing, and is not dead: SQLite records the savepoint level of a
** table whose transaction begins inside a savepoint only when the module
** has xSavepoint (sqlite3VtabBegin), and calls xRollbackTo only for
** savepoints at or above that level.  Without it, BEGIN; SAVEPOINT a;
** INSERT INTO e ...; ROLLBACK TO a would leave the cache holding the
** member the rollback undid.  xRelease has nothing to do, so it is NULL. */
static int enum_savepoint(sqlite3_vtab *vtab, int savepoint) {
  (void)vtab;
  (void)savepoint;
  return SQLITE_OK;
}

static int enum_rollback_to(sqlite3_vtab *vtab, int savepoint) {
  (void)savepoint;
  return enum_rollback(vtab);
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
  .xBegin = enum_begin,      /* no xSync: SQLite writes the shadow table */         \
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
