# alias_inserts.tcl: what adding aliases by INSERT costs as their number
# grows, all in one transaction (review 14b, finding 3: each alias used to
# make the next statement read every member and alias again, so the cost
# grew with the square of the count).  Wall time, one run per count: the
# point is the shape (linear or not), not the figure.
#
#     tclsh bench/alias_inserts.tcl EXTENSION ?COUNT ...?
#
# Each member "LETTERS_<i>" gets up to 50 case variants of its name as
# aliases (each already resolves to it, so INSERT accepts it).  The enum
# declares one alias, so that its aliases table exists before the
# transaction: the table's creation is DDL, after which the cache checks
# the file at every statement until the transaction ends.  Prints
# "COUNT aliases: S seconds" per count.
package require sqlite3

set extension [lindex $argv 0]
set counts [lrange $argv 1 end]
if {$counts eq {}} { set counts {250 500 1000 2000} }

# The k-th case variant of word: bit j of k+1 upper-cases letter j.
proc variant {word k} {
  set out {}
  set bits [expr {$k + 1}]
  foreach c [split $word {}] {
    append out [expr {$bits & 1 ? [string toupper $c] : $c}]
    set bits [expr {$bits >> 1}]
  }
  return $out
}

foreach count $counts {
  sqlite3 db :memory:
  db enable_load_extension 1
  db eval {SELECT load_extension($extension)}
  set members [expr {($count + 49) / 50}]
  set names {}
  for {set i 0} {$i < $members} {incr i} { lappend names "abcdefghijklmnop_$i" }
  db eval "CREATE VIRTUAL TABLE e USING dynenum([join $names {, }], DECLARED = [lindex $names 0])"
  set start [clock microseconds]
  db eval BEGIN
  for {set n 0} {$n < $count} {incr n} {
    set member [lindex $names [expr {$n / 50}]]
    set alias [variant $member [expr {$n % 50}]]
    db eval {INSERT INTO e(name, alias_of) VALUES ($alias, $member)}
    # A statement that reads the enum, as an application's next one would.
    db eval {SELECT dynenum_resolve('e', $alias)}
  }
  db eval COMMIT
  set seconds [expr {([clock microseconds] - $start) / 1e6}]
  if {[db one {SELECT count(*) FROM dynenum_members WHERE alias_of IS NOT NULL}] != $count + 1} {
    puts stderr "alias_inserts.tcl: not every alias was added"
    exit 1
  }
  puts [format "%d aliases: %.3f seconds" $count $seconds]
  db close
}
