"""A program written against the README's Python section, run by
test_wheel.py with the installed wheel: a Pydantic model with an
EndpointType field, a plugin registering NVIDIA_OPTIMIZED, rows stored and
grouped in SQL.  It checks that Python and SQL agree on every one of a few
thousand generated spellings, and prints what it checked.

    VENV/bin/python tests/clients/readme_program.py SEED
"""
import random
import sqlite3
import sys

import dynenum
import pydantic

# Letters where str.lower() and dynenum's key part: sigma and final sigma,
# long s, Kelvin and micro signs, dotted I, Cherokee, sharp s; - and _.
LETTERS = list("ΣσςſsS\u212akKµμΜİiIᎠꭰẞß-_") + list("abcAB")
NAMES = ["OPENAI_CHAT", "ANTHROPIC_CHAT", "NVIDIA_OPTIMIZED"]


def generated(rng, count):
    out = []
    for _ in range(count):
        if rng.random() < 0.4:
            name = rng.choice(NAMES)
            word = "".join(c.lower() if rng.random() < 0.5 else c for c in name).replace("_", rng.choice("-_"))
        else:
            word = "x" + "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 5)))
        out.append(word)
    return out


def main():
    rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    conn = sqlite3.connect(":memory:")
    dynenum.load(conn)
    conn.executescript("""
        CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
        CREATE TABLE requests(id INTEGER PRIMARY KEY, spelling TEXT, endpoint TEXT NOT NULL COLLATE DYNENUM);
    """)
    EndpointType = dynenum.enum_class(conn, "endpoint_type")

    class Request(pydantic.BaseModel):
        endpoint: EndpointType = pydantic.Field(..., allow_dynamic=True)

    # The plugin.
    with conn:
        dynenum.register(EndpointType, "NVIDIA_OPTIMIZED")

    spellings = generated(rng, 3000)
    disagreements = []
    with conn:
        for spelling in spellings:
            endpoint = Request(endpoint=spelling).endpoint
            conn.execute("INSERT INTO requests(spelling, endpoint) VALUES (?, ?)", (spelling, endpoint))
            resolved, is_member = conn.execute(
                "SELECT dynenum_resolve('endpoint_type', ?1), dynenum_is_member('endpoint_type', ?1)",
                (spelling,)).fetchone()
            if (endpoint.value, not endpoint.dynamic) != (resolved, bool(is_member)):
                disagreements.append((spelling, endpoint, resolved, is_member))
    # Python's grouping (by member; equal members hash alike) is SQL's.
    python_groups = {}
    for spelling in spellings:
        python_groups.setdefault(EndpointType(spelling), set()).add(spelling)
    sql_groups = {}
    for group, spelling in conn.execute(
            "SELECT min(id) OVER (PARTITION BY endpoint), spelling FROM requests"):
        sql_groups.setdefault(group, set()).add(spelling)
    same_grouping = sorted(map(sorted, python_groups.values())) == sorted(map(sorted, sql_groups.values()))
    # Every pair that SQL calls equal, Python does, and back: members with
    # members (one object, one hash) and members with plain strings.
    pairs = 0
    for a, b in zip(spellings, reversed(spellings)):
        x, y = EndpointType(a), EndpointType(b)
        members_equal, member_equals_text = conn.execute(
            "SELECT ?1 = ?2 COLLATE DYNENUM, ?1 = ?3 COLLATE DYNENUM", (x.value, y.value, b)).fetchone()
        if ((x == y, x is y, hash(x) == hash(y)) != (bool(members_equal),) * 3
                or (x == b) != bool(member_equals_text) or (b == x) != bool(member_equals_text)):
            disagreements.append((a, b, members_equal, member_equals_text))
        pairs += 1
    counted = dict(conn.execute(
        "SELECT endpoint, count(*) FROM requests WHERE dynenum_is_member('endpoint_type', endpoint)"
        " GROUP BY endpoint"))
    members = {EndpointType(name): count for name, count in counted.items()}
    print("spellings", len(spellings), "groups", len(python_groups), "pairs", pairs)
    print("same grouping", same_grouping, "disagreements", disagreements[:5], len(disagreements))
    print("members", sorted((m.name, m.ordinal) for m in members), len(EndpointType))
    return 0 if same_grouping and not disagreements else 1


if __name__ == "__main__":
    sys.exit(main())
