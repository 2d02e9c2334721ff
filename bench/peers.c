/*
** peers.c: index builds with DYNENUM against SQLite's NOCASE and BINARY and
** against ICU's root collation, all in one process on the ICU-enabled
** SQLite that bench/icu_sqlite.sh builds (bench/run.sh runs this mode with
** it first on LD_LIBRARY_PATH); and how an index build grows with rows.
*/
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_FILE "build/bench-rows.db"

enum { BINARY, NOCASE, DYNENUM, ICU_SECONDARY, ICU_PRIMARY, COLLATIONS };
static const char *const collations[COLLATIONS] = {"BINARY", "NOCASE", "DYNENUM", "ICU_SECONDARY", "ICU_PRIMARY"};

/* Registers ICU's root collation at two strengths, or stops the bench: a
** figure that cannot be measured must not go missing quietly. */
static void load_icu(sqlite3 *db) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(db, "SELECT sqlite_compileoption_used('ENABLE_ICU')", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step(stmt) != SQLITE_ROW) {
    bench_fail(db, "compile options");
  }
  int icu = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  if (!icu) {
    fprintf(stderr, "bench: peers needs the ICU-enabled SQLite (SQLite %s at run time was built without ICU);"
                    " run it through bench/run.sh\n", sqlite3_libversion());
    exit(1);
  }
  bench_exec(db, "SELECT icu_load_collation('root', 'ICU_SECONDARY', 'SECONDARY');"
                 "SELECT icu_load_collation('root', 'ICU_PRIMARY', 'PRIMARY')");
}

/* The index of each collation on table, in rotating order, rounds each.
** An index build needs no untimed run first: its rows are in memory and it
** caches nothing the next build could reuse. */
static void index_builds(sqlite3 *db, const char *table, int count, const int *which, int rounds, int warm,
                         double *medians) {
  static char sql[COLLATIONS][128];
  const char *statements[COLLATIONS], *undo[COLLATIONS];
  for (int k = 0; k < count; k++) {
    snprintf(sql[k], sizeof sql[k], "CREATE INDEX i ON %s(x COLLATE %s)", table, collations[which[k]]);
    statements[k] = sql[k];
    undo[k] = "DROP INDEX i";
  }
  bench_sides(db, count, statements, undo, rounds, warm, medians);
}

static void index_figures(sqlite3 *db, const char *table, const char *kind, const char *rows_note) {
  static const int all[COLLATIONS] = {BINARY, NOCASE, DYNENUM, ICU_SECONDARY, ICU_PRIMARY};
  const int rounds = strcmp(kind, "ascii") == 0 ? 5 : 7;
  double m[COLLATIONS];
  char name[64], note[256];
  index_builds(db, table, COLLATIONS, all, rounds, 0, m);
  snprintf(name, sizeof name, "index_%s_dynenum_vs_nocase", kind);
  bench_print(name, m[DYNENUM], m[NOCASE], rounds, rows_note);
  snprintf(name, sizeof name, "index_%s_dynenum_vs_binary", kind);
  bench_print(name, m[DYNENUM], m[BINARY], rounds, "same rows and rounds");
  snprintf(name, sizeof name, "icu_secondary_vs_dynenum_%s", kind);
  snprintf(note, sizeof note, "ICU root collation, SECONDARY strength; same rows and rounds");
  bench_print(name, m[ICU_SECONDARY], m[DYNENUM], rounds, note);
  snprintf(name, sizeof name, "icu_primary_vs_dynenum_%s", kind);
  bench_print(name, m[ICU_PRIMARY], m[DYNENUM], rounds, "ICU root collation, PRIMARY strength; same rows and rounds");
}

/* Index build time against rows, on the pool's rows: the first n rows of
** one table of 1,000,000, so that every size has the same mix.  Fewer
** rounds for the larger sizes keep `make bench` within minutes. */
static void rows_curve(sqlite3 *db) {
  static const int sizes[] = {10000, 30000, 100000, 300000, 1000000};
  static const int rounds[] = {5, 5, 3, 1, 1};
  static const int which[] = {BINARY, NOCASE, DYNENUM, ICU_SECONDARY};
  const int count = (int)(sizeof which / sizeof *which);
  bench_fill_pool(db, "pool_million", 1000000);
  for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
    char sql[128];
    double m[COLLATIONS];
    snprintf(sql, sizeof sql, "CREATE TABLE rows_n AS SELECT x FROM pool_million LIMIT %d", sizes[s]);
    bench_exec(db, sql);
    index_builds(db, "rows_n", count, which, rounds[s], 0, m);
    for (int k = 0; k < count; k++) bench_curve("index_rows", collations[which[k]], sizes[s], m[k]);
    bench_exec(db, "DROP TABLE rows_n");
  }
  bench_exec(db, "DROP TABLE pool_million");
}

void bench_peers(const char *extension) {
  sqlite3 *db = bench_open(extension, ":memory:");
  load_icu(db);
  printf("info\tpeers_sqlite\t%s\n", sqlite3_libversion());
  bench_fill_ascii(db, "ascii", 300000, 20000);
  bench_fill_pool(db, "pool", 100000);
  /* The same rows for the Python and Tcl peers (bench/python_casefold.py,
  ** bench/collation.tcl), which read them from this file. */
  remove(ROWS_FILE);
  bench_exec(db, "VACUUM INTO '" ROWS_FILE "'");
  index_figures(db, "ascii", "ascii", "300,000 ASCII enum-like rows, mixed case, 20,000 distinct");
  index_figures(db, "pool", "pool", "100,000 rows of two words of the broad pool (bench/pool.txt) and a number");
  rows_curve(db);
  if (sqlite3_close(db) != SQLITE_OK) bench_fail(db, "close");
}
