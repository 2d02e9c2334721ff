/*
** core_test.c: tests of the enum core (ext/core/enum.c): registries,
** enums, members and dynamic members, through the public API of dynenum.h
** only (docs/SPEC.md section 3).
**
** Covered here:
**   - the registry: define, get, drop, clear, size, EXISTS and replace,
**     NOTFOUND, and enums that outlive their registry entry by reference;
**   - members: values given and implied, ordinals, declaration order,
**     lookup by name or value in any spelling of the same key;
**   - every error of dynenum_enum_add, with its message pinned, and that a
**     failed add changes nothing;
**   - dynamic members: interning, identity per key, never iterated, the
**     errors of invalid names, the cap, and promotion by a later add;
**   - allocation failure at every allocation of a script, through a
**     counting allocator that also proves nothing leaks;
**   - concurrency: reader threads looking up while a writer adds.
**
** Messages are pinned word for word: the SQLite binding passes them on to
** users unchanged.
*/
#define _POSIX_C_SOURCE 200809L

#include "dynenum.h"
#include "ctest.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string literal as the (pointer, length) pair the API takes. */
#define LIT(s) (s), (sizeof(s) - 1)

#include "counting_heap.h"

/* ---- Helpers ------------------------------------------------------------------ */

static dynenum_enum *new_enum(const char *name, size_t dynamic_cap) {
  dynenum_config config = counting_config(dynamic_cap);
  dynenum_enum *e = NULL;
  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(&config, name, strlen(name), &e), "dynenum_enum_new(%s)", name)) {
    exit(1); /* nothing below could run */
  }
  return e;
}

static const dynenum_member *add(dynenum_enum *e, const char *name, const char *value) {
  const dynenum_member *m = NULL;
  dynenum_error err;
  int rc = dynenum_enum_add(e, name, strlen(name), value, value ? strlen(value) : 0, &m, &err);
  if (!CHECK_INT_EQ(DYNENUM_OK, rc, "add '%s'", name)) printf("  message:  %s\n", err.message);
  return m;
}

/* Checks that add fails with code and message and changes nothing. */
static void check_add_fails(dynenum_enum *e, const char *name, size_t name_len, const char *value, size_t value_len,
                            int code, const char *message, const char *what) {
  dynenum_error err;
  const dynenum_member *m = NULL;
  size_t size = dynenum_enum_size(e), dynamic = dynenum_enum_dynamic_count(e);
  const dynenum_member *last = size ? dynenum_enum_member(e, size - 1) : NULL;
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(code, dynenum_enum_add(e, name, name_len, value, value_len, &m, &err), "add %s: code", what);
  CHECK_INT_EQ(code, err.code, "add %s: err.code", what);
  CHECK_STR_EQ(message, err.message, "add %s: message", what);
  CHECK_INT_EQ(size, dynenum_enum_size(e), "add %s: no member added", what);
  CHECK_INT_EQ(dynamic, dynenum_enum_dynamic_count(e), "add %s: no dynamic member added", what);
  if (size) CHECK_PTR_EQ(last, dynenum_enum_member(e, size - 1), "add %s: the last member is the same", what);
}

/* Checks that resolve fails with code and message, interning nothing. */
static void check_resolve_fails(dynenum_enum *e, const char *s, size_t n, int code, const char *message,
                                const char *what) {
  dynenum_error err;
  const dynenum_member *m = NULL;
  size_t dynamic = dynenum_enum_dynamic_count(e);
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(code, dynenum_enum_resolve(e, s, n, &m, &err), "resolve %s: code", what);
  CHECK_INT_EQ(code, err.code, "resolve %s: err.code", what);
  CHECK_STR_EQ(message, err.message, "resolve %s: message", what);
  CHECK_INT_EQ(dynamic, dynenum_enum_dynamic_count(e), "resolve %s: nothing interned", what);
  if (code != DYNENUM_CAP) {
    /* The same verdict from the check alone. */
    memset(&err, 0, sizeof err);
    CHECK_INT_EQ(code, dynenum_enum_check_name(e, s, n, &err), "check_name %s: code", what);
    CHECK_STR_EQ(message, err.message, "check_name %s: message", what);
  }
}

/* The member s resolves to, or NULL (a failed check) when it does not. */
static const dynenum_member *resolve(dynenum_enum *e, const char *s, size_t n) {
  const dynenum_member *m = NULL;
  dynenum_error err;
  int rc = dynenum_enum_resolve(e, s, n, &m, &err);
  if (!CHECK_INT_EQ(DYNENUM_OK, rc, "resolve '%.*s'", (int)n, s)) printf("  message:  %s\n", err.message);
  return rc == DYNENUM_OK ? m : NULL;
}

/* The real member dynenum_enum_find gives for s, or NULL. */
static const dynenum_member *find(dynenum_enum *e, const char *s, size_t n) {
  const dynenum_member *m = NULL;
  return dynenum_enum_find(e, s, n, &m) == DYNENUM_OK ? m : NULL;
}

/* Checks that every spelling finds and resolves to m. */
static void check_spellings(dynenum_enum *e, const dynenum_member *m, const char *const *spellings) {
  for (; *spellings; spellings++) {
    const char *s = *spellings;
    CHECK_PTR_EQ(m, find(e, s, strlen(s)), "find '%s' gives member '%s'", s, m ? m->name : "?");
    CHECK_PTR_EQ(m, resolve(e, s, strlen(s)), "resolve '%s' gives member '%s'", s, m ? m->name : "?");
  }
}

/* ---- Registry --------------------------------------------------------------- */

static int destroyed;
static void count_destroy(void *data) { destroyed += *(int *)data; }

