"""What the Python client tests share: where things are, and a unittest
runner that ends with the line "NAME: N passed, N failed".

The tests run under Debian's /usr/bin/python3, whose sqlite3 module can load
extensions.  tests/clients/run.sh sets DYNENUM_EXTENSION (the extension's
path without suffix) and DYNENUM_WORK (a scratch folder); run alone, a test
falls back to build/dynenum and a temporary folder.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXTENSION = os.environ.get("DYNENUM_EXTENSION") or os.path.join(ROOT, "build", "dynenum")
WORK = os.environ.get("DYNENUM_WORK") or tempfile.mkdtemp(prefix="dynenum-clients-")
PYTHON = "/usr/bin/python3"

with open(os.path.join(ROOT, "VERSION"), encoding="utf-8") as _f:
    VERSION = _f.read().strip()

# The database the sqlite3 shell builds for the other clients to read.
SHELL_DB_SQL = os.path.join(ROOT, "tests", "clients", "shell_db.sql")
# The enum most Python client tests use.
ENDPOINT_TYPE = """
    CREATE VIRTUAL TABLE endpoint_type USING dynenum(
      OPENAI_CHAT,
      ANTHROPIC_CHAT = 'anthropic_chat',
      "Legacy Completions" = 'completions'
    )"""
# The table of the enum endpoint_type that every client test uses.
SCHEMA_SQL = os.path.join(ROOT, "tests", "clients", "schema.sql")


def source_package():
    """A folder holding python/dynenum from the source tree with the built
    extension copied in, as the wheel carries it (the class loads it into
    its private key connection); for sys.path."""
    folder = os.path.join(WORK, "source-package")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "python", "dynenum"), os.path.join(folder, "dynenum"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    shutil.copy(EXTENSION + ".so", os.path.join(folder, "dynenum", "dynenum.so"))
    return folder


def connect(path=":memory:"):
    """A sqlite3 connection with the extension loaded the plain way."""
    conn = sqlite3.connect(path)
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    conn.enable_load_extension(False)
    return conn


def shell(database, script, load=EXTENSION):
    """Runs SCRIPT in `sqlite3 -batch DATABASE` from the repository root,
    with the extension loaded unless LOAD is None; returns (status, stdout,
    stderr)."""
    command = ["sqlite3", "-batch"]
    if load is not None:
        command += ["-cmd", ".load " + load]
    run = subprocess.run(command + [database], input=script, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    return run.returncode, run.stdout, run.stderr


class NoLoading:
    """A connection of a Python whose sqlite3 cannot load extensions."""

    def __init__(self, conn):
        self._conn = conn

    def __getattr__(self, name):
        if name in ("enable_load_extension", "load_extension"):
            raise AttributeError(name)
        return getattr(self._conn, name)


def scratch(name):
    """A fresh path NAME in the scratch folder: whatever an earlier run left
    there, a file or a folder, is removed."""
    path = os.path.join(WORK, name)
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)
    return path


def main(name):
    """Runs the calling module's tests; prints the summary line and exits
    non-zero when any test failed (or none ran: a suite that cannot run must
    not pass)."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules["__main__"])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    if result.testsRun == 0:
        failed = 1
    print("%s: %d passed, %d failed" % (name, passed, failed))
    sys.exit(1 if failed else 0)
