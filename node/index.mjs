// dynenum for Node, for import: the functions of index.cjs (one
// implementation for import and require).
//
//     import Database from 'better-sqlite3';
//     import * as dynenum from 'dynenum';
//
//     const db = new Database(':memory:');
//     dynenum.load(db);
import dynenum from './index.cjs';

export const { getLoadablePath, load } = dynenum;
