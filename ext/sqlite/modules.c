/*
** sqlite/modules.c: the two virtual table modules.
**
** 1. dynenum: an enum defined in the database.
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
**    Each argument is NAME or NAME = 'value'.  NAME is a bare word (ASCII
**    letters, digits, '_', '-' and any non-ASCII character) or a
**    double-quoted identifier; the value is a single-quoted SQL string.  A
**    member without a value has the key of its name as value.  The rules for
**    names, values and collisions are the core's (dynenum_enum_add, and for
**    the members CREATE and INSERT make, dynenum_enum_check_new_member).
**
**    The members live in the shadow table "<name>_members"(ordinal INTEGER
**    PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL), declared through
**    xShadowName so that defensive connections cannot write it directly.
**    A scan lists the connection's copy after comparing it with every row
**    of the shadow table, so it shows what the current transaction sees and
**    refuses what the functions refuse.  INSERT appends a member whose value
**    is the key of its name (any other explicit value is refused), so adding a
**    member never changes what any input resolves to; UPDATE and DELETE are
**    refused because they would orphan stored data.  INSERT OR IGNORE skips a
**    name that is already a member.
**
** 2. dynenum_members: an eponymous, read-only catalog of every real member of
**    every enum the connection can see, with columns enum, ordinal, name,
**    value and the hidden column schema.  A constraint enum = '...' (and
**    schema = '...') narrows the search to that enum instead of reading all.
**
** Both modules are SQLITE_VTAB_INNOCUOUS: reading an enum has no side
** effect, and the one write, appending a member, changes only the database
** itself, like an INSERT into any table, and by design cannot change the
** result of any resolution.  So views and triggers of a database whose schema
** is not trusted may use them.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <stdarg.h>
#include <string.h>

/* Column numbers of the dynenum module's declared table. */
#define ENUM_COLUMN_ORDINAL 0
#define ENUM_COLUMN_NAME 1
#define ENUM_COLUMN_VALUE 2

typedef struct enum_table {
  sqlite3_vtab base;
  sqlite3 *db;
  dynenum_connection *connection;
  char *schema;
  char *name; /* the table's name, as declared */
  /* Set once this transaction has written the members table: from then on
  ** it holds the write lock, so no other connection can change the enum,
  ** and as long as this one changes no row but through the module, the
  ** cached copy needs no verifying against the file (a verification reads
  ** every row).  The count of changes tells: since the last verification
  ** (verified_changes), each of the added inserts counted once when its
  ** members row was written, and counts once more when the INSERT
  ** statement that made it ends; so without another change the count is at
  ** most verified_changes + 2 * added.  A members table written directly in
  ** the same transaction is noticed by the next INSERT statement.  Cleared
  ** when the transaction (or a savepoint rollback) ends. */
  int writing;
  long long verified_changes; /* sqlite3_total_changes() then */
  long long added;
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

/* ---- Parsing the arguments of CREATE VIRTUAL TABLE ---------------------- */

typedef struct member_definition {
  char *name; /* sqlite3_malloc'd, unquoted */
  size_t name_len;
  char *value; /* NULL when the definition has none */
  size_t value_len;
} member_definition;

static int is_bare_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c >= 0x80;
}

static const char *skip_blanks(const char *z) {
  while (*z == ' ' || (*z >= '\t' && *z <= '\r')) z++;
  return z;
}

/* Reads a string quoted with q (which is doubled inside it) starting at *z,
** which points at the opening quote.  Returns the unquoted copy, or NULL
** (with *ok cleared when the quote is never closed). */
static char *read_quoted(const char **z, char q, size_t *len, int *ok) {
  const char *p = *z + 1;
  size_t n = 0;
  char *out = sqlite3_malloc64(strlen(p) + 1);
  if (!out) return NULL;
  for (;;) {
    if (!*p) {
      sqlite3_free(out);
      *ok = 0;
      return NULL;
    }
    if (*p == q) {
      if (p[1] != q) break;
      p++;
    }
    out[n++] = *p++;
  }
  out[n] = 0;
  *len = n;
  *z = p + 1;
  return out;
}

