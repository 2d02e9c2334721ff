# dynenum from Tcl with Debian's libsqlite3-tcl.  From the repository root,
# after `make`:  tclsh examples/tcl_quickstart.tcl
package require sqlite3

sqlite3 db :memory:
db enable_load_extension 1
db eval {SELECT load_extension('./build/dynenum')}  ;# SQLite adds .so, .dylib or .dll
db enable_load_extension 0

db eval {
  CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
  CREATE TABLE requests(endpoint TEXT NOT NULL COLLATE DYNENUM);
  CREATE INDEX requests_endpoint ON requests(endpoint);
  INSERT INTO requests VALUES ('OpenAI_Chat'), ('openai-chat'), ('ANTHROPIC_CHAT');
}

# Spellings of one name group together and resolve to the canonical value.
db eval {
  SELECT dynenum_resolve('endpoint_type', endpoint) AS value, count(*) AS n
    FROM requests GROUP BY endpoint ORDER BY 1
} {
  puts "$value $n"
}

# A plugin's name resolves before it is registered, to what it will be after.
set name NVIDIA-Optimized
puts [db onecolumn {SELECT dynenum_resolve('endpoint_type', $name)}]
db eval {INSERT INTO endpoint_type(name) VALUES ('NVIDIA_Optimized')}
puts [db eval {SELECT ordinal, name, value FROM endpoint_type WHERE name = 'nvidia-optimized'}]

# Errors are Tcl errors carrying dynenum's message.
if {[catch {db eval {SELECT dynenum_resolve('endpoint_type', '_private')}} message]} {
  puts "error: $message"
}
db close
