/*
** sqlite/shadow.c: an enum's members table, the shadow table
** "<enum>_members"(ordinal INTEGER PRIMARY KEY, name TEXT NOT NULL, value
** TEXT NOT NULL) that holds the truth: its name, every statement the binding
** runs on it, and the check of its shape that every reader makes first.
** Nowhere else is the name or any of this SQL written.
**
** Two more shadow tables exist only once they are needed (docs/SPEC.md
** section 11.5), so that an enum without aliases or retired members is
** stored exactly as dynenum 1.0.0 stored it:
**   "<enum>_aliases"(name TEXT NOT NULL, ordinal INTEGER NOT NULL), one row
**     per alias in the order they were added (rowid order), naming its
**     member by ordinal;
**   "<enum>_retired"(ordinal INTEGER PRIMARY KEY), one row per retired
**     member.
** Their names were free in 1.0.0, so an application may hold a table of its
** own under one (and anyone may create one later): only a table whose
** sqlite_schema text is exactly the DDL below is the module's; anything else
** is in the way, never read, written, dropped or renamed by dynenum.
**
** A fourth, "<enum>_keys"(key BLOB PRIMARY KEY, ordinal INTEGER NOT NULL)
** WITHOUT ROWID, is an accelerator and never the truth (docs/SPEC.md
** section 12.6): one row per key that names something, the ordinal of its
** member, or minus the rowid of an alias in "<enum>_aliases".  It is not a
** shadow table for xShadowName (whose suffix test would make an
** application's "api_keys" beside an enum "api" unwritable), and a table of
** the module's DDL with a trigger (in any schema) or an index of the
** user's on it is in the way too: writing it must run nothing but SQLite's
** own b-tree insert.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* The suffixes SQLite's xShadowName is asked about: "<enum>_" + each. */
#define MEMBERS_SUFFIX "members"
static const char *const suffixes[] = {MEMBERS_SUFFIX, "aliases", "retired", "keys"};
/* The first three are the shadow tables xShadowName is told of. */
#define SHADOW_SUFFIXES 3

/* What follows the table's name in the CREATE TABLE of each optional table:
** the one text recognised as the module's (see optional_is_ours). */
static const char *const optional_columns[] = {NULL, "(name TEXT NOT NULL, ordinal INTEGER NOT NULL)",
                                               "(ordinal INTEGER PRIMARY KEY)",
                                               "(key BLOB PRIMARY KEY, ordinal INTEGER NOT NULL) WITHOUT ROWID"};

int dynenum_is_members_suffix(const char *suffix) {
  for (size_t i = 0; i < SHADOW_SUFFIXES; i++) {
    if (sqlite3_stricmp(suffix, suffixes[i]) == 0) return 1;
  }
  return 0;
}

char *dynenum_members_name(const char *table) { return sqlite3_mprintf("%s_" MEMBERS_SUFFIX, table); }

char *dynenum_shadow_name(shadow_table which, const char *table) {
  return sqlite3_mprintf("%s_%s", table, suffixes[which]);
}

/* Which shadow table a statement is on. */
static shadow_table statement_table(members_statement which) {
  switch (which) {
    case ALIASES_CREATE:
    case ALIASES_INSERT:
    case ALIASES_SELECT:
    case ALIASES_DROP:
    case ALIASES_RENAME: return SHADOW_ALIASES;
    case RETIRED_CREATE:
    case RETIRED_INSERT:
    case RETIRED_DELETE:
    case RETIRED_SELECT:
    case RETIRED_DROP:
    case RETIRED_RENAME: return SHADOW_RETIRED;
    case KEYS_CREATE:
    case KEYS_DROP:
    case KEYS_EMPTY:
    case KEYS_RENAME:
    case KEYS_SELECT: return SHADOW_KEYS;
    default: return SHADOW_MEMBERS;
  }
}

