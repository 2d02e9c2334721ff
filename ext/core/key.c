/*
** core/key.c: the key of a string, the one rule behind every comparison,
** hash and order in dynenum.
**
** The key of a string is built left to right:
**   - a well-formed UTF-8 sequence (Unicode Table 3-7: no overlong forms, no
**     surrogates, nothing above U+10FFFF, nothing truncated) is decoded,
**     mapped by Unicode simple case folding (CaseFolding.txt status C and S)
**     and encoded again;
**   - U+002D HYPHEN-MINUS becomes U+005F LOW LINE;
**   - any other byte is copied unchanged: malformed input never folds and
**     never fails.
**
** The folding is a parameter: every function here that folds takes the
** dynenum_fold_table it folds with (core/casefold_table.h), and the public
** functions without a table fold with dynenum_fold_dynenum, the Unicode
** 15.0.0 table of the frozen DYNENUM collation.  A second table is a second
** collation beside it, never a change to it.
**
** Two strings are equal when their keys are byte-identical, and ordered by
** memcmp of their keys.  dynenum_compare produces that order by streaming
** both keys, so a comparison allocates nothing.  The prefix goes sixteen
** bytes at a time in SSE2 registers (eight at a time in general registers
** elsewhere, SWAR: "SIMD within a register"), each byte folded where it is
** ASCII; the first byte that is neither identical nor ASCII with the same
** key on both sides decides when it is ASCII, and otherwise the
** per-character path goes on from the last unit start before it.  That path is written for the branch predictor: it branches
** on a unit's length, which stays the same within a word of one script,
** but computes the way two units differ and the sign of the result, which
** no predictor guesses (bench/collation_index.c measures it).
**
** The character classes the rules for names use live here too, all pure:
** whitespace and controls (what a dynamic name may not hold), and the
** default-ignorable code points of ignorable_table.c (what a new member may
** not hold).  Neither takes part in the key.
*/
#include "dynenum.h"
#include "casefold_table.h"
#include "ignorable_table.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Whether the comparator skips the prefix sixteen bytes at a time in SSE2
** registers (every x86-64 compiler that GCC's builtins come with), or
** eight at a time in general registers. */
#if defined(__SSE2__) && defined(__GNUC__)
#define VECTOR_PREFIX 1
#else
#define VECTOR_PREFIX 0
#endif

/* ASCII bytes map to themselves except A-Z (to a-z) and '-' (to '_'). */
static unsigned char ascii_key_byte(unsigned char c) {
  unsigned char lower = (unsigned char)(c + (((unsigned)(c - 'A') < 26u) << 5));
  return c == '-' ? '_' : lower;
}

/* For the per-unit steps of the comparator's loop, which GCC otherwise
** leaves as calls. */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

#define ONES 0x0101010101010101u
#define HIGH_BITS 0x8080808080808080u

/* The key of eight ASCII bytes (no high bit set) at once.  Adding to a byte
** below 0x80 a constant below 0x80 never carries into the next byte, so each
** byte's high bit after the addition answers one comparison for that byte. */
static uint64_t ascii_key_word(uint64_t w) {
  uint64_t upper = ((w + ONES * (0x80 - 'A')) ^ (w + ONES * (0x80 - 'Z' - 1))) & HIGH_BITS; /* 'A'..'Z' */
  uint64_t hyphen = ((w + ONES * (0x80 - '-')) ^ (w + ONES * (0x80 - '-' - 1))) & HIGH_BITS; /* '-' */
  return w + (upper >> 2) + (hyphen >> 7) * ('_' - '-'); /* no byte reaches 0x80: no carry */
}

#if !VECTOR_PREFIX /* for the prefix of compare_strings in general registers */
/* The keys of two words of eight ASCII bytes at once, in place; of a word
** with other bytes, at least every byte before the first of those is
** folded exactly (as by ascii_key_word).  With SSE2 (every x86-64) both
** words go in one register and each byte is compared with its bounds
** directly: half the instructions of two SWAR folds, and the constants
** come from memory instead of taking registers (measured with
** bench/collation_index.c: 5% off an ASCII index build). */
static ALWAYS_INLINE void ascii_key_words(uint64_t *v, uint64_t *w) {
#if defined(__SSE2__)
  __m128i x = _mm_set_epi64x((long long)*w, (long long)*v); /* bytes below 0x80: signed compares do */
  __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
  __m128i hyphen = _mm_cmpeq_epi8(x, _mm_set1_epi8('-'));
  __m128i k = _mm_add_epi8(x, _mm_or_si128(_mm_and_si128(upper, _mm_set1_epi8('a' - 'A')),
                                           _mm_and_si128(hyphen, _mm_set1_epi8('_' - '-'))));
  *v = (uint64_t)_mm_cvtsi128_si64(k);
  *w = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(k, k));
#else
  *v = ascii_key_word(*v);
  *w = ascii_key_word(*w);
#endif
}

/* Where two different words first differ, as a byte offset in memory. */
static size_t first_difference_index(uint64_t x, uint64_t y) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return (size_t)__builtin_ctzll(x ^ y) >> 3;
#else
  unsigned char a[8], b[8];
  size_t i = 0;
  memcpy(a, &x, 8);
  memcpy(b, &y, 8);
  while (a[i] == b[i]) i++;
  return i;
