/*
** oom_test.c: out-of-memory tests of dynenum, of its SQLite binding above
** all, with the system SQLite and the extension compiled in (SQLITE_CORE).
**
**     build/asan/oom_test [--one | --persistent] [DIRECTORY]   (make test-oom)
**
** SQLite's allocator is replaced, through SQLITE_CONFIG_MALLOC, by one that
** counts every allocation and fails on demand: either the N-th allocation
** only (--one), or every allocation from the N-th on (--persistent: memory
** does not come back, so error paths and cleanups run short of it too);
** both by default.  The extension allocates through SQLite, core included,
** so the allocator sees every byte dynenum asks for.  It gives each block
** exactly the size asked for, so AddressSanitizer catches a write even one
** byte past a block, which it cannot with SQLite's own rounding allocator.
**
** A realistic script runs under it: open a database file, create an enum,
** add members with one INSERT of several rows, resolve through SQL; reopen,
** build a table with a COLLATE DYNENUM index, a CHECK on dynenum_is_member
** and an indexed generated column over dynenum_resolve, fill it; reopen,
** add members and rows in a transaction, read the dynenum_members catalog;
** reopen and add more; reopen, create, rename and drop an enum in temp.
** Each of those five parts is swept on its own for N = 1, 2, 3 ... until a
** run meets no injected failure, every run starting from the file that the
** parts before it left when nothing failed: so every allocation of the
** script fails once per sweep, and a run repeats only its own part.  Every
** run must
**
**   - end each step in success with exactly the expected rows, or stop at
**     the first step that fails, with SQLITE_NOMEM (or SQLITE_IOERR_NOMEM),
**     SQLite's message for it and no other error: running out of memory
**     reported as anything else ("no such enum", a CHECK failure, "corrupt")
**     would be a wrong answer, not a clean failure;
**   - leave the connection that failed coherent, checked with the failing
**     allocator off: its members table, the enum's virtual table, the
**     catalog and what dynenum_resolve, dynenum_is_member and
**     dynenum_ordinal say all agree, and show the state before the failed
**     step (or the last committed one, when SQLite rolled back the
**     transaction);
**   - leave the file consistent, checked on a fresh connection: PRAGMA
**     integrity_check is ok, the enum holds exactly the members committed
**     (the failed step's changes wholly or not at all), with gap-free
**     ordinals, and the table's rows pass their CHECK and index lookups;
**   - leak nothing: after each close as many blocks are outstanding as
**     before the run.  make test-oom builds this with AddressSanitizer, so
**     LeakSanitizer and use-after-free detection watch the error paths too.
**
** The enum core gets the same two sweeps through its own allocation hook
** (dynenum_config): every call ends in success or DYNENUM_NOMEM, a failed
** call changes nothing, and nothing leaks.
**
** Prints one line per part swept and ends with "N errors out of M tests"
** (a test is a sweep), the line tests/run.tcl reads.  The database files
** go to DIRECTORY (default build/oom).
*/
#define _POSIX_C_SOURCE 200809L
#define SQLITE_CORE 1 /* the extension is compiled in, not loaded */

#include "sqlite/binding.h" /* sqlite3.h, dynenum.h and sqlite3_dynenum_init */
#include "ctest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- An allocator that fails on demand ------------------------------------ */

/* Single-threaded: SQLite here runs no worker threads. */
static struct {
  long calls;     /* malloc and realloc calls of the current run */
  long fail_from; /* the call, counting from 1, that fails first; 0: none */
  int persistent; /* fail every call from fail_from on, not just that one */
  long injected;  /* failures injected in the current run */
  long live;      /* blocks allocated and not freed */
} faults;

static int inject_failure(void) {
  faults.calls++;
  if (faults.fail_from == 0 || faults.calls < faults.fail_from) return 0;
  if (!faults.persistent && faults.calls != faults.fail_from) return 0;
  faults.injected++;
  return 1;
}

/* Starts a run in which allocation fail_from fails (and, when persistent,
** every one after it); fail_from 0 lets every allocation succeed. */
static void faults_arm(long fail_from, int persistent) {
  faults.calls = 0;
  faults.injected = 0;
  faults.fail_from = fail_from;
  faults.persistent = persistent;
}

/* SQLite's allocator.  SQLite's default one rounds each request up to a
** multiple of 8 behind a size prefix, so AddressSanitizer would take a
** write a few bytes past a block for a write into the rounding.  This one
** gives each block exactly the size asked for, with its size in a header
** in front (16 bytes, which keeps the block aligned as malloc's are): one
** byte past the end is past what malloc gave. */
#define BLOCK_HEADER 16

static void *faulty_malloc(int n) {
  if (inject_failure()) return NULL;
  char *block = malloc(BLOCK_HEADER + (size_t)n);
  if (!block) return NULL;
  memcpy(block, &n, sizeof n);
  faults.live++;
  return block + BLOCK_HEADER;
}

static void faulty_free(void *p) {
  if (!p) return;
  faults.live--;
  free((char *)p - BLOCK_HEADER);
}

/* SQLite never reallocates NULL (that is a malloc) nor to size 0 (a free),
** so a reallocation leaves the count of blocks as it is. */
static void *faulty_realloc(void *p, int n) {
  if (inject_failure()) return NULL;
  char *block = realloc((char *)p - BLOCK_HEADER, BLOCK_HEADER + (size_t)n);
  if (!block) return NULL;
  memcpy(block, &n, sizeof n);
  return block + BLOCK_HEADER;
}

static int faulty_size(void *p) {
  int n = 0;
  if (p) memcpy(&n, (char *)p - BLOCK_HEADER, sizeof n);
  return n;
}

static int faulty_roundup(int n) { return n; }
static int faulty_init(void *unused) {
  (void)unused;
  return SQLITE_OK;
}
static void faulty_shutdown(void *unused) { (void)unused; }

