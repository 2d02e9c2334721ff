/*
** sqlite/shadow.c: an enum's members table, the shadow table
** "<enum>_members"(ordinal INTEGER PRIMARY KEY, name TEXT NOT NULL, value
** TEXT NOT NULL) that holds the truth: its name, every statement the binding
** runs on it, and the check of its shape that every reader makes first.
** Nowhere else is the name or any of this SQL written.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* The suffix SQLite's xShadowName is asked about: "<enum>_" + this. */
#define MEMBERS_SUFFIX "members"

int dynenum_is_members_suffix(const char *suffix) { return sqlite3_stricmp(suffix, MEMBERS_SUFFIX) == 0; }

char *dynenum_members_name(const char *table) { return sqlite3_mprintf("%s_" MEMBERS_SUFFIX, table); }

char *dynenum_members_sql(members_statement which, const char *schema, const char *table, const char *new_table) {
  /* Every statement names the table as "schema"."<table>_members". */
  char *members = dynenum_members_name(table), *sql = NULL;
  if (!members) return NULL;
  switch (which) {
    case MEMBERS_CREATE:
      sql = sqlite3_mprintf("CREATE TABLE \"%w\".\"%w\"(ordinal INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT "
                            "NOT NULL)",
                            schema, members);
      break;
    case MEMBERS_INSERT:
      sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w\"(ordinal, name, value) VALUES (?1, ?2, ?3)", schema, members);
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
  sqlite3_bind_int64(insert, 1, m->ordinal);
  sqlite3_bind_text64(insert, 2, m->name, m->name_len, SQLITE_STATIC, SQLITE_UTF8);
  sqlite3_bind_text64(insert, 3, m->value, m->value_len, SQLITE_STATIC, SQLITE_UTF8);
  int rc = sqlite3_step(insert);
  /* An INSERT returns no row: anything but DONE is the error, and its
  ** message must be taken before the reset. */
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else if (rc != SQLITE_NOMEM) *error = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  sqlite3_reset(insert);
  sqlite3_clear_bindings(insert); /* the bound strings are the member's */
  return rc;
}

/* What sqlite_schema says the members table is: SQLITE_OK with *problem NULL
** for a table, else the phrase for what it is. */
static int members_kind(sqlite3 *db, const char *schema, const char *members, const char **problem) {
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

int dynenum_members_table_problem(sqlite3 *db, const char *schema, const char *table, const char **problem) {
  char *members = dynenum_members_name(table);
  *problem = NULL;
  if (!members) return SQLITE_NOMEM;
  int rc = members_kind(db, schema, members, problem);
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
  if (rc != SQLITE_OK || !problem) return rc;
  char shown_enum[DYNENUM_QUOTE_SIZE], shown_table[DYNENUM_QUOTE_SIZE];
  char *members = dynenum_members_name(table);
  if (!members) return SQLITE_NOMEM;
  dynenum_quote(shown_enum, sizeof shown_enum, table, strlen(table));
  dynenum_quote(shown_table, sizeof shown_table, members, strlen(members));
  sqlite3_free(members);
  *error = sqlite3_mprintf("enum '%s' is corrupt: its members table '%s' %s", shown_enum, shown_table, problem);
  return *error ? SQLITE_CORRUPT : SQLITE_NOMEM;
}
