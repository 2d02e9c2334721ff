/*
** sharing_test.c: the connections of one process share one copy of an enum
** (docs/SPEC.md section 12), and sharing never shows a connection a copy
** that is half-built or stale.  The extension is compiled in, so that the
** test can look in the process's table of published enums
** (dynenum_enum_find_published) under the name a connection proves
** (dynenum_shared_key): that, and the heap SQLite counts, are how it sees
** which copy a connection holds.
**
**   build/sharing_test          make test
**   build/tsan/sharing_test     make test-tsan, under ThreadSanitizer
**
** Both run the single-threaded checks, then threads on many connections
** adding, reading and re-opening at once, every answer checked against the
** members table in the same statement.
**
** "add PATH NAME" is the child process that commits a member.
*/
#define _DEFAULT_SOURCE
#define SQLITE_CORE 1

#include "ctest.h"
#include "stress.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>

#define MEMBERS 20000
static char dir[4096];
static char self[4096];

static sqlite3 *open_file(const char *path, const char *setup) {
  sqlite3 *db;
  char why[512];
  if (open_connection(path, NULL, 10000, setup, &db, why, sizeof why) != SQLITE_OK) {
    CHECK(0, "%s", why);
    return NULL;
  }
  return db;
}

static int run(sqlite3 *db, const char *sql) {
  char *error = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &error);
  CHECK(rc == SQLITE_OK, "%s: %s", sql, error ? error : sqlite3_errstr(rc));
  sqlite3_free(error);
  return rc;
}

/* The first column of the first row of sql, as an integer (-1 for none). */
static sqlite3_int64 number(sqlite3 *db, const char *sql) {
  sqlite3_int64 value;
  int rows;
  int rc = query(db, sql, NULL, &value, 1, &rows);
  CHECK(rc == SQLITE_OK && rows == 1, "%s: %s", sql, sqlite3_errmsg(db));
  return value;
}

/* The name db proves for the enum main.table in a read transaction of its
** own, into key; 0 when it proves none. */
static size_t proven_key(sqlite3 *db, const char *table, char *key, size_t size) {
  char *k = NULL;
  size_t n = 0;
  if (run(db, "BEGIN") != SQLITE_OK) return 0;
  number(db, "SELECT count(*) FROM sqlite_schema");
  CHECK_INT_EQ(SQLITE_OK, dynenum_shared_key(db, "main", table, &k, &n), "dynenum_shared_key");
  run(db, "COMMIT");
  if (k && n <= size) memcpy(key, k, n);
  sqlite3_free(k);
  return k && n <= size ? n : 0;
}

/* The copy published under the name db proves for table, or NULL.  The
** pointer is only compared, never used: it is released at once. */
static dynenum_enum *published(sqlite3 *db, const char *table) {
  char key[512];
  dynenum_enum *e = NULL;
  size_t n = proven_key(db, table, key, sizeof key);
  if (n && dynenum_enum_find_published(key, n, &e) == DYNENUM_OK) dynenum_enum_release(e);
  return e;
}

/* The size of what db would find published for table; -1 for none. */
static long published_size(sqlite3 *db, const char *table) {
  char key[512];
  dynenum_enum *e = NULL;
  size_t n = proven_key(db, table, key, sizeof key);
  if (!n || dynenum_enum_find_published(key, n, &e) != DYNENUM_OK) return -1;
  long size = (long)dynenum_enum_size(e);
  dynenum_enum_release(e);
  return size;
}

static void make_enum_file(const char *path, const char *table, int members) {
  char sql[512];
  sqlite3 *db = open_file(path, NULL);
  if (!db) return;
  snprintf(sql, sizeof sql,
           "CREATE VIRTUAL TABLE %s USING dynenum(FIRST_MEMBER);"
           "INSERT INTO %s(name) WITH RECURSIVE c(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM c WHERE i < %d)"
           " SELECT printf('Member_%%07d', i) FROM c",
           table, table, members - 1);
  run(db, sql);
  sqlite3_close(db);
}

