/*
** crash_test.c: a process adding members is killed with SIGKILL, again and
** again, and the database it leaves must hold exactly what it committed
** (make test-stress).
**
**     build/stress/crash_test [ITERATIONS]
**
** ITERATIONS (default $DYNENUM_CRASH_ITERATIONS, else 40) kills are done
** for each of two databases, one in WAL mode and one with a rollback
** journal; $DYNENUM_STRESS_SEED makes the random choices repeatable (the
** seed is printed either way).  The files live in a directory made by
** mkdtemp under $TMPDIR (or /tmp), removed at the end.
**
** Three kinds of process, so that no SQLite connection ever crosses a
** fork:
**
**   - this one, which never opens the database: it forks a writer, lets it
**     run for a random while (sometimes not even until it has opened the
**     database), kills it with SIGKILL and asks the checker to check;
**   - a writer per iteration (the extension compiled in, the system
**     SQLite), which adds members until it is killed, in every way the
**     module allows: autocommit INSERTs, transactions of several members
**     and rows of a table with a COLLATE DYNENUM index and an index on
**     dynenum_resolve(), multi-row INSERTs, savepoints rolled back, whole
**     transactions rolled back, big transactions with a tiny page cache
**     (so that SQLite spills pages to the file, or to the WAL, before
**     COMMIT), checkpoints, and refused duplicates;
**   - one checker per database, alive through all the kills, with a
**     long-lived connection; after each kill it opens a fresh one as well.
**
** What the writer commits it tells the checker through a log file, one
** line per write() (a write() that returned survives the process, killed
** or not; no fsync is needed for a crash that is not the machine's):
**
**   T name...   the batch about to be added, written before its BEGIN (or
**               its INSERT, when that commits on its own)
**   C           that batch committed: written once COMMIT has returned
**   R name      a member about to be added and then rolled back
**
** So the members committed are those of every batch confirmed by a C, in
** order, plus perhaps the one batch announced by a T and not confirmed:
** the writer may have died while adding it, during its COMMIT, or after
** COMMIT returned but before writing C.  That batch is on disk whole or not at all, after every
** confirmed one.  A line the kill cut short is ignored (it can only be the
** last, and ignoring it only widens what the checker accepts to the rule
** above).  After each kill the checker requires, through both connections:
** PRAGMA integrity_check is ok; the shadow table holds exactly the
** confirmed members, in order with ordinals 1..N, plus the whole in-flight
** batch or none of it (which one is then known, and becomes part of what
** was committed); no rolled-back member anywhere; the catalog and the
** enum's table list the same rows; every member resolves, in several
** spellings, to itself with its ordinal, and the members of the in-flight
** batch that did not land and the rolled-back ones are not members; the
** rows of "items" resolve as their names do and their indexes agree with a
** scan.  Now and then the checker adds a member itself through its
** long-lived connection, between two kills.
**
** Ends with "N errors out of M tests", the line tools/stress.sh reads.
*/
#define _DEFAULT_SOURCE 1 /* mkdtemp */
#define _POSIX_C_SOURCE 200809L
#define SQLITE_CORE 1 /* the extension is compiled in, not loaded */

#include "ctest.h"
#include "stress.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ENUM_NAME "crash_kind"
#define INITIAL_MEMBERS 2
#define MAX_KILL_DELAY_US 40000 /* after the writer has opened the database */
#define WRITER_CAP_S 20         /* a writer never killed stops by itself */
#define MAX_BATCH 64
#define NAME_SIZE 32
#define LINE_SIZE (MAX_BATCH * NAME_SIZE + 16)
#define OWN_EVERY 7 /* the checker adds a member itself every so many kills */
#define BUSY_TIMEOUT_MS 5000

/* ---- Small helpers ----------------------------------------------------- */

/* Writes all of buffer, or returns 0. */
static int write_all(int fd, const void *buffer, size_t n) {
  const char *p = buffer;
  while (n > 0) {
    ssize_t done = write(fd, p, n);
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return 0;
    p += done;
    n -= (size_t)done;
  }
  return 1;
}

static int read_all(int fd, void *buffer, size_t n) {
  char *p = buffer;
  while (n > 0) {
    ssize_t done = read(fd, p, n);
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return 0;
    p += done;
    n -= (size_t)done;
  }
  return 1;
}

