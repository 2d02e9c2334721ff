# collation.tcl: a case-insensitive collation written the way a user would
# without dynenum (Tcl's `string tolower` in `db collate`), against DYNENUM,
# ordering the same rows of the broad pool in one run.  Tcl 8.6 has no CPU
# clock, so this one figure is in wall time; its ratio is large enough for
# that not to matter.
#
#     tclsh bench/collation.tcl EXTENSION
#
# Prints one line of the bench format (see bench/bench.h):
#     figure  ratio  a_median_seconds  b_median_seconds  rounds  note
package require sqlite3

set extension [lindex $argv 0]
sqlite3 db :memory:
db enable_load_extension 1
db eval {SELECT load_extension($extension)}
db collate TCL_TOLOWER {apply {{a b} {string compare [string tolower $a] [string tolower $b]}}}

# 10,000 rows of the broad pool (bench/pool.txt) that `build/bench peers`
# wrote to build/bench-rows.db: those without a 4-byte letter (no byte
# F0), because Tcl 8.6's string tolower crashes on the 4-byte UTF-8 that
# SQLite hands it, next to other letters it maps.
db eval {ATTACH 'build/bench-rows.db' AS rows_file}
db eval {CREATE TABLE uni AS SELECT x FROM rows_file.pool WHERE instr(CAST(x AS BLOB), X'F0') = 0 LIMIT 10000}
db eval {DETACH rows_file}
if {[db one {SELECT count(*) FROM uni}] != 10000} {
  puts stderr "collation.tcl: build/bench-rows.db holds fewer than 10,000 pool rows without a 4-byte letter"
  exit 1
}

proc timed {sql} {
  set start [clock microseconds]
  db eval $sql {}
  return [expr {([clock microseconds] - $start) / 1e6}]
}

proc median {values} {
  set v [lsort -real $values]
  set n [llength $v]
  if {$n % 2} { return [lindex $v [expr {$n / 2}]] }
  return [expr {([lindex $v [expr {$n / 2 - 1}]] + [lindex $v [expr {$n / 2}]]) / 2.0}]
}

set user {SELECT x FROM uni ORDER BY x COLLATE TCL_TOLOWER}
set ours {SELECT x FROM uni ORDER BY x COLLATE DYNENUM}
timed $user
timed $ours
set a {}
set b {}
for {set round 0} {$round < 3} {incr round} {
  if {$round % 2} {
    lappend b [timed $ours]
    lappend a [timed $user]
  } else {
    lappend a [timed $user]
    lappend b [timed $ours]
  }
}
set ma [median $a]
set mb [median $b]
puts [format "user_collation_vs_dynenum\t%.4f\t%.6f\t%.6f\t3\t%s" [expr {$ma / $mb}] $ma $mb \
  "10,000 rows of the broad pool without its 4-byte letters ordered; the user's collation is Tcl's string tolower in db collate"]