/* The same faults for the core on its own, through dynenum_config. */
static void *core_malloc(size_t n) {
  if (inject_failure()) return NULL;
  void *p = malloc(n);
  if (p) faults.live++;
  return p;
}

static void core_free(void *p) {
  if (p) faults.live--;
  free(p);
}

/* Installs the faulty allocator; must come before SQLite initialises.
** Lookaside is turned off so that every small allocation of a connection
** goes through the allocator and can be made to fail too (Debian's SQLite
** is built without it anyway). */
static int install_allocator(void) {
  static const sqlite3_mem_methods faulty = {faulty_malloc,  faulty_free, faulty_realloc,  faulty_size,
                                             faulty_roundup, faulty_init, faulty_shutdown, NULL};
  int rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &faulty);
  if (rc == SQLITE_OK) rc = sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_initialize();
  return rc;
}

/* ---- What the script builds ------------------------------------------------ */

/* The enum's members in the order the script adds them: the first three by
** CREATE VIRTUAL TABLE, the others by INSERT (so each value is the key of
** its name). */
static const struct {
  const char *name, *value;
} planned_members[] = {
    {"OPENAI_CHAT", "openai_chat"},  {"ANTHROPIC_CHAT", "anthropic_chat"}, {"Legacy Completions", "completions"},
    {"NVIDIA_Optimized", "nvidia_optimized"}, {"Triton", "triton"},        {"vllm", "vllm"},
    {"SGLang", "sglang"},            {"TensorRT-LLM", "tensorrt_llm"},     {"Ollama", "ollama"},
};
#define PLANNED_MEMBERS (int)(sizeof planned_members / sizeof planned_members[0])

/* The rows of the table requests in the order the script inserts them. */
static const struct {
  const char *endpoint, *canonical;
} planned_requests[] = {
    {"OpenAI-Chat", "openai_chat"}, {"anthropic_chat", "anthropic_chat"}, {"NVIDIA-optimized", "nvidia_optimized"},
    {"TRITON", "triton"},           {"Completions", "completions"},       {"sglang", "sglang"},
    {"OLLAMA", "ollama"},           {"vLLM", "vllm"},
};
#define PLANNED_REQUESTS (int)(sizeof planned_requests / sizeof planned_requests[0])

/* The schema objects of the table, in the order the script creates them. */
static const char *const planned_objects[] = {"requests", "requests_endpoint", "requests_canonical"};
#define PLANNED_OBJECTS (int)(sizeof planned_objects / sizeof planned_objects[0])

/* What a connection shows of the script's work: how many of the planned
** members the enum has (0: no enum), how many of the planned schema objects
** exist, and how many of the planned rows requests holds. */
typedef struct state {
  int members, objects, requests;
} state;

static int same_state(state a, state b) {
  return a.members == b.members && a.objects == b.objects && a.requests == b.requests;
}

/* ---- The script ------------------------------------------------------------- */

enum step_kind { STEP_SQL, STEP_OPEN, STEP_CLOSE };

typedef struct step {
  enum step_kind kind;
  const char *sql;
  const char *expected; /* the rows, each "a|b\n"; NULL for a statement that returns none */
  state after;          /* what the connection shows once the step succeeded */
  int commits;          /* whether the file then holds that too (autocommit, COMMIT) */
} step;

#define ENUM_SQL "'endpoint_type'"

