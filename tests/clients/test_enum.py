"""dynenum.enum_class() from the source tree (python/), on Debian's Python
with its python3-pydantic: lookups, dynamic members, equality and hashing by
the extension's key, registering, seeing other connections' members,
Pydantic fields and threads.  The installed wheel is tested by
test_wheel.py, which also runs the README's program and mypy.

    /usr/bin/python3 tests/clients/test_enum.py
"""
import os
import random
import sqlite3
import sys
import threading
import unittest

from clienttest import ENDPOINT_TYPE, EXTENSION, ROOT, main, scratch, shell

sys.path.insert(0, os.path.join(ROOT, "python"))
import dynenum  # noqa: E402  (the source tree's package, found above)
import pydantic  # noqa: E402

# Letters whose case variants str.lower() and dynenum's key treat
# differently: final and capital sigma, long s, Kelvin and micro signs,
# dotted capital I, Cherokee (whose simple folding is upper case), sharp s.
TRICKY = ["Σ", "σ", "ς", "ſ", "s", "S", "\u212a", "k", "K", "µ", "μ", "Μ", "İ", "i", "I",
          "Ꭰ", "ꭰ", "ẞ", "ß", "-", "_"]


def connect(path=":memory:"):
    # The class may be used from several threads; it serialises its own
    # use of the connection.
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    conn.enable_load_extension(False)
    return conn


