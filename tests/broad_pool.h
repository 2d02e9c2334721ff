/*
** broad_pool.h: the strings the DYNENUM comparator is measured and checked
** on, shared by bench/collation_index.c (how fast) and
** tests/compare_pool_test.c (the same order as memcmp of keys).
**
** Non-ASCII rows ("the broad pool") are one to three words joined by '_'
** or '-', sometimes followed by a number.  The words come from every script
** whose case rules trip comparators:
**   - German with ß and its capital ẞ (2 and 3 bytes, the same fold);
**   - Greek with accents and final sigma (ς, σ and Σ share one fold);
**   - Cyrillic, Latin-1 and Latin Extended-A, Armenian (2-byte letters);
**   - Georgian Mkhedruli with its Mtavruli capitals, and Cherokee, whose
**     simple folding maps the small letters to the capitals (3 bytes);
**   - Deseret and Adlam (4-byte letters).
** Each word is written in one of four ways: lower case, upper case, title
** case, or each letter's case at random, so that most pairs with the same
** key differ in their bytes.  Half the rows start with one of a few head
** words, so that many pairs share a long prefix and differ late.
**
** ASCII rows are enum-like names: two or three words of an identifier
** vocabulary and a number, spelled as declared, in lower or upper case, or
** with '-' for '_'.
**
** Everything is static and driven by a caller's pool_random, so that a
** seed names the rows exactly.
*/
#ifndef DYNENUM_BROAD_POOL_H
#define DYNENUM_BROAD_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* xorshift64: the pool's only source of randomness. */
typedef struct pool_random {
  uint64_t state; /* never 0 */
} pool_random;

static inline uint32_t pool_next(pool_random *r) {
  r->state ^= r->state << 13;
  r->state ^= r->state >> 7;
  r->state ^= r->state << 17;
  return (uint32_t)(r->state >> 16);
}

/* One word as its lower and upper case, with the same number of code
** points, so that a letter's case can be chosen letter by letter. */
static const char *const pool_words[][2] = {
    /* German */
    {"straße", "STRAẞE"}, {"größe", "GRÖẞE"}, {"übermäßig", "ÜBERMÄẞIG"}, {"fußball", "FUẞBALL"},
    {"weiß", "WEIẞ"}, {"ärger", "ÄRGER"}, {"öl", "ÖL"}, {"schließen", "SCHLIEẞEN"},
    /* Greek */
    {"σίσυφος", "ΣΊΣΥΦΟΣ"}, {"λόγος", "ΛΌΓΟΣ"}, {"ψυχή", "ΨΥΧΉ"}, {"θάλασσα", "ΘΆΛΑΣΣΑ"},
    {"ἀρχή", "ἈΡΧΉ"}, {"κόσμος", "ΚΌΣΜΟΣ"}, {"ωμέγα", "ΩΜΈΓΑ"}, {"άλφα", "ΆΛΦΑ"},
    /* Cyrillic */
    {"москва", "МОСКВА"}, {"ёлка", "ЁЛКА"}, {"київ", "КИЇВ"}, {"щука", "ЩУКА"},
    {"жёлтый", "ЖЁЛТЫЙ"}, {"объект", "ОБЪЕКТ"}, {"ґанок", "ҐАНОК"}, {"ўсход", "ЎСХОД"},
    /* Latin-1 */
    {"élan", "ÉLAN"}, {"ñandú", "ÑANDÚ"}, {"øresund", "ØRESUND"}, {"þórr", "ÞÓRR"},
    {"æsir", "ÆSIR"}, {"façade", "FAÇADE"}, {"señor", "SEÑOR"}, {"crème", "CRÈME"},
    /* Latin Extended-A */
    {"łódź", "ŁÓDŹ"}, {"źródło", "ŹRÓDŁO"}, {"čeština", "ČEŠTINA"}, {"şehir", "ŞEHIR"},
    {"ğüneş", "ĞÜNEŞ"}, {"ľudia", "ĽUDIA"},
    /* Armenian */
    {"հայերեն", "ՀԱՅԵՐԵՆ"}, {"բառարան", "ԲԱՌԱՐԱՆ"}, {"գիրք", "ԳԻՐՔ"},
    /* Georgian */
    {"მთავარი", "ᲛᲗᲐᲕᲐᲠᲘ"}, {"ენა", "ᲔᲜᲐ"}, {"სახელი", "ᲡᲐᲮᲔᲚᲘ"}, {"ფაილი", "ᲤᲐᲘᲚᲘ"},
    /* Cherokee */
    {"ꮳꮃꭹ", "ᏣᎳᎩ"}, {"ꭰꮒꮿꮻꮿ", "ᎠᏂᏯᏫᏯ"}, {"ꮎꭲꮝꭹ", "ᎾᎢᏍᎩ"}, {"ꮣꮳꮃꭹ", "ᏓᏣᎳᎩ"}, {"ꭶꮎꮜꮧ", "ᎦᎾᏌᏗ"},
    /* Deseret */
    {"𐐼𐐯𐑅𐐨𐑉𐐯𐐻", "𐐔𐐇𐐝𐐀𐐡𐐇𐐓"}, {"𐑌𐐲𐑉𐐸", "𐐤𐐊𐐡𐐐"}, {"𐐹𐐫𐑊𐐮𐑅𐐨", "𐐑𐐃𐐢𐐆𐐝𐐀"},
    {"𐑃𐐲𐑁𐐮𐐿", "𐐛𐐊𐐙𐐆𐐗"}, {"𐐿𐐲𐑌𐐻𐐯𐐿𐑅𐐻", "𐐗𐐊𐐤𐐓𐐇𐐗𐐝𐐓"},
    /* Adlam */
    {"𞤢𞤣𞤤𞤢𞤥", "𞤀𞤁𞤂𞤀𞤃"}, {"𞤨𞤵𞤤𞤢𞤪", "𞤆𞤓𞤂𞤀𞤈"},
};

