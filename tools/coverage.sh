#!/bin/sh
# The measuring half of `make coverage` (gcovr comes from
# `sh tools/deps.sh coverage`).
#
#   sh tools/coverage.sh run EXTENSION OOM-TEST KEYS-OOM-TEST C-TEST...
#       runs the instrumented programs the Makefile built in build/coverage/
#       and reports the line and branch coverage of ext/.
#
# run starts from no counters (it deletes every .gcda file of build/coverage/),
# then runs the C tests and the whole Tcl suite through tests/run.tcl, on
# stock tclsh loading EXTENSION (the instrumented build, without its suffix)
# instead of build/dynenum, and the out-of-memory harness, whose sweeps are
# what reach the allocation-failure branches.  Every process that loads the
# extension, the sqlite3 shells the suite starts and KEYS-OOM-TEST included, adds its counts to
# the same .gcda files.  A failing test fails the run: coverage measured on a
# broken build would mean nothing.
#
# gcovr then reads the counters of ext/ only, merging what the extension, the
# C tests and the harness each ran of the same file.  Branches the compiler
# made and no input can take are left out (--exclude-unreachable-branches:
# gcov's branches on lines with no code of their own).  It prints lines and
# branches per file and in total, writes build/coverage/lines.txt and
# branches.txt (the lines not run and the branches not taken, by file) and
# build/coverage/html/index.html (the annotated sources), and fails when the
# total is under 95% of lines or 90% of branches.  The last line is
# "coverage: lines NN.N%, branches NN.N%".
set -u
min_lines=95
min_branches=90

case ${1:-} in
  run)
    shift
    if [ $# -lt 3 ]; then
      echo "usage: sh tools/coverage.sh run EXTENSION OOM-TEST KEYS-OOM-TEST C-TEST..." >&2
      exit 2
    fi
    ;;
  *)
    echo "usage: sh tools/coverage.sh run EXTENSION OOM-TEST KEYS-OOM-TEST C-TEST..." >&2
    exit 2
    ;;
esac

extension=$1
oom_test=$2
keys_oom_test=$3
shift 3
out=build/coverage
find "$out" -name '*.gcda' -exec rm -f {} +
rm -rf "$out/html" "$out/testdb" "$out/oom" "$out"/*.txt "$out"/*.csv "$out"/*.json
mkdir -p "$out/html" "$out/oom"

failed=0
echo "== tclsh tests/run.tcl $* with $extension"
DYNENUM_EXT=$extension DYNENUM_TEST_DIR=$out/testdb tclsh tests/run.tcl "$@" || failed=1
echo "== $oom_test"
"$oom_test" "$out/oom" || failed=1
# The key table's sweeps (a lazy look-up, the write at commit): a program
# linked to the system SQLite that loads the extension it is given.
echo "== $keys_oom_test with $extension"
DYNENUM_EXT=$extension "$keys_oom_test" "$out/oom" || failed=1

echo "== gcovr over ext/"
gcovr --root . --filter 'ext/' --exclude-unreachable-branches --json "$out/coverage.json" \
  --html-details "$out/html/index.html" --csv "$out/summary.csv" "$out" || failed=1
# The text reports, from the counts just gathered rather than gcov again.
gcovr --add-tracefile "$out/coverage.json" --txt "$out/lines.txt" || failed=1
gcovr --add-tracefile "$out/coverage.json" --branches --txt "$out/branches.txt" || failed=1
[ -f "$out/summary.csv" ] || {
  echo "coverage: gcovr wrote no summary"
  exit 1
}

# summary.csv: filename,line_total,line_covered,line_percent,
# branch_total,branch_covered,branch_percent,... (one row per file).
awk -F, -v min_lines=$min_lines -v min_branches=$min_branches -v failed=$failed '
  function percent(covered, total) { return total ? 100 * covered / total : 100 }
  NR == 1 { next }
  {
    printf "%-24s lines %5.1f%% (%d/%d)   branches %5.1f%% (%d/%d)\n", $1,
      percent($3, $2), $3, $2, percent($6, $5), $6, $5
    lines += $2; lines_run += $3; branches += $5; branches_taken += $6
  }
  END {
    line_percent = percent(lines_run, lines)
    branch_percent = percent(branches_taken, branches)
    printf "%-24s lines %5.1f%% (%d/%d)   branches %5.1f%% (%d/%d)\n", "total",
      line_percent, lines_run, lines, branch_percent, branches_taken, branches
    print "reports: build/coverage/lines.txt, branches.txt, html/index.html"
    if (failed) print "!! a test failed (above): the figures are not to be trusted"
    if (line_percent < min_lines) {
      printf "!! lines under %d%%\n", min_lines; failed = 1
    }
    if (branch_percent < min_branches) {
      printf "!! branches under %d%%\n", min_branches; failed = 1
    }
    printf "coverage: lines %.1f%%, branches %.1f%%\n", line_percent, branch_percent
    exit failed
  }' "$out/summary.csv"
