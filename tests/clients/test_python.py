"""Python's standard sqlite3 module (Debian's /usr/bin/python3) as a client:
load_extension, every SQL feature once, and errors that surface as sqlite3
exceptions carrying dynenum's exact message (the texts of README.md and
tests/*.test).  Also runs examples/python_quickstart.py and checks its
output.

    /usr/bin/python3 tests/clients/test_python.py
"""
import os
import sqlite3
import subprocess
import sys
import unittest

from clienttest import ENDPOINT_TYPE, EXTENSION, PYTHON, ROOT, SCHEMA_SQL, VERSION, connect, main, scratch


class Loading(unittest.TestCase):
    def test_load_extension(self):
        conn = sqlite3.connect(":memory:")
        conn.enable_load_extension(True)
        conn.load_extension(EXTENSION)
        conn.enable_load_extension(False)
        self.assertEqual(conn.execute("SELECT dynenum_version()").fetchone(), (VERSION,))

    def test_disabled_loading_is_refused(self):
        conn = sqlite3.connect(":memory:")
        conn.enable_load_extension(False)
        with self.assertRaisesRegex(sqlite3.OperationalError, "^not authorized$"):
            conn.load_extension(EXTENSION)

    def test_loading_twice_changes_nothing(self):
        conn = connect()
        conn.execute(ENDPOINT_TYPE)
        conn.enable_load_extension(True)
        conn.load_extension(EXTENSION)
        self.assertEqual(conn.execute(
            "SELECT dynenum_resolve('endpoint_type', 'OpenAI-Chat')").fetchone(), ("openai_chat",))

    def test_without_the_extension(self):
        # The file's schema names the collation; without the extension SQLite
        # refuses instead of guessing.
        path = scratch("python-without.db")
        conn = connect(path)
        conn.execute("CREATE TABLE runs(endpoint TEXT COLLATE DYNENUM)")
        conn.execute("CREATE INDEX runs_endpoint ON runs(endpoint)")
        conn.commit()
        conn.close()
        plain = sqlite3.connect(path)
        with self.assertRaisesRegex(sqlite3.OperationalError, "^no such collation sequence: DYNENUM$"):
            plain.execute("INSERT INTO runs VALUES ('x')")