char *dynenum_members_sql(members_statement which, const char *schema, const char *table, const char *new_table) {
  /* Every statement names its table as "schema"."<table>_<suffix>". */
  shadow_table on = statement_table(which);
  char *members = dynenum_shadow_name(on, table), *sql = NULL;
  if (!members) return NULL;
  switch (which) {
    case ALIASES_CREATE:
    case RETIRED_CREATE:
    case KEYS_CREATE:
      sql = sqlite3_mprintf("CREATE TABLE \"%w\".\"%w\"%s", schema, members, optional_columns[on]);
      break;
    case ALIASES_INSERT:
      sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w\"(name, ordinal) VALUES (?1, ?2)", schema, members);
      break;
    case ALIASES_SELECT:
      sql = sqlite3_mprintf("SELECT name, ordinal FROM \"%w\".\"%w\" ORDER BY rowid", schema, members);
      break;
    case RETIRED_INSERT:
      sql = sqlite3_mprintf("INSERT OR IGNORE INTO \"%w\".\"%w\"(ordinal) VALUES (?1)", schema, members);
      break;
    case RETIRED_DELETE:
      sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w\" WHERE ordinal = ?1", schema, members);
      break;
    case KEYS_EMPTY: sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w\"", schema, members); break;
    case KEYS_SELECT:
      sql = sqlite3_mprintf("SELECT ordinal FROM \"%w\".\"%w\" WHERE key = ?1", schema, members);
      break;
    case RETIRED_SELECT:
      sql = sqlite3_mprintf("SELECT ordinal FROM \"%w\".\"%w\" ORDER BY ordinal", schema, members);
      break;
    case ALIASES_DROP:
    case KEYS_DROP:
    case RETIRED_DROP: sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\".\"%w\"", schema, members); break;
    case ALIASES_RENAME:
    case KEYS_RENAME:
    case RETIRED_RENAME:
      sql = sqlite3_mprintf("ALTER TABLE \"%w\".\"%w\" RENAME TO \"%w_%s\"", schema, members, new_table,
                            suffixes[on]);
      break;
    case MEMBERS_CREATE:
      sql = sqlite3_mprintf("CREATE TABLE \"%w\".\"%w\"(ordinal INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT "
                            "NOT NULL)",
                            schema, members);
      break;
    case MEMBERS_INSERT:
      /* No ordinal: SQLite's next rowid is found at the end of the table,
      ** where a given one would be searched for from the root. */
      sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w\"(name, value) VALUES (?1, ?2) " DYNENUM_MEMBERS_INSERT_MARK,
                            schema, members);
      break;
    case MEMBERS_SELECT:
      sql = sqlite3_mprintf("SELECT ordinal, name, value FROM \"%w\".\"%w\" ORDER BY ordinal", schema, members);
      break;
    case MEMBERS_DROP: sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\".\"%w\"", schema, members); break;
    case MEMBERS_RENAME:
      sql = sqlite3_mprintf("ALTER TABLE \"%w\".\"%w\" RENAME TO \"%w_" MEMBERS_SUFFIX "\"", schema, members,
                            new_table);
      break;
  }
  sqlite3_free(members);
  return sql;
}

int dynenum_members_prepare(sqlite3 *db, members_statement which, const char *schema, const char *table,
                            sqlite3_stmt **out) {
  char *sql = dynenum_members_sql(which, schema, table, NULL);
  *out = NULL;
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, out, NULL);
  sqlite3_free(sql);
  return rc;
}

int dynenum_members_run(sqlite3 *db, members_statement which, const char *schema, const char *table,
                        const char *new_table) {
  char *sql = dynenum_members_sql(which, schema, table, new_table);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  return rc;
}

int dynenum_members_write(sqlite3 *db, sqlite3_stmt *insert, const dynenum_member *m, char **error) {
  sqlite3_bind_text64(insert, 1, m->name, m->name_len, SQLITE_STATIC, SQLITE_UTF8);
  sqlite3_bind_text64(insert, 2, m->value, m->value_len, SQLITE_STATIC, SQLITE_UTF8);
  int rc = sqlite3_step(insert);
  /* An INSERT returns no row: anything but DONE is the error, and its
  ** message must be taken before the reset. */
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else if (rc != SQLITE_NOMEM) *error = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  sqlite3_reset(insert);
  sqlite3_clear_bindings(insert); /* the bound strings are the member's */
  return rc;
}

int dynenum_aliases_write(sqlite3 *db, sqlite3_stmt *insert, const dynenum_alias *a, char **error) {
  sqlite3_bind_text64(insert, 1, a->name, a->name_len, SQLITE_STATIC, SQLITE_UTF8);
  sqlite3_bind_int64(insert, 2, a->member->ordinal);
  int rc = sqlite3_step(insert);
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else if (rc != SQLITE_NOMEM) *error = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  sqlite3_reset(insert);
  sqlite3_clear_bindings(insert);
  return rc;
}

