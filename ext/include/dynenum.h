/*
** dynenum.h: the enum core of dynenum, a plain C library with no SQLite in it.
**
** A dynamic string enum is a list of members, each a NAME with a string
** VALUE, compared case-insensitively: every comparison goes through the key
** of a string (dynenum_key below).  Looking up a string finds the real member
** whose name or value has the same key; an unknown but plausible name turns
** into an interned *dynamic member* instead of an error, so that plugins can
** use names the enum never declared.
**
**     dynenum_registry *registry;
**     dynenum_enum *colour;
**     const dynenum_member *m;
**     dynenum_error err;
**
**     dynenum_registry_open(NULL, &registry);
**     dynenum_enum_define(registry, "colour", 6, 0, &colour, &err);
**     dynenum_enum_add(colour, "DARK_RED", 8, "dark-red", 8, &m, &err);
**     dynenum_enum_resolve(colour, "Dark_Red", 8, &m, &err);  // m->ordinal == 1
**     dynenum_enum_resolve(colour, "teal", 4, &m, &err);      // m->dynamic == 1
**     dynenum_enum_release(colour);
**     dynenum_registry_close(registry);
**
** Every function that can fail returns a DYNENUM_* result code; where it
** takes a dynenum_error, the error also carries a message in SQLite's voice
** that quotes the offending input.  Strings are byte strings with a length;
** they need not be NUL-terminated and may hold any bytes.
**
** Thread safety: a registry and its enums may be used from any number of
** threads at once, except that dynenum_registry_close, set_label and
** set_userdata must not race with other use.  Lookups (find, size, member,
** and resolve of an existing member) take no lock: entries are published
** with release stores and read with acquire loads.  Adding a member or
** interning a dynamic one takes that enum's writer mutex, so writers of one
** enum are serialised.  The registry's reader-writer lock is held only to
** find, define or drop an enum.  Member objects never move and are never
** freed while their enum is alive, so a member pointer stays valid until the
** last reference to its enum is released.
*/
#ifndef DYNENUM_H
#define DYNENUM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes. */
#define DYNENUM_OK         0  /* success */
#define DYNENUM_NOMEM      1  /* an allocation failed; nothing was changed */
#define DYNENUM_NOTFOUND   2  /* no such enum, or no such real member */
#define DYNENUM_EXISTS     3  /* an enum of that name is already defined */
#define DYNENUM_EMPTY      4  /* an empty name */
#define DYNENUM_RESERVED   5  /* a name whose key starts with '_' */
#define DYNENUM_MALFORMED  6  /* not well-formed UTF-8 */
#define DYNENUM_TOOLONG    7  /* longer than DYNENUM_MAX_BYTES */
#define DYNENUM_BADCHAR    8  /* a control character, or whitespace in a dynamic name */
#define DYNENUM_COLLISION  9  /* shares a key with another member */
#define DYNENUM_CAP       10  /* the enum's cap on dynamic members is reached */
#define DYNENUM_LOCK      11  /* a lock could not be taken (system limit) */
#define DYNENUM_MISUSE    12  /* a NULL pointer where an object is required */
#define DYNENUM_IGNORABLE 13  /* a default-ignorable character in a new member */
#define DYNENUM_RETIRED   14  /* a retired member, refused for new data */

/* Longest name or value, in bytes. */
#define DYNENUM_MAX_BYTES 255

/* Longest key of a name or value: folding can turn 2 bytes into 3. */
#define DYNENUM_MAX_KEY_BYTES (DYNENUM_MAX_BYTES + DYNENUM_MAX_BYTES / 2 + 1)

/* Dynamic members interned per enum unless the configuration says otherwise. */
#define DYNENUM_DEFAULT_DYNAMIC_CAP 1024

typedef struct dynenum_registry dynenum_registry;
typedef struct dynenum_enum dynenum_enum;

/* A member, real or dynamic.  Read-only for callers; name and value are also
** NUL-terminated.  A dynamic member's name is the first spelling that was
** looked up, its value is that spelling's key and its ordinal is 0. */
typedef struct dynenum_member {
  const char *name;
  size_t name_len;
  const char *value;
  size_t value_len;
  int64_t ordinal;  /* 1, 2, ... in declaration order; 0 when dynamic */
  int dynamic;      /* 1 for an interned dynamic member */
} dynenum_member;

/* An alias: a second name of a real member, which resolves to that member
** (its value, its ordinal).  Read-only for callers; name is also
** NUL-terminated.  Aliases are not members: dynenum_enum_size and
** dynenum_enum_member never count or list them. */
typedef struct dynenum_alias {
  const char *name;
  size_t name_len;
  const dynenum_member *member;
} dynenum_alias;

