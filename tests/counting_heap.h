/*
** counting_heap.h: the counting allocator of the core's C tests
** (core_test.c, alias_test.c): it counts every allocation, fails the one
** numbered heap.fail_at, and counts the blocks still live, so that a test
** can fail each allocation of a script in turn and prove nothing leaks.
** Header only; include it once, after dynenum.h.
*/
#ifndef DYNENUM_COUNTING_HEAP_H
#define DYNENUM_COUNTING_HEAP_H

#include <stdlib.h>
#include <string.h>

/* Single-threaded use only (the concurrency test uses the C library's). */
static struct {
  long calls;    /* malloc calls so far */
  long fail_at;  /* the call, counting from 1, that fails; 0 for none */
  long injected; /* failures injected so far */
  long live;     /* blocks allocated and not freed */
} heap;

static inline int injecting_failure(void) {
  heap.calls++;
  if (heap.calls != heap.fail_at) return 0;
  heap.injected++;
  return 1;
}

static inline void *test_malloc(size_t size) {
  if (injecting_failure()) return NULL;
  void *p = malloc(size);
  if (p) heap.live++;
  return p;
}

static inline void test_free(void *p) {
  if (p) heap.live--;
  free(p);
}

static inline void heap_reset(long fail_at) {
  memset(&heap, 0, sizeof heap);
  heap.fail_at = fail_at;
}

static inline dynenum_config counting_config(size_t dynamic_cap) {
  dynenum_config c = {test_malloc, test_free, dynamic_cap};
  return c;
}

#endif /* DYNENUM_COUNTING_HEAP_H */
