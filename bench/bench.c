/*
** bench.c: dynenum against SQLite's built-ins and its peers, through the
** real SQLite library and the loadable extension, as bench/run.sh runs it.
** The output format is described in bench/bench.h.
**
**     build/bench EXTENSION timing       resolution in queries, adding members
**     build/bench EXTENSION adding       the adding figure of timing alone
**     build/bench EXTENSION peers        index builds against NOCASE, BINARY and
**                                        ICU, and against rows (ICU-enabled SQLite)
**     build/bench EXTENSION lengths      comparison cost against string length
**                                        (ICU-enabled SQLite)
**     build/bench EXTENSION statements   one statement per value, from C
**     build/bench EXTENSION verify       the first statement after a commit
**     build/bench EXTENSION enums        writes build/bench-enums.db (10 to 10^6 members)
**     build/bench EXTENSION resolve-sizes  resolve cost against enum size
**     build/bench EXTENSION connections  RSS of 4 connections, first statement on a fresh one
**     build/bench EXTENSION cold         first statement in a fresh process
**     build/bench EXTENSION allocs       heap allocations per row
**     build/bench EXTENSION rss-sql|rss-core|rss-none  peak RSS after 10^6 unknown names
**     build/bench EXTENSION core-memory  the core's heap per member
**     build/bench EXTENSION latency      one random memory read (no SQLite)
**     build/bench EXTENSION fold-work    what each comparison of a pool sort reads
**                                        and folds, NOCASE against DYNENUM (counted)
*/
#include "bench.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench EXTENSION MODE (modes: see bench/bench.c)\n");
    return 2;
  }
  const char *extension = argv[1], *mode = argv[2];
  if (strcmp(mode, "timing") == 0) bench_timing(extension);
  else if (strcmp(mode, "adding") == 0) bench_adding(extension);
  else if (strcmp(mode, "peers") == 0) bench_peers(extension);
  else if (strcmp(mode, "lengths") == 0) bench_lengths(extension);
  else if (strcmp(mode, "statements") == 0) bench_statements(extension);
  else if (strcmp(mode, "verify") == 0) bench_verification(extension);
  else if (strcmp(mode, "enums") == 0) bench_enums(extension);
  else if (strcmp(mode, "resolve-sizes") == 0) bench_resolve_sizes(extension);
  else if (strcmp(mode, "connections") == 0) bench_connections(extension);
  else if (strcmp(mode, "cold") == 0) bench_cold(extension, argv[0]);
  else if (strcmp(mode, "first-statement") == 0 && argc == 4) bench_first_statement(extension, argv[3]);
  else if (strcmp(mode, "allocs") == 0) bench_allocations(extension);
  else if (strncmp(mode, "rss-", 4) == 0) bench_peak_memory(extension, mode);
  else if (strcmp(mode, "core-memory") == 0) bench_core_memory();
  else if (strcmp(mode, "latency") == 0) bench_memory_latency();
  else if (strcmp(mode, "fold-work") == 0) bench_fold_work(extension);
  else {
    fprintf(stderr, "bench: unknown mode %s\n", mode);
    return 2;
  }
  return 0;
}
