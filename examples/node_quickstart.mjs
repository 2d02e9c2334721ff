// dynenum from Node with better-sqlite3 (npm install better-sqlite3).  From
// the repository root, after `make`:  node examples/node_quickstart.mjs
import Database from 'better-sqlite3';

const db = new Database(':memory:');
db.loadExtension('./build/dynenum'); // SQLite adds .so, .dylib or .dll

db.exec(`
  CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
  CREATE TABLE requests(endpoint TEXT NOT NULL COLLATE DYNENUM);
  CREATE INDEX requests_endpoint ON requests(endpoint);
`);
const insert = db.prepare('INSERT INTO requests VALUES (?)');
for (const endpoint of ['OpenAI_Chat', 'openai-chat', 'ANTHROPIC_CHAT']) insert.run(endpoint);

// Spellings of one name group together and resolve to the canonical value.
for (const row of db.prepare(`SELECT dynenum_resolve('endpoint_type', endpoint) AS value, count(*) AS count
                              FROM requests GROUP BY endpoint ORDER BY 1`).all()) {
  console.log(row.value, row.count);
}

// A plugin's name resolves before it is registered, to what it will be after.
const resolve = db.prepare("SELECT dynenum_resolve('endpoint_type', ?)").pluck();
console.log(resolve.get('NVIDIA-Optimized'));
db.prepare('INSERT INTO endpoint_type(name) VALUES (?)').run('NVIDIA_Optimized');
console.log(db.prepare("SELECT ordinal, name, value FROM endpoint_type WHERE name = 'nvidia-optimized'").get());

// Errors are SqliteErrors carrying dynenum's message.
try {
  resolve.get('_private');
} catch (error) {
  console.log(`${error.code}: ${error.message}`);
}
