/*
** edge_test.c: the edges of the enum core that the other C tests leave
** alone, each with its answer pinned:
**
**   - NULL where the API takes a pointer: DYNENUM_MISUSE and its message,
**     and NULL with length 0 taken as the empty string;
**   - a configuration with only part of an allocator (the C library's is
**     used, the cap kept), and userdata replaced (the old one destroyed);
**   - removal from the registry's hash table, whose probe runs wrap around
**     the end of the table (the backward shift that keeps lookups correct);
**   - dynenum_quote with a buffer smaller than DYNENUM_QUOTE_SIZE, and the
**     invisible characters it escapes; dynenum_errstr of an unknown code;
**   - locks that cannot be taken or made: every pthread call of the core
**     that can fail is made to fail here, and each caller must report
**     DYNENUM_LOCK (with its message), change nothing and leak nothing;
**   - a member added, or a dynamic member interned, by someone else between
**     a lookup's first search and its taking the writer lock: the lookup
**     must find that one rather than intern a second.
**
** The pthread functions are replaced for the whole program by the ones
** below (a definition in the program comes before the C library's), which
** pass every call on to the real function unless a test asks for a
** failure or for something to run first.  The tests are single-threaded.
*/
#define _GNU_SOURCE /* RTLD_NEXT */

#include "dynenum.h"
#include "ctest.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIT(s) (s), (sizeof(s) - 1)

/* ---- pthread calls that fail on demand -------------------------------------- */

static struct {
  int rwlock_init, mutex_init, rdlock, wrlock, mutex_lock; /* fail the next call of each */
  void (*before_mutex_lock)(void); /* runs once, before the next mutex lock */
} faults;

/* The C library's function called name. */
static void *real_function(const char *name) {
  void *f = dlsym(RTLD_NEXT, name);
  if (!f) {
    printf("edge_test: cannot find the real %s\n", name);
    exit(2);
  }
  return f;
}

/* Whether to fail this call (and not the next): clears the flag. */
static int take_fault(int *flag) {
  if (!*flag) return 0;
  *flag = 0;
  return 1;
}

int pthread_rwlock_init(pthread_rwlock_t *restrict lock, const pthread_rwlockattr_t *restrict attr) {
  static int (*real)(pthread_rwlock_t *restrict, const pthread_rwlockattr_t *restrict);
  if (take_fault(&faults.rwlock_init)) return EAGAIN;
  if (!real) real = (int (*)(pthread_rwlock_t *restrict, const pthread_rwlockattr_t *restrict))real_function("pthread_rwlock_init");
  return real(lock, attr);
}

int pthread_mutex_init(pthread_mutex_t *restrict mutex, const pthread_mutexattr_t *restrict attr) {
  static int (*real)(pthread_mutex_t *restrict, const pthread_mutexattr_t *restrict);
  if (take_fault(&faults.mutex_init)) return EAGAIN;
  if (!real) real = (int (*)(pthread_mutex_t *restrict, const pthread_mutexattr_t *restrict))real_function("pthread_mutex_init");
  return real(mutex, attr);
}

int pthread_rwlock_rdlock(pthread_rwlock_t *lock) {
  static int (*real)(pthread_rwlock_t *);
  if (take_fault(&faults.rdlock)) return EAGAIN; /* the most readers the lock counts */
  if (!real) real = (int (*)(pthread_rwlock_t *))real_function("pthread_rwlock_rdlock");
  return real(lock);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *lock) {
  static int (*real)(pthread_rwlock_t *);
  if (take_fault(&faults.wrlock)) return EDEADLK;
  if (!real) real = (int (*)(pthread_rwlock_t *))real_function("pthread_rwlock_wrlock");
  return real(lock);
}

int pthread_mutex_lock(pthread_mutex_t *mutex) {
  static int (*real)(pthread_mutex_t *);
  if (take_fault(&faults.mutex_lock)) return EAGAIN;
  if (faults.before_mutex_lock) {
    void (*hook)(void) = faults.before_mutex_lock;
    faults.before_mutex_lock = NULL;
    hook();
  }
  if (!real) real = (int (*)(pthread_mutex_t *))real_function("pthread_mutex_lock");
  return real(mutex);
}

/* ---- A counting allocator --------------------------------------------------- */

static long live_blocks, allocations;

static void *counting_malloc(size_t size) {
  void *p = malloc(size);
  if (p) live_blocks++, allocations++;
  return p;
}

static void counting_free(void *p) {
  if (p) live_blocks--;
  free(p);
}

static const dynenum_config counting = {counting_malloc, counting_free, 0};

/* ---- NULL arguments ------------------------------------------------------- */