/* An error: a DYNENUM_* code and a message naming what was wrong. */
typedef struct dynenum_error {
  int code;
  char message[1024];
} dynenum_error;

/* Settings of a registry and its enums.  Zeroed fields take the defaults:
** the C library's allocator and DYNENUM_DEFAULT_DYNAMIC_CAP.  malloc_fn and
** free_fn go together: both NULL means the C library's, and one without the
** other is DYNENUM_MISUSE from dynenum_registry_open and dynenum_enum_new.
** The binding passes SQLite's allocator so that SQLite's memory accounting and
** fault injection cover the core. */
typedef struct dynenum_config {
  void *(*malloc_fn)(size_t size);
  void (*free_fn)(void *ptr);
  size_t dynamic_cap;  /* dynamic members interned per enum at most */
} dynenum_config;

/* ---- Keys: the one rule for equality, hashing and order ------------------ */

/* Writes the key of s[0..n) to out, at most cap bytes of it, and returns the
** full length of the key (compare it with cap to see whether all fitted).
** The key maps each well-formed UTF-8 sequence through Unicode 15.0.0 simple
** case folding, maps '-' to '_', and copies every other byte unchanged. */
size_t dynenum_key(const char *s, size_t n, char *out, size_t cap);

/* Orders two strings by their keys: negative, zero or positive, exactly as
** memcmp of the two keys would (a shorter key first on a common prefix), but
** without building them and without allocating. */
int dynenum_compare(const char *a, size_t a_len, const char *b, size_t b_len);

/* dynenum_compare with the arguments of a collating function (the xCompare
** of sqlite3_create_collation, first argument unused, lengths never
** negative), so that a collation can be registered as it is, without a
** call of its own around every comparison. */
int dynenum_collating_compare(void *unused, int a_len, const void *a, int b_len, const void *b);

/* The same two with another folding table: the key and the order of a
** collation other than DYNENUM, such as one made from a newer Unicode
** version.  A table is a file that tools/mktables.tcl generates from a
** CaseFolding.txt and that the program compiles in (its type is declared
** in ext/core/casefold_table.h, the one for DYNENUM being
** dynenum_fold_dynenum); dynenum_key(...) is dynenum_key_with(
** &dynenum_fold_dynenum, ...), and likewise dynenum_compare.  The key is
** built by the rule above with the table's simple case folding in place of
** Unicode 15.0.0's, and is at most DYNENUM_MAX_KEY_BYTES for a name of
** DYNENUM_MAX_BYTES whatever the table (the generator makes sure).  Enums
** and the rules for names always use DYNENUM's folding, whatever table a
** caller compares with. */
typedef struct dynenum_fold_table dynenum_fold_table;
size_t dynenum_key_with(const dynenum_fold_table *table, const char *s, size_t n, char *out, size_t cap);
int dynenum_compare_with(const dynenum_fold_table *table, const char *a, size_t a_len, const char *b,
                         size_t b_len);

/* The fold of one code point (the fast table lookup), and the same answer
** from a binary search of the generated mapping list (the slow reference
** path the tests hold the fast one to). */
uint32_t dynenum_fold(uint32_t cp);
uint32_t dynenum_fold_reference(uint32_t cp);

/* Decodes one well-formed UTF-8 sequence (Unicode Table 3-7) at s[0..n):
** returns its length, 1 to 4, and stores the code point; returns 0 when s
** does not start with a well-formed sequence (or n is 0). */
int dynenum_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* The Unicode version of the folding table: "15.0.0". */
const char *dynenum_unicode_version(void);

/* Checks whether s is a valid dynamic name: non-empty, at most
** DYNENUM_MAX_BYTES, well-formed UTF-8, key not starting with '_', and no
** whitespace (Unicode White_Space) or control character (category Cc).
** Returns DYNENUM_OK or the code of the first rule broken, in that order. */
int dynenum_check_dynamic_name(const char *s, size_t n);

/* Writes s into buf (of cap >= DYNENUM_QUOTE_SIZE bytes) the way error
** messages quote an input: at most 48 bytes of it, never cutting a UTF-8
** sequence, malformed bytes, invisible characters (controls, whitespace
** other than the space, and every default-ignorable code point: zero-width
** and bidirectional format characters, variation selectors and the rest)
** and backslashes as \xHH per byte, and "..." after a string that was cut
** short.  A smaller buffer (cap >= 1) gets a shorter quote, still
** NUL-terminated. */
#define DYNENUM_QUOTE_SIZE 196
void dynenum_quote(char *buf, size_t cap, const char *s, size_t n);

