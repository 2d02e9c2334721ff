/*
** fuzz/dbfile_fuzz.c: libFuzzer target whose input is a whole database file.
** Every byte of it is hostile: the schema, the enums' CREATE statements in
** sqlite_schema, their members tables, the triggers, views, CHECK
** constraints, generated columns and COLLATE DYNENUM indexes around them,
** and the b-tree pages themselves.
**
** For each input, on an in-memory connection with the extension compiled in
** (-DSQLITE_CORE, dynenum_register), the target loads a private copy of the
** input with sqlite3_deserialize (SQLITE_DESERIALIZE_RESIZEABLE |
** SQLITE_DESERIALIZE_FREEONCLOSE, memory from sqlite3_malloc64) and runs a
** fixed workload, three times:
**   1. trusted_schema ON (the flag PRAGMA trusted_schema sets);
**   2. trusted_schema OFF, on a new connection (with
**      -DDBFILE_FUZZ_REDESERIALIZE=1, on pass 1's, the input deserialized
**      again over what pass 1 left, which its cached enums must notice);
**   3. trusted_schema OFF and SQLITE_DBCONFIG_DEFENSIVE, on a new connection.
** Passes 1 and 3 first set PRAGMA locking_mode = EXCLUSIVE, without which
** the in-memory VFS cannot open an image whose header says WAL; pass 2
** leaves SQLite to refuse it.  Each pass then runs PRAGMA integrity_check
** (whose verdict decides whether the invariants apply, below) and the
** workload:
**   - the enums: the tables whose sql mentions dynenum or is some CREATE
**     VIRTUAL TABLE (garbage ones too), the names before "_members" of
**     members tables, and SQLite's own virtual tables (PRAGMA table_list);
**   - for each, the check below (the catalog read whole once for all);
**     then, for each, inside SAVEPOINT dbfile_fuzz: an
**     INSERT of a new member, the check, ROLLBACK TO, the check; the same
**     INSERT once more, RELEASE, the check; ALTER TABLE ... RENAME, the check
**     on the new name, ROLLBACK TO, the check; DROP TABLE, ROLLBACK TO, the
**     check; UPDATE E SET retired = 1 of its first member, the check (and
**     dynenum_current refusing that member, dynenum_is_member and
**     dynenum_strict still taking it), ROLLBACK TO, the check;
**   - every ordinary table and view (sqlite_schema) read whole; then inside
**     a savepoint, for each table INSERT DEFAULT VALUES, INSERT of a member
**     name and of a hostile string into each of its first writable columns,
**     UPDATE SET c = c, DELETE, and for each view an INSERT and a DELETE (so
**     that CHECKs, generated columns, triggers, views over the enums and
**     COLLATE DYNENUM indexes run), the checks of every enum, ROLLBACK TO,
**     the checks again;
**   - REINDEX, PRAGMA integrity_check, PRAGMA quick_check, VACUUM, and the
**     checks of every enum once more.
** The check of an enum E: SELECT * FROM E (the scan); dynenum_is_member,
** dynenum_ordinal and dynenum_resolve on 'main.E' of every member's name,
** value and key, and of fixed spellings and hostile strings, in statements
** of many rows (one lookup of the enum per call site); the catalog
** dynenum_members read whole, WHERE enum = E and WHERE schema = 'main' AND
** enum = E.  The first check of each enum in a pass is full; the later ones
** are light: the members, the two added names and two refusals, and the
** catalog WHERE enum = E.
**
** Every error SQLite or dynenum reports is an acceptable answer to a hostile
** file.  A finding is a crash, a sanitizer report (ASan, UBSan), a leak (also
** sqlite3_close refusing, or SQLite's memory counter not back to where it
** was), a timeout, running out of memory, or a broken invariant.  With
** -DDBFILE_FUZZ_INVARIANTS=1 (the default) these are checked, each family
** only while the pass is reliable: PRAGMA integrity_check said ok when it
** began (on a corrupt b-tree two plans may rightly disagree), no statement
** was interrupted for the budget and no allocation can have been refused
** for the heap limit.  A table is an enum when SQLite says so (a virtual
** table with exactly the columns ordinal INTEGER, name TEXT COLLATE
** DYNENUM, value TEXT COLLATE DYNENUM); the oracle for its members is the
** core fed the scanned rows in order, as the binding's loader should be
** (ordinals 1, 2, ... as integers, names and values as text,
** dynenum_enum_add accepting each), then given the aliases the catalog lists
** (its rows with alias_of set; the member rows are held to the scan), each
** of which dynenum_enum_add_alias must accept.  The catalog's member rows
** (alias_of IS NULL) are what CATALOG compares with the scan.
**   1 ACCEPTS   the functions load the enum (dynenum_is_member(E, NULL) is
**               NULL, not an error) only when the scan succeeds and its rows
**               are a valid enum;
**  64 REFUSES   and they do load it then;
**   2 SCAN      the scan does not list rows that are no valid enum (which
**               the functions refuse as corrupt): every reader gives the same
**               verdict, SECURITY.md;
**   4 MEMBERS   when both succeed, every probe is a member exactly when the
**               oracle finds it, with the oracle's ordinal, and resolves to
**               its value (a non-member: to its key, or an error), and
**               dynenum_strict of a member gives that value too; the
**               aliases' names are probes as well;
**   8 CATALOG   the catalog WHERE enum = E succeeds exactly when the scan
**               does, with the same rows in the same order; so does the
**               catalog read whole, when it succeeds;
**  16 DDL       after a successful DROP or RENAME of E, the functions and
**               the catalog no longer find E;
**  32 MISUSE    no statement fails with SQLITE_MISUSE (the harness never
**               misuses the API: it would be the extension stepping a
**               statement that is already running, from a trigger).
** -DDBFILE_FUZZ_SKIP=<sum of families> leaves those out, so that a known
** broken invariant does not hide the others; -DDBFILE_FUZZ_INVARIANTS=0
** checks none (crash-only fuzzing).  Out-of-memory and leaks are checked
** always.
**
** Bounds per input: a progress handler interrupts every statement once a
** pass has run PASS_BUDGET callbacks of PROGRESS_OPS VM instructions; low
** SQLITE_LIMIT_* values; sqlite3_hard_heap_limit64(HEAP_LIMIT); the image
** may grow to IMAGE_LIMIT (SQLITE_FCNTL_SIZE_LIMIT); PRAGMA
** cell_size_check=ON and mmap_size=0; at most MAX_ENUMS enums, MAX_TABLES
** tables and MAX_ROWS rows per scan looked at.  SQLite is the system's, not
** instrumented: coverage comes from ext/ and from this file's branches on
** what SQLite answered.
**
** Build and run (make fuzz runs every target; FUZZ_SECONDS, default 60):
**   make build/fuzz/dbfile_fuzz
**   make fuzz FUZZ_TARGETS=dbfile_fuzz FUZZ_SECONDS=600
**   build/fuzz/dbfile_fuzz -max_len=65536 -dict=build/fuzz/dbfile.dict \
**     build/fuzz/corpus/dbfile fuzz/corpus/dbfile
** (new inputs are written to the first directory given).  Replay one file:
**   build/fuzz/dbfile_fuzz fuzz/corpus/dbfile/some-file
** Seeds: fuzz/mkdbseeds.sh (which keeps out of the corpus the images that
** break an invariant or crash today).  Crash-only, or families left out:
**   make build/fuzz/dbfile_fuzz DBFILE_FUZZ_DEFINES=-DDBFILE_FUZZ_INVARIANTS=0
**   make build/fuzz/dbfile_fuzz DBFILE_FUZZ_DEFINES=-DDBFILE_FUZZ_SKIP=2
*/
#include "reference.h"

