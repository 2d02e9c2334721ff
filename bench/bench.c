/*
** bench.c: dynenum against SQLite's built-ins, through the real SQLite
** library and the loadable extension, as `make bench` runs it.
**
**     build/bench EXTENSION timing     the timed figures
**     build/bench EXTENSION allocs     heap allocations per row
**     build/bench EXTENSION rss-sql    peak RSS after 1,000,000 unknown inputs
**     build/bench EXTENSION rss-core   the same through the core's C API
**     build/bench EXTENSION rss-none   the baseline of the two above
**     build/bench EXTENSION statements one statement per value, from C
**     build/bench EXTENSION latency    one random memory read (no SQLite)
**
** Every figure is a ratio of medians: the two sides of a figure run in
** alternation, ROUNDS times each, in one process on the same data, and the
** ratio is median(a) / median(b).  Each result is one line of tab-separated
** fields on standard output, which bench/report.tcl turns into the report:
**
**     figure  ratio  a_median_seconds  b_median_seconds  rounds  note
**
** (allocs and rss print their own values in the ratio column, see below).
*/
#define _POSIX_C_SOURCE 200809L

#include <sqlite3.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "dynenum.h"

static void fail(sqlite3 *db, const char *what) {
  fprintf(stderr, "bench: %s: %s\n", what, db ? sqlite3_errmsg(db) : "error");
  exit(1);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void exec(sqlite3 *db, const char *sql) {
  char *error = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
    fprintf(stderr, "bench: %s\n  in: %s\n", error ? error : "error", sql);
    exit(1);
  }
}

/* Runs sql to the end, reading every column of every row as text (so that
** an ORDER BY really produces its rows), and returns the seconds taken. */
static double timed(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt;
  double start = now();
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) fail(db, sql);
  int rc;
  size_t bytes = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(stmt); i++) bytes += (size_t)sqlite3_column_bytes(stmt, i);
  }
  if (rc != SQLITE_DONE) fail(db, sql);
  sqlite3_finalize(stmt);
  (void)bytes;
  return now() - start;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Times a (a_sql, then a_undo) against b (b_sql, then b_undo) in alternating
** order, rounds times each, and prints the figure's line. */
static void figure(sqlite3 *db, const char *name, int rounds, const char *a_sql, const char *a_undo,
                   const char *b_sql, const char *b_undo, const char *note) {
  double a[32], b[32];
  if (rounds > 32) rounds = 32;
  /* One untimed run of each warms the page cache and the enum cache. */
  timed(db, a_sql);
  if (a_undo) exec(db, a_undo);
  timed(db, b_sql);
  if (b_undo) exec(db, b_undo);
  for (int i = 0; i < rounds; i++) {
    int a_first = i % 2 == 0;
    for (int side = 0; side < 2; side++) {
      int run_a = side == 0 ? a_first : !a_first;
      double t = timed(db, run_a ? a_sql : b_sql);
      const char *undo = run_a ? a_undo : b_undo;
      if (undo) exec(db, undo);
      if (run_a) a[i] = t;
      else b[i] = t;
    }
  }
  double ma = median(a, rounds), mb = median(b, rounds);
  printf("%s\t%.4f\t%.6f\t%.6f\t%d\t%s\n", name, ma / mb, ma, mb, rounds, note);
  fflush(stdout);
}

/* ---- Data ------------------------------------------------------------------ */

static uint64_t prng = 0x2545f4914f6cdd1du;
static uint32_t next_random(void) {
  prng ^= prng << 13;
  prng ^= prng >> 7;
  prng ^= prng << 17;
  return (uint32_t)(prng >> 16);
}

