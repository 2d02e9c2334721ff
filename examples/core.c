/* The enum core on its own, without SQLite.  From the repository root:
**   cc -std=c11 -Iext/include examples/core.c ext/core/key.c ext/core/enum.c \
**      ext/core/casefold_table.c ext/core/ignorable_table.c -pthread -o core && ./core
*/
#include <stdio.h>
#include <string.h>

#include "dynenum.h"

static int check(int rc, const dynenum_error *err, const char *what) {
  if (rc != DYNENUM_OK) fprintf(stderr, "%s: %s\n", what, err ? err->message : dynenum_errstr(rc));
  return rc == DYNENUM_OK;
}

int main(void) {
  dynenum_registry *registry;
  dynenum_enum *endpoint;
  const dynenum_member *m;
  dynenum_error err;
  int ok = 0;

  if (!check(dynenum_registry_open(NULL, &registry), NULL, "open")) return 1; /* NULL: defaults */
  if (!check(dynenum_enum_define(registry, "endpoint_type", 13, 0, &endpoint, &err), &err, "define")) goto close;
  if (!check(dynenum_enum_add(endpoint, "OPENAI_CHAT", 11, NULL, 0, &m, &err), &err, "add") ||
      !check(dynenum_enum_add(endpoint, "Legacy Completions", 18, "completions", 11, &m, &err), &err, "add")) {
    goto release;
  }

  /* Any spelling resolves to the member; an unknown valid name to an
  ** interned dynamic member, the same object every time. */
  const char *inputs[] = {"OpenAI-Chat", "LEGACY COMPLETIONS", "nvidia-optimized", "NVIDIA_Optimized"};
  const dynenum_member *first_dynamic = NULL;
  for (int i = 0; i < 4; i++) {
    if (!check(dynenum_enum_resolve(endpoint, inputs[i], strlen(inputs[i]), &m, &err), &err, "resolve")) {
      goto release;
    }
    printf("%-20s -> %-18s value %-17s ordinal %lld%s\n", inputs[i], m->name, m->value, (long long)m->ordinal,
           m->dynamic ? (first_dynamic == m ? " (dynamic, the same object)" : " (dynamic)") : "");
    if (m->dynamic && !first_dynamic) first_dynamic = m;
  }

  /* Reserved names are refused, with a message that names the input. */
  if (dynenum_enum_resolve(endpoint, "_private", 8, &m, &err) == DYNENUM_RESERVED) printf("%s\n", err.message);

  /* Iteration lists only real members, in declaration order. */
  for (size_t i = 0; i < dynenum_enum_size(endpoint); i++) {
    printf("member %zu: %s\n", i + 1, dynenum_enum_member(endpoint, i)->name);
  }
  ok = 1;

release:
  dynenum_enum_release(endpoint);
close:
  dynenum_registry_close(registry);
  return ok ? 0 : 1;
}
