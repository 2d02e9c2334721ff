"""dynenum.enum_class() from the source tree (python/), on Debian's Python
with its python3-pydantic: lookups, dynamic members, equality and hashing by
the extension's key, registering, seeing other connections' members,
Pydantic fields and threads.  The installed wheel is tested by
test_wheel.py, which also runs the README's program and mypy.

    /usr/bin/python3 tests/clients/test_enum.py
"""
import gc
import os
import pickle
import random
import sqlite3
import subprocess
import sys
import threading
import time
import types
import typing
import unittest
from unittest import mock

from clienttest import ENDPOINT_TYPE, EXTENSION, NoLoading, connect as clienttest_connect, main, scratch, shell, source_package

sys.path.insert(0, source_package())
import dynenum  # noqa: E402  (the source tree's package, found above)
import dynenum.stubs  # noqa: E402
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
        # Python's own refusals in SQL's words (test_python.py has SQL's).
        for value, what in [(42, "integer 42"), (4.5, "real 4.5"), (42.0, "real 42.0"), (None, "NULL"),
                            (b"AB", "blob of 2 bytes"), (b"A", "blob of 1 byte"), (bytearray(b""), "blob of 0 bytes"),
                            ([1], "list [1]")]:
            with self.assertRaises(ValueError) as caught:
                E(value)
            self.assertEqual(str(caught.exception),
                             "dynenum_resolve(): expected text in enum 'endpoint_type', got " + what)
        with self.assertRaises(ValueError) as caught:
            E("")
        self.assertEqual(str(caught.exception), "dynenum_resolve(): empty name in enum 'endpoint_type'")
        with self.assertRaises(ValueError) as caught:
            E("ab\ud800")
        self.assertEqual(str(caught.exception),
                         "dynenum_resolve(): malformed UTF-8 in name 'ab\\ud800' in enum 'endpoint_type'")
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

    def test_bad_arguments_and_another_build(self):
        with self.assertRaises(TypeError) as caught:
            dynenum.enum_class(self.conn, 42)
        self.assertEqual(str(caught.exception), "enum_class(): expected the enum's name as text, got int")
        # Keys come from the package's own build: one of another version
        # loaded on the connection could key differently.
        versions = iter(["0.9.0", "1.0.0"] * 2)
        with mock.patch("dynenum.database_enum.version", lambda conn: next(versions)):
            with self.assertRaises(sqlite3.OperationalError) as caught:
                dynenum.enum_class(self.conn, "endpoint_type")
        self.assertEqual(str(caught.exception), "enum_class(): the connection has loaded dynenum 0.9.0, this package"
                         " is dynenum 1.0.0: load this package's (dynenum.load(conn))")

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


