/*
** fuzz/resolve_fuzz.c: libFuzzer target for dynenum_resolve and its
** companions over one fixed enum, with arbitrary bytes (malformed UTF-8,
** NULs, lengths far past 255 bytes).
**
** Once: an in-memory SQLite database with the extension compiled in
** (-DSQLITE_CORE, dynenum_register) holds the enum
**
**   CREATE VIRTUAL TABLE e USING dynenum(
**     OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat',
**     "Legacy Completions" = 'completions',
**     "ΣΊΣΥΦΟΣ" = 'sisyphus'         -- final sigma: 'σίσυφος' is a member
**     STRASSE = 'straße',            -- CAPITAL SHARP S: 'STRAẞE' is a member
**     "𐐀𐐁" = '𐐨𐐩',                -- Deseret: name and value share a key
**     KELVIN = 'kelvin',             -- KELVIN SIGN: 'Kelvin' spelt with U+212A
**     KKK...K,                       -- 255 bytes: 255 KELVIN SIGNs (765 bytes)
**     "ȺȺ...ȺX" = 'max_key',         -- 255 bytes whose key is 382 bytes
**     OPENAI = OPENAI_CHAT,          -- aliases (docs/SPEC.md section 11)
**     Claude = ANTHROPIC_CHAT,
**     "ß" = STRASSE                  -- an alias whose key is not 'ss'
**   );
**   UPDATE e SET retired = 1 WHERE name = 'Legacy Completions';
**
** For each input x (the whole input) it runs, with x bound as TEXT,
**   SELECT dynenum_resolve('e', ?1), dynenum_is_member('e', ?1),
**          dynenum_ordinal('e', ?1), dynenum_key(?1)
** and holds the answers to an oracle built from fuzz/reference.h: the
** reference key of x; the member whose name or value has that key, if any;
** else whether x is a valid dynamic name (docs/SPEC.md section 2.3.2).  So:
**   - resolve returns the member's declared value, or for a valid dynamic
**     name the key of x, or fails: exactly as the oracle says, and when it
**     fails its message is well-formed, NUL-terminated UTF-8 that starts with
**     "dynenum_resolve(): " and names the enum;
**   - is_member is 1 exactly when x resolved to a real member, and the
**     ordinal is that member's, NULL exactly when is_member is 0 (checked
**     by a second statement when resolve failed);
**   - dynenum_key(x) is the core's dynenum_key of the same bytes and the
**     reference key.
** Aliases count as their member's names for the oracle, and retirement
** changes none of those answers.  dynenum_strict(x) gives resolve's value
** for a member (retired or not) and otherwise fails with "dynenum_strict():
** invalid value '...' for enum 'e': ..."; dynenum_current(x) does the same
** but refuses the retired member with "dynenum_current(): member 'Legacy
** Completions' of enum 'e' is retired: ...".
** Then the same bytes bound as a BLOB must fail (dynenum_resolve and
** dynenum_key alike) with a message saying it is a blob.  Finally the core
** API on a fresh core enum with the same members: dynenum_enum_find and
** dynenum_enum_resolve agree with the oracle, a dynamic member has value =
** key, ordinal 0 and the flag set, and resolving it again (or its key)
** returns the same object; a refusal has the oracle's code;
** dynenum_enum_check_member and dynenum_enum_check_current agree with the
** strict functions.
**
** Build and run (make fuzz runs every target; FUZZ_SECONDS, default 60):
**   make build/fuzz/resolve_fuzz
**   build/fuzz/resolve_fuzz -max_len=4096 -dict=fuzz/dynenum.dict fuzz/corpus/resolve
** (new inputs are written to the first directory given: copy the committed
** corpus first, or add a scratch directory before it).  Replay one file:
**   build/fuzz/resolve_fuzz fuzz/corpus/resolve/some-file
*/
#include "reference.h"

#include <sqlite3.h>

#include "sqlite/binding.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- The fixed enum ------------------------------------------------------- */

typedef struct fixed_member {
  const char *name;
  const char *value; /* NULL: the key of the name */
  ref_string name_key, value_key;
  const char *expected_value; /* the value, or the name's key */
  size_t expected_value_len;
} fixed_member;

static char long_k[256];       /* 255 'K' */
static char max_key_name[256]; /* 127 U+023A and 'X': 255 bytes, key 382 bytes */

