/*
** ignorable_test.c: tests of the rule on new members (issue 10, point 5):
** no default-ignorable code point in the name or value of a member being
** created, since it would look exactly like a member without it.
**
** Covered here:
**   - dynenum_is_default_ignorable for every code point (and beyond
**     U+10FFFF) against DerivedCoreProperties.txt 15.0.0, read here with
**     sscanf, independently of tools/mktables.tcl, from the directory
**     DYNENUM_UNICODE_DATA names (default /usr/share/unicode); without the
**     file, against the five characters of the issue and the known count;
**   - the generated ranges: sorted, disjoint, merged, of version 15.0.0;
**   - simple case folding maps no code point into or out of the property
**     (what lets dynenum_enum_check_new_member skip a value that is the key
**     of the name), and dynenum_quote escapes every such code point;
**   - dynenum_enum_check_new_member: its messages for names and values,
**     the first of several named, malformed bytes stepped over, long names
**     quoted short, NULL arguments, errstr;
**   - dynenum_enum_add stays permissive, so stored members still load, and
**     dynamic-name validity is unchanged.
*/
#include "dynenum.h"
#include "ctest.h"
#include "core/ignorable_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string literal as the (pointer, length) pair the API takes. */
#define LIT(s) (s), (sizeof(s) - 1)

#define CODE_POINTS 0x110000

/* Encodes a code point as UTF-8 the way the standard states it: the length
** from the ranges, then six bits per continuation byte from the end. */
static int encode(uint32_t cp, char *out) {
  static const uint32_t limit[] = {0x80, 0x800, 0x10000};
  static const unsigned char lead[] = {0x00, 0xC0, 0xE0, 0xF0};
  int len = 1;
  while (len < 4 && cp >= limit[len - 1]) len++;
  for (int i = len - 1; i > 0; i--) {
    out[i] = (char)(0x80 | (cp & 0x3F));
    cp >>= 6;
  }
  out[0] = (char)(lead[len - 1] | cp);
  return len;
}

static int is_scalar_value(uint32_t cp) { return cp < CODE_POINTS && !(cp >= 0xD800 && cp <= 0xDFFF); }

/* ---- Every code point against the data file -------------------------------- */

/* Whether each code point is listed as Default_Ignorable_Code_Point. */
static unsigned char listed[CODE_POINTS];

/* Reads the property's lines of DerivedCoreProperties.txt into listed and
** returns how many code points they hold, or -1 when the 15.0.0 file is
** not there.  *total is the file's own "# Total code points" line for the
** property. */
static long read_property(const char *path, long *total) {
  char line[512];
  long count = 0;
  int in_property = 0;
  FILE *f = fopen(path, "r");
  *total = -1;
  if (!f) return -1;
  if (!fgets(line, sizeof line, f) || strncmp(line, "# DerivedCoreProperties-15.0.0.txt", 34) != 0) {
    fclose(f);
    return -1;
  }
  while (fgets(line, sizeof line, f)) {
    unsigned first, last;
    char property[64];
    if (in_property && sscanf(line, "# Total code points: %ld", total) == 1) break;
    if (sscanf(line, "%x..%x ; %63s", &first, &last, property) != 3) {
      if (sscanf(line, "%x ; %63s", &first, property) != 2) continue;
      last = first;
    }
    if (strcmp(property, "Default_Ignorable_Code_Point") != 0) continue;
    in_property = 1;
    for (unsigned cp = first; cp <= last && cp < CODE_POINTS; cp++) {
      count += !listed[cp];
      listed[cp] = 1;
    }
  }
  fclose(f);
  return count;
}

static void test_every_code_point(void) {
  const char *dir = getenv("DYNENUM_UNICODE_DATA");
  char path[4096];
  long total, count, found = 0;
  snprintf(path, sizeof path, "%s/DerivedCoreProperties.txt", dir && *dir ? dir : "/usr/share/unicode");

  ctest_group("every code point: dynenum_is_default_ignorable is DerivedCoreProperties.txt 15.0.0");
  count = read_property(path, &total);
  if (count < 0) {
    /* The five of the issue, and the size of the property in 15.0.0. */
    printf("     (%s 15.0.0 not installed: only the known characters and count are checked)\n", path);
    listed[0xAD] = listed[0x200B] = listed[0x202E] = listed[0x2060] = listed[0xFEFF] = 1;
    count = total = 4174;
    for (uint32_t cp = 0; cp < CODE_POINTS; cp++) {
      if (listed[cp]) CHECK(dynenum_is_default_ignorable(cp), "U+%04X is default-ignorable", (unsigned)cp);
      found += dynenum_is_default_ignorable(cp);
    }
  } else {
    CHECK_INT_EQ(total, count, "the property's lines add up to the file's total");
    for (uint32_t cp = 0; cp < CODE_POINTS; cp++) {
      CHECK_INT_EQ(listed[cp], dynenum_is_default_ignorable(cp), "U+%04X", (unsigned)cp);
      found += dynenum_is_default_ignorable(cp);
    }
  }
  CHECK_INT_EQ(4174, count, "Default_Ignorable_Code_Point holds 4174 code points in Unicode 15.0.0");
  CHECK_INT_EQ(count, found, "code points the function calls default-ignorable");
  /* Past the last code point nothing is, whatever the caller passes. */
  CHECK_INT_EQ(0, dynenum_is_default_ignorable(0x110000), "U+110000");
  CHECK_INT_EQ(0, dynenum_is_default_ignorable(0xE1000), "U+E1000, past the last range");
  CHECK_INT_EQ(0, dynenum_is_default_ignorable(0xFFFFFFFFu), "0xFFFFFFFF");
}

