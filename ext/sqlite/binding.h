/*
** sqlite/binding.h: what the files of the SQLite binding share.  Private:
** never installed, and included only by the binding and by the tests and
** fuzzers that link it in (for sqlite3.h and the entry points).
** Applications load the extension, or link it in and include
** dynenum_extension.h.
**
** The files, lowest layer first; each calls only the core, SQLite and the
** files above it in this list (ARCHITECTURE.md, "Where things are"):
**
**   messages.c, sql_token.c, connection.c   shared words, the tokeniser,
**                                           the per-connection state
**   file_version.c                          the version that names a shared copy
**   shadow.c                                the members table and its SQL
**   cache.c                                 finding and caching enums
**   create_args.c                           CREATE VIRTUAL TABLE arguments
**   functions.c, enum_module.c, catalog.c   what SQL calls
**   extension.c                             registration and entry points
*/
#ifndef DYNENUM_BINDING_H
#define DYNENUM_BINDING_H

#include "sqlite3ext.h"
#include "dynenum.h"

/* The oldest SQLite with everything the binding uses: sqlite3_txn_state
** (3.34.0) being the newest of xShadowName, SQLITE_INNOCUOUS,
** SQLITE_VTAB_INNOCUOUS, SQLITE_FCNTL_DATA_VERSION and generated columns.
** Overridable (both together) only so that a test can build a copy that
** refuses the running SQLite and check the error it gives. */
#ifndef DYNENUM_MIN_SQLITE_VERSION_NUMBER
#define DYNENUM_MIN_SQLITE_VERSION_NUMBER 3034000
#define DYNENUM_MIN_SQLITE_VERSION "3.34.0"
#endif

/* ---- messages.c: words more than one file says -------------------------- */

/* Describes a value that should have been text, for an error message:
** "integer 42", "real 1.5", "blob of 3 bytes", "NULL".  sqlite3_malloc'd. */
char *dynenum_describe_value(sqlite3_value *v);

/* Shows a value that is the wrong one, for an error message: as
** dynenum_describe_value, but text as "text '<quoted>'".  NULL when out of
** memory. */
char *dynenum_show_value(sqlite3_value *v);

/* The one way a virtual table reports an error: sets vtab's message (taking
** over message, an sqlite3_malloc'd string) and returns rc, or SQLITE_NOMEM
** when message is NULL because it could not be made. */
int dynenum_vtab_error(sqlite3_vtab *vtab, int rc, char *message);

/* "cannot read enum '<shown_enum>': <what SQLite said><hint>", the message
** for SQLite refusing something while dynenum reads an enum.  shown_enum is
** already quoted; hint may be NULL.  sqlite3_malloc'd. */
char *dynenum_cannot_read(sqlite3 *db, const char *shown_enum, const char *hint);

/* ---- sql_token.c: the tokeniser ----------------------------------------- */

/* What text is being read: the CREATE VIRTUAL TABLE statement sqlite_schema
** holds (comments are space, bare words are SQL identifiers, '$' included),
** or one argument of it (no comments; a bare member name holds '-'). */
typedef enum sql_dialect { SQL_SCHEMA_TEXT, SQL_MEMBER_ARGUMENT } sql_dialect;

/* A token: a bare word (word set), a quoted name or string (quote set to
** its opening character, closed clear when the text ends first), or one
** other byte. */
typedef struct sql_token {
  const char *start;
  size_t len;
  int word;
  char quote;
  int closed;
} sql_token;

/* Reads the token at *z into t and advances *z; returns 0 at the end. */
int dynenum_sql_next_token(const char **z, sql_dialect dialect, sql_token *t);

/* Whether t is the bare word word, ASCII case-insensitively. */
int dynenum_sql_token_is(const sql_token *t, const char *word);

/* The text between the quotes of t (a closed token quoted with " or '),
** each doubled quote made one; sqlite3_malloc'd, its length in *len. */
char *dynenum_sql_unquote(const sql_token *t, size_t *len);

/* ---- connection.c: the state of one database connection ----------------- */