static void test_one_copy(const char *path) {
  ctest_group("connections of one process hold one copy, dropped with its last holder");
  sqlite3 *a = open_file(path, NULL), *b = open_file(path, NULL), *c;
  if (!a || !b) return;
  sqlite3_int64 before = sqlite3_memory_used();
  /* With a name that is no member: the key table answers hits only, so a
  ** miss loads the enum whole and publishes it (docs/SPEC.md section 12.6). */
  CHECK_INT_EQ(1, number(a, "SELECT dynenum_is_member('e', 'member-0000005') + dynenum_is_member('e', 'nobody')"),
               "a finds a member, and not another");
  sqlite3_int64 first = sqlite3_memory_used() - before;
  dynenum_enum *p = published(a, "e");
  CHECK(p != NULL, "a's copy is published");
  CHECK_INT_EQ(MEMBERS, published_size(a, "e"), "with every member");
  before = sqlite3_memory_used();
  CHECK_INT_EQ(1, number(b, "SELECT dynenum_is_member('e', 'member-0000005')"), "b finds it too");
  sqlite3_int64 second = sqlite3_memory_used() - before;
  CHECK(second * 20 < first, "b's first statement took %lld bytes, a's %lld: b built a copy of its own",
        (long long)second, (long long)first);
  CHECK(published(b, "e") == p, "b proves the same name and finds a's copy");
  sqlite3_close(a);
  CHECK(published(b, "e") == p, "b still holds the copy after a closes");
  sqlite3_close(b);
  c = open_file(path, NULL);
  if (!c) return;
  CHECK(published(c, "e") == NULL, "dropped when the last holder closed");
  sqlite3_close(c);
}

static void test_transactions(const char *path) {
  ctest_group("a transaction's additions stay its own; rollback returns to the shared copy");
  sqlite3 *a = open_file(path, NULL), *b = open_file(path, NULL);
  if (!a || !b) return;
  number(a, "SELECT dynenum_resolve('e', 'x')");
  number(b, "SELECT dynenum_resolve('e', 'x')");
  dynenum_enum *p = published(b, "e");
  CHECK(p != NULL, "shared before the transaction");
  run(a, "BEGIN; INSERT INTO e(name) VALUES ('IN_A_TRANSACTION')");
  CHECK_INT_EQ(1, number(a, "SELECT dynenum_is_member('e', 'in_a_transaction')"), "a sees its own addition");
  CHECK_INT_EQ(MEMBERS + 1, number(a, "SELECT count(*) FROM dynenum_members WHERE enum = 'e'"), "a's catalog");
  CHECK_INT_EQ(0, number(b, "SELECT dynenum_is_member('e', 'in_a_transaction')"), "b does not, before commit");
  CHECK_INT_EQ(MEMBERS, number(b, "SELECT count(*) FROM e"), "b's scan");
  CHECK_INT_EQ(MEMBERS, published_size(b, "e"), "the shared copy did not change");
  run(a, "ROLLBACK");
  CHECK_INT_EQ(0, number(a, "SELECT dynenum_is_member('e', 'in_a_transaction')"), "gone after rollback");
  sqlite3_close(b);
  CHECK(published(a, "e") == p, "a holds the shared copy again");

  ctest_group("a commit names a new version, which the others take up at their next statement");
  b = open_file(path, NULL);
  if (!b) return;
  number(b, "SELECT dynenum_resolve('e', 'x')");
  run(a, "INSERT INTO e(name) VALUES ('COMMITTED')");
  /* With a miss: a hit alone would be answered from the key table, and b
  ** would let go of its copy without building the new version's
  ** (docs/SPEC.md section 12.6). */
  CHECK_INT_EQ(1, number(b, "SELECT dynenum_is_member('e', 'committed') + dynenum_is_member('e', 'nobody')"),
               "b sees the commit");
  CHECK_INT_EQ(MEMBERS + 1, published_size(b, "e"), "published at the new version");
  CHECK_INT_EQ(1, number(a, "SELECT dynenum_is_member('e', 'committed')"), "a too");
  dynenum_enum *q = published(a, "e");
  sqlite3_close(b);
  CHECK(q != NULL && published(a, "e") == q, "a holds the new version's copy");
  sqlite3_close(a);
}