static void test_registry(void) {
  dynenum_config config = counting_config(0);
  dynenum_registry *r = NULL;
  dynenum_enum *colour = NULL, *again = NULL, *got = NULL, *fresh = NULL;
  dynenum_error err;
  int one = 1;
  ctest_group("registry: define, get, drop, clear, references");
  heap_reset(0);
  CHECK_INT_EQ(DYNENUM_OK, dynenum_registry_open(&config, &r), "open a registry");
  CHECK_INT_EQ(0, dynenum_registry_size(r), "a new registry is empty");

  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_define(r, LIT("colour"), 0, &colour, &err), "define colour");
  CHECK_STR_EQ("colour", dynenum_enum_name(colour), "the enum's name");
  CHECK_STR_EQ("colour", dynenum_enum_label(colour), "the enum's label defaults to its name");
  CHECK_INT_EQ(1, dynenum_registry_size(r), "one enum defined");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_get(r, LIT("colour"), &got), "get colour");
  CHECK_PTR_EQ(colour, got, "get gives the defined enum");
  dynenum_enum_release(got);
  got = colour;
  CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_get(r, LIT("Colour"), &got), "enum names compare byte for byte");
  CHECK_PTR_EQ(NULL, got, "get of an unknown enum gives NULL");
  CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_get(r, LIT("colou"), &got), "get of a prefix of a name");

  memset(&err, 0, sizeof err);
  again = colour;
  CHECK_INT_EQ(DYNENUM_EXISTS, dynenum_enum_define(r, LIT("colour"), 0, &again, &err), "define colour twice");
  CHECK_INT_EQ(DYNENUM_EXISTS, err.code, "define colour twice: err.code");
  CHECK_STR_EQ("enum 'colour' is already defined", err.message, "define colour twice: message");
  CHECK_INT_EQ(1, dynenum_registry_size(r), "a refused define adds nothing");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_get(r, LIT("colour"), &got), "get colour after the refused define");
  CHECK_PTR_EQ(colour, got, "the refused define kept the first enum");
  dynenum_enum_release(got);

  /* Replacing: the old enum lives on for whoever holds it. */
  add(colour, "RED", NULL);
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_define(r, LIT("colour"), 1, &again, &err), "define colour with replace");
  CHECK(again != colour, "replace makes a new enum");
  CHECK_INT_EQ(1, dynenum_registry_size(r), "replace keeps one enum of the name");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_get(r, LIT("colour"), &got), "get colour after replace");
  CHECK_PTR_EQ(again, got, "get gives the replacement");
  dynenum_enum_release(got);
  CHECK_INT_EQ(0, dynenum_enum_size(again), "the replacement has no members");
  CHECK_INT_EQ(1, dynenum_enum_size(colour), "the replaced enum keeps its member");
  CHECK(find(colour, LIT("red")) != NULL, "the replaced enum still finds its member");
  CHECK(find(again, LIT("red")) == NULL, "the replacement does not");

  /* Dropping: NOTFOUND afterwards, while a held reference stays usable. */
  dynenum_enum_set_userdata(again, &one, count_destroy);
  CHECK_PTR_EQ(&one, dynenum_enum_userdata(again), "userdata is kept");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_drop(r, LIT("colour")), "drop colour");
  CHECK_INT_EQ(0, dynenum_registry_size(r), "dropped");
  CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_get(r, LIT("colour"), &got), "get a dropped enum");
  CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_drop(r, LIT("colour")), "drop a dropped enum");
  CHECK_INT_EQ(0, destroyed, "a held enum is not freed by drop");
  const dynenum_member *blue = add(again, "BLUE", NULL);
  CHECK_PTR_EQ(blue, resolve(again, LIT("Blue")), "a dropped enum still resolves while held");
  dynenum_enum_release(again);
  CHECK_INT_EQ(1, destroyed, "releasing the last reference frees the enum and its userdata");
  dynenum_enum_release(colour);

  /* Many enums: growth, and removal from the middle of probe runs. */
  for (int i = 0; i < 100; i++) {
    char name[16];
    snprintf(name, sizeof name, "enum%d", i);
    CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_define(r, name, strlen(name), 0, &got, &err), "define %s", name);
    dynenum_enum_release(got);
  }
  for (int i = 1; i < 100; i += 2) {
    char name[16];
    snprintf(name, sizeof name, "enum%d", i);
    CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_drop(r, name, strlen(name)), "drop %s", name);
  }
  CHECK_INT_EQ(50, dynenum_registry_size(r), "50 of 100 enums left");
  for (int i = 0; i < 100; i++) {
    char name[16];
    snprintf(name, sizeof name, "enum%d", i);
    int rc = dynenum_enum_get(r, name, strlen(name), &got);
    CHECK_INT_EQ(i % 2 ? DYNENUM_NOTFOUND : DYNENUM_OK, rc, "get %s after dropping the odd ones", name);
    if (rc == DYNENUM_OK) {
      CHECK_STR_EQ(name, dynenum_enum_name(got), "get %s gives the enum of that name", name);
      dynenum_enum_release(got);
    }
  }

  /* Clearing: empty and still usable; a held enum survives it and close. */
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_get(r, LIT("enum42"), &got), "get enum42");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_registry_clear(r), "clear");
  CHECK_INT_EQ(0, dynenum_registry_size(r), "cleared");
  CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_get(r, LIT("enum0"), &fresh), "get after clear");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_define(r, LIT("enum0"), 0, &fresh, &err), "define after clear");
  CHECK_INT_EQ(1, dynenum_registry_size(r), "one enum after clear and define");
  dynenum_enum_release(fresh);
  dynenum_registry_close(r);
  CHECK(add(got, "STILL_HERE", NULL) != NULL, "an enum held past clear and close is usable");
  dynenum_enum_release(got);
  CHECK_INT_EQ(0, heap.live, "every block of the registry test is freed");

  /* Labels name the enum in messages; misuse is refused. */
  colour = new_enum("main.colour", 0);
  dynenum_enum_set_label(colour, LIT("Colour"));
  CHECK_STR_EQ("Colour", dynenum_enum_label(colour), "set_label");
  CHECK_STR_EQ("main.colour", dynenum_enum_name(colour), "set_label leaves the name");
  check_resolve_fails(colour, LIT("_x"), DYNENUM_RESERVED, "reserved name '_x' in enum 'Colour'",
                      "'_x' in a labelled enum");
  dynenum_enum_release(colour);
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add(NULL, LIT("X"), NULL, 0, NULL, &err), "add to NULL");
  CHECK_STR_EQ("dynenum_enum_add(): NULL argument", err.message, "add to NULL: message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_define(NULL, LIT("x"), 0, &got, &err), "define in NULL");
  CHECK_INT_EQ(0, heap.live, "every block is freed");
}

/* ---- Members ---------------------------------------------------------------- */

static void test_members(void) {
  dynenum_enum *e;
  ctest_group("members: values, ordinals, order, lookups");
  heap_reset(0);
  e = new_enum("endpoint_type", 0);
  const dynenum_member *openai = add(e, "OPENAI_CHAT", NULL);
  const dynenum_member *anthropic = add(e, "ANTHROPIC_CHAT", "anthropic_chat");
  const dynenum_member *legacy = add(e, "Legacy Completions", "completions");
  const dynenum_member *dark_red = add(e, "DARK_RED", "dark-red");
  const dynenum_member *omega = add(e, "\xCE\xA9mega", NULL); /* U+03A9 */
  const dynenum_member *kelvin = add(e, "KELVIN", "\xE2\x84\xAA-scale");
  if (!openai || !anthropic || !legacy || !dark_red || !omega || !kelvin) return;

  /* Without a value, the value is the key of the name. */
  CHECK_STR_EQ("openai_chat", openai->value, "the implied value of OPENAI_CHAT");
  CHECK_INT_EQ(11, openai->value_len, "its length");
  CHECK_STR_EQ("\xCF\x89mega", omega->value, "the implied value of U+03A9 'mega' is folded");
  /* A given value is kept as given, not folded. */
  CHECK_STR_EQ("dark-red", dark_red->value, "a given value is kept as given");
  CHECK_STR_EQ("\xE2\x84\xAA-scale", kelvin->value, "a given non-ASCII value is kept as given");
  CHECK_STR_EQ("Legacy Completions", legacy->name, "names keep their spelling, spaces included");
  CHECK_INT_EQ(18, legacy->name_len, "name_len");
  CHECK_INT_EQ(0, legacy->dynamic, "real members are not dynamic");

  static const char *const order[] = {"OPENAI_CHAT", "ANTHROPIC_CHAT", "Legacy Completions",
                                      "DARK_RED", "\xCE\xA9mega", "KELVIN"};
  CHECK_INT_EQ(6, dynenum_enum_size(e), "six members");
  for (size_t i = 0; i < 6; i++) {
    const dynenum_member *m = dynenum_enum_member(e, i);
    if (!CHECK(m != NULL, "member %zu exists", i)) continue;
    CHECK_INT_EQ(i + 1, m->ordinal, "ordinal of member %zu", i);
    CHECK_STR_EQ(order[i], m->name, "member %zu in declaration order", i);
  }
  CHECK_PTR_EQ(NULL, dynenum_enum_member(e, 6), "no member past the end");

  static const char *const openai_spellings[] = {"OPENAI_CHAT", "openai_chat", "openai-chat", "OpenAI-Chat",
                                                 "OPENAI-CHAT", NULL};
  static const char *const anthropic_spellings[] = {"anthropic-chat", "Anthropic_Chat", NULL};
  static const char *const legacy_spellings[] = {"legacy completions", "LEGACY COMPLETIONS", "completions",
                                                 "Completions", NULL};
  static const char *const dark_red_spellings[] = {"dark_red", "Dark-Red", "DARK-RED", NULL};
  static const char *const omega_spellings[] = {"\xCF\x89mega", "\xCE\xA9MEGA", "\xE2\x84\xA6mega", NULL};
  static const char *const kelvin_spellings[] = {"kelvin", "K-SCALE", "k_scale", "\xE2\x84\xAA_Scale", NULL};
  check_spellings(e, openai, openai_spellings);
  check_spellings(e, anthropic, anthropic_spellings);
  check_spellings(e, legacy, legacy_spellings);
  check_spellings(e, dark_red, dark_red_spellings);
  check_spellings(e, omega, omega_spellings);
  check_spellings(e, kelvin, kelvin_spellings);
  CHECK_PTR_EQ(NULL, find(e, LIT("openai")), "find of a prefix of a key");
  CHECK_PTR_EQ(NULL, find(e, LIT("openai_chat_")), "find of a longer key");
  CHECK_PTR_EQ(NULL, find(e, LIT("kka")), "find 'kka' (no tie-breaking on length)");
  CHECK_INT_EQ(0, dynenum_enum_dynamic_count(e), "find and real lookups intern nothing");

  /* Keys longer than DYNENUM_MAX_BYTES input can still name a real member:
  ** 255 KELVIN SIGNs (765 bytes) have the key of 255 'k's. */
  {
    char ks[255], kelvins[765];
    memset(ks, 'k', sizeof ks);
    for (int i = 0; i < 255; i++) memcpy(kelvins + 3 * i, "\xE2\x84\xAA", 3);
    const dynenum_member *m = NULL;
    dynenum_error err;
    CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_add(e, ks, sizeof ks, NULL, 0, &m, &err), "add 255 'k's");
    CHECK_PTR_EQ(m, find(e, kelvins, sizeof kelvins), "765 bytes of KELVIN SIGN find the member of 255 'k's");
    CHECK_PTR_EQ(m, resolve(e, kelvins, sizeof kelvins), "and resolve to it");
  }

  /* Enough members to grow the array and the table several times. */
  for (int i = 0; i < 300; i++) {
    char name[32], value[32];
    snprintf(name, sizeof name, "GROWTH_%03d", i);
    snprintf(value, sizeof value, "growth-value-%03d", i);
    add(e, name, value);
  }
  CHECK_INT_EQ(307, dynenum_enum_size(e), "307 members");
  for (int i = 0; i < 300; i++) {
    char name[32], value[32];
    snprintf(name, sizeof name, "growth_%03d", i);
    snprintf(value, sizeof value, "GROWTH_VALUE_%03d", i);
    const dynenum_member *m = find(e, name, strlen(name));
    CHECK(m && m->ordinal == 8 + i, "find %s after growth", name);
    CHECK_PTR_EQ(m, find(e, value, strlen(value)), "find %s after growth", value);
  }
  CHECK_PTR_EQ(openai, find(e, LIT("openai-chat")), "early members survive growth");
  CHECK_PTR_EQ(openai, dynenum_enum_member(e, 0), "members never move");
  dynenum_enum_release(e);
  CHECK_INT_EQ(0, heap.live, "every block of the members test is freed");
}

