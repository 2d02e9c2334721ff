/*
** fold_table_test.c: the folding table is a parameter (issue 11, point 4).
**
** This program links the core, the SQLite binding and a second folding
** table, build/fold_test_table.c, which the Makefile generates with
** tools/mktables.tcl from the made-up tests/data/CaseFolding-test.txt (it
** folds accented E to e, final sigma not at all, SNOWMAN to GRINNING
** FACE...).  It registers that table as the collation DYNENUM_TEST beside
** DYNENUM and checks:
**   - DYNENUM_TEST's table folds every code point as the data file says
**     (the mappings are written out again below, independently of the
**     generator), and dynenum_compare_with is memcmp of dynenum_key_with
**     for both tables;
**   - DYNENUM is what it was: a digest of the key of every scalar value is
**     the one the build before this change computed, the functions without
**     a table are the ones with dynenum_fold_dynenum, and a battery of SQL
**     under DYNENUM gives, in a connection where DYNENUM_TEST is
**     registered too, exactly what the normal build/dynenum extension gives
**     in a connection of its own;
**   - in SQL the two collations differ where the tables differ (equality,
**     ORDER BY, GROUP BY, UNIQUE) and agree where they agree (ASCII, '-').
** Generated from the real CaseFolding.txt in place of the test file, most
** groups fail (see ARCHITECTURE.md, "Shipping a new Unicode version").
**
**     build/fold_table_test [EXTENSION]    EXTENSION defaults to build/dynenum
*/
#include <sqlite3.h>

#include "dynenum.h"
#include "dynenum_extension.h"
#include "core/casefold_table.h"
#include "ctest.h"

#include <stdio.h>
#include <string.h>

/* The second table, generated into build/fold_test_table.c. */
extern const dynenum_fold_table dynenum_fold_dynenum_test;

#define TEST_TABLE (&dynenum_fold_dynenum_test)

/* The digest (dynenum_key_digest below) of the DYNENUM key of every scalar
** value, as computed by the build of commit 56cc446, before the table
** became a parameter: the frozen collation, in one number. */
#define DYNENUM_KEY_DIGEST 0xcc81b59530d6bfb4u

/* ---- What tests/data/CaseFolding-test.txt says ----------------------------- */

/* Its status C and S lines outside ASCII (A-Z to a-z is the ASCII rule). */
static const struct {
  uint32_t from, to;
} test_mappings[] = {
    {0x00C8, 'e'},    {0x00C9, 'e'},    {0x00DF, 0x1E9E}, {0x00E8, 'e'},
    {0x00E9, 'e'},    {0x03A3, 0x03C3}, {0x2603, 0x1F600},
};
#define TEST_MAPPING_COUNT (sizeof test_mappings / sizeof test_mappings[0])

static uint32_t test_fold(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + ('a' - 'A');
  for (size_t i = 0; i < TEST_MAPPING_COUNT; i++) {
    if (test_mappings[i].from == cp) return test_mappings[i].to;
  }
  return cp;
}

/* ---- Helpers ---------------------------------------------------------------- */

static int utf8_encode(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

static int sign(int x) { return (x > 0) - (x < 0); }

/* memcmp order of two byte strings, shorter first on a common prefix. */
static int byte_order(const char *a, size_t a_len, const char *b, size_t b_len) {
  int c = memcmp(a, b, a_len < b_len ? a_len : b_len);
  if (c) return sign(c);
  return (a_len > b_len) - (a_len < b_len);
}

/* FNV-1a over the length and bytes of the key, under table, of every
** scalar value: any change to any key changes it. */
static uint64_t key_digest(const dynenum_fold_table *table) {
  uint64_t h = 0xcbf29ce484222325u;
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
    char in[4], key[8];
    if (cp == 0xD800) cp = 0xE000;
    size_t len = dynenum_key_with(table, in, (size_t)utf8_encode(cp, in), key, sizeof key);
    h = (h ^ len) * 0x100000001b3u;
    for (size_t i = 0; i < len && i < sizeof key; i++) h = (h ^ (unsigned char)key[i]) * 0x100000001b3u;
  }
  return h;
}

/* ---- The second table -------------------------------------------------------- */

