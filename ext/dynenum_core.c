/*
** dynenum_core.c: registries, enums and members; see dynenum.h for the API.
**
** How it works.  An enum keeps its real members in an array, in declaration
** order, and in a hash table from key to member that holds the key of each
** member's name and the key of its value (once when they are the same).
** Dynamic members live in a second table of the same kind, capped in size.
** A lookup builds the key of its input on the stack, hashes it and probes:
** no allocation, no scan.  Each table is open addressing with linear probing
** and at most half full.
**
** Locking.  Each enum has a reader-writer lock: lookups share it, additions
** and interning take it alone, so lookups in different enums never meet and
** lookups in one enum never wait on each other.  The registry has a lock of
** its own that is held only to find, insert or remove an enum.  Enums are
** reference counted, so dropping one while another thread still uses it is
** safe: the last release frees it.
**
** Memory.  Everything is allocated through the configured allocator, and
** every operation that allocates does so before it changes anything, so a
** failed allocation returns DYNENUM_NOMEM and leaves the enum as it was.
*/
/* For pthread_rwlockattr_setkind_np, where the C library has it. */
#define _GNU_SOURCE

#include "dynenum.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Error messages -------------------------------------------------------- */

/* How many bytes of an input an error message quotes at most. */
#define QUOTE_MAX_BYTES 48

/* Room for a quoted input: every byte escaped as \\xHH, then "...". */
#define QUOTE_SIZE (QUOTE_MAX_BYTES * 4 + 4)
_Static_assert(QUOTE_SIZE == DYNENUM_QUOTE_SIZE, "dynenum.h states the quote size");

/* Characters a reader could not see, could take for a space, or that would
** reorder the rest of a message (bidirectional controls); and the backslash,
** so that an escape in the message is never text of the input. */
static int needs_escape(uint32_t cp) {
  return (cp != 0x20 && dynenum_is_space_or_control(cp)) || cp == '\\' || cp == 0xAD || cp == 0x061C ||
         cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

/* Writes s into buf as it should appear inside '...' of a message: at most
** QUOTE_MAX_BYTES of it (never cutting a UTF-8 sequence), with malformed
** bytes, invisible characters and backslashes written \xHH, and "..." when
** cut short. */
void dynenum_quote(char *buf, size_t cap, const char *s, size_t n) {
  const unsigned char *at = (const unsigned char *)s, *end = at + n;
  size_t used = 0, shown = 0;
  buf[0] = 0;
  while (at < end) {
    uint32_t cp;
    int len = dynenum_utf8_decode(at, (size_t)(end - at), &cp);
    int escape = len == 0 || needs_escape(cp);
    size_t need = escape ? (size_t)(len ? len : 1) * 4 : (size_t)len;
    if (shown + (size_t)(len ? len : 1) > QUOTE_MAX_BYTES || used + need + 4 > cap) {
      if (used + 4 <= cap) memcpy(buf + used, "...", 4);
      return;
    }
    if (escape) {
      for (int i = 0; i < (len ? len : 1); i++) {
        snprintf(buf + used, cap - used, "\\x%02x", at[i]);
        used += 4;
      }
    } else {
      memcpy(buf + used, at, (size_t)len);
      used += (size_t)len;
      buf[used] = 0;
    }
    shown += (size_t)(len ? len : 1);
    at += len ? len : 1;
  }
}

static int set_error(dynenum_error *err, int code, const char *format, ...) {
  if (err) {
    va_list ap;
    err->code = code;
    va_start(ap, format);
    vsnprintf(err->message, sizeof err->message, format, ap);
    va_end(ap);
  }
  return code;
}

/* ---- Allocation and locks -------------------------------------------------- */

static void *alloc(const dynenum_config *c, size_t n) { return c->malloc_fn(n); }
static void release_memory(const dynenum_config *c, void *p) {
  if (p) c->free_fn(p);
}

/* A reader-writer lock that lets a waiting writer in before new readers:
** glibc's default favours readers, and a steady stream of lookups would
** then starve additions. */
static int lock_init(pthread_rwlock_t *l) {
  pthread_rwlockattr_t attr;
  if (pthread_rwlockattr_init(&attr)) return DYNENUM_LOCK;
  int rc = DYNENUM_OK;
#if defined(__GLIBC__)
  if (pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP)) rc = DYNENUM_LOCK;
#endif
  if (rc == DYNENUM_OK && pthread_rwlock_init(l, &attr)) rc = DYNENUM_LOCK;
  pthread_rwlockattr_destroy(&attr);
  return rc;
}

