/*
** keys_oom_test.c: the key table's new paths (docs/SPEC.md section 12.6)
** while SQLite's allocations fail, one after another (review revcold).
**
**     build/asan/keys_oom_test [DIRECTORY]   (make test-oom)
**
** The files go to DIRECTORY (default build/oom).  The extension loaded is
** $DYNENUM_EXT, else build/asan/dynenum in an ASan build (make test-oom),
** else build/dynenum.
** Three sweeps on a file with a big enum (2,000 members, an alias, a
** retired member): a lazy look-up on a fresh connection; an INSERT whose
** commit writes the key table (xSync); and the same on a file whose key
** table is gone (the commit creates it and writes every key).  For each N
** the N-th allocation after the connection is open fails.  Each statement
** must give its right answer or SQLITE_NOMEM, never another error or a
** wrong answer; after it the same connection, with nothing failing, must
** answer right; the file must pass integrity_check; and SQLite's memory in
** use must be back where it was once the connection is closed (a leak
** otherwise).  Links the system SQLite; the extension is only loaded.
*/
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "ctest.h"
#include "failing_alloc.h"

/* A check whose name is the text what. */
#define CHECK_WHAT(condition, what) CHECK(condition, "%s", what)


static const char *extension;
static char base_path[1024], work_path[1024];

/* Runs sql, its one row's one column as text in out ("" for none); the
** result code, the error message in out on failure. */
static int one_value(sqlite3 *db, const char *sql, char *out, size_t cap) {
  sqlite3_stmt *stmt = NULL;
  out[0] = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char *t = sqlite3_column_text(stmt, 0);
      snprintf(out, cap, "%s", t ? (const char *)t : "");
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      }
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  if (rc != SQLITE_OK) snprintf(out, cap, "%s", sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  return rc;
}

static int open_loaded(const char *path, sqlite3 **db) {
  char *error = NULL;
  if (sqlite3_open(path, db) != SQLITE_OK) return SQLITE_ERROR;
  sqlite3_enable_load_extension(*db, 1);
  int rc = sqlite3_load_extension(*db, extension, NULL, &error);
  if (rc != SQLITE_OK) fprintf(stderr, "load: %s\n", error ? error : "?");
  sqlite3_free(error);
  return rc;
}

static int copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  char buf[65536];
  size_t n;
  int ok = in && out;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
  if (in) fclose(in);
  if (out && fclose(out) != 0) ok = 0;
  return ok;
}

static int make_base(void) {
  sqlite3 *db;
  char out[256];
  remove(base_path);
  if (open_loaded(base_path, &db) != SQLITE_OK) return 0;
  int rc = one_value(db, "CREATE VIRTUAL TABLE e USING dynenum(ALPHA, BETA = ALPHA, GAMMA)", out, sizeof out);
  if (rc == SQLITE_OK) {
    rc = one_value(db,
                   "INSERT INTO e(name) WITH RECURSIVE c(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM c WHERE "
                   "i < 2000) SELECT 'm' || i FROM c",
                   out, sizeof out);
  }
  if (rc == SQLITE_OK) rc = one_value(db, "UPDATE e SET retired = 1 WHERE name = 'm9'", out, sizeof out);
  sqlite3_close(db);
  return rc == SQLITE_OK;
}

/* Removes the key table with a connection without dynenum. */
static int drop_keys(const char *path) {
  sqlite3 *db;
  char out[256];
  if (sqlite3_open(path, &db) != SQLITE_OK) return 0;
  int rc = one_value(db, "DROP TABLE e_keys", out, sizeof out);
  sqlite3_close(db);
  return rc == SQLITE_OK;
}

#define LOOKUP                                                                                                  \
  "SELECT dynenum_ordinal('e', 'm5') || ',' || dynenum_resolve('e', 'beta') || ',' || dynenum_is_member('e', " \
  "'M2000') || ',' || dynenum_strict('e', 'm9')"
#define LOOKUP_ANSWER "7,alpha,1,m9"
#define AFTER_INSERT "SELECT dynenum_ordinal('e', 'new1') || ',' || dynenum_ordinal('e', 'new2')"

