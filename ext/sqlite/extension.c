/*
** sqlite/extension.c: the SQLite extension dynenum, dynamic string enums.
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
**   dynenum_resolve(enum, x)      the value of the real member x names (by
**                                 name or value, through keys), else the key
**                                 of x when x is a valid dynamic name, else an
**                                 error quoting x and naming the enum
**   dynenum_is_member(enum, x)    1 when x names a real member, else 0
**   dynenum_ordinal(enum, x)      the ordinal of the real member x names, or
**                                 NULL (dynamic, reserved, malformed)
**   dynenum_key(x)                the key of x
**   dynenum_version()             the version of this extension
**   module dynenum                enums as virtual tables (sqlite/modules.c)
**   table dynenum_members         catalog of every enum's real members
**
** For every function a NULL x gives NULL; a non-text x, an unknown enum and
** an enum name that is not text are errors.  Enum names follow SQLite's table
** name rules (ASCII case-insensitive, "schema.name" allowed).
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
SQLITE_EXTENSION_INIT1

#include <string.h>

#ifndef DYNENUM_VERSION
#error "DYNENUM_VERSION must be defined (the Makefile takes it from the VERSION file)"
#endif

/* ---- Allocation through SQLite ------------------------------------------ */

static void *sqlite_malloc(size_t n) { return sqlite3_malloc64(n); }
static void sqlite_free(void *p) { sqlite3_free(p); }

const dynenum_config dynenum_sqlite_config = {sqlite_malloc, sqlite_free, 0};

void dynenum_connection_unref(void *p) {
  dynenum_connection *c = p;
  if (c && --c->refs == 0) {
    /* Spellings first: they hold references to the enums. */
    dynenum_registry_close(c->spellings);
    dynenum_registry_close(c->enums);
    sqlite3_free(c);
  }
}

/* ---- The collation ------------------------------------------------------ */

/* Pure by construction: it sees two strings and nothing else. */
static int dynenum_collation(void *unused, int a_len, const void *a, int b_len, const void *b) {
  (void)unused;
  return dynenum_compare(a, (size_t)a_len, b, (size_t)b_len);
}

/* ---- Functions ---------------------------------------------------------- */

char *dynenum_describe_value(sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: return sqlite3_mprintf("integer %lld", sqlite3_value_int64(v));
    case SQLITE_FLOAT: return sqlite3_mprintf("real %!.15g", sqlite3_value_double(v));
    case SQLITE_BLOB: {
      int bytes = sqlite3_value_bytes(v);
      return sqlite3_mprintf("blob of %d byte%s", bytes, bytes == 1 ? "" : "s");
    }
    default: return sqlite3_mprintf("NULL");
  }
}

/* Reports an error whose message is an sqlite3_malloc'd string, or NULL for
** out of memory. */
static void result_error_owned(sqlite3_context *ctx, char *message) {
  if (!message) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, message, -1);
  sqlite3_free(message);
}

static void release_enum(void *e) { dynenum_enum_release(e); }

