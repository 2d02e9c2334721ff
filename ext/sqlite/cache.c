/*
** sqlite/cache.c: finding a connection's enums in its databases and
** keeping the in-memory copies fresh.
**
** An enum is a virtual table of the dynenum module; its members live in the
** shadow table "<enum>_members"(ordinal INTEGER PRIMARY KEY, name, value),
** which is the truth.  Each connection caches the enums it has used as core
** enums, so that dynenum_resolve() and friends hash-probe memory instead of
** querying the database per row.
**
** Freshness.  A cached enum records the connection's generation (bumped by
** every insert, rollback and DDL this connection makes through the module),
** the schema's file name and its data version (SQLITE_FCNTL_DATA_VERSION,
** which changes whenever a connection commits to the file, this one
** included); each spelling of its name records the same version of each
** schema searched before the enum's own, where a table created later would
** hide it.  When all still match, the copy is current.  Uncommitted changes
** of this connection do not change a data version: the module's own are
** covered by the generation (and, for DDL, by checking the database until
** the transaction ends, since a ROLLBACK TO does not tell the module); a
** table or view of another kind that hides an enum is noticed once its
** transaction commits.  Otherwise the schema cookie tells whether the enum
** may have been dropped or re-created (then it is reloaded whole); if not,
** every row of the members table is read and compared with the copy, which
** appends new members and catches any changed in place.  The functions check
** once per statement (they keep the enum in auxdata), which is what makes a
** member added by another connection visible from this connection's next
** statement.  When SQLite lets go of a schema (deserialize, restore,
** detach), it disconnects the enums' virtual tables, and the whole cache is
** forgotten (enum_disconnect in sqlite/enum_module.c).
**
** The data version is only current inside a read transaction; when the
** calling statement has none open on the enum's schema, a PRAGMA opens one
** for the check.  In rollback journal mode on SQLite's unix VFS it need not
** even run while the file's header on disk is the one it last saw
** (header_unchanged): a read of the header instead of preparing a statement
** and taking and releasing a lock; in WAL mode, while the WAL-index header
** in shared memory is the one recorded at the last PRAGMA (wal_unchanged).
** The PRAGMA is prepared afresh each time, never kept between statements:
** a program may finalize every statement sqlite3_next_stmt() lists before
** it closes the connection (wrappers do), and a kept one would then be
** freed behind the cache's back.
**
** Sharing.  The per-connection facts above sit in an enum_origin, the
** userdata of a memberless carrier in the connection's enums registry,
** beside a reference to the copy itself.  When the file's version can be
** named (sqlite/file_version.c: rollback journal, unix VFS, a read
** transaction), the copy is the one the connections of the process share
** under that name: found published, or built here and published, and
** read-only from then on (docs/SPEC.md section 12).  Otherwise, and for the
** rest of a transaction in which the module writes the enum, the copy is
** this connection's own, brought up to date in place as before.  A copy is
** loaded inside one read transaction (the PRAGMA that reads the versions is
** kept open until the members are read), so that its name is the state it
** was read from.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* Bytes 18..99 of a database file's header: the read and write versions (1
** in rollback journal mode, 2 in WAL mode), the file change counter, the
** size in pages, the freelist, the schema cookie and the rest up to the
** version-valid-for number and the version of SQLite that last wrote it.
** SQLite's pager compares 24..39 to tell whether its page cache is still
** good; the rest costs nothing more to read and only makes a difference
** more likely to be seen. */
#define HEADER_PEEK_OFFSET 18
#define HEADER_PEEK_SIZE 82

/* A schema searched before the enum's own: a table or view of the same name
** created there later would hide the enum, and changing it changes its data
** version. */
typedef struct watched_schema {
  char *name;
  int open;         /* whether it had a pager (temp may have none yet) */
  unsigned version; /* its data version then */
  sqlite3_vfs *vfs;  /* its pager's VFS then (see spelling_fresh) */
  const void *image; /* on memdb, the image it read (see schema_image) */
  /* In rollback journal mode, its file's header as of that version, read
  ** inside the read transaction that confirmed it (confirm_watched), and
  ** the file's name then. */
  int header_known;
  char *file;
  unsigned char header[HEADER_PEEK_SIZE];
} watched_schema;

/* Where a cached enum came from, and the versions it was current at.  One
** per (schema, table): every spelling that names the table shares it, so
** that a statement sees one copy whichever spelling each part of it used. */
typedef struct enum_origin {
  char *schema;          /* as PRAGMA database_list names it */
  char *table;           /* as declared */
  char *file;            /* the schema's file name then ("" in memory) */
  unsigned generation;   /* the connection's generation */
  unsigned data_version; /* SQLITE_FCNTL_DATA_VERSION of the schema */
  int schema_version;    /* PRAGMA schema_version of the schema */
  int superseded;        /* loaded afresh since: spellings must look again */
  const void *image;     /* on memdb, the image the copy was read from (schema_image) */
  /* Last read inside a write transaction of this connection, so perhaps
  ** from rows it wrote into the members table itself, which a ROLLBACK
  ** would take back without telling the module: once the transaction
  ** ends, the copy is read again. */
  int read_while_writing;
  /* Whether the aliases and the retired table were tables when the enum
  ** was loaded (optional_known set): the schema cookie cannot change
  ** without a reload afresh (refresh_enum), so a refresh need not look in
  ** sqlite_schema again. */
  int optional_known;
  int optional_present[2]; /* [SHADOW_ALIASES - 1], [SHADOW_RETIRED - 1] */
  int header_known;        /* header holds the file's header as of the versions */
  unsigned char header[HEADER_PEEK_SIZE];
  /* In WAL mode: the WAL-index header of the state the versions were
  ** confirmed at (see wal_unchanged). */
  int wal_known;
  unsigned char wal_header[DYNENUM_WAL_HEADER_SIZE];
  /* The data version at the last look at the header: while it stays, a file
  ** found in WAL mode (or not on the unix VFS) is not looked at again. */
  int peeked;
  unsigned peeked_version;
  dynenum_enum *members; /* the copy (a reference): published, or this connection's */
  int shared;            /* members is published, hence read-only */
} enum_origin;

/* What one spelling of an enum name (as a function or the module was given
** it) found: the cached enum, and the schemas searched before the enum's
** own, where a table or view created later would take the name.  Kept as
** the userdata of a memberless enum in the connection's spellings
** registry, which is the name-to-object map the core already has. */
typedef struct spelling_origin {
  dynenum_enum *target; /* a reference to the carrier in the enums registry */
  watched_schema *watched;
  int watched_count;
} spelling_origin;

static void free_watched(watched_schema *w, int n) {
  for (int i = 0; i < n; i++) {
    sqlite3_free(w[i].name);
    sqlite3_free(w[i].file);
  }
  sqlite3_free(w);
}

static void origin_free(void *p) {
  enum_origin *o = p;
  if (!o) return;
  dynenum_enum_release(o->members);
  sqlite3_free(o->schema);
  sqlite3_free(o->table);
  sqlite3_free(o->file);
  sqlite3_free(o);
}

static void spelling_free(void *p) {
  spelling_origin *sp = p;
  if (!sp) return;
  dynenum_enum_release(sp->target);
  free_watched(sp->watched, sp->watched_count);
  sqlite3_free(sp);
}

/* ---- Recognising enum tables ------------------------------------------- */

/* A module name is a bare word or a name in any of SQL's quotes. */
static int token_names(const sql_token *t, const char *word) {
  if (!t->quote) return dynenum_sql_token_is(t, word);
  size_t n = strlen(word);
  return t->len == n + 2 && sqlite3_strnicmp(t->start + 1, word, (int)n) == 0;
}

/* The next token of the schema text, which must be the bare word word. */
static int next_is(const char **sql, sql_token *t, const char *word) {
  return dynenum_sql_next_token(sql, SQL_SCHEMA_TEXT, t) && dynenum_sql_token_is(t, word);
}

int dynenum_is_enum_sql(const char *sql) {
  sql_token t;
  if (!sql) return 0;
  if (!next_is(&sql, &t, "create") || !next_is(&sql, &t, "virtual") || !next_is(&sql, &t, "table")) return 0;
  if (!dynenum_sql_next_token(&sql, SQL_SCHEMA_TEXT, &t)) return 0;
  if (dynenum_sql_token_is(&t, "if")) {
    if (!next_is(&sql, &t, "not") || !next_is(&sql, &t, "exists")) return 0;
    if (!dynenum_sql_next_token(&sql, SQL_SCHEMA_TEXT, &t)) return 0;
  }
  /* t is the table name, or its schema followed by '.' and the name. */
  const char *after_name = sql;
  if (dynenum_sql_next_token(&sql, SQL_SCHEMA_TEXT, &t) && t.len == 1 && !t.quote && *t.start == '.') {
    if (!dynenum_sql_next_token(&sql, SQL_SCHEMA_TEXT, &t)) return 0;
  } else {
    sql = after_name;
  }
  if (!next_is(&sql, &t, "using")) return 0;
  return dynenum_sql_next_token(&sql, SQL_SCHEMA_TEXT, &t) && token_names(&t, "dynenum");
}

