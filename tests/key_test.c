/*
** key_test.c: tests of the key rule (ext/core/key.c), the one rule behind
** every comparison, hash and order in dynenum (docs/SPEC.md section 1).
**
** Covered here:
**   - every code point: the fast fold table agrees with the reference list,
**     folding is idempotent, the key of the code point's encoding is the
**     encoding of its fold, and the key length stays within 1/3 .. 3/2 of
**     the input length (the bounds lookup_key and DYNENUM_MAX_KEY_BYTES in
**     the core rely on);
**   - when /usr/share/unicode/CaseFolding.txt is the 15.0.0 file, the table
**     holds exactly its C and S mappings;
**   - dynenum_utf8_decode against Unicode Table 3-7, named cases and an
**     exhaustive sweep held to an independent definition of well-formed;
**   - malformed bytes, NUL and '-' in keys;
**   - the traps: case pairs of different UTF-8 lengths, Cherokee, final
**     sigma, Turkish dotted and dotless i, overlong forms;
**   - dynenum_compare against memcmp of independently built keys on
**     pseudo-random strings, and the collation properties;
**   - dynenum_check_dynamic_name, dynenum_quote, dynenum_unicode_version.
**
** The independent oracle (reference_decode, reference_key) is written from
** the definition "well-formed means the shortest encoding of a Unicode
** scalar value", not from Table 3-7, so that it does not share the core's
** mistakes.
*/
#include "dynenum.h"
#include "ctest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string literal as the (pointer, length) pair the API takes; the length
** counts embedded NUL bytes. */
#define LIT(s) (s), (sizeof(s) - 1)

/* Big enough for the key of anything these tests build. */
#define KEY_BUFFER 4096

/* ---- An independent oracle ------------------------------------------------- */

/* Encodes as the standard states it, a length from the ranges and then six
** bits per continuation byte from the end, rather than the way
** core/key.c does, so that the two can check each other. */
static int utf8_encode(uint32_t cp, unsigned char *out) {
  static const uint32_t limit[] = {0x80, 0x800, 0x10000, 0x110000};
  static const unsigned char lead[] = {0x00, 0xC0, 0xE0, 0xF0};
  int len = 1;
  while (len < 4 && cp >= limit[len - 1]) len++;
  for (int i = len - 1; i > 0; i--) {
    out[i] = (unsigned char)(0x80 | (cp & 0x3F));
    cp >>= 6;
  }
  out[0] = (unsigned char)(lead[len - 1] | cp);
  return len;
}

static int is_scalar_value(uint32_t cp) { return cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF); }

/* Decodes the sequence the lead byte announces, bits only, then accepts it
** when it is the shortest encoding of a scalar value (Unicode D92 and the
** shortest-form rule).  Returns the length or 0, like dynenum_utf8_decode. */
static int reference_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  int len;
  uint32_t v;
  unsigned char shortest[4];
  if (n == 0) return 0;
  if (s[0] < 0x80) len = 1, v = s[0];
  else if ((s[0] & 0xE0) == 0xC0) len = 2, v = s[0] & 0x1F;
  else if ((s[0] & 0xF0) == 0xE0) len = 3, v = s[0] & 0x0F;
  else if ((s[0] & 0xF8) == 0xF0) len = 4, v = s[0] & 0x07;
  else return 0;
  if (n < (size_t)len) return 0;
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (!is_scalar_value(v) || utf8_encode(v, shortest) != len) return 0;
  *cp = v;
  return len;
}

/* The key by the letter of docs/SPEC.md section 1.1, one unit at a time. */
static size_t reference_key(const unsigned char *s, size_t n, unsigned char *out) {
  size_t len = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    int unit = reference_decode(s + i, n - i, &cp);
    if (unit == 0) {
      out[len++] = s[i++];
      continue;
    }
    cp = dynenum_fold_reference(cp);
    if (cp == '-') cp = '_';
    len += (size_t)utf8_encode(cp, out + len);
    i += (size_t)unit;
  }
  return len;
}

static int sign(int x) { return (x > 0) - (x < 0); }

/* memcmp order of two byte strings, shorter first on a common prefix. */
static int byte_order(const unsigned char *a, size_t a_len, const unsigned char *b, size_t b_len) {
  int c = memcmp(a, b, a_len < b_len ? a_len : b_len);
  if (c) return sign(c);
  return (a_len > b_len) - (a_len < b_len);
}

/* ---- Every code point ------------------------------------------------------ */

/* Checks one code point against every rule the key makes for it; returns
** whether the code point folds to something else. */
static int check_code_point(uint32_t cp) {
  unsigned char encoded[4], folded_encoding[4], key[16];
  uint32_t folded = dynenum_fold(cp), decoded = 0;
  int encoded_len = utf8_encode(cp, encoded);
  int folded_len = utf8_encode(folded == '-' ? '_' : folded, folded_encoding);

  CHECK_HEX_EQ(dynenum_fold_reference(cp), folded, "fold(U+%04X) agrees with the reference list", (unsigned)cp);
  CHECK_HEX_EQ(folded, dynenum_fold(folded), "fold(U+%04X) is idempotent", (unsigned)cp);

  CHECK_INT_EQ(encoded_len, dynenum_utf8_decode(encoded, (size_t)encoded_len, &decoded), "decode length of U+%04X",
               (unsigned)cp);
  CHECK_HEX_EQ(cp, decoded, "decode of U+%04X", (unsigned)cp);
  if (encoded_len > 1) {
    CHECK_INT_EQ(0, dynenum_utf8_decode(encoded, (size_t)encoded_len - 1, &decoded),
                 "U+%04X cut one byte short is not well-formed", (unsigned)cp);
  }

  size_t key_len = dynenum_key((const char *)encoded, (size_t)encoded_len, (char *)key, sizeof key);
  CHECK_MEM_EQ(folded_encoding, (size_t)folded_len, key, key_len, "key of U+%04X", (unsigned)cp);
  /* lookup_key rejects inputs longer than 3 * DYNENUM_MAX_KEY_BYTES, and
  ** DYNENUM_MAX_KEY_BYTES allows 3/2 of DYNENUM_MAX_BYTES. */
  CHECK(3 * key_len >= (size_t)encoded_len && 2 * key_len <= 3 * (size_t)encoded_len,
        "key of U+%04X (%zu bytes) is within 1/3 .. 3/2 of its %d-byte encoding", (unsigned)cp, key_len, encoded_len);
  CHECK_INT_EQ(0, dynenum_compare((const char *)encoded, (size_t)encoded_len, (const char *)folded_encoding,
                                  (size_t)folded_len),
               "U+%04X compares equal to its fold", (unsigned)cp);
  return folded != cp;
}

/* Counts the C and S mappings of CaseFolding.txt, checking each against the
** reference list.  Returns -1 when the 15.0.0 file is not installed. */
static long check_against_casefolding_txt(const char *path) {
  char line[512];
  long mappings = 0;
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  if (!fgets(line, sizeof line, f) || !strstr(line, "CaseFolding-15.0.0.txt")) {
    fclose(f);
    return -1;
  }
  while (fgets(line, sizeof line, f)) {
    unsigned from, to;
    char status;
    if (sscanf(line, "%x; %c; %x;", &from, &status, &to) != 3) continue;
    if (status != 'C' && status != 'S') continue;
    mappings++;
    CHECK_HEX_EQ(to, dynenum_fold_reference(from), "CaseFolding.txt maps U+%04X (status %c)", from, status);
  }
  fclose(f);
  return mappings;
}

