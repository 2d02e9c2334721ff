/*
** core/enum.c: registries, enums and members; see dynenum.h for the API.
**
** How it works.  An enum keeps its real members in an arena, in
** declaration order, and a key index from key to member that holds the key
** of each member's name and the key of its value (once when they are the
** same) and of each alias.  Dynamic members live in the arena too, found
** through a second table, capped in size.  A lookup builds the key of its
** input on the stack, hashes it and probes: no allocation, no scan.  Each
** table is open addressing with linear probing and at most half full.
**
** Memory.  A member costs its record (the public dynenum_member, two flag
** bytes, its name and value, and only the keys that differ from its value's
** bytes), a 4-byte reference in the member list and two 8-byte slots of the
** key index; the arena allocates records in chunks, so the allocator's
** overhead is per chunk, not per member.  The figure is in bench/ (the
** core's heap per member beyond its strings).
**
** Concurrency.  Lookups take no lock at all.  Members and index entries are
** only ever added, never changed or removed while the enum lives, and each is
** published with a release store after it is complete: an index slot is one
** 64-bit word, the member count is stored after the member.  A reader that
** sees the slot (with an acquire load) sees the whole entry.  A table,
** index or array that must grow is copied, the copy published, and the old
** one kept until the enum is freed, so a reader still probing it stays
** safe; arena chunks and member list segments never move.  Writers (adding
** and interning) take the enum's mutex, so they are serialised per enum.
** The registry has a reader-writer lock of its own, held only to find,
** insert or remove an enum.  Enums are reference counted, so dropping one
** while another thread still uses it is safe: the last release frees it.
**
** Rules.  dynenum_enum_add checks what every member obeys, new or read back
** from storage; dynenum_enum_check_new_member checks what only new members
** obey (no default-ignorable character), so that members stored before that
** rule, or by another program, still load.
**
** Failure.  Everything is allocated through the configured allocator, and
** every operation that allocates does so before it changes anything, so a
** failed allocation returns DYNENUM_NOMEM and leaves the enum as it was.
*/
#define _POSIX_C_SOURCE 200809L

#include "dynenum.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Error messages -------------------------------------------------------- */

/* How many bytes of an input an error message quotes at most. */
#define QUOTE_MAX_BYTES 48

/* Room for a quoted input: every byte escaped as \\xHH, then "...". */
#define QUOTE_SIZE (QUOTE_MAX_BYTES * 4 + 4)
_Static_assert(QUOTE_SIZE == DYNENUM_QUOTE_SIZE, "dynenum.h states the quote size");

/* Characters a reader could take for a space, or could not see at all
** (default-ignorable code points show as nothing, and the bidirectional
** controls among them would reorder the rest of the message); and the
** backslash, so that an escape in the message is never text of the input. */
static int needs_escape(uint32_t cp) {
  return (cp != 0x20 && dynenum_is_space_or_control(cp)) || cp == '\\' || dynenum_is_default_ignorable(cp);
}

/* A name in the unquoted list of a strict check ("one of A, B, \u2026 (N
** members); did you mean ...") also has the list's own punctuation
** escaped, so that it cannot end the list early or fake a count or a
** suggestion. */
static int needs_escape_listed(uint32_t cp) {
  return needs_escape(cp) || cp == ',' || cp == ';' || cp == '(' || cp == ')' || cp == 0x2026;
}

static void quote_escaping(char *buf, size_t cap, const char *s, size_t n, int (*escaped)(uint32_t));

/* Writes s into buf as it should appear inside '...' of a message: at most
** QUOTE_MAX_BYTES of it (never cutting a UTF-8 sequence), with malformed
** bytes, invisible characters and backslashes written \xHH, and "..." when
** cut short. */
void dynenum_quote(char *buf, size_t cap, const char *s, size_t n) { quote_escaping(buf, cap, s, n, needs_escape); }

