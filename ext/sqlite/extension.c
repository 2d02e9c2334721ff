/*
** sqlite/extension.c: the SQLite extension dynenum, dynamic string enums:
** what it registers on a connection, and its entry points.
**
**   sqlite> .load ./build/dynenum
**   sqlite> SELECT 'OpenAI-Chat' = 'OPENAI_CHAT' COLLATE DYNENUM;
**   1
**   sqlite> CREATE VIRTUAL TABLE endpoint_type USING dynenum(
**      ...>   OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat');
**   sqlite> SELECT dynenum_resolve('endpoint_type', 'OpenAI-Chat');
**   openai_chat
**   sqlite> SELECT dynenum_resolve('endpoint_type', 'NVIDIA_Optimized');
**   nvidia_optimized
**   sqlite> SELECT dynenum_resolve('endpoint_type', '_private');
**   Runtime error: dynenum_resolve(): reserved name '_private' in enum 'endpoint_type'
**
** What it registers on a connection:
**
**   COLLATE DYNENUM               x = y exactly when their keys are equal, and
**                                 ordered by key (see core/key.c); it never
**                                 looks at any enum, so indexes stay valid
**   dynenum_resolve, dynenum_is_member, dynenum_ordinal, dynenum_key,
**   dynenum_version               the functions (sqlite/functions.c)
**   module dynenum                enums as virtual tables (sqlite/enum_module.c)
**   table dynenum_members         catalog of every enum's real members
**                                 (sqlite/catalog.c)
**
** Build it as a loadable extension (the entry point is
** sqlite3_dynenum_init), or compile it into an application with
** -DSQLITE_CORE and register it for every connection with
** sqlite3_auto_extension((void (*)(void))sqlite3_dynenum_init), or call
** dynenum_register(db) on one connection.
*/
#ifndef SQLITE_CORE
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#endif
#include "binding.h"

#include <string.h>
SQLITE_EXTENSION_INIT1

/* ---- Registration ------------------------------------------------------- */

/* The modules, each registered with a reference to the connection state. */
static const struct {
  const char *name;
  const sqlite3_module *const *module;
} modules[] = {
    {"dynenum", &dynenum_enum_module},             /* sqlite/enum_module.c */
    {"dynenum_members", &dynenum_catalog_module},  /* sqlite/catalog.c */
};

/* SQLite marks a members table as a shadow table, which defensive
** connections may not write, when it parses the schema, and only if the
** dynenum module is registered by then.  A connection may have parsed it
** already: the application read something first, or SQLite read the schema
** to prepare the very statement that loads the extension (3.52 does, for
** any SELECT).  So the schema is parsed again, as PRAGMA writable_schema =
** RESET does; that also turns writable_schema off, so a connection that
** has it on is left alone.  A refusal (an authorizer that denies PRAGMAs)
** leaves the connection as loading before parsing would have: usable, with
** members tables defensive mode does not know. */
static int reparse_schema(sqlite3 *db) {
  int writable = 0;
  if (sqlite3_db_config(db, SQLITE_DBCONFIG_WRITABLE_SCHEMA, -1, &writable) != SQLITE_OK || writable) return SQLITE_OK;
  int rc = sqlite3_exec(db, "PRAGMA writable_schema = RESET", NULL, NULL, NULL);
  return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
}

static int sqlite_is_new_enough(void) { return sqlite3_libversion_number() >= DYNENUM_MIN_SQLITE_VERSION_NUMBER; }

/* Whether a statement compiles on db (the probe of what db already has):
** 1 or 0, or -1 when SQLite ran out of memory trying. */
static int compiles(sqlite3 *db, const char *sql) {
  sqlite3_stmt *probe = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &probe, NULL);
  sqlite3_finalize(probe);
  return rc == SQLITE_OK ? 1 : rc == SQLITE_NOMEM ? -1 : 0;
}

