/*
** compare_pool_test.c: dynenum_compare, the comparator the DYNENUM
** collation runs, against memcmp of the keys dynenum_key builds, on the
** strings of the broad pool (tests/broad_pool.h) that bench/collation_index.c
** measures it on.
**
** The comparator never builds a key: it skips identical bytes a word at a
** time, folds ASCII eight bytes at once, and decodes and folds one unit at a
** time from where the bytes differ.  Each of those shortcuts must give the
** order of the keys exactly, so every pair here is checked both ways round
** against the sign of memcmp of the two keys (the shorter first on a common
** prefix).  The pairs, a family per group:
**   - two rows of the pool, which mostly differ early;
**   - the same words written in other cases, with '-' for '_' and the other
**     way round, and with characters swapped for others of the same fold
**     whose UTF-8 has another length (KELVIN SIGN and k, LONG S and s,
**     CAPITAL SHARP S and sharp s, OHM SIGN and omega, ANGSTROM SIGN and
**     a with ring, final sigma and sigma), which mostly compare equal;
**   - a long shared prefix written in different cases, then different
**     tails, which differ late;
**   - a default-ignorable code point (which the key keeps) inserted into
**     one side or into both at different places;
**   - rows cut at any byte, inside a sequence too, and rows with a stray
**     byte (a lone continuation, C0, F5, FF) put in.
** Every string is copied into a heap block of exactly its length, so that
** a sanitizer build sees any read past its end.
*/
#include "dynenum.h"
#include "ctest.h"
#include "broad_pool.h"

#include <stdlib.h>
#include <string.h>

#define ROW_ROOM 512
#define KEY_ROOM (2 * ROW_ROOM + 8)

typedef struct text {
  char bytes[ROW_ROOM];
  size_t len;
} text;

/* Characters that share a fold, some of them of different UTF-8 lengths. */
static const char *const same_fold[][3] = {
    {"k", "K", "\xE2\x84\xAA"},           /* KELVIN SIGN */
    {"s", "S", "\xC5\xBF"},               /* LONG S */
    {"\xC3\x9F", "\xE1\xBA\x9E", NULL},   /* sharp s, CAPITAL SHARP S */
    {"\xCF\x89", "\xCE\xA9", "\xE2\x84\xA6"}, /* omega, OMEGA, OHM SIGN */
    {"\xC3\xA5", "\xC3\x85", "\xE2\x84\xAB"}, /* a with ring, A with ring, ANGSTROM SIGN */
    {"\xCF\x83", "\xCF\x82", "\xCE\xA3"}, /* sigma, final sigma, SIGMA */
    {"_", "-", NULL},
};

#define SAME_FOLD_COUNT (sizeof same_fold / sizeof same_fold[0])

/* Default-ignorable code points of 2, 3 and 4 bytes. */
static const char *const ignorables[] = {
    "\xC2\xAD",         /* SOFT HYPHEN */
    "\xCD\x8F",         /* COMBINING GRAPHEME JOINER */
    "\xE2\x80\x8B",     /* ZERO WIDTH SPACE */
    "\xEF\xB8\x8F",     /* VARIATION SELECTOR-16 */
    "\xF3\xA0\x80\x81", /* LANGUAGE TAG */
};

/* Bytes that never start a well-formed sequence. */
static const char stray_bytes[] = {'\x80', '\xBF', '\xC0', '\xC1', '\xF5', '\xFF', '\xE2', '\xF0'};

static void append(text *t, const char *s, size_t n) {
  if (t->len + n <= ROW_ROOM) {
    memcpy(t->bytes + t->len, s, n);
    t->len += n;
  }
}

