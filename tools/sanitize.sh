#!/bin/sh
# Runs the checks behind `make test-asan`, `test-tsan`, `test-valgrind` and
# `test-oom` on programs the Makefile has built, and ends with one line
# "test-MODE: N passed, N failed" that counts tests the way tests/run.tcl
# does (each C program's "N errors out of M tests", the Tcl suite's total).
#
#   sh tools/sanitize.sh asan ASAN-RUNTIME EXTENSION C-TEST...
#   sh tools/sanitize.sh tsan C-TEST...
#   sh tools/sanitize.sh valgrind C-TEST...
#   sh tools/sanitize.sh oom OOM-TEST
#
# asan: the C tests run with LeakSanitizer on (DYNENUM_EXT names EXTENSION for
# those that load it); then the whole Tcl suite runs
# on stock tclsh, which is not instrumented, so the ASan runtime is preloaded
# (LD_PRELOAD) for it to load EXTENSION (the instrumented build, without its
# suffix), and inherited by the sqlite3 shells the suite starts.  Leak
# detection is off there: Tcl does not free everything at exit.
#
# Every sanitizer also writes its reports to files in build/MODE-reports/,
# and any file there fails the run: a report from a process whose status
# nobody checks (a shell whose output a test only searches) is not lost.
# UBSan next to ASan writes to stderr whatever log_path says (gcc's
# libubsan leaves the option to the ASan runtime, which has its own copy),
# so the output of every program is searched for reports as well.
# valgrind has no such files; its exit status (--error-exitcode) tells.
set -u
mode=${1:-}
case $mode in
  asan | tsan | valgrind | oom) shift ;;
  *)
    echo "usage: sh tools/sanitize.sh asan|tsan|valgrind|oom ..." >&2
    exit 2
    ;;
esac
reports=build/$mode-reports
rm -rf "$reports"
mkdir -p "$reports"
# shellcheck source=tools/results.sh
. "$(dirname "$0")/results.sh"

# What a sanitizer's report starts with.
report_pattern=': runtime error: |ERROR: (AddressSanitizer|LeakSanitizer)|(WARNING|ERROR): ThreadSanitizer'

case $mode in
  asan)
    runtime=$1
    extension=$2
    shift 2
    if [ ! -f "$runtime" ]; then
      echo "test-asan: no ASan runtime at '$runtime'" >&2
      exit 1
    fi
    # halt_on_error is ASan's default; UBSan stops at the first report
    # because the build has -fno-sanitize-recover=undefined.
    export UBSAN_OPTIONS="print_stacktrace=1:log_path=$reports/ubsan"
    for program in "$@"; do
      run_c_test "$program" \
        env ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:log_path=$reports/asan" \
        DYNENUM_EXT=$extension "$program"
    done
    echo "== tclsh tests/run.tcl with $extension and $runtime preloaded"
    { LD_PRELOAD=$runtime ASAN_OPTIONS="detect_leaks=0:detect_stack_use_after_return=1:log_path=$reports/asan" \
        DYNENUM_EXT=$extension DYNENUM_TEST_DIR=build/asan/testdb tclsh tests/run.tcl 2>&1
      echo $? >"$output.status"; } | tee "$output"
    status=$(cat "$output.status")
    search_reports "the Tcl suite"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$output" | tail -n 1)
    if [ -z "$line" ]; then
      echo "!! the Tcl suite ended without its 'N passed, N failed' line"
      failed=$((failed + 1))
    else
      tcl_failed=${line#*, }
      add_counts "the Tcl suite" "${line%% passed*}" "${tcl_failed% failed}" "$status"
    fi
    ;;
  tsan)
    for program in "$@"; do
      run_c_test "$program" env TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan" "$program"
    done
    ;;
  valgrind)
    # Definite leaks are errors; "still reachable" blocks of the C library
    # are not.  valgrind reports to stderr, which run_c_test shows.
    for program in "$@"; do
      run_c_test "valgrind $program" valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite "$program"
    done
    ;;
  oom)
    mkdir -p build/oom
    for program; do
      run_c_test "$program" env ASAN_OPTIONS="detect_leaks=1:log_path=$reports/asan" \
        UBSAN_OPTIONS="print_stacktrace=1:log_path=$reports/ubsan" "$program" build/oom
    done
    ;;
esac

report_files "$reports"
results_end "test-$mode"