static void quote_escaping(char *buf, size_t cap, const char *s, size_t n, int (*escaped)(uint32_t)) {
  const unsigned char *at = (const unsigned char *)s, *end = at + n;
  size_t used = 0, shown = 0;
  buf[0] = 0;
  while (at < end) {
    uint32_t cp;
    int len = dynenum_utf8_decode(at, (size_t)(end - at), &cp);
    int escape = len == 0 || escaped(cp);
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

/* Room for how a message names a text: "value '...' of member '...'". */
#define SUBJECT_SIZE (2 * QUOTE_SIZE + 32)

/* Writes into subject (SUBJECT_SIZE bytes) how a message names the text
** s: "name '...'" when it is a name (is_name), else "value '...' of member
** '...'" with the member's name. */
static void describe_text(char *subject, const char *s, size_t n, int is_name, const char *member,
                          size_t member_len) {
  char shown[QUOTE_SIZE], owner[QUOTE_SIZE];
  dynenum_quote(shown, sizeof shown, s, n);
  if (is_name) {
    snprintf(subject, SUBJECT_SIZE, "name '%s'", shown);
  } else {
    dynenum_quote(owner, sizeof owner, member, member_len);
    snprintf(subject, SUBJECT_SIZE, "value '%s' of member '%s'", shown, owner);
  }
}

/* dynenum_utf8_decode of the unit at at (before end), an ASCII byte
** answered here: the checks of every added or loaded member walk their
** texts a unit at a time, and names are mostly ASCII. */
static inline int decode_unit(const unsigned char *at, const unsigned char *end, uint32_t *cp) {
  if (*at < 0x80) {
    *cp = *at;
    return 1;
  }
  return dynenum_utf8_decode(at, (size_t)(end - at), cp);
}

/* Finds the first code point of s for which test holds, stepping over
** bytes that are not well-formed UTF-8: 1 with it in *found, else 0.
** Messages name the character this way, since many are invisible. */
static int find_code_point(const char *s, size_t n, int (*test)(uint32_t), uint32_t *found) {
  const unsigned char *at = (const unsigned char *)s, *end = at + n;
  while (at < end) {
    uint32_t cp;
    int len = decode_unit(at, end, &cp);
    if (len && test(cp)) {
      *found = cp;
      return 1;
    }
    at += len ? len : 1;
  }
  return 0;
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

static int lock_shared(pthread_rwlock_t *l) { return pthread_rwlock_rdlock(l) ? DYNENUM_LOCK : DYNENUM_OK; }
static int lock_exclusive(pthread_rwlock_t *l) { return pthread_rwlock_wrlock(l) ? DYNENUM_LOCK : DYNENUM_OK; }
static void unlock(pthread_rwlock_t *l) {
  /* Fails only for a lock this thread does not hold, which cannot happen. */
  int rc = pthread_rwlock_unlock(l);
  (void)rc;
}

static void unlock_writer(pthread_mutex_t *m) {
  int rc = pthread_mutex_unlock(m); /* as above */
  (void)rc;
}

/* ---- Hashing --------------------------------------------------------------- */

/* A hash of the key bytes, eight at a time: each word is mixed in with a
** multiply and a shift, and the result is mixed once more so that the low
** bits, which pick the slot, depend on every byte.  The seed is each table
** owner's own, so that whoever chooses the names cannot choose collisions
** without knowing it. */
static uint64_t hash_bytes(uint64_t seed, const char *s, size_t n) {
  const uint64_t k = 0xbf58476d1ce4e5b9u;
  uint64_t h = seed ^ 0x9e3779b97f4a7c15u ^ n;
  for (; n >= 8; s += 8, n -= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = (h ^ w) * k;
    h ^= h >> 31;
  }
  if (n) {
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * k;
    h ^= h >> 31;
  }
  h *= 0x94d049bb133111ebu;
  return h ^ (h >> 29);
}

/* A seed for an object's hash tables: its address (randomised by the
** system's address space layout) and the clock, mixed. */
static uint64_t new_seed(const void *object) {
  struct timespec now;
  uint64_t x = (uint64_t)(uintptr_t)object;
  if (clock_gettime(CLOCK_MONOTONIC, &now) == 0) x ^= (uint64_t)now.tv_nsec * 0x9e3779b97f4a7c15u ^ (uint64_t)now.tv_sec;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdu;
  x ^= x >> 33;
  return x;
}

/* ---- Hash tables ----------------------------------------------------------- */

typedef struct slot {
  _Atomic(const char *) key; /* NULL for an empty slot; owned by the value */
  uint64_t hash;
  size_t key_len;
  void *value;
} slot;

typedef struct table {
  struct table *retired_next; /* in the owner's list of tables replaced by growth */
  size_t mask;                /* capacity - 1; capacity is a power of two */
  size_t count;               /* written by the one writer of the moment only */
  slot slots[];
} table;

/* Finds key in t (which may be NULL): safe while a writer inserts. */
static void *table_find(const table *t, const char *key, size_t len, uint64_t hash) {
  if (!t) return NULL;
  for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
    const slot *s = &t->slots[i];
    const char *k = atomic_load_explicit(&s->key, memory_order_acquire);
    if (!k) return NULL;
    if (s->hash == hash && s->key_len == len && memcmp(k, key, len) == 0) return s->value;
  }
}

/* Puts an entry into a slot of t that has room, publishing the key last. */
static void table_put(table *t, const char *key, size_t len, uint64_t hash, void *value) {
  size_t i = hash & t->mask;
  while (atomic_load_explicit(&t->slots[i].key, memory_order_relaxed)) i = (i + 1) & t->mask;
  t->slots[i].hash = hash;
  t->slots[i].key_len = len;
  t->slots[i].value = value;
  atomic_store_explicit(&t->slots[i].key, key, memory_order_release);
  t->count++;
}

static table *table_new(const dynenum_config *c, size_t capacity) {
  table *t = alloc(c, sizeof *t + capacity * sizeof(slot));
  if (!t) return NULL;
  t->retired_next = NULL;
  t->mask = capacity - 1;
  t->count = 0;
  for (size_t i = 0; i < capacity; i++) {
    atomic_init(&t->slots[i].key, NULL);
    t->slots[i].hash = 0;
    t->slots[i].key_len = 0;
    t->slots[i].value = NULL;
  }
  return t;
}

/* Makes room for extra more entries in *where, keeping it at most half
** full.  A grown table replaces the old one with a release store; the old
** one goes to *retired (readers may still be probing it), or is freed at
** once when retired is NULL (the caller excludes readers). */
static int table_reserve(const dynenum_config *c, _Atomic(table *) *where, size_t extra, table **retired) {
  table *t = atomic_load_explicit(where, memory_order_relaxed);
  size_t capacity = t ? t->mask + 1 : 0, need = (t ? t->count : 0) + extra;
  if (need * 2 <= capacity) return DYNENUM_OK;
  size_t grown = capacity ? capacity : 16;
  while (need * 2 > grown) grown *= 2;
  table *bigger = table_new(c, grown);
  if (!bigger) return DYNENUM_NOMEM;
  for (size_t i = 0; i < capacity; i++) {
    const char *key = atomic_load_explicit(&t->slots[i].key, memory_order_relaxed);
    if (key) table_put(bigger, key, t->slots[i].key_len, t->slots[i].hash, t->slots[i].value);
  }
  atomic_store_explicit(where, bigger, memory_order_release);
  if (t && retired) {
    t->retired_next = *retired;
    *retired = t;
  } else {
    release_memory(c, t);
  }
  return DYNENUM_OK;
}

/* Removes key, shifting later entries of its probe run back into the gap.
** Only for a table no reader can be probing (the registry's, under its
** exclusive lock). */
static void table_remove(table *t, const char *key, size_t len, uint64_t hash) {
  if (!t) return;
  size_t i = hash & t->mask;
  for (;; i = (i + 1) & t->mask) {
    slot *s = &t->slots[i];
    const char *k = atomic_load_explicit(&s->key, memory_order_relaxed);
    if (!k) return;
    if (s->hash == hash && s->key_len == len && memcmp(k, key, len) == 0) break;
  }
  t->count--;
  for (size_t j = (i + 1) & t->mask;; j = (j + 1) & t->mask) {
    const char *k = atomic_load_explicit(&t->slots[j].key, memory_order_relaxed);
    if (!k) break;
    size_t home = t->slots[j].hash & t->mask;
    /* Move j into the gap at i unless its home lies cyclically in (i, j]. */
    int stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!stays) {
      t->slots[i].hash = t->slots[j].hash;
      t->slots[i].key_len = t->slots[j].key_len;
      t->slots[i].value = t->slots[j].value;
      atomic_store_explicit(&t->slots[i].key, k, memory_order_relaxed);
      i = j;
    }
  }
  atomic_store_explicit(&t->slots[i].key, NULL, memory_order_relaxed);
}

/* Frees a table and every table in its retired list. */
static void free_tables(const dynenum_config *c, table *t) {
  while (t) {
    table *next = t->retired_next;
    c->free_fn(t);
    t = next;
  }
}

/* ---- Members --------------------------------------------------------------- */

/* Which keys of a member are stored apart from its value.  A key with the
** bytes of the value is not stored again: the usual member (INSERT INTO
** e(name)) has the key of its name as its value, so it stores one text
** beside its name. */
enum {
  NAME_KEY_STORED = 1,      /* the name's key follows the value; else it is the value's bytes */
  VALUE_KEY_STORED = 2,     /* the value's key follows (after the name's, if stored) */
  VALUE_KEY_IS_NAME_KEY = 4 /* the value's key is the name's key */
};

/* A member and, right after it in the arena, its name and value (each
** NUL-terminated) and the keys the flags say are stored, each after its
** length in two bytes.  Only retired changes once it is published. */
typedef struct member_record {
  dynenum_member pub;
  unsigned char keys;            /* the flags above */
  _Atomic unsigned char retired; /* a flag, not a field of pub: it changes while readers look */
  char text[];
} member_record;

/* An alias and, in the same allocation, its name and key. */
typedef struct alias_record {
  dynenum_alias pub;
  const char *name_key;
  size_t name_key_len;
} alias_record;

typedef struct text_span {
  const char *at;
  size_t len;
} text_span;

static text_span stored_key(const char *at) {
  uint16_t len;
  memcpy(&len, at, sizeof len);
  return (text_span){at + sizeof len, len};
}

static text_span name_key_of(const member_record *m) {
  if (!(m->keys & NAME_KEY_STORED)) return (text_span){m->pub.value, m->pub.value_len};
  return stored_key(m->pub.value + m->pub.value_len + 1);
}

static text_span value_key_of(const member_record *m) {
  if (m->keys & VALUE_KEY_IS_NAME_KEY) return name_key_of(m);
  if (!(m->keys & VALUE_KEY_STORED)) return (text_span){m->pub.value, m->pub.value_len};
  const char *at = m->pub.value + m->pub.value_len + 1;
  if (m->keys & NAME_KEY_STORED) {
    text_span name_key = stored_key(at);
    at = name_key.at + name_key.len;
  }
  return stored_key(at);
}

/* The texts of a member to be written into a record. */
typedef struct member_texts {
  text_span name, value, name_key, value_key;
  unsigned char keys;
} member_texts;

static int same_span(text_span a, text_span b) { return a.len == b.len && memcmp(a.at, b.at, a.len) == 0; }

/* Decides which keys t stores and returns the size of its record. */
static size_t record_size(member_texts *t) {
  size_t size = offsetof(member_record, text) + t->name.len + 1 + t->value.len + 1;
  t->keys = 0;
  if (!same_span(t->name_key, t->value)) {
    t->keys |= NAME_KEY_STORED;
    size += sizeof(uint16_t) + t->name_key.len;
  }
  if (same_span(t->value_key, t->name_key)) {
    t->keys |= VALUE_KEY_IS_NAME_KEY;
  } else if (!same_span(t->value_key, t->value)) {
    t->keys |= VALUE_KEY_STORED;
    size += sizeof(uint16_t) + t->value_key.len;
  }
  return size;
}

static char *put_text(char *at, text_span s, int terminate) {
  memcpy(at, s.at, s.len);
  at += s.len;
  if (terminate) *at++ = 0;
  return at;
}

static char *put_key(char *at, text_span key) {
  uint16_t len = (uint16_t)key.len; /* at most DYNENUM_MAX_KEY_BYTES */
  memcpy(at, &len, sizeof len);
  return put_text(at + sizeof len, key, 0);
}

/* Writes the record of t (record_size called first) at m. */
static void member_fill(member_record *m, const member_texts *t) {
  memset(m, 0, offsetof(member_record, text));
  char *at = m->text;
  m->pub.name = at;
  m->pub.name_len = t->name.len;
  at = put_text(at, t->name, 1);
  m->pub.value = at;
  m->pub.value_len = t->value.len;
  at = put_text(at, t->value, 1);
  if (t->keys & NAME_KEY_STORED) at = put_key(at, t->name_key);
  if (t->keys & VALUE_KEY_STORED) put_key(at, t->value_key);
  m->keys = t->keys;
  atomic_init(&m->retired, 0);
}

/* An array of pointers in the order they were added; replaced by a bigger
** copy when full, the old one retired like a table (the aliases, the
** arena's chunks). */
typedef struct record_array {
  struct record_array *retired_next;
  size_t capacity;
  void *items[];
} record_array;

/* ---- The arena and the key index -------------------------------------------- */

/* Member records live in an arena of chunks, each allocated once and never
** moved or freed before the enum: no allocator overhead per member, and a
** member is named by a 32-bit reference (its chunk, and its offset there in
** units of ARENA_UNIT bytes), which is what the member list and the key
** index hold. */
#define ARENA_UNIT 8
#define CHUNK_SHIFT 17               /* a chunk holds at most 2^17 units, 1 MiB */
#define FIRST_CHUNK_UNITS 128        /* 1 KiB: a small enum stays small */
#define MAX_CHUNKS (1u << 13)        /* references below 2^30, so index entries can tag them */
#define MAX_ALIASES ((size_t)1 << 30) /* the same for alias numbers */

/* The member list: ordinal order, in segments that never move, segment s
** holding LIST_FIRST << s references, so that a reader never meets a
** retired copy and a big enum keeps no old copies. */
#define LIST_FIRST 16
#define LIST_SEGMENTS 27 /* LIST_FIRST * (2^27 - 1) references: more than MAX_CHUNKS can hold */

/* The key index: the key of a real member's name, of its value and of each
** alias, to that member.  Open addressing with linear probing, at most half
** full, each slot one 64-bit word published with a release store: the top
** 32 bits of the key's hash (which also choose its home slot), then the
** reference of the member, or the number of the alias, plus one, shifted
** left once, with bit 0 set for an alias.  0 is an empty slot.  A probe
** compares the stored hash bits before it looks at any record. */
typedef struct key_index {
  struct key_index *retired_next; /* in the owner's list of indexes replaced by growth */
  size_t mask;                    /* capacity - 1; capacity is a power of two */
  size_t count;                   /* written by the one writer of the moment only */
  _Atomic uint64_t slots[];
} key_index;

/* ---- Enums ----------------------------------------------------------------- */

struct dynenum_enum {
  _Atomic size_t refs;
  dynenum_config config;
  uint64_t seed;          /* of its hash tables */
  pthread_mutex_t writer; /* held to add or intern */
  char *name;
  size_t name_len;
  char shown[QUOTE_SIZE]; /* the name as error messages quote it */
  _Atomic(uint32_t *) list[LIST_SEGMENTS]; /* the real members' references, in ordinal order */
  _Atomic size_t count;          /* real members, published after each is stored */
  _Atomic(record_array *) chunks; /* the arena's chunks, in order */
  size_t chunk_count;            /* writer only, like the two below */
  size_t chunk_used, chunk_units; /* units used and held by the last chunk */
  _Atomic(record_array *) aliases;
  _Atomic size_t alias_count;    /* aliases, published like the members */
  _Atomic(key_index *) real;     /* key of a real member's name, value or alias -> member */
  _Atomic(table *) dynamic;      /* key -> interned dynamic member (in the arena) */
  _Atomic size_t dynamic_count;  /* interned dynamic members */
  key_index *retired_indexes;    /* replaced by growth; freed with the enum */
  table *retired_tables;
  record_array *retired_arrays;
  void *userdata;
  void (*destroy_userdata)(void *);
  _Atomic int published;        /* in the process's table of published enums: read-only */
  char *published_key;          /* the name it is published under there */
  size_t published_key_len;
  dynenum_enum *published_next; /* its chain there, under published_lock */
};

struct dynenum_registry {
  dynenum_config config;
  uint64_t seed; /* of its table of enums */
  pthread_rwlock_t lock;
  _Atomic(table *) enums; /* name -> enum, which the registry holds a reference to */
};

/* A malloc_fn without its free_fn (or the reverse) is refused rather than
** replaced: blocks from one allocator freed by another corrupt the heap, and
** silently using the C library's would hide the caller's mistake. */
static int config_defaults(dynenum_config *out, const dynenum_config *in) {
  memset(out, 0, sizeof *out);
  if (in) *out = *in;
  if (!out->malloc_fn != !out->free_fn) return DYNENUM_MISUSE;
  if (!out->malloc_fn) {
    out->malloc_fn = malloc;
    out->free_fn = free;
  }
  if (out->dynamic_cap == 0) out->dynamic_cap = DYNENUM_DEFAULT_DYNAMIC_CAP;
  return DYNENUM_OK;
}

/* ---- Arena, member list and key index: the parts that need the enum ------ */

static void *arena_at(const dynenum_enum *e, uint32_t ref) {
  const record_array *chunks = atomic_load_explicit(&e->chunks, memory_order_acquire);
  return (char *)chunks->items[ref >> CHUNK_SHIFT] + (size_t)(ref & ((1u << CHUNK_SHIFT) - 1)) * ARENA_UNIT;
}

static int reserve_record(dynenum_enum *e, _Atomic(record_array *) *where, size_t count);

/* Makes room for size bytes in the arena (writer only); the room is taken
** by arena_take.  A new chunk holds twice its predecessor, up to 1 MiB, so
** a small enum allocates little and a big one wastes at most one chunk's
** tail. */
static int arena_reserve(dynenum_enum *e, size_t size) {
  size_t units = (size + ARENA_UNIT - 1) / ARENA_UNIT;
  if (e->chunk_count && e->chunk_used + units <= e->chunk_units) return DYNENUM_OK;
  if (e->chunk_count == MAX_CHUNKS) return DYNENUM_NOMEM;
  size_t grown = e->chunk_count ? e->chunk_units * 2 : FIRST_CHUNK_UNITS;
  if (grown > (size_t)1 << CHUNK_SHIFT) grown = (size_t)1 << CHUNK_SHIFT;
  if (grown < units) grown = units;
  int rc = reserve_record(e, &e->chunks, e->chunk_count);
  if (rc != DYNENUM_OK) return rc;
  void *chunk = alloc(&e->config, grown * ARENA_UNIT);
  if (!chunk) return DYNENUM_NOMEM;
  /* Readers reach the chunk only through a reference published later. */
  atomic_load_explicit(&e->chunks, memory_order_relaxed)->items[e->chunk_count++] = chunk;
  e->chunk_used = 0;
  e->chunk_units = grown;
  return DYNENUM_OK;
}

/* Takes the room arena_reserve made and returns its reference. */
static uint32_t arena_take(dynenum_enum *e, size_t size) {
  uint32_t ref = (uint32_t)((e->chunk_count - 1) << CHUNK_SHIFT | e->chunk_used);
  e->chunk_used += (size + ARENA_UNIT - 1) / ARENA_UNIT;
  return ref;
}

/* The segment of the member list that holds index i, and i's place in it. */
static size_t list_segment(size_t i, size_t *place) {
  size_t shifted = i + LIST_FIRST, segment = 0;
  while (shifted >> (segment + 1) >= LIST_FIRST) segment++;
  *place = shifted - ((size_t)LIST_FIRST << segment);
  return segment;
}

/* The arena's limit on members comes first: the list never runs out of
** segments, and the key index's 2 entries a member and MAX_ALIASES never
** need more than 2^32 slots. */
_Static_assert((uint64_t)MAX_CHUNKS * ((uint64_t)ARENA_UNIT << CHUNK_SHIFT) / offsetof(member_record, text) <
                   (uint64_t)LIST_FIRST * ((1u << LIST_SEGMENTS) - 1),
               "the member list holds every member the arena can");
_Static_assert(((uint64_t)MAX_CHUNKS * ((uint64_t)ARENA_UNIT << CHUNK_SHIFT) / offsetof(member_record, text) * 2 +
                MAX_ALIASES) * 2 <= (uint64_t)1 << 32,
               "a key index of 2^32 slots holds every key, at most half full");

/* Makes room for the member of index count in the list (writer only). */
static int list_reserve(dynenum_enum *e, size_t count) {
  size_t place, segment = list_segment(count, &place);
  if (atomic_load_explicit(&e->list[segment], memory_order_relaxed)) return DYNENUM_OK;
  uint32_t *refs = alloc(&e->config, ((size_t)LIST_FIRST << segment) * sizeof *refs);
  if (!refs) return DYNENUM_NOMEM;
  atomic_store_explicit(&e->list[segment], refs, memory_order_release);
  return DYNENUM_OK;
}

static uint32_t *list_place(const dynenum_enum *e, size_t i) {
  size_t place, segment = list_segment(i, &place);
  return atomic_load_explicit(&e->list[segment], memory_order_acquire) + place;
}

static uint64_t index_entry(uint64_t hash, size_t number, int alias) {
  return (hash >> 32) << 32 | (uint64_t)(number + 1) << 1 | (alias ? 1u : 0u);
}

static void index_put(key_index *t, uint64_t entry) {
  size_t i = (size_t)(entry >> 32) & t->mask;
  while (atomic_load_explicit(&t->slots[i], memory_order_relaxed)) i = (i + 1) & t->mask;
  atomic_store_explicit(&t->slots[i], entry, memory_order_release);
  t->count++;
}

/* Makes room for extra more entries in the key index (writer only), at
** most half full; the old index is retired, as readers may be probing it. */
static int index_reserve(dynenum_enum *e, size_t extra) {
  key_index *t = atomic_load_explicit(&e->real, memory_order_relaxed);
  size_t capacity = t ? t->mask + 1 : 0, need = (t ? t->count : 0) + extra;
  if (need * 2 <= capacity) return DYNENUM_OK;
  size_t grown = capacity ? capacity : 16;
  while (need * 2 > grown) grown *= 2;
  key_index *bigger = alloc(&e->config, sizeof *bigger + grown * sizeof(uint64_t));
  if (!bigger) return DYNENUM_NOMEM;
  bigger->retired_next = NULL;
  bigger->mask = grown - 1;
  bigger->count = 0;
  for (size_t i = 0; i < grown; i++) atomic_init(&bigger->slots[i], 0);
  for (size_t i = 0; i < capacity; i++) {
    uint64_t entry = atomic_load_explicit(&t->slots[i], memory_order_relaxed);
    if (entry) index_put(bigger, entry);
  }
  atomic_store_explicit(&e->real, bigger, memory_order_release);
  if (t) {
    t->retired_next = e->retired_indexes;
    e->retired_indexes = t;
  }
  return DYNENUM_OK;
}

/* Asks the processor for the slot where a probe for hash starts: in an
** index of 10^6 members nearly every probe misses the cache, and a member
** being added has its value checked and keyed meanwhile.  Only a hint: the
** index may be replaced before the probe (it stays allocated, retired). */
static void index_prefetch(const dynenum_enum *e, uint64_t hash) {
#if defined(__GNUC__) || defined(__clang__)
  const key_index *t = atomic_load_explicit(&e->real, memory_order_acquire);
  if (t) __builtin_prefetch(&t->slots[(uint32_t)(hash >> 32) & t->mask]);
#else
  (void)e;
  (void)hash;
#endif
}

static int span_is(text_span s, const char *key, size_t len) { return s.len == len && memcmp(s.at, key, len) == 0; }

/* The real member with the key, or NULL: safe while a writer adds. */
static const member_record *index_find(const dynenum_enum *e, const char *key, size_t len, uint64_t hash) {
  const key_index *t = atomic_load_explicit(&e->real, memory_order_acquire);
  if (!t) return NULL;
  uint32_t check = (uint32_t)(hash >> 32);
  for (size_t i = check & t->mask;; i = (i + 1) & t->mask) {
    uint64_t entry = atomic_load_explicit(&t->slots[i], memory_order_acquire);
    if (!entry) return NULL;
    if ((uint32_t)(entry >> 32) != check) continue;
    size_t number = (size_t)((entry & 0xffffffffu) >> 1) - 1;
    if (entry & 1) {
      const alias_record *r = atomic_load_explicit(&e->aliases, memory_order_acquire)->items[number];
      if (r->name_key_len == len && memcmp(r->name_key, key, len) == 0) return (const member_record *)r->pub.member;
    } else {
      /* Either key of the member will do: the index gives each key one member. */
      const member_record *m = arena_at(e, (uint32_t)number);
      if (span_is(name_key_of(m), key, len) || span_is(value_key_of(m), key, len)) return m;
    }
  }
}

static void free_indexes(const dynenum_config *c, key_index *t) {
  while (t) {
    key_index *next = t->retired_next;
    c->free_fn(t);
    t = next;
  }
}

static void enum_free(dynenum_enum *e) {
  const dynenum_config *c = &e->config;
  record_array *chunks = atomic_load_explicit(&e->chunks, memory_order_acquire);
  record_array *aliases = atomic_load_explicit(&e->aliases, memory_order_acquire);
  size_t alias_count = atomic_load_explicit(&e->alias_count, memory_order_acquire);
  if (e->destroy_userdata) e->destroy_userdata(e->userdata);
  /* Members, dynamic ones included, live in the arena's chunks. */
  for (size_t i = 0; i < e->chunk_count; i++) c->free_fn(chunks->items[i]);
  for (size_t i = 0; i < LIST_SEGMENTS; i++) release_memory(c, atomic_load_explicit(&e->list[i], memory_order_relaxed));
  for (size_t i = 0; i < alias_count; i++) release_memory(c, aliases->items[i]);
  free_indexes(c, atomic_load_explicit(&e->real, memory_order_relaxed));
  free_indexes(c, e->retired_indexes);
  free_tables(c, atomic_load_explicit(&e->dynamic, memory_order_relaxed));
  free_tables(c, e->retired_tables);
  release_memory(c, chunks);
  release_memory(c, aliases);
  for (record_array *a = e->retired_arrays; a;) {
    record_array *next = a->retired_next;
    c->free_fn(a);
    a = next;
  }
  release_memory(c, e->name);
  release_memory(c, e->published_key);
  pthread_mutex_destroy(&e->writer);
  c->free_fn(e);
}

static int enum_new(const dynenum_config *c, const char *name, size_t n, dynenum_enum **out) {
  dynenum_enum *e = alloc(c, sizeof *e);
  if (!e) return DYNENUM_NOMEM;
  memset(e, 0, sizeof *e);
  e->config = *c;
  e->seed = new_seed(e);
  e->name = alloc(c, n + 1);
  if (!e->name) {
    c->free_fn(e);
    return DYNENUM_NOMEM;
  }
  memcpy(e->name, name, n);
  e->name[n] = 0;
  e->name_len = n;
  dynenum_quote(e->shown, sizeof e->shown, name, n);
  if (pthread_mutex_init(&e->writer, NULL)) {
    c->free_fn(e->name);
    c->free_fn(e);
    return DYNENUM_LOCK;
  }
  atomic_init(&e->refs, 1);
  for (size_t i = 0; i < LIST_SEGMENTS; i++) atomic_init(&e->list[i], NULL);
  atomic_init(&e->count, 0);
  atomic_init(&e->chunks, NULL);
  atomic_init(&e->aliases, NULL);
  atomic_init(&e->alias_count, 0);
  atomic_init(&e->real, NULL);
  atomic_init(&e->dynamic, NULL);
  atomic_init(&e->dynamic_count, 0);
  atomic_init(&e->published, 0);
  *out = e;
  return DYNENUM_OK;
}

int dynenum_enum_new(const dynenum_config *config, const char *name, size_t n, dynenum_enum **out) {
  dynenum_config defaults;
  if (!out) return DYNENUM_MISUSE;
  *out = NULL;
  if ((!name && n) || config_defaults(&defaults, config) != DYNENUM_OK) return DYNENUM_MISUSE;
  return enum_new(&defaults, name ? name : "", n, out);
}

void dynenum_enum_retain(dynenum_enum *e) {
  if (e) atomic_fetch_add(&e->refs, 1);
}

static void release_published(dynenum_enum *e);

void dynenum_enum_release(dynenum_enum *e) {
  if (!e) return;
  if (atomic_load_explicit(&e->published, memory_order_acquire)) release_published(e);
  else if (atomic_fetch_sub(&e->refs, 1) == 1) enum_free(e);
}

const char *dynenum_enum_name(const dynenum_enum *e) { return e->name; }
size_t dynenum_enum_name_length(const dynenum_enum *e) { return e->name_len; }

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

/* The one place the words for a refused name or value are chosen.  subject
** is how describe_text names the text, n its length, cp the offending code
** point of DYNENUM_BADCHAR and DYNENUM_IGNORABLE; a dynamic name (dynamic
** set) is refused whitespace as well as control characters. */
static int refuse_text(const dynenum_enum *e, int code, const char *subject, size_t n, uint32_t cp, int dynamic,
                       dynenum_error *err) {
  switch (code) {
    case DYNENUM_EMPTY: return set_error(err, code, "empty name in enum '%s'", e->shown);
    case DYNENUM_TOOLONG:
      return set_error(err, code, "%s too long (%zu bytes, at most %d) in enum '%s'", subject, n, DYNENUM_MAX_BYTES,
                       e->shown);
    case DYNENUM_MALFORMED: return set_error(err, code, "malformed UTF-8 in %s in enum '%s'", subject, e->shown);
    case DYNENUM_RESERVED: return set_error(err, code, "reserved %s in enum '%s'", subject, e->shown);
    case DYNENUM_IGNORABLE:
      return set_error(err, code, "default-ignorable character U+%04X in %s in enum '%s'", (unsigned)cp, subject,
                       e->shown);
    default:
      return set_error(err, code, "%scontrol character U+%04X in %s in enum '%s'", dynamic ? "whitespace or " : "",
                       (unsigned)cp, subject, e->shown);
  }
}

static int is_control(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

/* Refuses a member's name (is_name) or value for code, naming it.  The
** text is quoted only here: quoting on every check was most of the cost of
** adding or loading a member. */
static int refuse_member_text(const dynenum_enum *e, int code, const char *s, size_t n, int is_name,
                              const char *member, size_t member_len, uint32_t cp, dynenum_error *err) {
  char subject[SUBJECT_SIZE];
  describe_text(subject, s, n, is_name, member, member_len);
  return refuse_text(e, code, subject, n, cp, 0, err);
}

/* Checks a member's name (is_name) or value; returns a code and explains it. */
static int check_member_text(const dynenum_enum *e, const char *s, size_t n, int is_name,
                             const char *member, size_t member_len, dynenum_error *err) {
  const unsigned char *at = (const unsigned char *)s, *end = at + n;
  uint32_t control = 0;
  int code = DYNENUM_OK;
  if (is_name && n == 0) return refuse_text(e, DYNENUM_EMPTY, "", 0, 0, 0, err);
  if (n > DYNENUM_MAX_BYTES) return refuse_member_text(e, DYNENUM_TOOLONG, s, n, is_name, member, member_len, 0, err);
  while (at < end) {
    uint32_t cp;
    int len = decode_unit(at, end, &cp);
    if (len == 0) return refuse_member_text(e, DYNENUM_MALFORMED, s, n, is_name, member, member_len, 0, err);
    if (code == DYNENUM_OK && is_control(cp)) {
      code = DYNENUM_BADCHAR;
      control = cp;
    }
    at += len;
  }
  /* Which names are reserved is the key's rule (core/key.c); the empty,
  ** too long and malformed cases were answered above in the same order. */
  if (is_name && dynenum_check_dynamic_name(s, n) == DYNENUM_RESERVED) code = DYNENUM_RESERVED;
  return code == DYNENUM_OK ? code : refuse_member_text(e, code, s, n, is_name, member, member_len, control, err);
}

int dynenum_enum_check_name(const dynenum_enum *e, const char *s, size_t n, dynenum_error *err) {
  char subject[SUBJECT_SIZE];
  uint32_t cp = 0;
  int code = dynenum_check_dynamic_name(s, n);
  if (code == DYNENUM_OK) return code;
  describe_text(subject, s, n, 1, NULL, 0);
  if (code == DYNENUM_BADCHAR) find_code_point(s, n, dynenum_is_space_or_control, &cp);
  return refuse_text(e, code, subject, n, cp, 1, err);
}

/* The rule of dynenum_enum_check_new_member for one text: a name
** (is_name), or a value of member. */
static int check_new_text(const dynenum_enum *e, const char *s, size_t n, int is_name, const char *member,
                          size_t member_len, size_t *ascii_out, dynenum_error *err) {
  uint32_t cp;
  size_t ascii = 0;
  /* No ASCII character is default-ignorable (the first is U+00AD;
  ** tests/ignorable_test.c checks every code point): skip them unasked. */
  while (ascii < n && (unsigned char)s[ascii] < 0x80) ascii++;
  if (ascii_out) *ascii_out = ascii;
  if (!find_code_point(s + ascii, n - ascii, dynenum_is_default_ignorable, &cp)) return DYNENUM_OK;
  return refuse_member_text(e, DYNENUM_IGNORABLE, s, n, is_name, member, member_len, cp, err);
}

int dynenum_enum_check_new_member(const dynenum_enum *e, const char *name, size_t name_len, const char *value,
                                  size_t value_len, dynenum_error *err) {
  if (!e || (!name && name_len)) {
    return set_error(err, DYNENUM_MISUSE, "dynenum_enum_check_new_member(): NULL argument");
  }
  if (!name) name = "";
  int rc = check_new_text(e, name, name_len, 1, name, name_len, NULL, err);
  if (rc == DYNENUM_OK && value) rc = check_new_text(e, value, value_len, 0, name, name_len, NULL, err);
  return rc;
}

/* Makes room for one more record in the array *where that holds count
** (the members or the aliases; writer only). */
static int reserve_record(dynenum_enum *e, _Atomic(record_array *) *where, size_t count) {
  record_array *a = atomic_load_explicit(where, memory_order_relaxed);
  if (a && count < a->capacity) return DYNENUM_OK;
  size_t capacity = a ? a->capacity * 2 : 8;
  record_array *bigger = alloc(&e->config, sizeof *bigger + capacity * sizeof(void *));
  if (!bigger) return DYNENUM_NOMEM;
  bigger->retired_next = NULL;
  bigger->capacity = capacity;
  if (count) memcpy(bigger->items, a->items, count * sizeof(void *));
  atomic_store_explicit(where, bigger, memory_order_release);
  if (a) {
    a->retired_next = e->retired_arrays;
    e->retired_arrays = a;
  }
  return DYNENUM_OK;
}

/* A member about to be added: its texts and their keys, checked. */
typedef struct candidate {
  const char *name, *value;
  size_t name_len, value_len;
  char name_key[DYNENUM_MAX_KEY_BYTES], value_key[DYNENUM_MAX_KEY_BYTES];
  size_t name_key_len, value_key_len;
  int same_key; /* the name and the value have one key */
  uint64_t name_hash, value_hash;
} candidate;

/* Checks the name and value of a new member by the rules of every member
** and computes their keys into *c.  A NULL value is the key of the name.
** name_checked is one of: */
enum {
  NAME_UNCHECKED,
  NAME_CHECKED,      /* passed dynenum_check_dynamic_name, whose rule includes a member name's */
  NAME_CHECKED_ASCII /* that, and all ASCII */
};
static int prepare_candidate(const dynenum_enum *e, const char *name, size_t name_len, const char *value,
                             size_t value_len, int name_checked, candidate *c, dynenum_error *err) {
  int rc = name_checked != NAME_UNCHECKED ? DYNENUM_OK : check_member_text(e, name, name_len, 1, name, name_len, err);
  if (rc) return rc;
  c->name = name;
  c->name_len = name_len;
  c->name_key_len = dynenum_key(name, name_len, c->name_key, sizeof c->name_key);
  c->name_hash = hash_bytes(e->seed, c->name_key, c->name_key_len);
  index_prefetch(e, c->name_hash);
  if (value) {
    rc = check_member_text(e, value, value_len, 0, name, name_len, err);
    if (rc) return rc;
    c->value = value;
    c->value_len = value_len;
    c->value_key_len = dynenum_key(value, value_len, c->value_key, sizeof c->value_key);
  } else {
    /* The value of a name is its key, which must obey the rules of values:
    ** folding can lengthen a 255-byte name past 255 bytes.  Not an ASCII
    ** name's: its key is its bytes with A-Z lowered and '-' made '_'
    ** (core/key.c), no longer and with no control character the name lacks. */
    rc = name_checked == NAME_CHECKED_ASCII ? DYNENUM_OK
                                            : check_member_text(e, c->name_key, c->name_key_len, 0, name, name_len, err);
    if (rc) return rc;
    memcpy(c->value_key, c->name_key, c->name_key_len);
    c->value_key_len = c->name_key_len;
    c->value = c->value_key;
    c->value_len = c->value_key_len;
  }
  c->same_key = c->name_key_len == c->value_key_len && memcmp(c->name_key, c->value_key, c->name_key_len) == 0;
  c->value_hash = c->same_key ? c->name_hash : hash_bytes(e->seed, c->value_key, c->value_key_len);
  return DYNENUM_OK;
}

/* The facts of a collision: how the candidate meets which member. */
typedef enum collision_kind {
  NO_COLLISION,
  ALREADY_MEMBER, /* its name is byte for byte a member's (or, for an alias, a name of its member) */
  NAME_COLLIDES,  /* its name has the key of a member's name, value or alias */
  VALUE_COLLIDES  /* its value has the key of a member's name, value or alias */
} collision_kind;

typedef struct collision {
  collision_kind kind;
  const member_record *with;
  const alias_record *alias; /* the alias of with whose key it has, or NULL */
} collision;

static int same_bytes(const char *a, size_t a_len, const char *b, size_t b_len) {
  return a_len == b_len && memcmp(a, b, a_len) == 0;
}

/* The alias of m that has the key, when the key is not m's name's or
** value's; NULL otherwise (writer only, or an error path: a scan of the
** aliases). */
static const alias_record *alias_with_key(const dynenum_enum *e, const member_record *m, const char *key,
                                          size_t len) {
  if (span_is(name_key_of(m), key, len) || span_is(value_key_of(m), key, len)) return NULL;
  size_t count = atomic_load_explicit(&e->alias_count, memory_order_acquire);
  const record_array *a = atomic_load_explicit(&e->aliases, memory_order_acquire);
  for (size_t i = 0; i < count; i++) {
    const alias_record *r = a->items[i];
    if (r->pub.member == &m->pub && same_bytes(key, len, r->name_key, r->name_key_len)) return r;
  }
  return NULL;
}

/* Which real member, if any, the candidate collides with (writer only). */
static collision find_collision(const dynenum_enum *e, const candidate *c) {
  collision found = {NO_COLLISION, index_find(e, c->name_key, c->name_key_len, c->name_hash), NULL};
  if (found.with) {
    found.alias = alias_with_key(e, found.with, c->name_key, c->name_key_len);
    int same = !found.alias && same_bytes(c->name, c->name_len, found.with->pub.name, found.with->pub.name_len);
    found.kind = same ? ALREADY_MEMBER : NAME_COLLIDES;
  } else if (!c->same_key) {
    found.with = index_find(e, c->value_key, c->value_key_len, c->value_hash);
    if (found.with) {
      found.kind = VALUE_COLLIDES;
      found.alias = alias_with_key(e, found.with, c->value_key, c->value_key_len);
    }
  }
  return found;
}

/* The one place the words for a collision are chosen.  word is what the
** candidate is: "member" or "alias". */
static int report_collision(const dynenum_enum *e, const char *word, const candidate *c, collision found,
                            dynenum_error *err) {
  char name[QUOTE_SIZE], member[QUOTE_SIZE], key[QUOTE_SIZE], value[QUOTE_SIZE], other[SUBJECT_SIZE];
  dynenum_quote(name, sizeof name, c->name, c->name_len);
  dynenum_quote(member, sizeof member, found.with->pub.name, found.with->pub.name_len);
  if (found.alias) {
    char alias[QUOTE_SIZE];
    dynenum_quote(alias, sizeof alias, found.alias->pub.name, found.alias->pub.name_len);
    snprintf(other, sizeof other, "alias '%s' of member '%s'", alias, member);
  } else {
    snprintf(other, sizeof other, "member '%s'", member);
  }
  switch (found.kind) {
    case ALREADY_MEMBER:
      if (strcmp(word, "alias") == 0) {
        return set_error(err, DYNENUM_COLLISION, "alias '%s' is already a name of member '%s' in enum '%s'", name,
                         member, e->shown);
      }
      return set_error(err, DYNENUM_COLLISION, "member '%s' is already in enum '%s'", name, e->shown);
    case VALUE_COLLIDES:
      dynenum_quote(value, sizeof value, c->value, c->value_len);
      dynenum_quote(key, sizeof key, c->value_key, c->value_key_len);
      return set_error(err, DYNENUM_COLLISION, "value '%s' of member '%s' collides with %s in enum '%s' (same key '%s')",
                       value, name, other, e->shown, key);
    default:
      dynenum_quote(key, sizeof key, c->name_key, c->name_key_len);
      return set_error(err, DYNENUM_COLLISION, "%s '%s' collides with %s in enum '%s' (same key '%s')", word, name,
                       other, e->shown, key);
  }
}

/* Allocates the candidate's record and publishes it as the next member
** (writer only).  Everything is allocated first, so that a failure changes
** nothing readers see (a grown table or array holds the same entries as the
** one it replaces). */
static int append_member(dynenum_enum *e, const candidate *c, member_record **out) {
  member_texts t = {{c->name, c->name_len}, {c->value, c->value_len}, {c->name_key, c->name_key_len},
                    {c->value_key, c->value_key_len}, 0};
  size_t size = record_size(&t), count = atomic_load_explicit(&e->count, memory_order_relaxed);
  int rc = index_reserve(e, 2);
  if (rc == DYNENUM_OK) rc = list_reserve(e, count);
  if (rc == DYNENUM_OK) rc = arena_reserve(e, size);
  if (rc != DYNENUM_OK) return rc;
  uint32_t ref = arena_take(e, size);
  member_record *m = arena_at(e, ref);
  member_fill(m, &t);
  m->pub.ordinal = (int64_t)count + 1;
  /* The member goes into the list before the count says it is there, and
  ** is complete before any index entry names it. */
  *list_place(e, count) = ref;
  atomic_store_explicit(&e->count, count + 1, memory_order_release);
  key_index *real = atomic_load_explicit(&e->real, memory_order_relaxed);
  index_put(real, index_entry(c->name_hash, ref, 0));
  if (!c->same_key) index_put(real, index_entry(c->value_hash, ref, 0));
  *out = m;
  return DYNENUM_OK;
}

/* A published enum is read-only: whoever holds it may be reading it as the
** state of a file at one version. */
static int refuse_published(const dynenum_enum *e, dynenum_error *err) {
  return set_error(err, DYNENUM_MISUSE, "cannot change enum '%s': it is published, and read-only", e->shown);
}

/* dynenum_enum_add of a name (name_checked as prepare_candidate takes it)
** and value; e and name are not NULL. */
static int add_member(dynenum_enum *e, const char *name, size_t name_len, const char *value, size_t value_len,
                      int name_checked, const dynenum_member **out, dynenum_error *err) {
  candidate c;
  member_record *m = NULL;
  if (atomic_load_explicit(&e->published, memory_order_acquire)) return refuse_published(e, err);
  int rc = prepare_candidate(e, name, name_len, value, value_len, name_checked, &c, err);
  if (rc) return rc;
  if (pthread_mutex_lock(&e->writer)) return set_error(err, DYNENUM_LOCK, "cannot lock enum '%s'", e->shown);
  collision found = find_collision(e, &c);
  if (found.kind != NO_COLLISION) {
    rc = report_collision(e, "member", &c, found, err);
  } else if ((rc = append_member(e, &c, &m)) != DYNENUM_OK) {
    set_error(err, rc, "out of memory adding a member to enum '%s'", e->shown);
  }
  unlock_writer(&e->writer);
  if (rc == DYNENUM_OK && out) *out = &m->pub;
  return rc;
}

int dynenum_enum_add(dynenum_enum *e, const char *name, size_t name_len, const char *value,
                     size_t value_len, const dynenum_member **out, dynenum_error *err) {
  if (!e || (!name && name_len)) return set_error(err, DYNENUM_MISUSE, "dynenum_enum_add(): NULL argument");
  return add_member(e, name ? name : "", name_len, value, value_len, NAME_UNCHECKED, out, err);
}

/* The three calls in one, each rule applied once: the dynamic-name rule
** (decoding the name) is the costliest check of a bulk INSERT, and it
** includes the member-name rule that dynenum_enum_add would apply again. */
int dynenum_enum_add_new_member(dynenum_enum *e, const char *name, size_t name_len, const dynenum_member **out,
                                dynenum_error *err) {
  if (!e || (!name && name_len)) return set_error(err, DYNENUM_MISUSE, "dynenum_enum_add_new_member(): NULL argument");
  if (!name) name = "";
  size_t ascii = 0;
  int rc = dynenum_enum_check_name(e, name, name_len, err);
  if (rc == DYNENUM_OK) rc = check_new_text(e, name, name_len, 1, name, name_len, &ascii, err);
  if (rc == DYNENUM_OK) {
    rc = add_member(e, name, name_len, NULL, 0, ascii == name_len ? NAME_CHECKED_ASCII : NAME_CHECKED, out, err);
  }
  return rc;
}

size_t dynenum_enum_size(dynenum_enum *e) { return atomic_load_explicit(&e->count, memory_order_acquire); }

const dynenum_member *dynenum_enum_member(dynenum_enum *e, size_t index) {
  /* The count first: the array it was published with, or a later copy,
  ** holds every member it counts. */
  size_t count = atomic_load_explicit(&e->count, memory_order_acquire);
  if (index >= count) return NULL;
  const member_record *m = arena_at(e, *list_place(e, index));
  return &m->pub;
}

size_t dynenum_enum_dynamic_count(dynenum_enum *e) {
  return atomic_load_explicit(&e->dynamic_count, memory_order_acquire);
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
  if (len == SIZE_MAX) return DYNENUM_NOTFOUND;
  const member_record *m = index_find(e, key, len, hash_bytes(e->seed, key, len));
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
  uint64_t hash = len == SIZE_MAX ? 0 : hash_bytes(e->seed, key, len);
  if (len != SIZE_MAX) {
    m = index_find(e, key, len, hash);
    if (!m) m = table_find(atomic_load_explicit(&e->dynamic, memory_order_acquire), key, len, hash);
    if (m) {
      *out = &m->pub;
      return DYNENUM_OK;
    }
  }
  rc = dynenum_enum_check_name(e, s, n, err);
  if (rc) return rc;

  /* Intern: look again as the writer, since another thread may have added
  ** or interned the same key meanwhile. */
  if (pthread_mutex_lock(&e->writer)) return set_error(err, DYNENUM_LOCK, "cannot lock enum '%s'", e->shown);
  m = index_find(e, key, len, hash);
  if (!m) m = table_find(atomic_load_explicit(&e->dynamic, memory_order_relaxed), key, len, hash);
  if (m) {
    unlock_writer(&e->writer);
    *out = &m->pub;
    return DYNENUM_OK;
  }
  size_t interned = atomic_load_explicit(&e->dynamic_count, memory_order_relaxed);
  if (interned >= e->config.dynamic_cap) {
    char shown[QUOTE_SIZE];
    unlock_writer(&e->writer);
    dynenum_quote(shown, sizeof shown, s, n);
    return set_error(err, DYNENUM_CAP, "too many dynamic members in enum '%s' (at most %zu): cannot intern '%s'",
                     e->shown, e->config.dynamic_cap, shown);
  }
  member_texts t = {{s, n}, {key, len}, {key, len}, {key, len}, 0};
  size_t size = record_size(&t);
  rc = table_reserve(&e->config, &e->dynamic, 1, &e->retired_tables);
  if (rc == DYNENUM_OK) rc = arena_reserve(e, size);
  if (rc != DYNENUM_OK) {
    unlock_writer(&e->writer);
    return set_error(err, rc, "out of memory interning a dynamic member of enum '%s'", e->shown);
  }
  member_record *fresh = arena_at(e, arena_take(e, size));
  member_fill(fresh, &t);
  fresh->pub.dynamic = 1;
  table_put(atomic_load_explicit(&e->dynamic, memory_order_relaxed), fresh->pub.value, len, hash, fresh);
  atomic_store_explicit(&e->dynamic_count, interned + 1, memory_order_release);
  unlock_writer(&e->writer);
  *out = &fresh->pub;
  return DYNENUM_OK;
}

/* ---- Aliases --------------------------------------------------------------- */

/* Whether name is byte for byte m's name or one of its aliases (writer only). */
static int is_name_of(const dynenum_enum *e, const member_record *m, const char *name, size_t n) {
  if (same_bytes(name, n, m->pub.name, m->pub.name_len)) return 1;
  size_t count = atomic_load_explicit(&e->alias_count, memory_order_relaxed);
  const record_array *a = atomic_load_explicit(&e->aliases, memory_order_relaxed);
  for (size_t i = 0; i < count; i++) {
    const alias_record *r = a->items[i];
    if (r->pub.member == &m->pub && same_bytes(name, n, r->pub.name, r->pub.name_len)) return 1;
  }
  return 0;
}

/* Allocates the alias's record and publishes it (writer only), with a table
** entry for its key unless its member already has one (shares_key).  As for
** members, everything is allocated before anything is published. */
static int append_alias(dynenum_enum *e, const candidate *c, const member_record *m, int shares_key,
                        alias_record **out) {
  size_t count = atomic_load_explicit(&e->alias_count, memory_order_relaxed);
  if (count >= MAX_ALIASES) return DYNENUM_NOMEM;
  int rc = shares_key ? DYNENUM_OK : index_reserve(e, 1);
  if (rc == DYNENUM_OK) rc = reserve_record(e, &e->aliases, count);
  if (rc != DYNENUM_OK) return rc;
  alias_record *r = alloc(&e->config, sizeof *r + c->name_len + 1 + c->name_key_len);
  if (!r) return DYNENUM_NOMEM;
  char *text = (char *)(r + 1);
  memcpy(text, c->name, c->name_len);
  text[c->name_len] = 0;
  memcpy(text + c->name_len + 1, c->name_key, c->name_key_len);
  r->pub.name = text;
  r->pub.name_len = c->name_len;
  r->pub.member = &m->pub;
  r->name_key = text + c->name_len + 1;
  r->name_key_len = c->name_key_len;
  atomic_load_explicit(&e->aliases, memory_order_relaxed)->items[count] = r;
  atomic_store_explicit(&e->alias_count, count + 1, memory_order_release);
  if (!shares_key) {
    index_put(atomic_load_explicit(&e->real, memory_order_relaxed), index_entry(c->name_hash, count, 1));
  }
  *out = r;
  return DYNENUM_OK;
}

int dynenum_enum_add_alias(dynenum_enum *e, const char *name, size_t name_len, const char *target,
                           size_t target_len, const dynenum_alias **out, dynenum_error *err) {
  candidate c;
  alias_record *r = NULL;
  const dynenum_member *member;
  if (!e || (!name && name_len) || (!target && target_len)) {
    return set_error(err, DYNENUM_MISUSE, "dynenum_enum_add_alias(): NULL argument");
  }
  if (atomic_load_explicit(&e->published, memory_order_acquire)) return refuse_published(e, err);
  if (!name) name = "";
  int rc = check_member_text(e, name, name_len, 1, name, name_len, err);
  if (rc) return rc;
  memset(&c, 0, sizeof c);
  c.name = name;
  c.name_len = name_len;
  c.name_key_len = dynenum_key(name, name_len, c.name_key, sizeof c.name_key);
  c.same_key = 1;
  c.name_hash = hash_bytes(e->seed, c.name_key, c.name_key_len);
  if (pthread_mutex_lock(&e->writer)) return set_error(err, DYNENUM_LOCK, "cannot lock enum '%s'", e->shown);
  if (dynenum_enum_find(e, target ? target : "", target_len, &member) != DYNENUM_OK) {
    char shown_name[QUOTE_SIZE], shown_target[QUOTE_SIZE];
    unlock_writer(&e->writer);
    dynenum_quote(shown_name, sizeof shown_name, name, name_len);
    dynenum_quote(shown_target, sizeof shown_target, target ? target : "", target_len);
    return set_error(err, DYNENUM_NOTFOUND, "alias '%s' of unknown member '%s' in enum '%s'", shown_name,
                     shown_target, e->shown);
  }
  const member_record *m = (const member_record *)member;
  collision found = find_collision(e, &c);
  int shares_key = found.with == m;
  if (shares_key) found.kind = is_name_of(e, m, name, name_len) ? ALREADY_MEMBER : NO_COLLISION;
  /* Byte for byte another member's name is a collision with that member,
  ** not "already a name" of the alias's own member. */
  else if (found.kind == ALREADY_MEMBER) found.kind = NAME_COLLIDES;
  if (found.kind != NO_COLLISION) {
    rc = report_collision(e, "alias", &c, found, err);
  } else if ((rc = append_alias(e, &c, m, shares_key, &r)) != DYNENUM_OK) {
    set_error(err, rc, "out of memory adding an alias to enum '%s'", e->shown);
  }
  unlock_writer(&e->writer);
  if (rc == DYNENUM_OK && out) *out = &r->pub;
  return rc;
}

size_t dynenum_enum_alias_count(dynenum_enum *e) { return atomic_load_explicit(&e->alias_count, memory_order_acquire); }

const dynenum_alias *dynenum_enum_alias(dynenum_enum *e, size_t index) {
  size_t count = atomic_load_explicit(&e->alias_count, memory_order_acquire);
  if (index >= count) return NULL;
  const alias_record *r = atomic_load_explicit(&e->aliases, memory_order_acquire)->items[index];
  return &r->pub;
}

/* ---- Retirement ------------------------------------------------------------ */

int dynenum_enum_set_retired(dynenum_enum *e, const dynenum_member *m, int retired) {
  if (!e || !m || m->dynamic || m->ordinal < 1 || dynenum_enum_member(e, (size_t)(m->ordinal - 1)) != m ||
      atomic_load_explicit(&e->published, memory_order_acquire)) {
    return DYNENUM_MISUSE;
  }
  atomic_store_explicit(&((member_record *)m)->retired, retired != 0, memory_order_release);
  return DYNENUM_OK;
}

int dynenum_member_is_retired(const dynenum_member *m) {
  if (!m || m->dynamic) return 0;
  return atomic_load_explicit(&((const member_record *)m)->retired, memory_order_acquire);
}

/* ---- Strict checks --------------------------------------------------------- */

/* Suggestions: at most this many edits, and fewer than half of the input. */
#define SUGGEST_MAX_EDITS 2
#define SUGGEST_TOO_FAR (SUGGEST_MAX_EDITS + 1)

/* Room for the list of names in a message, so that the input, the label,
** the count and a suggestion (each quoted at most QUOTE_SIZE) still fit. */
#define LIST_ROOM 300

/* The code points of a key, a malformed byte standing for itself above
** U+10FFFF so that it equals only itself.  Returns how many. */
static size_t key_points(const char *key, size_t n, uint32_t *out) {
  const unsigned char *at = (const unsigned char *)key, *end = at + n;
  size_t count = 0;
  while (at < end) {
    int len = dynenum_utf8_decode(at, (size_t)(end - at), &out[count]);
    if (len == 0) out[count] = 0x110000u + *at;
    at += len ? len : 1;
    count++;
  }
  return count;
}

/* The optimal string alignment distance (insertions, deletions,
** substitutions and swaps of neighbours) of a and b, or SUGGEST_TOO_FAR
** when it is more than SUGGEST_MAX_EDITS.  Only the band of cells within
** SUGGEST_MAX_EDITS of the diagonal can hold a smaller distance, so only it
** is computed: a few operations per code point. */
static int edit_distance(const uint32_t *a, size_t la, const uint32_t *b, size_t lb) {
  enum { WIDTH = DYNENUM_MAX_KEY_BYTES + 2 };
  int rows[3][WIDTH];
  if ((la > lb ? la - lb : lb - la) > SUGGEST_MAX_EDITS) return SUGGEST_TOO_FAR;
  for (size_t j = 0; j <= lb + 1; j++) {
    rows[0][j] = j <= SUGGEST_MAX_EDITS ? (int)j : SUGGEST_TOO_FAR;
    rows[1][j] = rows[2][j] = SUGGEST_TOO_FAR;
  }
  for (size_t i = 1; i <= la; i++) {
    int *row = rows[i % 3], *up = rows[(i + 2) % 3], *up2 = rows[(i + 1) % 3];
    size_t from = i > SUGGEST_MAX_EDITS ? i - SUGGEST_MAX_EDITS : 1, to = i + SUGGEST_MAX_EDITS;
    /* The cells next to the band, which the next rows read, hold no
    ** distance of an older row (the three rows are reused in turn). */
    row[from - 1] = from == 1 && i <= SUGGEST_MAX_EDITS ? (int)i : SUGGEST_TOO_FAR;
    if (to + 1 <= lb + 1) row[to + 1] = SUGGEST_TOO_FAR;
    for (size_t j = from; j <= lb && j <= to; j++) {
      int best = up[j - 1] + (a[i - 1] != b[j - 1]);
      if (up[j] + 1 < best) best = up[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && up2[j - 2] + 1 < best) {
        best = up2[j - 2] + 1;
      }
      row[j] = best < SUGGEST_TOO_FAR ? best : SUGGEST_TOO_FAR;
    }
  }
  return rows[la % 3][lb];
}

/* The closest spelling so far: its distance, member and text. */
typedef struct suggestion {
  int distance;
  int ambiguous; /* two members are that close */
  const member_record *member;
  const char *text;
  size_t text_len;
} suggestion;

static void consider(suggestion *best, const uint32_t *input, size_t input_len, const member_record *m,
                     const char *text, size_t text_len, const char *key, size_t key_len) {
  uint32_t points[DYNENUM_MAX_KEY_BYTES];
  if (key_len > DYNENUM_MAX_KEY_BYTES) return;
  int d = edit_distance(input, input_len, points, key_points(key, key_len, points));
  if (d < best->distance) {
    *best = (suggestion){d, 0, m, text, text_len};
  } else if (d == best->distance && d < SUGGEST_TOO_FAR && m != best->member) {
    best->ambiguous = 1;
  }
}

/* The spelling of a member closest to the key of s (of a member that is
** not retired, with current set): values first, then names, then aliases,
** the first one winning a tie within a member. */
static suggestion suggest(dynenum_enum *e, const char *s, size_t n, int current) {
  char key[DYNENUM_MAX_KEY_BYTES];
  uint32_t input[DYNENUM_MAX_KEY_BYTES];
  suggestion best = {SUGGEST_TOO_FAR, 0, NULL, NULL, 0};
  size_t len = lookup_key(s, n, key);
  if (len == SIZE_MAX) return best;
  size_t input_len = key_points(key, len, input);
  size_t count = dynenum_enum_size(e), aliases = dynenum_enum_alias_count(e);
  for (size_t i = 0; i < count; i++) {
    const member_record *m = (const member_record *)dynenum_enum_member(e, i);
    if (current && dynenum_member_is_retired(&m->pub)) continue;
    text_span value_key = value_key_of(m), name_key = name_key_of(m);
    consider(&best, input, input_len, m, m->pub.value, m->pub.value_len, value_key.at, value_key.len);
    consider(&best, input, input_len, m, m->pub.name, m->pub.name_len, name_key.at, name_key.len);
  }
  for (size_t i = 0; i < aliases; i++) {
    const alias_record *r = (const alias_record *)dynenum_enum_alias(e, i);
    const member_record *m = (const member_record *)r->pub.member;
    if (current && dynenum_member_is_retired(&m->pub)) continue;
    consider(&best, input, input_len, m, r->pub.name, r->pub.name_len, r->name_key, r->name_key_len);
  }
  if (best.ambiguous || 2 * (size_t)best.distance >= input_len) best.distance = SUGGEST_TOO_FAR;
  return best;
}

/* Writes into list (LIST_ROOM + 8 bytes) "A, B, ...", the members a strict
** check accepts (those not retired, with current set), and returns how many
** it accepts. */
static size_t list_accepted(dynenum_enum *e, int current_only, char *list) {
  size_t count = dynenum_enum_size(e), current = 0, used = 0;
  int cut = 0;
  list[0] = 0;
  for (size_t i = 0; i < count; i++) {
    const dynenum_member *m = dynenum_enum_member(e, i);
    char shown[QUOTE_SIZE];
    if (current_only && dynenum_member_is_retired(m)) continue;
    current++;
    if (cut) continue;
    quote_escaping(shown, sizeof shown, m->name, m->name_len, needs_escape_listed);
    size_t need = strlen(shown) + (used ? 2 : 0);
    if (current > DYNENUM_LISTED_NAMES || used + need > LIST_ROOM) {
      cut = 1;
      continue;
    }
    used += (size_t)snprintf(list + used, LIST_ROOM + 8 - used, "%s%s", used ? ", " : "", shown);
  }
  if (cut) snprintf(list + used, LIST_ROOM + 8 - used, ", \xe2\x80\xa6");
  return current;
}

/* The message of a strict check that refused s: subject says what was
** refused ("invalid value 'x' for enum 'E'"), then what is expected. */
static int refuse_strictly(dynenum_enum *e, int code, int current_only, const char *subject, const suggestion *hint,
                           dynenum_error *err) {
  char list[LIST_ROOM + 8], advice[QUOTE_SIZE + 24] = "";
  size_t current = list_accepted(e, current_only, list);
  if (current == 0) {
    return set_error(err, code, "%s: it has no members%s", subject, dynenum_enum_size(e) ? " that are not retired" : "");
  }
  if (hint && hint->distance < SUGGEST_TOO_FAR) {
    char shown[QUOTE_SIZE];
    dynenum_quote(shown, sizeof shown, hint->text, hint->text_len);
    snprintf(advice, sizeof advice, "; did you mean '%s'?", shown);
  }
  return set_error(err, code, "%s: expected %s%s (%zu member%s)%s", subject, current == 1 ? "" : "one of ", list,
                   current, current == 1 ? "" : "s", advice);
}

static int check_strictly(dynenum_enum *e, const char *s, size_t n, int refuse_retired, const dynenum_member **out,
                          dynenum_error *err) {
  const dynenum_member *m;
  char subject[2 * QUOTE_SIZE + 64], shown[QUOTE_SIZE];
  if (!e || !out || (!s && n)) {
    return set_error(err, DYNENUM_MISUSE, "%s(): NULL argument",
                     refuse_retired ? "dynenum_enum_check_current" : "dynenum_enum_check_member");
  }
  if (!s) s = "";
  if (dynenum_enum_find(e, s, n, &m) == DYNENUM_OK) {
    if (!refuse_retired || !dynenum_member_is_retired(m)) {
      *out = m;
      return DYNENUM_OK;
    }
    dynenum_quote(shown, sizeof shown, m->name, m->name_len);
    snprintf(subject, sizeof subject, "member '%s' of enum '%s' is retired", shown, e->shown);
    return refuse_strictly(e, DYNENUM_RETIRED, 1, subject, NULL, err);
  }
  suggestion hint = suggest(e, s, n, refuse_retired);
  dynenum_quote(shown, sizeof shown, s, n);
  snprintf(subject, sizeof subject, "invalid value '%s' for enum '%s'", shown, e->shown);
  return refuse_strictly(e, DYNENUM_NOTFOUND, refuse_retired, subject, &hint, err);
}

int dynenum_enum_check_member(dynenum_enum *e, const char *s, size_t n, const dynenum_member **out,
                              dynenum_error *err) {
  return check_strictly(e, s, n, 0, out, err);
}

int dynenum_enum_check_current(dynenum_enum *e, const char *s, size_t n, const dynenum_member **out,
                               dynenum_error *err) {
  return check_strictly(e, s, n, 1, out, err);
}

/* ---- Registry -------------------------------------------------------------- */

int dynenum_registry_open(const dynenum_config *config, dynenum_registry **out) {
  dynenum_config c;
  if (!out) return DYNENUM_MISUSE;
  *out = NULL;
  if (config_defaults(&c, config) != DYNENUM_OK) return DYNENUM_MISUSE;
  dynenum_registry *r = alloc(&c, sizeof *r);
  if (!r) return DYNENUM_NOMEM;
  memset(r, 0, sizeof *r);
  r->config = c;
  r->seed = new_seed(r);
  atomic_init(&r->enums, NULL);
  if (pthread_rwlock_init(&r->lock, NULL)) {
    c.free_fn(r);
    return DYNENUM_LOCK;
  }
  *out = r;
  return DYNENUM_OK;
}

/* Releases every enum of the table and frees it. */
static void release_all(dynenum_registry *r, table *t) {
  for (size_t i = 0; t && i <= t->mask; i++) {
    if (atomic_load_explicit(&t->slots[i].key, memory_order_relaxed)) dynenum_enum_release(t->slots[i].value);
  }
  release_memory(&r->config, t);
}

void dynenum_registry_close(dynenum_registry *r) {
  if (!r) return;
  release_all(r, atomic_load_explicit(&r->enums, memory_order_relaxed));
  pthread_rwlock_destroy(&r->lock);
  r->config.free_fn(r);
}

int dynenum_registry_clear(dynenum_registry *r) {
  if (lock_exclusive(&r->lock)) return DYNENUM_LOCK;
  table *old = atomic_exchange_explicit(&r->enums, NULL, memory_order_relaxed);
  unlock(&r->lock);
  release_all(r, old);
  return DYNENUM_OK;
}

size_t dynenum_registry_size(dynenum_registry *r) {
  size_t n;
  if (lock_shared(&r->lock)) return 0;
  table *t = atomic_load_explicit(&r->enums, memory_order_relaxed);
  n = t ? t->count : 0;
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
  uint64_t hash = hash_bytes(r->seed, name, n);
  if ((rc = lock_exclusive(&r->lock)) != DYNENUM_OK) {
    enum_free(e);
    return set_error(err, rc, "cannot define enum '%s': %s", shown, dynenum_errstr(rc));
  }
  old = table_find(atomic_load_explicit(&r->enums, memory_order_relaxed), name, n, hash);
  if (old && !replace) {
    unlock(&r->lock);
    enum_free(e);
    return set_error(err, DYNENUM_EXISTS, "enum '%s' is already defined", shown);
  }
  /* The registry's table is only read under its lock: no need to retire. */
  if (!old && (rc = table_reserve(&r->config, &r->enums, 1, NULL)) != DYNENUM_OK) {
    unlock(&r->lock);
    enum_free(e);
    return set_error(err, rc, "cannot define enum '%s': %s", shown, dynenum_errstr(rc));
  }
  table *t = atomic_load_explicit(&r->enums, memory_order_relaxed);
  if (old) table_remove(t, name, n, hash);
  table_put(t, e->name, n, hash, e);
  dynenum_enum_retain(e); /* one reference for the registry, one for the caller */
  unlock(&r->lock);
  dynenum_enum_release(old);
  *out = e;
  return DYNENUM_OK;
}

int dynenum_enum_get(dynenum_registry *r, const char *name, size_t n, dynenum_enum **out) {
  dynenum_enum *e;
  if (!r || !out || (!name && n)) return DYNENUM_MISUSE;
  if (!name) name = "";
  if (lock_shared(&r->lock)) return DYNENUM_LOCK;
  e = table_find(atomic_load_explicit(&r->enums, memory_order_relaxed), name, n, hash_bytes(r->seed, name, n));
  dynenum_enum_retain(e);
  unlock(&r->lock);
  *out = e;
  return e ? DYNENUM_OK : DYNENUM_NOTFOUND;
}

int dynenum_enum_drop(dynenum_registry *r, const char *name, size_t n) {
  dynenum_enum *e;
  if (!r || (!name && n)) return DYNENUM_MISUSE;
  if (!name) name = "";
  uint64_t hash = hash_bytes(r->seed, name, n);
  if (lock_exclusive(&r->lock)) return DYNENUM_LOCK;
  table *t = atomic_load_explicit(&r->enums, memory_order_relaxed);
  e = table_find(t, name, n, hash);
  if (e) table_remove(t, name, n, hash);
  unlock(&r->lock);
  if (!e) return DYNENUM_NOTFOUND;
  dynenum_enum_release(e);
  return DYNENUM_OK;
}

/* ---- The process's published enums ---------------------------------------- */

/* The one table of the process: chains of enums by the hash of the key
** each was published under, under one mutex.  Static storage, so that it needs no allocation, no
** initialisation and nothing to free: with this lock, the only mutable state
** outside an object.  The table holds no reference: an enum leaves it when
** its last holder releases it, which is what keeps a key (in the binding, a
** file's identity and version) from outliving the holders that vouch for it. */
#define PUBLISHED_CHAINS 1024
static pthread_mutex_t published_lock = PTHREAD_MUTEX_INITIALIZER;
static dynenum_enum *published_chains[PUBLISHED_CHAINS];

static dynenum_enum **published_chain(const char *name, size_t n) {
  /* The table's own address seeds the hash: it differs between processes. */
  return &published_chains[hash_bytes((uint64_t)(uintptr_t)published_chains, name, n) % PUBLISHED_CHAINS];
}

static dynenum_enum *published_find(const char *key, size_t n) {
  for (dynenum_enum *e = *published_chain(key, n); e; e = e->published_next) {
    if (e->published_key_len == n && memcmp(e->published_key, key, n) == 0) return e;
  }
  return NULL;
}

/* The reference that drops the count to zero is released under the lock,
** and it unlinks the enum in the same hold: a finder, which retains only
** under the lock, can never bring back an enum that is being freed.  Any
** other release needs no lock.  If the lock cannot be taken, the enum is
** kept rather than freed while someone might still find it. */
static void release_published(dynenum_enum *e) {
  size_t refs = atomic_load_explicit(&e->refs, memory_order_relaxed);
  while (refs > 1) {
    if (atomic_compare_exchange_weak_explicit(&e->refs, &refs, refs - 1, memory_order_acq_rel, memory_order_relaxed)) {
      return;
    }
  }
  if (pthread_mutex_lock(&published_lock)) return;
  int last = atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1;
  if (last) {
    dynenum_enum **at = published_chain(e->published_key, e->published_key_len);
    while (*at != e) at = &(*at)->published_next;
    *at = e->published_next;
  }
  unlock_writer(&published_lock);
  if (last) enum_free(e);
}

int dynenum_enum_publish(dynenum_enum *e, const char *key, size_t n, dynenum_enum **out) {
  if (!out) return DYNENUM_MISUSE;
  *out = NULL;
  if (!e || (!key && n) || atomic_load_explicit(&e->published, memory_order_acquire)) return DYNENUM_MISUSE;
  if (!key) key = "";
  /* Allocated before anything is visible, and freed with the enum. */
  char *copy = alloc(&e->config, n + 1);
  if (!copy) return DYNENUM_NOMEM;
  memcpy(copy, key, n);
  copy[n] = 0;
  if (pthread_mutex_lock(&published_lock)) {
    e->config.free_fn(copy);
    return DYNENUM_LOCK;
  }
  dynenum_enum *found = published_find(key, n);
  if (found) {
    e->config.free_fn(copy);
  } else {
    dynenum_enum **chain = published_chain(key, n);
    e->published_key = copy;
    e->published_key_len = n;
    e->published_next = *chain;
    atomic_store_explicit(&e->published, 1, memory_order_release);
    *chain = found = e;
  }
  atomic_fetch_add(&found->refs, 1);
  unlock_writer(&published_lock);
  *out = found;
  return found == e ? DYNENUM_OK : DYNENUM_EXISTS;
}

int dynenum_enum_find_published(const char *name, size_t n, dynenum_enum **out) {
  if (!out || (!name && n)) return DYNENUM_MISUSE;
  *out = NULL;
  if (pthread_mutex_lock(&published_lock)) return DYNENUM_LOCK;
  dynenum_enum *found = published_find(name ? name : "", n);
  if (found) atomic_fetch_add(&found->refs, 1);
  unlock_writer(&published_lock);
  *out = found;
  return found ? DYNENUM_OK : DYNENUM_NOTFOUND;
}

int dynenum_enum_is_published(const dynenum_enum *e) {
  return e && atomic_load_explicit(&e->published, memory_order_acquire);
}
