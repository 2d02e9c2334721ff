#!/bin/sh
# Runs sql/demo.sql in the sqlite3 shell with the extension loaded.
#
#     sh tools/demo.sh build/dynenum.so
#
# The demo shows one refusal on purpose (the reserved name '_private'), which
# makes the shell exit with status 1; any other error fails the demo.
extension=${1:-build/dynenum.so}
# The shell's .load wants a path with a slash, and adds the suffix itself.
case $extension in
  */*) ;;
  *) extension=./$extension ;;
esac
output=$(sqlite3 -batch -cmd ".load ${extension%.*}" :memory: < sql/demo.sql 2>&1)
status=$?
printf '%s\n' "$output"
unexpected=$(printf '%s\n' "$output" | grep -i 'error' | grep -v "reserved name '_private'")
if [ -n "$unexpected" ] || { [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; }; then
  echo "demo: unexpected error (sqlite3 exited with status $status)" >&2
  exit 1
fi
exit 0
