/*
** alias_test.c: aliases, retirement and the strict checks of the enum core
** (ext/core/enum.c; docs/SPEC.md section 11), through dynenum.h only.
**
** Covered here:
**   - aliases: they resolve to their member (value, ordinal, any spelling),
**     are never iterated as members, obey every naming rule, and every
**     collision among names, values and aliases is refused with its message;
**     an alias that shares its own member's key is another spelling;
**   - retirement: a flag on a member, reversible, that changes no lookup;
**   - dynenum_enum_check_member and check_current: the messages with the
**     list of names, its cut, the count, and "did you mean";
**   - allocation failure at every allocation of adding aliases, with no
**     leak, through a counting allocator.
*/
#define _POSIX_C_SOURCE 200809L

#include "dynenum.h"
#include "ctest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIT(s) (s), (sizeof(s) - 1)

#include "counting_heap.h"

/* ---- Helpers ------------------------------------------------------------------ */

static dynenum_enum *endpoint_enum(void) {
  dynenum_enum *e = NULL;
  dynenum_error err;
  if (dynenum_enum_new(NULL, LIT("endpoint_type"), &e) != DYNENUM_OK) exit(1);
  const char *members[][2] = {{"OPENAI_CHAT", NULL}, {"ANTHROPIC_CHAT", "anthropic_chat"},
                              {"Legacy Completions", "completions"}};
  for (int i = 0; i < 3; i++) {
    const char *value = members[i][1];
    int rc = dynenum_enum_add(e, members[i][0], strlen(members[i][0]), value, value ? strlen(value) : 0, NULL, &err);
    if (!CHECK_INT_EQ(DYNENUM_OK, rc, "add %s", members[i][0])) printf("  message:  %s\n", err.message);
  }
  return e;
}

static const dynenum_alias *alias(dynenum_enum *e, const char *name, const char *target) {
  const dynenum_alias *a = NULL;
  dynenum_error err;
  int rc = dynenum_enum_add_alias(e, name, strlen(name), target, strlen(target), &a, &err);
  if (!CHECK_INT_EQ(DYNENUM_OK, rc, "alias %s = %s", name, target)) printf("  message:  %s\n", err.message);
  return a;
}

/* Checks that adding the alias fails with code and message, changing nothing. */
static void check_alias_fails(dynenum_enum *e, const char *name, size_t name_len, const char *target, int code,
                              const char *message) {
  dynenum_error err;
  const dynenum_alias *a = NULL;
  size_t aliases = dynenum_enum_alias_count(e), members = dynenum_enum_size(e);
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(code, dynenum_enum_add_alias(e, name, name_len, target, strlen(target), &a, &err), "alias %s: code",
               message);
  CHECK_INT_EQ(code, err.code, "alias %s: err.code", message);
  CHECK_STR_EQ(message, err.message, "alias: message");
  CHECK_INT_EQ(aliases, dynenum_enum_alias_count(e), "alias %s: no alias added", message);
  CHECK_INT_EQ(members, dynenum_enum_size(e), "alias %s: no member added", message);
}

static void check_add_fails(dynenum_enum *e, const char *name, const char *value, const char *message) {
  dynenum_error err;
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_COLLISION,
               dynenum_enum_add(e, name, strlen(name), value, value ? strlen(value) : 0, NULL, &err), "add %s", name);
  CHECK_STR_EQ(message, err.message, "add %s: message", name);
}

static const dynenum_member *find(dynenum_enum *e, const char *s) {
  const dynenum_member *m = NULL;
  return dynenum_enum_find(e, s, strlen(s), &m) == DYNENUM_OK ? m : NULL;
}

/* The message of a strict check of s (current set: check_current). */
static const char *strict_message(dynenum_enum *e, const char *s, int current, int code) {
  static dynenum_error err;
  const dynenum_member *m = NULL;
  memset(&err, 0, sizeof err);
  int rc = current ? dynenum_enum_check_current(e, s, strlen(s), &m, &err)
                   : dynenum_enum_check_member(e, s, strlen(s), &m, &err);
  CHECK_INT_EQ(code, rc, "strict check of '%s'", s);
  return err.message;
}

/* ---- Aliases ------------------------------------------------------------------ */