static void test_drop_recreate(const char *path) {
  ctest_group("drop and re-create under the same name");
  sqlite3 *a = open_file(path, NULL), *b = open_file(path, NULL);
  if (!a || !b) return;
  CHECK_INT_EQ(1, number(b, "SELECT dynenum_is_member('e', 'first_member')"), "b holds the old enum");
  run(a, "DROP TABLE e; CREATE VIRTUAL TABLE e USING dynenum(SECOND_LIFE)");
  CHECK_INT_EQ(0, number(b, "SELECT dynenum_is_member('e', 'first_member')"), "not the old members");
  CHECK_INT_EQ(1, number(b, "SELECT dynenum_is_member('e', 'second_life')"), "the new one's");
  CHECK_INT_EQ(1, published_size(a, "e"), "published: one member");
  sqlite3_close(a);
  sqlite3_close(b);
}

/* Bytes 24..43 of a file's header. */
static void header_version(const char *path, unsigned char *out) {
  FILE *f = fopen(path, "rb");
  memset(out, 0, 20);
  if (!f) return;
  if (fseek(f, 24, SEEK_SET) != 0 || fread(out, 1, 20, f) != 20) memset(out, 0, 20);
  fclose(f);
}

static void test_replaced_file(void) {
  ctest_group("a file replaced at the same path, at the same version");
  char x[4200], y[4200];
  snprintf(x, sizeof x, "%s/x.db", dir);
  snprintf(y, sizeof y, "%s/y.db", dir);
  /* The same statements, so the same change counter and schema cookie. */
  const char *made[2] = {"CREATE VIRTUAL TABLE r USING dynenum(IN_X)", "CREATE VIRTUAL TABLE r USING dynenum(IN_Y)"};
  const char *paths[2] = {x, y};
  for (int i = 0; i < 2; i++) {
    sqlite3 *db = open_file(paths[i], NULL);
    if (!db) return;
    run(db, made[i]);
    sqlite3_close(db);
  }
  unsigned char vx[20], vy[20];
  header_version(x, vx);
  header_version(y, vy);
  CHECK(memcmp(vx, vy, 20) == 0, "the two files are at the same version");
  sqlite3 *a = open_file(x, NULL);
  if (!a) return;
  CHECK_INT_EQ(1, number(a, "SELECT dynenum_is_member('r', 'in_x')"), "a holds x's enum");
  CHECK(published(a, "r") != NULL, "published");
  CHECK(rename(y, x) == 0, "rename y over x");
  sqlite3 *c = open_file(x, NULL);
  if (!c) return;
  CHECK_INT_EQ(1, number(c, "SELECT dynenum_is_member('r', 'in_y')"), "a new connection reads the new file");
  CHECK_INT_EQ(0, number(c, "SELECT dynenum_is_member('r', 'in_x')"), "not the copy of the old one");
  CHECK(published(a, "r") == NULL || published(a, "r") != published(c, "r"), "a's file has moved: no name");
  sqlite3_close(a);
  sqlite3_close(c);
}

static void test_other_process(const char *path) {
  ctest_group("another process's commit");
  sqlite3 *a = open_file(path, NULL), *b = open_file(path, NULL);
  if (!a || !b) return;
  number(a, "SELECT dynenum_resolve('e', 'x')");
  number(b, "SELECT dynenum_resolve('e', 'x')");
  char command[9000];
  snprintf(command, sizeof command, "'%s' add '%s' FROM_A_CHILD", self, path);
  CHECK_INT_EQ(0, system(command), "%s", command);
  CHECK_INT_EQ(1, number(a, "SELECT dynenum_is_member('e', 'from_a_child')"), "a sees it");
  CHECK_INT_EQ(1, number(b, "SELECT dynenum_is_member('e', 'from_a_child')"), "b sees it");
  CHECK(published(a, "e") == published(b, "e"), "and they share the new version");
  sqlite3_close(a);
  sqlite3_close(b);
}

