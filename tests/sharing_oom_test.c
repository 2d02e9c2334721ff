/*
** sharing_oom_test.c: out-of-memory sweeps of the
** paths by which connections share a published copy (docs/SPEC.md section
** 12): a second connection's first statement takes the copy another one
** published; a holder of a shared copy moves to the version another
** connection committed (build and publish); a connection's own copy,
** refreshed after its own commit, is published.  And the key table (section
** 12.6): a fresh connection's lazy look-ups in a big enum, a holder's after
** another connection's commit, and the write of an added member's key at
** commit.  Every allocation of the
** step fails once (then, with --persistent, from there on); the step must
** succeed with the right answers or fail with SQLITE_NOMEM, then answer
** right with the allocator working again, and after every connection is
** closed no block may be left (the table of published enums holds none).
**
** Run by make test-oom, with ASan.
*/
#define _POSIX_C_SOURCE 200809L
#define SQLITE_CORE 1

#include "sqlite/binding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
  long calls, fail_from, injected, live;
  int persistent;
} faults;

static int inject(void) {
  faults.calls++;
  if (!faults.fail_from || faults.calls < faults.fail_from) return 0;
  if (!faults.persistent && faults.calls != faults.fail_from) return 0;
  faults.injected++;
  return 1;
}
#define HDR 16
static void *m_malloc(int n) {
  if (inject()) return NULL;
  char *b = malloc(HDR + (size_t)n);
  if (!b) return NULL;
  memcpy(b, &n, sizeof n);
  faults.live++;
  return b + HDR;
}
static void m_free(void *p) {
  if (!p) return;
  faults.live--;
  free((char *)p - HDR);
}
static void *m_realloc(void *p, int n) {
  if (inject()) return NULL;
  char *b = realloc((char *)p - HDR, HDR + (size_t)n);
  if (!b) return NULL;
  memcpy(b, &n, sizeof n);
  return b + HDR;
}
static int m_size(void *p) {
  int n = 0;
  if (p) memcpy(&n, (char *)p - HDR, sizeof n);
  return n;
}
static int m_roundup(int n) { return n; }
static int m_init(void *u) { (void)u; return SQLITE_OK; }
static void m_shutdown(void *u) { (void)u; }

static void arm(long n, int persistent) {
  faults.calls = 0;
  faults.injected = 0;
  faults.fail_from = n;
  faults.persistent = persistent;
}

static char path[512];
static int failures;

#define FAIL(...)                                                                                                      \
  do {                                                                                                                 \
    if (failures++ < 20) {                                                                                             \
      fprintf(stderr, __VA_ARGS__);                                                                                    \
      fputc('\n', stderr);                                                                                             \
    }                                                                                                                  \
  } while (0)

static sqlite3 *open_db(void) {
  sqlite3 *db = NULL;
  char *err = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
      sqlite3_dynenum_init(db, &err, NULL) != SQLITE_OK) {
    sqlite3_free(err);
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, 2000);
  return db;
}

/* The one integer sql answers; -2 on error (rc in *rc). */
static long long one(sqlite3 *db, const char *sql, int *rc) {
  sqlite3_stmt *st;
  long long v = -2;
  *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (*rc != SQLITE_OK) return v;
  *rc = sqlite3_step(st);
  if (*rc == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
    *rc = SQLITE_OK;
  }
  int f = sqlite3_finalize(st);
  if (*rc == SQLITE_OK) *rc = f;
  return v;
}

static int exec(sqlite3 *db, const char *sql) { return sqlite3_exec(db, sql, NULL, NULL, NULL); }

/* The question every step asks: the members the copy has, counted by the
** catalog, against the members table, and one member by name. */
static const char *QUESTION =
    "SELECT (SELECT count(*) FROM dynenum_members WHERE enum = 'e') * 1000 + dynenum_ordinal('e', 'member_7')";

static long long truth(sqlite3 *db) {
  int rc;
  return one(db, "SELECT (SELECT count(*) FROM e_members) * 1000 + 7", &rc);
}

/* The key table's steps ask about the enum big instead, lazily where they
** can: an ordinal, a member by its alias and a name that is not one (a miss,
** which loads big whole).  The answer packs them as digits. */
static const char *BIG_QUESTION =
    "SELECT dynenum_ordinal('big', 'Member-1000') * 100 + dynenum_is_member('big', 'old_one') * 10 + "
    "dynenum_is_member('big', 'nobody') + (SELECT count(*) FROM big_members) * 1000000";

/* The big enum's truth from its members table, and a check of its key
** table: no row of it may name a member whose key it is not. */
static long long big_truth(sqlite3 *db) {
  int rc;
  long long lies = one(db,
                       "SELECT count(*) FROM big_keys AS k LEFT JOIN big_members AS m ON m.ordinal = k.ordinal "
                       "WHERE k.ordinal > 0 AND (m.ordinal IS NULL OR (k.key IS NOT CAST(m.value AS BLOB) "
                       "AND k.key IS NOT CAST(lower(m.name) AS BLOB)))",
                       &rc);
  if (rc != SQLITE_OK || lies != 0) return -3;
  return one(db, "SELECT 100010 + (SELECT count(*) FROM big_members) * 1000000", &rc);
}

