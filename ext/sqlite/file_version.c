/*
** sqlite/file_version.c: the proof that lets connections of one process
** share a copy of an enum (docs/SPEC.md section 12): a name for exactly the
** committed state of a database file that a read transaction sees.
**
** The name is the file's identity (device and inode of its path, the
** connection's handle not moved away from it) and bytes 24..43 of its
** header: the file change counter that every transaction changing the
** file increments, in any process, and the schema cookie (the rest is the
** page count and the freelist, which SQLite's pager compares with the
** counter to trust its own page cache).  Read through the connection's own
** file handle while its read transaction holds the SHARED lock, those bytes
** cannot move under the reader.  The counter is only that in rollback-journal
** mode, on the unix VFS, with normal locking: in WAL mode commits need not
** touch it, with exclusive locking SQLite increments it once per lock
** rather than once per transaction, and a shared-cache connection reading
** uncommitted data would see what the counter does not name.  Anything else
** (WAL, memory, temp, a deserialized image, another VFS, a file opened
** with nolock or immutable, a write transaction, a PRAGMA refused by an
** authorizer) gets no name, and the
** connection keeps a copy of its own.
**
** The same handle also reaches the shared memory of a connection in WAL
** mode: dynenum_wal_index_header reads the WAL-index header there, which
** every commit rewrites, for cache.c's freshness check (docs/SPEC.md
** section 2.3.5); it names no shared copy.
*/
#define _POSIX_C_SOURCE 200809L

#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

/* The header bytes read: 18 and 19 (1 for the rollback journal, 2 for
** WAL), then 24 to 43 (change counter, page count, freelist, schema
** cookie). */
#define HEADER_FIRST 18
#define HEADER_BYTES 26
#define VERSION_FIRST (24 - HEADER_FIRST)

/* The one-row answer of PRAGMA "schema".<pragma>, compared with expected
** (ASCII case-insensitively): 1 when it matches, 0 when it does not or the
** PRAGMA could not run. */
static int pragma_is(sqlite3 *db, const char *schema, const char *pragma, const char *expected) {
  sqlite3_stmt *stmt;
  char *sql = sqlite3_mprintf("PRAGMA \"%w\".%s", schema, pragma);
  if (!sql) return 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return 0;
  const char *answer = sqlite3_step(stmt) == SQLITE_ROW ? (const char *)sqlite3_column_text(stmt, 0) : NULL;
  int is = answer && sqlite3_stricmp(answer, expected) == 0;
  sqlite3_finalize(stmt);
  return is;
}