static int lock_shared(pthread_rwlock_t *l) { return pthread_rwlock_rdlock(l) ? DYNENUM_LOCK : DYNENUM_OK; }
static int lock_exclusive(pthread_rwlock_t *l) { return pthread_rwlock_wrlock(l) ? DYNENUM_LOCK : DYNENUM_OK; }
static void unlock(pthread_rwlock_t *l) {
  /* Fails only for a lock this thread does not hold, which cannot happen. */
  int rc = pthread_rwlock_unlock(l);
  (void)rc;
}

/* ---- Hash tables ----------------------------------------------------------- */

/* FNV-1a over the key bytes. */
static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 0x100000001b3u;
  }
  return h;
}

typedef struct slot {
  uint64_t hash;
  const char *key; /* NULL for an empty slot; owned by the value */
  size_t key_len;
  void *value;
} slot;

typedef struct table {
  slot *slots;
  size_t mask; /* capacity - 1; capacity is a power of two, or 0 */
  size_t count;
} table;

static void *table_find(const table *t, const char *key, size_t len, uint64_t hash) {
  if (t->count == 0) return NULL;
  for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
    const slot *s = &t->slots[i];
    if (!s->key) return NULL;
    if (s->hash == hash && s->key_len == len && memcmp(s->key, key, len) == 0) return s->value;
  }
}

static void table_put(table *t, const slot *entry) {
  size_t i = entry->hash & t->mask;
  while (t->slots[i].key) i = (i + 1) & t->mask;
  t->slots[i] = *entry;
  t->count++;
}

/* Makes room for extra more entries, keeping the table at most half full. */
static int table_reserve(const dynenum_config *c, table *t, size_t extra) {
  size_t need = t->count + extra, capacity = t->slots ? t->mask + 1 : 0;
  if (need * 2 <= capacity) return DYNENUM_OK;
  size_t grown = capacity ? capacity : 16;
  while (need * 2 > grown) grown *= 2;
  slot *slots = alloc(c, grown * sizeof *slots);
  if (!slots) return DYNENUM_NOMEM;
  memset(slots, 0, grown * sizeof *slots);
  table bigger = {slots, grown - 1, 0};
  for (size_t i = 0; i < capacity; i++) {
    if (t->slots[i].key) table_put(&bigger, &t->slots[i]);
  }
  release_memory(c, t->slots);
  *t = bigger;
  return DYNENUM_OK;
}

/* Removes key, shifting later entries of its probe run back into the gap. */
static void table_remove(table *t, const char *key, size_t len, uint64_t hash) {
  if (t->count == 0) return;
  size_t i = hash & t->mask;
  for (;; i = (i + 1) & t->mask) {
    slot *s = &t->slots[i];
    if (!s->key) return;
    if (s->hash == hash && s->key_len == len && memcmp(s->key, key, len) == 0) break;
  }
  t->count--;
  for (size_t j = (i + 1) & t->mask;; j = (j + 1) & t->mask) {
    if (!t->slots[j].key) break;
    size_t home = t->slots[j].hash & t->mask;
    /* Move j into the gap at i unless its home lies cyclically in (i, j]. */
    int stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!stays) {
      t->slots[i] = t->slots[j];
      i = j;
    }
  }
  memset(&t->slots[i], 0, sizeof t->slots[i]);
}

/* ---- Members --------------------------------------------------------------- */

/* A member and, in the same allocation, its strings and keys. */
typedef struct member_record {
  dynenum_member pub;
  const char *name_key;
  size_t name_key_len;
  const char *value_key;
  size_t value_key_len;
} member_record;

static member_record *member_new(const dynenum_config *c, const char *name, size_t name_len,
                                 const char *value, size_t value_len, const char *name_key,
                                 size_t name_key_len, const char *value_key, size_t value_key_len) {
  size_t size = sizeof(member_record) + name_len + value_len + name_key_len + value_key_len + 2;
  member_record *m = alloc(c, size);
  if (!m) return NULL;
  char *text = (char *)(m + 1);
  memset(m, 0, sizeof *m);
  memcpy(text, name, name_len);
  text[name_len] = 0;
  m->pub.name = text;
  m->pub.name_len = name_len;
  text += name_len + 1;
  memcpy(text, value, value_len);
  text[value_len] = 0;
  m->pub.value = text;
  m->pub.value_len = value_len;
  text += value_len + 1;
  memcpy(text, name_key, name_key_len);
  m->name_key = text;
  m->name_key_len = name_key_len;
  text += name_key_len;
  memcpy(text, value_key, value_key_len);
  m->value_key = text;
  m->value_key_len = value_key_len;
  return m;
}

