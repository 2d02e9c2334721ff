/*
** fuzz/create_fuzz.c: libFuzzer target for the argument parser of
** CREATE VIRTUAL TABLE ... USING dynenum(...) (ext/sqlite/create_args.c) and the
** rules the core applies to the members it defines.
**
** For each input (up to its first NUL byte) it opens a fresh in-memory
** database with the extension compiled in (-DSQLITE_CORE, dynenum_register),
** defines an enum f with one member WARM_UP = 'warm', resolves through it
** (so that the connection caches it), drops it, and prepares
**
**   CREATE VIRTUAL TABLE f USING dynenum(<input>)
**
** letting SQLite's tokenizer split the arguments.  Only that first
** statement runs; whatever the input puts after a ')' and ';' never does.
** Then:
**   - on failure, the error message is not empty (and, when it is
**     dynenum's own, well-formed UTF-8), and the database holds no table:
**     a refused CREATE leaves no shadow table behind;
**   - on success, SELECT ordinal, name, value FROM f gives ordinals 1, 2, ...
**     without a gap; every name and value obeys docs/SPEC.md section 2.2.3 (valid
**     UTF-8, at most 255 bytes, no control character, names non-empty and
**     not reserved, no two members sharing a key) and, being new, holds no
**     default-ignorable character; each value resolves to
**     itself and each name to its value, as member number ordinal
**     (dynenum_resolve, dynenum_is_member, dynenum_ordinal), and 'WARM_UP'
**     resolves as the new members say, never through the dropped enum of
**     the same name; the catalog dynenum_members lists the same rows; DROP
**     TABLE f leaves an empty database and an enum the functions no longer
**     find.
** And when the input uses only bare words, quoted strings, '=', ',' and
** whitespace (no comments, parentheses or other punctuation, so that
** splitting it is simple), an oracle parses it independently: it splits
** the arguments, reads NAME, NAME = 'value' (doubled quotes inside) or
** NAME = OTHER (an alias, docs/SPEC.md section 11.4), and applies the rules
** of docs/SPEC.md sections 2.2.2-2.2.3, 9.1 and of new members; the CREATE
** must succeed exactly when the oracle accepts, with exactly the oracle's
** members in declaration order (value = key of the name when none is
** given) and its aliases, each of the member it names, and fail with
** dynenum's own message otherwise.  Every alias the catalog lists resolves
** to its member's value and ordinal.
**
** Build and run (make fuzz runs every target; FUZZ_SECONDS, default 60):
**   make build/fuzz/create_fuzz
**   build/fuzz/create_fuzz -max_len=4096 -dict=fuzz/dynenum.dict fuzz/corpus/create
** (new inputs are written to the first directory given: copy the committed
** corpus first, or add a scratch directory before it).  Replay one file:
**   build/fuzz/create_fuzz fuzz/corpus/create/some-file
*/
#include "reference.h"

#include <sqlite3.h>

#include "sqlite/binding.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *current_input;
static size_t current_size;

FUZZ_HARNESS static void describe_input(void) {
  fuzz_print_hex("arguments", current_input, current_size);
  fprintf(stderr, "  as text: CREATE VIRTUAL TABLE f USING dynenum(%.*s)\n", (int)current_size,
          (const char *)current_input);
}

/* ---- Members, as read back or as the oracle expects them ------------------ */

typedef struct member {
  char *name, *value;
  size_t name_len, value_len;
} member;

typedef struct member_list {
  member *items;
  size_t count, capacity;
} member_list;

FUZZ_HARNESS static void list_add(member_list *l, const void *name, size_t name_len, const void *value,
                                  size_t value_len) {
  if (l->count == l->capacity) {
    l->capacity = l->capacity ? 2 * l->capacity : 8;
    l->items = realloc(l->items, l->capacity * sizeof *l->items);
    if (!l->items) abort();
  }
  member *m = &l->items[l->count++];
  m->name = fuzz_copy(name, name_len);
  m->name_len = name_len;
  m->value = fuzz_copy(value, value_len);
  m->value_len = value_len;
}

FUZZ_HARNESS static void list_free(member_list *l) {
  for (size_t i = 0; i < l->count; i++) {
    free(l->items[i].name);
    free(l->items[i].value);
  }
  free(l->items);
  memset(l, 0, sizeof *l);
}

/* ---- The oracle ----------------------------------------------------------- */

