// dynenum for Node: the compiled SQLite extension this package carries, and
// a function that loads it into a database connection.  This file is the
// implementation, for require(); index.mjs gives the same to import.
//
//     const Database = require('better-sqlite3');
//     const dynenum = require('dynenum');
//
//     const db = new Database(':memory:');
//     dynenum.load(db);
//
// The SQL it adds is documented in the repository's README.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const SUFFIXES = { darwin: 'dylib', win32: 'dll' };

// The full path of the native module, for loadExtension() of any client.
// SQLite derives the entry point sqlite3_dynenum_init from the file name.
function getLoadablePath() {
  const file = path.join(__dirname, `dynenum.${SUFFIXES[process.platform] || 'so'}`);
  if (!fs.existsSync(file)) {
    throw new Error(`dynenum: no native module for ${process.platform}-${process.arch} at ${file}; `
      + 'this package was packed on another platform: build it there with `npm pack` in node/ of the repository');
  }
  return file;
}

// Loads the extension into db: a better-sqlite3 Database, or any object
// with loadExtension(path).  Returns db.  With a callback, for clients whose
// loadExtension(path, callback) is asynchronous (node-sqlite3), the callback
// is passed on and called with the client's error or null.
function load(db, callback) {
  if (db === null || typeof db !== 'object' || typeof db.loadExtension !== 'function') {
    throw new TypeError("dynenum.load(): expected a database with a loadExtension() method, such as better-sqlite3's");
  }
  if (callback !== undefined && typeof callback !== 'function') {
    throw new TypeError(`dynenum.load(): expected a function as the callback, got ${typeof callback}`);
  }
  if (callback === undefined) {
    db.loadExtension(getLoadablePath());
  } else {
    db.loadExtension(getLoadablePath(), callback);
  }
  return db;
}

module.exports = { getLoadablePath, load };