/* Parses one member definition.  SQLITE_OK, SQLITE_NOMEM, or SQLITE_ERROR
** when the text is not NAME or NAME = 'value'. */
static int parse_definition(const char *arg, member_definition *d) {
  const char *z = skip_blanks(arg);
  int ok = 1;
  memset(d, 0, sizeof *d);
  if (*z == '"') {
    d->name = read_quoted(&z, '"', &d->name_len, &ok);
  } else {
    const char *start = z;
    while (is_bare_word_byte((unsigned char)*z)) z++;
    if (z == start) return SQLITE_ERROR;
    d->name_len = (size_t)(z - start);
    d->name = sqlite3_mprintf("%.*s", (int)d->name_len, start);
  }
  if (!d->name) return ok ? SQLITE_NOMEM : SQLITE_ERROR;
  z = skip_blanks(z);
  if (*z == '=') {
    z = skip_blanks(z + 1);
    if (*z != '\'') return SQLITE_ERROR;
    d->value = read_quoted(&z, '\'', &d->value_len, &ok);
    if (!d->value) return ok ? SQLITE_NOMEM : SQLITE_ERROR;
    z = skip_blanks(z);
  }
  return *z ? SQLITE_ERROR : SQLITE_OK;
}

static void free_definition(member_definition *d) {
  sqlite3_free(d->name);
  sqlite3_free(d->value);
}

/* ---- The dynenum module ------------------------------------------------- */

/* Sets the table's error message (taking over message) and returns rc;
** SQLITE_NOMEM when the message could not be made. */
static int vtab_error(sqlite3_vtab *vtab, int rc, char *message) {
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = message;
  return message ? rc : SQLITE_NOMEM;
}


static const char enum_table_schema[] =
    "CREATE TABLE x(ordinal INTEGER, name TEXT COLLATE DYNENUM, value TEXT COLLATE DYNENUM)";

/* Runs one statement of SQL made from format; SQLITE_OK or sets *error. */
static int run_sql(sqlite3 *db, char **error, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  char *sql = sqlite3_vmprintf(format, ap);
  va_end(ap);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM && error) *error = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  return rc;
}

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
  t->db = db;
  t->connection = aux;
  t->schema = sqlite3_mprintf("%s", argv[1]);
  t->name = sqlite3_mprintf("%s", argv[2]);
  if (!t->schema || !t->name) {
    sqlite3_free(t->schema);
    sqlite3_free(t->name);
    sqlite3_free(t);
    return SQLITE_NOMEM;
  }
  *out = &t->base;
  return SQLITE_OK;
}