/* ---- The generated table --------------------------------------------------- */

static void test_table(void) {
  const struct dynenum_ignorable_range *r = dynenum_ignorable_dynenum.ranges;
  long total = 0;
  ctest_group("the generated ranges: sorted, disjoint, merged, Unicode 15.0.0");
  CHECK_STR_EQ("15.0.0", dynenum_ignorable_dynenum.unicode_version, "the table's version");
  CHECK_STR_EQ(dynenum_unicode_version(), dynenum_ignorable_dynenum.unicode_version, "the same version as the key's");
  CHECK_INT_EQ(17, dynenum_ignorable_dynenum.range_count, "ranges");
  for (unsigned i = 0; i < dynenum_ignorable_dynenum.range_count; i++) {
    CHECK(r[i].first <= r[i].last, "range %u is first..last", i);
    CHECK(r[i].last < CODE_POINTS, "range %u ends in the code space", i);
    /* Strictly more than one past the previous: adjacent lines are merged. */
    if (i) CHECK(r[i].first > r[i - 1].last + 1, "range %u starts after a gap", i);
    total += (long)(r[i].last - r[i].first + 1);
  }
  CHECK_INT_EQ(4174, total, "code points in the ranges");
  CHECK_HEX_EQ(0xAD, r[0].first, "the first range, which the function's ASCII shortcut relies on");
}

/* ---- Folding and quoting --------------------------------------------------- */

static void test_fold_and_quote(void) {
  ctest_group("folding keeps the property; every default-ignorable code point folds to itself");
  for (uint32_t cp = 0; cp < CODE_POINTS; cp++) {
    if (!is_scalar_value(cp)) continue;
    int ignorable = dynenum_is_default_ignorable(cp);
    CHECK_INT_EQ(ignorable, dynenum_is_default_ignorable(dynenum_fold(cp)), "U+%04X and its fold", (unsigned)cp);
    if (ignorable) CHECK_HEX_EQ(cp, dynenum_fold(cp), "U+%04X folds to itself", (unsigned)cp);
  }

  ctest_group("dynenum_quote escapes every default-ignorable code point");
  for (uint32_t cp = 0; cp < CODE_POINTS; cp++) {
    char input[8], expected[32], quoted[DYNENUM_QUOTE_SIZE];
    if (!dynenum_is_default_ignorable(cp)) continue;
    int len = encode(cp, input + 1);
    input[0] = 'a';
    input[len + 1] = 'b';
    size_t used = 1;
    expected[0] = 'a';
    for (int i = 0; i < len; i++) {
      used += (size_t)snprintf(expected + used, sizeof expected - used, "\\x%02x", (unsigned char)input[i + 1]);
    }
    snprintf(expected + used, sizeof expected - used, "b");
    dynenum_quote(quoted, sizeof quoted, input, (size_t)len + 2);
    CHECK_STR_EQ(expected, quoted, "quote of 'a' U+%04X 'b'", (unsigned)cp);
  }
}

/* ---- dynenum_enum_check_new_member ---------------------------------------- */

/* Checks that check_new_member refuses with message, and changes nothing. */
static void check_refused(dynenum_enum *e, const char *name, size_t name_len, const char *value, size_t value_len,
                          const char *message, const char *what) {
  dynenum_error err;
  size_t size = dynenum_enum_size(e);
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_IGNORABLE, dynenum_enum_check_new_member(e, name, name_len, value, value_len, &err),
               "%s: code", what);
  CHECK_INT_EQ(DYNENUM_IGNORABLE, err.code, "%s: err.code", what);
  CHECK_STR_EQ(message, err.message, "%s: message", what);
  CHECK_INT_EQ(size, dynenum_enum_size(e), "%s: nothing added", what);
}