#include <sqlite3.h>

#include "sqlite/binding.h"

#include <stdarg.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef DBFILE_FUZZ_INVARIANTS
#define DBFILE_FUZZ_INVARIANTS 1
#endif
#ifndef DBFILE_FUZZ_SKIP
#define DBFILE_FUZZ_SKIP 0
#endif
/* Whether pass 2 deserializes the input again on pass 1's connection
** instead of opening a new one.  Off: SQLite (3.40.1, and 3.52.0 still)
** crashes on the first statement after sqlite3_deserialize when an
** eponymous virtual table (pragma_database_list, which the binding reads,
** or dynenum_members) was used before it on that connection. */
#ifndef DBFILE_FUZZ_REDESERIALIZE
#define DBFILE_FUZZ_REDESERIALIZE 0
#endif

/* The invariant families (see the header comment). */
#define CHECK_ACCEPTS 1
#define CHECK_SCAN 2
#define CHECK_MEMBERS 4
#define CHECK_CATALOG 8
#define CHECK_DDL 16
#define CHECK_MISUSE 32
#define CHECK_REFUSES 64
#define CHECKING(family) (DBFILE_FUZZ_INVARIANTS && !(DBFILE_FUZZ_SKIP & (family)))

/* ---- Bounds --------------------------------------------------------------- */

#define PROGRESS_OPS 100   /* VM instructions between two progress callbacks */
#define PASS_BUDGET 20000  /* callbacks per pass: 2,000,000 instructions */
#define HEAP_LIMIT ((sqlite3_int64)64 << 20)
#define IMAGE_LIMIT ((sqlite3_int64)4 << 20)
#define MAX_ENUMS 8
#define MAX_TABLES 24
#define MAX_ROWS 256
#define MAX_WRITTEN_COLUMNS 3

static const struct {
  int id, value;
} limits[] = {
    {SQLITE_LIMIT_LENGTH, 100000},       {SQLITE_LIMIT_SQL_LENGTH, 100000}, {SQLITE_LIMIT_COLUMN, 200},
    {SQLITE_LIMIT_EXPR_DEPTH, 100},      {SQLITE_LIMIT_COMPOUND_SELECT, 8}, {SQLITE_LIMIT_VDBE_OP, 100000},
    {SQLITE_LIMIT_FUNCTION_ARG, 16},     {SQLITE_LIMIT_ATTACHED, 1},        {SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100},
    {SQLITE_LIMIT_VARIABLE_NUMBER, 100}, {SQLITE_LIMIT_TRIGGER_DEPTH, 8},   {SQLITE_LIMIT_WORKER_THREADS, 0},
};

/* The three passes over each input. */
typedef struct pass_mode {
  const char *label;
  int trusted_schema, defensive;
  int exclusive;        /* PRAGMA locking_mode = EXCLUSIVE first */
  int fresh_connection; /* else the previous pass's, deserialized again */
} pass_mode;

/* The in-memory VFS has no shared memory: a WAL image (header bytes 18
** and 19 = 2) opens only in exclusive locking mode, with the WAL index on
** the heap.  Pass 2 leaves it to SQLite to refuse one. */
static const pass_mode passes[] = {
    {"trusted_schema=ON, locking_mode=EXCLUSIVE", 1, 0, 1, 1},
#if DBFILE_FUZZ_REDESERIALIZE
    {"trusted_schema=OFF, deserialized again", 0, 0, 0, 0},
#else
    {"trusted_schema=OFF", 0, 0, 0, 1},
#endif
    {"defensive, trusted_schema=OFF, locking_mode=EXCLUSIVE", 0, 1, 1, 1},
};
#define PASS_COUNT (sizeof passes / sizeof passes[0])

/* ---- State of the current pass, for the report of a finding -------------- */

static struct {
  const pass_mode *pass;
  const char *stage;
  char table[128]; /* the enum or table being worked on (cut short) */
  const char *probe;
  size_t probe_len;
  int callbacks;
  int exhausted; /* the budget ran out: statements are being interrupted */
  int sound;     /* PRAGMA integrity_check said ok when the pass began */
} state;

static size_t input_size;
static sqlite3_int64 baseline_memory; /* sqlite3_memory_used() with no connection open */

FUZZ_HARNESS static void describe_input(void) {
  fprintf(stderr, "  database image of %zu bytes\n", input_size);
  if (!state.pass) return;
  fprintf(stderr, "  pass: %s\n  stage: %s\n", state.pass->label, state.stage ? state.stage : "?");
  if (state.table[0]) fprintf(stderr, "  table: \"%s\"\n", state.table);
  if (state.probe) fuzz_print_hex("probe", state.probe, state.probe_len);
}

FUZZ_HARNESS static void set_table(const char *table) {
  snprintf(state.table, sizeof state.table, "%s", table ? table : "");
}

static int progress_handler(void *unused) {
  (void)unused;
  if (state.callbacks >= PASS_BUDGET) {
    state.exhausted = 1;
    return 1;
  }
  state.callbacks++;
  return 0;
}

/* Whether the invariants can be held to this pass's answers: the b-trees
** are sound (on a corrupt one, two ways of reading a table may well give
** two answers: a range scan skips a bad page that a full scan trips on), no
** statement was interrupted for the budget, and no allocation refused for
** the heap limit.  SQLite refuses one only when the memory in use plus the
** request reaches the limit; both high-water marks are reset at the start
** of the pass, so their sum below the limit proves no refusal happened. */
static int reliable(void) {
  sqlite3_int64 used, peak, size, largest;
  if (!state.sound || state.exhausted) return 0;
  if (sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &peak, 0) != SQLITE_OK ||
      sqlite3_status64(SQLITE_STATUS_MALLOC_SIZE, &size, &largest, 0) != SQLITE_OK) {
    return 0;
  }
  return peak + largest + 64 < HEAP_LIMIT;
}

/* ---- Running SQL ------------------------------------------------------------ */

/* Looks at the result code of a statement.  Any error is an acceptable
** answer to a hostile file, except SQLITE_MISUSE: this harness never misuses
** the API, so that one is the extension's doing. */
static int note(sqlite3 *db, int rc) {
  if (CHECKING(CHECK_MISUSE) && (rc & 0xff) == SQLITE_MISUSE) {
    FUZZ_CHECK(0, "a statement failed with SQLITE_MISUSE: %s", sqlite3_errmsg(db));
  }
  return rc;
}

/* Formats SQL with sqlite3_vmprintf (%w and %Q quote); NULL when out of
** memory, which the heap limit makes possible. */
FUZZ_HARNESS static char *format_sql(const char *format, va_list ap) { return sqlite3_vmprintf(format, ap); }

/* Prepares the statement made from format into *stmt: SQLite's code, noted;
** *stmt is NULL unless it is SQLITE_OK. */
static int prepare_va(sqlite3 *db, sqlite3_stmt **stmt, const char *format, va_list ap) {
  char *sql = format_sql(format, ap);
  *stmt = NULL;
  if (!sql) return SQLITE_NOMEM;
  int rc = note(db, sqlite3_prepare_v2(db, sql, -1, stmt, NULL));
  sqlite3_free(sql);
  return rc;
}

/* Prepares one statement; NULL (and the error noted) when it cannot be. */
static sqlite3_stmt *prepare(sqlite3 *db, const char *format, ...) {
  sqlite3_stmt *stmt;
  va_list ap;
  va_start(ap, format);
  int rc = prepare_va(db, &stmt, format, ap);
  va_end(ap);
  return rc == SQLITE_OK ? stmt : NULL;
}