static void test_aliases(void) {
  ctest_group("aliases resolve to their member and are not members");
  dynenum_enum *e = endpoint_enum();
  const dynenum_member *chat = find(e, "openai_chat"), *legacy = find(e, "completions");
  const dynenum_alias *openai = alias(e, "OPENAI", "OPENAI_CHAT");
  const dynenum_alias *old = alias(e, "old-completions", "Completions"); /* the target by its value */
  const dynenum_alias *chained = alias(e, "GPT", "openai"); /* by an alias: the member itself */
  CHECK_INT_EQ(3, dynenum_enum_size(e), "aliases are not members");
  CHECK_INT_EQ(3, dynenum_enum_alias_count(e), "three aliases");
  CHECK_PTR_EQ(openai, dynenum_enum_alias(e, 0), "aliases in the order added");
  CHECK_PTR_EQ(chained, dynenum_enum_alias(e, 2), "the third alias");
  CHECK_PTR_EQ(NULL, dynenum_enum_alias(e, 3), "no fourth alias");
  CHECK_STR_EQ("OPENAI", openai ? openai->name : "", "the alias's name");
  CHECK_PTR_EQ(chat, openai ? openai->member : NULL, "OPENAI is an alias of OPENAI_CHAT");
  CHECK_PTR_EQ(chat, chained ? chained->member : NULL, "GPT names OPENAI_CHAT, not an alias");
  CHECK_PTR_EQ(legacy, old ? old->member : NULL, "old-completions names Legacy Completions");
  CHECK_PTR_EQ(chat, find(e, "OpenAI"), "an alias finds its member, in any spelling");
  CHECK_PTR_EQ(legacy, find(e, "OLD_COMPLETIONS"), "old_completions finds Legacy Completions");
  const dynenum_member *m = NULL;
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(e, LIT("gpt"), &m, NULL), "resolve an alias");
  CHECK_PTR_EQ(chat, m, "resolve gives the member");
  CHECK_INT_EQ(1, m ? m->ordinal : 0, "with its ordinal");
  CHECK_INT_EQ(0, dynenum_enum_dynamic_count(e), "nothing interned");
  /* Another spelling of its own member's key is an alias too: it changes
  ** no result. */
  const dynenum_alias *spelling = alias(e, "OpenAI-Chat", "openai_chat");
  CHECK_PTR_EQ(chat, spelling ? spelling->member : NULL, "a spelling of the member's own key");
  CHECK_PTR_EQ(chat, find(e, "OPENAI-CHAT"), "still the member");
  dynenum_enum_release(e);
}