static fixed_member members[] = {
    {"OPENAI_CHAT", NULL, {0}, {0}, NULL, 0},
    {"ANTHROPIC_CHAT", "anthropic_chat", {0}, {0}, NULL, 0},
    {"Legacy Completions", "completions", {0}, {0}, NULL, 0},
    {"\xce\xa3\xce\x8a\xce\xa3\xce\xa5\xce\xa6\xce\x9f\xce\xa3", "sisyphus", {0}, {0}, NULL, 0}, /* ΣΊΣΥΦΟΣ */
    {"STRASSE", "stra\xc3\x9f" "e", {0}, {0}, NULL, 0},                                             /* straße */
    {"\xf0\x90\x90\x80\xf0\x90\x90\x81", "\xf0\x90\x90\xa8\xf0\x90\x90\xa9", {0}, {0}, NULL, 0},   /* Deseret */
    {"KELVIN", "kelvin", {0}, {0}, NULL, 0},
    {long_k, NULL, {0}, {0}, NULL, 0},
    {max_key_name, "max_key", {0}, {0}, NULL, 0},
};
#define MEMBER_COUNT (sizeof members / sizeof members[0])

/* Each alias names its member by ordinal (1-based); its key is computed once. */
typedef struct fixed_alias {
  const char *name;
  int ordinal;
  ref_string key;
} fixed_alias;

static fixed_alias aliases[] = {
    {"OPENAI", 1, {0}},
    {"Claude", 2, {0}},
    {"\xc3\x9f", 5, {0}}, /* ß */
};
#define ALIAS_COUNT (sizeof aliases / sizeof aliases[0])
#define RETIRED_ORDINAL 3 /* Legacy Completions */

static sqlite3 *db;
static sqlite3_stmt *all_functions;  /* resolve, is_member, ordinal, key */
static sqlite3_stmt *after_an_error; /* is_member, ordinal, key */
static sqlite3_stmt *key_only;       /* key */
static sqlite3_stmt *strict_check;   /* dynenum_strict */
static sqlite3_stmt *current_check;  /* dynenum_current */
static dynenum_enum *core_enum;      /* the same members in the core alone */

static const uint8_t *current_input;
static size_t current_size;

FUZZ_HARNESS static void describe_input(void) { fuzz_print_hex("x", current_input, current_size); }

FUZZ_HARNESS static int is_bare_word(const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80)) {
      return 0;
    }
  }
  return 1;
}

/* Appends s to the SQL being built, quoted with q (doubled inside). */
FUZZ_HARNESS static void append_quoted(sqlite3_str *sql, const char *s, char q) {
  sqlite3_str_appendchar(sql, 1, q);
  for (; *s; s++) {
    sqlite3_str_appendchar(sql, *s == q ? 2 : 1, *s);
  }
  sqlite3_str_appendchar(sql, 1, q);
}