static void test_every_code_point(void) {
  long changed = 0, listed;
  ctest_group("every code point: fold, decode, key, length bounds");
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
    if (cp == 0xD800) cp = 0xE000; /* surrogates are not scalar values */
    changed += check_code_point(cp);
  }

  ctest_group("the fold table is CaseFolding.txt 15.0.0, status C and S");
  listed = check_against_casefolding_txt("/usr/share/unicode/CaseFolding.txt");
  if (listed < 0) {
    printf("     (CaseFolding.txt 15.0.0 not installed: only the known mapping count is checked)\n");
    listed = 1454; /* the count of C and S lines in CaseFolding-15.0.0.txt */
  }
  /* Every listed mapping matched, so equal counts mean nothing extra folds. */
  CHECK_INT_EQ(listed, changed, "code points that fold to another");
}

/* ---- UTF-8 decoding -------------------------------------------------------- */

static void check_rejected(const char *bytes, size_t n, const char *what) {
  uint32_t cp = 0xFFFFFFFF;
  CHECK_INT_EQ(0, dynenum_utf8_decode((const unsigned char *)bytes, n, &cp), "%s is not well-formed", what);
}

static void check_decodes(const char *bytes, size_t n, uint32_t expected, const char *what) {
  uint32_t cp = 0xFFFFFFFF;
  CHECK_INT_EQ((int)n, dynenum_utf8_decode((const unsigned char *)bytes, n, &cp), "%s decodes", what);
  CHECK_HEX_EQ(expected, cp, "%s decodes to its code point", what);
}

/* Compares the decoder with reference_decode on one byte sequence. */
static void check_decode_matches_reference(const unsigned char *s, size_t n) {
  uint32_t got = 0, want = 0;
  int got_len = dynenum_utf8_decode(s, n, &got);
  int want_len = reference_decode(s, n, &want);
  if (CHECK_INT_EQ(want_len, got_len, "decode length of %02X %02X %02X %02X (n = %zu)", s[0], n > 1 ? s[1] : 0,
                   n > 2 ? s[2] : 0, n > 3 ? s[3] : 0, n) &&
      want_len) {
    CHECK_HEX_EQ(want, got, "decode of %02X %02X %02X %02X", s[0], n > 1 ? s[1] : 0, n > 2 ? s[2] : 0,
                 n > 3 ? s[3] : 0);
  }
}

static void test_utf8_decode(void) {
  ctest_group("dynenum_utf8_decode: Unicode Table 3-7");
  check_rejected(LIT("\xC0\x80"), "overlong C0 80");
  check_rejected(LIT("\xC1\xBF"), "overlong C1 BF");
  check_rejected(LIT("\xE0\x80\x80"), "overlong E0 80 80");
  check_rejected(LIT("\xE0\x9F\xBF"), "overlong E0 9F BF");
  check_rejected(LIT("\xF0\x80\x80\x80"), "overlong F0 80 80 80");
  check_rejected(LIT("\xF0\x8F\xBF\xBF"), "overlong F0 8F BF BF");
  check_rejected(LIT("\xED\xA0\x80"), "surrogate ED A0 80 (U+D800)");
  check_rejected(LIT("\xED\xBF\xBF"), "surrogate ED BF BF (U+DFFF)");
  check_rejected(LIT("\xF4\x90\x80\x80"), "F4 90 80 80 (U+110000)");
  for (unsigned lead = 0xF5; lead <= 0xFF; lead++) {
    char bytes[4] = {(char)lead, '\x80', '\x80', '\x80'};
    uint32_t cp;
    CHECK_INT_EQ(0, dynenum_utf8_decode((const unsigned char *)bytes, 4, &cp), "lead byte %02X is never well-formed",
                 lead);
  }
  check_rejected(LIT("\xC2"), "truncated C2");
  check_rejected(LIT("\xE2\x84"), "truncated E2 84");
  check_rejected(LIT("\xF0\x9F\x98"), "truncated F0 9F 98");
  check_rejected(LIT("\xE2\x84" "A"), "E2 84 interrupted by 'A'");
  check_rejected(LIT("\xF0\x9F" "AB"), "F0 9F interrupted by 'AB'");
  check_rejected(LIT("\x80"), "lone continuation byte 80");
  check_rejected(LIT("\xBF"), "lone continuation byte BF");
  check_rejected(LIT("\xC2\xC2"), "C2 followed by a lead byte");
  check_rejected("", 0, "empty input");
  {
    /* n bounds the read even where the bytes after it would complete it. */
    uint32_t cp;
    CHECK_INT_EQ(0, dynenum_utf8_decode((const unsigned char *)"\xE2\x84\xAA", 2, &cp),
                 "n = 2 cuts E2 84 AA short");
  }

  check_decodes(LIT("\x00"), 0x0000, "U+0000");
  check_decodes(LIT("\x7F"), 0x007F, "U+007F");
  check_decodes(LIT("\xC2\x80"), 0x0080, "U+0080");
  check_decodes(LIT("\xDF\xBF"), 0x07FF, "U+07FF");
  check_decodes(LIT("\xE0\xA0\x80"), 0x0800, "U+0800");
  check_decodes(LIT("\xED\x9F\xBF"), 0xD7FF, "U+D7FF");
  check_decodes(LIT("\xEE\x80\x80"), 0xE000, "U+E000");
  check_decodes(LIT("\xEF\xBF\xBF"), 0xFFFF, "U+FFFF");
  check_decodes(LIT("\xF0\x90\x80\x80"), 0x10000, "U+10000");
  check_decodes(LIT("\xF4\x8F\xBF\xBF"), 0x10FFFF, "U+10FFFF");
  {
    /* Only the first sequence counts; what follows it is not looked at. */
    uint32_t cp = 0;
    CHECK_INT_EQ(3, dynenum_utf8_decode((const unsigned char *)"\xE2\x84\xAA\xFF", 4, &cp),
                 "E2 84 AA followed by FF decodes the first three");
    CHECK_HEX_EQ(0x212A, cp, "E2 84 AA followed by FF is U+212A");
  }

  ctest_group("dynenum_utf8_decode: every 1- to 3-byte sequence, 4-byte samples");
  {
    unsigned char s[4];
    /* The byte values where Table 3-7's ranges begin and end, plus ASCII. */
    static const unsigned char edges[] = {0x00, 0x41, 0x7F, 0x80, 0x81, 0x8F, 0x90, 0x9F,
                                          0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xF4, 0xFF};
    for (unsigned a = 0; a < 256; a++) {
      s[0] = (unsigned char)a;
      check_decode_matches_reference(s, 1);
      for (unsigned b = 0; b < 256; b++) {
        s[1] = (unsigned char)b;
        check_decode_matches_reference(s, 2);
        if (a < 0xE0) continue; /* a shorter lead byte never reads a third byte */
        for (unsigned c = 0; c < 256; c++) {
          s[2] = (unsigned char)c;
          check_decode_matches_reference(s, 3);
        }
      }
    }
    for (unsigned a = 0xF0; a < 256; a++) {
      s[0] = (unsigned char)a;
      for (size_t i = 0; i < sizeof edges; i++) {
        for (size_t j = 0; j < sizeof edges; j++) {
          for (size_t k = 0; k < sizeof edges; k++) {
            s[1] = edges[i], s[2] = edges[j], s[3] = edges[k];
            check_decode_matches_reference(s, 4);
          }
        }
      }
    }
  }
}

/* ---- Keys of particular strings --------------------------------------------- */

static void check_key(const char *s, size_t n, const char *expected, size_t expected_len, const char *what) {
  char key[KEY_BUFFER];
  size_t len = dynenum_key(s, n, key, sizeof key);
  CHECK_MEM_EQ(expected, expected_len, key, len, "key of %s", what);
}

