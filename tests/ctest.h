/*
** ctest.h: the small test framework of dynenum's C tests (key_test.c,
** core_test.c).  Header only: a test program includes it once.
**
**     ctest_group("keys");
**     CHECK(n > 0, "key of %s is not empty", name);
**     CHECK_INT_EQ(DYNENUM_OK, rc, "add %s", name);
**     CHECK_STR_EQ("empty name in enum 'colour'", err.message, "message");
**     return ctest_finish();
**
** Every check is counted.  A failed one prints its name, file:line, and the
** expected and actual values; a passing one prints nothing.  The name comes
** last and is a printf format, formatted only when the check fails, so a
** loop over all 1.1 million code points can afford a descriptive name per
** check.  ctest_group starts a group of checks and prints one line for the
** group before it; ctest_finish closes the last group, prints
** "N errors out of M tests" as the last line of output (the line
** tests/run.tcl reads) and returns the exit status.  A test in that line is
** a group: one check of a million over the code points is one test, not a
** million, and a group with any failed check is one error.  That is the
** unit tests/run.tcl adds up: a named test case, as one do_test of the Tcl
** suite (tests/harness.tcl) is.  The "N checks, N failed" line before it is
** for reading, not counted.  A check made outside any group goes into a
** group "(no group)", so that a failure there still fails a test.
**
** Not thread-safe: threads of a test collect their own results and the
** main thread checks them.
*/
#ifndef DYNENUM_CTEST_H
#define DYNENUM_CTEST_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Past this many, failures are counted but not printed: a broken table
** would otherwise print a million lines. */
#define CTEST_MAX_PRINTED_FAILURES 40

/* Lets the compiler check each name format against its arguments. */
#if defined(__GNUC__) || defined(__clang__)
#define CTEST_FORMAT(format_index) __attribute__((format(printf, format_index, format_index + 1)))
#else
#define CTEST_FORMAT(format_index)
#endif

static struct {
  long checks, failures;             /* totals */
  long groups, failed_groups;        /* what the closing line counts */
  long group_checks, group_failures; /* in the current group */
  const char *group;                 /* NULL before the first group */
} ctest_state;

/* Prints the result line of the group in progress, if any. */
static inline void ctest_end_group(void) {
  if (!ctest_state.group) return;
  ctest_state.groups++;
  if (ctest_state.group_failures) ctest_state.failed_groups++;
  if (ctest_state.group_failures) {
    printf("FAIL %s: %ld of %ld checks failed\n", ctest_state.group, ctest_state.group_failures,
           ctest_state.group_checks);
  } else {
    printf("ok   %s (%ld checks)\n", ctest_state.group, ctest_state.group_checks);
  }
  fflush(stdout);
  ctest_state.group = NULL;
}

/* Starts a named group of checks; name must outlive the group. */
static inline void ctest_group(const char *name) {
  ctest_end_group();
  ctest_state.group = name;
  ctest_state.group_checks = 0;
  ctest_state.group_failures = 0;
}

/* Counts one check; on failure returns 1 when the failure is to be printed
** and prints its header line (the formatted name and where it is). */
static inline int ctest_record(int ok, const char *file, int line, const char *name_format, va_list ap) {
  if (!ctest_state.group) ctest_group("(no group)");
  ctest_state.checks++;
  ctest_state.group_checks++;
  if (ok) return 0;
  ctest_state.failures++;
  ctest_state.group_failures++;
  if (ctest_state.failures > CTEST_MAX_PRINTED_FAILURES) {
    if (ctest_state.failures == CTEST_MAX_PRINTED_FAILURES + 1) printf("  (further failures are not shown)\n");
    return 0;
  }
  printf("FAILED ");
  vprintf(name_format, ap);
  printf("\n  at %s:%d\n", file, line);
  return 1;
}

/* Prints bytes the way a C literal would show them, so that NUL bytes,
** malformed UTF-8 and trailing spaces are all visible. */
static inline void ctest_print_bytes(const void *bytes, size_t n) {
  const unsigned char *s = bytes;
  putchar('"');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"' || s[i] == '\\') printf("\\%c", s[i]);
    else if (s[i] >= 0x20 && s[i] < 0x7F) putchar(s[i]);
    else printf("\\x%02x", s[i]);
  }
  printf("\" (%zu bytes)", n);
}

CTEST_FORMAT(5)
static inline int ctest_check(int ok, const char *file, int line, const char *condition, const char *name_format,
                              ...) {
  va_list ap;
  va_start(ap, name_format);
  if (ctest_record(ok, file, line, name_format, ap)) printf("  condition: %s\n", condition);
  va_end(ap);
  return ok;
}