FUZZ_HARNESS static void define_enum(void) {
  memset(long_k, 'K', 255);
  for (int i = 0; i < 127; i++) memcpy(max_key_name + 2 * i, "\xc8\xba", 2);
  max_key_name[254] = 'X';

  sqlite3_str *sql = sqlite3_str_new(NULL);
  sqlite3_str_appendall(sql, "CREATE VIRTUAL TABLE e USING dynenum(");
  for (size_t i = 0; i < MEMBER_COUNT; i++) {
    fixed_member *m = &members[i];
    if (i) sqlite3_str_appendall(sql, ",\n  ");
    if (is_bare_word(m->name)) sqlite3_str_appendall(sql, m->name);
    else append_quoted(sql, m->name, '"');
    if (m->value) {
      sqlite3_str_appendall(sql, " = ");
      append_quoted(sql, m->value, '\'');
    }
    m->name_key = ref_key_of(m->name, strlen(m->name));
    if (m->value) {
      m->value_key = ref_key_of(m->value, strlen(m->value));
      m->expected_value = m->value;
      m->expected_value_len = strlen(m->value);
    } else {
      m->value_key = ref_key_of(m->name, strlen(m->name));
      m->expected_value = (const char *)m->name_key.bytes;
      m->expected_value_len = m->name_key.len;
    }
  }
  for (size_t i = 0; i < ALIAS_COUNT; i++) {
    fixed_alias *a = &aliases[i];
    const char *target = members[a->ordinal - 1].name;
    sqlite3_str_appendall(sql, ",\n  ");
    append_quoted(sql, a->name, '"');
    sqlite3_str_appendall(sql, " = ");
    append_quoted(sql, target, '"');
    a->key = ref_key_of(a->name, strlen(a->name));
  }
  sqlite3_str_appendall(sql, ");\nUPDATE e SET retired = 1 WHERE ordinal = ");
  sqlite3_str_appendf(sql, "%d", RETIRED_ORDINAL);
  char *create = sqlite3_str_finish(sql);
  char *error = NULL;
  if (!create || sqlite3_exec(db, create, NULL, NULL, &error) != SQLITE_OK) {
    fprintf(stderr, "resolve_fuzz: cannot create the enum: %s\n%s\n", error ? error : "out of memory",
            create ? create : "");
    abort();
  }
  sqlite3_free(create);

  /* The table lists what the oracle expects. */
  sqlite3_stmt *rows;
  size_t n = 0;
  if (sqlite3_prepare_v2(db, "SELECT ordinal, name, value FROM e", -1, &rows, NULL) != SQLITE_OK) abort();
  while (sqlite3_step(rows) == SQLITE_ROW) {
    const fixed_member *m = &members[n];
    if (n == MEMBER_COUNT || sqlite3_column_int64(rows, 0) != (sqlite3_int64)n + 1 ||
        strcmp((const char *)sqlite3_column_text(rows, 1), m->name) != 0 ||
        (size_t)sqlite3_column_bytes(rows, 2) != m->expected_value_len ||
        memcmp(sqlite3_column_text(rows, 2), m->expected_value, m->expected_value_len) != 0) {
      fprintf(stderr, "resolve_fuzz: the enum does not hold member %zu as expected\n", n + 1);
      abort();
    }
    n++;
  }
  sqlite3_finalize(rows);
  if (n != MEMBER_COUNT) abort();
}

/* A core enum with the fixed members, on the C library's allocator. */
FUZZ_HARNESS static dynenum_enum *new_core_enum(void) {
  dynenum_enum *e;
  dynenum_error err;
  if (dynenum_enum_new(NULL, "e", 1, &e) != DYNENUM_OK) abort();
  for (size_t i = 0; i < MEMBER_COUNT; i++) {
    const fixed_member *m = &members[i];
    if (dynenum_enum_add(e, m->name, strlen(m->name), m->value, m->value ? strlen(m->value) : 0, NULL, &err) !=
        DYNENUM_OK) {
      fprintf(stderr, "resolve_fuzz: core enum: %s\n", err.message);
      abort();
    }
  }
  for (size_t i = 0; i < ALIAS_COUNT; i++) {
    const fixed_alias *a = &aliases[i];
    const fixed_member *m = &members[a->ordinal - 1];
    if (dynenum_enum_add_alias(e, a->name, strlen(a->name), m->name, strlen(m->name), NULL, &err) != DYNENUM_OK) {
      fprintf(stderr, "resolve_fuzz: core enum: %s\n", err.message);
      abort();
    }
  }
  if (dynenum_enum_set_retired(e, dynenum_enum_member(e, RETIRED_ORDINAL - 1), 1) != DYNENUM_OK) abort();
  return e;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  ref_init();
  fuzz_describe_input = describe_input;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK || dynenum_register(db) != SQLITE_OK) abort();
  define_enum();
  core_enum = new_core_enum();
  if (sqlite3_prepare_v2(db,
                         "SELECT dynenum_resolve('e', ?1), dynenum_is_member('e', ?1), dynenum_ordinal('e', ?1), "
                         "dynenum_key(?1)",
                         -1, &all_functions, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT dynenum_is_member('e', ?1), dynenum_ordinal('e', ?1), dynenum_key(?1)", -1,
                         &after_an_error, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT dynenum_key(?1)", -1, &key_only, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT dynenum_strict('e', ?1)", -1, &strict_check, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT dynenum_current('e', ?1)", -1, &current_check, NULL) != SQLITE_OK) {
    fprintf(stderr, "resolve_fuzz: %s\n", sqlite3_errmsg(db));
    abort();
  }
  return 0;
}

/* ---- Checks --------------------------------------------------------------- */

/* What the oracle says about x. */
typedef struct expectation {
  ref_string key;
  const fixed_member *member; /* the member x names, or NULL */
  int ordinal;
  int code; /* ref_dynamic_name_code(x) */
} expectation;