/* Rewrites t in place: every character of a same_fold class becomes a
** random member of its class, ASCII letters change case at random. */
static void respell(pool_random *r, text *t) {
  text out = {{0}, 0};
  for (size_t i = 0; i < t->len;) {
    size_t n = pool_sequence_length((unsigned char)t->bytes[i]);
    if (i + n > t->len) n = t->len - i;
    int replaced = 0;
    for (size_t c = 0; c < SAME_FOLD_COUNT && !replaced; c++) {
      for (int m = 0; m < 3 && same_fold[c][m]; m++) {
        if (strlen(same_fold[c][m]) == n && memcmp(same_fold[c][m], t->bytes + i, n) == 0) {
          int count = same_fold[c][2] ? 3 : 2;
          const char *pick = same_fold[c][pool_next(r) % (uint32_t)count];
          append(&out, pick, strlen(pick));
          replaced = 1;
          break;
        }
      }
    }
    if (!replaced) {
      char c = t->bytes[i];
      if (n == 1 && pool_next(r) % 2 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) c ^= 0x20;
      if (n == 1) append(&out, &c, 1);
      else append(&out, t->bytes + i, n);
    }
    i += n;
  }
  *t = out;
}

/* The same words as each other, each side in its own cases. */
static void same_words(pool_random *r, text *a, text *b) {
  pool_random ra = {pool_next(r) | 1}, rb = {pool_next(r) | 1};
  int words = 1 + (int)(pool_next(r) % 4);
  a->len = b->len = 0;
  for (int i = 0; i < words; i++) {
    size_t w = pool_next(r) % POOL_WORD_COUNT;
    if (i > 0) {
      append(a, pool_next(r) % 2 ? "_" : "-", 1);
      append(b, pool_next(r) % 2 ? "_" : "-", 1);
    }
    pool_append_word(&ra, w, a->bytes, ROW_ROOM, &a->len);
    pool_append_word(&rb, w, b->bytes, ROW_ROOM, &b->len);
  }
  /* Some words carry the letters with look-alike folds. */
  if (pool_next(r) % 2) {
    const char *tail = pool_next(r) % 2 ? "_kassel" : "_straße_Ωmega";
    append(a, tail, strlen(tail));
    append(b, tail, strlen(tail));
  }
  respell(&ra, a);
  respell(&rb, b);
}

static void pool_text(pool_random *r, text *t) { t->len = pool_row(r, t->bytes, ROW_ROOM); }