class NamesLikeAttributes(unittest.TestCase):
    """A member called like an attribute every member or class has (name,
    value, ordinal, dynamic, mro, a str method) is reached by item and
    lookup only; as a class attribute it would hide that for every member."""

    def setUp(self):
        self.conn = connect()
        self.conn.execute("CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)")
        self.E = dynenum.enum_class(self.conn, "e")

    def check_nothing_hidden(self, E):
        self.assertIs(E("zzz").dynamic, True)
        self.assertIs(E.OPENAI_CHAT.dynamic, False)
        self.assertIn("OPENAI_CHAT", E)
        self.assertEqual((E.OPENAI_CHAT.name, E.OPENAI_CHAT.value, E.OPENAI_CHAT.ordinal),
                         ("OPENAI_CHAT", "openai_chat", 1))

        class Model(pydantic.BaseModel):
            a: E
        self.assertIs(Model(a="openai-chat").a, E.OPENAI_CHAT)

    def test_registered(self):
        E = self.E
        for name in ["dynamic", "name", "ordinal", "value", "upper", "mro"]:
            member = dynenum.register(E, name)
            self.assertIs(E[name], member)
            self.assertIs(E(name.upper()), member)
            self.assertNotIn(name, E.__dict__)
        self.check_nothing_hidden(E)
        self.assertEqual(E.mro()[0], E)
        self.assertEqual(len(E), 8)

    def test_added_by_another_connection(self):
        path = scratch("attribute-names.db")
        conn = connect(path)
        conn.execute("CREATE VIRTUAL TABLE e USING dynenum(OPENAI_CHAT)")
        conn.commit()
        E = dynenum.enum_class(conn, "e")
        other = connect(path)
        other.execute("INSERT INTO e(name) VALUES ('dynamic')")
        other.commit()
        self.assertFalse(E("DYNAMIC").dynamic)  # a miss: the class reloads
        self.assertIs(E("zzz").dynamic, True)
        self.assertIn("OPENAI_CHAT", E)

    def test_declared(self):
        self.conn.execute("CREATE VIRTUAL TABLE g USING dynenum(OPENAI_CHAT, mro, dynamic, name)")
        G = dynenum.enum_class(self.conn, "g")
        self.assertEqual([m.name for m in G], ["OPENAI_CHAT", "mro", "dynamic", "name"])
        self.check_nothing_hidden(G)
        self.assertIs(G["mro"].ordinal, 2)

    def test_alias_named_dynamic(self):
        self.conn.execute("CREATE VIRTUAL TABLE f USING dynenum(OPENAI_CHAT, dynamic = OPENAI_CHAT)")
        F = dynenum.enum_class(self.conn, "f")
        self.check_nothing_hidden(F)
        self.assertIs(F["dynamic"], F.OPENAI_CHAT)

    def test_stubs_leave_them_out(self):
        from dynenum.stubs import stub_text
        self.conn.execute("CREATE VIRTUAL TABLE g USING dynenum(OPENAI_CHAT, mro, dynamic)")
        text = stub_text(self.conn, "g", "test.db")
        self.assertIn("    OPENAI_CHAT = 'openai_chat'\n", text)
        self.assertIn("    # 'mro' = 'mro': not an attribute; G('mro')\n", text)
        self.assertIn("    # 'dynamic' = 'dynamic': not an attribute; G('dynamic')\n", text)

    def test_nfkc_variant_names_are_no_attributes(self):
        # Python's parser normalises identifiers with NFKC: `N.\ufb01le` in
        # a program is N.file, another (dynamic) name to dynenum, as in SQL.
        self.conn.execute("CREATE VIRTUAL TABLE n USING dynenum(\"\ufb01le\", plain)")
        N = dynenum.enum_class(self.conn, "n")
        self.assertFalse(N["\ufb01le"].dynamic)
        self.assertNotIn("\ufb01le", N.__dict__)
        self.assertEqual(self.conn.execute("SELECT dynenum_ordinal('n', 'file')").fetchone(), (None,))
        self.assertTrue(eval("N.\ufb01le", {"N": N}).dynamic)
        from dynenum.stubs import stub_text
        text = stub_text(self.conn, "n", "test.db")
        self.assertIn("    # '\ufb01le' = '\ufb01le': not an attribute; N('\ufb01le')\n", text)
        self.assertIn("    plain = 'plain'\n", text)


