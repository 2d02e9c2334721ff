/*
** freshness_test.c: the statements dynenum runs to check that a cached
** enum is current (ext/sqlite/cache.c, read_versions and header_unchanged),
** seen from C: sqlite3_close's return code, the connection's statement list
** and sqlite3_trace_v2, which Tcl does not show.
**
**     build/freshness_test [EXTENSION]
**
** EXTENSION defaults to $DYNENUM_EXT, else build/dynenum, as for the Tcl
** suite.
**
** No statement of dynenum's outlives the call that prepared it: each case
** warms the cache, checks that sqlite3_next_stmt lists nothing the test did
** not prepare, and ends with sqlite3_close() returning SQLITE_OK: on a file
** in rollback journal and in WAL mode, after DETACH, after
** sqlite3_deserialize, after another connection's commits, ALTER and DROP
** between statements, and after this connection drops the enum.  A program
** that finalizes every statement the list shows before closing (wrappers
** do) must neither crash nor fail to close, also under ASan.
**
** In rollback journal mode the PRAGMA does not even run while the file's
** header says nothing has committed (cache.c, header_unchanged): counted
** with sqlite3_trace_v2, and checked to end when another connection
** commits, in either journal mode, or switches the file to WAL; another
** database renamed over the file is answered as SQLite reads it, from the
** file the connection has open.  In WAL mode the WAL-index header does the
** same (cache.c, wal_unchanged), also when another connection commits while
** the PRAGMA's read transaction is open (from a trace callback of its row).
**
** Links the system SQLite; the extension is only loaded, never linked.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctest.h"

static const char *extension;

static sqlite3 *open_db(const char *path) {
  sqlite3 *db = NULL;
  char *message = NULL;
  if (sqlite3_open(path, &db) != SQLITE_OK || sqlite3_enable_load_extension(db, 1) != SQLITE_OK ||
      sqlite3_load_extension(db, extension, NULL, &message) != SQLITE_OK) {
    fprintf(stderr, "freshness_test: cannot load %s: %s\n", extension, message ? message : sqlite3_errmsg(db));
    exit(2);
  }
  return db;
}

static void exec_ok(sqlite3 *db, const char *sql) {
  char *message = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &message);
  CHECK_INT_EQ(SQLITE_OK, rc, "%s (%s)", sql, message ? message : "");
  sqlite3_free(message);
}

/* The one text value sql returns, or its error message, as "error: ...";
** in buffer. */
static const char *one_value(sqlite3 *db, const char *sql, char *buffer, size_t size) {
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *text = (const char *)sqlite3_column_text(stmt, 0);
    snprintf(buffer, size, "%s", text ? text : "NULL");
  } else {
    snprintf(buffer, size, "error: %s", sqlite3_errmsg(db));
  }
  sqlite3_finalize(stmt);
  return buffer;
}

#define CHECK_VALUE(db, sql, expected)                                  \
  do {                                                                  \
    char value_[256];                                                   \
    CHECK_STR_EQ(expected, one_value(db, sql, value_, sizeof value_), "%s", sql); \
  } while (0)

/* How many statements the connection has that the test did not prepare:
** the test finalizes each of its own. */
static int left_statements(sqlite3 *db) {
  int n = 0;
  for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL); s; s = sqlite3_next_stmt(db, s)) n++;
  return n;
}

static void close_ok(sqlite3 *db, const char *what) {
  CHECK_INT_EQ(SQLITE_OK, sqlite3_close(db), "sqlite3_close %s", what);
}

static void forget_file(const char *path) {
  char other[256];
  remove(path);
  snprintf(other, sizeof other, "%s-journal", path);
  remove(other);
  snprintf(other, sizeof other, "%s-wal", path);
  remove(other);
  snprintf(other, sizeof other, "%s-shm", path);
  remove(other);
}

