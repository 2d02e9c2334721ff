/*
** wal_threads_test.c: the WAL-mode freshness check (ext/sqlite/cache.c
** wal_unchanged, docs/SPEC.md section 2.3.5) while other threads commit
** and checkpoint, each on its own connection to one WAL file.
**
**   build/wal_threads_test          make test
**   build/tsan/wal_threads_test     make test-tsan, under ThreadSanitizer
**
** Writers add members one autocommit INSERT at a time and publish each in
** memory once its COMMIT has returned; a checkpointer runs PASSIVE, FULL,
** RESTART and TRUNCATE checkpoints between them; readers, each on a
** connection open all along, read what was published and then, in a
** table-free autocommit statement begun after that, demand that the member
** be one.  Each reader counts the freshness PRAGMAs it ran (a trace
** callback): the statements that ran none are the ones the WAL-index
** header answered, and there must be some, or the test would not test the
** check.  The extension is compiled in (SQLITE_CORE), as for
** sharing_test.c.
*/
#define _DEFAULT_SOURCE
#define SQLITE_CORE 1

#include "ctest.h"
#include "stress.h"

#include <pthread.h>
#include <stdatomic.h>

#define WRITERS 2
#define READERS 3
#define SECONDS 1.5

static atomic_int running;
static int paced; /* writers pause between commits, so that most statements see none */
static atomic_long published[WRITERS]; /* the last member each writer committed */

typedef struct worker {
  const char *path;
  int id;
  unsigned seed;
  long statements, unpragmaed, errors, wrong;
  int pragma_runs; /* of the current statement */
  char first_error[256];
} worker;

static void note_error(worker *w, sqlite3 *db, const char *what) {
  if (w->errors++ == 0) {
    snprintf(w->first_error, sizeof w->first_error, "%.60s: %.160s (code %d)", what, db ? sqlite3_errmsg(db) : "",
             db ? sqlite3_extended_errcode(db) : 0);
  }
}

/* The writers' busy handler: the lock polled every fifth of a millisecond,
** for 20 s in all.  With sqlite3_busy_timeout, whose sleeps grow to 100 ms,
** a writer queued behind one committing back to back wakes each time to a
** lock taken again, and flat out under TSan one starved past a 10 s
** timeout (SQLITE_BUSY, not a stale snapshot) while the other committed
** thousands of members. */
static int poll_busy(void *unused, int tries) {
  (void)unused;
  if (tries >= 100000) return 0;
  sleep_us(200);
  return 1;
}

/* The worker's own connection, or NULL with the error noted. */
static sqlite3 *open_worker(worker *w, int (*busy)(void *, int), const char *setup) {
  sqlite3 *db;
  char why[512];
  if (open_connection(w->path, busy, 10000, setup, &db, why, sizeof why) != SQLITE_OK) note_error(w, NULL, why);
  return db;
}

static void *write_members(void *arg) {
  worker *w = arg;
  sqlite3 *db = open_worker(w, poll_busy, "PRAGMA synchronous=OFF");
  if (!db) return NULL;
  char name[32];
  for (long i = 1; atomic_load(&running); i++) {
    snprintf(name, sizeof name, "W%d_%ld", w->id, i);
    params p = {name, NULL, 0, 0};
    sqlite3_int64 none;
    int rows;
    if (query(db, "INSERT INTO e(name) VALUES (?1)", &p, &none, 0, &rows) != SQLITE_OK) {
      note_error(w, db, "insert");
      break;
    }
    atomic_store_explicit(&published[w->id], i, memory_order_release);
    if (paced) sleep_us(200 + rand_r(&w->seed) % 800);
  }
  sqlite3_close(db);
  return NULL;
}

static void *checkpoint(void *arg) {
  static const char *const modes[] = {"PASSIVE", "FULL", "RESTART", "TRUNCATE"};
  worker *w = arg;
  sqlite3 *db = open_worker(w, NULL, NULL);
  if (!db) return NULL;
  char sql[64];
  while (atomic_load(&running)) {
    snprintf(sql, sizeof sql, "PRAGMA wal_checkpoint(%s)", modes[rand_r(&w->seed) % 4]);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) note_error(w, db, sql);
    sleep_us(2000 + rand_r(&w->seed) % 5000);
  }
  sqlite3_close(db);
  return NULL;
}

static int count_pragma(unsigned type, void *context, void *p, void *x) {
  (void)type, (void)x;
  const char *sql = sqlite3_sql(p);
  if (sql && strcmp(sql, "PRAGMA \"main\".schema_version") == 0) ((worker *)context)->pragma_runs++;
  return 0;
}

