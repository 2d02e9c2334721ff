/*
** rows.c: the rows every figure runs on.  ASCII rows are enum-like names
** spelled the ways programs spell them; non-ASCII rows are made of the
** words of bench/pool.txt, the one definition of the broad pool.
*/
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_FILE "bench/pool.txt"
#define POOL_MAX_WORDS 64
#define POOL_MAX_SPELLINGS 6

/* Runs the one-parameter statement sql once per value that make writes,
** for i = 0 .. count - 1, in one transaction. */
void bench_insert_values(sqlite3 *db, const char *sql, int count, make_value *make, const void *context) {
  char value[256];
  sqlite3_stmt *insert;
  if (sqlite3_prepare_v2(db, sql, -1, &insert, NULL) != SQLITE_OK) bench_fail(db, sql);
  bench_exec(db, "BEGIN");
  for (int i = 0; i < count; i++) {
    make(i, value, sizeof value, context);
    if (sqlite3_bind_text(insert, 1, value, -1, SQLITE_STATIC) != SQLITE_OK) bench_fail(db, sql);
    if (sqlite3_step(insert) != SQLITE_DONE) bench_fail(db, sql);
    sqlite3_reset(insert);
  }
  bench_exec(db, "COMMIT");
  sqlite3_finalize(insert);
}

/* Creates table(x TEXT) and fills it with count values from make. */
void bench_fill_table(sqlite3 *db, const char *table, int count, make_value *make, const void *context) {
  char sql[256];
  snprintf(sql, sizeof sql, "CREATE TABLE %s(x TEXT)", table);
  bench_exec(db, sql);
  snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?1)", table);
  bench_insert_values(db, sql, count, make, context);
}

/* Spells an ASCII enum-like name in a random one of the ways programs do:
** as declared, lower case, upper case, or with '-' for '_'. */
void bench_spell(const char *name, char *out) {
  int how = (int)(bench_random() % 4);
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

/* An enum-like name: distinct names made of two words and a number (as many
** as *context says), each spelled at random. */
static void ascii_name(int i, char *out, size_t size, const void *context) {
  char name[128];
  uint32_t k = bench_random() % (uint32_t)*(const int *)context;
  size_t words = sizeof endpoint_words / sizeof *endpoint_words;
  (void)i;
  snprintf(name, sizeof name, "%s_%s_%u", endpoint_words[k % words], endpoint_words[(k / words) % words], k % 97);
  if (strlen(name) < size) bench_spell(name, out);
}

void bench_fill_ascii(sqlite3 *db, const char *table, int rows, int distinct) {
  bench_fill_table(db, table, rows, ascii_name, &distinct);
}

/* ---- The broad pool -------------------------------------------------------- */

static char pool_text[16384];
static const char *pool[POOL_MAX_WORDS][POOL_MAX_SPELLINGS];
static int pool_counts[POOL_MAX_WORDS];
static int pool_size = -1;

/* Reads bench/pool.txt once: a line is "script<TAB>spelling spelling ...";
** '#' starts a comment line.  A missing or empty pool stops the bench. */
static void load_pool(void) {
  if (pool_size >= 0) return;
  FILE *f = fopen(POOL_FILE, "rb");
  if (!f) bench_fail(NULL, "cannot open " POOL_FILE " (run from the repository)");
  size_t n = fread(pool_text, 1, sizeof pool_text - 1, f);
  if (ferror(f) || !feof(f)) bench_fail(NULL, POOL_FILE " is unreadable or too long");
  fclose(f);
  pool_text[n] = 0;
  pool_size = 0;
  for (char *line = strtok(pool_text, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#') continue;
    char *words = strchr(line, '\t');
    if (!words || pool_size == POOL_MAX_WORDS) bench_fail(NULL, POOL_FILE ": a line without a tab, or too many");
    int k = 0;
    for (char *w = words + 1; *w && k < POOL_MAX_SPELLINGS; k++) {
      char *end = strchr(w, ' ');
      pool[pool_size][k] = w;
      if (!end) {
        k++;
        break;
      }
      *end = 0;
      w = end + 1;
    }
    pool_counts[pool_size++] = k;
  }
  if (pool_size == 0) bench_fail(NULL, POOL_FILE " holds no word");
}

int bench_pool_words(void) {
  load_pool();
  return pool_size;
}

int bench_pool_spellings(int word) {
  load_pool();
  return pool_counts[word];
}

const char *bench_pool_spelling(int word, int k) {
  load_pool();
  return pool[word][k];
}

/* A row of the pool: two words in random spellings and a number
** (Σοφός_ꮳꮃꭹ_17), so that many rows share long prefixes and differ late. */
static void pool_value(int i, char *out, size_t size, const void *context) {
  uint32_t a = bench_random() % (uint32_t)pool_size, b = bench_random() % (uint32_t)pool_size;
  (void)i;
  (void)context;
  snprintf(out, size, "%s_%s_%u", pool[a][bench_random() % (uint32_t)pool_counts[a]],
           pool[b][bench_random() % (uint32_t)pool_counts[b]], bench_random() % 50);
}

void bench_fill_pool(sqlite3 *db, const char *table, int rows) {
  load_pool();
  bench_fill_table(db, table, rows, pool_value, NULL);
}

/* ---- Members of sized enums ------------------------------------------------ */

/* Member i + 1 of a sized enum, as declared. */
void bench_member_name(int i, char *out, size_t size, const void *context) {
  (void)context;
  snprintf(out, size, "Member_%07d", i + 1);
}

/* A random member of an enum of *context members, in a random spelling. */
void bench_member_spelling(int i, char *out, size_t size, const void *context) {
  char member[64];
  (void)i;
  snprintf(member, sizeof member, "Member_%07d", 1 + (int)(bench_random() % (uint32_t)(*(const int *)context - 1)));
  if (strlen(member) < size) bench_spell(member, out);
}