/* Spells an ASCII enum-like name in a random one of the ways programs do:
** as declared, lower case, upper case, or with '-' for '_'. */
static void spell(const char *name, char *out) {
  int how = (int)(next_random() % 4);
  size_t i = 0;
  for (; name[i]; i++) {
    char c = name[i];
    if (how == 1 && c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (how == 2 && c >= 'a' && c <= 'z') c = (char)(c - 32);
    if (how == 3 && c == '_') c = '-';
    out[i] = c;
  }
  out[i] = 0;
}

static const char *const endpoint_words[] = {"OpenAI", "Anthropic", "Nvidia", "Triton", "Vllm", "Hugging",
                                             "Face", "Chat", "Completions", "Embeddings", "Rankings", "Optimized",
                                             "Legacy", "Stream", "Batch", "Audio", "Image", "Vision"};

/* Runs the one-parameter statement sql once per value that make writes,
** for i = 0 .. count - 1, in one transaction. */
typedef void make_value(int i, char *out, size_t size, const void *context);

static void insert_values(sqlite3 *db, const char *sql, int count, make_value *make, const void *context) {
  char value[256];
  sqlite3_stmt *insert;
  if (sqlite3_prepare_v2(db, sql, -1, &insert, NULL) != SQLITE_OK) fail(db, sql);
  exec(db, "BEGIN");
  for (int i = 0; i < count; i++) {
    make(i, value, sizeof value, context);
    sqlite3_bind_text(insert, 1, value, -1, SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) fail(db, sql);
    sqlite3_reset(insert);
  }
  exec(db, "COMMIT");
  sqlite3_finalize(insert);
}

/* Creates table(x TEXT) and fills it with count values from make. */
static void fill_table(sqlite3 *db, const char *table, int count, make_value *make, const void *context) {
  char sql[256];
  snprintf(sql, sizeof sql, "CREATE TABLE %s(x TEXT)", table);
  exec(db, sql);
  snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?1)", table);
  insert_values(db, sql, count, make, context);
}

/* An enum-like name: distinct names made of two words and a number (as many
** as *context says), each spelled at random. */
static void ascii_name(int i, char *out, size_t size, const void *context) {
  char name[128];
  uint32_t k = next_random() % (uint32_t)*(const int *)context;
  size_t words = sizeof endpoint_words / sizeof *endpoint_words;
  (void)i;
  snprintf(name, sizeof name, "%s_%s_%u", endpoint_words[k % words], endpoint_words[(k / words) % words], k % 97);
  if (strlen(name) < size) spell(name, out);
}

static void fill_ascii(sqlite3 *db, const char *table, int rows, int distinct) {
  fill_table(db, table, rows, ascii_name, &distinct);
}

/* Non-ASCII words in both cases: Greek, Cyrillic, German, Latin-1, Deseret. */
static const char *const unicode_words[][2] = {
    {"Σίσυφος", "ΣΊΣΥΦΟΣ"},   {"Ἀθῆναι", "ἈΘΗ͂ΝΑΙ"},       {"Москва", "МОСКВА"},      {"Ёлка", "ЁЛКА"},
    {"Straße", "STRAẞE"},     {"Übermäßig", "ÜBERMÄSSIG"}, {"Ärger", "ÄRGER"},        {"Ça_va", "ÇA_VA"},
    {"Élan-Vital", "élan_vital"}, {"Ñandú", "ÑANDÚ"},      {"Øresund", "øresund"},    {"𐐔𐐯𐑅𐐨𐑉𐐯𐐻", "𐐼𐐯𐑅𐐨𐑉𐐯𐐻"},
    {"Ωmega", "ωMEGA"},       {"Київ", "КИЇВ"},            {"Þórr", "þÓRR"},          {"İzmir", "izmir"},
};

static void unicode_value(int i, char *out, size_t size, const void *context) {
  size_t words = sizeof unicode_words / sizeof *unicode_words;
  uint32_t a = next_random(), b = next_random();
  (void)i;
  (void)context;
  snprintf(out, size, "%s_%s_%u", unicode_words[a % words][a / 7 % 2], unicode_words[b % words][b / 7 % 2],
           next_random() % 50);
}

static void fill_unicode(sqlite3 *db, const char *table, int rows) { fill_table(db, table, rows, unicode_value, NULL); }

/* Member i + 1 of a sized enum, as declared. */
static void member_name(int i, char *out, size_t size, const void *context) {
  (void)context;
  snprintf(out, size, "Member_%05d", i + 1);
}

/* A random member of an enum of *context members, in a random spelling. */
static void member_spelling(int i, char *out, size_t size, const void *context) {
  char member[64];
  (void)i;
  snprintf(member, sizeof member, "Member_%05d", 1 + (int)(next_random() % (uint32_t)(*(const int *)context - 1)));
  if (strlen(member) < size) spell(member, out);
}

/* An enum of `members` members (FIRST_MEMBER, Member_00001, ...), and a
** table of rows naming them at random in random spellings. */
static void make_sized_enum(sqlite3 *db, const char *name, int members, const char *rows_table, int rows) {
  char sql[256];
  snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE %s USING dynenum(FIRST_MEMBER)", name);
  exec(db, sql);
  snprintf(sql, sizeof sql, "INSERT INTO %s(name) VALUES (?1)", name);
  insert_values(db, sql, members - 1, member_name, NULL);
  fill_table(db, rows_table, rows, member_spelling, &members);
}

