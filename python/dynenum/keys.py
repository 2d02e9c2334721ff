"""dynenum's key of a string, computed by the extension on a connection of
the class's own.

Equality and hashing of members need the key of arbitrary strings, at any
time and from any thread: inside a SQL function the caller's connection is
running, after the caller closed it, in a thread the caller's connection
refuses (check_same_thread).  So the key never goes through the caller's
connection: each class owns an in-memory connection with the package's
extension loaded (dynenum_key() needs no enum), guarded by a lock that is
held only while that private connection runs, never while the caller's does.
That connection is opened with the caller's module when it has sqlite3's API
and can load extensions (pysqlite3 on a Python whose sqlite3 cannot), else
with sqlite3.
"""
import sqlite3
import sys
import threading

# Spellings whose key a class remembers; the cache is emptied when full, so
# a stream of distinct spellings cannot grow it without end.
KEY_CACHE_SIZE = 4096
# Only texts that could be a name or a value (SPEC §5.1) are remembered:
# longer ones are refused, or (rarely) find a member by a shorter key, and
# keeping them would let a stream of large refused inputs hold megabytes.
CACHED_TEXT_BYTES = 255


def version(conn):
    """dynenum_version() of the extension conn has loaded."""
    cursor = conn.cursor()
    cursor.row_factory = None
    try:
        (found,) = cursor.execute("SELECT CAST(dynenum_version() AS BLOB)").fetchone()
    finally:
        cursor.close()
    return found.decode("utf-8")


def open_key_connection(caller):
    """An in-memory connection with the package's extension loaded, of the
    module of the connection caller, or of sqlite3."""
    from . import load  # the package's loader; imported late, as it imports this module

    name = type(caller).__module__
    own = sys.modules.get(name)
    for module in (own, sqlite3) if own is not sqlite3 else (sqlite3,):
        connect = getattr(module, "connect", None)
        if connect is None:
            continue
        conn = connect(":memory:", check_same_thread=False)
        if hasattr(conn, "enable_load_extension"):
            load(conn)
            return conn
        conn.close()
    raise sqlite3.NotSupportedError(
        "enum_class(): the class computes keys on an in-memory connection of its own,"
        " opened with the connection's module (%s) or this Python's sqlite3, and neither"
        " can load extensions; use a Python whose sqlite3 has Connection.enable_load_extension,"
        " such as Debian's /usr/bin/python3, or pysqlite3, whose connections can" % name)


class KeyConnection:
    """dynenum_key() of strings, cached, on a private in-memory connection."""

    def __init__(self, caller):
        self.conn = open_key_connection(caller)
        self.lock = threading.Lock()
        self.cache = {}

    def key(self, text):
        """The key of text.  Raises UnicodeEncodeError for a string that is
        not UTF-8 text (a lone surrogate), before SQLite sees it: Python's
        sqlite3 may run a cached statement with its previous parameters after
        failing to bind one."""
        found = self.cache.get(text)
        if found is not None:
            return found
        size = len(text.encode("utf-8"))
        with self.lock:
            (found,) = self.conn.execute("SELECT dynenum_key(?)", (text,)).fetchone()
            if size <= CACHED_TEXT_BYTES:
                if len(self.cache) >= KEY_CACHE_SIZE:
                    self.cache.clear()
                self.cache[text] = found
        return found