/* ---- Finding an enum by name ------------------------------------------- */

static char *ascii_lower_copy(const char *s, size_t n) {
  char *copy = sqlite3_malloc64(n + 1);
  if (!copy) return NULL;
  for (size_t i = 0; i < n; i++) copy[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
  copy[n] = 0;
  return copy;
}

/* Appends a copy of name to the NULL-ended array *names of *n names. */
static int push_name(char ***names, int *n, const char *name) {
  char **grown = sqlite3_realloc64(*names, sizeof **names * (size_t)(*n + 2));
  if (!grown) return SQLITE_NOMEM;
  *names = grown;
  grown[*n] = sqlite3_mprintf("%s", name);
  if (!grown[*n]) return SQLITE_NOMEM;
  grown[++*n] = NULL;
  return SQLITE_OK;
}

/* The schemas in the order SQLite searches them for an unqualified table
** name: temp, main, then the attached ones as PRAGMA database_list lists them.
** temp is listed even before the connection has opened it (the PRAGMA
** leaves it out then), so that a temp table or view created later to hide
** the enum is watched for.  The PRAGMA statement, not the table-valued
** pragma_database_list, which after sqlite3_deserialize can still point at
** the schema it replaced.  Returns an sqlite3_malloc'd array of
** sqlite3_malloc'd names, NULL-ended. */
static int list_schemas(sqlite3 *db, char ***out) {
  sqlite3_stmt *stmt;
  char **names = NULL;
  int n = 0, rc = sqlite3_prepare_v2(db, "PRAGMA database_list", -1, &stmt, NULL);
  *out = NULL;
  if (rc != SQLITE_OK) return rc;
  rc = push_name(&names, &n, "temp");
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(stmt, 1);
    rc = !name ? SQLITE_NOMEM : sqlite3_stricmp(name, "temp") == 0 ? SQLITE_OK : push_name(&names, &n, name);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    for (int i = 0; i < n; i++) sqlite3_free(names[i]);
    sqlite3_free(names);
    return rc == SQLITE_ROW ? SQLITE_ERROR : rc;
  }
  *out = names;
  return SQLITE_OK;
}

static void free_schemas(char **names) {
  for (int i = 0; names && names[i]; i++) sqlite3_free(names[i]);
  sqlite3_free(names);
}

/* What a search for an enum found. */
typedef struct location {
  char *schema;     /* where the enum is; NULL when there is none */
  char *table;      /* its declared name; or the table or view that took the name */
  const char *kind; /* "table" or "view" when the name is taken by something not an enum */
  char **searched;  /* the schemas searched before the enum's own (all, if none) */
  int searched_count;
} location;

static void free_location(location *l) {
  sqlite3_free(l->schema);
  sqlite3_free(l->table);
  free_schemas(l->searched);
  memset(l, 0, sizeof *l);
}

/* Looks for the table or view called table (n bytes) in schema: SQLITE_OK with
** its declared name in *found (NULL if there is none), *is_view, and
** *is_enum telling whether it is a dynenum table. */
static int find_table(sqlite3 *db, const char *schema, const char *table, size_t n, char **found, int *is_view,
                      int *is_enum) {
  sqlite3_stmt *stmt;
  char *sql = sqlite3_mprintf("SELECT name, sql, type = 'view' FROM \"%w\".sqlite_schema "
                              "WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE",
                              schema);
  int rc;
  *found = NULL;
  *is_enum = *is_view = 0;
  if (!sql) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_bind_text64(stmt, 1, table, n, SQLITE_STATIC, SQLITE_UTF8);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *is_view = sqlite3_column_int(stmt, 2);
    *is_enum = !*is_view && dynenum_is_enum_sql((const char *)sqlite3_column_text(stmt, 1));
    *found = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(stmt, 0));
    rc = *found ? SQLITE_OK : SQLITE_NOMEM;
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* Resolves name the way SQLite resolves a table name: "schema.table" when
** name starts with the name of an attached schema and a '.', otherwise the
** first schema (temp, main, attached) that has a table or view of that name,
** which must then be a dynenum table.  With a schema given (a virtual table
** asking for itself), name is a table of that schema and nothing else: a
** dot in it separates nothing. */
static int locate_enum(sqlite3 *db, const char *schema, const char *name, size_t n, location *out) {
  char **schemas;
  int rc = list_schemas(db, &schemas);
  memset(out, 0, sizeof *out);
  if (rc != SQLITE_OK) return rc;
  /* The schema given, or the longest schema name that prefixes name, so
  ** that "we.ird.t" finds table t in schema "we.ird". */
  int only = -1;
  size_t prefix = 0;
  for (int i = 0; schemas[i]; i++) {
    size_t len = strlen(schemas[i]);
    if (schema ? sqlite3_stricmp(schemas[i], schema) == 0
               : len < n && name[len] == '.' && len >= prefix && sqlite3_strnicmp(schemas[i], name, (int)len) == 0) {
      only = i;
      prefix = len;
    }
  }
  if (schema && only < 0) { /* detached while its table was open: no enum */
    free_schemas(schemas);
    return SQLITE_OK;
  }
  const char *wanted = schema ? name : only >= 0 ? name + prefix + 1 : name;
  size_t wanted_len = schema ? n : only >= 0 ? n - prefix - 1 : n;
  int i = only >= 0 ? only : 0;
  for (; schemas[i]; i++) {
    int is_view, is_enum;
    char *found;
    rc = find_table(db, schemas[i], wanted, wanted_len, &found, &is_view, &is_enum);
    if (rc != SQLITE_OK) break;
    if (found) { /* the first table or view of that name decides */
      out->table = found;
      if (is_enum) {
        out->schema = sqlite3_mprintf("%s", schemas[i]);
        if (!out->schema) rc = SQLITE_NOMEM;
      } else {
        out->kind = is_view ? "view" : "table";
      }
      break;
    }
    if (only >= 0) break;
  }
  /* Keep the schemas searched before the one that decided. */
  if (only < 0) {
    out->searched_count = i;
    for (int j = i; schemas[j]; j++) sqlite3_free(schemas[j]);
    schemas[i] = NULL;
    out->searched = schemas;
  } else {
    free_schemas(schemas);
  }
  if (rc != SQLITE_OK) free_location(out);
  return rc;
}

static char *no_such_enum(const char *name, size_t n, const location *l) {
  char shown[DYNENUM_QUOTE_SIZE];
  dynenum_quote(shown, sizeof shown, name, n);
  if (l->kind) return sqlite3_mprintf("no such enum: '%s' (it is a %s)", shown, l->kind);
  return sqlite3_mprintf("no such enum: '%s'", shown);
}

/* ---- Versions and loading ---------------------------------------------- */

/* The schema's data version as its pager last saw it: 1 when it has one. */
/* The VFS of schema's pager; NULL when it has none. */
static sqlite3_vfs *schema_vfs(sqlite3 *db, const char *schema) {
  sqlite3_vfs *vfs = NULL;
  return sqlite3_file_control(db, schema, SQLITE_FCNTL_VFS_POINTER, &vfs) == SQLITE_OK ? vfs : NULL;
}

/* Which image a schema on memdb reads: the memory SQLite holds it in,
** NULL off memdb.  sqlite3_deserialize gives the schema a new pager whose
** data version, schema cookie and file name may all be the old one's,
** and while a prepared statement (a statement cache's) holds the enum's
** table SQLite does not disconnect it; the image's memory is the one
** thing that tells.  It is the caller's buffer, allocated while the old
** image still lives, or SQLite's own; it moves too when SQLite enlarges
** it, which only costs a refresh. */
static const void *schema_image(sqlite3 *db, const char *schema) {
  sqlite3_vfs *vfs = schema_vfs(db, schema);
  if (!vfs || !vfs->zName || strcmp(vfs->zName, "memdb") != 0) return NULL;
  return sqlite3_serialize(db, schema, NULL, SQLITE_SERIALIZE_NOCOPY);
}

static int pager_version(sqlite3 *db, const char *schema, unsigned *version) {
  *version = 0;
  return sqlite3_file_control(db, schema, SQLITE_FCNTL_DATA_VERSION, version) == SQLITE_OK;
}

/* Whether the pager's data version of schema is current now.  Only this
** connection writes temp; any other file may have changed since the last
** read transaction, which the calling statement may not have opened. */
static int version_is_current(sqlite3 *db, const char *schema) {
  return sqlite3_stricmp(schema, "temp") == 0 || sqlite3_txn_state(db, schema) > SQLITE_TXN_NONE;
}

