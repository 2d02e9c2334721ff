#!/bin/sh
# fuzz/mkdbseeds.sh: makes the seed databases of fuzz/dbfile_fuzz.c, real
# database files with page_size 512 written by the sqlite3 shell with the
# extension loaded.  Regenerate the committed ones with
#
#   make && sh fuzz/mkdbseeds.sh
#
# which rewrites fuzz/corpus/dbfile/<name> for every seed below except the
# known findings (the regress-* files there are fuzzer findings, not made
# here, and are left alone).  The bytes depend on the SQLite that writes
# them (its version number is in the header); the committed ones were made
# by Debian 12's sqlite3 3.40.1.
#
#   sh fuzz/mkdbseeds.sh OUT [KNOWN]
#
# writes the seeds to OUT instead and, when KNOWN is given, the known
# findings to KNOWN: databases that crash the extension or break an
# invariant of dbfile_fuzz today, kept out of the corpus so that each run
# does not stop on them at once.  Move one into the corpus (as regress-<name>)
# once ext/ is fixed.
#
# Each seed covers one shape of schema: enums with declared and inserted
# members, aliases of spelling, COLLATE DYNENUM indexes, CHECK
# (dynenum_is_member(...)), generated columns, triggers that add members,
# views over enums and over dynenum_members, names that look qualified, the
# WAL header bytes, members tables that are views, ordinary tables of other
# shapes or hold rows no enum may have, triggers on a members table, the
# aliases and retired tables and an application's tables under their names,
# and schema SQL as another program might have written it.
set -eu

extension=${DYNENUM_EXTENSION:-build/dynenum}
out=${1:-fuzz/corpus/dbfile}
known=${2:-}
known_findings="members-fts5 members-rows members-text-ordinal members-self-view members-trigger-reenters"

if [ ! -f "$extension.so" ] && [ ! -f "$extension.dylib" ]; then
  echo "mkdbseeds.sh: no $extension.so: run make first" >&2
  exit 1
fi
mkdir -p "$out"
[ -z "$known" ] || mkdir -p "$known"

# seed NAME < SQL: a new database of 512-byte pages from the SQL.
seed() {
  dir=$out
  for k in $known_findings; do
    if [ "$k" = "$1" ]; then
      [ -n "$known" ] || { cat >/dev/null; return 0; }
      dir=$known
    fi
  done
  file=$dir/$1
  rm -f "$file" "$file-wal" "$file-shm" "$file-journal"
  { printf '.bail on\n.load %s\nPRAGMA page_size = 512;\n' "$extension"; cat; } | sqlite3 "$file" >/dev/null
  rm -f "$file-wal" "$file-shm" "$file-journal"
}