static sqlite3 *open_db(const char *extension) {
  sqlite3 *db;
  char *error = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) fail(db, "open");
  sqlite3_enable_load_extension(db, 1);
  if (sqlite3_load_extension(db, extension, NULL, &error) != SQLITE_OK) {
    fprintf(stderr, "bench: cannot load %s: %s\n", extension, error ? error : "");
    exit(1);
  }
  exec(db, "PRAGMA cache_size = -262144");
  return db;
}

/* ---- The figures ----------------------------------------------------------- */

static void timing(const char *extension) {
  sqlite3 *db = open_db(extension);
  fill_ascii(db, "ascii", 1000000, 20000);
  figure(db, "index_dynenum_vs_nocase", 9, "CREATE INDEX i ON ascii(x COLLATE DYNENUM)", "DROP INDEX i",
         "CREATE INDEX i ON ascii(x COLLATE NOCASE)", "DROP INDEX i", "1,000,000 ASCII enum-like rows, mixed case");
  figure(db, "index_dynenum_vs_binary", 7, "CREATE INDEX i ON ascii(x COLLATE DYNENUM)", "DROP INDEX i",
         "CREATE INDEX i ON ascii(x COLLATE BINARY)", "DROP INDEX i", "same rows");

  fill_unicode(db, "uni", 200000);
  figure(db, "order_unicode_dynenum_vs_nocase", 11, "SELECT x FROM uni ORDER BY x COLLATE DYNENUM", NULL,
         "SELECT x FROM uni ORDER BY x COLLATE NOCASE", NULL,
         "200,000 rows of Greek, Cyrillic, German, Latin-1 and Deseret words");

  exec(db, "CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT, NVIDIA_OPTIMIZED, COMPLETIONS)");
  exec(db, "CREATE TABLE calls AS SELECT CASE abs(random()) % 6 WHEN 0 THEN 'OpenAI_Chat' WHEN 1 THEN 'openai_chat'"
           " WHEN 2 THEN 'ANTHROPIC_CHAT' WHEN 3 THEN 'Nvidia-Optimized' WHEN 4 THEN 'completions'"
           " ELSE 'Plugin_Endpoint' END AS x FROM ascii");
  figure(db, "resolve_vs_lower", 7, "SELECT count(*) FROM calls WHERE dynenum_resolve('e', x) = 'openai_chat'", NULL,
         "SELECT count(*) FROM calls WHERE lower(x) = 'openai_chat'", NULL, "1,000,000 rows");

  make_sized_enum(db, "big", 100000, "big_rows", 1000000);
  make_sized_enum(db, "small", 10, "small_rows", 1000000);
  /* The same rows (naming members 1 to 9, which both enums have) against
  ** either enum: what the size of the enum costs a lookup. */
  figure(db, "resolve_100000_vs_10_members", 7, "SELECT count(dynenum_resolve('big', x)) FROM small_rows", NULL,
         "SELECT count(dynenum_resolve('small', x)) FROM small_rows", NULL,
         "1,000,000 rows naming members 1 to 9 in random spellings, against either enum");
  /* Rows naming any of the 100,000 members: each lookup lands on a cold
  ** part of the table, a cost of memory rather than of the algorithm. */
  figure(db, "resolve_100000_random_vs_10_members", 7, "SELECT count(dynenum_resolve('big', x)) FROM big_rows", NULL,
         "SELECT count(dynenum_resolve('small', x)) FROM small_rows", NULL,
         "1,000,000 rows naming random members of each enum in random spellings");

  /* Adding members (the plugin case, in bulk) against the table a user
  ** would write for the same job: ordinals, a UNIQUE DYNENUM name, the key
  ** as value. */
  exec(db, "CREATE VIRTUAL TABLE added USING dynenum(First);"
           "CREATE TABLE by_hand(ordinal INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE DYNENUM,"
           " value TEXT NOT NULL)");
  figure(db, "add_members_vs_unique_table", 7,
         "INSERT INTO added(name) WITH RECURSIVE c(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM c WHERE i < 100000)"
         " SELECT 'Member_' || i FROM c",
         "DROP TABLE added; CREATE VIRTUAL TABLE added USING dynenum(First)",
         "INSERT INTO by_hand(name, value) WITH RECURSIVE c(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM c"
         " WHERE i < 100000) SELECT 'Member_' || i, dynenum_key('Member_' || i) FROM c",
         "DELETE FROM by_hand", "100,000 members added by one INSERT ... SELECT");
  sqlite3_close(db);
}

