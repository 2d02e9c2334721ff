/*
** sqlite/catalog.c: dynenum_members, an eponymous, read-only catalog of every
** real member of every enum the connection can see, with columns enum,
** ordinal, name, value and the hidden columns schema, alias_of and retired;
** after an enum's members come its aliases, one row each, with their
** member's ordinal and value and alias_of naming the member.  A constraint enum =
** '...' (and schema = '...') narrows the search to that enum instead of
** reading all.
**
**     SELECT enum, ordinal, name, value FROM dynenum_members;
**       endpoint_type|1|OPENAI_CHAT|openai_chat
**       endpoint_type|2|ANTHROPIC_CHAT|anthropic_chat
**
** Every enum is listed from the connection's copy, verified against its
** members table when the scan begins, so that the catalog fails where the
** functions and a scan of the enum fail.  SQLITE_VTAB_INNOCUOUS: it only
** reads.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

#define CATALOG_COLUMN_ENUM 0
#define CATALOG_COLUMN_ORDINAL 1
#define CATALOG_COLUMN_NAME 2
#define CATALOG_COLUMN_VALUE 3
#define CATALOG_COLUMN_SCHEMA 4
#define CATALOG_COLUMN_ALIAS_OF 5 /* hidden: the member's name in a row of an alias, else NULL */
#define CATALOG_COLUMN_RETIRED 6  /* hidden: 1 for a retired member and its aliases */

/* idxNum bits: which of xFilter's arguments are present, in this order. */
#define CATALOG_BY_ENUM 1
#define CATALOG_BY_SCHEMA 2

typedef struct catalog_table {
  sqlite3_vtab base;
  dynenum_connection *connection; /* and its db */
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
  size_t aliases; /* listed after the members */
} catalog_entry;

typedef struct catalog_cursor {
  sqlite3_vtab_cursor base;
  catalog_entry *entries;
  int count, entry;     /* entries[entry] is being listed */
  size_t next_member;   /* of that entry, the one after the current (members, then aliases) */
  const dynenum_member *member; /* the current row's member; NULL at the end */
  const dynenum_alias *alias;   /* the current row's alias, or NULL for a member's row */
  sqlite_int64 rowid;
} catalog_cursor;

static int catalog_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                           char **error) {
  (void)argc;
  (void)argv;
  (void)error;
  int rc = sqlite3_declare_vtab(db,
                                "CREATE TABLE x(enum TEXT COLLATE NOCASE, ordinal INTEGER, name TEXT COLLATE DYNENUM, "
                                "value TEXT COLLATE DYNENUM, schema TEXT HIDDEN, alias_of TEXT HIDDEN, retired "
                                "INTEGER HIDDEN)");
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) return rc;
  catalog_table *t = sqlite3_malloc64(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
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
  return dynenum_vtab_error(&t->base, rc, sqlite3_mprintf("%s", sqlite3_errmsg(t->connection->db)));
}

