# report.tcl: turns the benchmark results into a report (report.md) and its
# charts (ratios.png, index_rows.png, compare_length.png, resolve_size.png,
# which the report shows from its own folder).
#
#     tclsh bench/report.tcl RESULTS.tsv DIR
#
# RESULTS holds the lines the drivers print (bench/bench.h): figures
# (name, ratio or value, a, b, rounds, note), curve points and facts about
# the run.  The targets are issue 13's where it sets one; a figure without
# one is reported only.  What the report says about the curves (where cost
# grows linearly, where the caches bend it) is computed here from the
# points, never typed in.

lassign $argv results_file out_dir

# figure -> {title, target kind (max/min/zero/none), target, unit}
# Units: s (a ratio of medians of two timings), ms (one median, in seconds),
# B (bytes), rss (a ratio of two RSS growths in KiB), KiB (peak RSS before
# and after), ns, allocations, seconds.
set issue_figures {
  index_pool_dynenum_vs_nocase {{CREATE INDEX with DYNENUM ÷ with NOCASE, broad non-ASCII pool} max 1.25 s}
  index_ascii_dynenum_vs_nocase {{the same, ASCII enum-like rows} max 1.0 s}
  statement_wal_vs_table {{one SELECT dynenum_resolve('e', ?) per value ÷ one SELECT lower(?) FROM one_row, autocommit, file in WAL mode} max 1.3 s}
  statement_delete_vs_table {{the same, rollback journal} max 1.3 s}
  statement_delete_vs_lower {{the table-free form ÷ SELECT lower(?), rollback journal (37 when the issue was filed: halve it)} max 18.5 s}
  statement_wal_vs_lower {{the same in WAL mode} max 18.5 s}
  add_members_vs_unique_table {{INSERT … SELECT of 100,000 members into an enum ÷ into a table with a UNIQUE … COLLATE DYNENUM name} max 1.3 s}
  core_bytes_per_member {{core memory per member beyond its strings (bytes)} max 96 B}
  rss_4_vs_1_connections {{RSS of 4 connections using the same 10⁶-member enum ÷ RSS of 1} max 1.1 rss}
  first_statement_shared {{first statement on a fresh connection, 10⁶ members, another connection of the process holding the enum} max 0.001 ms}
  cold_1000000_vs_10_members {{first statement in a fresh process, 10⁶ members ÷ 10 members} max 3 s}
  icu_secondary_vs_dynenum_pool {{ICU root SECONDARY ÷ DYNENUM, CREATE INDEX, broad non-ASCII pool} min 4 s}
  icu_primary_vs_dynenum_pool {{ICU root PRIMARY ÷ DYNENUM, the same rows} min 4 s}
  icu_secondary_vs_dynenum_ascii {{ICU root SECONDARY ÷ DYNENUM, CREATE INDEX, ASCII rows} min 4 s}
  icu_primary_vs_dynenum_ascii {{ICU root PRIMARY ÷ DYNENUM, ASCII rows} min 4 s}
  python_casefold_vs_dynenum {{Python str.casefold collation ÷ DYNENUM, CREATE INDEX, broad non-ASCII pool} none {} s}
}
set other_figures {
  index_pool_dynenum_vs_binary {{CREATE INDEX with DYNENUM ÷ with BINARY, broad non-ASCII pool} none {} s}
  index_ascii_dynenum_vs_binary {{the same, ASCII rows} none {} s}
  user_collation_vs_dynenum {{collation a user would write (Tcl string tolower) ÷ DYNENUM} min 20 s}
  resolve_vs_lower {{WHERE dynenum_resolve(...) = ... ÷ WHERE lower(x) = ...} max 1.3 s}
  resolve_100000_vs_10_members {{dynenum_resolve per row, 100,000-member enum ÷ 10-member enum, same rows} max 1.15 s}
  resolve_100000_random_vs_10_members {{the same, rows naming random members of all 100,000} none {} s}
  statement_in_transaction {{SELECT dynenum_resolve(?) per value from C ÷ SELECT lower(?), inside a transaction} none {} s}
  verify_after_commit_10 {{SELECT dynenum_resolve(?) right after another connection's commit ÷ SELECT lower(x) FROM a one-row table after one, 10 members} none {} s}
  verify_after_commit_1000 {{the same, 1,000 members} none {} s}
  verify_after_commit_100000 {{the same, 100,000 members} none {} s}
  python_enum_vs_resolve_per_row {{Python enum lookup like the seed ÷ one dynenum_resolve() in a query} min 30 s}
  python_enum_vs_resolve_statement {{Python enum lookup ÷ a whole SELECT dynenum_resolve(?) from Python} none {} s}
  memory_latency {{one dependent random memory read (ns)} none {} ns}
  allocs_per_comparison_dynenum {{heap allocations per DYNENUM comparison} zero 0 allocations}
  allocs_per_comparison_nocase {{heap allocations per NOCASE comparison} none {} allocations}
  allocs_per_resolve_member {{heap allocations per dynenum_resolve() of a real member} zero 0 allocations}
  allocs_per_lower {{heap allocations per lower()} none {} allocations}
  rss-sql {{peak RSS growth, 1,000,000 unknown names through dynenum_resolve() (MiB)} max 8 KiB}
  rss-core {{peak RSS growth, 1,000,000 unknown names through the C API, interning (MiB)} max 8 KiB}
  rss-none {{peak RSS growth, baseline: the same process resolving nothing (MiB)} none {} KiB}
  bench_wall_seconds {{wall time of the whole of make bench's run (bench/run.sh)} max 480 seconds}
}

# ---- Reading the results ------------------------------------------------------

set rows [dict create]
set curves [dict create] ;# curve -> series -> list of {x y}
set info [dict create]
set fd [open $results_file r]
fconfigure $fd -encoding utf-8
foreach line [split [read $fd] \n] {
  if {$line eq ""} continue
  set fields [split $line \t]
  switch -- [lindex $fields 0] {
    curve {
      lassign $fields - curve series x y
      set points [expr {[dict exists $curves $curve $series] ? [dict get $curves $curve $series] : {}}]
      dict set curves $curve $series [linsert $points end [list $x $y]]
    }
    info { dict set info [lindex $fields 1] [lindex $fields 2] }
    default { dict set rows [lindex $fields 0] $fields }
  }
}
close $fd

# The series of a curve, as a dict series -> points, in the order printed;
# a curve without points stops the report.
proc series_of {curve} {
  if {![dict exists $::curves $curve]} { error "report.tcl: the results hold no point of the curve $curve" }
  return [dict get $::curves $curve]
}

proc y_at {points x} {
  foreach p $points { if {[lindex $p 0] == $x} { return [lindex $p 1] } }
  error "no point at $x"
}

# ---- Formatting ------------------------------------------------------------------

proc command_of {name} {
  switch -glob -- $name {
    allocs_* { return "build/bench build/dynenum allocs" }
    rss-* { return "build/bench build/dynenum $name" }
    core_bytes_* { return "build/bench build/dynenum core-memory" }
    rss_4_* - first_statement_* { return "build/bench build/dynenum connections" }
    cold_* { return "build/bench build/dynenum cold" }
    statement_* { return "build/bench build/dynenum statements" }
    memory_latency { return "build/bench build/dynenum latency" }
    verify_* { return "build/bench build/dynenum verify" }
    index_* - icu_* { return "LD_LIBRARY_PATH=build/sqlite-icu build/bench build/dynenum peers" }
    user_collation_* { return "tclsh bench/collation.tcl build/dynenum" }
    python_casefold_* { return "/usr/bin/python3 bench/python_casefold.py build/dynenum" }
    python_* { return "/usr/bin/python3 bench/python_enum.py build/dynenum" }
    bench_wall_* { return "make bench" }
    default { return "build/bench build/dynenum timing" }
  }
}

proc holds {kind target value} {
  switch -- $kind {
    max { return [expr {$value <= $target ? "yes" : "**no**"}] }
    min { return [expr {$value >= $target ? "yes" : "**no**"}] }
    zero { return [expr {$value == 0 ? "yes" : "**no**"}] }
    default { return "reported" }
  }
}

proc target_text {kind target unit} {
  switch -- $unit {
    ms { set target "[format %g [expr {$target * 1000}]] ms" }
    B { set target "$target B" }
    KiB { set target "$target MiB" }
    seconds { set target "$target s" }
  }
  switch -- $kind {
    max { return "≤ $target" }
    min { return "≥ $target" }
    zero { return "0" }
    default { return "—" }
  }
}

# One row of a figures table; also adds the figure to the ratio chart.
proc figure_row {name spec} {
  lassign $spec title kind target unit
  set command "`[command_of $name]`"
  if {![dict exists $::rows $name]} {
    lappend ::missing_figures $name
    return "| $title | missing | [target_text $kind $target $unit] | **no result** | | | | $command |"
  }
  lassign [dict get $::rows $name] - value a b rounds note
  set a_text ""
  set b_text ""
  switch -- $unit {
    ns { set result [format "%.0f ns" $value] }
    s {
      set a_text [format "%.4g s" $a]
      set b_text [format "%.4g s" $b]
      set result [format "%.3f" $value]
      lappend ::chart [list $name $value [expr {$kind in {max min} ? $target : ""}]]
    }
    ms { set result [format "%.1f ms" [expr {$value * 1000}]] }
    B {
      set result [format "%.1f B" $value]
      set a_text [format "%.1f B in all" $a]
      set b_text [format "%.1f B of strings" $b]
    }
    rss {
      set result [format "%.3f" $value]
      set a_text [format "%.1f MiB (4)" [expr {$a / 1024.0}]]
      set b_text [format "%.1f MiB (1)" [expr {$b / 1024.0}]]
    }
    KiB {
      set a_text "$a KiB before"
      set b_text "$b KiB after"
      set result [format "%.3f MiB" $value]
      # The target is in MiB, as the result.
    }
    seconds { set result [format "%.0f s" $value] }
    default {
      set a_text [format "%.3f per row" $a]
      set b_text [format "%.3f per row (baseline)" $b]
      set result [format "%.3f" $value]
    }
  }
  return "| $title<br><sub>$note</sub> | $result | [target_text $kind $target $unit] | [holds $kind $target $value] | $a_text | $b_text | $rounds | $command |"
}

proc machine {} {
  set cpu "unknown"
  catch {
    foreach line [split [exec lscpu] \n] {
      if {[regexp {^Model name:\s+(.*)$} $line -> model]} { set cpu [string trim $model] }
    }
  }
  set cores [exec nproc]
  set sqlite [exec sqlite3 -version]
  return "$cores cores, $cpu; Debian's SQLite [lindex $sqlite 0]"
}

proc thousands {n} {
  set s [format %.0f $n]
  while {[regsub {^(\d+)(\d{3})} $s {\1,\2} s]} {}
  return $s
}

# ---- What the curves say -----------------------------------------------------------

# Index build: the time per row divided by log2(rows) is the cost of one
# comparison (and of the work around it) if the sort is n log n; where it
# rises, the rows and the index have outgrown a cache.
proc index_rows_text {} {
  set out {}
  dict for {series points} [series_of index_rows] {
    set first [lindex $points 0]
    set base [expr {[lindex $first 1] / ([lindex $first 0] * log([lindex $first 0]) / log(2))}]
    set bend ""
    set parts {}
    foreach p $points {
      lassign $p n t
      set per [expr {$t / ($n * log($n) / log(2)) / $base}]
      lappend parts [format "%s: %.2f" [thousands $n] $per]
      if {$bend eq "" && $per > 1.25} { set bend $n }
    }
    set last [lindex $points end]
    set text "- **$series**: [format %.0f [expr {[lindex $last 1] * 1e9 / [lindex $last 0]}]] ns per row at [thousands [lindex $last 0]] rows; time ÷ (n log₂ n), relative to [thousands [lindex $first 0]] rows — [join $parts {, }]."
    if {$bend eq ""} {
      append text " Within 25% of n log n over the whole range: no cache bends it."
    } else {
      append text " n log n up to [thousands [expr {[lindex $points [expr {[lsearch -exact -index 0 $points $bend] - 1}] 0]}]] rows, then more than 25% above it from [thousands $bend] rows on: a comparison costs the same at any n, so the rise is the rows and the b-tree's pages outgrowing the caches."
    }
    lappend out $text
  }
  return [join $out \n]
}

# Comparison cost: the cost per byte between 512 and 4,096 bytes against
# the cost per byte between 32 and 512; the same slope means linear, a
# steeper one means the strings left a cache.
proc compare_length_text {} {
  set out {}
  set binary [dict create]
  dict for {series points} [series_of compare_length] {
    set y8 [y_at $points 8]
    set y32 [y_at $points 32]
    set y512 [y_at $points 512]
    set y4096 [y_at $points 4096]
    set slope_low [expr {($y512 - $y32) / 480.0}]
    set slope_high [expr {($y4096 - $y512) / 3584.0}]
    set shape [expr {$slope_low > 0 ? $slope_high / $slope_low : 0}]
    set floor [y_at [dict get [series_of compare_length] "BINARY [lrange $series 1 end]"] 4096]
    if {[string match "*early" $series] && $y4096 <= 1.5 * $floor} {
      set words "decided at the first character: [format %.0f $y8] ns at 8 bytes, [format %.0f $y4096] ns at 4,096, within 1.5× of reading the rows (BINARY's [format %.0f $floor] ns)"
    } elseif {[string match "*early" $series]} {
      set words [format "grows with length although the pair differs at its first character: %.0f ns at 8 bytes, %.0f at 4,096, %.1f× BINARY's (the collation reads far more than the first character)" \
        $y8 $y4096 [expr {$y4096 / $floor}]]
    } elseif {$shape > 0.7 && $shape < 1.4} {
      set words [format "linear: %.2f ns a byte from 32 to 512 bytes and %.2f from 512 to 4,096 (%.0f ns at 8 bytes, %.0f at 4,096)" \
        $slope_low $slope_high $y8 $y4096]
    } else {
      set words [format "not linear: %.2f ns a byte from 32 to 512 bytes but %.2f from 512 to 4,096 (%.0f ns at 8 bytes, %.0f at 4,096)%s" \
        $slope_low $slope_high $y8 $y4096 [expr {$shape >= 1.4 ? "; the longer strings (and their overflow pages) leave the fastest caches" : "; fixed costs dominate the short strings"}]]
    }
    lappend out "- **$series**: $words."
  }
  return [join $out \n]
}

# Resolve cost against enum size: flat while the table fits the caches,
# then rising towards memory latency.
proc resolve_size_text {} {
  set out {}
  set latency ""
  if {[dict exists $::rows memory_latency]} { set latency [lindex [dict get $::rows memory_latency] 1] }
  dict for {series points} [series_of resolve_size] {
    set first [lindex $points 0]
    set base [expr {max([lindex $first 1], 1.0)}]
    set bend ""
    set parts {}
    foreach p $points {
      lassign $p n y
      lappend parts [format "%s: %.0f ns" [thousands $n] $y]
      if {$bend eq "" && $y > 1.5 * $base} { set bend $n }
    }
    set text "- **$series**: [join $parts {, }]."
    if {$bend eq ""} {
      append text " Flat from 10 to 1,000,000 members (within 50% of the 10-member cost): the lookup does not depend on the enum's size."
    } else {
      append text " Flat up to [thousands [lindex $points [expr {[lsearch -exact -index 0 $points $bend] - 1}] 0]] members, then above 1.5× the 10-member cost from [thousands $bend] on"
      if {$latency ne ""} {
        append text [format ": the table has outgrown the caches and each lookup waits on memory (one random read costs %.0f ns here)" $latency]
      }
      append text "."
    }
    lappend out $text
  }
  return [join $out \n]
}

# ---- The pool ----------------------------------------------------------------------

proc pool_table {} {
  set fd [open bench/pool.txt r]
  fconfigure $fd -encoding utf-8
  set out {}
  lappend out "| script | spellings in the rows | bytes a letter |"
  lappend out "|---|---|---|"
  foreach line [split [read $fd] \n] {
    if {$line eq "" || [string index $line 0] eq "#"} continue
    lassign [split $line \t] script spellings
    set widths {}
    foreach c [split [string map {" " ""} $spellings] ""] {
      scan $c %c cp
      set w [expr {$cp < 0x80 ? 1 : $cp < 0x800 ? 2 : $cp < 0x10000 ? 3 : 4}]
      if {$w ni $widths} { lappend widths $w }
    }
    # Tcl 8.6 holds characters beyond the BMP as surrogate pairs: 4 bytes.
    set widths [lmap w [lsort -integer $widths] {expr {$w}}]
    lappend out "| $script | [join [split $spellings] {, }] | [join $widths {, }] |"
  }
  close $fd
  return [join $out \n]
}

# ---- The report --------------------------------------------------------------------

set chart {}
set missing_figures {}
set out {}
lappend out "# dynenum benchmarks"
lappend out ""
set peers_sqlite [expr {[dict exists $info peers_sqlite] ? [dict get $info peers_sqlite] : "?"}]
lappend out "Generated by `make bench` on [clock format [clock seconds] -format {%Y-%m-%d} -gmt 1] ([machine];"
lappend out "the peers on SQLite $peers_sqlite, better-sqlite3's amalgamation built with ICU by"
lappend out "`bench/icu_sqlite.sh`)."
lappend out "Every timed figure is a **ratio of medians**: its sides run in alternation in one"
lappend out "process, on the same data, several rounds each (see the rounds column), and the"
lappend out "ratio is median(first) ÷ median(second). Times are the process's CPU time (the Tcl"
lappend out "collation's excepted: wall time), so that other work on the machine does not land on"
lappend out "one side; the wall time of the whole run is the last figure. Absolute medians are shown beside the"
lappend out "ratios for orientation only; this shared two-core machine makes them move between"
lappend out "runs by several percent, so a ratio within a few percent of its target can land on"
lappend out "either side of it in another run."
lappend out ""
lappend out "Reproduce: `make bench` (or `sh bench/run.sh build/dynenum` after `make build/dynenum.so build/bench`)."
lappend out ""
lappend out "## Issue 13's figures"
lappend out ""
set missed 0
set held 0
lappend out "| figure | result | target | holds | first | second | rounds | command |"
lappend out "|---|---|---|---|---|---|---|---|"
dict for {name spec} $issue_figures {
  set row [figure_row $name $spec]
  if {[string match {*| yes |*} $row]} { incr held }
  if {[string match {*| \*\*no\*\* |*} $row]} { incr missed }
  lappend out $row
}
lappend out ""
lappend out "Of the targets above, $held hold and $missed do not, in this run."
lappend out ""
lappend out "## The other figures"
lappend out ""
lappend out "| figure | result | target | holds | first | second | rounds | command |"
lappend out "|---|---|---|---|---|---|---|---|"
dict for {name spec} $other_figures { lappend out [figure_row $name $spec] }
lappend out ""
lappend out {![ratios](ratios.png)}
lappend out ""
lappend out "## How cost grows"
lappend out ""
lappend out "What each curve's shape means below is computed by `bench/report.tcl` from the points."
lappend out ""
lappend out "### Index build against rows"
lappend out ""
lappend out "`CREATE INDEX` on the first n of 1,000,000 rows of the broad pool, medians of 5, 5 and 3"
lappend out "interleaved rounds up to 100,000 rows and one round above, to keep `make bench` within"
lappend out "minutes; the largest points are the noisiest (LD_LIBRARY_PATH=build/sqlite-icu build/bench build/dynenum peers)."
lappend out ""
lappend out {![index build time against rows](index_rows.png)}
lappend out ""
lappend out [index_rows_text]
lappend out ""
lappend out "### Comparison cost against string length"
lappend out ""
lappend out "`SELECT count(*) FROM pairs WHERE a < b COLLATE X` over 2,000 pairs, per row, medians of"
lappend out "five interleaved rounds (LD_LIBRARY_PATH=build/sqlite-icu build/bench build/dynenum lengths)."
lappend out "Each pair is equal but for case up to one character, which is the first (early) or the"
lappend out "last (late); the non-ASCII pairs are letters of the pool (2-, 3- and 4-byte) in the"
lappend out "cases it spells them. NOCASE folds ASCII only, so on non-ASCII pairs it stops at the"
lappend out "first non-ASCII letter whatever the length."
lappend out ""
lappend out {![comparison cost against string length](compare_length.png)}
lappend out ""
lappend out [compare_length_text]
lappend out ""
lappend out "### Resolve cost against enum size"
lappend out ""
lappend out "`SELECT count(dynenum_resolve('eN', x))` over 100,000 rows, less the same scan without"
lappend out "the call, per row, for enums of 10 to 1,000,000 members in one file; rows naming members 1"
lappend out "to 9 (hot) or random members of the whole enum (build/bench build/dynenum resolve-sizes)."
lappend out ""
lappend out {![resolve cost against enum size](resolve_size.png)}
lappend out ""
lappend out [resolve_size_text]
lappend out ""
lappend out "## The broad non-ASCII pool"
lappend out ""
lappend out {Every non-ASCII row is two words of [`bench/pool.txt`](pool.txt) in random spellings}
lappend out "and a number below 50 (`Σοφός_ꮳꮃꭹ_17`), so that rows share long prefixes and many"
lappend out "differ only late. Simple case folding maps lowercase Cherokee to uppercase, ß and ẞ"
lappend out "to ß (never to ss), and final ς to σ."
lappend out ""
lappend out [pool_table]
lappend out ""
lappend out "## How each figure is measured"
lappend out ""
lappend out "- **Index builds** (`bench/peers.c`): an in-memory database on the ICU-enabled SQLite,"
lappend out "  the extension loaded and ICU's root collation registered at SECONDARY and PRIMARY"
lappend out "  strength with `icu_load_collation`; `CREATE INDEX` on 300,000 ASCII enum-like names"
lappend out "  in random spellings (declared, lower, upper, `-` for `_`) and on 100,000 rows of the"
lappend out "  pool, with BINARY, NOCASE, DYNENUM and both ICU collations in rotating order, the index"
lappend out "  dropped after each build. The same rows go to `build/bench-rows.db`, which the Python"
lappend out "  casefold collation (`bench/python_casefold.py`, Debian's python3, `create_collation`) and"
lappend out "  the Tcl one (`bench/collation.tcl`, `string tolower` in `db collate`, 10,000 rows ordered:"
lappend out "  those without a 4-byte letter, on which Tcl 8.6's `string tolower` crashes) read."
lappend out "- **One statement per value** (`bench/statements.c`, from C): `SELECT dynenum_resolve('e', ?)`"
lappend out "  stepped once per value in autocommit on a database file, in WAL and in rollback-journal"
lappend out "  mode, against `SELECT lower(?) FROM one_row` (a statement that opens a read transaction"
lappend out "  anyway) and the table-free `SELECT lower(?)`, 20,000 statements a round, the three in"
lappend out "  rotating order. A statement that reads no table holds no read transaction, so its first"
lappend out "  call confirms that the cached enum is current; inside a transaction nothing is needed."
lappend out "- **Adding members** (`bench/timing.c`): one `INSERT ... SELECT` of 100,000 names into an"
lappend out "  enum, against the same rows into the table a user would write (an ordinal, a UNIQUE"
lappend out "  DYNENUM name, the key as value); both emptied after each round."
lappend out "- **Big enums** (`bench/big_enums.c`): `build/bench-enums.db` holds enums of 10 to"
lappend out "  1,000,000 members. RSS (from `/proc/self/statm`) grows by the first figure once one"
lappend out "  connection holds the largest whole (after `dynenum_is_member()` of a name that is no"
lappend out "  member: a miss, which the key table cannot answer), by the second once four do;"
lappend out "  then fresh connections of the same process time their first statement (prepare, step,"
lappend out "  finalize) while those four hold the enum. The cold start runs `build/bench ... first-statement`"
lappend out "  in a fresh process, which times open, load and the first statement together, for the"
lappend out "  largest and the 10-member enum alternately; the file is in the OS page cache."
lappend out "- **Core memory per member** (`bench/core_memory.c`): 1,000,000 members added through the"
lappend out "  C API to an enum whose allocator counts the usable size of every live block; the bytes of"
lappend out "  each member's name and value with their NULs are subtracted."
lappend out "- **Resolution in queries**: `count(*)` over 1,000,000 rows spelling four members and one"
lappend out "  plugin name, and the same rows against a 100,000-member and a 10-member enum."
lappend out "- **Allocations**: a counting allocator installed with `SQLITE_CONFIG_MALLOC`, lookaside"
lappend out "  off; each query over 100,000 and 200,000 rows, the difference divided by 100,000, less the"
lappend out "  same for the query without the measured call."
lappend out "- **Peak memory**: `getrusage` maximum RSS before and after resolving 1,000,000 distinct"
lappend out "  unknown names, in a fresh process each."
lappend out "- **A Python enum** (`bench/python_enum.py`): 100 members found through `_missing_`, as"
lappend out "  the seed's enum does, against one `dynenum_resolve()` in a query."

set fd [open [file join $out_dir report.md] w]
fconfigure $fd -encoding utf-8
puts $fd [join $out \n]
close $fd

# ---- The charts ----------------------------------------------------------------------

proc gnuplot {name script} {
  set path [file join $::out_dir $name.gp]
  set fd [open $path w]
  fconfigure $fd -encoding utf-8
  puts $fd $script
  close $fd
  exec gnuplot $path
  file delete $path
}

proc write_data {name lines} {
  set path [file join $::out_dir $name.dat]
  set fd [open $path w]
  fconfigure $fd -encoding utf-8
  puts $fd [join $lines \n]
  close $fd
  return $path
}

# The ratios, each with its target, on a log scale.
set lines {}
set i 0
foreach item $chart {
  lassign $item name value target
  if {$target eq ""} { set target NaN }
  lappend lines [format "%d %s %s %s" $i [string map {_ -} $name] $value $target]
  incr i
}
set data [write_data ratios $lines]
gnuplot ratios [string map [list @PNG@ [file join $out_dir ratios.png] @DATA@ $data @N@ [expr {$i - 1}]] {
set terminal pngcairo size 1300,560 font "sans,10" noenhanced
set output "@PNG@"
set title "dynenum: ratios of medians (log scale); targets as diamonds"
set logscale y
set yrange [0.5:1000]
set xrange [-0.6:@N@.6]
set style fill solid 0.6
set boxwidth 0.6
set xtics rotate by 30 right
set lmargin 16
set bmargin 11
set grid ytics
set ylabel "ratio"
plot "@DATA@" using 1:3:xtic(2) with boxes title "measured", \
     "@DATA@" using 1:4 with points pt 13 ps 2 title "target", \
     1 with lines dt 2 lc rgb "gray" notitle
}]

# Gnuplot data blocks, one a series of SERIES (title -> points), each y
# mapped by the lambda Y of x and y, numbered from FIRST; returns the data
# lines and the plot clauses, which name the data file @DATA@.
proc plot_blocks {series y {first 0}} {
  set lines {}
  set plots {}
  set index $first
  dict for {title points} $series {
    foreach p $points { lappend lines "[lindex $p 0] [apply $y {*}$p]" }
    lappend lines "" ""
    lappend plots "\"@DATA@\" index $index using 1:2 with linespoints lw 2 title \"$title\""
    incr index
  }
  return [list $lines $plots]
}

# NAME.png from the data lines and a gnuplot script whose @PNG@ and @DATA@
# are filled in.
proc chart {name lines script} {
  set data [write_data $name $lines]
  gnuplot $name [string map [list @PNG@ [file join $::out_dir $name.png] @DATA@ $data] $script]
}

lassign [plot_blocks [series_of index_rows] {{n t} {expr {$t * 1e9 / $n}}}] lines plots
chart index_rows $lines "set terminal pngcairo size 900,520 font \"sans,10\" noenhanced
set output \"@PNG@\"
set title \"CREATE INDEX on rows of the broad pool: time per row (n log n grows slowly, a bend is the caches)\"
set logscale x
set logscale y
set grid
set xlabel \"rows\"
set ylabel \"ns per row\"
set key left top reverse Left
plot [join $plots {, }]"

set lines {}
set panels {}
set blocks 0
foreach kind {{ASCII early} {ASCII late} {non-ASCII early} {non-ASCII late}} {
  set panel [dict create]
  dict for {series points} [series_of compare_length] {
    if {[string match "* $kind" $series]} { dict set panel [lindex $series 0] $points }
  }
  lassign [plot_blocks $panel {{x y} {expr {$y}}} $blocks] more plots
  incr blocks [dict size $panel]
  lappend lines {*}$more
  lappend panels "set title \"$kind\"\nplot [join $plots {, }]"
}
chart compare_length $lines "set terminal pngcairo size 1100,820 font \"sans,10\" noenhanced
set output \"@PNG@\"
set logscale x 2
set logscale y
set grid
set xlabel \"bytes\"
set ylabel \"ns per row (one comparison)\"
set key left top reverse Left
set multiplot layout 2,2 title \"One comparison against string length, a pair differing at its first or its last character\"
[join $panels \n]
unset multiplot"

lassign [plot_blocks [series_of resolve_size] {{n y} {expr {max($y, 0.1)}}}] lines plots
chart resolve_size $lines "set terminal pngcairo size 900,520 font \"sans,10\" noenhanced
set output \"@PNG@\"
set title \"dynenum_resolve() in a query against enum size\"
set logscale x
set grid
set xlabel \"members\"
set ylabel \"ns per call\"
set yrange \[0:*\]
set key left top reverse Left
plot [join $plots {, }]"
foreach name {ratios index_rows compare_length resolve_size} { file delete [file join $out_dir $name.dat] }

# A figure the drivers did not print fails the run, after the report that
# shows it missing is written.
if {[llength $missing_figures]} {
  puts stderr "report.tcl: no result for [join $missing_figures {, }]"
  exit 1
}
