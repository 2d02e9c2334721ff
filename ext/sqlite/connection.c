/*
** sqlite/connection.c: the state dynenum keeps for one database connection
** (dynenum_connection, declared in binding.h), and the allocator the core
** uses inside SQLite.  The lowest layer of the binding: it calls the core
** and SQLite, and no other binding file.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* SQLite's own allocator, so that its memory accounting and fault injection
** see every byte the core allocates. */
static void *sqlite_malloc(size_t n) { return sqlite3_malloc64(n); }
static void sqlite_free(void *p) { sqlite3_free(p); }

const dynenum_config dynenum_sqlite_config = {sqlite_malloc, sqlite_free, 0};

int dynenum_connection_open(sqlite3 *db, dynenum_connection **out) {
  dynenum_connection *c = sqlite3_malloc64(sizeof *c);
  *out = NULL;
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  c->db = db;
  c->refs = 1;
  /* A registry that is not opened stays NULL, which closing ignores. */
  if (dynenum_registry_open(&dynenum_sqlite_config, &c->enums) != DYNENUM_OK ||
      dynenum_registry_open(&dynenum_sqlite_config, &c->spellings) != DYNENUM_OK) {
    dynenum_connection_unref(c);
    return SQLITE_NOMEM;
  }
  *out = c;
  return SQLITE_OK;
}

void dynenum_connection_unref(void *p) {
  dynenum_connection *c = p;
  if (c && --c->refs == 0) {
    /* Spellings first: they hold references to the enums. */
    dynenum_registry_close(c->spellings);
    dynenum_registry_close(c->enums);
    sqlite3_free(c);
  }
}

void dynenum_connection_changed(dynenum_connection *c, int ddl) {
  c->generation++;
  if (ddl && !sqlite3_get_autocommit(c->db)) c->ddl_in_transaction = 1;
  dynenum_registry_clear(c->spellings);
  dynenum_registry_clear(c->enums);
}
