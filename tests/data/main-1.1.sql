-- tests/data/main-1.1.sql: makes tests/data/main-1.1.db, a database written by
-- dynenum before enums had key tables (SPEC section 12.6), with the build of
-- commit e7ddd1e (main, VERSION 1.0.0 with aliases, retirement and sharing):
--
--   make && rm -f tests/data/main-1.1.db &&
--   sqlite3 -cmd '.load build/dynenum' tests/data/main-1.1.db < tests/data/main-1.1.sql
--
-- plugin: 3,000 members (big enough for lazy look-ups), one quoted name with a
-- value of its own, two aliases (one declared, one added), one retired member; colour: a small enum;
-- event: a table whose column uses the collation and a CHECK.
CREATE VIRTUAL TABLE plugin USING dynenum(FIRST_PLUGIN, "Legacy Plugin" = 'legacy', OLD_FIRST = FIRST_PLUGIN);
INSERT INTO plugin(name) WITH RECURSIVE c(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM c WHERE i < 2998)
  SELECT printf('Plugin_%04d', i) FROM c;
INSERT INTO plugin(name, alias_of) VALUES ('Plugin-1500', 'PLUGIN_1500');
UPDATE plugin SET retired = 1 WHERE name = 'plugin_0007';
CREATE VIRTUAL TABLE colour USING dynenum(RED, GREEN, BLUE);
CREATE TABLE event(id INTEGER PRIMARY KEY, plugin TEXT NOT NULL COLLATE DYNENUM
  CHECK (dynenum_is_member('plugin', plugin)));
CREATE INDEX event_plugin ON event(plugin);
INSERT INTO event(plugin) VALUES ('plugin-0001'), ('LEGACY PLUGIN'), ('old-first'), ('Plugin_2998');