/* The enums a connection has loaded from its databases.  Each registered
** function and module holds a reference; the last destructor SQLite calls
** frees it. */
typedef struct dynenum_connection {
  sqlite3 *db;
  int refs;
  dynenum_registry *enums;     /* the cached enums, one per (schema, table) */
  dynenum_registry *spellings; /* memberless enums, one per spelling of a name
                                  the caller used, each naming one of enums */
  unsigned generation;     /* bumped by every change made through the module */
  int ddl_in_transaction;  /* the module created, dropped or renamed an enum
                              since the connection was last in autocommit */
  struct dynenum_lazy_count *lazy_counts; /* lazy look-ups made, per enum */
} dynenum_connection;

/* How many lazy look-ups (docs/SPEC.md section 12.6) the connection has
** made in the enum whose cache key is key (n bytes): a counter that lives
** as long as the connection, made at 0 when first asked for; NULL when out
** of memory. */
size_t *dynenum_connection_lazy_count(dynenum_connection *c, const char *key, size_t n);

/* The allocator the core uses inside SQLite: SQLite's own, so that its memory
** accounting and fault injection see every byte. */
extern const dynenum_config dynenum_sqlite_config;

/* A new state for db with one reference, in *out; SQLITE_NOMEM. */
int dynenum_connection_open(sqlite3 *db, dynenum_connection **out);

/* Drops a reference (the destructor given to SQLite with each registration). */
void dynenum_connection_unref(void *connection);

/* Forgets every cached enum: the next use reloads from the database.  Called
** after a rollback and after the module creates, drops or renames an enum
** (then with ddl set: a later ROLLBACK TO may undo that DDL without telling
** the module, so until the transaction ends every use checks the database). */
void dynenum_connection_changed(dynenum_connection *c, int ddl);

/* ---- file_version.c: the name of a shared copy --------------------------- */

/* The key under which the connections of the process share the enum table of
** schema (docs/SPEC.md section 12): the file's identity and version, read
** while the caller's read transaction (not a write transaction) holds the
** SHARED lock, and the table's name.  SQLITE_OK with *key sqlite3_malloc'd
** (*n bytes), or with *key NULL when the state cannot be named that way
** (WAL, memory, temp, another VFS, ...): then the connection keeps its own
** copy.  SQLITE_NOMEM. */
int dynenum_shared_key(sqlite3 *db, const char *schema, const char *table, char **key, size_t *n);

/* Reads n bytes at offset of schema's file through the handle the
** connection's pager reads it through, with or without a lock, on SQLite's
** unix VFS or one of its variants (the only ones whose bytes on disk are
** known to be what SQLite reads), memory mapping off; *default_unix, when
** given, says whether the VFS is the default "unix".  1 when it could. */
int dynenum_read_file_bytes(sqlite3 *db, const char *schema, void *out, int n, sqlite3_int64 offset,
                            int *default_unix);

/* The WAL-index header of schema's file as the connection's own shared
** memory holds it now, read without a lock (docs/SPEC.md section 2.3.5):
** 1 with the header in out when both copies are equal and initialised, on
** the default unix VFS, while the connection is in WAL mode with its
** WAL-index in shared memory (its file lock exactly SHARED, as it is between
** transactions and in a read transaction); 0 otherwise, without mapping
** anything the connection has not mapped. */
#define DYNENUM_WAL_HEADER_SIZE 48
int dynenum_wal_index_header(sqlite3 *db, const char *schema, unsigned char out[DYNENUM_WAL_HEADER_SIZE]);

/* ---- shadow.c: the members table ---------------------------------------- */

/* The statements the binding runs on an enum's members table. */
typedef enum members_statement {
  MEMBERS_CREATE, /* the table, with its three columns */
  MEMBERS_INSERT, /* one row: ?1 name, ?2 value; its ordinal the next rowid */
  MEMBERS_SELECT, /* every row, by ordinal */
  MEMBERS_DROP,   /* the table, if it exists */
  MEMBERS_RENAME, /* to the members table of new_table */
  ALIASES_CREATE, /* the aliases table (name, ordinal) */
  ALIASES_INSERT, /* one row: ?1 name, ?2 ordinal */
  ALIASES_SELECT, /* every row, in the order added */
  ALIASES_DROP,
  ALIASES_RENAME,
  RETIRED_CREATE, /* the table of retired ordinals */
  RETIRED_INSERT, /* ?1, if not there yet */
  RETIRED_DELETE, /* ?1 */
  RETIRED_SELECT, /* every retired ordinal */
  RETIRED_DROP,
  RETIRED_RENAME,
  KEYS_CREATE, /* the key table (SPEC section 12.6) */
  KEYS_DROP,
  KEYS_EMPTY,  /* every row */
  KEYS_RENAME,
  KEYS_SELECT /* the ordinal ?1, a key as a blob, names */
} members_statement;

