/* repro_finalize_all.c (review rev13f): a program that finalizes every
** statement sqlite3_next_stmt lists (a common "clean up leaked statements"
** step) frees dynenum's kept PRAGMA; dynenum then steps it (keep using the
** connection: argument "use") or finalizes it again from xDisconnect inside
** sqlite3_close (argument "close").  fresh13: SIGSEGV / SIGBUS on the system
** SQLite, heap-use-after-free under ASan; fb19db6: no statement is listed and
** both runs end with close rc=0.  Not wired into the Makefile (it crashes).
**
**   cc tests/repro_finalize_all.c -o build/repro_finalize_all -lsqlite3
**   build/repro_finalize_all close; build/repro_finalize_all use
*/
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

static void value(sqlite3 *db, const char *sql) {
  sqlite3_stmt *s;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s, 0);
  if (!rc) rc = sqlite3_step(s);
  printf("%s -> %s\n", sql, rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : sqlite3_errmsg(db));
  fflush(stdout);
  sqlite3_finalize(s);
}

int main(int argc, char **argv) {
  sqlite3 *db;
  char *message = 0;
  const char *ext = getenv("DYNENUM_EXT") ? getenv("DYNENUM_EXT") : "build/dynenum";
  unlink("build/repro_finalize_all.db");
  sqlite3_open("build/repro_finalize_all.db", &db);
  sqlite3_enable_load_extension(db, 1);
  if (sqlite3_load_extension(db, ext, 0, &message)) {
    printf("cannot load %s: %s\n", ext, message);
    return 2;
  }
  sqlite3_exec(db, "CREATE VIRTUAL TABLE e USING dynenum(A, B)", 0, 0, 0);
  value(db, "SELECT dynenum_resolve('e', 'a')");
  for (sqlite3_stmt *s; (s = sqlite3_next_stmt(db, 0)) != NULL;) {
    printf("finalizing %s\n", sqlite3_sql(s));
    fflush(stdout);
    sqlite3_finalize(s);
  }
  if (argc > 1 && strcmp(argv[1], "use") == 0) {
    sqlite3 *other; /* a commit elsewhere, so that the check runs the PRAGMA */
    sqlite3_open("build/repro_finalize_all.db", &other);
    sqlite3_exec(other, "CREATE TABLE t(x)", 0, 0, 0);
    sqlite3_close(other);
    value(db, "SELECT dynenum_resolve('e', 'b')");
  }
  printf("close rc=%d\n", sqlite3_close(db));
  return 0;
}