/* Whether cp is whitespace (Unicode 15.0.0 White_Space) or a control
** character (category Cc): what a dynamic name may not contain. */
int dynenum_is_space_or_control(uint32_t cp);

/* Whether cp is a default-ignorable code point (Unicode 15.0.0
** Default_Ignorable_Code_Point, DerivedCoreProperties.txt): a character
** shown as nothing, such as U+00AD SOFT HYPHEN, U+200B ZERO WIDTH SPACE,
** U+202E RIGHT-TO-LEFT OVERRIDE, U+2060 WORD JOINER, U+FEFF ZERO WIDTH
** NO-BREAK SPACE, the variation selectors and the tag characters.  What
** the name or value of a new member may not contain
** (dynenum_enum_check_new_member).  A binary search of the ranges that
** tools/mktables.tcl generated; frozen at 15.0.0 like the key. */
int dynenum_is_default_ignorable(uint32_t cp);

/* A short English phrase for a result code, e.g. "reserved name". */
const char *dynenum_errstr(int code);

/* ---- Registry ------------------------------------------------------------- */

/* Opens an empty registry; config may be NULL.  DYNENUM_NOMEM, DYNENUM_LOCK,
** DYNENUM_MISUSE (out NULL, or an allocator half given). */
int dynenum_registry_open(const dynenum_config *config, dynenum_registry **out);

/* Removes every enum from the registry and frees it.  Enums still referenced
** elsewhere live on until released. */
void dynenum_registry_close(dynenum_registry *registry);

/* Defines an enum with no members under name (compared byte for byte) and
** returns a new reference to it in *out, which the caller releases.  With
** replace set, an enum of the same name is removed first; otherwise that is
** DYNENUM_EXISTS.  Also DYNENUM_NOMEM, DYNENUM_LOCK, DYNENUM_MISUSE. */
int dynenum_enum_define(dynenum_registry *registry, const char *name, size_t n,
                        int replace, dynenum_enum **out, dynenum_error *err);

/* Finds the enum called name and returns a new reference to it in *out.
** DYNENUM_NOTFOUND (with *out set to NULL) when there is none; also
** DYNENUM_LOCK, DYNENUM_MISUSE. */
int dynenum_enum_get(dynenum_registry *registry, const char *name, size_t n,
                     dynenum_enum **out);

/* Removes the enum called name from the registry (DYNENUM_NOTFOUND if none;
** also DYNENUM_LOCK, DYNENUM_MISUSE).  References held elsewhere stay valid. */
int dynenum_enum_drop(dynenum_registry *registry, const char *name, size_t n);

/* Creates an enum that belongs to no registry, with one reference for the
** caller; config may be NULL.  DYNENUM_NOMEM, DYNENUM_LOCK, DYNENUM_MISUSE
** (out NULL, name NULL with n > 0, or an allocator half given). */
int dynenum_enum_new(const dynenum_config *config, const char *name, size_t n, dynenum_enum **out);

/* Removes every enum from the registry, leaving it empty and usable.
** DYNENUM_OK, or DYNENUM_LOCK. */
int dynenum_registry_clear(dynenum_registry *registry);

/* Number of enums defined in the registry (0 also when its lock fails). */
size_t dynenum_registry_size(dynenum_registry *registry);

/* ---- Enums ---------------------------------------------------------------- */

void dynenum_enum_retain(dynenum_enum *e);
void dynenum_enum_release(dynenum_enum *e);

/* The enum's name, NUL-terminated, and its length in bytes (a name may
** hold NUL bytes of its own). */
const char *dynenum_enum_name(const dynenum_enum *e);
size_t dynenum_enum_name_length(const dynenum_enum *e);

/* Sets the name error messages give the enum, where it should differ from
** the name it is registered under (the SQLite binding registers the name
** as the caller wrote it, lower-cased and perhaps schema-qualified, but
** reports the table's own).  The label is stored quoted, as dynenum_quote
** writes it.  Not synchronised: set it before the enum is shared between
** threads. */
void dynenum_enum_set_label(dynenum_enum *e, const char *label, size_t n);

/* The label as messages quote it: the name, or what set_label gave. */
const char *dynenum_enum_label(const dynenum_enum *e);

