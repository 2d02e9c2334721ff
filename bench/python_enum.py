"""python_enum.py: a lookup in a Python enum built like the seed, against
one dynenum_resolve() call through SQL, in one run.

    python3 bench/python_enum.py EXTENSION

The Python enum has 100 members; like the seed's DynamicStrEnum its members
compare with lower(), and a lookup by any other spelling than the declared
value goes through _missing_, which scans the members.  The SQL side is the
cost of one dynenum_resolve() call as a query pays it per row (a statement
over 100,000 rows, less the same statement without the call), and, reported
beside it, a whole statement per value from Python.  Times are the
process's CPU time (time.process_time), as in bench/common.c.

Prints lines of the bench format (see bench/bench.h):
    figure  ratio  a_median_seconds  b_median_seconds  rounds  note
"""
import enum
import sqlite3
import statistics
import sys
import time

MEMBERS = 100
ROUNDS = 5


class SeedStrEnum(str, enum.Enum):
    """Compares case-insensitively and finds members by name or value."""

    def __eq__(self, other):
        if isinstance(other, str):
            return self.value.lower() == other.lower()
        return NotImplemented

    def __hash__(self):
        return hash(self.value.lower())

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str):
            wanted = value.lower()
            for member in cls:
                if member.value.lower() == wanted or member.name.lower() == wanted:
                    return member
        return None


Endpoint = SeedStrEnum("Endpoint", {f"ENDPOINT_{i:03d}": f"endpoint_{i:03d}" for i in range(MEMBERS)})
# Spellings a program meets: upper case, so every lookup reaches _missing_,
# spread over all the members (the average scan is half the enum).
INPUTS = [f"ENDPOINT_{i:03d}" for i in range(MEMBERS)]


def python_lookup_seconds():
    start = time.process_time()
    for _ in range(100):
        for text in INPUTS:
            Endpoint(text)
    return (time.process_time() - start) / (100 * len(INPUTS))


def main():
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(sys.argv[1])
    members = ", ".join(f"ENDPOINT_{i:03d}" for i in range(MEMBERS))
    db.execute(f"CREATE VIRTUAL TABLE endpoint USING dynenum({members})")
    db.execute("CREATE TABLE calls(x TEXT)")
    db.executemany("INSERT INTO calls VALUES (?)", [(INPUTS[i % MEMBERS],) for i in range(100000)])
    with_call = "SELECT count(dynenum_resolve('endpoint', x)) FROM calls"
    without = "SELECT count(x) FROM calls"

    def per_row_seconds():
        start = time.process_time()
        db.execute(with_call).fetchone()
        middle = time.process_time()
        db.execute(without).fetchone()
        end = time.process_time()
        return max((middle - start) - (end - middle), 1e-12) / 100000

    def per_statement_seconds():
        start = time.process_time()
        for text in INPUTS * 10:
            db.execute("SELECT dynenum_resolve('endpoint', ?)", (text,)).fetchone()
        return (time.process_time() - start) / (10 * len(INPUTS))

    python_lookup_seconds(), per_row_seconds(), per_statement_seconds()  # warm up
    py, row, statement = [], [], []
    for _ in range(ROUNDS):
        py.append(python_lookup_seconds())
        row.append(per_row_seconds())
        statement.append(per_statement_seconds())
    p, r, s = statistics.median(py), statistics.median(row), statistics.median(statement)
    print(f"python_enum_vs_resolve_per_row\t{p / r:.4f}\t{p:.9f}\t{r:.9f}\t{ROUNDS}\t"
          f"Python enum lookup through _missing_ (100 members) vs one dynenum_resolve() in a query")
    print(f"python_enum_vs_resolve_statement\t{p / s:.4f}\t{p:.9f}\t{s:.9f}\t{ROUNDS}\t"
          f"the same vs a whole SELECT dynenum_resolve(?) statement per value from Python")


if __name__ == "__main__":
    main()