def spellings(count, seed):
    """Valid dynamic names made of TRICKY letters and plain ones, and
    case variants of the members' names."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        word = "".join(rng.choice(TRICKY + list("aBc")) for _ in range(rng.randint(1, 4)))
        if word[0] in "-_":
            word = "x" + word
        out.append(word)
    for name in ["OPENAI_CHAT", "anthropic_chat", "completions", "nvidia_optimized"]:
        for _ in range(count // 20):
            out.append("".join(c.upper() if rng.random() < 0.5 else c.lower() for c in name)
                       .replace("_", rng.choice("-_")))
    return out


class WithEnum(unittest.TestCase):
    """Each test has the enum ENDPOINT_TYPE on a connection of its own, and its class."""

    def setUp(self):
        self.conn = connect()
        self.conn.execute(ENDPOINT_TYPE)
        self.E = dynenum.enum_class(self.conn, "endpoint_type")


class Lookups(WithEnum):

    def test_members_in_ordinal_order(self):
        E = self.E
        self.assertEqual([(m.name, m.value, m.ordinal) for m in E],
                         [("OPENAI_CHAT", "openai_chat", 1), ("ANTHROPIC_CHAT", "anthropic_chat", 2),
                          ("Legacy Completions", "completions", 3)])
        self.assertEqual(len(E), 3)
        self.assertEqual((E.__name__, issubclass(E, str), isinstance(E.OPENAI_CHAT, dynenum.DatabaseEnum)),
                         ("EndpointType", True, True))

    def test_any_spelling(self):
        E = self.E
        member = E.OPENAI_CHAT
        for found in [E("OpenAI-Chat"), E["openai_chat"], E.openai_chat, E("OPENAI_CHAT"), E(member)]:
            self.assertIs(found, member)
        self.assertIs(E("Completions"), E["Legacy Completions"])
        self.assertIs(E("LEGACY COMPLETIONS"), E["Legacy Completions"])

    def test_dynamic_members_are_interned_and_never_iterated(self):
        E = self.E
        triton = E("Triton")
        self.assertIs(triton, E.TRITON)
        self.assertIs(triton, E["triton"])
        self.assertEqual((triton.name, triton.value, triton.ordinal, triton.dynamic),
                         ("Triton", "triton", None, True))
        self.assertEqual((str(triton), repr(triton), f"{triton}"),
                         ("triton", "<EndpointType.Triton: 'triton' (dynamic)>", "triton"))
        self.assertNotIn(triton, list(E))
        self.assertEqual(len(E), 3)
        self.assertNotIn("triton", E)
        self.assertIn("openai-chat", E)

    def test_dynamic_value_is_what_the_database_resolves(self):
        E = self.E
        for text in spellings(300, 1):
            (expected,) = self.conn.execute("SELECT dynenum_resolve('endpoint_type', ?)", (text,)).fetchone()
            self.assertEqual(E(text).value, expected, text)

    def test_refused_names(self):
        E = self.E
        with self.assertRaises(ValueError) as caught:
            E("two words")
        self.assertEqual(str(caught.exception), "dynenum_resolve(): whitespace or control character U+0020"
                         " in name 'two words' in enum 'endpoint_type'")
        with self.assertRaises(KeyError) as caught:
            E["-x"]
        self.assertEqual(caught.exception.args, ("dynenum_resolve(): reserved name '-x' in enum 'endpoint_type'",))
        with self.assertRaises(ValueError) as caught:
            E(42)
        self.assertEqual(str(caught.exception), "expected text in enum 'endpoint_type', got int 42")
        with self.assertRaises(ValueError) as caught:
            E("")
        self.assertEqual(str(caught.exception), "dynenum_resolve(): empty name in enum 'endpoint_type'")
        with self.assertRaises(ValueError) as caught:
            E("ab\ud800")
        self.assertEqual(str(caught.exception), "malformed UTF-8 in name 'ab\\ud800' in enum 'endpoint_type'")
        self.assertFalse(E.OPENAI_CHAT == "\ud800")
        self.assertTrue(E.OPENAI_CHAT != "\ud800")

    def test_underscore_attributes_raise_attribute_error(self):
        E = self.E
        for name in ["_private", "_OPENAI_CHAT", "__wrapped__"]:
            with self.assertRaises(AttributeError):
                getattr(E, name)
        self.assertFalse(hasattr(E, "_x"))
        self.assertEqual(len(E), 3)

    def test_unknown_enum(self):
        with self.assertRaises(sqlite3.OperationalError) as caught:
            dynenum.enum_class(self.conn, "endpoint")
        self.assertEqual(str(caught.exception), "no such enum: 'endpoint'")
        self.conn.execute("CREATE TABLE plain(x)")
        with self.assertRaises(sqlite3.OperationalError) as caught:
            dynenum.enum_class(self.conn, "plain")
        self.assertEqual(str(caught.exception), "no such enum: 'plain' (it is a table)")

    def test_attached_enum(self):
        self.conn.execute("ATTACH ? AS plugins", (scratch("enum-attached.db"),))
        self.conn.execute("CREATE VIRTUAL TABLE plugins.endpoint_type USING dynenum(MISTRAL)")
        P = dynenum.enum_class(self.conn, "plugins.endpoint_type", name="PluginEndpoint")
        self.assertEqual([m.name for m in P], ["MISTRAL"])
        self.assertEqual([m.name for m in self.E], ["OPENAI_CHAT", "ANTHROPIC_CHAT", "Legacy Completions"])
        self.assertEqual(repr(dynenum.register(P, "Groq")), "<PluginEndpoint.Groq: 'groq'>")
        self.assertEqual(self.conn.execute("SELECT name FROM plugins.endpoint_type WHERE ordinal = 2").fetchone(),
                         ("Groq",))


class Equality(WithEnum):
    """== and hash follow COLLATE DYNENUM on the values, between members,
    dynamic members and strings, and agree with each other."""

    def test_not_str_lower(self):
        E = self.E
        # Where str.lower() and the key disagree, the class says what SQL says.
        for a, b in [("σ", "ς"), ("ſ", "s"), ("\u212a", "k"), ("µ", "μ"), ("Ꭰ", "ꭰ"), ("x-y", "x_y"), ("İ", "i")]:
            (sql,) = self.conn.execute("SELECT ? = ? COLLATE DYNENUM", (a, b)).fetchone()
            self.assertEqual(E(a) is E(b), bool(sql), (a, b))
            self.assertEqual(E(a) == b, bool(sql), (a, b))
            self.assertEqual(E(a) != b, not sql, (a, b))
        # Cherokee's canonical value is the key's, not str.lower()'s.
        self.assertEqual(E("ꭰ").value, "Ꭰ")
        self.assertNotEqual("Ꭰ".lower(), "Ꭰ")

    def test_equal_means_same_hash(self):
        E = self.E
        objects = [E(text) for text in spellings(400, 2)]
        for a in objects[:200]:
            for b in objects:
                if a == b:
                    self.assertEqual(hash(a), hash(b), (a, b))
                    self.assertTrue(b == a)
                self.assertEqual(a == b, self.conn.execute(
                    "SELECT ? = ? COLLATE DYNENUM", (a.value, b.value)).fetchone()[0] == 1)

    def test_member_hashes_as_its_value(self):
        E = self.E
        self.assertEqual({E.OPENAI_CHAT: 1}["openai_chat"], 1)
        self.assertEqual({"triton": 1}[E("TRITON")], 1)
        self.assertEqual(len({E("Triton"), E("triton"), E("TRITON")}), 1)

    def test_groups_as_sql_groups(self):
        E = self.E
        texts = spellings(2000, 3)
        self.conn.execute("CREATE TABLE t(x TEXT COLLATE DYNENUM)")
        self.conn.executemany("INSERT INTO t VALUES (?)", [(E(text),) for text in texts])
        sql = sorted(count for (count,) in self.conn.execute("SELECT count(*) FROM t GROUP BY x"))
        groups = {}
        for text in texts:
            groups[E(text)] = groups.get(E(text), 0) + 1
        self.assertEqual(sorted(groups.values()), sql)


class Aliases(unittest.TestCase):
    """The enum's aliases (SPEC §11.4) are Python aliases of their members."""

    def setUp(self):
        self.conn = connect()
        self.conn.execute("CREATE VIRTUAL TABLE endpoint_type USING dynenum("
                          "OPENAI_CHAT, OPENAI = OPENAI_CHAT, ANTHROPIC_CHAT)")
        self.E = dynenum.enum_class(self.conn, "endpoint_type")

    def test_an_alias_is_its_member(self):
        E = self.E
        self.assertIs(E.OPENAI, E.OPENAI_CHAT)
        self.assertIs(E["OPENAI"], E.OPENAI_CHAT)
        self.assertIs(E("openai"), E.OPENAI_CHAT)
        self.assertEqual(E.OPENAI, "openai_chat")

    def test_iteration_lists_members_once_and_members_every_name(self):
        E = self.E
        self.assertEqual([m.name for m in E], ["OPENAI_CHAT", "ANTHROPIC_CHAT"])
        self.assertEqual(len(E), 2)
        self.assertEqual(list(E.__members__), ["OPENAI_CHAT", "ANTHROPIC_CHAT", "OPENAI"])

    def test_an_alias_added_later_is_seen_on_refresh(self):
        self.conn.execute("INSERT INTO endpoint_type(name, alias_of) VALUES ('OpenAI-Chat', 'OPENAI_CHAT')")
        dynenum.refresh(self.E)
        self.assertIs(self.E["OpenAI-Chat"], self.E.OPENAI_CHAT)
        self.assertEqual(list(self.E.__members__)[-1], "OpenAI-Chat")

    def test_an_alias_called_name_or_value_hides_nothing(self):
        self.conn.execute("CREATE VIRTUAL TABLE e2 USING dynenum(A, B, name = B, value = B, upper = A)")
        E = dynenum.enum_class(self.conn, "e2")
        self.assertEqual((E.A.name, E.A.value, E.B.name), ("A", "a", "B"))
        self.assertEqual(E.A.upper(), "A")
        self.assertIs(E["name"], E.B)
        self.assertIs(E("value"), E.B)
        from dynenum.stubs import stub_text
        self.assertNotIn("    value =", stub_text(self.conn, "e2", "test.db"))

    def test_stubs_name_the_alias(self):
        from dynenum.stubs import stub_text
        text = stub_text(self.conn, "endpoint_type", "test.db")
        self.assertIn("    OPENAI = OPENAI_CHAT  # an alias\n", text)


