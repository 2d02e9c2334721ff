package main

// Every SQLite connection in this process gets dynenum before anything can
// use it: dqlite opens its connections inside the node, where
// load_extension() cannot reach, so the extension is linked in
// (build/libdynenum.a) and installed with sqlite3_auto_extension().
//
// The same hook turns on SQLITE_DBCONFIG_DEFENSIVE.  Only the module may
// write an enum's members table; defensive mode is what makes SQLite refuse
// a plain INSERT into a shadow table, and dqlite replicates whatever its
// leader commits, so a bypass on one node would reach every copy.

/*
#cgo CFLAGS: -I${SRCDIR}/../../ext/include
#cgo LDFLAGS: ${SRCDIR}/../../build/libdynenum.a -lsqlite3 -lpthread
#include <signal.h>
#include <sqlite3.h>
#include <dynenum_extension.h>

static int node_connection_init(sqlite3 *db, char **error,
                                const sqlite3_api_routines *api)
{
	int defensive = 0;
	int rc = sqlite3_dynenum_init(db, error, api);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &defensive);
	if (rc == SQLITE_OK && !defensive)
		rc = SQLITE_ERROR;
	if (rc != SQLITE_OK) {
		*error = sqlite3_mprintf("dynenum-dqlite: cannot turn on defensive mode");
		return rc;
	}
	return SQLITE_OK;
}

static int node_register(void)
{
	// libuv writes to sockets whose peer may be gone (a killed leader);
	// without this the write's SIGPIPE kills the follower.
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return SQLITE_ERROR;
	return sqlite3_auto_extension((void (*)(void))node_connection_init);
}

// The proof that the hook runs: a connection of our own, opened the way
// dqlite opens its own, must answer dynenum_version() and be defensive.
static int node_self_check(char *version, int size)
{
	sqlite3 *db = 0;
	sqlite3_stmt *stmt = 0;
	int defensive = 0;
	int rc = sqlite3_open_v2(":memory:", &db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 0);
	if (rc == SQLITE_OK)
		rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
	if (rc == SQLITE_OK && !defensive)
		rc = SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT dynenum_version()", -1, &stmt, 0);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt) == SQLITE_ROW ? SQLITE_OK : SQLITE_ERROR;
	if (rc == SQLITE_OK)
		sqlite3_snprintf(size, version, "%s", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return rc;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// staticLibrary is set at link time to the checksum of build/libdynenum.a
// (see the Makefile's dqlite target): a change of the library then changes
// the link, which Go's build cache would otherwise not notice.
var staticLibrary string

// registerDynenum installs the hook and proves it works; it returns the
// version of dynenum that every connection now has.
func registerDynenum() (string, error) {
	if rc := C.node_register(); rc != C.SQLITE_OK {
		return "", fmt.Errorf("cannot register dynenum: %s", C.GoString(C.sqlite3_errstr(rc)))
	}
	var buf [64]C.char
	if rc := C.node_self_check(&buf[0], C.int(len(buf))); rc != C.SQLITE_OK {
		return "", fmt.Errorf("a new connection lacks dynenum or defensive mode: %s",
			C.GoString(C.sqlite3_errstr(rc)))
	}
	return C.GoString((*C.char)(unsafe.Pointer(&buf[0]))), nil
}
