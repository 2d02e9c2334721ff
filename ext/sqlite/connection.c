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

/* One enum's count of lazy look-ups, in a list per connection: a
** connection uses few enums lazily, and each stops being lazy after a
** number of look-ups (docs/SPEC.md section 12.6). */
typedef struct dynenum_lazy_count {
  struct dynenum_lazy_count *next;
  size_t lookups;
  size_t key_len;
  char key[];
} dynenum_lazy_count;

size_t *dynenum_connection_lazy_count(dynenum_connection *c, const char *key, size_t n) {
  for (dynenum_lazy_count *l = c->lazy_counts; l; l = l->next) {
    if (l->key_len == n && memcmp(l->key, key, n) == 0) return &l->lookups;
  }
  dynenum_lazy_count *l = sqlite3_malloc64(sizeof *l + n);
  if (!l) return NULL;
  l->lookups = 0;
  l->key_len = n;
  memcpy(l->key, key, n);
  l->next = c->lazy_counts;
  c->lazy_counts = l;
  return &l->lookups;
}

void dynenum_connection_unref(void *p) {
  dynenum_connection *c = p;
  if (c && --c->refs == 0) {
    while (c->lazy_counts) {
      dynenum_lazy_count *next = c->lazy_counts->next;
      sqlite3_free(c->lazy_counts);
      c->lazy_counts = next;
    }
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