/* ---- Errors of dynenum_enum_add --------------------------------------------------- */

static void test_add_errors(void) {
  char long_text[300];
  dynenum_enum *e;
  ctest_group("dynenum_enum_add: every error, its message, nothing changed");
  heap_reset(0);
  e = new_enum("colour", 0);
  add(e, "RED", NULL);
  add(e, "GREEN", "verde");
  add(e, "K", NULL);
  add(e, "DARK_RED", NULL);

  check_add_fails(e, "", 0, NULL, 0, DYNENUM_EMPTY, "empty name in enum 'colour'", "an empty name");
  check_add_fails(e, "", 0, LIT("x"), DYNENUM_EMPTY, "empty name in enum 'colour'", "an empty name with a value");
  check_add_fails(e, LIT("_x"), NULL, 0, DYNENUM_RESERVED, "reserved name '_x' in enum 'colour'", "'_x'");
  check_add_fails(e, LIT("-x"), NULL, 0, DYNENUM_RESERVED, "reserved name '-x' in enum 'colour'", "'-x'");
  check_add_fails(e, LIT("a\xff"), NULL, 0, DYNENUM_MALFORMED, "malformed UTF-8 in name 'a\\xff' in enum 'colour'",
                  "a malformed name");
  check_add_fails(e, LIT("\xC1\x81"), NULL, 0, DYNENUM_MALFORMED,
                  "malformed UTF-8 in name '\\xc1\\x81' in enum 'colour'", "an overlong name");
  check_add_fails(e, LIT("BLUE"), LIT("bl\xC1\x81"), DYNENUM_MALFORMED,
                  "malformed UTF-8 in value 'bl\\xc1\\x81' of member 'BLUE' in enum 'colour'", "a malformed value");
  check_add_fails(e, LIT("a\tb"), NULL, 0, DYNENUM_BADCHAR, "control character U+0009 in name 'a\\x09b' in enum 'colour'",
                  "a name with a tab");
  check_add_fails(e, LIT("a\0b"), NULL, 0, DYNENUM_BADCHAR, "control character U+0000 in name 'a\\x00b' in enum 'colour'",
                  "a name with NUL");
  check_add_fails(e, LIT("a\xC2\x85"), NULL, 0, DYNENUM_BADCHAR,
                  "control character U+0085 in name 'a\\xc2\\x85' in enum 'colour'", "a name with U+0085");
  check_add_fails(e, LIT("BLUE"), LIT("x\x7fy"), DYNENUM_BADCHAR,
                  "control character U+007F in value 'x\\x7fy' of member 'BLUE' in enum 'colour'", "a value with DEL");
  check_add_fails(e, LIT("BLUE"), LIT("x\ny"), DYNENUM_BADCHAR,
                  "control character U+000A in value 'x\\x0ay' of member 'BLUE' in enum 'colour'", "a value with a newline");

  memset(long_text, 'a', sizeof long_text);
  check_add_fails(e, long_text, 256, NULL, 0, DYNENUM_TOOLONG,
                  "name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' too long (256 bytes, at most 255) in enum "
                  "'colour'",
                  "a name of 256 bytes");
  check_add_fails(e, LIT("BLUE"), long_text, 256, DYNENUM_TOOLONG,
                  "value 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' of member 'BLUE' too long (256 bytes, "
                  "at most 255) in enum 'colour'",
                  "a value of 256 bytes");
  {
    /* 255 bytes is the limit, not over it. */
    const dynenum_member *m = NULL;
    dynenum_error err;
    long_text[0] = 'L';
    CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_add(e, long_text, 255, long_text, 255, &m, &err), "a name and value of 255 bytes");
    long_text[0] = 'a';
  }

  /* The name is checked before the value, each in the order of dynenum.h. */
  check_add_fails(e, LIT("_x"), LIT("\xff"), DYNENUM_RESERVED, "reserved name '_x' in enum 'colour'",
                  "a reserved name with a malformed value");
  check_add_fails(e, LIT("_\xff"), NULL, 0, DYNENUM_MALFORMED, "malformed UTF-8 in name '_\\xff' in enum 'colour'",
                  "'_' FF");
  check_add_fails(e, LIT("_\t"), NULL, 0, DYNENUM_RESERVED, "reserved name '_\\x09' in enum 'colour'", "'_' tab");
  check_add_fails(e, LIT("a\t\xff"), NULL, 0, DYNENUM_MALFORMED,
                  "malformed UTF-8 in name 'a\\x09\\xff' in enum 'colour'", "tab then FF");

  check_add_fails(e, LIT("RED"), NULL, 0, DYNENUM_COLLISION, "member 'RED' is already in enum 'colour'",
                  "the same name twice");
  check_add_fails(e, LIT("RED"), LIT("rouge"), DYNENUM_COLLISION, "member 'RED' is already in enum 'colour'",
                  "the same name twice, with another value");
  check_add_fails(e, LIT("red"), NULL, 0, DYNENUM_COLLISION,
                  "member 'red' collides with member 'RED' in enum 'colour' (same key 'red')", "name vs name");
  check_add_fails(e, LIT("Green"), LIT("vert"), DYNENUM_COLLISION,
                  "member 'Green' collides with member 'GREEN' in enum 'colour' (same key 'green')",
                  "name vs name, with a new value");
  check_add_fails(e, LIT("VERDE"), NULL, 0, DYNENUM_COLLISION,
                  "member 'VERDE' collides with member 'GREEN' in enum 'colour' (same key 'verde')", "name vs value");
  check_add_fails(e, LIT("CRIMSON"), LIT("Red"), DYNENUM_COLLISION,
                  "value 'Red' of member 'CRIMSON' collides with member 'RED' in enum 'colour' (same key 'red')",
                  "value vs name");
  check_add_fails(e, LIT("VERT"), LIT("VERDE"), DYNENUM_COLLISION,
                  "value 'VERDE' of member 'VERT' collides with member 'GREEN' in enum 'colour' (same key 'verde')",
                  "value vs value");
  check_add_fails(e, LIT("\xE2\x84\xAA"), NULL, 0, DYNENUM_COLLISION,
                  "member '\xE2\x84\xAA' collides with member 'K' in enum 'colour' (same key 'k')",
                  "KELVIN SIGN vs 'K'");
  check_add_fails(e, LIT("dark-red"), NULL, 0, DYNENUM_COLLISION,
                  "member 'dark-red' collides with member 'DARK_RED' in enum 'colour' (same key 'dark_red')",
                  "'-' vs '_'");
  CHECK_PTR_EQ(NULL, find(e, LIT("vert")), "the refused GREEN/vert left no trace");
  CHECK_PTR_EQ(NULL, find(e, LIT("crimson")), "the refused CRIMSON left no trace");

  /* A member's own name and value may share a key. */
  const dynenum_member *blue = add(e, "BLUE", "blue");
  const dynenum_member *navy = add(e, "Navy-Blue", "NAVY_BLUE");
  CHECK(blue && navy && blue->ordinal + 1 == navy->ordinal, "own name and value may share a key");
  CHECK_PTR_EQ(navy, find(e, LIT("navy_blue")), "find navy_blue");
  CHECK_INT_EQ(7, dynenum_enum_size(e), "seven members after all the refusals");

  CHECK_INT_EQ(DYNENUM_COLLISION, dynenum_enum_add(e, LIT("red"), NULL, 0, NULL, NULL), "add with no err and no out");
  dynenum_enum_release(e);
  CHECK_INT_EQ(0, heap.live, "every block of the add-errors test is freed");
}

