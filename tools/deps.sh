#!/bin/sh
# Installs the Debian packages that building, the demo and the tests need,
# when any is missing: the one place that knows them.  As root it runs
# apt-get; otherwise it prints the one command to run and fails.
#
#   sh tools/deps.sh [GROUP...]
#
# Always:
#   sqlite3         the shell, for `make demo` and the shell tests
#   libsqlite3-dev  sqlite3.h and sqlite3ext.h, to build the extension
#   tcl             tclsh, which runs the test suite
#   libsqlite3-tcl  the Tcl binding of SQLite, which the suite drives
#   unicode-data    CaseFolding.txt, to prove the generated table
# and for each GROUP named:
#   bench      gnuplot-nox, the chart of `make bench`'s report; python3,
#              Debian's Python (with sqlite3 and load_extension), for the
#              Python enum the benchmark compares with
#   valgrind   valgrind, for `make test-valgrind`
#   coverage   gcovr, for `make coverage`
#   install    pkg-config, for `make test-install`
#   python     what `make python-wheel` needs: Debian's /usr/bin/python3,
#              whose sqlite3 module can load extensions (a pyenv or macOS
#              Python often cannot); python3-setuptools and python3-wheel to
#              build the wheel (no PyPI needed); python3-pip for pip wheel,
#              and pip inside the test's venv; python3-venv for python3 -m
#              venv (Debian ships ensurepip separately)
#   clients    what `make test-clients` needs: the python group; nodejs and
#              npm; g++, with which better-sqlite3 compiles its addon when
#              no prebuilt binary can be downloaded.  better-sqlite3 12
#              wants Node 20 or newer, which is checked after installing.
python=/usr/bin/python3
missing=""
# Adds packages to what is missing, once each (python and clients share
# some).
need() {
  for package in "$@"; do
    case "$missing " in
      *" $package "*) ;;
      *) missing="$missing $package" ;;
    esac
  done
}

command -v sqlite3 >/dev/null 2>&1 || need sqlite3
[ -f /usr/include/sqlite3ext.h ] || need libsqlite3-dev
command -v tclsh >/dev/null 2>&1 || need tcl
echo 'package require sqlite3' | tclsh >/dev/null 2>&1 || need libsqlite3-tcl
[ -f /usr/share/unicode/CaseFolding.txt ] || need unicode-data

check_python() {
  if [ ! -x $python ]; then
    need python3 python3-setuptools python3-wheel python3-pip python3-venv
    return
  fi
  $python -c 'import setuptools' >/dev/null 2>&1 || need python3-setuptools
  $python -c 'import wheel' >/dev/null 2>&1 || need python3-wheel
  $python -m pip --version >/dev/null 2>&1 || need python3-pip
  $python -c 'import ensurepip' >/dev/null 2>&1 || need python3-venv
}

node_check=0
for group in "$@"; do
  case $group in
    bench)
      command -v gnuplot >/dev/null 2>&1 || need gnuplot-nox
      [ -x $python ] || need python3
      ;;
    valgrind) command -v valgrind >/dev/null 2>&1 || need valgrind ;;
    coverage) command -v gcovr >/dev/null 2>&1 || need gcovr ;;
    install) command -v pkg-config >/dev/null 2>&1 || need pkg-config ;;
    python) check_python ;;
    clients)
      check_python
      command -v node >/dev/null 2>&1 || need nodejs
      command -v npm >/dev/null 2>&1 || need npm
      command -v g++ >/dev/null 2>&1 || need g++
      node_check=1
      ;;
    *)
      echo "usage: sh tools/deps.sh [bench|valgrind|coverage|install|python|clients]..." >&2
      exit 2
      ;;
  esac
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "dynenum needs these Debian packages:$missing" >&2
    echo "install them with:  sudo apt-get install -y$missing" >&2
    exit 1
  fi
  echo "dynenum: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086 # one word a package
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
fi

if [ "$node_check" -eq 1 ]; then
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "dynenum: better-sqlite3 12 needs Node 20 or newer, this is Node $(node --version);" >&2
    echo "install a newer Node (for example from NodeSource) and run again" >&2
    exit 1
  fi
fi
exit 0