class CallersConnection(unittest.TestCase):
    """Comparing and hashing never use the caller's connection; the class's
    own queries ignore its row_factory and text_factory."""

    def test_equality_from_another_thread_and_after_close(self):
        conn = clienttest_connect()  # check_same_thread=True: refuses other threads
        conn.execute(ENDPOINT_TYPE)
        E = dynenum.enum_class(conn, "endpoint_type")
        member = E.OPENAI_CHAT
        results = []

        def compare():
            results.append((member == "OpenAI-Chat", member != "anthropic", hash(member) == hash("openai_chat"),
                            member in {"OPENAI-CHAT": 1}, hasattr(E, "openai_chat")))
        thread = threading.Thread(target=compare)
        thread.start()
        thread.join()
        self.assertEqual(results, [(True, True, True, False, True)])
        conn.close()
        self.assertFalse(member == "something else")
        self.assertTrue(member == "openai-chat")
        self.assertIs(E("OPENAI-CHAT"), member)  # a real member needs no SQL
        # A lookup that misses needs the connection; its error is sqlite3's.
        with self.assertRaises(sqlite3.ProgrammingError) as caught:
            E("triton")
        self.assertEqual(str(caught.exception), "Cannot operate on a closed database.")

    def test_row_factory_and_text_factory(self):
        conn = connect()
        conn.execute(ENDPOINT_TYPE)
        for row_factory, text_factory in [
                (lambda cursor, row: {d[0]: v for d, v in zip(cursor.description, row)}, str),
                (sqlite3.Row, bytes), (None, lambda b: b.decode("utf-8").upper())]:
            conn.row_factory = row_factory
            conn.text_factory = text_factory
            E = dynenum.enum_class(conn, "endpoint_type")
            self.assertEqual([(m.name, m.value) for m in E], [
                ("OPENAI_CHAT", "openai_chat"), ("ANTHROPIC_CHAT", "anthropic_chat"),
                ("Legacy Completions", "completions")])
            self.assertIs(E("OpenAI-Chat"), E.OPENAI_CHAT)
            self.assertEqual(E("Triton").value, "triton")
            self.assertIs(dynenum.register(E, "NVIDIA"), E.nvidia)
            conn.rollback()

    def test_value_that_is_not_its_own_key(self):
        # Inherent, and documented (SPEC §10): the member equals its value
        # but hashes by the key, so a set or dict of the value misses it.
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE h USING dynenum(X = 'MixedCase')")
        H = dynenum.enum_class(conn, "h")
        (key,) = conn.execute("SELECT dynenum_key('MixedCase')").fetchone()
        self.assertEqual((key, H.X == "MixedCase", H.X in {key}, H.X in {"MixedCase"}),
                         ("mixedcase", True, True, False))


class Interning(WithEnum):
    """Dynamic members are interned while someone holds them, and only then."""

    def test_refused_inputs_are_not_kept(self):
        E = self.E

        class Model(pydantic.BaseModel):
            a: E
        for i in range(2000):
            with self.assertRaises(pydantic.ValidationError):
                Model(a="attacker_%d" % i)
            E("passer_by_%d" % i)  # looked up, then dropped
        gc.collect()
        self.assertEqual(list(E._dynenum_state.dynamic.values()), [])

    def test_the_same_object_while_held(self):
        E = self.E
        held = E("Triton")
        gc.collect()
        self.assertIs(E("TRITON"), held)
        self.assertIs(E._dynenum_state.dynamic[held._dynenum_key], held)


class Pickling(WithEnum):

    def test_members_pickle_by_value_when_the_class_is_importable(self):
        # Enum pickles a member as (class, value): the class must be found
        # as module.name, so enum_class() is given module= (SPEC §10).
        global PickledEnum
        PickledEnum = dynenum.enum_class(self.conn, "endpoint_type", name="PickledEnum", module=__name__)
        self.assertIs(pickle.loads(pickle.dumps(PickledEnum.OPENAI_CHAT)), PickledEnum.OPENAI_CHAT)
        triton = PickledEnum("Triton")
        self.assertIs(pickle.loads(pickle.dumps(triton)), triton)
        with self.assertRaises(pickle.PicklingError):
            pickle.dumps(self.E.OPENAI_CHAT)  # no module=: not importable


