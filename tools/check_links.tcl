# check_links.tcl: the links of the Markdown documents resolve.
#
#     tclsh tools/check_links.tcl ?FILE.md ...?
#
# Without arguments: README.md and every other *.md of the top level,
# docs/, python/ and bench/.  For each inline link [text](target) outside
# code (fenced blocks and `spans`), the target must be a file or folder of
# this repository, found relative to the document and not outside the
# repository; a #anchor must be a heading of the target document, spelled
# as GitHub spells heading anchors.  Links to http(s) addresses are not
# followed.  Prints one line per broken link, "FILE:LINE: TARGET: why", and
# exits 1 when there is any.

set root [file dirname [file dirname [file normalize [info script]]]]
cd $root

proc read_text {path} {
  set fd [open $path r]
  fconfigure $fd -encoding utf-8
  set text [read $fd]
  close $fd
  return $text
}

# The lines of FILE that are not code: fenced blocks become empty lines (so
# that line numbers stay right) and `spans` are blanked.
proc prose_lines {file} {
  set lines {}
  set fenced 0
  foreach line [split [read_text $file] \n] {
    if {[regexp {^\s*```} $line]} {
      set fenced [expr {!$fenced}]
      lappend lines ""
      continue
    }
    if {$fenced} {
      lappend lines ""
    } else {
      lappend lines $line
    }
  }
  return $lines
}

# GitHub's anchor of a heading: the text as rendered (code marks and link
# targets dropped), lower case, everything but letters, digits, spaces, '-'
# and '_' removed, each space a '-'; a repeated anchor gets -1, -2, ...
proc anchors {file} {
  set seen [dict create]
  set result {}
  foreach line [prose_lines $file] {
    if {![regexp {^#{1,6}\s+(.*?)\s*#*\s*$} $line -> text]} continue
    regsub -all {\[([^\]]*)\]\([^)]*\)} $text {\1} text
    set slug [string tolower $text]
    regsub -all {[^\w\- ]} $slug "" slug
    set slug [string map {" " -} $slug]
    if {[dict exists $seen $slug]} {
      set n [dict get $seen $slug]
      dict set seen $slug [incr n]
      lappend result $slug-$n
    } else {
      dict set seen $slug 0
      lappend result $slug
    }
  }
  return $result
}

set files $argv
if {$files eq ""} {
  set files [lsort [concat [glob -nocomplain *.md docs/*.md python/*.md bench/*.md]]]
}

set broken 0
proc broken {file n target why} {
  puts "$file:$n: $target: $why"
  incr ::broken
}

foreach file $files {
  set n 0
  set dir [file dirname [file normalize $file]]
  foreach line [prose_lines $file] {
    incr n
    # Code spans may hold brackets and parentheses of their own; a link's
    # text may be a code span, so only the code inside is blanked.
    regsub -all {`[^`]*`} $line {``} line
    foreach {-> target} [regexp -all -inline {\]\(([^)\s]+)(?:\s+"[^"]*")?\)} $line] {
      if {[regexp {^[a-z]+:} $target]} continue
      set anchor ""
      regexp {^([^#]*)#(.*)$} $target -> target anchor
      if {$target eq ""} {
        set path [file normalize $file]
      } else {
        set path [file normalize [file join $dir $target]]
      }
      set shown $target[expr {$anchor ne "" ? "#$anchor" : ""}]
      if {[string first $root/ $path/] != 0} {
        broken $file $n $shown "outside the repository"
        continue
      }
      if {![file exists $path]} {
        broken $file $n $shown "no such file"
        continue
      }
      if {$anchor ne "" && $anchor ni [anchors $path]} {
        broken $file $n $shown "no such heading in [string range $path [string length $root/] end]"
      }
    }
  }
}

puts "check_links: [llength $files] files, $broken broken links"
exit [expr {$broken > 0}]