static int same_text(sqlite3_stmt *stmt, int column, const void *bytes, size_t len) {
  if (sqlite3_column_type(stmt, column) != SQLITE_TEXT) return 0;
  const unsigned char *text = sqlite3_column_text(stmt, column);
  return text && (size_t)sqlite3_column_bytes(stmt, column) == len && (len == 0 || memcmp(text, bytes, len) == 0);
}

static int contains(const char *haystack, const char *needle) { return strstr(haystack, needle) != NULL; }

/* dynenum_is_member, dynenum_ordinal and dynenum_key from column first on. */
static void check_member_columns(sqlite3_stmt *stmt, int first, const expectation *want, const char *x,
                                 size_t n) {
  FUZZ_CHECK(sqlite3_column_type(stmt, first) == SQLITE_INTEGER &&
                 sqlite3_column_int(stmt, first) == (want->member != NULL),
             "dynenum_is_member gives %s, expected %d", sqlite3_column_text(stmt, first), want->member != NULL);
  if (want->member) {
    FUZZ_CHECK(sqlite3_column_type(stmt, first + 1) == SQLITE_INTEGER &&
                   sqlite3_column_int64(stmt, first + 1) == want->ordinal,
               "dynenum_ordinal gives %s, expected %d", sqlite3_column_text(stmt, first + 1), want->ordinal);
  } else {
    FUZZ_CHECK(sqlite3_column_type(stmt, first + 1) == SQLITE_NULL, "dynenum_ordinal gives %s, expected NULL",
               sqlite3_column_text(stmt, first + 1));
  }
  FUZZ_CHECK(same_text(stmt, first + 2, want->key.bytes, want->key.len),
             "dynenum_key(x) differs from the reference key");
  char *core_key = fuzz_alloc(want->key.len);
  size_t core_len = dynenum_key(x, n, core_key, want->key.len);
  FUZZ_CHECK(core_len == want->key.len && same_text(stmt, first + 2, core_key, core_len),
             "SQL dynenum_key(x) differs from the core's dynenum_key");
  free(core_key);
}

static void check_sql_text(const char *x, size_t n, const expectation *want) {
  sqlite3_bind_text64(all_functions, 1, x, n, SQLITE_STATIC, SQLITE_UTF8);
  int rc = sqlite3_step(all_functions);
  int should_fail = !want->member && want->code != DYNENUM_OK;
  if (should_fail) {
    const char *message = sqlite3_errmsg(db);
    FUZZ_CHECK(rc == SQLITE_ERROR, "dynenum_resolve should fail (%s), step gives %d", dynenum_errstr(want->code),
               rc);
    FUZZ_CHECK(ref_message_ok(message), "the error message is not well-formed UTF-8");
    FUZZ_CHECK(strncmp(message, "dynenum_resolve(): ", 19) == 0 && contains(message, " in enum 'e'"),
               "the error message does not name the function and the enum: %s", message);
    sqlite3_reset(all_functions);
    sqlite3_bind_text64(after_an_error, 1, x, n, SQLITE_STATIC, SQLITE_UTF8);
    rc = sqlite3_step(after_an_error);
    FUZZ_CHECK(rc == SQLITE_ROW, "is_member, ordinal and key should not fail: %s", sqlite3_errmsg(db));
    check_member_columns(after_an_error, 0, want, x, n);
    sqlite3_reset(after_an_error);
    sqlite3_clear_bindings(after_an_error);
  } else {
    FUZZ_CHECK(rc == SQLITE_ROW, "dynenum_resolve failed: %s", sqlite3_errmsg(db));
    if (want->member) {
      FUZZ_CHECK(same_text(all_functions, 0, want->member->expected_value, want->member->expected_value_len),
                 "dynenum_resolve gives '%s', expected member %d's value", sqlite3_column_text(all_functions, 0),
                 want->ordinal);
    } else {
      FUZZ_CHECK(same_text(all_functions, 0, want->key.bytes, want->key.len),
                 "dynenum_resolve of a dynamic name gives '%s', expected its key", sqlite3_column_text(all_functions, 0));
    }
    check_member_columns(all_functions, 1, want, x, n);
    FUZZ_CHECK(sqlite3_step(all_functions) == SQLITE_DONE, "more than one row");
    sqlite3_reset(all_functions);
  }
  sqlite3_clear_bindings(all_functions);
}