/* ---- The writer ---------------------------------------------------------- */

typedef struct writer {
  sqlite3 *db;
  int log;  /* the log file */
  int wal;  /* the database is in WAL mode */
  int iteration;
  int next; /* number of the next member name */
  unsigned seed;
} writer;

static unsigned writer_pick(writer *w, unsigned n) { return (unsigned)rand_r(&w->seed) % n; }

/* Stops the writer on anything unexpected: the main process sees the exit
** status 2 instead of death by SIGKILL. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3), noreturn))
#endif
static void writer_abort(writer *w, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  printf("FAILED [writer of iteration %d] ", w->iteration);
  vprintf(format, ap);
  printf(": %s\n", w->db ? sqlite3_errmsg(w->db) : "");
  va_end(ap);
  fflush(stdout);
  _exit(2);
}

static void writer_log(writer *w, const char *line) {
  if (!write_all(w->log, line, strlen(line))) writer_abort(w, "cannot write the log: %s", strerror(errno));
}

static void writer_exec(writer *w, const char *sql) {
  if (sqlite3_exec(w->db, sql, NULL, NULL, NULL) != SQLITE_OK) writer_abort(w, "%s", sql);
}

/* Runs sql binding names[0..n) to ?1..?n. */
static void writer_run(writer *w, const char *sql, char (*names)[NAME_SIZE], int n) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(w->db, sql, -1, &stmt, NULL) != SQLITE_OK) writer_abort(w, "prepare %s", sql);
  for (int i = 0; i < n; i++) {
    if (sqlite3_bind_text(stmt, i + 1, names[i], -1, SQLITE_STATIC) != SQLITE_OK) writer_abort(w, "bind");
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) writer_abort(w, "%s", sql);
  sqlite3_finalize(stmt);
}

static void next_name(writer *w, char *name) {
  snprintf(name, NAME_SIZE, "I%03d_N%04d", w->iteration, w->next++);
}

/* Adds names[0..n) as members, a few per multi-row INSERT, and a row of
** items for each. */
static void add_members(writer *w, char (*names)[NAME_SIZE], int n) {
  for (int i = 0; i < n;) {
    int k = 1 + (int)writer_pick(w, 3);
    if (k > n - i) k = n - i;
    const char *sql = k == 1 ? "INSERT INTO " ENUM_NAME "(name) VALUES (?1)"
                      : k == 2 ? "INSERT INTO " ENUM_NAME "(name) VALUES (?1), (?2)"
                               : "INSERT INTO " ENUM_NAME "(name) VALUES (?1), (?2), (?3)";
    writer_run(w, sql, names + i, k);
    i += k;
  }
  for (int i = 0; i < n; i++) {
    writer_run(w, "INSERT INTO items(kind, canonical) VALUES (?1, dynenum_resolve('" ENUM_NAME "', ?1))", names + i, 1);
  }
}

/* Announces a batch: "T name...". */
static void announce(writer *w, char (*names)[NAME_SIZE], int n) {
  char line[LINE_SIZE];
  size_t used = (size_t)snprintf(line, sizeof line, "T");
  for (int i = 0; i < n; i++) used += (size_t)snprintf(line + used, sizeof line - used, " %s", names[i]);
  snprintf(line + used, sizeof line - used, "\n");
  writer_log(w, line);
}

/* Confirms the batch just committed.  Now and then after a pause: a kill
** rarely lands in the microseconds between COMMIT and the write, and the
** checker must be seen to accept a batch that landed unconfirmed. */
static void confirm(writer *w) {
  if (writer_pick(w, 4) == 0) sleep_us(1000 + writer_pick(w, 2000));
  writer_log(w, "C\n");
}

/* A member added and then undone: announced as "R name" first. */
static void add_rolled_back(writer *w, char (*name)[NAME_SIZE]) {
  char line[64];
  snprintf(*name, NAME_SIZE, "RB%03d_%04d", w->iteration, w->next++);
  snprintf(line, sizeof line, "R %s\n", *name);
  writer_log(w, line);
  add_members(w, name, 1);
}