#endif
}

/* The sign of memcmp of two different words' bytes in memory order. */
static int first_difference(uint64_t x, uint64_t y) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  /* The lowest differing bit is in the byte that comes first in memory. */
  int shift = __builtin_ctzll(x ^ y) & ~7;
  return (int)(((x >> shift) & 0xFF) > ((y >> shift) & 0xFF)) * 2 - 1;
#else
  unsigned char a[8], b[8];
  memcpy(a, &x, 8);
  memcpy(b, &y, 8);
  for (int i = 0;; i++) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
#endif
}
#endif

int dynenum_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char c, lo = 0x80, hi = 0xBF;
  int len;
  uint32_t v;
  if (n == 0) return 0;
  c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  /* The second byte's range depends on the lead byte (Table 3-7). */
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    v = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;      /* no overlong three-byte forms */
    else if (c == 0xED) hi = 0x9F; /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    v = c & 0x07;
    if (c == 0xF0) lo = 0x90;      /* no overlong four-byte forms */
    else if (c == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
  } else {
    return 0; /* a continuation byte, C0, C1 or F5..FF */
  }
  if (n < (size_t)len) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  v = (v << 6) | (s[1] & 0x3F);
  for (int i = 2; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  *cp = v;
  return len;
}

/* The fold of a code point below the table's limit, through the two-stage
** table. */
static ALWAYS_INLINE uint32_t fold_below_limit(const dynenum_fold_table *t, uint32_t cp) {
  return (uint32_t)((int32_t)cp + t->stage2[((uint32_t)t->stage1[cp >> DYNENUM_FOLD_SHIFT] << DYNENUM_FOLD_SHIFT) +
                                            (cp & ((1u << DYNENUM_FOLD_SHIFT) - 1))]);
}

/* The fold of a code point beyond the two-byte range. */
static inline uint32_t fold_beyond_two(const dynenum_fold_table *t, uint32_t cp) {
  return cp >= t->limit ? cp : fold_below_limit(t, cp);
}

/* The table lookup, inline for the hot paths of this file.  Any 32-bit
** value may come in: below the limit every one has an entry (surrogates
** included, folding to themselves), and from the limit on the answer is
** the value itself. */
static inline uint32_t fold(const dynenum_fold_table *t, uint32_t cp) {
  if (cp - 0x80 < 0x800 - 0x80) return t->two_byte[(cp & 0x3F) << 8 | cp >> 6];
  return fold_beyond_two(t, cp);
}

uint32_t dynenum_fold(uint32_t cp) { return fold(&dynenum_fold_dynenum, cp); }

/* A binary search of the table's sorted list of mappings: the same answer
** as fold() by another path. */
static uint32_t fold_reference(const dynenum_fold_table *t, uint32_t cp) {
  unsigned lo = 0, hi = t->pair_count;
  while (lo < hi) {
    unsigned mid = lo + (hi - lo) / 2;
    if (t->pairs[mid].from == cp) return t->pairs[mid].to;
    if (t->pairs[mid].from < cp) lo = mid + 1;
    else hi = mid;
  }
  return cp;
}

uint32_t dynenum_fold_reference(uint32_t cp) { return fold_reference(&dynenum_fold_dynenum, cp); }

const char *dynenum_unicode_version(void) {
  return dynenum_fold_dynenum.unicode_version;
}

