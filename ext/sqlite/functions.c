/*
** sqlite/functions.c: the seven SQL functions.
**
**   dynenum_resolve(enum, x)      the value of the real member x names (by
**                                 name or value, through keys), else the key
**                                 of x when x is a valid dynamic name, else an
**                                 error quoting x and naming the enum
**   dynenum_is_member(enum, x)    1 when x names a real member, else 0
**   dynenum_ordinal(enum, x)      the ordinal of the real member x names, or
**                                 NULL (dynamic, reserved, malformed)
**   dynenum_strict(enum, x)       what dynenum_resolve returns for a real
**                                 member (retired or not), else an error
**                                 listing the valid names: for CHECK
**   dynenum_current(enum, x)      the same, and a retired member is an
**                                 error too: for triggers on new rows
**   dynenum_key(x)                the key of x
**   dynenum_version()             the version of this extension
**
** For every function a NULL x gives NULL; a non-text x, an unknown enum and
** an enum name that is not text are errors.  Enum names follow SQLite's table
** name rules (ASCII case-insensitive, "schema.name" allowed); the cache
** (sqlite/cache.c) finds them.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#ifndef DYNENUM_VERSION
#error "DYNENUM_VERSION must be defined (the Makefile takes it from the VERSION file)"
#endif

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

/* What a function keeps for its statement in argument 0's auxdata: the
** enum, or, while the key table answers, the state of lazy look-ups
** (docs/SPEC.md section 12.6) until one cannot and the enum is loaded. */
typedef struct statement_enum {
  dynenum_enum *e;
  dynenum_lazy *lazy;
} statement_enum;

static void release_statement_enum(void *p) {
  statement_enum *st = p;
  dynenum_enum_release(st->e);
  dynenum_lazy_free(st->lazy);
  sqlite3_free(st);
}

/* Reports a failure to find the enum: its message, or SQLite's code. */
static void enum_error(sqlite3_context *ctx, int rc, char *error) {
  if (error) {
    sqlite3_result_error(ctx, error, -1);
    sqlite3_result_error_code(ctx, rc);
    sqlite3_free(error);
  } else if (rc == SQLITE_NOMEM) {
    sqlite3_result_error_nomem(ctx);
  } else {
    sqlite3_result_error_code(ctx, rc);
  }
}