/* One batch of some kind. */
static void writer_batch(writer *w) {
  char names[MAX_BATCH][NAME_SIZE];
  char undone[1][NAME_SIZE];
  unsigned kind = writer_pick(w, 16);
  if (kind < 4) { /* one member, committing on its own */
    next_name(w, names[0]);
    announce(w, names, 1);
    writer_run(w, "INSERT INTO " ENUM_NAME "(name) VALUES (?1)", names, 1);
    confirm(w);
  } else if (kind < 12) { /* a transaction of a few members, perhaps a savepoint undone */
    int n = 1 + (int)writer_pick(w, 6);
    for (int i = 0; i < n; i++) next_name(w, names[i]);
    announce(w, names, n);
    writer_exec(w, writer_pick(w, 2) ? "BEGIN IMMEDIATE" : "BEGIN");
    if (kind >= 10) {
      writer_exec(w, "SAVEPOINT undo");
      add_rolled_back(w, undone);
      writer_exec(w, "ROLLBACK TO undo");
      writer_exec(w, "RELEASE undo");
    }
    add_members(w, names, n);
    writer_exec(w, "COMMIT");
    confirm(w);
  } else if (kind < 13) { /* a big transaction: with a tiny cache, pages spill before COMMIT */
    int n = MAX_BATCH / 2 + (int)writer_pick(w, MAX_BATCH / 2);
    for (int i = 0; i < n; i++) next_name(w, names[i]);
    announce(w, names, n);
    writer_exec(w, "BEGIN");
    add_members(w, names, n);
    writer_exec(w, "COMMIT");
    confirm(w);
  } else if (kind < 14) { /* a transaction rolled back whole */
    writer_exec(w, "BEGIN");
    add_rolled_back(w, undone);
    add_rolled_back(w, undone);
    writer_exec(w, "ROLLBACK");
  } else if (kind < 15) { /* a duplicate, in another spelling: refused, nothing to log */
    static const char *const spellings[] = {"openai-chat", "Anthropic_Chat", "ANTHROPIC-CHAT"};
    snprintf(names[0], NAME_SIZE, "%s", spellings[writer_pick(w, 3)]);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(w->db, "INSERT INTO " ENUM_NAME "(name) VALUES (?1)", -1, &stmt, NULL) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 1, names[0], -1, SQLITE_STATIC) != SQLITE_OK) {
      writer_abort(w, "prepare the duplicate");
    }
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if ((rc & 0xff) != SQLITE_CONSTRAINT) writer_abort(w, "adding '%s' again gave %d", names[0], rc);
  } else if (w->wal) {
    writer_exec(w, writer_pick(w, 2) ? "PRAGMA wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(PASSIVE)");
  }
}

/* Adds members until killed.  Tells the main process, through ready, once
** the database is open. */
static void writer_main(const char *path, const char *log_path, int wal, int iteration, unsigned seed, int ready) {
  writer w = {NULL, -1, wal, iteration, 0, seed};
  char why[512];
  w.log = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (w.log < 0) writer_abort(&w, "cannot open %s: %s", log_path, strerror(errno));
  if (open_connection(path, NULL, BUSY_TIMEOUT_MS, NULL, &w.db, why, sizeof why) != SQLITE_OK) {
    writer_abort(&w, "%s", why);
  }
  static const char *const synchronous[] = {"PRAGMA synchronous = OFF", "PRAGMA synchronous = NORMAL",
                                            "PRAGMA synchronous = FULL"};
  writer_exec(&w, synchronous[writer_pick(&w, 3)]);
  writer_exec(&w, writer_pick(&w, 2) ? "PRAGMA cache_size = 4" : "PRAGMA cache_size = -2000");
  char byte = 'r';
  if (!write_all(ready, &byte, 1)) writer_abort(&w, "cannot tell it is ready");
  close(ready);
  double end = now_seconds() + WRITER_CAP_S;
  while (now_seconds() < end) writer_batch(&w);
  sqlite3_close(w.db);
  _exit(0);
}

/* ---- The checker ------------------------------------------------------- */

/* What the checker knows the database must hold. */
typedef struct expectation {
  char (*names)[NAME_SIZE]; /* committed members in order, initial ones included */
  int count, capacity;
  char (*undone)[NAME_SIZE]; /* never members: rolled back, or lost in flight */
  int undone_count, undone_capacity;
} expectation;