static void in_mode(const char *mode, const char *group) {
  char path[64], pragma[64];
  ctest_group(group);
  snprintf(path, sizeof path, "build/freshness-%s.db", mode);
  forget_file(path);
  sqlite3 *db = open_db(path), *other = open_db(path);
  snprintf(pragma, sizeof pragma, "PRAGMA journal_mode=%s", mode);
  exec_ok(db, pragma);
  exec_ok(db, "CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'openai-chat')", "openai_chat");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'Anthropic-Chat')", "anthropic_chat");
  CHECK_INT_EQ(0, left_statements(db), "no statement left between statements");

  /* Another connection's commit is seen at the next statement. */
  exec_ok(other, "INSERT INTO e(name) VALUES ('GEMINI')");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'gemini')", "gemini");

  /* A schema change elsewhere, then a member. */
  exec_ok(other, "CREATE TABLE unrelated(x); ALTER TABLE unrelated ADD COLUMN y");
  exec_ok(other, "INSERT INTO e(name) VALUES ('MISTRAL')");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'mistral')", "mistral");

  /* Dropped and re-created by another connection. */
  exec_ok(other, "DROP TABLE e; CREATE VIRTUAL TABLE e USING dynenum(COHERE)");
  CHECK_VALUE(db, "SELECT dynenum_strict('e', 'openai-chat')",
              "error: dynenum_strict(): invalid value 'openai-chat' for enum 'e': expected COHERE (1 member)");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'cohere')", "cohere");
  exec_ok(other, "DROP TABLE e");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'cohere')", "error: no such enum: 'e'");
  close_ok(other, "the other connection");

  exec_ok(db, "CREATE VIRTUAL TABLE e USING dynenum(ONE, TWO)");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'two')", "two");
  CHECK_INT_EQ(0, left_statements(db), "none after the re-create");
  close_ok(db, "with the cache warm");
  forget_file(path);
}

static int pragma_runs;
static int nested_runs; /* calls to make from inside the PRAGMA */
static char nested_value[64];

/* Counts the runs of the freshness PRAGMA; with nested_runs set, also resolves
** from inside it, while it runs, as a trace callback may. */
static int count_pragma(unsigned type, void *context, void *p, void *x) {
  (void)type, (void)x;
  const char *sql = sqlite3_sql(p);
  if (!sql || strcmp(sql, "PRAGMA \"main\".schema_version") != 0) return 0;
  pragma_runs++;
  if (nested_runs > 0) {
    nested_runs--;
    one_value(context, "SELECT dynenum_resolve('e', 'B')", nested_value, sizeof nested_value);
  }
  return 0;
}

/* How many times the freshness PRAGMA runs for sql. */
static int runs_for(sqlite3 *db, const char *sql, const char *expected) {
  pragma_runs = 0;
  CHECK_VALUE(db, sql, expected);
  return pragma_runs;
}

