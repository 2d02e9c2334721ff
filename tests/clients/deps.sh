#!/bin/sh
# Installs what the client tests (make test-clients) and the Python wheel
# (make python-wheel) need, when any of it is missing.  As root it runs
# apt-get; otherwise it prints the one command to run and fails.
#
#   sqlite3             the shell
#   python3             Debian's /usr/bin/python3, whose sqlite3 module can
#                       load extensions (a pyenv or macOS Python often cannot)
#   python3-setuptools  and python3-wheel: build the wheel (no PyPI needed)
#   python3-pip         pip wheel, and pip inside the test's venv
#   python3-venv        python3 -m venv (Debian ships ensurepip separately)
# and, unless the argument is "python":
#   nodejs, npm         Node and npm; better-sqlite3 12 wants Node 20 or newer
#   g++                 better-sqlite3 compiles its addon when no prebuilt
#                       binary can be downloaded
python=/usr/bin/python3
missing=""
command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
if [ -x $python ]; then
  $python -c 'import setuptools' >/dev/null 2>&1 || missing="$missing python3-setuptools"
  $python -c 'import wheel' >/dev/null 2>&1 || missing="$missing python3-wheel"
  $python -m pip --version >/dev/null 2>&1 || missing="$missing python3-pip"
  $python -c 'import ensurepip' >/dev/null 2>&1 || missing="$missing python3-venv"
else
  missing="$missing python3 python3-setuptools python3-wheel python3-pip python3-venv"
fi
if [ "${1:-}" != python ]; then
  command -v node >/dev/null 2>&1 || missing="$missing nodejs"
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
  command -v g++ >/dev/null 2>&1 || missing="$missing g++"
fi

if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "dynenum: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
  else
    echo "dynenum's client tests need these Debian packages:$missing" >&2
    echo "install them with:  sudo apt-get install -y$missing" >&2
    exit 1
  fi
fi

if [ "${1:-}" != python ]; then
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "dynenum: better-sqlite3 12 needs Node 20 or newer, this is Node $(node --version);" >&2
    echo "install a newer Node (for example from NodeSource) and run again" >&2
    exit 1
  fi
fi
exit 0