static void test_no_name(const char *path) {
  ctest_group("no name, hence a copy of its own: WAL, exclusive locking, memory, a write transaction");
  char key[512], wal[4200];
  sqlite3 *db = open_file(path, NULL);
  if (!db) return;
  CHECK(proven_key(db, "e", key, sizeof key) > 0, "rollback journal, read transaction: a name");
  run(db, "BEGIN IMMEDIATE");
  char *k = NULL;
  size_t n;
  CHECK_INT_EQ(SQLITE_OK, dynenum_shared_key(db, "main", "e", &k, &n), "write transaction");
  CHECK(k == NULL, "no name in a write transaction");
  run(db, "COMMIT");
  CHECK_INT_EQ(SQLITE_OK, dynenum_shared_key(db, "main", "e", &k, &n), "no transaction");
  CHECK(k == NULL, "no name without a read transaction");
  run(db, "PRAGMA read_uncommitted = 1");
  CHECK(proven_key(db, "e", key, sizeof key) == 0, "read_uncommitted: none");
  run(db, "PRAGMA read_uncommitted = 0; PRAGMA locking_mode = EXCLUSIVE");
  CHECK(proven_key(db, "e", key, sizeof key) == 0, "exclusive locking: none");
  CHECK_INT_EQ(1, number(db, "SELECT dynenum_is_member('e', 'member-0000005')"), "still answers");
  sqlite3_close(db);

  char uri[4300];
  snprintf(uri, sizeof uri, "file:%s?nolock=1", path);
  char *init_error = NULL;
  CHECK_INT_EQ(SQLITE_OK, sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL), "open %s", uri);
  CHECK_INT_EQ(SQLITE_OK, sqlite3_dynenum_init(db, &init_error, NULL), "init");
  sqlite3_free(init_error);
  CHECK(proven_key(db, "e", key, sizeof key) == 0, "nolock: none");
  CHECK_INT_EQ(1, number(db, "SELECT dynenum_is_member('e', 'member-0000005')"), "nolock still answers");
  sqlite3_close(db);

  snprintf(wal, sizeof wal, "%s/wal.db", dir);
  make_enum_file(wal, "w", 10);
  db = open_file(wal, "PRAGMA journal_mode = WAL");
  if (!db) return;
  CHECK(proven_key(db, "w", key, sizeof key) == 0, "WAL: none");
  CHECK_INT_EQ(1, number(db, "SELECT dynenum_is_member('w', 'member-0000005')"), "WAL still answers");
  sqlite3_close(db);

  db = open_file(":memory:", NULL);
  if (!db || run(db, "CREATE VIRTUAL TABLE m USING dynenum(ONE)") != SQLITE_OK) return;
  CHECK(proven_key(db, "m", key, sizeof key) == 0, "memory: none");
  CHECK_INT_EQ(1, number(db, "SELECT dynenum_is_member('m', 'one')"), "memory still answers");
  sqlite3_close(db);
}

/* ---- Threads on many connections ------------------------------------------- */

#define THREADS 6
#define ROUNDS 150

typedef struct worker {
  const char *path;
  int id;
  unsigned seed;
  int checks, wrong, errors, added;
  char first_error[800];
} worker;

static void note_error(worker *w, sqlite3 *db, const char *what) {
  if (!w->errors++) snprintf(w->first_error, sizeof w->first_error, "%s: %s", what, db ? sqlite3_errmsg(db) : "");
}

/* One statement that asks the copy and reads the members table in the same
** read transaction: both must agree. */
static void check_name(worker *w, sqlite3 *db, const char *name) {
  sqlite3_int64 got[2];
  int rows;
  params p = {name, NULL, 0, 0};
  int rc = query(db, "SELECT dynenum_is_member('e', ?1), EXISTS (SELECT 1 FROM e_members WHERE name = ?1)", &p, got,
                 2, &rows);
  if (rc != SQLITE_OK) {
    if (rc != SQLITE_BUSY) note_error(w, db, "is_member");
    return;
  }
  w->checks++;
  if (got[0] != got[1]) w->wrong++;
}

