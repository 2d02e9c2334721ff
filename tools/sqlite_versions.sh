#!/bin/sh
# `make test-sqlite-versions`: dynenum against more than one SQLite.
#
#     sh tools/sqlite_versions.sh        (after make, from the repository)
#
# 1. A newer SQLite, built here: the official sqlite-autoconf tarball that
#    the npm package sqlite3 (node-sqlite3; DYNENUM_SQLITE_NPM overrides the
#    package spec) bundles, fetched with `npm pack` into build/sqlite-versions/
#    and compiled into build/sqlite-VERSION/: libsqlite3.so.0 with the
#    compile options of Debian's libsqlite3 that change what SQLite offers,
#    and a sqlite3 shell linked to it.  The shell has to be built from the
#    same source: Debian's refuses any library but its own ("SQLite header
#    and source version mismatch").  Then the amalgamation better-sqlite3
#    bundles, which has no shell.c: its shell is the tarball's shell.c built
#    against that amalgamation's header.  Debian's Tcl binding takes
#    whichever libsqlite3.so.0 LD_LIBRARY_PATH finds, so it needs no build.
# 2. The whole Tcl suite (tests/run.tcl) for each pair of
#       extension built against Debian's sqlite3ext.h (build/dynenum.so) or
#       against the newer one's,  and
#       SQLite library at run time: Debian's or the newer one,
#    with DYNENUM_EXPECT_SQLITE_VERSION set, so that tests/sqlite_version.test
#    proves that tclsh and the shell the suite starts run on that library.
#    The newer shell prints results in a format of its own (rounded boxes,
#    numbers aligned right, "Error near line" for "Runtime error near
#    line"), so the README examples, recorded with Debian's, fail there;
#    each such failure counts as passed when tools/shell_format.tcl finds
#    that only the format differs.
# 3. The error a too old SQLite gets: a copy of the extension built with the
#    minimum raised to 3.999.0 must refuse to load, with the exact message,
#    in Tcl and in the shell, on both libraries.
#    The third library, better-sqlite3's, runs the suite with Debian's
#    extension build.
# 4. examples/embed.c (static, linked to libsqlite3.so.0) prints
#    examples/embed.out on the newer library too.
#
# Ends with "test-sqlite-versions: N passed, N failed" (the suites' tests
# and this script's own checks) and a table of the runs.
set -u
root=$(pwd)
work=$root/build/sqlite-versions
package=${DYNENUM_SQLITE_NPM:-sqlite3@6.0.1}
passed=0
failed=0
matrix=""

pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAILED: $1"; }
finish() {
  [ -n "$matrix" ] && printf '\nextension built against  x  SQLite at run time:  suite result\n%b' "$matrix"
  echo "test-sqlite-versions: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
die() { fail "$1"; finish; }

[ -f build/dynenum.so ] || die "build/dynenum.so is missing: run make first"
system_version=$(sqlite3 :memory: 'SELECT sqlite_version()') || die "the sqlite3 shell does not run"

# ---- 1. The newer SQLite --------------------------------------------------
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "dynenum: installing npm"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null ||
      die "cannot install npm"
  else
    die "npm is needed: sudo apt-get install -y npm"
  fi
fi
mkdir -p "$work"
tarball=$(ls "$work"/npm/*.tgz 2>/dev/null | head -n 1)
if [ -z "$tarball" ]; then
  mkdir -p "$work/npm"
  (cd "$work/npm" && npm pack --silent "$package" >/dev/null) || die "npm pack $package failed"
  tarball=$(ls "$work"/npm/*.tgz | head -n 1)
fi
source_dir=$work/source
if [ ! -f "$source_dir/sqlite3.c" ] || [ ! -f "$source_dir/shell.c" ]; then
  rm -rf "$work/unpack" "$source_dir"
  mkdir -p "$work/unpack"
  tar -xzf "$tarball" -C "$work/unpack" || die "cannot unpack $tarball"
  autoconf=$(ls "$work"/unpack/package/deps/sqlite-autoconf-*.tar.gz 2>/dev/null | head -n 1)
  [ -n "$autoconf" ] || die "$package ships no deps/sqlite-autoconf-*.tar.gz"
  tar -xzf "$autoconf" -C "$work/unpack" || die "cannot unpack $autoconf"
  mv "$work"/unpack/sqlite-autoconf-*/ "$source_dir" || die "no sqlite-autoconf directory in $autoconf"
  rm -rf "$work/unpack"
fi
new_version=$(sed -n 's/^#define SQLITE_VERSION  *"\(.*\)"/\1/p' "$source_dir/sqlite3.h")
[ -n "$new_version" ] || die "no SQLITE_VERSION in $source_dir/sqlite3.h"
echo "== SQLite $new_version from $(basename "$tarball"), Debian's is $system_version"
[ "$new_version" != "$system_version" ] || die "the npm package's SQLite is Debian's own version"

# Debian 12's options (PRAGMA compile_options of its libsqlite3.so.0) that
# add features or change behaviour, less ENABLE_UPDATE_DELETE_LIMIT, which
# needs a parser generated with it; the HAVE_ ones are what the tarball's
# configure would find (without HAVE_USLEEP, busy waits sleep whole seconds).
# Plus ENABLE_DBPAGE_VTAB, which the official builds have and Debian's has
# not: with it the shell has .recover (tests/lifecycle.test section 9).
sqlite_options="-DSQLITE_ENABLE_DBPAGE_VTAB -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_FTS3
  -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS3_TOKENIZER -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5
  -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_SESSION
  -DSQLITE_ENABLE_STMTVTAB -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_SECURE_DELETE
  -DSQLITE_SOUNDEX -DSQLITE_THREADSAFE=1 -DSQLITE_USE_URI=1 -DSQLITE_DEFAULT_RECURSIVE_TRIGGERS
  -DSQLITE_MAX_VARIABLE_NUMBER=250000 -DHAVE_USLEEP=1 -DHAVE_FDATASYNC=1 -DHAVE_LOCALTIME_R=1 -DHAVE_GMTIME_R=1
  -DHAVE_ISNAN=1"
# Builds libsqlite3.so.0, and a sqlite3 shell that links it as Debian's links
# its own (no copy of SQLite inside), from SOURCE_DIR (sqlite3.c, sqlite3.h,
# shell.c) into LIB_DIR, unless they are there already, built with the same
# options.
build_sqlite() { # SOURCE_DIR LIB_DIR VERSION
  [ -f "$2/libsqlite3.so.0" ] && [ -x "$2/bin/sqlite3" ] &&
    [ "$(cat "$2/options" 2>/dev/null)" = "$sqlite_options" ] && return 0
  rm -f "$2/options"
  echo "== building $2 (about a minute)"
  mkdir -p "$2/bin"
  # shellcheck disable=SC2086 # the options are meant to split
  cc -O2 -fPIC -shared $sqlite_options -I"$1" -Wl,-soname,libsqlite3.so.0 \
    -o "$2/libsqlite3.so.0.tmp" "$1/sqlite3.c" -lm -lpthread -ldl || die "cannot build libsqlite3.so.0 $3"
  mv "$2/libsqlite3.so.0.tmp" "$2/libsqlite3.so.0"
  # shellcheck disable=SC2086
  cc -O2 $sqlite_options -I"$1" -o "$2/bin/sqlite3" "$1/shell.c" "$2/libsqlite3.so.0" -lm -lpthread -ldl ||
    die "cannot build the sqlite3 shell $3"
  cp "$1/sqlite3.h" "$1/sqlite3ext.h" "$2/"
  printf '%s' "$sqlite_options" > "$2/options"
}
lib_dir=$root/build/sqlite-$new_version
build_sqlite "$source_dir" "$lib_dir" "$new_version"

# 1b. The amalgamation better-sqlite3 bundles (tools/better_sqlite.sh), the
# SQLite Node users of dynenum run.  It has no shell.c, so its
# shell is the tarball's shell.c compiled against the amalgamation's
# sqlite3.h: the shell's version check compares against that header.
bs_package=${DYNENUM_BETTER_SQLITE_NPM:-better-sqlite3@12.11.1}
bs_source=$(sh tools/better_sqlite.sh "$work") || die "cannot fetch the amalgamation of $bs_package"
bs_version=$(sed -n 's/^#define SQLITE_VERSION  *"\(.*\)"/\1/p' "$bs_source/sqlite3.h")
[ -n "$bs_version" ] || die "no SQLITE_VERSION in $bs_source/sqlite3.h"
echo "== SQLite $bs_version from $bs_package"
[ "$bs_version" != "$system_version" ] && [ "$bs_version" != "$new_version" ] ||
  die "$bs_package bundles SQLite $bs_version, a version already in the matrix"
bs_dir=$root/build/sqlite-$bs_version
# A copy beside the amalgamation: shell.c includes "sqlite3.h" from its own
# folder first.
[ -f "$bs_source/shell.c" ] || cp "$source_dir/shell.c" "$bs_source/shell.c" || die "cannot copy shell.c"
build_sqlite "$bs_source" "$bs_dir" "$bs_version"

# Every function Debian's Tcl binding and shell import must be in the new
# library, or they would fail to load against it.
missing=""
for program in /usr/lib/tcltk/sqlite3/libtclsqlite3.so "$(command -v sqlite3)"; do
  for symbol in $(nm -D --undefined-only "$program" | awk '$2 ~ /^sqlite3_/ {print $2}'); do
    nm -D --defined-only "$lib_dir/libsqlite3.so.0" | awk '{print $3}' | grep -qx "$symbol" ||
      missing="$missing $(basename "$program"):$symbol"
  done
done
if [ -z "$missing" ]; then pass "libsqlite3.so.0 $new_version has every sqlite3_ function Debian's Tcl binding and shell use"
else fail "libsqlite3.so.0 $new_version lacks:$missing"; fi

# The extension, compiled against the newer sqlite3ext.h (the rest as the
# Makefile does), and the copy that demands an SQLite that does not exist.
version=$(cat VERSION)
sources=$(make -s --no-print-directory print-sources) || die "make print-sources failed"
flags="-std=c11 -Wall -Wextra -Werror -O2 -fPIC -pthread -shared -fvisibility=hidden"
mkdir -p "$work/headers-$new_version" "$work/too-new"
# shellcheck disable=SC2086
if cc $flags -I"$lib_dir" -Iext/include -Iext -DDYNENUM_VERSION="\"$version\"" -o "$work/headers-$new_version/dynenum.so" $sources \
  >"$work/headers-$new_version/build.log" 2>&1; then
  pass "the extension builds against sqlite3ext.h $new_version without a warning"
else
  sed 's/^/   /' "$work/headers-$new_version/build.log"
  fail "the extension does not build against sqlite3ext.h $new_version"
fi
# shellcheck disable=SC2086
cc $flags -Iext/include -Iext -DDYNENUM_VERSION="\"$version\"" -DDYNENUM_MIN_SQLITE_VERSION_NUMBER=3999000 \
  -DDYNENUM_MIN_SQLITE_VERSION='"3.999.0"' -o "$work/too-new/dynenum.so" $sources ||
  die "cannot build the extension that needs SQLite 3.999.0"

# Runs COMMAND... with the SQLite of LIBRARY_DIR ("" for Debian's) first on
# the library path and its shell first on PATH.
with_sqlite() {
  library_dir=$1
  shift
  if [ -n "$library_dir" ]; then
    LD_LIBRARY_PATH="$library_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" PATH="$library_dir/bin:$PATH" "$@"
  else
    "$@"
  fi
}

# ---- 2. The suite, extension x library ------------------------------------
run_suite() { # LABEL-HEADERS EXTENSION LABEL-LIBRARY LIBRARY_DIR EXPECTED_VERSION
  log=$work/suite-$1-on-$3.log
  echo "== the Tcl suite: extension built against SQLite $1 headers, SQLite $3 at run time"
  DYNENUM_EXT=${2%.so} DYNENUM_EXPECT_SQLITE_VERSION=$5 DYNENUM_TEST_DIR=$work/testdb \
    with_sqlite "$4" tclsh tests/run.tcl >"$log" 2>&1
  status=$?
  summary=$(tail -n 1 "$log")
  suite_passed=$(echo "$summary" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  suite_failed=$(echo "$summary" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  if [ -z "$suite_passed" ]; then
    fail "the suite ($1 headers, SQLite $3) ended without its summary line; see $log"
    matrix="$matrix  $1  x  $3:  no summary (status $status)\n"
    return
  fi
  # The README examples are the output of Debian's shell; a newer shell
  # prints the same results in its own format (tools/shell_format.tcl).
  format_only=0
  if [ -n "$4" ]; then
    for name in $(tclsh tools/shell_format.tcl "$log" | sed -n 's/^format //p'); do
      format_only=$((format_only + 1))
      echo "ok: $name differs only in the SQLite $3 shell's output format"
    done
  fi
  passed=$((passed + suite_passed + format_only))
  failed=$((failed + suite_failed - format_only))
  if [ "$status" -ne 0 ] && [ "$suite_failed" -eq 0 ]; then
    fail "the suite ($1 headers, SQLite $3) exited with status $status"
  fi
  grep -E '^(!!|[^ ]+\.\.\. FAILED)' "$log" | sed 's/^/   /'
  echo "   $summary"
  if [ "$format_only" -gt 0 ]; then
    summary="$summary ($format_only of them only in the shell's output format)"
  fi
  matrix="$matrix  $1  x  $3:  $summary\n"
}

# (Debian's headers on Debian's library is what `make test` runs.)
run_suite "$system_version" build/dynenum.so "$new_version" "$lib_dir" "$new_version"
run_suite "$new_version" "$work/headers-$new_version/dynenum.so" "$new_version" "$lib_dir" "$new_version"
run_suite "$new_version" "$work/headers-$new_version/dynenum.so" "$system_version" "" "$system_version"
run_suite "$system_version" build/dynenum.so "$bs_version" "$bs_dir" "$bs_version"

# ---- 3. Too old an SQLite --------------------------------------------------
too_new=$work/too-new/dynenum
# Prints the error of load_extension(), then how many dynenum functions the
# failed load left registered.
cat >"$work/too_new.tcl" <<'EOF'
package require sqlite3
sqlite3 db :memory:
db enable_load_extension 1
set extension [lindex $argv 0]
catch {db eval {SELECT load_extension($extension)}} message
puts $message
puts [db one {SELECT count(*) FROM pragma_function_list WHERE name LIKE 'dynenum%'}]
EOF
for library in "$system_version:" "$new_version:$lib_dir" "$bs_version:$bs_dir"; do
  running=${library%%:*}
  library_dir=${library#*:}
  # SQLite puts "error during initialization: " before the entry point's
  # message, and the shell "Error: " before that.
  expected="error during initialization: dynenum needs SQLite 3.999.0 or newer, this is $running"
  got=$(with_sqlite "$library_dir" tclsh "$work/too_new.tcl" "$too_new" 2>&1)
  if [ "$got" = "$expected
0" ]; then pass "SQLite $running, Tcl: load_extension() fails with \"$expected\" and registers nothing"
  else fail "SQLite $running, Tcl: expected \"$expected\" then 0, got: $got"; fi
  got=$(with_sqlite "$library_dir" sqlite3 -batch :memory: ".load $too_new" 2>&1)
  status=$?
  if [ "$status" -ne 0 ] && [ "$got" = "Error: $expected" ]; then
    pass "SQLite $running, shell: .load fails with \"$got\""
  else
    fail "SQLite $running, shell: expected \"Error: $expected\" and a failure, got status $status: $got"
  fi
done

# ---- 4. The static example on the newer library ----------------------------
if [ -f build/libdynenum.a ] &&
  cc -std=c11 -Iext/include -o "$work/embed" examples/embed.c build/libdynenum.a -lsqlite3 -lpthread; then
  got=$(with_sqlite "$lib_dir" "$work/embed" 2>&1)
  linked=$(printf '#include <sqlite3.h>\n#include <stdio.h>\nint main(void) { puts(sqlite3_libversion()); return 0; }\n' |
    cc -x c -o "$work/libversion" - -lsqlite3 && with_sqlite "$lib_dir" "$work/libversion")
  if [ "$linked" = "$new_version" ] && [ "$got" = "$(cat examples/embed.out)" ]; then
    pass "examples/embed.c prints examples/embed.out on SQLite $new_version"
  else
    fail "examples/embed.c on SQLite $new_version (program linked $linked): $(echo "$got" | diff examples/embed.out - | head -n 20)"
  fi
else
  fail "cannot build examples/embed.c against build/libdynenum.a"
fi

finish