static int remember(char (**list)[NAME_SIZE], int *count, int *capacity, const char *name) {
  if (*count == *capacity) {
    int grown = *capacity ? *capacity * 2 : 256;
    char(*bigger)[NAME_SIZE] = realloc(*list, sizeof **list * (size_t)grown);
    if (!bigger) return 0;
    *list = bigger;
    *capacity = grown;
  }
  snprintf((*list)[(*count)++], NAME_SIZE, "%s", name);
  return 1;
}

/* What a check found, sent back to the main process. */
typedef struct check_report {
  int failures;
  int members;
  int in_flight;   /* 0: no batch in flight; 1: it landed; 2: it did not */
  int in_flight_n; /* members in it */
  int torn;        /* the log ended in a cut line */
} check_report;

typedef struct checker {
  const char *path, *dir;
  int wal;
  sqlite3 *long_lived;
  expectation expected;
  check_report report;
} checker;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void checker_fail(checker *c, const char *format, ...) {
  va_list ap;
  if (c->report.failures++ < 8) {
    va_start(ap, format);
    printf("FAILED [checker, %s] ", c->wal ? "wal" : "rollback journal");
    vprintf(format, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
  }
}

/* The batches of one writer's log: confirmed ones are appended to what is
** expected; the unconfirmed one, if any, is left in pending. */
static int read_log(checker *c, const char *log_path, char (*pending)[NAME_SIZE], int *pending_n) {
  FILE *f = fopen(log_path, "r");
  char line[LINE_SIZE + 2];
  int have_pending = 0;
  *pending_n = 0;
  if (!f) return 1; /* killed before it made the file */
  while (fgets(line, sizeof line, f)) {
    size_t n = strlen(line);
    if (n == 0 || line[n - 1] != '\n') {
      c->report.torn = 1; /* cut short by the kill: must be the last */
      if (fgets(line, sizeof line, f)) checker_fail(c, "a line of %s was cut short in the middle of the log", log_path);
      break;
    }
    line[n - 1] = 0;
    if (line[0] == 'T' && (line[1] == ' ' || line[1] == 0)) {
      if (have_pending) checker_fail(c, "%s: a batch announced before the last was confirmed", log_path);
      have_pending = 1;
      *pending_n = 0;
      for (char *name = strtok(line + 1, " "); name; name = strtok(NULL, " ")) {
        if (*pending_n < MAX_BATCH) snprintf(pending[(*pending_n)++], NAME_SIZE, "%s", name);
      }
    } else if (strcmp(line, "C") == 0) {
      if (!have_pending) checker_fail(c, "%s: a commit confirmed without its batch", log_path);
      for (int i = 0; i < *pending_n; i++) {
        if (!remember(&c->expected.names, &c->expected.count, &c->expected.capacity, pending[i])) return 0;
      }
      have_pending = 0;
      *pending_n = 0;
    } else if (line[0] == 'R' && line[1] == ' ') {
      if (!remember(&c->expected.undone, &c->expected.undone_count, &c->expected.undone_capacity, line + 2)) return 0;
    } else {
      checker_fail(c, "%s: unreadable line '%s'", log_path, line);
    }
  }
  fclose(f);
  if (!have_pending) *pending_n = 0;
  return 1;
}

/* The members on disk, in ordinal order, through db; checks the ordinals
** run 1..N.  Returns the count, or -1. */
static int read_disk(checker *c, sqlite3 *db, char (**out)[NAME_SIZE]) {
  sqlite3_stmt *stmt;
  int n = 0, capacity = 0;
  *out = NULL;
  if (sqlite3_prepare_v2(db, "SELECT ordinal, name FROM " ENUM_NAME "_members ORDER BY ordinal", -1, &stmt, NULL) !=
      SQLITE_OK) {
    checker_fail(c, "reading the shadow table: %s", sqlite3_errmsg(db));
    return -1;
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (sqlite3_column_int64(stmt, 0) != n + 1) {
      checker_fail(c, "the shadow table has ordinal %lld where %d was due", sqlite3_column_int64(stmt, 0), n + 1);
      n = -1;
      break;
    }
    if (!remember(out, &n, &capacity, (const char *)sqlite3_column_text(stmt, 1))) {
      n = -1;
      break;
    }
  }
  if (n >= 0 && rc != SQLITE_DONE) {
    checker_fail(c, "reading the shadow table: %s", sqlite3_errmsg(db));
    n = -1;
  }
  sqlite3_finalize(stmt);
  return n;
}

static int same_names(char (*a)[NAME_SIZE], char (*b)[NAME_SIZE], int n) {
  for (int i = 0; i < n; i++) {
    if (strcmp(a[i], b[i]) != 0) return 0;
  }
  return 1;
}

/* Checks the members through the extension on db: catalog and enum table
** equal the shadow table; each expected member, in several spellings,
** resolves to itself with its ordinal; nothing undone is a member. */
static void check_extension(checker *c, sqlite3 *db, const char *which) {
  static const char *const comparisons[] = {
      "SELECT count(*) FROM (SELECT ordinal, name, value FROM dynenum_members WHERE enum = '" ENUM_NAME "' "
      "EXCEPT SELECT ordinal, name, value FROM " ENUM_NAME "_members)",
      "SELECT count(*) FROM (SELECT ordinal, name, value FROM " ENUM_NAME "_members "
      "EXCEPT SELECT ordinal, name, value FROM dynenum_members WHERE enum = '" ENUM_NAME "')",
      "SELECT count(*) FROM (SELECT ordinal, name, value FROM " ENUM_NAME " "
      "EXCEPT SELECT ordinal, name, value FROM " ENUM_NAME "_members)",
      "SELECT count(*) FROM (SELECT ordinal, name, value FROM " ENUM_NAME "_members "
      "EXCEPT SELECT ordinal, name, value FROM " ENUM_NAME ")",
      "SELECT (SELECT count(*) FROM dynenum_members WHERE enum = '" ENUM_NAME "') - "
      "(SELECT count(*) FROM " ENUM_NAME "_members)",
      "SELECT count(*) FROM items WHERE canonical IS NOT dynenum_key(kind) "
      "OR canonical IS NOT dynenum_resolve('" ENUM_NAME "', kind) OR NOT dynenum_is_member('" ENUM_NAME "', kind)",
      "SELECT count(*) FROM (SELECT dynenum_key(kind) AS k, count(*) AS n FROM items NOT INDEXED GROUP BY 1) "
      "WHERE n IS NOT (SELECT count(*) FROM items WHERE kind = k) "
      "OR n IS NOT (SELECT count(*) FROM items WHERE dynenum_resolve('" ENUM_NAME "', kind) = k)",
      "SELECT count(*) FROM items WHERE kind LIKE 'RB%'",
  };
  static const char *const what[] = {
      "catalog rows not on disk", "disk rows not in the catalog", "enum table rows not on disk",
      "disk rows not in the enum table", "catalog rows minus disk rows", "items resolving wrongly",
      "names whose index lookups and scans of items disagree", "items of rolled-back transactions"};
  for (size_t i = 0; i < sizeof comparisons / sizeof comparisons[0]; i++) {
    sqlite3_int64 got;
    int rows;
    int rc = query(db, comparisons[i], NULL, &got, 1, &rows);
    if (rc != SQLITE_OK) checker_fail(c, "%s: %s: %s", which, comparisons[i], sqlite3_errmsg(db));
    else if (got != 0) checker_fail(c, "%s: %lld %s", which, got, what[i]);
  }
  for (int i = 0; i < c->expected.count; i++) {
    char shown[NAME_SIZE], key[NAME_SIZE];
    const char *name = c->expected.names[i];
    ascii_key(key, sizeof key, name);
    /* The name, its key, and its key with '-' for '_'. */
    snprintf(shown, sizeof shown, "%s", name);
    if (i % 3 == 1) snprintf(shown, sizeof shown, "%s", key);
    for (char *p = shown; i % 3 == 2 && *p; p++) {
      if (*p == '_') *p = '-';
    }
    sqlite3_int64 got[3];
    int rows;
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT dynenum_is_member('" ENUM_NAME "', ?1), dynenum_ordinal('" ENUM_NAME "', ?1), "
             "dynenum_resolve('" ENUM_NAME "', ?1) IS '%s'",
             i < INITIAL_MEMBERS ? (i == 0 ? "openai_chat" : "anthropic_chat") : key);
    int rc = query(db, sql, &(params){shown, NULL, 0, 0}, got, 3, &rows);
    if (rc != SQLITE_OK) {
      checker_fail(c, "%s: resolving '%s': %s", which, shown, sqlite3_errmsg(db));
    } else if (got[0] != 1 || got[1] != i + 1 || got[2] != 1) {
      checker_fail(c, "%s: '%s' gives is_member %lld, ordinal %lld (expected %d), resolves to itself %lld", which,
                   shown, got[0], got[1], i + 1, got[2]);
    }
  }
  for (int i = 0; i < c->expected.undone_count; i++) {
    sqlite3_int64 got[2];
    int rows;
    const char *name = c->expected.undone[i];
    int rc = query(db, "SELECT dynenum_is_member('" ENUM_NAME "', ?1), dynenum_ordinal('" ENUM_NAME "', ?1)",
                   &(params){name, NULL, 0, 0}, got,
                   2, &rows);
    if (rc != SQLITE_OK) checker_fail(c, "%s: resolving '%s': %s", which, name, sqlite3_errmsg(db));
    else if (got[0] != 0 || got[1] != -1) checker_fail(c, "%s: '%s', never committed, is a member", which, name);
  }
}

