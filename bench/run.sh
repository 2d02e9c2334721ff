#!/bin/sh
# Runs every benchmark and writes bench/report.md and bench/ratios.png.
#
#     sh bench/run.sh build/dynenum       (what `make bench` does)
#
# Each driver prints lines "figure ratio a b rounds note" (see bench/bench.c);
# bench/report.tcl turns them into the report.
set -e
extension=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
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
tclsh bench/report.tcl "$results" bench/report.md bench/ratios.png
echo "bench: wrote bench/report.md and bench/ratios.png"