/* Reads bytes 18..99 of schema's file header straight from the file, with
** or without a lock: 1 when it could, on a file of SQLite's unix VFS (the
** only one whose bytes on disk are known to be the header SQLite reads)
** in rollback journal mode.  The header is read through the handle the
** connection's pager reads the database through, so it is the file whose
** state SQLite would read, whatever is at its path now: a file renamed over
** the path or deleted is not the pager's concern until the connection opens
** the path again, and not the check's either (comparing the path's device
** and inode, a stat() per statement, would double the check's cost and
** change no answer).  See header_unchanged. */
static int peek_header(sqlite3 *db, const char *schema, unsigned char header[HEADER_PEEK_SIZE]) {
  return dynenum_read_file_bytes(db, schema, header, HEADER_PEEK_SIZE, HEADER_PEEK_OFFSET, NULL) && header[0] == 1 &&
         header[1] == 1;
}

/* Whether schema's file is as it was when o's versions were read, told
** without opening a read transaction.  In rollback journal mode every
** transaction that commits changes the file change counter, and writes
** page 1 before it commits: a commit that ended before this statement
** began has changed the bytes on disk, and one that has not ended may be
** taken to come after this statement.  A file overwritten in place by
** another database is seen as SQLite's pager sees it, by the bytes beside
** the counter (the size in pages, the freelist, the schema cookie) even
** when the counters happen to be equal.  A file switched to WAL mode
** changes the versions, and then this check is not used (WAL commits leave
** the counter alone).  A changed header sends the caller to the PRAGMA,
** which waits for locks as before; so does any doubt (another VFS, a
** failed read). */
static int header_unchanged(sqlite3 *db, const enum_origin *o) {
  unsigned char now[HEADER_PEEK_SIZE];
  return o->header_known && peek_header(db, o->schema, now) && memcmp(now, o->header, sizeof now) == 0;
}

/* Whether schema's file is as it was when o's versions were read, told in
** WAL mode without opening a read transaction.  Every commit writes a new
** WAL-index header into shared memory before it ends, with iChange bumped
** and the frame count and last frame's checksum moved; a WAL started again
** from its first frame has new salts.  (One exception, SQLite's own: a
** WAL-index rebuilt by recovery from an empty WAL has a zeroed header, so
** two such rebuilds look alike; SQLite's pager trusts its page cache on the
** same comparison, so this check is never staler than the connection's own
** reads, tests/wal_header_holes.test.)  So while the header equals the one
** recorded (by read_versions) as the state the versions were read at, a
** read transaction opened now
** would see that state, the pager's data version stays, and the PRAGMA
** would find the copy fresh if the data version is still the copy's
** (still_fresh compares it next).  A connection that has left WAL mode
** since is refused by dynenum_wal_index_header, not mapped anew. */
static int wal_unchanged(sqlite3 *db, const enum_origin *o) {
  unsigned char now[DYNENUM_WAL_HEADER_SIZE];
  return o->wal_known && dynenum_wal_index_header(db, o->schema, now) && memcmp(now, o->wal_header, sizeof now) == 0;
}

/* Whether no other connection shares db's pagers (shared cache): each
** pager's memory is reported whole, not divided among the connections
** using it.  A sibling's read transaction would be the one the PRAGMA
** joins, opened at a state older than the WAL-index header read before. */
static int pagers_unshared(sqlite3 *db) {
  int whole = 0, divided = 0, high = 0;
  return sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_USED, &whole, &high, 0) == SQLITE_OK &&
         sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_USED_SHARED, &divided, &high, 0) == SQLITE_OK &&
         whole == divided;
}

/* Reads o's schema's data version and schema cookie inside a read
** transaction, opening one with the PRAGMA when the caller has none.  The
** PRAGMA is finalized before returning, never left running (a read
** transaction it held open would hide other connections' commits) nor kept
** (see the header comment); except that with pin given, it is handed back
** still on its row, for a caller that loads the enum in that same read
** transaction and finalizes it before it returns. */
static int read_versions(sqlite3 *db, enum_origin *o, unsigned *data_version, int *schema_version,
                         sqlite3_stmt **pin) {
  sqlite3_stmt *stmt;
  char *sql = sqlite3_mprintf("PRAGMA \"%w\".schema_version", o->schema);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  /* In WAL mode the header in shared memory may already be newer than the
  ** snapshot the read transaction takes: read before the PRAGMA opens one
  ** and again after, equal, it is the header of that snapshot.  Not when a
  ** transaction is open already (the caller's, or a shared-cache
  ** sibling's), whose snapshot may be older than both reads. */
  unsigned char before[DYNENUM_WAL_HEADER_SIZE], after[DYNENUM_WAL_HEADER_SIZE];
  /* The header first: outside WAL mode it fails at once, before the two
  ** status calls, which lock every b-tree of the connection. */
  int wal_before = sqlite3_txn_state(db, o->schema) == SQLITE_TXN_NONE &&
                   dynenum_wal_index_header(db, o->schema, before) && pagers_unshared(db);
  o->wal_known = 0;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *schema_version = sqlite3_column_int(stmt, 0);
    /* While the PRAGMA's read transaction is open, the version is current,
    ** and the header on disk is the one that version describes. */
    pager_version(db, o->schema, data_version);
    if (wal_before && dynenum_wal_index_header(db, o->schema, after) && memcmp(before, after, sizeof after) == 0) {
      o->wal_known = 1;
      o->header_known = 0;
      memcpy(o->wal_header, before, sizeof before);
    } else if (o->header_known || !o->peeked || *data_version != o->peeked_version) {
      o->header_known = peek_header(db, o->schema, o->header);
      o->peeked = 1;
      o->peeked_version = *data_version;
    }
    rc = SQLITE_OK;
  }
  if (pin && rc == SQLITE_OK) *pin = stmt;
  else sqlite3_finalize(stmt);
  return rc;
}

/* Takes over l's list of searched schemas as the spelling's watched ones,
** noting their data versions now. */
static int watch_schemas(sqlite3 *db, spelling_origin *o, location *l) {
  watched_schema *w = NULL;
  if (l->searched_count) {
    w = sqlite3_malloc64(sizeof *w * (size_t)l->searched_count);
    if (!w) return SQLITE_NOMEM;
  }
  for (int i = 0; i < l->searched_count; i++) {
    w[i].name = l->searched[i];
    l->searched[i] = NULL;
    w[i].open = pager_version(db, w[i].name, &w[i].version);
    w[i].vfs = schema_vfs(db, w[i].name);
    w[i].image = schema_image(db, w[i].name);
    w[i].header_known = 0;
    w[i].file = NULL;
  }
  free_watched(o->watched, o->watched_count);
  o->watched = w;
  o->watched_count = l->searched_count;
  l->searched_count = 0;
  return SQLITE_OK;
}

/* What the fast check can say. */
#define FRESH 1
#define STALE 0
#define UNKNOWN (-1) /* a schema's version is not current: no read transaction */

/* The fast check of an enum: FRESH when neither this connection nor any
** other has changed the enum's schema since the enum was last brought up to
** date.  With own_transaction set the caller holds a read transaction on
** the enum's schema. */
static int still_fresh(dynenum_connection *c, const enum_origin *o, int own_transaction) {
  unsigned version;
  if (o->superseded || o->generation != c->generation) return STALE;
  /* Not sqlite3_get_autocommit(): an autocommit INSERT holds its write
  ** transaction while it runs, and must not read the copy again per row. */
  if (o->read_while_writing && sqlite3_txn_state(c->db, o->schema) != SQLITE_TXN_WRITE) return STALE;
  /* DDL of the module in an open transaction: a ROLLBACK TO may undo it. */
  if (c->ddl_in_transaction) {
    if (!sqlite3_get_autocommit(c->db)) return STALE;
    c->ddl_in_transaction = 0;
  }
  /* After DETACH and ATTACH of another file under the same schema name, the
  ** new pager's data version may well equal the old one's. */
  const char *file = sqlite3_db_filename(c->db, o->schema);
  if (!file || strcmp(file, o->file) != 0 || schema_image(c->db, o->schema) != o->image) return STALE;
  /* In an explicit transaction the PRAGMA opens the read transaction that
  ** keeps every later statement of it on the same state; the header alone
  ** would let another connection commit in between. */
  if (!own_transaction && !version_is_current(c->db, o->schema) &&
      !(sqlite3_get_autocommit(c->db) && (header_unchanged(c->db, o) || wal_unchanged(c->db, o)))) {
    return UNKNOWN;
  }
  if (!pager_version(c->db, o->schema, &version) || version != o->data_version) return STALE;
  return FRESH;
}

/* Whether watched schema w's file is as it was when its version was
** confirmed, told without opening a read transaction (as header_unchanged
** tells for the enum's own schema). */
static int watched_header_unchanged(sqlite3 *db, const watched_schema *w) {
  unsigned char now[HEADER_PEEK_SIZE];
  const char *file = sqlite3_db_filename(db, w->name);
  return w->header_known && sqlite3_get_autocommit(db) && file && strcmp(file, w->file) == 0 &&
         peek_header(db, w->name, now) && memcmp(now, w->header, sizeof now) == 0;
}