class PydanticContainers(WithEnum):

    def test_allow_dynamic_in_optional_and_on_items(self):
        E = self.E
        Dynamic = typing.Annotated[E, pydantic.Field(allow_dynamic=True)]

        class Model(pydantic.BaseModel):
            one: typing.Optional[E] = pydantic.Field(None, allow_dynamic=True)
            many: typing.List[Dynamic] = []
            named: typing.Dict[str, Dynamic] = {}
            strict: typing.List[E] = []
            plain: typing.Optional[E] = None
        model = Model(one="triton", many=["triton", "OpenAI-Chat"], named={"k": "vllm"})
        self.assertTrue(model.one.dynamic)
        self.assertEqual([m.dynamic for m in model.many], [True, False])
        self.assertIs(model.many[1], E.OPENAI_CHAT)
        self.assertTrue(model.named["k"].dynamic)
        self.assertIsNone(Model(one=None).one)
        with self.assertRaises(pydantic.ValidationError) as caught:
            Model(strict=["openai-chat", "triton"])
        self.assertEqual([(e["loc"], e["type"], e["msg"]) for e in caught.exception.errors()], [(
            ("strict", 1), "type_error.enum", "value is not a valid enumeration member; permitted: 'openai_chat',"
            " 'anthropic_chat', 'completions'; an item allows a dynamic member when it says so itself:"
            " List[Annotated[EndpointType, Field(allow_dynamic=True)]]")])
        with self.assertRaises(pydantic.ValidationError) as caught:
            Model(plain="triton")
        self.assertEqual([(e["loc"], e["msg"]) for e in caught.exception.errors()], [(
            ("plain",), "value is not a valid enumeration member; permitted: 'openai_chat', 'anthropic_chat',"
            " 'completions'")])

    def test_use_enum_values_stores_the_value(self):
        E = self.E

        class Model(pydantic.BaseModel):
            endpoint: E
            plugin: E = pydantic.Field(None, allow_dynamic=True)

            class Config:
                use_enum_values = True
        model = Model(endpoint="OpenAI-Chat", plugin="Triton")
        self.assertEqual((type(model.endpoint), model.endpoint), (str, "openai_chat"))
        self.assertEqual((type(model.plugin), model.plugin), (str, "triton"))
        self.assertIs(type(Model(endpoint="completions").endpoint), str)

    def test_pydantic_2_is_named(self):
        E = self.E
        message = ("dynenum: Pydantic 2.5.0 is not supported: enum_class() classes validate with Pydantic 1.10"
                   " (pip install 'pydantic>=1.10,<2')")
        with mock.patch.object(pydantic, "VERSION", "2.5.0"):
            with self.assertRaises(TypeError) as caught:
                next(E.__get_validators__())
            self.assertEqual(str(caught.exception), message)
            with self.assertRaises(TypeError) as caught:
                E.__get_pydantic_core_schema__(E, None)
            self.assertEqual(str(caught.exception), message)


class Reloading(unittest.TestCase):

    def test_a_few_thousand_members(self):
        conn = connect()
        conn.execute(ENDPOINT_TYPE)
        conn.executemany("INSERT INTO endpoint_type(name) VALUES (?)", [("P%d" % i,) for i in range(5000)])
        start = time.monotonic()
        E = dynenum.enum_class(conn, "endpoint_type")
        statements = []
        conn.set_trace_callback(lambda sql: statements.append(sql) if not sql.startswith("-- ") else None)
        for i in range(20):
            dynenum.register(E, "NEW_%d" % i)
        self.assertIs(E("p4999"), E.P4999)
        dynenum.refresh(E)
        conn.set_trace_callback(None)
        elapsed = time.monotonic() - start
        # Per register(): the INSERT, the listing's names, the new rows, the
        # aliases (and a resolve for the lookup that misses).
        self.assertLessEqual(len(statements), 20 * 5 + 3, statements[:10])
        self.assertEqual(len(E), 5023)
        self.assertEqual([m.ordinal for m in E][-1], 5023)
        self.assertLess(elapsed, 60)  # not a timing test: about 0.5 s; one statement per member took minutes


class Surrogates(WithEnum):

    def test_register_after_a_failed_register(self):
        E = self.E
        with self.assertRaises(sqlite3.IntegrityError) as caught:
            dynenum.register(E, "a b")
        self.assertIn("U+0020", str(caught.exception))
        with self.assertRaises(sqlite3.IntegrityError) as caught:
            dynenum.register(E, "x\ud800")
        self.assertEqual(str(caught.exception), "dynenum: malformed UTF-8 in name 'x\\ud800' in enum 'endpoint_type'")


