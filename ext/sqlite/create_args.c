/*
** sqlite/create_args.c: the arguments of CREATE VIRTUAL TABLE ... USING
** dynenum(...), read into a scratch core enum.
**
** Each argument is NAME, NAME = 'value' or NAME = OTHER.  NAME and OTHER are
** bare words (ASCII letters, digits, '_', '-' and any non-ASCII byte) or
** double-quoted identifiers; the value is a single-quoted SQL string.  With
** a name on the right, NAME is an alias of the member OTHER declared before
** it (dynenum_enum_add_alias): a string is always a value, so that a value
** that collides stays an error, as Python's @unique makes it.  The rules for the
** names and values themselves are the core's: each definition is checked as
** a new member (dynenum_enum_check_new_member) and added (dynenum_enum_add),
** so an enum is created only when every one of its members could be.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* One definition, unquoted: name, value and target sqlite3_malloc'd; value
** NULL when the definition has none, target NULL unless it is an alias. */
typedef struct member_definition {
  char *name;
  size_t name_len;
  char *value;
  size_t value_len;
  char *target;
  size_t target_len;
} member_definition;

static void free_definition(member_definition *d) {
  sqlite3_free(d->name);
  sqlite3_free(d->value);
  sqlite3_free(d->target);
}

/* A bare word or a closed double-quoted identifier, unquoted into *out;
** SQLITE_ERROR for any other token. */
static int read_name(const sql_token *t, char **out, size_t *len) {
  if (t->quote == '"' && t->closed) {
    *out = dynenum_sql_unquote(t, len);
  } else if (t->word) {
    *len = t->len;
    *out = sqlite3_mprintf("%.*s", (int)t->len, t->start);
  } else {
    return SQLITE_ERROR;
  }
  return *out ? SQLITE_OK : SQLITE_NOMEM;
}

/* Parses one member definition into *d (to be freed by the caller whatever
** the result).  SQLITE_OK, SQLITE_NOMEM, or SQLITE_ERROR when the text is not
** NAME, NAME = 'value' or NAME = OTHER. */
static int parse_definition(const char *arg, member_definition *d) {
  sql_token t;
  memset(d, 0, sizeof *d);
  if (!dynenum_sql_next_token(&arg, SQL_MEMBER_ARGUMENT, &t)) return SQLITE_ERROR;
  int rc = read_name(&t, &d->name, &d->name_len);
  if (rc != SQLITE_OK) return rc;
  if (!dynenum_sql_next_token(&arg, SQL_MEMBER_ARGUMENT, &t)) return SQLITE_OK;
  if (t.quote || t.word || *t.start != '=') return SQLITE_ERROR;
  if (!dynenum_sql_next_token(&arg, SQL_MEMBER_ARGUMENT, &t)) return SQLITE_ERROR;
  if (t.quote == '\'' && t.closed) {
    d->value = dynenum_sql_unquote(&t, &d->value_len);
    rc = d->value ? SQLITE_OK : SQLITE_NOMEM;
  } else {
    rc = read_name(&t, &d->target, &d->target_len);
  }
  if (rc != SQLITE_OK) return rc;
  return dynenum_sql_next_token(&arg, SQL_MEMBER_ARGUMENT, &t) ? SQLITE_ERROR : SQLITE_OK;
}

/* The message for an argument that is not a member definition.  The
** argument often holds quotes itself, so it comes last, unquoted. */
static char *unparsable(int position, const dynenum_enum *scratch, const char *arg) {
  char shown[DYNENUM_QUOTE_SIZE];
  dynenum_quote(shown, sizeof shown, arg, strlen(arg));
  return sqlite3_mprintf("dynenum: cannot parse argument %d of enum '%s' (expected NAME, NAME = 'value' or NAME = "
                         "OTHER): %s",
                         position, dynenum_enum_label(scratch), shown);
}

/* Whether an alias's unknown target is a number, so more likely a value
** written without its quotes than a member's name (SPEC section 11.4). */
static int looks_numeric(const char *target) { return *target >= '0' && *target <= '9'; }

/* Parses one argument and adds its member to scratch as a new member. */
static int add_definition(dynenum_enum *scratch, int position, const char *arg, char **error) {
  member_definition d;
  dynenum_error err;
  int rc = parse_definition(arg, &d);
  if (rc == SQLITE_ERROR) {
    *error = unparsable(position, scratch, arg);
  } else if (rc == SQLITE_OK) {
    int added = dynenum_enum_check_new_member(scratch, d.name, d.name_len, d.value, d.value_len, &err);
    if (added == DYNENUM_OK && d.target) {
      added = dynenum_enum_add_alias(scratch, d.name, d.name_len, d.target, d.target_len, NULL, &err);
    } else if (added == DYNENUM_OK) {
      added = dynenum_enum_add(scratch, d.name, d.name_len, d.value, d.value_len, NULL, &err);
    }
    if (added == DYNENUM_NOMEM) {
      rc = SQLITE_NOMEM;
    } else if (added == DYNENUM_NOTFOUND && d.target && looks_numeric(d.target)) {
      char name[DYNENUM_QUOTE_SIZE], target[DYNENUM_QUOTE_SIZE];
      dynenum_quote(name, sizeof name, d.name, d.name_len);
      dynenum_quote(target, sizeof target, d.target, d.target_len);
      *error = sqlite3_mprintf("dynenum: %s (a value is written in single quotes: %s = '%s')", err.message, name,
                               target);
      rc = SQLITE_ERROR;
    } else if (added != DYNENUM_OK) {
      *error = sqlite3_mprintf("dynenum: %s", err.message);
      rc = SQLITE_ERROR;
    }
  }
  free_definition(&d);
  /* A message that could not be made leaves out of memory. */
  return rc == SQLITE_ERROR && !*error ? SQLITE_NOMEM : rc;
}

int dynenum_enum_from_arguments(const char *name, int argc, const char *const *argv, dynenum_enum **out,
                                char **error) {
  dynenum_enum *scratch;
  *out = NULL;
  if (dynenum_enum_new(&dynenum_sqlite_config, name, strlen(name), &scratch) != DYNENUM_OK) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  for (int i = 3; i < argc && rc == SQLITE_OK; i++) rc = add_definition(scratch, i - 2, argv[i], error);
  if (rc != SQLITE_OK) {
    dynenum_enum_release(scratch);
    return rc;
  }
  *out = scratch;
  return SQLITE_OK;
}