/* Validates every definition with a scratch core enum, then creates the
** shadow table and writes the members to it. */
static int enum_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                       char **error) {
  const char *schema = argv[1], *name = argv[2];
  dynenum_enum *scratch;
  sqlite3_stmt *insert = NULL;
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
  int rc = dynenum_enum_new(&dynenum_sqlite_config, name, strlen(name), &scratch);
  if (rc != DYNENUM_OK) return SQLITE_NOMEM;
  for (int i = 3; i < argc && rc == SQLITE_OK; i++) {
    member_definition d;
    dynenum_error err;
    rc = parse_definition(argv[i], &d);
    if (rc == SQLITE_ERROR) {
      /* The argument often holds quotes itself, so it comes last, unquoted. */
      char shown[DYNENUM_QUOTE_SIZE];
      dynenum_quote(shown, sizeof shown, argv[i], strlen(argv[i]));
      *error = sqlite3_mprintf("dynenum: cannot parse argument %d of enum '%s' (expected NAME or NAME = 'value'): %s",
                               i - 2, dynenum_enum_label(scratch), shown);
    } else if (rc == SQLITE_OK) {
      int added = dynenum_enum_check_new_member(scratch, d.name, d.name_len, d.value, d.value_len, &err);
      if (added == DYNENUM_OK) added = dynenum_enum_add(scratch, d.name, d.name_len, d.value, d.value_len, NULL, &err);
      if (added == DYNENUM_NOMEM) rc = SQLITE_NOMEM;
      else if (added != DYNENUM_OK) {
        *error = sqlite3_mprintf("dynenum: %s", err.message);
        rc = SQLITE_ERROR;
      }
    }
    free_definition(&d);
  }
  if (rc == SQLITE_OK) {
    rc = run_sql(db, NULL,
                 "CREATE TABLE \"%w\".\"%w_" DYNENUM_SHADOW_SUFFIX
                 "\"(ordinal INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL)",
                 schema, name);
    if (rc != SQLITE_OK && rc != SQLITE_NOMEM) {
      *error = sqlite3_mprintf("dynenum: cannot create enum '%s': %s", dynenum_enum_label(scratch), sqlite3_errmsg(db));
    }
  }
  if (rc == SQLITE_OK) {
    char *sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w_" DYNENUM_SHADOW_SUFFIX "\"(ordinal, name, value) VALUES (?1, ?2, ?3)",
                                schema, name);
    rc = sql ? sqlite3_prepare_v2(db, sql, -1, &insert, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
  }
  size_t count = rc == SQLITE_OK ? dynenum_enum_size(scratch) : 0;
  for (size_t i = 0; i < count && rc == SQLITE_OK; i++) {
    const dynenum_member *m = dynenum_enum_member(scratch, i);
    sqlite3_bind_int64(insert, 1, m->ordinal);
    sqlite3_bind_text64(insert, 2, m->name, m->name_len, SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_text64(insert, 3, m->value, m->value_len, SQLITE_STATIC, SQLITE_UTF8);
    if (sqlite3_step(insert) == SQLITE_ROW) continue; /* cannot happen: INSERT returns no row */
    rc = sqlite3_reset(insert); /* the step's result */
    if (rc != SQLITE_OK && rc != SQLITE_NOMEM) *error = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  }
  sqlite3_finalize(insert);
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
  int rc = dynenum_members_table_problem(t->db, t->schema, t->name, &problem);
  if (rc != SQLITE_OK) return rc;
  int ours = !problem || strcmp(problem, DYNENUM_MEMBERS_COLUMNS) == 0;
  rc = ours ? run_sql(t->db, NULL, "DROP TABLE IF EXISTS \"%w\".\"%w_" DYNENUM_SHADOW_SUFFIX "\"", t->schema, t->name)
            : SQLITE_OK;
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
  char *error = NULL;
  char *qualified = sqlite3_mprintf("%s.%s", t->schema, t->name);
  if (!qualified) return SQLITE_NOMEM;
  /* A whole scan reads the members table anyway: verify it.  A look-up by
  ** ordinal trusts the copy as far as the functions do. */
  int rc = dynenum_connection_enum(t->connection, qualified, strlen(qualified), idx_num != 1, &c->e, &error);
  sqlite3_free(qualified);
  if (rc != SQLITE_OK) return error ? vtab_error(&t->base, rc, error) : rc;
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
  if (column == ENUM_COLUMN_ORDINAL) sqlite3_result_int64(ctx, m->ordinal);
  else if (column == ENUM_COLUMN_NAME) sqlite3_result_text64(ctx, m->name, m->name_len, SQLITE_TRANSIENT, SQLITE_UTF8);
  else sqlite3_result_text64(ctx, m->value, m->value_len, SQLITE_TRANSIENT, SQLITE_UTF8);
  return SQLITE_OK;
}

static int enum_rowid(sqlite3_vtab_cursor *cursor, sqlite_int64 *rowid) {
  *rowid = ((enum_cursor *)cursor)->member->ordinal;
  return SQLITE_OK;
}

/* Adds a member.  argv[2..4] are the new row's ordinal, name and value. */
static int enum_insert(enum_table *t, sqlite3_value **argv, sqlite_int64 *rowid) {
  sqlite3_value *ordinal = argv[2 + ENUM_COLUMN_ORDINAL];
  sqlite3_value *name = argv[2 + ENUM_COLUMN_NAME];
  sqlite3_value *value = argv[2 + ENUM_COLUMN_VALUE];
  char shown_enum[DYNENUM_QUOTE_SIZE];
  dynenum_quote(shown_enum, sizeof shown_enum, t->name, strlen(t->name));
  if (sqlite3_value_type(name) != SQLITE_TEXT) {
    char *what = dynenum_describe_value(name);
    if (!what) return SQLITE_NOMEM;
    int rc = vtab_error(&t->base, SQLITE_CONSTRAINT,
                        sqlite3_mprintf("dynenum: a member's name must be text, not %s, in enum '%s'", what, shown_enum));
    sqlite3_free(what);
    return rc;
  }
  const char *name_text = (const char *)sqlite3_value_text(name);
  size_t name_len = (size_t)sqlite3_value_bytes(name);
  if (!name_text) return SQLITE_NOMEM;
  /* Not SQLITE_CONSTRAINT: an OR IGNORE in the trigger must not hide it. */
  if (t->adding) {
    return vtab_error(&t->base, SQLITE_ERROR,
                      sqlite3_mprintf("dynenum: cannot add a member to enum '%s' while adding another one (a trigger on "
                                      "its members table?)",
                                      shown_enum));
  }

  dynenum_enum *e;
  char *error = NULL;
  char *qualified = sqlite3_mprintf("%s.%s", t->schema, t->name);
  if (!qualified) return SQLITE_NOMEM;
  /* A write must never trust a cached copy: verify against the file, unless
  ** this transaction already holds the write lock (see enum_table). */
  long long changes = sqlite3_total_changes(t->db);
  int trusted = t->writing && changes >= t->verified_changes + t->added &&
                changes <= t->verified_changes + 2 * t->added;
  int rc = dynenum_connection_enum(t->connection, qualified, strlen(qualified), !trusted, &e, &error);
  sqlite3_free(qualified);
  if (rc != SQLITE_OK) return error ? vtab_error(&t->base, rc, error) : rc;

  /* A member added later is a name that was in use as a dynamic member, so
  ** it must be a valid dynamic name: then nothing that resolved before
  ** resolves differently after.  Being new, it must not look like another
  ** (its value, the key of its name, follows the name). */
  dynenum_error err;
  if (dynenum_enum_check_name(e, name_text, name_len, &err) != DYNENUM_OK ||
      dynenum_enum_check_new_member(e, name_text, name_len, NULL, 0, &err) != DYNENUM_OK) {
    dynenum_enum_release(e);
    return vtab_error(&t->base, SQLITE_CONSTRAINT, sqlite3_mprintf("dynenum: %s", err.message));
  }

  /* The value of an added member is always the key of its name (which fits
  ** the buffer: the name was checked). */
  char key[DYNENUM_MAX_KEY_BYTES];
  size_t key_len = dynenum_key(name_text, name_len, key, sizeof key);
  if (sqlite3_value_type(value) != SQLITE_NULL &&
      (sqlite3_value_type(value) != SQLITE_TEXT || (size_t)sqlite3_value_bytes(value) != key_len ||
       memcmp(sqlite3_value_text(value), key, key_len) != 0)) {
    char shown_name[DYNENUM_QUOTE_SIZE], shown_key[DYNENUM_QUOTE_SIZE];
    dynenum_quote(shown_name, sizeof shown_name, name_text, name_len);
    dynenum_quote(shown_key, sizeof shown_key, key, key_len);
    dynenum_enum_release(e);
    return vtab_error(&t->base, SQLITE_CONSTRAINT,
                      sqlite3_mprintf("dynenum: member '%s' added to enum '%s' must have the value '%s', the key of its "
                                      "name, or none",
                                      shown_name, shown_enum, shown_key));
  }

  sqlite_int64 next = (sqlite_int64)dynenum_enum_size(e) + 1;
  for (int i = 0; i < 2; i++) {
    sqlite3_value *given = i ? ordinal : argv[1];
    if (sqlite3_value_type(given) != SQLITE_NULL &&
        (sqlite3_value_numeric_type(given) != SQLITE_INTEGER || sqlite3_value_int64(given) != next)) {
      const char *given_text = (const char *)sqlite3_value_text(given);
      char shown_given[DYNENUM_QUOTE_SIZE];
      dynenum_quote(shown_given, sizeof shown_given, given_text ? given_text : "", given_text ? strlen(given_text) : 0);
      dynenum_enum_release(e);
      return vtab_error(&t->base, SQLITE_CONSTRAINT,
                        sqlite3_mprintf("dynenum: cannot give the new member of enum '%s' the ordinal %s: the next "
                                        "ordinal is %lld",
                                        shown_enum, shown_given, next));
    }
  }

  const dynenum_member *m;
  int added = dynenum_enum_add(e, name_text, name_len, NULL, 0, &m, &err);
  if (added != DYNENUM_OK) {
    dynenum_enum_release(e);
    if (added == DYNENUM_NOMEM) return SQLITE_NOMEM;
    /* SQLITE_CONSTRAINT before any change: SQLite applies OR IGNORE etc. */
    return vtab_error(&t->base, SQLITE_CONSTRAINT, sqlite3_mprintf("dynenum: %s", err.message));
  }

  rc = SQLITE_OK;
  if (!t->insert) {
    char *sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w_" DYNENUM_SHADOW_SUFFIX "\"(ordinal, name, value) VALUES (?1, ?2, ?3)",
                                t->schema, t->name);
    rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &t->insert, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    /* An authorizer may refuse the write: say whose and why. */
    if (rc != SQLITE_OK && rc != SQLITE_NOMEM) {
      vtab_error(&t->base, rc,
                 sqlite3_mprintf("dynenum: cannot add a member to enum '%s': %s (dynenum writes its members table)",
                                 shown_enum, sqlite3_errmsg(t->db)));
    }
  }
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(t->insert, 1, m->ordinal);
    sqlite3_bind_text64(t->insert, 2, m->name, m->name_len, SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_text64(t->insert, 3, m->value, m->value_len, SQLITE_STATIC, SQLITE_UTF8);
    long long before = sqlite3_total_changes(t->db);
    t->adding = 1;
    rc = sqlite3_step(t->insert);
    t->adding = 0;
    if (rc == SQLITE_DONE) {
      /* An authorizer answering SQLITE_IGNORE makes the INSERT write
      ** nothing and succeed: the member would exist only in memory.  (The
      ** count may grow by more than the row: triggers' changes count.) */
      rc = sqlite3_total_changes(t->db) > before ? SQLITE_OK : SQLITE_ERROR;
      if (rc != SQLITE_OK) {
        vtab_error(&t->base, rc,
                   sqlite3_mprintf("dynenum: cannot add a member to enum '%s': its members table was not written (an "
                                   "authorizer that ignores the write?)",
                                   shown_enum));
      }
    } else if (rc != SQLITE_NOMEM) {
      vtab_error(&t->base, rc, sqlite3_mprintf("%s", sqlite3_errmsg(t->db)));
    }
    sqlite3_reset(t->insert);
    sqlite3_clear_bindings(t->insert); /* the bound strings are the member's */
  }
  *rowid = m->ordinal;
  if (rc != SQLITE_OK) {
    /* The cached copy holds a member the file does not: forget it. */
    dynenum_enum_release(e);
    dynenum_connection_changed(t->connection, 0);
    return rc;
  }
  t->connection->generation++;
  dynenum_connection_touch(t->connection, e);
  dynenum_enum_release(e);
  if (!trusted) {
    t->writing = 1;
    t->verified_changes = changes;
    t->added = 0;
  }
  t->added++;
  return SQLITE_OK;
}