static void test_keys(void) {
  ctest_group("keys: ASCII, '-', malformed bytes, NUL");
  check_key(LIT("OPENAI-CHAT"), LIT("openai_chat"), "OPENAI-CHAT");
  check_key(LIT("openai_chat"), LIT("openai_chat"), "openai_chat");
  check_key(LIT("---"), LIT("___"), "---");
  check_key(LIT("A\xff" "B"), LIT("a\xff" "b"), "A FF B");
  check_key(LIT("\xC1\x81"), LIT("\xC1\x81"), "overlong 'A' C1 81");
  check_key(LIT("\xC0\x80"), LIT("\xC0\x80"), "overlong NUL C0 80");
  check_key(LIT("\xE0\x81\x81"), LIT("\xE0\x81\x81"), "overlong 'A' E0 81 81");
  check_key(LIT("\xED\xA0\x80"), LIT("\xED\xA0\x80"), "surrogate ED A0 80");
  check_key(LIT("\xF4\x90\x80\x80"), LIT("\xF4\x90\x80\x80"), "F4 90 80 80 above U+10FFFF");
  check_key(LIT("\x80\xBF"), LIT("\x80\xBF"), "lone continuation bytes");
  check_key(LIT("A\0B"), LIT("a\0b"), "A NUL B (the NUL is kept)");
  check_key(LIT("\0"), LIT("\0"), "a lone NUL");
  check_key("", 0, "", 0, "the empty string");
  check_key(LIT("\xE2\x84" "A"), LIT("\xE2\x84" "a"), "truncated KELVIN SIGN then 'A'");
  check_key(LIT("X\xF0\x9F\x98"), LIT("x\xF0\x9F\x98"), "'X' then a truncated 4-byte sequence at the end");
  /* A malformed byte does not swallow the well-formed sequence after it. */
  check_key(LIT("\xFF\xE2\x84\xAA"), LIT("\xFF" "k"), "FF then KELVIN SIGN");
  check_key(LIT("\xE2\xE2\x84\xAA"), LIT("\xE2" "k"), "E2 then KELVIN SIGN");
  check_key(LIT("\xC3\x84" "-\xC3\x96"), LIT("\xC3\xA4_\xC3\xB6"), "U+00C4 '-' U+00D6");

  ctest_group("keys: output capacity");
  {
    char buf[8];
    memset(buf, '#', sizeof buf);
    CHECK_INT_EQ(3, dynenum_key(LIT("ABC"), buf, 2), "the full length is returned when the key does not fit");
    CHECK_MEM_EQ("ab##", 4, buf, 4, "only cap bytes are written");
    memset(buf, '#', sizeof buf);
    /* U+023A is 2 bytes, its fold U+2C65 is 3. */
    CHECK_INT_EQ(3, dynenum_key(LIT("\xC8\xBA"), buf, 2), "length of the key of U+023A with cap 2");
    CHECK_MEM_EQ("\xE2\xB1#", 3, buf, 3, "a unit cut by cap writes only the bytes that fit");
    memset(buf, '#', sizeof buf);
    CHECK_INT_EQ(5, dynenum_key(LIT("HELLO"), buf, 0), "cap 0 still measures the key");
    CHECK_INT_EQ('#', buf[0], "cap 0 writes nothing");
  }
}

/* ---- The traps --------------------------------------------------------------- */

static void check_equal(const char *a, size_t a_len, const char *b, size_t b_len, const char *what) {
  CHECK_INT_EQ(0, dynenum_compare(a, a_len, b, b_len), "%s: equal", what);
  CHECK_INT_EQ(0, dynenum_compare(b, b_len, a, a_len), "%s: equal both ways", what);
}

static void check_unequal(const char *a, size_t a_len, const char *b, size_t b_len, const char *what) {
  int ab = dynenum_compare(a, a_len, b, b_len), ba = dynenum_compare(b, b_len, a, a_len);
  CHECK(ab != 0, "%s: not equal", what);
  CHECK_INT_EQ(-sign(ab), sign(ba), "%s: opposite signs both ways", what);
}