seed enum-declared <<'SQL'
CREATE VIRTUAL TABLE endpoint_type USING dynenum(
  OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat', "Legacy Completions" = 'completions');
INSERT INTO endpoint_type(name) VALUES ('NVIDIA_OPTIMIZED'), ('Mistral-Large');
CREATE VIRTUAL TABLE IF NOT EXISTS colour USING dynenum(RED, GREEN = 'green', BLUE = 'b');
SQL

# A name of 255 bytes, the longest a member may have.
long_name=$(printf '%255s' '' | tr ' ' K)
seed enum-aliases <<SQL
CREATE VIRTUAL TABLE spelling USING dynenum(
  KELVIN = 'kelvin',
  STRASSE = 'straße',
  "ΣΊΣΥΦΟΣ" = 'sisyphus',
  "𐐀𐐁" = '𐐨𐐩',
  "Ⱥ-Ⱥ" = 'a_stroke',
  $long_name,
  "Legacy Completions" = 'legacy-completions');
INSERT INTO spelling(name) VALUES ('Ångström'), ('µ-unit'), ('Ǆ');
SQL

# Aliases (declared and added) and a retired member: the two optional
# shadow tables, as the module writes them (docs/SPEC.md section 11.5).
seed shadow-aliases-retired <<'SQL'
CREATE VIRTUAL TABLE endpoint_type USING dynenum(
  OPENAI_CHAT, OPENAI = OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat', "Legacy Completions" = 'completions');
INSERT INTO endpoint_type(name, alias_of) VALUES ('Anthropic-Chat', 'ANTHROPIC_CHAT');
UPDATE endpoint_type SET retired = 1 WHERE name = 'Legacy Completions';
CREATE TABLE endpoint(kind TEXT CHECK (dynenum_strict('endpoint_type', kind) IS NOT NULL));
INSERT INTO endpoint VALUES ('openai'), ('completions');
CREATE TRIGGER endpoint_current BEFORE INSERT ON endpoint BEGIN SELECT dynenum_current('endpoint_type', NEW.kind); END;
SQL

# The application's tables under those names, which are not the enum's.
seed shadow-in-the-way <<'SQL'
CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat');
CREATE TABLE endpoint_type_aliases(name TEXT NOT NULL, ordinal INTEGER NOT NULL);
INSERT INTO endpoint_type_aliases VALUES ('my_alias', 1);
CREATE VIEW endpoint_type_retired AS SELECT 1 AS ordinal;
SQL

seed collate-index <<'SQL'
CREATE VIRTUAL TABLE kind USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat');
CREATE TABLE endpoint(id INTEGER PRIMARY KEY, kind TEXT COLLATE DYNENUM, label TEXT);
CREATE INDEX endpoint_kind ON endpoint(kind);
CREATE UNIQUE INDEX endpoint_label ON endpoint(label COLLATE DYNENUM);
CREATE INDEX endpoint_key ON endpoint(dynenum_key(label));
CREATE INDEX endpoint_members ON endpoint(kind) WHERE dynenum_is_member('kind', kind);
INSERT INTO endpoint(kind, label) VALUES
  ('OpenAI-Chat', 'one'), ('openai_chat', 'Two'), ('ANTHROPIC_CHAT', 'STRASSE'), ('K', 'straße'),
  ('Kelvin', 'ΣΊΣΥΦΟΣ'), ('nvidia', char(0x212A)), (NULL, 'x'), (CAST(x'ff' AS TEXT), 'y');
CREATE TABLE plain(k TEXT COLLATE DYNENUM PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO plain VALUES ('A-b', 1), ('c_D', 2), ('Ꮿ', 3);
SQL

seed check-constraint <<'SQL'
CREATE VIRTUAL TABLE kind USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat');
CREATE TABLE endpoint(
  kind TEXT NOT NULL CHECK (dynenum_is_member('kind', kind)),
  canonical TEXT CHECK (canonical IS NULL OR canonical = dynenum_resolve('kind', canonical)));
INSERT INTO endpoint VALUES ('openai-chat', 'openai_chat'), ('ANTHROPIC_CHAT', NULL);
CREATE TABLE loose(kind TEXT CHECK (dynenum_resolve('kind', kind) IS NOT NULL));
INSERT INTO loose VALUES ('Custom_Thing');
SQL

seed generated-columns <<'SQL'
CREATE VIRTUAL TABLE kind USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat');
CREATE TABLE endpoint(
  kind TEXT,
  canonical TEXT AS (dynenum_resolve('kind', kind)) VIRTUAL,
  stored TEXT AS (dynenum_resolve('kind', kind)) STORED,
  member INT AS (dynenum_is_member('kind', kind)) STORED,
  key TEXT AS (dynenum_key(kind)));
CREATE INDEX endpoint_canonical ON endpoint(canonical COLLATE DYNENUM);
INSERT INTO endpoint(kind) VALUES ('OpenAI_Chat'), ('anthropic-chat'), ('New_Kind'), (NULL);
SQL

seed trigger-adds-member <<'SQL'
CREATE VIRTUAL TABLE plugin_kind USING dynenum(Builtin);
CREATE TABLE plugins(name TEXT, kind TEXT);
CREATE TRIGGER plugin_registers AFTER INSERT ON plugins BEGIN
  INSERT OR IGNORE INTO plugin_kind(name) VALUES (new.kind);
END;
CREATE TRIGGER plugin_renamed AFTER UPDATE OF kind ON plugins BEGIN
  INSERT OR IGNORE INTO plugin_kind(name) VALUES (dynenum_resolve('plugin_kind', new.kind));
END;
CREATE TABLE audit(what TEXT, ordinal INT);
CREATE TRIGGER plugin_removed BEFORE DELETE ON plugins BEGIN
  INSERT INTO audit VALUES (old.kind, dynenum_ordinal('plugin_kind', old.kind));
END;
INSERT INTO plugins VALUES ('mistral', 'Mistral_Large'), ('builtin', 'BUILTIN');
SQL

seed views <<'SQL'
CREATE VIRTUAL TABLE kind USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat');
CREATE TABLE endpoint(kind TEXT);
INSERT INTO endpoint VALUES ('openai-chat'), ('Other');
CREATE VIEW first_kinds AS SELECT ordinal, name FROM kind WHERE ordinal <= 2;
CREATE VIEW every_member AS SELECT enum, ordinal, name, value, schema FROM dynenum_members;
CREATE VIEW kind_count AS SELECT count(*) AS n FROM dynenum_members WHERE enum = 'kind';
CREATE VIEW resolved AS
  SELECT kind, dynenum_resolve('kind', kind) AS canonical, dynenum_ordinal('kind', kind) AS ordinal FROM endpoint;
CREATE VIEW joined AS SELECT e.kind, k.value FROM endpoint e JOIN kind k ON k.name = e.kind COLLATE DYNENUM;
CREATE VIEW adder AS SELECT name FROM kind;
CREATE TRIGGER adder_insert INSTEAD OF INSERT ON adder BEGIN
  INSERT OR IGNORE INTO kind(name) VALUES (coalesce(new.name, 'From_View'));
END;
SQL

seed qualified-names <<'SQL'
CREATE VIRTUAL TABLE "main.x" USING dynenum(DOTTED);
CREATE VIRTUAL TABLE "temp.y" USING dynenum(TEMPISH);
CREATE VIRTUAL TABLE "aux.z" USING dynenum(ATTACHED);
CREATE VIRTUAL TABLE "a.b.c" USING dynenum(DEEP);
CREATE VIRTUAL TABLE "we""ird" USING dynenum("qu""ote" = 'q''v');
CREATE VIRTUAL TABLE [brack et] USING dynenum(B);
CREATE VIRTUAL TABLE "100% %s" USING dynenum(PERCENT);
CREATE VIRTUAL TABLE main.explicit USING dynenum(SCHEMA_GIVEN);
CREATE VIEW qualified AS SELECT dynenum_resolve('main.main.x', 'dotted') AS a, dynenum_resolve('main.x', 'dotted') AS b;
SQL

seed wal-header <<'SQL'
PRAGMA journal_mode = WAL;
CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat');
INSERT INTO endpoint_type(name) VALUES ('NVIDIA_OPTIMIZED');
CREATE TABLE endpoint(kind TEXT COLLATE DYNENUM CHECK (dynenum_is_member('endpoint_type', kind)));
INSERT INTO endpoint VALUES ('openai_chat');
PRAGMA wal_checkpoint(TRUNCATE);
SQL

seed members-view <<'SQL'
CREATE VIRTUAL TABLE e USING dynenum(A, B = 'b');
DROP TABLE e_members;
CREATE VIEW e_members AS SELECT 1 AS ordinal, 'A' AS name, 'a' AS value UNION ALL SELECT 2, 'B', 'b';
CREATE VIRTUAL TABLE f USING dynenum(X);
DROP TABLE f_members;
CREATE VIEW f_members(ordinal, name, value) AS SELECT ordinal, name, value FROM e_members;
-- one byte from a members view over its own enum (a known finding)
CREATE VIRTUAL TABLE g USING dynenum(Z);
DROP TABLE g_members;
CREATE VIEW g_members AS SELECT * FROM e;
SQL

seed members-other-shape <<'SQL'
CREATE VIRTUAL TABLE f USING dynenum(A);
DROP TABLE f_members;
CREATE TABLE f_members(name TEXT, value TEXT, ordinal INTEGER);
INSERT INTO f_members VALUES ('A', 'a', 1), ('B', 'b', 2);
CREATE VIRTUAL TABLE g USING dynenum(A);
DROP TABLE g_members;
CREATE TABLE g_members(ordinal INTEGER PRIMARY KEY, name TEXT);
INSERT INTO g_members VALUES (1, 'A');
CREATE VIRTUAL TABLE i USING dynenum(A);
DROP TABLE i_members;
CREATE TABLE i_members(ordinal INTEGER PRIMARY KEY, name TEXT, value TEXT, extra, more DEFAULT 7);
INSERT INTO i_members(ordinal, name, value) VALUES (1, 'A', 'a');
CREATE VIRTUAL TABLE k USING dynenum(A);
DROP TABLE k_members;
SQL

seed members-rows <<'SQL'
CREATE VIRTUAL TABLE gap USING dynenum(A, B);
DELETE FROM gap_members WHERE ordinal = 1;
CREATE VIRTUAL TABLE dup USING dynenum(A);
INSERT INTO dup_members VALUES (2, 'a', 'x');
CREATE VIRTUAL TABLE blobby USING dynenum(A);
INSERT INTO blobby_members VALUES (2, x'42', 'b');
CREATE VIRTUAL TABLE zero USING dynenum(A);
INSERT INTO zero_members VALUES (0, 'Z', 'z'), (-3, 'N', 'n');
CREATE VIRTUAL TABLE reserved USING dynenum(A);
INSERT INTO reserved_members VALUES (2, '_hidden', '_hidden');
CREATE VIRTUAL TABLE control USING dynenum(A);
INSERT INTO control_members VALUES (2, 'B' || char(10), 'b');
CREATE VIRTUAL TABLE toolong USING dynenum(A);
INSERT INTO toolong_members VALUES (2, printf('%.256c', 'L'), 'l');
CREATE VIRTUAL TABLE malformed USING dynenum(A);
INSERT INTO malformed_members VALUES (2, CAST(x'c0af' AS TEXT), 'm');
CREATE VIRTUAL TABLE numbers USING dynenum(A);
INSERT INTO numbers_members VALUES (2, 'B', 42), (3, 3.5, 'c');
CREATE VIRTUAL TABLE empty USING dynenum();
SQL

seed members-trigger <<'SQL'
CREATE VIRTUAL TABLE e USING dynenum(A, B = 'b');
CREATE VIRTUAL TABLE f USING dynenum(X);
CREATE TABLE log(name TEXT, resolved TEXT);
CREATE TRIGGER e_logged AFTER INSERT ON e_members BEGIN
  INSERT INTO log VALUES (new.name, dynenum_resolve('e', new.name));
END;
CREATE TRIGGER e_checked BEFORE INSERT ON e_members WHEN dynenum_is_member('e', new.name) BEGIN
  SELECT RAISE(ABORT, 'already a member');
END;
-- one byte from a trigger that inserts into its own enum (a known finding)
CREATE TRIGGER e_spreads AFTER INSERT ON e_members BEGIN
  INSERT OR IGNORE INTO f(name) VALUES (new.name || '_x');
END;
SQL

seed schema-text <<'SQL'
CREATE VIRTUAL TABLE shape USING dynenum(CIRCLE, SQUARE = 'sq');
CREATE VIRTUAL TABLE quoted USING dynenum(A);
CREATE VIRTUAL TABLE commented USING dynenum(A);
CREATE VIRTUAL TABLE lower USING dynenum(A);
CREATE VIRTUAL TABLE alias_of_catalog USING dynenum(A);
CREATE VIRTUAL TABLE not_an_enum USING fts5(ordinal, name, value);
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = 'CREATE VIRTUAL TABLE IF NOT EXISTS shape USING "dynenum"(CIRCLE, SQUARE = ''sq'')'
  WHERE name = 'shape';
UPDATE sqlite_schema SET sql = 'CREATE VIRTUAL TABLE "quoted" USING [dynenum]' WHERE name = 'quoted';
UPDATE sqlite_schema SET sql = 'CREATE VIRTUAL TABLE commented /* USING fts5 */ -- x
  USING dynenum(A)' WHERE name = 'commented';
UPDATE sqlite_schema SET sql = 'create virtual table lower using DYNENUM(a)' WHERE name = 'lower';
UPDATE sqlite_schema SET sql = 'CREATE VIRTUAL TABLE alias_of_catalog USING dynenum_members' WHERE name = 'alias_of_catalog';
PRAGMA writable_schema = OFF;
SQL

seed no-enum <<'SQL'
CREATE TABLE t(a TEXT COLLATE DYNENUM, b AS (dynenum_key(a)));
INSERT INTO t(a) VALUES ('X'), ('y');
CREATE VIEW v AS SELECT dynenum_resolve('missing', a) FROM t;
SQL

# Known findings (see the header comment).
seed members-fts5 <<'SQL'
CREATE VIRTUAL TABLE j USING dynenum(A);
DROP TABLE j_members;
CREATE VIRTUAL TABLE j_members USING fts5(ordinal, name, value);
INSERT INTO j_members VALUES (1, 'A', 'a');
SQL

seed members-text-ordinal <<'SQL'
CREATE VIRTUAL TABLE h USING dynenum(A);
DROP TABLE h_members;
CREATE TABLE h_members(ordinal TEXT PRIMARY KEY, name, value) WITHOUT ROWID;
INSERT INTO h_members VALUES ('1', 'A', 'a'), ('2', 'B', 'b');
SQL

seed members-self-view <<'SQL'
CREATE VIRTUAL TABLE x USING dynenum(A, B = 'b');
DROP TABLE x_members;
CREATE VIEW x_members AS SELECT * FROM x;
SQL

seed members-trigger-reenters <<'SQL'
CREATE VIRTUAL TABLE e USING dynenum(A, B = 'b');
CREATE TRIGGER e_again AFTER INSERT ON e_members WHEN new.name NOT LIKE '%again' BEGIN
  INSERT OR IGNORE INTO e(name) VALUES (new.name || '_again');
END;
SQL

ls "$out" | wc -l | sed "s|^ *|mkdbseeds.sh: |; s|\$| files in $out|"