#define POOL_WORD_COUNT (sizeof pool_words / sizeof pool_words[0])

/* The head words that half the rows start with: one per script. */
static const unsigned char pool_heads[] = {0, 8, 16, 24, 32, 38, 41, 45, 50, 55};

/* The length of the UTF-8 sequence a lead byte starts (the pool is
** well-formed). */
static inline size_t pool_sequence_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

/* Appends s[0..n) to out[*len..cap), silently stopping at cap. */
static inline void pool_append(char *out, size_t cap, size_t *len, const char *s, size_t n) {
  if (*len + n > cap) n = *len > cap ? 0 : cap - *len;
  memcpy(out + *len, s, n);
  *len += n;
}

/* Appends word w in a random one of the four ways of writing it. */
static inline void pool_append_word(pool_random *r, size_t w, char *out, size_t cap, size_t *len) {
  const char *lower = pool_words[w][0], *upper = pool_words[w][1];
  uint32_t how = pool_next(r) % 4, letters = pool_next(r);
  for (int k = 0; *lower; k++) {
    size_t m = pool_sequence_length((unsigned char)*lower), n = pool_sequence_length((unsigned char)*upper);
    int capital = how == 1 || (how == 2 && k == 0) || (how == 3 && (letters >> (k % 32) & 1));
    if (capital) pool_append(out, cap, len, upper, n);
    else pool_append(out, cap, len, lower, m);
    lower += m;
    upper += n;
  }
}

/* Writes one non-ASCII row of the broad pool into out (at most cap bytes,
** not terminated) and returns its length. */
static inline size_t pool_row(pool_random *r, char *out, size_t cap) {
  size_t len = 0;
  uint32_t shape = pool_next(r);
  int words = 1 + (int)(shape % 3);
  for (int i = 0; i < words; i++) {
    size_t w = i == 0 && (shape >> 2 & 1) ? pool_heads[pool_next(r) % sizeof pool_heads]
                                          : pool_next(r) % POOL_WORD_COUNT;
    if (i > 0) pool_append(out, cap, &len, pool_next(r) % 2 ? "_" : "-", 1);
    pool_append_word(r, w, out, cap, &len);
  }
  if (shape >> 3 & 1) {
    char number[16];
    int n = snprintf(number, sizeof number, "_%u", pool_next(r) % 100);
    pool_append(out, cap, &len, number, (size_t)n);
  }
  return len;
}

/* The vocabulary of the ASCII rows, as declared (upper case, '_'). */
static const char *const pool_ascii_words[] = {
    "STATUS", "ACTIVE", "PENDING", "RETRY", "FAILED", "HTTP", "GRPC", "WEBHOOK", "QUEUE", "TOPIC", "REGION",
    "EU_WEST", "US_EAST", "TIER", "GOLD", "SILVER", "KIND", "PLUGIN", "NATIVE", "EXTERNAL",
};

#define POOL_ASCII_WORD_COUNT (sizeof pool_ascii_words / sizeof pool_ascii_words[0])

/* Writes one ASCII enum-like row into out (at most cap bytes, not
** terminated) and returns its length.  The spellings: as declared, lower
** case, '-' for '_', title case (Status_Active_7). */
static inline size_t pool_ascii_row(pool_random *r, char *out, size_t cap) {
  char name[128];
  uint32_t shape = pool_next(r), spelling = shape >> 1 & 3;
  const char *a = pool_ascii_words[pool_next(r) % POOL_ASCII_WORD_COUNT];
  const char *b = pool_ascii_words[pool_next(r) % POOL_ASCII_WORD_COUNT];
  const char *c = pool_ascii_words[pool_next(r) % POOL_ASCII_WORD_COUNT];
  int n = shape & 1 ? snprintf(name, sizeof name, "%s_%s_%u", a, b, pool_next(r) % 97)
                    : snprintf(name, sizeof name, "%s_%s_%s", a, b, c);
  size_t len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap;
  for (size_t i = 0; i < len; i++) {
    char ch = name[i];
    int capital = ch >= 'A' && ch <= 'Z';
    int word_start = i == 0 || name[i - 1] == '_';
    if (capital && (spelling == 1 || (spelling == 3 && !word_start))) ch = (char)(ch + ('a' - 'A'));
    if (spelling == 2 && ch == '_') ch = '-';
    out[i] = ch;
  }
  return len;
}

#endif /* DYNENUM_BROAD_POOL_H */