/* ---- Enums ----------------------------------------------------------------- */

struct dynenum_enum {
  _Atomic size_t refs;
  dynenum_config config;
  pthread_rwlock_t lock;
  char *name;
  size_t name_len;
  char shown[QUOTE_SIZE]; /* the name as error messages quote it */
  member_record **members; /* real members in declaration order */
  size_t count, capacity;
  table real;    /* key of a real member's name or value -> member */
  table dynamic; /* key -> interned dynamic member */
  void *userdata;
  void (*destroy_userdata)(void *);
};

struct dynenum_registry {
  dynenum_config config;
  pthread_rwlock_t lock;
  table enums; /* name -> enum, which the registry holds a reference to */
};

static void config_defaults(dynenum_config *out, const dynenum_config *in) {
  memset(out, 0, sizeof *out);
  if (in) *out = *in;
  if (!out->malloc_fn || !out->realloc_fn || !out->free_fn) {
    out->malloc_fn = malloc;
    out->realloc_fn = realloc;
    out->free_fn = free;
  }
  if (out->dynamic_cap == 0) out->dynamic_cap = DYNENUM_DEFAULT_DYNAMIC_CAP;
}

static void enum_free(dynenum_enum *e) {
  const dynenum_config *c = &e->config;
  if (e->destroy_userdata) e->destroy_userdata(e->userdata);
  for (size_t i = 0; i < e->count; i++) release_memory(c, e->members[i]);
  for (size_t i = 0; e->dynamic.slots && i <= e->dynamic.mask; i++) {
    if (e->dynamic.slots[i].key) release_memory(c, e->dynamic.slots[i].value);
  }
  release_memory(c, e->members);
  release_memory(c, e->real.slots);
  release_memory(c, e->dynamic.slots);
  release_memory(c, e->name);
  pthread_rwlock_destroy(&e->lock);
  c->free_fn(e);
}

static int enum_new(const dynenum_config *c, const char *name, size_t n, dynenum_enum **out) {
  dynenum_enum *e = alloc(c, sizeof *e);
  if (!e) return DYNENUM_NOMEM;
  memset(e, 0, sizeof *e);
  e->config = *c;
  e->name = alloc(c, n + 1);
  if (!e->name) {
    c->free_fn(e);
    return DYNENUM_NOMEM;
  }
  memcpy(e->name, name, n);
  e->name[n] = 0;
  e->name_len = n;
  dynenum_quote(e->shown, sizeof e->shown, name, n);
  if (lock_init(&e->lock) != DYNENUM_OK) {
    c->free_fn(e->name);
    c->free_fn(e);
    return DYNENUM_LOCK;
  }
  atomic_init(&e->refs, 1);
  *out = e;
  return DYNENUM_OK;
}

int dynenum_enum_new(const dynenum_config *config, const char *name, size_t n, dynenum_enum **out) {
  dynenum_config defaults;
  if (!out || (!name && n)) return DYNENUM_MISUSE;
  config_defaults(&defaults, config);
  return enum_new(&defaults, name ? name : "", n, out);
}

void dynenum_enum_retain(dynenum_enum *e) {
  if (e) atomic_fetch_add(&e->refs, 1);
}

void dynenum_enum_release(dynenum_enum *e) {
  if (e && atomic_fetch_sub(&e->refs, 1) == 1) enum_free(e);
}

const char *dynenum_enum_name(const dynenum_enum *e) { return e->name; }

void dynenum_enum_set_label(dynenum_enum *e, const char *label, size_t n) {
  dynenum_quote(e->shown, sizeof e->shown, label, n);
}

const char *dynenum_enum_label(const dynenum_enum *e) { return e->shown; }

void dynenum_enum_set_userdata(dynenum_enum *e, void *data, void (*destroy)(void *)) {
  if (e->destroy_userdata) e->destroy_userdata(e->userdata);
  e->userdata = data;
  e->destroy_userdata = destroy;
}