/* Checks that check_new_member accepts, leaving err as it was. */
static void check_accepted(dynenum_enum *e, const char *name, size_t name_len, const char *value, size_t value_len,
                           const char *what) {
  dynenum_error err;
  memset(&err, 0, sizeof err);
  strcpy(err.message, "untouched");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_check_new_member(e, name, name_len, value, value_len, &err), "%s", what);
  CHECK_STR_EQ("untouched", err.message, "%s: err untouched", what);
}

static void test_check_new_member(void) {
  dynenum_enum *e;
  dynenum_error err;
  ctest_group("dynenum_enum_check_new_member");
  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, LIT("colour"), &e), "new enum")) return;

  /* The five of the issue, in a name and in a value. */
  static const struct {
    const char *utf8, *shown, *code_point;
  } five[] = {
      {"\xE2\x80\x8B", "\\xe2\\x80\\x8b", "200B"}, {"\xEF\xBB\xBF", "\\xef\\xbb\\xbf", "FEFF"},
      {"\xE2\x80\xAE", "\\xe2\\x80\\xae", "202E"}, {"\xE2\x81\xA0", "\\xe2\\x81\\xa0", "2060"},
      {"\xC2\xAD", "\\xc2\\xad", "00AD"},
  };
  for (size_t i = 0; i < sizeof five / sizeof five[0]; i++) {
    char name[32], value[32], message[256], what[64];
    snprintf(name, sizeof name, "RED%s", five[i].utf8);
    snprintf(value, sizeof value, "red%s", five[i].utf8);
    snprintf(what, sizeof what, "U+%s in a name", five[i].code_point);
    snprintf(message, sizeof message, "default-ignorable character U+%s in name 'RED%s' in enum 'colour'",
             five[i].code_point, five[i].shown);
    check_refused(e, name, strlen(name), NULL, 0, message, what);
    check_refused(e, name, strlen(name), "red", 3, message, what);
    snprintf(what, sizeof what, "U+%s in a value", five[i].code_point);
    snprintf(message, sizeof message,
             "default-ignorable character U+%s in value 'red%s' of member 'CRIMSON' in enum 'colour'",
             five[i].code_point, five[i].shown);
    check_refused(e, LIT("CRIMSON"), value, strlen(value), message, what);
  }

  /* The name is checked before the value, and the first character named. */
  check_refused(e, LIT("A\xE2\x81\xA0" "B\xE2\x80\x8B"), LIT("\xC2\xAD"),
                "default-ignorable character U+2060 in name 'A\\xe2\\x81\\xa0B\\xe2\\x80\\x8b' in enum 'colour'",
                "two in the name, one in the value");
  /* Four bytes: a tag character, and a variation selector after an emoji. */
  check_refused(e, LIT("FLAG\xF3\xA0\x81\x81"), NULL, 0,
                "default-ignorable character U+E0041 in name 'FLAG\\xf3\\xa0\\x81\\x81' in enum 'colour'",
                "U+E0041 TAG LATIN CAPITAL LETTER A");
  check_refused(e, LIT("HEART"), LIT("\xE2\x9D\xA4\xEF\xB8\x8F"),
                "default-ignorable character U+FE0F in value '\xE2\x9D\xA4\\xef\\xb8\\x8f' of member 'HEART' in enum "
                "'colour'",
                "U+FE0F VARIATION SELECTOR-16");
  /* Malformed bytes are dynenum_enum_add's business: stepped over. */
  check_refused(e, LIT("\xFF\xE2\x80\x8B"), NULL, 0,
                "default-ignorable character U+200B in name '\\xff\\xe2\\x80\\x8b' in enum 'colour'",
                "after a malformed byte");
  check_accepted(e, LIT("\xFF\xE2\x80"), NULL, 0, "malformed only, and a cut sequence of U+200B");
  check_accepted(e, LIT("\xC0\xAD"), NULL, 0, "C0 AD, an overlong '-', is no character at all");
  /* A long name is quoted short, and the character still named. */
  char long_name[80];
  memset(long_name, 'a', 60);
  memcpy(long_name + 60, "\xE2\x80\x8B", 3);
  check_refused(e, long_name, 63, NULL, 0,
                "default-ignorable character U+200B in name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' in "
                "enum 'colour'",
                "past the quoted part");
  /* The message gives the enum the label the binding sets. */
  dynenum_enum_set_label(e, LIT("main.colour"));
  check_refused(e, LIT("\xE2\x80\x8B"), NULL, 0,
                "default-ignorable character U+200B in name '\\xe2\\x80\\x8b' in enum 'main.colour'", "with a label");
  dynenum_enum_set_label(e, LIT("colour"));

  /* Clean text, look-alikes of look-alikes that are not in the property,
  ** and what other rules refuse: only this rule is checked. */
  check_accepted(e, LIT("RED"), NULL, 0, "RED");
  check_accepted(e, LIT("RED"), LIT("red"), "RED = 'red'");
  check_accepted(e, LIT("A\xC2\xAC" "B\xC2\xAE" "C\xE2\x80\x8A" "D\xE2\x80\x90" "E\xEF\xBB\xBE"), LIT(""),
                 "U+00AC, U+00AE, U+200A, U+2010, U+FEFE; an empty value");
  check_accepted(e, LIT("two words"), NULL, 0, "a space");
  check_accepted(e, LIT("_reserved"), NULL, 0, "reserved: dynenum_enum_add's rule");
  check_accepted(e, "", 0, NULL, 0, "empty: dynenum_enum_add's rule");
  check_accepted(e, NULL, 0, NULL, 0, "NULL with length 0: the empty string");
  check_accepted(e, LIT("RED"), NULL, 99, "value NULL: its length is ignored");

  /* Misuse, with and without err. */
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_check_new_member(NULL, LIT("RED"), NULL, 0, &err), "NULL enum");
  CHECK_STR_EQ("dynenum_enum_check_new_member(): NULL argument", err.message, "NULL enum: message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_check_new_member(e, NULL, 3, NULL, 0, &err), "NULL name, length 3");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_check_new_member(NULL, LIT("RED"), NULL, 0, NULL), "NULL err");
  CHECK_INT_EQ(DYNENUM_IGNORABLE, dynenum_enum_check_new_member(e, LIT("RED\xE2\x80\x8B"), NULL, 0, NULL),
               "refused with a NULL err");
  CHECK_INT_EQ(0, dynenum_enum_size(e), "the check adds nothing");

  CHECK_STR_EQ("default-ignorable character", dynenum_errstr(DYNENUM_IGNORABLE), "errstr of DYNENUM_IGNORABLE");
  CHECK_INT_EQ(13, DYNENUM_IGNORABLE, "appended after DYNENUM_MISUSE");
  dynenum_enum_release(e);
}

