/*
** fuzz/key_fuzz.c: libFuzzer target for the key rule (ext/core/key.c),
** differentially against the slow reference of fuzz/reference.h.
**
** The input is split at its first two '\n' bytes into three strings a, b and
** c (missing ones are empty; c keeps any later '\n').  From them the target
** derives more strings that share keys or prefixes of keys with them:
**   - the reference key of a;
**   - variants of a and b: every character replaced by another with the same
**     fold (KELVIN SIGN for k, LONG S for s, CAPITAL SHARP S for sharp s,
**     Deseret capitals for small letters, final sigma for sigma, '-' for
**     '_', ...), chosen by a generator seeded from the input; and a variant
**     of a's start only, the rest of a unchanged;
**   - a||b against variant(a)||c, and a without its last byte.
** Every string is a separate heap block of its exact length, so that ASan
** sees any read past its end.  Then it checks, aborting with the strings in
** hex on any disagreement:
**   1. dynenum_key(s) is byte for byte the reference key (decode per Table
**      3-7, dynenum_fold_reference, '-' to '_', malformed bytes copied,
**      encode), returns the full length whatever the capacity, and writes
**      nothing past it; the key of a key is itself (folding is idempotent);
**   2. dynenum_compare(x, y) has the sign of memcmp of the reference keys
**      (shorter first on a common prefix), for every pair derived above,
**      both ways round;
**   3. the four collation properties on the triples (a, b, c) and
**      (variant(a), variant(b), c): reflexivity, antisymmetry, transitivity
**      of equality and of order;
**   4. dynenum_utf8_decode agrees with the reference decoder at every
**      position of a, b and c; dynenum_check_dynamic_name gives the code
**      of the reference rules; dynenum_quote writes well-formed UTF-8 with
**      no control character within its buffer.
**
** Build and run (make fuzz runs every target; FUZZ_SECONDS, default 60):
**   make build/fuzz/key_fuzz
**   build/fuzz/key_fuzz -dict=fuzz/dynenum.dict fuzz/corpus/key
** (given directories are read, and new inputs written to the first: copy the
** committed corpus first, or add a scratch directory before it).  Replay
** one file:  build/fuzz/key_fuzz fuzz/corpus/key/some-file
*/
#include "reference.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- Case classes: the characters that share a fold ----------------------- */

/* (fold, code point) for every code point whose fold is not itself, plus
** (fold, fold) for each such fold, sorted: a class is a run of one fold. */
typedef struct class_entry {
  uint32_t fold, cp;
} class_entry;

static class_entry *classes;
static size_t class_count;

FUZZ_HARNESS static int class_entry_order(const void *x, const void *y) {
  const class_entry *p = x, *q = y;
  if (p->fold != q->fold) return p->fold < q->fold ? -1 : 1;
  return (p->cp > q->cp) - (p->cp < q->cp);
}

FUZZ_HARNESS static void build_classes(void) {
  size_t cap = 4096;
  classes = malloc(cap * sizeof *classes);
  if (!classes) abort();
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    uint32_t f = ref_fold(cp);
    if (f == cp) continue;
    if (class_count + 2 > cap) {
      cap *= 2;
      classes = realloc(classes, cap * sizeof *classes);
      if (!classes) abort();
    }
    classes[class_count++] = (class_entry){f, cp};
    classes[class_count++] = (class_entry){f, f};
  }
  qsort(classes, class_count, sizeof *classes, class_entry_order);
  size_t kept = 0;
  for (size_t i = 0; i < class_count; i++) {
    if (kept && classes[kept - 1].fold == classes[i].fold && classes[kept - 1].cp == classes[i].cp) continue;
    classes[kept++] = classes[i];
  }
  class_count = kept;
}

/* The first entry of cp's class, and how many it has (0: none). */
FUZZ_HARNESS static size_t class_of(uint32_t fold, size_t *first) {
  size_t lo = 0, hi = class_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (classes[mid].fold < fold) lo = mid + 1;
    else hi = mid;
  }
  size_t n = 0;
  while (lo + n < class_count && classes[lo + n].fold == fold) n++;
  *first = lo;
  return n;
}