/* One run: 0 when it passed with no allocation failing (the sweep ends),
** 1 when it passed with one failing, -1 after reporting a failure. */
static int run_once(int sweep, long fail) {
  sqlite3 *db;
  char out[512];
  if (!copy_file(base_path, work_path)) return CHECK(0, "copy the base file"), -1;
  if (sweep == 2 && !drop_keys(work_path)) return CHECK(0, "drop the key table"), -1;
  sqlite3_int64 before = sqlite3_memory_used();
  if (open_loaded(work_path, &db) != SQLITE_OK) return CHECK(0, "open"), -1;
  failing_countdown = fail;
  failing_injected = 0;
  int rc = one_value(db, sweep == 0 ? LOOKUP : "INSERT INTO e(name) VALUES ('new1'), ('new2')", out, sizeof out);
  failing_countdown = -1;
  int was_injected = failing_injected, ok = 1;
  char what[1024];
  snprintf(what, sizeof what, "sweep %d, allocation %ld: rc %d, '%s'", sweep, fail, rc, out);
  if (sweep == 0) {
    ok = (rc == SQLITE_OK && strcmp(out, LOOKUP_ANSWER) == 0) || (rc & 0xff) == SQLITE_NOMEM;
    CHECK_WHAT(ok, what);
    rc = one_value(db, LOOKUP, out, sizeof out);
    snprintf(what, sizeof what, "sweep 0, after allocation %ld failed: rc %d, '%s'", fail, rc, out);
    ok = CHECK_WHAT(rc == SQLITE_OK && strcmp(out, LOOKUP_ANSWER) == 0, what) && ok;
  } else {
    int added = rc == SQLITE_OK;
    ok = added || (rc & 0xff) == SQLITE_NOMEM;
    CHECK_WHAT(ok, what);
    rc = one_value(db, AFTER_INSERT, out, sizeof out);
    snprintf(what, sizeof what, "sweep %d, allocation %ld, then: rc %d, '%s'", sweep, fail, rc, out);
    ok = CHECK_WHAT(rc == SQLITE_OK && strcmp(out, added ? "2003,2004" : "") == 0, what) && ok;
  }
  sqlite3_close(db);
  snprintf(what, sizeof what, "sweep %d, allocation %ld: memory back (%lld before, %lld after)", sweep, fail,
           (long long)before, (long long)sqlite3_memory_used());
  ok = CHECK_WHAT(sqlite3_memory_used() == before, what) && ok;
  if (open_loaded(work_path, &db) != SQLITE_OK) return CHECK(0, "reopen"), -1;
  rc = one_value(db, "PRAGMA integrity_check", out, sizeof out);
  snprintf(what, sizeof what, "sweep %d, allocation %ld: integrity_check '%s'", sweep, fail, out);
  ok = CHECK_WHAT(rc == SQLITE_OK && strcmp(out, "ok") == 0, what) && ok;
  rc = one_value(db, sweep == 0 ? LOOKUP : AFTER_INSERT, out, sizeof out);
  snprintf(what, sizeof what, "sweep %d, allocation %ld: a fresh connection: rc %d, '%s'", sweep, fail, rc, out);
  ok = CHECK_WHAT(rc == SQLITE_OK && (sweep == 0 ? strcmp(out, LOOKUP_ANSWER) == 0 : 1), what) && ok;
  sqlite3_close(db);
  if (!ok) return -1;
  return was_injected;
}

int main(int argc, char **argv) {
#if defined(__SANITIZE_ADDRESS__)
  const char *built = "build/asan/dynenum";
#else
  const char *built = "build/dynenum";
#endif
  extension = getenv("DYNENUM_EXT") ? getenv("DYNENUM_EXT") : built;
  const char *dir = argc > 1 ? argv[1] : "build/oom";
  snprintf(base_path, sizeof base_path, "%s/keys_oom_base-%d.db", dir, (int)getpid());
  snprintf(work_path, sizeof work_path, "%s/keys_oom_work-%d.db", dir, (int)getpid());
  if (failing_alloc_install() != SQLITE_OK) {
    fprintf(stderr, "cannot install the failing allocator\n");
    return 1;
  }
  static const char *const names[] = {"a lazy look-up while allocations fail",
                                      "an INSERT whose commit writes the key table while allocations fail",
                                      "an INSERT whose commit creates the key table while allocations fail"};
  if (!make_base()) {
    fprintf(stderr, "cannot make the base file\n");
    return 1;
  }
  for (int sweep = 0; sweep < 3; sweep++) {
    ctest_group(names[sweep]);
    int failures = 0;
    for (long fail = 0; fail < 100000; fail++) {
      int r = run_once(sweep, fail);
      if (r < 0 && ++failures >= 5) break;
      if (r == 0) break;
    }
  }
  remove(base_path);
  remove(work_path);
  return ctest_finish();
}