/* The shadow tables of an enum: the members table, and the two that exist
** only once an alias or a retirement needs them. */
typedef enum shadow_table { SHADOW_MEMBERS, SHADOW_ALIASES, SHADOW_RETIRED, SHADOW_KEYS } shadow_table;

/* "<table>_members", "<table>_aliases" or "<table>_retired", sqlite3_malloc'd. */
char *dynenum_shadow_name(shadow_table which, const char *table);

/* Who holds the name of an optional shadow table (aliases, retired): no
** one, the module (a table of exactly the module's DDL, docs/SPEC.md
** section 11.5), or something in the way, which dynenum never reads,
** writes, drops or renames; *kind is then what it is ("table", "view" or
** "index"), for messages.  An SQLite code if the look-up failed. */
typedef enum shadow_holder { SHADOW_NONE, SHADOW_OURS, SHADOW_IN_THE_WAY } shadow_holder;
int dynenum_optional_holder(sqlite3 *db, const char *schema, const char *table, shadow_table which,
                            shadow_holder *holder, const char **kind);

/* The key table's SQL (docs/SPEC.md section 12.6), sqlite3_malloc'd: an
** INSERT of rows rows of (?key, ?ordinal), a key already there taking the
** new ordinal (an upsert); the one SELECT of a
** lazy look-up, ?1 the key as a blob, giving the key row's ordinal, the
** member's ordinal, name and value, the alias's name and ordinal (NULL
** unless aliases), whether the member is retired (0 unless retired), and
** whether the first row of the aliases or retired table reads a NULL (as
** under an authorizer's SQLITE_IGNORE: then the look-up must not answer). */
char *dynenum_keys_insert_sql(const char *schema, const char *table, int rows);
char *dynenum_keys_lookup_sql(const char *schema, const char *table, int aliases, int retired);

/* How many rows one INSERT of the key table may hold under the
** connection's SQLITE_LIMIT_VDBE_OP, at most KEY_ROWS_PER_STATEMENT; 0
** when the limit is too low for the key table to be used at all (neither
** made, written nor read: docs/SPEC.md section 12.6). */
#define KEY_ROWS_PER_STATEMENT 256
int dynenum_key_rows_room(sqlite3 *db);

/* The comment that ends the text of the members INSERT (MEMBERS_INSERT),
** by which an enum tells the statement it keeps for a transaction from one
** of the program's that took its place in memory (enum_module.c,
** kept_insert). */
#define DYNENUM_MEMBERS_INSERT_MARK "/* dynenum: the members INSERT of a write transaction */"

/* "<table>_members", sqlite3_malloc'd. */
char *dynenum_members_name(const char *table);

/* Whether suffix is one that makes "<enum>_<suffix>" a shadow table
** (members, aliases, retired; not keys, SPEC section 12.6). */
int dynenum_is_members_suffix(const char *suffix);

/* The SQL of one statement on the members table of schema.table;
** new_table is used by MEMBERS_RENAME only.  sqlite3_malloc'd. */
char *dynenum_members_sql(members_statement which, const char *schema, const char *table, const char *new_table);

/* Prepares one (*out is NULL on failure), or runs one with sqlite3_exec. */
int dynenum_members_prepare(sqlite3 *db, members_statement which, const char *schema, const char *table,
                            sqlite3_stmt **out);
int dynenum_members_run(sqlite3 *db, members_statement which, const char *schema, const char *table,
                        const char *new_table);

