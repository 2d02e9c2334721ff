"""dynenum: dynamic string enums for SQLite, for Python's sqlite3 module.

    import sqlite3
    import dynenum

    conn = sqlite3.connect("app.db")
    dynenum.load(conn)
    conn.execute("SELECT dynenum_resolve('endpoint_type', 'OpenAI-Chat')")

The package carries the compiled extension (dynenum.so, .dylib or .dll) next
to this file.  The SQL it adds is documented in the repository's README.
"""
import os
import sqlite3

try:
    from importlib.metadata import PackageNotFoundError, version as _version
    try:
        __version__ = _version("dynenum")
    except PackageNotFoundError:  # imported from a source tree, not installed
        __version__ = None
except ImportError:  # Python < 3.8 has no importlib.metadata
    __version__ = None

__all__ = ["load", "loadable_path"]


def loadable_path():
    """The path of the bundled extension without its suffix.

    That is the form load_extension() takes on every platform: SQLite adds
    .so, .dylib or .dll itself, and derives the entry point
    sqlite3_dynenum_init from the file name.
    """
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "dynenum"))


def load(conn):
    """Load the bundled extension into the sqlite3 connection conn.

    Extension loading is enabled only for the time of the call and is off
    afterwards, even if it was on before (sqlite3 cannot tell which), so SQL
    run on conn cannot load libraries.  Raises sqlite3.NotSupportedError when this
    Python's sqlite3 module was built without extension loading, and
    sqlite3.OperationalError when SQLite cannot load the library.
    """
    if not hasattr(conn, "enable_load_extension"):
        raise sqlite3.NotSupportedError(
            "dynenum: this Python's sqlite3 module cannot load extensions "
            "(built without loadable extension support); use a Python whose "
            "sqlite3 has Connection.enable_load_extension, such as Debian's "
            "/usr/bin/python3")
    conn.enable_load_extension(True)
    try:
        conn.load_extension(loadable_path())
    finally:
        conn.enable_load_extension(False)