/* The script, in parts: each part opens the file, works and closes it, and
** the next one reopens it, as the next program would.  A sweep goes part by
** part, each run of a part starting from the file the part before left, so
** that a run repeats only the steps of its own part. */
static const step script[] = {
    /* Part 1: the enum. */
    {STEP_OPEN, "open", NULL, {0, 0, 0}, 1},
    {STEP_SQL,
     "CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat', "
     "\"Legacy Completions\" = 'completions')",
     NULL, {3, 0, 0}, 1},
    {STEP_SQL, "INSERT INTO endpoint_type(name) VALUES ('NVIDIA_Optimized'), ('Triton'), ('vllm')", NULL, {6, 0, 0}, 1},
    {STEP_SQL,
     "SELECT dynenum_resolve(" ENUM_SQL ", 'OpenAI-Chat'), dynenum_is_member(" ENUM_SQL ", 'TRITON'), "
     "dynenum_ordinal(" ENUM_SQL ", 'VLLM'), dynenum_resolve(" ENUM_SQL ", 'Plugin-X'), "
     "dynenum_is_member(" ENUM_SQL ", 'plugin_x'), dynenum_ordinal(" ENUM_SQL ", 'plugin_x')",
     "openai_chat|1|6|plugin_x|0|NULL\n", {6, 0, 0}, 1},
    {STEP_CLOSE, "close", NULL, {6, 0, 0}, 1},
    /* Part 2: a table that uses it. */
    {STEP_OPEN, "reopen", NULL, {6, 0, 0}, 1},
    {STEP_SQL,
     "CREATE TABLE requests(id INTEGER PRIMARY KEY, "
     "endpoint TEXT NOT NULL COLLATE DYNENUM CHECK (dynenum_is_member(" ENUM_SQL ", endpoint)), "
     "canonical TEXT AS (dynenum_resolve(" ENUM_SQL ", endpoint)))",
     NULL, {6, 1, 0}, 1},
    {STEP_SQL, "CREATE INDEX requests_endpoint ON requests(endpoint)", NULL, {6, 2, 0}, 1},
    {STEP_SQL, "CREATE INDEX requests_canonical ON requests(canonical)", NULL, {6, 3, 0}, 1},
    {STEP_SQL,
     "INSERT INTO requests(endpoint) VALUES ('OpenAI-Chat'), ('anthropic_chat'), ('NVIDIA-optimized'), ('TRITON'), "
     "('Completions')",
     NULL, {6, 3, 5}, 1},
    {STEP_SQL, "SELECT id, endpoint, canonical FROM requests WHERE endpoint = 'nvidia_OPTIMIZED'",
     "3|NVIDIA-optimized|nvidia_optimized\n", {6, 3, 5}, 1},
    {STEP_SQL, "SELECT canonical FROM requests ORDER BY endpoint",
     "anthropic_chat\ncompletions\nnvidia_optimized\nopenai_chat\ntriton\n", {6, 3, 5}, 1},
    {STEP_CLOSE, "close", NULL, {6, 3, 5}, 1},
    /* Part 3: members and rows added in one transaction; the catalog. */
    {STEP_OPEN, "reopen", NULL, {6, 3, 5}, 1},
    {STEP_SQL, "BEGIN", NULL, {6, 3, 5}, 0},
    {STEP_SQL, "INSERT INTO endpoint_type(name) VALUES ('SGLang'), ('TensorRT-LLM')", NULL, {8, 3, 5}, 0},
    {STEP_SQL, "INSERT INTO requests(endpoint) VALUES ('sglang')", NULL, {8, 3, 6}, 0},
    {STEP_SQL, "SELECT dynenum_ordinal(" ENUM_SQL ", 'tensorrt_llm'), count(*) FROM requests", "8|6\n", {8, 3, 6}, 0},
    {STEP_SQL, "COMMIT", NULL, {8, 3, 6}, 1},
    {STEP_SQL, "SELECT enum, ordinal, name, value FROM dynenum_members WHERE enum = " ENUM_SQL,
     "endpoint_type|1|OPENAI_CHAT|openai_chat\n"
     "endpoint_type|2|ANTHROPIC_CHAT|anthropic_chat\n"
     "endpoint_type|3|Legacy Completions|completions\n"
     "endpoint_type|4|NVIDIA_Optimized|nvidia_optimized\n"
     "endpoint_type|5|Triton|triton\n"
     "endpoint_type|6|vllm|vllm\n"
     "endpoint_type|7|SGLang|sglang\n"
     "endpoint_type|8|TensorRT-LLM|tensorrt_llm\n",
     {8, 3, 6}, 1},
    {STEP_SQL,
     "SELECT canonical, count(*) FROM requests GROUP BY canonical ORDER BY dynenum_ordinal(" ENUM_SQL ", canonical)",
     "openai_chat|1\nanthropic_chat|1\ncompletions|1\nnvidia_optimized|1\ntriton|1\nsglang|1\n", {8, 3, 6}, 1},
    {STEP_CLOSE, "close", NULL, {8, 3, 6}, 1},
    /* Part 4: more of the same after a reopen. */
    {STEP_OPEN, "reopen", NULL, {8, 3, 6}, 1},
    {STEP_SQL, "SELECT ordinal, name, value FROM endpoint_type WHERE ordinal > 6",
     "7|SGLang|sglang\n8|TensorRT-LLM|tensorrt_llm\n", {8, 3, 6}, 1},
    {STEP_SQL, "INSERT INTO endpoint_type(name) VALUES ('Ollama')", NULL, {9, 3, 6}, 1},
    {STEP_SQL, "INSERT INTO requests(endpoint) VALUES ('OLLAMA'), ('vLLM')", NULL, {9, 3, 8}, 1},
    {STEP_SQL,
     "SELECT dynenum_resolve(" ENUM_SQL ", 'tensorrt-llm'), dynenum_ordinal(" ENUM_SQL ", 'ollama'), "
     "(SELECT count(*) FROM requests WHERE endpoint = 'VLLM'), (SELECT count(*) FROM dynenum_members)",
     "tensorrt_llm|9|1|9\n", {9, 3, 8}, 1},
    {STEP_CLOSE, "close", NULL, {9, 3, 8}, 1},
    /* Part 5: an enum in temp, searched before main, renamed and dropped;
    ** it goes with the connection, so the file never has it. */
    {STEP_OPEN, "reopen", NULL, {9, 3, 8}, 1},
    {STEP_SQL, "CREATE VIRTUAL TABLE temp.scratch USING dynenum(RED, \"Dark Green\" = 'green')", NULL, {9, 3, 8}, 1},
    {STEP_SQL,
     "SELECT dynenum_resolve('scratch', 'red'), dynenum_resolve('temp.scratch', 'GREEN'), dynenum_key('Dark-Green'), "
     "dynenum_ordinal(" ENUM_SQL ", 'Ollama')",
     "red|green|dark_green|9\n", {9, 3, 8}, 1},
    {STEP_SQL, "ALTER TABLE temp.scratch RENAME TO scratch2", NULL, {9, 3, 8}, 1},
    {STEP_SQL, "SELECT name FROM scratch2 WHERE ordinal = 2", "Dark Green\n", {9, 3, 8}, 1},
    {STEP_SQL, "DROP TABLE scratch2", NULL, {9, 3, 8}, 1},
    {STEP_CLOSE, "close", NULL, {9, 3, 8}, 1},
    /* Part 6: aliases, retirement and the strict checks (docs/SPEC.md
    ** section 11), in temp like part 5. */
    {STEP_OPEN, "reopen", NULL, {9, 3, 8}, 1},
    {STEP_SQL, "CREATE VIRTUAL TABLE temp.kinds USING dynenum(OPENAI_CHAT, OPENAI = OPENAI_CHAT, OTHER)", NULL,
     {9, 3, 8}, 1},
    {STEP_SQL, "INSERT INTO temp.kinds(name, alias_of) VALUES ('OpenAI-Chat', 'openai')", NULL, {9, 3, 8}, 1},
    {STEP_SQL, "UPDATE temp.kinds SET retired = 1 WHERE ordinal = 2", NULL, {9, 3, 8}, 1},
    {STEP_SQL,
     "SELECT dynenum_strict('kinds', 'openai'), dynenum_current('kinds', 'OpenAI-Chat'), dynenum_resolve('kinds', "
     "'Other'), (SELECT group_concat(name || ':' || ifnull(alias_of, '') || ':' || retired) FROM dynenum_members "
     "WHERE enum = 'kinds')",
     "openai_chat|openai_chat|other|OPENAI_CHAT::0,OTHER::1,OPENAI:OPENAI_CHAT:0,OpenAI-Chat:OPENAI_CHAT:0\n",
     {9, 3, 8}, 1},
    {STEP_SQL, "DROP TABLE kinds", NULL, {9, 3, 8}, 1},
    {STEP_CLOSE, "close", NULL, {9, 3, 8}, 1},
};
#define SCRIPT_STEPS (int)(sizeof script / sizeof script[0])