static void test_second_table(void) {
  ctest_group("DYNENUM_TEST's table: every code point folds as CaseFolding-test.txt says");
  CHECK_STR_EQ("test-1", TEST_TABLE->unicode_version, "the version the Makefile gave");
  CHECK_INT_EQ(26 + TEST_MAPPING_COUNT, TEST_TABLE->pair_count, "status C and S lines, F and T ignored");
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
    char in[4], expected[4], key[8];
    if (cp == 0xD800) cp = 0xE000;
    uint32_t folded = test_fold(cp);
    int in_len = utf8_encode(cp, in);
    int expected_len = utf8_encode(folded == '-' ? '_' : folded, expected);
    size_t len = dynenum_key_with(TEST_TABLE, in, (size_t)in_len, key, sizeof key);
    CHECK_MEM_EQ(expected, (size_t)expected_len, key, len, "key of U+%04X", (unsigned)cp);
    CHECK_INT_EQ(0, dynenum_compare_with(TEST_TABLE, in, (size_t)in_len, expected, (size_t)expected_len),
                 "U+%04X compares equal to its fold", (unsigned)cp);
  }
}

static void test_dynenum_unchanged(void) {
  ctest_group("DYNENUM: the keys of every scalar value are those of the build before");
  CHECK_HEX_EQ(DYNENUM_KEY_DIGEST, key_digest(&dynenum_fold_dynenum), "digest of the keys of dynenum_fold_dynenum");
  CHECK(key_digest(TEST_TABLE) != DYNENUM_KEY_DIGEST, "the second table's keys are another digest");
  /* The comparator folds three-byte sequences without testing the limit. */
  CHECK(TEST_TABLE->limit >= 0x10000, "the second table's stages reach U+10000 (limit 0x%X)", (unsigned)TEST_TABLE->limit);
  CHECK(dynenum_fold_dynenum.limit >= 0x10000, "DYNENUM's stages reach U+10000");
  CHECK_STR_EQ("15.0.0", dynenum_unicode_version(), "dynenum_unicode_version()");
  CHECK_PTR_EQ(dynenum_fold_dynenum.unicode_version, dynenum_unicode_version(), "of dynenum_fold_dynenum");
  CHECK_INT_EQ(1454, dynenum_fold_dynenum.pair_count, "1454 mappings of Unicode 15.0.0");
}

/* Strings where the tables agree and differ, malformed ones, long enough
** for the eight-byte paths, and three-byte ones beyond a small table. */
static const char *const samples[] = {
    "",          "e",          "E",           "\xC3\xA9",     "\xC3\x89",       "\xC3\xA8",
    "f",         "ss",         "\xC3\x9F",    "\xE1\xBA\x9E", "\xE2\x98\x83",   "\xF0\x9F\x98\x80",
    "\xCE\xA3",  "\xCF\x83",   "\xCF\x82",    "k",            "\xE2\x84\xAA",   "open-ai_chat",
    "OPEN_AI-Chat", "caf\xC3\xA9-creme-brulee", "CAFE_CREME_BRULEE", "\xC3", "\xC3\xA9\xC3",
    "Long-ASCII-prefix-\xC3\x89", "long_ascii_prefix_e",
    /* Three-byte letters far above the test table's last mapping (its
    ** stages must still reach them): FULLWIDTH A and a, Cherokee. */
    "\xEF\xBC\xA1-z", "\xEF\xBD\x81_Z", "\xEA\xAD\xB0\xEA\xAD\xB0", "\xE1\x8E\xA0\xE1\x8E\xA0",
};
#define SAMPLE_COUNT (sizeof samples / sizeof samples[0])

/* Both tables: the sign of compare_with is memcmp of the keys of key_with,
** and the functions without a table are DYNENUM's. */
static void test_compare_is_key_order(void) {
  const dynenum_fold_table *tables[] = {&dynenum_fold_dynenum, TEST_TABLE};
  ctest_group("dynenum_compare_with is memcmp of dynenum_key_with, for both tables");
  for (size_t t = 0; t < 2; t++) {
    for (size_t i = 0; i < SAMPLE_COUNT; i++) {
      for (size_t j = 0; j < SAMPLE_COUNT; j++) {
        char a[DYNENUM_MAX_KEY_BYTES], b[DYNENUM_MAX_KEY_BYTES];
        size_t a_len = dynenum_key_with(tables[t], samples[i], strlen(samples[i]), a, sizeof a);
        size_t b_len = dynenum_key_with(tables[t], samples[j], strlen(samples[j]), b, sizeof b);
        int got = dynenum_compare_with(tables[t], samples[i], strlen(samples[i]), samples[j], strlen(samples[j]));
        CHECK_INT_EQ(byte_order(a, a_len, b, b_len), sign(got), "table %zu, samples %zu and %zu", t, i, j);
        if (t == 0) {
          CHECK_INT_EQ(got, dynenum_compare(samples[i], strlen(samples[i]), samples[j], strlen(samples[j])),
                       "dynenum_compare is DYNENUM's, samples %zu and %zu", i, j);
        }
      }
    }
  }
}