/* The fast check of a spelling: FRESH when no schema searched before the
** enum's own has changed, so the spelling still names the same table. */
static int spelling_fresh(dynenum_connection *c, const spelling_origin *sp) {
  unsigned version;
  int verdict = FRESH;
  for (int i = 0; i < sp->watched_count; i++) {
    const watched_schema *w = &sp->watched[i];
    int open = pager_version(c->db, w->name, &version);
    if (open != w->open) return STALE;
    if (!open) continue;
    /* sqlite3_deserialize gives a schema a new pager on "memdb" whose data
    ** version may well equal the old one's, and disconnects no enum of
    ** another schema: a schema moved to another VFS, or to another image,
    ** has been replaced (tests/watched_holes.test 1). */
    if (schema_vfs(c->db, w->name) != w->vfs || schema_image(c->db, w->name) != w->image) return STALE;
    /* A moved version is a commit seen since, current or not. */
    if (version != w->version) return STALE;
    if (!version_is_current(c->db, w->name) && !watched_header_unchanged(c->db, w)) verdict = UNKNOWN;
  }
  return verdict;
}

/* When the fast check of a spelling could not tell for want of a read
** transaction on a watched schema (an enum of an attached schema named
** without it: main is searched first, and a statement that reads no table
** of main has none there), reading each such schema's version in a read
** transaction of its own tells, as confirm_fresh does for the enum's own
** schema; and notes the header the version was read at, so that the next
** statement can tell without a PRAGMA while the file stays as it was. */
static int confirm_watched(dynenum_connection *c, spelling_origin *sp) {
  for (int i = 0; i < sp->watched_count; i++) {
    watched_schema *w = &sp->watched[i];
    unsigned version;
    if (!w->open || version_is_current(c->db, w->name)) continue;
    /* Only main, which is never detached: another schema may have been
    ** detached and another file attached in its place, whose new pager's
    ** data version may equal the old one's (tests/watched_holes.test 3.4),
    ** and a statement holding the enum's table keeps SQLite from telling
    ** the module.  Such a spelling is located again. */
    if (sqlite3_stricmp(w->name, "main") != 0) return STALE;
    sqlite3_stmt *stmt;
    char *sql = sqlite3_mprintf("PRAGMA \"%w\".schema_version", w->name);
    if (!sql) return STALE;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &stmt, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return STALE;
    int fresh = sqlite3_step(stmt) == SQLITE_ROW && pager_version(c->db, w->name, &version) && version == w->version;
    if (fresh) {
      const char *file = sqlite3_db_filename(c->db, w->name);
      sqlite3_free(w->file);
      w->file = file ? sqlite3_mprintf("%s", file) : NULL;
      w->header_known = w->file && peek_header(c->db, w->name, w->header);
    }
    sqlite3_finalize(stmt);
    if (!fresh) return STALE;
  }
  return FRESH;
}

/* When the fast check could not tell for want of a read transaction on the
** enum's schema (a statement that reads no table of it, like SELECT
** dynenum_resolve('e', ?)), reading the versions opens one, and with the
** version it saw the check can tell: far cheaper than locating and reading
** the enum again. */
static int confirm_fresh(dynenum_connection *c, enum_origin *o) {
  unsigned data_version;
  int schema_version;
  return read_versions(c->db, o, &data_version, &schema_version, NULL) == SQLITE_OK &&
         schema_version == o->schema_version && still_fresh(c, o, 1) == FRESH;
}

/* The result of load_members: up to date, an error, or changed under us. */
#define LOAD_RELOAD (-1)
/* load_enum's: the caller answers lazily (SPEC section 12.6). */
#define LOAD_LAZY (-2)

/* Whether row i of stmt (ordinal, name, value) is exactly member m. */
static int row_is_member(sqlite3_stmt *stmt, const dynenum_member *m) {
  return sqlite3_column_type(stmt, 0) == SQLITE_INTEGER && sqlite3_column_int64(stmt, 0) == m->ordinal &&
         sqlite3_column_type(stmt, 1) == SQLITE_TEXT &&
         sqlite3_column_type(stmt, 2) == SQLITE_TEXT && (size_t)sqlite3_column_bytes(stmt, 1) == m->name_len &&
         (size_t)sqlite3_column_bytes(stmt, 2) == m->value_len &&
         memcmp(sqlite3_column_text(stmt, 1), m->name, m->name_len) == 0 &&
         memcmp(sqlite3_column_text(stmt, 2), m->value, m->value_len) == 0;
}

/* What a stored row the core refused (added, not DYNENUM_OK) makes of a
** load: SQLITE_NOMEM, or SQLITE_CORRUPT with *error naming the enum. */
static int refused_row(dynenum_enum *e, int added, const dynenum_error *err, char **error) {
  if (added == DYNENUM_NOMEM) return SQLITE_NOMEM;
  *error = sqlite3_mprintf("enum '%s' is corrupt: %s", dynenum_enum_label(e), err->message);
  return *error ? SQLITE_CORRUPT : SQLITE_NOMEM;
}

/* Prepares the SELECT of an optional shadow table: SQLITE_OK with *stmt
** NULL when the module has no such table (none, or one in the way: an
** application's table of that name is not the enum's, SPEC section 11.5). */
static int prepare_optional(sqlite3 *db, enum_origin *o, shadow_table which, members_statement select,
                            sqlite3_stmt **stmt) {
  int *present = &o->optional_present[which - 1], rc = SQLITE_OK;
  *stmt = NULL;
  if (!o->optional_known) {
    shadow_holder holder;
    const char *kind;
    rc = dynenum_optional_holder(db, o->schema, o->table, which, &holder, &kind);
    if (rc != SQLITE_OK) return rc;
    *present = holder == SHADOW_OURS;
  }
  if (!*present) return SQLITE_OK;
  return dynenum_members_prepare(db, select, o->schema, o->table, stmt);
}

/* "enum 'E' is corrupt: <what> names no member (ordinal N)", with an ordinal
** that is no integer shown as what it is (text 'x', real 1.5, NULL). */
static int names_no_member(dynenum_enum *e, const char *what, sqlite3_stmt *stmt, int column, char **error) {
  sqlite3_value *v = sqlite3_column_value(stmt, column);
  char *shown = sqlite3_value_type(v) == SQLITE_INTEGER ? sqlite3_mprintf("%lld", sqlite3_value_int64(v))
                                                         : dynenum_show_value(v);
  if (!shown) return SQLITE_NOMEM;
  *error = sqlite3_mprintf("enum '%s' is corrupt: %s names no member (ordinal %s)", dynenum_enum_label(e), what, shown);
  sqlite3_free(shown);
  return *error ? SQLITE_CORRUPT : SQLITE_NOMEM;
}

/* The member with that ordinal, or NULL. */
static const dynenum_member *member_at(dynenum_enum *e, sqlite3_stmt *stmt, int column) {
  sqlite3_int64 ordinal = sqlite3_column_int64(stmt, column);
  if (sqlite3_column_type(stmt, column) != SQLITE_INTEGER || ordinal < 1 ||
      (size_t)ordinal > dynenum_enum_size(e)) {
    return NULL;
  }
  return dynenum_enum_member(e, (size_t)ordinal - 1);
}

/* Brings e's aliases up to date with its aliases table, as load_members does
** its members: the known ones must come back as they were, in order, and
** the rest are added through the core's rules. */
static int load_aliases(sqlite3 *db, dynenum_enum *e, enum_origin *o, char **error) {
  sqlite3_stmt *stmt;
  size_t known = dynenum_enum_alias_count(e), seen = 0;
  int rc = prepare_optional(db, o, SHADOW_ALIASES, ALIASES_SELECT, &stmt);
  if (rc != SQLITE_OK) return rc;
  if (!stmt) return known ? LOAD_RELOAD : SQLITE_OK;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const dynenum_member *m = member_at(e, stmt, 1);
    /* The type first: sqlite3_column_text converts a blob in place. */
    if (m && sqlite3_column_type(stmt, 0) != SQLITE_TEXT) {
      char *what = dynenum_describe_value(sqlite3_column_value(stmt, 0));
      *error = what ? sqlite3_mprintf("enum '%s' is corrupt: an alias's name is %s, not text (ordinal %lld)",
                                      dynenum_enum_label(e), what, (long long)m->ordinal)
                    : NULL;
      sqlite3_free(what);
      rc = *error ? SQLITE_CORRUPT : SQLITE_NOMEM;
      break;
    }
    const char *name = (const char *)sqlite3_column_text(stmt, 0);
    size_t name_len = (size_t)sqlite3_column_bytes(stmt, 0);
    if (!name && m) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (!m) {
      rc = names_no_member(e, "an alias", stmt, 1, error);
      break;
    }
    if (seen < known) {
      const dynenum_alias *a = dynenum_enum_alias(e, seen++);
      if (a->member != m || a->name_len != name_len || memcmp(a->name, name, name_len) != 0) {
        rc = LOAD_RELOAD;
        break;
      }
      continue;
    }
    dynenum_error err;
    int added = dynenum_enum_add_alias(e, name, name_len, m->name, m->name_len, NULL, &err);
    if (added != DYNENUM_OK) {
      rc = refused_row(e, added, &err, error);
      break;
    }
  }
  if (rc == SQLITE_DONE) rc = seen < known ? LOAD_RELOAD : SQLITE_OK;
  sqlite3_finalize(stmt);
  return rc;
}

