#!/bin/sh
# Dumps a database that has dynenum enums as two SQL scripts that restore
# every enum, member, row, index, trigger and view:
#
#     sh examples/dump_enums_first.sh source.db enums.sql rest.sql
#     sqlite3 -bail -cmd '.load ./build/dynenum' copy.db < enums.sql
#     sqlite3 -bail -cmd '.load ./build/dynenum' copy.db < rest.sql
#
# enums.sql is the shell's .dump of the enums alone (with their members
# tables), rest.sql its .dump of everything else.  A plain .dump does not
# do: it lists tables in the order they were created, so an enum dropped
# and created again comes after the tables that use it, and the shell that
# replays it cannot use an enum the same script created (it writes enums
# into sqlite_schema directly, which that connection does not read again),
# so every row whose CHECK or generated column calls a dynenum function
# fails.  Here each script runs in a shell of its own, the second one
# opening the file after the enums are in it.
#
# Needs only the sqlite3 shell (the dumping side needs no dynenum).  Names
# with a single quote are refused: the shell's .dump cannot be given them.
set -eu
if [ $# -ne 3 ]; then
  echo "usage: sh $0 SOURCE.db ENUMS.sql REST.sql" >&2
  exit 2
fi
source=$1

quoted=$(sqlite3 -readonly -batch "$source" "SELECT count(*) FROM sqlite_schema WHERE instr(name, '''')")
if [ "$quoted" != 0 ]; then
  echo "$0: $source has names with a single quote, which .dump cannot be given" >&2
  exit 1
fi

# The .dump command of one part, "enums" or "rest": each object by name, as
# a LIKE pattern with \ _ and % escaped.  For an enum the shell also takes
# every object whose name starts with the enum's and "_" (its members
# table), so those are left out of the rest.
dump_command() {
  sqlite3 -readonly -batch -noheader -list -cmd ".parameter set @part $1" "$source" <<'SQL'
WITH enums(name) AS (
  SELECT name FROM sqlite_schema
   WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING dynenum%'
), part(name) AS (
  SELECT name FROM enums WHERE @part = 'enums'
  UNION ALL
  SELECT name FROM sqlite_schema AS o
   WHERE @part = 'rest' AND sql NOT NULL AND NOT EXISTS (
     SELECT 1 FROM enums
      WHERE o.name = enums.name OR substr(o.name, 1, length(enums.name) + 1) = enums.name || '_')
)
SELECT '.dump' || group_concat(' ''' || replace(replace(replace(name, '\', '\\'), '_', '\_'), '%', '\%') || '''', '')
  FROM part;
SQL
}

# A part with no object gives an empty line, and so an empty script.
dump_command enums | sqlite3 -readonly -batch "$source" >"$2"
dump_command rest | sqlite3 -readonly -batch "$source" >"$3"
