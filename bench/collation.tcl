# collation.tcl: a case-insensitive collation written the way a user would
# without dynenum (Tcl's `string tolower` in `db collate`), against DYNENUM,
# ordering the same non-ASCII rows in one run.
#
#     tclsh bench/collation.tcl EXTENSION
#
# Prints one line of the bench format (see bench/bench.c):
#     figure  ratio  a_median_seconds  b_median_seconds  rounds  note
package require sqlite3

set extension [lindex $argv 0]
sqlite3 db :memory:
db enable_load_extension 1
db eval {SELECT load_extension($extension)}
db collate TCL_TOLOWER {apply {{a b} {string compare [string tolower $a] [string tolower $b]}}}

# The words of bench.c's non-ASCII rows, both cases.
set words {Σίσυφος ΣΊΣΥΦΟΣ Москва МОСКВА Straße STRAẞE Übermäßig ÜBERMÄSSIG Ärger ÄRGER
  Ça_va ÇA_VA Élan-Vital élan_vital Ñandú ÑANDÚ Øresund øresund Ωmega ωMEGA Київ КИЇВ Þórr þÓRR}
expr {srand(7)}
db eval {CREATE TABLE uni(x TEXT)}
db transaction {
  for {set i 0} {$i < 20000} {incr i} {
    set a [lindex $words [expr {int(rand() * [llength $words])}]]
    set b [lindex $words [expr {int(rand() * [llength $words])}]]
    set x "${a}_${b}_[expr {int(rand() * 50)}]"
    db eval {INSERT INTO uni VALUES ($x)}
  }
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
for {set round 0} {$round < 5} {incr round} {
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
puts [format "user_collation_vs_dynenum\t%.4f\t%.6f\t%.6f\t5\t%s" [expr {$ma / $mb}] $ma $mb \
  "20,000 non-ASCII rows ordered; the user's collation is Tcl's string tolower in db collate"]
