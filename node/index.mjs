// dynenum for Node: the compiled SQLite extension this package carries, and
// a function that loads it into a database connection.
//
//     import Database from 'better-sqlite3';
//     import * as dynenum from 'dynenum';
//
//     const db = new Database(':memory:');
//     dynenum.load(db);
//
// The SQL it adds is documented in the repository's README.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUFFIXES = { darwin: 'dylib', win32: 'dll' };

// The full path of the native module, for loadExtension() of any client.
// SQLite derives the entry point sqlite3_dynenum_init from the file name.
export function getLoadablePath() {
  const file = path.join(here, `dynenum.${SUFFIXES[process.platform] || 'so'}`);
  if (!fs.existsSync(file)) {
    throw new Error(`dynenum: no native module for ${process.platform}-${process.arch} at ${file}; `
      + 'this package was packed on another platform: build it there with `npm pack` in node/ of the repository');
  }
  return file;
}

// Loads the extension into db: a better-sqlite3 Database, or any object
// with loadExtension(path).  Returns db.
export function load(db) {
  if (db === null || typeof db !== 'object' || typeof db.loadExtension !== 'function') {
    throw new TypeError("dynenum.load(): expected a database with a loadExtension() method, such as better-sqlite3's");
  }
  db.loadExtension(getLoadablePath());
  return db;
}
