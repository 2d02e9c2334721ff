// Node with better-sqlite3 12 as a client: loadExtension, every SQL feature
// once, and errors that surface as SqliteError carrying dynenum's exact
// message (the texts of README.md and tests/*.test).  better-sqlite3 bundles
// its own SQLite, a second version besides Debian's, so the database files
// passed between it and the sqlite3 shell (both ways) check that two SQLite
// versions agree on the collation's indexes.  Also runs
// examples/node_quickstart.mjs and checks its output.
//
//     node tests/clients/node/test_node.mjs
//
// tests/clients/run.sh sets DYNENUM_EXTENSION (the extension's path without
// suffix) and DYNENUM_WORK (a scratch folder).  Ends with the line
// "node: N passed, N failed".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { finish, test } from './suite.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const extension = process.env.DYNENUM_EXTENSION || path.join(root, 'build', 'dynenum');
const work = process.env.DYNENUM_WORK || fs.mkdtempSync(path.join(os.tmpdir(), 'dynenum-node-'));
const version = fs.readFileSync(path.join(root, 'VERSION'), 'utf8').trim();
const { SqliteError } = Database;

const ENDPOINT_TYPE = `
  CREATE VIRTUAL TABLE endpoint_type USING dynenum(
    OPENAI_CHAT,
    ANTHROPIC_CHAT = 'anthropic_chat',
    "Legacy Completions" = 'completions'
  )`;


function open(file = ':memory:') {
  const db = new Database(file);
  db.loadExtension(extension);
  return db;
}

function scratch(name) {
  const file = path.join(work, name);
  fs.rmSync(file, { force: true });
  return file;
}