/* The state kept for the enum named by argument 0, made on the first call
** of the statement (looked up and checked for freshness once per
** statement, while SQLite keeps auxdata for a constant argument); lazy when
** the enum is big and not held whole.  Borrowed; NULL after setting an error. */
static statement_enum *function_state(sqlite3_context *ctx, sqlite3_value **argv, const char *function) {
  statement_enum *st = sqlite3_get_auxdata(ctx, 0);
  char *error;
  if (st) return st;
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    char *what = dynenum_describe_value(argv[0]);
    result_error_owned(ctx, what ? sqlite3_mprintf("%s(): enum name must be text, not %s", function, what) : NULL);
    sqlite3_free(what);
    return NULL;
  }
  const char *name = (const char *)sqlite3_value_text(argv[0]);
  st = name ? sqlite3_malloc64(sizeof *st) : NULL;
  if (!st) {
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  st->e = NULL;
  st->lazy = NULL;
  dynenum_connection *c = sqlite3_user_data(ctx);
  size_t n = (size_t)sqlite3_value_bytes(argv[0]);
  int rc = dynenum_connection_enum_lazily(c, name, n, &st->e, &st->lazy, &error);
  if (rc != SQLITE_OK) {
    sqlite3_free(st);
    enum_error(ctx, rc, error);
    return NULL;
  }
  /* The auxdata takes it over; on failure SQLite frees it at once. */
  sqlite3_set_auxdata(ctx, 0, st, release_statement_enum);
  if (sqlite3_get_auxdata(ctx, 0) != st) {
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  return st;
}

/* The enum of st, loaded whole now if the statement was answering lazily. */
static dynenum_enum *state_enum(sqlite3_context *ctx, sqlite3_value **argv, statement_enum *st) {
  char *error;
  if (st->e) return st->e;
  dynenum_lazy_free(st->lazy);
  st->lazy = NULL;
  const char *name = (const char *)sqlite3_value_text(argv[0]);
  if (!name) {
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  int rc = dynenum_connection_enum(sqlite3_user_data(ctx), name, (size_t)sqlite3_value_bytes(argv[0]), 0, &st->e,
                                   &error);
  if (rc != SQLITE_OK) {
    enum_error(ctx, rc, error);
    return NULL;
  }
  return st->e;
}

/* While the statement answers lazily: 1 with *hit when the key table
** answers for argument 1 (a text that names a member or alias, verified),
** 0 otherwise (then the caller goes on with the enum of *state, loaded by
** state_enum), -1 after an error has been set.  *state is the statement's
** state, so that a call asks SQLite for its auxdata once. */
static int lazy_member(sqlite3_context *ctx, sqlite3_value **argv, const char *function, dynenum_lazy_hit *hit,
                       statement_enum **state) {
  statement_enum *st = *state = function_state(ctx, argv, function);
  if (!st) return -1;
  if (!st->lazy) return 0;
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return -1;
  }
  if (sqlite3_value_type(argv[1]) != SQLITE_TEXT) return 0;
  const char *s = (const char *)sqlite3_value_text(argv[1]);
  if (!s) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  return dynenum_lazy_find(st->lazy, s, (size_t)sqlite3_value_bytes(argv[1]), hit);
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
static int function_member(sqlite3_context *ctx, sqlite3_value **argv, const char *function, statement_enum *st,
                           dynenum_enum **e, const char **s, size_t *n, const dynenum_member **m) {
  *e = state_enum(ctx, argv, st);
  if (!*e) return -1;
  int got = text_argument(ctx, argv[1], function, *e, s, n);
  if (got <= 0) {
    if (got == 0) sqlite3_result_null(ctx);
    return -1;
  }
  /* dynenum_enum_find answers found or not found, nothing else. */
  return dynenum_enum_find(*e, *s, *n, m) == DYNENUM_OK;
}

static void resolve_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  dynenum_enum *e;
  const dynenum_member *m;
  const char *s;
  size_t n;
  (void)argc;
  dynenum_lazy_hit hit;
  statement_enum *st;
  int lazy = lazy_member(ctx, argv, "dynenum_resolve", &hit, &st);
  if (lazy) {
    if (lazy > 0) sqlite3_result_text64(ctx, hit.value, hit.value_len, sqlite3_free, SQLITE_UTF8);
    return;
  }
  int found = function_member(ctx, argv, "dynenum_resolve", st, &e, &s, &n, &m);
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
  dynenum_lazy_hit hit;
  statement_enum *st;
  int lazy = lazy_member(ctx, argv, "dynenum_is_member", &hit, &st);
  if (lazy) {
    if (lazy > 0) sqlite3_result_int(ctx, 1);
    if (lazy > 0) sqlite3_free(hit.value);
    return;
  }
  int found = function_member(ctx, argv, "dynenum_is_member", st, &e, &s, &n, &m);
  if (found >= 0) sqlite3_result_int(ctx, found);
}

static void ordinal_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  dynenum_enum *e;
  const dynenum_member *m;
  const char *s;
  size_t n;
  (void)argc;
  dynenum_lazy_hit hit;
  statement_enum *st;
  int lazy = lazy_member(ctx, argv, "dynenum_ordinal", &hit, &st);
  if (lazy) {
    if (lazy > 0) sqlite3_result_int64(ctx, hit.ordinal);
    if (lazy > 0) sqlite3_free(hit.value);
    return;
  }
  int found = function_member(ctx, argv, "dynenum_ordinal", st, &e, &s, &n, &m);
  if (found > 0) sqlite3_result_int64(ctx, m->ordinal);
  else if (found == 0) sqlite3_result_null(ctx);
}

