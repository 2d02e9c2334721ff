# The database's enum as a Python Enum, with Pydantic, from the wheel
# installed in a venv (see "The Python package"):  .venv/bin/python
# examples/python_enum_quickstart.py  (Pydantic 1.10: Debian's python3-pydantic).
import sqlite3

import dynenum
import pydantic

conn = sqlite3.connect(":memory:")
dynenum.load(conn)
conn.executescript("""
    CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
    CREATE TABLE requests(endpoint TEXT NOT NULL COLLATE DYNENUM);
""")
EndpointType = dynenum.enum_class(conn, "endpoint_type")

# Any spelling finds the member; equality and hashing follow COLLATE DYNENUM.
print(EndpointType("OpenAI-Chat") is EndpointType.OPENAI_CHAT is EndpointType["openai_chat"])
print(EndpointType.OPENAI_CHAT == "openai-CHAT", "\u212a" == EndpointType("k"))

# An unknown valid name is a dynamic member: interned, never iterated.
triton = EndpointType("Triton")
print(repr(triton), triton is EndpointType.TRITON, list(EndpointType))


class Request(pydantic.BaseModel):
    endpoint: EndpointType
    fallback: EndpointType = pydantic.Field(None, allow_dynamic=True)


print(repr(Request(endpoint="anthropic-chat", fallback="triton")))
try:
    Request(endpoint="triton")
except pydantic.ValidationError as error:
    print(error.errors()[0]["msg"])

# A plugin registers its member: an INSERT in the caller's transaction.
with conn:
    nvidia = dynenum.register(EndpointType, "NVIDIA_OPTIMIZED")
print(repr(nvidia), len(EndpointType))

# Rows stored from Python group in SQL exactly as Python groups them.
with conn:
    conn.executemany("INSERT INTO requests VALUES (?)", [
        (Request(endpoint=spelling).endpoint,)
        for spelling in ["OpenAI_Chat", "openai-chat", "Nvidia-Optimized", "NVIDIA_optimized"]])
for endpoint, count in conn.execute("SELECT endpoint, count(*) FROM requests GROUP BY endpoint ORDER BY 1"):
    print(repr(EndpointType(endpoint)), count)