static int utf8_encode(uint32_t cp, unsigned char *out) {
  if (cp < 0x80) {
    out[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (unsigned char)(0xC0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (unsigned char)(0xE0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | (cp >> 18));
  out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* The key bytes of the next unit of input at *at (one ASCII byte, one
** malformed byte, or one well-formed sequence): stores 1 to 4 bytes in unit,
** advances *at and returns how many bytes were stored. */
static int next_key_unit(const dynenum_fold_table *t, const unsigned char **at, const unsigned char *end,
                         unsigned char *unit) {
  const unsigned char *s = *at;
  uint32_t cp;
  int len;
  if (*s < 0x80) {
    unit[0] = ascii_key_byte(*s);
    *at = s + 1;
    return 1;
  }
  len = dynenum_utf8_decode(s, (size_t)(end - s), &cp);
  if (len == 0) {
    unit[0] = *s; /* malformed: copied through */
    *at = s + 1;
    return 1;
  }
  *at = s + len;
  return utf8_encode(fold(t, cp), unit);
}

size_t dynenum_key_with(const dynenum_fold_table *t, const char *s, size_t n, char *out, size_t cap) {
  const unsigned char *at = (const unsigned char *)s, *end = at + n;
  unsigned char *dst = (unsigned char *)out;
  size_t len = 0;
  unsigned char unit[4];
  while (at < end) {
    if (end - at >= 8 && len + 8 <= cap) {
      uint64_t w;
      memcpy(&w, at, 8);
      if (!(w & HIGH_BITS)) {
        w = ascii_key_word(w);
        memcpy(dst + len, &w, 8);
        len += 8;
        at += 8;
        continue;
      }
    }
    if (*at < 0x80) {
      if (len < cap) dst[len] = ascii_key_byte(*at);
      len++;
      at++;
      continue;
    }
    int k = next_key_unit(t, &at, end, unit);
    for (int i = 0; i < k; i++, len++) {
      if (len < cap) dst[len] = unit[i];
    }
  }
  return len;
}

size_t dynenum_key(const char *s, size_t n, char *out, size_t cap) {
  return dynenum_key_with(&dynenum_fold_dynenum, s, n, out, cap);
}

/* One side of a streaming comparison: the table it folds with, the input
** still to read and the key bytes of the current unit not yet compared. */
typedef struct key_stream {
  const dynenum_fold_table *table;
  const unsigned char *at, *end;
  unsigned char unit[4];
  int pos, len;
} key_stream;

/* The next key byte, or -1 at the end of the key. */
static int key_stream_next(key_stream *k) {
  if (k->pos < k->len) return k->unit[k->pos++];
  if (k->at == k->end) return -1;
  k->len = next_key_unit(k->table, &k->at, k->end, k->unit);
  k->pos = 1;
  return k->unit[0];
}

/* Orders the keys of two strings from their starts, byte by byte: the
** general path, which malformed input needs. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int compare_streams(const dynenum_fold_table *t, const unsigned char *a, size_t a_len, const unsigned char *b,
                           size_t b_len) {
  key_stream x = {t, a, a + a_len, {0}, 0, 0};
  key_stream y = {t, b, b + b_len, {0}, 0, 0};
  for (;;) {
    /* Between units on both sides, ASCII needs no decoding. */
    if (x.pos == x.len && y.pos == y.len) {
      while (x.at < x.end && y.at < y.end && *x.at < 0x80 && *y.at < 0x80) {
        unsigned char p = ascii_key_byte(*x.at), q = ascii_key_byte(*y.at);
        if (p != q) return p < q ? -1 : 1;
        x.at++;
        y.at++;
      }
    }
    int p = key_stream_next(&x), q = key_stream_next(&y);
    if (p != q) return p < q ? -1 : 1;
    if (p < 0) return 0;
  }
}

/* The fold of a three-byte value, with no test of the limit: every table
** reaches at least U+10000 (casefold_table.h). */
static ALWAYS_INLINE uint32_t fold_three_byte(const dynenum_fold_table *t, uint32_t cp) {
  return fold_below_limit(t, cp);
}

/* The value of the three-byte sequence in the low 24 bits of u, lead byte
** first, and whether it is one that UTF-8 may encode in three bytes (not
** overlong, not a surrogate); likewise for four bytes (not overlong, not
** beyond U+10FFFF).  The continuation bytes are the caller's to check. */
static ALWAYS_INLINE uint32_t three_byte_value(uint32_t u) {
  return (u & 0x0F) << 12 | (u >> 2 & 0xFC0) | (u >> 16 & 0x3F);
}

static ALWAYS_INLINE int is_three_byte_value(uint32_t cp) { return cp >= 0x800 && cp - 0xD800 >= 0x800; }

static ALWAYS_INLINE uint32_t four_byte_value(uint32_t u) {
  return (u & 0x07) << 18 | (u << 4 & 0x3F000) | (u >> 10 & 0xFC0) | (u >> 24 & 0x3F);
}

static ALWAYS_INLINE int is_four_byte_value(uint32_t cp) { return cp - 0x10000 <= 0x10FFFF - 0x10000; }

/* three_byte_value and four_byte_value of two words at once, one in each
** half of uv (u low, v high): every mask keeps the bits of its own half,
** whatever the shifts carry over from the other, so one set of operations
** decodes both sides of a step. */
static ALWAYS_INLINE uint64_t three_byte_values(uint64_t uv) {
  return (uv & 0x0000000F0000000Fu) << 12 | (uv >> 2 & 0x00000FC000000FC0u) | (uv >> 16 & 0x0000003F0000003Fu);
}

static ALWAYS_INLINE uint64_t four_byte_values(uint64_t uv) {
  return (uv & 0x0000000700000007u) << 18 | (uv << 4 & 0x0003F0000003F000u) | (uv >> 10 & 0x00000FC000000FC0u) |
         (uv >> 24 & 0x0000003F0000003Fu);
}

/* The key of the unit at s as a number: the key byte of an ASCII byte, or
** the folded code point of a well-formed sequence (Unicode Table 3-7).
** Returns the unit's length, or 0 for a malformed byte, whose key is not a
** code point.  One branch on the lead byte's range picks the length: in
** a word of one script both sides take the same one, unit after unit, so
** the predictor learns it (a decode with no branch on the length, tried
** before, cost three times the instructions).  The value's range checks
** turn away what the lead byte alone does not: the overlong E0 and F0
** forms, ED's surrogates and F4's values beyond U+10FFFF.  n >= 1. */
static ALWAYS_INLINE int unit_key(const dynenum_fold_table *t, const unsigned char *s, size_t n, uint32_t *key) {
  uint32_t c = s[0], cp;
  if (c < 0x80) {
    *key = ascii_key_byte((unsigned char)c);
    return 1;
  }
  if (c < 0xE0) {
    if (c < 0xC2 || n < 2 || (s[1] & 0xC0) != 0x80) return 0;
    *key = t->two_byte[(s[1] & 0x3Fu) << 8 | (c & 0x1F)];
    return 2;
  }
  if (c < 0xF0) {
    if (n < 3 || (((s[1] & 0xC0) ^ 0x80) | ((s[2] & 0xC0) ^ 0x80))) return 0;
    cp = (c & 0x0F) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
    if (!is_three_byte_value(cp)) return 0;
    *key = fold_beyond_two(t, cp);
    return 3;
  }
  if (c > 0xF4 || n < 4 || (((s[1] & 0xC0) ^ 0x80) | ((s[2] & 0xC0) ^ 0x80) | ((s[3] & 0xC0) ^ 0x80))) return 0;
  cp = (c & 0x07) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
  if (!is_four_byte_value(cp)) return 0;
  *key = fold_beyond_two(t, cp);
  return 4;
}

/* Whether position i of a string of n bytes starts a unit: its byte is not a
** continuation byte (no well-formed sequence holds anything else after its
** lead byte), or it is the end. */
static int at_unit_start(const unsigned char *s, size_t n, size_t i) {
  return i >= n || (s[i] & 0xC0) != 0x80;
}

#if !VECTOR_PREFIX
/* Two words of eight bytes that hold the same bytes before their first
** difference, at byte d (memory order): the last position at or before d
** where both start a unit, or 8 when there is none in the word. */
static size_t last_unit_start(uint64_t v, uint64_t w, size_t d) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  /* Per byte, a high bit for a byte that is not 10xxxxxx. */
  uint64_t fv = (v ^ HIGH_BITS) & (ONES * 0xC0), fw = (w ^ HIGH_BITS) & (ONES * 0xC0);
  uint64_t starts = (fv | fv << 1) & (fw | fw << 1) & HIGH_BITS;
  starts &= ~(uint64_t)0 >> (56 - 8 * d); /* bytes 0 to d */
  return starts ? (size_t)(63 - __builtin_clzll(starts)) >> 3 : 8;
#else
  unsigned char a[8], b[8];
  memcpy(a, &v, 8);
  memcpy(b, &w, 8);
  for (size_t i = d + 1; i-- > 0;) {
    if ((a[i] & 0xC0) != 0x80 && (b[i] & 0xC0) != 0x80) return i;
  }
  return 8;
#endif
}
#endif

/* The index in two_byte of the two bytes in the low 16 bits of u, lead
** byte first (casefold_table.h): inside the table whatever the bytes. */
static ALWAYS_INLINE uint32_t two_byte_index(uint32_t u) { return u & 0x3F1F; }

/* The key of the unit that starts word u (its first four bytes, the
** first in the low byte): unit_key without the bounds checks, for a unit
** with at least four bytes of input from its start. */
static ALWAYS_INLINE int word_unit_key(const dynenum_fold_table *t, uint32_t u, uint32_t *key) {
  uint32_t c = u & 0xFF, cp;
  if (c < 0x80) {
    *key = ascii_key_byte((unsigned char)c);
    return 1;
  }
  if (c < 0xE0) {
    if (c < 0xC2 || (u & 0xC000) != 0x8000) return 0;
    *key = t->two_byte[two_byte_index(u)];
    return 2;
  }
  if (c < 0xF0) {
    cp = three_byte_value(u);
    if ((u & 0xC0C000) != 0x808000 || !is_three_byte_value(cp)) return 0;
    *key = fold_beyond_two(t, cp);
    return 3;
  }
  cp = four_byte_value(u);
  if (c > 0xF4 || (u & 0xC0C0C000) != 0x80808000 || !is_four_byte_value(cp)) return 0;
  *key = fold_beyond_two(t, cp);
  return 4;
}

static ALWAYS_INLINE uint32_t load_little_endian_32(const unsigned char *s) {
  return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
}

/* The number of the lowest byte of a nonzero value that is not zero. */
static ALWAYS_INLINE int lowest_nonzero_byte(uint64_t e) {
#if defined(__GNUC__)
  return __builtin_ctzll(e) >> 3;
#else
  int j = 0;
  for (; !(e & 0xFF); e >>= 8) j++;
  return j;
#endif
}

#if VECTOR_PREFIX
/* The keys of sixteen bytes at once where they are ASCII: A-Z get 0x20
** and '-' gets '_' - '-'; every other byte, 0x80..0xFF included, stays
** as it is.  Adding 0x3F takes exactly 'A'..'Z' to 0x80..0x99, the signed
** bytes below -102 (the bytes from 0x80 land at -65..62). */
static ALWAYS_INLINE __m128i ascii_key_vector(__m128i x) {
  __m128i upper = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x3F)), _mm_set1_epi8(-102));
  __m128i hyphen = _mm_cmpeq_epi8(x, _mm_set1_epi8('-'));
  return _mm_add_epi8(x, _mm_or_si128(_mm_and_si128(upper, _mm_set1_epi8('a' - 'A')),
                                      _mm_and_si128(hyphen, _mm_set1_epi8('_' - '-'))));
}
#endif

