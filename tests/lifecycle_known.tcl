# lifecycle_known.tcl: ways of moving a database that lose rows, members or
# whole tables today, each written as the test of a complete copy, so that
# it passes once that way works.  Not part of `make test` (tests/run.tcl
# runs *.test only); run it by hand:
#
#     tclsh tests/lifecycle_known.tcl
#
# Each failure is a known one; the README FAQ "How do I copy a database
# that has enums?" says what each way loses today and why, and which ways
# keep everything (tests/lifecycle.test).  A test that starts to pass
# belongs in tests/lifecycle.test.
#
# DYNENUM_RECOVER_SHELL names a sqlite3 shell whose SQLite has the
# sqlite_dbpage table (the official builds do; Debian's does not) for the
# .recover cases (section 3); by default the sqlite3 on PATH.
source [file join [file dirname [info script]] harness.tcl]
source [file join [file dirname [info script]] lifecycle_common.tcl]

set extension $::harness::extension

# ---- 1. .dump replayed by a shell with dynenum loaded ---------------------------
#
# recreated.db's .dump lists the table that uses the enum before the enum
# (SQLite dumps tables in the order they were created), so its rows fail
# with "no such enum".  A complete copy must come out either way, with and without
# -bail, from standard input and with .read.
set n 0
foreach name {recreated} {
  set script [dump $::original_path($name) $name.sql]
  foreach options {{} -bail} {
    foreach how {stdin read} {
      incr n
      forget_db copy.db
      do_test lifecycle_known-1.$n.1 {
        if {$how eq "stdin"} {
          restore $options [testdb_path copy.db] $script
        } else {
          lrange [shell $options [testdb_path copy.db] ".read $script"] 0 end
        }
      } [expr {$how eq "stdin" ? {0 {}} : {0 {} {}}}]
      do_test lifecycle_known-1.$n.2 {check_copy [testdb_path copy.db] $name} {ok {}}
    }
  }
}

# ---- 2. Python's iterdump() replayed with executescript() -----------------------
#
# iterdump() (Python 3.11) writes each enum as its CREATE VIRTUAL TABLE,
# then an INSERT INTO the enum for every member, then the members table's
# own CREATE TABLE and rows; tables in the order of their names.
if {![file executable $::python]} {
  puts "lifecycle_known: no $::python, section 2 is skipped"
} else {
  set n 0
  foreach name {source recreated simple} {
    incr n
    forget_db copy.db
    do_test lifecycle_known-2.$n.1 {
      python {
import sqlite3, sys
def connect(path):
    conn = sqlite3.connect(path)
    conn.enable_load_extension(True)
    conn.load_extension(sys.argv[1])
    return conn
script = "\n".join(connect(sys.argv[2]).iterdump())
target = connect(sys.argv[3])
try:
    target.executescript(script)
    print("restored")
except sqlite3.Error as error:
    print(type(error).__name__ + ":", error)
target.close()
} $::original_path($name) [testdb_path copy.db]
    } {0 restored}
    do_test lifecycle_known-2.$n.2 {check_copy [testdb_path copy.db] $name} {ok {}}
  }
}

# ---- 3. .recover --------------------------------------------------------------------
#
# The recovered script, replayed by a shell with dynenum loaded and -bail,
# must be a complete copy.  The shell recovers into a connection of its
# own, which has no dynenum: every CREATE that names the collation or a
# dynenum function fails there and is left out without a word.
set recover_shell [expr {[info exists ::env(DYNENUM_RECOVER_SHELL)] ? $::env(DYNENUM_RECOVER_SHELL) : "sqlite3"}]
set n 0
foreach name {source recreated simple} {
  incr n
  forget_db copy.db
  set recovered [testdb_path $name.recovered.sql]
  do_test lifecycle_known-3.$n.1 {
    lassign [shell {} $::original_path($name) .recover $recover_shell] status out err
    set fd [open $recovered w]
    fconfigure $fd -encoding utf-8
    puts $fd $out
    close $fd
    list $status $err
  } {0 {}}
  do_test lifecycle_known-3.$n.2 {
    lindex [shell -bail [testdb_path copy.db] ".read $recovered"] 0
  } {0}
  do_test lifecycle_known-3.$n.3 {check_copy [testdb_path copy.db] $name} {ok {}}
}

# ---- 5. A copy attached beside an enum of the same name ------------------------------
#
# The copy's CHECK and generated columns name their enum without a schema;
# dynenum looks such names up as SQLite looks up tables (temp, main, then
# attached), so in a connection whose main database has an enum of that
# name they are computed against main's.  A copy must check and compute
# its rows with its own enums wherever it is attached.
forget_db copy.db
file copy -force $::original_path(source) [testdb_path copy.db]
forget_db host.db
open_db host host.db
host eval {CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT = 'chat', ONLY_MAIN)}
host eval {ATTACH $copy AS copy} [set copy [testdb_path copy.db]]
do_test lifecycle_known-5.1 {integrity host copy} {ok}
do_test lifecycle_known-5.2 {
  host eval {SELECT id, canonical, '|' FROM copy.requests WHERE id IN (1, 6)}
} {1 openai_chat | 6 openai_chat |}
do_test lifecycle_known-5.3 {
  list [catchsql {INSERT INTO copy.requests(endpoint) VALUES ('mistral')} host] \
       [catchsql {INSERT INTO copy.requests(endpoint) VALUES ('only-main')} host]
} {{0 {}} {1 {CHECK constraint failed: dynenum_is_member('endpoint_type', endpoint)}}}
host close

finish_test
