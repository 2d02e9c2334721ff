# dynenum from Python's standard sqlite3 module.  From the repository root,
# after `make`:  /usr/bin/python3 examples/python_quickstart.py
# (Debian's Python, whose sqlite3 can load extensions; many others cannot).
import sqlite3

conn = sqlite3.connect(":memory:")
conn.enable_load_extension(True)
conn.load_extension("./build/dynenum")  # SQLite adds .so, .dylib or .dll
conn.enable_load_extension(False)

conn.executescript("""
    CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
    CREATE TABLE requests(endpoint TEXT NOT NULL COLLATE DYNENUM);
    CREATE INDEX requests_endpoint ON requests(endpoint);
""")
with conn:
    conn.executemany("INSERT INTO requests VALUES (?)",
                     [("OpenAI_Chat",), ("openai-chat",), ("ANTHROPIC_CHAT",)])

# Spellings of one name group together and resolve to the canonical value.
for value, count in conn.execute(
        "SELECT dynenum_resolve('endpoint_type', endpoint), count(*)"
        " FROM requests GROUP BY endpoint ORDER BY 1"):
    print(value, count)

# A plugin's name resolves before it is registered, to what it will be after.
print(conn.execute("SELECT dynenum_resolve('endpoint_type', ?)", ("NVIDIA-Optimized",)).fetchone()[0])
with conn:
    conn.execute("INSERT INTO endpoint_type(name) VALUES (?)", ("NVIDIA_Optimized",))
print(conn.execute("SELECT ordinal, name, value FROM endpoint_type"
                   " WHERE name = 'nvidia-optimized'").fetchone())

# Errors are sqlite3 exceptions carrying dynenum's message.
try:
    conn.execute("SELECT dynenum_resolve('endpoint_type', '_private')")
except sqlite3.OperationalError as error:
    print("error:", error)