static void header_instead(void) {
  ctest_group("rollback journal: the header tells, the PRAGMA runs only after a commit");
  const char *path = "build/freshness-header.db";
  forget_file(path);
  sqlite3 *db = open_db(path), *other = open_db(path);
  exec_ok(db, "CREATE VIRTUAL TABLE e USING dynenum(A, B)");
  CHECK_INT_EQ(SQLITE_OK, sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_pragma, db), "trace");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'a')", "a");
  CHECK_INT_EQ(0, runs_for(db, "SELECT dynenum_resolve('e', 'b')", "b"), "nothing committed: no PRAGMA");
  CHECK_INT_EQ(0, runs_for(db, "SELECT dynenum_resolve('e', 'A')", "a"), "still none");
  /* After a commit it runs twice: once to find the file changed, once as
  ** the enum is brought up to date. */
  exec_ok(other, "INSERT INTO e(name) VALUES ('C')");
  CHECK_INT_EQ(2, runs_for(db, "SELECT dynenum_strict('e', 'c')", "c"), "another's commit: the PRAGMA");
  CHECK_INT_EQ(0, runs_for(db, "SELECT dynenum_strict('e', 'c')", "c"), "then none again");
  /* A commit to another table changes the header too. */
  exec_ok(other, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  CHECK_INT_EQ(2, runs_for(db, "SELECT dynenum_resolve('e', 'b')", "b"), "a commit elsewhere in the file");
  exec_ok(db, "INSERT INTO t VALUES (2)");
  CHECK_INT_EQ(2, runs_for(db, "SELECT dynenum_resolve('e', 'b')", "b"), "this connection's own commit");
  /* Switched to WAL: the file header no longer tells, the WAL-index header
  ** in shared memory does. */
  exec_ok(other, "PRAGMA journal_mode=WAL");
  CHECK_INT_EQ(2, runs_for(db, "SELECT dynenum_resolve('e', 'a')", "a"), "switched to WAL");
  exec_ok(other, "INSERT INTO e(name) VALUES ('D')");
  CHECK_INT_EQ(2, runs_for(db, "SELECT dynenum_strict('e', 'd')", "d"), "WAL: another's commit, the PRAGMA");
  CHECK_INT_EQ(0, runs_for(db, "SELECT dynenum_resolve('e', 'a')", "a"), "WAL: nothing committed, no PRAGMA");
  CHECK_INT_EQ(0, runs_for(db, "SELECT dynenum_resolve('e', 'b')", "b"), "still none");
  /* A call made while the PRAGMA runs checks with a PRAGMA of its own: the
  ** outer one finds the commit, so does the nested one, which reads the
  ** enum again, and the outer one then finds the copy current. */
  exec_ok(other, "INSERT INTO t VALUES (3)");
  nested_runs = 1;
  CHECK_INT_EQ(3, runs_for(db, "SELECT dynenum_resolve('e', 'a')", "a"), "the outer and the nested check");
  CHECK_STR_EQ("b", nested_value, "resolved from inside the PRAGMA");
  CHECK_INT_EQ(0, left_statements(db), "both finalized");
  /* And back. */
  close_ok(other, "the other connection");
  exec_ok(db, "PRAGMA journal_mode=DELETE");
  other = open_db(path);
  exec_ok(other, "INSERT INTO e(name) VALUES ('E')");
  CHECK_VALUE(db, "SELECT dynenum_strict('e', 'e')", "e");
  CHECK_INT_EQ(0, runs_for(db, "SELECT dynenum_resolve('e', 'b')", "b"), "rollback journal again");
  close_ok(other, "the other connection");
  close_ok(db, "the traced connection");
  forget_file(path);
}

static sqlite3 *committer; /* commits from inside the freshness PRAGMA */
static int commits_left;

/* While the freshness PRAGMA has its row, its read transaction open, another
** connection commits a member: the WAL-index header read after the PRAGMA
** is then newer than the snapshot the copy was checked or read in. */
static int commit_inside_pragma(unsigned type, void *context, void *p, void *x) {
  (void)type, (void)context, (void)x;
  const char *sql = sqlite3_sql(p);
  if (!sql || strcmp(sql, "PRAGMA \"main\".schema_version") != 0 || commits_left <= 0) return 0;
  char insert[64];
  snprintf(insert, sizeof insert, "INSERT INTO e(name) VALUES ('R%d')", commits_left--);
  exec_ok(committer, insert);
  return 0;
}

static void commit_during_pragma(void) {
  ctest_group("WAL: a commit while the PRAGMA's read transaction is open is seen next");
  const char *path = "build/freshness-during.db";
  forget_file(path);
  sqlite3 *db = open_db(path);
  committer = open_db(path);
  exec_ok(db, "PRAGMA journal_mode=WAL");
  exec_ok(db, "CREATE VIRTUAL TABLE e USING dynenum(A, B)");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'a')", "a");
  /* The next statement finds this commit (one PRAGMA) and reads the enum
  ** again (another); each PRAGMA sees a commit land in its snapshot's
  ** shadow, R2 and then R1, which the copy read in the second misses. */
  exec_ok(committer, "INSERT INTO e(name) VALUES ('Q')");
  CHECK_INT_EQ(SQLITE_OK, sqlite3_trace_v2(db, SQLITE_TRACE_ROW, commit_inside_pragma, NULL), "trace");
  commits_left = 2;
  CHECK_VALUE(db, "SELECT dynenum_is_member('e', 'q')", "1");
  CHECK_INT_EQ(0, commits_left, "both commits made");
  CHECK_INT_EQ(SQLITE_OK, sqlite3_trace_v2(db, 0, NULL, NULL), "trace off");
  CHECK_VALUE(db, "SELECT dynenum_is_member('e', 'r1') || dynenum_is_member('e', 'r2')", "11");
  close_ok(committer, "the committing connection");
  close_ok(db, "the traced connection");
  forget_file(path);
}