/* Writes m with a prepared MEMBERS_INSERT, leaving it reset and unbound.
** SQLITE_OK, or the error with *error set to SQLite's message (not for
** SQLITE_NOMEM).  The row's ordinal is the rowid SQLite gives it, one past
** the last: m's ordinal when the table holds exactly the members before m,
** which a caller that cannot be sure checks (sqlite3_last_insert_rowid). */
int dynenum_members_write(sqlite3 *db, sqlite3_stmt *insert, const dynenum_member *m, char **error);

/* The same for one alias, with a prepared ALIASES_INSERT. */
int dynenum_aliases_write(sqlite3 *db, sqlite3_stmt *insert, const dynenum_alias *a, char **error);

/* Checks that the enum schema.table still has a members table of the right
** shape: a table, not a view, with the columns ordinal, name and value.
** Every reader calls it before reading the rows, so that none of them reads
** a view (which may never end) and all give the same verdict.  SQLITE_OK, or
** SQLITE_CORRUPT with *error set to a message naming the enum; another
** SQLite code if the check itself could not run. */
int dynenum_check_members_table(sqlite3 *db, const char *schema, const char *table, char **error);

/* The same check, saying only what is wrong: *problem is NULL when the
** members table is as it should be, else one of these phrases. */
int dynenum_members_table_problem(sqlite3 *db, const char *schema, const char *table, const char **problem);
#define DYNENUM_MEMBERS_MISSING "is missing"
#define DYNENUM_MEMBERS_VIEW "is a view"
#define DYNENUM_MEMBERS_NOT_TABLE "is not a table"
#define DYNENUM_MEMBERS_COLUMNS "does not have the columns ordinal, name and value"

/* ---- cache.c: the connection's enums ------------------------------------ */

/* Finds the enum that name (a table name, optionally schema-qualified) denotes
** for this connection, loading it from the database or bringing the cached
** copy up to date, and returns a new reference.  With verify set, the cached
** copy is checked against the database even when the cheap checks say it is
** current (for writes, which must never trust a stale copy).  On failure
** returns an SQLite result code and, unless out of memory, sets *error to a
** message to be freed with sqlite3_free. */
int dynenum_connection_enum(dynenum_connection *c, const char *name, size_t n, int verify, dynenum_enum **out,
                            char **error);

/* The same for the enum schema.table, as a virtual table knows itself. */
int dynenum_connection_table_enum(dynenum_connection *c, const char *schema, const char *table, int verify,
                                  dynenum_enum **out, char **error);

/* Lazy look-ups (docs/SPEC.md section 12.6): the state a function keeps
** for one statement instead of the enum, while the key table answers. */
typedef struct dynenum_lazy dynenum_lazy;

/* What a verified hit found: the member (or the alias's member), its
** value (sqlite3_malloc'd), and whether it is retired. */
typedef struct dynenum_lazy_hit {
  sqlite3_int64 ordinal;
  char *value;
  size_t value_len;
  int retired;
} dynenum_lazy_hit;

/* As dynenum_connection_enum with verify clear, except that where the
** connection would read the enum whole (no fresh copy, none published for
** the version), outside a write transaction, for a big enum whose key table
** is the module's, it gives *lazy instead and *out NULL. */
int dynenum_connection_enum_lazily(dynenum_connection *c, const char *name, size_t n, dynenum_enum **out,
                                   dynenum_lazy **lazy, char **error);

/* Looks the key of s (n bytes) up in the key table: 1 with *hit set on a
** verified hit; 0 when the caller must load the enum whole (a miss, a row
** that does not verify, any error, the connection's budget of lazy
** look-ups of the enum spent). */
int dynenum_lazy_find(dynenum_lazy *l, const char *s, size_t n, dynenum_lazy_hit *hit);
void dynenum_lazy_free(dynenum_lazy *l);

/* The carrier of e, a copy of this connection's own, in its cache: a new
** reference, or NULL when e is not (or no longer) the copy cached.  The
** carrier holds the connection's facts about the copy (enum_origin). */
dynenum_enum *dynenum_connection_carrier(dynenum_connection *c, dynenum_enum *e);

/* Marks the carrier's copy fresh again after this connection added a member
** to it through the module (and bumped the generation). */
void dynenum_connection_touch(dynenum_connection *c, dynenum_enum *carrier);

