/*
** lengths.c: what one comparison costs against the length of its strings,
** ASCII and non-ASCII, for pairs that differ at their first character and
** pairs equal but for case up to their last; BINARY, NOCASE, DYNENUM and
** ICU's root collation at SECONDARY strength, in one process on the
** ICU-enabled SQLite.
*/
#include "bench.h"

#include "dynenum.h"

#include <stdio.h>
#include <string.h>

#define PAIRS 2000
#define MAX_LENGTH 4096
#define MAX_LETTERS 512

/* Letter pairs (upper, lower or other cases) that DYNENUM folds alike,
** taken character by character from spellings of one pool word that have
** as many characters: 2-, 3- and 4-byte letters of every script in the pool. */
static char letters[MAX_LETTERS][2][8];
static int letter_count;

static size_t char_length(const char *s) {
  unsigned char c = (unsigned char)*s;
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static size_t characters(const char *s) {
  size_t n = 0;
  for (; *s; s += char_length(s)) n++;
  return n;
}

static void collect_letters(void) {
  for (int w = 0; w < bench_pool_words(); w++) {
    for (int k = 1; k < bench_pool_spellings(w); k++) {
      const char *a = bench_pool_spelling(w, 0), *b = bench_pool_spelling(w, k);
      if (characters(a) != characters(b)) continue;
      while (*a && letter_count < MAX_LETTERS) {
        size_t na = char_length(a), nb = char_length(b);
        if ((na > 1 || nb > 1) && dynenum_compare(a, na, b, nb) == 0) {
          memcpy(letters[letter_count][0], a, na);
          memcpy(letters[letter_count][1], b, nb);
          letters[letter_count][0][na] = letters[letter_count][1][nb] = 0;
          letter_count++;
        }
        a += na;
        b += nb;
      }
    }
  }
  if (letter_count == 0) bench_fail(NULL, "no letter pairs in the pool");
}

/* Writes into a and b two strings of about length bytes that are equal but
** for case, except at one character: the first (early) or the last. */
static void make_pair(int ascii, int early, size_t length, char *a, char *b) {
  size_t na = 0, nb = 0;
  a[na++] = early ? 'x' : 'q';
  b[nb++] = early ? 'y' : 'Q';
  while (na + 5 < length) {
    if (ascii) {
      char c = (char)('a' + bench_random() % 26);
      a[na++] = c;
      b[nb++] = (char)(c - 32);
    } else {
      const char (*pair)[8] = letters[bench_random() % (uint32_t)letter_count];
      int swap = (int)(bench_random() % 2);
      size_t la = strlen(pair[swap]), lb = strlen(pair[!swap]);
      memcpy(a + na, pair[swap], la);
      memcpy(b + nb, pair[!swap], lb);
      na += la;
      nb += lb;
    }
  }
  while (na < length - 1) a[na++] = b[nb++] = '_';
  a[na++] = early ? 'z' : 'x';
  b[nb++] = early ? 'z' : 'y';
  a[na] = b[nb] = 0;
}

static void fill_pairs(sqlite3 *db, int ascii, int early, size_t length) {
  static char a[2 * MAX_LENGTH], b[2 * MAX_LENGTH];
  sqlite3_stmt *insert;
  bench_exec(db, "CREATE TABLE pairs(a TEXT, b TEXT); BEGIN");
  if (sqlite3_prepare_v2(db, "INSERT INTO pairs VALUES (?1, ?2)", -1, &insert, NULL) != SQLITE_OK) {
    bench_fail(db, "insert pairs");
  }
  for (int i = 0; i < PAIRS; i++) {
    make_pair(ascii, early, length, a, b);
    if (sqlite3_bind_text(insert, 1, a, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(insert, 2, b, -1, SQLITE_STATIC) != SQLITE_OK || sqlite3_step(insert) != SQLITE_DONE) {
      bench_fail(db, "insert pairs");
    }
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  bench_exec(db, "COMMIT");
}

void bench_lengths(const char *extension) {
  static const size_t lengths[] = {8, 32, 128, 512, 2048, 4096};
  static const char *const names[] = {"BINARY", "NOCASE", "DYNENUM", "ICU_SECONDARY"};
  const int count = (int)(sizeof names / sizeof *names);
  sqlite3 *db = bench_open(extension, ":memory:");
  bench_exec(db, "SELECT icu_load_collation('root', 'ICU_SECONDARY', 'SECONDARY')");
  collect_letters();
  for (int ascii = 1; ascii >= 0; ascii--) {
    for (int early = 1; early >= 0; early--) {
      for (size_t l = 0; l < sizeof lengths / sizeof *lengths; l++) {
        char sql[4][128], series[64];
        const char *statements[4];
        double m[4];
        fill_pairs(db, ascii, early, lengths[l]);
        for (int k = 0; k < count; k++) {
          /* A comparison a < b: each row compares once, and reading the rows
          ** (BINARY's line) is the floor under every other. */
          snprintf(sql[k], sizeof sql[k], "SELECT count(*) FROM pairs WHERE a < b COLLATE %s", names[k]);
          statements[k] = sql[k];
        }
        bench_sides(db, count, statements, NULL, 5, 1, m);
        for (int k = 0; k < count; k++) {
          snprintf(series, sizeof series, "%s %s %s", names[k], ascii ? "ASCII" : "non-ASCII",
                   early ? "early" : "late");
          bench_curve("compare_length", series, (double)lengths[l], m[k] / PAIRS * 1e9);
        }
        bench_exec(db, "DROP TABLE pairs");
      }
    }
  }
  if (sqlite3_close(db) != SQLITE_OK) bench_fail(db, "close");
}
