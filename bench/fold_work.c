/*
** fold_work.c: why an index build on the broad pool costs DYNENUM more than
** NOCASE, counted rather than timed.  Both sorts are the same bottom-up merge
** sort of the 100,000 pool rows of the peers' index build, each in its own
** collation's order (the comparisons a sorter makes are those of the order
** it builds).  Per comparison it counts what each collation must read:
**   - NOCASE: the bytes up to and including its first difference of ASCII
**     case-folded bytes, one at a time (SQLite's NOCASE folds A-Z only and
**     compares every other byte as it is);
**   - DYNENUM: the bytes before the first that is neither identical on both
**     sides nor ASCII with the same key (the comparator passes those sixteen
**     at a time, folding none by table), then the
**     letters (UTF-8 units) of each side it must fold, up to and including
**     the first pair whose keys differ: every unit from the last unit start
**     before that byte on, since bytes that differ may still be one letter
**     in two cases.
** It prints the averages; nothing is timed, so the figures are exact and the
** same on every machine.
**
**     build/bench EXTENSION fold-work
*/
#include "bench.h"
#include "dynenum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 100000

typedef struct {
  const char *s;
  size_t n;
} text;

typedef struct {
  double comparisons, nocase_bytes, passed_bytes, folded_units;
} work;

static unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

static int nocase_order(const text *a, const text *b, work *counted) {
  size_t n = a->n < b->n ? a->n : b->n, i = 0;
  while (i < n && ascii_lower((unsigned char)a->s[i]) == ascii_lower((unsigned char)b->s[i])) i++;
  counted->nocase_bytes += (double)(i < n ? i + 1 : n);
  if (i < n) return ascii_lower((unsigned char)a->s[i]) < ascii_lower((unsigned char)b->s[i]) ? -1 : 1;
  return a->n < b->n ? -1 : a->n > b->n;
}

/* The length of the unit at s[i] (a malformed byte is a unit of one). */
static size_t unit_length(const text *t, size_t i) {
  uint32_t cp;
  int len = dynenum_utf8_decode((const unsigned char *)t->s + i, t->n - i, &cp);
  return len ? (size_t)len : 1;
}

/* The key of an ASCII byte; any other byte is its own. */
static unsigned char ascii_key(unsigned char c) { return c == '-' ? '_' : ascii_lower(c); }

static int passes(unsigned char c, unsigned char d) { return c == d || (c < 0x80 && d < 0x80 && ascii_key(c) == ascii_key(d)); }

static int is_unit_start(const text *t, size_t i) { return i >= t->n || ((unsigned char)t->s[i] & 0xC0) != 0x80; }

static int dynenum_order(const text *a, const text *b, work *counted) {
  size_t n = a->n < b->n ? a->n : b->n, i = 0;
  while (i < n && passes((unsigned char)a->s[i], (unsigned char)b->s[i])) i++;
  while (i > 0 && !(is_unit_start(a, i) && is_unit_start(b, i))) i--;
  counted->passed_bytes += (double)i;
  size_t p = i, q = i;
  while (p < a->n && q < b->n) {
    char ka[8], kb[8];
    size_t m = unit_length(a, p), k = unit_length(b, q);
    size_t la = dynenum_key(a->s + p, m, ka, sizeof ka), lb = dynenum_key(b->s + q, k, kb, sizeof kb);
    counted->folded_units++;
    if (la != lb || memcmp(ka, kb, la) != 0) break;
    p += m;
    q += k;
  }
  return dynenum_compare(a->s, a->n, b->s, b->n);
}

static void merge_sort(text *v, text *scratch, int n, int (*order)(const text *, const text *, work *),
                       work *counted) {
  for (int width = 1; width < n; width *= 2) {
    for (int lo = 0; lo < n; lo += 2 * width) {
      int mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      int a = lo, b = mid, k = lo;
      while (a < mid && b < hi) {
        counted->comparisons++;
        scratch[k++] = order(&v[a], &v[b], counted) <= 0 ? v[a++] : v[b++];
      }
      while (a < mid) scratch[k++] = v[a++];
      while (b < hi) scratch[k++] = v[b++];
    }
    memcpy(v, scratch, sizeof *v * (size_t)n);
  }
}

void bench_fold_work(const char *extension) {
  sqlite3 *db = bench_open(extension, ":memory:");
  sqlite3_stmt *stmt;
  text *rows = malloc(sizeof *rows * ROWS), *v = malloc(sizeof *v * ROWS), *scratch = malloc(sizeof *v * ROWS);
  int n = 0;
  if (!rows || !v || !scratch) bench_fail(NULL, "out of memory");
  bench_fill_pool(db, "pool", ROWS);
  if (sqlite3_prepare_v2(db, "SELECT x FROM pool", -1, &stmt, NULL) != SQLITE_OK) bench_fail(db, "SELECT x FROM pool");
  while (n < ROWS && sqlite3_step(stmt) == SQLITE_ROW) {
    size_t len = (size_t)sqlite3_column_bytes(stmt, 0);
    char *copy = malloc(len + 1);
    if (!copy) bench_fail(NULL, "out of memory");
    memcpy(copy, sqlite3_column_text(stmt, 0), len + 1);
    rows[n].s = copy;
    rows[n++].n = len;
  }
  sqlite3_finalize(stmt);

  work nocase = {0, 0, 0, 0}, dyn = {0, 0, 0, 0};
  memcpy(v, rows, sizeof *v * (size_t)n);
  merge_sort(v, scratch, n, nocase_order, &nocase);
  memcpy(v, rows, sizeof *v * (size_t)n);
  merge_sort(v, scratch, n, dynenum_order, &dyn);

  printf("%d rows of the broad pool, a merge sort in each collation's order\n", n);
  printf("NOCASE:  %.0f comparisons; per comparison %.1f bytes read one at a time, none folded\n",
         nocase.comparisons, nocase.nocase_bytes / nocase.comparisons);
  printf("DYNENUM: %.0f comparisons; per comparison %.1f bytes passed sixteen at a time, then %.2f letters folded"
         " on each side\n",
         dyn.comparisons, dyn.passed_bytes / dyn.comparisons, dyn.folded_units / dyn.comparisons);
  for (int i = 0; i < n; i++) free((void *)rows[i].s);
  free(rows);
  free(v);
  free(scratch);
  sqlite3_close(db);
}