static void test_traps(void) {
  ctest_group("traps: case pairs of different UTF-8 lengths and other folds");
  check_equal(LIT("\xE2\x84\xAA"), LIT("k"), "KELVIN SIGN vs 'k'");
  check_equal(LIT("\xE2\x84\xAA"), LIT("K"), "KELVIN SIGN vs 'K'");
  check_key(LIT("\xE2\x84\xAA"), LIT("k"), "KELVIN SIGN");
  /* Tie-breaking on byte length made U+212A = 'kka' in sqlean's text_nocase. */
  check_unequal(LIT("\xE2\x84\xAA"), LIT("kka"), "KELVIN SIGN vs 'kka'");
  CHECK(dynenum_compare(LIT("\xE2\x84\xAA"), LIT("kka")) < 0, "KELVIN SIGN sorts before 'kka' ('k' is a prefix)");
  check_unequal(LIT("\xE2\x84\xAA"), LIT("kk"), "KELVIN SIGN vs 'kk'");
  check_equal(LIT("a\xE2\x84\xAA" "b"), LIT("AKB"), "'a' KELVIN SIGN 'b' vs 'AKB'");
  check_equal(LIT("\xC5\xBF"), LIT("s"), "LONG S vs 's'");
  check_equal(LIT("\xC5\xBF"), LIT("S"), "LONG S vs 'S'");
  check_unequal(LIT("\xC5\xBF"), LIT("sa"), "LONG S vs 'sa'");
  check_equal(LIT("\xE1\xBA\x9E"), LIT("\xC3\x9F"), "CAPITAL SHARP S vs U+00DF");
  check_unequal(LIT("\xE1\xBA\x9E"), LIT("ss"), "CAPITAL SHARP S vs 'ss' (full folding is not used)");
  check_unequal(LIT("\xC3\x9F"), LIT("ss"), "U+00DF vs 'ss'");
  check_equal(LIT("\xC8\xBA"), LIT("\xE2\xB1\xA5"), "U+023A (2 bytes) vs U+2C65 (3 bytes)");
  check_equal(LIT("\xE2\x84\xA6"), LIT("\xCF\x89"), "OHM SIGN vs U+03C9");
  check_equal(LIT("\xE2\x84\xAB"), LIT("\xC3\xA5"), "ANGSTROM SIGN vs U+00E5");
  check_equal(LIT("\xF0\x90\x90\x80"), LIT("\xF0\x90\x90\xA8"), "Deseret U+10400 vs U+10428");
  CHECK_HEX_EQ(0x10428, dynenum_fold(0x10400), "Deseret U+10400 folds to U+10428");

  /* Cherokee is the one script whose lower case folds to upper case. */
  CHECK_HEX_EQ(0x13A0, dynenum_fold(0xAB70), "CHEROKEE SMALL LETTER A U+AB70 folds to U+13A0");
  CHECK_HEX_EQ(0x13A0, dynenum_fold(0x13A0), "CHEROKEE LETTER A U+13A0 folds to itself");
  CHECK_HEX_EQ(0x13F0, dynenum_fold(0x13F8), "CHEROKEE SMALL LETTER YE U+13F8 folds to U+13F0");
  check_equal(LIT("\xEA\xAD\xB0"), LIT("\xE1\x8E\xA0"), "Cherokee U+AB70 vs U+13A0");
  check_key(LIT("\xEA\xAD\xB0"), LIT("\xE1\x8E\xA0"), "Cherokee U+AB70");

  check_equal(LIT("\xCF\x82"), LIT("\xCF\x83"), "final sigma U+03C2 vs U+03C3");
  check_equal(LIT("\xCF\x82"), LIT("\xCE\xA3"), "final sigma U+03C2 vs U+03A3");
  check_equal(LIT("\xCE\xA3"), LIT("\xCF\x83"), "U+03A3 vs U+03C3");

  /* U+0130 has only F and T mappings, U+0131 none: neither is an i. */
  CHECK_HEX_EQ(0x0130, dynenum_fold(0x0130), "U+0130 folds to itself");
  CHECK_HEX_EQ(0x0131, dynenum_fold(0x0131), "U+0131 folds to itself");
  check_unequal(LIT("\xC4\xB0"), LIT("i"), "dotted capital I U+0130 vs 'i'");
  check_unequal(LIT("\xC4\xB0"), LIT("I"), "dotted capital I U+0130 vs 'I'");
  check_unequal(LIT("\xC4\xB0"), LIT("i\xCC\x87"), "U+0130 vs 'i' U+0307 (the F mapping)");
  check_unequal(LIT("\xC4\xB1"), LIT("i"), "dotless i U+0131 vs 'i'");
  check_unequal(LIT("\xC4\xB1"), LIT("I"), "dotless i U+0131 vs 'I'");

  check_unequal(LIT("\xC1\x81"), LIT("a"), "overlong C1 81 vs 'a'");
  check_unequal(LIT("\xC1\x81"), LIT("A"), "overlong C1 81 vs 'A'");
  check_unequal(LIT("\xE0\x81\x81"), LIT("a"), "overlong E0 81 81 vs 'a'");
  check_unequal(LIT("\xF0\x80\x81\x81"), LIT("a"), "overlong F0 80 81 81 vs 'a'");
  check_equal(LIT("\xC1\x81"), LIT("\xC1\x81"), "overlong C1 81 vs itself");
  /* Overlong two-byte sequences after a letter on both sides: the key of
  ** C0 or C1 is the byte itself, above any ASCII key and below any other
  ** two-byte one, whichever comes next on the other side. */
  CHECK(dynenum_compare(LIT("\xC3\x89\xC1\x81"), LIT("\xC3\xA9\xC5\xBF")) > 0,
        "U+00C9 C1 81 sorts after U+00E9 LONG S (C1 is above 's')");
  CHECK(dynenum_compare(LIT("\xC3\x89\xC1\x81"), LIT("\xC3\xA9\xC3\xA9")) < 0,
        "U+00C9 C1 81 sorts before U+00E9 twice");
  check_unequal(LIT("\xC3\xA9\xC0\x80"), LIT("\xC3\x89\xC1\x80"), "U+00E9 C0 80 vs U+00C9 C1 80");
  check_unequal(LIT("\xC3\xA9\xC1\x80"), LIT("\xC3\x89\xC1\x81"), "U+00E9 C1 80 vs U+00C9 C1 81");
  check_equal(LIT("\xC3\xA9\xC1\x80xy"), LIT("\xC3\x89\xC1\x80XY"), "U+00E9 C1 80 'xy' vs U+00C9 C1 80 'XY'");
  check_unequal(LIT("\xC0\x80\xC3\xA9"), LIT("\xC1\x80\xC3\xA9"), "C0 80 U+00E9 vs C1 80 U+00E9");

  /* The same malformed bytes on both sides, whose last byte leads a
  ** letter that goes on past them in a different case: E0 A0 is two
  ** malformed bytes, C3 89 / C3 A9 are É and é.  A comparator that skips
  ** the same bytes by the length E0 announces lands inside the letter. */
  check_equal(LIT("\xC3\x89\xE0\xA0\xC3\x89"), LIT("\xC3\xA9\xE0\xA0\xC3\xA9"),
              "E, then malformed E0 A0 and E in two cases");
  check_equal(LIT("\xC3\x89\xF0\x90\xC3\x89xyz"), LIT("\xC3\xA9\xF0\x90\xC3\xA9XYZ"),
              "E, then malformed F0 90 and E in two cases, then ASCII");
  check_equal(LIT("\xC3\x89\xF0\x90\x90\xC3\x89"), LIT("\xC3\xA9\xF0\x90\x90\xC3\xA9"),
              "E, then malformed F0 90 90 and E in two cases");
  check_unequal(LIT("\xC3\x89\xE0\xA0\xC3\x89"), LIT("\xC3\xA9\xE0\xA0\xC3\xAA"),
                "E, then malformed E0 A0 and E vs e-circumflex");

  check_equal(LIT("openai-chat"), LIT("OPENAI_CHAT"), "'openai-chat' vs 'OPENAI_CHAT'");
  check_unequal(LIT("ab"), LIT("a\0b"), "'ab' vs 'a' NUL 'b'");
  check_unequal(LIT("a"), LIT("a\0"), "'a' vs 'a' NUL");
  CHECK(dynenum_compare(LIT("a"), LIT("a\0")) < 0, "'a' sorts before 'a' NUL");
}

/* ---- Random strings ------------------------------------------------------------ */