class StubsCommand(unittest.TestCase):

    def test_path_with_percent_and_newline(self):
        # A folder left by an earlier run, with a database in it, is
        # removed by scratch() as a whole.
        folder = scratch("stubs %41 #x?\nfolder")
        os.makedirs(os.path.join(folder, "app.db"))
        folder = scratch("stubs %41 #x?\nfolder")
        os.makedirs(folder)
        path = os.path.join(folder, "app.db")
        conn = connect(path)
        conn.execute(ENDPOINT_TYPE)
        conn.commit()
        conn.close()
        run = subprocess.run([sys.executable, "-m", "dynenum", "stubs", path, "endpoint_type"],
                             capture_output=True, text=True, timeout=60,
                             env=dict(os.environ, PYTHONPATH=sys.path[0]))
        self.assertEqual((run.returncode, run.stderr), (0, ""))
        self.assertTrue(run.stdout.startswith("# Type stubs of the dynenum enum 'endpoint_type' of %r, written by\n"
                                              % path), run.stdout)
        compile(run.stdout, "endpoint_types.pyi", "exec")
        self.assertIn("    OPENAI_CHAT = 'openai_chat'\n", run.stdout)

    def stubs(self, *arguments):
        return subprocess.run([sys.executable, "-m", "dynenum", "stubs"] + list(arguments),
                              capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, PYTHONPATH=sys.path[0]))

    def database(self, name):
        path = scratch(name)
        conn = connect(path)
        conn.execute(ENDPOINT_TYPE)
        conn.commit()
        conn.close()
        return path

    def test_path_starting_with_two_slashes(self):
        # In a URI, file://x/... names a host x; the path is a path.
        path = self.database("stubs-slashes.db")
        run = self.stubs("/" + os.path.abspath(path), "endpoint_type")
        self.assertEqual((run.returncode, run.stderr), (0, ""))
        self.assertIn("    OPENAI_CHAT = 'openai_chat'\n", run.stdout)

    def test_class_must_be_an_identifier_and_no_keyword(self):
        path = self.database("stubs-class.db")
        for bad in ["class", "Endpoint Type", "1st", ""]:
            run = self.stubs(path, "endpoint_type", "--class", bad)
            self.assertEqual((run.returncode, run.stdout, run.stderr.splitlines()[-1]),
                             (2, "", "python3 -m dynenum stubs: error: argument --class: not a class name: %r"
                                     " (a Python identifier that is no keyword)" % bad))
        self.assertIn("class Endpoints(DatabaseEnum):\n", self.stubs(path, "endpoint_type", "--class", "Endpoints").stdout)


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

    def test_sql_function_using_the_class_on_a_shared_connection(self):
        # A Python SQL function that looks members up (missing: each asks
        # the connection) runs while its statement holds the connection;
        # another thread compares, hashes and looks up real members at the
        # same time.  None of that needs the caller's connection, and the
        # class holds no lock while it waits for it, so neither thread waits
        # for the other for ever.  (A second thread that itself ran SQL on
        # the connection meanwhile could: CPython's sqlite3 binds
        # parameters holding the GIL; see SPEC §10.)
        conn = connect()
        conn.execute(ENDPOINT_TYPE)
        E = dynenum.enum_class(conn, "endpoint_type")
        conn.create_function("endpoint", 1, lambda text: E(text).value)
        conn.execute("CREATE TABLE request(endpoint)")
        conn.executemany("INSERT INTO request VALUES (?)", [("Model-%d" % i,) for i in range(3000)])
        failures = []
        done = threading.Event()

        def select():
            try:
                for _ in range(3):
                    values = [v for (v,) in conn.execute("SELECT endpoint(endpoint) FROM request").fetchall()]
                    if values[:2] != ["model_0", "model_1"]:
                        failures.append(("select", values[:2]))
            except Exception as error:  # reported below
                failures.append(("select", error))
            finally:
                done.set()

        def compare():
            member = E.OPENAI_CHAT
            i = 0
            try:
                while not done.is_set():
                    i += 1
                    if member == "other-%d" % i or hash(member) != hash("openai_chat") or \
                            E("OpenAI-Chat") is not member or E["anthropic-chat"] is not E.ANTHROPIC_CHAT or \
                            len(list(E)) != 3:
                        failures.append(("compare", i))
            except Exception as error:  # reported below
                failures.append(("compare", error))

        threads = [threading.Thread(target=select, daemon=True), threading.Thread(target=compare, daemon=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual([thread.is_alive() for thread in threads], [False, False], "deadlocked")
        self.assertEqual(failures, [])


class Review15b(unittest.TestCase):
    """Failing tests of review 15b (see its report)."""

    def test_lookup_after_a_rollback_never_gives_another_members_name(self):
        path = scratch("review15b-rollback.db")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.enable_load_extension(True)
        conn.load_extension(EXTENSION)
        other = connect(path)
        conn.execute("CREATE VIRTUAL TABLE e USING dynenum(A, B)")
        E = dynenum.enum_class(conn, "e")
        conn.execute("BEGIN")
        dynenum.register(E, "PLUGIN_ONE")
        conn.execute("ROLLBACK")
        other.execute("INSERT INTO e(name) VALUES ('PLUGIN_TWO')")
        other.commit()
        # SQL resolves plugin_two to 'plugin_two' (ordinal 3); the class
        # answers PLUGIN_ONE, which does not even equal the input.
        self.assertEqual(E("plugin_two").value, "plugin_two")

    def test_refused_long_inputs_are_not_kept(self):
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE e USING dynenum(A)")
        E = dynenum.enum_class(conn, "e")
        for i in range(50):
            with self.assertRaises(ValueError):
                E("%04d" % i + "x" * 100000)
        kept = sum(len(text) + len(key) for text, key in E._dynenum_state.keys.cache.items())
        self.assertLess(kept, 100000, "refused 100 kB inputs are kept in the key cache")

    def test_schema_of_a_dict_keyed_by_the_class(self):
        conn = connect()
        conn.execute(ENDPOINT_TYPE)
        E = dynenum.enum_class(conn, "endpoint_type")

        class Model(pydantic.BaseModel):
            counts: typing.Dict[E, int] = {}
        Model.schema()  # AttributeError: 'EndpointType' object has no attribute 'pattern'
        self.assertEqual(Model.schema()["properties"]["counts"]["type"], "object")

    def test_names_pydantic_probes_are_no_members_attributes(self):
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE e USING dynenum(A, pattern)")
        E = dynenum.enum_class(conn, "e")
        for probed in ["regex", "pattern", "max_length", "min_length", "allow_inf_nan"]:
            self.assertIsNone(getattr(E, probed))
        self.assertIs(E.validate_always, False)
        # The member called pattern is reached by item and call.
        self.assertEqual((E["PATTERN"].ordinal, E("pattern").ordinal), (2, 2))
        self.assertTrue(E["regex"].dynamic)
        self.assertIn("# 'pattern' = 'pattern': not an attribute; E('pattern')",
                      dynenum.stubs.stub_text(conn, "e", ":memory:"))

    def test_members_iterated_while_another_thread_registers(self):
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE e USING dynenum(A)")
        E = dynenum.enum_class(conn, "e")
        errors, stop = [], []

        def iterate():
            while not stop:
                try:
                    list(E.__members__.items())
                    for _ in E.__members__:
                        pass
                except RuntimeError as error:
                    errors.append(error)
        thread = threading.Thread(target=iterate)
        thread.start()
        for i in range(500):
            dynenum.register(E, "N%d" % i)
        stop.append(True)
        thread.join()
        self.assertEqual(errors[:1], [])


class BecomingAMember(WithEnum):
    """What happens when a name that was dynamic becomes a real member."""

    def test_the_dynamic_entry_goes(self):
        E = self.E
        dynamic = E("triton")
        dynenum.register(E, "TRITON")
        # The interning table keeps no second object for a member's key,
        # even while someone holds the old one.
        self.assertNotIn("triton", E._dynenum_state.dynamic)
        self.assertTrue(dynamic.dynamic)
        self.assertIs(E("Triton"), E.TRITON)

    def test_a_lookup_that_raced_a_registration_gives_the_member(self):
        # The database answered "dynamic", and before the class interned
        # the answer another thread registered the name: the re-check under
        # the lock must find the member.
        E = self.E
        real, raced = dynenum.listing.resolve, []

        def racing(conn, enum, spelling):
            answer = real(conn, enum, spelling)
            if not raced:
                raced.append(spelling)
                dynenum.register(E, "TRITON")
            return answer
        with mock.patch.object(dynenum.listing, "resolve", racing):
            found = E("triton")
        self.assertEqual(raced, ["triton"])
        self.assertFalse(found.dynamic)
        self.assertIs(found, E.TRITON)


class MembersOrder(unittest.TestCase):
    def test_members_then_aliases_after_every_reload(self):
        conn = connect()
        conn.execute("CREATE VIRTUAL TABLE e USING dynenum(A, B, OLD_A = A, OLD_B = B)")
        E = dynenum.enum_class(conn, "e")
        dynenum.register(E, "C")
        dynenum.register(E, "D")
        self.assertEqual(list(E.__members__), ["A", "B", "C", "D", "OLD_A", "OLD_B"])
        self.assertEqual([m.name for m in E], ["A", "B", "C", "D"])


class StubAliases(unittest.TestCase):
    """Every alias is in the stubs: as the member it names, as the member's
    one attribute when the member has none, or as a comment."""

    def test_aliases_of_members_with_and_without_attributes(self):
        conn = connect()
        conn.execute("""CREATE VIRTUAL TABLE e USING dynenum("Legacy Completions" = 'completions', OK,
                        OA = "Legacy Completions", LEGACY = "Legacy Completions", name = OK,
                        "\ufb01x" = OK, FINE = OK)""")
        text = dynenum.stubs.stub_text(conn, "e", "test.db")
        self.assertIn("    # 'Legacy Completions' = 'completions': not an attribute; E('Legacy Completions')\n"
                      "    OK = 'ok'\n"
                      "    OA = 'completions'  # an alias of 'Legacy Completions'\n"
                      "    LEGACY = OA  # an alias\n"
                      "    # 'name' = OK: an alias, not an attribute; E('name')\n"
                      "    # '\ufb01x' = OK: an alias, not an attribute; E('\ufb01x')\n"
                      "    FINE = OK  # an alias\n", text)


class KeyConnectionModule(unittest.TestCase):
    """The class's private key connection is opened with the caller's module
    when that module has sqlite3's API and loads extensions (pysqlite3)."""

    def setUp(self):
        # This Python's sqlite3 as one built without extension loading.
        real = sqlite3.connect
        stdlib = types.SimpleNamespace(connect=lambda *a, **kw: NoLoading(real(*a, **kw)),
                                       NotSupportedError=sqlite3.NotSupportedError)
        patcher = mock.patch.object(dynenum.keys, "sqlite3", stdlib)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_the_callers_module_opens_the_key_connection(self):
        # A module of sqlite3's API other than sqlite3, as pysqlite3 is.
        module = types.ModuleType("likesqlite3")

        class Connection(sqlite3.Connection):
            __module__ = "likesqlite3"
        module.Connection = Connection
        module.connect = lambda *a, **kw: sqlite3.connect(*a, factory=Connection, **kw)
        with mock.patch.dict(sys.modules, {"likesqlite3": module}):
            conn = module.connect(":memory:")
            dynenum.load(conn)
            conn.execute("CREATE VIRTUAL TABLE e USING dynenum(A)")
            E = dynenum.enum_class(conn, "e")
            self.assertIsInstance(E._dynenum_state.keys.conn, Connection)
            self.assertEqual(E("a"), "A")

    def test_no_module_that_can_load_says_what_is_needed(self):
        # A connection of a module without sqlite3's connect(), as apsw's.
        module = types.ModuleType("notsqlite3")

        class Connection(sqlite3.Connection):
            __module__ = "notsqlite3"
        with mock.patch.dict(sys.modules, {"notsqlite3": module}):
            conn = sqlite3.connect(":memory:", factory=Connection)
            dynenum.load(conn)
            conn.execute("CREATE VIRTUAL TABLE e USING dynenum(A)")
            with self.assertRaises(sqlite3.NotSupportedError) as raised:
                dynenum.enum_class(conn, "e")
        self.assertEqual(str(raised.exception),
                         "enum_class(): the class computes keys on an in-memory connection of its own,"
                         " opened with the connection's module (notsqlite3) or this Python's sqlite3,"
                         " and neither can load extensions; use a Python whose sqlite3 has"
                         " Connection.enable_load_extension, such as Debian's /usr/bin/python3,"
                         " or pysqlite3, whose connections can")


if __name__ == "__main__":
    main("enum")