/* Sets every member's retired flag from the retired table (none without
** one): the one thing of an enum that changes in place, so it is read
** whole each time. */
static int load_retired(sqlite3 *db, dynenum_enum *e, enum_origin *o, char **error) {
  sqlite3_stmt *stmt;
  size_t count = dynenum_enum_size(e), next = 0;
  int rc = prepare_optional(db, o, SHADOW_RETIRED, RETIRED_SELECT, &stmt);
  if (rc != SQLITE_OK) return rc;
  /* The ordinals come in order: members between two are not retired. */
  while (stmt && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const dynenum_member *m = member_at(e, stmt, 0);
    if (!m) {
      rc = names_no_member(e, "a retired ordinal", stmt, 0, error);
      break;
    }
    while (next + 1 < (size_t)m->ordinal) dynenum_enum_set_retired(e, dynenum_enum_member(e, next++), 0);
    dynenum_enum_set_retired(e, m, 1);
    next = (size_t)m->ordinal;
  }
  if (!stmt || rc == SQLITE_DONE) {
    while (next < count) dynenum_enum_set_retired(e, dynenum_enum_member(e, next++), 0);
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* Brings e up to date with its members table by reading every row: the
** members e knows must still be there, each exactly as it was, and the rows
** after them are appended (checked by the core as any new member is).
** Reading all of it is what catches a member another program changed or
** removed in place: nothing cheaper says which table a commit touched.
** Returns LOAD_RELOAD when a known member is no longer as it was (then only
** loading afresh can say whether the table is corrupt or just different),
** SQLITE_CORRUPT with *error for a row no enum may hold. */
static int load_members(sqlite3 *db, dynenum_enum *e, enum_origin *o, char **error) {
  sqlite3_stmt *stmt;
  size_t known = dynenum_enum_size(e), seen = 0;
  int rc = dynenum_check_members_table(db, o->schema, o->table, error);
  if (rc != SQLITE_OK) return rc;
  rc = dynenum_members_prepare(db, MEMBERS_SELECT, o->schema, o->table, &stmt);
  if (rc != SQLITE_OK) {
    if (rc == SQLITE_NOMEM) return rc;
    *error = dynenum_cannot_read(db, dynenum_enum_label(e), NULL);
    return *error ? rc : SQLITE_NOMEM;
  }
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (seen < known) {
      if (!row_is_member(stmt, dynenum_enum_member(e, seen++))) {
        rc = LOAD_RELOAD;
        break;
      }
      continue;
    }
    sqlite3_int64 ordinal = sqlite3_column_int64(stmt, 0);
    if (sqlite3_column_type(stmt, 0) != SQLITE_INTEGER || sqlite3_column_type(stmt, 1) != SQLITE_TEXT ||
        sqlite3_column_type(stmt, 2) != SQLITE_TEXT || ordinal != (sqlite3_int64)dynenum_enum_size(e) + 1) {
      *error = sqlite3_mprintf("enum '%s' is corrupt: member with ordinal %lld is malformed or out of order",
                               dynenum_enum_label(e), ordinal);
      rc = SQLITE_CORRUPT;
      break;
    }
    dynenum_error err;
    const char *name = (const char *)sqlite3_column_text(stmt, 1);
    int name_len = sqlite3_column_bytes(stmt, 1);
    const char *value = (const char *)sqlite3_column_text(stmt, 2);
    int value_len = sqlite3_column_bytes(stmt, 2);
    int added = dynenum_enum_add(e, name, (size_t)name_len, value, (size_t)value_len, NULL, &err);
    if (added != DYNENUM_OK) {
      rc = refused_row(e, added, &err, error);
      break;
    }
  }
  if (rc == SQLITE_DONE) rc = seen < known ? LOAD_RELOAD : SQLITE_OK; /* known members gone */
  sqlite3_finalize(stmt);
  stmt = NULL;
  if (rc == SQLITE_OK) rc = load_aliases(db, e, o, error);
  if (rc == SQLITE_OK) rc = load_retired(db, e, o, error);
  if (rc == SQLITE_OK) {
    o->optional_known = 1;
    o->read_while_writing = sqlite3_txn_state(db, o->schema) == SQLITE_TXN_WRITE;
  }
  if (rc != SQLITE_OK && rc != LOAD_RELOAD && !*error && rc != SQLITE_NOMEM) {
    *error = dynenum_cannot_read(db, dynenum_enum_label(e), NULL);
  }
  sqlite3_finalize(stmt);
  return rc;
}

int dynenum_verify_enum(sqlite3 *db, const char *schema, const char *table, char **error) {
  dynenum_enum *scratch;
  enum_origin o;
  memset(&o, 0, sizeof o);
  o.schema = (char *)schema;
  o.table = (char *)table;
  if (dynenum_enum_new(&dynenum_sqlite_config, table, strlen(table), &scratch) != DYNENUM_OK) return SQLITE_NOMEM;
  dynenum_enum_set_label(scratch, table, strlen(table));
  int rc = load_members(db, scratch, &o, error);
  dynenum_enum_release(scratch);
  return rc;
}

/* Makes SQLite connect the enum's virtual table, so that it disconnects it,
** and the cache forgets the enum, when that schema goes away (see
** enum_disconnect).  Preparing a statement that names the table is enough.
** Only running out of memory is an error: the table may be in the file and
** not yet in the connection's copy of the schema (a .dump being replayed
** writes it into sqlite_schema directly), and the enum must still work. */
static int connect_table(sqlite3 *db, const char *schema, const char *table) {
  sqlite3_stmt *stmt;
  char *sql = sqlite3_mprintf("SELECT 0 FROM \"%w\".\"%w\" WHERE 0", schema, table);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  sqlite3_free(sql);
  sqlite3_finalize(stmt);
  return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
}

/* Makes e (a reference, taken over) o's copy. */
static void set_copy(enum_origin *o, dynenum_enum *e, int shared) {
  dynenum_enum_release(o->members);
  o->members = e;
  o->shared = shared;
}

/* Publishes o's own copy, complete and current in the caller's read
** transaction, under the shared key (k bytes): from then on it is read-only.
** If another connection published that version meanwhile, o takes that copy
** instead; if publishing fails (no memory, a lock), o keeps its own. */
static void publish_copy(enum_origin *o, const char *shared_key, size_t k) {
  dynenum_enum *published;
  int rc = dynenum_enum_publish(o->members, shared_key, k, &published);
  if (rc == DYNENUM_OK || rc == DYNENUM_EXISTS) set_copy(o, published, 1);
}

/* Whether this connection may read what a load of its own would read:
** prepares (without running) the statements load_members would, so that
** the connection's authorizer and limits have their say before it takes a
** copy another connection read.  Fails as such a load fails. */
static int may_read_rows(sqlite3 *db, enum_origin *o, dynenum_enum *e, char **error) {
  static const struct {
    shadow_table which;
    members_statement select;
  } optional[] = {{SHADOW_ALIASES, ALIASES_SELECT}, {SHADOW_RETIRED, RETIRED_SELECT}};
  sqlite3_stmt *stmt = NULL;
  int rc = dynenum_check_members_table(db, o->schema, o->table, error);
  if (rc == SQLITE_OK) rc = dynenum_members_prepare(db, MEMBERS_SELECT, o->schema, o->table, &stmt);
  sqlite3_finalize(stmt);
  o->optional_known = 0;
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof optional / sizeof optional[0]; i++) {
    stmt = NULL;
    rc = prepare_optional(db, o, optional[i].which, optional[i].select, &stmt);
    sqlite3_finalize(stmt);
  }
  if (rc == SQLITE_OK) {
    o->optional_known = 1;
  } else if (rc != SQLITE_NOMEM && !*error) {
    *error = dynenum_cannot_read(db, dynenum_enum_label(e), NULL);
    if (!*error) rc = SQLITE_NOMEM;
  }
  return rc;
}

/* Gives o a copy read whole in the caller's read transaction: with a
** shared key (k bytes), the copy published under it if there is one, else
** one built here and published; without, one of this connection's own.
** Either is named table_key, so that dynenum_connection_carrier finds its
** carrier. */
static int build_copy(dynenum_connection *c, enum_origin *o, const char *shared_key, size_t k, const char *table_key,
                      size_t table_key_len, char **error) {
  dynenum_enum *e, *published;
  if (shared_key && dynenum_enum_find_published(shared_key, k, &published) == DYNENUM_OK) {
    int rc = may_read_rows(c->db, o, published, error);
    if (rc == SQLITE_OK) set_copy(o, published, 1);
    else dynenum_enum_release(published);
    return rc;
  }
  if (dynenum_enum_new(&dynenum_sqlite_config, table_key, table_key_len, &e) != DYNENUM_OK) return SQLITE_NOMEM;
  dynenum_enum_set_label(e, o->table, strlen(o->table));
  o->optional_known = 0;
  int rc = load_members(c->db, e, o, error);
  if (rc != SQLITE_OK) {
    dynenum_enum_release(e);
    return rc;
  }
  set_copy(o, e, 0);
  if (shared_key) publish_copy(o, shared_key, k);
  return SQLITE_OK;
}

