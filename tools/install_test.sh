#!/bin/sh
# `make test-install`: dynenum installs like a library and uninstalls clean.
#
#     sh tools/install_test.sh        (after make and make static)
#
# For the default PREFIX and for PREFIX=/opt/dynenum, each into a DESTDIR of
# its own under build/install-test/: `make install` puts exactly the expected
# files there; pkg-config, pointed at the copy, gives the version from
# VERSION; examples/embed.c, compiled from a directory of its own with
# nothing but pkg-config's flags (so only the installed headers and library
# can be found), prints examples/embed.out; the installed loadable extension
# loads in the sqlite3 shell; `make uninstall` with the same variables
# leaves no file behind.
#
# pkg-config finds the staged copy through PKG_CONFIG_SYSROOT_DIR=DESTDIR.
# Ends with "test-install: N passed, N failed".
set -u
root=$(pwd)
work=$root/build/install-test
version=$(cat VERSION)
# shellcheck source=tools/results.sh
. "$(dirname "$0")/results.sh"

case $(uname -s) in
  Darwin) so=dylib ;;
  *) so=so ;;
esac

if ! sh tools/deps.sh install; then
  fail "pkg-config is not installed"
  results_end test-install
  exit 1
fi

rm -rf "$work"
mkdir -p "$work"

# check_prefix LABEL PREFIX: one install, use and uninstall.
check_prefix() {
  label=$1
  prefix=$2
  dest=$work/$label
  log=$work/$label.log
  mkdir -p "$dest"
  if [ -n "$prefix" ]; then set -- "PREFIX=$prefix"; else set --; fi
  installed_prefix=${prefix:-/usr/local}

  if make --no-print-directory install DESTDIR="$dest" "$@" >"$log" 2>&1; then
    pass "$label: make install DESTDIR=$dest $*"
  else
    fail "$label: make install failed:"
    sed 's/^/   /' "$log"
    return
  fi

  expected=$(printf '%s\n' "include/dynenum.h" "include/dynenum_extension.h" "lib/libdynenum.a" \
    "lib/pkgconfig/dynenum.pc" "lib/sqlite3/dynenum.$so" | sed "s|^|$installed_prefix/|" | sort)
  got=$(cd "$dest" && find . -type f | sed 's|^\.||' | sort)
  if [ "$got" = "$expected" ]; then
    pass "$label: installs exactly $(echo "$expected" | tr '\n' ' ')"
  else
    fail "$label: installed files differ from the expected ones:"
    printf '%s\n' "$expected" >"$work/$label.expected"
    printf '%s\n' "$got" | diff "$work/$label.expected" - | sed 's/^/   /'
  fi

  pc_dir=$dest$installed_prefix/lib/pkgconfig
  # shellcheck disable=SC2016 # dynenum.pc holds ${prefix} itself
  if grep -qx "prefix=$installed_prefix" "$pc_dir/dynenum.pc" && grep -qx 'libdir=${prefix}/lib' "$pc_dir/dynenum.pc"
  then pass "$label: dynenum.pc says prefix=$installed_prefix, libdir=\${prefix}/lib"
  else fail "$label: dynenum.pc has the wrong prefix or libdir: $(grep 'prefix=\|libdir=' "$pc_dir/dynenum.pc")"; fi

  pkg() { PKG_CONFIG_PATH=$pc_dir PKG_CONFIG_SYSROOT_DIR=$dest pkg-config "$@"; }
  got=$(pkg --modversion dynenum 2>&1)
  if [ "$got" = "$version" ]; then pass "$label: pkg-config --modversion dynenum is $version"
  else fail "$label: pkg-config --modversion dynenum gave: $got"; fi

  # With a sysroot, pkg-config also puts sqlite3's own -I and -L under it:
  # directories that do not exist there, which the compiler skips.
  flags=$(pkg --cflags --libs dynenum 2>&1)
  absent=""
  for flag in "-I$dest$installed_prefix/include" "-L$dest$installed_prefix/lib" -ldynenum -lpthread -lsqlite3; do
    case " $flags " in
      *" $flag "*) ;;
      *) absent="$absent $flag" ;;
    esac
  done
  if [ -z "$absent" ]; then pass "$label: pkg-config --cflags --libs dynenum: $flags"
  else fail "$label: pkg-config --cflags --libs dynenum lacks$absent: $flags"; fi

  # Compiled from a directory of its own, so that the repository's ext/ is
  # out of reach and only pkg-config's flags can find the headers.
  mkdir -p "$work/$label-embed"
  cp examples/embed.c "$work/$label-embed/"
  # shellcheck disable=SC2086 # pkg-config's flags are meant to split
  if (cd "$work/$label-embed" && cc -std=c11 -Wall -Wextra -Werror -o embed embed.c $flags) >"$log" 2>&1; then
    pass "$label: examples/embed.c builds against the installed copy alone"
    expect_output "$label: it" "$work/$label-embed/embed" examples/embed.out
  else
    fail "$label: examples/embed.c does not build against the installed copy:"
    sed 's/^/   /' "$log"
  fi

  # The directory dynenum.pc names for the loadable extension has it.
  extension_dir=$(PKG_CONFIG_PATH=$pc_dir pkg-config --variable=extensiondir dynenum)
  got=$(sqlite3 -batch :memory: ".load $dest$extension_dir/dynenum" "SELECT dynenum_version()" 2>&1)
  if [ "$extension_dir" = "$installed_prefix/lib/sqlite3" ] && [ "$got" = "$version" ]; then
    pass "$label: the shell loads $extension_dir/dynenum from the copy, dynenum_version() $got"
  else
    fail "$label: loading \$DESTDIR$extension_dir/dynenum (extensiondir '$extension_dir'): $got"
  fi

  if make --no-print-directory uninstall DESTDIR="$dest" "$@" >"$log" 2>&1; then
    pass "$label: make uninstall DESTDIR=$dest $*"
  else
    fail "$label: make uninstall failed:"
    sed 's/^/   /' "$log"
  fi
  left=$(cd "$dest" && find . -type f -o -type l -o -type d -name sqlite3)
  if [ -z "$left" ]; then pass "$label: nothing of dynenum is left in DESTDIR"
  else fail "$label: left after make uninstall: $left"; fi
}

check_prefix default ""
check_prefix opt /opt/dynenum

results_end test-install
