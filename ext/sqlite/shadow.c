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
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* The suffixes SQLite's xShadowName is asked about: "<enum>_" + each. */
#define MEMBERS_SUFFIX "members"
static const char *const suffixes[] = {MEMBERS_SUFFIX, "aliases", "retired"};

/* What follows the table's name in the CREATE TABLE of each optional table:
** the one text recognised as the module's (see optional_is_ours). */
static const char *const optional_columns[] = {NULL, "(name TEXT NOT NULL, ordinal INTEGER NOT NULL)",
                                               "(ordinal INTEGER PRIMARY KEY)"};

int dynenum_is_members_suffix(const char *suffix) {
  for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
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
    case RETIRED_SELECT:
      sql = sqlite3_mprintf("SELECT ordinal FROM \"%w\".\"%w\" ORDER BY ordinal", schema, members);
      break;
    case ALIASES_DROP:
    case RETIRED_DROP: sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\".\"%w\"", schema, members); break;
    case ALIASES_RENAME:
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
      sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w\"(name, value) VALUES (?1, ?2)", schema, members);
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
