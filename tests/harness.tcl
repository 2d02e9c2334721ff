# harness.tcl: the test dialect of dynenum's Tcl suite, written for stock
# tclsh and Debian's libsqlite3-tcl.  It speaks the verbs SQLite's own suite
# made familiar, implemented here from scratch:
#
#   do_test NAME SCRIPT EXPECTED          the script's result must equal EXPECTED
#   do_execsql_test NAME SQL EXPECTED     the rows of SQL, as one flat list
#   do_catchsql_test NAME SQL EXPECTED    {0 ROWS} on success, {1 MESSAGE} on error
#   execsql SQL ?DB?   catchsql SQL ?DB?  the same without recording a test
#   reopen_db                             close db and open test.db again
#   open_db NAME ?FILE?                   another connection, extension loaded
#   skip_test NAME REASON                 a test that cannot run here: reported
#                                         as skipped, never counted as passed
#   finish_test                           print "N errors out of M tests", exit
#
# Every test file sources this file first.  It opens the connection `db` on a
# new test.db in a directory of its own, with the extension loaded.  Test
# names must be unique within a file; a repeated name is itself a failure.
#
# Environment: DYNENUM_EXT names the extension to load (default
# build/dynenum in the repository); DYNENUM_TEST_DIR where test databases go.

package require sqlite3

namespace eval ::harness {
  variable root [file dirname [file dirname [file normalize [info script]]]]
  variable tests 0
  variable errors 0
  variable failed {}
  variable skipped {}
  variable seen [dict create]
  variable extension [expr {[info exists ::env(DYNENUM_EXT)] ? $::env(DYNENUM_EXT) : [file join $root build dynenum]}]
  variable dir
}

proc ::harness::setup_dir {} {
  variable dir
  set base [expr {[info exists ::env(DYNENUM_TEST_DIR)] ? $::env(DYNENUM_TEST_DIR) : [file join $::harness::root build testdb]}]
  set dir [file join $base [file rootname [file tail $::argv0]]-[pid]]
  file delete -force $dir
  file mkdir $dir
}

# The path of a test database file called NAME.
proc testdb_path {{name test.db}} {
  return [file join $::harness::dir $name]
}

# Loads the extension into the connection DB.
proc load_dynenum {db} {
  $db enable_load_extension 1
  $db eval {SELECT load_extension($::harness::extension)}
  $db enable_load_extension 0
}

# Opens connection NAME on FILE (default test.db) with the extension loaded.
proc open_db {name {file test.db}} {
  sqlite3 $name [testdb_path $file]
  load_dynenum $name
  return $name
}

# Closes db and opens test.db again, as a new program would.
proc reopen_db {} {
  catch {db close}
  open_db db
}

# Removes FILE (and its journals) so that the next open starts empty.
proc forget_db {{file test.db}} {
  foreach suffix {"" -journal -wal -shm} {
    file delete -force [testdb_path $file$suffix]
  }
}

proc execsql {sql {db db}} {
  return [uplevel 1 [list $db eval $sql]]
}

proc catchsql {sql {db db}} {
  set rc [catch {uplevel 1 [list $db eval $sql]} result]
  return [list $rc $result]
}

proc ::harness::record {name ok expected got} {
  variable tests
  variable errors
  variable failed
  variable seen
  incr tests
  if {[dict exists $seen $name]} {
    incr errors
    lappend failed $name
    puts "$name... FAILED: test name used twice"
    return
  }
  dict set seen $name 1
  if {$ok} return
  incr errors
  lappend failed $name
  puts "$name... FAILED"
  puts "  expected: \[$expected\]"
  puts "  got:      \[$got\]"
}

proc do_test {name script expected} {
  if {[catch {uplevel 1 $script} got]} {
    set got "script error: $got"
  }
  ::harness::record $name [expr {$got eq $expected}] $expected $got
}

proc do_execsql_test {name sql expected} {
  # Normalise EXPECTED like a list so that its layout in the file is free.
  set expected [lrange $expected 0 end]
  if {[catch {uplevel 1 [list db eval $sql]} got]} {
    set got "error: $got"
  }
  ::harness::record $name [expr {$got eq $expected}] $expected $got
}

proc do_catchsql_test {name sql expected} {
  set got [uplevel 1 [list catchsql $sql]]
  ::harness::record $name [expr {$got eq $expected}] $expected $got
}

# A skipped test is not one of the M tests; tests/run.tcl adds up the
# "K skipped:" lines and reports the sum beside its closing line.
proc skip_test {name reason} {
  if {[dict exists $::harness::seen $name]} {
    ::harness::record $name 0 {} {}
    return
  }
  dict set ::harness::seen $name 1
  lappend ::harness::skipped $name
  puts "$name... skipped: $reason"
}

proc finish_test {} {
  variable ::harness::tests
  variable ::harness::errors
  variable ::harness::failed
  variable ::harness::skipped
  catch {db close}
  if {$errors} {
    puts "failed: $failed"
  }
  if {[llength $skipped]} {
    puts "[llength $skipped] skipped: $skipped"
  }
  puts "$errors errors out of $tests tests"
  exit [expr {$errors ? 1 : 0}]
}

::harness::setup_dir
open_db db