/* An implied value is the key of the name, and folding can make it longer
** than the name: it must still be a valid value, because the binding
** persists each member's (name, value) and reloads it with the value given
** explicitly. */
static void test_implied_value_limits(void) {
  char name[255];
  const dynenum_member *m = NULL, *copy = NULL;
  dynenum_error err;
  ctest_group("dynenum_enum_add: implied values obey the rules of values");
  heap_reset(0);
  dynenum_enum *e = new_enum("wide", 0), *reloaded = new_enum("wide", 0);

  /* U+023A is 2 bytes and folds to U+2C65, 3 bytes: 85 of them make a
  ** 170-byte name whose key is 255 bytes, the most a value may have. */
  for (int i = 0; i < 127; i++) memcpy(name + 2 * i, "\xC8\xBA", 2);
  name[254] = 'a';
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_add(e, name, 170, NULL, 0, &m, &err), "a name whose key is 255 bytes");
  if (m) {
    CHECK_INT_EQ(255, m->value_len, "its implied value has 255 bytes");
    int rc = dynenum_enum_add(reloaded, m->name, m->name_len, m->value, m->value_len, &copy, &err);
    if (!CHECK_INT_EQ(DYNENUM_OK, rc, "it can be added again with its value given")) printf("  message:  %s\n", err.message);
    CHECK(copy && copy->value_len == 255 && memcmp(copy->value, m->value, 255) == 0, "the copy has the same value");
  }

  char expected[DYNENUM_QUOTE_SIZE * 3];
  snprintf(expected, sizeof expected, "value '%s' of member '", ctest_repeat("\xE2\xB1\xA5", 16, "..."));
  strcat(expected, ctest_repeat("\xC8\xBA", 24, "..."));
  strcat(expected, "' too long (258 bytes, at most 255) in enum 'wide'");
  check_add_fails(e, name, 172, NULL, 0, DYNENUM_TOOLONG, expected, "a name whose key is 258 bytes");
  snprintf(expected, sizeof expected, "value '%s' of member '", ctest_repeat("\xE2\xB1\xA5", 16, "..."));
  strcat(expected, ctest_repeat("\xC8\xBA", 24, "..."));
  strcat(expected, "' too long (382 bytes, at most 255) in enum 'wide'");
  check_add_fails(e, name, 255, NULL, 0, DYNENUM_TOOLONG, expected, "a 255-byte name whose key is 382 bytes");

  dynenum_enum_release(e);
  dynenum_enum_release(reloaded);
  CHECK_INT_EQ(0, heap.live, "every block is freed");
}

/* dynenum_enum_add_new_member against what it stands for, the three calls
** in turn: the same code, message and member for every kind of name,
** including each refusal and the order of refusals of a name with several
** faults. */
static void test_add_new_member(void) {
  char long_name[300], wide[255];
  memset(long_name, 'x', sizeof long_name);
  /* U+023A folds to a longer U+2C65: 170 bytes of them have a 255-byte key. */
  for (int i = 0; i < 127; i++) memcpy(wide + 2 * i, "\xC8\xBA", 2);
  wide[254] = 'a';
  const struct {
    const char *name;
    size_t len;
    const char *what;
  } names[] = {
      {LIT("Plugin_Endpoint"), "a new member"},
      {LIT("PLUGIN-ENDPOINT"), "the same key as a member"},
      {LIT("Plugin_Endpoint"), "a member byte for byte"},
      {LIT("openai_chat"), "the key of a member's value"},
      {LIT("\xCE\xA9mega"), "a non-ASCII name"},
      {LIT(""), "an empty name"},
      {LIT("_private"), "a reserved name"},
      {LIT("-private"), "a reserved name with '-'"},
      {LIT("two words"), "a space"},
      {LIT("tab\there"), "a control character"},
      {LIT("nb\xC2\xA0sp"), "a no-break space"},
      {LIT("bad\xC3"), "malformed UTF-8"},
      {LIT("_bad\xC3 x"), "reserved, malformed and a space"},
      {LIT("soft\xC2\xADhyphen"), "a default-ignorable character"},
      {LIT("_soft\xC2\xADhyphen"), "reserved and default-ignorable"},
      {long_name, sizeof long_name, "a name too long"},
      {wide, 172, "a name whose key is too long for a value"},
      {wide, 170, "a name whose key is 255 bytes"},
  };
  ctest_group("dynenum_enum_add_new_member: check_name, check_new_member and add in one");
  heap_reset(0);
  dynenum_enum *one = new_enum("endpoint_type", 0), *three = new_enum("endpoint_type", 0);
  add(one, "OPENAI_CHAT", "openai_chat");
  add(three, "OPENAI_CHAT", "openai_chat");
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char *name = names[i].name, *what = names[i].what;
    size_t len = names[i].len;
    const dynenum_member *got = NULL, *expected = NULL;
    dynenum_error err_one, err_three;
    memset(&err_one, 0, sizeof err_one);
    memset(&err_three, 0, sizeof err_three);
    int rc_one = dynenum_enum_add_new_member(one, name, len, &got, &err_one);
    int rc_three = dynenum_enum_check_name(three, name, len, &err_three);
    if (rc_three == DYNENUM_OK) rc_three = dynenum_enum_check_new_member(three, name, len, NULL, 0, &err_three);
    if (rc_three == DYNENUM_OK) rc_three = dynenum_enum_add(three, name, len, NULL, 0, &expected, &err_three);
    CHECK_INT_EQ(rc_three, rc_one, "%s: the code", what);
    if (rc_three != DYNENUM_OK) CHECK_STR_EQ(err_three.message, err_one.message, "%s: the message", what);
    CHECK(!got == !expected, "%s: a member when the three calls give one", what);
    if (got && expected) {
      CHECK_INT_EQ(expected->ordinal, got->ordinal, "%s: its ordinal", what);
      CHECK_MEM_EQ(expected->value, expected->value_len, got->value, got->value_len, "%s: its value", what);
    }
  }
  CHECK_INT_EQ(4, dynenum_enum_size(one), "the member, the non-ASCII name and the wide name were added");
  CHECK_INT_EQ(dynenum_enum_size(three), dynenum_enum_size(one), "as many members as the three calls added");
  dynenum_error err;
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add_new_member(NULL, LIT("x"), NULL, &err), "no enum");
  CHECK_STR_EQ("dynenum_enum_add_new_member(): NULL argument", err.message, "no enum: message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add_new_member(one, NULL, 2, NULL, &err), "a NULL name of length 2");
  CHECK_INT_EQ(DYNENUM_EMPTY, dynenum_enum_add_new_member(one, NULL, 0, NULL, &err), "a NULL name of length 0");
  CHECK_STR_EQ("empty name in enum 'endpoint_type'", err.message, "a NULL name of length 0: message");
  dynenum_enum_release(one);
  dynenum_enum_release(three);
  CHECK_INT_EQ(0, heap.live, "every block is freed");
}

/* ---- Dynamic members ------------------------------------------------------------- */

