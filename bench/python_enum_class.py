"""python_enum_class.py: what dynenum.enum_class() keeps and costs where
review 15 found it wanting, for one build of the Python package.

    make python-wheel && /usr/bin/python3 bench/python_enum_class.py build/python

PACKAGE is a folder holding dynenum/ with its extension inside (build/python
after `make python-wheel`).  Prints three lines:

    refused: the growth of the resident set over 100,000 inputs Pydantic
      refuses, and how many dynamic members the class still holds;
    refused large: the growth over 400 refused inputs of 1 MB each;
    register: the time of 20 register() calls on an enum of 4,000 members,
      after 5,000 other spellings have gone through the key cache, and the
      statements they ran on the caller's connection.

Not part of `make bench`: run it on two builds (an older commit's
build/python too) to compare.
"""
import gc
import os
import resource
import sqlite3
import sys
import time


def resident_megabytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6


def model(dynenum, pydantic):
    """The class of a small enum, and a Pydantic model with a field of it
    that refuses dynamic members."""
    conn = sqlite3.connect(":memory:")
    dynenum.load(conn)
    conn.execute("CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)")
    EndpointType = dynenum.enum_class(conn, "endpoint_type")

    class Request(pydantic.BaseModel):
        endpoint: EndpointType
    return EndpointType, Request


def refused(dynenum, pydantic):
    EndpointType, Request = model(dynenum, pydantic)
    gc.collect()
    before = resident_megabytes()
    for i in range(100000):
        try:
            Request(endpoint="attacker_%d" % i)
        except pydantic.ValidationError:
            pass
    gc.collect()
    print("refused: 100,000 inputs: resident set grew %.1f MB; dynamic members held: %d"
          % (resident_megabytes() - before, len(EndpointType._dynenum_state.dynamic)))


def refused_large(dynenum, pydantic):
    _, Request = model(dynenum, pydantic)
    gc.collect()
    before = resident_megabytes()
    for i in range(400):
        try:
            Request(endpoint="%04d" % i + "x" * 1000000)
        except pydantic.ValidationError:
            pass
    gc.collect()
    print("refused large: 400 inputs of 1 MB: resident set grew %.1f MB" % (resident_megabytes() - before))


def register(dynenum):
    conn = sqlite3.connect(":memory:")
    dynenum.load(conn)
    conn.execute("CREATE VIRTUAL TABLE e USING dynenum(A)")
    conn.executemany("INSERT INTO e(name) VALUES (?)", [("P%d" % i,) for i in range(4000)])
    E = dynenum.enum_class(conn, "e")
    for i in range(5000):
        E["p%d" % (i % 4000)] == "x%d" % i
    statements = []
    conn.set_trace_callback(lambda sql: None if sql.startswith("-- ") else statements.append(sql))
    start = time.monotonic()
    for i in range(20):
        dynenum.register(E, "NEW_%d" % i)
    elapsed = time.monotonic() - start
    conn.set_trace_callback(None)
    print("register: 20 calls at 4,000 members: %.3f s, %d statements on the caller's connection"
          % (elapsed, len(statements)))


def main():
    if len(sys.argv) != 2 or not os.path.isdir(os.path.join(sys.argv[1], "dynenum")):
        sys.exit("usage: python3 bench/python_enum_class.py PACKAGE (a folder holding dynenum/)")
    sys.path.insert(0, sys.argv[1])
    import dynenum
    import pydantic
    refused(dynenum, pydantic)
    refused_large(dynenum, pydantic)
    register(dynenum)


if __name__ == "__main__":
    main()