/* The enum named by argument 0, kept in auxdata so that it is looked up and
** checked for freshness once per statement.  The pointer is borrowed: it
** lives at least until the function returns.  NULL after setting an error. */
static dynenum_enum *function_enum(sqlite3_context *ctx, sqlite3_value **argv, const char *function) {
  dynenum_enum *e = sqlite3_get_auxdata(ctx, 0);
  char *error;
  if (e) return e;
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    char *what = dynenum_describe_value(argv[0]);
    result_error_owned(ctx, what ? sqlite3_mprintf("%s(): enum name must be text, not %s", function, what) : NULL);
    sqlite3_free(what);
    return NULL;
  }
  const char *name = (const char *)sqlite3_value_text(argv[0]);
  if (!name) {
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  int rc = dynenum_connection_enum(sqlite3_user_data(ctx), name, (size_t)sqlite3_value_bytes(argv[0]), 0, &e, &error);
  if (rc != SQLITE_OK) {
    if (error) {
      sqlite3_result_error(ctx, error, -1);
      sqlite3_result_error_code(ctx, rc);
      sqlite3_free(error);
    } else if (rc == SQLITE_NOMEM) {
      sqlite3_result_error_nomem(ctx);
    } else {
      sqlite3_result_error_code(ctx, rc);
    }
    return NULL;
  }
  /* The auxdata takes over the reference; on failure SQLite drops it. */
  sqlite3_set_auxdata(ctx, 0, e, release_enum);
  if (sqlite3_get_auxdata(ctx, 0) != e) {
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  return e;
}

/* Argument 1 as text: 1 with s and n set, 0 for NULL (result NULL), -1
** after setting an error for a value of another type. */
static int text_argument(sqlite3_context *ctx, sqlite3_value *v, const char *function, const dynenum_enum *e,
                         const char **s, size_t *n) {
  int type = sqlite3_value_type(v);
  if (type == SQLITE_NULL) return 0;
  if (type != SQLITE_TEXT) {
    char *what = dynenum_describe_value(v);
    if (!what) {
      sqlite3_result_error_nomem(ctx);
      return -1;
    }
    if (e) {
      result_error_owned(ctx, sqlite3_mprintf("%s(): expected text in enum '%s', got %s", function,
                                              dynenum_enum_label(e), what));
    } else {
      result_error_owned(ctx, sqlite3_mprintf("%s(): expected text, got %s", function, what));
    }
    sqlite3_free(what);
    return -1;
  }
  *s = (const char *)sqlite3_value_text(v);
  *n = (size_t)sqlite3_value_bytes(v);
  if (!*s) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  return 1;
}

/* The real member argument 1 names: 1 found, 0 not found, -1 after an error
** or a NULL result has been set. */
static int function_member(sqlite3_context *ctx, sqlite3_value **argv, const char *function, dynenum_enum **e,
                           const char **s, size_t *n, const dynenum_member **m) {
  *e = function_enum(ctx, argv, function);
  if (!*e) return -1;
  int got = text_argument(ctx, argv[1], function, *e, s, n);
  if (got <= 0) {
    if (got == 0) sqlite3_result_null(ctx);
    return -1;
  }
  int rc = dynenum_enum_find(*e, *s, *n, m);
  if (rc == DYNENUM_OK) return 1;
  if (rc == DYNENUM_NOTFOUND) return 0;
  result_error_owned(ctx, sqlite3_mprintf("%s(): %s in enum '%s'", function, dynenum_errstr(rc), dynenum_enum_label(*e)));
  return -1;
}

static void resolve_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  dynenum_enum *e;
  const dynenum_member *m;
  const char *s;
  size_t n;
  (void)argc;
  int found = function_member(ctx, argv, "dynenum_resolve", &e, &s, &n, &m);
  if (found < 0) return;
  if (found) {
    sqlite3_result_text64(ctx, m->value, m->value_len, SQLITE_TRANSIENT, SQLITE_UTF8);
    return;
  }
  /* A dynamic name resolves to its key; SQL needs no interned object. */
  dynenum_error err;
  if (dynenum_enum_check_name(e, s, n, &err) != DYNENUM_OK) {
    result_error_owned(ctx, sqlite3_mprintf("dynenum_resolve(): %s", err.message));
    return;
  }
  char key[DYNENUM_MAX_KEY_BYTES];
  size_t len = dynenum_key(s, n, key, sizeof key);
  sqlite3_result_text64(ctx, key, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void is_member_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  dynenum_enum *e;
  const dynenum_member *m;
  const char *s;
  size_t n;
  (void)argc;
  int found = function_member(ctx, argv, "dynenum_is_member", &e, &s, &n, &m);
  if (found >= 0) sqlite3_result_int(ctx, found);
}

static void ordinal_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  dynenum_enum *e;
  const dynenum_member *m;
  const char *s;
  size_t n;
  (void)argc;
  int found = function_member(ctx, argv, "dynenum_ordinal", &e, &s, &n, &m);
  if (found > 0) sqlite3_result_int64(ctx, m->ordinal);
  else if (found == 0) sqlite3_result_null(ctx);
}

static void key_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *s;
  size_t n;
  (void)argc;
  int got = text_argument(ctx, argv[0], "dynenum_key", NULL, &s, &n);
  if (got <= 0) {
    if (got == 0) sqlite3_result_null(ctx);
    return;
  }
  size_t len = dynenum_key(s, n, NULL, 0);
  char *key = sqlite3_malloc64(len + 1);
  if (!key) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  dynenum_key(s, n, key, len);
  sqlite3_result_text64(ctx, key, len, sqlite3_free, SQLITE_UTF8);
}

static void version_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, DYNENUM_VERSION, -1, SQLITE_STATIC);
}

/* ---- Registration ------------------------------------------------------- */