static void test_dynamic_members(void) {
  char long_text[1200];
  dynenum_enum *e;
  ctest_group("dynamic members: interning, identity, errors");
  heap_reset(0);
  e = new_enum("colour", 0);
  const dynenum_member *red = add(e, "RED", NULL);

  const dynenum_member *teal = resolve(e, LIT("Teal"));
  if (!teal) return;
  CHECK_INT_EQ(1, teal->dynamic, "an unknown valid name is dynamic");
  CHECK_INT_EQ(0, teal->ordinal, "a dynamic member's ordinal is 0");
  CHECK_STR_EQ("Teal", teal->name, "a dynamic member's name is the spelling first looked up");
  CHECK_STR_EQ("teal", teal->value, "a dynamic member's value is the key");
  CHECK_INT_EQ(4, teal->value_len, "its value_len");
  CHECK_PTR_EQ(teal, resolve(e, LIT("TEAL")), "the same key gives the same dynamic member");
  CHECK_PTR_EQ(teal, resolve(e, LIT("teal")), "in every spelling");
  const dynenum_member *sky = resolve(e, LIT("Sky-Blue"));
  CHECK(sky && sky != teal, "another key, another dynamic member");
  CHECK_STR_EQ("sky_blue", sky ? sky->value : "", "the value of Sky-Blue");
  CHECK_PTR_EQ(sky, resolve(e, LIT("SKY_BLUE")), "'-' and '_' spell the same dynamic member");
  CHECK_PTR_EQ(red, resolve(e, LIT("red")), "real members still win");
  CHECK_INT_EQ(2, dynenum_enum_dynamic_count(e), "two dynamic members");
  CHECK_INT_EQ(1, dynenum_enum_size(e), "dynamic members are not iterated");
  CHECK_PTR_EQ(NULL, dynenum_enum_member(e, 1), "no second real member");
  CHECK_PTR_EQ(NULL, find(e, LIT("teal")), "find never returns a dynamic member");
  CHECK_PTR_EQ(NULL, find(e, LIT("violet")), "find does not intern");
  CHECK_INT_EQ(2, dynenum_enum_dynamic_count(e), "still two dynamic members");

  check_resolve_fails(e, "", 0, DYNENUM_EMPTY, "empty name in enum 'colour'", "''");
  check_resolve_fails(e, LIT("_x"), DYNENUM_RESERVED, "reserved name '_x' in enum 'colour'", "'_x'");
  check_resolve_fails(e, LIT("-x"), DYNENUM_RESERVED, "reserved name '-x' in enum 'colour'", "'-x'");
  check_resolve_fails(e, LIT("a\xff"), DYNENUM_MALFORMED, "malformed UTF-8 in name 'a\\xff' in enum 'colour'",
                      "'a' FF");
  check_resolve_fails(e, LIT("a b"), DYNENUM_BADCHAR,
                      "whitespace or control character U+0020 in name 'a b' in enum 'colour'", "'a b'");
  check_resolve_fails(e, LIT("a\tb"), DYNENUM_BADCHAR,
                      "whitespace or control character U+0009 in name 'a\\x09b' in enum 'colour'", "'a' tab 'b'");
  check_resolve_fails(e, LIT("a\xE3\x80\x80" "b"), DYNENUM_BADCHAR,
                      "whitespace or control character U+3000 in name 'a\\xe3\\x80\\x80b' in enum 'colour'", "U+3000");
  check_resolve_fails(e, LIT("a\xC2\xA0"), DYNENUM_BADCHAR,
                      "whitespace or control character U+00A0 in name 'a\\xc2\\xa0' in enum 'colour'", "U+00A0");
  memset(long_text, 'a', sizeof long_text);
  check_resolve_fails(e, long_text, 256, DYNENUM_TOOLONG,
                      "name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' too long (256 bytes, at most 255) in "
                      "enum 'colour'",
                      "256 bytes");
  check_resolve_fails(e, long_text, sizeof long_text, DYNENUM_TOOLONG,
                      "name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' too long (1200 bytes, at most 255) in "
                      "enum 'colour'",
                      "1200 bytes");
  {
    /* A valid name of 255 bytes interns. */
    const dynenum_member *m = resolve(e, long_text, 255);
    CHECK(m && m->dynamic && m->name_len == 255, "a dynamic name of 255 bytes");
  }

  /* Adding a member that was dynamic: lookups now give the real one, with
  ** the value the name resolved to before; the old object stays valid. */
  const dynenum_member *real_teal = add(e, "TEAL", NULL);
  CHECK(real_teal && real_teal != teal, "adding TEAL makes a new, real member");
  CHECK_PTR_EQ(real_teal, resolve(e, LIT("teal")), "resolve teal gives the real member");
  CHECK_PTR_EQ(real_teal, find(e, LIT("Teal")), "find teal gives the real member");
  CHECK_STR_EQ(teal->value, real_teal ? real_teal->value : "", "the real TEAL has the value teal resolved to");
  CHECK_INT_EQ(2, real_teal ? real_teal->ordinal : 0, "the real TEAL has the next ordinal");
  CHECK_STR_EQ("Teal", teal->name, "the dynamic member object is still valid");
  /* A given value can claim a dynamic key too. */
  const dynenum_member *cyan = add(e, "CYAN", "sky-blue");
  CHECK_PTR_EQ(cyan, resolve(e, LIT("Sky_Blue")), "a value that was a dynamic key now resolves to its member");
  dynenum_enum_release(e);
  CHECK_INT_EQ(0, heap.live, "every block of the dynamic test is freed");

  ctest_group("dynamic members: the cap");
  heap_reset(0);
  e = new_enum("colour", 3);
  red = add(e, "RED", NULL);
  const dynenum_member *first = resolve(e, LIT("one"));
  resolve(e, LIT("two"));
  resolve(e, LIT("three"));
  check_resolve_fails(e, LIT("four"), DYNENUM_CAP,
                      "too many dynamic members in enum 'colour' (at most 3): cannot intern 'four'", "past the cap");
  CHECK_INT_EQ(3, dynenum_enum_dynamic_count(e), "the cap holds");
  CHECK_PTR_EQ(first, resolve(e, LIT("ONE")), "interned members still resolve at the cap");
  CHECK_PTR_EQ(red, resolve(e, LIT("Red")), "real members still resolve at the cap");
  check_resolve_fails(e, LIT("_four"), DYNENUM_RESERVED, "reserved name '_four' in enum 'colour'",
                      "a reserved name at the cap");
  /* Adding real members is not limited by the cap. */
  const dynenum_member *four = add(e, "FOUR", NULL);
  CHECK_PTR_EQ(four, resolve(e, LIT("four")), "a name refused at the cap can be added as a member");
  check_resolve_fails(e, LIT("five"), DYNENUM_CAP,
                      "too many dynamic members in enum 'colour' (at most 3): cannot intern 'five'", "still at the cap");
  dynenum_enum_release(e);
  CHECK_INT_EQ(0, heap.live, "every block of the cap test is freed");

  ctest_group("dynamic members: the default cap");
  heap_reset(0);
  e = new_enum("wide", 0);
  for (int i = 0; i < DYNENUM_DEFAULT_DYNAMIC_CAP; i++) {
    char name[32];
    snprintf(name, sizeof name, "dyn%d", i);
    const dynenum_member *m = NULL;
    if (dynenum_enum_resolve(e, name, strlen(name), &m, NULL) != DYNENUM_OK) {
      CHECK(0, "dynamic member %d of the default cap %d", i, DYNENUM_DEFAULT_DYNAMIC_CAP);
      break;
    }
  }
  CHECK_INT_EQ(DYNENUM_DEFAULT_DYNAMIC_CAP, dynenum_enum_dynamic_count(e), "the default cap is reached");
  check_resolve_fails(e, LIT("one-more"), DYNENUM_CAP,
                      "too many dynamic members in enum 'wide' (at most 1024): cannot intern 'one-more'",
                      "past the default cap");
  dynenum_enum_release(e);
  CHECK_INT_EQ(0, heap.live, "every block of the default cap test is freed");
}

/* ---- Allocation failures ------------------------------------------------------------ */

/* The result of one step under fault injection: DYNENUM_NOMEM exactly when
** an allocation failed during it.  Returns whether the step failed for lack
** of memory, so that the caller checks the state and tries again. */
static int failed_for_memory(int rc, long injected_before, const char *step, int index) {
  if (heap.injected != injected_before) {
    CHECK_INT_EQ(DYNENUM_NOMEM, rc, "%s %d when allocation %ld fails", step, index, heap.fail_at);
    return rc == DYNENUM_NOMEM;
  }
  CHECK_INT_EQ(DYNENUM_OK, rc, "%s %d with allocation %ld failing elsewhere", step, index, heap.fail_at);
  return 0;
}

/* Enough members that the script fills several of the arena's chunks, two
** segments of the member list and grows the key index four times, so that
** each of those allocations is one that fails. */
enum { SCRIPT_MEMBERS = 40, SCRIPT_DYNAMIC = 12 };