/* Moves to the next member of the snapshot. */
static int catalog_next(sqlite3_vtab_cursor *cursor) {
  catalog_cursor *c = (catalog_cursor *)cursor;
  c->member = NULL;
  c->alias = NULL;
  while (c->entry < c->count) {
    const catalog_entry *e = &c->entries[c->entry];
    if (c->next_member < e->count) {
      c->member = dynenum_enum_member(e->e, c->next_member++);
      c->rowid++;
      return SQLITE_OK;
    }
    if (c->next_member < e->count + e->aliases) {
      c->alias = dynenum_enum_alias(e->e, c->next_member++ - e->count);
      c->member = c->alias->member;
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
  if (!e->schema || !e->name) return SQLITE_NOMEM;
  char *error;
  int rc = dynenum_connection_table_enum(t->connection, schema, name, 1, &e->e, &error);
  if (rc != SQLITE_OK) return error ? dynenum_vtab_error(&t->base, rc, error) : rc;
  e->count = dynenum_enum_size(e->e);
  e->aliases = dynenum_enum_alias_count(e->e);
  return SQLITE_OK;
}

/* Adds the enums of one schema (or the one called wanted_enum) to the
** snapshot, by name.  SQLITE_DONE, or an error with the message taken. */
static int catalog_add_schema(catalog_cursor *c, catalog_table *t, const char *schema, sqlite3_value *wanted_enum) {
  sqlite3_stmt *tables;
  /* dynenum_is_enum_sql decides: SQL allows any space and comments
  ** between the words, which a LIKE pattern would miss. */
  char *sql = sqlite3_mprintf("SELECT name, sql FROM \"%w\".sqlite_schema WHERE type = 'table'%s ORDER BY name",
                              schema, wanted_enum ? " AND name = ?1 COLLATE NOCASE" : "");
  int rc = sql ? sqlite3_prepare_v2(t->connection->db, sql, -1, &tables, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return catalog_error(&c->base, rc);
  if (wanted_enum) rc = sqlite3_bind_value(tables, 1, wanted_enum);
  while (rc == SQLITE_OK && (rc = sqlite3_step(tables)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    if (dynenum_is_enum_sql((const char *)sqlite3_column_text(tables, 1))) {
      rc = catalog_add_entry(c, t, schema, (const char *)sqlite3_column_text(tables, 0));
    }
  }
  /* Take the message now: finalizing resets the connection's. */
  if (rc != SQLITE_DONE) rc = catalog_error(&c->base, rc);
  sqlite3_finalize(tables);
  return rc;
}

/* Takes the snapshot of the enums to list: every schema's (or the one asked
** for) in the order PRAGMA database_list gives the schemas, then by name. */
static int catalog_filter(sqlite3_vtab_cursor *cursor, int idx_num, const char *idx_str, int argc,
                          sqlite3_value **argv) {
  catalog_cursor *c = (catalog_cursor *)cursor;
  catalog_table *t = (catalog_table *)cursor->pVtab;
  sqlite3_stmt *schemas;
  int arg = 0;
  (void)idx_str;
  (void)argc;
  catalog_reset(c);
  sqlite3_value *wanted_enum = (idx_num & CATALOG_BY_ENUM) ? argv[arg++] : NULL;
  sqlite3_value *wanted_schema = (idx_num & CATALOG_BY_SCHEMA) ? argv[arg++] : NULL;
  const char *schema_text = wanted_schema ? (const char *)sqlite3_value_text(wanted_schema) : NULL;

  /* The PRAGMA, not pragma_database_list: see list_schemas in cache.c. */
  int rc = sqlite3_prepare_v2(t->connection->db, "PRAGMA database_list", -1, &schemas, NULL);
  if (rc != SQLITE_OK) return catalog_error(cursor, rc);
  while ((rc = sqlite3_step(schemas)) == SQLITE_ROW) {
    const char *schema = (const char *)sqlite3_column_text(schemas, 1);
    if (wanted_schema && (!schema_text || sqlite3_stricmp(schema, schema_text) != 0)) continue;
    rc = catalog_add_schema(c, t, schema, wanted_enum);
    if (rc != SQLITE_DONE) break;
  }
  if (rc != SQLITE_DONE) rc = catalog_error(cursor, rc); /* keeps a message already taken */
  sqlite3_finalize(schemas);
  return rc == SQLITE_DONE ? catalog_next(cursor) : rc;
}

static int catalog_eof(sqlite3_vtab_cursor *cursor) { return ((catalog_cursor *)cursor)->member == NULL; }

static int catalog_column(sqlite3_vtab_cursor *cursor, sqlite3_context *ctx, int column) {
  const catalog_cursor *c = (const catalog_cursor *)cursor;
  const catalog_entry *e = &c->entries[c->entry];
  const dynenum_member *m = c->member;
  const dynenum_alias *a = c->alias;
  switch (column) {
    case CATALOG_COLUMN_ENUM: sqlite3_result_text(ctx, e->name, -1, SQLITE_TRANSIENT); break;
    case CATALOG_COLUMN_ORDINAL: sqlite3_result_int64(ctx, m->ordinal); break;
    case CATALOG_COLUMN_NAME:
      if (a) sqlite3_result_text64(ctx, a->name, a->name_len, SQLITE_TRANSIENT, SQLITE_UTF8);
      else sqlite3_result_text64(ctx, m->name, m->name_len, SQLITE_TRANSIENT, SQLITE_UTF8);
      break;
    case CATALOG_COLUMN_ALIAS_OF:
      if (a) sqlite3_result_text64(ctx, m->name, m->name_len, SQLITE_TRANSIENT, SQLITE_UTF8);
      break;
    case CATALOG_COLUMN_RETIRED: sqlite3_result_int(ctx, dynenum_member_is_retired(m)); break;
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


const sqlite3_module *const dynenum_catalog_module = &catalog_module;