static void test_null_arguments(void) {
  dynenum_registry *r = NULL;
  dynenum_enum *e = NULL, *got = NULL;
  const dynenum_member *m = NULL;
  dynenum_error err;
  ctest_group("NULL arguments: DYNENUM_MISUSE, and NULL of length 0 is \"\"");

  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_new(NULL, LIT("x"), NULL), "enum_new without out");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_new(NULL, NULL, 3, &e), "enum_new with NULL name of length 3");
  CHECK_PTR_EQ(NULL, e, "enum_new set no enum");
  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, NULL, 0, &e), "enum_new with NULL name of length 0")) return;
  CHECK_STR_EQ("", dynenum_enum_name(e), "its name is empty");
  dynenum_enum_release(e);

  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_registry_open(NULL, &r), "registry_open")) return;
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_define(NULL, LIT("x"), 0, &e, &err), "define in no registry");
  CHECK_STR_EQ("dynenum_enum_define(): NULL argument", err.message, "define in no registry: message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_define(r, LIT("x"), 0, NULL, &err), "define without out");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_define(r, NULL, 2, 0, &e, &err), "define a NULL name of length 2");
  CHECK_INT_EQ(0, dynenum_registry_size(r), "nothing was defined");

  /* The enum called "" is an enum like any other. */
  e = NULL;
  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_define(r, NULL, 0, 0, &e, &err), "define a NULL name of length 0")) return;
  CHECK_STR_EQ("", dynenum_enum_name(e), "the enum defined is called \"\"");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_get(NULL, LIT("x"), &got), "get from no registry");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_get(r, LIT(""), NULL), "get without out");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_get(r, NULL, 2, &got), "get a NULL name of length 2");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_get(r, NULL, 0, &got), "get a NULL name of length 0");
  CHECK_PTR_EQ(e, got, "which is the enum called \"\"");
  dynenum_enum_release(got);

  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add(NULL, LIT("A"), NULL, 0, &m, &err), "add to no enum");
  CHECK_STR_EQ("dynenum_enum_add(): NULL argument", err.message, "add to no enum: message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_add(e, NULL, 1, NULL, 0, &m, &err), "add a NULL name of length 1");
  CHECK_INT_EQ(DYNENUM_EMPTY, dynenum_enum_add(e, NULL, 0, NULL, 0, &m, &err), "add a NULL name of length 0");
  CHECK_STR_EQ("empty name in enum ''", err.message, "add a NULL name of length 0: message");
  CHECK_INT_EQ(0, dynenum_enum_size(e), "nothing was added");

  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_resolve(NULL, LIT("a"), &m, &err), "resolve in no enum");
  CHECK_STR_EQ("dynenum_enum_resolve(): NULL argument", err.message, "resolve in no enum: message");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_resolve(e, NULL, 1, &m, &err), "resolve a NULL string of length 1");
  CHECK_INT_EQ(DYNENUM_EMPTY, dynenum_enum_resolve(e, NULL, 0, &m, &err), "resolve a NULL string of length 0");
  CHECK_STR_EQ("empty name in enum ''", err.message, "resolve a NULL string of length 0: message");
  CHECK_INT_EQ(0, dynenum_enum_dynamic_count(e), "nothing was interned");

  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_drop(NULL, LIT("")), "drop from no registry");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_drop(r, NULL, 2), "drop a NULL name of length 2");
  CHECK_INT_EQ(1, dynenum_registry_size(r), "nothing was dropped");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_drop(r, NULL, 0), "drop a NULL name of length 0");
  CHECK_INT_EQ(0, dynenum_registry_size(r), "the enum called \"\" is gone");
  dynenum_enum_release(e);
  dynenum_registry_close(r);
}

/* ---- Configuration and userdata ------------------------------------------- */

static int destroyed_first, destroyed_second;
static void destroy_first(void *p) { destroyed_first += *(int *)p; }
static void destroy_second(void *p) { destroyed_second += *(int *)p; }