CTEST_FORMAT(5)
static inline int ctest_check_int(intmax_t expected, intmax_t actual, const char *file, int line,
                                  const char *name_format, ...) {
  va_list ap;
  int ok = expected == actual;
  va_start(ap, name_format);
  if (ctest_record(ok, file, line, name_format, ap)) {
    printf("  expected: %jd\n  actual:   %jd\n", expected, actual);
  }
  va_end(ap);
  return ok;
}

CTEST_FORMAT(5)
static inline int ctest_check_hex(uintmax_t expected, uintmax_t actual, const char *file, int line,
                                  const char *name_format, ...) {
  va_list ap;
  int ok = expected == actual;
  va_start(ap, name_format);
  if (ctest_record(ok, file, line, name_format, ap)) {
    printf("  expected: 0x%jX\n  actual:   0x%jX\n", expected, actual);
  }
  va_end(ap);
  return ok;
}

CTEST_FORMAT(5)
static inline int ctest_check_ptr(const void *expected, const void *actual, const char *file, int line,
                                  const char *name_format, ...) {
  va_list ap;
  int ok = expected == actual;
  va_start(ap, name_format);
  if (ctest_record(ok, file, line, name_format, ap)) {
    printf("  expected: %p\n  actual:   %p\n", expected, actual);
  }
  va_end(ap);
  return ok;
}

CTEST_FORMAT(7)
static inline int ctest_check_mem(const void *expected, size_t expected_len, const void *actual, size_t actual_len,
                                  const char *file, int line, const char *name_format, ...) {
  va_list ap;
  int ok = actual && expected_len == actual_len && memcmp(expected, actual, actual_len) == 0;
  va_start(ap, name_format);
  if (ctest_record(ok, file, line, name_format, ap)) {
    printf("  expected: ");
    ctest_print_bytes(expected, expected_len);
    printf("\n  actual:   ");
    if (actual) ctest_print_bytes(actual, actual_len);
    else printf("NULL");
    printf("\n");
  }
  va_end(ap);
  return ok;
}

CTEST_FORMAT(5)
static inline int ctest_check_str(const char *expected, const char *actual, const char *file, int line,
                                  const char *name_format, ...) {
  va_list ap;
  int ok = actual && strcmp(expected, actual) == 0;
  va_start(ap, name_format);
  if (ctest_record(ok, file, line, name_format, ap)) {
    printf("  expected: ");
    ctest_print_bytes(expected, strlen(expected));
    printf("\n  actual:   ");
    if (actual) ctest_print_bytes(actual, strlen(actual));
    else printf("NULL");
    printf("\n");
  }
  va_end(ap);
  return ok;
}

/* A string of count copies of unit followed by tail, in a static buffer
** (valid until the next call). */
static inline const char *ctest_repeat(const char *unit, int count, const char *tail) {
  static char buf[1024];
  size_t used = 0, unit_len = strlen(unit), tail_len = strlen(tail);
  for (int i = 0; i < count && used + unit_len + tail_len < sizeof buf; i++, used += unit_len) {
    memcpy(buf + used, unit, unit_len);
  }
  memcpy(buf + used, tail, tail_len + 1);
  return buf;
}

/* Closes the last group, prints the summary line and returns the exit
** status: 0 when every check passed, 1 otherwise. */
static inline int ctest_finish(void) {
  ctest_end_group();
  printf("%ld checks, %ld failed\n", ctest_state.checks, ctest_state.failures);
  printf("%ld errors out of %ld tests\n", ctest_state.failed_groups, ctest_state.groups);
  fflush(stdout);
  return ctest_state.failures ? 1 : 0;
}

/* The checks.  Each evaluates its arguments once and returns whether it
** passed, so a test can skip what depends on a failed check. */
#define CHECK(condition, ...) ctest_check(!!(condition), __FILE__, __LINE__, #condition, __VA_ARGS__)
#define CHECK_INT_EQ(expected, actual, ...) \
  ctest_check_int((intmax_t)(expected), (intmax_t)(actual), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_HEX_EQ(expected, actual, ...) \
  ctest_check_hex((uintmax_t)(expected), (uintmax_t)(actual), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_PTR_EQ(expected, actual, ...) \
  ctest_check_ptr((const void *)(expected), (const void *)(actual), __FILE__, __LINE__, __VA_ARGS__)
/* Compares byte strings with lengths; actual may be NULL (a failure). */
#define CHECK_MEM_EQ(expected, expected_len, actual, actual_len, ...) \
  ctest_check_mem((expected), (expected_len), (actual), (actual_len), __FILE__, __LINE__, __VA_ARGS__)
/* Compares NUL-terminated strings; actual may be NULL (a failure). */
#define CHECK_STR_EQ(expected, actual, ...) \
  ctest_check_str((expected), (actual), __FILE__, __LINE__, __VA_ARGS__)

#endif /* DYNENUM_CTEST_H */