/* Reads every column of the current row as an application printing it would. */
static void touch_row(sqlite3_stmt *stmt) {
  for (int i = 0; i < sqlite3_column_count(stmt); i++) {
    if (sqlite3_column_type(stmt, i) == SQLITE_BLOB) {
      const void *blob = sqlite3_column_blob(stmt, i);
      int n = sqlite3_column_bytes(stmt, i);
      if (blob && n > 0) (void)((const volatile unsigned char *)blob)[n - 1];
    } else {
      const unsigned char *text = sqlite3_column_text(stmt, i);
      int n = sqlite3_column_bytes(stmt, i);
      if (text) (void)((const volatile unsigned char *)text)[n]; /* its NUL */
    }
  }
}

/* Steps stmt to its end; returns the code of the last step. */
static int step_all(sqlite3 *db, sqlite3_stmt *stmt) {
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) touch_row(stmt);
  return note(db, rc);
}

/* Finalizes stmt; its code repeats the last step's, already looked at. */
static void finish(sqlite3 *db, sqlite3_stmt *stmt) { note(db, sqlite3_finalize(stmt)); }

/* Runs one statement made from format to its end: SQLITE_DONE or an error. */
static int run(sqlite3 *db, const char *format, ...) {
  sqlite3_stmt *stmt;
  va_list ap;
  va_start(ap, format);
  int rc = prepare_va(db, &stmt, format, ap);
  va_end(ap);
  if (rc != SQLITE_OK) return rc;
  rc = step_all(db, stmt);
  finish(db, stmt);
  return rc;
}

/* Binds text (a probe may be malformed UTF-8: it goes through as bytes). */
static int bind_text(sqlite3 *db, sqlite3_stmt *stmt, int i, const char *s, size_t n) {
  return note(db, sqlite3_bind_text64(stmt, i, s, n, SQLITE_STATIC, SQLITE_UTF8));
}

/* ---- Names ------------------------------------------------------------------ */

/* A list of distinct names, copies owned by the list. */
typedef struct name_list {
  char *items[MAX_TABLES];
  int is_view[MAX_TABLES];
  int count;
} name_list;

FUZZ_HARNESS static void names_add(name_list *l, const char *name, int is_view) {
  if (!name || l->count == MAX_TABLES) return;
  for (int i = 0; i < l->count; i++) {
    if (strcmp(l->items[i], name) == 0) return;
  }
  l->items[l->count] = fuzz_copy(name, strlen(name) + 1);
  l->is_view[l->count] = is_view;
  l->count++;
}

FUZZ_HARNESS static void names_free(name_list *l) {
  for (int i = 0; i < l->count; i++) free(l->items[i]);
  l->count = 0;
}

/* Adds column 0 of each row of the query (up to max names), and for column
** 1, when there is one, whether it says 'view'. */
static void names_from_query(sqlite3 *db, name_list *l, int max, const char *sql) {
  sqlite3_stmt *stmt = prepare(db, "%s", sql);
  if (!stmt) return;
  while (l->count < max && sqlite3_step(stmt) == SQLITE_ROW) {
    const char *view = sqlite3_column_count(stmt) > 1 ? (const char *)sqlite3_column_text(stmt, 1) : NULL;
    names_add(l, (const char *)sqlite3_column_text(stmt, 0), view && strcmp(view, "view") == 0);
  }
  finish(db, stmt);
}

/* The enums to work on, garbage included. */
static void list_enums(sqlite3 *db, name_list *enums) {
  names_from_query(db, enums, MAX_ENUMS,
                   "SELECT name FROM sqlite_schema WHERE type = 'table' AND (sql LIKE '%dynenum%' OR "
                   "sql LIKE '%virtual%table%') ORDER BY rowid");
  names_from_query(db, enums, MAX_ENUMS,
                   "SELECT substr(name, 1, length(name) - 8) FROM sqlite_schema "
                   "WHERE name LIKE '%\\_members' ESCAPE '\\' AND length(name) > 8 ORDER BY rowid");
  sqlite3_stmt *stmt = prepare(db, "PRAGMA main.table_list");
  if (!stmt) return;
  while (enums->count < MAX_ENUMS && sqlite3_step(stmt) == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(stmt, 2);
    if (type && strcmp(type, "virtual") == 0) names_add(enums, (const char *)sqlite3_column_text(stmt, 1), 0);
  }
  finish(db, stmt);
}

/* "main." || name: the name the functions are given, so that a table called
** "temp.x" or "main.y" is looked for where it is. */
FUZZ_HARNESS static char *qualified(const char *name) {
  size_t n = strlen(name);
  char *q = fuzz_alloc(n + 6);
  memcpy(q, "main.", 5);
  memcpy(q + 5, name, n + 1);
  return q;
}

/* ---- Rows ------------------------------------------------------------------- */

/* One value as read back. */
typedef struct cell {
  int type;
  sqlite3_int64 integer;
  double real;
  char *bytes; /* TEXT or BLOB, NUL-terminated copy */
  size_t len;
} cell;

typedef struct member_row {
  cell ordinal, name, value;
} member_row;

typedef struct row_list {
  member_row items[MAX_ROWS];
  int count;
  int complete; /* the statement ran to SQLITE_DONE */
  int overflow; /* more than MAX_ROWS rows */
} row_list;

static void read_cell(sqlite3_stmt *stmt, int i, cell *c) {
  memset(c, 0, sizeof *c);
  c->type = sqlite3_column_type(stmt, i);
  if (c->type == SQLITE_INTEGER) c->integer = sqlite3_column_int64(stmt, i);
  else if (c->type == SQLITE_FLOAT) c->real = sqlite3_column_double(stmt, i);
  else if (c->type == SQLITE_TEXT || c->type == SQLITE_BLOB) {
    const void *p = c->type == SQLITE_TEXT ? (const void *)sqlite3_column_text(stmt, i) : sqlite3_column_blob(stmt, i);
    c->len = (size_t)sqlite3_column_bytes(stmt, i);
    c->bytes = fuzz_alloc(c->len + 1);
    if (p && c->len) memcpy(c->bytes, p, c->len);
    else c->len = 0; /* out of memory, or an empty blob */
    c->bytes[c->len] = 0;
  }
}

FUZZ_HARNESS static int same_cell(const cell *a, const cell *b) {
  if (a->type != b->type) return 0;
  switch (a->type) {
    case SQLITE_INTEGER: return a->integer == b->integer;
    case SQLITE_FLOAT: return memcmp(&a->real, &b->real, sizeof a->real) == 0;
    case SQLITE_NULL: return 1;
    default: return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
  }
}

FUZZ_HARNESS static void rows_free(row_list *l) {
  for (int i = 0; i < l->count; i++) {
    free(l->items[i].ordinal.bytes);
    free(l->items[i].name.bytes);
    free(l->items[i].value.bytes);
  }
  memset(l, 0, sizeof *l);
}

/* Appends the rows of stmt whose columns first, first+1, first+2 are the
** ordinal, name and value; with match_column >= 0, only those whose column
** match_column is the text match and column match_column + 1 is 'main'. */
static void read_rows(sqlite3 *db, sqlite3_stmt *stmt, int first, int match_column, const char *match, row_list *l) {
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    touch_row(stmt);
    if (match_column >= 0) {
      const char *e = (const char *)sqlite3_column_text(stmt, match_column);
      const char *s = (const char *)sqlite3_column_text(stmt, match_column + 1);
      if (!e || !s || strcmp(e, match) != 0 || strcmp(s, "main") != 0) continue;
    }
    if (l->count == MAX_ROWS) {
      l->overflow = 1;
      continue;
    }
    member_row *r = &l->items[l->count++];
    read_cell(stmt, first, &r->ordinal);
    read_cell(stmt, first + 1, &r->name);
    read_cell(stmt, first + 2, &r->value);
  }
  l->complete = note(db, rc) == SQLITE_DONE;
}

