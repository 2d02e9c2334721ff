#!/bin/sh
# Installs the Debian packages that building, the demo and the tests need,
# when any is missing.  As root it runs apt-get; otherwise it prints the one
# command to run and fails.
#
#   sqlite3         the shell, for `make demo` and the shell tests
#   libsqlite3-dev  sqlite3.h and sqlite3ext.h, to build the extension
#   tcl             tclsh, which runs the test suite
#   libsqlite3-tcl  the Tcl binding of SQLite, which the suite drives
#   unicode-data    CaseFolding.txt, to prove the generated table
# and, with the argument "bench", what `make bench` needs as well:
#   gnuplot-nox     the chart of the report
#   python3         Debian's Python (with sqlite3 and load_extension), for
#                   the Python enum the benchmark compares with
# or, with the argument "valgrind", what `make test-valgrind` needs:
#   valgrind
missing=""
command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
[ -f /usr/include/sqlite3ext.h ] || missing="$missing libsqlite3-dev"
command -v tclsh >/dev/null 2>&1 || missing="$missing tcl"
echo 'package require sqlite3' | tclsh >/dev/null 2>&1 || missing="$missing libsqlite3-tcl"
[ -f /usr/share/unicode/CaseFolding.txt ] || missing="$missing unicode-data"
if [ "${1:-}" = bench ]; then
  command -v gnuplot >/dev/null 2>&1 || missing="$missing gnuplot-nox"
  [ -x /usr/bin/python3 ] || missing="$missing python3"
fi
if [ "${1:-}" = valgrind ]; then
  command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "dynenum: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
  exit $?
fi
echo "dynenum needs these Debian packages:$missing" >&2
echo "install them with:  sudo apt-get install -y$missing" >&2
exit 1