static int enum_update(sqlite3_vtab *vtab, int argc, sqlite3_value **argv, sqlite_int64 *rowid) {
  enum_table *t = (enum_table *)vtab;
  char shown[DYNENUM_QUOTE_SIZE];
  if (argc > 1 && sqlite3_value_type(argv[0]) == SQLITE_NULL) return enum_insert(t, argv, rowid);
  dynenum_quote(shown, sizeof shown, t->name, strlen(t->name));
  return vtab_error(vtab, SQLITE_CONSTRAINT,
                    sqlite3_mprintf("dynenum: cannot %s members of enum '%s': a member, once added, is never changed or "
                                    "removed",
                                    argc == 1 ? "delete" : "update", shown));
}

static int enum_rename(sqlite3_vtab *vtab, const char *new_name) {
  enum_table *t = (enum_table *)vtab;
  char *renamed = sqlite3_mprintf("%s", new_name);
  if (!renamed) return SQLITE_NOMEM;
  int rc = run_sql(t->db, &t->base.zErrMsg,
                   "ALTER TABLE \"%w\".\"%w_" DYNENUM_SHADOW_SUFFIX "\" RENAME TO \"%w_" DYNENUM_SHADOW_SUFFIX "\"",
                   t->schema, t->name, new_name);
  if (rc != SQLITE_OK) {
    sqlite3_free(renamed);
    return rc;
  }
  sqlite3_free(t->name);
  t->name = renamed;
  sqlite3_finalize(t->insert); /* it names the old members table */
  t->insert = NULL;
  dynenum_connection_changed(t->connection, 1);
  return SQLITE_OK;
}