static void check_integrity(checker *c, sqlite3 *db) {
  char result[512];
  if (pragma_text(db, "PRAGMA integrity_check", result, sizeof result) != SQLITE_OK) {
    checker_fail(c, "PRAGMA integrity_check: %s", sqlite3_errmsg(db));
  } else if (strcmp(result, "ok") != 0) {
    checker_fail(c, "PRAGMA integrity_check: %s", result);
  }
}

/* After the kill that ended iteration: reads its log, finds on disk where
** the batch in flight went, and checks both connections. */
static void check_iteration(checker *c, int iteration) {
  char log_path[4200], why[512];
  char pending[MAX_BATCH][NAME_SIZE];
  int pending_n;
  memset(&c->report, 0, sizeof c->report);
  snprintf(log_path, sizeof log_path, "%s/%s-%03d.log", c->dir, c->wal ? "wal" : "journal", iteration);
  if (!read_log(c, log_path, pending, &pending_n)) {
    checker_fail(c, "out of memory");
    return;
  }
  /* The fresh connection first: it recovers the file (a hot journal, a WAL
  ** without its index) as any first reader after a crash would. */
  sqlite3 *fresh;
  if (open_connection(c->path, NULL, BUSY_TIMEOUT_MS, NULL, &fresh, why, sizeof why) != SQLITE_OK) {
    checker_fail(c, "%s", why);
    return;
  }
  check_integrity(c, fresh);
  char(*disk)[NAME_SIZE];
  int on_disk = read_disk(c, fresh, &disk);
  int expected = c->expected.count;
  if (on_disk >= 0) {
    int prefix = on_disk >= expected && same_names(disk, c->expected.names, expected);
    if (prefix && on_disk == expected) {
      c->report.in_flight = pending_n ? 2 : 0;
      for (int i = 0; i < pending_n; i++) {
        remember(&c->expected.undone, &c->expected.undone_count, &c->expected.undone_capacity, pending[i]);
      }
    } else if (prefix && pending_n && on_disk == expected + pending_n && same_names(disk + expected, pending, pending_n)) {
      c->report.in_flight = 1;
      for (int i = 0; i < pending_n; i++) {
        remember(&c->expected.names, &c->expected.count, &c->expected.capacity, pending[i]);
      }
    } else {
      checker_fail(c, "iteration %d: %d members on disk; expected the %d committed, plus perhaps the whole batch of %d in "
                   "flight", iteration, on_disk, expected, pending_n);
      for (int i = 0; i < on_disk && i < expected + pending_n; i++) {
        const char *want = i < expected ? c->expected.names[i] : pending[i - expected];
        if (strcmp(disk[i], want) != 0) {
          checker_fail(c, "  ordinal %d: '%s' on disk, '%s' expected", i + 1, disk[i], want);
          break;
        }
      }
    }
  }
  c->report.in_flight_n = pending_n;
  c->report.members = on_disk;
  free(disk);
  check_extension(c, fresh, "fresh connection");
  if (sqlite3_close(fresh) != SQLITE_OK) checker_fail(c, "close: %s", sqlite3_errmsg(fresh));
  check_extension(c, c->long_lived, "long-lived connection");

  /* Now and then a member added between two kills, by the connection that
  ** lives through them. */
  if (iteration % OWN_EVERY == OWN_EVERY - 1) {
    char name[NAME_SIZE];
    int rows;
    snprintf(name, sizeof name, "OWN%03d", iteration);
    int rc = query(c->long_lived, "INSERT INTO " ENUM_NAME "(name) VALUES (?1)", &(params){name, NULL, 0, 0}, NULL, 0,
                   &rows);
    sqlite3_int64 got = sqlite3_last_insert_rowid(c->long_lived);
    if (rc != SQLITE_OK) {
      checker_fail(c, "the checker adding '%s': %s", name, sqlite3_errmsg(c->long_lived));
    } else {
      if (got != c->expected.count + 1) checker_fail(c, "'%s' got ordinal %lld, not %d", name, got, c->expected.count + 1);
      remember(&c->expected.names, &c->expected.count, &c->expected.capacity, name);
      c->report.members++;
    }
  }
}