/* Loads the enum that l located afresh: records the versions, reads every
** member (or finds them published), and puts its carrier in the cache under
** key. */
static int start_lazy(dynenum_connection *c, const enum_origin *o, const char *key, size_t n, dynenum_lazy **lazy);

static int load_enum(dynenum_connection *c, location *l, const char *key, size_t n, dynenum_enum **out,
                     dynenum_lazy **lazy, char **error) {
  dynenum_enum *carrier = NULL;
  dynenum_error err;
  sqlite3_stmt *pin = NULL;
  char *shared_key = NULL;
  size_t k = 0;
  enum_origin *o = sqlite3_malloc64(sizeof *o);
  int rc;
  if (!o) return SQLITE_NOMEM;
  memset(o, 0, sizeof *o);
  o->schema = l->schema;
  o->table = l->table;
  l->schema = l->table = NULL;
  rc = connect_table(c->db, o->schema, o->table);
  if (rc == SQLITE_OK) rc = read_versions(c->db, o, &o->data_version, &o->schema_version, &pin);
  if (rc == SQLITE_OK) {
    const char *file = sqlite3_db_filename(c->db, o->schema);
    o->file = sqlite3_mprintf("%s", file ? file : "");
    o->image = schema_image(c->db, o->schema);
    if (!o->file) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) rc = dynenum_shared_key(c->db, o->schema, o->table, &shared_key, &k);
  /* Nothing but the rows would give the copy: a caller that can answer
  ** from the key table does so instead (start_lazy says whether). */
  if (rc == SQLITE_OK && lazy) {
    dynenum_enum *published = NULL;
    int found = shared_key && dynenum_enum_find_published(shared_key, k, &published) == DYNENUM_OK;
    dynenum_enum_release(published);
    if (!found) rc = start_lazy(c, o, key, n, lazy);
    if (rc == SQLITE_OK && *lazy) rc = LOAD_LAZY;
  }
  if (rc != SQLITE_OK) {
    sqlite3_finalize(pin);
    sqlite3_free(shared_key);
    origin_free(o);
    return rc == LOAD_LAZY ? SQLITE_OK : rc;
  }
  o->generation = c->generation;
  rc = dynenum_enum_define(c->enums, key, n, 1, &carrier, &err);
  if (rc != DYNENUM_OK) {
    sqlite3_finalize(pin);
    sqlite3_free(shared_key);
    origin_free(o);
    return rc == DYNENUM_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
  }
  dynenum_enum_set_userdata(carrier, o, origin_free);
  rc = build_copy(c, o, shared_key, k, key, n, error);
  sqlite3_finalize(pin);
  sqlite3_free(shared_key);
  if (rc != SQLITE_OK) {
    dynenum_enum_drop(c->enums, key, n);
    dynenum_enum_release(carrier);
    return rc == LOAD_RELOAD ? SQLITE_ERROR : rc;
  }
  *out = carrier;
  return SQLITE_OK;
}

/* Brings the cached enum (its carrier) up to date when it is still the enum
** that l located: SQLITE_OK, or LOAD_RELOAD when it must be loaded afresh.
** A published copy is never changed: the version now names another one
** (found or built), or, when it cannot be named, the connection reads a
** copy of its own. */
static int refresh_enum(dynenum_connection *c, dynenum_enum *carrier, location *l, const char *table_key,
                        size_t table_key_len, char **error) {
  enum_origin *o = dynenum_enum_userdata(carrier);
  unsigned data_version;
  int schema_version;
  sqlite3_stmt *pin = NULL;
  char *shared_key = NULL;
  size_t k = 0;
  const char *file = sqlite3_db_filename(c->db, o->schema);
  if (!l->schema || strcmp(l->schema, o->schema) != 0 || strcmp(l->table, o->table) != 0 || !file ||
      strcmp(file, o->file) != 0) {
    return LOAD_RELOAD;
  }
  int rc = read_versions(c->db, o, &data_version, &schema_version, &pin);
  const void *image = schema_image(c->db, o->schema); /* inside the read transaction: the rows' */
  if (rc == SQLITE_OK && schema_version != o->schema_version) rc = LOAD_RELOAD; /* perhaps dropped and re-created */
  if (rc == SQLITE_OK) rc = dynenum_shared_key(c->db, o->schema, o->table, &shared_key, &k);
  /* A copy of the connection's own (after its own commit, say) is brought
  ** up to date in place and then published, unless that version already
  ** is; a published one is replaced. */
  dynenum_enum *published;
  if (rc == SQLITE_OK && shared_key && dynenum_enum_find_published(shared_key, k, &published) == DYNENUM_OK) {
    rc = may_read_rows(c->db, o, published, error);
    if (rc == SQLITE_OK) set_copy(o, published, 1);
    else dynenum_enum_release(published);
  } else if (rc == SQLITE_OK && o->shared) {
    rc = build_copy(c, o, shared_key, k, table_key, table_key_len, error);
  } else if (rc == SQLITE_OK) {
    rc = load_members(c->db, o->members, o, error);
    if (rc == SQLITE_OK && shared_key) publish_copy(o, shared_key, k);
  }
  sqlite3_finalize(pin);
  sqlite3_free(shared_key);
  if (rc != SQLITE_OK) return rc;
  o->generation = c->generation;
  o->data_version = data_version;
  o->image = image;
  return SQLITE_OK;
}