/* Of eight bytes, the key of every byte below 0x80, whatever the others
** are (they become something else, not carrying into their neighbours):
** in an SSE2 register where there is one, or in general registers with the
** high bits cleared first. */
static ALWAYS_INLINE uint64_t ascii_key_lanes(uint64_t w) {
#if VECTOR_PREFIX
  return (uint64_t)_mm_cvtsi128_si64(ascii_key_vector(_mm_cvtsi64_si128((long long)w)));
#else
  return ascii_key_word(w & (ONES * 0x7F));
#endif
}

/* The sign of the difference of two different key values, without a
** branch: which way two units differ is what no predictor can guess. */
#define DIFFERENCE_SIGN(x, y) ((int)((x) > (y)) * 2 - 1)

/* Orders from a unit start on both sides (everything before having equal
** keys) a step at a time, comparing folded code points: UTF-8 keeps the
** order of code points, so this orders the keys without encoding them.
** While four bytes are left on both sides, each step reads one word of
** each side and takes the first of these that fits both:
**   - ASCII: the run of ASCII bytes of the two words at once, folded in
**     one register, up to the first byte whose keys differ or that is not
**     ASCII on one side;
**   - a two-byte sequence on each side, the commonest case outside ASCII
**     (Latin, Greek, Cyrillic, Armenian), and with it the next one on each
**     side when both are two-byte sequences too: the table is indexed by
**     the bytes themselves, so all four lookups are made whatever follows,
**     and masks rather than a branch decide whether the second pair
**     counts; one comparison for all;
**   - one unit of any length on each side (word_unit_key).
** How far a step goes is computed from its bytes, never from what the
** table says, so that the next step's loads do not wait for the lookups.
** Where fewer than four bytes are left on both sides and they are all
** ASCII (a row's "_17"), they are compared at once; other last units go
** through unit_key.  A malformed byte hands over to the byte streams.
** whole says that both strings are at least four bytes long, so that the
** four bytes before either end may be read.  p < p_end and q < q_end. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int compare_units(const dynenum_fold_table *t, const unsigned char *p, const unsigned char *p_end,
                         const unsigned char *q, const unsigned char *q_end, int whole) {
  const unsigned short *two_byte = t->two_byte;
  uint32_t x, y;
  int m, k;
  while (p_end - p >= 4 && q_end - q >= 4) {
    uint32_t u = load_little_endian_32(p), v = load_little_endian_32(q);
    if (!((u | v) & 0x80)) {
      /* The ASCII bytes of u and v folded in one word, v above u: the
      ** words are already loaded, so this takes no test of the lengths
      ** (the common run is one '_' between two words of letters).  The
      ** keys are compared only before the first non-ASCII byte, and the
      ** step goes up to it (1 to 4 bytes) by the high bits alone. */
      uint32_t high = (u | v) & 0x80808080u, e;
      uint64_t kw = ascii_key_lanes((uint64_t)v << 32 | u);
      e = ((uint32_t)kw ^ (uint32_t)(kw >> 32)) & (((high & (0u - high)) >> 7) - 1); /* the bytes before */
      if (e) {
        int j = lowest_nonzero_byte(e);
        return DIFFERENCE_SIGN(kw >> 8 * j & 0xFF, kw >> (32 + 8 * j) & 0xFF);
      }
      m = lowest_nonzero_byte((uint64_t)high | (uint64_t)1 << 32); /* 1 to 4 */
      p += m;
      q += m;
      continue;
    }
    /* The length u's lead byte says, checked on both sides with the
    ** continuation bytes: one predictable branch picks the step. */
    if ((u & 0xFF) < 0xE0) {
      /* 110xxxxx 10xxxxxx on each side, and often the same again. */
      uint32_t pu = (u & 0xC0E0C0E0u) ^ 0x80C080C0u, pv = (v & 0xC0E0C0E0u) ^ 0x80C080C0u;
      if (!((pu | pv) & 0xFFFF)) {
        x = two_byte[two_byte_index(u)];
        y = two_byte[two_byte_index(v)];
        if (x != 0 && y != 0) { /* neither lead byte is C0 or C1 */
          /* A second sequence of two bytes on both sides joins the
          ** comparison without a branch: whether one follows changes
          ** from word to word, and no predictor learns it. */
          uint32_t x2 = two_byte[two_byte_index(u >> 16)], y2 = two_byte[two_byte_index(v >> 16)];
          /* Whether it does, from the bytes rather than the lookups (see
          ** above): a lead byte 110xxxxx other than C0 and C1 has a bit in
          ** 0x1E, which adding 0x1E carries to 0x20. */
          uint32_t both = ((pu | pv) >> 16 == 0) & (((u >> 16 & 0x1E) + 0x1E) & ((v >> 16 & 0x1E) + 0x1E)) >> 5,
                   keep = 0u - both;
          x = x << 16 | (x2 & keep);
          y = y << 16 | (y2 & keep);
          if (x != y) return DIFFERENCE_SIGN(x, y);
          p += 2 + 2 * both;
          q += 2 + 2 * both;
          continue;
        }
      }
    } else if ((u & 0xFF) < 0xF0) {
      /* 1110xxxx 10xxxxxx 10xxxxxx on each side. */
      if (!(((u & 0xC0C0F0u) ^ 0x8080E0u) | ((v & 0xC0C0F0u) ^ 0x8080E0u))) {
        uint64_t values = three_byte_values((uint64_t)v << 32 | u);
        x = (uint32_t)values;
        y = (uint32_t)(values >> 32);
        if (is_three_byte_value(x) & is_three_byte_value(y)) {
          x = fold_three_byte(t, x);
          y = fold_three_byte(t, y);
          if (x != y) return DIFFERENCE_SIGN(x, y);
          p += 3;
          q += 3;
          continue;
        }
      }
    } else {
      /* 11110xxx 10xxxxxx 10xxxxxx 10xxxxxx on each side. */
      if (!(((u & 0xC0C0C0F8u) ^ 0x808080F0u) | ((v & 0xC0C0C0F8u) ^ 0x808080F0u))) {
        uint64_t values = four_byte_values((uint64_t)v << 32 | u);
        x = (uint32_t)values;
        y = (uint32_t)(values >> 32);
        if (is_four_byte_value(x) & is_four_byte_value(y)) {
          x = fold_beyond_two(t, x);
          y = fold_beyond_two(t, y);
          if (x != y) return DIFFERENCE_SIGN(x, y);
          p += 4;
          q += 4;
          continue;
        }
      }
    }
    m = word_unit_key(t, u, &x);
    k = word_unit_key(t, v, &y);
    if (!m || !k) return compare_streams(t, p, (size_t)(p_end - p), q, (size_t)(q_end - q));
    if (x != y) return DIFFERENCE_SIGN(x, y);
    p += m;
    q += k;
  }
  /* One to three bytes left on both sides, all ASCII: the usual end of a
  ** row, "_17" against "_23", in one pair of words instead of a step and
  ** a hard-to-predict branch per byte.  Each side's last four bytes (in
  ** the string: whole) are shifted down to the bytes left, zeros above
  ** them; a zero there against a key byte is the shorter side ending
  ** first, which memcmp orders first too, and keys equal that far leave
  ** the lengths to decide. */
  if (whole && (size_t)(p_end - p) - 1 < 3 && (size_t)(q_end - q) - 1 < 3) {
    int rp = (int)(p_end - p), rq = (int)(q_end - q);
    uint32_t u = load_little_endian_32(p_end - 4) >> (32 - 8 * rp), v = load_little_endian_32(q_end - 4) >> (32 - 8 * rq);
    if (!((u | v) & 0x80808080u)) {
      uint64_t kk = ascii_key_lanes((uint64_t)v << 32 | u);
      uint32_t e = (uint32_t)kk ^ (uint32_t)(kk >> 32);
      if (e) {
        int j = lowest_nonzero_byte(e);
        return DIFFERENCE_SIGN(kk >> 8 * j & 0xFF, kk >> (32 + 8 * j) & 0xFF);
      }
      return (rp > rq) - (rp < rq);
    }
  }
  while (p < p_end && q < q_end) {
    uint32_t c = *p, d = *q;
    if ((c | d) < 0x80) {
      x = ascii_key_byte((unsigned char)c);
      y = ascii_key_byte((unsigned char)d);
      m = k = 1;
    } else {
      m = unit_key(t, p, (size_t)(p_end - p), &x);
      k = unit_key(t, q, (size_t)(q_end - q), &y);
      if (!m || !k) return compare_streams(t, p, (size_t)(p_end - p), q, (size_t)(q_end - q));
    }
    if (x != y) return DIFFERENCE_SIGN(x, y);
    p += m;
    q += k;
  }
  return (q == q_end) - (p == p_end);
}