static void test_alias_errors(void) {
  ctest_group("every refused alias, with its message");
  dynenum_enum *e = endpoint_enum();
  alias(e, "OPENAI", "OPENAI_CHAT");
  check_alias_fails(e, LIT("CLAUDE"), "anthropic", DYNENUM_NOTFOUND,
                    "alias 'CLAUDE' of unknown member 'anthropic' in enum 'endpoint_type'");
  check_alias_fails(e, LIT(""), "ANTHROPIC_CHAT", DYNENUM_EMPTY, "empty name in enum 'endpoint_type'");
  check_alias_fails(e, LIT("_CLAUDE"), "ANTHROPIC_CHAT", DYNENUM_RESERVED,
                    "reserved name '_CLAUDE' in enum 'endpoint_type'");
  check_alias_fails(e, LIT("-CLAUDE"), "ANTHROPIC_CHAT", DYNENUM_RESERVED,
                    "reserved name '-CLAUDE' in enum 'endpoint_type'");
  check_alias_fails(e, LIT("CL\x01" "AUDE"), "ANTHROPIC_CHAT", DYNENUM_BADCHAR,
                    "control character U+0001 in name 'CL\\x01AUDE' in enum 'endpoint_type'");
  check_alias_fails(e, LIT("CL\xff"), "ANTHROPIC_CHAT", DYNENUM_MALFORMED,
                    "malformed UTF-8 in name 'CL\\xff' in enum 'endpoint_type'");
  char long_name[300];
  memset(long_name, 'k', sizeof long_name);
  check_alias_fails(e, long_name, 256, "ANTHROPIC_CHAT", DYNENUM_TOOLONG,
                    "name 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' too long (256 bytes, at most 255) in "
                    "enum 'endpoint_type'");
  /* Collisions with another member's name, value and alias. */
  check_alias_fails(e, LIT("Anthropic-Chat"), "OPENAI_CHAT", DYNENUM_COLLISION,
                    "alias 'Anthropic-Chat' collides with member 'ANTHROPIC_CHAT' in enum 'endpoint_type' (same key "
                    "'anthropic_chat')");
  check_alias_fails(e, LIT("COMPLETIONS"), "OPENAI_CHAT", DYNENUM_COLLISION,
                    "alias 'COMPLETIONS' collides with member 'Legacy Completions' in enum 'endpoint_type' (same key "
                    "'completions')");
  check_alias_fails(e, LIT("openai"), "ANTHROPIC_CHAT", DYNENUM_COLLISION,
                    "alias 'openai' collides with alias 'OPENAI' of member 'OPENAI_CHAT' in enum 'endpoint_type' "
                    "(same key 'openai')");
  /* The same name again, of the same member. */
  check_alias_fails(e, LIT("OPENAI"), "OPENAI_CHAT", DYNENUM_COLLISION,
                    "alias 'OPENAI' is already a name of member 'OPENAI_CHAT' in enum 'endpoint_type'");
  check_alias_fails(e, LIT("OPENAI_CHAT"), "openai", DYNENUM_COLLISION,
                    "alias 'OPENAI_CHAT' is already a name of member 'OPENAI_CHAT' in enum 'endpoint_type'");
  /* Members added later meet the aliases too. */
  check_add_fails(e, "OpenAI", NULL,
                  "member 'OpenAI' collides with alias 'OPENAI' of member 'OPENAI_CHAT' in enum 'endpoint_type' (same "
                  "key 'openai')");
  check_add_fails(e, "GPT", "OpenAI",
                  "value 'OpenAI' of member 'GPT' collides with alias 'OPENAI' of member 'OPENAI_CHAT' in enum "
                  "'endpoint_type' (same key 'openai')");
  check_add_fails(e, "OPENAI", NULL,
                  "member 'OPENAI' collides with alias 'OPENAI' of member 'OPENAI_CHAT' in enum 'endpoint_type' (same "
                  "key 'openai')");
  dynenum_error err;
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add_alias(NULL, LIT("X"), LIT("Y"), NULL, &err), "NULL enum");
  CHECK_STR_EQ("dynenum_enum_add_alias(): NULL argument", err.message, "NULL enum: message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add_alias(e, NULL, 1, LIT("Y"), NULL, NULL), "NULL name");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add_alias(e, LIT("X"), NULL, 1, NULL, NULL), "NULL target");
  CHECK_INT_EQ(DYNENUM_EMPTY, dynenum_enum_add_alias(e, NULL, 0, LIT("OPENAI"), NULL, NULL), "NULL empty name");
  dynenum_enum_release(e);
}

/* Adding many aliases grows the table and the array. */
static void test_many_aliases(void) {
  ctest_group("a thousand aliases");
  dynenum_enum *e = endpoint_enum();
  char name[32];
  int wrong = 0;
  for (int i = 0; i < 1000; i++) {
    snprintf(name, sizeof name, "ALIAS_%04d", i);
    if (dynenum_enum_add_alias(e, name, strlen(name), LIT("ANTHROPIC_CHAT"), NULL, NULL) != DYNENUM_OK) wrong++;
  }
  CHECK_INT_EQ(0, wrong, "every alias added");
  for (int i = 0; i < 1000; i++) {
    snprintf(name, sizeof name, "alias-%04d", i);
    const dynenum_member *m = find(e, name);
    wrong += !m || m->ordinal != 2;
    wrong += strcmp(dynenum_enum_alias(e, (size_t)i)->name + 6, name + 6) != 0;
  }
  CHECK_INT_EQ(0, wrong, "every alias found, in order");
  dynenum_enum_release(e);
}

/* ---- Retirement --------------------------------------------------------------- */

static void test_retirement(void) {
  ctest_group("retirement is a flag that changes no lookup");
  dynenum_enum *e = endpoint_enum(), *other = endpoint_enum();
  const dynenum_member *legacy = find(e, "completions"), *m = NULL;
  CHECK_INT_EQ(0, dynenum_member_is_retired(legacy), "not retired at first");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_set_retired(e, legacy, 1), "retire");
  CHECK_INT_EQ(1, dynenum_member_is_retired(legacy), "retired");
  CHECK_PTR_EQ(legacy, find(e, "Legacy Completions"), "still found");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(e, LIT("COMPLETIONS"), &m, NULL), "still resolves");
  CHECK_PTR_EQ(legacy, m, "to itself");
  CHECK_INT_EQ(3, dynenum_enum_size(e), "still a member");
  CHECK_PTR_EQ(legacy, dynenum_enum_member(e, 2), "still listed");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_set_retired(e, legacy, 7), "any true value retires");
  CHECK_INT_EQ(1, dynenum_member_is_retired(legacy), "the flag is 1");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_set_retired(e, legacy, 0), "reversible");
  CHECK_INT_EQ(0, dynenum_member_is_retired(legacy), "not retired again");
  /* Only a real member of that enum. */
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_set_retired(other, legacy, 1), "a member of another enum");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_set_retired(e, NULL, 1), "no member");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_set_retired(NULL, legacy, 1), "no enum");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(e, LIT("teal"), &m, NULL), "a dynamic member");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_set_retired(e, m, 1), "a dynamic member cannot be retired");
  CHECK_INT_EQ(0, dynenum_member_is_retired(m), "a dynamic member is never retired");
  CHECK_INT_EQ(0, dynenum_member_is_retired(NULL), "nor is no member");
  dynenum_enum_release(e);
  dynenum_enum_release(other);
}

