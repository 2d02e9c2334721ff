/*
** connection.c: every SQLite connection of a dynenum-dqlite node, including
** those dqlite opens for its clients inside the node (where load_extension()
** cannot reach), gets, from sqlite3_auto_extension:
**
** - dynenum, linked in from build/libdynenum.a;
** - SQLITE_DBCONFIG_DEFENSIVE: only the module may write an enum's members
**   table, and whatever the leader commits reaches every copy, so a bypass
**   on one node would corrupt them all;
** - an authorizer that refuses, with "not authorized", the PRAGMAs that
**   break a dqlite 1.11 node when a client changes them: dqlite sets
**   journal_mode=WAL, page_size=4096 and wal_autocheckpoint=0 on each
**   connection it opens, and `PRAGMA journal_mode=DELETE`, `=MEMORY`, `=OFF`
**   or `PRAGMA page_size=8192` from a client crash the leader (free():
**   invalid pointer; observed, and the same with Debian's dqlite-demo), a
**   checkpoint dqlite did not make would not be replicated, and
**   locking_mode=EXCLUSIVE would keep dqlite out of its own database.  Each
**   may be set only to the value dqlite gives it, which is what lets dqlite's
**   own PRAGMAs through; reading them stays allowed;
** - fts3_tokenizer() replaced by a function that fails: Debian's SQLite is
**   built with SQLITE_ENABLE_FTS3_TOKENIZER, whose two-argument form installs
**   a tokenizer from a pointer a client supplies (code execution on the
**   leader) and whose one-argument form hands out a pointer.
*/
#include <signal.h>
#include <string.h>
#include <sqlite3.h>
#include <dynenum_extension.h>

#include "connection.h"

/* The PRAGMAs a client may not change, with the one value dqlite gives
** each (NULL: none may be given). */
static const struct {
	const char *name;
	const char *value;
} fixed_pragmas[] = {
	{"journal_mode", "wal"},
	{"page_size", "4096"},
	{"wal_autocheckpoint", "0"},
	{"locking_mode", NULL},
};

static int guard(void *unused, int action, const char *a, const char *b,
                 const char *schema, const char *trigger)
{
	(void)unused;
	(void)schema;
	(void)trigger;
	if (action != SQLITE_PRAGMA || !a || !b)
		return SQLITE_OK;
	for (size_t i = 0; i < sizeof fixed_pragmas / sizeof fixed_pragmas[0]; i++) {
		if (sqlite3_stricmp(a, fixed_pragmas[i].name) == 0)
			return fixed_pragmas[i].value && sqlite3_stricmp(b, fixed_pragmas[i].value) == 0
			               ? SQLITE_OK
			               : SQLITE_DENY;
	}
	return SQLITE_OK;
}

static void no_tokenizer(sqlite3_context *context, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_error(context, "fts3_tokenizer() is disabled on dynenum-dqlite nodes", -1);
}

static int node_connection_init(sqlite3 *db, char **error, const sqlite3_api_routines *api)
{
	int defensive = 0;
	int rc = sqlite3_dynenum_init(db, error, api);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &defensive);
	if (rc == SQLITE_OK && !defensive)
		rc = SQLITE_ERROR;
	for (int argc = 1; rc == SQLITE_OK && argc <= 2; argc++)
		rc = sqlite3_create_function(db, "fts3_tokenizer", argc, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
		                             no_tokenizer, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_set_authorizer(db, guard, NULL);
	if (rc != SQLITE_OK) {
		*error = sqlite3_mprintf("dynenum-dqlite: cannot set up the connection: %s", sqlite3_errstr(rc));
		return rc;
	}
	return SQLITE_OK;
}

int node_register(void)
{
	/* go-dqlite's bindings ignore SIGPIPE in their init already (libuv
	** writes to sockets whose peer may be gone, a killed leader); the node
	** does not rely on that. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return SQLITE_ERROR;
	return sqlite3_auto_extension((void (*)(void))node_connection_init);
}

/* Runs sql on db and returns its result code (after the first row, if any),
** the first column of that row copied into out. */
static int run(sqlite3 *db, const char *sql, char *out, int size)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW && out)
			sqlite3_snprintf(size, out, "%s", (const char *)sqlite3_column_text(stmt, 0));
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(stmt);
	return rc;
}

int node_self_check(char *version, int size)
{
	sqlite3 *db = NULL;
	int defensive = 0;
	const char *failed = NULL;
	int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK)
		failed = "cannot open a connection";
	else if (run(db, "SELECT dynenum_version()", version, size) != SQLITE_OK)
		failed = "a new connection has no dynenum";
	else if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive) != SQLITE_OK || !defensive)
		failed = "a new connection is not in defensive mode";
	else if (run(db, "PRAGMA locking_mode=EXCLUSIVE", NULL, 0) != SQLITE_AUTH)
		failed = "a new connection lets a client set locking_mode";
	else if (run(db, "SELECT fts3_tokenizer('simple')", NULL, 0) != SQLITE_ERROR)
		failed = "a new connection offers fts3_tokenizer()";
	sqlite3_close(db);
	if (failed) {
		sqlite3_snprintf(size, version, "%s", failed);
		return rc == SQLITE_OK ? SQLITE_ERROR : rc;
	}
	return SQLITE_OK;
}
