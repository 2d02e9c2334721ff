#!/bin/sh
# `make test-fresh`: the README's quick start, exactly, on Debian 12 roots
# that nobody prepared.  For each root it extracts a clean Debian 12 made by
# mmdebstrap, clones this repository's HEAD into it, and runs `make demo`,
# then `make test`, inside it with chroot, as root (so the quick start's own
# tools/deps.sh installs what is missing, as it would for a new user).  In
# the bare root it then builds the Python wheel, installs it with pip into
# a venv made from /usr/bin/python3 and runs tools/fresh_wheel.py there.
#
#     sh tools/fresh.sh [bare|tcl]...      (both when none is named)
#
#   bare  --variant=apt with only gcc, make, libc6-dev and git
#   tcl   the same and Debian's tcl, but not libsqlite3-tcl: tclsh is there
#         and cannot load SQLite, the machine an old check was fooled by
#
# Each root is made once and kept as a tarball in DYNENUM_FRESH_CACHE
# (default $XDG_CACHE_HOME/dynenum, else ~/.cache/dynenum), never in the
# repository; a change of the host's apt sources makes it anew.  The roots
# fetch packages the way this machine does: mmdebstrap is given the host's
# apt sources and its Acquire options (mirrors, proxies).  Only committed
# work is tested, since the root gets a clone.  /proc and /dev are bound
# into the root and unmounted on every way out.
#
# Ends with "test-fresh: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# shellcheck source=tools/results.sh
. tools/results.sh

[ $# -gt 0 ] || set -- bare tcl
if [ "$(id -u)" -ne 0 ]; then
  echo "test-fresh: chroot and mmdebstrap need root" >&2
  exit 1
fi
sh tools/deps.sh --only fresh || exit 1

cache=${DYNENUM_FRESH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dynenum}
work=$top/build/fresh
mkdir -p "$cache" "$work" || exit 1
commit=$(git rev-parse --short HEAD) || exit 1
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "test-fresh: note: uncommitted changes are not tested, only commit $commit"
fi

# The host's apt sources and the apt.conf.d files that set Acquire options.
sources=$(ls /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null)
aptopts=$(grep -l '^[[:space:]]*Acquire' /etc/apt/apt.conf.d/* 2>/dev/null)
if [ -z "$sources" ]; then
  echo "test-fresh: this machine has no apt sources to make a root from" >&2
  exit 1
fi

root=""
cleanup() {
  if [ -n "$root" ]; then
    for mounted in "$root/dev" "$root/proc"; do
      if mountpoint -q "$mounted"; then
        umount "$mounted" || umount -l "$mounted"
      fi
    done
    # Removed only once nothing is mounted below it.
    if ! grep -q " $root/" /proc/mounts; then
      rm -rf "$root"
    else
      echo "test-fresh: $root still has mounts; left in place" >&2
    fi
    root=""
  fi
}
trap 'cleanup; rm -f "$output" "$output".*' EXIT
trap 'exit 130' INT TERM

# Makes the tarball of root KIND, unless the cache has it.
make_tarball() {
  kind=$1
  include=gcc,make,libc6-dev,git
  [ "$kind" = tcl ] && include=$include,tcl
  # shellcheck disable=SC2086 # one word a file
  stamp=$(printf '%s\n' "$include" | cat - $sources $aptopts | cksum | cut -d' ' -f1)
  tarball=$cache/bookworm-$kind-$stamp.tar
  [ -f "$tarball" ] && return 0
  aptopt_args=""
  for file in $aptopts; do
    aptopt_args="$aptopt_args --aptopt=$file"
  done
  echo "test-fresh: making the $kind root ($include)"
  # shellcheck disable=SC2086 # one word a file
  if mmdebstrap --quiet --format=tar --variant=apt --include="$include" $aptopt_args bookworm "$tarball.part" $sources; then
    mv "$tarball.part" "$tarball"
  else
    rm -rf "$tarball.part"
    return 1
  fi
}

# Runs COMMAND (a shell command line) inside the root as a new user's shell
# would, with nothing of this environment but a PATH.
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin sh -c "$1"
}

for kind in "$@"; do
  case $kind in
    bare | tcl) ;;
    *)
      echo "usage: sh tools/fresh.sh [bare|tcl]..." >&2
      exit 2
      ;;
  esac
  echo "== the $kind root"
  if ! make_tarball "$kind"; then
    fail "mmdebstrap could not make the $kind root"
    continue
  fi
  root=$(mktemp -d "$work/$kind.XXXXXX") || exit 1
  if ! tar -C "$root" -xf "$tarball"; then
    fail "the $kind root's tarball does not extract"
    cleanup
    continue
  fi
  # What makes each root the machine it stands for.
  case $kind in
    bare)
      if in_root 'command -v tclsh || command -v sqlite3' >/dev/null; then
        fail "the bare root has tclsh or sqlite3 already"
      else
        pass "the bare root has neither tclsh nor sqlite3"
      fi
      ;;
    tcl)
      if in_root 'command -v tclsh >/dev/null && ! dpkg -s libsqlite3-tcl >/dev/null 2>&1'; then
        pass "the tcl root has tclsh and not libsqlite3-tcl"
      else
        fail "the tcl root lacks tclsh or has libsqlite3-tcl already"
      fi
      ;;
  esac
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  if ! git clone --quiet --no-hardlinks "$top" "$root/root/dynenum"; then
    fail "git clone into the $kind root"
    cleanup
    continue
  fi
  if ! mount --bind /proc "$root/proc" || ! mount --bind /dev "$root/dev"; then
    fail "binding /proc and /dev into the $kind root"
    cleanup
    continue
  fi

  # The README's quick start, word for word.
  if in_root 'cd /root/dynenum && make demo' >"$output" 2>&1; then
    pass "make demo in the $kind root (commit $commit)"
  else
    tail -n 30 "$output"
    fail "make demo in the $kind root"
  fi
  if in_root 'cd /root/dynenum && make test' >"$output" 2>&1; then
    last=$(tail -n 1 "$output")
    case $last in
      *" passed, 0 failed") pass "make test in the $kind root: $last" ;;
      *)
        tail -n 30 "$output"
        fail "make test in the $kind root exited 0 but ended with: $last"
        ;;
    esac
  else
    grep -E 'FAILED|^!!|error' "$output" | head -n 40
    tail -n 5 "$output"
    fail "make test in the $kind root"
  fi
  # The README's Python package: the wheel, pip-installed into a venv made
  # from Debian's Python, and its enum class used there.
  if [ "$kind" = bare ]; then
    if in_root 'cd /root/dynenum && make python-wheel && /usr/bin/python3 -m venv /root/venv &&
        /root/venv/bin/pip install --no-index --disable-pip-version-check --quiet build/wheel/dynenum-*.whl &&
        /root/venv/bin/python /root/dynenum/tools/fresh_wheel.py' >"$output" 2>&1 &&
        [ "$(tail -n 1 "$output")" = "enum_class: ok" ]; then
      pass "the wheel installed with pip into a venv in the $kind root, and enum_class() used"
    else
      tail -n 30 "$output"
      fail "the wheel in a venv in the $kind root"
    fi
  fi
  cleanup
done

results_end test-fresh
