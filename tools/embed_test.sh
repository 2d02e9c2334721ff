#!/bin/sh
# `make test-static`: examples/embed.c, linked with build/libdynenum.a and the
# system SQLite, must compile without a warning under gcc and clang, print
# exactly examples/embed.out and exit 0, without loading any extension.
#
#     sh tools/embed_test.sh build/libdynenum.a
#
# Ends with "test-static: N passed, N failed".
set -u
library=${1:-build/libdynenum.a}
out=build/static
# shellcheck source=tools/results.sh
. "$(dirname "$0")/results.sh"

mkdir -p "$out"
for compiler in gcc clang; do
  if ! command -v "$compiler" >/dev/null 2>&1; then
    fail "$compiler is not installed"
    continue
  fi
  program=$out/embed-$compiler
  if ! "$compiler" -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror -O2 -Iext/include \
    -o "$program" examples/embed.c "$library" -lsqlite3 -lpthread; then
    fail "examples/embed.c does not build with $compiler"
    continue
  fi
  pass "examples/embed.c builds with $compiler, no warnings"

  expect_output "the $compiler build" "$program" examples/embed.out

  # The extension is linked in and registered by sqlite3_auto_extension:
  # the program has no use for load_extension and no dynenum.so to find.
  if nm -u "$program" | grep -q 'load_extension'; then
    fail "the $compiler build refers to a load_extension function"
  elif ldd "$program" | grep -q dynenum; then
    fail "the $compiler build needs a shared dynenum library"
  else
    pass "the $compiler build loads no extension"
  fi
done

results_end test-static