/* Opens a registry, defines an enum, adds members, interns dynamic names,
** replaces and drops enums, checking after every refused step that nothing
** changed, and retrying it (only one allocation ever fails). */
static void allocation_script(void) {
  dynenum_config config = counting_config(0);
  dynenum_registry *r = NULL;
  dynenum_enum *e = NULL, *other = NULL, *replacement = NULL;
  const dynenum_member *members[SCRIPT_MEMBERS], *dynamic[SCRIPT_DYNAMIC];
  dynenum_error err;
  long mark;
  char name[32], value[32];

  for (;;) {
    mark = heap.injected;
    r = (dynenum_registry *)(void *)&heap; /* any non-NULL pointer: open sets NULL when it fails */
    int rc = dynenum_registry_open(&config, &r);
    if (!failed_for_memory(rc, mark, "open", 0)) break;
    CHECK_PTR_EQ(NULL, r, "a registry that failed to open is NULL");
  }
  if (!r) return;

  for (;;) {
    mark = heap.injected;
    int rc = dynenum_enum_define(r, LIT("colour"), 0, &e, &err);
    if (!failed_for_memory(rc, mark, "define", 0)) break;
    CHECK_STR_EQ("cannot define enum 'colour': out of memory", err.message, "message of a failed define");
    CHECK_INT_EQ(0, dynenum_registry_size(r), "a failed define adds nothing");
    CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_get(r, LIT("colour"), &other), "a failed define adds nothing");
  }
  if (!e) return;

  for (int i = 0; i < SCRIPT_MEMBERS; i++) {
    snprintf(name, sizeof name, "MEMBER_%02d", i);
    snprintf(value, sizeof value, "value-%02d", i);
    for (;;) {
      mark = heap.injected;
      members[i] = NULL;
      /* Odd members take the implied value, so both paths are covered. */
      int rc = dynenum_enum_add(e, name, strlen(name), i % 2 ? NULL : value, i % 2 ? 0 : strlen(value), &members[i],
                                &err);
      if (!failed_for_memory(rc, mark, "add", i)) break;
      CHECK_STR_EQ("out of memory adding a member to enum 'colour'", err.message, "message of a failed add");
      CHECK_INT_EQ(i, dynenum_enum_size(e), "a failed add adds no member");
      CHECK_PTR_EQ(NULL, find(e, name, strlen(name)), "a failed add leaves no key");
      if (i % 2 == 0) CHECK_PTR_EQ(NULL, find(e, value, strlen(value)), "a failed add leaves no value key");
      for (int j = 0; j < i; j++) {
        CHECK_PTR_EQ(members[j], dynenum_enum_member(e, (size_t)j), "a failed add keeps member %d", j);
      }
    }
  }

  for (int i = 0; i < SCRIPT_DYNAMIC; i++) {
    snprintf(name, sizeof name, "Dynamic-%02d", i);
    for (;;) {
      mark = heap.injected;
      dynamic[i] = NULL;
      int rc = dynenum_enum_resolve(e, name, strlen(name), &dynamic[i], &err);
      if (!failed_for_memory(rc, mark, "intern", i)) break;
      CHECK_STR_EQ("out of memory interning a dynamic member of enum 'colour'", err.message,
                   "message of a failed intern");
      CHECK_INT_EQ(i, dynenum_enum_dynamic_count(e), "a failed intern interns nothing");
    }
  }

  /* Lookups of what exists allocate nothing. */
  long calls = heap.calls;
  for (int i = 0; i < SCRIPT_DYNAMIC; i++) {
    snprintf(name, sizeof name, "DYNAMIC_%02d", i);
    CHECK_PTR_EQ(dynamic[i], resolve(e, name, strlen(name)), "dynamic member %d resolves again", i);
  }
  for (int i = 0; i < SCRIPT_MEMBERS; i++) {
    snprintf(name, sizeof name, "member-%02d", i);
    CHECK_PTR_EQ(members[i], resolve(e, name, strlen(name)), "member %d resolves", i);
  }
  CHECK_INT_EQ(calls, heap.calls, "lookups of existing members allocate nothing");

  for (;;) {
    mark = heap.injected;
    int rc = dynenum_enum_define(r, LIT("shape"), 1, &other, &err);
    if (!failed_for_memory(rc, mark, "define shape", 0)) break;
    CHECK_INT_EQ(1, dynenum_registry_size(r), "a failed define of shape adds nothing");
  }
  for (;;) {
    mark = heap.injected;
    int rc = dynenum_enum_define(r, LIT("colour"), 1, &replacement, &err);
    if (!failed_for_memory(rc, mark, "replace colour", 0)) break;
    dynenum_enum *current = NULL;
    CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_get(r, LIT("colour"), &current), "a failed replace keeps colour");
    CHECK_PTR_EQ(e, current, "a failed replace keeps the same colour");
    dynenum_enum_release(current);
  }
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_drop(r, LIT("shape")), "drop shape");
  CHECK_INT_EQ(1, dynenum_registry_size(r), "colour is left");

  /* The replaced enum is whole. */
  CHECK_INT_EQ(SCRIPT_MEMBERS, dynenum_enum_size(e), "all members added");
  for (int i = 0; i < SCRIPT_MEMBERS; i++) {
    const dynenum_member *m = dynenum_enum_member(e, (size_t)i);
    CHECK(m && m == members[i] && m->ordinal == i + 1, "member %d in place", i);
  }
  CHECK_INT_EQ(SCRIPT_DYNAMIC, dynenum_enum_dynamic_count(e), "all dynamic members interned");

  dynenum_enum_release(other);
  dynenum_enum_release(replacement);
  dynenum_enum_release(e);
  dynenum_registry_close(r);
}

static void test_allocation_failures(void) {
  long clean_calls = 0, failures = 0;
  ctest_group("allocation failure at every allocation of a script");
  for (long fail_at = 1;; fail_at++) {
    heap_reset(fail_at);
    allocation_script();
    CHECK_INT_EQ(0, heap.live, "no leak when allocation %ld fails", fail_at);
    if (heap.injected == 0) {
      clean_calls = heap.calls;
      break;
    }
    failures++;
  }
  /* Every allocation of the clean run was made to fail once. */
  CHECK_INT_EQ(clean_calls, failures, "allocations failed one at a time");
  /* Members share the arena's chunks, so the script's allocations are the
  ** enums, chunks, list segments, index and table growths: about twenty. */
  CHECK(clean_calls > 15, "the script allocates through the configured allocator (%ld calls)", clean_calls);
}

/* ---- Concurrency ------------------------------------------------------------------- */

enum { WRITER_MEMBERS = 2000, READERS = 4, READER_DYNAMIC_NAMES = 50 };

static atomic_size_t published; /* members the writer has finished adding */
static atomic_int writer_done;
static atomic_long reader_rounds; /* rounds of all readers together */

typedef struct reader {
  pthread_t thread;
  dynenum_enum *e;
  uint64_t random;
  long rounds, failures;
  char first_failure[256];
  const dynenum_member *dynamic[READER_DYNAMIC_NAMES];
} reader;

static uint64_t reader_random(reader *r) {
  /* xorshift64: each thread its own sequence, no shared state. */
  r->random ^= r->random << 13;
  r->random ^= r->random >> 7;
  r->random ^= r->random << 17;
  return r->random;
}

static void reader_failed(reader *r, const char *what, size_t index) {
  if (r->failures++ == 0) snprintf(r->first_failure, sizeof r->first_failure, "%s (index %zu)", what, index);
}

