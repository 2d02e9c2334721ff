/*
** allocs.c: heap allocations per row under a counting allocator, peak RSS
** after a million unknown names, and what one random memory read costs.
*/
#define _POSIX_C_SOURCE 200809L

#include "bench.h"

#include "dynenum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static sqlite3_mem_methods system_memory;
static long long allocation_count;

static void *counting_malloc(int n) {
  allocation_count++;
  return system_memory.xMalloc(n);
}
static void *counting_realloc(void *p, int n) {
  allocation_count++;
  return system_memory.xRealloc(p, n);
}

static long long allocations_of(sqlite3 *db, const char *sql) {
  long long before = allocation_count;
  bench_timed(db, sql);
  return allocation_count - before;
}

/* Allocations per row that sql makes: run over 100,000 and over 200,000
** rows and the difference divided by 100,000, so that whatever a statement
** allocates once cancels out. */
static double extra_per_row(sqlite3 *db, const char *sql_format) {
  char small[512], large[512];
  snprintf(small, sizeof small, sql_format, 100000);
  snprintf(large, sizeof large, sql_format, 200000);
  allocations_of(db, large); /* warm: caches */
  long long a = allocations_of(db, small), b = allocations_of(db, large);
  return (double)(b - a) / 100000.0;
}

/* Prints measured - baseline in the ratio column, the two beside it. */
static void per_row(sqlite3 *db, const char *name, const char *sql_format, const char *baseline_format,
                    const char *note) {
  double measured = extra_per_row(db, sql_format), baseline = extra_per_row(db, baseline_format);
  printf("%s\t%.6f\t%.6f\t%.6f\t1\t%s\n", name, measured - baseline, measured, baseline, note);
}

void bench_allocations(const char *extension) {
  sqlite3_mem_methods counting;
  if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &system_memory) != SQLITE_OK) bench_fail(NULL, "getmalloc");
  counting = system_memory;
  counting.xMalloc = counting_malloc;
  counting.xRealloc = counting_realloc;
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &counting) != SQLITE_OK) bench_fail(NULL, "config malloc");
  sqlite3 *db = bench_open(extension, ":memory:");
  /* Without lookaside, every allocation reaches the counting allocator. */
  if (sqlite3_db_config(db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 0, 0) != SQLITE_OK) bench_fail(db, "lookaside");
  bench_fill_ascii(db, "ascii", 200000, 20000);
  bench_exec(db,
             "CREATE TABLE pairs AS SELECT a.x AS a, b.x AS b FROM ascii a JOIN ascii b ON a.rowid = b.rowid % 200000 + 1");
  bench_exec(db, "CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)");
  bench_exec(db,
             "CREATE TABLE calls AS SELECT CASE rowid % 2 WHEN 0 THEN 'OpenAI-Chat' ELSE 'anthropic_chat' END AS x FROM ascii");
  const char *pairs = "SELECT count(*) FROM (SELECT a, b FROM pairs LIMIT %d) WHERE a = b";
  per_row(db, "allocs_per_comparison_dynenum",
          "SELECT count(*) FROM (SELECT a, b FROM pairs LIMIT %d) WHERE a = b COLLATE DYNENUM", pairs,
          "one DYNENUM comparison per row, beyond the same query comparing with BINARY");
  per_row(db, "allocs_per_comparison_nocase",
          "SELECT count(*) FROM (SELECT a, b FROM pairs LIMIT %d) WHERE a = b COLLATE NOCASE", pairs,
          "the same with NOCASE");
  const char *calls = "SELECT count(*) FROM (SELECT x FROM calls LIMIT %d) WHERE x = 'openai_chat'";
  per_row(db, "allocs_per_resolve_member",
          "SELECT count(*) FROM (SELECT x FROM calls LIMIT %d) WHERE dynenum_resolve('e', x) = 'openai_chat'", calls,
          "dynenum_resolve() of a real member per row, beyond the same query without it");
  per_row(db, "allocs_per_lower", "SELECT count(*) FROM (SELECT x FROM calls LIMIT %d) WHERE lower(x) = 'openai_chat'",
          calls, "lower(), for comparison");
  sqlite3_close(db);
}

static long max_rss_kib(void) {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) bench_fail(NULL, "getrusage");
  return usage.ru_maxrss;
}

/* 1,000,000 distinct names no enum declares, resolved by SQL, by the core's
** C API (which interns them up to its cap), or not at all (the baseline):
** the same process image and data either way. */
void bench_peak_memory(const char *extension, const char *mode) {
  sqlite3 *db = bench_open(extension, ":memory:");
  bench_exec(db, "CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)");
  dynenum_registry *registry;
  dynenum_enum *e;
  dynenum_error err;
  if (dynenum_registry_open(NULL, &registry) || dynenum_enum_define(registry, "e", 1, 0, &e, &err)) {
    bench_fail(NULL, "core registry");
  }
  long before = max_rss_kib();
  long long resolved = 0;
  if (strcmp(mode, "rss-sql") == 0) {
    sqlite3_stmt *stmt;
    const char *sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) "
                      "SELECT count(dynenum_resolve('e', 'Plugin_' || i)) FROM n";
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) bench_fail(db, sql);
    if (sqlite3_step(stmt) == SQLITE_ROW) resolved = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
  } else if (strcmp(mode, "rss-core") == 0) {
    char name[32];
    for (int i = 1; i <= 1000000; i++) {
      const dynenum_member *m;
      int n = snprintf(name, sizeof name, "Plugin_%d", i);
      /* Past the cap (1024 by default) the lookup fails instead of growing. */
      if (dynenum_enum_resolve(e, name, (size_t)n, &m, &err) == DYNENUM_OK) resolved++;
    }
  }
  long after = max_rss_kib();
  printf("%s\t%.3f\t%ld\t%ld\t1\tresolved %lld of 1000000, peak RSS in KiB before and after\n", mode,
         (double)(after - before) / 1024.0, before, after, resolved);
  dynenum_enum_release(e);
  dynenum_registry_close(registry);
  sqlite3_close(db);
}

/* A walk through a random cycle over 64 MiB, larger than any cache of this
** machine.  A lookup in a large enum makes about two such reads (its slot in
** the table, then the member), which no hash table avoids. */
void bench_memory_latency(void) {
  size_t n = (size_t)64 << 20 >> 3, steps = 4000000;
  uint64_t *next = malloc(n * sizeof *next);
  if (!next) bench_fail(NULL, "malloc");
  for (size_t i = 0; i < n; i++) next[i] = i;
  for (size_t i = n - 1; i > 0; i--) { /* Sattolo: one cycle through all */
    size_t j = ((size_t)bench_random() << 16 ^ bench_random()) % i, t = next[i];
    next[i] = next[j];
    next[j] = t;
  }
  uint64_t at = 0;
  double start = bench_now();
  for (size_t i = 0; i < steps; i++) at = next[at];
  double each = (bench_now() - start) / (double)steps;
  printf("memory_latency\t%.1f\t%.9f\t0\t1\tone dependent random read over 64 MiB, in ns (ended at %llu)\n", each * 1e9,
         each, (unsigned long long)at);
  free(next);
}
