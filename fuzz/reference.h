/*
** fuzz/reference.h: the slow reference of docs/SPEC.md section 1 that the
** fuzz targets hold ext/ to, and what they share for reporting a failure.
**
** Written from the specification (docs/SPEC.md), not from ext/core/key.c: its own UTF-8
** decoder (the rows of Unicode Table 3-7 as data), its own encoder, its own
** White_Space list and its own rules for dynamic names.  The two things it
** takes from ext/ are data: dynenum_fold_reference, the binary search of the
** generated CaseFolding.txt mapping list (not the fast table), and
** dynenum_is_default_ignorable, the binary search of the generated
** Default_Ignorable_Code_Point ranges, which tests/ignorable_test.c holds to
** DerivedCoreProperties.txt for every code point.
**
** Everything here is static inline: each target includes it once and uses
** what it needs.
*/
#ifndef DYNENUM_FUZZ_REFERENCE_H
#define DYNENUM_FUZZ_REFERENCE_H

#include "dynenum.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The harness's own code is left out of the coverage libFuzzer steers by:
** it would only slow every run and reward inputs for exercising the
** reference instead of ext/.  AddressSanitizer still covers it. */
#if defined(__clang__)
#define FUZZ_HARNESS __attribute__((no_sanitize("coverage")))
#else
#define FUZZ_HARNESS /* gcc has no such attribute (nor libFuzzer) */
#endif

/* ---- Reporting ------------------------------------------------------------ */

/* Prints what the failing input was; each target sets it. */
static void (*fuzz_describe_input)(void);

FUZZ_HARNESS static inline void fuzz_print_hex(const char *label, const void *p, size_t n) {
  const unsigned char *s = p;
  fprintf(stderr, "  %s (%zu bytes): ", label, n);
  for (size_t i = 0; i < n; i++) fprintf(stderr, "%02x", s[i]);
  fprintf(stderr, "\n");
}

