#!/bin/sh
# Runs every benchmark and writes report.md and the charts into DIR
# (build/bench-report unless given).
#
#     sh bench/run.sh build/dynenum [DIR]     (what `make bench` does)
#
# The committed bench/report.md and its charts are copies of such a run,
# made on purpose by `make bench-report`; a run never writes there.
#
# Each driver prints lines "figure ratio a b rounds note" and "curve ..."
# (see bench/bench.h); bench/report.tcl turns them into the report.  Any
# driver that fails (the ICU build, a missing row file) fails the run, and
# so does report.tcl when a figure it expects has no result: a figure never
# goes missing quietly.
set -e
extension=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=${2:-build/bench-report}
mkdir -p "$out"
results=build/bench-results.tsv
: > "$results"
started=$(date +%s)
step() { echo "bench: $1 ($(($(date +%s) - started)) s so far)"; }

step "the ICU-enabled SQLite"
icu=$(sh bench/icu_sqlite.sh)
# The peers and the comparison curves run on it, so that DYNENUM, NOCASE,
# BINARY and ICU are timed in one process.  (Its lower() is ICU's, which is
# why the statement figures run on Debian's SQLite.)
step "index builds: DYNENUM, NOCASE, BINARY and ICU, against rows"
LD_LIBRARY_PATH="$icu" build/bench "$extension" peers >> "$results"
step "comparison cost against string length"
LD_LIBRARY_PATH="$icu" build/bench "$extension" lengths >> "$results"
step "a Python casefold collation, a collation written in Tcl"
# Debian's python3 by path: another Python on PATH may lack load_extension.
/usr/bin/python3 bench/python_casefold.py "$extension" >> "$results"
tclsh bench/collation.tcl "$extension" >> "$results"
step "resolution in queries, adding members"
build/bench "$extension" timing >> "$results"
step "statements one value at a time, verifying after a commit"
build/bench "$extension" statements >> "$results"
build/bench "$extension" verify >> "$results"
step "enums of 10 to 1,000,000 members: resolve cost, connections, cold start"
build/bench "$extension" enums
build/bench "$extension" resolve-sizes >> "$results"
build/bench "$extension" connections >> "$results"
build/bench "$extension" cold >> "$results"
step "memory: the core per member, allocations, peak RSS, memory latency"
build/bench "$extension" core-memory >> "$results"
build/bench "$extension" allocs >> "$results"
for mode in rss-none rss-sql rss-core; do
  build/bench "$extension" "$mode" >> "$results"
done
build/bench "$extension" latency >> "$results"
step "an enum written in Python"
/usr/bin/python3 bench/python_enum.py "$extension" >> "$results"
seconds=$(($(date +%s) - started))
printf 'bench_wall_seconds\t%s\t0\t0\t1\tthe whole of bench/run.sh, this run\n' "$seconds" >> "$results"
tclsh bench/report.tcl "$results" "$out" "$icu"
echo "bench: wrote $out/report.md and its charts in $seconds s (make bench-report copies them to bench/)"
