/*
** core_memory.c: the core's heap per member beyond the member's own
** strings, counted by an allocator handed to the core (dynenum_config)
** that tracks the usable size of every live block.
*/
#define _GNU_SOURCE /* malloc_usable_size */

#include "bench.h"

#include "dynenum.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMBERS 1000000

static size_t live_bytes;

static void *counted_malloc(size_t size) {
  void *p = malloc(size);
  if (p) live_bytes += malloc_usable_size(p);
  return p;
}

static void counted_free(void *p) {
  if (p) live_bytes -= malloc_usable_size(p);
  free(p);
}

/* 1,000,000 members added through the C API (value NULL: the key of the
** name, as INSERT INTO e(name) does); the strings are each member's name
** and value with their terminating NULs, as dynenum_member shows them. */
void bench_core_memory(void) {
  dynenum_config config = {counted_malloc, counted_free, 0};
  dynenum_enum *e;
  dynenum_error err;
  if (dynenum_enum_new(&config, "e", 1, &e) != DYNENUM_OK) bench_fail(NULL, "dynenum_enum_new");
  size_t before = live_bytes, strings = 0;
  for (int i = 0; i < MEMBERS; i++) {
    char name[32];
    const dynenum_member *m;
    bench_member_name(i, name, sizeof name, NULL);
    if (dynenum_enum_add(e, name, strlen(name), NULL, 0, &m, &err) != DYNENUM_OK) bench_fail(NULL, err.message);
    strings += m->name_len + 1 + m->value_len + 1;
  }
  double total = (double)(live_bytes - before) / MEMBERS, own = (double)strings / MEMBERS;
  printf("core_bytes_per_member\t%.1f\t%.1f\t%.1f\t1\t%d members added through the C API: %.1f B of heap each, "
         "%.1f B of it the name and value with their NULs\n",
         total - own, total, own, MEMBERS, total, own);
  dynenum_enum_release(e);
}
