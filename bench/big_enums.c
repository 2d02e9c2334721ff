/*
** big_enums.c: enums of 10 to 1,000,000 members in a database file
** (build/bench-enums.db, made by the mode "enums"): resolve cost against
** enum size, RSS of several connections holding the largest, and the first
** statement on a fresh connection and in a fresh process.
*/
#define _POSIX_C_SOURCE 200809L

#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENUMS_FILE "build/bench-enums.db"
#define ROWS 100000
#define BIG "e1000000"

static const int sizes[] = {10, 100, 1000, 10000, 100000, 1000000};
#define SIZES ((int)(sizeof sizes / sizeof *sizes))

/* eN holds FIRST_MEMBER and Member_0000001 .. Member_(N-1), added by one
** INSERT ... SELECT each, as a program adding plugins in bulk would. */
void bench_enums(const char *extension) {
  remove(ENUMS_FILE);
  sqlite3 *db = bench_open(extension, ENUMS_FILE);
  for (int s = 0; s < SIZES; s++) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "CREATE VIRTUAL TABLE e%d USING dynenum(FIRST_MEMBER);"
             "INSERT INTO e%d(name) WITH RECURSIVE c(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM c WHERE i < %d)"
             " SELECT printf('Member_%%07d', i) FROM c",
             sizes[s], sizes[s], sizes[s] - 1);
    bench_exec(db, sql);
  }
  if (sqlite3_close(db) != SQLITE_OK) bench_fail(db, "close");
}

/* Nanoseconds per dynenum_resolve() against enum size, on rows naming
** members 1 to 9 (hot: always the same few, in the caches) and rows naming
** random members of the whole enum; each less the same scan without the
** call. */
void bench_resolve_sizes(const char *extension) {
  sqlite3 *db = bench_open(extension, ENUMS_FILE);
  int hot = 10;
  bench_fill_table(db, "temp.hot", ROWS, bench_member_spelling, &hot);
  for (int s = 0; s < SIZES; s++) {
    char sql[4][160];
    const char *statements[4];
    double m[4];
    bench_exec(db, "DROP TABLE IF EXISTS temp.random_rows");
    bench_fill_table(db, "temp.random_rows", ROWS, bench_member_spelling, &sizes[s]);
    snprintf(sql[0], sizeof sql[0], "SELECT count(dynenum_resolve('e%d', x)) FROM temp.hot", sizes[s]);
    snprintf(sql[1], sizeof sql[1], "SELECT count(dynenum_resolve('e%d', x)) FROM temp.random_rows", sizes[s]);
    snprintf(sql[2], sizeof sql[2], "SELECT count(x) FROM temp.hot");
    snprintf(sql[3], sizeof sql[3], "SELECT count(x) FROM temp.random_rows");
    for (int k = 0; k < 4; k++) statements[k] = sql[k];
    bench_sides(db, 4, statements, NULL, 5, 1, m);
    bench_curve("resolve_size", "hot (members 1 to 9)", sizes[s], (m[0] - m[2]) / ROWS * 1e9);
    bench_curve("resolve_size", "random members", sizes[s], (m[1] - m[3]) / ROWS * 1e9);
  }
  if (sqlite3_close(db) != SQLITE_OK) bench_fail(db, "close");
}

/* Seconds of a connection's first statement on the largest enum: prepare,
** step and finalize of one dynenum_resolve() (the extension is loaded
** first, untimed). */
static double first_statement(sqlite3 *db, const char *enum_name) {
  char sql[128];
  sqlite3_stmt *stmt;
  snprintf(sql, sizeof sql, "SELECT dynenum_resolve('%s', 'member-0000005')", enum_name);
  double start = bench_now();
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW) {
    bench_fail(db, sql);
  }
  if (strcmp((const char *)sqlite3_column_text(stmt, 0), "member_0000005") != 0) bench_fail(db, "wrong member");
  sqlite3_finalize(stmt);
  return bench_now() - start;
}