/* ---- Running SQL ------------------------------------------------------------ */

/* The message of the last statement that failed (a static copy, because
** the harness must not allocate while the allocator is failing). */
static char last_error[512];

/* What run_statement returns when the rows do not fit its buffer: a fault
** of the harness, not an SQLite result code. */
#define OUTPUT_TOO_LONG (-1)

/* Runs one statement of sql on db and writes its rows into out as lines of
** "|"-separated columns (NULL written NULL).  Returns the extended result
** code: SQLITE_OK when the statement ran to its end.  A column whose text
** SQLite could not produce (it returns NULL for a value that is not NULL)
** is out of memory too. */
static int run_statement(sqlite3 *db, const char *sql, char *out, size_t cap) {
  sqlite3_stmt *stmt = NULL;
  size_t used = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  out[0] = 0;
  last_error[0] = 0;
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    for (int i = 0; i < sqlite3_column_count(stmt) && rc == SQLITE_OK; i++) {
      const char *text = (const char *)sqlite3_column_text(stmt, i);
      if (!text && sqlite3_column_type(stmt, i) != SQLITE_NULL) rc = SQLITE_NOMEM;
      int n = snprintf(out + used, cap - used, "%s%s", i ? "|" : "", text ? text : "NULL");
      if (n < 0 || (size_t)n >= cap - used) rc = OUTPUT_TOO_LONG;
      else used += (size_t)n;
    }
    if (rc == SQLITE_OK) {
      if (used + 2 > cap) rc = OUTPUT_TOO_LONG;
      else out[used++] = '\n', out[used] = 0;
    }
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc == OUTPUT_TOO_LONG) {
    snprintf(last_error, sizeof last_error, "the rows do not fit the harness's buffer of %zu bytes", cap);
  } else if (rc != SQLITE_OK) {
    snprintf(last_error, sizeof last_error, "%s", sqlite3_errmsg(db));
    if (rc != SQLITE_NOMEM) rc = sqlite3_extended_errcode(db);
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* Opens the database file and registers dynenum on the connection, as an
** application that compiles it in would. */
static int open_connection(const char *path, sqlite3 **db) {
  char *error = NULL;
  int rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  last_error[0] = 0;
  if (rc == SQLITE_OK) {
    sqlite3_extended_result_codes(*db, 1);
    /* Durability against power loss is not what this tests, and syncing
    ** each of some ten thousand runs to disk would take minutes. */
    rc = sqlite3_exec(*db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_dynenum_init(*db, &error, NULL);
  } else if (*db) {
    rc = sqlite3_extended_errcode(*db);
  }
  if (rc != SQLITE_OK) {
    /* The entry point explains any failure but out of memory. */
    snprintf(last_error, sizeof last_error, "%s", error ? error : sqlite3_errstr(rc));
    sqlite3_free(error);
    sqlite3_close(*db);
    *db = NULL;
  }
  return rc;
}

static int is_out_of_memory(int rc) { return rc == SQLITE_NOMEM || rc == SQLITE_IOERR_NOMEM; }

/* What SQLite says when memory runs out: "out of memory", or, when that
** happens as it opens the temp database, the message below.  A message of
** dynenum's with SQLITE_NOMEM would blame something else (a lost table, a
** missing enum) for the failure. */
static int is_out_of_memory_message(const char *message) {
  return strcmp(message, "out of memory") == 0 ||
         strcmp(message, "unable to open a temporary database file for storing temporary tables") == 0;
}

/* ---- Checking what a connection shows ---------------------------------------- */

/* Runs sql (an sqlite3_mprintf'd string, freed here) with memory to spare
** and checks that it succeeds; its rows are left in out. */
static int query(sqlite3 *db, char *sql, char *out, size_t cap, const char *when) {
  if (!sql) {
    CHECK(0, "%s: out of memory with the failing allocator off", when);
    return 0;
  }
  int rc = run_statement(db, sql, out, cap);
  int ok = CHECK_INT_EQ(SQLITE_OK, rc, "%s: %s", when, sql);
  if (!ok) printf("  error:    %s\n", last_error);
  sqlite3_free(sql);
  return ok;
}

/* Checks that rows (of "a|b|c" lines) are the first n of the planned
** members as "ordinal|name|value" for some n; returns n, or -1. */
static int planned_member_prefix(const char *rows) {
  char expected[4096] = "";
  size_t used = 0;
  for (int n = 0;; n++) {
    if (strcmp(rows, expected) == 0) return n;
    if (n == PLANNED_MEMBERS) return -1;
    used += (size_t)snprintf(expected + used, sizeof expected - used, "%d|%s|%s\n", n + 1, planned_members[n].name,
                             planned_members[n].value);
  }
}

/* The same for the rows of requests as "id|endpoint|canonical". */
static int planned_request_prefix(const char *rows) {
  char expected[4096] = "";
  size_t used = 0;
  for (int n = 0;; n++) {
    if (strcmp(rows, expected) == 0) return n;
    if (n == PLANNED_REQUESTS) return -1;
    used += (size_t)snprintf(expected + used, sizeof expected - used, "%d|%s|%s\n", n + 1, planned_requests[n].endpoint,
                             planned_requests[n].canonical);
  }
}

/* Reads what db shows of the script's work into *seen, checking that every
** way of looking at the enum agrees: the members table holds the first n
** planned members with ordinals 1..n; the enum's virtual table and the
** catalog list the same rows; dynenum_is_member, dynenum_ordinal and
** dynenum_resolve answer for every planned name accordingly (members and
** dynamic names alike); the rows of requests are the first planned ones,
** pass their CHECK, hold the right generated value and are found through
** both indexes; and PRAGMA integrity_check says ok.  Returns 1 when all of
** it holds.  Runs with the failing allocator off. */
static int observe(sqlite3 *db, const char *when, state *seen) {
  char rows[4096], other[4096];
  long failures = ctest_state.failures;
  memset(seen, 0, sizeof *seen);

  if (!query(db,
             sqlite3_mprintf("SELECT (SELECT count(*) FROM sqlite_schema WHERE name IN ('endpoint_type', "
                             "'endpoint_type_members')), (SELECT group_concat(name, ' ') FROM (SELECT name FROM "
                             "sqlite_schema WHERE name IN ('requests', 'requests_endpoint', 'requests_canonical') "
                             "ORDER BY rowid))"),
             rows, sizeof rows, when)) {
    return 0;
  }
  int enum_objects = atoi(rows);
  const char *objects = strchr(rows, '|') + 1;
  CHECK(enum_objects == 0 || enum_objects == 2, "%s: the enum and its members table exist together (%d of 2)", when,
        enum_objects);
  /* The schema objects of requests come in the order the script makes them:
  ** the first n of them, space-separated, or NULL for none. */
  seen->objects = -1;
  for (int n = 0; n <= PLANNED_OBJECTS && seen->objects < 0; n++) {
    char expected[256] = "";
    size_t used = 0;
    for (int i = 0; i < n; i++) {
      used += (size_t)snprintf(expected + used, sizeof expected - used, "%s%s", i ? " " : "", planned_objects[i]);
    }
    snprintf(expected + used, sizeof expected - used, "%s\n", n ? "" : "NULL");
    if (strcmp(objects, expected) == 0) seen->objects = n;
  }
  if (!CHECK(seen->objects >= 0, "%s: the schema objects of requests are the first ones planned", when)) {
    printf("  objects:  %s", objects);
    return 0;
  }

  if (enum_objects == 2) {
    if (!query(db, sqlite3_mprintf("SELECT ordinal, name, value FROM endpoint_type_members ORDER BY ordinal"), rows,
               sizeof rows, when)) {
      return 0;
    }
    seen->members = planned_member_prefix(rows);
    if (!CHECK(seen->members >= 3, "%s: the members table holds the planned members in order", when)) {
      printf("  rows:\n%s", rows);
    }
    if (query(db, sqlite3_mprintf("SELECT ordinal, name, value FROM endpoint_type"), other, sizeof other, when)) {
      CHECK_STR_EQ(rows, other, "%s: the enum's table lists its members table", when);
    }
    /* All of main's, which has no other enum; temp may have one left over
    ** from a failed run. */
    if (query(db, sqlite3_mprintf("SELECT ordinal, name, value FROM dynenum_members WHERE schema = 'main'"), other,
              sizeof other, when)) {
      CHECK_STR_EQ(rows, other, "%s: the catalog lists the members table", when);
    }
  }

  /* What the functions say of every planned name, member or not yet, in
  ** one statement: a member by name and by value, a name not yet added as
  ** the dynamic name it is (its value is its key). */
  sqlite3_str *planned = sqlite3_str_new(NULL);
  char expected[4096] = "";
  size_t used = 0;
  for (int i = 0; i < PLANNED_MEMBERS; i++) {
    const char *value = planned_members[i].value;
    sqlite3_str_appendf(planned, "%s(%d, %Q, %Q)", i ? ", " : "", i + 1, planned_members[i].name, value);
    if (i < seen->members) {
      used += (size_t)snprintf(expected + used, sizeof expected - used, "%d|1|%d|%s|%s\n", i + 1, i + 1, value, value);
    } else {
      used += (size_t)snprintf(expected + used, sizeof expected - used, "%d|0|NULL|%s|%s\n", i + 1, value, value);
    }
  }
  char *values = sqlite3_str_finish(planned);
  char *sql = sqlite3_mprintf("WITH planned(i, name, value) AS (VALUES %s) SELECT i, dynenum_is_member(" ENUM_SQL
                              ", name), dynenum_ordinal(" ENUM_SQL ", name), dynenum_resolve(" ENUM_SQL
                              ", name), dynenum_resolve(" ENUM_SQL ", value) FROM planned ORDER BY i",
                              values);
  sqlite3_free(values);
  if (seen->members == 0) {
    int rc = sql ? run_statement(db, sql, rows, sizeof rows) : SQLITE_NOMEM;
    sqlite3_free(sql);
    CHECK(rc == SQLITE_ERROR && strcmp(last_error, "no such enum: 'endpoint_type'") == 0,
          "%s: without the enum, the functions fail with 'no such enum' (rc %d: %s)", when, rc, last_error);
  } else if (query(db, sql, rows, sizeof rows, when)) {
    CHECK_STR_EQ(expected, rows, "%s: is_member, ordinal, resolve by name and by value of every planned name", when);
  }
  if (seen->objects >= 1) {
    if (query(db, sqlite3_mprintf("SELECT id, endpoint, canonical FROM requests ORDER BY id"), rows, sizeof rows,
              when)) {
      seen->requests = planned_request_prefix(rows);
      if (!CHECK(seen->requests >= 0, "%s: requests holds the planned rows in order", when)) printf("  rows:\n%s", rows);
    }
    /* Each row passes its CHECK, has its canonical value, and is found
    ** through each index there is: the DYNENUM one by another spelling of
    ** its key, the other (BINARY) by its canonical value. */
    if (query(db,
              sqlite3_mprintf("SELECT count(*) FROM requests AS r WHERE NOT dynenum_is_member(" ENUM_SQL ", endpoint) "
                              "OR canonical IS NOT dynenum_resolve(" ENUM_SQL ", endpoint)%s%s",
                              seen->objects >= 2 ? " OR (SELECT count(*) FROM requests INDEXED BY requests_endpoint "
                                                   "WHERE endpoint = upper(r.endpoint)) != 1"
                                                 : "",
                              seen->objects >= 3 ? " OR (SELECT count(*) FROM requests INDEXED BY requests_canonical "
                                                   "WHERE canonical = r.canonical) != 1"
                                                 : ""),
              rows, sizeof rows, when)) {
      CHECK_STR_EQ("0\n", rows, "%s: every row passes its CHECK, has its canonical value and is found through %d "
                   "indexes", when, seen->objects - 1);
    }
  }
  if (query(db, sqlite3_mprintf("PRAGMA integrity_check"), rows, sizeof rows, when)) {
    CHECK_STR_EQ("ok\n", rows, "%s: PRAGMA integrity_check", when);
  }
  return ctest_state.failures == failures;
}

/* ---- One run and the sweeps ------------------------------------------------- */

static void remove_database(const char *path) {
  static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
  char name[1024];
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
    if (unlink(name) != 0 && errno != ENOENT) {
      printf("cannot remove %s: %s\n", name, strerror(errno));
      exit(1);
    }
  }
}

/* Copies the file from to the file to, both closed. */
static void copy_file(const char *from, const char *to) {
  char buffer[16384];
  size_t n;
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  if (!in || !out) {
    printf("cannot copy %s to %s: %s\n", from, to, strerror(errno));
    exit(1);
  }
  while ((n = fread(buffer, 1, sizeof buffer, in)) > 0) {
    if (fwrite(buffer, 1, n, out) != n) break;
  }
  int failed = ferror(in) || ferror(out);
  if (fclose(out) != 0) failed = 1;
  fclose(in);
  if (failed) {
    printf("cannot copy %s to %s\n", from, to);
    exit(1);
  }
}

/* The parts of the script: part p is steps part_start[p] (an open) to
** part_start[p + 1] - 1 (a close), and starts from the file part_file[p]
** (none for the first part), which the run of part p - 1 with nothing
** failing left behind. */
#define MAX_PARTS 8
static int parts, part_start[MAX_PARTS + 1];
static char part_file[MAX_PARTS][1024];

static void find_parts(const char *directory) {
  for (int i = 0; i < SCRIPT_STEPS; i++) {
    if (script[i].kind != STEP_OPEN) continue;
    if (parts == MAX_PARTS) {
      printf("the script has more than %d parts\n", MAX_PARTS);
      exit(1);
    }
    snprintf(part_file[parts], sizeof part_file[parts], "%s/part-%d.db", directory, parts + 1);
    part_start[parts++] = i;
  }
  part_start[parts] = SCRIPT_STEPS;
}

typedef struct sweep {
  long runs;      /* runs that met an injected failure */
  long stopped;   /* of those, runs stopped by SQLITE_NOMEM */
  long untouched; /* allocations of the run that met none */
} sweep;

/* A step as messages name it: its SQL, or "open", "reopen", "close". */
static const char *step_name(int i) { return script[i].sql; }

/* Runs part of the script once with allocation fail_from failing (every
** one from it on when persistent; none when 0) and checks everything the
** header promises.  With save_to set, a run that completes leaves a copy of
** its file there, for the next part to start from.  Returns whether a
** failure was injected. */
static int run_part(const char *path, int part, long fail_from, int persistent, sweep *stats, const char *save_to) {
  char output[4096];
  char when[160];
  sqlite3 *db = NULL;
  int first = part_start[part], end = part_start[part + 1];
  state view = first ? script[first - 1].after : (state){0, 0, 0}, committed = view;
  int failed = -1, rc = SQLITE_OK;
  remove_database(path);
  if (part > 0) copy_file(part_file[part], path);
  long baseline = faults.live;
  faults_arm(fail_from, persistent);
  for (int i = first; i < end; i++) {
    const step *s = &script[i];
    if (s->kind == STEP_OPEN) {
      rc = open_connection(path, &db);
    } else if (s->kind == STEP_CLOSE) {
      rc = sqlite3_close(db); /* a close that fails is a statement left open: a bug of the harness */
      if (rc == SQLITE_OK) db = NULL;
    } else {
      rc = run_statement(db, s->sql, output, sizeof output);
    }
    if (rc != SQLITE_OK) {
      failed = i;
      break;
    }
    if (s->expected) {
      CHECK_STR_EQ(s->expected, output, "part %d, step %d with allocation %ld failing%s (0: none): %s", part + 1, i,
                   fail_from, persistent ? " and after" : "", step_name(i));
    }
    view = s->after;
    if (s->commits) committed = view;
  }
  int injected = faults.injected > 0;
  if (!injected) stats->untouched = faults.calls;
  faults.fail_from = 0; /* the memory is back */
  if (save_to && failed < 0 && !db) copy_file(path, save_to);

  if (fail_from) {
    snprintf(when, sizeof when, "part %d, allocation %ld failing%s", part + 1, fail_from, persistent ? " and after" : "");
  } else {
    snprintf(when, sizeof when, "part %d, nothing failing", part + 1);
  }
  if (failed >= 0) {
    stats->stopped++;
    if (!CHECK(is_out_of_memory(rc), "%s: step %d stopped the script with SQLITE_NOMEM, not %d: %s", when, failed, rc,
               step_name(failed))) {
      printf("  error:    %s\n", last_error);
    }
    if (rc == SQLITE_NOMEM) {
      CHECK(is_out_of_memory_message(last_error), "%s: the message of step %d is SQLite's for out of memory, not %s: %s",
            when, failed, last_error, step_name(failed));
    }
    CHECK(injected, "%s: step %d failed without an injected failure", when, failed);
    if (db) {
      char label[256];
      state seen;
      snprintf(label, sizeof label, "%s, after step %d failed, same connection", when, failed);
      if (observe(db, label, &seen)) {
        /* The failed statement undone, or SQLite rolled back the whole
        ** transaction; a failed COMMIT may leave the transaction open. */
        CHECK(same_state(seen, view) || same_state(seen, committed),
              "%s: the connection shows %d members, %d objects, %d rows: neither before the step (%d, %d, %d) nor "
              "the last commit (%d, %d, %d)",
              label, seen.members, seen.objects, seen.requests, view.members, view.objects, view.requests,
              committed.members, committed.objects, committed.requests);
      }
    }
  }
  if (db && !CHECK_INT_EQ(SQLITE_OK, sqlite3_close(db), "%s: close", when)) return injected;
  CHECK_INT_EQ(baseline, faults.live, "%s: blocks outstanding after the last close (a leak)", when);

  /* The file, as the next program to open it sees it. */
  sqlite3 *fresh = NULL;
  char label[256];
  state seen;
  snprintf(label, sizeof label, "%s, %s, reopened", when, failed >= 0 ? "failed" : "done");
  if (CHECK_INT_EQ(SQLITE_OK, open_connection(path, &fresh), "%s: open", label)) {
    if (observe(fresh, label, &seen)) {
      /* What was committed; the failed step's changes wholly or not at all. */
      int either = failed >= 0 && script[failed].commits && same_state(seen, script[failed].after);
      CHECK(same_state(seen, committed) || either,
            "%s: the file holds %d members, %d objects, %d rows, not the %d, %d, %d committed", label, seen.members,
            seen.objects, seen.requests, committed.members, committed.objects, committed.requests);
    }
    CHECK_INT_EQ(SQLITE_OK, sqlite3_close(fresh), "%s: close", label);
  }
  CHECK_INT_EQ(baseline, faults.live, "%s: blocks outstanding after checking the file (a leak)", when);
  if (injected) stats->runs++;
  return injected;
}

/* Runs each part of the script with nothing failing, leaving the file each
** next part starts from; this also proves the script's expectations. */
static void run_untouched(const char *path) {
  sweep stats = {0, 0, 0};
  ctest_group("SQL: the script with every allocation succeeding");
  for (int part = 0; part < parts; part++) {
    CHECK(!run_part(path, part, 0, 0, &stats, part + 1 < parts ? part_file[part + 1] : NULL),
          "part %d met no injected failure", part + 1);
  }
}

/* Runs each part for fail_from = 1, 2, ... until a run meets no injected
** failure: every allocation of the script is made to fail once. */
static void sweep_script(const char *path, int persistent) {
  long total = 0;
  ctest_group(persistent ? "SQL: every allocation from the N-th on fails" : "SQL: the N-th allocation fails");
  for (int part = 0; part < parts; part++) {
    sweep stats = {0, 0, 0};
    long fail_from = 1;
    while (run_part(path, part, fail_from, persistent, &stats, NULL)) fail_from++;
    printf("     part %d (steps %d to %d): swept N = 1 to %ld, %ld runs stopped by SQLITE_NOMEM, %ld went on to the "
           "end\n",
           part + 1, part_start[part], part_start[part + 1] - 1, fail_from - 1, stats.stopped,
           stats.runs - stats.stopped);
    CHECK_INT_EQ(stats.untouched, fail_from - 1, "part %d: the sweep failed each of its allocations in turn", part + 1);
    CHECK(stats.stopped > 0, "part %d: some runs stopped with SQLITE_NOMEM", part + 1);
    total += stats.untouched;
  }
  printf("     %ld allocations in all\n", total);
  CHECK(total > 500, "the script allocates through the faulty allocator (%ld allocations)", total);
}

/* ---- The core through its own hook ---------------------------------------- */

/* What a failed core call must have left alone. */
typedef struct core_state {
  size_t enums, members, dynamic;
} core_state;

static core_state core_snapshot(dynenum_registry *r, dynenum_enum *e) {
  core_state s = {r ? dynenum_registry_size(r) : 0, e ? dynenum_enum_size(e) : 0, e ? dynenum_enum_dynamic_count(e) : 0};
  return s;
}

/* Checks the result of one core call: DYNENUM_OK, or DYNENUM_NOMEM with its
** message and nothing changed.  Returns 1 when the script may go on. */
static int core_call(int rc, const dynenum_error *err, core_state before, core_state after, const char *what,
                     const char *when) {
  if (rc == DYNENUM_OK) return 1;
  CHECK_INT_EQ(DYNENUM_NOMEM, rc, "%s: %s ends in DYNENUM_NOMEM", when, what);
  if (err) CHECK(err->code == DYNENUM_NOMEM && err->message[0], "%s: %s explains the failure", when, what);
  CHECK(before.enums == after.enums && before.members == after.members && before.dynamic == after.dynamic,
        "%s: a failed %s changes nothing", when, what);
  return 0;
}

/* A script of core calls that allocate: a registry, enums defined (growing
** its table), dropped and replaced, members added (growing tables and
** arrays), dynamic members interned up to the cap.  Returns whether a failure was injected. */
static int core_script(long fail_from, int persistent) {
  static const dynenum_config config = {core_malloc, core_free, 12};
  char when[96], name[32];
  dynenum_registry *r = NULL;
  dynenum_enum *colour = NULL, *shape = NULL, *replacement = NULL;
  dynenum_error err;
  long baseline = faults.live;
  int rc;
  snprintf(when, sizeof when, "core, allocation %ld failing%s", fail_from, persistent ? " and after" : "");
  faults_arm(fail_from, persistent);

  rc = dynenum_registry_open(&config, &r);
  if (!core_call(rc, NULL, core_snapshot(NULL, NULL), core_snapshot(NULL, NULL), "open a registry", when)) goto done;
  core_state before = core_snapshot(r, NULL);
  rc = dynenum_enum_define(r, "colour", 6, 0, &colour, &err);
  if (!core_call(rc, &err, before, core_snapshot(r, NULL), "define colour", when)) goto done;
  for (int i = 0; i < 40; i++) { /* every third with a value of its own */
    char value[32];
    snprintf(name, sizeof name, "Colour-%02d", i);
    snprintf(value, sizeof value, "value %02d", i);
    before = core_snapshot(r, colour);
    rc = dynenum_enum_add(colour, name, strlen(name), i % 3 ? NULL : value, i % 3 ? 0 : strlen(value), NULL, &err);
    if (!core_call(rc, &err, before, core_snapshot(r, colour), "add a member", when)) goto done;
  }
  for (int i = 0; i < 14; i++) { /* two past the cap of 12 */
    const dynenum_member *m;
    snprintf(name, sizeof name, "dynamic-%02d", i);
    before = core_snapshot(r, colour);
    rc = dynenum_enum_resolve(colour, name, strlen(name), &m, &err);
    if (i >= 12) { /* refused before anything is allocated */
      CHECK_INT_EQ(DYNENUM_CAP, rc, "%s: interning past the cap", when);
      continue;
    }
    if (!core_call(rc, &err, before, core_snapshot(r, colour), "intern a dynamic member", when)) goto done;
  }
  before = core_snapshot(r, colour);
  rc = dynenum_enum_define(r, "shape", 5, 0, &shape, &err);
  if (!core_call(rc, &err, before, core_snapshot(r, colour), "define shape", when)) goto done;
  for (int i = 0; i < 20; i++) { /* the registry's table grows */
    dynenum_enum *e = NULL;
    snprintf(name, sizeof name, "enum-%02d", i);
    before = core_snapshot(r, colour);
    rc = dynenum_enum_define(r, name, strlen(name), 0, &e, &err);
    dynenum_enum_release(e);
    if (!core_call(rc, &err, before, core_snapshot(r, colour), "define one of 20 enums", when)) goto done;
  }
  for (int i = 0; i < 20; i += 2) { /* and loses every other entry */
    snprintf(name, sizeof name, "enum-%02d", i);
    CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_drop(r, name, strlen(name)), "%s: drop %s", when, name);
  }
  before = core_snapshot(r, colour);
  rc = dynenum_enum_define(r, "colour", 6, 1, &replacement, &err);
  if (!core_call(rc, &err, before, core_snapshot(r, colour), "replace colour", when)) goto done;
  CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_drop(r, "shape", 5), "%s: drop shape", when);
  CHECK_INT_EQ(11, dynenum_registry_size(r), "%s: colour and ten of the twenty left", when);
  for (int i = 1; i < 20; i += 2) {
    dynenum_enum *e = NULL;
    snprintf(name, sizeof name, "enum-%02d", i);
    CHECK_INT_EQ(DYNENUM_OK, dynenum_enum_get(r, name, strlen(name), &e), "%s: %s still found", when, name);
    dynenum_enum_release(e);
  }
  CHECK(dynenum_enum_size(colour) == 40 && dynenum_enum_dynamic_count(colour) == 12,
        "%s: the script ran to its end with every member in place", when);

