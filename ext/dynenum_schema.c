/*
** dynenum_schema.c: finding a connection's enums in its databases and
** keeping the in-memory copies fresh.
**
** An enum is a virtual table of the dynenum module; its members live in the
** shadow table "<enum>_members"(ordinal INTEGER PRIMARY KEY, name, value),
** which is the truth.  Each connection caches the enums it has used as core
** enums, so that dynenum_resolve() and friends hash-probe memory instead of
** querying the database per row.
**
** Freshness.  A cached enum records the connection's generation (bumped by
** every insert, rollback and DDL this connection makes through the module)
** and the schema's data version (SQLITE_FCNTL_DATA_VERSION, which changes
** whenever any connection commits to the file).  When both still match, the
** copy is current.  Otherwise the schema cookie tells whether the enum may
** have been dropped or re-created (then it is reloaded whole); if not,
** members are only ever appended, so reading the rows past the last known
** ordinal brings the copy up to date.  The functions check once per
** statement (they keep the enum in auxdata), which is what makes a member
** added by another connection visible from this connection's next statement.
**
** The data version is only current inside a read transaction; when the
** calling statement has none open on the enum's schema, a PRAGMA opens one
** for the check.
*/
#include "dynenum_sqlite.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* Where a cached enum came from, and the versions it was current at. */
typedef struct enum_origin {
  char *schema;          /* as PRAGMA database_list names it */
  char *table;           /* as declared */
  unsigned generation;   /* the connection's generation */
  unsigned data_version; /* SQLITE_FCNTL_DATA_VERSION of the schema */
  int schema_version;    /* PRAGMA schema_version of the schema */
} enum_origin;

static void origin_free(void *p) {
  enum_origin *o = p;
  if (!o) return;
  sqlite3_free(o->schema);
  sqlite3_free(o->table);
  sqlite3_free(o);
}

/* ---- Recognising enum tables ------------------------------------------- */

/* A token of SQL text: a bare word, a quoted name or one punctuation byte. */
typedef struct sql_token {
  const char *start;
  size_t len;
  char quote; /* the opening quote character, or 0 */
} sql_token;

static const char *skip_space_and_comments(const char *z) {
  for (;;) {
    while (*z == ' ' || (*z >= '\t' && *z <= '\r')) z++;
    if (z[0] == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (z[0] == '/' && z[1] == '*') {
      const char *end = strstr(z + 2, "*/");
      z = end ? end + 2 : z + strlen(z);
    } else {
      return z;
    }
  }
}

static int is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         c >= 0x80;
}

/* Reads the token at *z into t and advances *z; returns 0 at the end. */
static int next_token(const char **z, sql_token *t) {
  const char *p = skip_space_and_comments(*z);
  t->start = p;
  t->quote = 0;
  if (!*p) return 0;
  if (*p == '"' || *p == '\'' || *p == '`' || *p == '[') {
    char close = *p == '[' ? ']' : *p;
    t->quote = *p;
    for (p++;; p++) {
      if (!*p) break;
      if (*p == close) {
        if (close != ']' && p[1] == close) {
          p++;
          continue;
        }
        p++;
        break;
      }
    }
  } else if (is_word_byte((unsigned char)*p)) {
    while (is_word_byte((unsigned char)*p)) p++;
  } else {
    p++;
  }
  t->len = (size_t)(p - t->start);
  *z = p;
  return 1;
}

static int token_is(const sql_token *t, const char *word) {
  return !t->quote && strlen(word) == t->len && sqlite3_strnicmp(t->start, word, (int)t->len) == 0;
}

/* A module name is a bare word or a name in any of SQL's quotes. */
static int token_names(const sql_token *t, const char *word) {
  if (!t->quote) return token_is(t, word);
  size_t n = strlen(word);
  return t->len == n + 2 && sqlite3_strnicmp(t->start + 1, word, (int)n) == 0;
}

