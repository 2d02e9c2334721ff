"""dynenum's key of a string, computed by the extension on a connection of
the class's own.

Equality and hashing of members need the key of arbitrary strings, at any
time and from any thread: inside a SQL function the caller's connection is
running, after the caller closed it, in a thread the caller's connection
refuses (check_same_thread).  So the key never goes through the caller's
connection: each class owns an in-memory connection with the package's
extension loaded (dynenum_key() needs no enum), guarded by a lock that is
held only while that private connection runs, never while the caller's does.
"""
import sqlite3
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


class KeyConnection:
    """dynenum_key() of strings, cached, on a private in-memory connection."""

    def __init__(self):
        from . import load  # the package's loader; imported late, as it imports this module

        self.conn = sqlite3.connect(":memory:", check_same_thread=False)
        load(self.conn)
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