void *dynenum_enum_userdata(const dynenum_enum *e) { return e->userdata; }

/* Checks a member's name (is_name) or value; returns a code and explains it. */
static int check_member_text(const dynenum_enum *e, const char *s, size_t n, int is_name,
                             const char *member, size_t member_len, dynenum_error *err) {
  char shown[QUOTE_SIZE], owner[QUOTE_SIZE], subject[2 * QUOTE_SIZE + 32];
  const unsigned char *at = (const unsigned char *)s, *end = at + n;
  uint32_t control = 0;
  int code = DYNENUM_OK;
  if (is_name && n == 0) return set_error(err, DYNENUM_EMPTY, "empty name in enum '%s'", e->shown);
  dynenum_quote(shown, sizeof shown, s, n);
  dynenum_quote(owner, sizeof owner, member, member_len);
  /* The subject names the text, and for a value the member it belongs to. */
  if (is_name) snprintf(subject, sizeof subject, "name '%s'", shown);
  else snprintf(subject, sizeof subject, "value '%s' of member '%s'", shown, owner);
  if (n > DYNENUM_MAX_BYTES) {
    return set_error(err, DYNENUM_TOOLONG, "%s too long (%zu bytes, at most %d) in enum '%s'", subject, n,
                     DYNENUM_MAX_BYTES, e->shown);
  }
  while (at < end) {
    uint32_t cp;
    int len = dynenum_utf8_decode(at, (size_t)(end - at), &cp);
    if (len == 0) return set_error(err, DYNENUM_MALFORMED, "malformed UTF-8 in %s in enum '%s'", subject, e->shown);
    if (code == DYNENUM_OK && (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))) {
      code = DYNENUM_BADCHAR;
      control = cp;
    }
    at += len;
  }
  if (is_name && (s[0] == '_' || s[0] == '-')) {
    return set_error(err, DYNENUM_RESERVED, "reserved %s in enum '%s'", subject, e->shown);
  }
  if (code == DYNENUM_BADCHAR) {
    return set_error(err, code, "control character U+%04X in %s in enum '%s'", (unsigned)control, subject, e->shown);
  }
  return DYNENUM_OK;
}

int dynenum_enum_check_name(const dynenum_enum *e, const char *s, size_t n, dynenum_error *err) {
  char shown[QUOTE_SIZE];
  int code = dynenum_check_dynamic_name(s, n);
  if (code == DYNENUM_OK) return code;
  dynenum_quote(shown, sizeof shown, s, n);
  switch (code) {
    case DYNENUM_EMPTY: return set_error(err, code, "empty name in enum '%s'", e->shown);
    case DYNENUM_TOOLONG:
      return set_error(err, code, "name '%s' too long (%zu bytes, at most %d) in enum '%s'", shown, n,
                       DYNENUM_MAX_BYTES, e->shown);
    case DYNENUM_MALFORMED: return set_error(err, code, "malformed UTF-8 in name '%s' in enum '%s'", shown, e->shown);
    case DYNENUM_RESERVED: return set_error(err, code, "reserved name '%s' in enum '%s'", shown, e->shown);
    default: {
      /* Say which character: many are invisible. */
      const unsigned char *at = (const unsigned char *)s, *end = at + n;
      uint32_t cp = 0;
      while (at < end) {
        at += dynenum_utf8_decode(at, (size_t)(end - at), &cp);
        if (dynenum_is_space_or_control(cp)) break;
      }
      return set_error(err, code, "whitespace or control character U+%04X in name '%s' in enum '%s'", (unsigned)cp,
                       shown, e->shown);
    }
  }
}

