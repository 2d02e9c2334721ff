#!/bin/sh
# Runs the stress tests behind `make test-stress` on the programs the
# Makefile has built, and ends with one line "test-stress: N passed, N
# failed" that counts tests the way tests/run.tcl does (each program's
# "N errors out of M tests"); exits non-zero on any failure.
#
#   sh tools/stress.sh CONCURRENCY-TEST CRASH-TEST [TSAN-CONCURRENCY-TEST]
#
# CONCURRENCY-TEST runs for $DYNENUM_STRESS_SECONDS (default 10) seconds,
# CRASH-TEST kills $DYNENUM_CRASH_ITERATIONS (default 40) writers per
# database; both read $DYNENUM_STRESS_SEED to repeat a run.  The
# ThreadSanitizer build of the concurrency test, when given, runs for
# $DYNENUM_TSAN_SECONDS (default 4) seconds; its reports go to files in
# build/stress/tsan-reports/ (its threads live in child processes, whose
# stderr nobody else reads), and any file there is a failure.
set -u
if [ $# -lt 2 ]; then
  echo "usage: sh tools/stress.sh CONCURRENCY-TEST CRASH-TEST [TSAN-CONCURRENCY-TEST]" >&2
  exit 2
fi
reports=build/stress/tsan-reports
rm -rf "$reports"
mkdir -p "$reports"
passed=0
failed=0
output=$(mktemp)
trap 'rm -f "$output"' EXIT

# Runs a test program, named LABEL, by COMMAND and adds its tests to the
# totals.
run_program() {
  label=$1
  shift
  echo "== $label"
  start=$(date +%s)
  "$@" >"$output" 2>&1
  status=$?
  cat "$output"
  echo "   ($label: $(($(date +%s) - start)) s)"
  if grep -E -q '(WARNING|ERROR): ThreadSanitizer' "$output"; then
    echo "!! a ThreadSanitizer report in the output of $label"
    failed=$((failed + 1))
  fi
  line=$(grep -E '^[0-9]+ errors out of [0-9]+ tests$' "$output" | tail -n 1)
  if [ -z "$line" ]; then
    echo "!! $label ended without its 'N errors out of M tests' line (status $status)"
    failed=$((failed + 1))
    return
  fi
  errors=${line%% errors*}
  total=${line#* out of }
  total=${total% tests}
  failed=$((failed + errors))
  passed=$((passed + total - errors))
  if [ "$errors" -eq 0 ] && [ "$status" -ne 0 ]; then
    echo "!! $label exited with status $status although its tests passed"
    failed=$((failed + 1))
  fi
}

run_program "$1" "$1" "${DYNENUM_STRESS_SECONDS:-10}"
run_program "$2" "$2" "${DYNENUM_CRASH_ITERATIONS:-40}"
if [ $# -ge 3 ]; then
  run_program "$3 (ThreadSanitizer)" env TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan" \
    "$3" "${DYNENUM_TSAN_SECONDS:-4}"
fi
for report in "$reports"/*; do
  [ -f "$report" ] || continue
  echo "!! ThreadSanitizer report $report:"
  cat "$report"
  failed=$((failed + 1))
done
echo "test-stress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