FUZZ_HARNESS static int same_rows(const row_list *a, const row_list *b) {
  if (a->count != b->count || a->overflow || b->overflow) return a->overflow || b->overflow;
  for (int i = 0; i < a->count; i++) {
    const member_row *x = &a->items[i], *y = &b->items[i];
    if (!same_cell(&x->ordinal, &y->ordinal) || !same_cell(&x->name, &y->name) || !same_cell(&x->value, &y->value)) {
      return 0;
    }
  }
  return 1;
}

/* ---- The check of one enum ------------------------------------------------ */

/* Whether SQLite has table as a virtual table with exactly the columns the
** dynenum module declares (no other module declares COLLATE DYNENUM ones;
** the catalog has more).  Only asked after a statement has read the table,
** so that its module has declared its columns. */
static int sqlite_says_enum(sqlite3 *db, const char *table, sqlite3_stmt *scan) {
  static const char *const columns[3] = {"ordinal", "name", "value"};
  static const char *const types[3] = {"INTEGER", "TEXT", "TEXT"};
  static const char *const collations[3] = {"BINARY", "DYNENUM", "DYNENUM"};
  if (sqlite3_column_count(scan) != 3) return 0;
  for (int i = 0; i < 3; i++) {
    const char *type, *collation, *name = sqlite3_column_name(scan, i);
    int not_null, primary_key, autoincrement;
    if (!name || strcmp(name, columns[i]) != 0) return 0;
    if (sqlite3_table_column_metadata(db, "main", table, columns[i], &type, &collation, &not_null, &primary_key,
                                      &autoincrement) != SQLITE_OK ||
        !type || sqlite3_stricmp(type, types[i]) != 0 || !collation ||
        sqlite3_stricmp(collation, collations[i]) != 0) {
      return 0;
    }
  }
  sqlite3_stmt *kind = prepare(db, "PRAGMA main.table_list(%Q)", table);
  if (!kind) return 0;
  int virtual_table = sqlite3_step(kind) == SQLITE_ROW && sqlite3_column_text(kind, 2) &&
                      strcmp((const char *)sqlite3_column_text(kind, 2), "virtual") == 0;
  finish(db, kind);
  return virtual_table;
}

/* The core fed the scanned rows as the binding's loader feeds it: NULL when
** they are no valid enum (*why says which row and why). */
static dynenum_enum *oracle_of(const row_list *scan, char *why, size_t why_size) {
  dynenum_enum *e;
  dynenum_error err;
  snprintf(why, why_size, "valid");
  if (dynenum_enum_new(NULL, "oracle", 6, &e) != DYNENUM_OK) abort();
  for (int i = 0; i < scan->count; i++) {
    const member_row *r = &scan->items[i];
    if (r->ordinal.type != SQLITE_INTEGER || r->ordinal.integer != i + 1 || r->name.type != SQLITE_TEXT ||
        r->value.type != SQLITE_TEXT) {
      snprintf(why, why_size, "row %d: ordinal of type %d = %lld, name of type %d, value of type %d", i + 1,
               r->ordinal.type, (long long)r->ordinal.integer, r->name.type, r->value.type);
      dynenum_enum_release(e);
      return NULL;
    }
    int rc = dynenum_enum_add(e, r->name.bytes, r->name.len, r->value.bytes, r->value.len, NULL, &err);
    if (rc == DYNENUM_NOMEM) abort();
    if (rc != DYNENUM_OK) {
      snprintf(why, why_size, "row %d: %s", i + 1, err.message);
      dynenum_enum_release(e);
      return NULL;
    }
  }
  return e;
}

/* Gives the oracle the aliases the catalog lists for table (name, alias_of)
** and appends their names to aliases; 0 when the core refuses one (*why
** says which), which no enum the functions load may hold. */
static int oracle_aliases(sqlite3 *db, dynenum_enum *oracle, const char *table, row_list *aliases, char *why,
                          size_t why_size) {
  sqlite3_stmt *stmt = prepare(db, "SELECT ordinal, name, alias_of FROM dynenum_members WHERE schema = 'main' AND "
                                   "enum = ?1 AND alias_of IS NOT NULL");
  memset(aliases, 0, sizeof *aliases);
  if (!stmt) return 1;
  bind_text(db, stmt, 1, table, strlen(table));
  read_rows(db, stmt, 0, -1, NULL, aliases);
  finish(db, stmt);
  for (int i = 0; oracle && i < aliases->count; i++) {
    const member_row *r = &aliases->items[i];
    dynenum_error err;
    if (r->name.type != SQLITE_TEXT || r->value.type != SQLITE_TEXT) continue;
    int rc = dynenum_enum_add_alias(oracle, r->name.bytes, r->name.len, r->value.bytes, r->value.len, NULL, &err);
    if (rc == DYNENUM_NOMEM) abort();
    if (rc != DYNENUM_OK) {
      snprintf(why, why_size, "alias %d: %s", i + 1, err.message);
      return 0;
    }
  }
  return 1;
}

/* A string the functions are asked about. */
typedef struct probe {
  const char *s;
  size_t n;
} probe;

#define PROBE(literal) {literal, sizeof literal - 1}

static char long_k[257];      /* 256 'K': one byte too long */
static char long_kelvin[766]; /* 255 KELVIN SIGNs: 765 bytes, key of 255 */
static char long_a[2049];     /* far past every limit of a member */

static const probe fixed_probes[] = {
    PROBE("OPENAI_CHAT"),
    PROBE("openai-chat"),
    PROBE("Anthropic_Chat"),
    PROBE("completions"),
    PROBE("\xe2\x84\xaa" "elvin"),                                 /* KELVIN SIGN */
    PROBE("STRA\xe1\xba\x9e" "E"),                                 /* CAPITAL SHARP S */
    PROBE("\xcf\x83\xce\xaf\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x82"), /* final sigma */
    PROBE("Fuzz_Added_Member"),
    PROBE("fuzz-released-member"),
    PROBE(""),
    PROBE("_private"),
    PROBE("a b"),
    PROBE("x\0y"),
    PROBE("\xff\xfe"),
    PROBE("\xc0\xaf"),
    PROBE("\xed\xa0\x80"),
    PROBE("\xe2\x84"),
    PROBE("'; DROP TABLE x; --"),
    PROBE("%s%s%n"),
    PROBE("main"),
    PROBE("members"),
    {long_k, sizeof long_k - 1},
    {long_kelvin, sizeof long_kelvin - 1},
    {long_a, sizeof long_a - 1},
};
#define FIXED_PROBE_COUNT (sizeof fixed_probes / sizeof fixed_probes[0])

static int column_is_text(sqlite3_stmt *stmt, int i, const void *bytes, size_t n) {
  if (sqlite3_column_type(stmt, i) != SQLITE_TEXT) return 0;
  const unsigned char *text = sqlite3_column_text(stmt, i);
  return text && (size_t)sqlite3_column_bytes(stmt, i) == n && (n == 0 || memcmp(text, bytes, n) == 0);
}

/* Probes asked in one statement, one row each, so that the functions look
** the enum up once per call site (auxdata) rather than once per probe. */
#define PROBES_PER_STATEMENT 32