/* The pager's handle of schema's file when SQLite's unix VFS or one of its
** variants opened it (they share one xOpen; a shim named like them, or
** wrapping them, has its own and may store the file otherwise); NULL
** otherwise.  *default_unix says whether the VFS is the default "unix". */
static sqlite3_file *unix_handle(sqlite3 *db, const char *schema, int *default_unix) {
  sqlite3_vfs *vfs = NULL, *unix_vfs = sqlite3_vfs_find("unix");
  sqlite3_file *file = NULL;
  if (sqlite3_file_control(db, schema, SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK || !vfs || !unix_vfs ||
      vfs->xOpen != unix_vfs->xOpen ||
      sqlite3_file_control(db, schema, SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file || !file->pMethods) {
    return NULL;
  }
  *default_unix = vfs == unix_vfs;
  return file;
}

int dynenum_read_file_bytes(sqlite3 *db, const char *schema, void *out, int n, sqlite3_int64 offset,
                            int *default_unix) {
  sqlite3_int64 mmap_limit = -1; /* asks, changes nothing */
  int is_default = 0;
  sqlite3_file *file = unix_handle(db, schema, &is_default);
  if (!file) return 0;
  /* With memory mapping on, a shared-cache sibling committing in another
  ** thread may remap the file while an unlocked read goes through the
  ** mapping; SQLite built without mapping does not answer the question. */
  int rc = sqlite3_file_control(db, schema, SQLITE_FCNTL_MMAP_SIZE, &mmap_limit);
  if (rc == SQLITE_OK ? mmap_limit != 0 : rc != SQLITE_NOTFOUND) return 0;
  if (default_unix) *default_unix = is_default;
  return file->pMethods->xRead(file, out, n, offset) == SQLITE_OK;
}

/* The WAL-index: 32 KiB regions of the -shm file; region 0 opens with two
** copies of a 48-byte header (iVersion, unused, iChange, isInit,
** bigEndCksum, szPage, mxFrame, nPage, frame checksum, salts, header
** checksum: SQLite's walformat.html), isInit at byte 12. */
#define WAL_INDEX_REGION 32768
#define WAL_INDEX_IS_INIT 12

int dynenum_wal_index_header(sqlite3 *db, const char *schema, unsigned char out[DYNENUM_WAL_HEADER_SIZE]) {
  int is_default = 0, lock = -1;
  sqlite3_file *file = unix_handle(db, schema, &is_default), *log = NULL;
  void volatile *region = NULL;
  /* Exactly SHARED on the database file, with no read transaction open: a
  ** connection in WAL mode keeps that lock between transactions, and one
  ** whose WAL-index is heap memory (locking_mode=EXCLUSIVE when the WAL was
  ** opened) holds EXCLUSIVE for good, so its handle has no shared memory,
  ** which xShmMap would then create.  The journal handle is the WAL's only
  ** while the pager has its WAL open (in rollback journal mode it is the
  ** journal's, closed between transactions). */
  if (!file || !is_default || file->pMethods->iVersion < 2 || !file->pMethods->xShmMap ||
      sqlite3_file_control(db, schema, SQLITE_FCNTL_LOCKSTATE, &lock) != SQLITE_OK || lock != SQLITE_LOCK_SHARED ||
      sqlite3_file_control(db, schema, SQLITE_FCNTL_JOURNAL_POINTER, &log) != SQLITE_OK || !log || !log->pMethods) {
    return 0;
  }
  /* Not extending: the region the connection's WAL already mapped, or an
  ** error. */
  if (file->pMethods->xShmMap(file, 0, WAL_INDEX_REGION, 0, &region) != SQLITE_OK || !region) return 0;
  /* As SQLite's readers do: a writer stores the second copy, then the first,
  ** so the first read before the second, equal, is one header written
  ** whole.  Acquire loads keep the second copy's reads after the first's. */
  const volatile _Atomic uint32_t *words = (const volatile _Atomic uint32_t *)region;
  uint32_t first[DYNENUM_WAL_HEADER_SIZE / 4], second[DYNENUM_WAL_HEADER_SIZE / 4];
  for (int i = 0; i < DYNENUM_WAL_HEADER_SIZE / 4; i++) first[i] = atomic_load_explicit(&words[i], memory_order_acquire);
  for (int i = 0; i < DYNENUM_WAL_HEADER_SIZE / 4; i++) {
    second[i] = atomic_load_explicit(&words[DYNENUM_WAL_HEADER_SIZE / 4 + i], memory_order_acquire);
  }
  memcpy(out, first, DYNENUM_WAL_HEADER_SIZE);
  return memcmp(first, second, sizeof first) == 0 && out[WAL_INDEX_IS_INIT] != 0;
}

/* Whether the connection reads schema in a way the change counter names:
** rollback journal, normal locking, committed data only. */
static int counter_names_state(sqlite3 *db, const char *schema) {
  /* PRAGMA journal_mode answers "wal" for a file the pager reads as WAL,
  ** whatever the header says; read_uncommitted only matters in shared
  ** cache, where it lets a reader see another connection's writes. */
  return !pragma_is(db, schema, "journal_mode", "wal") && pragma_is(db, schema, "locking_mode", "normal") &&
         pragma_is(db, schema, "read_uncommitted", "0");
}

/* Device and inode of path, into id (16 bytes); 0 if stat fails. */
static int file_identity(const char *path, unsigned char *id) {
  struct stat st;
  if (stat(path, &st) != 0) return 0;
  sqlite3_uint64 dev = (sqlite3_uint64)st.st_dev, ino = (sqlite3_uint64)st.st_ino;
  memcpy(id, &dev, 8);
  memcpy(id + 8, &ino, 8);
  return 1;
}

int dynenum_shared_key(sqlite3 *db, const char *schema, const char *table, char **key, size_t *n) {
  *key = NULL;
  *n = 0;
  /* Exactly a SHARED lock: a connection back in locking_mode=NORMAL may
  ** still hold the EXCLUSIVE lock under which its commits did not move the
  ** counter (SQLite moves it once per exclusive lock). */
  int lock = -1;
  if (sqlite3_txn_state(db, schema) != SQLITE_TXN_READ ||
      sqlite3_file_control(db, schema, SQLITE_FCNTL_LOCKSTATE, &lock) != SQLITE_OK || lock != SQLITE_LOCK_SHARED) {
    return SQLITE_OK;
  }
  const char *path = sqlite3_db_filename(db, schema);
  /* nolock and immutable take no lock: nothing holds the counter still. */
  if (!path || !*path || sqlite3_uri_boolean(path, "nolock", 0) || sqlite3_uri_boolean(path, "immutable", 0) ||
      !counter_names_state(db, schema)) {
    return SQLITE_OK;
  }
  /* The path's file before and after the handle says it has not moved: a
  ** file renamed over the path in between changes one of the two.  The
  ** default unix VFS only: its variants lock otherwise, or not at all. */
  unsigned char id[16], again[16], header[HEADER_BYTES];
  int moved = 1, default_unix = 0;
  if (!file_identity(path, id) || sqlite3_file_control(db, schema, SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK ||
      moved || !dynenum_read_file_bytes(db, schema, header, HEADER_BYTES, HEADER_FIRST, &default_unix) ||
      !default_unix || !file_identity(path, again) || memcmp(id, again, sizeof id) != 0 || header[0] != 1 ||
      header[1] != 1) {
    return SQLITE_OK;
  }
  /* identity, the version bytes, then the table ASCII lower-cased as SQLite
  ** compares table names (its declared spelling is the cookie's to fix). */
  size_t table_len = strlen(table), version_len = HEADER_BYTES - VERSION_FIRST;
  size_t len = sizeof id + version_len + table_len;
  char *out = sqlite3_malloc64(len + 1);
  if (!out) return SQLITE_NOMEM;
  memcpy(out, id, sizeof id);
  memcpy(out + sizeof id, header + VERSION_FIRST, version_len);
  for (size_t i = 0; i < table_len; i++) {
    char ch = table[i];
    out[sizeof id + version_len + i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
  }
  out[len] = 0;
  *key = out;
  *n = len;
  return SQLITE_OK;
}
