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
#   skip_unless CONDITION REASON BODY     BODY's tests, each reported as skipped
#                                         for REASON when CONDITION is false
#   skip_file REASON                      the whole file cannot run here: says
#                                         so (tests/run.tcl reports it), exits
#   finish_test                           print "N errors out of M tests", exit
#
# and the helpers more than one file needs: read_text, read_binary,
# write_text, do_list_test, and the one way to run the sqlite3 shell (shell,
# shell_text, shell_available).
#
# The unit: a test is one named case, one do_test, do_execsql_test or
# do_catchsql_test, passed or failed as a whole.  The closing line counts
# those; skipped ones are not among them (a line "K skipped: NAMES" says
# which).  tests/ctest.h counts the same unit in the C tests (a named group
# of checks), so that tests/run.tcl adds up like with like.
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
  # The reason while skip_unless skips, "" otherwise.
  variable skipping ""
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

# do_test with EXPECTED read as a list, so that it may span lines (as
# do_execsql_test does); nested lists stay on one line each.
proc do_list_test {name script expected} {
  uplevel 1 [list do_test $name $script [lrange $expected 0 end]]
}

# ---- Files -------------------------------------------------------------------

# The file at PATH as text (UTF-8).
proc read_text {path} {
  set fd [open $path r]
  fconfigure $fd -encoding utf-8
  set text [read $fd]
  close $fd
  return $text
}

# The file at PATH, byte for byte.
proc read_binary {path} {
  set fd [open $path rb]
  set data [read $fd]
  close $fd
  return $data
}

# Writes TEXT (UTF-8) to PATH as it is, no newline added.
proc write_text {path text} {
  set fd [open $path w]
  fconfigure $fd -encoding utf-8
  puts -nonewline $fd $text
  close $fd
}

# ---- The sqlite3 shell ----------------------------------------------------------

# Whether the shell PROGRAM (default the sqlite3 on PATH) can be run.
proc shell_available {{program sqlite3}} {
  expr {[auto_execok $program] ne ""}
}

# Runs the sqlite3 shell on FILE with dynenum loaded (.load of the
# extension under test, given with -cmd), the shell's OPTIONS before the
# file name and INPUT on its standard input, each line's indentation
# removed (the shell takes a dot-command only at the start of a line).
# The shell is the sqlite3 on PATH, or PROGRAM.  Returns {status stdout
# stderr}, status 0 or 1, each output without its last newlines and in the
# words of Debian's shell and of newer ones alike (shell_text).
#
# Options of the harness, taken out of OPTIONS:
#   -bare        the extension is not loaded
#   -auto        it is loaded through sqlite3_dynenum_auto_init, for every
#                connection the shell opens
#   -merge       stderr goes where stdout goes, in the order the shell
#                wrote them (as a terminal shows them); stderr comes back ""
#   -raw         the output exactly as the shell wrote it (no shell_text),
#                for outputs compared with recorded ones (tests/examples.test)
#   -stdin PATH  the standard input is the file at PATH (INPUT is not used)
proc shell {options file {input ""} {program sqlite3}} {
  set flags {}
  foreach flag {-bare -auto -merge -raw} {
    if {[set i [lsearch -exact $options $flag]] >= 0} {
      set options [lreplace $options $i $i]
      lappend flags $flag
    }
  }
  set stdin [list << [regsub -all -line {^[ \t]+} $input {}]]
  if {[set i [lsearch -exact $options -stdin]] >= 0} {
    set stdin [list < [lindex $options $i+1]]
    set options [lreplace $options $i $i+1]
  }
  if {![shell_available $program]} {
    error "no $program shell on PATH"
  }
  set command [list $program -batch]
  if {"-bare" ni $flags} {
    set load [list .load $::harness::extension]
    if {"-auto" in $flags} {lappend load sqlite3_dynenum_auto_init}
    lappend command -cmd $load
  }
  set out [testdb_path shell.out]
  set err [testdb_path shell.err]
  file delete -force $out $err
  if {"-merge" in $flags} {
    set status [catch {exec {*}$command {*}$options $file {*}$stdin >& $out}]
    set outputs [list [read_text $out] ""]
  } else {
    set status [catch {exec {*}$command {*}$options $file {*}$stdin > $out 2> $err}]
    set outputs [list [read_text $out] [read_text $err]]
  }
  if {"-raw" in $flags} {
    set outputs [lmap text $outputs {string trimright $text \n}]
  } else {
    set outputs [lmap text $outputs {shell_text $text}]
  }
  list $status {*}$outputs
}

# The shell's output without what differs between its versions: the lines
# Debian's (3.40) prints for .limit and .dbconfig given with -cmd, which
# newer ones do not; "Runtime error near line N:", which is "Error near
# line N:" in newer shells; the result code that 3.40 adds after such an
# error.  The last newlines are removed.
proc shell_text {text} {
  set lines {}
  foreach line [split [string trimright $text \n] \n] {
    if {[regexp {^ +(length|sql_length|column) [0-9]+$|^ +defensive (on|off)$} $line]} continue
    regsub {^Runtime error near line} $line {Error near line} line
    regsub {^(Error near line [0-9]+: .*) \([0-9]+\)$} $line {\1} line
    lappend lines $line
  }
  join $lines \n
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
  if {[::harness::skipping $name]} return
  if {[catch {uplevel 1 $script} got]} {
    set got "script error: $got"
  }
  ::harness::record $name [expr {$got eq $expected}] $expected $got
}

proc do_execsql_test {name sql expected} {
  if {[::harness::skipping $name]} return
  # Normalise EXPECTED like a list so that its layout in the file is free.
  set expected [lrange $expected 0 end]
  if {[catch {uplevel 1 [list db eval $sql]} got]} {
    set got "error: $got"
  }
  ::harness::record $name [expr {$got eq $expected}] $expected $got
}

proc do_catchsql_test {name sql expected} {
  if {[::harness::skipping $name]} return
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

# Runs BODY in the caller.  When CONDITION (an expression, evaluated in the
# caller) is false, each do_test, do_execsql_test and do_catchsql_test of
# BODY is reported as skipped for REASON instead of run; the rest of BODY
# still runs, so it must not need what is missing.
proc skip_unless {condition reason body} {
  if {[uplevel 1 [list expr $condition]]} {
    return [uplevel 1 $body]
  }
  set saved $::harness::skipping
  set ::harness::skipping $reason
  try {
    uplevel 1 $body
  } finally {
    set ::harness::skipping $saved
  }
}

# Ends a file that cannot run here at all, before any test: prints
# "file skipped: REASON", which tests/run.tcl reports, and the closing line
# of a file that ran nothing.
proc skip_file {reason} {
  catch {db close}
  puts "file skipped: $reason"
  puts "0 errors out of 0 tests"
  exit 0
}

# Whether the test NAME is to be skipped, recording the skip if so: while
# skip_unless skips, every test verb records a skip instead of running.
proc ::harness::skipping {name} {
  if {$::harness::skipping eq ""} {return 0}
  skip_test $name $::harness::skipping
  return 1
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