class Collation(unittest.TestCase):
    def setUp(self):
        self.conn = connect()

    def test_equality(self):
        self.assertEqual(self.conn.execute(
            "SELECT 'OpenAI_Chat' = 'openai-chat' COLLATE DYNENUM,"
            " ? = 'k' COLLATE DYNENUM,"
            " 'Straße' = 'STRASSE' COLLATE DYNENUM", ("\u212a",)).fetchone(), (1, 1, 0))

    def test_column_index_group_by(self):
        c = self.conn
        c.execute("CREATE TABLE runs(endpoint TEXT COLLATE DYNENUM)")
        c.executemany("INSERT INTO runs VALUES (?)",
                      [("OpenAI_Chat",), ("openai-chat",), ("ANTHROPIC_CHAT",), ("ΣΊΣΥΦΟΣ",)])
        c.execute("CREATE INDEX runs_endpoint ON runs(endpoint)")
        plan = " ".join(row[3] for row in c.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM runs WHERE endpoint = ?", ("OPENAI-CHAT",)))
        self.assertIn("runs_endpoint", plan)
        self.assertEqual(c.execute("SELECT count(*) FROM runs WHERE endpoint = ?",
                                   ("OPENAI-CHAT",)).fetchone(), (2,))
        self.assertEqual(c.execute("SELECT count(*) FROM runs WHERE endpoint = 'σίσυφος'").fetchone(), (1,))
        self.assertEqual(c.execute(
            "SELECT endpoint, count(*) FROM runs GROUP BY endpoint ORDER BY endpoint").fetchall(),
            [("ANTHROPIC_CHAT", 1), ("OpenAI_Chat", 2), ("ΣΊΣΥΦΟΣ", 1)])
        self.assertEqual(c.execute("PRAGMA integrity_check").fetchone(), ("ok",))

    def test_unique_index(self):
        c = self.conn
        c.execute("CREATE TABLE runs(endpoint TEXT COLLATE DYNENUM UNIQUE)")
        c.execute("INSERT INTO runs VALUES ('OpenAI_Chat')")
        with self.assertRaises(sqlite3.IntegrityError) as caught:
            c.execute("INSERT INTO runs VALUES ('openai-chat')")
        self.assertEqual(str(caught.exception), "UNIQUE constraint failed: runs.endpoint")


class Enums(unittest.TestCase):
    def setUp(self):
        self.conn = connect()
        self.conn.execute(ENDPOINT_TYPE)

    def test_create_virtual_table(self):
        self.assertEqual(self.conn.execute("SELECT ordinal, name, value FROM endpoint_type").fetchall(), [
            (1, "OPENAI_CHAT", "openai_chat"),
            (2, "ANTHROPIC_CHAT", "anthropic_chat"),
            (3, "Legacy Completions", "completions")])
        self.assertEqual(self.conn.execute(
            "SELECT name FROM endpoint_type WHERE name = ?", ("openai-chat",)).fetchall(), [("OPENAI_CHAT",)])

    def test_insert_dynamic_member(self):
        path = scratch("python-insert.db")
        conn = connect(path)
        conn.execute(ENDPOINT_TYPE)
        before = conn.execute("SELECT dynenum_resolve('endpoint_type', 'NVIDIA-Optimized')").fetchone()
        with conn:
            conn.execute("INSERT INTO endpoint_type(name) VALUES (?)", ("NVIDIA_Optimized",))
        after = conn.execute("SELECT dynenum_resolve('endpoint_type', 'NVIDIA-Optimized')").fetchone()
        self.assertEqual((before, after), (("nvidia_optimized",), ("nvidia_optimized",)))
        # Another connection on the file sees the new member.
        other = connect(path)
        self.assertEqual(other.execute(
            "SELECT ordinal, name, value FROM endpoint_type WHERE ordinal = 4").fetchall(),
            [(4, "NVIDIA_Optimized", "nvidia_optimized")])
        with other:
            other.execute("INSERT OR IGNORE INTO endpoint_type(name) VALUES ('nvidia-optimized')")
        self.assertEqual(other.execute("SELECT count(*) FROM endpoint_type").fetchone(), (4,))

    def test_rolled_back_insert(self):
        c = self.conn
        c.execute("BEGIN")
        c.execute("INSERT INTO endpoint_type(name) VALUES ('TRITON')")
        self.assertEqual(c.execute("SELECT dynenum_is_member('endpoint_type', 'triton')").fetchone(), (1,))
        c.rollback()
        self.assertEqual(c.execute("SELECT dynenum_is_member('endpoint_type', 'triton')").fetchone(), (0,))

    def test_attached_rename_drop(self):
        c = self.conn
        c.execute("ATTACH ? AS plugins", (scratch("python-attached.db"),))
        c.execute("CREATE VIRTUAL TABLE plugins.endpoint_type USING dynenum(MISTRAL)")
        # The unqualified name finds main's enum first, as for any table.
        self.assertEqual(c.execute(
            "SELECT dynenum_ordinal('endpoint_type', 'mistral'), dynenum_ordinal('plugins.endpoint_type', 'mistral'),"
            " dynenum_ordinal('main.endpoint_type', 'openai-chat')").fetchone(), (None, 1, 1))
        c.execute("ALTER TABLE plugins.endpoint_type RENAME TO plugin_endpoint")
        self.assertEqual(c.execute(
            "SELECT enum, name FROM dynenum_members WHERE schema = 'plugins'").fetchall(),
            [("plugin_endpoint", "MISTRAL")])
        self.assertEqual(c.execute("SELECT dynenum_resolve('plugin_endpoint', 'Mistral')").fetchone(), ("mistral",))
        c.execute("DROP TABLE plugin_endpoint")
        with self.assertRaises(sqlite3.OperationalError) as caught:
            c.execute("SELECT dynenum_resolve('plugin_endpoint', 'Mistral')")
        self.assertEqual(str(caught.exception), "no such enum: 'plugin_endpoint'")
        self.assertEqual(c.execute("SELECT name FROM plugins.sqlite_schema").fetchall(), [])


class Functions(unittest.TestCase):
    def setUp(self):
        self.conn = connect()
        self.conn.execute(ENDPOINT_TYPE)

    def one(self, sql, *parameters):
        return self.conn.execute(sql, parameters).fetchone()[0]

    def test_resolve(self):
        resolve = "SELECT dynenum_resolve('endpoint_type', ?)"
        self.assertEqual(self.one(resolve, "OpenAI-Chat"), "openai_chat")
        self.assertEqual(self.one(resolve, "LEGACY COMPLETIONS"), "completions")
        self.assertEqual(self.one(resolve, "Completions"), "completions")
        self.assertEqual(self.one(resolve, "NVIDIA-Optimized"), "nvidia_optimized")
        self.assertIsNone(self.one(resolve, None))
        self.assertEqual(self.one("SELECT dynenum_resolve('main.ENDPOINT_TYPE', 'openai_chat')"), "openai_chat")

    def test_is_member(self):
        self.assertEqual(self.conn.execute(
            "SELECT dynenum_is_member('endpoint_type', 'anthropic-chat'),"
            " dynenum_is_member('endpoint_type', 'NVIDIA-Optimized'),"
            " dynenum_is_member('endpoint_type', '_private')").fetchone(), (1, 0, 0))

    def test_ordinal(self):
        self.assertEqual(self.conn.execute(
            "SELECT dynenum_ordinal('endpoint_type', 'anthropic-chat'),"
            " dynenum_ordinal('endpoint_type', 'NVIDIA-Optimized')").fetchone(), (2, None))

    def test_key(self):
        self.assertEqual(self.one("SELECT dynenum_key(?)", "Open-AI ΣΊΣΥΦΟΣ"), "open_ai σίσυφοσ")

    def test_version(self):
        self.assertEqual(self.one("SELECT dynenum_version()"), VERSION)

    def test_schema_with_untrusted_schema(self):
        c = self.conn
        with open(SCHEMA_SQL, encoding="utf-8") as f:
            schema = f.read()
        c.executescript("PRAGMA trusted_schema = OFF;\n" + schema +
                        "INSERT INTO requests(endpoint) VALUES ('OpenAI-Chat'), ('anthropic_chat');")
        with self.assertRaises(sqlite3.IntegrityError) as caught:
            c.execute("INSERT INTO requests(endpoint) VALUES ('NVIDIA_OPTIMIZED')")
        self.assertEqual(str(caught.exception),
                         "CHECK constraint failed: dynenum_is_member('endpoint_type', endpoint)")
        self.assertEqual(c.execute(
            "SELECT endpoint, canonical FROM requests"
            " ORDER BY dynenum_ordinal('endpoint_type', endpoint) DESC").fetchall(),
            [("anthropic_chat", "anthropic_chat"), ("OpenAI-Chat", "openai_chat")])


class AliasesStrictRetired(unittest.TestCase):
    """docs/SPEC.md section 11 as Python sees it."""
    def setUp(self):
        self.conn = connect()
        self.conn.execute("CREATE VIRTUAL TABLE endpoint_type USING dynenum("
                          "OPENAI_CHAT, OPENAI = OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat')")

    def test_alias_resolves_and_is_listed_apart(self):
        c = self.conn
        self.assertEqual(c.execute("SELECT dynenum_resolve('endpoint_type', 'openai'),"
                                   " dynenum_ordinal('endpoint_type', 'OPENAI')").fetchone(), ("openai_chat", 1))
        self.assertEqual(c.execute("SELECT name FROM endpoint_type").fetchall(), [("OPENAI_CHAT",), ("ANTHROPIC_CHAT",)])
        self.assertEqual(c.execute("SELECT name, alias_of FROM dynenum_members WHERE alias_of IS NOT NULL").fetchall(),
                         [("OPENAI", "OPENAI_CHAT")])

    def test_added_alias_must_change_nothing(self):
        c = self.conn
        c.execute("INSERT INTO endpoint_type(name, alias_of) VALUES (?, ?)", ("OpenAI-Chat", "OPENAI"))
        with self.assertRaises(sqlite3.IntegrityError) as caught:
            c.execute("INSERT INTO endpoint_type(name, alias_of) VALUES (?, ?)", ("GPT", "OPENAI"))
        self.assertEqual(str(caught.exception),
                         "dynenum: cannot add alias 'GPT' of member 'OPENAI_CHAT' to enum 'endpoint_type': 'GPT' does "
                         "not already resolve to that member, and an added alias must change no result (declare it "
                         "in CREATE VIRTUAL TABLE)")

    def test_strict(self):
        c = self.conn
        self.assertEqual(c.execute("SELECT dynenum_strict('endpoint_type', ?)", ("OpenAI",)).fetchone(),
                         ("openai_chat",))
        with self.assertRaises(sqlite3.OperationalError) as caught:
            c.execute("SELECT dynenum_strict('endpoint_type', ?)", ("opnai_chat",))
        self.assertEqual(str(caught.exception),
                         "dynenum_strict(): invalid value 'opnai_chat' for enum 'endpoint_type': expected one of "
                         "OPENAI_CHAT, ANTHROPIC_CHAT (2 members); did you mean 'openai_chat'?")

    def test_retire(self):
        c = self.conn
        c.execute("UPDATE endpoint_type SET retired = 1 WHERE name = ?", ("anthropic-chat",))
        c.commit()
        self.assertEqual(c.execute("SELECT dynenum_resolve('endpoint_type', 'anthropic_chat'),"
                                   " dynenum_is_member('endpoint_type', 'anthropic_chat')").fetchone(),
                         ("anthropic_chat", 1))
        with self.assertRaises(sqlite3.OperationalError) as caught:
            c.execute("SELECT dynenum_current('endpoint_type', 'anthropic_chat')")
        self.assertEqual(str(caught.exception),
                         "dynenum_current(): member 'ANTHROPIC_CHAT' of enum 'endpoint_type' is retired: expected "
                         "OPENAI_CHAT (1 member)")
        self.assertEqual(c.execute("SELECT name FROM endpoint_type WHERE NOT retired").fetchall(), [("OPENAI_CHAT",)])


class Catalog(unittest.TestCase):
    def test_dynenum_members(self):
        c = connect()
        c.execute("CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)")
        c.execute("CREATE VIRTUAL TABLE colour USING dynenum(RED, GREEN = 'green-ish')")
        self.assertEqual(c.execute("SELECT * FROM dynenum_members").fetchall(), [
            ("colour", 1, "RED", "red"),
            ("colour", 2, "GREEN", "green-ish"),
            ("endpoint_type", 1, "OPENAI_CHAT", "openai_chat"),
            ("endpoint_type", 2, "ANTHROPIC_CHAT", "anthropic_chat")])
        self.assertEqual(c.execute(
            "SELECT name, value FROM dynenum_members WHERE enum = ?", ("colour",)).fetchall(),
            [("RED", "red"), ("GREEN", "green-ish")])


class Errors(unittest.TestCase):
    """Errors reach Python as sqlite3 exceptions with dynenum's message:
    OperationalError for SQLITE_ERROR, IntegrityError for a refused row
    (SQLITE_CONSTRAINT), which is how the sqlite3 module maps result codes."""

    def setUp(self):
        self.conn = connect()
        self.conn.execute(ENDPOINT_TYPE)

    def assertError(self, exception, message, sql, *parameters):
        with self.assertRaises(exception) as caught:
            self.conn.execute(sql, parameters)
        self.assertEqual(str(caught.exception), message)

    def test_resolve_errors(self):
        resolve = "SELECT dynenum_resolve('endpoint_type', ?)"
        self.assertError(sqlite3.OperationalError,
                         "dynenum_resolve(): reserved name '_private' in enum 'endpoint_type'",
                         resolve, "_private")
        self.assertError(sqlite3.OperationalError,
                         "dynenum_resolve(): whitespace or control character U+0020"
                         " in name 'two words' in enum 'endpoint_type'",
                         resolve, "two words")
        self.assertError(sqlite3.OperationalError,
                         "dynenum_resolve(): empty name in enum 'endpoint_type'",
                         resolve, "")
        self.assertError(sqlite3.OperationalError,
                         "dynenum_resolve(): malformed UTF-8 in name 'AB\\xff' in enum 'endpoint_type'",
                         "SELECT dynenum_resolve('endpoint_type', CAST(x'4142ff' AS TEXT))")

    def test_non_text_parameters(self):
        resolve = "SELECT dynenum_resolve('endpoint_type', ?)"
        self.assertError(sqlite3.OperationalError,
                         "dynenum_resolve(): expected text in enum 'endpoint_type', got integer 42",
                         resolve, 42)
        self.assertError(sqlite3.OperationalError,
                         "dynenum_resolve(): expected text in enum 'endpoint_type', got blob of 2 bytes",
                         resolve, b"AB")

    def test_unknown_enum(self):
        self.assertError(sqlite3.OperationalError, "no such enum: 'endpoint'",
                         "SELECT dynenum_resolve('endpoint', 'OPENAI_CHAT')")

    def test_create_errors(self):
        self.assertError(sqlite3.OperationalError,
                         "dynenum: reserved name '_SECRET' in enum 'colour'",
                         "CREATE VIRTUAL TABLE colour USING dynenum(RED, _SECRET)")
        self.assertError(sqlite3.OperationalError,
                         "dynenum: member 'Red' collides with member 'RED' in enum 'colour' (same key 'red')",
                         "CREATE VIRTUAL TABLE colour USING dynenum(RED, Red)")
        self.assertError(sqlite3.OperationalError,
                         "dynenum: cannot parse argument 1 of enum 'colour'"
                         " (expected NAME, NAME = 'value' or NAME = OTHER): DARK RED",
                         "CREATE VIRTUAL TABLE colour USING dynenum(DARK RED)")

    def test_refused_changes(self):
        self.assertError(sqlite3.IntegrityError,
                         "dynenum: member 'openai-chat' collides with member 'OPENAI_CHAT'"
                         " in enum 'endpoint_type' (same key 'openai_chat')",
                         "INSERT INTO endpoint_type(name) VALUES (?)", "openai-chat")
        self.assertError(sqlite3.IntegrityError,
                         "dynenum: member 'TRITON' added to enum 'endpoint_type'"
                         " must have the value 'triton', the key of its name, or none",
                         "INSERT INTO endpoint_type(name, value) VALUES ('TRITON', 'tritonserver')")
        self.assertError(sqlite3.IntegrityError,
                         "dynenum: cannot update members of enum 'endpoint_type':"
                         " a member, once added, is never changed or removed",
                         "UPDATE endpoint_type SET value = 'chat' WHERE name = 'OPENAI_CHAT'")
        self.assertError(sqlite3.IntegrityError,
                         "dynenum: cannot delete members of enum 'endpoint_type':"
                         " a member, once added, is never changed or removed",
                         "DELETE FROM endpoint_type")
        self.assertError(sqlite3.OperationalError, "table dynenum_members may not be modified",
                         "DELETE FROM dynenum_members")


class Quickstart(unittest.TestCase):
    def test_python_quickstart(self):
        # Run as a reader would: from the repository root, after `make`.
        run = subprocess.run([PYTHON, os.path.join("examples", "python_quickstart.py")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
        self.assertEqual((run.returncode, run.stderr), (0, ""))
        with open(os.path.join(ROOT, "examples", "python_quickstart.out"), encoding="utf-8") as expected:
            self.assertEqual(run.stdout, expected.read())


if __name__ == "__main__":
    print("Python %s, its sqlite3 module on SQLite %s" % (sys.version.split()[0], sqlite3.sqlite_version))
    main("python")
