/*
** concurrency_test.c: several processes and threads on one WAL database,
** some adding members to an enum while others resolve names and write rows
** that use them (make test-stress).
**
**     build/stress/concurrency_test [SECONDS]
**
** SECONDS (default $DYNENUM_STRESS_SECONDS, else 10) is how long members
** are added; $DYNENUM_STRESS_SEED makes the random choices repeatable (the
** seed is printed either way).  The database lives in a directory made by
** mkdtemp under $TMPDIR (or /tmp), removed at the end.
**
** The enum core and the SQLite binding are compiled in (SQLITE_CORE) and
** registered on each connection with sqlite3_dynenum_init, as an
** application that embeds them would; SQLite is the system's.  The parent
** creates the database, then forks PROCESSES children before it opens any
** connection again (SQLite connections must not cross a fork).  Each child
** runs WRITERS_PER_PROCESS writer and RESOLVERS_PER_PROCESS resolver
** threads, each with its own connection.  Writers add members in every way
** the module allows: BEGIN IMMEDIATE, a deferred transaction that reads
** first (and so meets SQLITE_BUSY_SNAPSHOT), autocommit, two members in one
** INSERT, a savepoint rolled back, a transaction rolled back, and names
** that all writers race to add in different spellings.  Each member a
** writer adds goes, in the same transaction, into the table "committed";
** once COMMIT returns, the writer publishes it in memory shared by all the
** processes (MAP_SHARED atomics).  Resolvers meanwhile read that shared
** memory and then, in a statement begun after they read it, demand that the
** member be visible; insert rows into "events" (a COLLATE DYNENUM column,
** an index on it and an index on dynenum_resolve()); hold read
** transactions open and check that the functions and the catalog agree with
** the shadow table inside the snapshot; and open fresh connections.  The
** parent checks with its own long-lived connection while the run lasts.
**
** Every connection waits for locks for up to a second (busy_timeout; half
** the writers poll instead, see poll_busy).  Every SQLITE_BUSY that still
** comes (the wait ran out; a deferred transaction found the write lock
** taken, which SQLite reports at once; its snapshot went stale:
** SQLITE_BUSY_SNAPSHOT) is handled by rolling back, waiting a random few
** milliseconds and retrying, for up to RETRY_LIMIT_S; the retries are
** counted by kind and reported.  Any other error is a failure.  When the writers are done, every resolver checks every
** committed member through its long-lived connection, and the parent checks
** the file: integrity_check, ordinals 1..N without a gap, no two members
** sharing a key, the members exactly those committed (the shared memory and
** the table "committed" agree with the shadow table), the catalog and the
** enum's table equal to the shadow table, every member resolving to itself
** (not to a dynamic member) on a fresh and on the long-lived connection,
** and every row of "events" resolved as its name resolves now.
**
** Ends with "N errors out of M tests", the line tools/stress.sh reads.
*/
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, mkdtemp */
#define _POSIX_C_SOURCE 200809L
#define SQLITE_CORE 1 /* the extension is compiled in, not loaded */

#include "ctest.h"
#include "stress.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif

#define PROCESSES 3
#define WRITERS_PER_PROCESS 2
#define RESOLVERS_PER_PROCESS 2
#define WRITERS (PROCESSES * WRITERS_PER_PROCESS)
#define MAX_SEQ 40000         /* members one writer may add */
#define SHARED_NAMES 40       /* names every writer races to add */
#define INITIAL_MEMBERS 3     /* declared by CREATE VIRTUAL TABLE */
#define BUSY_TIMEOUT_MS 1000  /* short enough that it runs out now and then */
#define RETRY_LIMIT_S 30      /* how long to retry after SQLITE_BUSY */
#define FINISH_TIMEOUT_S 120  /* how long the end may take before it is a hang */
#define PRINTED_FAILURES 5    /* per thread */

/* ---- Memory the processes share --------------------------------------- */

enum {
  STAT_MEMBERS,         /* added by writers under their own names */
  STAT_SHARED_ADDED,    /* shared names added */
  STAT_DUPLICATES,      /* shared names refused as already there */
  STAT_ROLLED_BACK,     /* members added and rolled back */
  STAT_EVENTS,          /* rows inserted into events */
  STAT_VISIBILITY,      /* published members checked by a resolver */
  STAT_SNAPSHOTS,       /* read transactions checked */
  STAT_FRESH,           /* fresh connections opened by resolvers */
  STAT_BUSY,            /* retries after SQLITE_BUSY (busy_timeout ran out) */
  STAT_BUSY_SNAPSHOT,   /* retries after SQLITE_BUSY_SNAPSHOT */
  STAT_BUSY_OTHER,      /* retries after another SQLITE_BUSY_* */
  STAT_FAILURES,        /* failed checks in the children */
  STAT_COUNT
};

static const char *const stat_names[STAT_COUNT] = {
    "members added by writers", "shared names added", "shared names refused as duplicates",
    "members rolled back", "rows inserted into events", "visibility checks", "snapshot checks",
    "fresh connections", "retries after SQLITE_BUSY", "retries after SQLITE_BUSY_SNAPSHOT",
    "retries after other SQLITE_BUSY_*", "failures in the children",
};

/* A writer stores the ordinals of the members it committed, then publishes
** the last sequence number (release); a reader loads that (acquire) and may
** then read the ordinals up to it. */
typedef struct shared_state {
  atomic_int stop;            /* set by the parent: no more additions */
  atomic_int writers_running; /* writer threads not finished yet */
  atomic_long stats[STAT_COUNT];
  atomic_long published[WRITERS];
  atomic_long ordinals[WRITERS][MAX_SEQ + 1];
  atomic_int shared_added[SHARED_NAMES]; /* how many writers added each */
  atomic_long shared_ordinal[SHARED_NAMES];
} shared_state;

static shared_state *shared_state_map(void) {
  shared_state *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (s == MAP_FAILED) return NULL;
  atomic_init(&s->stop, 0);
  atomic_init(&s->writers_running, WRITERS);
  for (int i = 0; i < STAT_COUNT; i++) atomic_init(&s->stats[i], 0);
  for (int w = 0; w < WRITERS; w++) {
    atomic_init(&s->published[w], 0);
    for (int i = 0; i <= MAX_SEQ; i++) atomic_init(&s->ordinals[w][i], 0);
  }
  for (int k = 0; k < SHARED_NAMES; k++) {
    atomic_init(&s->shared_added[k], 0);
    atomic_init(&s->shared_ordinal[k], 0);
  }
  return s;
}

static void count(shared_state *s, int which, long n) { atomic_fetch_add(&s->stats[which], n); }

