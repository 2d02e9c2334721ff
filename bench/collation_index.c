/*
** collation_index.c: what COLLATE DYNENUM costs an index build and a sort,
** against COLLATE NOCASE and BINARY on the same rows, in one process.
**
**     build/collation_index EXTENSION [ROUNDS [index|order]]
**         the figures (ROUNDS defaults to 9), or only the index builds or
**         only the sorts
**     build/collation_index EXTENSION profile unicode|ascii COLLATION COUNT
**         COUNT index builds of one collation, untimed, for perf record
**
** The rows are those of tests/broad_pool.h: 100,000 non-ASCII rows of the
** broad pool and 300,000 ASCII enum-like rows, each in a table of an
** in-memory database with a cache large enough to hold everything.  Each
** round times the three collations in a rotating order (so that none
** always runs first or last), in the process's CPU time, and a figure is
** the ratio of the medians of ROUNDS rounds.  Each figure is one line of
** tab-separated fields, as bench/bench.c prints them:
**
**     figure  ratio  a_median_seconds  b_median_seconds  rounds  note
*/
#define _POSIX_C_SOURCE 200809L

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broad_pool.h"

static void fail(sqlite3 *db, const char *what) {
  fprintf(stderr, "collation_index: %s: %s\n", what, db ? sqlite3_errmsg(db) : "error");
  exit(1);
}

/* The process's CPU time rather than the wall clock: on a shared machine,
** time spent waiting for a core is not the collation's. */
static double now(void) {
  struct timespec t;
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) != 0) fail(NULL, "clock_gettime");
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void exec(sqlite3 *db, const char *sql) {
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) fail(db, sql);
}

/* Runs sql to its end, reading every row (an ORDER BY then really sorts
** and hands out every row), and returns the seconds it took. */
static double timed(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt;
  double start = now();
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) fail(db, sql);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) (void)sqlite3_column_bytes(stmt, 0);
  if (rc != SQLITE_DONE) fail(db, sql);
  sqlite3_finalize(stmt);
  return now() - start;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef size_t make_row(pool_random *r, char *out, size_t cap);

/* Creates table(x TEXT) holding count rows from make, the same rows for
** the same seed. */
static void fill(sqlite3 *db, const char *table, int count, make_row *make, uint64_t seed) {
  char sql[128], row[512];
  sqlite3_stmt *insert;
  pool_random r = {seed};
  snprintf(sql, sizeof sql, "CREATE TABLE %s(x TEXT)", table);
  exec(db, sql);
  snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?1)", table);
  if (sqlite3_prepare_v2(db, sql, -1, &insert, NULL) != SQLITE_OK) fail(db, sql);
  exec(db, "BEGIN");
  for (int i = 0; i < count; i++) {
    size_t n = make(&r, row, sizeof row);
    if (sqlite3_bind_text(insert, 1, row, (int)n, SQLITE_STATIC) != SQLITE_OK) fail(db, "bind");
    if (sqlite3_step(insert) != SQLITE_DONE) fail(db, sql);
    if (sqlite3_reset(insert) != SQLITE_OK) fail(db, sql);
  }
  exec(db, "COMMIT");
  sqlite3_finalize(insert);
}

static sqlite3 *open_db(const char *extension) {
  sqlite3 *db;
  char *error = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) fail(db, "open");
  if (sqlite3_enable_load_extension(db, 1) != SQLITE_OK) fail(db, "enable_load_extension");
  if (sqlite3_load_extension(db, extension, NULL, &error) != SQLITE_OK) {
    fprintf(stderr, "collation_index: cannot load %s: %s\n", extension, error ? error : "");
    exit(1);
  }
  exec(db, "PRAGMA cache_size = -262144");
  fill(db, "unicode", 100000, pool_row, 0x9E3779B97F4A7C15u);
  fill(db, "ascii", 300000, pool_ascii_row, 0xD1B54A32D192ED03u);
  return db;
}

static const char *const collations[3] = {"DYNENUM", "NOCASE", "BINARY"};

/* One statement (an index build or a sort) under each collation, ROUNDS
** rounds; prints DYNENUM against NOCASE and against BINARY. */
static void figures(sqlite3 *db, const char *name, const char *table, int is_index, int rounds, const char *note) {
  double t[3][64];
  char sql[3][160];
  for (int c = 0; c < 3; c++) {
    if (is_index) snprintf(sql[c], sizeof sql[c], "CREATE INDEX i ON %s(x COLLATE %s)", table, collations[c]);
    else snprintf(sql[c], sizeof sql[c], "SELECT x FROM %s ORDER BY x COLLATE %s", table, collations[c]);
  }
  for (int round = -1; round < rounds; round++) { /* round -1 warms up, untimed */
    for (int k = 0; k < 3; k++) {
      int c = (k + (round < 0 ? 0 : round)) % 3;
      double seconds = timed(db, sql[c]);
      if (is_index) exec(db, "DROP INDEX i");
      if (round >= 0) t[c][round] = seconds;
    }
  }
  double m[3];
  for (int c = 0; c < 3; c++) m[c] = median(t[c], rounds);
  printf("%s_dynenum_vs_nocase\t%.4f\t%.6f\t%.6f\t%d\t%s\n", name, m[0] / m[1], m[0], m[1], rounds, note);
  printf("%s_dynenum_vs_binary\t%.4f\t%.6f\t%.6f\t%d\t%s\n", name, m[0] / m[2], m[0], m[2], rounds, note);
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s EXTENSION [ROUNDS] | EXTENSION profile unicode|ascii COLLATION COUNT\n", argv[0]);
    return 2;
  }
  sqlite3 *db = open_db(argv[1]);
  if (argc == 6 && strcmp(argv[2], "profile") == 0) {
    char sql[160];
    snprintf(sql, sizeof sql, "CREATE INDEX i ON %s(x COLLATE %s)", argv[3], argv[4]);
    for (int i = atoi(argv[5]); i > 0; i--) {
      timed(db, sql);
      exec(db, "DROP INDEX i");
    }
  } else {
    int rounds = argc > 2 ? atoi(argv[2]) : 9;
    const char *only = argc > 3 ? argv[3] : "";
    if (rounds < 1 || rounds > 64) rounds = 9;
    if (strcmp(only, "order") != 0) {
      figures(db, "index_unicode", "unicode", 1, rounds, "CREATE INDEX, 100,000 non-ASCII rows of the broad pool");
      figures(db, "index_ascii", "ascii", 1, rounds, "CREATE INDEX, 300,000 ASCII enum-like rows");
    }
    if (strcmp(only, "index") != 0) {
      figures(db, "order_unicode", "unicode", 0, rounds, "ORDER BY, 100,000 non-ASCII rows of the broad pool");
      figures(db, "order_ascii", "ascii", 0, rounds, "ORDER BY, 300,000 ASCII enum-like rows");
    }
  }
  sqlite3_close(db);
  return 0;
}