/* One statement per value, as an application calling from its own code
** does, on a database file: in autocommit mode a statement that reads no
** table holds no read transaction, so the first call of each statement
** confirms with one PRAGMA that the cached enum is current; inside a
** transaction it needs nothing.  Both against SELECT lower(?). */
static double per_statement(sqlite3 *db, const char *sql, int calls) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) fail(db, sql);
  double start = now();
  for (int i = 0; i < calls; i++) {
    sqlite3_bind_text(stmt, 1, i % 2 ? "OpenAI-Chat" : "anthropic_chat", -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_ROW) fail(db, sql);
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  return now() - start;
}

static void statements(const char *extension) {
  sqlite3 *db;
  char *error = NULL;
  const char *path = "build/bench-statements.db";
  remove(path);
  if (sqlite3_open(path, &db) != SQLITE_OK) fail(db, "open");
  sqlite3_enable_load_extension(db, 1);
  if (sqlite3_load_extension(db, extension, NULL, &error) != SQLITE_OK) fail(db, "load");
  exec(db, "CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)");
  for (int in_transaction = 0; in_transaction < 2; in_transaction++) {
    double a[9], b[9];
    if (in_transaction) exec(db, "BEGIN");
    per_statement(db, "SELECT dynenum_resolve('e', ?1)", 2000);
    for (int i = 0; i < 9; i++) {
      a[i] = per_statement(db, "SELECT dynenum_resolve('e', ?1)", 20000) / 20000;
      b[i] = per_statement(db, "SELECT lower(?1)", 20000) / 20000;
    }
    if (in_transaction) exec(db, "COMMIT");
    double ma = median(a, 9), mb = median(b, 9);
    printf("%s\t%.4f\t%.9f\t%.9f\t9\t%s\n", in_transaction ? "statement_in_transaction" : "statement_autocommit",
           ma / mb, ma, mb,
           in_transaction ? "SELECT dynenum_resolve('e', ?) per value inside BEGIN ... COMMIT, vs SELECT lower(?)"
                          : "SELECT dynenum_resolve('e', ?) per value in autocommit on a file, vs SELECT lower(?)");
  }
  sqlite3_close(db);
  remove(path);
}

/* What verifying costs.  After any commit to the file by another
** connection, the next statement that uses an enum compares every row of
** its members table with the cached copy (that is how a member changed in
** place is caught).  For enums of 10, 1,000 and 100,000 members: one
** SELECT dynenum_resolve('e', ?) right after another connection committed
** a row to an unrelated table, against SELECT lower(x) FROM a one-row table
** right after the same commit (which pays for noticing the commit too).
** Both statements are prepared once; the commits are not timed. */
static double step_once(sqlite3 *db, sqlite3_stmt *stmt) {
  sqlite3_bind_text(stmt, 1, "anthropic_chat", -1, SQLITE_STATIC);
  double start = now();
  if (sqlite3_step(stmt) != SQLITE_ROW) fail(db, sqlite3_sql(stmt));
  sqlite3_reset(stmt);
  return now() - start;
}