/* What sqlite_schema says the shadow table is: SQLITE_OK with *problem NULL
** for a table, else the phrase for what it is. */
static int shadow_kind(sqlite3 *db, const char *schema, const char *members, const char **problem) {
  sqlite3_stmt *stmt;
  char *sql = sqlite3_mprintf("SELECT type FROM \"%w\".sqlite_schema WHERE name = ?1 COLLATE NOCASE", schema);
  int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_bind_text(stmt, 1, members, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(stmt, 0);
    if (type && strcmp(type, "table") != 0) {
      *problem = strcmp(type, "view") == 0 ? DYNENUM_MEMBERS_VIEW : DYNENUM_MEMBERS_NOT_TABLE;
    }
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    *problem = DYNENUM_MEMBERS_MISSING;
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* Whether sql, sqlite_schema's text for the table called name, is the
** CREATE TABLE the module runs for that optional table: "CREATE TABLE ",
** the name in double quotes (as the module writes it, and ALTER TABLE ...
** RENAME rewrites it), then exactly the columns.  So it is an ordinary rowid
** table of the module's columns and nothing more; an application's table
** of the same columns written in the usual way, with a bare name, is not. */
static int optional_is_ours(const char *sql, const char *name, shadow_table which) {
  static const char prefix[] = "CREATE TABLE ";
  sql_token t;
  /* The members table is never optional: any table under its name is taken. */
  if (!optional_columns[which]) return 0;
  if (!sql || strncmp(sql, prefix, sizeof prefix - 1) != 0) return 0;
  sql += sizeof prefix - 1;
  if (!dynenum_sql_next_token(&sql, SQL_SCHEMA_TEXT, &t) || t.quote != '"' || !t.closed) return 0;
  if (strcmp(sql, optional_columns[which]) != 0) return 0;
  /* The quoted name against name, ASCII case-insensitively as SQLite
  ** compares table names, each doubled quote standing for one. */
  const char *p = t.start + 1, *end = t.start + t.len - 1;
  for (; p < end && *name; p++, name++) {
    if (sqlite3_strnicmp(p, name, 1) != 0) return 0;
    if (*p == '"') p++;
  }
  return p == end && !*name;
}

/* Whether anything of the user's would run, or be kept up to date, when
** the module writes, empties or drops the key table name of schema: a
** trigger on it in its own schema or in temp (where a trigger may name a
** table of any schema; one on a temp table of that name counts too, which
** only costs speed), an index on it other than its primary key (SQLite's
** own has no sql), or a foreign key of another table onto it.  The write
** alone would not trouble a foreign key (it only inserts, and updates the
** ordinal of a key that is there, which no foreign key action follows),
** but DROP TABLE deletes every row first when foreign keys are on, and so
** does the emptying of a RENAME: a child row would fail them, an ON DELETE
** action run inside them (only a table whose text says REFERENCES can
** hold a foreign key, so that a schema of many tables lists few here).
** SQLITE_OK with *busy set, or the code of a
** look-up that failed.  Short statements rather than one, so that each
** fits a lowered SQLITE_LIMIT_SQL_LENGTH where the reader's statements do;
** under an SQLITE_LIMIT_VDBE_OP too low for the key table none runs and
** it is in the way. */
static int key_table_busy(sqlite3 *db, const char *schema, const char *name, int *busy) {
  static const char *const checks[] = {
      "SELECT 1 FROM \"%w\".sqlite_schema WHERE tbl_name = ?1 COLLATE NOCASE AND type IN ('trigger', 'index') "
      "AND sql NOTNULL",
      "SELECT 1 FROM temp.sqlite_schema WHERE tbl_name = ?1 COLLATE NOCASE AND type = 'trigger'",
      "SELECT 1 FROM \"%w\".sqlite_schema AS s, pragma_foreign_key_list(s.name, %Q) AS f "
      "WHERE s.type = 'table' AND instr(lower(s.sql), 'references') AND f.\"table\" = ?1 COLLATE NOCASE"};
  int rc = SQLITE_OK;
  *busy = !dynenum_key_rows_room(db);
  for (size_t i = 0; rc == SQLITE_OK && !*busy && i < sizeof checks / sizeof *checks; i++) {
    sqlite3_stmt *stmt;
    char *sql = sqlite3_mprintf(checks[i], schema, schema);
    rc = sql ? sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) break;
    rc = sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) *busy = 1;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_finalize(stmt);
  }
  return rc;
}

