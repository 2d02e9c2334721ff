/*
** failing_alloc.h: SQLite's allocator with one allocation made to fail,
** for the C tests that sweep allocation failures over a program that
** loads the extension (tests/load_oom_test.c, tests/keys_oom_test.c).
**
** failing_alloc_install() puts it in place before sqlite3_initialize()
** (and turns lookaside off, which would serve small allocations without
** asking it).  Set failing_countdown to N and the N-th allocation from
** then on fails (0: the next one), once; -1: none fails.  failing_injected
** says whether one did since it was last cleared.
*/
#ifndef DYNENUM_FAILING_ALLOC_H
#define DYNENUM_FAILING_ALLOC_H

#include <sqlite3.h>

static sqlite3_mem_methods failing_real;
static long failing_countdown = -1;
static int failing_injected;

static void *failing_malloc(int n) {
  if (failing_countdown >= 0 && failing_countdown-- == 0) return failing_injected = 1, NULL;
  return failing_real.xMalloc(n);
}
static void *failing_realloc(void *p, int n) {
  if (failing_countdown >= 0 && failing_countdown-- == 0) return failing_injected = 1, NULL;
  return failing_real.xRealloc(p, n);
}
static void failing_free(void *p) { failing_real.xFree(p); }
static int failing_size(void *p) { return failing_real.xSize(p); }
static int failing_roundup(int n) { return failing_real.xRoundup(n); }
static int failing_init(void *x) { return failing_real.xInit(x); }
static void failing_shutdown(void *x) { failing_real.xShutdown(x); }

/* SQLITE_OK, or the code of the sqlite3_config or initialize that failed. */
static int failing_alloc_install(void) {
  sqlite3_mem_methods failing;
  int rc = sqlite3_config(SQLITE_CONFIG_GETMALLOC, &failing_real);
  if (rc != SQLITE_OK) return rc;
  failing = failing_real;
  failing.xMalloc = failing_malloc;
  failing.xRealloc = failing_realloc;
  failing.xFree = failing_free;
  failing.xSize = failing_size;
  failing.xRoundup = failing_roundup;
  failing.xInit = failing_init;
  failing.xShutdown = failing_shutdown;
  rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &failing);
  if (rc == SQLITE_OK) rc = sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1);
  return rc == SQLITE_OK ? sqlite3_initialize() : rc;
}

#endif