/* ---- Names -------------------------------------------------------------- */

/* The member a writer adds as its seq-th. */
static void writer_name(char *out, size_t size, int writer, long seq) {
  snprintf(out, size, "W%02d_M%05ld", writer, seq);
}

static void shared_name(char *out, size_t size, int k) { snprintf(out, size, "SHARED_%02d", k); }

/* Another spelling of an ASCII name with the same key. */
static void spelling(char *out, size_t size, const char *name, unsigned which) {
  size_t i = 0;
  for (; name[i] && i + 1 < size; i++) {
    char c = name[i];
    if (which % 4 == 1 && c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (which % 4 == 2 && c == '_') c = '-';
    if (which % 4 == 3 && (i % 2) && c >= 'A' && c <= 'Z') c = (char)(c + 32);
    out[i] = c;
  }
  out[i] = 0;
}

static void sleep_ms(long ms) { sleep_us(ms * 1000); }

/* ---- Threads and their failures ---------------------------------------- */

typedef struct worker {
  shared_state *shared;
  const char *path;
  int number;      /* writer number 0..WRITERS-1, or resolver number */
  int is_writer;
  int in_parent; /* the parent's checks: counted by ctest, not in shared */
  unsigned seed;
  long failures;
  double retrying_since; /* when the current round of retries began */
} worker;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(worker *w, const char *format, ...) {
  char message[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  w->failures++;
  if (!w->in_parent) count(w->shared, STAT_FAILURES, 1);
  if (w->failures <= PRINTED_FAILURES) {
    printf("FAILED [pid %ld %s %d] %s\n", (long)getpid(), w->in_parent ? "parent" : w->is_writer ? "writer" : "resolver",
           w->number, message);
    fflush(stdout);
  }
}

static unsigned pick(worker *w, unsigned n) { return (unsigned)rand_r(&w->seed) % n; }

/* ---- SQL helpers --------------------------------------------------------- */

static int is_busy(int rc) { return (rc & 0xff) == SQLITE_BUSY; }

static void count_busy(shared_state *s, int rc) {
  count(s, rc == SQLITE_BUSY ? STAT_BUSY : rc == SQLITE_BUSY_SNAPSHOT ? STAT_BUSY_SNAPSHOT : STAT_BUSY_OTHER, 1);
}

/* A busy handler for half the writers.  sqlite3_busy_timeout's sleeps grow
** to 100 ms, so with several writers queued the write lock sits free most of
** the time and few transactions meet; this one polls every half
** millisecond, for as long in all. */
static int poll_busy(void *unused, int tries) {
  (void)unused;
  if (tries >= BUSY_TIMEOUT_MS * 2) return 0;
  struct timespec t = {0, 500000};
  nanosleep(&t, NULL);
  return 1;
}

/* Opens path with busy_timeout, or poll_busy when polling is set.
** NORMAL is durable against a process dying, which is all this needs, and
** WAL with NORMAL syncs only at checkpoints. */
static int open_db(const char *path, int polling, sqlite3 **db, char *why, size_t why_size) {
  return open_connection(path, polling ? poll_busy : NULL, BUSY_TIMEOUT_MS, "PRAGMA synchronous = NORMAL", db, why,
                         why_size);
}

/* Runs sql, which returns no row or one that does not matter. */
static int run(sqlite3 *db, const char *sql, const params *p) {
  int rows;
  return query(db, sql, p, NULL, 0, &rows);
}

/* Ends whatever transaction a failed attempt left open. */
static void roll_back(worker *w, sqlite3 *db) {
  if (sqlite3_get_autocommit(db)) return;
  int rc = sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  if (rc != SQLITE_OK) fail(w, "ROLLBACK failed: %s", sqlite3_errmsg(db));
}

/* Handles the outcome of an attempt that failed with rc (message saved in
** message): 1 to retry after SQLITE_BUSY, 0 after reporting a failure.
** A deferred transaction that finds the write lock taken gets SQLITE_BUSY
** at once, without the busy handler (waiting could deadlock), so the retry
** waits a random while first, as an application should, lest it spin. */
static int retry_or_fail(worker *w, sqlite3 *db, int rc, const char *message, int attempt, const char *what) {
  roll_back(w, db);
  if (attempt == 1) w->retrying_since = now_seconds();
  if (is_busy(rc) && now_seconds() - w->retrying_since < RETRY_LIMIT_S) {
    count_busy(w->shared, rc);
    sleep_ms(pick(w, attempt < 10 ? (unsigned)attempt + 1 : 10));
    return 1;
  }
  fail(w, "%s: %s (error %d, attempt %d)", what, message, rc, attempt);
  return 0;
}

/* Checks in one statement that name (a spelling of a member) resolves to
** the real member with that ordinal; retries after SQLITE_BUSY.  expect_key
** is the member's value. */
static void check_member(worker *w, sqlite3 *db, const char *name, const char *expect_key, sqlite3_int64 ordinal,
                         const char *when) {
  params p = {name, expect_key, 0, 0};
  for (int attempt = 1;; attempt++) {
    sqlite3_int64 got[3];
    int rows;
    int rc = query(db,
                   "SELECT dynenum_is_member('kind', ?1), dynenum_ordinal('kind', ?1), "
                   "dynenum_resolve('kind', ?1) IS ?2",
                   &p, got, 3, &rows);
    if (rc == SQLITE_OK) {
      if (got[0] != 1 || got[1] != ordinal || got[2] != 1) {
        fail(w, "%s: '%s' gives is_member %lld, ordinal %lld (expected %lld), resolves to its key %lld", when, name,
             got[0], got[1], ordinal, got[2]);
      }
      return;
    }
    char message[512];
    snprintf(message, sizeof message, "%s", sqlite3_errmsg(db));
    if (!retry_or_fail(w, db, rc, message, attempt, when)) return;
  }
}

/* ---- Writers ----------------------------------------------------------- */

enum {
  MODE_IMMEDIATE,  /* BEGIN IMMEDIATE, the member, an event, the log */
  MODE_DEFERRED,   /* BEGIN, a read, then the member: may go stale */
  MODE_AUTOCOMMIT, /* the member on its own, then the log on its own */
  MODE_PAIR,       /* two members in one INSERT */
  MODE_SAVEPOINT,  /* a member rolled back to a savepoint first */
  MODE_ROLLBACK,   /* a transaction rolled back first */
  MODE_SHARED,     /* a name every writer races to add */
  MODES
};

static const char *const mode_names[MODES] = {"immediate", "deferred", "autocommit", "pair",
                                              "savepoint", "rollback", "shared"};

/* Adds name and checks, inside the transaction, that the connection already
** sees it with the ordinal it got. */
static int add_member(worker *w, sqlite3 *db, const char *name, sqlite3_int64 *ordinal) {
  params p = {name, NULL, 0, 0};
  int rc = run(db, "INSERT INTO kind(name) VALUES (?1)", &p);
  if (rc != SQLITE_OK) return rc;
  *ordinal = sqlite3_last_insert_rowid(db);
  sqlite3_int64 got;
  int rows;
  rc = query(db, "SELECT dynenum_ordinal('kind', ?1)", &p, &got, 1, &rows);
  if (rc == SQLITE_OK && got != *ordinal) {
    fail(w, "'%s' was added with ordinal %lld but dynenum_ordinal says %lld in the same transaction", name, *ordinal,
         got);
  }
  return rc;
}

static int log_member(sqlite3 *db, const char *name, sqlite3_int64 ordinal, int writer, long seq) {
  params p = {name, NULL, ordinal, 0};
  char sql[160];
  snprintf(sql, sizeof sql, "INSERT INTO committed(name, ordinal, writer, seq) VALUES (?1, ?3, %d, %ld)", writer, seq);
  return run(db, sql, &p);
}

/* Adds a member and rolls it back, to a savepoint or with the whole
** transaction, then checks the connection no longer sees it. */
static int add_and_roll_back(worker *w, sqlite3 *db, long seq, int attempt, int savepoint) {
  char name[64];
  snprintf(name, sizeof name, "RB%02d_%05ld_%d", w->number, seq, attempt);
  params p = {name, NULL, 0, 0};
  sqlite3_int64 ordinal, got;
  int rows;
  int rc = sqlite3_exec(db, savepoint ? "SAVEPOINT undo" : "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = add_member(w, db, name, &ordinal);
  if (rc == SQLITE_OK) {
    rc = run(db, "INSERT INTO events(kind, canonical, member, writer) VALUES (?1, dynenum_resolve('kind', ?1), 1, -2)",
             &p);
  }
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_exec(db, savepoint ? "ROLLBACK TO undo; RELEASE undo" : "ROLLBACK", NULL, NULL, NULL);
  if (rc != SQLITE_OK) return rc;
  count(w->shared, STAT_ROLLED_BACK, 1);
  rc = query(db, "SELECT dynenum_is_member('kind', ?1) + coalesce(dynenum_ordinal('kind', ?1), 0)", &p, &got, 1,
             &rows);
  if (rc == SQLITE_OK && got != 0) fail(w, "'%s' is still a member after its rollback", name);
  return rc;
}

/* One attempt at adding the members seq .. seq+n-1 in the given mode. */
static int attempt_members(worker *w, sqlite3 *db, int mode, long seq, int n, sqlite3_int64 *ordinals,
                           int attempt) {
  char names[2][32];
  for (int i = 0; i < n; i++) writer_name(names[i], sizeof names[i], w->number, seq + i);
  int rc = SQLITE_OK;
  sqlite3_int64 snapshot_max = -1;
  switch (mode) {
    case MODE_DEFERRED: {
      int rows;
      rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
      if (rc == SQLITE_OK) {
        rc = query(db, "SELECT coalesce(max(ordinal), 0) FROM kind_members", NULL, &snapshot_max, 1, &rows);
      }
      break;
    }
    case MODE_ROLLBACK: rc = add_and_roll_back(w, db, seq, attempt, 0);
      /* fall through */
    default:
      if (rc == SQLITE_OK) rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      if (rc == SQLITE_OK && mode == MODE_SAVEPOINT) rc = add_and_roll_back(w, db, seq, attempt, 1);
      break;
  }
  if (rc != SQLITE_OK) return rc;
  if (mode == MODE_PAIR) {
    params p = {names[0], names[1], 0, 0};
    rc = run(db, "INSERT INTO kind(name) VALUES (?1), (?2)", &p);
    if (rc != SQLITE_OK) return rc;
    ordinals[1] = sqlite3_last_insert_rowid(db);
    ordinals[0] = ordinals[1] - 1;
  } else {
    rc = add_member(w, db, names[0], &ordinals[0]);
    if (rc != SQLITE_OK) return rc;
  }
  if (mode == MODE_DEFERRED && ordinals[0] != snapshot_max + 1) {
    fail(w, "'%s' got ordinal %lld in a transaction whose snapshot ended at %lld", names[0], ordinals[0],
         snapshot_max);
  }
  for (int i = 0; i < n && rc == SQLITE_OK; i++) rc = log_member(db, names[i], ordinals[i], w->number, seq + i);
  if (rc == SQLITE_OK) {
    /* The member is visible, as a member, to the statements of its own
    ** transaction, the indexes on events included. */
    params p = {names[0], NULL, w->number, 0};
    sqlite3_int64 member;
    int rows;
    rc = query(db,
               "INSERT INTO events(kind, canonical, member, writer) "
               "VALUES (?1, dynenum_resolve('kind', ?1), dynenum_is_member('kind', ?1), ?3) RETURNING member",
               &p, &member, 1, &rows);
    if (rc == SQLITE_OK) {
      count(w->shared, STAT_EVENTS, 1);
      if (member != 1) fail(w, "'%s' is not a member for the events row of its own transaction", names[0]);
    }
  }
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  return rc;
}

/* Autocommit: the member's INSERT commits on its own, so it is retried on
** its own, and so is the log's. */
static int autocommit_member(worker *w, sqlite3 *db, long seq, sqlite3_int64 *ordinal) {
  char name[32];
  writer_name(name, sizeof name, w->number, seq);
  params p = {name, NULL, 0, 0};
  for (int attempt = 1;; attempt++) {
    int rc = run(db, "INSERT INTO kind(name) VALUES (?1)", &p);
    if (rc == SQLITE_OK) break;
    if (!retry_or_fail(w, db, rc, sqlite3_errmsg(db), attempt, "autocommit INSERT INTO kind")) return 0;
  }
  *ordinal = sqlite3_last_insert_rowid(db);
  for (int attempt = 1;; attempt++) {
    int rc = log_member(db, name, *ordinal, w->number, seq);
    if (rc == SQLITE_OK) return 1;
    if (!retry_or_fail(w, db, rc, sqlite3_errmsg(db), attempt, "autocommit INSERT INTO committed")) return 0;
  }
}

/* Commits the members seq .. seq+n-1, retrying after SQLITE_BUSY. */
static int commit_members(worker *w, sqlite3 *db, int mode, long seq, int n, sqlite3_int64 *ordinals) {
  if (mode == MODE_AUTOCOMMIT) return autocommit_member(w, db, seq, ordinals);
  for (int attempt = 1;; attempt++) {
    int rc = attempt_members(w, db, mode, seq, n, ordinals, attempt);
    if (rc == SQLITE_OK) return 1;
    char message[512], what[96];
    snprintf(message, sizeof message, "%s", sqlite3_errmsg(db));
    snprintf(what, sizeof what, "adding W%02d_M%05ld (%s)", w->number, seq, mode_names[mode]);
    if (!retry_or_fail(w, db, rc, message, attempt, what)) return 0;
  }
}

/* Races the other writers to add a shared name in some spelling: exactly
** one may win; the others are refused (INSERT) or ignored (INSERT OR
** IGNORE), and then must see the winner's member. */
static void add_shared(worker *w, sqlite3 *db) {
  int k = (int)pick(w, SHARED_NAMES), or_ignore = (int)pick(w, 2);
  char canonical[32], name[32], key[32];
  shared_name(canonical, sizeof canonical, k);
  spelling(name, sizeof name, canonical, pick(w, 4));
  ascii_key(key, sizeof key, canonical);
  params p = {name, NULL, 0, 0};
  for (int attempt = 1;; attempt++) {
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
      rc = run(db, or_ignore ? "INSERT OR IGNORE INTO kind(name) VALUES (?1)" : "INSERT INTO kind(name) VALUES (?1)",
               &p);
    }
    int refused = (rc & 0xff) == SQLITE_CONSTRAINT || (rc == SQLITE_OK && sqlite3_changes(db) == 0);
    if (refused) {
      const char *message = sqlite3_errmsg(db);
      if (!or_ignore && !strstr(message, "collides with member") && !strstr(message, "is already in enum")) {
        fail(w, "adding '%s' again: unexpected message '%s'", name, message);
      }
      roll_back(w, db);
      count(w->shared, STAT_DUPLICATES, 1);
      return;
    }
    sqlite3_int64 ordinal = sqlite3_last_insert_rowid(db);
    if (rc == SQLITE_OK) rc = log_member(db, name, ordinal, w->number, -(k + 1));
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
      atomic_store(&w->shared->shared_ordinal[k], ordinal);
      if (atomic_fetch_add(&w->shared->shared_added[k], 1) != 0) {
        fail(w, "'%s' was added although another writer had added it", name);
      }
      count(w->shared, STAT_SHARED_ADDED, 1);
      check_member(w, db, canonical, key, ordinal, "shared name just added");
      return;
    }
    char message[512];
    snprintf(message, sizeof message, "%s", sqlite3_errmsg(db));
    if (!retry_or_fail(w, db, rc, message, attempt, "adding a shared name")) return;
  }
}

static void *writer_main(void *arg) {
  worker *w = arg;
  sqlite3 *db;
  char why[512];
  if (open_db(w->path, w->number % 2, &db, why, sizeof why) != SQLITE_OK) {
    fail(w, "%s", why);
  } else {
    long seq = 0;
    while (!atomic_load(&w->shared->stop) && seq + 2 <= MAX_SEQ && w->failures == 0) {
      int mode = (int)pick(w, MODES);
      if (mode == MODE_SHARED) {
        add_shared(w, db);
        continue;
      }
      int n = mode == MODE_PAIR ? 2 : 1;
      sqlite3_int64 ordinals[2];
      if (!commit_members(w, db, mode, seq + 1, n, ordinals)) break;
      for (int i = 0; i < n; i++) atomic_store_explicit(&w->shared->ordinals[w->number][seq + 1 + i], ordinals[i],
                                                        memory_order_relaxed);
      seq += n;
      atomic_store_explicit(&w->shared->published[w->number], seq, memory_order_release);
      count(w->shared, STAT_MEMBERS, n);
    }
    if (sqlite3_close(db) != SQLITE_OK) fail(w, "close: %s", sqlite3_errmsg(db));
  }
  atomic_fetch_sub(&w->shared->writers_running, 1);
  return NULL;
}

/* ---- Resolvers --------------------------------------------------------- */

/* The last member a writer published and its ordinal; 0 when none yet. */
static long published(shared_state *s, int writer, long *seq_out, sqlite3_int64 *ordinal) {
  long seq = atomic_load_explicit(&s->published[writer], memory_order_acquire);
  *seq_out = seq;
  *ordinal = seq ? atomic_load_explicit(&s->ordinals[writer][seq], memory_order_relaxed) : 0;
  return seq;
}

/* Checks that a member some writer published before this call is visible
** to the next statement, by a spelling of its name. */
static void check_published(worker *w, sqlite3 *db, const char *when) {
  int writer = (int)pick(w, WRITERS);
  long seq;
  sqlite3_int64 ordinal;
  if (!published(w->shared, writer, &seq, &ordinal)) return;
  if (pick(w, 3) == 0) { /* an older one now and then */
    seq = 1 + (long)pick(w, (unsigned)seq);
    ordinal = atomic_load_explicit(&w->shared->ordinals[writer][seq], memory_order_relaxed);
  }
  char name[32], shown[32], key[32];
  writer_name(name, sizeof name, writer, seq);
  spelling(shown, sizeof shown, name, pick(w, 4));
  ascii_key(key, sizeof key, name);
  check_member(w, db, shown, key, ordinal, when);
  count(w->shared, STAT_VISIBILITY, 1);
}

/* Inserts a few rows into events, by names of every kind: published
** members (which must be members), names a writer is about to add (either
** way), dynamic names (never members) and shared names. */
static void insert_events(worker *w, sqlite3 *db) {
  enum { ROWS = 3 };
  char names[ROWS][32], keys[ROWS][32];
  int must_be_member[ROWS];
  for (int i = 0; i < ROWS; i++) {
    int writer = (int)pick(w, WRITERS);
    long seq;
    sqlite3_int64 ordinal;
    char name[32];
    must_be_member[i] = -1; /* either */
    switch (pick(w, 4)) {
      case 0:
        if (published(w->shared, writer, &seq, &ordinal)) {
          writer_name(name, sizeof name, writer, seq);
          must_be_member[i] = 1;
        } else {
          writer_name(name, sizeof name, writer, 1);
        }
        break;
      case 1:
        published(w->shared, writer, &seq, &ordinal);
        writer_name(name, sizeof name, writer, seq + 1 + (long)pick(w, 2));
        break;
      case 2:
        snprintf(name, sizeof name, "Dyn_%u", pick(w, 100000));
        must_be_member[i] = 0;
        break;
      default: {
        int k = (int)pick(w, SHARED_NAMES);
        shared_name(name, sizeof name, k);
        if (atomic_load(&w->shared->shared_added[k])) must_be_member[i] = 1;
        break;
      }
    }
    spelling(names[i], sizeof names[i], name, pick(w, 4));
    ascii_key(keys[i], sizeof keys[i], name);
  }
  int in_transaction = (int)pick(w, 2);
  for (int attempt = 1;; attempt++) {
    int rc = in_transaction ? sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) : SQLITE_OK;
    for (int i = 0; i < ROWS && rc == SQLITE_OK; i++) {
      params p = {names[i], keys[i], 0, 0};
      sqlite3_int64 got[2];
      int rows;
      rc = query(db,
                 "INSERT INTO events(kind, canonical, member, writer) "
                 "VALUES (?1, dynenum_resolve('kind', ?1), dynenum_is_member('kind', ?1), -1) "
                 "RETURNING canonical IS ?2, member",
                 &p, got, 2, &rows);
      if (rc != SQLITE_OK) break;
      if (got[0] != 1) fail(w, "'%s' resolved to something other than '%s'", names[i], keys[i]);
      if (must_be_member[i] >= 0 && got[1] != must_be_member[i]) {
        fail(w, "'%s': dynenum_is_member gave %lld in an events row, expected %d", names[i], got[1],
             must_be_member[i]);
      }
      if (!in_transaction) count(w->shared, STAT_EVENTS, 1);
    }
    if (rc == SQLITE_OK && in_transaction) {
      rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
      if (rc == SQLITE_OK) count(w->shared, STAT_EVENTS, ROWS);
    }
    if (rc == SQLITE_OK) return;
    char message[512];
    snprintf(message, sizeof message, "%s", sqlite3_errmsg(db));
    if (!retry_or_fail(w, db, rc, message, attempt, "inserting events")) return;
  }
}