/* dynenum_strict and dynenum_current: the core's strict checks, whose
** messages list the valid names (docs/SPEC.md section 11.3). */
static void strict_check(sqlite3_context *ctx, sqlite3_value **argv, const char *function, int current) {
  const char *s;
  size_t n;
  const dynenum_member *m;
  dynenum_error err;
  dynenum_lazy_hit hit;
  statement_enum *st;
  int lazy = lazy_member(ctx, argv, function, &hit, &st);
  /* A retired member's refusal by dynenum_current lists the enum: whole. */
  if (lazy > 0 && !(current && hit.retired)) {
    sqlite3_result_text64(ctx, hit.value, hit.value_len, sqlite3_free, SQLITE_UTF8);
    return;
  }
  if (lazy > 0) sqlite3_free(hit.value);
  if (lazy < 0) return;
  dynenum_enum *e = state_enum(ctx, argv, st);
  if (!e) return;
  int got = text_argument(ctx, argv[1], function, e, &s, &n);
  if (got <= 0) {
    if (got == 0) sqlite3_result_null(ctx);
    return;
  }
  int rc = current ? dynenum_enum_check_current(e, s, n, &m, &err) : dynenum_enum_check_member(e, s, n, &m, &err);
  if (rc == DYNENUM_OK) sqlite3_result_text64(ctx, m->value, m->value_len, SQLITE_TRANSIENT, SQLITE_UTF8);
  else result_error_owned(ctx, sqlite3_mprintf("%s(): %s", function, err.message));
}

static void strict_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  strict_check(ctx, argv, "dynenum_strict", 0);
}

static void current_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  strict_check(ctx, argv, "dynenum_current", 1);
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

/* Why each function's flags are what they are:
**  - dynenum_resolve and dynenum_is_member are DETERMINISTIC: a member added
**    later has the value its name already resolved to, so additions never
**    change a resolution and only turn is_member's 0 into 1 (which keeps a
**    CHECK true, but would leave an index over is_member stale: the README
**    says to use it in CHECK constraints only).  Dropping and re-creating an
**    enum with other members is the one way to change them; the README says
**    to REINDEX afterwards.
**  - dynenum_strict is DETERMINISTIC for the same reason as is_member:
**    additions only turn its error into the value dynenum_resolve already
**    gave, and retiring does not change it, so that a CHECK over it stays
**    true for stored rows (SQLite checks it again on every UPDATE of the
**    row and in PRAGMA integrity_check).  It must be deterministic to be
**    allowed in a CHECK at all.
**  - dynenum_current is not: retiring a member turns its value into an
**    error and un-retiring back, which no index, CHECK or generated column
**    may rest on; it is for triggers on new rows and for queries.
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
    {"dynenum_strict", 2, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, strict_function},
    {"dynenum_current", 2, SQLITE_INNOCUOUS, current_function},
    {"dynenum_key", 1, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, key_function},
    {"dynenum_version", 0, SQLITE_INNOCUOUS, version_function},
};

int dynenum_function_taken(sqlite3 *db, const char **taken) {
  *taken = NULL;
  for (size_t i = 0; !*taken && i < sizeof functions / sizeof functions[0]; i++) {
    static const char *const nulls[] = {"", "NULL", "NULL, NULL"};
    char *sql = sqlite3_mprintf("SELECT %s(%s)", functions[i].name, nulls[functions[i].args]);
    if (!sql) return SQLITE_NOMEM;
    sqlite3_stmt *probe = NULL;
    /* Compiling a call succeeds exactly when a function would answer it. */
    int rc = sqlite3_prepare_v2(db, sql, -1, &probe, NULL);
    if (rc == SQLITE_OK) *taken = functions[i].name;
    sqlite3_finalize(probe);
    sqlite3_free(sql);
    if (rc == SQLITE_NOMEM) return rc;
  }
  return SQLITE_OK;
}

int dynenum_register_functions(sqlite3 *db, dynenum_connection *c) {
  int rc = SQLITE_OK;
  /* Each registration holds a reference, released by SQLite through the
  ** destructor (also when the registration itself fails). */
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof functions / sizeof functions[0]; i++) {
    c->refs++;
    rc = sqlite3_create_function_v2(db, functions[i].name, functions[i].args, SQLITE_UTF8 | functions[i].flags, c,
                                    functions[i].function, NULL, NULL, dynenum_connection_unref);
  }
  return rc;
}