/* One run of step s with allocation n failing: 1 when it met no failure. */
static int run_step(int s, long n, int persistent) {
  long base = faults.live;
  arm(0, 0);
  int rc;
  sqlite3 *a = open_db(), *b = NULL;
  if (!a) {
    FAIL("open a");
    return 1;
  }
  one(a, QUESTION, &rc); /* a's copy, published */
  if (s == 1 || s == 2) {
    b = open_db();
    one(b, QUESTION, &rc); /* b takes it */
  }
  if (s == 1) exec(a, "INSERT INTO e(name) VALUES ('ADDED_BY_A')"); /* b moves to the next version */
  if (s == 5) { /* a holds big's published copy; another connection commits */
    one(a, BIG_QUESTION, &rc);
    sqlite3 *w = open_db();
    exec(w, "INSERT INTO big(name) VALUES ('Added_Elsewhere')");
    sqlite3_close(w);
  }
  if (s == 2) exec(a, "INSERT INTO e(name) VALUES ('ADDED_BY_A_AGAIN')"); /* a's own copy, then published */
  sqlite3 *asker = s == 0 || s == 3 ? NULL : s == 1 ? b : a; /* 5: a */
  const char *question = s >= 3 ? BIG_QUESTION : QUESTION;
  arm(n, persistent);
  if (s == 0 || s == 3) {
    b = open_db();
    asker = b;
  }
  /* Step 4: the commit that writes an added member's key. */
  if (s == 4) rc = exec(a, "INSERT INTO big(name) VALUES ('Added_Late')");
  long long got = asker && !(s == 4 && rc != SQLITE_OK) ? one(asker, question, &rc) : -2;
  if (!asker) rc = SQLITE_NOMEM;
  int injected = faults.injected > 0;
  arm(0, 0);
  long long want = s >= 3 ? big_truth(a) : truth(a);
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM && rc != SQLITE_IOERR_NOMEM) {
    FAIL("step %d, n %ld: rc %d (%s), not NOMEM", s, n, rc, asker ? sqlite3_errmsg(asker) : "open");
  }
  if (rc == SQLITE_OK && got != want) FAIL("step %d, n %ld: answered %lld, the file says %lld", s, n, got, want);
  if (asker) {
    long long again = one(asker, question, &rc);
    if (rc != SQLITE_OK || again != want) FAIL("step %d, n %ld: afterwards %lld (rc %d), the file says %lld", s, n, again, rc, want);
  }
  sqlite3 *c = open_db();
  long long fresh = c ? one(c, question, &rc) : -2;
  if (fresh != want) FAIL("step %d, n %ld: a new connection answers %lld, the file says %lld", s, n, fresh, want);
  sqlite3_close(c);
  sqlite3_close(b);
  sqlite3_close(a);
  if (faults.live != base) FAIL("step %d, n %ld: %ld blocks left after closing", s, n, faults.live - base);
  return !injected;
}

static void make_file(void) {
  sqlite3 *db;
  unlink(path);
  db = open_db();
  exec(db, "CREATE VIRTUAL TABLE e USING dynenum(MEMBER_1);"
           "INSERT INTO e(name) WITH RECURSIVE c(i) AS (VALUES (2) UNION ALL SELECT i + 1 FROM c WHERE i < 50)"
           " SELECT 'MEMBER_' || i FROM c;"
           "CREATE VIRTUAL TABLE big USING dynenum(MEMBER_0001, OLD_ONE = MEMBER_0001);"
           "INSERT INTO big(name) WITH RECURSIVE c(i) AS (VALUES (2) UNION ALL SELECT i + 1 FROM c WHERE i < 1100)"
           " SELECT printf('MEMBER_%04d', i) FROM c");
  sqlite3_close(db);
}

int main(int argc, char **argv) {
  static const sqlite3_mem_methods mm = {m_malloc, m_free, m_realloc, m_size, m_roundup, m_init, m_shutdown, NULL};
  snprintf(path, sizeof path, "%s/sharing_oom.db", argc > 1 ? argv[1] : "/tmp");
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mm) != SQLITE_OK || sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0) != SQLITE_OK ||
      sqlite3_initialize() != SQLITE_OK) {
    return 1;
  }
  const char *names[6] = {"a second connection takes the published copy",
                          "a holder moves to the version another connection committed",
                          "a connection's own copy is published after its commit",
                          "a fresh connection answers lazily from the key table",
                          "a commit writes an added member's key",
                          "a holder of a published copy answers lazily after another's commit"};
  int tests = 0, errors = 0;
  for (int persistent = 0; persistent < 2; persistent++) {
    for (int s = 0; s < 6; s++) {
      int before = failures;
      long n;
      make_file();
      for (n = 1; n < 100000; n++) {
        if (s >= 1 && s != 3) make_file(); /* each run commits */
        if (run_step(s, n, persistent)) break;
      }
      tests++;
      if (failures != before) errors++;
      printf("%s %s%s: N = 1 to %ld\n", failures == before ? "ok  " : "FAIL", names[s],
             persistent ? " (persistent)" : "", n);
    }
  }
  unlink(path);
  printf("%d errors out of %d tests\n", errors, tests);
  return errors != 0;
}