int dynenum_is_enum_sql(const char *sql) {
  sql_token t;
  if (!sql) return 0;
  if (!next_token(&sql, &t) || !token_is(&t, "create")) return 0;
  if (!next_token(&sql, &t) || !token_is(&t, "virtual")) return 0;
  if (!next_token(&sql, &t) || !token_is(&t, "table")) return 0;
  if (!next_token(&sql, &t)) return 0;
  if (token_is(&t, "if")) {
    if (!next_token(&sql, &t) || !token_is(&t, "not")) return 0;
    if (!next_token(&sql, &t) || !token_is(&t, "exists")) return 0;
    if (!next_token(&sql, &t)) return 0;
  }
  /* t is the table name, or its schema followed by '.' and the name. */
  const char *after_name = sql;
  if (next_token(&sql, &t) && t.len == 1 && !t.quote && *t.start == '.') {
    if (!next_token(&sql, &t)) return 0;
  } else {
    sql = after_name;
  }
  if (!next_token(&sql, &t) || !token_is(&t, "using")) return 0;
  return next_token(&sql, &t) && token_names(&t, "dynenum");
}

/* ---- Finding an enum by name ------------------------------------------- */

static char *ascii_lower_copy(const char *s, size_t n) {
  char *copy = sqlite3_malloc64(n + 1);
  if (!copy) return NULL;
  for (size_t i = 0; i < n; i++) copy[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
  copy[n] = 0;
  return copy;
}

static char *no_such_enum(const char *name, size_t n) {
  char shown[DYNENUM_QUOTE_SIZE];
  dynenum_quote(shown, sizeof shown, name, n);
  return sqlite3_mprintf("no such enum: '%s'", shown);
}

/* The schemas in the order SQLite searches them for an unqualified table
** name: temp, main, then the attached ones as PRAGMA database_list lists them.
** Returns an sqlite3_malloc'd array of sqlite3_malloc'd names, NULL-ended. */
static int list_schemas(sqlite3 *db, char ***out) {
  sqlite3_stmt *stmt;
  char **names = NULL;
  int n = 0, rc = sqlite3_prepare_v2(db, "SELECT name FROM pragma_database_list ORDER BY seq = 1 DESC, seq", -1,
                                     &stmt, NULL);
  *out = NULL;
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    char **grown = sqlite3_realloc64(names, sizeof *names * (size_t)(n + 2));
    char *name = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(stmt, 0));
    if (!grown || !name) {
      sqlite3_free(name);
      if (grown) names = grown;
      rc = SQLITE_NOMEM;
      break;
    }
    names = grown;
    names[n++] = name;
    names[n] = NULL;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    for (int i = 0; i < n; i++) sqlite3_free(names[i]);
    sqlite3_free(names);
    return rc == SQLITE_ROW ? SQLITE_ERROR : rc;
  }
  *out = names;
  return SQLITE_OK;
}

static void free_schemas(char **names) {
  for (int i = 0; names && names[i]; i++) sqlite3_free(names[i]);
  sqlite3_free(names);
}

/* Looks for the table called table (n bytes) in schema: SQLITE_OK with the
** declared name in *found (which is NULL if the schema has no such table),
** and *is_enum telling whether it is a dynenum table. */
static int find_table(sqlite3 *db, const char *schema, const char *table, size_t n, char **found, int *is_enum) {
  sqlite3_stmt *stmt;
  char *sql = sqlite3_mprintf("SELECT name, sql FROM \"%w\".sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE", schema);
  int rc;
  *found = NULL;
  *is_enum = 0;
  if (!sql) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_bind_text64(stmt, 1, table, n, SQLITE_STATIC, SQLITE_UTF8);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *is_enum = dynenum_is_enum_sql((const char *)sqlite3_column_text(stmt, 1));
    *found = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(stmt, 0));
    rc = *found ? SQLITE_OK : SQLITE_NOMEM;
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* Resolves name the way SQLite resolves a table name: "schema.table" when
** the part before the first '.' names an attached schema, otherwise the
** first schema (temp, main, attached) that has a table of that name, which
** must then be a dynenum table.  SQLITE_OK with *schema and *table set (both
** NULL when there is no such enum). */
static int locate_enum(sqlite3 *db, const char *name, size_t n, char **schema, char **table) {
  char **schemas;
  const char *dot = memchr(name, '.', n);
  int rc = list_schemas(db, &schemas);
  *schema = *table = NULL;
  if (rc != SQLITE_OK) return rc;
  int only = -1;
  for (int i = 0; dot && schemas[i]; i++) {
    size_t len = strlen(schemas[i]);
    if (len == (size_t)(dot - name) && sqlite3_strnicmp(schemas[i], name, (int)len) == 0) only = i;
  }
  const char *wanted = only >= 0 ? dot + 1 : name;
  size_t wanted_len = only >= 0 ? n - (size_t)(dot + 1 - name) : n;
  for (int i = only >= 0 ? only : 0; schemas[i]; i++) {
    int is_enum;
    char *found;
    rc = find_table(db, schemas[i], wanted, wanted_len, &found, &is_enum);
    if (rc != SQLITE_OK) break;
    if (found && is_enum) {
      *table = found;
      *schema = sqlite3_mprintf("%s", schemas[i]);
      if (!*schema) {
        sqlite3_free(found);
        *table = NULL;
        rc = SQLITE_NOMEM;
      }
      break;
    }
    sqlite3_free(found);
    if (found || only >= 0) break; /* the first table of that name decides */
  }
  free_schemas(schemas);
  return rc;
}