/* Transactions: the file is SQLite's business; the cache must forget
** whatever a rollback undid. */
static int enum_sync(sqlite3_vtab *vtab) {
  (void)vtab;
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
  ((enum_table *)vtab)->writing = 0;
  return SQLITE_OK;
}

static int enum_commit(sqlite3_vtab *vtab) {
  ((enum_table *)vtab)->writing = 0;
  forget_insert((enum_table *)vtab);
  return SQLITE_OK;
}

static int enum_rollback(sqlite3_vtab *vtab) {
  ((enum_table *)vtab)->writing = 0;
  forget_insert((enum_table *)vtab);
  dynenum_connection_changed(((enum_table *)vtab)->connection, 0);
  return SQLITE_OK;
}

static int enum_savepoint(sqlite3_vtab *vtab, int savepoint) {
  (void)vtab;
  (void)savepoint;
  return SQLITE_OK;
}

static int enum_rollback_to(sqlite3_vtab *vtab, int savepoint) {
  (void)savepoint;
  return enum_rollback(vtab);
}

static int enum_shadow_name(const char *suffix) { return sqlite3_stricmp(suffix, DYNENUM_SHADOW_SUFFIX) == 0; }

/* PRAGMA integrity_check and quick_check (SQLite 3.44 and newer): the checks
** every reader makes, on a scratch copy.  A problem is reported through
** *message, and SQLite lists it; only a failure to check is an error. */
static int enum_integrity(sqlite3_vtab *vtab, const char *schema, const char *table, int flags, char **message) {
  enum_table *t = (enum_table *)vtab;
  char *error = NULL;
  (void)flags; /* quick_check too: reading the members is the check */
  int rc = dynenum_verify_enum(t->db, schema, table, &error);
  if (rc == SQLITE_CORRUPT) {
    *message = error;
    return SQLITE_OK;
  }
  sqlite3_free(error);
  return rc;
}