#define ORACLE_UNKNOWN -1      /* outside the simple language: no prediction */
#define ORACLE_SYNTAX_ERROR 0  /* SQLite itself refuses the statement */
#define ORACLE_REFUSED 1       /* dynenum refuses the definition */
#define ORACLE_ACCEPTED 2      /* created with the members in the list */

FUZZ_HARNESS static int is_blank(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

FUZZ_HARNESS static int is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* The end of the string quoted with s[0] at s[0..n): one past its closing
** quote, or 0 when it is never closed. */
FUZZ_HARNESS static size_t quoted_end(const char *s, size_t n) {
  for (size_t i = 1; i < n; i++) {
    if (s[i] != s[0]) continue;
    if (i + 1 < n && s[i + 1] == s[0]) {
      i++;
      continue;
    }
    return i + 1;
  }
  return 0;
}

/* The unquoted text of the quoted string s[0..n) (n from quoted_end). */
FUZZ_HARNESS static char *unquote(const char *s, size_t n, size_t *len) {
  char *out = fuzz_alloc(n);
  *len = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    out[(*len)++] = s[i];
    if (s[i] == s[0]) i++;
  }
  return out;
}

/* Reads a bare word or a double-quoted identifier at s[*i..n) into *out;
** 0 when there is none. */
FUZZ_HARNESS static int parse_name(const char *s, size_t n, size_t *i, char **out, size_t *len) {
  if (*i < n && s[*i] == '"') {
    size_t end = *i + quoted_end(s + *i, n - *i);
    if (end == *i) return 0;
    *out = unquote(s + *i, end - *i, len);
    *i = end;
    return 1;
  }
  size_t start = *i;
  while (*i < n && (is_word_byte((unsigned char)s[*i]) || s[*i] == '-')) (*i)++;
  if (*i == start) return 0;
  *out = fuzz_copy(s + start, *i - start);
  *len = *i - start;
  return 1;
}

/* Reads one argument, NAME, NAME = 'value' or NAME = OTHER with NAME and
** OTHER bare words or double-quoted identifiers (docs/SPEC.md sections
** 2.2.2 and 9.4).  0 when it is not that. */
FUZZ_HARNESS static int parse_argument(const char *s, size_t n, char **name, size_t *name_len, char **value,
                                       size_t *value_len, char **target, size_t *target_len) {
  size_t i = 0, end;
  *name = *value = *target = NULL;
  while (i < n && is_blank((unsigned char)s[i])) i++;
  if (!parse_name(s, n, &i, name, name_len)) return 0;
  while (i < n && is_blank((unsigned char)s[i])) i++;
  if (i < n && s[i] == '=') {
    i++;
    while (i < n && is_blank((unsigned char)s[i])) i++;
    if (i < n && s[i] == '\'') {
      end = i + quoted_end(s + i, n - i);
      if (end == i) return 0;
      *value = unquote(s + i, end - i, value_len);
      i = end;
    } else if (!parse_name(s, n, &i, target, target_len)) {
      return 0;
    }
    while (i < n && is_blank((unsigned char)s[i])) i++;
  }
  return i == n;
}

/* The oracle's table of names: the key of every name, value and alias so
** far, with the member it belongs to. */
typedef struct name_entry {
  ref_string key;
  size_t owner;
} name_entry;

typedef struct name_table {
  name_entry *items;
  size_t count, capacity;
} name_table;

/* The entry with that key, or NULL (a scan: inputs are at most a few
** thousand bytes, so a few thousand entries). */
FUZZ_HARNESS static const name_entry *name_find(const name_table *t, ref_string key) {
  for (size_t i = 0; i < t->count; i++) {
    if (ref_order(t->items[i].key.bytes, t->items[i].key.len, key.bytes, key.len) == 0) return &t->items[i];
  }
  return NULL;
}

FUZZ_HARNESS static void name_add(name_table *t, ref_string key, size_t owner) {
  if (t->count == t->capacity) {
    t->capacity = t->capacity ? 2 * t->capacity : 16;
    t->items = realloc(t->items, t->capacity * sizeof *t->items);
    if (!t->items) abort();
  }
  t->items[t->count++] = (name_entry){key, owner};
}

FUZZ_HARNESS static void name_table_free(name_table *t) {
  for (size_t i = 0; i < t->count; i++) free(t->items[i].key.bytes);
  free(t->items);
}