/* splitmix64: tiny, fixed seed, the same sequence on every platform. */
static uint64_t prng_state;
static uint64_t prng_next(void) {
  uint64_t z = (prng_state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}
static size_t prng_below(size_t n) { return (size_t)(prng_next() % n); }

typedef struct piece {
  const char *bytes;
  size_t len;
} piece;
#define PIECE(s) {(s), sizeof(s) - 1}

/* Pieces of random strings: case variants that differ in UTF-8 length,
** hyphen and underscore, malformed and truncated bytes (which may merge with
** the next piece into a well-formed sequence, on purpose), NUL, and bytes
** around the ASCII boundary. */
static const piece mixed_pieces[] = {
    PIECE("a"), PIECE("A"), PIECE("k"), PIECE("K"), PIECE("s"), PIECE("S"), PIECE("z"), PIECE("Z"),
    PIECE("-"), PIECE("_"), PIECE("\0"), PIECE("\x7F"), PIECE("0"), PIECE(" "),
    PIECE("\xE2\x84\xAA"),     /* KELVIN SIGN */
    PIECE("\xC5\xBF"),         /* LONG S */
    PIECE("\xC3\x9F"),         /* U+00DF */
    PIECE("\xE1\xBA\x9E"),     /* U+1E9E */
    PIECE("\xC8\xBA"),         /* U+023A, folds to 3 bytes */
    PIECE("\xE2\xB1\xA5"),     /* U+2C65 */
    PIECE("\xCE\xA3"),         /* U+03A3 */
    PIECE("\xCF\x82"),         /* U+03C2 */
    PIECE("\xF0\x90\x90\x80"), /* U+10400 */
    PIECE("\xF0\x90\x90\xA8"), /* U+10428 */
    PIECE("\xEA\xAD\xB0"),     /* U+AB70 */
    PIECE("\xE1\x8E\xA0"),     /* U+13A0 */
    PIECE("\xC4\xB0"),         /* U+0130 */
    PIECE("\xFF"), PIECE("\x80"), PIECE("\xC1\x81"), PIECE("\xE2\x84"), PIECE("\xED\xA0\x80"),
    PIECE("\xF4\x90\x80\x80"), PIECE("\xF0\x9F"), PIECE("\xC2"),
};

/* Few pieces, all in small classes of equal keys, so that random triples
** are often equal and order checks meet every case. */
static const piece equal_prone_pieces[] = {
    PIECE("k"), PIECE("K"), PIECE("\xE2\x84\xAA"), PIECE("s"), PIECE("\xC5\xBF"), PIECE("-"), PIECE("_"),
    PIECE("\xC3\x9F"), PIECE("\xE1\xBA\x9E"), PIECE("\xC8\xBA"), PIECE("\xE2\xB1\xA5"), PIECE("\xFF"),
};

typedef struct random_string {
  char bytes[64];
  size_t len;
} random_string;

static void make_random_string(random_string *out, const piece *pieces, size_t piece_count, size_t max_pieces) {
  size_t count = prng_below(max_pieces + 1);
  out->len = 0;
  for (size_t i = 0; i < count; i++) {
    const piece *p = &pieces[prng_below(piece_count)];
    memcpy(out->bytes + out->len, p->bytes, p->len);
    out->len += p->len;
  }
}

/* The key by the oracle; checks that dynenum_key agrees. */
static size_t checked_key(const random_string *s, unsigned char *key) {
  char got[KEY_BUFFER];
  size_t len = reference_key((const unsigned char *)s->bytes, s->len, key);
  size_t got_len = dynenum_key(s->bytes, s->len, got, sizeof got);
  if (!CHECK_MEM_EQ(key, len, got, got_len, "dynenum_key agrees with the oracle")) {
    printf("  input:    ");
    ctest_print_bytes(s->bytes, s->len);
    printf("\n");
  }
  return len;
}

static int compare(const random_string *a, const random_string *b) {
  return sign(dynenum_compare(a->bytes, a->len, b->bytes, b->len));
}

static void test_random_pairs(void) {
  enum { PAIRS = 40000 };
  long equal = 0, less = 0, greater = 0;
  ctest_group("dynenum_compare vs memcmp of keys, random pairs");
  prng_state = 20240501;
  for (int i = 0; i < PAIRS; i++) {
    random_string a, b;
    unsigned char a_key[KEY_BUFFER], b_key[KEY_BUFFER];
    /* Half of the pairs share a prefix, where streaming is hardest. */
    make_random_string(&a, mixed_pieces, sizeof mixed_pieces / sizeof *mixed_pieces, 12);
    if (i % 2) {
      b = a;
      random_string tail;
      make_random_string(&tail, mixed_pieces, sizeof mixed_pieces / sizeof *mixed_pieces, 4);
      b.len = prng_below(a.len + 1);
      memcpy(b.bytes + b.len, tail.bytes, tail.len);
      b.len += tail.len;
    } else {
      make_random_string(&b, mixed_pieces, sizeof mixed_pieces / sizeof *mixed_pieces, 12);
    }
    size_t a_len = checked_key(&a, a_key), b_len = checked_key(&b, b_key);
    int expected = byte_order(a_key, a_len, b_key, b_len), got = compare(&a, &b);
    if (!CHECK_INT_EQ(expected, got, "sign of dynenum_compare is memcmp order of the keys")) {
      printf("  a: ");
      ctest_print_bytes(a.bytes, a.len);
      printf("\n  b: ");
      ctest_print_bytes(b.bytes, b.len);
      printf("\n");
    }
    CHECK_INT_EQ(0, compare(&a, &a), "reflexivity");
    equal += expected == 0, less += expected < 0, greater += expected > 0;
  }
  /* Without all three outcomes the loop above would prove little. */
  CHECK(equal > 100 && less > 1000 && greater > 1000, "random pairs cover every outcome (%ld equal, %ld less, %ld greater)",
        equal, less, greater);
}

/* The word-at-a-time ASCII path of dynenum_key and dynenum_compare: every
** ASCII byte value in every position of two words, next to the bytes around
** 'A'..'Z' and '-', and ASCII strings of every length around a word. */
static void test_ascii_words(void) {
  static const unsigned char edges[] = {'@', 'A', 'Z', '[', '`', 'a', 'z', '{', '-', '_', ',', '.', 0x00, 0x7F, '0'};
  ctest_group("ASCII eight bytes at a time: every byte in every position");
  for (int v = 0; v < 0x80; v++) {
    for (int pos = 0; pos < 16; pos++) {
      unsigned char a[17], b[17], a_key[64], b_key[64], key[64];
      for (int i = 0; i < 16; i++) {
        a[i] = edges[(size_t)(i + v) % sizeof edges];
        b[i] = edges[(size_t)(i * 7 + v) % sizeof edges];
      }
      a[pos] = (unsigned char)v;
      b[pos] = (unsigned char)(v ^ 0x20); /* the other case of a letter */
      size_t a_len = reference_key(a, 16, a_key), b_len = reference_key(b, 16, b_key);
      size_t len = dynenum_key((const char *)a, 16, (char *)key, sizeof key);
      CHECK_MEM_EQ(a_key, a_len, key, len, "key of byte 0x%02X at %d", v, pos);
      CHECK_INT_EQ(byte_order(a_key, a_len, b_key, b_len), dynenum_compare((const char *)a, 16, (const char *)b, 16),
                   "compare with byte 0x%02X / 0x%02X at %d", v, v ^ 0x20, pos);
      /* The same pair with a's case flipped everywhere compares equal to a. */
      unsigned char flipped[16];
      for (int i = 0; i < 16; i++) {
        int letter = (a[i] | 0x20) >= 'a' && (a[i] | 0x20) <= 'z';
        flipped[i] = letter ? (unsigned char)(a[i] ^ 0x20) : a[i];
      }
      CHECK_INT_EQ(0, dynenum_compare((const char *)a, 16, (const char *)flipped, 16),
                   "case-flipped copy equal, byte 0x%02X at %d", v, pos);
    }
  }
  for (size_t n = 0; n <= 40; n++) {
    char a[41], b[41];
    unsigned char a_key[64], b_key[64];
    for (size_t i = 0; i < n; i++) a[i] = (char)edges[(i * 5) % sizeof edges];
    for (size_t m = 0; m <= 40; m += 1) {
      for (size_t i = 0; i < m; i++) b[i] = i < n ? (char)(a[i] ^ ((a[i] | 0x20) >= 'a' && (a[i] | 0x20) <= 'z' ? 0x20 : 0)) : 'q';
      size_t a_len = reference_key((unsigned char *)a, n, a_key), b_len = reference_key((unsigned char *)b, m, b_key);
      CHECK_INT_EQ(byte_order(a_key, a_len, b_key, b_len), dynenum_compare(a, n, b, m), "lengths %zu and %zu", n, m);
    }
  }
}

/* The comparator reads sixteen bytes of each side at a time (eight where
** SSE2 is not there), a string of 8 to 15 bytes as its first eight and
** last eight, and from the first byte whose keys may differ steps back to
** where both sides start a unit.  Here the first difference falls on every
** position of strings of every length from 0 to 40 (around 8, 16 and 32,
** and past the ends of both), after a prefix of key-equal pairs of every
** UTF-8 length (so that the windows end inside sequences), with every pair
** of a set of units at the difference: case pairs of 1 to 4 bytes, pairs of
** different lengths, '-' and '_', malformed bytes, continuation bytes that
** end a sequence the prefix began (U+013F, C4 BF, folds to C5 80) or not,
** and a sequence the end of the string cuts.  Each string is a heap block of exactly its length,
** so that a sanitizer build sees a read past its end.  The collation's
** entry point, dynenum_collating_compare, is held to the same answers. */
static void test_windows(void) {
  static const piece same[][2] = {
      {PIECE("a"), PIECE("A")},
      {PIECE("-"), PIECE("_")},
      {PIECE("z"), PIECE("z")},
      {PIECE("\xC3\xA9"), PIECE("\xC3\x89")},         /* e and E with acute */
      {PIECE("\xCE\xA3"), PIECE("\xCE\xA3")},         /* SIGMA, identical */
      {PIECE("\xEA\xAD\xB0"), PIECE("\xE1\x8E\xA0")}, /* Cherokee small and capital */
      {PIECE("\xF0\x90\x90\xA8"), PIECE("\xF0\x90\x90\x80")}, /* Deseret */
      {PIECE("\xFF"), PIECE("\xFF")},
      {PIECE("\xC4"), PIECE("\xC4")},         /* a lead byte: U+013F is C4 BF */
      {PIECE("\xE1\xBA"), PIECE("\xE1\xBA")}, /* two bytes of three */
  };
  static const piece units[] = {
      PIECE("a"), PIECE("A"), PIECE("b"), PIECE("-"), PIECE("_"), PIECE("\xC3\xA9"), PIECE("\xC3\x89"),
      PIECE("\xC3\x9F"), PIECE("\xE1\xBA\x9E"), PIECE("\xEA\xAD\xB0"), PIECE("\xE1\x8E\xA0"),
      PIECE("\xF0\x90\x90\xA8"), PIECE("\xE2\x84\xAA"), PIECE("k"), PIECE("\xFF"), PIECE("\x80"),
      PIECE("\xC3"), PIECE("\xE1\xBA"), PIECE("\xBF"), PIECE("\xC0"),
  };
  enum { UNITS = sizeof units / sizeof units[0], SAME = sizeof same / sizeof same[0], MAX = 40 };
  long cases = 0, equal = 0;
  ctest_group("comparator windows: a difference at every position of every length");
  prng_state = 20261202;
  for (size_t n = 0; n <= MAX; n++) {
    for (size_t d = 0; d <= n; d++) {
      for (size_t u = 0; u < UNITS; u++) {
        for (size_t v = 0; v < UNITS; v++) {
          unsigned char a[MAX + 8], b[MAX + 8], a_key[KEY_BUFFER], b_key[KEY_BUFFER];
          size_t a_len = 0, b_len = 0;
          /* A prefix of d bytes on each side, pairs of equal length. */
          while (a_len < d) {
            const piece *pair = same[prng_below(SAME)];
            if (pair[0].len > d - a_len) pair = same[0];
            memcpy(a + a_len, pair[0].bytes, pair[0].len);
            memcpy(b + b_len, pair[1].bytes, pair[1].len);
            a_len += pair[0].len;
            b_len += pair[1].len;
          }
          memcpy(a + a_len, units[u].bytes, units[u].len);
          memcpy(b + b_len, units[v].bytes, units[v].len);
          a_len += units[u].len;
          b_len += units[v].len;
          /* The same tail on both, then cut: a at n, b at n - 1, n or n + 1. */
          for (; a_len < MAX + 4; a_len++) a[a_len] = (unsigned char)"qQ\xC3\xA9"[a_len % 4];
          for (; b_len < MAX + 4; b_len++) b[b_len] = (unsigned char)"qQ\xC3\xA9"[b_len % 4];
          a_len = n;
          b_len = n + (size_t)((u + v + d) % 3) - (n > 0);
          char *x = malloc(a_len ? a_len : 1), *y = malloc(b_len ? b_len : 1);
          if (!CHECK(x && y, "malloc")) {
            free(x);
            free(y);
            return;
          }
          memcpy(x, a, a_len);
          memcpy(y, b, b_len);
          size_t ak = reference_key(a, a_len, a_key), bk = reference_key(b, b_len, b_key);
          int expected = byte_order(a_key, ak, b_key, bk);
          int got = sign(dynenum_compare(x, a_len, y, b_len)), back = sign(dynenum_compare(y, b_len, x, a_len));
          if (!CHECK_INT_EQ(expected, got, "length %zu/%zu, difference at %zu, units %zu/%zu", a_len, b_len, d, u, v) ||
              !CHECK_INT_EQ(-expected, back, "reversed: length %zu/%zu, difference at %zu, units %zu/%zu", a_len, b_len,
                            d, u, v)) {
            printf("  a: ");
            ctest_print_bytes(x, a_len);
            printf("\n  b: ");
            ctest_print_bytes(y, b_len);
            printf("\n");
          }
          CHECK_INT_EQ(expected, sign(dynenum_collating_compare(NULL, (int)a_len, x, (int)b_len, y)),
                       "dynenum_collating_compare: length %zu/%zu, difference at %zu, units %zu/%zu", a_len, b_len, d,
                       u, v);
          cases++;
          equal += expected == 0;
          free(x);
          free(y);
        }
      }
    }
  }
  CHECK(equal > 1000 && equal < cases / 2, "window pairs are equal and unequal (%ld equal of %ld)", equal, cases);
}

/* The sign cmp(a, c) must have, given cmp(a, b) and cmp(b, c); 2 when the
** two say nothing (one less, one greater). */
static int implied_order(int ab, int bc) {
  if (ab == 0) return bc;
  if (bc == 0 || bc == ab) return ab;
  return 2;
}

static void test_collation_properties(void) {
  enum { TRIPLES = 30000 };
  long implied = 0, all_equal = 0;
  ctest_group("collation properties on random triples");
  prng_state = 7;
  for (int i = 0; i < TRIPLES; i++) {
    random_string s[3];
    for (int j = 0; j < 3; j++) {
      if (i % 3 == 0) make_random_string(&s[j], mixed_pieces, sizeof mixed_pieces / sizeof *mixed_pieces, 6);
      else make_random_string(&s[j], equal_prone_pieces, sizeof equal_prone_pieces / sizeof *equal_prone_pieces, 3);
    }
    int ab = compare(&s[0], &s[1]), bc = compare(&s[1], &s[2]), ac = compare(&s[0], &s[2]);
    CHECK_INT_EQ(-ab, compare(&s[1], &s[0]), "antisymmetry a, b (triple %d)", i);
    CHECK_INT_EQ(-bc, compare(&s[2], &s[1]), "antisymmetry b, c (triple %d)", i);
    CHECK_INT_EQ(-ac, compare(&s[2], &s[0]), "antisymmetry a, c (triple %d)", i);
    CHECK_INT_EQ(0, compare(&s[0], &s[0]), "reflexivity (triple %d)", i);
    int expected = implied_order(ab, bc);
    if (expected != 2) {
      implied++;
      all_equal += expected == 0;
      if (!CHECK_INT_EQ(expected, ac, "transitivity: cmp(a,b) = %d, cmp(b,c) = %d (triple %d)", ab, bc, i)) {
        for (int j = 0; j < 3; j++) {
          printf("  %c: ", 'a' + j);
          ctest_print_bytes(s[j].bytes, s[j].len);
          printf("\n");
        }
      }
    }
  }
  CHECK(implied > TRIPLES / 3 && all_equal > 100, "triples test transitivity often (%ld, %ld of them all equal)", implied,
        all_equal);
}

/* ---- Dynamic names ------------------------------------------------------------ */

static void check_name(int expected, const char *s, size_t n, const char *what) {
  CHECK_INT_EQ(expected, dynenum_check_dynamic_name(s, n), "dynamic name %s (%s expected)", what,
               dynenum_errstr(expected));
}

/* Unicode 15.0.0 White_Space (PropList.txt), and Cc, which is exactly
** U+0000..U+001F and U+007F..U+009F by Unicode's stability policy. */
static int expected_space_or_control(uint32_t cp) {
  static const uint32_t white_space[][2] = {{0x0009, 0x000D}, {0x0020, 0x0020}, {0x0085, 0x0085},
                                            {0x00A0, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200A},
                                            {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F},
                                            {0x3000, 0x3000}};
  if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F)) return 1;
  for (size_t i = 0; i < sizeof white_space / sizeof *white_space; i++) {
    if (cp >= white_space[i][0] && cp <= white_space[i][1]) return 1;
  }
  return 0;
}