class Registering(unittest.TestCase):
    def enum_on_file(self, name):
        """A file NAME with the enum ENDPOINT_TYPE committed: (path, conn, class)."""
        path = scratch(name)
        conn = connect(path)
        conn.execute(ENDPOINT_TYPE)
        conn.commit()
        return path, conn, dynenum.enum_class(conn, "endpoint_type")

    def test_register_in_the_callers_transaction(self):
        path, conn, E = self.enum_on_file("enum-register.db")
        before = E("NVIDIA-Optimized")
        conn.execute("BEGIN")
        member = dynenum.register(E, "NVIDIA_OPTIMIZED")
        self.assertTrue(conn.in_transaction)
        self.assertEqual((repr(member), len(E), member == before, hash(member) == hash(before)),
                         ("<EndpointType.NVIDIA_OPTIMIZED: 'nvidia_optimized'>", 4, True, True))
        self.assertIs(E("nvidia-optimized"), member)
        self.assertIs(dynenum.register(E, "nvidia-optimized"), member)
        other = connect(path)
        self.assertEqual(other.execute("SELECT count(*) FROM endpoint_type").fetchone(), (3,))
        conn.rollback()
        dynenum.refresh(E)
        self.assertEqual([m.name for m in E], ["OPENAI_CHAT", "ANTHROPIC_CHAT", "Legacy Completions"])
        self.assertTrue(E("nvidia-optimized").dynamic)
        with conn:
            dynenum.register(E, "NVIDIA_OPTIMIZED")
        self.assertEqual(other.execute("SELECT ordinal, name FROM endpoint_type WHERE ordinal = 4").fetchone(),
                         (4, "NVIDIA_OPTIMIZED"))

    def test_refused_registration(self):
        conn = connect()
        conn.execute(ENDPOINT_TYPE)
        E = dynenum.enum_class(conn, "endpoint_type")
        for name, message in [("_x", "dynenum: reserved name '_x' in enum 'endpoint_type'"),
                              ("a b", "dynenum: whitespace or control character U+0020 in name 'a b'"
                                      " in enum 'endpoint_type'")]:
            with self.assertRaises(sqlite3.IntegrityError) as caught:
                dynenum.register(E, name)
            self.assertEqual(str(caught.exception), message)
        self.assertEqual(len(E), 3)

    def test_another_connection_adds_a_member(self):
        path, conn, E = self.enum_on_file("enum-other.db")
        dynamic = E("Groq")
        other = connect(path)
        with other:
            other.execute("INSERT INTO endpoint_type(name) VALUES ('GROQ')")
        # Iteration shows what the class knows; the next lookup that misses
        # asks the database.
        self.assertEqual(len(E), 3)
        member = E("groq")
        self.assertEqual((repr(member), member.ordinal, len(E), member == dynamic),
                         ("<EndpointType.GROQ: 'groq'>", 4, 4, True))
        self.assertIs(E.Groq, member)

    def test_another_process_adds_a_member(self):
        path, conn, E = self.enum_on_file("enum-process.db")
        self.assertTrue(E("Mistral").dynamic)
        self.assertEqual(shell(path, "INSERT INTO endpoint_type(name) VALUES ('MISTRAL');"), (0, "", ""))
        member = E["mistral"]
        self.assertEqual((repr(member), member.ordinal, [m.name for m in E][-1]),
                         ("<EndpointType.MISTRAL: 'mistral'>", 4, "MISTRAL"))


