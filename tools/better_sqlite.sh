#!/bin/sh
# Fetches the SQLite amalgamation that the npm package better-sqlite3
# bundles (deps/sqlite3/, with a patch of its own), the SQLite Node users of
# dynenum run, with `npm pack`, and prints the folder that holds its
# sqlite3.c, sqlite3.h and sqlite3ext.h.  A second call finds it there.
#
#     sh tools/better_sqlite.sh [WORK]     (build/sqlite-versions by default)
#
# DYNENUM_BETTER_SQLITE_NPM overrides the package spec.  Used by
# tools/sqlite_versions.sh (a third SQLite for the suite) and by
# bench/icu_sqlite.sh (the ICU-enabled SQLite of `make bench`); fails with a
# message on standard error when npm or the package is not there.
set -u
work=${1:-build/sqlite-versions}
package=${DYNENUM_BETTER_SQLITE_NPM:-better-sqlite3@12.11.1}
source=$work/better-sqlite3
die() { echo "better_sqlite.sh: $1" >&2; exit 1; }

if [ ! -f "$source/sqlite3.c" ]; then
  command -v npm >/dev/null 2>&1 || die "npm is needed: sudo apt-get install -y npm"
  rm -rf "$work/npm-better" "$work/unpack-better" "$source"
  mkdir -p "$work/npm-better" "$work/unpack-better"
  (cd "$work/npm-better" && npm pack --silent "$package" >/dev/null) || die "npm pack $package failed"
  tar -xzf "$work"/npm-better/*.tgz -C "$work/unpack-better" || die "cannot unpack $package"
  [ -f "$work/unpack-better/package/deps/sqlite3/sqlite3.c" ] || die "$package ships no deps/sqlite3/sqlite3.c"
  mv "$work/unpack-better/package/deps/sqlite3" "$source" || die "cannot move the amalgamation of $package"
  rm -rf "$work/unpack-better"
fi
echo "$source"
