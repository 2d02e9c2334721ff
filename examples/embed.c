/*
** embed.c: dynenum compiled into a program, no load_extension() anywhere.
**
** The program links the static library and the system SQLite, registers
** dynenum for every connection it will open, then defines an enum, adds a
** member, resolves spellings and sorts and searches a column declared
** COLLATE DYNENUM through an index.  Build and run it from an installed copy:
**
**     cc -o embed examples/embed.c $(pkg-config --cflags --libs dynenum)
**     ./embed
**
** or from the repository with `make static` and
**
**     cc -Iext/include -o embed examples/embed.c build/libdynenum.a -lsqlite3 -lpthread
**
** Its output is examples/embed.out (tools/embed_test.sh checks it).  Every
** SQLite call's result is checked: on any failure the program says which
** step failed and why, and exits with status 1.
*/
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>
#include <dynenum_extension.h>

/* Reports a failed step with the connection's message; returns 1 so that
** callers can write `return fail(...)`. */
static int fail(sqlite3 *db, const char *step) {
  fprintf(stderr, "embed: %s: %s\n", step, db ? sqlite3_errmsg(db) : "out of memory");
  return 1;
}

/* Runs statements that return no rows. */
static int run(sqlite3 *db, const char *sql) {
  char *error = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
    fprintf(stderr, "embed: %s\n  in: %s\n", error ? error : sqlite3_errmsg(db), sql);
    sqlite3_free(error);
    return 1;
  }
  return 0;
}

/* Prints TITLE, then every row of SQL with its columns separated by " | ". */
static int print_rows(sqlite3 *db, const char *title, const char *sql) {
  sqlite3_stmt *stmt;
  int rc;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) return fail(db, title);
  printf("%s:\n", title);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    printf(" ");
    for (int i = 0; i < sqlite3_column_count(stmt); i++) {
      const unsigned char *text = sqlite3_column_text(stmt, i);
      if (!text && sqlite3_errcode(db) == SQLITE_NOMEM) {
        sqlite3_finalize(stmt);
        return fail(NULL, title);
      }
      printf("%s %s", i ? " |" : "", text ? (const char *)text : "NULL");
    }
    printf("\n");
  }
  /* sqlite3_finalize repeats a failed step's code; the message stays set. */
  if (sqlite3_finalize(stmt) != SQLITE_OK || rc != SQLITE_DONE) return fail(db, title);
  return 0;
}

/* Adds a member the way a plugin would, with its name as a bound parameter. */
static int add_member(sqlite3 *db, const char *name) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(db, "INSERT INTO endpoint_type(name) VALUES (?1)", -1, &stmt, NULL) != SQLITE_OK) {
    return fail(db, "prepare the INSERT");
  }
  if (sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_DONE) {
    sqlite3_finalize(stmt);
    return fail(db, "add a member");
  }
  if (sqlite3_finalize(stmt) != SQLITE_OK) return fail(db, "add a member");
  return 0;
}

/* Prints the error a statement must fail with: a reserved name. */
static int print_refusal(sqlite3 *db) {
  sqlite3_stmt *stmt;
  int rc;
  if (sqlite3_prepare_v2(db, "SELECT dynenum_resolve('endpoint_type', '_private')", -1, &stmt, NULL) != SQLITE_OK) {
    return fail(db, "prepare the refused lookup");
  }
  rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ERROR) {
    fprintf(stderr, "embed: a reserved name was not refused (step gave %d)\n", rc);
    return 1;
  }
  printf("a reserved name is refused:\n  %s\n", sqlite3_errmsg(db));
  return 0;
}

/* Whether SQLite's plan for SQL searches the index named INDEX. */
static int uses_index(sqlite3 *db, const char *sql, const char *index, int *used) {
  char *explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
  sqlite3_stmt *stmt;
  int rc;
  *used = 0;
  if (!explain) return fail(NULL, "query plan");
  rc = sqlite3_prepare_v2(db, explain, -1, &stmt, NULL);
  sqlite3_free(explain);
  if (rc != SQLITE_OK) return fail(db, "query plan");
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *detail = (const char *)sqlite3_column_text(stmt, 3); /* id, parent, notused, detail */
    if (detail && strstr(detail, index)) *used = 1;
  }
  if (sqlite3_finalize(stmt) != SQLITE_OK || rc != SQLITE_DONE) return fail(db, "query plan");
  return 0;
}

/* The program's story, on one connection. */
static int story(sqlite3 *db) {
  static const char *search = "SELECT count(*) FROM requests WHERE endpoint = 'OPENAI-CHAT'";
  int used = 0;

  if (run(db, "CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat')")) {
    return 1;
  }
  if (add_member(db, "NVIDIA_OPTIMIZED")) return 1;
  if (print_rows(db, "the enum endpoint_type (ordinal | name | value)",
                 "SELECT ordinal, name, value FROM endpoint_type ORDER BY ordinal")) {
    return 1;
  }

  if (print_rows(db, "spellings resolved by dynenum_resolve (input | resolved | real member)",
                 "WITH spellings(input) AS (VALUES ('OpenAI-Chat'), ('anthropic_chat'), ('Nvidia-Optimized'),"
                 "  ('mistral-large'))"
                 "SELECT input, dynenum_resolve('endpoint_type', input), dynenum_is_member('endpoint_type', input)"
                 "  FROM spellings")) {
    return 1;
  }
  if (print_refusal(db)) return 1;

  if (run(db, "CREATE TABLE requests(id INTEGER PRIMARY KEY, endpoint TEXT NOT NULL COLLATE DYNENUM);"
              "CREATE INDEX requests_endpoint ON requests(endpoint);"
              "INSERT INTO requests(endpoint) VALUES ('openai_chat'), ('Anthropic-Chat'), ('OPENAI-CHAT'),"
              "  ('nvidia_optimized'), ('OpenAI_Chat'), ('anthropic_chat');")) {
    return 1;
  }
  if (print_rows(db, "requests in DYNENUM order (id | endpoint)",
                 "SELECT id, endpoint FROM requests ORDER BY endpoint, id")) {
    return 1;
  }
  if (print_rows(db, "requests per endpoint (endpoint | requests)",
                 "SELECT dynenum_resolve('endpoint_type', endpoint), count(*) FROM requests"
                 "  GROUP BY endpoint ORDER BY endpoint")) {
    return 1;
  }
  if (print_rows(db, "requests matching 'OPENAI-CHAT'", search)) return 1;
  if (uses_index(db, search, "requests_endpoint", &used)) return 1;
  printf("that search uses the index requests_endpoint: %s\n", used ? "yes" : "no");
  return 0;
}

int main(void) {
  sqlite3 *db = NULL;
  int failed;

  /* From now on every connection this process opens has dynenum, as if
  ** each had loaded the extension. */
  if (sqlite3_auto_extension((void (*)(void))sqlite3_dynenum_init) != SQLITE_OK) {
    fprintf(stderr, "embed: sqlite3_auto_extension failed\n");
    return 1;
  }
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    /* The auto extension's failure, if it failed, is reported here. */
    failed = fail(db, "open a database");
    sqlite3_close(db);
    return failed;
  }
  failed = story(db);
  if (sqlite3_close(db) != SQLITE_OK) failed = fail(db, "close the database");
  return failed;
}