/* Where two strings whose bytes before i are identical, or ASCII on both
** sides with the same keys, go on differently (i < both lengths, or one
** string ends at i inside a sequence of the other): the units from the
** last place at or before i where both start one.  Out of line, so that
** the ASCII path of compare_strings needs no registers saved. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int compare_from(const dynenum_fold_table *t, const unsigned char *p, size_t a_len, const unsigned char *q,
                        size_t b_len, size_t i) {
  /* Bytes decode differently only from where they differ. */
  while (i > 0 && !(at_unit_start(p, a_len, i) && at_unit_start(q, b_len, i))) i--;
  return compare_units(t, p + i, p + a_len, q + i, q + b_len, a_len >= 4 && b_len >= 4);
}

#if VECTOR_PREFIX
/* Sixteen lanes of each side, x and y, whose ASCII keys kx and ky differ
** in the lanes of stop (not 0).  Lanes 0-7 are bytes lo.. of the strings
** and lanes 8-15 bytes hi + 8.. (hi = lo for sixteen bytes in a row; for
** a string of 8 to 15 bytes lo = 0 and the second half is its last eight
** bytes, so hi = n - 16, modulo SIZE_MAX + 1).  Which lane a byte is in
** does not matter: whether a lane stops depends on its two bytes alone
** (identical bytes, or ASCII on both sides with the same key, do not), so
** the first lane that stops is the first byte that does, and every byte
** before it is identical or ASCII with the same key on both sides.  An
** ASCII pair decides at once; otherwise the units from the last lane at
** or before it where both sides start a unit (again the last such byte:
** the lanes of the second half before the stop are the bytes just before
** it), or, when there is none in the lanes, from the byte itself. */
static ALWAYS_INLINE int compare_from_lanes(const dynenum_fold_table *t, const unsigned char *p, size_t a_len,
                                            const unsigned char *q, size_t b_len, __m128i x, __m128i y, __m128i kx,
                                            __m128i ky, unsigned stop, size_t lo, size_t hi) {
  unsigned f = (unsigned)__builtin_ctz(stop), starts, s;
  if (!((unsigned)_mm_movemask_epi8(_mm_or_si128(x, y)) >> f & 1))
    return (int)((unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(kx, ky)) >> f & 1) * 2 - 1;
  /* Continuation bytes 0x80..0xBF are the signed bytes below -64. */
  starts = ~(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(-64)),
                                                     _mm_cmplt_epi8(y, _mm_set1_epi8(-64)))) &
           ((2u << f) - 1);
  if (!starts) return compare_from(t, p, a_len, q, b_len, f + (f < 8 ? lo : hi));
  s = 31 - (unsigned)__builtin_clz(starts);
  s += (unsigned)(s < 8 ? lo : hi);
  return compare_units(t, p + s, p + a_len, q + s, q + b_len, 1);
}

