"""What tools/fresh.sh runs with the wheel installed in a venv of a fresh
Debian 12 root: dynenum.enum_class() against the SQL it mirrors.  Prints
"enum_class: ok" last when everything held."""
import sqlite3

import dynenum

conn = sqlite3.connect(":memory:")
dynenum.load(conn)
conn.executescript("""
    CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
    CREATE TABLE requests(endpoint TEXT NOT NULL COLLATE DYNENUM);
""")
EndpointType = dynenum.enum_class(conn, "endpoint_type")
assert EndpointType("OpenAI-Chat") is EndpointType.OPENAI_CHAT is EndpointType["openai_chat"]
assert EndpointType("\u03c3x") is EndpointType("\u03c2X") and EndpointType("\u212a") == "k"
with conn:
    member = dynenum.register(EndpointType, "NVIDIA_OPTIMIZED")
    conn.executemany("INSERT INTO requests VALUES (?)",
                     [(EndpointType(s),) for s in ["openai_chat", "Nvidia-Optimized", "nvidia_OPTIMIZED"]])
assert [m.name for m in EndpointType] == ["OPENAI_CHAT", "ANTHROPIC_CHAT", "NVIDIA_OPTIMIZED"]
rows = conn.execute("SELECT endpoint, count(*) FROM requests GROUP BY endpoint ORDER BY 1").fetchall()
assert [(EndpointType(e), n) for e, n in rows] == [(member, 2), (EndpointType.OPENAI_CHAT, 1)], rows
print(dynenum.__version__)
print("enum_class: ok")
