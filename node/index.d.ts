/** The full path of the native SQLite extension this package carries. */
export declare function getLoadablePath(): string;

/** Loads the extension into db (a better-sqlite3 Database or any object with loadExtension()); returns db. */
export declare function load<Db extends { loadExtension(path: string): unknown }>(db: Db): Db;
/** For clients whose loadExtension(path, callback) is asynchronous (node-sqlite3): callback gets their error or null. */
export declare function load<Db extends { loadExtension(path: string, callback: (error: Error | null) => void): unknown }>(
  db: Db, callback: (error: Error | null) => void): Db;