/* The lanes of x and y (as compare_from_lanes takes them) whose ASCII keys
** differ, as a mask of bits 0-15, and the keys in *kx and *ky. */
static ALWAYS_INLINE unsigned stopping_lanes(__m128i x, __m128i y, __m128i *kx, __m128i *ky) {
  *kx = ascii_key_vector(x);
  *ky = ascii_key_vector(y);
  return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(*kx, *ky)) ^ 0xFFFFu;
}
#else
/* Two words that are not both ASCII at word offset i: the units from the
** last unit start at or before their first difference. */
static ALWAYS_INLINE int compare_from_word(const dynenum_fold_table *t, const unsigned char *p, size_t a_len,
                             const unsigned char *q, size_t b_len, size_t i, uint64_t v, uint64_t w) {
  size_t d = first_difference_index(v, w), start = last_unit_start(v, w, d);
  if (start < 8) return compare_units(t, p + i + start, p + a_len, q + i + start, q + b_len, 1);
  return compare_from(t, p, a_len, q, b_len, i + d);
}
#endif

/* dynenum_compare_with, inline into both public comparators so that the
** collation's calls reach it with no call in between. */
static ALWAYS_INLINE int compare_strings(const dynenum_fold_table *t, const char *a, size_t a_len, const char *b,
                                         size_t b_len) {
  const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
  size_t n = a_len < b_len ? a_len : b_len, i = 0;
#if VECTOR_PREFIX
  /* Sixteen bytes of each side at a time, folded where they are ASCII and
  ** compared lane by lane: nothing more while every lane holds identical
  ** bytes or ASCII bytes with the same key, one branch per sixteen bytes.
  ** The first sixteen, or of 8 to 15 bytes the first eight and the last
  ** eight, are one load of each half whatever the length, so that the
  ** length (which varies from row to row) takes no branch before the first
  ** difference of two rows that differ early. */
  __m128i x, y, kx, ky;
  unsigned stop;
  if (n >= 8) {
    size_t m = n < 16 ? n : 16;
    x = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(const void *)p),
                           _mm_loadl_epi64((const __m128i *)(const void *)(p + m - 8)));
    y = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(const void *)q),
                           _mm_loadl_epi64((const __m128i *)(const void *)(q + m - 8)));
    stop = stopping_lanes(x, y, &kx, &ky);
    if (stop) return compare_from_lanes(t, p, a_len, q, b_len, x, y, kx, ky, stop, 0, m - 16);
    for (i = 16; i + 16 <= n; i += 16) {
      x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
      y = _mm_loadu_si128((const __m128i *)(const void *)(q + i));
      stop = stopping_lanes(x, y, &kx, &ky);
      if (stop) return compare_from_lanes(t, p, a_len, q, b_len, x, y, kx, ky, stop, i, i);
    }
    if (i < n) {
      /* The last sixteen bytes, overlapping some already passed (which
      ** stop no lane). */
      i = n - 16;
      x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
      y = _mm_loadu_si128((const __m128i *)(const void *)(q + i));
      stop = stopping_lanes(x, y, &kx, &ky);
      if (stop) return compare_from_lanes(t, p, a_len, q, b_len, x, y, kx, ky, stop, i, i);
    }
    i = n;
  }