static void after_detach(void) {
  ctest_group("DETACH with the cache warm on the attached schema");
  forget_file("build/freshness-aux.db");
  sqlite3 *db = open_db(":memory:");
  exec_ok(db, "ATTACH 'build/freshness-aux.db' AS aux");
  exec_ok(db, "CREATE VIRTUAL TABLE aux.colours USING dynenum(TEAL, RED)");
  CHECK_VALUE(db, "SELECT dynenum_resolve('aux.colours', 'teal')", "teal");
  CHECK_VALUE(db, "SELECT dynenum_resolve('aux.colours', 'red')", "red");
  CHECK_INT_EQ(0, left_statements(db), "none left for aux");
  exec_ok(db, "DETACH aux");
  /* SQLite disconnects the detached schema's tables at the next statement. */
  CHECK_VALUE(db, "SELECT dynenum_resolve('aux.colours', 'teal')", "error: no such enum: 'aux.colours'");
  exec_ok(db, "ATTACH 'build/freshness-aux.db' AS aux");
  CHECK_VALUE(db, "SELECT dynenum_resolve('aux.colours', 'red')", "red");
  close_ok(db, "after detach and attach");
  forget_file("build/freshness-aux.db");
}

static void after_deserialize(void) {
  ctest_group("sqlite3_deserialize with the cache warm");
  sqlite3 *source = open_db(":memory:");
  exec_ok(source, "CREATE VIRTUAL TABLE e USING dynenum(NEW_ONE)");
  sqlite3_int64 size = 0;
  unsigned char *image = sqlite3_serialize(source, "main", &size, 0);
  CHECK(image != NULL, "serialize");
  close_ok(source, "the source");
  forget_file("build/freshness-deserialize.db");
  sqlite3 *db = open_db("build/freshness-deserialize.db");
  exec_ok(db, "CREATE VIRTUAL TABLE e USING dynenum(OLD_ONE)");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'old_one')", "old_one");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'OLD-ONE')", "old_one");
  CHECK_INT_EQ(0, left_statements(db), "none left before the deserialize");
  if (image) {
    CHECK_INT_EQ(SQLITE_OK,
                 sqlite3_deserialize(db, "main", image, size, size,
                                     SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE),
                 "deserialize");
  }
  CHECK_VALUE(db, "SELECT dynenum_strict('e', 'old-one')",
              "error: dynenum_strict(): invalid value 'old-one' for enum 'e': expected NEW_ONE (1 member)");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'new-one')", "new_one");
  close_ok(db, "after the deserialize");
  forget_file("build/freshness-deserialize.db");
}

static void after_own_drop(void) {
  ctest_group("this connection drops the enum with the cache warm");
  sqlite3 *db = open_db(":memory:");
  exec_ok(db, "CREATE VIRTUAL TABLE e USING dynenum(A, B)");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'a')", "a");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'b')", "b");
  exec_ok(db, "DROP TABLE e");
  CHECK_INT_EQ(0, left_statements(db), "none left after the drop");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'a')", "error: no such enum: 'e'");
  close_ok(db, "after the drop");
}

/* A program that finalizes every statement the connection lists, then goes
** on using it (close set: closes it at once).  A statement dynenum kept
** between calls would be freed here and stepped or finalized again later. */
static void finalize_all(int close_at_once) {
  ctest_group(close_at_once ? "every listed statement finalized, then sqlite3_close"
                            : "every listed statement finalized, then another commit and a call");
  const char *path = "build/freshness-finalize-all.db";
  forget_file(path);
  sqlite3 *db = open_db(path);
  exec_ok(db, "CREATE VIRTUAL TABLE e USING dynenum(A, B)");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'a')", "a");
  int finalized = 0;
  for (sqlite3_stmt *s; (s = sqlite3_next_stmt(db, NULL)) != NULL; finalized++) {
    CHECK_INT_EQ(SQLITE_OK, sqlite3_finalize(s), "finalize %s", sqlite3_sql(s));
  }
  CHECK_INT_EQ(0, finalized, "statements dynenum left");
  if (!close_at_once) {
    /* A commit elsewhere, so that the next call must run the PRAGMA. */
    sqlite3 *other = open_db(path);
    exec_ok(other, "INSERT INTO e(name) VALUES ('C')");
    close_ok(other, "the other connection");
    CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'b')", "b");
    CHECK_VALUE(db, "SELECT dynenum_strict('e', 'c')", "c");
  }
  close_ok(db, "after finalizing every listed statement");
  forget_file(path);
}