static void verification(const char *extension) {
  static const int sizes[] = {10, 1000, 100000};
  const char *path = "build/bench-verify.db";
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    sqlite3 *db, *other;
    sqlite3_stmt *resolve, *lower;
    remove(path);
    if (sqlite3_open(path, &db) != SQLITE_OK || sqlite3_open(path, &other) != SQLITE_OK) fail(db, "open");
    char *error = NULL;
    sqlite3_enable_load_extension(db, 1);
    if (sqlite3_load_extension(db, extension, NULL, &error) != SQLITE_OK) fail(db, "load");
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "CREATE VIRTUAL TABLE e USING dynenum(FIRST_MEMBER)");
    insert_values(db, "INSERT INTO e(name) VALUES (?1)", sizes[k] - 1, member_name, NULL);
    exec(db, "CREATE TABLE log(x); CREATE TABLE one_row(x); INSERT INTO one_row VALUES ('OpenAI-Chat')");
    if (sqlite3_prepare_v2(db, "SELECT dynenum_resolve('e', ?1)", -1, &resolve, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT lower(x) FROM one_row WHERE ?1 IS NOT NULL", -1, &lower, NULL) != SQLITE_OK) {
      fail(db, "prepare");
    }
    double with_dynenum[9], without[9];
    const int calls = sizes[k] >= 100000 ? 10 : 200;
    for (int round = 0; round < 9; round++) {
      double a = 0, b = 0;
      for (int i = 0; i < calls; i++) {
        exec(other, "INSERT INTO log VALUES (1)");
        a += step_once(db, resolve);
        exec(other, "INSERT INTO log VALUES (2)");
        b += step_once(db, lower);
      }
      with_dynenum[round] = a / calls;
      without[round] = b / calls;
    }
    double ma = median(with_dynenum, 9), mb = median(without, 9);
    printf("verify_after_commit_%d\t%.4f\t%.9f\t%.9f\t9\tSELECT dynenum_resolve(?), %d members, right after another "
           "connection's commit, vs SELECT lower(x) FROM one_row_table after one\n",
           sizes[k], ma / mb, ma, mb, sizes[k]);
    sqlite3_finalize(resolve);
    sqlite3_finalize(lower);
    sqlite3_close(other);
    sqlite3_close(db);
    remove(path);
  }
}

/* What one dependent random read of memory costs here: a walk through a
** random cycle over 64 MiB, larger than any cache of this machine.  A
** lookup in a large enum makes about two such reads (its slot in the table,
** then the member), which no hash table avoids. */
static void memory_latency(void) {
  size_t n = (size_t)64 << 20 >> 3, steps = 4000000;
  uint64_t *next = malloc(n * sizeof *next);
  if (!next) fail(NULL, "malloc");
  for (size_t i = 0; i < n; i++) next[i] = i;
  for (size_t i = n - 1; i > 0; i--) { /* Sattolo: one cycle through all */
    size_t j = ((size_t)next_random() << 16 ^ next_random()) % i, t = next[i];
    next[i] = next[j];
    next[j] = t;
  }
  uint64_t at = 0;
  double start = now();
  for (size_t i = 0; i < steps; i++) at = next[at];
  double each = (now() - start) / (double)steps;
  printf("memory_latency\t%.1f\t%.9f\t0\t1\tone dependent random read over 64 MiB, in ns (ended at %llu)\n", each * 1e9,
         each, (unsigned long long)at);
  free(next);
}

/* ---- Allocations: a counting allocator under SQLite ------------------------ */

static sqlite3_mem_methods system_memory;
static long long allocation_count;

static void *counting_malloc(int n) {
  allocation_count++;
  return system_memory.xMalloc(n);
}
static void *counting_realloc(void *p, int n) {
  allocation_count++;
  return system_memory.xRealloc(p, n);
}

/* Allocations sql makes, run to the end. */
static long long allocations_of(sqlite3 *db, const char *sql) {
  long long before = allocation_count;
  timed(db, sql);
  return allocation_count - before;
}

/* Allocations per row that sql makes beyond baseline, the same query
** without what is measured: each is run over 100,000 and over 200,000 rows
** and the difference divided by 100,000, so that whatever a statement
** allocates once cancels out. */
static double extra_per_row(sqlite3 *db, const char *sql_format) {
  char small[512], large[512];
  snprintf(small, sizeof small, sql_format, 100000);
  snprintf(large, sizeof large, sql_format, 200000);
  allocations_of(db, large); /* warm: caches */
  long long a = allocations_of(db, small), b = allocations_of(db, large);
  return (double)(b - a) / 100000.0;
}

static void per_row(sqlite3 *db, const char *name, const char *sql_format, const char *baseline_format,
                    const char *note) {
  double measured = extra_per_row(db, sql_format), baseline = extra_per_row(db, baseline_format);
  printf("%s\t%.6f\t%.6f\t%.6f\t1\t%s\n", name, measured - baseline, measured, baseline, note);
}