class Pydantic(WithEnum):
    def setUp(self):
        super().setUp()
        E = self.E

        class Request(pydantic.BaseModel):
            endpoint: E
            plugin: E = pydantic.Field(None, allow_dynamic=True)
        self.Request = Request

    def test_version(self):
        self.assertEqual(pydantic.VERSION.split(".")[:2], ["1", "10"])

    def test_any_spelling(self):
        request = self.Request(endpoint="Anthropic-Chat", plugin="OPENAI-chat")
        self.assertIs(request.endpoint, self.E.ANTHROPIC_CHAT)
        self.assertIs(request.plugin, self.E.OPENAI_CHAT)
        self.assertEqual(request.json(), '{"endpoint": "anthropic_chat", "plugin": "openai_chat"}')

    def test_dynamic_when_asked(self):
        request = self.Request(endpoint="openai_chat", plugin="Triton")
        self.assertIs(request.plugin, self.E("triton"))
        self.assertTrue(request.plugin.dynamic)

    def test_refused_with_the_choices(self):
        with self.assertRaises(pydantic.ValidationError) as caught:
            self.Request(endpoint="Triton")
        self.assertEqual(caught.exception.errors(), [{
            "loc": ("endpoint",), "type": "type_error.enum",
            "msg": "value is not a valid enumeration member; permitted: 'openai_chat', 'anthropic_chat',"
                   " 'completions'",
            "ctx": {"enum_values": list(self.E)}}])

    def test_refused_names(self):
        with self.assertRaises(pydantic.ValidationError) as caught:
            self.Request(endpoint="openai_chat", plugin="_x")
        self.assertEqual([(e["loc"], e["msg"]) for e in caught.exception.errors()],
                         [(("plugin",), "dynenum_resolve(): reserved name '_x' in enum 'endpoint_type'")])

    def test_registered_member_validates(self):
        with self.assertRaises(pydantic.ValidationError):
            self.Request(endpoint="nvidia-optimized")
        member = dynenum.register(self.E, "NVIDIA_OPTIMIZED")
        self.assertIs(self.Request(endpoint="nvidia-optimized").endpoint, member)


class Threads(unittest.TestCase):
    def test_resolving_while_another_thread_registers(self):
        conn = connect()
        conn.execute(ENDPOINT_TYPE)
        E = dynenum.enum_class(conn, "endpoint_type")
        names = ["PLUGIN_%03d" % i for i in range(150)]
        failures = []
        done = threading.Event()

        def register():
            try:
                for name in names:
                    dynenum.register(E, name)
            except Exception as error:  # reported below
                failures.append(("register", error))
            finally:
                done.set()

        def resolve(seed):
            rng = random.Random(seed)
            try:
                while not done.is_set():
                    name = rng.choice(names)
                    spelling = name.lower().replace("_", "-")
                    member = E(spelling)
                    again = E(spelling)
                    # The same object again, unless the name became a
                    # member in between; one value all along.
                    if (member.value, again.value) != (name.lower(),) * 2 or \
                            again is not member and not (member.dynamic and not again.dynamic):
                        failures.append(("resolve", spelling, member, again))
                    if E["openai_chat"] is not E.OPENAI_CHAT:
                        failures.append(("member", spelling))
                    len(E)
                    list(E)
            except Exception as error:  # reported below
                failures.append(("resolve", error))

        threads = [threading.Thread(target=register)] + [
            threading.Thread(target=resolve, args=(seed,)) for seed in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(failures, [])
        self.assertEqual(len(E), 153)
        self.assertEqual([m.ordinal for m in E], list(range(1, 154)))
        self.assertTrue(all(not E(name).dynamic for name in names))
        self.assertEqual(conn.execute("SELECT count(*) FROM endpoint_type").fetchone(), (153,))


if __name__ == "__main__":
    main("enum")