/* ---- Strict checks ------------------------------------------------------------ */

static void test_strict_checks(void) {
  ctest_group("strict checks: members accepted, the rest explained");
  dynenum_enum *e = endpoint_enum();
  const dynenum_member *m = NULL;
  alias(e, "OPENAI", "OPENAI_CHAT");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_check_member(e, LIT("openai"), &m, NULL), "an alias is accepted");
  CHECK_INT_EQ(1, m ? m->ordinal : 0, "as its member");
  CHECK_STR_EQ("invalid value 'opnai_chat' for enum 'endpoint_type': expected one of OPENAI_CHAT, ANTHROPIC_CHAT, "
               "Legacy Completions (3 members); did you mean 'openai_chat'?",
               strict_message(e, "opnai_chat", 0, DYNENUM_NOTFOUND), "a typo, with its suggestion");
  CHECK_STR_EQ("invalid value 'Antrhopic-Chat' for enum 'endpoint_type': expected one of OPENAI_CHAT, "
               "ANTHROPIC_CHAT, Legacy Completions (3 members); did you mean 'anthropic_chat'?",
               strict_message(e, "Antrhopic-Chat", 0, DYNENUM_NOTFOUND), "two letters swapped are one edit");
  CHECK_STR_EQ("invalid value 'OPENA' for enum 'endpoint_type': expected one of OPENAI_CHAT, ANTHROPIC_CHAT, Legacy "
               "Completions (3 members); did you mean 'OPENAI'?",
               strict_message(e, "OPENA", 0, DYNENUM_NOTFOUND), "an alias is suggested as written");
  CHECK_STR_EQ("invalid value 'mistral' for enum 'endpoint_type': expected one of OPENAI_CHAT, ANTHROPIC_CHAT, "
               "Legacy Completions (3 members)",
               strict_message(e, "mistral", 0, DYNENUM_NOTFOUND), "nothing close: no suggestion");
  CHECK_STR_EQ("invalid value 'ab' for enum 'endpoint_type': expected one of OPENAI_CHAT, ANTHROPIC_CHAT, Legacy "
               "Completions (3 members)",
               strict_message(e, "ab", 0, DYNENUM_NOTFOUND), "a short input is close to nothing");
  CHECK_STR_EQ("invalid value '' for enum 'endpoint_type': expected one of OPENAI_CHAT, ANTHROPIC_CHAT, Legacy "
               "Completions (3 members)",
               strict_message(e, "", 0, DYNENUM_NOTFOUND), "the empty string");
  /* Retired: still a member for check_member, refused by check_current. */
  dynenum_enum_set_retired(e, find(e, "completions"), 1);
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_check_member(e, LIT("completions"), &m, NULL), "a retired member is one");
  CHECK_STR_EQ("member 'Legacy Completions' of enum 'endpoint_type' is retired: expected one of OPENAI_CHAT, "
               "ANTHROPIC_CHAT (2 members)",
               strict_message(e, "COMPLETIONS", 1, DYNENUM_RETIRED), "check_current refuses a retired member");
  CHECK_STR_EQ("invalid value 'completion' for enum 'endpoint_type': expected one of OPENAI_CHAT, ANTHROPIC_CHAT (2 "
               "members)",
               strict_message(e, "completion", 1, DYNENUM_NOTFOUND), "a retired member is neither listed nor suggested");
  /* check_member accepts a retired member, so its message lists, counts
  ** and suggests it (review 14: the count left it out). */
  CHECK_STR_EQ("invalid value 'completion' for enum 'endpoint_type': expected one of OPENAI_CHAT, ANTHROPIC_CHAT, "
               "Legacy Completions (3 members); did you mean 'completions'?",
               strict_message(e, "completion", 0, DYNENUM_NOTFOUND), "check_member: what it accepts, retired too");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_check_current(e, LIT("Anthropic_Chat"), &m, NULL), "current members pass");
  dynenum_enum_set_retired(e, find(e, "openai_chat"), 1);
  CHECK_STR_EQ("member 'OPENAI_CHAT' of enum 'endpoint_type' is retired: expected ANTHROPIC_CHAT (1 member)",
               strict_message(e, "openai", 1, DYNENUM_RETIRED), "one member left; an alias names its member");
  dynenum_enum_set_retired(e, find(e, "anthropic_chat"), 1);
  CHECK_STR_EQ("invalid value 'x' for enum 'endpoint_type': it has no members that are not retired",
               strict_message(e, "x", 1, DYNENUM_NOTFOUND), "every member retired");
  CHECK_STR_EQ("invalid value 'x' for enum 'endpoint_type': expected one of OPENAI_CHAT, ANTHROPIC_CHAT, Legacy "
               "Completions (3 members)",
               strict_message(e, "x", 0, DYNENUM_NOTFOUND), "every member retired: check_member still lists them");
  dynenum_enum_release(e);

  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, LIT("empty"), &e), "an enum without members");
  CHECK_STR_EQ("invalid value 'x' for enum 'empty': it has no members", strict_message(e, "x", 0, DYNENUM_NOTFOUND),
               "no members at all");
  dynenum_error err;
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_check_member(e, NULL, 1, &m, &err), "NULL input");
  CHECK_STR_EQ("dynenum_enum_check_member(): NULL argument", err.message, "NULL input: message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_check_current(NULL, LIT("x"), &m, &err), "NULL enum");
  CHECK_STR_EQ("dynenum_enum_check_current(): NULL argument", err.message, "check_current names itself");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_check_member(e, LIT("x"), NULL, NULL), "NULL out");
  CHECK_INT_EQ(DYNENUM_NOTFOUND, dynenum_enum_check_member(e, NULL, 0, &m, NULL), "NULL empty input");
  dynenum_enum_release(e);
}