static int checker_setup(checker *c, const char *why_prefix) {
  char why[512];
  sqlite3 *db = c->long_lived;
  char mode[16];
  pragma_text(db, c->wal ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE", mode, sizeof mode);
  if (strcmp(mode, c->wal ? "wal" : "delete") != 0) {
    checker_fail(c, "%s: journal_mode is '%s'", why_prefix, mode);
    return 0;
  }
  int rc = sqlite3_exec(db,
                        "CREATE VIRTUAL TABLE " ENUM_NAME " USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat');"
                        "CREATE TABLE items(id INTEGER PRIMARY KEY, kind TEXT NOT NULL COLLATE DYNENUM, "
                        "  canonical TEXT NOT NULL);"
                        "CREATE INDEX items_kind ON items(kind);"
                        "CREATE INDEX items_canonical ON items(dynenum_resolve('" ENUM_NAME "', kind));",
                        NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    snprintf(why, sizeof why, "%s", sqlite3_errmsg(db));
    checker_fail(c, "%s: schema: %s", why_prefix, why);
    return 0;
  }
  remember(&c->expected.names, &c->expected.count, &c->expected.capacity, "OPENAI_CHAT");
  remember(&c->expected.names, &c->expected.count, &c->expected.capacity, "ANTHROPIC_CHAT");
  return 1;
}

/* The checker process: creates the database, then checks after each kill
** it is told of (an iteration number through commands; -1 ends it),
** answering with a check_report through replies. */
static void checker_main(const char *path, const char *dir, int wal, int commands, int replies) {
  checker c;
  char why[512];
  memset(&c, 0, sizeof c);
  c.path = path;
  c.dir = dir;
  c.wal = wal;
  if (open_connection(path, NULL, BUSY_TIMEOUT_MS, NULL, &c.long_lived, why, sizeof why) != SQLITE_OK) {
    checker_fail(&c, "%s", why);
  } else if (checker_setup(&c, "setup")) {
    check_iteration(&c, -1); /* the database as created */
  }
  write_all(replies, &c.report, sizeof c.report);
  int iteration;
  while (c.long_lived && read_all(commands, &iteration, sizeof iteration) && iteration >= 0) {
    check_iteration(&c, iteration);
    if (!write_all(replies, &c.report, sizeof c.report)) break;
  }
  int failures = c.report.failures;
  if (c.long_lived && sqlite3_close(c.long_lived) != SQLITE_OK) failures++;
  free(c.expected.names);
  free(c.expected.undone);
  fflush(stdout);
  _exit(failures ? 1 : 0);
}

/* ---- The main process ---------------------------------------------------- */

/* Starts a writer and kills it after a random while; returns 1 when it was
** killed (or, never reached, ended by itself) as planned. */
static int run_writer(const char *path, const char *log_path, int wal, int iteration, unsigned *seed, int *early) {
  int ready[2];
  if (pipe(ready) != 0) return 0;
  unsigned writer_seed = (unsigned)rand_r(seed);
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) return 0;
  if (pid == 0) {
    close(ready[0]);
    writer_main(path, log_path, wal, iteration, writer_seed, ready[1]);
  }
  close(ready[1]);
  /* One kill in eight lands before the writer is even ready: while it
  ** opens the database and recovers it from the last crash. */
  *early = rand_r(seed) % 8 == 0;
  if (*early) {
    sleep_us(rand_r(seed) % 3000);
  } else {
    struct pollfd p = {ready[0], POLLIN, 0};
    char byte;
    if (poll(&p, 1, 30000) != 1 || read(ready[0], &byte, 1) != 1) {
      printf("  iteration %d: the writer never got ready\n", iteration);
    } else {
      sleep_us(rand_r(seed) % MAX_KILL_DELAY_US);
    }
  }
  close(ready[0]);
  kill(pid, SIGKILL);
  int status;
  if (waitpid(pid, &status, 0) != pid) return 0;
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) return 1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 1; /* ran out its time: fine */
  printf("  iteration %d: the writer ended with status 0x%x\n", iteration, status);
  return 0;
}