/* Holds a read transaction open while writers commit, and checks that the
** functions and the catalog show exactly the members of its snapshot: a
** member published after the snapshot began is a member in it exactly when
** the shadow table of the snapshot holds its ordinal. */
static int snapshot_attempt(worker *w, sqlite3 *db) {
  sqlite3_int64 head[2], catalog;
  int rows;
  int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = query(db, "SELECT count(*), coalesce(max(ordinal), 0) FROM kind_members", NULL, head, 2, &rows);
  if (rc != SQLITE_OK) return rc;
  if (head[0] != head[1]) fail(w, "a snapshot holds %lld members but ordinals up to %lld", head[0], head[1]);
  for (int i = 0; i < 4; i++) {
    int writer = (int)pick(w, WRITERS);
    long seq;
    sqlite3_int64 ordinal, got[2];
    if (!published(w->shared, writer, &seq, &ordinal)) continue;
    char name[32];
    writer_name(name, sizeof name, writer, seq);
    params p = {name, NULL, 0, 0};
    rc = query(db, "SELECT dynenum_is_member('kind', ?1), dynenum_ordinal('kind', ?1)", &p, got, 2, &rows);
    if (rc != SQLITE_OK) return rc;
    int visible = ordinal <= head[1];
    if (got[0] != visible || got[1] != (visible ? ordinal : -1)) {
      fail(w, "in a snapshot of %lld members, '%s' (ordinal %lld) gives is_member %lld and ordinal %lld", head[1], name,
           ordinal, got[0], got[1]);
    }
    sleep_ms(1);
  }
  rc = query(db, "SELECT count(*) FROM dynenum_members WHERE enum = 'kind'", NULL, &catalog, 1, &rows);
  if (rc != SQLITE_OK) return rc;
  if (catalog != head[0]) fail(w, "in a snapshot of %lld members the catalog lists %lld", head[0], catalog);
  rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (rc == SQLITE_OK) count(w->shared, STAT_SNAPSHOTS, 1);
  return rc;
}

