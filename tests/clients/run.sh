#!/bin/sh
# Runs the client tests and adds up their summary lines:
#
#   python     Python's sqlite3 module (test_python.py)
#   enum       dynenum.enum_class() from python/, with Debian's Pydantic
#              (test_enum.py)
#   shell      the sqlite3 shell, and files passed between it and Python
#              (test_shell.py)
#   npm        installs better-sqlite3 into tests/clients/node/ (npm ci),
#              unless the locked version is already there
#   node       Node with better-sqlite3 (node/test_node.mjs)
#   npm-package  packs node/ (npm pack), installs the tarball into a fresh
#              project and uses it there (node/test_package.mjs)
#   wheel      builds the Python wheel (make python-wheel), then installs it
#              into fresh venvs and uses it: the README's enum_class()
#              example and a program checked against SQL, stubs checked by
#              mypy (test_wheel.py)
#
#   MAKE=make sh tests/clients/run.sh     (what `make test-clients` runs)
#
# Every suite ends with "NAME: N passed, N failed"; the installing and
# building steps count as one check each.  A suite that exits non-zero
# without reporting a failure, or ends without its line, counts as failed.
# Ends with "test-clients: N passed, N failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
python=/usr/bin/python3
make=${MAKE:-make}
work=$root/build/clients
rm -rf "$work"
mkdir -p "$work" || exit 1
DYNENUM_EXTENSION=$root/build/dynenum
DYNENUM_WORK=$work
# No __pycache__ folders in the source tree.
PYTHONDONTWRITEBYTECODE=1
export DYNENUM_EXTENSION DYNENUM_WORK PYTHONDONTWRITEBYTECODE
passed=0
failed=0

# run NAME COMMAND...: runs COMMAND, showing its output as it goes, and adds
# its result to the totals.
run() {
  name=$1
  shift
  echo "== $name: $*"
  { "$@"; echo $? > "$work/$name.status"; } 2>&1 | tee "$work/$name.log"
  status=$(cat "$work/$name.status")
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed\$" "$work/$name.log" | tail -n 1)
  if [ -n "$line" ]; then
    p=$(echo "$line" | sed -E 's/^[^:]*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
    [ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  elif [ "$status" -eq 0 ]; then
    p=1 f=0
  else
    p=0 f=1
    echo "$name: exited with status $status"
  fi
  passed=$((passed + p))
  failed=$((failed + f))
}

# Installs the locked better-sqlite3 unless it is there and loads.  Without
# a reachable prebuilt binary (GitHub), npm compiles the addon and its
# SQLite: about two minutes on two cores, once.
install_better_sqlite3() {
  cd tests/clients/node || return 1
  # npm ci rewrites node_modules/.package-lock.json; a newer lock file
  # means the locked versions changed since.
  if [ -f node_modules/.package-lock.json ] &&
     [ -z "$(find package-lock.json -newer node_modules/.package-lock.json)" ] &&
     node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null; then
    echo "better-sqlite3 is installed"
    return 0
  fi
  # node-gyp compiles against the headers of the installed Node when they
  # are there, rather than downloading them.
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
    npm_config_nodedir=/usr
    export npm_config_nodedir
  fi
  start=$(date +%s)
  npm ci --no-audit --no-fund || return 1
  echo "npm ci took $(($(date +%s) - start)) s"
}

run python $python tests/clients/test_python.py
run enum $python tests/clients/test_enum.py
run shell $python tests/clients/test_shell.py
run npm install_better_sqlite3
run node node tests/clients/node/test_node.mjs
run npm-package node tests/clients/node/test_package.mjs
run python-wheel "$make" --no-print-directory python-wheel
run wheel $python tests/clients/test_wheel.py

echo "test-clients: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
