/*
** dynenum_extension.h: the entry points of the dynenum SQLite extension, for
** programs that link it in (libdynenum.a, or its sources compiled with
** -DSQLITE_CORE) instead of loading build/dynenum.so at run time.
**
**     #include <sqlite3.h>
**     #include <dynenum_extension.h>
**
**     // every connection opened from now on gets dynenum
**     sqlite3_auto_extension((void (*)(void))sqlite3_dynenum_init);
**
**     // or just this one
**     dynenum_register(db);
**
** Link with `pkg-config --libs dynenum` (-ldynenum -lpthread and SQLite's
** own flags).  examples/embed.c is a complete program.  The enum core, with
** no SQLite in it, has its own header: dynenum.h.
**
** This header is public and installed; ext/sqlite/binding.h, which the
** binding's own files share, is not.  Both declare these two functions, and
** `make static` compiles one file that includes both, so that the compiler
** checks they agree.
*/
#ifndef DYNENUM_EXTENSION_H
#define DYNENUM_EXTENSION_H

#include <sqlite3.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Registers the DYNENUM collation, the dynenum_* functions and the dynenum
** and dynenum_members modules on db.  Returns SQLITE_OK, or an SQLite result
** code (SQLITE_ERROR when the running SQLite is older than 3.34.0, or when
** db has a function or collation of one of dynenum's names of its own; then
** nothing is registered).
** Registering on a connection that already has dynenum changes nothing. */
int dynenum_register(sqlite3 *db);

/* The same in the shape of an extension entry point, which is what
** sqlite3_auto_extension() wants (cast to void (*)(void)).  On failure
** *error receives a message to be freed with sqlite3_free(). */
int sqlite3_dynenum_init(sqlite3 *db, char **error, const sqlite3_api_routines *api);

#ifdef __cplusplus
}
#endif

#endif /* DYNENUM_EXTENSION_H */
