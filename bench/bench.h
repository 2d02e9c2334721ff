/*
** bench.h: what the benchmark's files share.  Each bench/NAME.c holds the
** figures of one subject; bench.c picks the mode from the command line.
**
** Every timed figure is a ratio of medians: its sides run in alternation,
** in one process on the same data, and the ratio is median(a) / median(b).
** Each result is one line of tab-separated fields on standard output, which
** bench/report.tcl turns into the report:
**
**     figure  ratio  a_median_seconds  b_median_seconds  rounds  note
**
** each point of a curve one line, and facts about the run (the SQLite
** versions) one line each:
**
**     curve  CURVE  SERIES  x  y
**     info   KEY  VALUE
*/
#ifndef DYNENUM_BENCH_H
#define DYNENUM_BENCH_H

#include <sqlite3.h>

#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_ROUNDS 32
#define BENCH_MAX_SIDES 8

/* common.c */
void bench_fail(sqlite3 *db, const char *what);
double bench_now(void);
void bench_exec(sqlite3 *db, const char *sql);
double bench_timed(sqlite3 *db, const char *sql);
double bench_median(double *v, int n);
uint32_t bench_random(void);
sqlite3 *bench_open(const char *extension, const char *path);
void bench_figure(sqlite3 *db, const char *name, int rounds, const char *a_sql, const char *a_undo,
                  const char *b_sql, const char *b_undo, const char *note);
void bench_sides(sqlite3 *db, int sides, const char *const *sql, const char *const *undo, int rounds, int warm,
                 double *medians);
void bench_print(const char *name, double a, double b, int rounds, const char *note);
void bench_curve(const char *curve, const char *series, double x, double y);
long bench_rss_kib(void);

/* rows.c: the data every figure runs on */
typedef void make_value(int i, char *out, size_t size, const void *context);
void bench_insert_values(sqlite3 *db, const char *sql, int count, make_value *make, const void *context);
void bench_fill_table(sqlite3 *db, const char *table, int count, make_value *make, const void *context);
void bench_spell(const char *name, char *out);
void bench_fill_ascii(sqlite3 *db, const char *table, int rows, int distinct);
void bench_fill_pool(sqlite3 *db, const char *table, int rows);
int bench_pool_words(void);
int bench_pool_spellings(int word);
const char *bench_pool_spelling(int word, int k);
void bench_member_name(int i, char *out, size_t size, const void *context);
void bench_member_spelling(int i, char *out, size_t size, const void *context);

/* The modes, one file each. */
void bench_timing(const char *extension);      /* timing.c */
void bench_adding(const char *extension);
void bench_statements(const char *extension);  /* statements.c */
void bench_verification(const char *extension);
void bench_allocations(const char *extension); /* allocs.c */
void bench_peak_memory(const char *extension, const char *mode);
void bench_memory_latency(void);
void bench_peers(const char *extension);       /* peers.c: on the ICU-enabled SQLite */
void bench_lengths(const char *extension);     /* lengths.c */
void bench_enums(const char *extension);       /* big_enums.c */
void bench_resolve_sizes(const char *extension);
void bench_connections(const char *extension);
void bench_cold(const char *extension, const char *self);
void bench_first_statement(const char *extension, const char *enum_name);
void bench_core_memory(void);                  /* core_memory.c */
void bench_fold_work(const char *extension);   /* fold_work.c */

#endif
