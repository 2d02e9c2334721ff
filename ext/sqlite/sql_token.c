/*
** sqlite/sql_token.c: the one tokeniser of SQL text in the binding.
**
** Two readers use it: the cache, which recognises an enum by the CREATE
** VIRTUAL TABLE text sqlite_schema holds (any spacing, comments and quotes
** allowed, as SQL allows them), and the CREATE argument parser, which reads
** one member definition, NAME or NAME = 'value'.  They differ only in what
** a bare word may hold and whether comments count as space; a dialect says
** which (see binding.h).
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static const char *skip_space(const char *z, sql_dialect dialect) {
  for (;;) {
    while (is_space(*z)) z++;
    if (dialect != SQL_SCHEMA_TEXT) return z;
    if (z[0] == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (z[0] == '/' && z[1] == '*') {
      const char *end = strstr(z + 2, "*/");
      z = end ? end + 2 : z + strlen(z);
    } else {
      return z;
    }
  }
}

/* SQL's identifiers hold '$'; a member's bare name holds '-' instead
** (OPENAI-CHAT), which in SQL would be an operator. */
static int is_word_byte(unsigned char c, sql_dialect dialect) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80) return 1;
  return dialect == SQL_SCHEMA_TEXT ? c == '$' : c == '-';
}

int dynenum_sql_next_token(const char **z, sql_dialect dialect, sql_token *t) {
  const char *p = skip_space(*z, dialect);
  t->start = p;
  t->word = 0;
  t->quote = 0;
  t->closed = 1;
  if (!*p) return 0;
  if (*p == '"' || *p == '\'' || *p == '`' || *p == '[') {
    /* A quote is closed by the same character, doubled inside; a bracket
    ** by ']', which cannot be doubled. */
    char close = *p == '[' ? ']' : *p;
    t->quote = *p;
    t->closed = 0;
    for (p++; *p; p++) {
      if (*p != close) continue;
      if (close != ']' && p[1] == close) {
        p++;
        continue;
      }
      p++;
      t->closed = 1;
      break;
    }
  } else if (is_word_byte((unsigned char)*p, dialect)) {
    t->word = 1;
    while (is_word_byte((unsigned char)*p, dialect)) p++;
  } else {
    p++;
  }
  t->len = (size_t)(p - t->start);
  *z = p;
  return 1;
}

int dynenum_sql_token_is(const sql_token *t, const char *word) {
  return !t->quote && strlen(word) == t->len && sqlite3_strnicmp(t->start, word, (int)t->len) == 0;
}

char *dynenum_sql_unquote(const sql_token *t, size_t *len) {
  char *out = sqlite3_malloc64(t->len + 1);
  size_t n = 0;
  if (!out) return NULL;
  /* Between the quotes, each doubled quote stands for one. */
  for (const char *p = t->start + 1, *end = t->start + t->len - 1; p < end; p++) {
    out[n++] = *p;
    if (*p == t->quote) p++;
  }
  out[n] = 0;
  *len = n;
  return out;
}