/* What a program that tidies up does: finalizes every statement the
** connection lists but keep (NULL: all of them). */
static void finalize_listed(sqlite3 *db, sqlite3_stmt *keep) {
  for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL), *next; s; s = next) {
    next = sqlite3_next_stmt(db, s);
    if (s != keep) sqlite3_finalize(s);
  }
}

/* The same between two calls of one statement answering from the key
** table (docs/SPEC.md section 12.6): its look-up is prepared by each call
** and finalized before it returns, so a program that finalizes the
** statements it did not prepare between two steps of its own frees nothing
** of dynenum's, and the next step goes on (once crashed: a look-up kept in
** the statement's auxdata was finalized twice). */
static void finalize_between_lazy_calls(void) {
  ctest_group("statements finalized between two lazy calls of one statement");
  const char *path = "build/freshness-lazy.db";
  forget_file(path);
  sqlite3 *db = open_db(path);
  exec_ok(db, "CREATE VIRTUAL TABLE e USING dynenum(A);"
              "INSERT INTO e(name) WITH RECURSIVE c(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM c WHERE i < 2000)"
              " SELECT 'm' || i FROM c;"
              "CREATE TABLE t(x); INSERT INTO t VALUES ('m1'), ('M2'), ('m3')");
  close_ok(db, "the writer");
  db = open_db(path);
  sqlite3_stmt *mine;
  CHECK_INT_EQ(SQLITE_OK, sqlite3_prepare_v2(db, "SELECT dynenum_ordinal('e', x) FROM t", -1, &mine, NULL), "prepare");
  CHECK_INT_EQ(SQLITE_ROW, sqlite3_step(mine), "row 1");
  CHECK_INT_EQ(2, sqlite3_column_int(mine, 0), "row 1's ordinal");
  CHECK_INT_EQ(1, left_statements(db), "statements listed between two calls (the program's own)");
  finalize_listed(db, mine);
  CHECK_INT_EQ(SQLITE_ROW, sqlite3_step(mine), "row 2");
  CHECK_INT_EQ(3, sqlite3_column_int(mine, 0), "row 2's ordinal");
  CHECK_INT_EQ(SQLITE_ROW, sqlite3_step(mine), "row 3");
  CHECK_INT_EQ(4, sqlite3_column_int(mine, 0), "row 3's ordinal");
  CHECK_INT_EQ(SQLITE_DONE, sqlite3_step(mine), "done");
  CHECK_INT_EQ(SQLITE_OK, sqlite3_reset(mine), "reset");
  CHECK_INT_EQ(SQLITE_ROW, sqlite3_step(mine), "row 1 again");
  finalize_listed(db, NULL);
  close_ok(db, "after finalizing every listed statement mid-statement");
  forget_file(path);
}