/* Registers the collation, the functions and the modules, each function and
** module holding a reference to one new connection state.  A connection
** that has a function or collation of one of dynenum's names of its own is
** refused before anything is registered, *taken naming it: SQLite would
** refuse to replace a function while a statement runs (load_extension() is
** one), leaving half of dynenum registered. */
static int register_all(sqlite3 *db, const char **taken) {
  *taken = NULL;
  /* Loading again on a connection that has dynenum changes nothing.
  ** Registering anew would fail while a statement runs, and would split the
  ** connection's state in two: tables opened before would keep the old
  ** state while the functions used the new. */
  int loaded = compiles(db, "SELECT dynenum_version()");
  if (loaded) return loaded > 0 ? SQLITE_OK : SQLITE_NOMEM;
  int rc = dynenum_function_taken(db, taken);
  if (rc != SQLITE_OK || *taken) return rc == SQLITE_OK ? SQLITE_ERROR : rc;
  int collation = compiles(db, "SELECT '' = '' COLLATE DYNENUM");
  if (collation) {
    if (collation < 0) return SQLITE_NOMEM;
    *taken = "DYNENUM";
    return SQLITE_ERROR;
  }
  /* The core's comparator itself, pure by construction: it sees two
  ** strings and nothing else. */
  rc = sqlite3_create_collation_v2(db, "DYNENUM", SQLITE_UTF8, NULL, dynenum_collating_compare, NULL);
  if (rc != SQLITE_OK) return rc;
  dynenum_connection *c;
  rc = dynenum_connection_open(db, &c);
  if (rc != SQLITE_OK) return rc;
  rc = dynenum_register_functions(db, c);
  /* As for the functions, SQLite releases each module's reference. */
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof modules / sizeof modules[0]; i++) {
    c->refs++;
    rc = sqlite3_create_module_v2(db, modules[i].name, *modules[i].module, c, dynenum_connection_unref);
  }
  dynenum_connection_unref(c); /* registration's own reference */
  if (rc == SQLITE_OK) rc = reparse_schema(db);
  return rc;
}

/* Registers everything on db.  Also the entry point for static builds. */
int dynenum_register(sqlite3 *db) {
  const char *taken;
  return sqlite_is_new_enough() ? register_all(db, &taken) : SQLITE_ERROR;
}

#ifndef SQLITE_CORE
/* SQLite closes a loaded extension's shared object when the load fails and
** with the connection that loaded it.  Whatever is registered must not
** outlive the code it points to: an auto-extension is called for
** connections opened later, and a registration that failed half-way leaves
** functions on the connection.  So in those cases the object opens itself
** once more, RTLD_NODELETE, which keeps it loaded for the process. */
static int keep_loaded(char **error) {
  Dl_info self;
  if (!dladdr((void *)sqlite3_dynenum_auto_init, &self) || !self.dli_fname) {
    *error = sqlite3_mprintf("dynenum: cannot find its own shared object to keep it loaded");
    return SQLITE_ERROR;
  }
  if (!dlopen(self.dli_fname, RTLD_NOW | RTLD_NODELETE)) {
    *error = sqlite3_mprintf("dynenum: cannot keep %s loaded: %s", self.dli_fname, dlerror());
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}
#endif

int sqlite3_dynenum_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  (void)api; /* unused in static builds, where the line above is empty */
  if (!sqlite_is_new_enough()) {
    *error = sqlite3_mprintf("dynenum needs SQLite " DYNENUM_MIN_SQLITE_VERSION " or newer, this is %s",
                             sqlite3_libversion());
    return SQLITE_ERROR;
  }
  const char *taken;
  int rc = register_all(db, &taken);
  if (rc == SQLITE_OK) return rc;
  if (taken) {
    *error = sqlite3_mprintf("dynenum: cannot register: this connection already has a %s %s%s of its own",
                             strcmp(taken, "DYNENUM") == 0 ? "collation" : "function", taken,
                             strcmp(taken, "DYNENUM") == 0 ? "" : "()");
    return rc;
  }
#ifndef SQLITE_CORE
  char *ignored = NULL;
  keep_loaded(&ignored); /* best effort: the load has failed already */
  sqlite3_free(ignored);
#endif
  if (rc != SQLITE_NOMEM) *error = sqlite3_mprintf("dynenum: cannot register: %s", sqlite3_errstr(rc));
  return rc;
}

#ifndef SQLITE_CORE
int sqlite3_dynenum_auto_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  int rc = sqlite3_dynenum_init(db, error, api);
  if (rc == SQLITE_OK) rc = keep_loaded(error);
  if (rc == SQLITE_OK) {
    rc = sqlite3_auto_extension((void (*)(void))sqlite3_dynenum_init);
    if (rc != SQLITE_OK) *error = sqlite3_mprintf("dynenum: cannot register for every connection: %s", sqlite3_errstr(rc));
  }
  return rc;
}
#endif