/* ---- A deterministic generator seeded from the input ---------------------- */

static uint64_t rng_state;

FUZZ_HARNESS static uint64_t rng_next(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

FUZZ_HARNESS static void rng_seed(const uint8_t *data, size_t size) {
  uint64_t h = 0x9E3779B97F4A7C15u;
  for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 0x100000001B3u;
  rng_state = h ? h : 1;
}

/* ---- Strings under test --------------------------------------------------- */

typedef struct test_string {
  const char *label;
  char *bytes; /* a heap block of exactly len bytes (fuzz_copy) */
  size_t len;
  ref_string key; /* the reference key */
} test_string;

#define MAX_STRINGS 12
static test_string strings[MAX_STRINGS];
static int string_count;

FUZZ_HARNESS static void describe_strings(void) {
  for (int i = 0; i < string_count; i++) fuzz_print_hex(strings[i].label, strings[i].bytes, strings[i].len);
}

FUZZ_HARNESS static test_string *add_string(const char *label, const void *bytes, size_t len) {
  if (string_count == MAX_STRINGS) abort();
  test_string *s = &strings[string_count++];
  s->label = label;
  s->bytes = fuzz_copy(bytes, len);
  s->len = len;
  s->key = ref_key_of(bytes, len);
  return s;
}

FUZZ_HARNESS static void free_strings(void) {
  for (int i = 0; i < string_count; i++) {
    free(strings[i].bytes);
    free(strings[i].key.bytes);
  }
  string_count = 0;
}

/* A string with the same reference key as s: each character that starts
** before byte limit replaced by a random member of its case class, '-' and
** '_' swapped at random; the rest of s unchanged. */
FUZZ_HARNESS static unsigned char *make_variant(const test_string *s, size_t limit, size_t *len) {
  unsigned char *out = malloc(4 * s->len + 4);
  const unsigned char *in = (const unsigned char *)s->bytes;
  if (!out) abort();
  *len = 0;
  for (size_t i = 0; i < s->len;) {
    uint32_t cp;
    int unit = ref_decode(in + i, s->len - i, &cp);
    if (!unit) {
      out[(*len)++] = in[i++];
      continue;
    }
    if (i >= limit) {
      memcpy(out + *len, in + i, (size_t)unit);
      *len += (size_t)unit;
      i += (size_t)unit;
      continue;
    }
    i += (size_t)unit;
    if (cp == '-' || cp == '_') {
      cp = (rng_next() & 1) ? '-' : '_';
    } else {
      size_t first, n = class_of(ref_fold(cp), &first);
      if (n) cp = classes[first + rng_next() % n].cp;
    }
    *len += (size_t)ref_encode(cp, out + *len);
  }
  return out;
}

FUZZ_HARNESS static unsigned char *concatenate(const test_string *x, const test_string *y, size_t *len) {
  unsigned char *out = malloc(x->len + y->len + 1);
  if (!out) abort();
  memcpy(out, x->bytes, x->len);
  memcpy(out + x->len, y->bytes, y->len);
  *len = x->len + y->len;
  return out;
}

/* ---- Checks --------------------------------------------------------------- */

static void check_key(const test_string *s) {
  size_t want = s->key.len;
  /* No buffer: the length alone. */
  size_t got = dynenum_key(s->bytes, s->len, NULL, 0);
  FUZZ_CHECK(got == want, "dynenum_key(%s) length %zu, reference %zu", s->label, got, want);
  /* A buffer of exactly the key's length. */
  char *out = fuzz_alloc(want);
  got = dynenum_key(s->bytes, s->len, out, want);
  int same = got == want && (want == 0 || memcmp(out, s->key.bytes, want) == 0);
  if (!same) {
    fuzz_print_hex("dynenum_key", out, got < want ? got : want);
    fuzz_print_hex("reference key", s->key.bytes, want);
  }
  FUZZ_CHECK(same, "dynenum_key(%s) differs from the reference key", s->label);
  free(out);
  /* A shorter buffer: the prefix that fits, and the full length. */
  size_t cap = want ? (size_t)(rng_next() % want) : 0;
  out = fuzz_alloc(cap);
  got = dynenum_key(s->bytes, s->len, out, cap);
  FUZZ_CHECK(got == want, "dynenum_key(%s) with capacity %zu returned %zu, want %zu", s->label, cap, got, want);
  FUZZ_CHECK(cap == 0 || memcmp(out, s->key.bytes, cap) == 0, "dynenum_key(%s) with capacity %zu wrote another prefix",
             s->label, cap);
  free(out);
  /* The key of the key is the key. */
  ref_string again = ref_key_of(s->key.bytes, s->key.len);
  FUZZ_CHECK(again.len == want && memcmp(again.bytes, s->key.bytes, want) == 0, "the key of the key of %s differs",
             s->label);
  free(again.bytes);
  FUZZ_CHECK(dynenum_compare(s->bytes, s->len, s->bytes, s->len) == 0, "%s differs from itself", s->label);
}

static void check_pair(const test_string *x, const test_string *y) {
  int want = ref_order(x->key.bytes, x->key.len, y->key.bytes, y->key.len);
  int got = ref_sign(dynenum_compare(x->bytes, x->len, y->bytes, y->len));
  int back = ref_sign(dynenum_compare(y->bytes, y->len, x->bytes, x->len));
  FUZZ_CHECK(got == want, "dynenum_compare(%s, %s) has sign %d, memcmp of the reference keys %d", x->label, y->label,
             got, want);
  FUZZ_CHECK(back == -want, "dynenum_compare(%s, %s) has sign %d, memcmp of the reference keys %d", y->label, x->label,
             back, -want);
}

/* The properties sqlite3_create_collation requires, from dynenum_compare
** alone, on every ordering of three strings. */
static void check_triple(const test_string *t[3]) {
  int c[3][3];
  for (int i = 0; i < 3; i++) {
    for (int j = 0; j < 3; j++) c[i][j] = ref_sign(dynenum_compare(t[i]->bytes, t[i]->len, t[j]->bytes, t[j]->len));
  }
  for (int i = 0; i < 3; i++) {
    FUZZ_CHECK(c[i][i] == 0, "reflexivity: %s", t[i]->label);
    for (int j = 0; j < 3; j++) {
      FUZZ_CHECK(c[i][j] == -c[j][i], "antisymmetry: %s, %s", t[i]->label, t[j]->label);
      for (int k = 0; k < 3; k++) {
        if (c[i][j] == 0 && c[j][k] == 0) {
          FUZZ_CHECK(c[i][k] == 0, "transitivity of equality: %s, %s, %s", t[i]->label, t[j]->label, t[k]->label);
        }
        if (c[i][j] < 0 && c[j][k] < 0) {
          FUZZ_CHECK(c[i][k] < 0, "transitivity of order: %s, %s, %s", t[i]->label, t[j]->label, t[k]->label);
        }
        /* Equal strings sort alike against a third. */
        if (c[i][j] == 0) {
          FUZZ_CHECK(c[i][k] == c[j][k], "equal strings ordered differently: %s, %s against %s", t[i]->label,
                     t[j]->label, t[k]->label);
        }
      }
    }
  }
}

static void check_decode(const test_string *s) {
  const unsigned char *p = (const unsigned char *)s->bytes;
  for (size_t i = 0; i < s->len; i++) {
    uint32_t want_cp = 0, got_cp = 0;
    int want = ref_decode(p + i, s->len - i, &want_cp);
    int got = dynenum_utf8_decode(p + i, s->len - i, &got_cp);
    FUZZ_CHECK(got == want && (!want || got_cp == want_cp),
               "dynenum_utf8_decode(%s at %zu) gives %d U+%04X, reference %d U+%04X", s->label, i, got,
               (unsigned)got_cp, want, (unsigned)want_cp);
  }
}

static void check_name_and_quote(const test_string *s) {
  int want = ref_dynamic_name_code(s->bytes, s->len);
  int got = dynenum_check_dynamic_name(s->bytes, s->len);
  FUZZ_CHECK(got == want, "dynenum_check_dynamic_name(%s) gives %d (%s), reference %d (%s)", s->label, got,
             dynenum_errstr(got), want, dynenum_errstr(want));
  char *quoted = fuzz_alloc(DYNENUM_QUOTE_SIZE);
  dynenum_quote(quoted, DYNENUM_QUOTE_SIZE, s->bytes, s->len);
  size_t n = fuzz_strnlen(quoted, DYNENUM_QUOTE_SIZE);
  FUZZ_CHECK(n < DYNENUM_QUOTE_SIZE, "dynenum_quote(%s) is not terminated", s->label);
  FUZZ_CHECK(ref_valid_utf8(quoted, n), "dynenum_quote(%s) is not well-formed UTF-8", s->label);
  for (size_t i = 0; i < n; i++) {
    uint32_t cp;
    int len = ref_decode((const unsigned char *)quoted + i, n - i, &cp);
    FUZZ_CHECK(!ref_control(cp), "dynenum_quote(%s) holds control character U+%04X", s->label, (unsigned)cp);
    i += (size_t)len - 1;
  }
  free(quoted);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  ref_init();
  build_classes();
  fuzz_describe_input = describe_strings;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *end = data + size, *cut1, *cut2;
  rng_seed(data, size);
  cut1 = size ? memchr(data, '\n', size) : NULL;
  if (!cut1) cut1 = end;
  cut2 = cut1 < end ? memchr(cut1 + 1, '\n', (size_t)(end - cut1 - 1)) : NULL;
  if (!cut2) cut2 = end;

  test_string *a = add_string("a", data, (size_t)(cut1 - data));
  test_string *b = add_string("b", cut1 < end ? cut1 + 1 : end, cut1 < end ? (size_t)(cut2 - cut1 - 1) : 0);
  test_string *c = add_string("c", cut2 < end ? cut2 + 1 : end, cut2 < end ? (size_t)(end - cut2 - 1) : 0);
  test_string *key_a = add_string("key(a)", a->key.bytes, a->key.len);
  size_t len;
  unsigned char *bytes = make_variant(a, SIZE_MAX, &len);
  test_string *variant_a = add_string("variant(a)", bytes, len);
  free(bytes);
  bytes = make_variant(a, (size_t)(rng_next() % (a->len + 1)), &len);
  test_string *partial_a = add_string("variant of a's start", bytes, len);
  free(bytes);
  bytes = make_variant(b, SIZE_MAX, &len);
  test_string *variant_b = add_string("variant(b)", bytes, len);
  free(bytes);
  bytes = concatenate(a, b, &len);
  test_string *ab = add_string("a||b", bytes, len);
  free(bytes);
  bytes = concatenate(variant_a, c, &len);
  test_string *variant_ac = add_string("variant(a)||c", bytes, len);
  free(bytes);
  test_string *a_cut = add_string("a without its last byte", a->bytes, a->len ? a->len - 1 : 0);

  /* The variants are built to share their originals' keys. */
  FUZZ_CHECK(ref_order(variant_a->key.bytes, variant_a->key.len, a->key.bytes, a->key.len) == 0,
             "harness: variant(a) has another key");
  FUZZ_CHECK(ref_order(variant_b->key.bytes, variant_b->key.len, b->key.bytes, b->key.len) == 0,
             "harness: variant(b) has another key");

  for (int i = 0; i < string_count; i++) {
    check_key(&strings[i]);
    check_name_and_quote(&strings[i]);
  }
  check_decode(a);
  check_decode(b);
  check_decode(c);

  check_pair(a, b);
  check_pair(b, c);
  check_pair(a, c);
  check_pair(a, key_a);
  check_pair(a, variant_a);
  check_pair(a, partial_a);
  check_pair(partial_a, variant_a);
  check_pair(b, variant_b);
  check_pair(variant_a, b);
  check_pair(ab, variant_ac);
  check_pair(ab, a);
  check_pair(a_cut, a);
  check_pair(a_cut, variant_a);
  check_pair(variant_ac, c);

  const test_string *triple[3] = {a, b, c};
  check_triple(triple);
  const test_string *variants[3] = {variant_a, variant_b, c};
  check_triple(variants);
  const test_string *mixed[3] = {ab, variant_ac, a_cut};
  check_triple(mixed);

  free_strings();
  return 0;
}
