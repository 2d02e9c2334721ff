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
# shellcheck source=tools/results.sh
. "$(dirname "$0")/results.sh"
report_pattern='(WARNING|ERROR): ThreadSanitizer'

# run_c_test, timed.
run_program() {
  start=$(date +%s)
  run_c_test "$@"
  echo "   ($1: $(($(date +%s) - start)) s)"
}

run_program "$1" "$1" "${DYNENUM_STRESS_SECONDS:-10}"
run_program "$2" "$2" "${DYNENUM_CRASH_ITERATIONS:-40}"
if [ $# -ge 3 ]; then
  run_program "$3 (ThreadSanitizer)" env TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan" \
    "$3" "${DYNENUM_TSAN_SECONDS:-4}"
fi
report_files "$reports"
results_end test-stress