/* One round of lookups; final is the round after the writer finished. */
static void reader_round(reader *r, int final) {
  char text[64];
  const dynenum_member *m = NULL;
  size_t n = atomic_load(&published);
  if (n) {
    size_t i = final ? r->rounds % n : (size_t)(reader_random(r) % n);
    snprintf(text, sizeof text, "Member-%04zu", i);
    if (dynenum_enum_find(r->e, text, strlen(text), &m) != DYNENUM_OK) reader_failed(r, "a published member was not found", i);
    else if (m->ordinal != (int64_t)i + 1 || m->dynamic) reader_failed(r, "a published member has the wrong ordinal", i);
    const dynenum_member *by_value = NULL;
    snprintf(text, sizeof text, "VALUE_%04zu", i);
    if (dynenum_enum_resolve(r->e, text, strlen(text), &by_value, NULL) != DYNENUM_OK || by_value != m) {
      reader_failed(r, "a published member did not resolve by value", i);
    }
  }
  /* Not yet published: either absent or already complete. */
  size_t ahead = n + (size_t)(reader_random(r) % 8);
  snprintf(text, sizeof text, "MEMBER_%04zu", ahead);
  if (dynenum_enum_find(r->e, text, strlen(text), &m) == DYNENUM_OK && m->ordinal != (int64_t)ahead + 1) {
    reader_failed(r, "an unpublished member has the wrong ordinal", ahead);
  }
  /* The last member iteration shows has the ordinal of the count. */
  size_t size = dynenum_enum_size(r->e);
  if (size < n) reader_failed(r, "the size went below the published count", size);
  if (size && ((m = dynenum_enum_member(r->e, size - 1)) == NULL || m->ordinal != (int64_t)size)) {
    reader_failed(r, "the last member has the wrong ordinal", size);
  }
  /* Dynamic names, interned by whichever thread comes first. */
  size_t k = (size_t)(reader_random(r) % READER_DYNAMIC_NAMES);
  snprintf(text, sizeof text, k % 2 ? "Dyn-%02zu" : "DYN_%02zu", k);
  if (dynenum_enum_resolve(r->e, text, strlen(text), &m, NULL) != DYNENUM_OK || !m->dynamic) {
    reader_failed(r, "a dynamic name did not resolve", k);
  } else if (r->dynamic[k] && r->dynamic[k] != m) {
    reader_failed(r, "a dynamic name resolved to two objects", k);
  } else {
    r->dynamic[k] = m;
  }
  r->rounds++;
}

static void *reader_main(void *arg) {
  reader *r = arg;
  while (!atomic_load(&writer_done)) {
    reader_round(r, 0);
    atomic_fetch_add(&reader_rounds, 1);
    /* The enum's lock prefers readers (glibc's default): without a pause
    ** four readers can keep the writer out for seconds. */
    sched_yield();
  }
  for (int i = 0; i < 100; i++) reader_round(r, 1);
  return NULL;
}

typedef struct writer {
  pthread_t thread;
  dynenum_enum *e;
  long failures;
  char first_failure[1100];
} writer;

static void *writer_main(void *arg) {
  writer *w = arg;
  char name[32], value[32];
  for (size_t i = 0; i < WRITER_MEMBERS; i++) {
    dynenum_error err;
    /* Let the readers look between any two additions, so that every
    ** addition meets lookups however the threads are scheduled. */
    long target = atomic_load(&reader_rounds) + READERS;
    while (atomic_load(&reader_rounds) < target) sched_yield();
    snprintf(name, sizeof name, "MEMBER_%04zu", i);
    snprintf(value, sizeof value, "value-%04zu", i);
    int rc = dynenum_enum_add(w->e, name, strlen(name), value, strlen(value), NULL, &err);
    if (rc != DYNENUM_OK && w->failures++ == 0) {
      snprintf(w->first_failure, sizeof w->first_failure, "add %s: %s", name, err.message);
    }
    atomic_store(&published, i + 1);
  }
  atomic_store(&writer_done, 1);
  return NULL;
}

static void test_concurrency(void) {
  static reader readers[READERS];
  writer w;
  dynenum_enum *e = NULL;
  ctest_group("concurrency: 4 readers while a writer adds 2,000 members");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, LIT("busy"), &e), "dynenum_enum_new(busy)");
  if (!e) return;
  atomic_store(&published, 0);
  atomic_store(&writer_done, 0);
  atomic_store(&reader_rounds, 0);
  memset(&w, 0, sizeof w);
  w.e = e;
  for (int i = 0; i < READERS; i++) {
    memset(&readers[i], 0, sizeof readers[i]);
    readers[i].e = e;
    readers[i].random = 0x9E3779B97F4A7C15u * (uint64_t)(i + 1);
    CHECK_INT_EQ(0, pthread_create(&readers[i].thread, NULL, reader_main, &readers[i]), "start reader %d", i);
  }
  CHECK_INT_EQ(0, pthread_create(&w.thread, NULL, writer_main, &w), "start the writer");
  pthread_join(w.thread, NULL);
  for (int i = 0; i < READERS; i++) pthread_join(readers[i].thread, NULL);

  if (!CHECK_INT_EQ(0, w.failures, "the writer's adds")) printf("  first:    %s\n", w.first_failure);
  for (int i = 0; i < READERS; i++) {
    if (!CHECK_INT_EQ(0, readers[i].failures, "reader %d's lookups", i)) {
      printf("  first:    %s\n", readers[i].first_failure);
    }
  }

  CHECK_INT_EQ(WRITER_MEMBERS, dynenum_enum_size(e), "every member is there");
  long out_of_place = 0;
  for (size_t i = 0; i < WRITER_MEMBERS; i++) {
    char name[32];
    const dynenum_member *m = dynenum_enum_member(e, i);
    snprintf(name, sizeof name, "MEMBER_%04zu", i);
    out_of_place += !m || m->ordinal != (int64_t)i + 1 || strcmp(m->name, name) != 0;
  }
  CHECK_INT_EQ(0, out_of_place, "members in order with gap-free ordinals");
  /* Every thread saw one object per dynamic name. */
  size_t seen = 0;
  for (int k = 0; k < READER_DYNAMIC_NAMES; k++) {
    char name[32];
    const dynenum_member *m = NULL;
    snprintf(name, sizeof name, "dyn_%02d", k);
    dynenum_enum_resolve(e, name, strlen(name), &m, NULL);
    int agree = 1, any = 0;
    for (int i = 0; i < READERS; i++) {
      if (readers[i].dynamic[k]) any = 1, agree &= readers[i].dynamic[k] == m;
    }
    seen += any;
    CHECK(agree, "all readers saw the same object for dyn_%02d", k);
  }
  CHECK_INT_EQ(READER_DYNAMIC_NAMES, dynenum_enum_dynamic_count(e), "one dynamic member per name");
  CHECK_INT_EQ(READER_DYNAMIC_NAMES, seen, "the readers met every dynamic name");
  dynenum_enum_release(e);
}

/* ---- Retirement and aliases racing lookups ----------------------------------
** A writer retires and un-retires members and adds aliases while readers
** look them up and run the strict checks: a lookup finds the member whatever
** its flag (retirement changes no lookup), check_current answers by one
** flag or the other, never anything else, and an alias is found whole or not
** at all.  Under make test-tsan this is the data-race check of the flag and
** of publishing aliases. */
enum { RETIRE_MEMBERS = 64, RETIRE_ROUNDS = 400 };

static atomic_int retire_done;
static atomic_size_t aliases_published;

typedef struct retire_reader {
  pthread_t thread;
  dynenum_enum *e;
  long rounds, failures;
  char first_failure[300];
} retire_reader;

static void retire_failed(retire_reader *r, const char *what, size_t index) {
  if (r->failures++ == 0) snprintf(r->first_failure, sizeof r->first_failure, "%s (index %zu)", what, index);
}

static void *retire_reader_main(void *arg) {
  retire_reader *r = arg;
  char text[64];
  for (size_t i = 0; !atomic_load(&retire_done) || r->rounds < 2 * RETIRE_MEMBERS; i = (i + 1) % RETIRE_MEMBERS) {
    const dynenum_member *m = NULL, *checked = NULL;
    dynenum_error err;
    snprintf(text, sizeof text, "r-%02zu", i);
    if (dynenum_enum_find(r->e, text, strlen(text), &m) != DYNENUM_OK || m->ordinal != (int64_t)i + 1) {
      retire_failed(r, "a member was not found while its flag changed", i);
    }
    if (dynenum_enum_check_member(r->e, text, strlen(text), &checked, &err) != DYNENUM_OK || checked != m) {
      retire_failed(r, "check_member refused a member while its flag changed", i);
    }
    int rc = dynenum_enum_check_current(r->e, text, strlen(text), &checked, &err);
    if (rc != DYNENUM_OK && rc != DYNENUM_RETIRED) retire_failed(r, "check_current gave neither answer", i);
    if (rc == DYNENUM_RETIRED && strstr(err.message, "is retired: ") == NULL) {
      retire_failed(r, "check_current's message does not say retired", i);
    }
    size_t aliases = atomic_load(&aliases_published);
    if (aliases) {
      size_t k = (size_t)r->rounds % aliases;
      snprintf(text, sizeof text, "Alias-%02zu", k);
      if (dynenum_enum_find(r->e, text, strlen(text), &m) != DYNENUM_OK || m->ordinal != (int64_t)k + 1) {
        retire_failed(r, "a published alias was not found, or names another member", k);
      }
    }
    r->rounds++;
    sched_yield();
  }
  return NULL;
}