static void check_snapshot(worker *w, sqlite3 *db) {
  for (int attempt = 1;; attempt++) {
    int rc = snapshot_attempt(w, db);
    if (rc == SQLITE_OK) return;
    char message[512];
    snprintf(message, sizeof message, "%s", sqlite3_errmsg(db));
    if (!retry_or_fail(w, db, rc, message, attempt, "checking a snapshot")) return;
  }
}

/* A connection opened just now must see what was published before. */
static void check_fresh(worker *w) {
  sqlite3 *db;
  char why[512];
  if (open_db(w->path, 0, &db, why, sizeof why) != SQLITE_OK) {
    fail(w, "%s", why);
    return;
  }
  check_published(w, db, "fresh connection");
  count(w->shared, STAT_FRESH, 1);
  if (sqlite3_close(db) != SQLITE_OK) fail(w, "close: %s", sqlite3_errmsg(db));
}

/* Every member the writers published, through this connection. */
static void check_every_member(worker *w, sqlite3 *db, const char *when) {
  for (int writer = 0; writer < WRITERS; writer++) {
    long last = atomic_load_explicit(&w->shared->published[writer], memory_order_acquire);
    for (long seq = 1; seq <= last; seq++) {
      char name[32], shown[32], key[32];
      writer_name(name, sizeof name, writer, seq);
      spelling(shown, sizeof shown, name, (unsigned)seq);
      ascii_key(key, sizeof key, name);
      check_member(w, db, shown, key, atomic_load_explicit(&w->shared->ordinals[writer][seq], memory_order_relaxed),
                   when);
    }
  }
  for (int k = 0; k < SHARED_NAMES; k++) {
    if (!atomic_load(&w->shared->shared_added[k])) continue;
    char name[32], key[32];
    shared_name(name, sizeof name, k);
    ascii_key(key, sizeof key, name);
    check_member(w, db, name, key, atomic_load(&w->shared->shared_ordinal[k]), when);
  }
}

