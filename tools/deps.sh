#!/bin/sh
# Installs the Debian packages that building, the demo and the tests need,
# when any is missing: the one place that knows them.  As root it runs
# apt-get; otherwise it prints the one command to run and fails.
#
#   sh tools/deps.sh [--missing] [--only] [--all | GROUP...]
#
#   --missing  list what is missing, one package a line, and install
#              nothing; exit 1 when anything is missing, else 0
#   --only     the GROUPs named, without the base packages
#   --all      every GROUP below: what all the longer targets need, which
#              is how .ci/run installs its packages (no list of its own)
#
# The base packages:
#   gcc, libc6-dev  the C compiler and C library headers (cc on PATH)
#   sqlite3         the shell, for `make demo` and the shell tests
#   libsqlite3-dev  sqlite3.h and sqlite3ext.h, to build the extension
#   tcl             tclsh, which runs the test suite
#   libsqlite3-tcl  the Tcl binding of SQLite, which the suite drives
#   unicode-data    CaseFolding.txt and DerivedCoreProperties.txt, to prove
#                   the generated tables
# and for each GROUP named:
#   bench      gnuplot-nox, the charts of `make bench`'s report; python3,
#              Debian's Python (with sqlite3 and load_extension), for the
#              Python enum and casefold collation the benchmark compares
#              with; libicu-dev, ICU's headers and libraries, and npm, which
#              fetches better-sqlite3's amalgamation, to build the
#              ICU-enabled SQLite of the peers (bench/icu_sqlite.sh)
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
#              python3-pydantic (1.x), which the enum class's Pydantic
#              fields are tested with; mypy, which checks the stubs of
#              `python3 -m dynenum stubs`
#   fresh      mmdebstrap, which makes the Debian roots of `make test-fresh`
#   clang      clang, the second compiler of `make warnings` and
#              `make test-static`
#   fuzz       clang and its libFuzzer runtime, for `make fuzz`:
#              libclang-rt-N-dev for clang N (14 on Debian 12)
#   dqlite     what `make dqlite` and `make test-dqlite` need: golang-go,
#              Debian's Go; golang-github-canonical-go-dqlite-dev, the Go
#              client and app packages of dqlite (source, for GOPATH mode),
#              which bring libdqlite-dev and libraft-dev; go-dqlite, the
#              `dqlite` shell the test uses as a client
#
# Every check loads or runs what it checks and trusts only an exit status
# that means what it says; tests/deps.test makes each thing missing in turn
# and sees its check fail.  These variables move what is checked, for the
# tests and for unusual machines: CC (cc) and CPPFLAGS, the compiler and
# flags that must find the headers; DYNENUM_PYTHON (/usr/bin/python3);
# DYNENUM_UNICODE_DATA (/usr/share/unicode), where the Unicode data files
# are; DYNENUM_GOCODE (/usr/share/gocode), where Debian puts Go sources.
cc=${CC:-cc}
python=${DYNENUM_PYTHON:-/usr/bin/python3}
unicode_data=${DYNENUM_UNICODE_DATA:-/usr/share/unicode}
gocode=${DYNENUM_GOCODE:-/usr/share/gocode}
groups="bench valgrind coverage install python clients fresh clang fuzz dqlite"
usage="usage: sh tools/deps.sh [--missing] [--only] [--all | GROUP...], GROUP one of: $groups"

list_only=0
base=1
all=0
while [ $# -gt 0 ]; do
  case $1 in
    --missing) list_only=1 ;;
    --only) base=0 ;;
    --all) all=1 ;;
    *) break ;;
  esac
  shift
done
for group in "$@"; do
  case " $groups " in
    *" $group "*) [ "$all" -eq 0 ] && continue ;;
  esac
  echo "$usage" >&2
  exit 2
done
if [ "$all" -eq 1 ]; then
  # shellcheck disable=SC2086 # one word a group
  set -- $groups
fi

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

# Whether the compiler finds and accepts HEADER.
compiles() {
  printf '#include <%s>\n' "$1" | "$cc" $CPPFLAGS -E -x c - >/dev/null 2>&1
}

# tclsh reading a script from a pipe exits 0 after a failed command, so the
# script says its own exit status.
tcl_loads_sqlite() {
  printf '%s\n' 'exit [catch {package require sqlite3}]' | tclsh >/dev/null 2>&1
}