/* Adds a real member with the next ordinal.  value may be NULL: the value is
** then the key of name, which is what that name already resolved to while it
** was dynamic, so such an addition never changes what any input resolves to.
** Names must be non-empty and not reserved; names and values must be
** well-formed UTF-8 of at most DYNENUM_MAX_BYTES with no control character;
** no two members may share a key among their names and values (a member's
** own name and value may).  On success *out (if not NULL) is the member.
** Errors: DYNENUM_MISUSE, EMPTY, TOOLONG, MALFORMED, RESERVED, BADCHAR,
** COLLISION, LOCK, NOMEM; a failed add changes nothing.  Default-ignorable
** characters are allowed here, since loading stored members comes through
** this function too: a new member is checked for them first, with
** dynenum_enum_check_new_member. */
int dynenum_enum_add(dynenum_enum *e, const char *name, size_t name_len,
                     const char *value, size_t value_len,
                     const dynenum_member **out, dynenum_error *err);

/* Real members, in declaration order: index 0 has ordinal 1. */
size_t dynenum_enum_size(dynenum_enum *e);
const dynenum_member *dynenum_enum_member(dynenum_enum *e, size_t index);

/* Finds the real member whose name or value has the same key as s.  Never
** allocates, never interns and takes no lock.  DYNENUM_OK or
** DYNENUM_NOTFOUND, nothing else; e must not be NULL. */
int dynenum_enum_find(dynenum_enum *e, const char *s, size_t n,
                      const dynenum_member **out);

/* Resolves s: the real member it names, else the interned dynamic member for
** a valid dynamic name (the same object for every spelling with that key),
** else an error: DYNENUM_EMPTY, TOOLONG, MALFORMED, RESERVED, BADCHAR, or
** DYNENUM_CAP once the enum holds its cap of dynamic members (also MISUSE,
** and LOCK or NOMEM while interning). */
int dynenum_enum_resolve(dynenum_enum *e, const char *s, size_t n,
                         const dynenum_member **out, dynenum_error *err);

/* Checks s as a dynamic name of e (dynenum_check_dynamic_name) and, when it
** is refused, explains why in err, quoting s and naming e. */
int dynenum_enum_check_name(const dynenum_enum *e, const char *s, size_t n, dynenum_error *err);

/* The rule for a member that is new rather than read back from storage: its
** name, and its value when value is not NULL, hold no default-ignorable
** code point (dynenum_is_default_ignorable), since such a member would look
** exactly like one without it ("RED" and "RED" followed by U+200B).
** Returns DYNENUM_OK, or DYNENUM_IGNORABLE with a message in err naming the
** first such code point and quoting the name, or the value and its member;
** DYNENUM_MISUSE for a NULL e, or a NULL name with name_len > 0.  With value
** NULL the value is the key of the name, which holds a default-ignorable
** code point exactly when the name does (no simple case folding maps into
** or out of the property), so checking the name suffices.
**
** Only this rule: bytes that are not well-formed UTF-8 are stepped over,
** and every other rule is dynenum_enum_add's.  A caller creating a member
** calls this first, then dynenum_enum_add.  dynenum_enum_add does not call
** it, so that members stored before the rule, or by another program, still
** load. */
int dynenum_enum_check_new_member(const dynenum_enum *e, const char *name, size_t name_len, const char *value,
                                  size_t value_len, dynenum_error *err);

/* Adds the member a program creates from a name in use as a dynamic
** member, with the key of its name as value: dynenum_enum_check_name,
** then dynenum_enum_check_new_member (value NULL), then dynenum_enum_add
** (value NULL), with the same results and messages in the same order, but
** each rule applied once.  What SQL's INSERT into an enum does per row. */
int dynenum_enum_add_new_member(dynenum_enum *e, const char *name, size_t name_len, const dynenum_member **out,
                                dynenum_error *err);

/* ---- Aliases ---------------------------------------------------------------- */

/* Adds name as an alias of the real member that target names (by key, as
** dynenum_enum_find finds it: by a name, value or alias of that member).
** The alias obeys every rule of a member's name (empty, too long,
** malformed, reserved, control character, in that order) and must not share
** its key with a name, value or alias of any other member; it may share one
** with its own member (another spelling, which changes no result), unless it
** is byte for byte that member's name or one of its aliases.  On success *out
** (if not NULL) is the alias.  Errors: DYNENUM_MISUSE, EMPTY, TOOLONG,
** MALFORMED, RESERVED, BADCHAR, NOTFOUND (target names no real member),
** COLLISION, LOCK, NOMEM; a failed add changes nothing.  As for members,
** the rule of new names (dynenum_enum_check_new_member with value NULL) is
** the caller's to apply first. */
int dynenum_enum_add_alias(dynenum_enum *e, const char *name, size_t name_len, const char *target,
                           size_t target_len, const dynenum_alias **out, dynenum_error *err);