// Runs SCRIPT in `sqlite3 -batch FILE` with the extension loaded; returns
// the shell's stdout (a failing shell throws, with its stderr).
function shell(file, script) {
  return execFileSync('sqlite3', ['-batch', '-bail', '-cmd', `.load ${extension}`, file],
    { input: script, cwd: root, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

// Asserts that running BODY throws a SqliteError with CODE and MESSAGE.
function assertSqliteError(body, code, message) {
  assert.throws(body, (error) => {
    assert.ok(error instanceof SqliteError, `not a SqliteError: ${error}`);
    assert.equal(error.message, message);
    assert.equal(error.code, code);
    return true;
  });
}

const MEMBERS = [
  { ordinal: 1, name: 'OPENAI_CHAT', value: 'openai_chat' },
  { ordinal: 2, name: 'ANTHROPIC_CHAT', value: 'anthropic_chat' },
  { ordinal: 3, name: 'Legacy Completions', value: 'completions' },
];

{
  const db = new Database(':memory:');
  console.log(`better-sqlite3 bundles SQLite ${db.prepare('SELECT sqlite_version()').pluck().get()}`);
  db.close();
}

test('load-extension', () => {
  const db = new Database(':memory:');
  db.loadExtension(extension);
  assert.equal(db.prepare('SELECT dynenum_version()').pluck().get(), version);
});

test('load-extension-missing-file', () => {
  const db = new Database(':memory:');
  assert.throws(() => db.loadExtension(path.join(work, 'no_such_extension')), /no_such_extension/);
});

test('collation-equality', () => {
  const db = open();
  assert.deepEqual(db.prepare(`SELECT 'OpenAI_Chat' = 'openai-chat' COLLATE DYNENUM,
                                      ? = 'k' COLLATE DYNENUM,
                                      'Straße' = 'STRASSE' COLLATE DYNENUM`).raw().get('\u212a'), [1, 1, 0]);
});

test('collation-column-index-group-by', () => {
  const db = open();
  db.exec('CREATE TABLE runs(endpoint TEXT COLLATE DYNENUM)');
  const insert = db.prepare('INSERT INTO runs VALUES (?)');
  for (const x of ['OpenAI_Chat', 'openai-chat', 'ANTHROPIC_CHAT', 'ΣΊΣΥΦΟΣ']) insert.run(x);
  db.exec('CREATE INDEX runs_endpoint ON runs(endpoint)');
  const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM runs WHERE endpoint = ?').all('OPENAI-CHAT');
  assert.match(plan.map((row) => row.detail).join(' '), /runs_endpoint/);
  assert.equal(db.prepare('SELECT count(*) FROM runs WHERE endpoint = ?').pluck().get('OPENAI-CHAT'), 2);
  assert.equal(db.prepare("SELECT count(*) FROM runs WHERE endpoint = 'σίσυφος'").pluck().get(), 1);
  assert.deepEqual(db.prepare('SELECT endpoint, count(*) FROM runs GROUP BY endpoint ORDER BY endpoint').raw().all(),
    [['ANTHROPIC_CHAT', 1], ['OpenAI_Chat', 2], ['ΣΊΣΥΦΟΣ', 1]]);
  assert.equal(db.prepare('PRAGMA integrity_check').pluck().get(), 'ok');
});

test('collation-unique-index', () => {
  const db = open();
  db.exec("CREATE TABLE runs(endpoint TEXT COLLATE DYNENUM UNIQUE); INSERT INTO runs VALUES ('OpenAI_Chat')");
  assertSqliteError(() => db.prepare("INSERT INTO runs VALUES ('openai-chat')").run(),
    'SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: runs.endpoint');
});

test('create-virtual-table', () => {
  const db = open();
  db.exec(ENDPOINT_TYPE);
  assert.deepEqual(db.prepare('SELECT ordinal, name, value FROM endpoint_type').all(), MEMBERS);
  assert.deepEqual(db.prepare('SELECT name FROM endpoint_type WHERE name = ?').pluck().all('openai-chat'), ['OPENAI_CHAT']);
});

test('insert-dynamic-member', () => {
  const file = scratch('node-insert.db');
  const db = open(file);
  db.exec(ENDPOINT_TYPE);
  const resolve = db.prepare("SELECT dynenum_resolve('endpoint_type', ?)").pluck();
  assert.equal(resolve.get('NVIDIA-Optimized'), 'nvidia_optimized');
  db.prepare('INSERT INTO endpoint_type(name) VALUES (?)').run('NVIDIA_Optimized');
  assert.equal(resolve.get('NVIDIA-Optimized'), 'nvidia_optimized');
  // Another connection on the file sees the new member.
  const other = open(file);
  assert.deepEqual(other.prepare('SELECT ordinal, name, value FROM endpoint_type WHERE ordinal = 4').get(),
    { ordinal: 4, name: 'NVIDIA_Optimized', value: 'nvidia_optimized' });
  other.prepare("INSERT OR IGNORE INTO endpoint_type(name) VALUES ('nvidia-optimized')").run();
  assert.equal(other.prepare('SELECT count(*) FROM endpoint_type').pluck().get(), 4);
  other.close();
  db.close();
});

test('rolled-back-insert', () => {
  const db = open();
  db.exec(ENDPOINT_TYPE);
  const register = db.transaction((name) => {
    db.prepare('INSERT INTO endpoint_type(name) VALUES (?)').run(name);
    assert.equal(db.prepare("SELECT dynenum_is_member('endpoint_type', ?)").pluck().get(name), 1);
    throw new Error('changed my mind');
  });
  assert.throws(() => register('TRITON'), /changed my mind/);
  assert.equal(db.prepare("SELECT dynenum_is_member('endpoint_type', 'triton')").pluck().get(), 0);
});

test('attached-rename-drop', () => {
  const db = open();
  db.exec(ENDPOINT_TYPE);
  db.prepare('ATTACH ? AS plugins').run(scratch('node-attached.db'));
  db.exec('CREATE VIRTUAL TABLE plugins.endpoint_type USING dynenum(MISTRAL)');
  // The unqualified name finds main's enum first, as for any table.
  assert.deepEqual(db.prepare(`SELECT dynenum_ordinal('endpoint_type', 'mistral'),
                                      dynenum_ordinal('plugins.endpoint_type', 'mistral'),
                                      dynenum_ordinal('main.endpoint_type', 'openai-chat')`).raw().get(), [null, 1, 1]);
  db.exec('ALTER TABLE plugins.endpoint_type RENAME TO plugin_endpoint');
  assert.deepEqual(db.prepare("SELECT enum, name FROM dynenum_members WHERE schema = 'plugins'").raw().all(),
    [['plugin_endpoint', 'MISTRAL']]);
  assert.equal(db.prepare("SELECT dynenum_resolve('plugin_endpoint', 'Mistral')").pluck().get(), 'mistral');
  db.exec('DROP TABLE plugin_endpoint');
  assertSqliteError(() => db.prepare("SELECT dynenum_resolve('plugin_endpoint', 'Mistral')").get(),
    'SQLITE_ERROR', "no such enum: 'plugin_endpoint'");
  assert.deepEqual(db.prepare('SELECT name FROM plugins.sqlite_schema').all(), []);
  db.close();
});

test('functions', () => {
  const db = open();
  db.exec(ENDPOINT_TYPE);
  const resolve = db.prepare("SELECT dynenum_resolve('endpoint_type', ?)").pluck();
  assert.equal(resolve.get('OpenAI-Chat'), 'openai_chat');
  assert.equal(resolve.get('LEGACY COMPLETIONS'), 'completions');
  assert.equal(resolve.get('Completions'), 'completions');
  assert.equal(resolve.get('NVIDIA-Optimized'), 'nvidia_optimized');
  assert.equal(resolve.get(null), null);
  assert.deepEqual(db.prepare(`SELECT dynenum_is_member('endpoint_type', 'anthropic-chat'),
                                      dynenum_is_member('endpoint_type', 'NVIDIA-Optimized'),
                                      dynenum_is_member('endpoint_type', '_private'),
                                      dynenum_ordinal('endpoint_type', 'anthropic-chat'),
                                      dynenum_ordinal('endpoint_type', 'NVIDIA-Optimized'),
                                      dynenum_key('Open-AI ΣΊΣΥΦΟΣ'),
                                      dynenum_version()`).raw().get(),
    [1, 0, 0, 2, null, 'open_ai σίσυφοσ', version]);
});

test('aliases-strict-retired', () => {
  const db = open();
  db.exec(`CREATE VIRTUAL TABLE endpoint_type USING dynenum(
             OPENAI_CHAT, OPENAI = OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat')`);
  assert.deepEqual(db.prepare(`SELECT dynenum_resolve('endpoint_type', 'openai'),
                                      dynenum_strict('endpoint_type', 'Anthropic-Chat')`).raw().get(),
    ['openai_chat', 'anthropic_chat']);
  assert.deepEqual(db.prepare('SELECT name, alias_of FROM dynenum_members WHERE alias_of IS NOT NULL').raw().all(),
    [['OPENAI', 'OPENAI_CHAT']]);
  assertSqliteError(() => db.prepare("SELECT dynenum_strict('endpoint_type', ?)").get('opnai_chat'),
    'SQLITE_ERROR', "dynenum_strict(): invalid value 'opnai_chat' for enum 'endpoint_type': expected one of " +
    "OPENAI_CHAT, ANTHROPIC_CHAT (2 members); did you mean 'openai_chat'?");
  db.prepare('UPDATE endpoint_type SET retired = 1 WHERE name = ?').run('anthropic-chat');
  assert.equal(db.prepare("SELECT dynenum_is_member('endpoint_type', 'anthropic_chat')").pluck().get(), 1);
  assertSqliteError(() => db.prepare("SELECT dynenum_current('endpoint_type', 'anthropic_chat')").get(),
    'SQLITE_ERROR', "dynenum_current(): member 'ANTHROPIC_CHAT' of enum 'endpoint_type' is retired: expected " +
    'OPENAI_CHAT (1 member)');
  assertSqliteError(() => db.prepare('INSERT INTO endpoint_type(name, alias_of) VALUES (?, ?)').run('GPT', 'OPENAI'),
    'SQLITE_CONSTRAINT', "dynenum: cannot add alias 'GPT' of member 'OPENAI_CHAT' to enum 'endpoint_type': " +
    "'GPT' does not already resolve to that member, and an added alias must change no result (declare it in " +
    'CREATE VIRTUAL TABLE)');
});

test('schema-with-untrusted-schema', () => {
  const db = open();
  db.exec(`PRAGMA trusted_schema = OFF;
           ${ENDPOINT_TYPE};
           ${fs.readFileSync(path.join(root, 'tests', 'clients', 'schema.sql'), 'utf8')}
           INSERT INTO requests(endpoint) VALUES ('OpenAI-Chat'), ('anthropic_chat');`);
  assertSqliteError(() => db.prepare("INSERT INTO requests(endpoint) VALUES ('NVIDIA_OPTIMIZED')").run(),
    'SQLITE_CONSTRAINT_CHECK', "CHECK constraint failed: dynenum_is_member('endpoint_type', endpoint)");
  assert.deepEqual(db.prepare(`SELECT endpoint, canonical FROM requests
                               ORDER BY dynenum_ordinal('endpoint_type', endpoint) DESC`).raw().all(),
    [['anthropic_chat', 'anthropic_chat'], ['OpenAI-Chat', 'openai_chat']]);
});

test('catalog', () => {
  const db = open();
  db.exec(`CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
           CREATE VIRTUAL TABLE colour USING dynenum(RED, GREEN = 'green-ish');`);
  assert.deepEqual(db.prepare('SELECT * FROM dynenum_members').raw().all(), [
    ['colour', 1, 'RED', 'red'],
    ['colour', 2, 'GREEN', 'green-ish'],
    ['endpoint_type', 1, 'OPENAI_CHAT', 'openai_chat'],
    ['endpoint_type', 2, 'ANTHROPIC_CHAT', 'anthropic_chat'],
  ]);
  assert.deepEqual(db.prepare('SELECT name, value FROM dynenum_members WHERE enum = ?').raw().all('colour'),
    [['RED', 'red'], ['GREEN', 'green-ish']]);
});

test('errors-resolve', () => {
  const db = open();
  db.exec(ENDPOINT_TYPE);
  const resolve = db.prepare("SELECT dynenum_resolve('endpoint_type', ?)").pluck();
  assertSqliteError(() => resolve.get('_private'), 'SQLITE_ERROR',
    "dynenum_resolve(): reserved name '_private' in enum 'endpoint_type'");
  assertSqliteError(() => resolve.get('two words'), 'SQLITE_ERROR',
    "dynenum_resolve(): whitespace or control character U+0020 in name 'two words' in enum 'endpoint_type'");
  assertSqliteError(() => resolve.get(''), 'SQLITE_ERROR',
    "dynenum_resolve(): empty name in enum 'endpoint_type'");
  assertSqliteError(() => db.prepare("SELECT dynenum_resolve('endpoint_type', CAST(x'4142ff' AS TEXT))").get(),
    'SQLITE_ERROR', "dynenum_resolve(): malformed UTF-8 in name 'AB\\xff' in enum 'endpoint_type'");
  // better-sqlite3 binds a JavaScript number as a real, a BigInt as an integer.
  assertSqliteError(() => resolve.get(42), 'SQLITE_ERROR',
    "dynenum_resolve(): expected text in enum 'endpoint_type', got real 42.0");
  assertSqliteError(() => resolve.get(42n), 'SQLITE_ERROR',
    "dynenum_resolve(): expected text in enum 'endpoint_type', got integer 42");
  assertSqliteError(() => resolve.get(Buffer.from('AB')), 'SQLITE_ERROR',
    "dynenum_resolve(): expected text in enum 'endpoint_type', got blob of 2 bytes");
  assertSqliteError(() => db.prepare("SELECT dynenum_resolve('endpoint', 'OPENAI_CHAT')").get(),
    'SQLITE_ERROR', "no such enum: 'endpoint'");
});

test('errors-create', () => {
  const db = open();
  assertSqliteError(() => db.exec('CREATE VIRTUAL TABLE colour USING dynenum(RED, _SECRET)'), 'SQLITE_ERROR',
    "dynenum: reserved name '_SECRET' in enum 'colour'");
  assertSqliteError(() => db.exec('CREATE VIRTUAL TABLE colour USING dynenum(RED, Red)'), 'SQLITE_ERROR',
    "dynenum: member 'Red' collides with member 'RED' in enum 'colour' (same key 'red')");
  assertSqliteError(() => db.exec('CREATE VIRTUAL TABLE colour USING dynenum(DARK RED)'), 'SQLITE_ERROR',
    "dynenum: cannot parse argument 1 of enum 'colour' (expected NAME, NAME = 'value' or NAME = OTHER): DARK RED");
});

test('errors-refused-changes', () => {
  const db = open();
  db.exec(ENDPOINT_TYPE);
  assertSqliteError(() => db.prepare('INSERT INTO endpoint_type(name) VALUES (?)').run('openai-chat'),
    'SQLITE_CONSTRAINT',
    "dynenum: member 'openai-chat' collides with member 'OPENAI_CHAT' in enum 'endpoint_type' (same key 'openai_chat')");
  assertSqliteError(() => db.prepare("INSERT INTO endpoint_type(name, value) VALUES ('TRITON', 'tritonserver')").run(),
    'SQLITE_CONSTRAINT',
    "dynenum: member 'TRITON' added to enum 'endpoint_type' must have the value 'triton', the key of its name, or none");
  assertSqliteError(() => db.prepare("UPDATE endpoint_type SET value = 'chat' WHERE name = 'OPENAI_CHAT'").run(),
    'SQLITE_CONSTRAINT',
    "dynenum: cannot update members of enum 'endpoint_type': a member, once added, is never changed or removed");
  assertSqliteError(() => db.prepare('DELETE FROM endpoint_type').run(), 'SQLITE_CONSTRAINT',
    "dynenum: cannot delete members of enum 'endpoint_type': a member, once added, is never changed or removed");
  assertSqliteError(() => db.prepare('DELETE FROM dynenum_members').run(), 'SQLITE_ERROR',
    'table dynenum_members may not be modified');
});

test('shell-database-in-node', () => {
  // Built by Debian's SQLite, read and checked by better-sqlite3's.
  const file = scratch('shell-to-node.db');
  shell(file, fs.readFileSync(path.join(root, 'tests', 'clients', 'shell_db.sql'), 'utf8'));
  const db = open(file);
  assert.deepEqual(db.prepare('SELECT ordinal, name, value FROM endpoint_type').all(),
    [...MEMBERS, { ordinal: 4, name: 'NVIDIA_Optimized', value: 'nvidia_optimized' }]);
  const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM requests WHERE endpoint = ?').all('OPENAI-chat');
  assert.match(plan.map((row) => row.detail).join(' '), /requests_endpoint/);
  assert.deepEqual(db.prepare('SELECT id FROM requests WHERE endpoint = ? ORDER BY id').pluck().all('OPENAI-chat'), [1, 2, 6]);
  assert.deepEqual(db.prepare('SELECT endpoint, count(*) FROM requests GROUP BY endpoint ORDER BY endpoint').raw().all(),
    [['Anthropic-Chat', 1], ['LEGACY COMPLETIONS', 1], ['nvidia-optimized', 1], ['OpenAI_Chat', 3]]);
  assert.deepEqual(db.prepare("SELECT id FROM requests WHERE canonical = dynenum_resolve('endpoint_type', 'Completions')").pluck().all(), [5]);
  assert.equal(db.prepare('PRAGMA integrity_check').pluck().get(), 'ok');
  // Node adds to it; the shell reads it back.
  db.prepare("INSERT INTO endpoint_type(name) VALUES ('Groq')").run();
  db.prepare("INSERT INTO requests(endpoint) VALUES ('GROQ'), ('nvidia_OPTIMIZED')").run();
  db.close();
  assert.equal(shell(file, `SELECT ordinal, name, value FROM endpoint_type WHERE ordinal > 3;
SELECT endpoint, count(*) FROM requests GROUP BY endpoint ORDER BY dynenum_ordinal('endpoint_type', endpoint);
PRAGMA integrity_check;
`), `4|NVIDIA_Optimized|nvidia_optimized
5|Groq|groq
OpenAI_Chat|3
Anthropic-Chat|1
LEGACY COMPLETIONS|1
nvidia-optimized|2
GROQ|1
ok
`);
});

test('node-database-in-shell', () => {
  // Built by better-sqlite3's SQLite, read and checked by Debian's.
  const file = scratch('node-to-shell.db');
  const db = open(file);
  db.exec(`CREATE VIRTUAL TABLE colour USING dynenum(RED, GREEN = 'green-ish');
           INSERT INTO colour(name) VALUES ('Ultra-Violet');
           CREATE TABLE paint(colour TEXT COLLATE DYNENUM UNIQUE);`);
  const insert = db.prepare('INSERT INTO paint VALUES (?)');
  for (const x of ['red', 'Green-Ish', 'ULTRA_VIOLET', 'ΣΊΣΥΦΟΣ']) insert.run(x);
  db.close();
  assert.equal(shell(file, `SELECT * FROM dynenum_members;
SELECT colour, dynenum_key(colour) FROM paint ORDER BY colour;
SELECT count(*) FROM paint WHERE colour = 'σίσυφος';
PRAGMA integrity_check;
`), `colour|1|RED|red
colour|2|GREEN|green-ish
colour|3|Ultra-Violet|ultra_violet
Green-Ish|green_ish
red|red
ULTRA_VIOLET|ultra_violet
ΣΊΣΥΦΟΣ|σίσυφοσ
1
ok
`);
});

test('node-quickstart', () => {
  // Run as a reader would, from the repository root; a copy beside a link to
  // this folder's node_modules lets `import 'better-sqlite3'` resolve.
  const folder = path.join(work, 'node-quickstart');
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(path.join(root, 'examples', 'node_quickstart.mjs'), path.join(folder, 'node_quickstart.mjs'));
  fs.symlinkSync(path.join(here, 'node_modules'), path.join(folder, 'node_modules'));
  const output = execFileSync(process.execPath, [path.join(folder, 'node_quickstart.mjs')],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(output, fs.readFileSync(path.join(root, 'examples', 'node_quickstart.out'), 'utf8'));
});

finish('node');