/* The key of the enum schema.table in the connection's enums registry:
** schema, a NUL, and the table name ASCII lower-cased, as SQLite compares
** table names. */
static char *enum_key(const char *schema, const char *table, size_t *n) {
  size_t schema_len = strlen(schema), table_len = strlen(table);
  char *key = sqlite3_malloc64(schema_len + 1 + table_len + 1);
  if (!key) return NULL;
  memcpy(key, schema, schema_len + 1);
  for (size_t i = 0; i < table_len; i++) {
    char ch = table[i];
    key[schema_len + 1 + i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
  }
  *n = schema_len + 1 + table_len;
  key[*n] = 0;
  return key;
}

/* Whether the copy of o is current by the fast check alone, and the table
** l located is o's.  Not
** in a write transaction on its schema, whose rows written straight into
** the members table no version tells of: a spelling met there for the
** first time reads them, as it always has. */
static int origin_fresh(dynenum_connection *c, enum_origin *o, const location *l) {
  if (strcmp(l->schema, o->schema) != 0 || strcmp(l->table, o->table) != 0 ||
      sqlite3_txn_state(c->db, o->schema) == SQLITE_TXN_WRITE) {
    return 0;
  }
  /* Without confirming an unknown verdict: refresh_enum's own PRAGMA
  ** reads the versions then, and one more would be a PRAGMA for nothing. */
  return still_fresh(c, o, 0) == FRESH;
}

/* The cached enum that the spelling (lower-cased in key) names, when the
** fast checks say both are current; NULL otherwise. */
static dynenum_enum *cached_enum(dynenum_connection *c, const char *key, size_t n) {
  dynenum_enum *carrier;
  if (dynenum_enum_get(c->spellings, key, n, &carrier) != DYNENUM_OK) return NULL;
  spelling_origin *sp = dynenum_enum_userdata(carrier);
  dynenum_enum *e = NULL;
  enum_origin *o = dynenum_enum_userdata(sp->target);
  int spelling = spelling_fresh(c, sp);
  int fresh = spelling == STALE ? STALE : still_fresh(c, o, 0);
  if (fresh == UNKNOWN) fresh = confirm_fresh(c, o) ? FRESH : STALE;
  if (fresh == FRESH && spelling == UNKNOWN) fresh = confirm_watched(c, sp);
  if (fresh == FRESH) {
    e = ((const enum_origin *)dynenum_enum_userdata(sp->target))->members;
    dynenum_enum_retain(e);
  }
  dynenum_enum_release(carrier);
  return e;
}

/* Records that the spelling (lower-cased in key) names the carrier e, as l
** found it. */
static int remember_spelling(dynenum_connection *c, const char *key, size_t n, dynenum_enum *e, location *l) {
  dynenum_enum *carrier;
  dynenum_error err;
  spelling_origin *sp = sqlite3_malloc64(sizeof *sp);
  if (!sp) return SQLITE_NOMEM;
  memset(sp, 0, sizeof *sp);
  int rc = watch_schemas(c->db, sp, l);
  if (rc != SQLITE_OK) {
    spelling_free(sp);
    return rc;
  }
  if (dynenum_enum_define(c->spellings, key, n, 1, &carrier, &err) != DYNENUM_OK) {
    spelling_free(sp);
    return SQLITE_NOMEM;
  }
  dynenum_enum_retain(e);
  sp->target = e;
  dynenum_enum_set_userdata(carrier, sp, spelling_free);
  dynenum_enum_release(carrier);
  return SQLITE_OK;
}

/* The enum name (n bytes) names, in schema when schema is not NULL; key (k
** bytes, owned by the caller) is the spelling's key in c->spellings. */
static int find_enum(dynenum_connection *c, const char *schema, const char *name, size_t n, const char *key, size_t k,
                     int verify, dynenum_enum **out, dynenum_lazy **lazy, char **error) {
  dynenum_enum *e = NULL, *carrier = NULL;
  location l;
  char *table_key = NULL;
  size_t table_key_len = 0;
  int rc;
  *out = NULL;
  *error = NULL;
  if (!verify && (*out = cached_enum(c, key, k)) != NULL) return SQLITE_OK;
  rc = locate_enum(c->db, schema, name, n, &l);
  if (rc == SQLITE_OK && !l.schema) {
    *error = no_such_enum(name, n, &l);
    rc = *error ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) {
    table_key = enum_key(l.schema, l.table, &table_key_len);
    if (!table_key) rc = SQLITE_NOMEM;
  }
  /* Another spelling may have cached the same table: share its copy. */
  if (rc == SQLITE_OK && dynenum_enum_get(c->enums, table_key, table_key_len, &e) == DYNENUM_OK) {
    /* Only the spelling was in doubt (a commit to a schema searched before
    ** the enum's own, which did not take the name): the copy is still the
    ** file's, as the fast check tells. */
    enum_origin *eo = dynenum_enum_userdata(e);
    int fresh = !verify && origin_fresh(c, eo, &l);
    /* A published copy is never refreshed in place: for a caller that can
    ** answer lazily, load_enum takes the version's published copy, answers
    ** from the key table, or builds a copy, as refresh_enum would do but
    ** the second (SPEC section 12.6). */
    if (!fresh && lazy && eo->shared) rc = LOAD_RELOAD;
    else rc = fresh ? SQLITE_OK : refresh_enum(c, e, &l, table_key, table_key_len, error);
    if (rc == SQLITE_OK) {
      carrier = e;
      e = NULL;
    } else if (rc == LOAD_RELOAD || rc == SQLITE_CORRUPT) {
      /* Gone, re-created or changed in place: start over. */
      ((enum_origin *)dynenum_enum_userdata(e))->superseded = 1;
      sqlite3_free(*error);
      *error = NULL;
      rc = SQLITE_OK;
    }
  }
  if (rc == SQLITE_OK && !carrier) rc = load_enum(c, &l, table_key, table_key_len, &carrier, lazy, error);
  if (rc == SQLITE_OK && !carrier) {
    /* Answering lazily: a copy cached before is let go of, not kept alive. */
    dynenum_enum_drop(c->enums, table_key, table_key_len);
    dynenum_enum_drop(c->spellings, key, k);
  }
  if (rc == SQLITE_OK && carrier) rc = remember_spelling(c, key, k, carrier, &l);
  if (rc == SQLITE_OK && carrier) {
    *out = ((enum_origin *)dynenum_enum_userdata(carrier))->members;
    dynenum_enum_retain(*out);
  }
  dynenum_enum_release(carrier);
  /* Whatever SQLite refused along the way (an authorizer denying the
  ** PRAGMAs read above, a lowered length limit, a damaged file), the error
  ** names the enum and says what SQLite said. */
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM && !*error) {
    char shown[DYNENUM_QUOTE_SIZE];
    dynenum_quote(shown, sizeof shown, name, n);
    *error = dynenum_cannot_read(c->db, shown,
                                 rc == SQLITE_AUTH ? " (dynenum reads the schema with PRAGMA database_list and schema_version)"
                                                   : NULL);
  }
  dynenum_enum_release(e);
  free_location(&l);
  sqlite3_free(table_key);
  return rc;
}

int dynenum_connection_enum(dynenum_connection *c, const char *name, size_t n, int verify, dynenum_enum **out,
                            char **error) {
  char *key = ascii_lower_copy(name, n);
  *out = NULL;
  *error = NULL;
  if (!key) return SQLITE_NOMEM;
  int rc = find_enum(c, NULL, name, n, key, n, verify, out, NULL, error);
  sqlite3_free(key);
  return rc;
}

int dynenum_connection_enum_lazily(dynenum_connection *c, const char *name, size_t n, dynenum_enum **out,
                                   dynenum_lazy **lazy, char **error) {
  char *key = ascii_lower_copy(name, n);
  *out = NULL;
  *lazy = NULL;
  *error = NULL;
  if (!key) return SQLITE_NOMEM;
  int rc = find_enum(c, NULL, name, n, key, n, 0, out, lazy, error);
  sqlite3_free(key);
  return rc;
}

/* A virtual table asks for itself by schema and table, never by one string
** "schema.table": in a connection with a schema "main.x", main's table
** "x.e" and that schema's table "e" would both be spelled "main.x.e".  Its
** spelling key starts with a NUL, which no spelling a function is given
** can begin with the same way, and holds schema and table apart. */
int dynenum_connection_table_enum(dynenum_connection *c, const char *schema, const char *table, int verify,
                                  dynenum_enum **out, char **error) {
  size_t k;
  char *table_key = enum_key(schema, table, &k);
  char *key = table_key ? sqlite3_malloc64(k + 2) : NULL;
  *out = NULL;
  *error = NULL;
  if (!key) {
    sqlite3_free(table_key);
    return SQLITE_NOMEM;
  }
  key[0] = 0;
  memcpy(key + 1, table_key, k + 1);
  sqlite3_free(table_key);
  int rc = find_enum(c, schema, table, strlen(table), key, k + 1, verify, out, NULL, error);
  sqlite3_free(key);
  return rc;
}

/* A copy of the connection's own is named by its carrier's key. */
dynenum_enum *dynenum_connection_carrier(dynenum_connection *c, dynenum_enum *e) {
  dynenum_enum *carrier;
  if (!e || dynenum_enum_get(c->enums, dynenum_enum_name(e), dynenum_enum_name_length(e), &carrier) != DYNENUM_OK) {
    return NULL;
  }
  if (((const enum_origin *)dynenum_enum_userdata(carrier))->members == e) return carrier;
  dynenum_enum_release(carrier);
  return NULL;
}

void dynenum_connection_touch(dynenum_connection *c, dynenum_enum *carrier) {
  enum_origin *o = dynenum_enum_userdata(carrier);
  o->generation = c->generation;
  /* The module's own write may have enlarged a memdb image.  (Asked only
  ** on memdb: a trusted INSERT touches once per row.) */
  if (o->image) o->image = schema_image(c->db, o->schema);
}

void dynenum_connection_will_write(dynenum_connection *c, const char *schema, const char *table) {
  dynenum_enum *carrier;
  size_t k;
  char *key = enum_key(schema, table, &k);
  if (!key) { /* no key to find it by: forget every copy instead */
    dynenum_connection_changed(c, 0);
    return;
  }
  if (dynenum_enum_get(c->enums, key, k, &carrier) == DYNENUM_OK) {
    enum_origin *o = dynenum_enum_userdata(carrier);
    if (o->shared) {
      o->superseded = 1; /* spellings naming it look again */
      dynenum_enum_drop(c->enums, key, k);
    }
    dynenum_enum_release(carrier);
  }
  sqlite3_free(key);
}

int dynenum_connection_holds(dynenum_connection *c, dynenum_enum *carrier, dynenum_enum *e) {
  const enum_origin *o = dynenum_enum_userdata(carrier);
  return o->members == e && !o->shared && !o->superseded && o->generation == c->generation &&
         (!c->ddl_in_transaction || sqlite3_get_autocommit(c->db));
}

/* ---- Lazy look-ups: the key table (docs/SPEC.md section 12.6) ----------- */

/* The smallest enum answered lazily, and the look-ups per member a
** connection makes lazily before it reads the enum whole. */
#define LAZY_MIN_MEMBERS 1024
#define LAZY_MEMBERS_PER_LOOKUP 128

/* No statement of the look-up outlives its call (docs/SPEC.md section
** 2.3.5: a program may finalize every statement sqlite3_next_stmt lists,
** between two steps of its own): each look-up prepares its SELECT and
** finalizes it.  What a statement keeps is the SQL, and the schema version
** and file under which the checks of start_lazy held: the look-up answers
** only while the schema is still that one, since the statement's own
** connection may rename a table and put a view in its place between two
** calls, or detach the schema and attach another file under its name. */
struct dynenum_lazy {
  sqlite3 *db;
  char *lookup;                 /* dynenum_keys_lookup_sql */
  char *version_sql;            /* PRAGMA "<schema>".schema_version */
  sqlite3_int64 schema_version; /* when start_lazy checked the tables */
  char *schema, *filename;      /* the schema's name, and its file's then */
  size_t *count;                /* the connection's look-ups of the enum */
  size_t budget;
};

void dynenum_lazy_free(dynenum_lazy *l) {
  if (!l) return;
  sqlite3_free(l->lookup);
  sqlite3_free(l->version_sql);
  sqlite3_free(l->schema);
  sqlite3_free(l->filename);
  sqlite3_free(l);
}