int dynenum_optional_holder(sqlite3 *db, const char *schema, const char *table, shadow_table which,
                            shadow_holder *holder, const char **kind) {
  /* Triggers have names of their own: only these take a table's name. */
  static const char *const kinds[] = {"table", "view", "index"};
  sqlite3_stmt *stmt;
  char *name = dynenum_shadow_name(which, table);
  char *sql = sqlite3_mprintf("SELECT type, sql FROM \"%w\".sqlite_schema WHERE name = ?1 COLLATE NOCASE AND type IN "
                              "('table', 'view', 'index')",
                              schema);
  int rc = name && sql ? sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  *holder = SHADOW_NONE;
  *kind = NULL;
  if (rc == SQLITE_OK) {
    rc = sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const char *type = (const char *)sqlite3_column_text(stmt, 0);
      *kind = kinds[0];
      for (size_t i = 1; type && i < sizeof kinds / sizeof *kinds; i++) {
        if (strcmp(type, kinds[i]) == 0) *kind = kinds[i];
      }
      int ours = *kind == kinds[0] && optional_is_ours((const char *)sqlite3_column_text(stmt, 1), name, which);
      *holder = ours ? SHADOW_OURS : SHADOW_IN_THE_WAY;
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      rc = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
  }
  /* A key table with a trigger or an index of the user's on it is in the
  ** way (docs/SPEC.md section 12.6): writing it would run them.  When that
  ** cannot be checked (refused, too long for a limit), it is in the way
  ** too; out of memory is an error as always. */
  if (rc == SQLITE_OK && which == SHADOW_KEYS && *holder == SHADOW_OURS) {
    int busy;
    rc = key_table_busy(db, schema, name, &busy);
    if (busy || (rc != SQLITE_OK && rc != SQLITE_NOMEM)) *holder = SHADOW_IN_THE_WAY;
    if (rc != SQLITE_NOMEM) rc = SQLITE_OK;
  }
  sqlite3_free(name);
  return rc;
}

int dynenum_members_table_problem(sqlite3 *db, const char *schema, const char *table, const char **problem) {
  char *members = dynenum_members_name(table);
  *problem = NULL;
  if (!members) return SQLITE_NOMEM;
  int rc = shadow_kind(db, schema, members, problem);
  sqlite3_free(members);
  /* The columns: the SELECT every reader runs prepares. */
  if (rc == SQLITE_OK && !*problem) {
    sqlite3_stmt *stmt;
    rc = dynenum_members_prepare(db, MEMBERS_SELECT, schema, table, &stmt);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ERROR) {
      *problem = DYNENUM_MEMBERS_COLUMNS;
      rc = SQLITE_OK;
    }
  }
  return rc;
}

int dynenum_check_members_table(sqlite3 *db, const char *schema, const char *table, char **error) {
  const char *problem;
  int rc = dynenum_members_table_problem(db, schema, table, &problem);
  if (rc == SQLITE_NOMEM || (rc == SQLITE_OK && !problem)) return rc;
  char shown_enum[DYNENUM_QUOTE_SIZE], shown_table[DYNENUM_QUOTE_SIZE];
  dynenum_quote(shown_enum, sizeof shown_enum, table, strlen(table));
  /* Refused (an authorizer, a limit): say so now, while SQLite's message
  ** is still the refusal's; the statements callers run next reset it. */
  if (rc != SQLITE_OK) {
    *error = dynenum_cannot_read(db, shown_enum, NULL);
    return *error ? rc : SQLITE_NOMEM;
  }
  char *members = dynenum_members_name(table);
  if (!members) return SQLITE_NOMEM;
  dynenum_quote(shown_table, sizeof shown_table, members, strlen(members));
  sqlite3_free(members);
  *error = sqlite3_mprintf("enum '%s' is corrupt: its members table '%s' %s", shown_enum, shown_table, problem);
  return *error ? SQLITE_CORRUPT : SQLITE_NOMEM;
}

char *dynenum_keys_insert_sql(const char *schema, const char *table, int rows) {
  char *keys = dynenum_shadow_name(SHADOW_KEYS, table);
  sqlite3_str *sql = keys ? sqlite3_str_new(NULL) : NULL;
  if (!sql) {
    sqlite3_free(keys);
    return NULL;
  }
  /* The newest row of a key wins over one a stale table held, by an
  ** update of its ordinal, not REPLACE's delete and insert: no row is ever
  ** deleted, so no foreign key's ON DELETE action (nor, with
  ** recursive_triggers, a delete trigger) can run inside the write. */
  sqlite3_str_appendf(sql, "INSERT INTO \"%w\".\"%w\"(key, ordinal) VALUES (?, ?)", schema, keys);
  for (int i = 1; i < rows; i++) sqlite3_str_appendall(sql, ", (?, ?)");
  sqlite3_str_appendall(sql, " ON CONFLICT(key) DO UPDATE SET ordinal = excluded.ordinal");
  sqlite3_free(keys);
  return sqlite3_str_finish(sql);
}