/* The INSERT into the members table that an enum keeps for its write
** transaction is listed by sqlite3_next_stmt too: a program that finalizes
** everything listed, between two INSERTs of a transaction, between the
** rows of an INSERT ... RETURNING, or before closing with the transaction
** open, must neither crash nor lose the next INSERT (once: a double
** finalize at COMMIT, ROLLBACK or close, and "cannot add a member ... while
** adding another one" for the next INSERT). */
static void finalize_kept_insert(void) {
  ctest_group("the members INSERT kept for a transaction, finalized by the program");
  const char *path = "build/freshness-insert.db";
  forget_file(path);
  sqlite3 *db = open_db(path);
  exec_ok(db, "CREATE VIRTUAL TABLE small USING dynenum(A, B)");
  exec_ok(db, "BEGIN; INSERT INTO small(name) VALUES ('C')");
  finalize_listed(db, NULL);
  exec_ok(db, "INSERT INTO small(name) VALUES ('D'); COMMIT");
  CHECK_VALUE(db, "SELECT group_concat(name) FROM small_members", "A,B,C,D");
  exec_ok(db, "BEGIN; INSERT INTO small(name) VALUES ('E')");
  finalize_listed(db, NULL);
  exec_ok(db, "ROLLBACK");
  CHECK_VALUE(db, "SELECT dynenum_is_member('small', 'e')", "0");
  sqlite3_stmt *returning;
  CHECK_INT_EQ(SQLITE_OK,
               sqlite3_prepare_v2(db, "INSERT INTO small(name) VALUES ('F'), ('G') RETURNING name", -1, &returning, NULL),
               "prepare RETURNING");
  CHECK_INT_EQ(SQLITE_ROW, sqlite3_step(returning), "row F");
  finalize_listed(db, returning);
  CHECK_INT_EQ(SQLITE_ROW, sqlite3_step(returning), "row G");
  CHECK_INT_EQ(SQLITE_DONE, sqlite3_step(returning), "done");
  CHECK_INT_EQ(SQLITE_OK, sqlite3_finalize(returning), "finalize RETURNING");
  CHECK_VALUE(db, "SELECT group_concat(name) FROM small_members", "A,B,C,D,F,G");
  exec_ok(db, "BEGIN; INSERT INTO small(name) VALUES ('H')");
  finalize_listed(db, NULL);
  close_ok(db, "with the transaction open, everything listed finalized");
  db = open_db(path);
  CHECK_VALUE(db, "SELECT dynenum_is_member('small', 'h')", "0");
  close_ok(db, "the file after");
  forget_file(path);
}

/* Another database renamed over the file with the cache warm.  SQLite's
** pager goes on reading the file it has open, not the one now at the path,
** and so does the header check, through the same handle: the cache answers
** what SQLite itself reads on that connection, without the PRAGMA, and a
** new connection sees the new file. */
static void renamed_over(void) {
  ctest_group("rollback journal: another file renamed over it, answered as SQLite reads it");
  const char *path = "build/freshness-renamed.db", *replacement = "build/freshness-replacement.db";
  forget_file(path);
  forget_file(replacement);
  sqlite3 *source = open_db(replacement);
  exec_ok(source, "CREATE VIRTUAL TABLE e USING dynenum(X, Y)");
  close_ok(source, "the replacement");
  sqlite3 *db = open_db(path);
  exec_ok(db, "CREATE VIRTUAL TABLE e USING dynenum(A, B)");
  CHECK_INT_EQ(SQLITE_OK, sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_pragma, db), "trace");
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'a')", "a");
  CHECK_INT_EQ(0, runs_for(db, "SELECT dynenum_resolve('e', 'b')", "b"), "the header tells");
  CHECK_INT_EQ(0, rename(replacement, path), "rename");
  CHECK_VALUE(db, "SELECT group_concat(name) FROM e_members", "A,B");
  CHECK_INT_EQ(0, runs_for(db, "SELECT dynenum_is_member('e', 'a') || dynenum_is_member('e', 'x')", "10"),
               "the open file's header is unchanged");
  close_ok(db, "after the rename");
  db = open_db(path);
  CHECK_VALUE(db, "SELECT dynenum_resolve('e', 'x')", "x");
  close_ok(db, "the file at the path now");
  forget_file(path);
}

int main(int argc, char **argv) {
  if (argc > 2) {
    fprintf(stderr, "usage: %s [EXTENSION]\n", argv[0]);
    return 2;
  }
  extension = argc == 2 ? argv[1] : getenv("DYNENUM_EXT") ? getenv("DYNENUM_EXT") : "build/dynenum";
  in_mode("delete", "nothing left between statements, closed by sqlite3_close, rollback journal");
  in_mode("wal", "nothing left between statements, closed by sqlite3_close, WAL");
  header_instead();
  commit_during_pragma();
  after_detach();
  after_deserialize();
  after_own_drop();
  finalize_all(1);
  finalize_all(0);
  finalize_between_lazy_calls();
  finalize_kept_insert();
  renamed_over();
  return ctest_finish();
}