/* Aborts with a message and the input in hex: libFuzzer then saves the
** input as a crash-* file. */
#define FUZZ_CHECK(condition, ...)                                          \
  do {                                                                      \
    if (!(condition)) {                                                     \
      fprintf(stderr, "\n%s:%d: check failed: %s\n  ", __FILE__, __LINE__, \
              #condition);                                                  \
      fprintf(stderr, __VA_ARGS__);                                         \
      fprintf(stderr, "\n");                                                \
      if (fuzz_describe_input) fuzz_describe_input();                       \
      abort();                                                              \
    }                                                                       \
  } while (0)

/* A heap block of exactly n bytes (one when n is 0, so never NULL). */
FUZZ_HARNESS static inline char *fuzz_alloc(size_t n) {
  char *p = malloc(n ? n : 1);
  if (!p) abort();
  return p;
}

/* A heap copy of exactly n bytes (at least one allocated byte is never
** readable by the code under test: ASan flags any read past n). */
FUZZ_HARNESS static inline char *fuzz_copy(const void *p, size_t n) {
  char *copy = fuzz_alloc(n);
  if (n) memcpy(copy, p, n);
  return copy;
}

/* strnlen, which C11 lacks. */
FUZZ_HARNESS static inline size_t fuzz_strnlen(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

/* ---- UTF-8, from Unicode Table 3-7 ---------------------------------------- */

/* The well-formed byte sequences: a lead byte range, the range of the
** second byte, and the length; every later byte is 80..BF. */
static const struct {
  unsigned char lead_lo, lead_hi, second_lo, second_hi;
  int len;
} ref_table_3_7[] = {
    {0x00, 0x7F, 0x00, 0x00, 1}, /* U+0000..U+007F */
    {0xC2, 0xDF, 0x80, 0xBF, 2}, /* U+0080..U+07FF */
    {0xE0, 0xE0, 0xA0, 0xBF, 3}, /* U+0800..U+0FFF */
    {0xE1, 0xEC, 0x80, 0xBF, 3}, /* U+1000..U+CFFF */
    {0xED, 0xED, 0x80, 0x9F, 3}, /* U+D000..U+D7FF */
    {0xEE, 0xEF, 0x80, 0xBF, 3}, /* U+E000..U+FFFF */
    {0xF0, 0xF0, 0x90, 0xBF, 4}, /* U+10000..U+3FFFF */
    {0xF1, 0xF3, 0x80, 0xBF, 4}, /* U+40000..U+FFFFF */
    {0xF4, 0xF4, 0x80, 0x8F, 4}, /* U+100000..U+10FFFF */
};

/* The length (1 to 4) of the well-formed sequence at s[0..n), with its code
** point in *cp; 0 when there is none. */
FUZZ_HARNESS static inline int ref_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  static const uint32_t lead_bits[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  if (n == 0) return 0;
  for (size_t row = 0; row < sizeof ref_table_3_7 / sizeof ref_table_3_7[0]; row++) {
    int len = ref_table_3_7[row].len;
    if (s[0] < ref_table_3_7[row].lead_lo || s[0] > ref_table_3_7[row].lead_hi) continue;
    if (n < (size_t)len) return 0;
    if (len >= 2 && (s[1] < ref_table_3_7[row].second_lo || s[1] > ref_table_3_7[row].second_hi)) return 0;
    for (int i = 2; i < len; i++) {
      if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    }
    uint32_t v = s[0] & lead_bits[len];
    for (int i = 1; i < len; i++) v = v * 64 + (s[i] - 0x80u);
    *cp = v;
    return len;
  }
  return 0;
}

FUZZ_HARNESS static inline int ref_encode(uint32_t cp, unsigned char *out) {
  if (cp <= 0x7F) {
    out[0] = (unsigned char)cp;
    return 1;
  }
  if (cp <= 0x7FF) {
    out[0] = (unsigned char)(0xC0 + cp / 64);
    out[1] = (unsigned char)(0x80 + cp % 64);
    return 2;
  }
  if (cp <= 0xFFFF) {
    out[0] = (unsigned char)(0xE0 + cp / 4096);
    out[1] = (unsigned char)(0x80 + cp / 64 % 64);
    out[2] = (unsigned char)(0x80 + cp % 64);
    return 3;
  }
  out[0] = (unsigned char)(0xF0 + cp / 262144);
  out[1] = (unsigned char)(0x80 + cp / 4096 % 64);
  out[2] = (unsigned char)(0x80 + cp / 64 % 64);
  out[3] = (unsigned char)(0x80 + cp % 64);
  return 4;
}

FUZZ_HARNESS static inline int ref_valid_utf8(const void *p, size_t n) {
  const unsigned char *s = p;
  uint32_t cp;
  for (size_t i = 0; i < n;) {
    int len = ref_decode(s + i, n - i, &cp);
    if (!len) return 0;
    i += (size_t)len;
  }
  return 1;
}

/* ---- Folding -------------------------------------------------------------- */

/* dynenum_fold_reference of every code point, remembered by ref_init():
** the binary search is the slow path by design, and would otherwise be most
** of the time every run takes. */
static uint32_t *ref_fold_memo;

FUZZ_HARNESS static inline void ref_init(void) {
  ref_fold_memo = malloc(0x110000 * sizeof *ref_fold_memo);
  if (!ref_fold_memo) abort();
  for (uint32_t cp = 0; cp < 0x110000; cp++) ref_fold_memo[cp] = dynenum_fold_reference(cp);
}

FUZZ_HARNESS static inline uint32_t ref_fold(uint32_t cp) {
  return ref_fold_memo && cp < 0x110000 ? ref_fold_memo[cp] : dynenum_fold_reference(cp);
}

/* ---- Keys ----------------------------------------------------------------- */

/* Room for the key of n bytes: no unit's key is more than 3/2 its length. */
#define REF_KEY_ROOM(n) (2 * (n) + 4)

/* The key of s[0..n) (docs/SPEC.md section 1.1) into out, which has room
** for REF_KEY_ROOM(n) bytes; returns its length. */
FUZZ_HARNESS static inline size_t ref_key(const void *p, size_t n, unsigned char *out) {
  const unsigned char *s = p;
  size_t len = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    int unit = ref_decode(s + i, n - i, &cp);
    if (!unit) {
      out[len++] = s[i++]; /* malformed: copied, never folded */
      continue;
    }
    i += (size_t)unit;
    cp = ref_fold(cp);
    if (cp == 0x2D) cp = 0x5F; /* HYPHEN-MINUS to LOW LINE */
    len += (size_t)ref_encode(cp, out + len);
  }
  return len;
}

/* A key on the heap: bytes and length.  Free with free(). */
typedef struct ref_string {
  unsigned char *bytes;
  size_t len;
} ref_string;

FUZZ_HARNESS static inline ref_string ref_key_of(const void *s, size_t n) {
  ref_string k;
  k.bytes = malloc(REF_KEY_ROOM(n));
  if (!k.bytes) abort();
  k.len = ref_key(s, n, k.bytes);
  return k;
}

/* memcmp order with the shorter first on a common prefix: -1, 0 or 1. */
FUZZ_HARNESS static inline int ref_order(const void *a, size_t a_len, const void *b, size_t b_len) {
  size_t n = a_len < b_len ? a_len : b_len;
  int c = n ? memcmp(a, b, n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return (a_len > b_len) - (a_len < b_len);
}

FUZZ_HARNESS static inline int ref_sign(int x) { return (x > 0) - (x < 0); }

/* ---- Names ---------------------------------------------------------------- */

/* Unicode 15.0.0 White_Space (PropList.txt) or general category Cc. */
FUZZ_HARNESS static inline int ref_space_or_control(uint32_t cp) {
  static const uint32_t ranges[][2] = {
      {0x0000, 0x0020}, /* Cc 0000..001F, and White_Space 0009..000D, 0020 */
      {0x007F, 0x00A0}, /* Cc 007F..009F (0085 is also White_Space), 00A0 */
      {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029},
      {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000},
  };
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
    if (cp >= ranges[i][0] && cp <= ranges[i][1]) return 1;
  }
  return 0;
}

/* General category Cc: what no member's name or value may contain. */
FUZZ_HARNESS static inline int ref_control(uint32_t cp) { return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F); }

