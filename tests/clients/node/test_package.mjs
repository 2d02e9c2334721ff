// The npm package (node/): `npm pack` builds the tarball with the native
// module inside; installed into a fresh project it gives
// `import * as dynenum from 'dynenum'; dynenum.load(db)` with better-sqlite3
// (the one `npm ci` installed here from the npm registry, linked into the
// project) and with any object that has loadExtension().
//
//     node tests/clients/node/test_package.mjs
//
// Ends with the line "npm-package: N passed, N failed".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { finish, test } from './suite.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const work = process.env.DYNENUM_WORK || fs.mkdtempSync(path.join(os.tmpdir(), 'dynenum-npm-'));
const version = fs.readFileSync(path.join(root, 'VERSION'), 'utf8').trim();
const npmOptions = ['--no-audit', '--no-fund', '--loglevel=error'];


function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

const packed = path.join(work, 'npm-pack');
fs.rmSync(packed, { recursive: true, force: true });
fs.mkdirSync(packed, { recursive: true });
let tarball = null;

test('npm-pack', () => {
  const name = run('npm', ['pack', '--pack-destination', packed, ...npmOptions], { cwd: path.join(root, 'node') })
    .trim().split('\n').pop();
  assert.equal(name, `dynenum-${version}.tgz`);
  tarball = path.join(packed, name);
  const files = run('tar', ['-tzf', tarball]).trim().split('\n').sort();
  assert.deepEqual(files, ['package/LICENSE', 'package/README.md', 'package/dynenum.so', 'package/index.cjs',
    'package/index.d.ts', 'package/index.mjs', 'package/package.json']);
  const unpacked = path.join(packed, 'unpacked');
  fs.mkdirSync(unpacked);
  run('tar', ['-xzf', tarball, '-C', unpacked]);
  // npm installs it only where the module it carries can load.
  const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'package', 'package.json'), 'utf8'));
  assert.deepEqual([manifest.os, manifest.cpu], [[process.platform], [process.arch]]);
  // The module is linked against glibc: npm skips it on musl (Alpine).
  assert.deepEqual(manifest.libc, [process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl']);
  assert.ok(fs.readFileSync(path.join(unpacked, 'package', 'dynenum.so'))
    .equals(fs.readFileSync(path.join(root, 'build', 'dynenum.so'))), "the package's module is not build/dynenum.so");
});

const project = path.join(work, 'npm-project');
// What the README shows, verbatim, and then checks of what it did.
const readme = `import Database from 'better-sqlite3';
import * as dynenum from 'dynenum';

const db = new Database(':memory:');
dynenum.load(db); // or any object with loadExtension(path)
dynenum.getLoadablePath(); // the module's full path, for other clients
`;
const program = `${readme}
db.exec("CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)");
console.log(db.prepare("SELECT dynenum_resolve('endpoint_type', 'OpenAI-Chat'), dynenum_version()").raw().get().join(' '));
console.log(db.prepare("SELECT 'OpenAI_Chat' = 'openai-chat' COLLATE DYNENUM").pluck().get());
const path = dynenum.getLoadablePath();
console.log(path.startsWith(process.cwd() + '/node_modules/dynenum/'), path.endsWith('/dynenum.so'));
const calls = [];
const other = { loadExtension: (file) => calls.push(file) };
console.log(dynenum.load(other) === other, calls.length === 1 && calls[0] === path);
for (const notADatabase of [null, {}, 'db']) {
  try { dynenum.load(notADatabase); } catch (error) { console.log(error.name + ': ' + error.message); }
}
// A client whose loadExtension(path, callback) is asynchronous (node-sqlite3).
const callbackClient = { loadExtension: (file, done) => setImmediate(() => done(file === path ? null : new Error(file))) };
try { dynenum.load(callbackClient, 'not a function'); } catch (error) { console.log(error.name + ': ' + error.message); }
dynenum.load(callbackClient, (error) => console.log('callback', error));
`;
// The same package through require() (CommonJS).
const commonjs = `const Database = require('better-sqlite3');
const dynenum = require('dynenum');
const db = dynenum.load(new Database(':memory:'));
console.log(db.prepare("SELECT dynenum_key('OpenAI-Chat')").pluck().get(), typeof dynenum.getLoadablePath());
console.log(require('dynenum') === require('dynenum'), Object.keys(dynenum).sort().join());
`;

test('readme-shows-the-program', () => {
  assert.ok(fs.readFileSync(path.join(root, 'README.md'), 'utf8').includes(`\`\`\`js\n${readme}\`\`\``));
});

test('installed-in-a-fresh-project', () => {
  assert.ok(tarball, 'no tarball (npm-pack failed)');
  fs.rmSync(project, { recursive: true, force: true });
  fs.mkdirSync(path.join(project, 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-dynenum', private: true, type: 'module' }));
  // Nothing to fetch: the package has no dependencies, and npm must not
  // reach for better-sqlite3, its optional peer.
  run('npm', ['install', '--offline', ...npmOptions, tarball], { cwd: project });
  // After installing, which would prune a link it did not make.
  fs.symlinkSync(path.join(here, 'node_modules', 'better-sqlite3'), path.join(project, 'node_modules', 'better-sqlite3'));
  fs.writeFileSync(path.join(project, 'program.mjs'), program);
  const output = run(process.execPath, ['program.mjs'], { cwd: project });
  const refused = "TypeError: dynenum.load(): expected a database with a loadExtension() method, such as better-sqlite3's";
  assert.equal(output, [`openai_chat ${version}`, '1', 'true true', 'true true', refused, refused, refused,
    'TypeError: dynenum.load(): expected a function as the callback, got string', 'callback null', ''].join('\n'));
});

test('required-with-commonjs', () => {
  assert.ok(fs.existsSync(path.join(project, 'node_modules', 'dynenum')), 'not installed');
  fs.writeFileSync(path.join(project, 'program.cjs'), commonjs);
  const output = run(process.execPath, ['program.cjs'], { cwd: project });
  assert.equal(output, 'openai_chat string\ntrue getLoadablePath,load\n');
});

test('missing-module-is-named', () => {
  assert.ok(fs.existsSync(path.join(project, 'node_modules', 'dynenum', 'dynenum.so')), 'not installed');
  const module = path.join(project, 'node_modules', 'dynenum', 'dynenum.so');
  fs.renameSync(module, `${module}.hidden`);
  try {
    const output = run(process.execPath, ['--input-type=module', '-e',
      "import * as d from 'dynenum'; try { d.getLoadablePath(); } catch (e) { console.log(e.message); }"], { cwd: project });
    assert.equal(output, `dynenum: no native module for ${process.platform}-${process.arch} at ${module}; this package`
      + ' was packed on another platform: build it there with `npm pack` in node/ of the repository\n');
  } finally {
    fs.renameSync(`${module}.hidden`, module);
  }
});

finish('npm-package');