/* ---- SQL ---------------------------------------------------------------------- */

/* Appends each value of each row to the string in out, separated by spaces. */
static int append_row(void *out, int columns, char **values, char **names) {
  char *text = out;
  (void)names;
  for (int i = 0; i < columns; i++) {
    size_t used = strlen(text);
    snprintf(text + used, 1024 - used, "%s%s", used ? " " : "", values[i] ? values[i] : "NULL");
  }
  return 0;
}

/* Runs sql and returns its values, or "error: MESSAGE", in out[1024]. */
static const char *run(sqlite3 *db, const char *sql, char *out) {
  char *message = NULL;
  out[0] = '\0';
  if (sqlite3_exec(db, sql, append_row, out, &message) != SQLITE_OK) {
    snprintf(out, 1024, "error: %s", message ? message : "?");
  }
  sqlite3_free(message);
  return out;
}

static int test_collation(void *unused, int a_len, const void *a, int b_len, const void *b) {
  (void)unused;
  return dynenum_compare_with(TEST_TABLE, a, (size_t)a_len, b, (size_t)b_len);
}

/* Pairs of a statement and what it returns with both collations registered. */
static const char *const both[][2] = {
    /* Where the tables differ. */
    {"SELECT char(0xE9) = 'E' COLLATE DYNENUM_TEST, char(0xE9) = 'E' COLLATE DYNENUM", "1 0"},
    {"SELECT char(0x3C2) = char(0x3A3) COLLATE DYNENUM_TEST, char(0x3C2) = char(0x3A3) COLLATE DYNENUM", "0 1"},
    {"SELECT char(0x212A) = 'k' COLLATE DYNENUM_TEST, char(0x212A) = 'k' COLLATE DYNENUM", "0 1"},
    {"SELECT char(0x2603) = char(0x1F600) COLLATE DYNENUM_TEST, char(0x2603) = char(0x1F600) COLLATE DYNENUM",
     "1 0"},
    /* Where they agree: sharp s both ways, never 'ss'; ASCII and '-'. */
    {"SELECT char(0xDF) = char(0x1E9E) COLLATE DYNENUM_TEST, char(0xDF) = char(0x1E9E) COLLATE DYNENUM, "
     "char(0xDF) = 'ss' COLLATE DYNENUM_TEST, char(0xDF) = 'ss' COLLATE DYNENUM",
     "1 1 0 0"},
    {"SELECT 'Open-AI_Chat' = 'open_ai-chat' COLLATE DYNENUM_TEST, 'Open-AI_Chat' = 'open_ai-chat' COLLATE DYNENUM",
     "1 1"},
    /* Order and grouping. */
    {"WITH v(x) AS (VALUES ('f'), (char(0xE9)), ('E'), ('d')) "
     "SELECT (SELECT group_concat(hex(x), ' ') FROM (SELECT x FROM v ORDER BY x COLLATE DYNENUM_TEST, x)), "
     "(SELECT group_concat(hex(x), ' ') FROM (SELECT x FROM v ORDER BY x COLLATE DYNENUM, x))",
     "64 45 C3A9 66 64 45 66 C3A9"},
    {"WITH v(x) AS (VALUES ('e'), ('E'), (char(0xE9)), (char(0xC9)), (char(0xE8)), (char(0xDF)), (char(0x1E9E))) "
     "SELECT (SELECT count(*) FROM (SELECT 1 FROM v GROUP BY x COLLATE DYNENUM_TEST)), "
     "(SELECT count(*) FROM (SELECT 1 FROM v GROUP BY x COLLATE DYNENUM))",
     "2 4"},
    /* UNIQUE follows each column's collation. */
    {"CREATE TABLE t(x TEXT UNIQUE COLLATE DYNENUM_TEST); INSERT INTO t VALUES ('E'); "
     "INSERT INTO t VALUES (char(0xC9))",
     "error: UNIQUE constraint failed: t.x"},
    {"CREATE TABLE u(x TEXT UNIQUE COLLATE DYNENUM); INSERT INTO u VALUES ('E'), (char(0xC9)); "
     "SELECT count(*) FROM u",
     "2"},
    /* The functions fold with DYNENUM whatever else is registered. */
    {"SELECT hex(dynenum_key(char(0xC9))), hex(dynenum_key(char(0x212A)))", "C3A9 6B"},
};