/* The sign of memcmp of the keys, the shorter first on a common prefix. */
static int key_order(const text *a, const text *b) {
  char ka[KEY_ROOM], kb[KEY_ROOM];
  size_t la = dynenum_key(a->bytes, a->len, ka, sizeof ka), lb = dynenum_key(b->bytes, b->len, kb, sizeof kb);
  size_t n = la < lb ? la : lb;
  int c = n ? memcmp(ka, kb, n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return (la > lb) - (la < lb);
}

static int sign(int x) { return (x > 0) - (x < 0); }

/* dynenum_compare on exact heap copies of a and b. */
static int compare_copies(const text *a, const text *b) {
  char *x = malloc(a->len ? a->len : 1), *y = malloc(b->len ? b->len : 1);
  if (!x || !y) abort();
  memcpy(x, a->bytes, a->len);
  memcpy(y, b->bytes, b->len);
  int c = sign(dynenum_compare(x, a->len, y, b->len));
  free(x);
  free(y);
  return c;
}

typedef struct outcomes {
  long less, equal, greater;
} outcomes;

/* Checks one pair both ways round. */
static void check_pair(const text *a, const text *b, outcomes *seen) {
  int expected = key_order(a, b);
  int forward = compare_copies(a, b), backward = compare_copies(b, a);
  if (!CHECK_INT_EQ(expected, forward, "dynenum_compare(a, b) has the sign of memcmp of the keys") ||
      !CHECK_INT_EQ(-expected, backward, "dynenum_compare(b, a) has the opposite sign")) {
    printf("  a: ");
    ctest_print_bytes(a->bytes, a->len);
    printf("\n  b: ");
    ctest_print_bytes(b->bytes, b->len);
    printf("\n");
  }
  seen->less += expected < 0;
  seen->equal += expected == 0;
  seen->greater += expected > 0;
}

/* Without each outcome a family would prove little. */
static void check_outcomes(const outcomes *seen, long at_least_equal) {
  CHECK(seen->less > 1000 && seen->greater > 1000 && seen->equal >= at_least_equal,
        "every outcome is met (%ld less, %ld equal, %ld greater)", seen->less, seen->equal, seen->greater);
}

enum { PAIRS = 100000 };

/* Makes the two strings of one pair of a family. */
typedef void make_pair(pool_random *r, text *a, text *b);

/* Checks PAIRS pairs of one family as one group and returns what they met. */
static outcomes run_family(const char *group, uint64_t seed, make_pair *make) {
  pool_random r = {seed};
  outcomes seen = {0, 0, 0};
  ctest_group(group);
  for (int i = 0; i < PAIRS; i++) {
    text a, b;
    make(&r, &a, &b);
    check_pair(&a, &b, &seen);
  }
  return seen;
}

static void two_rows(pool_random *r, text *a, text *b) {
  pool_text(r, a);
  pool_text(r, b);
}

/* The same words, then a tail, the same one a quarter of the time. */
static void late_difference(pool_random *r, text *a, text *b) {
  text tail;
  same_words(r, a, b);
  pool_text(r, &tail);
  append(a, tail.bytes, tail.len);
  if (pool_next(r) % 4) pool_text(r, &tail);
  append(b, tail.bytes, tail.len);
}

/* Inserts s at a random unit boundary of t. */
static void insert_at_boundary(pool_random *r, text *t, const char *s) {
  size_t n = strlen(s), at = pool_next(r) % (t->len + 1);
  while (at < t->len && ((unsigned char)t->bytes[at] & 0xC0) == 0x80) at++;
  if (t->len + n > ROW_ROOM) return;
  memmove(t->bytes + at + n, t->bytes + at, t->len - at);
  memcpy(t->bytes + at, s, n);
  t->len += n;
}

/* A default-ignorable code point in one side, or in both at two places. */
static void with_ignorable(pool_random *r, text *a, text *b) {
  same_words(r, a, b);
  const char *ignorable = ignorables[pool_next(r) % (sizeof ignorables / sizeof ignorables[0])];
  insert_at_boundary(r, a, ignorable);
  if (pool_next(r) % 2) insert_at_boundary(r, b, ignorable);
}

/* Puts byte c at position at of t, if it fits. */
static void insert_byte(text *t, size_t at, char c) {
  if (at > t->len || t->len >= ROW_ROOM) return;
  memmove(t->bytes + at + 1, t->bytes + at, t->len - at);
  t->bytes[at] = c;
  t->len++;
}

/* One side cut (often inside a sequence), both cut at one byte, or a stray
** byte at one place in one side or both. */
static void malformed(pool_random *r, text *a, text *b) {
  same_words(r, a, b);
  switch (pool_next(r) % 4) {
    case 0:
      a->len = pool_next(r) % (a->len + 1);
      break;
    case 1:
      a->len = b->len = pool_next(r) % ((a->len < b->len ? a->len : b->len) + 1);
      break;
    default: {
      char stray = stray_bytes[pool_next(r) % sizeof stray_bytes];
      size_t at = pool_next(r) % (a->len + 1);
      insert_byte(a, at, stray);
      if (pool_next(r) % 2) insert_byte(b, at, stray);
      break;
    }
  }
}

int main(void) {
  outcomes seen = run_family("pool rows: two rows of the broad pool", 0x243F6A8885A308D3u, two_rows);
  check_outcomes(&seen, 10);
  seen = run_family("pool rows: the same words in other cases, '-' and '_', folds of other lengths",
                    0x13198A2E03707344u, same_words);
  CHECK(seen.equal > PAIRS / 2, "most pairs are equal (%ld of %d)", seen.equal, PAIRS);
  seen = run_family("pool rows: a long shared prefix in different cases, then different tails", 0xA4093822299F31D0u,
                    late_difference);
  check_outcomes(&seen, 1000);
  seen = run_family("pool rows: a default-ignorable code point in one side or both", 0x082EFA98EC4E6C89u,
                    with_ignorable);
  check_outcomes(&seen, 1000);
  seen = run_family("pool rows: cut at any byte, stray bytes put in", 0x452821E638D01377u, malformed);
  check_outcomes(&seen, 1000);
  return ctest_finish();
}
