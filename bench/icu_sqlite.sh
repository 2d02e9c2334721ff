#!/bin/sh
# Builds the ICU-enabled SQLite that `make bench` compares with: the
# amalgamation the npm package better-sqlite3 bundles (tools/better_sqlite.sh
# fetches it) compiled with -DSQLITE_ENABLE_ICU against Debian's libicu-dev,
# as build/sqlite-icu/libsqlite3.so.0, which LD_LIBRARY_PATH puts under the
# bench, tclsh or python3 in place of Debian's.  Prints that folder; a
# second call with nothing changed rebuilds nothing.
#
#     sh bench/icu_sqlite.sh
#
# Any failure ends the script with a message and a non-zero status, so that
# the ICU figures never go missing quietly.
set -u
die() { echo "icu_sqlite.sh: $1" >&2; exit 1; }
out=$(pwd)/build/sqlite-icu
source=$(sh tools/better_sqlite.sh) || die "cannot fetch the amalgamation"
# COLUMN_METADATA: Debian's Tcl binding and Python link functions it adds.
options="-DSQLITE_ENABLE_ICU -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_THREADSAFE=1 -DHAVE_USLEEP=1"
stamp="$options $(cksum < "$source/sqlite3.c")"
if [ ! -f "$out/libsqlite3.so.0" ] || [ "$(cat "$out/stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "bench: building the ICU-enabled SQLite in $out (about a minute)" >&2
  mkdir -p "$out"
  rm -f "$out/stamp"
  # shellcheck disable=SC2086 # the options are meant to split
  cc -O2 -fPIC -shared $options -I"$source" -Wl,-soname,libsqlite3.so.0 -o "$out/libsqlite3.so.0.tmp" \
    "$source/sqlite3.c" -licui18n -licuuc -licudata -lm -lpthread -ldl || die "cannot build $out/libsqlite3.so.0"
  mv "$out/libsqlite3.so.0.tmp" "$out/libsqlite3.so.0" || die "cannot write $out/libsqlite3.so.0"
  printf '%s' "$stamp" > "$out/stamp"
fi
echo "$out"