/* SQLite 3.44 added xIntegrity at the end of sqlite3_module, read from
** modules of iVersion 4 or more.  Built against older headers, the binding
** lays the slot out itself, so one build checks enums wherever SQLite is
** new enough to ask; older SQLite reads no further than xShadowName. */
#if SQLITE_VERSION_NUMBER >= 3044000
#define ENUM_MODULE(m) (m)
static const sqlite3_module enum_module = {
#else
#define ENUM_MODULE(m) ((m).base)
static const struct {
  sqlite3_module base;
  int (*xIntegrity)(sqlite3_vtab *, const char *, const char *, int, char **);
} enum_module = {
    .xIntegrity = enum_integrity,
    .base = {
#endif
    .iVersion = 4, /* for xShadowName and xIntegrity */
    .xCreate = enum_create, /* validates, makes and fills the shadow table */
    .xConnect = enum_connect,
    .xBestIndex = enum_best_index, /* ordinal = ? */
    .xDisconnect = enum_disconnect,
    .xDestroy = enum_destroy, /* drops the shadow table */
    .xOpen = enum_open,
    .xClose = enum_close,
    .xFilter = enum_filter,
    .xNext = enum_next,
    .xEof = enum_eof,
    .xColumn = enum_column,
    .xRowid = enum_rowid, /* the ordinal */
    .xUpdate = enum_update, /* INSERT only */
    .xBegin = enum_begin,
    .xSync = enum_sync, /* the shadow table is written through SQLite */
    .xCommit = enum_commit, /* also forgets the prepared INSERT */
    .xRollback = enum_rollback,
    .xRename = enum_rename,
    .xSavepoint = enum_savepoint,
    .xRelease = enum_savepoint,
    .xRollbackTo = enum_rollback_to,
    .xShadowName = enum_shadow_name,
#if SQLITE_VERSION_NUMBER >= 3044000
    .xIntegrity = enum_integrity,
#else
    },
#endif
};

/* ---- The dynenum_members catalog ---------------------------------------- */

#define CATALOG_COLUMN_ENUM 0
#define CATALOG_COLUMN_ORDINAL 1
#define CATALOG_COLUMN_NAME 2
#define CATALOG_COLUMN_VALUE 3
#define CATALOG_COLUMN_SCHEMA 4

/* idxNum bits: which of xFilter's arguments are present, in this order. */
#define CATALOG_BY_ENUM 1
#define CATALOG_BY_SCHEMA 2

typedef struct catalog_table {
  sqlite3_vtab base;
  sqlite3 *db;
  dynenum_connection *connection;
} catalog_table;

/* One enum the scan will list: the connection's copy, verified when the
** scan began (so the catalog fails where the functions and a scan of the
** enum fail), and how many members it had then: rows an INSERT ... SELECT
** adds while the scan runs are not listed, so such a statement cannot feed
** on its own output. */
typedef struct catalog_entry {
  char *schema;
  char *name;
  dynenum_enum *e; /* a reference */
  size_t count;
} catalog_entry;

typedef struct catalog_cursor {
  sqlite3_vtab_cursor base;
  catalog_entry *entries;
  int count, entry;     /* entries[entry] is being listed */
  size_t next_member;   /* of that entry, the one after the current */
  const dynenum_member *member; /* the current row; NULL at the end */
  sqlite_int64 rowid;
} catalog_cursor;

static int catalog_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                           char **error) {
  (void)argc;
  (void)argv;
  (void)error;
  int rc = sqlite3_declare_vtab(db,
                                "CREATE TABLE x(enum TEXT COLLATE NOCASE, ordinal INTEGER, name TEXT COLLATE DYNENUM, "
                                "value TEXT COLLATE DYNENUM, schema TEXT HIDDEN)");
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  catalog_table *t = sqlite3_malloc64(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  t->db = db;
  t->connection = aux;
  *out = &t->base;
  return SQLITE_OK;
}

static int catalog_disconnect(sqlite3_vtab *vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

static int catalog_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  int next_arg = 1, by_enum = -1, by_schema = -1;
  (void)vtab;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (c->iColumn == CATALOG_COLUMN_ENUM && by_enum < 0) by_enum = i;
    if (c->iColumn == CATALOG_COLUMN_SCHEMA && by_schema < 0) by_schema = i;
  }
  info->idxNum = 0;
  info->estimatedCost = 100000;
  /* SQLite checks enum = ? again (omit stays 0): the filter only narrows the
  ** search.  The hidden schema column loses its declared collation in SQLite
  ** 3.40, so the filter alone decides it, case-insensitively like schema
  ** names. */
  if (by_enum >= 0) {
    info->aConstraintUsage[by_enum].argvIndex = next_arg++;
    info->idxNum |= CATALOG_BY_ENUM;
    info->estimatedCost = 100;
  }
  if (by_schema >= 0) {
    info->aConstraintUsage[by_schema].argvIndex = next_arg++;
    info->aConstraintUsage[by_schema].omit = 1;
    info->idxNum |= CATALOG_BY_SCHEMA;
    info->estimatedCost /= 10;
  }
  return SQLITE_OK;
}