/* Makes db hold the whole enum: a name that is no member is a miss, which
** a verified hit from the key table (SPEC 12.6) cannot answer, so the
** connection loads the enum (or takes the copy the process published). */
static void hold_whole(sqlite3 *db, const char *enum_name) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT dynenum_is_member('%s', 'no_such_member')", enum_name);
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW ||
      sqlite3_column_int(stmt, 0) != 0) {
    bench_fail(db, sql);
  }
  sqlite3_finalize(stmt);
}

/* RSS of 1 and of 4 connections that each hold the whole 1,000,000-member
** enum, beyond the process before any; then, with those holding it, the
** first statement of fresh connections.  One dynenum_resolve() of a member
** would not do: on a fresh connection it is answered from the key table and
** holds nothing, which says nothing about sharing. */
void bench_connections(const char *extension) {
  enum { CONNECTIONS = 4, FRESH = 3 };
  sqlite3 *db[CONNECTIONS];
  if (sqlite3_initialize() != SQLITE_OK) bench_fail(NULL, "initialize");
  long before = bench_rss_kib(), one = 0;
  for (int c = 0; c < CONNECTIONS; c++) {
    db[c] = bench_open(extension, ENUMS_FILE);
    hold_whole(db[c], BIG);
    if (c == 0) one = bench_rss_kib();
  }
  long four = bench_rss_kib();
  printf("rss_4_vs_1_connections\t%.4f\t%ld\t%ld\t1\tRSS growth in KiB of %d connections vs 1, each holding the "
         "whole 1,000,000-member enum of one file (after a look-up that misses)\n",
         (double)(four - before) / (double)(one - before), four - before, one - before, CONNECTIONS);
  double t[FRESH];
  for (int r = 0; r < FRESH; r++) {
    sqlite3 *fresh = bench_open(extension, ENUMS_FILE);
    t[r] = first_statement(fresh, BIG);
    if (sqlite3_close(fresh) != SQLITE_OK) bench_fail(fresh, "close");
  }
  printf("first_statement_shared\t%.9f\t%.9f\t0\t%d\tfirst SELECT dynenum_resolve() on a fresh connection, "
         "1,000,000 members, while another connection of the process holds the enum\n",
         bench_median(t, FRESH), bench_median(t, FRESH), FRESH);
  for (int c = 0; c < CONNECTIONS; c++) {
    if (sqlite3_close(db[c]) != SQLITE_OK) bench_fail(db[c], "close");
  }
}

/* The child of bench_cold: open, load and the first statement, timed
** together, as a process that starts does. */
void bench_first_statement(const char *extension, const char *enum_name) {
  double start = bench_now();
  sqlite3 *db = bench_open(extension, ENUMS_FILE);
  first_statement(db, enum_name);
  double seconds = bench_now() - start;
  if (sqlite3_close(db) != SQLITE_OK) bench_fail(db, "close");
  printf("%.9f\n", seconds);
}

static double child(const char *self, const char *extension, const char *enum_name) {
  char command[4096];
  double seconds = -1;
  if (strchr(self, '\'') || strchr(extension, '\'')) bench_fail(NULL, "a path with a quote");
  snprintf(command, sizeof command, "'%s' '%s' first-statement %s", self, extension, enum_name);
  FILE *p = popen(command, "r");
  if (!p) bench_fail(NULL, command);
  int got = fscanf(p, "%lf", &seconds);
  if (pclose(p) != 0 || got != 1) bench_fail(NULL, command);
  return seconds;
}

/* The first statement in a fresh process (this program again), the
** 1,000,000-member enum against the 10-member one, alternating. */
void bench_cold(const char *extension, const char *self) {
  enum { ROUNDS = 3 };
  double big[ROUNDS], small[ROUNDS];
  child(self, extension, "e10");
  for (int r = 0; r < ROUNDS; r++) {
    if (r % 2) {
      small[r] = child(self, extension, "e10");
      big[r] = child(self, extension, BIG);
    } else {
      big[r] = child(self, extension, BIG);
      small[r] = child(self, extension, "e10");
    }
  }
  bench_print("cold_1000000_vs_10_members", bench_median(big, ROUNDS), bench_median(small, ROUNDS), ROUNDS,
              "open, load and first SELECT dynenum_resolve() in a fresh process, 1,000,000 vs 10 members, "
              "file in the OS page cache");
}
