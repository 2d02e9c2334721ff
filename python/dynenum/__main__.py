"""python3 -m dynenum stubs DATABASE ENUM [--class NAME] [--output FILE]

Writes type stubs (a .pyi) of ENUM's class to FILE, or to standard output;
see dynenum.stubs.
"""
import argparse
import keyword
import sqlite3
import sys
import urllib.parse

from . import load
from .stubs import stub_text


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m dynenum")
    commands = parser.add_subparsers(dest="command", required=True)
    stubs = commands.add_parser("stubs", help="write a .pyi with the real members of an enum's class")
    stubs.add_argument("database", help="the SQLite database file")
    stubs.add_argument("enum", help="the enum's name, as SQL names it")
    stubs.add_argument("--class", dest="class_name", help="the class's name (EndpointType for endpoint_type)")
    stubs.add_argument("--output", "-o", help="the .pyi file to write (standard output if not given)")
    arguments = parser.parse_args(argv)
    name = arguments.class_name
    if name is not None and (not name.isidentifier() or keyword.iskeyword(name)):
        stubs.error("argument --class: not a class name: %r (a Python identifier that is no keyword)" % name)
    try:
        # Read-only: writing stubs never changes the database.  Every
        # character URIs give a meaning (%, ?, #, a newline) is escaped, and
        # an absolute path follows an empty authority, so that //x/a.db is
        # no host x.
        path = urllib.parse.quote(arguments.database)
        conn = sqlite3.connect("file:%s%s?mode=ro" % ("//" if path.startswith("/") else "", path), uri=True)
        load(conn)
        text = stub_text(conn, arguments.enum, arguments.database, arguments.class_name)
    except sqlite3.Error as error:
        print("python3 -m dynenum stubs: %s: %s" % (arguments.database, error), file=sys.stderr)
        return 1
    if arguments.output:
        with open(arguments.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