int dynenum_enum_add(dynenum_enum *e, const char *name, size_t name_len, const char *value,
                     size_t value_len, const dynenum_member **out, dynenum_error *err) {
  char name_key[DYNENUM_MAX_KEY_BYTES], value_key[DYNENUM_MAX_KEY_BYTES];
  size_t name_key_len, value_key_len;
  int rc;
  if (!e || (!name && name_len)) return set_error(err, DYNENUM_MISUSE, "dynenum_enum_add(): NULL argument");
  if (!name) name = "";
  rc = check_member_text(e, name, name_len, 1, name, name_len, err);
  if (rc) return rc;
  name_key_len = dynenum_key(name, name_len, name_key, sizeof name_key);
  if (value) {
    rc = check_member_text(e, value, value_len, 0, name, name_len, err);
    if (rc) return rc;
    value_key_len = dynenum_key(value, value_len, value_key, sizeof value_key);
  } else {
    /* The value of a name is its key, which must obey the rules of values:
    ** folding can lengthen a 255-byte name past 255 bytes. */
    rc = check_member_text(e, name_key, name_key_len, 0, name, name_len, err);
    if (rc) return rc;
    value = name_key;
    value_len = name_key_len;
    memcpy(value_key, name_key, name_key_len);
    value_key_len = name_key_len;
  }
  int same_key = name_key_len == value_key_len && memcmp(name_key, value_key, name_key_len) == 0;
  uint64_t name_hash = hash_bytes(name_key, name_key_len);
  uint64_t value_hash = hash_bytes(value_key, value_key_len);

  if ((rc = lock_exclusive(&e->lock)) != DYNENUM_OK) return set_error(err, rc, "cannot lock enum '%s'", e->shown);
  const member_record *clash = table_find(&e->real, name_key, name_key_len, name_hash);
  int value_clash = 0;
  if (!clash && !same_key) {
    clash = table_find(&e->real, value_key, value_key_len, value_hash);
    value_clash = clash != NULL;
  }
  if (clash) {
    char a[QUOTE_SIZE], b[QUOTE_SIZE], k[QUOTE_SIZE];
    dynenum_quote(a, sizeof a, name, name_len);
    dynenum_quote(b, sizeof b, clash->pub.name, clash->pub.name_len);
    if (value_clash) {
      char v[QUOTE_SIZE];
      dynenum_quote(v, sizeof v, value, value_len);
      dynenum_quote(k, sizeof k, value_key, value_key_len);
      set_error(err, DYNENUM_COLLISION, "value '%s' of member '%s' collides with member '%s' in enum '%s' (same key '%s')",
                v, a, b, e->shown, k);
    } else if (name_len == clash->pub.name_len && memcmp(name, clash->pub.name, name_len) == 0) {
      set_error(err, DYNENUM_COLLISION, "member '%s' is already in enum '%s'", a, e->shown);
    } else {
      dynenum_quote(k, sizeof k, name_key, name_key_len);
      set_error(err, DYNENUM_COLLISION, "member '%s' collides with member '%s' in enum '%s' (same key '%s')", a, b,
                e->shown, k);
    }
    unlock(&e->lock);
    return DYNENUM_COLLISION;
  }
  /* Allocate everything first, so that failure changes nothing. */
  rc = table_reserve(&e->config, &e->real, 2);
  if (rc == DYNENUM_OK && e->count == e->capacity) {
    size_t grown = e->capacity ? e->capacity * 2 : 8;
    member_record **members = e->config.realloc_fn(e->members, grown * sizeof *members);
    if (members) {
      e->members = members;
      e->capacity = grown;
    } else {
      rc = DYNENUM_NOMEM;
    }
  }
  member_record *m = NULL;
  if (rc == DYNENUM_OK) {
    m = member_new(&e->config, name, name_len, value, value_len, name_key, name_key_len, value_key, value_key_len);
    if (!m) rc = DYNENUM_NOMEM;
  }
  if (rc != DYNENUM_OK) {
    unlock(&e->lock);
    return set_error(err, rc, "out of memory adding a member to enum '%s'", e->shown);
  }
  m->pub.ordinal = (int64_t)e->count + 1;
  slot entry = {name_hash, m->name_key, name_key_len, m};
  table_put(&e->real, &entry);
  if (!same_key) {
    slot value_entry = {value_hash, m->value_key, value_key_len, m};
    table_put(&e->real, &value_entry);
  }
  e->members[e->count++] = m;
  unlock(&e->lock);
  if (out) *out = &m->pub;
  return DYNENUM_OK;
}

size_t dynenum_enum_size(dynenum_enum *e) {
  size_t n;
  if (lock_shared(&e->lock)) return 0;
  n = e->count;
  unlock(&e->lock);
  return n;
}

const dynenum_member *dynenum_enum_member(dynenum_enum *e, size_t index) {
  const dynenum_member *m = NULL;
  if (lock_shared(&e->lock)) return NULL;
  if (index < e->count) m = &e->members[index]->pub;
  unlock(&e->lock);
  return m;
}