/* Asks the functions about probes[0..count) on the enum called name, in
** statements of PROBES_PER_STATEMENT rows:
**   SELECT dynenum_is_member(?1, p), dynenum_ordinal(?1, p),
**          CASE WHEN r THEN dynenum_resolve(?1, p) END
**   FROM (VALUES (?2, ?3), (?4, ?5), ...)
** where r is set for the probes that resolve without an error when the
** oracle is right (its members and valid dynamic names), so that one
** refusal does not end the statement.  With check set, holds the answers
** to the oracle. */
static void ask_batch(sqlite3 *db, const char *name, const probe *probes, size_t count, dynenum_enum *oracle,
                      int check) {
  for (size_t first = 0; first < count; first += PROBES_PER_STATEMENT) {
    size_t n = count - first < PROBES_PER_STATEMENT ? count - first : PROBES_PER_STATEMENT;
    sqlite3_str *sql = sqlite3_str_new(db);
    sqlite3_str_appendall(sql, "SELECT dynenum_is_member(?1, column1), dynenum_ordinal(?1, column1), "
                               "CASE WHEN column2 THEN dynenum_resolve(?1, column1) END, "
                               "CASE WHEN column2 = 2 THEN dynenum_strict(?1, column1) END FROM (VALUES ");
    for (size_t i = 0; i < n; i++) sqlite3_str_appendf(sql, "%s(?%d, ?%d)", i ? ", " : "", (int)(2 + 2 * i), (int)(3 + 2 * i));
    sqlite3_str_appendall(sql, ")");
    char *text = sqlite3_str_finish(sql);
    sqlite3_stmt *stmt = text ? prepare(db, "%s", text) : NULL;
    sqlite3_free(text);
    if (!stmt) continue;
    const dynenum_member *members[PROBES_PER_STATEMENT];
    bind_text(db, stmt, 1, name, strlen(name));
    for (size_t i = 0; i < n; i++) {
      const probe *p = &probes[first + i];
      members[i] = NULL;
      if (oracle && dynenum_enum_find(oracle, p->s, p->n, &members[i]) != DYNENUM_OK) members[i] = NULL;
      bind_text(db, stmt, (int)(2 + 2 * i), p->s, p->n);
      /* 2: a member (strict too), 1: a valid dynamic name, 0: neither. */
      note(db, sqlite3_bind_int(stmt, (int)(3 + 2 * i),
                                members[i] ? 2 : dynenum_check_dynamic_name(p->s, p->n) == DYNENUM_OK));
    }
    for (size_t i = 0; i < n; i++) {
      const probe *p = &probes[first + i];
      const dynenum_member *m = members[i];
      state.probe = p->s;
      state.probe_len = p->n;
      int rc = note(db, sqlite3_step(stmt));
      if (rc == SQLITE_ROW) touch_row(stmt);
      if (!check || !reliable()) {
        if (rc != SQLITE_ROW) break;
        continue;
      }
      FUZZ_CHECK(rc == SQLITE_ROW, "dynenum_is_member, dynenum_ordinal or dynenum_resolve fails on an enum the "
                 "functions load: %s", sqlite3_errmsg(db));
      FUZZ_CHECK(sqlite3_column_type(stmt, 0) == SQLITE_INTEGER && sqlite3_column_int(stmt, 0) == (m != NULL),
                 "dynenum_is_member gives %s, the scanned rows say %d", sqlite3_column_text(stmt, 0), m != NULL);
      if (m) {
        FUZZ_CHECK(sqlite3_column_type(stmt, 1) == SQLITE_INTEGER && sqlite3_column_int64(stmt, 1) == m->ordinal,
                   "dynenum_ordinal gives %s, the scan lists the member with ordinal %lld",
                   sqlite3_column_text(stmt, 1), (long long)m->ordinal);
        FUZZ_CHECK(column_is_text(stmt, 2, m->value, m->value_len),
                   "dynenum_resolve of a member the scan lists gives %s, not the value it lists",
                   sqlite3_column_text(stmt, 2));
        FUZZ_CHECK(column_is_text(stmt, 3, m->value, m->value_len),
                   "dynenum_strict of a member the scan lists gives %s, not the value it lists",
                   sqlite3_column_text(stmt, 3));
      } else {
        FUZZ_CHECK(sqlite3_column_type(stmt, 1) == SQLITE_NULL, "dynenum_ordinal gives %s for a name the scan lacks",
                   sqlite3_column_text(stmt, 1));
        char key[DYNENUM_MAX_KEY_BYTES];
        size_t len = dynenum_key(p->s, p->n, key, sizeof key);
        FUZZ_CHECK(sqlite3_column_type(stmt, 2) == SQLITE_NULL || (len <= sizeof key && column_is_text(stmt, 2, key, len)),
                   "dynenum_resolve of a name the scan lacks gives %s, not its key", sqlite3_column_text(stmt, 2));
      }
    }
    state.probe = NULL;
    finish(db, stmt);
  }
}

/* dynenum_resolve of one probe alone, for its error path. */
static void resolve_alone(sqlite3 *db, const char *name, const probe *p) {
  sqlite3_stmt *stmt = prepare(db, "SELECT dynenum_resolve(?1, ?2), dynenum_is_member(?1, ?2)");
  if (!stmt) return;
  bind_text(db, stmt, 1, name, strlen(name));
  bind_text(db, stmt, 2, p->s, p->n);
  step_all(db, stmt);
  finish(db, stmt);
}

/* Whether the functions load the enum called name: dynenum_is_member(name,
** NULL) is NULL rather than an error.  The message goes to message. */
static int functions_load(sqlite3 *db, const char *name, char *message, size_t size) {
  sqlite3_stmt *stmt = prepare(db, "SELECT dynenum_is_member(?1, NULL)");
  snprintf(message, size, "?");
  if (!stmt) return 0;
  bind_text(db, stmt, 1, name, strlen(name));
  int rc = note(db, sqlite3_step(stmt));
  int loaded = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) == SQLITE_NULL;
  snprintf(message, size, "%s", rc == SQLITE_ROW ? "loaded" : sqlite3_errmsg(db));
  finish(db, stmt);
  return loaded;
}

/* The catalog's rows for the enum: read whole and filtered in C, or with
** the constraint given. */
static void read_catalog(sqlite3 *db, const char *table, const char *where, row_list *out) {
  sqlite3_stmt *stmt = prepare(db, "SELECT ordinal, name, value, enum, schema FROM dynenum_members %s",
                               where ? where : "WHERE alias_of IS NULL");
  memset(out, 0, sizeof *out);
  if (!stmt) return;
  if (where) {
    int n = sqlite3_bind_parameter_count(stmt);
    for (int i = 1; i <= n; i++) bind_text(db, stmt, i, table, strlen(table));
  }
  read_rows(db, stmt, 0, where ? -1 : 3, table, out);
  finish(db, stmt);
}

/* The catalog read whole once per pass, before the first looks at the enums
** (which change nothing), so that each compares its rows without reading
** every enum again. */
static struct {
  row_list rows; /* the raw rows: ordinal, name, value */
  char **enums;  /* each row's enum, or NULL when its schema is not main */
  int read;      /* whether this pass has read it */
} whole_catalog;

static void read_whole_catalog(sqlite3 *db) {
  sqlite3_stmt *stmt = prepare(db, "SELECT ordinal, name, value, enum, schema FROM dynenum_members WHERE alias_of IS NULL");
  row_list *l = &whole_catalog.rows;
  memset(l, 0, sizeof *l);
  whole_catalog.enums = (char **)fuzz_alloc(sizeof *whole_catalog.enums * MAX_ROWS);
  whole_catalog.read = 1;
  if (!stmt) return;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    touch_row(stmt);
    if (l->count == MAX_ROWS) {
      l->overflow = 1;
      continue;
    }
    const char *e = (const char *)sqlite3_column_text(stmt, 3), *schema = (const char *)sqlite3_column_text(stmt, 4);
    whole_catalog.enums[l->count] = e && schema && strcmp(schema, "main") == 0 ? fuzz_copy(e, strlen(e) + 1) : NULL;
    member_row *r = &l->items[l->count++];
    read_cell(stmt, 0, &r->ordinal);
    read_cell(stmt, 1, &r->name);
    read_cell(stmt, 2, &r->value);
  }
  l->complete = note(db, rc) == SQLITE_DONE;
  finish(db, stmt);
}

