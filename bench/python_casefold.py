"""python_casefold.py: a case-insensitive collation a Python program would
register (str.casefold, with sqlite3's create_collation) against DYNENUM,
building the same index on the same rows in one process.

    python3 bench/python_casefold.py EXTENSION

The rows are the broad pool's (bench/pool.txt) that `build/bench peers`
wrote to build/bench-rows.db.  Times are the process's CPU time
(time.process_time), as in bench/common.c.  Prints one line of the bench format (see
bench/bench.h):
    figure  ratio  a_median_seconds  b_median_seconds  rounds  note
"""
import sqlite3
import statistics
import sys
import time

ROUNDS = 5
ROWS_FILE = "build/bench-rows.db"


def casefold_collation(a, b):
    a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)


def main():
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(sys.argv[1])
    db.create_collation("PY_CASEFOLD", casefold_collation)
    db.execute("ATTACH ? AS rows_file", (ROWS_FILE,))
    db.execute("CREATE TABLE pool AS SELECT x FROM rows_file.pool")
    db.execute("DETACH rows_file")
    count = db.execute("SELECT count(*) FROM pool").fetchone()[0]
    if count == 0:
        sys.exit(f"python_casefold.py: {ROWS_FILE} holds no pool rows")

    def build(collation):
        start = time.process_time()
        db.execute(f"CREATE INDEX i ON pool(x COLLATE {collation})")
        seconds = time.process_time() - start
        db.execute("DROP INDEX i")
        return seconds

    build("PY_CASEFOLD"), build("DYNENUM")  # warm up
    python, ours = [], []
    for round_number in range(ROUNDS):
        if round_number % 2:
            ours.append(build("DYNENUM"))
            python.append(build("PY_CASEFOLD"))
        else:
            python.append(build("PY_CASEFOLD"))
            ours.append(build("DYNENUM"))
    p, d = statistics.median(python), statistics.median(ours)
    print(f"python_casefold_vs_dynenum\t{p / d:.4f}\t{p:.9f}\t{d:.9f}\t{ROUNDS}\t"
          f"CREATE INDEX on the {count:,} pool rows with a str.casefold collation (Debian's python3) vs DYNENUM")


if __name__ == "__main__":
    main()