static int catalog_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **out) {
  catalog_cursor *c = sqlite3_malloc64(sizeof *c);
  (void)vtab;
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static void catalog_reset(catalog_cursor *c) {
  for (int i = 0; i < c->count; i++) {
    sqlite3_free(c->entries[i].schema);
    sqlite3_free(c->entries[i].name);
    dynenum_enum_release(c->entries[i].e);
  }
  sqlite3_free(c->entries);
  c->entries = NULL;
  c->count = c->entry = 0;
  c->next_member = 0;
  c->member = NULL;
  c->rowid = 0;
}

static int catalog_close(sqlite3_vtab_cursor *cursor) {
  catalog_reset((catalog_cursor *)cursor);
  sqlite3_free(cursor);
  return SQLITE_OK;
}

static int catalog_error(sqlite3_vtab_cursor *cursor, int rc) {
  catalog_table *t = (catalog_table *)cursor->pVtab;
  /* A message already set in this call is the one to keep: SQLite takes
  ** and clears the table's message after every failed call. */
  if (rc == SQLITE_NOMEM || t->base.zErrMsg) return rc;
  sqlite3_free(t->base.zErrMsg);
  t->base.zErrMsg = sqlite3_mprintf("%s", sqlite3_errmsg(t->db));
  return rc;
}

/* Moves to the next member of the snapshot. */
static int catalog_next(sqlite3_vtab_cursor *cursor) {
  catalog_cursor *c = (catalog_cursor *)cursor;
  c->member = NULL;
  while (c->entry < c->count) {
    const catalog_entry *e = &c->entries[c->entry];
    if (c->next_member < e->count) {
      c->member = dynenum_enum_member(e->e, c->next_member++);
      c->rowid++;
      return SQLITE_OK;
    }
    c->entry++;
    c->next_member = 0;
  }
  return SQLITE_OK;
}

/* Adds the enum schema.name to the snapshot: the connection's copy, verified
** against its members table. */
static int catalog_add_entry(catalog_cursor *c, catalog_table *t, const char *schema, const char *name) {
  catalog_entry *grown = sqlite3_realloc64(c->entries, sizeof *grown * (size_t)(c->count + 1));
  if (!grown) return SQLITE_NOMEM;
  c->entries = grown;
  catalog_entry *e = &c->entries[c->count];
  memset(e, 0, sizeof *e);
  e->schema = sqlite3_mprintf("%s", schema);
  e->name = sqlite3_mprintf("%s", name);
  c->count++;
  char *qualified = sqlite3_mprintf("%s.%s", schema, name);
  if (!e->schema || !e->name || !qualified) {
    sqlite3_free(qualified);
    return SQLITE_NOMEM;
  }
  char *error = NULL;
  int rc = dynenum_connection_enum(t->connection, qualified, strlen(qualified), 1, &e->e, &error);
  sqlite3_free(qualified);
  if (rc != SQLITE_OK) return error ? vtab_error(&t->base, rc, error) : rc;
  e->count = dynenum_enum_size(e->e);
  return SQLITE_OK;
}

/* Takes the snapshot of the enums to list: every schema's (or the one asked
** for) in the order PRAGMA database_list gives the schemas, then by name. */
static int catalog_filter(sqlite3_vtab_cursor *cursor, int idx_num, const char *idx_str, int argc,
                          sqlite3_value **argv) {
  catalog_cursor *c = (catalog_cursor *)cursor;
  catalog_table *t = (catalog_table *)cursor->pVtab;
  sqlite3_stmt *schemas = NULL, *tables = NULL;
  int rc, arg = 0;
  (void)idx_str;
  (void)argc;
  catalog_reset(c);
  sqlite3_value *wanted_enum = (idx_num & CATALOG_BY_ENUM) ? argv[arg++] : NULL;
  sqlite3_value *wanted_schema = (idx_num & CATALOG_BY_SCHEMA) ? argv[arg++] : NULL;
  const char *schema_text = wanted_schema ? (const char *)sqlite3_value_text(wanted_schema) : NULL;

  /* The PRAGMA, not pragma_database_list: see list_schemas. */
  rc = sqlite3_prepare_v2(t->db, "PRAGMA database_list", -1, &schemas, NULL);
  while (rc == SQLITE_OK) {
    rc = sqlite3_step(schemas);
    if (rc != SQLITE_ROW) break;
    const char *schema = (const char *)sqlite3_column_text(schemas, 1);
    if (wanted_schema && (!schema_text || sqlite3_stricmp(schema, schema_text) != 0)) {
      rc = SQLITE_OK;
      continue;
    }
    /* dynenum_is_enum_sql decides: SQL allows any space and comments
    ** between the words, which a LIKE pattern would miss. */
    char *sql = sqlite3_mprintf("SELECT name, sql FROM \"%w\".sqlite_schema WHERE type = 'table'%s ORDER BY name",
                                schema, wanted_enum ? " AND name = ?1 COLLATE NOCASE" : "");
    rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &tables, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc == SQLITE_OK && wanted_enum) rc = sqlite3_bind_value(tables, 1, wanted_enum);
    while (rc == SQLITE_OK && (rc = sqlite3_step(tables)) == SQLITE_ROW) {
      rc = SQLITE_OK;
      if (dynenum_is_enum_sql((const char *)sqlite3_column_text(tables, 1))) {
        rc = catalog_add_entry(c, t, schema, (const char *)sqlite3_column_text(tables, 0));
      }
    }
    /* Take the message now: finalizing resets the connection's. */
    if (rc != SQLITE_DONE) rc = catalog_error(cursor, rc);
    sqlite3_finalize(tables);
    tables = NULL;
    if (rc != SQLITE_DONE) {
      sqlite3_finalize(schemas);
      return rc;
    }
    rc = SQLITE_OK;
  }
  if (rc != SQLITE_DONE) rc = catalog_error(cursor, rc); /* as above */
  sqlite3_finalize(schemas);
  if (rc != SQLITE_DONE) return rc;
  return catalog_next(cursor);
}

