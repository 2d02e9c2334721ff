/*
** sqlite/messages.c: the words of the binding's messages that more than one
** file says, and the one way a virtual table reports an error.
*/
#include "binding.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

char *dynenum_describe_value(sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: return sqlite3_mprintf("integer %lld", sqlite3_value_int64(v));
    case SQLITE_FLOAT: return sqlite3_mprintf("real %!.15g", sqlite3_value_double(v));
    case SQLITE_BLOB: {
      int bytes = sqlite3_value_bytes(v);
      return sqlite3_mprintf("blob of %d byte%s", bytes, bytes == 1 ? "" : "s");
    }
    default: return sqlite3_mprintf("NULL");
  }
}

char *dynenum_show_value(sqlite3_value *v) {
  if (sqlite3_value_type(v) != SQLITE_TEXT) return dynenum_describe_value(v);
  char quoted[DYNENUM_QUOTE_SIZE];
  const char *text = (const char *)sqlite3_value_text(v);
  if (!text) return NULL;
  dynenum_quote(quoted, sizeof quoted, text, (size_t)sqlite3_value_bytes(v));
  return sqlite3_mprintf("text '%s'", quoted);
}

int dynenum_vtab_error(sqlite3_vtab *vtab, int rc, char *message) {
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = message;
  return message ? rc : SQLITE_NOMEM;
}

char *dynenum_cannot_read(sqlite3 *db, const char *shown_enum, const char *hint) {
  char said[DYNENUM_QUOTE_SIZE];
  const char *message = sqlite3_errmsg(db);
  dynenum_quote(said, sizeof said, message, strlen(message));
  return sqlite3_mprintf("cannot read enum '%s': %s%s", shown_enum, said, hint ? hint : "");
}