static void check_sql_blob(const char *x, size_t n) {
  char blob_of[64];
  snprintf(blob_of, sizeof blob_of, "blob of %zu byte", n);
  sqlite3_stmt *statements[2] = {all_functions, key_only};
  const char *function[2] = {"dynenum_resolve(): ", "dynenum_key(): "};
  for (int i = 0; i < 2; i++) {
    sqlite3_bind_blob64(statements[i], 1, x, n, SQLITE_STATIC);
    int rc = sqlite3_step(statements[i]);
    const char *message = sqlite3_errmsg(db);
    FUZZ_CHECK(rc == SQLITE_ERROR, "%sof a blob gives %d, expected an error", function[i], rc);
    FUZZ_CHECK(ref_message_ok(message) && strncmp(message, function[i], strlen(function[i])) == 0 &&
                   contains(message, blob_of),
               "%sof a blob: message '%s'", function[i], message);
    sqlite3_reset(statements[i]);
    sqlite3_clear_bindings(statements[i]);
  }
}

/* dynenum_strict and dynenum_current: the member's value, or the error the
** oracle says, with its message well-formed and in its place. */
static void check_sql_strict(const char *x, size_t n, const expectation *want) {
  sqlite3_stmt *statements[2] = {strict_check, current_check};
  const char *invalid[2] = {"dynenum_strict(): invalid value '", "dynenum_current(): invalid value '"};
  for (int i = 0; i < 2; i++) {
    int retired = i == 1 && want->member && want->ordinal == RETIRED_ORDINAL;
    sqlite3_bind_text64(statements[i], 1, x, n, SQLITE_STATIC, SQLITE_UTF8);
    int rc = sqlite3_step(statements[i]);
    const char *message = sqlite3_errmsg(db);
    if (want->member && !retired) {
      FUZZ_CHECK(rc == SQLITE_ROW && same_text(statements[i], 0, want->member->expected_value,
                                               want->member->expected_value_len),
                 "%.15s of a member does not give its value: %s", invalid[i], message);
    } else if (retired) {
      static const char is_retired[] =
          "dynenum_current(): member 'Legacy Completions' of enum 'e' is retired: expected one of ";
      FUZZ_CHECK(rc == SQLITE_ERROR && strncmp(message, is_retired, sizeof is_retired - 1) == 0,
                 "dynenum_current of the retired member: %d, %s", rc, message);
    } else {
      FUZZ_CHECK(rc == SQLITE_ERROR && strncmp(message, invalid[i], strlen(invalid[i])) == 0 &&
                     contains(message, "' for enum 'e': expected one of "),
                 "%.15s of a non-member: %d, %s", invalid[i], rc, message);
    }
    if (rc != SQLITE_ROW) FUZZ_CHECK(ref_message_ok(message), "the strict message is not well-formed UTF-8");
    sqlite3_reset(statements[i]);
    sqlite3_clear_bindings(statements[i]);
  }
}