#else
  uint64_t v, w;
  /* Eight bytes of each side at a time: identical words need nothing
  ** (identical bytes have identical keys), ASCII words are folded and
  ** compared at once, and a word with other bytes hands over to the units
  ** from the last unit start at or before its first difference. */
  for (; i + 8 <= n; i += 8) {
    memcpy(&v, p + i, 8);
    memcpy(&w, q + i, 8);
    if (v == w) continue;
    if ((v | w) & HIGH_BITS) return compare_from_word(t, p, a_len, q, b_len, i, v, w);
    ascii_key_words(&v, &w);
    if (v != w) return first_difference(v, w);
  }
  if (i < n && n >= 8) {
    /* The last eight bytes, overlapping some already found equal: those
    ** are identical or ASCII on both sides, so what holds for a word holds
    ** for this one. */
    i = n - 8;
    memcpy(&v, p + i, 8);
    memcpy(&w, q + i, 8);
    if (v != w) {
      if ((v | w) & HIGH_BITS) return compare_from_word(t, p, a_len, q, b_len, i, v, w);
      ascii_key_words(&v, &w);
      if (v != w) return first_difference(v, w);
    }
    i = n;
  }
#endif
  for (; i < n; i++) {
    unsigned char c = p[i], d = q[i];
    if (c == d) continue;
    if ((c | d) & 0x80) return compare_from(t, p, a_len, q, b_len, i);
    c = ascii_key_byte(c);
    d = ascii_key_byte(d);
    if (c != d) return c < d ? -1 : 1;
  }
  /* One side is done, with the same keys so far.  Where the longer one goes
  ** on inside a sequence, its last bytes in common decode differently
  ** ("\xC5" alone is malformed, "\xC5\xBF" is a letter): compare units from
  ** a boundary.  Otherwise every byte left adds at least one key byte: the
  ** shorter sorts first. */
  if (a_len == b_len) return 0;
  if (n == 0 || (at_unit_start(p, a_len, n) && at_unit_start(q, b_len, n))) return a_len < b_len ? -1 : 1;
  return compare_from(t, p, a_len, q, b_len, n);
}