static void test_space_or_control(void) {
  ctest_group("dynenum_is_space_or_control and BADCHAR, every code point");
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
    unsigned char name[5] = {'a'};
    if (cp == 0xD800) cp = 0xE000;
    int expected = expected_space_or_control(cp);
    CHECK_INT_EQ(expected, !!dynenum_is_space_or_control(cp), "U+%04X is whitespace or a control", (unsigned)cp);
    /* After an 'a', so that '_' and '-' are not reserved. */
    size_t n = 1 + (size_t)utf8_encode(cp, name + 1);
    CHECK_INT_EQ(expected ? DYNENUM_BADCHAR : DYNENUM_OK, dynenum_check_dynamic_name((const char *)name, n),
                 "dynamic name 'a' U+%04X", (unsigned)cp);
  }
}

static void test_dynamic_names(void) {
  char long_name[300];
  ctest_group("dynenum_check_dynamic_name");
  check_name(DYNENUM_OK, LIT("teal"), "'teal'");
  check_name(DYNENUM_OK, LIT("Teal-Blue_2"), "'Teal-Blue_2'");
  check_name(DYNENUM_OK, LIT("x-"), "'x-'");
  check_name(DYNENUM_OK, LIT("x_"), "'x_'");
  check_name(DYNENUM_OK, LIT("\xC3\xA9t\xC3\xA9"), "'ete' with accents");
  check_name(DYNENUM_OK, LIT("\xE6\x97\xA5\xE6\x9C\xAC"), "Japanese");
  check_name(DYNENUM_OK, LIT("\xF0\x90\x90\x80"), "Deseret U+10400");
  /* Format characters are neither White_Space nor Cc. */
  check_name(DYNENUM_OK, LIT("a\xE2\x80\x8B" "b"), "with U+200B ZERO WIDTH SPACE (not White_Space)");
  check_name(DYNENUM_OK, LIT("a\xE1\xA0\x8E" "b"), "with U+180E (not White_Space since Unicode 6.3)");
  check_name(DYNENUM_OK, LIT("a\xC2\xAD" "b"), "with U+00AD SOFT HYPHEN");

  check_name(DYNENUM_EMPTY, "", 0, "''");
  memset(long_name, 'a', sizeof long_name);
  check_name(DYNENUM_OK, long_name, 255, "of 255 bytes");
  check_name(DYNENUM_TOOLONG, long_name, 256, "of 256 bytes");
  memcpy(long_name + 253, "\xC3\xA9", 2);
  check_name(DYNENUM_OK, long_name, 255, "of 255 bytes ending in U+00E9");
  memset(long_name, 'a', sizeof long_name);

  check_name(DYNENUM_MALFORMED, LIT("\xFF"), "FF");
  check_name(DYNENUM_MALFORMED, LIT("a\xC1\x81"), "with overlong C1 81");
  check_name(DYNENUM_MALFORMED, LIT("a\xED\xA0\x80"), "with surrogate ED A0 80");
  check_name(DYNENUM_MALFORMED, LIT("a\xE2\x84"), "ending in truncated E2 84");
  check_name(DYNENUM_MALFORMED, LIT("a\x80" "b"), "with a lone continuation byte");

  check_name(DYNENUM_RESERVED, LIT("_x"), "'_x'");
  check_name(DYNENUM_RESERVED, LIT("-x"), "'-x'");
  check_name(DYNENUM_RESERVED, LIT("_"), "'_'");
  check_name(DYNENUM_RESERVED, LIT("-"), "'-'");
  check_name(DYNENUM_RESERVED, LIT("__init__"), "'__init__'");

  check_name(DYNENUM_BADCHAR, LIT("a b"), "with a space");
  check_name(DYNENUM_BADCHAR, LIT(" a"), "starting with a space");
  check_name(DYNENUM_BADCHAR, LIT("a\tb"), "with a tab");
  check_name(DYNENUM_BADCHAR, LIT("a\nb"), "with a newline");
  check_name(DYNENUM_BADCHAR, LIT("a\rb"), "with a carriage return");
  check_name(DYNENUM_BADCHAR, LIT("a\0b"), "with NUL");
  check_name(DYNENUM_BADCHAR, LIT("\0"), "NUL alone");
  check_name(DYNENUM_BADCHAR, LIT("a\x1f"), "with U+001F");
  check_name(DYNENUM_BADCHAR, LIT("a\x7f"), "with DEL");
  check_name(DYNENUM_BADCHAR, LIT("a\xC2\x80"), "with C1 control U+0080");
  check_name(DYNENUM_BADCHAR, LIT("a\xC2\x85"), "with U+0085 NEXT LINE");
  check_name(DYNENUM_BADCHAR, LIT("a\xC2\x9F"), "with C1 control U+009F");
  check_name(DYNENUM_BADCHAR, LIT("a\xC2\xA0" "b"), "with U+00A0 NO-BREAK SPACE");
  check_name(DYNENUM_BADCHAR, LIT("a\xE1\x9A\x80" "b"), "with U+1680 OGHAM SPACE MARK");
  check_name(DYNENUM_BADCHAR, LIT("a\xE2\x80\x80" "b"), "with U+2000 EN QUAD");
  check_name(DYNENUM_BADCHAR, LIT("a\xE2\x80\x8A" "b"), "with U+200A HAIR SPACE");
  check_name(DYNENUM_BADCHAR, LIT("a\xE2\x80\xA8" "b"), "with U+2028 LINE SEPARATOR");
  check_name(DYNENUM_BADCHAR, LIT("a\xE2\x80\xA9" "b"), "with U+2029 PARAGRAPH SEPARATOR");
  check_name(DYNENUM_BADCHAR, LIT("a\xE2\x80\xAF" "b"), "with U+202F NARROW NO-BREAK SPACE");
  check_name(DYNENUM_BADCHAR, LIT("a\xE2\x81\x9F" "b"), "with U+205F MEDIUM MATHEMATICAL SPACE");
  check_name(DYNENUM_BADCHAR, LIT("a\xE3\x80\x80" "b"), "with U+3000 IDEOGRAPHIC SPACE");

  ctest_group("dynenum_check_dynamic_name: which rule wins");
  /* dynenum.h: empty, too long, malformed, reserved, whitespace/control. */
  memset(long_name, '\xFF', sizeof long_name);
  check_name(DYNENUM_TOOLONG, long_name, 256, "of 256 malformed bytes");
  long_name[0] = '_';
  check_name(DYNENUM_TOOLONG, long_name, 256, "of 256 bytes starting with '_'");
  memset(long_name, ' ', sizeof long_name);
  check_name(DYNENUM_TOOLONG, long_name, 256, "of 256 spaces");
  check_name(DYNENUM_MALFORMED, LIT("_\xFF"), "'_' FF");
  check_name(DYNENUM_MALFORMED, LIT("-a\xC0\x80"), "'-a' C0 80");
  check_name(DYNENUM_MALFORMED, LIT("a b\xFF"), "'a b' FF");
  check_name(DYNENUM_MALFORMED, LIT("\xFF" "a b"), "FF 'a b'");
  check_name(DYNENUM_RESERVED, LIT("_ x"), "'_ x'");
  check_name(DYNENUM_RESERVED, LIT("-\t"), "'-' tab");
  check_name(DYNENUM_BADCHAR, LIT(" _x"), "' _x' (the key starts with a space)");
}