/* The schema version sql (a PRAGMA schema_version) reads now. */
static int read_schema_version(sqlite3 *db, const char *sql, sqlite3_int64 *version) {
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *version = sqlite3_column_int64(stmt, 0);
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_ERROR;
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* The members table's largest ordinal (its size, when it is as the module
** writes it), found from the end of its b-tree. */
static int members_size(sqlite3 *db, const enum_origin *o, sqlite3_int64 *size) {
  sqlite3_stmt *stmt;
  char *members = dynenum_members_name(o->table);
  char *sql = members ? sqlite3_mprintf("SELECT max(ordinal) FROM \"%w\".\"%w\"", o->schema, members) : NULL;
  sqlite3_free(members);
  int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  *size = 0;
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *size = sqlite3_column_int64(stmt, 0);
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* Whether the enum o names is answered lazily by this connection now:
** not in a write transaction on its schema (whose own rows a key table
** does not hold yet), its members table as it should be, its key table
** the module's, big enough, the connection's budget not spent and its
** SQLITE_LIMIT_VDBE_OP not too low for the look-up.  Then *lazy is made;
** otherwise *lazy stays NULL and
** the enum is loaded whole as always.  Only SQLITE_NOMEM is an error: any
** other failure here is the full load's to report. */
static int start_lazy(dynenum_connection *c, const enum_origin *o, const char *key, size_t n, dynenum_lazy **lazy) {
  sqlite3 *db = c->db;
  const char *problem, *kind;
  shadow_holder keys, aliases, retired;
  sqlite3_int64 size;
  *lazy = NULL;
  if (sqlite3_txn_state(db, o->schema) == SQLITE_TXN_WRITE || !dynenum_key_rows_room(db)) return SQLITE_OK;
  size_t *count = dynenum_connection_lazy_count(c, key, n);
  if (!count) return SQLITE_NOMEM;
  /* The size first, once the members table is known to be ours: a small
  ** enum, the common case, is loaded whole without looking at its key
  ** table at all. */
  int rc = dynenum_members_table_problem(db, o->schema, o->table, &problem);
  if (rc != SQLITE_OK || problem) return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
  rc = members_size(db, o, &size);
  if (rc != SQLITE_OK || size < LAZY_MIN_MEMBERS || *count >= (size_t)size / LAZY_MEMBERS_PER_LOOKUP) {
    return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
  }
  rc = dynenum_optional_holder(db, o->schema, o->table, SHADOW_KEYS, &keys, &kind);
  if (rc != SQLITE_OK || keys != SHADOW_OURS) return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
  rc = dynenum_optional_holder(db, o->schema, o->table, SHADOW_ALIASES, &aliases, &kind);
  if (rc == SQLITE_OK) rc = dynenum_optional_holder(db, o->schema, o->table, SHADOW_RETIRED, &retired, &kind);
  if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
  /* The schema these checks held under (nothing runs between them and
  ** this on the connection). */
  sqlite3_int64 version;
  char *version_sql = sqlite3_mprintf("PRAGMA \"%w\".schema_version", o->schema);
  if (!version_sql) return SQLITE_NOMEM;
  rc = read_schema_version(db, version_sql, &version);
  if (rc != SQLITE_OK) {
    sqlite3_free(version_sql);
    return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
  }
  const char *file = sqlite3_db_filename(db, o->schema);
  char *sql = dynenum_keys_lookup_sql(o->schema, o->table, aliases == SHADOW_OURS, retired == SHADOW_OURS);
  char *schema = sqlite3_mprintf("%s", o->schema), *filename = sqlite3_mprintf("%s", file ? file : "");
  dynenum_lazy *l = sql && schema && filename ? sqlite3_malloc64(sizeof *l) : NULL;
  if (!l) {
    sqlite3_free(sql);
    sqlite3_free(version_sql);
    sqlite3_free(schema);
    sqlite3_free(filename);
    return SQLITE_NOMEM;
  }
  l->db = db;
  l->schema = schema;
  l->filename = filename;
  l->lookup = sql;
  l->version_sql = version_sql;
  l->schema_version = version;
  l->count = count;
  l->budget = (size_t)size / LAZY_MEMBERS_PER_LOOKUP;
  *lazy = l;
  return SQLITE_OK;
}

/* Whether column i of stmt is text whose key is exactly key (n bytes). */
static int column_has_key(sqlite3_stmt *stmt, int i, const char *key, size_t n) {
  char other[DYNENUM_MAX_KEY_BYTES];
  if (sqlite3_column_type(stmt, i) != SQLITE_TEXT) return 0;
  const char *text = (const char *)sqlite3_column_text(stmt, i);
  if (!text) return 0;
  size_t len = dynenum_key(text, (size_t)sqlite3_column_bytes(stmt, i), other, sizeof other);
  return len == n && memcmp(other, key, n) == 0;
}

/* Whether the row the lookup found (ordinal of the key row, member's
** ordinal, name, value, alias's name and ordinal, retired, doubt) names the
** member a load of the enum would find under key: the rows are there, bear
** exactly that key, and obey the rules a load checks row by row (text,
** and the core's rules of a member, and of an alias of it). */
static int row_verifies(sqlite3_stmt *stmt, const char *key, size_t n) {
  if (sqlite3_column_int(stmt, 7) != 0) return 0; /* the aliases or retired table reads NULLs */
  if (sqlite3_column_type(stmt, 0) != SQLITE_INTEGER || sqlite3_column_type(stmt, 1) != SQLITE_INTEGER ||
      sqlite3_column_type(stmt, 2) != SQLITE_TEXT || sqlite3_column_type(stmt, 3) != SQLITE_TEXT) {
    return 0;
  }
  sqlite3_int64 named = sqlite3_column_int64(stmt, 0), ordinal = sqlite3_column_int64(stmt, 1);
  int alias = named < 0;
  if (ordinal < 1) return 0;
  if (alias) {
    if (sqlite3_column_type(stmt, 4) != SQLITE_TEXT || sqlite3_column_type(stmt, 5) != SQLITE_INTEGER ||
        sqlite3_column_int64(stmt, 5) != ordinal || !column_has_key(stmt, 4, key, n)) {
      return 0;
    }
  } else if (named != ordinal || !(column_has_key(stmt, 2, key, n) || column_has_key(stmt, 3, key, n))) {
    return 0;
  }
  dynenum_enum *scratch;
  dynenum_error err;
  if (dynenum_enum_new(&dynenum_sqlite_config, "", 0, &scratch) != DYNENUM_OK) return 0;
  const char *name = (const char *)sqlite3_column_text(stmt, 2);
  size_t name_len = (size_t)sqlite3_column_bytes(stmt, 2);
  const char *value = (const char *)sqlite3_column_text(stmt, 3);
  size_t value_len = (size_t)sqlite3_column_bytes(stmt, 3);
  int ok = name && value && dynenum_enum_add(scratch, name, name_len, value, value_len, NULL, &err) == DYNENUM_OK;
  if (ok && alias) {
    const char *alias_name = (const char *)sqlite3_column_text(stmt, 4);
    ok = alias_name && dynenum_enum_add_alias(scratch, alias_name, (size_t)sqlite3_column_bytes(stmt, 4), name,
                                              name_len, NULL, &err) == DYNENUM_OK;
  }
  dynenum_enum_release(scratch);
  return ok;
}

int dynenum_lazy_find(dynenum_lazy *l, const char *s, size_t n, dynenum_lazy_hit *hit) {
  char key[DYNENUM_MAX_KEY_BYTES];
  memset(hit, 0, sizeof *hit);
  if (*l->count >= l->budget || !dynenum_key_rows_room(l->db)) return 0;
  ++*l->count;
  size_t len = dynenum_key(s, n, key, sizeof key);
  if (len > sizeof key) return 0; /* no member has a key that long */
  /* The tables are those start_lazy checked only under the same schema of
  ** the same file. */
  const char *file = sqlite3_db_filename(l->db, l->schema);
  if (strcmp(file ? file : "", l->filename) != 0) return 0;
  sqlite3_int64 version;
  if (read_schema_version(l->db, l->version_sql, &version) != SQLITE_OK || version != l->schema_version) return 0;
  sqlite3_stmt *lookup;
  if (sqlite3_prepare_v2(l->db, l->lookup, -1, &lookup, NULL) != SQLITE_OK) return 0;
  int found = 0;
  if (sqlite3_bind_blob64(lookup, 1, key, len, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(lookup) == SQLITE_ROW &&
      row_verifies(lookup, key, len)) {
    size_t value_len = (size_t)sqlite3_column_bytes(lookup, 3);
    hit->value = sqlite3_malloc64(value_len + 1);
    if (hit->value) {
      memcpy(hit->value, sqlite3_column_text(lookup, 3), value_len);
      hit->value_len = value_len;
      hit->ordinal = sqlite3_column_int64(lookup, 1);
      hit->retired = sqlite3_column_int(lookup, 6) != 0;
      found = 1;
    }
  }
  sqlite3_finalize(lookup);
  return found;
}