static void allocations(const char *extension) {
  sqlite3_mem_methods counting;
  if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &system_memory) != SQLITE_OK) fail(NULL, "getmalloc");
  counting = system_memory;
  counting.xMalloc = counting_malloc;
  counting.xRealloc = counting_realloc;
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &counting) != SQLITE_OK) fail(NULL, "config malloc");
  sqlite3 *db = open_db(extension);
  /* Without lookaside, every allocation reaches the counting allocator. */
  if (sqlite3_db_config(db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 0, 0) != SQLITE_OK) fail(db, "lookaside");
  fill_ascii(db, "ascii", 200000, 20000);
  exec(db, "CREATE TABLE pairs AS SELECT a.x AS a, b.x AS b FROM ascii a JOIN ascii b ON a.rowid = b.rowid % 200000 + 1");
  exec(db, "CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)");
  exec(db, "CREATE TABLE calls AS SELECT CASE rowid % 2 WHEN 0 THEN 'OpenAI-Chat' ELSE 'anthropic_chat' END AS x FROM ascii");
  const char *pairs = "SELECT count(*) FROM (SELECT a, b FROM pairs LIMIT %d) WHERE a = b";
  per_row(db, "allocs_per_comparison_dynenum", "SELECT count(*) FROM (SELECT a, b FROM pairs LIMIT %d) WHERE a = b COLLATE DYNENUM",
          pairs, "one DYNENUM comparison per row, beyond the same query comparing with BINARY");
  per_row(db, "allocs_per_comparison_nocase", "SELECT count(*) FROM (SELECT a, b FROM pairs LIMIT %d) WHERE a = b COLLATE NOCASE",
          pairs, "the same with NOCASE");
  const char *calls = "SELECT count(*) FROM (SELECT x FROM calls LIMIT %d) WHERE x = 'openai_chat'";
  per_row(db, "allocs_per_resolve_member",
          "SELECT count(*) FROM (SELECT x FROM calls LIMIT %d) WHERE dynenum_resolve('e', x) = 'openai_chat'", calls,
          "dynenum_resolve() of a real member per row, beyond the same query without it");
  per_row(db, "allocs_per_lower", "SELECT count(*) FROM (SELECT x FROM calls LIMIT %d) WHERE lower(x) = 'openai_chat'",
          calls, "lower(), for comparison");
  sqlite3_close(db);
}

/* ---- Peak memory ------------------------------------------------------------ */

static long max_rss_kib(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* 1,000,000 distinct names no enum declares, resolved by SQL, by the core's
** C API (which interns them up to its cap), or not at all (the baseline):
** the same process image and data either way. */
static void peak_memory(const char *extension, const char *mode) {
  sqlite3 *db = open_db(extension);
  exec(db, "CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)");
  dynenum_registry *registry;
  dynenum_enum *e;
  dynenum_error err;
  if (dynenum_registry_open(NULL, &registry) || dynenum_enum_define(registry, "e", 1, 0, &e, &err)) {
    fail(NULL, "core registry");
  }
  long before = max_rss_kib();
  long long resolved = 0;
  if (strcmp(mode, "rss-sql") == 0) {
    sqlite3_stmt *stmt;
    const char *sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) "
                      "SELECT count(dynenum_resolve('e', 'Plugin_' || i)) FROM n";
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) fail(db, sql);
    if (sqlite3_step(stmt) == SQLITE_ROW) resolved = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
  } else if (strcmp(mode, "rss-core") == 0) {
    char name[32];
    for (int i = 1; i <= 1000000; i++) {
      const dynenum_member *m;
      int n = snprintf(name, sizeof name, "Plugin_%d", i);
      /* Past the cap (1024 by default) the lookup fails instead of growing. */
      if (dynenum_enum_resolve(e, name, (size_t)n, &m, &err) == DYNENUM_OK) resolved++;
    }
  }
  long after = max_rss_kib();
  printf("%s\t%.3f\t%ld\t%ld\t1\tresolved %lld of 1000000, peak RSS in KiB before and after\n", mode,
         (double)(after - before) / 1024.0, before, after, resolved);
  dynenum_enum_release(e);
  dynenum_registry_close(registry);
  sqlite3_close(db);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bench EXTENSION timing|allocs|rss-sql|rss-core|rss-none|statements|latency|verify\n");
    return 2;
  }
  if (strcmp(argv[2], "timing") == 0) timing(argv[1]);
  else if (strcmp(argv[2], "allocs") == 0) allocations(argv[1]);
  else if (strncmp(argv[2], "rss-", 4) == 0) peak_memory(argv[1], argv[2]);
  else if (strcmp(argv[2], "statements") == 0) statements(argv[1]);
  else if (strcmp(argv[2], "latency") == 0) memory_latency();
  else if (strcmp(argv[2], "verify") == 0) verification(argv[1]);
  else {
    fprintf(stderr, "bench: unknown mode %s\n", argv[2]);
    return 2;
  }
  return 0;
}
