/*
** stress.h: what the two stress tests (concurrency_test.c, crash_test.c)
** share: opening a connection with the extension compiled in, reading a
** row of integers or the text a PRAGMA returns, ASCII keys, time, the seed
** and the temporary directory.  Header only, like ctest.h: a test program
** includes it once, after its feature macros (_DEFAULT_SOURCE for mkdtemp,
** _POSIX_C_SOURCE) and SQLITE_CORE.  The functions are static inline so
** that a program need not use all of them.
*/
#ifndef DYNENUM_STRESS_H
#define DYNENUM_STRESS_H

#include "sqlite/binding.h" /* sqlite3.h and sqlite3_dynenum_init */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline void sleep_us(long us) {
  struct timespec t = {us / 1000000, (us % 1000000) * 1000L};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

static inline double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The key of an ASCII name, computed here rather than by the extension:
** lower case, '-' as '_'. */
static inline void ascii_key(char *out, size_t size, const char *name) {
  size_t i = 0;
  for (; name[i] && i + 1 < size; i++) {
    char c = name[i];
    out[i] = c == '-' ? '_' : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  out[i] = 0;
}

/* Opens path and registers dynenum on the connection, as an application
** with the extension compiled in would.  Locks are waited for by busy when
** given, else for timeout_ms; setup_sql, when given, runs next.  On an
** error *db is NULL and why says what went wrong. */
static inline int open_connection(const char *path, int (*busy)(void *, int), int timeout_ms, const char *setup_sql,
                                  sqlite3 **db, char *why, size_t why_size) {
  char *error = NULL;
  int rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_extended_result_codes(*db, 1);
    rc = busy ? sqlite3_busy_handler(*db, busy, NULL) : sqlite3_busy_timeout(*db, timeout_ms);
    if (rc == SQLITE_OK && setup_sql) rc = sqlite3_exec(*db, setup_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_dynenum_init(*db, &error, NULL);
  }
  if (rc != SQLITE_OK) {
    snprintf(why, why_size, "cannot open %s: %s", path, error ? error : *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
    sqlite3_free(error);
    sqlite3_close(*db);
    *db = NULL;
  }
  return rc;
}

/* The parameters of one statement: ?1 and ?2 text, ?3 and ?4 integers,
** each bound only when the statement has that many. */
typedef struct params {
  const char *text1, *text2;
  sqlite3_int64 int3, int4;
} params;

/* Runs sql with p (or none), reads the first row's first n columns into
** columns (NULL as -1; all -1 when no row comes) and steps to the end.
** Returns SQLITE_OK with *rows set to how many rows came, or the error (its
** message in the connection). */
static inline int query(sqlite3 *db, const char *sql, const params *p, sqlite3_int64 *columns, int n, int *rows) {
  sqlite3_stmt *stmt;
  for (int i = 0; i < n; i++) columns[i] = -1;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  *rows = 0;
  if (rc != SQLITE_OK) return rc;
  int bound = sqlite3_bind_parameter_count(stmt);
  if (p && bound >= 1) rc = sqlite3_bind_text(stmt, 1, p->text1, -1, SQLITE_TRANSIENT);
  if (p && bound >= 2 && rc == SQLITE_OK) rc = sqlite3_bind_text(stmt, 2, p->text2, -1, SQLITE_TRANSIENT);
  if (p && bound >= 3 && rc == SQLITE_OK) rc = sqlite3_bind_int64(stmt, 3, p->int3);
  if (p && bound >= 4 && rc == SQLITE_OK) rc = sqlite3_bind_int64(stmt, 4, p->int4);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if ((*rows)++ == 0) {
      for (int i = 0; i < n; i++) {
        columns[i] = sqlite3_column_type(stmt, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(stmt, i);
      }
    }
    rc = SQLITE_OK;
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  sqlite3_finalize(stmt);
  return rc;
}

/* Runs a PRAGMA such as integrity_check or journal_mode and puts the text
** of its rows, joined by "; ", into out (cut to size).  Returns the error
** of preparing it; out is then empty. */
static inline int pragma_text(sqlite3 *db, const char *sql, char *out, size_t size) {
  sqlite3_stmt *stmt;
  out[0] = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK) return rc;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char *text = sqlite3_column_text(stmt, 0);
    size_t used = strlen(out);
    snprintf(out + used, size - used, "%s%s", used ? "; " : "", text ? (const char *)text : "");
  }
  sqlite3_finalize(stmt);
  return SQLITE_OK;
}

/* The seed of the random choices: $DYNENUM_STRESS_SEED, to repeat a run,
** or else a new one. */
static inline unsigned stress_seed(void) {
  const char *seed_text = getenv("DYNENUM_STRESS_SEED");
  return seed_text ? (unsigned)strtoul(seed_text, NULL, 10) : (unsigned)time(NULL) ^ (unsigned)getpid();
}

/* Makes the test's directory, $TMPDIR/NAME-XXXXXX (or under /tmp), into
** dir; 0, having said why, when it cannot. */
static inline int make_directory(char *dir, size_t size, const char *name) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, size, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
  if (mkdtemp(dir)) return 1;
  printf("cannot make a directory from %s: %s\n", dir, strerror(errno));
  return 0;
}

/* Removes the test's directory and whatever a run, failed or not, left in
** it. */
static inline void remove_directory(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *entry;
  char path[4400];
  while (d && (entry = readdir(d)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
    unlink(path);
  }
  if (d) closedir(d);
  if (rmdir(dir) != 0) printf("  cannot remove %s: %s\n", dir, strerror(errno));
}

#endif