/* The rules of docs/SPEC.md section 11.1 for alias name of the member that
** target names, given the names so far; 1 when it is accepted (the alias
** then goes into aliases, with its member's name as value). */
FUZZ_HARNESS static int oracle_alias(name_table *names, const member_list *members, member_list *aliases,
                                     const char *name, size_t name_len, const char *target, size_t target_len) {
  if (!ref_new_member_text_ok(name, name_len, 1)) return 0;
  ref_string target_key = ref_key_of(target, target_len), key = ref_key_of(name, name_len);
  const name_entry *of = name_find(names, target_key), *hit = name_find(names, key);
  free(target_key.bytes);
  int ok = of != NULL;
  if (ok && hit && hit->owner != of->owner) ok = 0; /* another member's key */
  if (ok && hit) {
    /* Its own member's key: refused only when it is byte for byte a name. */
    const member *m = &members->items[of->owner];
    if (name_len == m->name_len && memcmp(name, m->name, name_len) == 0) ok = 0;
    for (size_t i = 0; ok && i < aliases->count; i++) {
      const member *a = &aliases->items[i];
      if (a->name_len == name_len && memcmp(a->name, name, name_len) == 0) ok = 0;
    }
  }
  if (ok) {
    const member *m = &members->items[of->owner];
    list_add(aliases, name, name_len, m->name, m->name_len);
    if (!hit) {
      name_add(names, key, of->owner);
      return 1;
    }
  }
  free(key.bytes);
  return ok;
}

/* A key and the member it belongs to. */
typedef struct owned_key {
  ref_string key;
  size_t owner;
} owned_key;

FUZZ_HARNESS static int owned_key_order(const void *x, const void *y) {
  const owned_key *p = x, *q = y;
  return ref_order(p->key.bytes, p->key.len, q->key.bytes, q->key.len);
}

/* Whether two members of l share a key among their names and values (a
** member's own name and value may share one): sorted keys, so that a
** thousand members cost no million comparisons.  *first and *second name
** the two (0-based). */
FUZZ_HARNESS static int shared_key(const member_list *l, size_t *first, size_t *second) {
  owned_key *keys = malloc((2 * l->count + 1) * sizeof *keys);
  size_t n = 0;
  int found = 0;
  if (!keys) abort();
  for (size_t i = 0; i < l->count; i++) {
    keys[n++] = (owned_key){ref_key_of(l->items[i].name, l->items[i].name_len), i};
    keys[n] = (owned_key){ref_key_of(l->items[i].value, l->items[i].value_len), i};
    if (owned_key_order(&keys[n - 1], &keys[n]) == 0) free(keys[n].key.bytes);
    else n++;
  }
  qsort(keys, n, sizeof *keys, owned_key_order);
  for (size_t i = 0; i + 1 < n && !found; i++) {
    if (owned_key_order(&keys[i], &keys[i + 1]) == 0) {
      found = 1;
      *first = keys[i].owner < keys[i + 1].owner ? keys[i].owner : keys[i + 1].owner;
      *second = keys[i].owner < keys[i + 1].owner ? keys[i + 1].owner : keys[i].owner;
    }
  }
  for (size_t i = 0; i < n; i++) free(keys[i].key.bytes);
  free(keys);
  return found;
}