static void free_whole_catalog(void) {
  if (!whole_catalog.read) return;
  for (int i = 0; i < whole_catalog.rows.count; i++) free(whole_catalog.enums[i]);
  free(whole_catalog.enums);
  rows_free(&whole_catalog.rows);
  whole_catalog.read = 0;
}

/* The whole catalog's rows of one enum, copied into out (complete when the
** whole read was). */
static void whole_catalog_of(const char *table, row_list *out) {
  memset(out, 0, sizeof *out);
  out->complete = whole_catalog.rows.complete;
  out->overflow = whole_catalog.rows.overflow;
  for (int i = 0; i < whole_catalog.rows.count; i++) {
    if (!whole_catalog.enums[i] || strcmp(whole_catalog.enums[i], table) != 0) continue;
    const member_row *r = &whole_catalog.rows.items[i];
    member_row *c = &out->items[out->count++];
    *c = *r;
    c->ordinal.bytes = r->ordinal.bytes ? fuzz_copy(r->ordinal.bytes, r->ordinal.len + 1) : NULL;
    c->name.bytes = r->name.bytes ? fuzz_copy(r->name.bytes, r->name.len + 1) : NULL;
    c->value.bytes = r->value.bytes ? fuzz_copy(r->value.bytes, r->value.len + 1) : NULL;
  }
}

/* The probes of a light check, after the first: the added members and two
** refusals. */
static const probe light_probes[] = {
    PROBE("Fuzz_Added_Member"),
    PROBE("fuzz-released-member"),
    PROBE(""),
    PROBE("_private"),
};

/* The check of one enum (see the header comment); stage names the moment.
** A full check asks the fixed probes and reads the catalog three ways; a
** light one (every check after the first) asks the members and
** light_probes and reads the catalog WHERE enum = E only. */
static void check_enum(sqlite3 *db, const char *table, const char *stage, int full) {
  row_list scan, catalog;
  char why[1200], message[600];
  char *name = qualified(table);
  state.stage = stage;
  set_table(table);

  /* The scan, and whether SQLite has the table as an enum at all. */
  memset(&scan, 0, sizeof scan);
  sqlite3_stmt *stmt = prepare(db, "SELECT * FROM \"main\".\"%w\"", table);
  int is_enum = 0;
  if (stmt) {
    is_enum = sqlite_says_enum(db, table, stmt);
    if (is_enum) read_rows(db, stmt, 0, -1, NULL, &scan);
    else step_all(db, stmt);
    finish(db, stmt);
  }
  dynenum_enum *oracle = NULL;
  int valid = 0;
  if (is_enum && scan.complete && !scan.overflow) {
    oracle = oracle_of(&scan, why, sizeof why);
    valid = oracle != NULL;
  } else {
    snprintf(why, sizeof why, "%s", !is_enum ? "not an enum" : !scan.complete ? "scan failed" : "too many rows");
  }

  /* Their verdicts. */
  int loaded = functions_load(db, name, message, sizeof message);
  row_list aliases;
  memset(&aliases, 0, sizeof aliases);
  if (loaded && valid) {
    int accepted = oracle_aliases(db, oracle, table, &aliases, why, sizeof why);
    if (CHECKING(CHECK_MEMBERS) && is_enum && !scan.overflow && reliable()) {
      FUZZ_CHECK(accepted, "the catalog lists an alias the core refuses: %s", why);
    }
    if (!accepted || !aliases.complete || aliases.overflow) {
      dynenum_enum_release(oracle);
      oracle = NULL;
      valid = 0;
    }
  }
  int comparable = is_enum && !scan.overflow;
  if (comparable && reliable()) {
    if (CHECKING(CHECK_ACCEPTS)) {
      FUZZ_CHECK(!loaded || valid, "the functions load the enum, though the scan %s: %s", scan.complete ?
                 "lists rows that are no valid enum" : "fails", why);
    }
    if (CHECKING(CHECK_REFUSES)) {
      FUZZ_CHECK(loaded || !valid, "the functions refuse the enum, though the scan lists a valid one: %s", message);
    }
    if (CHECKING(CHECK_SCAN)) {
      FUZZ_CHECK(!(scan.complete && !valid), "the scan lists %d rows that are no valid enum (%s); the functions say: %s",
                 scan.count, why, message);
    }
  }

  /* The probes: every member's name, value and key, then the fixed ones
  ** (all, or light_probes).  An enum the functions do not load gets only
  ** two, in the error path. */
  const probe *extra = full ? fixed_probes : light_probes;
  size_t extra_count = full ? FIXED_PROBE_COUNT : sizeof light_probes / sizeof light_probes[0];
  probe *probes = (probe *)fuzz_alloc(sizeof *probes * (3 * (size_t)scan.count + (size_t)aliases.count + extra_count));
  char (*keys)[DYNENUM_MAX_KEY_BYTES] = (char (*)[DYNENUM_MAX_KEY_BYTES])fuzz_alloc(sizeof *keys * (size_t)(scan.count ? scan.count : 1));
  size_t count = 0;
  for (int i = 0; loaded && i < scan.count; i++) {
    const member_row *r = &scan.items[i];
    if (r->name.type == SQLITE_TEXT) {
      size_t len = dynenum_key(r->name.bytes, r->name.len, keys[i], sizeof keys[i]);
      probes[count++] = (probe){r->name.bytes, r->name.len};
      probes[count++] = (probe){keys[i], len <= sizeof keys[i] ? len : sizeof keys[i]};
    }
    if (r->value.type == SQLITE_TEXT) probes[count++] = (probe){r->value.bytes, r->value.len};
  }
  for (int i = 0; loaded && i < aliases.count; i++) {
    if (aliases.items[i].name.type == SQLITE_TEXT) probes[count++] = (probe){aliases.items[i].name.bytes, aliases.items[i].name.len};
  }
  for (size_t i = 0; i < (loaded ? extra_count : 0); i++) probes[count++] = extra[i];
  ask_batch(db, name, probes, count, oracle, CHECKING(CHECK_MEMBERS) && comparable && valid && loaded);
  free(probes);
  rows_free(&aliases);
  free(keys);
  if (full || !loaded) {
    static const probe reserved = PROBE("_private"), unqualified = PROBE("OPENAI_CHAT");
    resolve_alone(db, name, &reserved);
    resolve_alone(db, table, &unqualified); /* the name as written */
  }

  /* The catalog, three ways. */
  static const char *const ways[3] = {NULL, "WHERE enum = ?1 AND alias_of IS NULL",
                                      "WHERE schema = 'main' AND enum = ?1 AND alias_of IS NULL"};
  for (int w = full ? 0 : 1; w < (full ? 3 : 2); w++) {
    if (w == 0) whole_catalog_of(table, &catalog);
    else read_catalog(db, table, ways[w], &catalog);
    if (CHECKING(CHECK_CATALOG) && comparable && reliable() && (w > 0 || catalog.complete)) {
      FUZZ_CHECK(catalog.complete == scan.complete, "the catalog %s %s, the scan %s: %s", ways[w] ? ways[w] : "",
                 catalog.complete ? "succeeds" : "fails", scan.complete ? "succeeds" : "fails", sqlite3_errmsg(db));
      FUZZ_CHECK(!scan.complete || same_rows(&catalog, &scan),
                 "the catalog %s lists %d rows for the enum, the scan %d (or other ones)", ways[w] ? ways[w] : "",
                 catalog.count, scan.count);
    }
    rows_free(&catalog);
  }

  dynenum_enum_release(oracle);
  rows_free(&scan);
  free(name);
}

