#!/usr/bin/env tclsh
#
# Runs every test of dynenum and prints one closing line "N passed, N failed".
#
#     tclsh tests/run.tcl ?-dir DIR? ?-label LABEL? ?C-TEST-PROGRAM ...?
#
# Each C test program given, then each DIR/*.test file (DIR defaults to
# tests; in its own tclsh), must end its output with "N errors out of M
# tests".  A program that dies or prints no such line counts as one failed
# test.  With -label the closing line reads "LABEL: N passed, N failed".
#
# The unit added up: a test is one named test case, passed or failed as a
# whole: a do_test (or do_execsql_test, do_catchsql_test) of the Tcl suite
# (tests/harness.tcl), a ctest_group of a C test (tests/ctest.h), however
# many checks it makes.  Tests reported as skipped ("K skipped: NAMES") are
# neither passed nor failed; their sum has a line of its own before the
# closing one.  A file that skips itself entirely ("file skipped: REASON",
# skip_file in the harness) is named on that line too; one that ran no test
# and said nothing of skipping counts as a failed test, as a file that is
# silently empty would otherwise pass unnoticed.

set here [file dirname [file normalize [info script]]]
set root [file dirname $here]
cd $root

set passed 0
set failed 0
set skipped 0
set skipped_files {}

proc run_one {label command} {
  global passed failed skipped skipped_files
  puts "== $label"
  flush stdout
  set status [catch {exec -ignorestderr {*}$command 2>@1} output options]
  # exec appends this to the output of a program that exits non-zero.
  regsub {\nchild process exited abnormally$} $output {} output
  puts $output
  foreach {-> count} [regexp -all -inline -line {^(\d+) skipped: } $output] {
    incr skipped $count
  }
  set file_skipped [regexp -line {^file skipped: (.*)$} $output -> reason]
  if {$file_skipped} {
    lappend skipped_files "$label ($reason)"
  }
  if {[regexp {(\d+) errors out of (\d+) tests\s*$} $output -> errors total]} {
    incr failed $errors
    incr passed [expr {$total - $errors}]
    if {$errors == 0 && $status} {
      puts "!! $label exited with an error although its tests passed"
      incr failed
    }
    if {$total == 0 && !$file_skipped && ![regexp -line {^\d+ skipped: } $output]} {
      puts "!! $label ran no test and did not say it skipped"
      incr failed
    }
  } else {
    puts "!! $label ended without its 'N errors out of M tests' line"
    incr failed
  }
}

set dir tests
set label ""
while {[llength $argv] >= 2 && [lindex $argv 0] in {-dir -label}} {
  set argv [lassign $argv option value]
  set [string range $option 1 end] $value
}

foreach program $argv {
  run_one $program [list $program]
}
foreach file [lsort [glob -directory $dir *.test]] {
  run_one $file [list [info nameofexecutable] $file]
}

# Skips get a line of their own: the closing line stays "N passed, N
# failed", which CI reads.
set prefix [expr {$label eq {} ? {} : "$label: "}]
if {$skipped || [llength $skipped_files]} {
  set line "$prefix$skipped skipped (not counted as passed)"
  if {[llength $skipped_files]} {
    append line "; [llength $skipped_files] skipped entirely: [join $skipped_files {, }]"
  }
  puts $line
}
puts "$prefix$passed passed, $failed failed"
exit [expr {$failed ? 1 : 0}]