/* Predicts what CREATE VIRTUAL TABLE f USING dynenum(s) does, filling
** expected with the members and aliases with the aliases (each with its
** member's name as value) when it is accepted. */
FUZZ_HARNESS static int oracle(const char *s, size_t n, member_list *expected, member_list *aliases) {
  /* Split at commas outside quotes, checking the language on the way. */
  size_t starts[4096], ends[4096], count = 0, start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || s[i] == ',') {
      if (count == sizeof starts / sizeof starts[0]) return ORACLE_UNKNOWN;
      starts[count] = start;
      ends[count++] = i;
      start = i + 1;
      continue;
    }
    unsigned char c = (unsigned char)s[i];
    if (c == '\'' || c == '"') {
      /* A quote right after a word may be a blob literal (x'00'). */
      if (i > 0 && is_word_byte((unsigned char)s[i - 1])) return ORACLE_UNKNOWN;
      size_t end = quoted_end(s + i, n - i);
      if (!end) return ORACLE_SYNTAX_ERROR; /* an unterminated string */
      i += end - 1;
    } else if (c == 0xef && i + 2 < n && (unsigned char)s[i + 1] == 0xbb && (unsigned char)s[i + 2] == 0xbf) {
      /* U+FEFF outside quotes is white space to SQLite's tokenizer (so it
      ** is trimmed off an argument's ends); this oracle does not model that. */
      return ORACLE_UNKNOWN;
    } else if (is_word_byte(c)) {
      /* A token starting with a digit must be all digits (1abc is illegal). */
      size_t j = i;
      int digits = 1;
      while (j < n && is_word_byte((unsigned char)s[j])) {
        if (s[j] < '0' || s[j] > '9') digits = 0;
        j++;
      }
      if (c >= '0' && c <= '9' && !digits) return ORACLE_UNKNOWN;
      i = j - 1;
    } else if (c == '-') {
      if (i + 1 < n && s[i + 1] == '-') return ORACLE_UNKNOWN; /* a comment */
    } else if (c != '=' && !is_blank(c)) {
      return ORACLE_UNKNOWN;
    }
  }
  int verdict = ORACLE_ACCEPTED;
  name_table names = {0};
  for (size_t a = 0; a < count && verdict == ORACLE_ACCEPTED; a++) {
    const char *arg = s + starts[a];
    size_t len = ends[a] - starts[a], i = 0;
    while (i < len && is_blank((unsigned char)arg[i])) i++;
    if (i == len) continue; /* SQLite drops an empty argument */
    char *name, *value, *target;
    size_t name_len = 0, value_len = 0, target_len = 0;
    if (!parse_argument(arg, len, &name, &name_len, &value, &value_len, &target, &target_len)) {
      verdict = ORACLE_REFUSED;
    } else if (target) {
      if (!oracle_alias(&names, expected, aliases, name, name_len, target, target_len)) verdict = ORACLE_REFUSED;
    } else {
      if (!value) {
        ref_string key = ref_key_of(name, name_len);
        value = (char *)key.bytes;
        value_len = key.len;
      }
      ref_string name_key = ref_key_of(name, name_len), value_key = ref_key_of(value, value_len);
      int same = ref_order(name_key.bytes, name_key.len, value_key.bytes, value_key.len) == 0;
      if (!ref_new_member_text_ok(name, name_len, 1) || !ref_new_member_text_ok(value, value_len, 0) ||
          name_find(&names, name_key) || name_find(&names, value_key)) {
        verdict = ORACLE_REFUSED;
        free(name_key.bytes);
        free(value_key.bytes);
      } else {
        name_add(&names, name_key, expected->count);
        if (same) free(value_key.bytes);
        else name_add(&names, value_key, expected->count);
        list_add(expected, name, name_len, value, value_len);
      }
    }
    free(name);
    free(value);
    free(target);
  }
  name_table_free(&names);
  return verdict;
}

/* ---- Checks --------------------------------------------------------------- */

static sqlite3_int64 count_tables(sqlite3 *db) {
  sqlite3_stmt *stmt;
  sqlite3_int64 n = -1;
  FUZZ_CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL) == SQLITE_OK, "%s",
             sqlite3_errmsg(db));
  if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