/* After a DROP or RENAME of table succeeded: neither the functions nor the
** catalog find it. */
static void check_gone(sqlite3 *db, const char *table, const char *stage) {
  char message[600];
  char *name = qualified(table);
  state.stage = stage;
  set_table(table);
  int loaded = functions_load(db, name, message, sizeof message);
  row_list catalog;
  read_catalog(db, table, "WHERE enum = ?1", &catalog);
  if (CHECKING(CHECK_DDL) && reliable()) {
    FUZZ_CHECK(!loaded, "the functions still find the enum");
    FUZZ_CHECK(!catalog.complete || catalog.count == 0, "the catalog still lists %d of its members", catalog.count);
  }
  rows_free(&catalog);
  free(name);
}

/* ---- The workload ----------------------------------------------------------- */

/* Inserts a member into the enum: SQLITE_DONE or an error. */
static int insert_member(sqlite3 *db, const char *table, const char *member, const char *verb) {
  sqlite3_stmt *stmt = prepare(db, "INSERT %s INTO \"main\".\"%w\"(name) VALUES (?1)", verb, table);
  if (!stmt) return SQLITE_ERROR;
  bind_text(db, stmt, 1, member, strlen(member));
  int rc = step_all(db, stmt);
  finish(db, stmt);
  return rc;
}

/* The first member's name the scan lists, for an INSERT OR IGNORE of it. */
static char *first_member_name(sqlite3 *db, const char *table) {
  sqlite3_stmt *stmt = prepare(db, "SELECT name FROM \"main\".\"%w\" LIMIT 1", table);
  char *name = NULL;
  if (!stmt) return NULL;
  if (note(db, sqlite3_step(stmt)) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
    const char *text = (const char *)sqlite3_column_text(stmt, 0);
    name = fuzz_copy(text, strlen(text) + 1);
  }
  finish(db, stmt);
  return name;
}

/* After member (the first) was retired: dynenum_current refuses it, and
** dynenum_is_member and dynenum_strict still take it (SPEC section 11.7). */
static void check_retired(sqlite3 *db, const char *table, const char *member) {
  char *name = qualified(table);
  int loads = 0; /* the functions answer about the enum at all */
  sqlite3_stmt *stmt = prepare(db, "SELECT dynenum_is_member(?1, ?2), dynenum_strict(?1, ?2) IS NOT NULL");
  if (stmt) {
    bind_text(db, stmt, 1, name, strlen(name));
    bind_text(db, stmt, 2, member, strlen(member));
    int rc = note(db, sqlite3_step(stmt));
    loads = rc == SQLITE_ROW;
    if (CHECKING(CHECK_MEMBERS) && reliable() && loads) {
      FUZZ_CHECK(sqlite3_column_int(stmt, 0) == 1 && sqlite3_column_int(stmt, 1) == 1,
                 "a retired member is no longer a member for dynenum_is_member or dynenum_strict");
    }
    finish(db, stmt);
  }
  stmt = prepare(db, "SELECT dynenum_current(?1, ?2)");
  if (stmt) {
    bind_text(db, stmt, 1, name, strlen(name));
    bind_text(db, stmt, 2, member, strlen(member));
    int rc = note(db, sqlite3_step(stmt));
    if (CHECKING(CHECK_MEMBERS) && reliable() && loads) {
      FUZZ_CHECK(rc == SQLITE_ERROR && strstr(sqlite3_errmsg(db), "' is retired: ") != NULL,
                 "dynenum_current of a retired member gives %d: %s", rc, sqlite3_errmsg(db));
    }
    finish(db, stmt);
  }
  free(name);
}

/* Writes to one enum inside savepoints, with the checks between. */
static void work_on_enum(sqlite3 *db, const char *table) {
  if (run(db, "SAVEPOINT dbfile_fuzz") == SQLITE_DONE) {
    state.stage = "insert";
    insert_member(db, table, "Fuzz_Added_Member", "");
    char *first = first_member_name(db, table);
    if (first) insert_member(db, table, first, "OR IGNORE");
    free(first);
    check_enum(db, table, "after an insert", 0);
    if (run(db, "ROLLBACK TO dbfile_fuzz") == SQLITE_DONE) check_enum(db, table, "after ROLLBACK TO the insert", 0);
    run(db, "RELEASE dbfile_fuzz");
  }

  if (run(db, "SAVEPOINT dbfile_fuzz") == SQLITE_DONE) {
    state.stage = "insert to keep";
    insert_member(db, table, "fuzz-released-member", "");
    if (run(db, "RELEASE dbfile_fuzz") == SQLITE_DONE) check_enum(db, table, "after RELEASE of an insert", 0);
  }

  if (run(db, "SAVEPOINT dbfile_fuzz") == SQLITE_DONE) {
    state.stage = "retire";
    char *first = first_member_name(db, table);
    if (first && run(db, "UPDATE \"main\".\"%w\" SET retired = 1 WHERE ordinal = 1", table) == SQLITE_DONE) {
      check_retired(db, table, first);
      check_enum(db, table, "after a retirement", 0);
      if (run(db, "ROLLBACK TO dbfile_fuzz") == SQLITE_DONE) check_enum(db, table, "after ROLLBACK TO the retirement", 0);
    }
    free(first);
    run(db, "RELEASE dbfile_fuzz");
  }

  static const char renamed[] = "dbfile_fuzz_renamed";
  if (run(db, "SAVEPOINT dbfile_fuzz") == SQLITE_DONE) {
    state.stage = "rename";
    if (run(db, "ALTER TABLE \"main\".\"%w\" RENAME TO %s", table, renamed) == SQLITE_DONE) {
      check_gone(db, table, "after RENAME, the old name");
      check_enum(db, renamed, "after RENAME, the new name", 0);
      if (run(db, "ROLLBACK TO dbfile_fuzz") == SQLITE_DONE) check_enum(db, table, "after ROLLBACK TO the RENAME", 0);
    }
    run(db, "RELEASE dbfile_fuzz");
  }

  if (run(db, "SAVEPOINT dbfile_fuzz") == SQLITE_DONE) {
    state.stage = "drop";
    if (run(db, "DROP TABLE \"main\".\"%w\"", table) == SQLITE_DONE) {
      check_gone(db, table, "after DROP");
      if (run(db, "ROLLBACK TO dbfile_fuzz") == SQLITE_DONE) check_enum(db, table, "after ROLLBACK TO the DROP", 0);
    }
    run(db, "RELEASE dbfile_fuzz");
  }
}

static void check_all(sqlite3 *db, const name_list *enums, const char *stage) {
  for (int i = 0; i < enums->count; i++) check_enum(db, enums->items[i], stage, 0);
}

/* Writes to an ordinary table (or a view, through its triggers), so that its
** CHECKs, generated columns, triggers and indexes run. */
static void write_table(sqlite3 *db, const char *table, int is_view, const char *member) {
  set_table(table);
  state.stage = is_view ? "writing a view" : "writing a table";
  run(db, "INSERT INTO \"main\".\"%w\" DEFAULT VALUES", table);
  if (!is_view) {
    sqlite3_stmt *columns = prepare(db, "PRAGMA main.table_xinfo(%Q)", table);
    name_list writable = {{0}, {0}, 0};
    while (columns && writable.count < MAX_WRITTEN_COLUMNS && sqlite3_step(columns) == SQLITE_ROW) {
      if (sqlite3_column_int(columns, 6) == 0) names_add(&writable, (const char *)sqlite3_column_text(columns, 1), 0);
    }
    finish(db, columns);
    const char *values[2] = {member ? member : "OPENAI_CHAT", "_Not A Member\x01"};
    for (int i = 0; i < writable.count; i++) {
      for (int v = 0; v < 2; v++) {
        sqlite3_stmt *insert = prepare(db, "INSERT INTO \"main\".\"%w\"(\"%w\") VALUES (?1)", table, writable.items[i]);
        if (!insert) continue;
        bind_text(db, insert, 1, values[v], strlen(values[v]));
        step_all(db, insert);
        finish(db, insert);
      }
    }
    if (writable.count) run(db, "UPDATE \"main\".\"%w\" SET \"%w\" = \"%w\"", table, writable.items[0], writable.items[0]);
    names_free(&writable);
  }
  run(db, "DELETE FROM \"main\".\"%w\"", table);
}