/* All the kills for one database. */
static void run_phase(const char *dir, int wal, int iterations, unsigned *seed) {
  char path[4200];
  const char *label = wal ? "wal" : "journal";
  snprintf(path, sizeof path, "%s/%s.db", dir, label);
  int commands[2], replies[2];
  if (!CHECK(pipe(commands) == 0 && pipe(replies) == 0, "pipe: %s", strerror(errno))) return;
  fflush(stdout);
  pid_t checker_pid = fork();
  if (!CHECK(checker_pid >= 0, "fork: %s", strerror(errno))) return;
  if (checker_pid == 0) {
    close(commands[1]);
    close(replies[0]);
    checker_main(path, dir, wal, commands[0], replies[1]);
  }
  close(commands[0]);
  close(replies[1]);
  check_report report;
  int alive = read_all(replies[0], &report, sizeof report);
  CHECK(alive && report.failures == 0, "%s: the database as created", label);
  int landed = 0, lost = 0, quiet = 0, torn = 0, early = 0, members = alive ? report.members : 0;
  double started = now_seconds();
  for (int i = 0; alive && i < iterations; i++) {
    char log_path[4200];
    int was_early = 0;
    snprintf(log_path, sizeof log_path, "%s/%s-%03d.log", dir, label, i);
    CHECK(run_writer(path, log_path, wal, i, seed, &was_early), "%s: iteration %d: the writer died by SIGKILL", label, i);
    early += was_early;
    alive = write_all(commands[1], &i, sizeof i) && read_all(replies[0], &report, sizeof report);
    if (!CHECK(alive, "%s: iteration %d: the checker answers", label, i)) break;
    CHECK_INT_EQ(0, report.failures, "%s: iteration %d: the checker's failures", label, i);
    landed += report.in_flight == 1;
    lost += report.in_flight == 2;
    quiet += report.in_flight == 0;
    torn += report.torn;
    members = report.members;
    unlink(log_path);
  }
  int stop = -1, status = 0;
  write_all(commands[1], &stop, sizeof stop);
  close(commands[1]);
  close(replies[0]);
  pid_t ended = waitpid(checker_pid, &status, 0);
  CHECK(ended == checker_pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "%s: the checker ends cleanly (status 0x%x)", label, status);
  printf("     (%s: %d kills in %.1f s, %d of them before the writer was ready; batch in flight at the kill: %d "
         "landed, %d lost, %d kills between batches; %d log lines cut short; %d members at the end)\n",
         label, iterations, now_seconds() - started, early, landed, lost, quiet, torn, members);
  CHECK(landed + lost > 0, "%s: some kills hit a batch in flight", label);
  static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    char file[4300];
    snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
    unlink(file);
  }
}

int main(int argc, char **argv) {
  const char *iterations_text = argc > 1 ? argv[1] : getenv("DYNENUM_CRASH_ITERATIONS");
  int iterations = iterations_text ? atoi(iterations_text) : 40;
  unsigned seed = stress_seed();
  if (iterations <= 0 || iterations > 999) {
    fprintf(stderr, "usage: %s [ITERATIONS]  (1 to 999)\n", argv[0]);
    return 2;
  }
  char dir[4096];
  if (!make_directory(dir, sizeof dir, "dynenum-crash")) return 1;
  printf("crash: %d SIGKILLs of a writer per database, seed %u, SQLite %s\n", iterations, seed, sqlite3_libversion());
  ctest_group("kills of a writer on a WAL database");
  run_phase(dir, 1, iterations, &seed);
  ctest_group("kills of a writer on a database with a rollback journal");
  run_phase(dir, 0, iterations, &seed);
  remove_directory(dir);
  return ctest_finish();
}
