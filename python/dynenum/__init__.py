"""dynenum: dynamic string enums for SQLite, for Python's sqlite3 module.

    import sqlite3
    import dynenum

    conn = sqlite3.connect("app.db")
    dynenum.load(conn)
    conn.execute("SELECT dynenum_resolve('endpoint_type', 'OpenAI-Chat')")

    EndpointType = dynenum.enum_class(conn, "endpoint_type")
    EndpointType("OpenAI-Chat") is EndpointType.OPENAI_CHAT

`python3 -m dynenum stubs DATABASE ENUM` writes type stubs of an enum's
class (see dynenum.stubs).

The package carries the compiled extension (dynenum.so, .dylib or .dll) next
to this file.  The SQL it adds is documented in the repository's README.
"""
import importlib.util
import os
import sqlite3
import typing

from .database_enum import DatabaseEnum, enum_class, refresh, register

__version__: typing.Optional[str]
try:
    from importlib.metadata import PackageNotFoundError, version as _version
    try:
        __version__ = _version("dynenum")
    except PackageNotFoundError:  # imported from a source tree, not installed
        __version__ = None
except ImportError:  # Python < 3.8 has no importlib.metadata
    __version__ = None

__all__ = ["DatabaseEnum", "enum_class", "load", "loadable_path", "refresh", "register"]


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
        raise sqlite3.NotSupportedError(cannot_load_message())
    conn.enable_load_extension(True)
    try:
        conn.load_extension(loadable_path())
    finally:
        conn.enable_load_extension(False)


def cannot_load_message():
    """What load() says of a connection that cannot load extensions: the
    fix, and the modules of this Python that could load dynenum instead."""
    message = ("dynenum: this Python's sqlite3 module cannot load extensions "
               "(built without loadable extension support); use a Python whose "
               "sqlite3 has Connection.enable_load_extension, such as Debian's "
               "/usr/bin/python3")
    present = [name for name in ("pysqlite3", "apsw") if importlib.util.find_spec(name) is not None]
    if present:
        message += ("; or, in this Python, %s, whose connections can: load "
                    "loadable_path() with their load_extension()" % " or ".join(present))
    return message