int dynenum_compare_with(const dynenum_fold_table *t, const char *a, size_t a_len, const char *b, size_t b_len) {
  return compare_strings(t, a, a_len, b, b_len);
}

int dynenum_compare(const char *a, size_t a_len, const char *b, size_t b_len) {
  return compare_strings(&dynenum_fold_dynenum, a, a_len, b, b_len);
}

int dynenum_collating_compare(void *unused, int a_len, const void *a, int b_len, const void *b) {
  (void)unused;
  return compare_strings(&dynenum_fold_dynenum, a, (size_t)a_len, b, (size_t)b_len);
}

/* Unicode 15.0.0 White_Space, outside ASCII (PropList.txt). */
static int is_unicode_space(uint32_t cp) {
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

int dynenum_is_space_or_control(uint32_t cp) {
  return cp <= 0x20 || (cp >= 0x7F && cp <= 0x9F) || is_unicode_space(cp);
}

int dynenum_is_default_ignorable(uint32_t cp) {
  const struct dynenum_ignorable_range *ranges = dynenum_ignorable_dynenum.ranges;
  size_t low = 0, high = dynenum_ignorable_dynenum.range_count;
  /* The first range is U+00AD: ASCII answers without searching. */
  if (cp < ranges[0].first) return 0;
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    if (cp > ranges[middle].last) low = middle + 1;
    else if (cp < ranges[middle].first) high = middle;
    else return 1;
  }
  return 0;
}

int dynenum_check_dynamic_name(const char *s, size_t n) {
  const unsigned char *at = (const unsigned char *)s, *end = at + n;
  if (n == 0) return DYNENUM_EMPTY;
  if (n > DYNENUM_MAX_BYTES) return DYNENUM_TOOLONG;
  int bad_char = 0;
  while (at < end) {
    /* ASCII without a call: every added or loaded member's name comes by. */
    if (*at < 0x80) {
      bad_char |= *at <= 0x20 || *at == 0x7F;
      at++;
      continue;
    }
    uint32_t cp;
    int len = dynenum_utf8_decode(at, (size_t)(end - at), &cp);
    if (len == 0) return DYNENUM_MALFORMED;
    if (dynenum_is_space_or_control(cp)) bad_char = 1;
    at += len;
  }
  /* Only '_' and '-' have keys starting with '_' (nothing folds to '_'). */
  if (s[0] == '_' || s[0] == '-') return DYNENUM_RESERVED;
  return bad_char ? DYNENUM_BADCHAR : DYNENUM_OK;
}

const char *dynenum_errstr(int code) {
  switch (code) {
    case DYNENUM_OK: return "not an error";
    case DYNENUM_NOMEM: return "out of memory";
    case DYNENUM_NOTFOUND: return "not found";
    case DYNENUM_EXISTS: return "already defined";
    case DYNENUM_EMPTY: return "empty name";
    case DYNENUM_RESERVED: return "reserved name";
    case DYNENUM_MALFORMED: return "malformed UTF-8";
    case DYNENUM_TOOLONG: return "too long";
    case DYNENUM_BADCHAR: return "whitespace or control character";
    case DYNENUM_COLLISION: return "collides with another member";
    case DYNENUM_CAP: return "too many dynamic members";
    case DYNENUM_LOCK: return "lock failed";
    case DYNENUM_MISUSE: return "misuse";
    case DYNENUM_IGNORABLE: return "default-ignorable character";
    case DYNENUM_RETIRED: return "retired member";
    default: return "unknown error";
  }
}