/* One pass of the workload over the deserialized image. */
static void run_workload(sqlite3 *db) {
  name_list enums = {{0}, {0}, 0}, tables = {{0}, {0}, 0};
  state.stage = "listing the enums";
  list_enums(db, &enums);
  read_whole_catalog(db);
  for (int i = 0; i < enums.count; i++) check_enum(db, enums.items[i], "first look", 1);
  free_whole_catalog();
  for (int i = 0; i < enums.count; i++) work_on_enum(db, enums.items[i]);

  state.stage = "listing the tables";
  set_table(NULL);
  names_from_query(db, &tables, MAX_TABLES,
                   "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY rowid");
  for (int i = 0; i < tables.count; i++) {
    state.stage = "reading a table";
    set_table(tables.items[i]);
    run(db, "SELECT * FROM \"main\".\"%w\"", tables.items[i]);
  }
  char *member = enums.count ? first_member_name(db, enums.items[0]) : NULL;
  if (run(db, "SAVEPOINT dbfile_fuzz") == SQLITE_DONE) {
    for (int i = 0; i < tables.count; i++) write_table(db, tables.items[i], tables.is_view[i], member);
    check_all(db, &enums, "after writing the tables");
    if (run(db, "ROLLBACK TO dbfile_fuzz") == SQLITE_DONE) check_all(db, &enums, "after ROLLBACK TO the writes");
    run(db, "RELEASE dbfile_fuzz");
  }
  free(member);

  set_table(NULL);
  state.stage = "REINDEX";
  run(db, "REINDEX");
  state.stage = "integrity_check";
  run(db, "PRAGMA integrity_check");
  state.stage = "quick_check";
  run(db, "PRAGMA quick_check");
  state.stage = "VACUUM";
  if (run(db, "VACUUM") == SQLITE_DONE) check_all(db, &enums, "after VACUUM");

  names_free(&enums);
  names_free(&tables);
}

/* ---- Connections and passes -------------------------------------------- */

static sqlite3 *open_connection(void) {
  sqlite3 *db;
  FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "cannot open a connection");
  FUZZ_CHECK(dynenum_register(db) == SQLITE_OK, "cannot register dynenum: %s", sqlite3_errmsg(db));
  for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) sqlite3_limit(db, limits[i].id, limits[i].value);
  sqlite3_progress_handler(db, PROGRESS_OPS, progress_handler, NULL);
  return db;
}

/* Closes db: a statement left open (by the extension) is a leak. */
static void close_connection(sqlite3 *db) {
  int rc = sqlite3_close(db);
  FUZZ_CHECK(rc == SQLITE_OK, "sqlite3_close gives %d: a statement was left unfinalized", rc);
}

static void run_pass(sqlite3 *db, const pass_mode *pass, const uint8_t *data, size_t size) {
  int on;
  sqlite3_int64 ignored, limit = IMAGE_LIMIT;
  memset(&state, 0, sizeof state);
  state.pass = pass;
  state.stage = "setting up";
  FUZZ_CHECK(sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, pass->trusted_schema, &on) == SQLITE_OK &&
                 on == pass->trusted_schema,
             "cannot set trusted_schema");
  FUZZ_CHECK(sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, pass->defensive, &on) == SQLITE_OK &&
                 on == pass->defensive,
             "cannot set SQLITE_DBCONFIG_DEFENSIVE");
  /* A pass may leave a transaction open (a RELEASE that failed). */
  if (!sqlite3_get_autocommit(db)) run(db, "ROLLBACK");
  FUZZ_CHECK(sqlite3_get_autocommit(db), "cannot end the previous pass's transaction: %s", sqlite3_errmsg(db));

  unsigned char *image = sqlite3_malloc64(size ? size : 1);
  FUZZ_CHECK(image != NULL, "cannot copy the image");
  if (size) memcpy(image, data, size);
  int rc = sqlite3_deserialize(db, "main", image, (sqlite3_int64)size, (sqlite3_int64)size,
                               SQLITE_DESERIALIZE_RESIZEABLE | SQLITE_DESERIALIZE_FREEONCLOSE);
  if (rc != SQLITE_OK) return; /* which freed the image */
  FUZZ_CHECK(sqlite3_file_control(db, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit) == SQLITE_OK,
             "cannot limit the image's size");
  /* The high-water marks that reliable() reads. */
  FUZZ_CHECK(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &ignored, &ignored, 1) == SQLITE_OK &&
                 sqlite3_status64(SQLITE_STATUS_MALLOC_SIZE, &ignored, &ignored, 1) == SQLITE_OK,
             "cannot reset the memory statistics");
  if (pass->exclusive) run(db, "PRAGMA main.locking_mode = EXCLUSIVE");
  run(db, "PRAGMA cell_size_check = ON");
  run(db, "PRAGMA mmap_size = 0");
  state.stage = "integrity_check first";
  sqlite3_stmt *check = prepare(db, "PRAGMA integrity_check");
  if (check) {
    state.sound = note(db, sqlite3_step(check)) == SQLITE_ROW && sqlite3_column_text(check, 0) &&
                  strcmp((const char *)sqlite3_column_text(check, 0), "ok") == 0 &&
                  note(db, sqlite3_step(check)) == SQLITE_DONE;
    finish(db, check);
  }
  run_workload(db);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_describe_input = describe_input;
  memset(long_k, 'K', sizeof long_k - 1);
  for (size_t i = 0; i + 3 < sizeof long_kelvin; i += 3) memcpy(long_kelvin + i, "\xe2\x84\xaa", 3);
  memset(long_a, 'A', sizeof long_a - 1);
  FUZZ_CHECK(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1) == SQLITE_OK && sqlite3_initialize() == SQLITE_OK,
             "cannot initialize SQLite with memory statistics");
  sqlite3_hard_heap_limit64(HEAP_LIMIT);
  /* Whatever SQLite allocates once per process, before the baseline. */
  sqlite3 *db = open_connection();
  FUZZ_CHECK(run(db, "CREATE VIRTUAL TABLE e USING dynenum(A)") == SQLITE_DONE &&
                 run(db, "SELECT dynenum_resolve('e', 'a')") == SQLITE_DONE,
             "warm-up: %s", sqlite3_errmsg(db));
  close_connection(db);
  baseline_memory = sqlite3_memory_used();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sqlite3 *db = NULL;
  input_size = size;
  for (size_t i = 0; i < PASS_COUNT; i++) {
    if (passes[i].fresh_connection) {
      if (db) close_connection(db);
      db = open_connection();
    }
    run_pass(db, &passes[i], data, size);
  }
  close_connection(db);
  state.pass = NULL;
  FUZZ_CHECK(sqlite3_memory_used() == baseline_memory,
             "SQLite's memory in use is %lld bytes, %lld with no connection before: a leak",
             (long long)sqlite3_memory_used(), (long long)baseline_memory);
  return 0;
}
