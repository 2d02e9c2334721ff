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

set here [file dirname [file normalize [info script]]]
set root [file dirname $here]
cd $root

set passed 0
set failed 0
set skipped 0

proc run_one {label command} {
  global passed failed skipped
  puts "== $label"
  flush stdout
  set status [catch {exec -ignorestderr {*}$command 2>@1} output options]
  # exec appends this to the output of a program that exits non-zero.
  regsub {\nchild process exited abnormally$} $output {} output
  puts $output
  foreach {-> count} [regexp -all -inline -line {^(\d+) skipped: } $output] {
    incr skipped $count
  }
  if {[regexp {(\d+) errors out of (\d+) tests\s*$} $output -> errors total]} {
    incr failed $errors
    incr passed [expr {$total - $errors}]
    if {$errors == 0 && $status} {
      puts "!! $label exited with an error although its tests passed"
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
if {$skipped} {
  puts "[expr {$label eq {} ? {} : "$label: "}]$skipped skipped (not counted as passed)"
}
puts "[expr {$label eq {} ? {} : "$label: "}]$passed passed, $failed failed"
exit [expr {$failed ? 1 : 0}]
