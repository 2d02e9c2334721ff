"""What tools/fresh.sh runs with the wheel installed in a venv of a fresh
Debian 12 root: dynenum.enum_class() against the SQL it mirrors.  Prints
"enum_class: ok" last when everything held."""
import sqlite3

import dynenum

db = sqlite3.connect(":memory:")
dynenum.load(db)
db.execute("CREATE VIRTUAL TABLE colour USING dynenum(RED, GREEN = 'green-ish', \"Sky Blue\" = 'sky')")
Colour = dynenum.enum_class(db, "colour")
assert Colour("Red") is Colour.RED is Colour["red"] and Colour("GREEN_ISH") is Colour.GREEN
assert Colour("\u03c3x") is Colour("\u03c2X") and Colour("\u212a") == "k" and Colour("k").dynamic
with db:
    violet = dynenum.register(Colour, "Ultra-Violet")
    db.execute("CREATE TABLE paint(colour TEXT COLLATE DYNENUM)")
    db.executemany("INSERT INTO paint VALUES (?)", [(Colour(s),) for s in ["red", "ULTRA_VIOLET", "sky"]])
assert [(m.name, m.ordinal) for m in Colour] == [("RED", 1), ("GREEN", 2), ("Sky Blue", 3), ("Ultra-Violet", 4)]
counted = db.execute("SELECT colour, count(*) FROM paint GROUP BY colour ORDER BY 1").fetchall()
assert [(Colour(c), n) for c, n in counted] == [(Colour.RED, 1), (Colour("Sky Blue"), 1), (violet, 1)], counted
print(dynenum.__version__)
print("enum_class: ok")