/* What dynenum_check_dynamic_name must say about s (docs/SPEC.md section
** 2.3.2: non-empty, at most 255 bytes, well-formed, key not starting with
** '_', no whitespace or control character), the first rule broken in that
** order. */
FUZZ_HARNESS static inline int ref_dynamic_name_code(const void *p, size_t n) {
  const unsigned char *s = p;
  int bad_char = 0;
  if (n == 0) return DYNENUM_EMPTY;
  if (n > 255) return DYNENUM_TOOLONG;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    int len = ref_decode(s + i, n - i, &cp);
    if (!len) return DYNENUM_MALFORMED;
    if (ref_space_or_control(cp)) bad_char = 1;
    i += (size_t)len;
  }
  unsigned char first[8];
  uint32_t cp;
  int len = ref_decode(s, n, &cp);
  ref_key(s, (size_t)len, first);
  if (first[0] == '_') return DYNENUM_RESERVED;
  return bad_char ? DYNENUM_BADCHAR : DYNENUM_OK;
}

/* Whether s may be a member's name (is_name) or value: docs/SPEC.md
** section 2.2.3. */
FUZZ_HARNESS static inline int ref_member_text_ok(const void *p, size_t n, int is_name) {
  const unsigned char *s = p;
  if (is_name && n == 0) return 0;
  if (n > 255 || !ref_valid_utf8(s, n)) return 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    i += (size_t)ref_decode(s + i, n - i, &cp);
    if (ref_control(cp)) return 0;
  }
  if (is_name) {
    unsigned char first[8];
    uint32_t cp;
    ref_key(s, (size_t)ref_decode(s, n, &cp), first);
    if (first[0] == '_') return 0;
  }
  return 1;
}

/* Whether s may be the name (is_name) or value of a member that CREATE or
** INSERT makes: the rules above, and no default-ignorable code point. */
FUZZ_HARNESS static inline int ref_new_member_text_ok(const void *p, size_t n, int is_name) {
  const unsigned char *s = p;
  if (!ref_member_text_ok(s, n, is_name)) return 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    i += (size_t)ref_decode(s + i, n - i, &cp);
    if (dynenum_is_default_ignorable(cp)) return 0;
  }
  return 1;
}

/* Whether an error message can be handed to sqlite3_errmsg's callers: not
** empty, NUL-terminated within a sane length, well-formed UTF-8. */
FUZZ_HARNESS static inline int ref_message_ok(const char *message) {
  if (!message) return 0;
  size_t n = fuzz_strnlen(message, 4096);
  return n > 0 && n < 4096 && ref_valid_utf8(message, n);
}

#endif /* DYNENUM_FUZZ_REFERENCE_H */