/* Aliases, in the order they were added. */
size_t dynenum_enum_alias_count(dynenum_enum *e);
const dynenum_alias *dynenum_enum_alias(dynenum_enum *e, size_t index);

/* ---- Retirement -------------------------------------------------------------- */

/* Marks the real member m of e retired (retired set) or not.  A retired
** member is still a member: it is found, resolved, iterated and counted as
** before, so that data stored under it stays right; only
** dynenum_enum_check_current refuses it.  Reversible.  DYNENUM_OK, or
** DYNENUM_MISUSE when m is not a real member of e. */
int dynenum_enum_set_retired(dynenum_enum *e, const dynenum_member *m, int retired);

/* Whether the real member m is retired (0 for a dynamic member). */
int dynenum_member_is_retired(const dynenum_member *m);

/* ---- Strict checks ------------------------------------------------------------ */

/* How many names the messages of the two checks below list at most. */
#define DYNENUM_LISTED_NAMES 8

/* Finds the real member s names, retired or not, like dynenum_enum_find,
** but explains a miss: DYNENUM_NOTFOUND with the message "invalid value
** 'S' for enum 'E': expected one of A, B, ... (N members)", listing up to
** DYNENUM_LISTED_NAMES names of the N members it accepts (retired ones
** too), with ',', ';', '(', ')' and U+2026 in a name written \xhh so that
** no name can fake the list's end, and ending
** "; did you mean 'X'?" when exactly one member has a value, name or alias
** (X) within a small edit distance of s's key (at most 2 code points
** inserted, removed, replaced or swapped, and fewer than half of the key).
** Also DYNENUM_MISUSE. */
int dynenum_enum_check_member(dynenum_enum *e, const char *s, size_t n, const dynenum_member **out,
                              dynenum_error *err);

/* The same, and a retired member is refused too: DYNENUM_RETIRED with
** "member 'M' of enum 'E' is retired: expected one of ..." (M the member's
** name, whatever spelling s was); its list, count and suggestion leave the
** retired members out. */
int dynenum_enum_check_current(dynenum_enum *e, const char *s, size_t n, const dynenum_member **out,
                               dynenum_error *err);

/* Number of dynamic members interned so far. */
size_t dynenum_enum_dynamic_count(dynenum_enum *e);

/* One pointer of the caller's, freed with destroy when the enum is freed.
** Setting it again destroys the previous one.  Not synchronised: set it
** before the enum is shared between threads. */
void dynenum_enum_set_userdata(dynenum_enum *e, void *data, void (*destroy)(void *));
void *dynenum_enum_userdata(const dynenum_enum *e);

/* ---- Published enums: one copy for the whole process -------------------- */

/* The process has one table of published enums, each under a key the
** publisher gives (compared byte for byte; it may hold any bytes).  A caller that can
** name exactly what an enum holds (the SQLite binding: a file's identity and
** version, and a table) publishes the complete enum there, and others that
** can name the same thing find it instead of building their own.  The table
** holds no reference: an enum leaves it when its last reference is released.
**
** Publishing makes e read-only: dynenum_enum_add and dynenum_enum_add_alias
** (DYNENUM_MISUSE, with a message) and dynenum_enum_set_retired
** (DYNENUM_MISUSE) refuse to change it from then on, since its holders read
** it as a state that does not move.  Lookups are unchanged, and
** dynenum_enum_resolve still interns dynamic members, for every holder alike
** (the cap is the enum's).  Set its label and userdata before publishing
** it, and publish it before giving it to another thread.
**
** dynenum_enum_publish publishes e under key (n bytes): DYNENUM_OK with *out
** a new reference to e, now published; or DYNENUM_EXISTS with *out a new
** reference to the enum already published under that key (e is left as it
** was); also DYNENUM_NOMEM, DYNENUM_LOCK, and DYNENUM_MISUSE (for an enum
** already published, too). */
int dynenum_enum_publish(dynenum_enum *e, const char *key, size_t n, dynenum_enum **out);

/* A new reference to the enum published under key, in *out: DYNENUM_OK, or
** DYNENUM_NOTFOUND with *out NULL; also DYNENUM_LOCK, DYNENUM_MISUSE. */
int dynenum_enum_find_published(const char *key, size_t n, dynenum_enum **out);

/* Whether e has been published (and is therefore read-only). */
int dynenum_enum_is_published(const dynenum_enum *e);

#ifdef __cplusplus
}
#endif

#endif /* DYNENUM_H */