static void test_strict_lists(void) {
  ctest_group("strict checks: the list is cut, suggestions must be unambiguous");
  dynenum_enum *e = NULL;
  char name[300];
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, LIT("colour"), &e), "colour");
  const char *colours[] = {"RED", "GREEN", "BLUE", "CYAN", "MAGENTA", "YELLOW", "BLACK", "WHITE", "GREY", "ORANGE",
                           "PURPLE", "BROWN"};
  for (int i = 0; i < 12; i++) dynenum_enum_add(e, colours[i], strlen(colours[i]), NULL, 0, NULL, NULL);
  CHECK_STR_EQ("invalid value 'pink' for enum 'colour': expected one of RED, GREEN, BLUE, CYAN, MAGENTA, YELLOW, "
               "BLACK, WHITE, \xe2\x80\xa6 (12 members)",
               strict_message(e, "pink", 0, DYNENUM_NOTFOUND), "at most 8 names");
  /* The suggestion is the value, the key of the name. */
  CHECK_STR_EQ("invalid value 'bleu' for enum 'colour': expected one of RED, GREEN, BLUE, CYAN, MAGENTA, YELLOW, "
               "BLACK, WHITE, \xe2\x80\xa6 (12 members); did you mean 'blue'?",
               strict_message(e, "bleu", 0, DYNENUM_NOTFOUND), "a swap");
  CHECK_STR_EQ("invalid value 'gray' for enum 'colour': expected one of RED, GREEN, BLUE, CYAN, MAGENTA, YELLOW, "
               "BLACK, WHITE, \xe2\x80\xa6 (12 members); did you mean 'grey'?",
               strict_message(e, "gray", 0, DYNENUM_NOTFOUND), "a replacement");
  /* "browx" is one edit from BROWN and from BROWS: no suggestion. */
  dynenum_enum_add(e, LIT("BROWS"), NULL, 0, NULL, NULL);
  CHECK_STR_EQ("invalid value 'browx' for enum 'colour': expected one of RED, GREEN, BLUE, CYAN, MAGENTA, YELLOW, "
               "BLACK, WHITE, \xe2\x80\xa6 (13 members)",
               strict_message(e, "browx", 0, DYNENUM_NOTFOUND), "two members one edit away: no suggestion");
  dynenum_enum_release(e);

  /* A listed name cannot forge the list's punctuation: its commas,
  ** parentheses, semicolons and ellipses are escaped (review 14). */
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, LIT("f"), &e), "f");
  dynenum_enum_add(e, LIT("A"), NULL, 0, NULL, NULL);
  dynenum_enum_add(e, LIT("B (2 members); did you mean 'x'?"), NULL, 0, NULL, NULL);
  dynenum_enum_add(e, LIT("C, D, \xe2\x80\xa6"), NULL, 0, NULL, NULL);
  CHECK_STR_EQ("invalid value 'zzz' for enum 'f': expected one of A, B \\x282 members\\x29\\x3b did you mean 'x'?, "
               "C\\x2c D\\x2c \\xe2\\x80\\xa6 (3 members)",
               strict_message(e, "zzz", 0, DYNENUM_NOTFOUND), "a name's punctuation is escaped in the list");
  CHECK_STR_EQ("invalid value 'C, D, \xe2\x80\xa5' for enum 'f': expected one of A, B \\x282 members\\x29\\x3b did "
               "you mean 'x'?, C\\x2c D\\x2c \\xe2\\x80\\xa6 (3 members); did you mean 'c, d, \xe2\x80\xa6'?",
               strict_message(e, "C, D, \xe2\x80\xa5", 0, DYNENUM_NOTFOUND),
               "the input and the suggestion are quoted as everywhere else");
  dynenum_enum_release(e);

  /* Long names: the list stops before the message would overflow. */
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, LIT("long"), &e), "long");
  for (int i = 0; i < 10; i++) {
    memset(name, 'a' + i, 200);
    dynenum_enum_add(e, name, 200, NULL, 0, NULL, NULL);
  }
  memset(name, 'a', 200);
  name[199] = 'z';
  name[200] = 0;
  const char *message = strict_message(e, name, 0, DYNENUM_NOTFOUND);
  char expected[1024], a48[49], b48[49], c48[49], hint[49];
  memset(a48, 'a', 48), a48[48] = 0;
  memset(b48, 'b', 48), b48[48] = 0;
  memset(c48, 'c', 48), c48[48] = 0;
  memcpy(hint, a48, 49);
  snprintf(expected, sizeof expected,
           "invalid value '%s...' for enum 'long': expected one of %s..., %s..., %s..., %s..., %s..., \xe2\x80\xa6 (10 "
           "members); did you mean '%s...'?",
           a48, a48, b48, c48, "dddddddddddddddddddddddddddddddddddddddddddddddd",
           "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", hint);
  CHECK_STR_EQ(expected, message, "five long names, then the cut");
  CHECK(strlen(message) < 1000, "the message fits (%zu bytes)", strlen(message));
  dynenum_enum_release(e);
}

