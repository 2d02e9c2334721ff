# shell_format.tcl: sorts the failures of tests/examples.test in a log of
# tests/run.tcl into those where only the sqlite3 shell's way of printing
# differs and the others.
#
#     tclsh tools/shell_format.tcl LOG
#
# prints one line per failed test, "format NAME" or "real NAME".  The README
# examples and sql/demo.out are the output of Debian's shell (3.40); newer
# shells print the same results differently: boxes with rounded corners and
# double rules, numbers aligned right, "Error near line N:" for "Runtime
# error near line N:", no "(19)" after a constraint error.  Two outputs
# that are equal once all of that is evened out differ only in format.
# Used by tools/sqlite_versions.sh.

proc normalise {text} {
  set text [string map {
    ╭ + ╮ + ╰ + ╯ + ┌ + ┐ + └ + ┘ + ├ + ┤ + ┼ + ┬ + ┴ + ╞ + ╡ + ╪ +
    ═ - ─ - │ |
  } $text]
  set lines {}
  foreach line [split $text \n] {
    regsub {^Runtime error near line} $line {Error near line} line
    regsub {^(Error near line \d+: .*) \(\d+\)$} $line {\1} line
    # A rule of a box: its length is the cells' widths.
    if {[regexp {^[-+]+$} $line]} {
      regsub -all {\-+} $line {-} line
    }
    # A row of a box: the blanks that pad (and align) each cell.
    if {[string index $line 0] eq "|"} {
      set cells {}
      foreach cell [split $line |] { lappend cells [string trim $cell] }
      set line [join $cells |]
    }
    lappend lines $line
  }
  return [join $lines \n]
}

set f [open [lindex $argv 0] r]
fconfigure $f -encoding utf-8
set log [read $f]
close $f
fconfigure stdout -encoding utf-8

# The examples.test section: from its "== " line to the next.
set start [string first "== tests/examples.test\n" $log]
if {$start < 0} { exit 0 }
set section [string range $log $start end]
set next [string first "\n== " $section 1]
if {$next >= 0} { set section [string range $section 0 $next] }

# NAME... FAILED / expected: [TEXT] / got: [TEXT], where TEXT spans lines.
set name ""
set failures {}
set part ""
foreach line [split $section \n] {
  if {[regexp {^(\S+)\.\.\. FAILED$} $line -> failed_name] ||
      [regexp {^(failed: |\d+ errors out of)} $line]} {
    if {$name ne ""} { lappend failures $name $expected $got }
    set name [expr {[info exists failed_name] ? $failed_name : ""}]
    unset -nocomplain failed_name
    set expected ""
    set got ""
    set part ""
  } elseif {[regexp {^  expected: \[(.*)$} $line -> rest]} {
    set part expected
    set expected $rest
  } elseif {[regexp {^  got:      \[(.*)$} $line -> rest]} {
    set part got
    set got $rest
  } elseif {$part ne ""} {
    append $part \n$line
  }
}
foreach {name expected got} $failures {
  # Each text ends with the "]" that closed it.
  set expected [string range [string trimright $expected \n] 0 end-1]
  set got [string range [string trimright $got \n] 0 end-1]
  if {[normalise $expected] eq [normalise $got]} {
    puts "format $name"
  } else {
    puts "real $name"
  }
}
