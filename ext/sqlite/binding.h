/*
** sqlite/binding.h: what the files of the SQLite binding share.  Not a public
** header: applications load the extension, or link it in and include
** dynenum_extension.h, which declares dynenum_register() and
** sqlite3_dynenum_init() for them.
*/
#ifndef DYNENUM_SQLITE_H
#define DYNENUM_SQLITE_H

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

/* The state of one database connection: the enums it has loaded from its
** databases.  Each registered function and module holds a reference; the
** last destructor SQLite calls frees it. */
typedef struct dynenum_connection {
  sqlite3 *db;
  int refs;
  dynenum_registry *enums;     /* the cached enums, one per (schema, table) */
  dynenum_registry *spellings; /* memberless enums, one per spelling of a name
                                  the caller used, each naming one of enums */
  unsigned generation;     /* bumped by every change made through the module */
  int ddl_in_transaction;  /* the module created, dropped or renamed an enum
                              since the connection was last in autocommit */
} dynenum_connection;

void dynenum_connection_unref(void *connection);

/* Finds the enum that name (a table name, optionally schema-qualified) denotes
** for this connection, loading it from the database or bringing the cached
** copy up to date, and returns a new reference.  With verify set, the cached
** copy is checked against the database even when the cheap checks say it is
** current (for writes, which must never trust a stale copy).  On failure
** returns an SQLite result code and, unless out of memory, sets *error to a
** message to be freed with sqlite3_free. */
int dynenum_connection_enum(dynenum_connection *c, const char *name, size_t n, int verify, dynenum_enum **out,
                            char **error);

/* Forgets every cached enum: the next use reloads from the database.  Called
** after a rollback and after the module creates, drops or renames an enum
** (then with ddl set: a later ROLLBACK TO may undo that DDL without telling
** the module, so until the transaction ends every use checks the database). */
void dynenum_connection_changed(dynenum_connection *c, int ddl);

/* Marks the cached enum fresh again after this connection added a member to
** it through the module (and bumped the generation). */
void dynenum_connection_touch(dynenum_connection *c, dynenum_enum *e);

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

/* The allocator the core uses inside SQLite: SQLite's own, so that its memory
** accounting and fault injection see every byte. */
extern const dynenum_config dynenum_sqlite_config;

/* Describes a value that should have been text, for an error message:
** "integer 42", "real 1.5", "blob of 3 bytes", "NULL".  sqlite3_malloc'd. */
char *dynenum_describe_value(sqlite3_value *v);

/* Registers the dynenum and dynenum_members modules. */
int dynenum_register_modules(sqlite3 *db, dynenum_connection *c);

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

/* The name of the shadow table holding an enum's members: "<table>_members". */
#define DYNENUM_SHADOW_SUFFIX "members"

#endif /* DYNENUM_SQLITE_H */