/* ---- Allocation failures ------------------------------------------------------ */

static void alias_script(void) {
  dynenum_config config = counting_config(0);
  dynenum_enum *e = NULL;
  char name[32];
  if (dynenum_enum_new(&config, LIT("colour"), &e) != DYNENUM_OK) return;
  if (dynenum_enum_add(e, LIT("RED"), NULL, 0, NULL, NULL) != DYNENUM_OK) {
    dynenum_enum_release(e); /* the member's own allocations, failed in core_test */
    return;
  }
  for (int i = 0; i < 20; i++) {
    snprintf(name, sizeof name, "CRIMSON_%02d", i);
    int rc = dynenum_enum_add_alias(e, name, strlen(name), LIT("red"), NULL, NULL);
    if (rc != DYNENUM_OK && rc != DYNENUM_NOMEM) heap.injected += 1000; /* noticed below */
    /* A failed add changed nothing: the alias is absent. */
    if (rc == DYNENUM_NOMEM && find(e, name)) heap.injected += 1000;
  }
  dynenum_enum_release(e);
}

static void test_alias_allocation_failures(void) {
  long clean = 0, failures = 0;
  ctest_group("allocation failure at every allocation of adding aliases");
  for (long fail_at = 1;; fail_at++) {
    heap_reset(fail_at);
    alias_script();
    CHECK_INT_EQ(0, heap.live, "no leak when allocation %ld fails", fail_at);
    CHECK(heap.injected < 1000, "only NOMEM, and nothing half added, when allocation %ld fails", fail_at);
    if (heap.injected == 0) {
      clean = heap.calls;
      break;
    }
    failures++;
  }
  CHECK_INT_EQ(clean, failures, "every allocation failed once");
  CHECK(clean > 5, "adding aliases allocates (%ld calls)", clean);
}

int main(void) {
  test_aliases();
  test_alias_errors();
  test_many_aliases();
  test_retirement();
  test_strict_checks();
  test_strict_lists();
  test_alias_allocation_failures();
  return ctest_finish();
}