static void *resolver_main(void *arg) {
  worker *w = arg;
  sqlite3 *db;
  char why[512];
  if (open_db(w->path, 0, &db, why, sizeof why) != SQLITE_OK) {
    fail(w, "%s", why);
    return NULL;
  }
  while (atomic_load(&w->shared->writers_running) > 0) {
    unsigned action = pick(w, 20);
    if (action < 8) check_published(w, db, "long-lived connection");
    else if (action < 15) insert_events(w, db);
    else if (action < 18) check_snapshot(w, db);
    else check_fresh(w);
  }
  /* The run is over: this connection, open all along, must see it all. */
  check_every_member(w, db, "long-lived connection after the run");
  if (sqlite3_close(db) != SQLITE_OK) fail(w, "close: %s", sqlite3_errmsg(db));
  return NULL;
}

/* ---- The processes ----------------------------------------------------- */

/* A child: its writers and resolvers, each a thread.  Exits 0 when none of
** them failed. */
static void child_main(shared_state *s, const char *path, int process, unsigned seed) {
  enum { THREADS = WRITERS_PER_PROCESS + RESOLVERS_PER_PROCESS };
  worker workers[THREADS];
  pthread_t threads[THREADS];
  int started = 0;
  long failures = 0;
  for (int i = 0; i < THREADS; i++) {
    worker *w = &workers[i];
    memset(w, 0, sizeof *w);
    w->shared = s;
    w->path = path;
    w->is_writer = i < WRITERS_PER_PROCESS;
    w->number = w->is_writer ? process * WRITERS_PER_PROCESS + i : process * RESOLVERS_PER_PROCESS + i - WRITERS_PER_PROCESS;
    w->seed = seed + (unsigned)(process * 1000 + i);
    int rc = pthread_create(&threads[i], NULL, w->is_writer ? writer_main : resolver_main, w);
    if (rc != 0) {
      printf("FAILED [pid %ld] pthread_create: %s\n", (long)getpid(), strerror(rc));
      failures++;
      if (w->is_writer) atomic_fetch_sub(&s->writers_running, 1);
      count(s, STAT_FAILURES, 1);
      break;
    }
    started++;
  }
  for (int i = 0; i < started; i++) {
    int rc = pthread_join(threads[i], NULL);
    if (rc != 0) failures++;
    failures += workers[i].failures;
  }
  fflush(stdout);
  _exit(failures ? 1 : 0);
}