static void check_count(worker *w, sqlite3 *db) {
  sqlite3_int64 got[2];
  int rows;
  int rc = query(db, "SELECT (SELECT count(*) FROM dynenum_members WHERE enum = 'e'), (SELECT count(*) FROM e_members)",
                 NULL, got, 2, &rows);
  if (rc != SQLITE_OK) {
    if (rc != SQLITE_BUSY) note_error(w, db, "count");
    return;
  }
  w->checks++;
  if (got[0] != got[1]) w->wrong++;
}

static void *work(void *arg) {
  worker *w = arg;
  sqlite3 *db = NULL;
  char why[512], name[64];
  for (int round = 0; round < ROUNDS; round++) {
    if (!db || rand_r(&w->seed) % 10 == 0) { /* re-open now and then */
      if (db) sqlite3_close(db);
      if (open_connection(w->path, NULL, 10000, NULL, &db, why, sizeof why) != SQLITE_OK) {
        note_error(w, NULL, why);
        return NULL;
      }
    }
    int action = rand_r(&w->seed) % 6;
    if (action == 0) {
      snprintf(name, sizeof name, "T%d_%d", w->id, round);
      params p = {name, NULL, 0, 0};
      sqlite3_int64 none;
      int rows, rc = query(db, "INSERT INTO e(name) VALUES (?1)", &p, &none, 0, &rows);
      if (rc == SQLITE_OK) w->added++;
      else if (rc != SQLITE_BUSY) note_error(w, db, "insert");
      check_name(w, db, name);
    } else if (action == 1) {
      check_count(w, db);
    } else {
      /* A member added by some thread, perhaps not yet or never. */
      snprintf(name, sizeof name, "T%d_%d", (int)(rand_r(&w->seed) % THREADS), (int)(rand_r(&w->seed) % ROUNDS));
      check_name(w, db, name);
    }
  }
  sqlite3_close(db);
  return NULL;
}

static void test_threads(void) {
  ctest_group("threads on many connections: adding, reading and re-opening at once");
  char path[4200];
  snprintf(path, sizeof path, "%s/threads.db", dir);
  make_enum_file(path, "e", 2000);
  pthread_t threads[THREADS];
  worker workers[THREADS];
  unsigned seed = stress_seed();
  for (int i = 0; i < THREADS; i++) {
    memset(&workers[i], 0, sizeof workers[i]);
    workers[i].path = path;
    workers[i].id = i;
    workers[i].seed = seed + (unsigned)i * 7919u;
    CHECK_INT_EQ(0, pthread_create(&threads[i], NULL, work, &workers[i]), "thread %d", i);
  }
  int checks = 0, added = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(threads[i], NULL);
    checks += workers[i].checks;
    added += workers[i].added;
    CHECK_INT_EQ(0, workers[i].wrong, "thread %d: answers that disagree with the members table (seed %u)", i, seed);
    CHECK(workers[i].errors == 0, "thread %d: %d errors, first %s", i, workers[i].errors, workers[i].first_error);
  }
  CHECK(checks > THREADS * ROUNDS / 2, "only %d answers checked", checks);
  CHECK(added > THREADS, "only %d members added", added);
  printf("  %d answers checked, %d members added\n", checks, added);
}

/* The child: commits one member and exits. */
static int add_member(const char *path, const char *name) {
  sqlite3 *db;
  char why[512], sql[256];
  if (open_connection(path, NULL, 10000, NULL, &db, why, sizeof why) != SQLITE_OK) return 1;
  snprintf(sql, sizeof sql, "INSERT INTO e(name) VALUES ('%s')", name);
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_close(db);
  return rc != SQLITE_OK;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "add") == 0) return add_member(argv[2], argv[3]);
  ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
  if (len <= 0) return 1;
  self[len] = 0;
  if (!make_directory(dir, sizeof dir, "dynenum-sharing")) return 1;
  char path[4200];
  snprintf(path, sizeof path, "%s/shared.db", dir);
  ctest_group("an enum of 20,000 members in a file");
  make_enum_file(path, "e", MEMBERS);
  test_one_copy(path);
  test_transactions(path);
  test_other_process(path);
  test_no_name(path);
  test_drop_recreate(path);
  test_replaced_file();
  test_threads();
  remove_directory(dir);
  return ctest_finish();
}
