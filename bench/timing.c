/*
** timing.c: resolution in queries over rows and adding members in bulk,
** on the system SQLite (the index figures are peers.c's, on the ICU build).
*/
#include "bench.h"

#include <stdio.h>

/* An enum of `members` members (FIRST_MEMBER, Member_0000001, ...), and a
** table of rows naming them at random in random spellings. */
static void make_sized_enum(sqlite3 *db, const char *name, int members, const char *rows_table, int rows) {
  char sql[256];
  snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE %s USING dynenum(FIRST_MEMBER)", name);
  bench_exec(db, sql);
  snprintf(sql, sizeof sql, "INSERT INTO %s(name) VALUES (?1)", name);
  bench_insert_values(db, sql, members - 1, bench_member_name, NULL);
  bench_fill_table(db, rows_table, rows, bench_member_spelling, &members);
}

/* Adding members (the plugin case, in bulk) against the table a user would
** write for the same job: ordinals, a UNIQUE DYNENUM name, the key as
** value. */
static void bench_adding_figure(sqlite3 *db) {
  bench_exec(db, "CREATE VIRTUAL TABLE added USING dynenum(First);"
                 "CREATE TABLE by_hand(ordinal INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE DYNENUM,"
                 " value TEXT NOT NULL)");
  bench_figure(db, "add_members_vs_unique_table", 7,
               "INSERT INTO added(name) WITH RECURSIVE c(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM c WHERE i < 100000)"
               " SELECT 'Member_' || i FROM c",
               "DROP TABLE added; CREATE VIRTUAL TABLE added USING dynenum(First)",
               "INSERT INTO by_hand(name, value) WITH RECURSIVE c(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM c"
               " WHERE i < 100000) SELECT 'Member_' || i, dynenum_key('Member_' || i) FROM c",
               "DELETE FROM by_hand", "100,000 members added by one INSERT ... SELECT");
}

void bench_timing(const char *extension) {
  sqlite3 *db = bench_open(extension, ":memory:");
  bench_fill_ascii(db, "ascii", 1000000, 20000);
  bench_exec(db, "CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT, NVIDIA_OPTIMIZED, COMPLETIONS)");
  bench_exec(db, "CREATE TABLE calls AS SELECT CASE abs(random()) % 6 WHEN 0 THEN 'OpenAI_Chat' WHEN 1 THEN 'openai_chat'"
                 " WHEN 2 THEN 'ANTHROPIC_CHAT' WHEN 3 THEN 'Nvidia-Optimized' WHEN 4 THEN 'completions'"
                 " ELSE 'Plugin_Endpoint' END AS x FROM ascii");
  bench_figure(db, "resolve_vs_lower", 5, "SELECT count(*) FROM calls WHERE dynenum_resolve('e', x) = 'openai_chat'",
               NULL, "SELECT count(*) FROM calls WHERE lower(x) = 'openai_chat'", NULL, "1,000,000 rows");

  make_sized_enum(db, "big", 100000, "big_rows", 1000000);
  make_sized_enum(db, "small", 10, "small_rows", 1000000);
  /* The same rows (naming members 1 to 9, which both enums have) against
  ** either enum: what the size of the enum costs a lookup. */
  bench_figure(db, "resolve_100000_vs_10_members", 5, "SELECT count(dynenum_resolve('big', x)) FROM small_rows", NULL,
               "SELECT count(dynenum_resolve('small', x)) FROM small_rows", NULL,
               "1,000,000 rows naming members 1 to 9 in random spellings, against either enum");
  /* Rows naming any of the 100,000 members: each lookup lands on a cold
  ** part of the table, a cost of memory rather than of the algorithm. */
  bench_figure(db, "resolve_100000_random_vs_10_members", 5, "SELECT count(dynenum_resolve('big', x)) FROM big_rows",
               NULL, "SELECT count(dynenum_resolve('small', x)) FROM small_rows", NULL,
               "1,000,000 rows naming random members of each enum in random spellings");

  bench_adding_figure(db);
  sqlite3_close(db);
}

/* The adding figure alone, on a fresh in-memory database: what a change to
** the insert path is measured with. */
void bench_adding(const char *extension) {
  sqlite3 *db = bench_open(extension, ":memory:");
  bench_adding_figure(db);
  sqlite3_close(db);
}
