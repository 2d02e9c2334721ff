# lifecycle_common.tcl: what tests/lifecycle.test uses: the databases
# every copy is made from, the sqlite3 shell and Python run on them, and
# the comparison of a copy with its original.
# Sourced after harness.tcl.

# ---- The originals -----------------------------------------------------------
#
# source.db is what an application's database looks like: an enum declared
# and grown by INSERT, another grown only through a trigger on an ordinary
# table (and once directly), a table with a COLLATE DYNENUM column and
# index, a CHECK (dynenum_is_member(...)), generated columns over
# dynenum_resolve (one virtual and indexed, one stored), an index over
# dynenum_resolve of a plain column, a view over an enum and one over
# dynenum_members.
set ::original_sql(source) {
  CREATE VIRTUAL TABLE endpoint_type USING dynenum(
    OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat', "Legacy Completions" = 'completions');
  INSERT INTO endpoint_type(name) VALUES ('NVIDIA_Optimized'), ('Mistral');
  CREATE VIRTUAL TABLE plugin USING dynenum;
  CREATE TABLE requests(
    id INTEGER PRIMARY KEY,
    endpoint TEXT NOT NULL COLLATE DYNENUM CHECK (dynenum_is_member('endpoint_type', endpoint)),
    canonical TEXT AS (dynenum_resolve('endpoint_type', endpoint)) VIRTUAL,
    stored TEXT AS (dynenum_resolve('endpoint_type', endpoint)) STORED
  );
  CREATE INDEX requests_endpoint ON requests(endpoint);
  CREATE INDEX requests_canonical ON requests(canonical);
  CREATE TABLE aliases(alias TEXT NOT NULL);
  CREATE INDEX aliases_value ON aliases(dynenum_resolve('endpoint_type', alias));
  CREATE TABLE registrations(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
  CREATE TRIGGER register AFTER INSERT ON registrations BEGIN
    INSERT OR IGNORE INTO plugin(name) VALUES (new.name);
  END;
  CREATE VIEW endpoint_names AS SELECT ordinal, name, value FROM endpoint_type;
  CREATE VIEW all_members AS SELECT enum, ordinal, name, value FROM dynenum_members;
  INSERT INTO requests(endpoint) VALUES
    ('OpenAI-Chat'), ('anthropic_chat'), ('completions'), ('nvidia-optimized'), ('MISTRAL'), ('openai_chat');
  INSERT INTO aliases VALUES ('ChatGPT'), ('legacy completions'), ('OPENAI-CHAT');
  INSERT INTO registrations(name) VALUES ('Triton');
  INSERT INTO plugin(name) VALUES ('Ray-Serve');
  INSERT INTO registrations(name) VALUES ('vLLM'), ('triton'), ('Σίσυφος');
}
# recreated.db: an enum dropped and created again after a table that uses
# it was created, so that the enum now comes after its user in
# sqlite_schema, and .dump lists the user's rows before the enum.
set ::original_sql(recreated) {
  CREATE VIRTUAL TABLE status USING dynenum(OPEN, CLOSED);
  CREATE TABLE tickets(
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL COLLATE DYNENUM CHECK (dynenum_is_member('status', state)),
    canonical TEXT AS (dynenum_resolve('status', state)) STORED
  );
  CREATE INDEX tickets_state ON tickets(state);
  DROP TABLE status;
  CREATE VIRTUAL TABLE status USING dynenum(OPEN, CLOSED, "Won't Fix" = 'wontfix');
  INSERT INTO status(name) VALUES ('Pending');
  INSERT INTO tickets(state) VALUES ('open'), ('Won''t Fix'), ('WONTFIX'), ('pending'), ('Closed');
}
# simple.db: enums (one with a quoted name) and a COLLATE DYNENUM table
# with a UNIQUE index, a trigger and a view, but no CHECK or generated
# column: storing its rows calls no dynenum function.
set ::original_sql(simple) {
  CREATE VIRTUAL TABLE colour USING dynenum(RED, GREEN = 'green-ish', "Sky Blue" = 'sky');
  INSERT INTO colour(name) VALUES ('Cyan'), ('Magenta');
  CREATE VIRTUAL TABLE "model family" USING dynenum(LLAMA, "Mixtral 8x7B" = 'mixtral');
  INSERT INTO "model family"(name) VALUES ('Qwen');
  CREATE TABLE paint(id INTEGER PRIMARY KEY, colour TEXT NOT NULL COLLATE DYNENUM);
  CREATE UNIQUE INDEX paint_colour ON paint(colour);
  CREATE TABLE orders(name TEXT NOT NULL);
  CREATE TRIGGER order_colour AFTER INSERT ON orders BEGIN
    INSERT OR IGNORE INTO colour(name) VALUES (new.name);
  END;
  CREATE VIEW colours AS SELECT ordinal, name, value FROM colour;
  INSERT INTO paint(colour) VALUES ('red'), ('Green-Ish'), ('SKY'), ('cyan');
  INSERT INTO orders VALUES ('Teal'), ('teal'), ('red');
}

# What every enum is asked, by each of the three functions: names and
# values in other spellings, dynamic names, a name with a space, a
# reserved one.
set ::spellings {OpenAI-Chat ANTHROPIC-CHAT {LEGACY COMPLETIONS} Completions nvidia_optimized MISTRAL
  Unknown-Plugin triton RAY_SERVE σίσυφοσ vllm Won't-Fix WONTFIX pending green_ish sky-blue TEAL
  {mixtral 8x7b} qwen _private}

# Creates NAME.db afresh from the original of that name; returns its path.
proc make_original {name} {
  set file $name.db
  forget_db $file
  sqlite3 maker [testdb_path $file]
  load_dynenum maker
  maker eval $::original_sql($name)
  maker close
  return [testdb_path $file]
}

# Opens connection NAME on the file at PATH with dynenum loaded.
proc open_path {name path} {
  sqlite3 $name $path
  load_dynenum $name
  return $name
}

proc quote_name {name} {
  return "\"[string map {\" \"\"} $name]\""
}

# The enums of SCHEMA, by name.
proc enums_of {conn schema} {
  $conn eval "SELECT name FROM [quote_name $schema].sqlite_schema
               WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING dynenum%' ORDER BY name"
}

# Everything of SCHEMA that a copy must reproduce, as a dict of sections:
# the schema (all but root pages), every row of every table but SQLite's
# own (members tables included) and of every enum in rowid order, every row of every view, the
# catalog's rows for the schema, what each enum answers for each spelling,
# and what the database does with new rows (probe).
proc contents {conn {schema main}} {
  set s [quote_name $schema]
  set c [dict create]
  dict set c schema [$conn eval "SELECT type, name, tbl_name, sql, '|' FROM $s.sqlite_schema ORDER BY name"]
  foreach {type name sql} [$conn eval "SELECT type, name, sql FROM $s.sqlite_schema
                                    WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite%' ORDER BY name"] {
    # A key table (SPEC 12.6) is WITHOUT ROWID: its key orders it.
    set order [expr {$type ne "table" ? "" : [string match -nocase "*WITHOUT ROWID" $sql] ? "ORDER BY 1" : "ORDER BY rowid"}]
    dict set c "$type $name" [$conn eval "SELECT *, '|' FROM $s.[quote_name $name] $order"]
  }
  dict set c catalog [$conn eval {SELECT enum, ordinal, name, value, '|' FROM dynenum_members WHERE schema = $schema}]
  foreach enum [enums_of $conn $schema] {
    set qualified [expr {$schema eq "main" ? $enum : "$schema.$enum"}]
    set answers {}
    foreach x $::spellings {
      foreach f {dynenum_resolve dynenum_is_member dynenum_ordinal} {
        if {[catch {$conn onecolumn "SELECT ${f}(\$qualified, \$x)"} answer]} {set answer "error: $answer"}
        lappend answers $answer
      }
    }
    dict set c "resolves $enum" $answers
  }
  dict set c probe [probe $conn $schema]
  return $c
}

# What the database does with new rows, undone afterwards: a member added
# to each enum takes the next ordinal; for source.db also a registration
# that the trigger turns into a member, a request the CHECK accepts (with
# its generated values) and one it refuses.
proc probe {conn schema} {
  set s [quote_name $schema]
  set result {}
  $conn eval {SAVEPOINT probe}
  foreach enum [enums_of $conn $schema] {
    set e $s.[quote_name $enum]
    lappend result $enum [answer $conn "INSERT INTO ${e}(name) VALUES ('Lifecycle-Probe');
                                        SELECT ordinal, value FROM $e WHERE name = 'lifecycle_probe'"]
  }
  if {[$conn exists "SELECT 1 FROM $s.sqlite_schema WHERE name = 'registrations'"]} {
    lappend result [answer $conn "INSERT INTO $s.registrations(name) VALUES ('Fresh-Plugin');
                                  SELECT ordinal FROM $s.plugin WHERE name = 'fresh_plugin'"]
    lappend result [answer $conn "INSERT INTO $s.requests(endpoint) VALUES ('COMPLETIONS');
                                  SELECT endpoint, canonical, stored FROM $s.requests
                                   WHERE id = (SELECT max(id) FROM $s.requests)"]
    lappend result [answer $conn "INSERT INTO $s.requests(endpoint) VALUES ('Not-A-Member')"]
  }
  $conn eval {ROLLBACK TO probe; RELEASE probe}
  return $result
}

# The rows of SQL, or "error: " and the message.
proc answer {conn sql} {
  if {[catch {$conn eval $sql} result]} {return "error: $result"}
  return $result
}

# The sections in which the copy CONN (schema SCHEMA) differs from the
# original contents ORIGINAL, each as {section expected got}; {} when it
# has everything.  Sections named in IGNORE are not compared.
proc differences {conn original {schema main} {ignore {}}} {
  set got [contents $conn $schema]
  set result {}
  foreach section [lsort -unique [concat [dict keys $original] [dict keys $got]]] {
    if {$section in $ignore} continue
    set want [expr {[dict exists $original $section] ? [dict get $original $section] : "(none)"}]
    set have [expr {[dict exists $got $section] ? [dict get $got $section] : "(none)"}]
    if {$want ne $have} {lappend result [list $section $want $have]}
  }
  return $result
}

# PRAGMA integrity_check of SCHEMA, or its error.
proc integrity {conn {schema main}} {
  answer $conn "PRAGMA [quote_name $schema].integrity_check"
}

# The copy at PATH, in a connection of its own: its integrity_check and in
# which sections it differs from the original NAME, {ok {}} for a complete
# copy (see outline).
proc check_copy {path name} {
  open_path copy_check $path
  set result [list [integrity copy_check] [outline [differences copy_check $::original($name)]]]
  copy_check close
  return $result
}

# DIFFERENCES in short: each section with "differs", or with the number of
# rows (items, where a section has no row marks) of the original and of the
# copy when those differ.
proc outline {differences} {
  lmap d $differences {
    lassign $d section want have
    set counts [lmap list [list $want $have] {size $list}]
    expr {[lindex $counts 0] eq [lindex $counts 1] ? [list $section differs] : [list $section {*}$counts]}
  }
}

proc size {list} {
  if {$list eq "(none)"} {return none}
  set rows [llength [lsearch -all -exact $list |]]
  expr {$rows ? $rows : [llength $list]}
}

# ---- The sqlite3 shell and Python ------------------------------------------

# The shell itself is the harness's (shell, in tests/harness.tcl).

# Restores the SQL script at SCRIPT into FILE: the script on the standard
# input of a shell with dynenum loaded, the OPTIONS before the file name.
# Returns {status output}, stdout and stderr together.
proc restore {options file script} {
  lrange [shell [list -merge -raw -stdin $script {*}$options] $file] 0 1
}

# Writes the .dump of the file at PATH, by a shell without dynenum, to the
# test file DUMP and returns its path.
proc dump {path dump} {
  lassign [shell {-bare -raw} $path .dump] status out err
  if {$status || $err ne ""} {error "the shell's .dump of $path failed: $err"}
  set dump [testdb_path $dump]
  write_text $dump $out\n
  return $dump
}

set ::python [expr {[info exists ::env(DYNENUM_PYTHON)] ? $::env(DYNENUM_PYTHON) : "/usr/bin/python3"}]

# Runs SCRIPT with Debian's Python and ARGS (the extension's path comes
# first in sys.argv[1]); returns {status output}.
proc python {script args} {
  set file [testdb_path script.py]
  set fd [open $file w]
  fconfigure $fd -encoding utf-8
  puts $fd $script
  close $fd
  set status [catch {exec $::python $file $::harness::extension {*}$args 2>@1} output]
  regsub {\nchild process exited abnormally$} $output {} output
  list $status $output
}

# The originals, made once, and their contents seen from a fresh connection.
foreach name {source recreated simple} {
  set ::original_path($name) [make_original $name]
  open_path original_reader $::original_path($name)
  set ::original($name) [contents original_reader]
  original_reader close
}