static void test_config_and_userdata(void) {
  /* An allocator comes as malloc_fn and free_fn together. */
  dynenum_config malloc_only = {counting_malloc, NULL, 2};
  dynenum_config free_only = {NULL, counting_free, 2};
  dynenum_config both = {counting_malloc, counting_free, 2};
  dynenum_registry *r = (dynenum_registry *)&r;
  dynenum_enum *e = (dynenum_enum *)&e;
  const dynenum_member *m = NULL;
  dynenum_error err;
  int one = 1, ten = 10;
  ctest_group("configuration: half an allocator refused; userdata replaced");

  allocations = live_blocks = 0;
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_enum_new(&malloc_only, LIT("cfg"), &e), "enum_new with malloc_fn alone");
  CHECK_PTR_EQ(NULL, e, "and no enum");
  CHECK_INT_EQ(DYNENUM_MISUSE, dynenum_registry_open(&free_only, &r), "registry_open with free_fn alone");
  CHECK_PTR_EQ(NULL, r, "and no registry");
  CHECK_INT_EQ(0, allocations, "nothing was allocated");

  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(&both, LIT("cfg"), &e), "enum_new with both")) return;
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(e, LIT("a"), &m, &err), "intern a");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(e, LIT("b"), &m, &err), "intern b");
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_CAP, dynenum_enum_resolve(e, LIT("c"), &m, &err), "the cap of 2 was kept");
  CHECK_STR_EQ("too many dynamic members in enum 'cfg' (at most 2): cannot intern 'c'", err.message, "cap message");
  CHECK(allocations > 0, "the given malloc_fn was used");

  dynenum_enum_set_userdata(e, &one, destroy_first);
  CHECK_PTR_EQ(&one, dynenum_enum_userdata(e), "userdata set");
  dynenum_enum_set_userdata(e, &ten, destroy_second);
  CHECK_INT_EQ(1, destroyed_first, "setting userdata again destroyed the first");
  CHECK_INT_EQ(0, destroyed_second, "and not the second");
  CHECK_PTR_EQ(&ten, dynenum_enum_userdata(e), "userdata replaced");
  dynenum_enum_release(e);
  CHECK_INT_EQ(1, destroyed_first, "the first was destroyed once");
  CHECK_INT_EQ(10, destroyed_second, "freeing the enum destroyed the second");
  CHECK_INT_EQ(0, live_blocks, "and freed every block with the given free_fn");
}

/* ---- Removal from the registry's table ------------------------------------ */

/* Each registry seeds its hash differently, so many rounds of define 12
** enums and drop them in a scrambled order meet probe runs that wrap around
** the end of the table in every arrangement. */
static void test_registry_removal(void) {
  enum { ROUNDS = 300, ENUMS = 12 };
  char names[ENUMS][16];
  long wrong = 0;
  ctest_group("registry: dropping enums in any order keeps the others findable");
  for (int i = 0; i < ENUMS; i++) snprintf(names[i], sizeof names[i], "enum%d", i);
  for (int round = 0; round < ROUNDS; round++) {
    dynenum_registry *r;
    dynenum_error err;
    int dropped[ENUMS] = {0};
    if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_registry_open(&counting, &r), "round %d: open", round)) return;
    for (int i = 0; i < ENUMS; i++) {
      dynenum_enum *e;
      if (dynenum_enum_define(r, names[i], strlen(names[i]), 0, &e, &err) != DYNENUM_OK) wrong++;
      else dynenum_enum_release(e);
    }
    for (int k = 0; k < ENUMS; k++) {
      int victim = (k * 5 + round) % ENUMS; /* 5 is prime to 12: each once */
      if (dynenum_enum_drop(r, names[victim], strlen(names[victim])) != DYNENUM_OK) wrong++;
      dropped[victim] = 1;
      if (dynenum_registry_size(r) != (size_t)(ENUMS - k - 1)) wrong++;
      for (int i = 0; i < ENUMS; i++) {
        dynenum_enum *e = NULL;
        int rc = dynenum_enum_get(r, names[i], strlen(names[i]), &e);
        if (rc != (dropped[i] ? DYNENUM_NOTFOUND : DYNENUM_OK)) wrong++;
        if (e && strcmp(dynenum_enum_name(e), names[i]) != 0) wrong++;
        dynenum_enum_release(e);
      }
    }
    dynenum_registry_close(r);
  }
  CHECK_INT_EQ(0, wrong, "wrong answers over %d rounds", ROUNDS);
  CHECK_INT_EQ(0, live_blocks, "nothing leaked");
}

/* ---- Quoting and error strings -------------------------------------------- */