/* ---- The parent's checks ----------------------------------------------- */

/* Reads one row of integers in the parent; CHECKs that it succeeds. */
static int parent_query(sqlite3 *db, const char *sql, sqlite3_int64 *columns, int n, const char *when) {
  int rows;
  int rc = query(db, sql, NULL, columns, n, &rows);
  if (!CHECK_INT_EQ(SQLITE_OK, rc, "%s: %s", when, sql)) {
    printf("  error:    %s\n", sqlite3_errmsg(db));
    return 0;
  }
  return CHECK_INT_EQ(1, rows, "%s: one row from %s", when, sql);
}

/* While the children run: the parent's long-lived connection must see
** every member published before each of its statements. */
static void watch_run(shared_state *s, sqlite3 *db, double seconds, unsigned seed) {
  worker w = {s, NULL, 0, 0, 1, seed, 0, 0};
  double end = now_seconds() + seconds;
  long checks = 0;
  while (now_seconds() < end) {
    for (int i = 0; i < 4; i++, checks++) check_published(&w, db, "the parent's long-lived connection, during the run");
    sleep_ms(20);
  }
  CHECK_INT_EQ(0, w.failures, "the parent's long-lived connection saw every published member during the run");
  printf("     (%ld checks by the parent's long-lived connection during the run)\n", checks);
}

/* The shadow table: ordinals 1..N without a gap, every name and value a
** key of its own member only, added members valued by their keys, and no
** rolled-back member. */
static void check_shadow(sqlite3 *db, sqlite3_int64 *members) {
  sqlite3_int64 got[4];
  if (parent_query(db, "SELECT count(*), min(ordinal), max(ordinal), count(DISTINCT ordinal) FROM kind_members", got, 4,
                   "shadow table")) {
    *members = got[0];
    CHECK_INT_EQ(1, got[1], "the first ordinal");
    CHECK_INT_EQ(got[0], got[2], "the last ordinal is the number of members (no gap)");
    CHECK_INT_EQ(got[0], got[3], "ordinals are unique");
  }
  if (parent_query(db,
                   "SELECT count(*) FROM (SELECT key FROM (SELECT ordinal, dynenum_key(name) AS key FROM kind_members "
                   "UNION SELECT ordinal, dynenum_key(value) FROM kind_members) GROUP BY key HAVING count(*) > 1)",
                   got, 1, "shadow table keys")) {
    CHECK_INT_EQ(0, got[0], "keys shared by two members");
  }
  if (parent_query(db, "SELECT count(*) FROM kind_members WHERE ordinal > 3 AND value IS NOT dynenum_key(name)", got, 1,
                   "added members' values")) {
    CHECK_INT_EQ(0, got[0], "added members whose value is not the key of their name");
  }
  if (parent_query(db, "SELECT count(*) FROM kind_members WHERE name LIKE 'RB%'", got, 1, "rolled-back members")) {
    CHECK_INT_EQ(0, got[0], "rolled-back members on disk");
  }
  if (parent_query(db, "SELECT count(*) FROM events WHERE kind LIKE 'RB%'", got, 1, "rolled-back events")) {
    CHECK_INT_EQ(0, got[0], "rows of rolled-back transactions in events");
  }
}

/* The members are exactly those the writers committed: the log table, the
** shared memory and the shadow table agree. */
static void check_committed(shared_state *s, sqlite3 *db, sqlite3_int64 members) {
  sqlite3_int64 got[2];
  long published_total = 0, shared_total = 0;
  for (int w = 0; w < WRITERS; w++) published_total += atomic_load(&s->published[w]);
  for (int k = 0; k < SHARED_NAMES; k++) {
    int added = atomic_load(&s->shared_added[k]);
    CHECK(added <= 1, "shared name %d added %d times", k, added);
    shared_total += added;
  }
  CHECK_INT_EQ(INITIAL_MEMBERS + published_total + shared_total, members,
               "members on disk = initial + published by writers + shared names added");
  if (parent_query(db,
                   "SELECT count(*), (SELECT count(*) FROM committed) FROM committed JOIN kind_members USING (ordinal) "
                   "WHERE kind_members.name = committed.name",
                   got, 2, "log table")) {
    CHECK_INT_EQ(got[1], got[0], "logged members found on disk with their ordinal and exact name");
    CHECK_INT_EQ(members - INITIAL_MEMBERS, got[1], "logged members = added members");
  }
  /* Each published member on disk with the ordinal the writer was given. */
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(db, "SELECT ordinal FROM kind_members WHERE name = ?1", -1, &stmt, NULL);
  if (!CHECK_INT_EQ(SQLITE_OK, rc, "prepare: %s", sqlite3_errmsg(db))) return;
  long wrong = 0;
  for (int w = 0; w < WRITERS; w++) {
    long last = atomic_load(&s->published[w]);
    for (long seq = 1; seq <= last; seq++) {
      char name[32];
      writer_name(name, sizeof name, w, seq);
      sqlite3_reset(stmt);
      sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
      if (sqlite3_step(stmt) != SQLITE_ROW || sqlite3_column_int64(stmt, 0) != atomic_load(&s->ordinals[w][seq])) {
        if (wrong++ < 5) printf("  %s is not on disk with ordinal %ld\n", name, (long)atomic_load(&s->ordinals[w][seq]));
      }
    }
  }
  sqlite3_finalize(stmt);
  CHECK_INT_EQ(0, wrong, "published members missing on disk or with another ordinal");
  for (int k = 0; k < SHARED_NAMES; k++) {
    char name[32], sql[200];
    shared_name(name, sizeof name, k);
    snprintf(sql, sizeof sql, "SELECT count(*), coalesce(max(ordinal), 0) FROM kind_members WHERE name = '%s' COLLATE DYNENUM",
             name);
    if (parent_query(db, sql, got, 2, "shared name")) {
      int added = atomic_load(&s->shared_added[k]);
      CHECK_INT_EQ(added, got[0], "copies of %s on disk", name);
      if (added) CHECK_INT_EQ(atomic_load(&s->shared_ordinal[k]), got[1], "ordinal of %s", name);
    }
  }
}

