#!/bin/sh
# Runs every benchmark and writes report.md and ratios.png into DIR
# (build/bench-report unless given).
#
#     sh bench/run.sh build/dynenum [DIR]     (what `make bench` does)
#
# The committed bench/report.md and bench/ratios.png are copies of such a
# run, made on purpose by `make bench-report`; a run never writes there.
#
# Each driver prints lines "figure ratio a b rounds note" (see bench/bench.c);
# bench/report.tcl turns them into the report.
set -e
extension=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=${2:-build/bench-report}
mkdir -p "$out"
results=build/bench-results.tsv
: > "$results"
echo "bench: timed figures (the longest part, about two minutes)"
build/bench "$extension" timing >> "$results"
echo "bench: statements one value at a time, memory latency"
build/bench "$extension" statements >> "$results"
build/bench "$extension" latency >> "$results"
echo "bench: what verifying the members costs after another connection's commit"
build/bench "$extension" verify >> "$results"
echo "bench: allocations and peak memory"
build/bench "$extension" allocs >> "$results"
for mode in rss-none rss-sql rss-core; do
  build/bench "$extension" "$mode" >> "$results"
done
echo "bench: a collation written in Tcl, an enum written in Python"
tclsh bench/collation.tcl "$extension" >> "$results"
# Debian's python3 by path: another Python on PATH may lack load_extension.
/usr/bin/python3 bench/python_enum.py "$extension" >> "$results"
tclsh bench/report.tcl "$results" "$out/report.md" "$out/ratios.png"
echo "bench: wrote $out/report.md and $out/ratios.png (make bench-report copies them to bench/)"