static void test_quote_and_errstr(void) {
  char buf[DYNENUM_QUOTE_SIZE];
  ctest_group("dynenum_quote: small buffers, invisible characters; errstr of unknown codes");
  dynenum_quote(buf, sizeof buf, LIT("soft\xC2\xADhyphen"));
  CHECK_STR_EQ("soft\\xc2\\xadhyphen", buf, "U+00AD SOFT HYPHEN is escaped");
  dynenum_quote(buf, sizeof buf, LIT("arabic\xD8\x9Cmark"));
  CHECK_STR_EQ("arabic\\xd8\\x9cmark", buf, "U+061C ARABIC LETTER MARK is escaped");
  dynenum_quote(buf, sizeof buf, LIT("back\\slash"));
  CHECK_STR_EQ("back\\x5cslash", buf, "the backslash is escaped");
  dynenum_quote(buf, sizeof buf, LIT("mongolian\xE1\xA0\x8Esep"));
  CHECK_STR_EQ("mongolian\\xe1\\xa0\\x8esep", buf, "U+180E MONGOLIAN VOWEL SEPARATOR is escaped");
  dynenum_quote(buf, sizeof buf, LIT("a b"));
  CHECK_STR_EQ("a b", buf, "the space is not");
  /* A buffer that cannot hold the input: cut short, "..." when it fits. */
  dynenum_quote(buf, 8, LIT("abcdefgh"));
  CHECK_STR_EQ("abcd...", buf, "8 bytes of buffer");
  dynenum_quote(buf, 8, LIT("\x01\x02"));
  CHECK_STR_EQ("\\x01...", buf, "8 bytes of buffer, escapes");
  memset(buf, 'z', sizeof buf);
  dynenum_quote(buf, 3, LIT("abc"));
  CHECK_STR_EQ("", buf, "3 bytes of buffer: not even the dots fit");
  dynenum_quote(buf, 4, LIT("abc"));
  CHECK_STR_EQ("...", buf, "4 bytes of buffer: only the dots");

  CHECK_STR_EQ("unknown error", dynenum_errstr(99), "errstr(99)");
  CHECK_STR_EQ("unknown error", dynenum_errstr(-1), "errstr(-1)");
}

/* ---- Keys: comparisons whose difference is in the last word ----------------- */

static int sign(int x) { return (x > 0) - (x < 0); }

static void test_compare_tails(void) {
  ctest_group("dynenum_compare: 9 to 15 bytes, equal or not in the last 8");
  CHECK_INT_EQ(0, sign(dynenum_compare(LIT("ABCDEFGHIJ"), LIT("abcdefghij"))), "case only, 10 bytes");
  CHECK_INT_EQ(-1, sign(dynenum_compare(LIT("abcdefghiX"), LIT("ABCDEFGHIy"))), "X < y in the last word");
  CHECK_INT_EQ(1, sign(dynenum_compare(LIT("ABCDEFGHIY"), LIT("abcdefghix"))), "Y > x in the last word");
  CHECK_INT_EQ(0, sign(dynenum_compare(LIT("open-ai-chat"), LIT("OPEN_AI_CHAT"))), "'-' and '_' in the last word");
  CHECK_INT_EQ(1, sign(dynenum_compare(LIT("abcdefghijklmn"), LIT("abcdefghijklm-"))), "n > _ in the last word");
}

/* ---- Locks ---------------------------------------------------------------- */

static void check_no_leak(const char *what) { CHECK_INT_EQ(0, live_blocks, "%s: nothing leaked", what); }