/* Statements under DYNENUM alone, compared between this build and the
** normal extension. */
static const char *const dynenum_only[] = {
    "WITH v(x) AS (VALUES ('f'), (char(0xE9)), ('E'), ('d'), (char(0x212A)), ('K'), (char(0x3C2)), (char(0x3A3)), "
    "(char(0xDF)), (char(0x1E9E)), ('ss'), (char(0x10400)), (char(0x10428)), (char(0x2603)), ('a-b'), ('A_B'), "
    "(x'C3'), (x'C3A9C3')) SELECT group_concat(hex(x), ' ') FROM (SELECT x FROM v ORDER BY x COLLATE DYNENUM, x)",
    "WITH RECURSIVE c(cp) AS (VALUES (0x80) UNION ALL SELECT cp + 1 FROM c WHERE cp < 0x3000) "
    "SELECT count(*), sum(dynenum_key(char(cp)) <> char(cp)), sum(char(cp) = upper(char(cp)) COLLATE DYNENUM), "
    "sum(length(CAST(dynenum_key(char(cp)) AS BLOB))) FROM c",
    "SELECT hex(dynenum_key('Caf' || char(0xC9) || '-' || char(0x212A) || char(0x1E9E)))",
};

/* build/dynenum (or the extension the command line names), loaded in a
** connection of its own; NULL if it will not load. */
static sqlite3 *open_normal_build(const char *extension) {
  sqlite3 *db = NULL;
  char *message = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlite3_enable_load_extension(db, 1) != SQLITE_OK ||
      sqlite3_load_extension(db, extension, NULL, &message) != SQLITE_OK) {
    printf("     cannot load %s: %s\n", extension, message ? message : sqlite3_errmsg(db));
    sqlite3_free(message);
    CHECK_INT_EQ(SQLITE_OK, sqlite3_close(db), "close after a failed load");
    return NULL;
  }
  return db;
}

static void test_sql(const char *extension) {
  sqlite3 *db = NULL, *normal;
  char got[1024], expected[1024];
  ctest_group("SQL: DYNENUM and DYNENUM_TEST on one connection");
  if (!CHECK_INT_EQ(SQLITE_OK, sqlite3_open(":memory:", &db), "open")) return;
  CHECK_INT_EQ(SQLITE_OK, dynenum_register(db), "dynenum_register");
  CHECK_INT_EQ(SQLITE_OK, sqlite3_create_collation(db, "DYNENUM_TEST", SQLITE_UTF8, NULL, test_collation),
               "register DYNENUM_TEST");
  for (size_t i = 0; i < sizeof both / sizeof both[0]; i++) {
    CHECK_STR_EQ(both[i][1], run(db, both[i][0], got), "%s", both[i][0]);
  }

  ctest_group("SQL: DYNENUM beside DYNENUM_TEST is DYNENUM of the normal build");
  normal = open_normal_build(extension);
  if (CHECK(normal != NULL, "load %s", extension)) {
    for (size_t i = 0; i < sizeof dynenum_only / sizeof dynenum_only[0]; i++) {
      CHECK_STR_EQ(run(normal, dynenum_only[i], expected), run(db, dynenum_only[i], got), "%s", dynenum_only[i]);
      CHECK(strncmp(got, "error", 5) != 0, "no error: %s", dynenum_only[i]);
    }
  }
  /* sqlite3_close(NULL) is a no-op that returns SQLITE_OK. */
  CHECK_INT_EQ(SQLITE_OK, sqlite3_close(normal), "close the normal build's connection");
  CHECK_INT_EQ(SQLITE_OK, sqlite3_close(db), "close");
}

int main(int argc, char **argv) {
  test_second_table();
  test_dynenum_unchanged();
  test_compare_is_key_order();
  test_sql(argc > 1 ? argv[1] : "build/dynenum");
  return ctest_finish();
}