size_t dynenum_enum_dynamic_count(dynenum_enum *e) {
  size_t n;
  if (lock_shared(&e->lock)) return 0;
  n = e->dynamic.count;
  unlock(&e->lock);
  return n;
}

/* Builds the key of s into buf (DYNENUM_MAX_KEY_BYTES).  Returns its length,
** or SIZE_MAX when the key is longer than any member's key can be. */
static size_t lookup_key(const char *s, size_t n, char *buf) {
  /* No code point's key is shorter than a third of its encoding. */
  if (n > 3 * (size_t)DYNENUM_MAX_KEY_BYTES) return SIZE_MAX;
  size_t len = dynenum_key(s, n, buf, DYNENUM_MAX_KEY_BYTES);
  return len > DYNENUM_MAX_KEY_BYTES ? SIZE_MAX : len;
}

int dynenum_enum_find(dynenum_enum *e, const char *s, size_t n, const dynenum_member **out) {
  char key[DYNENUM_MAX_KEY_BYTES];
  size_t len = lookup_key(s, n, key);
  const member_record *m;
  if (len == SIZE_MAX) return DYNENUM_NOTFOUND;
  uint64_t hash = hash_bytes(key, len);
  if (lock_shared(&e->lock)) return DYNENUM_LOCK;
  m = table_find(&e->real, key, len, hash);
  unlock(&e->lock);
  if (!m) return DYNENUM_NOTFOUND;
  *out = &m->pub;
  return DYNENUM_OK;
}

int dynenum_enum_resolve(dynenum_enum *e, const char *s, size_t n, const dynenum_member **out,
                         dynenum_error *err) {
  char key[DYNENUM_MAX_KEY_BYTES];
  const member_record *m;
  int rc;
  if (!e || (!s && n)) return set_error(err, DYNENUM_MISUSE, "dynenum_enum_resolve(): NULL argument");
  if (!s) s = "";
  size_t len = lookup_key(s, n, key);
  uint64_t hash = len == SIZE_MAX ? 0 : hash_bytes(key, len);
  if (len != SIZE_MAX) {
    if ((rc = lock_shared(&e->lock)) != DYNENUM_OK) return set_error(err, rc, "cannot lock enum '%s'", e->shown);
    m = table_find(&e->real, key, len, hash);
    if (!m) m = table_find(&e->dynamic, key, len, hash);
    unlock(&e->lock);
    if (m) {
      *out = &m->pub;
      return DYNENUM_OK;
    }
  }
  rc = dynenum_enum_check_name(e, s, n, err);
  if (rc) return rc;

  /* Intern: look again under the exclusive lock, since another thread may
  ** have added or interned the same key meanwhile. */
  if ((rc = lock_exclusive(&e->lock)) != DYNENUM_OK) return set_error(err, rc, "cannot lock enum '%s'", e->shown);
  m = table_find(&e->real, key, len, hash);
  if (!m) m = table_find(&e->dynamic, key, len, hash);
  if (m) {
    unlock(&e->lock);
    *out = &m->pub;
    return DYNENUM_OK;
  }
  if (e->dynamic.count >= e->config.dynamic_cap) {
    char shown[QUOTE_SIZE];
    unlock(&e->lock);
    dynenum_quote(shown, sizeof shown, s, n);
    return set_error(err, DYNENUM_CAP, "too many dynamic members in enum '%s' (at most %zu): cannot intern '%s'",
                     e->shown, e->config.dynamic_cap, shown);
  }
  member_record *fresh = NULL;
  rc = table_reserve(&e->config, &e->dynamic, 1);
  if (rc == DYNENUM_OK) {
    fresh = member_new(&e->config, s, n, key, len, key, len, key, len);
    if (!fresh) rc = DYNENUM_NOMEM;
  }
  if (rc != DYNENUM_OK) {
    unlock(&e->lock);
    return set_error(err, rc, "out of memory interning a dynamic member of enum '%s'", e->shown);
  }
  fresh->pub.dynamic = 1;
  slot entry = {hash, fresh->name_key, len, fresh};
  table_put(&e->dynamic, &entry);
  unlock(&e->lock);
  *out = &fresh->pub;
  return DYNENUM_OK;
}

/* ---- Registry -------------------------------------------------------------- */