static void test_lock_failures(void) {
  dynenum_registry *r = (dynenum_registry *)&faults; /* must be reset */
  dynenum_enum *e = NULL, *got = NULL;
  const dynenum_member *m = NULL;
  dynenum_error err;
  ctest_group("locks that cannot be made or taken: DYNENUM_LOCK, nothing changed or leaked");

  live_blocks = 0;
  faults.rwlock_init = 1;
  CHECK_INT_EQ(DYNENUM_LOCK, dynenum_registry_open(&counting, &r), "registry_open, rwlock_init fails");
  CHECK_PTR_EQ(NULL, r, "no registry");
  check_no_leak("registry_open");

  faults.mutex_init = 1;
  CHECK_INT_EQ(DYNENUM_LOCK, dynenum_enum_new(&counting, LIT("m"), &e), "enum_new, mutex_init fails");
  check_no_leak("enum_new");

  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_registry_open(&counting, &r), "registry_open")) return;
  faults.mutex_init = 1;
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_LOCK, dynenum_enum_define(r, LIT("colour"), 0, &e, &err), "define, mutex_init fails");
  CHECK_STR_EQ("cannot define enum 'colour': lock failed", err.message, "define, mutex_init fails: message");
  faults.wrlock = 1;
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_LOCK, dynenum_enum_define(r, LIT("colour"), 0, &e, &err), "define, wrlock fails");
  CHECK_STR_EQ("cannot define enum 'colour': lock failed", err.message, "define, wrlock fails: message");
  CHECK_INT_EQ(0, dynenum_registry_size(r), "nothing defined");
  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_define(r, LIT("colour"), 0, &e, &err), "define")) return;

  faults.rdlock = 1;
  CHECK_INT_EQ(0, dynenum_registry_size(r), "registry_size, rdlock fails: 0");
  CHECK_INT_EQ(1, dynenum_registry_size(r), "registry_size");
  faults.rdlock = 1;
  CHECK_INT_EQ(DYNENUM_LOCK, dynenum_enum_get(r, LIT("colour"), &got), "get, rdlock fails");
  faults.wrlock = 1;
  CHECK_INT_EQ(DYNENUM_LOCK, dynenum_enum_drop(r, LIT("colour")), "drop, wrlock fails");
  faults.wrlock = 1;
  CHECK_INT_EQ(DYNENUM_LOCK, dynenum_registry_clear(r), "clear, wrlock fails");
  CHECK_INT_EQ(1, dynenum_registry_size(r), "the enum is still there");
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_get(r, LIT("colour"), &got), "get");
  CHECK_PTR_EQ(e, got, "the same enum");
  dynenum_enum_release(got);

  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_add(e, LIT("RED"), NULL, 0, &m, &err), "add RED");
  faults.mutex_lock = 1;
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_LOCK, dynenum_enum_add(e, LIT("GREEN"), NULL, 0, &m, &err), "add, the writer lock fails");
  CHECK_STR_EQ("cannot lock enum 'colour'", err.message, "add, the writer lock fails: message");
  CHECK_INT_EQ(1, dynenum_enum_size(e), "GREEN was not added");
  faults.mutex_lock = 1;
  memset(&err, 0, sizeof err);
  CHECK_INT_EQ(DYNENUM_LOCK, dynenum_enum_resolve(e, LIT("teal"), &m, &err), "intern, the writer lock fails");
  CHECK_STR_EQ("cannot lock enum 'colour'", err.message, "intern, the writer lock fails: message");
  CHECK_INT_EQ(0, dynenum_enum_dynamic_count(e), "teal was not interned");
  /* Finding a real member takes no lock. */
  faults.mutex_lock = 1;
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(e, LIT("red"), &m, &err), "resolve red needs no lock");
  CHECK_INT_EQ(1, faults.mutex_lock, "the lock was not asked for");
  faults.mutex_lock = 0;
  dynenum_enum_release(e);
  CHECK_INT_EQ(DYNENUM_OK, dynenum_registry_clear(r), "clear");
  CHECK_INT_EQ(0, dynenum_registry_size(r), "the registry is empty");
  dynenum_registry_close(r);
  check_no_leak("after all");
}

/* ---- Races between a lookup and the writer lock ------------------------------ */

static dynenum_enum *race_enum;
static int race_rc;
static const dynenum_member *race_member;

static void add_teal_meanwhile(void) {
  dynenum_error err;
  race_rc = dynenum_enum_add(race_enum, LIT("TEAL"), NULL, 0, &race_member, &err);
}

static void intern_olive_meanwhile(void) {
  dynenum_error err;
  race_rc = dynenum_enum_resolve(race_enum, LIT("Olive"), &race_member, &err);
}

static void test_lookup_races(void) {
  const dynenum_member *m = NULL;
  dynenum_error err;
  ctest_group("a member added or interned just before the writer lock is found, not interned again");
  if (!CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_new(NULL, LIT("colour"), &race_enum), "enum_new")) return;

  faults.before_mutex_lock = add_teal_meanwhile;
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(race_enum, LIT("teal"), &m, &err), "resolve teal");
  CHECK_INT_EQ(DYNENUM_OK, race_rc, "TEAL was added meanwhile");
  CHECK_PTR_EQ(race_member, m, "teal resolves to the real member TEAL");
  CHECK_INT_EQ(0, m ? m->dynamic : -1, "which is not dynamic");
  CHECK_INT_EQ(0, dynenum_enum_dynamic_count(race_enum), "nothing was interned");

  faults.before_mutex_lock = intern_olive_meanwhile;
  m = NULL;
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_resolve(race_enum, LIT("OLIVE"), &m, &err), "resolve OLIVE");
  CHECK_INT_EQ(DYNENUM_OK, race_rc, "Olive was interned meanwhile");
  CHECK_PTR_EQ(race_member, m, "OLIVE resolves to the dynamic member interned as Olive");
  CHECK_STR_EQ("Olive", m ? m->name : NULL, "named by the first spelling");
  CHECK_INT_EQ(1, dynenum_enum_dynamic_count(race_enum), "one dynamic member, not two");
  dynenum_enum_release(race_enum);
}

int main(void) {
  test_null_arguments();
  test_config_and_userdata();
  test_registry_removal();
  test_quote_and_errstr();
  test_compare_tails();
  test_lock_failures();
  test_lookup_races();
  return ctest_finish();
}