/* Why each function's flags are what they are:
**  - dynenum_resolve and dynenum_is_member are DETERMINISTIC: a member added
**    later has the value its name already resolved to, so additions never
**    change a resolution and only turn is_member's 0 into 1 (which keeps a
**    CHECK true, but would leave an index over is_member stale: the README
**    says to use it in CHECK constraints only).  Dropping and re-creating an
**    enum with other members is the one way to change them; the README says
**    to REINDEX afterwards.
**  - dynenum_ordinal is not: a name gets an ordinal when it is added.
**  - dynenum_key depends on its argument alone; dynenum_version is constant
**    for a build but docs/SPEC.md section 2.3.6 keeps it out of indexes.
**  - all are INNOCUOUS: they read the database and nothing else and change
**    nothing, so CHECK constraints, generated columns, views and triggers
**    may use them with PRAGMA trusted_schema=OFF.
*/
static const struct {
  const char *name;
  int args;
  int flags;
  void (*function)(sqlite3_context *, int, sqlite3_value **);
} functions[] = {
    {"dynenum_resolve", 2, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, resolve_function},
    {"dynenum_is_member", 2, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, is_member_function},
    {"dynenum_ordinal", 2, SQLITE_INNOCUOUS, ordinal_function},
    {"dynenum_key", 1, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, key_function},
    {"dynenum_version", 0, SQLITE_INNOCUOUS, version_function},
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

/* Registers everything on db.  Also the entry point for static builds. */
int dynenum_register(sqlite3 *db) {
  dynenum_connection *c;
  int rc;
  if (sqlite3_libversion_number() < DYNENUM_MIN_SQLITE_VERSION_NUMBER) return SQLITE_ERROR;
  /* Loading again on a connection that has dynenum changes nothing.
  ** Registering anew would fail while a statement runs (load_extension()
  ** is one), and would split the connection's state in two: tables opened
  ** before would keep the old state while the functions used the new. */
  sqlite3_stmt *probe;
  if (sqlite3_prepare_v2(db, "SELECT dynenum_version()", -1, &probe, NULL) == SQLITE_OK) {
    return sqlite3_finalize(probe);
  }
  rc = sqlite3_create_collation_v2(db, "DYNENUM", SQLITE_UTF8, NULL, dynenum_collation, NULL);
  if (rc != SQLITE_OK) return rc;
  c = sqlite3_malloc64(sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  c->db = db;
  if (dynenum_registry_open(&dynenum_sqlite_config, &c->enums) != DYNENUM_OK) {
    sqlite3_free(c);
    return SQLITE_NOMEM;
  }
  if (dynenum_registry_open(&dynenum_sqlite_config, &c->spellings) != DYNENUM_OK) {
    dynenum_registry_close(c->enums);
    sqlite3_free(c);
    return SQLITE_NOMEM;
  }
  /* Each registration holds a reference, released by SQLite through the
  ** destructor (also when the registration itself fails). */
  c->refs = 1;
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof functions / sizeof functions[0]; i++) {
    c->refs++;
    rc = sqlite3_create_function_v2(db, functions[i].name, functions[i].args, SQLITE_UTF8 | functions[i].flags, c,
                                    functions[i].function, NULL, NULL, dynenum_connection_unref);
  }
  if (rc == SQLITE_OK) rc = dynenum_register_modules(db, c);
  dynenum_connection_unref(c); /* registration's own reference */
  if (rc == SQLITE_OK) rc = reparse_schema(db);
  return rc;
}

int sqlite3_dynenum_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  (void)api; /* unused in static builds, where the line above is empty */
  if (sqlite3_libversion_number() < DYNENUM_MIN_SQLITE_VERSION_NUMBER) {
    *error = sqlite3_mprintf("dynenum needs SQLite " DYNENUM_MIN_SQLITE_VERSION " or newer, this is %s",
                             sqlite3_libversion());
    return SQLITE_ERROR;
  }
  int rc = dynenum_register(db);
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM) *error = sqlite3_mprintf("dynenum: cannot register: %s", sqlite3_errstr(rc));
  return rc;
}

#ifndef SQLITE_CORE
/* SQLite closes a loaded extension's shared object with the connection that
** loaded it, but an auto-extension is called for connections opened later:
** so the object opens itself once more, RTLD_NODELETE, before registering.
** Registering twice is harmless (SQLite keeps one entry per function). */
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