static int catalog_eof(sqlite3_vtab_cursor *cursor) { return ((catalog_cursor *)cursor)->member == NULL; }

static int catalog_column(sqlite3_vtab_cursor *cursor, sqlite3_context *ctx, int column) {
  const catalog_cursor *c = (const catalog_cursor *)cursor;
  const catalog_entry *e = &c->entries[c->entry];
  const dynenum_member *m = c->member;
  switch (column) {
    case CATALOG_COLUMN_ENUM: sqlite3_result_text(ctx, e->name, -1, SQLITE_TRANSIENT); break;
    case CATALOG_COLUMN_ORDINAL: sqlite3_result_int64(ctx, m->ordinal); break;
    case CATALOG_COLUMN_NAME: sqlite3_result_text64(ctx, m->name, m->name_len, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case CATALOG_COLUMN_VALUE: sqlite3_result_text64(ctx, m->value, m->value_len, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    default: sqlite3_result_text(ctx, e->schema, -1, SQLITE_TRANSIENT); break;
  }
  return SQLITE_OK;
}

static int catalog_rowid(sqlite3_vtab_cursor *cursor, sqlite_int64 *rowid) {
  *rowid = ((catalog_cursor *)cursor)->rowid;
  return SQLITE_OK;
}

/* No xCreate, so the table is eponymous only; no xUpdate, so it is read-only. */
static const sqlite3_module catalog_module = {
    .iVersion = 0,
    .xConnect = catalog_connect,
    .xBestIndex = catalog_best_index, /* enum = ?, schema = ? */
    .xDisconnect = catalog_disconnect,
    .xOpen = catalog_open,
    .xClose = catalog_close,
    .xFilter = catalog_filter,
    .xNext = catalog_next,
    .xEof = catalog_eof,
    .xColumn = catalog_column,
    .xRowid = catalog_rowid,
};

int dynenum_register_modules(sqlite3 *db, dynenum_connection *c) {
  int rc;
  c->refs++;
  rc = sqlite3_create_module_v2(db, "dynenum", &ENUM_MODULE(enum_module), c, dynenum_connection_unref);
  if (rc == SQLITE_OK) {
    c->refs++;
    rc = sqlite3_create_module_v2(db, "dynenum_members", &catalog_module, c, dynenum_connection_unref);
  }
  return rc;
}