/* ---- Quoting ---------------------------------------------------------------- */

/* Quotes s into a buffer of exactly DYNENUM_QUOTE_SIZE bytes and checks the
** result, and that nothing was written past the buffer. */
static void check_quote(const char *s, size_t n, const char *expected, const char *what) {
  char buf[DYNENUM_QUOTE_SIZE + 16];
  memset(buf, '#', sizeof buf);
  dynenum_quote(buf, DYNENUM_QUOTE_SIZE, s, n);
  CHECK_STR_EQ(expected, buf, "quote of %s", what);
  CHECK_MEM_EQ("################", 16, buf + DYNENUM_QUOTE_SIZE, 16, "quote of %s stays in its buffer", what);
}

static void test_quote(void) {
  char input[256], expected[1024];
  ctest_group("dynenum_quote");
  check_quote(LIT("abc"), "abc", "'abc'");
  check_quote("", 0, "", "''");
  check_quote(LIT("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9", "UTF-8 text");
  check_quote(LIT("a\xff" "b"), "a\\xffb", "a malformed byte");
  check_quote(LIT("a\tb"), "a\\x09b", "a tab");
  check_quote(LIT("a\0b"), "a\\x00b", "NUL");
  check_quote(LIT("\x7f"), "\\x7f", "DEL");
  check_quote(LIT("\xC2\x85"), "\\xc2\\x85", "U+0085, a C1 control, byte by byte");
  check_quote(LIT("\xC1\x81"), "\\xc1\\x81", "overlong C1 81");
  check_quote(LIT("a b"), "a b", "a space (the one whitespace not escaped)");
  /* Invisible characters are escaped (dynenum.h): whitespace other than
  ** the space, zero-width and format characters. */
  check_quote(LIT("a\xC2\xA0" "b"), "a\\xc2\\xa0b", "U+00A0 NO-BREAK SPACE");
  check_quote(LIT("a\xE3\x80\x80" "b"), "a\\xe3\\x80\\x80b", "U+3000 IDEOGRAPHIC SPACE");
  check_quote(LIT("a\xE2\x80\xA8" "b"), "a\\xe2\\x80\\xa8b", "U+2028 LINE SEPARATOR");
  check_quote(LIT("a\xE2\x80\x8B" "b"), "a\\xe2\\x80\\x8bb", "U+200B ZERO WIDTH SPACE");
  check_quote(LIT("a\xE2\x80\x8D" "b"), "a\\xe2\\x80\\x8db", "U+200D ZERO WIDTH JOINER");
  check_quote(LIT("a\xE2\x80\x8F" "b"), "a\\xe2\\x80\\x8fb", "U+200F RIGHT-TO-LEFT MARK");
  check_quote(LIT("a\xEF\xBB\xBF" "b"), "a\\xef\\xbb\\xbfb", "U+FEFF ZERO WIDTH NO-BREAK SPACE");
  check_quote(LIT("a\xC2\xAD" "b"), "a\\xc2\\xadb", "U+00AD SOFT HYPHEN");
  /* The bidirectional controls are format characters too, and the ones
  ** that can reorder the rest of a message when shown unescaped. */
  check_quote(LIT("a\xD8\x9C" "b"), "a\\xd8\\x9cb", "U+061C ARABIC LETTER MARK (format, bidi)");
  check_quote(LIT("a\xE2\x80\xAA" "b"), "a\\xe2\\x80\\xaab", "U+202A LEFT-TO-RIGHT EMBEDDING (format, bidi)");
  check_quote(LIT("a\xE2\x80\xAE" "b"), "a\\xe2\\x80\\xaeb", "U+202E RIGHT-TO-LEFT OVERRIDE (format, bidi)");
  check_quote(LIT("a\xE2\x81\xA6" "b"), "a\\xe2\\x81\\xa6b", "U+2066 LEFT-TO-RIGHT ISOLATE (format, bidi)");
  check_quote(LIT("a\xE2\x81\xA9" "b"), "a\\xe2\\x81\\xa9b", "U+2069 POP DIRECTIONAL ISOLATE (format, bidi)");

  /* 48 bytes fit; the 49th cuts, and a sequence is cut whole or not at all. */
  strcpy(input, ctest_repeat("a", 48, ""));
  check_quote(input, 48, ctest_repeat("a", 48, ""), "48 bytes");
  strcpy(input, ctest_repeat("a", 49, ""));
  check_quote(input, 49, ctest_repeat("a", 48, "..."), "49 bytes");
  strcpy(input, ctest_repeat("a", 200, ""));
  check_quote(input, 200, ctest_repeat("a", 48, "..."), "200 bytes");
  strcpy(input, ctest_repeat("a", 46, "\xC3\xA9"));
  check_quote(input, 48, input, "46 bytes and a 2-byte sequence");
  strcpy(input, ctest_repeat("a", 47, "\xC3\xA9"));
  check_quote(input, 49, ctest_repeat("a", 47, "..."), "47 bytes and a 2-byte sequence");
  strcpy(input, ctest_repeat("a", 46, "\xE2\x82\xAC"));
  check_quote(input, 49, ctest_repeat("a", 46, "..."), "46 bytes and a 3-byte sequence");
  strcpy(input, ctest_repeat("a", 45, "\xE2\x82\xAC"));
  check_quote(input, 48, input, "45 bytes and a 3-byte sequence");
  strcpy(input, ctest_repeat("a", 45, "\xF0\x9F\x98\x80"));
  check_quote(input, 49, ctest_repeat("a", 45, "..."), "45 bytes and a 4-byte sequence");
  strcpy(input, ctest_repeat("a", 44, "\xF0\x9F\x98\x80"));
  check_quote(input, 48, input, "44 bytes and a 4-byte sequence");
  strcpy(input, ctest_repeat("\xE2\x82\xAC", 17, ""));
  check_quote(input, 51, ctest_repeat("\xE2\x82\xAC", 16, "..."), "17 euro signs (51 bytes)");
  /* A malformed byte is one byte of input, however long its escape. */
  strcpy(input, ctest_repeat("a", 47, "\xE2\x84"));
  check_quote(input, 49, ctest_repeat("a", 47, "\\xe2..."), "47 bytes and a truncated sequence");

  /* The longest quote fills DYNENUM_QUOTE_SIZE exactly, with its NUL. */
  memset(input, 0xFF, sizeof input);
  strcpy(expected, ctest_repeat("\\xff", 48, ""));
  check_quote(input, 48, expected, "48 malformed bytes");
  strcpy(expected, ctest_repeat("\\xff", 48, "..."));
  CHECK_INT_EQ(DYNENUM_QUOTE_SIZE - 1, strlen(expected), "the longest quote plus its NUL is DYNENUM_QUOTE_SIZE");
  check_quote(input, 49, expected, "49 malformed bytes");
  check_quote(input, 256, expected, "256 malformed bytes");
}

/* ---- Odds and ends ---------------------------------------------------------------- */

static void test_version_and_limits(void) {
  char name[255], key[KEY_BUFFER];
  ctest_group("unicode version, key size limits, errstr");
  CHECK_STR_EQ("15.0.0", dynenum_unicode_version(), "dynenum_unicode_version()");

  /* The longest key of a valid name: every 2-byte unit folding to 3 bytes. */
  for (int i = 0; i < 127; i++) memcpy(name + 2 * i, "\xC8\xBA", 2);
  name[254] = 'a';
  size_t len = dynenum_key(name, sizeof name, key, sizeof key);
  CHECK_INT_EQ(127 * 3 + 1, len, "key of 127 x U+023A + 'a'");
  CHECK(len <= DYNENUM_MAX_KEY_BYTES, "a 255-byte name's longest key (%zu) fits DYNENUM_MAX_KEY_BYTES (%d)", len,
        DYNENUM_MAX_KEY_BYTES);

  CHECK_STR_EQ("reserved name", dynenum_errstr(DYNENUM_RESERVED), "errstr of DYNENUM_RESERVED");
  CHECK_STR_EQ("out of memory", dynenum_errstr(DYNENUM_NOMEM), "errstr of DYNENUM_NOMEM");
  for (int code = DYNENUM_OK; code <= DYNENUM_IGNORABLE; code++) {
    for (int other = code + 1; other <= DYNENUM_IGNORABLE; other++) {
      CHECK(strcmp(dynenum_errstr(code), dynenum_errstr(other)) != 0, "errstr of codes %d and %d differ", code, other);
    }
  }
}

int main(void) {
  test_every_code_point();
  test_utf8_decode();
  test_keys();
  test_traps();
  test_random_pairs();
  test_ascii_words();
  test_windows();
  test_collation_properties();
  test_dynamic_names();
  test_space_or_control();
  test_quote();
  test_version_and_limits();
  return ctest_finish();
}