static void test_retire_concurrency(void) {
  static retire_reader readers[READERS];
  dynenum_enum *e = NULL;
  char name[32];
  ctest_group("concurrency: 4 readers while a writer retires, un-retires and adds aliases");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, LIT("flags"), &e), "dynenum_enum_new(flags)");
  if (!e) return;
  for (int i = 0; i < RETIRE_MEMBERS; i++) {
    snprintf(name, sizeof name, "R_%02d", i);
    dynenum_enum_add(e, name, strlen(name), NULL, 0, NULL, NULL);
  }
  atomic_store(&retire_done, 0);
  atomic_store(&aliases_published, 0);
  for (int i = 0; i < READERS; i++) {
    memset(&readers[i], 0, sizeof readers[i]);
    readers[i].e = e;
    CHECK_INT_EQ(0, pthread_create(&readers[i].thread, NULL, retire_reader_main, &readers[i]), "start reader %d", i);
  }
  long writer_failures = 0;
  for (int round = 0; round < RETIRE_ROUNDS; round++) {
    const dynenum_member *m = dynenum_enum_member(e, (size_t)(round * 7 % RETIRE_MEMBERS));
    writer_failures += dynenum_enum_set_retired(e, m, !dynenum_member_is_retired(m)) != DYNENUM_OK;
    if (round % 8 == 0 && atomic_load(&aliases_published) < RETIRE_MEMBERS) {
      size_t k = atomic_load(&aliases_published);
      char alias[32];
      snprintf(alias, sizeof alias, "Alias-%02zu", k);
      snprintf(name, sizeof name, "R_%02zu", k);
      writer_failures += dynenum_enum_add_alias(e, alias, strlen(alias), name, strlen(name), NULL, NULL) != DYNENUM_OK;
      atomic_store(&aliases_published, k + 1);
    }
    sched_yield();
  }
  atomic_store(&retire_done, 1);
  for (int i = 0; i < READERS; i++) pthread_join(readers[i].thread, NULL);
  CHECK_INT_EQ(0, writer_failures, "every retirement and alias was accepted");
  for (int i = 0; i < READERS; i++) {
    if (!CHECK_INT_EQ(0, readers[i].failures, "reader %d's lookups", i)) printf("  first:    %s\n", readers[i].first_failure);
  }
  size_t retired = 0;
  for (size_t i = 0; i < RETIRE_MEMBERS; i++) retired += (size_t)dynenum_member_is_retired(dynenum_enum_member(e, i));
  /* Member i*7 % 64 was toggled once per round that chose it. */
  size_t expected = 0;
  for (int i = 0; i < RETIRE_MEMBERS; i++) {
    int toggles = 0;
    for (int round = 0; round < RETIRE_ROUNDS; round++) toggles += round * 7 % RETIRE_MEMBERS == i;
    expected += (size_t)(toggles % 2);
  }
  CHECK_INT_EQ((long)expected, (long)retired, "the flags are what the toggles left");
  CHECK_INT_EQ(RETIRE_ROUNDS / 8, (long)dynenum_enum_alias_count(e), "every alias is there");
  dynenum_enum_release(e);
}

/* A finder that keeps finding and releasing the published enum while the
** main thread lets go of its own references: a find never brings back an
** enum being freed (TSan and ASan would say). */
typedef struct finder {
  pthread_t thread;
  long found;
} finder;

static void *finder_main(void *arg) {
  finder *f = arg;
  for (int i = 0; i < 20000; i++) {
    dynenum_enum *e;
    if (dynenum_enum_find_published(LIT("race"), &e) == DYNENUM_OK) {
      f->found += dynenum_enum_size(e) == 1;
      dynenum_enum_release(e);
    }
  }
  return NULL;
}

static void test_published(void) {
  dynenum_config config = counting_config(0);
  dynenum_enum *e = NULL, *other = NULL, *got = NULL;
  const dynenum_member *m = NULL;
  dynenum_error err;
  ctest_group("published enums: found by name, read-only, gone with the last reference");
  heap_reset(0);
  CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_find_published(LIT("version-1"), &got), "nothing published yet");
  CHECK(got == NULL, "not found gives NULL");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(&config, LIT("version-1"), &e), "new");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_add(e, LIT("RED"), NULL, 0, &m, &err), "add before publishing");
  CHECK(!dynenum_enum_is_published(e), "not published yet");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_publish(e, LIT("version-1"), &got), "publish");
  CHECK_PTR_EQ(e, got, "publish gives the enum back");
  dynenum_enum_release(got);
  CHECK(dynenum_enum_is_published(e), "published");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add(e, LIT("BLUE"), NULL, 0, NULL, &err), "add after publishing");
  CHECK_STR_EQ("cannot change enum 'version-1': it is published, and read-only", err.message, "its message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add_alias(e, LIT("ROUGE"), LIT("RED"), NULL, &err), "alias");
  CHECK_STR_EQ("cannot change enum 'version-1': it is published, and read-only", err.message, "alias message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_set_retired(e, m, 1), "retire");
  CHECK_INT_EQ(0, dynenum_member_is_retired(m), "not retired");
  CHECK_INT_EQ(1, dynenum_enum_size(e), "still one member");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_find(e, LIT("red"), &m), "lookups as before");

  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(&config, LIT("other"), &other), "another enum");
  CHECK_INT_EQ(DYNENUM_EXISTS, dynenum_enum_publish(other, LIT("version-1"), &got), "publishing it under the same key finds the first");
  CHECK_PTR_EQ(e, got, "the first one comes back");
  CHECK(!dynenum_enum_is_published(other), "the second stays unpublished");
  dynenum_enum_release(got);
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_add(other, LIT("GREEN"), NULL, 0, NULL, &err), "and can still change");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_publish(other, NULL, 2, &got), "a NULL key");
  heap.fail_at = heap.calls + 1;
  CHECK_INT_EQ(DYNENUM_NOMEM, dynenum_enum_publish(other, LIT("version-2"), &got), "no memory for the key");
  CHECK(!dynenum_enum_is_published(other) && got == NULL, "nothing published");
  dynenum_enum_release(other);
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_find_published(LIT("version-1"), &got), "find");
  CHECK_PTR_EQ(e, got, "finds the published one");
  dynenum_enum_release(got);
  CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_find_published(LIT("version-2"), &got), "other names: none");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_publish(NULL, LIT("k"), &got), "publish NULL");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_publish(e, LIT("k"), NULL), "publish into NULL");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_publish(e, LIT("version-3"), &got), "publish twice");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_find_published(NULL, 3, &got), "find NULL name");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_find_published(LIT("x"), NULL), "find into NULL");
  CHECK(!dynenum_enum_is_published(NULL), "NULL is not published");
  dynenum_enum_release(e);
  CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_find_published(LIT("version-1"), &got), "gone with the last reference");
  CHECK_INT_EQ(0, heap.live, "and freed");

  ctest_group("published enums: finding races the last release");
  for (int round = 0; round < 20; round++) {
    finder f[2];
    dynenum_enum *race;
    if (dynenum_enum_new(NULL, LIT("race"), &race) != DYNENUM_OK) break;
    dynenum_enum_add(race, LIT("ONE"), NULL, 0, NULL, &err);
    CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_publish(race, LIT("race"), &got), "publish round %d", round);
    dynenum_enum_release(got);
    for (int i = 0; i < 2; i++) {
      f[i].found = 0;
      CHECK_INT_EQ(0, pthread_create(&f[i].thread, NULL, finder_main, &f[i]), "start finder %d", i);
    }
    dynenum_enum_release(race); /* perhaps the last, perhaps not */
    for (int i = 0; i < 2; i++) pthread_join(f[i].thread, NULL);
    CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_find_published(LIT("race"), &got), "gone after round %d", round);
  }
}

int main(void) {
  test_registry();
  test_published();
  test_members();
  test_add_errors();
  test_implied_value_limits();
  test_add_new_member();
  test_dynamic_members();
  test_allocation_failures();
  test_concurrency();
  test_retire_concurrency();
  return ctest_finish();
}
