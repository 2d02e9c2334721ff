# shellcheck shell=sh
# Counting results, for the test scripts that end with one line "NAME: N
# passed, N failed" (tools/sanitize.sh, stress.sh, embed_test.sh,
# install_test.sh).  Sourced, not run:
#
#     . tools/results.sh
#     pass "what held"             counts a check that passed and says so
#     fail "what did not"          counts one that failed and says so
#     expect_output LABEL PROGRAM FILE
#                                  PROGRAM must exit 0 printing exactly FILE
#     run_c_test LABEL COMMAND...  runs a C test program (through COMMAND,
#                                  which may be a wrapper such as env or
#                                  valgrind) and adds its tests
#     add_counts LABEL PASSED FAILED STATUS
#                                  adds what a program counted itself
#     report_files DIR             a failure for each file in DIR, where
#                                  sanitizers write reports (log_path)
#     results_end NAME             prints the last line; false on a failure
#
# A C test program ends with "N errors out of M tests" (tests/ctest.h); its
# M tests and N errors count as tests/run.tcl counts them.  A program
# without that line, or that exits non-zero although its tests passed,
# counts one failure more (a crash after the last line is not lost).  When report_pattern is set (grep -E), output
# matching it, a sanitizer's report, is a failure too.
#
# $output is a temporary file, removed at exit with any "$output.*", that
# holds the output of the last program run_c_test ran.

passed=0
failed=0
report_pattern=""
output=$(mktemp) || exit 1
trap 'rm -f "$output" "$output".*' EXIT

pass() {
  passed=$((passed + 1))
  echo "ok: $1"
}

fail() {
  failed=$((failed + 1))
  echo "FAILED: $1"
}

expect_output() {
  got=$("$2" 2>&1)
  status=$?
  if [ "$status" -eq 0 ] && [ "$got" = "$(cat "$3")" ]; then
    pass "$1 prints $3"
  else
    fail "$1 exited with status $status; its output against $3:"
    printf '%s\n' "$got" | diff "$3" - | sed 's/^/   /'
  fi
}

# Fails the run when $output holds a report (report_pattern) from LABEL.
search_reports() {
  if [ -n "$report_pattern" ] && grep -E -q "$report_pattern" "$output"; then
    echo "!! a sanitizer report in the output of $1"
    failed=$((failed + 1))
  fi
}

run_c_test() {
  label=$1
  shift
  echo "== $label"
  "$@" >"$output" 2>&1
  status=$?
  cat "$output"
  search_reports "$label"
  line=$(grep -E '^[0-9]+ errors out of [0-9]+ tests$' "$output" | tail -n 1)
  if [ -z "$line" ]; then
    echo "!! $label ended without its 'N errors out of M tests' line (status $status)"
    failed=$((failed + 1))
    return
  fi
  errors=${line%% errors*}
  total=${line#* out of }
  total=${total% tests}
  add_counts "$label" $((total - errors)) "$errors" "$status"
}

add_counts() {
  passed=$(($2 + passed))
  failed=$(($3 + failed))
  if [ "$3" -eq 0 ] && [ "$4" -ne 0 ]; then
    echo "!! $1 exited with status $4 although its tests passed"
    failed=$((failed + 1))
  fi
}

report_files() {
  for report in "$1"/*; do
    [ -f "$report" ] || continue
    echo "!! sanitizer report $report:"
    cat "$report"
    failed=$((failed + 1))
  done
}

results_end() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