done:
  /* The members that went in are whole and in order. */
  for (size_t i = 0; colour && i < dynenum_enum_size(colour); i++) {
    const dynenum_member *m = dynenum_enum_member(colour, i);
    CHECK(m && m->ordinal == (int64_t)i + 1, "%s: member %zu in place", when, i);
  }
  int injected = faults.injected > 0;
  faults.fail_from = 0;
  dynenum_enum_release(colour);
  dynenum_enum_release(shape);
  dynenum_enum_release(replacement);
  dynenum_registry_close(r);
  CHECK_INT_EQ(baseline, faults.live, "%s: blocks outstanding after closing (a leak)", when);
  return injected;
}

static void sweep_core(int persistent) {
  long fail_from = 1;
  ctest_group(persistent ? "core: every allocation from the N-th on fails" : "core: the N-th allocation fails");
  while (core_script(fail_from, persistent)) fail_from++;
  printf("     swept N = 1 to %ld; the script makes %ld allocations\n", fail_from - 1, faults.calls);
  CHECK_INT_EQ(faults.calls, fail_from - 1, "the sweep failed each allocation of the script in turn");
  CHECK(faults.calls > 30, "the core allocates through its hook (%ld allocations)", faults.calls);
}

/* Usage: oom_test [--one | --persistent] [DIRECTORY]
** Both kinds of sweep by default; --one runs only those that fail the N-th
** allocation, --persistent only those that fail every allocation from the
** N-th on (to look at one of them alone).  The database files go to
** DIRECTORY (default build/oom). */
int main(int argc, char **argv) {
  const char *directory = "build/oom";
  int one = 1, persistent = 1;
  char path[1024];
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--one") == 0) persistent = 0;
    else if (strcmp(argv[i], "--persistent") == 0) one = 0;
    else if (argv[i][0] != '-') directory = argv[i];
    else {
      printf("usage: %s [--one | --persistent] [DIRECTORY]\n", argv[0]);
      return 2;
    }
  }
  if (!one && !persistent) {
    printf("%s: --one and --persistent exclude each other\n", argv[0]);
    return 2;
  }
  if (mkdir(directory, 0777) != 0 && errno != EEXIST) {
    printf("cannot create %s: %s\n", directory, strerror(errno));
    return 1;
  }
  snprintf(path, sizeof path, "%s/oom.db", directory);
  setvbuf(stdout, NULL, _IOLBF, 0);

  int rc = install_allocator();
  if (rc != SQLITE_OK) {
    printf("cannot install the failing allocator: %s\n", sqlite3_errstr(rc));
    return 1;
  }
  printf("SQLite %s, database %s\n", sqlite3_libversion(), path);

  /* The runs with nothing failing come first: they leave the files the
  ** parts start from, and SQLite sets up some state of its own on first
  ** use and keeps it, which is not a leak of a run. */
  find_parts(directory);
  run_untouched(path);

  if (one) sweep_script(path, 0);
  if (persistent) sweep_script(path, 1);
  if (one) sweep_core(0);
  if (persistent) sweep_core(1);
  remove_database(path);
  for (int part = 1; part < parts; part++) remove_database(part_file[part]);
  sqlite3_shutdown();
  return ctest_finish();
}
