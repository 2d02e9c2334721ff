/*
** load_oom_test.c: loading the shared extension (build/dynenum.so) while
** SQLite's allocations fail, one after another.
**
**     build/load_oom_test [EXTENSION]
**
** EXTENSION defaults to $DYNENUM_EXT, else build/dynenum (SQLite adds the
** suffix), as for the Tcl suite.
**
** A load that fails part of the way has registered some of dynenum on the
** connection before SQLite unloads the shared object.  The connection must
** then still run statements and close without calling into unloaded code
** (ext/sqlite/extension.c keeps the object loaded after such a failure).
** For each N, the Nth allocation after the connection is open fails; the
** load either succeeds (then N is past every allocation it makes and the
** sweep ends) or fails, and either way a statement that would call dynenum
** runs and the connection closes.  A crash fails the whole program, which
** tests/run.tcl counts as a failure.
**
** Links the system SQLite; the extension is only loaded, never linked.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctest.h"
#include "failing_alloc.h"


/* Loads the extension on a new connection with the fail-th allocation
** failing; returns the load's result code, or -1 when the connection could
** not be opened or closed. */
static int load_once(const char *extension, long fail) {
  sqlite3 *db = NULL;
  char *error = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    sqlite3_close(db);
    return -1;
  }
  sqlite3_enable_load_extension(db, 1);
  failing_countdown = fail;
  failing_injected = 0;
  int rc = sqlite3_load_extension(db, extension, NULL, &error);
  failing_countdown = -1;
  if (getenv("LOAD_OOM_VERBOSE") && error) fprintf(stderr, "%ld: %s\n", fail, error);
  sqlite3_free(error);
  /* Calls whatever part of dynenum the load left registered. */
  sqlite3_exec(db, "SELECT 'a' = 'A' COLLATE DYNENUM, dynenum_key('X'), dynenum_resolve('e', 'x')", NULL, NULL, NULL);
  if (sqlite3_close(db) != SQLITE_OK) return -1;
  return rc;
}

int main(int argc, char **argv) {
  if (argc > 2) {
    fprintf(stderr, "usage: %s [EXTENSION]\n", argv[0]);
    return 2;
  }
  const char *extension = argc == 2 ? argv[1] : getenv("DYNENUM_EXT") ? getenv("DYNENUM_EXT") : "build/dynenum";
  if (failing_alloc_install() != SQLITE_OK) {
    fprintf(stderr, "cannot install the failing allocator\n");
    return 2;
  }

  ctest_group("a load that runs out of memory leaves a usable connection");
  /* Until the load makes fewer allocations than the one meant to fail. */
  long failures = 0, n;
  int rc = SQLITE_NOMEM;
  for (n = 0; n < 100000; n++) {
    rc = load_once(extension, n);
    CHECK(rc != -1, "connection with allocation %ld failing opens and closes", n);
    if (!failing_injected) break;
    if (rc != SQLITE_OK) failures++;
  }
  CHECK_INT_EQ(SQLITE_OK, rc, "the load succeeds when no allocation fails (after %ld)", n);
  CHECK(failures > 20, "the sweep went through the registration (%ld failed loads)", failures);
  printf("%ld allocations, %ld of them failing made the load fail\n", n, failures);

  ctest_group("a load with every allocation granted");
  CHECK_INT_EQ(SQLITE_OK, load_once(extension, -1), "load");
  return ctest_finish();
}