int dynenum_registry_open(const dynenum_config *config, dynenum_registry **out) {
  dynenum_config c;
  config_defaults(&c, config);
  *out = NULL;
  dynenum_registry *r = alloc(&c, sizeof *r);
  if (!r) return DYNENUM_NOMEM;
  memset(r, 0, sizeof *r);
  r->config = c;
  if (lock_init(&r->lock) != DYNENUM_OK) {
    c.free_fn(r);
    return DYNENUM_LOCK;
  }
  *out = r;
  return DYNENUM_OK;
}

/* Takes every enum out of the table and releases them. */
static void release_all(dynenum_registry *r, table *t) {
  for (size_t i = 0; t->slots && i <= t->mask; i++) {
    if (t->slots[i].key) dynenum_enum_release(t->slots[i].value);
  }
  release_memory(&r->config, t->slots);
  memset(t, 0, sizeof *t);
}

void dynenum_registry_close(dynenum_registry *r) {
  if (!r) return;
  release_all(r, &r->enums);
  pthread_rwlock_destroy(&r->lock);
  r->config.free_fn(r);
}

int dynenum_registry_clear(dynenum_registry *r) {
  table old;
  if (lock_exclusive(&r->lock)) return DYNENUM_LOCK;
  old = r->enums;
  memset(&r->enums, 0, sizeof r->enums);
  unlock(&r->lock);
  release_all(r, &old);
  return DYNENUM_OK;
}

size_t dynenum_registry_size(dynenum_registry *r) {
  size_t n;
  if (lock_shared(&r->lock)) return 0;
  n = r->enums.count;
  unlock(&r->lock);
  return n;
}

int dynenum_enum_define(dynenum_registry *r, const char *name, size_t n, int replace, dynenum_enum **out,
                        dynenum_error *err) {
  dynenum_enum *e, *old;
  char shown[QUOTE_SIZE];
  int rc;
  if (!r || !out || (!name && n)) return set_error(err, DYNENUM_MISUSE, "dynenum_enum_define(): NULL argument");
  if (!name) name = "";
  dynenum_quote(shown, sizeof shown, name, n);
  rc = enum_new(&r->config, name, n, &e);
  if (rc) return set_error(err, rc, "cannot define enum '%s': %s", shown, dynenum_errstr(rc));
  uint64_t hash = hash_bytes(name, n);
  if ((rc = lock_exclusive(&r->lock)) != DYNENUM_OK) {
    enum_free(e);
    return set_error(err, rc, "cannot define enum '%s': %s", shown, dynenum_errstr(rc));
  }
  old = table_find(&r->enums, name, n, hash);
  if (old && !replace) {
    unlock(&r->lock);
    enum_free(e);
    return set_error(err, DYNENUM_EXISTS, "enum '%s' is already defined", shown);
  }
  if (!old && (rc = table_reserve(&r->config, &r->enums, 1)) != DYNENUM_OK) {
    unlock(&r->lock);
    enum_free(e);
    return set_error(err, rc, "cannot define enum '%s': %s", shown, dynenum_errstr(rc));
  }
  if (old) table_remove(&r->enums, name, n, hash);
  slot entry = {hash, e->name, n, e};
  table_put(&r->enums, &entry);
  dynenum_enum_retain(e); /* one reference for the registry, one for the caller */
  unlock(&r->lock);
  dynenum_enum_release(old);
  *out = e;
  return DYNENUM_OK;
}

int dynenum_enum_get(dynenum_registry *r, const char *name, size_t n, dynenum_enum **out) {
  dynenum_enum *e;
  if (!r || !out || (!name && n)) return DYNENUM_MISUSE;
  if (lock_shared(&r->lock)) return DYNENUM_LOCK;
  e = table_find(&r->enums, name ? name : "", n, hash_bytes(name ? name : "", n));
  dynenum_enum_retain(e);
  unlock(&r->lock);
  *out = e;
  return e ? DYNENUM_OK : DYNENUM_NOTFOUND;
}

int dynenum_enum_drop(dynenum_registry *r, const char *name, size_t n) {
  dynenum_enum *e;
  if (!r || (!name && n)) return DYNENUM_MISUSE;
  if (!name) name = "";
  uint64_t hash = hash_bytes(name, n);
  if (lock_exclusive(&r->lock)) return DYNENUM_LOCK;
  e = table_find(&r->enums, name, n, hash);
  if (e) table_remove(&r->enums, name, n, hash);
  unlock(&r->lock);
  if (!e) return DYNENUM_NOTFOUND;
  dynenum_enum_release(e);
  return DYNENUM_OK;
}