/* SQLite reports a statement whose program would grow past
** SQLITE_LIMIT_VDBE_OP as out of memory, and an out-of-memory failure
** inside a running statement (a function's look-up, the write at COMMIT)
** fails that statement whatever is done with it after: the key table's
** statements must stay inside the limit.  Their programs (SQLite 3.40 to
** 3.53): the look-up about 90 operations, the CREATE 44, an INSERT of n
** rows 28 + 3n, in an array SQLite grows by doubling, so that up to twice
** as much counts.  Hence at most (limit - 200) / 8 rows a statement, and
** below KEY_TABLE_MIN_VDBE_OP no use of the table at all. */
#define KEY_TABLE_MIN_VDBE_OP 1000

int dynenum_key_rows_room(sqlite3 *db) {
  int limit = sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, -1);
  if (limit < KEY_TABLE_MIN_VDBE_OP) return 0;
  int rows = (limit - 200) / 8;
  return rows < KEY_ROWS_PER_STATEMENT ? rows : KEY_ROWS_PER_STATEMENT;
}

char *dynenum_keys_lookup_sql(const char *schema, const char *table, int aliases, int retired) {
  char *keys = dynenum_shadow_name(SHADOW_KEYS, table), *members = dynenum_shadow_name(SHADOW_MEMBERS, table);
  char *alias_table = dynenum_shadow_name(SHADOW_ALIASES, table), *retired_table = dynenum_shadow_name(SHADOW_RETIRED, table);
  char *sql = NULL;
  if (keys && members && alias_table && retired_table) {
    /* One statement, so one snapshot: no commit can fall between reading
    ** the key's row and the rows it names. */
    char *retired_sql = retired ? sqlite3_mprintf("EXISTS (SELECT 1 FROM \"%w\".\"%w\" AS r WHERE r.ordinal = m.ordinal)",
                                                  schema, retired_table)
                                : sqlite3_mprintf("0");
    /* Whether the first row of an optional table reads a NULL, as every
    ** row does when an authorizer answers SQLITE_IGNORE for that column:
    ** the full load refuses such rows, so the look-up must not answer. */
    sqlite3_str *doubt = sqlite3_str_new(NULL);
    sqlite3_str_appendall(doubt, "0");
    if (retired) {
      sqlite3_str_appendf(doubt, " OR coalesce((SELECT ordinal IS NULL FROM \"%w\".\"%w\" LIMIT 1), 0)", schema,
                          retired_table);
    }
    if (aliases) {
      sqlite3_str_appendf(doubt, " OR coalesce((SELECT name IS NULL OR ordinal IS NULL FROM \"%w\".\"%w\" LIMIT 1), 0)",
                          schema, alias_table);
    }
    char *doubt_sql = sqlite3_str_finish(doubt);
    if (retired_sql && doubt_sql && aliases) {
      sql = sqlite3_mprintf("SELECT k.ordinal, m.ordinal, m.name, m.value, a.name, a.ordinal, %s, %s FROM \"%w\".\"%w\" "
                            "AS k LEFT JOIN \"%w\".\"%w\" AS a ON k.ordinal < 0 AND a.rowid = -k.ordinal "
                            "JOIN \"%w\".\"%w\" AS m ON m.ordinal = CASE WHEN k.ordinal < 0 THEN a.ordinal ELSE "
                            "k.ordinal END WHERE k.key = ?1",
                            retired_sql, doubt_sql, schema, keys, schema, alias_table, schema, members);
    } else if (retired_sql && doubt_sql) {
      sql = sqlite3_mprintf("SELECT k.ordinal, m.ordinal, m.name, m.value, NULL, NULL, %s, %s FROM \"%w\".\"%w\" AS k "
                            "JOIN \"%w\".\"%w\" AS m ON m.ordinal = k.ordinal WHERE k.key = ?1",
                            retired_sql, doubt_sql, schema, keys, schema, members);
    }
    sqlite3_free(retired_sql);
    sqlite3_free(doubt_sql);
  }
  sqlite3_free(keys);
  sqlite3_free(members);
  sqlite3_free(alias_table);
  sqlite3_free(retired_table);
  return sql;
}