# Whether clang builds and links a libFuzzer target (the runtime is a
# package of its own); what fuzz/fuzz.mk's fuzz-toolchain tries too.
fuzzer_links() {
  printf '%s\n' 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);' \
    'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' |
    clang -fsanitize=fuzzer,address,undefined -x c -o /dev/null - >/dev/null 2>&1
}

check_base() {
  if command -v "$cc" >/dev/null 2>&1; then
    compiles stdio.h || need libc6-dev
    compiles sqlite3ext.h || need libsqlite3-dev
  else
    need gcc libc6-dev
    # Without a compiler the header cannot be looked for; Debian puts it here.
    [ -f /usr/include/sqlite3ext.h ] || need libsqlite3-dev
  fi
  command -v sqlite3 >/dev/null 2>&1 || need sqlite3
  if command -v tclsh >/dev/null 2>&1; then
    tcl_loads_sqlite || need libsqlite3-tcl
  else
    need tcl libsqlite3-tcl
  fi
  { [ -f "$unicode_data/CaseFolding.txt" ] && [ -f "$unicode_data/DerivedCoreProperties.txt" ]; } || need unicode-data
}

check_python() {
  if [ ! -x "$python" ]; then
    need python3 python3-setuptools python3-wheel python3-pip python3-venv
    return
  fi
  "$python" -c 'import setuptools' >/dev/null 2>&1 || need python3-setuptools
  "$python" -c 'import wheel' >/dev/null 2>&1 || need python3-wheel
  "$python" -m pip --version >/dev/null 2>&1 || need python3-pip
  "$python" -c 'import ensurepip' >/dev/null 2>&1 || need python3-venv
}

check_group() {
  case $1 in
    bench)
      command -v gnuplot >/dev/null 2>&1 || need gnuplot-nox
      [ -x "$python" ] || need python3
      compiles unicode/ucol.h || need libicu-dev
      command -v npm >/dev/null 2>&1 || need npm
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
      # Pydantic 2 validates otherwise; the tests are of 1.x, Debian 12's.
      "$python" -c 'import sys, pydantic; sys.exit(not pydantic.VERSION.startswith("1."))' >/dev/null 2>&1 ||
        need python3-pydantic
      mypy --version >/dev/null 2>&1 || need mypy
      ;;
    fresh) command -v mmdebstrap >/dev/null 2>&1 || need mmdebstrap ;;
    clang) command -v clang >/dev/null 2>&1 || need clang ;;
    fuzz)
      if command -v clang >/dev/null 2>&1; then
        fuzzer_links || need "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
      else
        need clang libclang-rt-14-dev
      fi
      ;;
    dqlite)
      command -v go >/dev/null 2>&1 || need golang-go
      command -v dqlite >/dev/null 2>&1 || need go-dqlite
      compiles dqlite.h || need libdqlite-dev
      [ -f "$gocode/src/github.com/canonical/go-dqlite/app/app.go" ] ||
        need golang-github-canonical-go-dqlite-dev
      ;;
  esac
}

check_all() {
  missing=""
  [ "$base" -eq 1 ] && check_base
  for group in "$@"; do
    check_group "$group"
  done
}

check_all "$@"

if [ "$list_only" -eq 1 ]; then
  [ -n "$missing" ] && printf '%s\n' $missing
elif [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "dynenum needs these Debian packages:$missing" >&2
    echo "install them with:  sudo apt-get install -y$missing" >&2
    exit 1
  fi
  echo "dynenum: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086 # one word a package
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
  # A package that installed but left its check failing would otherwise
  # surface later as a confusing test failure.
  installed=$missing
  check_all "$@"
  if [ -n "$missing" ]; then
    echo "dynenum: installed$installed, but still missing:$missing" >&2
    exit 1
  fi
fi

for group in "$@"; do
  [ "$group" = clients ] || continue
  command -v node >/dev/null 2>&1 || break
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "dynenum: better-sqlite3 12 needs Node 20 or newer, this is Node $(node --version);" >&2
    echo "install a newer Node (for example from NodeSource) and run again" >&2
    exit 1
  fi
done

[ -z "$missing" ]