/* ---- Versions and loading ---------------------------------------------- */

/* Reads the schema's data version and schema cookie inside a read
** transaction, opening one with the PRAGMA when the caller has none. */
static int read_versions(sqlite3 *db, const char *schema, unsigned *data_version, int *schema_version) {
  sqlite3_stmt *stmt;
  char *sql = sqlite3_mprintf("PRAGMA \"%w\".schema_version", schema);
  int rc;
  if (!sql) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *schema_version = sqlite3_column_int(stmt, 0);
    *data_version = 0;
    /* While the PRAGMA's read transaction is open, the version is current. */
    rc = sqlite3_file_control(db, schema, SQLITE_FCNTL_DATA_VERSION, data_version);
    if (rc == SQLITE_NOTFOUND) rc = SQLITE_OK; /* temp before first use */
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* The fast check: true when neither this connection nor any other has
** changed anything since the enum was last brought up to date. */
static int still_fresh(dynenum_connection *c, const enum_origin *o) {
  unsigned version = 0;
  if (o->generation != c->generation) return 0;
  /* Outside a read transaction the pager's version may be stale. */
  if (sqlite3_txn_state(c->db, o->schema) <= SQLITE_TXN_NONE) return 0;
  if (sqlite3_file_control(c->db, o->schema, SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK) return 0;
  return version == o->data_version;
}

/* The result of load_members: up to date, an error, or changed under us. */
#define LOAD_RELOAD (-1)

/* Appends the members past the enum's last known ordinal.  Returns
** LOAD_RELOAD when the members it knows are no longer all there. */
static int load_members(sqlite3 *db, dynenum_enum *e, const enum_origin *o, char **error) {
  sqlite3_stmt *stmt;
  size_t known = dynenum_enum_size(e);
  char *sql = sqlite3_mprintf("SELECT ordinal, name, value FROM \"%w\".\"%w_" DYNENUM_SHADOW_SUFFIX
                              "\" WHERE ordinal >= ?1 ORDER BY ordinal",
                              o->schema, o->table);
  int rc;
  if (!sql) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) {
    *error = sqlite3_mprintf("enum '%s' has lost its members table: %s", o->table, sqlite3_errmsg(db));
    return rc;
  }
  sqlite3_bind_int64(stmt, 1, known ? (sqlite3_int64)known : 1);
  int first = 1;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    sqlite3_int64 ordinal = sqlite3_column_int64(stmt, 0);
    if (first && known) {
      first = 0;
      const dynenum_member *last = dynenum_enum_member(e, known - 1);
      const char *name = (const char *)sqlite3_column_text(stmt, 1);
      if (ordinal != (sqlite3_int64)known || !name || strcmp(name, last->name) != 0) {
        rc = LOAD_RELOAD;
        break;
      }
      continue;
    }
    first = 0;
    if (sqlite3_column_type(stmt, 1) != SQLITE_TEXT || sqlite3_column_type(stmt, 2) != SQLITE_TEXT ||
        ordinal != (sqlite3_int64)dynenum_enum_size(e) + 1) {
      *error = sqlite3_mprintf("enum '%s' is corrupt: member with ordinal %lld is malformed or out of order",
                               o->table, ordinal);
      rc = SQLITE_CORRUPT;
      break;
    }
    dynenum_error err;
    const char *name = (const char *)sqlite3_column_text(stmt, 1);
    int name_len = sqlite3_column_bytes(stmt, 1);
    const char *value = (const char *)sqlite3_column_text(stmt, 2);
    int value_len = sqlite3_column_bytes(stmt, 2);
    int added = dynenum_enum_add(e, name, (size_t)name_len, value, (size_t)value_len, NULL, &err);
    if (added == DYNENUM_NOMEM) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (added != DYNENUM_OK) {
      *error = sqlite3_mprintf("enum '%s' is corrupt: %s", o->table, err.message);
      rc = SQLITE_CORRUPT;
      break;
    }
  }
  if (rc == SQLITE_DONE && known && first) rc = LOAD_RELOAD; /* the last known member is gone */
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc != SQLITE_OK && rc != LOAD_RELOAD && !*error && rc != SQLITE_NOMEM) {
    *error = sqlite3_mprintf("cannot read enum '%s': %s", o->table, sqlite3_errmsg(db));
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* Loads the enum afresh: locates it, records the versions, reads every
** member, and puts it in the cache under key. */
static int load_enum(dynenum_connection *c, const char *name, size_t n, const char *key, dynenum_enum **out,
                     char **error) {
  dynenum_enum *e = NULL;
  dynenum_error err;
  enum_origin *o = sqlite3_malloc64(sizeof *o);
  int rc;
  if (!o) return SQLITE_NOMEM;
  memset(o, 0, sizeof *o);
  rc = locate_enum(c->db, name, n, &o->schema, &o->table);
  if (rc == SQLITE_OK && !o->table) {
    *error = no_such_enum(name, n);
    rc = *error ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) rc = read_versions(c->db, o->schema, &o->data_version, &o->schema_version);
  if (rc != SQLITE_OK) {
    origin_free(o);
    return rc;
  }
  o->generation = c->generation;
  rc = dynenum_enum_define(c->cache, key, n, 1, &e, &err);
  if (rc != DYNENUM_OK) {
    origin_free(o);
    return rc == DYNENUM_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
  }
  dynenum_enum_set_label(e, o->table, strlen(o->table));
  dynenum_enum_set_userdata(e, o, origin_free);
  rc = load_members(c->db, e, o, error);
  if (rc != SQLITE_OK) {
    dynenum_enum_drop(c->cache, key, n);
    dynenum_enum_release(e);
    return rc == LOAD_RELOAD ? SQLITE_ERROR : rc;
  }
  *out = e;
  return SQLITE_OK;
}

int dynenum_connection_enum(dynenum_connection *c, const char *name, size_t n, dynenum_enum **out, char **error) {
  dynenum_enum *e = NULL;
  char *key = ascii_lower_copy(name, n);
  int rc;
  *out = NULL;
  *error = NULL;
  if (!key) return SQLITE_NOMEM;
  if (dynenum_enum_get(c->cache, key, n, &e) == DYNENUM_OK) {
    enum_origin *o = dynenum_enum_userdata(e);
    if (still_fresh(c, o)) {
      sqlite3_free(key);
      *out = e;
      return SQLITE_OK;
    }
    unsigned data_version;
    int schema_version;
    rc = read_versions(c->db, o->schema, &data_version, &schema_version);
    if (rc == SQLITE_OK && schema_version == o->schema_version) {
      rc = load_members(c->db, e, o, error);
      if (rc == SQLITE_OK) {
        o->generation = c->generation;
        o->data_version = data_version;
        sqlite3_free(key);
        *out = e;
        return SQLITE_OK;
      }
    }
    /* Gone, re-created or changed in place: start over. */
    sqlite3_free(*error);
    *error = NULL;
    dynenum_enum_release(e);
  }
  rc = load_enum(c, name, n, key, out, error);
  sqlite3_free(key);
  return rc;
}

void dynenum_connection_changed(dynenum_connection *c) {
  c->generation++;
  dynenum_registry_clear(c->cache);
}

void dynenum_connection_touch(dynenum_connection *c, dynenum_enum *e) {
  enum_origin *o = dynenum_enum_userdata(e);
  if (o) o->generation = c->generation;
}
