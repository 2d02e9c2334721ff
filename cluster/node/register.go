package main

// Every SQLite connection in this process gets dynenum, defensive mode and
// the node's guards before anything can use it (connection.c): dqlite
// opens its connections inside the node, where load_extension() cannot
// reach.

/*
#cgo CFLAGS: -I${SRCDIR}/../../ext/include -std=c11 -Wall -Wextra -Werror
#cgo LDFLAGS: ${SRCDIR}/../../build/libdynenum.a -lsqlite3 -lpthread
#include <sqlite3.h>
#include "connection.h"
*/
import "C"

import "fmt"

// staticLibrary is set at link time to the checksum of build/libdynenum.a
// (see the Makefile's dqlite target): a change of the library then changes
// the link, which Go's build cache would otherwise not notice.
var staticLibrary string

// registerDynenum installs the hook and proves it works; it returns the
// version of dynenum that every connection now has.
func registerDynenum() (string, error) {
	if rc := C.node_register(); rc != C.SQLITE_OK {
		return "", fmt.Errorf("cannot register dynenum: error %d", int(rc))
	}
	var buf [128]C.char
	if rc := C.node_self_check(&buf[0], C.int(len(buf))); rc != C.SQLITE_OK {
		return "", fmt.Errorf("%s", C.GoString(&buf[0]))
	}
	return C.GoString(&buf[0]), nil
}
