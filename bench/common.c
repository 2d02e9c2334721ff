/*
** common.c: timing, medians, interleaved rounds and the output lines that
** every figure of the benchmark uses.
*/
#define _POSIX_C_SOURCE 200809L

#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void bench_fail(sqlite3 *db, const char *what) {
  fprintf(stderr, "bench: %s: %s\n", what, db ? sqlite3_errmsg(db) : "error");
  exit(1);
}

/* The CPU time of this process, not the wall clock: on a machine shared
** with other work, time spent descheduled would land on whichever side
** happened to run then.  Every figure runs in one thread. */
double bench_now(void) {
  struct timespec t;
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) != 0) bench_fail(NULL, "clock_gettime");
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void bench_exec(sqlite3 *db, const char *sql) {
  char *error = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
    fprintf(stderr, "bench: %s\n  in: %s\n", error ? error : "error", sql);
    exit(1);
  }
}

/* Runs sql to the end, reading every column of every row as text (so that
** an ORDER BY really produces its rows), and returns the seconds taken. */
double bench_timed(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt;
  double start = bench_now();
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) bench_fail(db, sql);
  int rc;
  size_t bytes = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(stmt); i++) bytes += (size_t)sqlite3_column_bytes(stmt, i);
  }
  if (rc != SQLITE_DONE) bench_fail(db, sql);
  sqlite3_finalize(stmt);
  (void)bytes;
  return bench_now() - start;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double bench_median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint64_t prng = 0x2545f4914f6cdd1du;
uint32_t bench_random(void) {
  prng ^= prng << 13;
  prng ^= prng >> 7;
  prng ^= prng << 17;
  return (uint32_t)(prng >> 16);
}

/* A connection to path (":memory:" for none) with the extension loaded
** and a page cache large enough that no figure measures eviction. */
sqlite3 *bench_open(const char *extension, const char *path) {
  sqlite3 *db;
  char *error = NULL;
  if (sqlite3_open(path, &db) != SQLITE_OK) bench_fail(db, path);
  if (sqlite3_enable_load_extension(db, 1) != SQLITE_OK) bench_fail(db, "enable_load_extension");
  if (sqlite3_load_extension(db, extension, NULL, &error) != SQLITE_OK) {
    fprintf(stderr, "bench: cannot load %s: %s\n", extension, error ? error : "");
    exit(1);
  }
  bench_exec(db, "PRAGMA cache_size = -262144");
  return db;
}

/* Runs the statements sql[0..sides) (each followed by its undo, when not
** NULL) rounds times each, the order rotating every round so that no side
** always runs first or after the same neighbour, after one untimed run of
** each when warm is set (the page cache, the enum cache); medians[k] is
** side k's median. */
void bench_sides(sqlite3 *db, int sides, const char *const *sql, const char *const *undo, int rounds, int warm,
                 double *medians) {
  static double t[BENCH_MAX_SIDES][BENCH_MAX_ROUNDS];
  if (sides > BENCH_MAX_SIDES || rounds > BENCH_MAX_ROUNDS || rounds < 1) bench_fail(NULL, "too many sides or rounds");
  for (int k = 0; warm && k < sides; k++) {
    bench_timed(db, sql[k]);
    if (undo && undo[k]) bench_exec(db, undo[k]);
  }
  for (int r = 0; r < rounds; r++) {
    for (int j = 0; j < sides; j++) {
      /* Odd rounds run backwards, so that each pair meets in both orders. */
      int k = r % 2 ? (sides - 1 - (j + r / 2) % sides) : (j + r / 2) % sides;
      t[k][r] = bench_timed(db, sql[k]);
      if (undo && undo[k]) bench_exec(db, undo[k]);
    }
  }
  for (int k = 0; k < sides; k++) medians[k] = bench_median(t[k], rounds);
}

void bench_print(const char *name, double a, double b, int rounds, const char *note) {
  printf("%s\t%.4f\t%.9f\t%.9f\t%d\t%s\n", name, a / b, a, b, rounds, note);
  fflush(stdout);
}

/* Times a (a_sql, then a_undo) against b (b_sql, then b_undo) and prints
** the figure's line. */
void bench_figure(sqlite3 *db, const char *name, int rounds, const char *a_sql, const char *a_undo,
                  const char *b_sql, const char *b_undo, const char *note) {
  const char *sql[2] = {a_sql, b_sql}, *undo[2] = {a_undo, b_undo};
  double m[2];
  bench_sides(db, 2, sql, undo, rounds, 1, m);
  bench_print(name, m[0], m[1], rounds, note);
}

void bench_curve(const char *curve, const char *series, double x, double y) {
  printf("curve\t%s\t%s\t%.0f\t%.9g\n", curve, series, x, y);
  fflush(stdout);
}

/* The resident set now (not the peak), in KiB, from /proc/self/statm. */
long bench_rss_kib(void) {
  long pages_total = 0, pages_resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) bench_fail(NULL, "/proc/self/statm");
  if (fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) bench_fail(NULL, "/proc/self/statm");
  fclose(f);
  return pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}