static void *read_members(void *arg) {
  worker *w = arg;
  sqlite3 *db = open_worker(w, NULL, NULL);
  if (!db) return NULL;
  char name[32];
  if (sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_pragma, w) != SQLITE_OK) note_error(w, db, "trace");
  while (atomic_load(&running)) {
    int writer = (int)(rand_r(&w->seed) % WRITERS);
    long last = atomic_load_explicit(&published[writer], memory_order_acquire);
    if (last == 0) continue;
    snprintf(name, sizeof name, "w%d_%ld", writer, last);
    params p = {name, NULL, 0, 0};
    sqlite3_int64 got;
    int rows;
    w->pragma_runs = 0;
    if (query(db, "SELECT dynenum_is_member('e', ?1)", &p, &got, 1, &rows) != SQLITE_OK) {
      note_error(w, db, "select");
      continue;
    }
    w->statements++;
    if (w->pragma_runs == 0) w->unpragmaed++;
    if (got != 1 && w->wrong++ == 0) {
      snprintf(w->first_error, sizeof w->first_error, "'%s' committed before the statement began is not a member",
               name);
    }
  }
  sqlite3_close(db);
  return NULL;
}

/* One run of SECONDS or more: the writers paced or flat out. */
static void run(const char *dir, const char *name, int pace) {
  char path[4200], why[4400];
  snprintf(path, sizeof path, "%s/%s.db", dir, name);
  paced = pace;
  sqlite3 *db;
  int rc = open_connection(path, NULL, 10000, "PRAGMA journal_mode=WAL", &db, why, sizeof why);
  CHECK_INT_EQ(SQLITE_OK, rc, "%s", why);
  if (rc == SQLITE_OK) {
    CHECK_INT_EQ(SQLITE_OK, sqlite3_exec(db, "CREATE VIRTUAL TABLE e USING dynenum(A, B)", NULL, NULL, NULL), "create");
    sqlite3_close(db);
  }
  unsigned seed = stress_seed();
  enum { THREADS = WRITERS + 1 + READERS };
  pthread_t threads[THREADS];
  worker workers[THREADS];
  for (int i = 0; i < WRITERS; i++) atomic_store(&published[i], 0);
  atomic_store(&running, 1);
  for (int i = 0; i < THREADS; i++) {
    memset(&workers[i], 0, sizeof workers[i]);
    workers[i].path = path;
    workers[i].id = i;
    workers[i].seed = seed + (unsigned)i * 7919u;
    void *(*body)(void *) = i < WRITERS ? write_members : i == WRITERS ? checkpoint : read_members;
    CHECK_INT_EQ(0, pthread_create(&threads[i], NULL, body, &workers[i]), "thread %d", i);
  }
  /* SECONDS at least; then, on a machine too busy for both writers to
  ** have committed a few members by then, on until they have (each 0.1 s
  ** a check), for at most a minute: what the run proves needs commits. */
  sleep_us((long)(SECONDS * 1e6));
  for (int waited = 0; waited < 600 && (atomic_load(&published[0]) <= 3 || atomic_load(&published[1]) <= 3); waited++) {
    sleep_us(100000);
  }
  atomic_store(&running, 0);
  long statements = 0, unpragmaed = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(threads[i], NULL);
    statements += workers[i].statements;
    unpragmaed += workers[i].unpragmaed;
    CHECK_INT_EQ(0, workers[i].wrong, "thread %d: %s (seed %u)", i, workers[i].first_error, seed);
    CHECK(workers[i].errors == 0, "thread %d: %ld errors, first %s", i, workers[i].errors, workers[i].first_error);
  }
  long added[WRITERS] = {atomic_load(&published[0]), atomic_load(&published[1])};
  CHECK(added[0] > 3 && added[1] > 3, "only %ld and %ld members added", added[0], added[1]);
  CHECK(statements > 100, "only %ld statements checked", statements);
  /* Paced, most statements find nothing committed since the last; flat
  ** out, most find a commit, and the PRAGMA records a header while commits
  ** land around its snapshot. */
  if (pace) {
    CHECK(unpragmaed > statements / 10, "only %ld of %ld statements answered by the WAL-index header", unpragmaed,
          statements);
  }
  printf("  %ld statements checked, %ld without the PRAGMA, %ld and %ld members added (seed %u)\n", statements,
         unpragmaed, added[0], added[1], seed);
}

int main(void) {
  char dir[4096];
  if (!make_directory(dir, sizeof dir, "wal_threads")) return 1;
  ctest_group("WAL: commits and checkpoints by other threads, paced, seen by the next statement");
  run(dir, "paced", 1);
  ctest_group("WAL: commits flat out, seen by the next statement");
  run(dir, "flat", 0);
  remove_directory(dir);
  return ctest_finish();
}
