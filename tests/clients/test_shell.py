"""The sqlite3 shell as a client, and database files passed between clients:
a file the shell builds (shell_db.sql) is reopened and queried from Python,
and a file Python builds or extends is read back by the shell.  Node does
the same in node/test_node.mjs.  (tests/examples.test already checks the
shell's output for the demo and the README's examples.)

    /usr/bin/python3 tests/clients/test_shell.py
"""
import unittest

from clienttest import SHELL_DB_SQL, VERSION, connect, main, scratch, shell

MEMBERS = [
    (1, "OPENAI_CHAT", "openai_chat"),
    (2, "ANTHROPIC_CHAT", "anthropic_chat"),
    (3, "Legacy Completions", "completions"),
    (4, "NVIDIA_Optimized", "nvidia_optimized"),
]


def shell_database(name):
    """A new database file built by the shell from shell_db.sql."""
    path = scratch(name)
    with open(SHELL_DB_SQL, encoding="utf-8") as f:
        script = f.read()
    status, out, err = shell(path, script)
    if (status, out, err) != (0, "", ""):
        raise AssertionError("the shell failed on shell_db.sql: %r" % ((status, out, err),))
    return path


class Shell(unittest.TestCase):
    def test_load_as_the_readme_says(self):
        self.assertEqual(shell(":memory:", ".load ./build/dynenum\nSELECT dynenum_version();\n", load=None),
                         (0, VERSION + "\n", ""))

    def test_function_error(self):
        self.assertEqual(shell(":memory:", (
            "CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT);\n"
            "SELECT dynenum_resolve('endpoint_type', '_private');\n")), (
            1, "",
            "Runtime error near line 2: dynenum_resolve(): reserved name '_private' in enum 'endpoint_type'\n"))

    def test_constraint_error(self):
        self.assertEqual(shell(":memory:", (
            "CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT);\n"
            "INSERT INTO endpoint_type(name) VALUES ('openai-chat');\n")), (
            1, "",
            "Runtime error near line 2: dynenum: member 'openai-chat' collides with member 'OPENAI_CHAT'"
            " in enum 'endpoint_type' (same key 'openai_chat') (19)\n"))

    def test_shell_database_without_the_extension(self):
        # SQLite refuses what needs the extension instead of guessing.
        path = shell_database("shell-without.db")
        self.assertEqual(shell(path, "SELECT count(*) FROM requests WHERE endpoint = 'x';\n", load=None),
                         (1, "", "Parse error near line 1: no such collation sequence: DYNENUM\n"))


class ShellToPython(unittest.TestCase):
    """The file the shell wrote, read through Python's sqlite3 module."""

    @classmethod
    def setUpClass(cls):
        cls.path = shell_database("shell-to-python.db")

    def setUp(self):
        self.conn = connect(self.path)

    def test_enum(self):
        self.assertEqual(self.conn.execute("SELECT ordinal, name, value FROM endpoint_type").fetchall(), MEMBERS)
        self.assertEqual(self.conn.execute(
            "SELECT ordinal, name FROM dynenum_members WHERE enum = 'endpoint_type' AND name = 'nvidia-optimized'"
        ).fetchall(), [(4, "NVIDIA_Optimized")])

    def test_collated_index(self):
        c = self.conn
        plan = " ".join(row[3] for row in c.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM requests WHERE endpoint = ?", ("OPENAI-chat",)))
        self.assertIn("requests_endpoint", plan)
        self.assertEqual(c.execute("SELECT id FROM requests WHERE endpoint = ? ORDER BY id",
                                   ("OPENAI-chat",)).fetchall(), [(1,), (2,), (6,)])
        self.assertEqual(c.execute(
            "SELECT endpoint, count(*) FROM requests GROUP BY endpoint ORDER BY endpoint").fetchall(),
            [("Anthropic-Chat", 1), ("LEGACY COMPLETIONS", 1), ("nvidia-optimized", 1), ("OpenAI_Chat", 3)])
        self.assertEqual(c.execute("PRAGMA integrity_check").fetchone(), ("ok",))

    def test_generated_column(self):
        self.assertEqual(self.conn.execute(
            "SELECT id FROM requests WHERE canonical = dynenum_resolve('endpoint_type', 'Completions')"
        ).fetchall(), [(5,)])


class PythonToShell(unittest.TestCase):
    """Files Python wrote or extended, read back by the shell."""

    def test_python_extends_a_shell_database(self):
        path = shell_database("python-extends-shell.db")
        conn = connect(path)
        with conn:
            conn.execute("INSERT INTO endpoint_type(name) VALUES ('Groq')")
            conn.execute("INSERT INTO requests(endpoint) VALUES ('GROQ'), ('nvidia_OPTIMIZED')")
        conn.close()
        self.assertEqual(shell(path, (
            "SELECT ordinal, name, value FROM endpoint_type WHERE ordinal > 3;\n"
            "SELECT endpoint, count(*) FROM requests GROUP BY endpoint ORDER BY dynenum_ordinal('endpoint_type', endpoint);\n"
            "PRAGMA integrity_check;\n")), (0, (
                "4|NVIDIA_Optimized|nvidia_optimized\n"
                "5|Groq|groq\n"
                "OpenAI_Chat|3\n"
                "Anthropic-Chat|1\n"
                "LEGACY COMPLETIONS|1\n"
                "nvidia-optimized|2\n"
                "GROQ|1\n"
                "ok\n"), ""))

    def test_python_database_in_the_shell(self):
        path = scratch("python-to-shell.db")
        conn = connect(path)
        with conn:
            conn.execute("CREATE VIRTUAL TABLE colour USING dynenum(RED, GREEN = 'green-ish')")
            conn.execute("INSERT INTO colour(name) VALUES ('Ultra-Violet')")
            conn.execute("CREATE TABLE paint(colour TEXT COLLATE DYNENUM UNIQUE)")
            conn.executemany("INSERT INTO paint VALUES (?)", [("red",), ("Green-Ish",), ("ULTRA_VIOLET",)])
        conn.close()
        self.assertEqual(shell(path, (
            "SELECT * FROM dynenum_members;\n"
            "SELECT colour, dynenum_resolve('colour', colour) FROM paint ORDER BY colour;\n"
            "INSERT INTO paint VALUES ('Ultra_Violet');\n")), (
            1,
            "colour|1|RED|red\n"
            "colour|2|GREEN|green-ish\n"
            "colour|3|Ultra-Violet|ultra_violet\n"
            "Green-Ish|green-ish\n"
            "red|red\n"
            "ULTRA_VIOLET|ultra_violet\n",
            "Runtime error near line 3: UNIQUE constraint failed: paint.colour (19)\n"))


if __name__ == "__main__":
    main("shell")