/* Whether e, a copy this connection cached under carrier (as
** dynenum_connection_carrier found it), is still the one it would be given,
** as far as the connection's own doings can change that: touched since the
** last insert, rollback or DDL made through the module, not superseded by a
** fresh load, no DDL of the module in an open transaction.  A carrier the
** cache has let go of fails the touch test, since the cache lets go only
** with the generation bumped (dynenum_connection_changed) or the carrier
** superseded, as long as the caller touches it only while that holds.
** What another connection commits is the caller's to rule out (a writer
** inside its transaction holds the write lock).  No lookup: an INSERT ...
** SELECT asks once per row. */
int dynenum_connection_holds(dynenum_connection *c, dynenum_enum *carrier, dynenum_enum *e);

/* The module is about to change the enum schema.table in this transaction
** (xBegin): a copy shared with other connections is let go of, so that the
** change goes into a copy of this connection's own (docs/SPEC.md section
** 12.1), from before the first statement of the transaction that writes. */
void dynenum_connection_will_write(dynenum_connection *c, const char *schema, const char *table);

/* Reads the members table of the enum schema.table into a scratch enum,
** checking everything a reader checks (the table's shape, ordinals 1, 2,
** ... without a gap, valid names and values, no two sharing a key), and
** caches nothing: what PRAGMA integrity_check runs.  SQLITE_OK, or
** SQLITE_CORRUPT with *error saying what is wrong; another code if the
** reading itself failed. */
int dynenum_verify_enum(sqlite3 *db, const char *schema, const char *table, char **error);

/* Whether sql, the text sqlite_schema holds for a table, creates a virtual
** table with the dynenum module. */
int dynenum_is_enum_sql(const char *sql);

/* ---- create_args.c: the arguments of CREATE VIRTUAL TABLE --------------- */

/* Builds a scratch enum called name from the member definitions argv[3..argc)
** (NAME or NAME = 'value' each), checked as new members are.  SQLITE_OK with
** a reference in *out; SQLITE_NOMEM; SQLITE_ERROR with *error set. */
int dynenum_enum_from_arguments(const char *name, int argc, const char *const *argv, dynenum_enum **out,
                                char **error);

/* ---- functions.c, enum_module.c, catalog.c: what SQL calls -------------- */

/* Registers the seven dynenum_* functions, each holding a reference to c. */
int dynenum_register_functions(sqlite3 *db, dynenum_connection *c);
/* Sets *taken to the name of the first of them that db already has a
** function for (the application's own), or NULL; SQLITE_NOMEM or OK. */
int dynenum_function_taken(sqlite3 *db, const char **taken);

/* The module dynenum (one enum = one virtual table) and the eponymous
** catalog dynenum_members. */
extern const sqlite3_module *const dynenum_enum_module;
extern const sqlite3_module *const dynenum_catalog_module;

/* ---- extension.c: the entry points -------------------------------------- */

/* What the loadable module exports; everything else it builds hidden, so
** that its copy of the core never clashes with another in the process. */
#if defined(_WIN32)
#define DYNENUM_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define DYNENUM_EXPORT __attribute__((visibility("default")))
#else
#define DYNENUM_EXPORT
#endif

/* Registers the collation, functions and modules on db: the entry point of
** a static build, and what sqlite3_dynenum_init calls when loaded. */
DYNENUM_EXPORT int dynenum_register(sqlite3 *db);

/* The extension's entry point, also in static builds (-DSQLITE_CORE), where
** it is what sqlite3_auto_extension() should be given. */
DYNENUM_EXPORT int sqlite3_dynenum_init(sqlite3 *db, char **error, const sqlite3_api_routines *api);

/* Loadable builds only: sqlite3_dynenum_init, and dynenum for every
** connection the process opens from then on (sqlite3_auto_extension), the
** shared object kept loaded for them.  `.load ./build/dynenum
** sqlite3_dynenum_auto_init` gives .recover's own connection the collation. */
#ifndef SQLITE_CORE
DYNENUM_EXPORT int sqlite3_dynenum_auto_init(sqlite3 *db, char **error, const sqlite3_api_routines *api);
#endif

#endif /* DYNENUM_BINDING_H */