/* What the extension shows through db: the catalog and the enum's table
** equal the shadow table, and every member resolves to itself, by its name
** and by other spellings. */
static void check_extension(sqlite3 *db, sqlite3_int64 members, const char *which) {
  sqlite3_int64 got[1];
  static const char *const comparisons[] = {
      "SELECT count(*) FROM (SELECT ordinal, name, value FROM dynenum_members WHERE enum = 'kind' "
      "EXCEPT SELECT ordinal, name, value FROM kind_members)",
      "SELECT count(*) FROM (SELECT ordinal, name, value FROM kind_members "
      "EXCEPT SELECT ordinal, name, value FROM dynenum_members WHERE enum = 'kind')",
      "SELECT count(*) FROM (SELECT ordinal, name, value FROM kind EXCEPT SELECT ordinal, name, value FROM kind_members)",
      "SELECT count(*) FROM (SELECT ordinal, name, value FROM kind_members EXCEPT SELECT ordinal, name, value FROM kind)",
      "SELECT count(*) FROM kind_members WHERE dynenum_ordinal('kind', name) IS NOT ordinal "
      "OR dynenum_is_member('kind', name) IS NOT 1 OR dynenum_resolve('kind', name) IS NOT value "
      "OR dynenum_ordinal('kind', upper(name)) IS NOT ordinal OR dynenum_ordinal('kind', lower(name)) IS NOT ordinal "
      "OR dynenum_ordinal('kind', replace(name, '_', '-')) IS NOT ordinal "
      "OR dynenum_resolve('kind', value) IS NOT value",
  };
  static const char *const what[] = {"catalog rows not on disk", "disk rows not in the catalog",
                                     "enum table rows not on disk", "disk rows not in the enum table",
                                     "members that do not resolve to themselves"};
  for (size_t i = 0; i < sizeof comparisons / sizeof comparisons[0]; i++) {
    if (parent_query(db, comparisons[i], got, 1, which)) CHECK_INT_EQ(0, got[0], "%s: %s", which, what[i]);
  }
  /* The catalog lists the members in order, 1..N. */
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(db, "SELECT ordinal FROM dynenum_members WHERE enum = 'kind'", -1, &stmt, NULL);
  if (!CHECK_INT_EQ(SQLITE_OK, rc, "%s: prepare: %s", which, sqlite3_errmsg(db))) return;
  sqlite3_int64 expected = 1;
  long out_of_order = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (sqlite3_column_int64(stmt, 0) != expected++) out_of_order++;
  }
  CHECK_INT_EQ(SQLITE_DONE, rc, "%s: reading the catalog: %s", which, sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  CHECK_INT_EQ(0, out_of_order, "%s: catalog rows out of order", which);
  CHECK_INT_EQ(members, expected - 1, "%s: catalog rows", which);
}

/* Every row of events resolved as its name resolves now, flagged a member
** only if it is one now, and found through both indexes. */
static void check_events(sqlite3 *db) {
  sqlite3_int64 got[2];
  if (parent_query(db, "SELECT count(*) FROM events WHERE canonical IS NOT dynenum_key(kind)", got, 1, "events")) {
    CHECK_INT_EQ(0, got[0], "events rows whose canonical value is not the key of their kind");
  }
  if (parent_query(db,
                   "SELECT count(*) FROM events WHERE canonical IS NOT dynenum_resolve('kind', kind) "
                   "OR (member AND NOT dynenum_is_member('kind', kind)) OR (kind LIKE 'dyn%' AND member)",
                   got, 1, "events")) {
    CHECK_INT_EQ(0, got[0], "events rows that resolve differently now, or flagged members wrongly");
  }
  /* An index on a COLLATE DYNENUM column and one on dynenum_resolve(): a
  ** lookup through each finds what a scan finds. */
  if (parent_query(db,
                   "SELECT count(*) FROM (SELECT dynenum_key(kind) AS k, count(*) AS n FROM events NOT INDEXED "
                   "GROUP BY 1) WHERE n IS NOT (SELECT count(*) FROM events WHERE kind = k) "
                   "OR n IS NOT (SELECT count(*) FROM events WHERE dynenum_resolve('kind', kind) = k)",
                   got, 1, "events indexes")) {
    CHECK_INT_EQ(0, got[0], "names whose index lookups and scans disagree");
  }
  if (parent_query(db, "SELECT count(*), count(DISTINCT canonical) FROM events", got, 2, "events")) {
    printf("     (%lld rows in events, %lld distinct names)\n", got[0], got[1]);
  }
}

/* A direct check of the member table through a connection, for the
** long-lived and fresh connections after the run. */
static void check_every_member_parent(shared_state *s, sqlite3 *db, const char *which) {
  worker w = {s, NULL, 0, 0, 1, 1, 0, 0};
  check_every_member(&w, db, which);
  CHECK_INT_EQ(0, w.failures, "%s resolves every committed member to the member", which);
}

/* ---- Setup and main ---------------------------------------------------- */