/* ---- Stored members still load -------------------------------------------- */

static void test_add_stays_permissive(void) {
  dynenum_enum *e;
  dynenum_error err;
  const dynenum_member *m = NULL, *found = NULL;
  ctest_group("dynenum_enum_add takes look-alikes (members read back from storage)");
  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, LIT("legacy"), &e), "new enum")) return;
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_add(e, LIT("RED"), NULL, 0, NULL, &err), "add RED");
  int rc = dynenum_enum_add(e, LIT("RED\xE2\x80\x8B"), LIT("red\xEF\xBB\xBF"), &m, &err);
  if (!CHECK_INT_EQ(DYNENUM_OK, rc, "add RED U+200B = 'red' U+FEFF")) printf("  message:  %s\n", err.message);
  rc = dynenum_enum_add(e, LIT("\xE2\x80\xAE" "DER"), NULL, 0, NULL, &err);
  if (!CHECK_INT_EQ(DYNENUM_OK, rc, "add U+202E DER")) printf("  message:  %s\n", err.message);
  CHECK_INT_EQ(3, dynenum_enum_size(e), "three members");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_find(e, LIT("Red\xE2\x80\x8B"), &found), "find by name");
  CHECK_PTR_EQ(m, found, "the look-alike member by name");
  found = NULL;
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(e, LIT("RED\xEF\xBB\xBF"), &found, &err), "resolve by value");
  CHECK_PTR_EQ(m, found, "the look-alike member by value");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_find(e, LIT("red"), &found), "find red");
  CHECK_INT_EQ(1, found->ordinal, "red is the first member, not the look-alike");
  /* The same text as a new member is refused. */
  CHECK_INT_EQ(DYNENUM_IGNORABLE, dynenum_enum_check_new_member(e, LIT("RED\xE2\x80\x8B"), NULL, 0, &err),
               "but not as a new member");

  ctest_group("dynamic-name validity is unchanged");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_check_dynamic_name(LIT("GREEN\xE2\x80\x8B")), "U+200B in a dynamic name");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_check_name(e, LIT("GREEN\xC2\xAD"), &err), "U+00AD in a dynamic name");
  found = NULL;
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(e, LIT("GREEN\xE2\x81\xA0"), &found, &err), "resolve U+2060");
  CHECK(found && found->dynamic, "GREEN U+2060 is a dynamic member");
  dynenum_enum_release(e);
}

int main(void) {
  test_every_code_point();
  test_table();
  test_fold_and_quote();
  test_check_new_member();
  test_add_stays_permissive();
  return ctest_finish();
}