/* The core API: find and resolve on the enum made once (which never interns
** anything, as only real members and refusals are resolved on it), and on a
** fresh one for a valid dynamic name, so that every run starts alike. */
static void check_core(const char *x, size_t n, const expectation *want) {
  const dynenum_member *found = NULL, *resolved = NULL, *again = NULL;
  dynenum_error err;
  int rc = dynenum_enum_check_member(core_enum, x, n, &found, &err);
  FUZZ_CHECK(want->member ? rc == DYNENUM_OK && found->ordinal == want->ordinal : rc == DYNENUM_NOTFOUND,
             "dynenum_enum_check_member gives %d", rc);
  if (rc != DYNENUM_OK) FUZZ_CHECK(ref_message_ok(err.message), "check_member's message is not well-formed");
  rc = dynenum_enum_check_current(core_enum, x, n, &found, &err);
  FUZZ_CHECK(!want->member                          ? rc == DYNENUM_NOTFOUND
             : want->ordinal == RETIRED_ORDINAL ? rc == DYNENUM_RETIRED
                                                : rc == DYNENUM_OK && found->ordinal == want->ordinal,
             "dynenum_enum_check_current gives %d", rc);
  if (rc != DYNENUM_OK) FUZZ_CHECK(ref_message_ok(err.message), "check_current's message is not well-formed");
  found = NULL;
  rc = dynenum_enum_find(core_enum, x, n, &found);
  if (want->member) {
    FUZZ_CHECK(rc == DYNENUM_OK && found->ordinal == want->ordinal, "dynenum_enum_find gives %d, expected member %d",
               rc, want->ordinal);
    FUZZ_CHECK(found->value_len == want->member->expected_value_len &&
                   memcmp(found->value, want->member->expected_value, found->value_len) == 0 && !found->dynamic,
               "dynenum_enum_find gives a member with another value");
    rc = dynenum_enum_resolve(core_enum, x, n, &resolved, &err);
    FUZZ_CHECK(rc == DYNENUM_OK && resolved == found, "dynenum_enum_resolve gives %d, not the member found", rc);
    return;
  }
  FUZZ_CHECK(rc == DYNENUM_NOTFOUND, "dynenum_enum_find gives %d, expected DYNENUM_NOTFOUND", rc);
  if (want->code != DYNENUM_OK) {
    rc = dynenum_enum_resolve(core_enum, x, n, &resolved, &err);
    FUZZ_CHECK(rc == want->code && err.code == rc, "dynenum_enum_resolve gives %d (%s), expected %d (%s)", rc,
               dynenum_errstr(rc), want->code, dynenum_errstr(want->code));
    FUZZ_CHECK(ref_message_ok(err.message) && contains(err.message, " in enum 'e'"),
               "dynenum_enum_resolve's message is not well-formed or does not name the enum");
    FUZZ_CHECK(dynenum_enum_dynamic_count(core_enum) == 0, "a refused name was interned");
    return;
  }
  dynenum_enum *e = new_core_enum();
  rc = dynenum_enum_resolve(e, x, n, &resolved, &err);
  FUZZ_CHECK(rc == DYNENUM_OK, "dynenum_enum_resolve refuses a valid dynamic name: %s", err.message);
  FUZZ_CHECK(resolved->dynamic && resolved->ordinal == 0, "a dynamic member is not flagged dynamic, ordinal 0");
  FUZZ_CHECK(resolved->value_len == want->key.len && memcmp(resolved->value, want->key.bytes, want->key.len) == 0 &&
                 resolved->value[resolved->value_len] == 0,
             "a dynamic member's value is not its key");
  FUZZ_CHECK(resolved->name_len == n && memcmp(resolved->name, x, n) == 0 && resolved->name[n] == 0,
             "a dynamic member's name is not the spelling looked up");
  FUZZ_CHECK(dynenum_enum_resolve(e, x, n, &again, &err) == DYNENUM_OK && again == resolved,
             "resolving a dynamic name twice gives two objects");
  if (want->key.len <= 255 && ref_dynamic_name_code(want->key.bytes, want->key.len) == DYNENUM_OK) {
    FUZZ_CHECK(dynenum_enum_resolve(e, (const char *)want->key.bytes, want->key.len, &again, &err) == DYNENUM_OK &&
                   again == resolved,
               "resolving a dynamic name's key gives another object");
  }
  FUZZ_CHECK(dynenum_enum_dynamic_count(e) == 1, "one dynamic name interned %zu times", dynenum_enum_dynamic_count(e));
  FUZZ_CHECK(dynenum_enum_size(e) == MEMBER_COUNT && dynenum_enum_find(e, x, n, &found) == DYNENUM_NOTFOUND,
             "interning changed the real members");
  dynenum_enum_release(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* An exact heap copy, so that ASan sees any read past the end. */
  char *x = fuzz_copy(data, size);
  expectation want;
  current_input = data;
  current_size = size;
  want.key = ref_key_of(x, size);
  want.member = NULL;
  want.ordinal = 0;
  for (size_t i = 0; i < MEMBER_COUNT; i++) {
    const fixed_member *m = &members[i];
    if (ref_order(want.key.bytes, want.key.len, m->name_key.bytes, m->name_key.len) == 0 ||
        ref_order(want.key.bytes, want.key.len, m->value_key.bytes, m->value_key.len) == 0) {
      want.member = m;
      want.ordinal = (int)i + 1;
    }
  }
  for (size_t i = 0; i < ALIAS_COUNT; i++) {
    const fixed_alias *a = &aliases[i];
    if (ref_order(want.key.bytes, want.key.len, a->key.bytes, a->key.len) == 0) {
      want.member = &members[a->ordinal - 1];
      want.ordinal = a->ordinal;
    }
  }
  want.code = ref_dynamic_name_code(x, size);

  check_sql_text(x, size, &want);
  check_sql_strict(x, size, &want);
  check_sql_blob(x, size);
  check_core(x, size, &want);

  free(want.key.bytes);
  free(x);
  return 0;
}