static int setup_database(const char *path) {
  sqlite3 *db;
  char why[512], mode[16];
  ctest_group("setup: a WAL database with an enum, an events table and a log");
  if (!CHECK_INT_EQ(SQLITE_OK, open_db(path, 0, &db, why, sizeof why), "open: %s", why)) return 0;
  CHECK_INT_EQ(SQLITE_OK, pragma_text(db, "PRAGMA journal_mode = WAL", mode, sizeof mode), "journal_mode");
  CHECK_STR_EQ("wal", mode, "journal mode");
  int rc = sqlite3_exec(db,
                        "CREATE VIRTUAL TABLE kind USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat', "
                        "\"Legacy Completions\" = 'completions');"
                        "CREATE TABLE events(id INTEGER PRIMARY KEY, kind TEXT NOT NULL COLLATE DYNENUM, "
                        "  canonical TEXT NOT NULL, member INTEGER NOT NULL, writer INTEGER NOT NULL);"
                        "CREATE INDEX events_kind ON events(kind);"
                        "CREATE INDEX events_canonical ON events(dynenum_resolve('kind', kind));"
                        "CREATE TABLE committed(name TEXT PRIMARY KEY, ordinal INTEGER NOT NULL UNIQUE, "
                        "  writer INTEGER NOT NULL, seq INTEGER NOT NULL);",
                        NULL, NULL, NULL);
  CHECK_INT_EQ(SQLITE_OK, rc, "schema: %s", sqlite3_errmsg(db));
  CHECK_INT_EQ(SQLITE_OK, sqlite3_close(db), "close");
  return rc == SQLITE_OK;
}

static void print_stats(shared_state *s) {
  for (int i = 0; i < STAT_COUNT; i++) printf("     %-38s %ld\n", stat_names[i], (long)atomic_load(&s->stats[i]));
}

/* Waits for the children, killing any still running after the timeout. */
static int wait_children(const pid_t *pids, int n) {
  int clean = 1, left = n;
  int done[PROCESSES] = {0};
  double give_up = now_seconds() + FINISH_TIMEOUT_S;
  while (left > 0) {
    for (int i = 0; i < n; i++) {
      int status;
      if (done[i]) continue;
      pid_t got = waitpid(pids[i], &status, WNOHANG);
      if (got == 0) continue;
      done[i] = 1;
      left--;
      if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        clean = 0;
        printf("  child %ld ended with status 0x%x\n", (long)pids[i], got < 0 ? -1 : status);
      }
    }
    if (left > 0 && now_seconds() > give_up) {
      for (int i = 0; i < n; i++) {
        if (!done[i]) {
          printf("  child %ld still running after %d s: killed\n", (long)pids[i], FINISH_TIMEOUT_S);
          kill(pids[i], SIGKILL);
          waitpid(pids[i], NULL, 0);
          done[i] = 1;
          left--;
        }
      }
      clean = 0;
    }
    if (left > 0) sleep_ms(10);
  }
  return clean;
}

int main(int argc, char **argv) {
  const char *seconds_text = argc > 1 ? argv[1] : getenv("DYNENUM_STRESS_SECONDS");
  double seconds = seconds_text ? atof(seconds_text) : 10;
  unsigned seed = stress_seed();
  if (seconds <= 0) {
    fprintf(stderr, "usage: %s [SECONDS]  (SECONDS > 0)\n", argv[0]);
    return 2;
  }
  char dir[4096], path[4200];
  if (!make_directory(dir, sizeof dir, "dynenum-stress")) return 1;
  snprintf(path, sizeof path, "%s/stress.db", dir);
  printf("concurrency: %d processes x (%d writers + %d resolvers), %.1f s of additions, seed %u, SQLite %s\n", PROCESSES,
         WRITERS_PER_PROCESS, RESOLVERS_PER_PROCESS, seconds, seed, sqlite3_libversion());

  shared_state *s = shared_state_map();
  if (!s) {
    printf("mmap: %s\n", strerror(errno));
    return 1;
  }
  if (!atomic_is_lock_free(&s->stats[0]) || !atomic_is_lock_free(&s->stop)) {
    printf("the atomics are not lock-free, so they cannot be shared between processes\n");
    return 1;
  }
  if (!setup_database(path)) {
    remove_directory(dir);
    return ctest_finish();
  }

  /* No connection is open in this process across the forks. */
  ctest_group("run: writers and resolvers in several processes");
  pid_t pids[PROCESSES];
  int forked = 0;
  fflush(stdout);
  for (int i = 0; i < PROCESSES; i++) {
    pid_t pid = fork();
    if (pid == 0) child_main(s, path, i, seed);
    if (!CHECK(pid > 0, "fork: %s", strerror(errno))) break;
    pids[forked++] = pid;
  }
  if (forked < PROCESSES) {
    atomic_store(&s->stop, 1);
    atomic_store(&s->writers_running, 0);
  }

  sqlite3 *long_lived = NULL;
  char why[512];
  double started = now_seconds();
  if (CHECK_INT_EQ(SQLITE_OK, open_db(path, 0, &long_lived, why, sizeof why), "%s", why)) {
    watch_run(s, long_lived, seconds, seed);
  } else {
    sleep_ms((long)(seconds * 1000));
  }
  atomic_store(&s->stop, 1);
  int clean = wait_children(pids, forked);
  printf("     (run took %.1f s)\n", now_seconds() - started);
  print_stats(s);
  CHECK(clean, "every child exits with status 0");
  CHECK_INT_EQ(0, atomic_load(&s->stats[STAT_FAILURES]), "failures reported by the children");
  CHECK(atomic_load(&s->stats[STAT_MEMBERS]) > 0, "writers added members");
  CHECK(atomic_load(&s->stats[STAT_VISIBILITY]) > 0, "resolvers checked published members");
  CHECK(atomic_load(&s->stats[STAT_EVENTS]) > 0, "rows went into events");

  sqlite3 *fresh = NULL;
  ctest_group("after the run: the file");
  if (CHECK_INT_EQ(SQLITE_OK, open_db(path, 0, &fresh, why, sizeof why), "%s", why)) {
    char result[256];
    CHECK_INT_EQ(SQLITE_OK, pragma_text(fresh, "PRAGMA integrity_check", result, sizeof result), "prepare");
    CHECK_STR_EQ("ok", result, "PRAGMA integrity_check");
    sqlite3_int64 members = -1;
    check_shadow(fresh, &members);
    printf("     (%lld members)\n", members);

    ctest_group("after the run: the members are exactly those committed");
    check_committed(s, fresh, members);

    ctest_group("after the run: a fresh connection");
    check_extension(fresh, members, "fresh connection");
    check_every_member_parent(s, fresh, "fresh connection");

    ctest_group("after the run: the parent's long-lived connection");
    if (long_lived) {
      check_extension(long_lived, members, "long-lived connection");
      check_every_member_parent(s, long_lived, "long-lived connection");
    }

    ctest_group("after the run: events rows and their indexes");
    check_events(fresh);
  }
  if (fresh) CHECK_INT_EQ(SQLITE_OK, sqlite3_close(fresh), "close the fresh connection");
  if (long_lived) CHECK_INT_EQ(SQLITE_OK, sqlite3_close(long_lived), "close the long-lived connection");
  remove_directory(dir);
  munmap(s, sizeof *s);
  return ctest_finish();
}