/* The enum f is gone: the functions say so. */
static void check_no_enum(sqlite3 *db) {
  sqlite3_stmt *stmt;
  FUZZ_CHECK(count_tables(db) == 0, "tables are left behind");
  FUZZ_CHECK(sqlite3_prepare_v2(db, "SELECT dynenum_resolve('f', 'x')", -1, &stmt, NULL) == SQLITE_OK, "%s",
             sqlite3_errmsg(db));
  int rc = sqlite3_step(stmt);
  FUZZ_CHECK(rc == SQLITE_ERROR && strstr(sqlite3_errmsg(db), "no such enum") != NULL,
             "dynenum_resolve of a missing enum gives %d: %s", rc, sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
}

static int column_is(sqlite3_stmt *stmt, int column, const void *bytes, size_t len) {
  if (sqlite3_column_type(stmt, column) != SQLITE_TEXT) return 0;
  const unsigned char *text = sqlite3_column_text(stmt, column);
  return text && (size_t)sqlite3_column_bytes(stmt, column) == len && (len == 0 || memcmp(text, bytes, len) == 0);
}

static void read_aliases(sqlite3 *db, member_list *out);

/* Reads ordinal, name, value rows from sql, checking the ordinals. */
static void read_members(sqlite3 *db, const char *sql, member_list *out) {
  sqlite3_stmt *stmt;
  FUZZ_CHECK(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    FUZZ_CHECK(sqlite3_column_type(stmt, 0) == SQLITE_INTEGER &&
                   sqlite3_column_int64(stmt, 0) == (sqlite3_int64)out->count + 1,
               "%s: row %zu has ordinal %s", sql, out->count + 1, sqlite3_column_text(stmt, 0));
    FUZZ_CHECK(sqlite3_column_type(stmt, 1) == SQLITE_TEXT && sqlite3_column_type(stmt, 2) == SQLITE_TEXT,
               "%s: row %zu: name or value is not text", sql, out->count + 1);
    const void *name = sqlite3_column_text(stmt, 1), *value = sqlite3_column_text(stmt, 2);
    FUZZ_CHECK(name && value, "out of memory");
    list_add(out, name, (size_t)sqlite3_column_bytes(stmt, 1), value, (size_t)sqlite3_column_bytes(stmt, 2));
  }
  FUZZ_CHECK(rc == SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
}

static void check_created(sqlite3 *db, const member_list *rows, const member_list *aliases) {
  /* The rules of docs/SPEC.md section 2.2.3, and of new members, on what was stored. */
  for (size_t i = 0; i < rows->count; i++) {
    const member *m = &rows->items[i];
    FUZZ_CHECK(ref_new_member_text_ok(m->name, m->name_len, 1), "member %zu: a name the rules refuse", i + 1);
    FUZZ_CHECK(ref_new_member_text_ok(m->value, m->value_len, 0), "member %zu: a value the rules refuse", i + 1);
  }
  size_t first = 0, second = 0;
  FUZZ_CHECK(!shared_key(rows, &first, &second), "members %zu and %zu share a key", first + 1, second + 1);

  /* Names and values resolve to the member's value. */
  sqlite3_stmt *stmt;
  FUZZ_CHECK(sqlite3_prepare_v2(db, "SELECT dynenum_resolve('f', ?1), dynenum_is_member('f', ?1), dynenum_ordinal('f', ?1)",
                                -1, &stmt, NULL) == SQLITE_OK,
             "%s", sqlite3_errmsg(db));
  for (size_t i = 0; i < rows->count; i++) {
    const member *m = &rows->items[i];
    for (int which = 0; which < 2; which++) {
      const char *text = which ? m->value : m->name;
      size_t len = which ? m->value_len : m->name_len;
      sqlite3_bind_text64(stmt, 1, text, len, SQLITE_STATIC, SQLITE_UTF8);
      int rc = sqlite3_step(stmt);
      FUZZ_CHECK(rc == SQLITE_ROW, "resolving the %s of member %zu fails: %s", which ? "value" : "name", i + 1,
                 sqlite3_errmsg(db));
      FUZZ_CHECK(column_is(stmt, 0, m->value, m->value_len), "the %s of member %zu resolves to '%s', not its value",
                 which ? "value" : "name", i + 1, sqlite3_column_text(stmt, 0));
      FUZZ_CHECK(sqlite3_column_int64(stmt, 1) == 1 && sqlite3_column_int64(stmt, 2) == (sqlite3_int64)i + 1,
                 "the %s of member %zu: is_member %s, ordinal %s", which ? "value" : "name", i + 1,
                 sqlite3_column_text(stmt, 1), sqlite3_column_text(stmt, 2));
      sqlite3_reset(stmt);
    }
  }
  sqlite3_finalize(stmt);

  /* Nothing of the enum f dropped before is left: WARM_UP resolves to the
  ** value of a new member with its key, or else to its own key. */
  const char *warm_up = "warm_up";
  size_t warm_up_len = 7;
  for (size_t i = 0; i < rows->count; i++) {
    const member *m = &rows->items[i];
    ref_string keys[2] = {ref_key_of(m->name, m->name_len), ref_key_of(m->value, m->value_len)};
    if (ref_order(keys[0].bytes, keys[0].len, "warm_up", 7) == 0 || ref_order(keys[1].bytes, keys[1].len, "warm_up", 7) == 0) {
      warm_up = m->value;
      warm_up_len = m->value_len;
    }
    free(keys[0].bytes);
    free(keys[1].bytes);
  }
  /* Or an alias called so (NAME = OTHER in the CREATE): its member's value.
  ** The aliases were read from the catalog, which the oracle checks. */
  for (size_t i = 0; i < aliases->count; i++) {
    const member *a = &aliases->items[i];
    ref_string key = ref_key_of(a->name, a->name_len);
    if (ref_order(key.bytes, key.len, "warm_up", 7) == 0) {
      for (size_t j = 0; j < rows->count; j++) {
        const member *m = &rows->items[j];
        if (m->name_len == a->value_len && memcmp(m->name, a->value, a->value_len) == 0) {
          warm_up = m->value;
          warm_up_len = m->value_len;
        }
      }
    }
    free(key.bytes);
  }
  FUZZ_CHECK(sqlite3_prepare_v2(db, "SELECT dynenum_resolve('f', 'WARM_UP')", -1, &stmt, NULL) == SQLITE_OK, "%s",
             sqlite3_errmsg(db));
  FUZZ_CHECK(sqlite3_step(stmt) == SQLITE_ROW && column_is(stmt, 0, warm_up, warm_up_len),
             "dynenum_resolve('f', 'WARM_UP') gives '%s' (%s), expected '%.*s'", sqlite3_column_text(stmt, 0),
             sqlite3_errmsg(db), (int)warm_up_len, warm_up);
  sqlite3_finalize(stmt);

  /* The catalog lists the same rows. */
  member_list catalog = {0};
  read_members(db, "SELECT ordinal, name, value FROM dynenum_members WHERE enum = 'f' AND alias_of IS NULL", &catalog);
  FUZZ_CHECK(catalog.count == rows->count, "the catalog lists %zu members, the table %zu", catalog.count,
             rows->count);
  for (size_t i = 0; i < rows->count; i++) {
    const member *m = &rows->items[i], *c = &catalog.items[i];
    FUZZ_CHECK(ref_order(m->name, m->name_len, c->name, c->name_len) == 0 &&
                   ref_order(m->value, m->value_len, c->value, c->value_len) == 0,
               "the catalog's member %zu differs from the table's", i + 1);
  }
  list_free(&catalog);
}

/* Reads the aliases the catalog lists (name, and the member's name as
** value), checking that each resolves to its member's value and ordinal. */
static void read_aliases(sqlite3 *db, member_list *out) {
  sqlite3_stmt *stmt;
  const char *sql = "SELECT name, alias_of, dynenum_resolve('f', name) IS value, dynenum_ordinal('f', name) IS ordinal, "
                    "dynenum_ordinal('f', alias_of) IS ordinal FROM dynenum_members WHERE enum = 'f' AND alias_of "
                    "IS NOT NULL";
  FUZZ_CHECK(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    FUZZ_CHECK(sqlite3_column_int(stmt, 2) && sqlite3_column_int(stmt, 3) && sqlite3_column_int(stmt, 4),
               "alias %zu does not resolve to its member", out->count + 1);
    list_add(out, sqlite3_column_text(stmt, 0), (size_t)sqlite3_column_bytes(stmt, 0), sqlite3_column_text(stmt, 1),
             (size_t)sqlite3_column_bytes(stmt, 1));
  }
  FUZZ_CHECK(rc == SQLITE_DONE, "the aliases: %s", sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
}

static void check_against_oracle(int verdict, const member_list *expected, const member_list *expected_aliases,
                                 int created, const char *message, const member_list *rows,
                                 const member_list *aliases) {
  if (verdict == ORACLE_UNKNOWN) return;
  if (verdict == ORACLE_ACCEPTED) {
    FUZZ_CHECK(created, "the oracle accepts these arguments, the CREATE fails: %s", message);
    FUZZ_CHECK(rows->count == expected->count, "%zu members created, the oracle expects %zu", rows->count,
               expected->count);
    for (size_t i = 0; i < rows->count; i++) {
      const member *m = &rows->items[i], *e = &expected->items[i];
      if (ref_order(m->name, m->name_len, e->name, e->name_len) != 0 ||
          ref_order(m->value, m->value_len, e->value, e->value_len) != 0) {
        fuzz_print_hex("created name", m->name, m->name_len);
        fuzz_print_hex("created value", m->value, m->value_len);
        fuzz_print_hex("expected name", e->name, e->name_len);
        fuzz_print_hex("expected value", e->value, e->value_len);
        FUZZ_CHECK(0, "member %zu differs from the oracle's", i + 1);
      }
    }
    FUZZ_CHECK(aliases->count == expected_aliases->count, "%zu aliases created, the oracle expects %zu",
               aliases->count, expected_aliases->count);
    for (size_t i = 0; i < aliases->count; i++) {
      const member *a = &aliases->items[i], *e = &expected_aliases->items[i];
      FUZZ_CHECK(a->name_len == e->name_len && memcmp(a->name, e->name, a->name_len) == 0 &&
                     a->value_len == e->value_len && memcmp(a->value, e->value, a->value_len) == 0,
                 "alias %zu differs from the oracle's", i + 1);
    }
  } else {
    FUZZ_CHECK(!created, "the oracle refuses these arguments (%s), the CREATE succeeds",
               verdict == ORACLE_SYNTAX_ERROR ? "syntax" : "definition");
    if (verdict == ORACLE_REFUSED) {
      FUZZ_CHECK(strncmp(message, "dynenum: ", 9) == 0, "refused, but not by dynenum: %s", message);
    }
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  ref_init();
  fuzz_describe_input = describe_input;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nul = size ? memchr(data, 0, size) : NULL;
  size_t n = nul ? (size_t)(nul - data) : size;
  current_input = data;
  current_size = n;

  sqlite3 *db;
  FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK && dynenum_register(db) == SQLITE_OK, "cannot open");
  /* An enum f the connection has cached, then dropped. */
  sqlite3_stmt *warm;
  FUZZ_CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING dynenum(WARM_UP = 'warm')", NULL, NULL, NULL) == SQLITE_OK &&
                 sqlite3_prepare_v2(db, "SELECT dynenum_resolve('f', 'warm-up')", -1, &warm, NULL) == SQLITE_OK,
             "cannot define the enum to drop: %s", sqlite3_errmsg(db));
  FUZZ_CHECK(sqlite3_step(warm) == SQLITE_ROW && column_is(warm, 0, "warm", 4), "WARM_UP does not resolve");
  sqlite3_finalize(warm);
  FUZZ_CHECK(sqlite3_exec(db, "DROP TABLE f", NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));

  static const char prefix[] = "CREATE VIRTUAL TABLE f USING dynenum(";
  char *sql = fuzz_alloc(sizeof prefix + n + 1);
  memcpy(sql, prefix, sizeof prefix - 1);
  memcpy(sql + sizeof prefix - 1, data, n);
  memcpy(sql + sizeof prefix - 1 + n, ")", 2);

  sqlite3_stmt *create = NULL;
  char *message = NULL;
  int created = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &create, NULL);
  if (rc == SQLITE_OK) {
    FUZZ_CHECK(create != NULL, "no statement prepared");
    rc = sqlite3_step(create);
    created = rc == SQLITE_DONE;
  }
  if (!created) message = fuzz_copy(sqlite3_errmsg(db), strlen(sqlite3_errmsg(db)) + 1);
  sqlite3_finalize(create);
  free(sql);

  member_list rows = {0}, expected = {0}, aliases = {0}, expected_aliases = {0};
  if (created) {
    read_members(db, "SELECT ordinal, name, value FROM f", &rows);
    read_aliases(db, &aliases);
    check_created(db, &rows, &aliases);
    FUZZ_CHECK(sqlite3_exec(db, "DROP TABLE f", NULL, NULL, NULL) == SQLITE_OK, "DROP TABLE f fails: %s",
               sqlite3_errmsg(db));
  } else {
    FUZZ_CHECK(message[0] != 0, "a failed CREATE without a message");
    if (strncmp(message, "dynenum", 7) == 0) {
      FUZZ_CHECK(ref_message_ok(message), "dynenum's message is not well-formed UTF-8");
    }
  }
  check_no_enum(db);
  int verdict = oracle((const char *)data, n, &expected, &expected_aliases);
  check_against_oracle(verdict, &expected, &expected_aliases, created, message ? message : "", &rows, &aliases);

  list_free(&rows);
  list_free(&expected);
  list_free(&aliases);
  list_free(&expected_aliases);
  free(message);
  FUZZ_CHECK(sqlite3_close(db) == SQLITE_OK, "cannot close: %s", sqlite3_errmsg(db));
  return 0;
}
