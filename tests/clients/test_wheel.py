"""The Python package (python/): the wheel `make python-wheel` built in
build/wheel/ is platform-tagged and carries the compiled extension; installed
into a fresh venv it gives `import dynenum; dynenum.load(conn)`.

    make python-wheel && /usr/bin/python3 tests/clients/test_wheel.py
"""
import glob
import os
import shutil
import subprocess
import sys
import sysconfig
import unittest
import zipfile

from clienttest import PYTHON, ROOT, VERSION, WORK, main

WHEELS = os.path.join(ROOT, "build", "wheel")
EXTENSION_FILE = os.path.join(ROOT, "build", "dynenum.so")

# What a user writes; the README shows the same lines.
USAGE = """\
import sqlite3
import dynenum

conn = sqlite3.connect(":memory:")
dynenum.load(conn)
print(conn.execute("SELECT 'OpenAI_Chat' = 'openai-chat' COLLATE DYNENUM").fetchone()[0])  # 1
"""

# Then what the package promises beyond that.
CHECKS = """\
import os, sqlite3, sys
import dynenum
print(dynenum.__version__)
print(os.path.relpath(dynenum.loadable_path(), sys.prefix))
conn = sqlite3.connect(":memory:")
dynenum.load(conn)
try:
    conn.load_extension(dynenum.loadable_path())
except sqlite3.OperationalError as error:
    print("load_extension after load():", error)
try:
    dynenum.load(object())
except sqlite3.NotSupportedError as error:
    print(error)
"""


def run(command, **options):
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **options)


class Wheel(unittest.TestCase):
    def wheel(self):
        wheels = glob.glob(os.path.join(WHEELS, "*.whl"))
        self.assertEqual(len(wheels), 1, "expected one wheel in %s (make python-wheel): %s" % (WHEELS, wheels))
        return wheels[0]

    def test_name_is_platform_tagged(self):
        platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        self.assertEqual(os.path.basename(self.wheel()),
                         "dynenum-%s-py3-none-%s.whl" % (VERSION, platform))

    def test_contents(self):
        with zipfile.ZipFile(self.wheel()) as wheel:
            names = set(wheel.namelist())
            info = "dynenum-%s.dist-info/" % VERSION
            self.assertLessEqual({"dynenum/__init__.py", "dynenum/dynenum.so", info + "LICENSE",
                                  info + "METADATA", info + "WHEEL", info + "RECORD"}, names)
            with open(EXTENSION_FILE, "rb") as f:
                self.assertEqual(wheel.read("dynenum/dynenum.so"), f.read(),
                                 "the wheel's module is not build/dynenum.so")
            self.assertIn("Root-Is-Purelib: false", wheel.read(info + "WHEEL").decode())

    def test_installed_in_a_fresh_venv(self):
        venv = os.path.join(WORK, "venv")
        shutil.rmtree(venv, ignore_errors=True)
        made = run([PYTHON, "-m", "venv", venv])
        self.assertEqual(made.returncode, 0, made.stderr)
        python = os.path.join(venv, "bin", "python")
        installed = run([python, "-m", "pip", "install", "--no-index", "--disable-pip-version-check",
                         "--quiet", self.wheel()])
        self.assertEqual(installed.returncode, 0, installed.stderr)
        # From the scratch folder, so nothing but the installed package can be imported.
        usage = run([python, "-c", USAGE], cwd=WORK)
        self.assertEqual((usage.returncode, usage.stdout, usage.stderr), (0, "1\n", ""))
        checks = run([python, "-c", CHECKS], cwd=WORK)
        self.assertEqual((checks.returncode, checks.stderr), (0, ""))
        self.assertEqual(checks.stdout.splitlines(), [
            VERSION,
            "lib/python%d.%d/site-packages/dynenum/dynenum" % sys.version_info[:2],
            "load_extension after load(): not authorized",
            "dynenum: this Python's sqlite3 module cannot load extensions (built without loadable"
            " extension support); use a Python whose sqlite3 has Connection.enable_load_extension,"
            " such as Debian's /usr/bin/python3"])

    def test_system_pip_refuses_as_the_readme_says(self):
        # Why the README installs into a venv: Debian's Python belongs to apt
        # (PEP 668).  --dry-run, so that nothing is installed if it did not.
        refused = run([PYTHON, "-m", "pip", "install", "--dry-run", "--no-index", "--disable-pip-version-check",
                       self.wheel()])
        self.assertNotEqual(refused.returncode, 0, refused.stdout)
        self.assertIn("error: externally-managed-environment", refused.stderr)

    def test_build_without_the_module_is_refused(self):
        # A wheel without the compiled module would install and fail later.
        source = os.path.join(WORK, "python-without-module")
        shutil.rmtree(source, ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, "python"), source,
                        ignore=shutil.ignore_patterns("dynenum.so", "build", "*.egg-info", "__pycache__"))
        shutil.copy(os.path.join(ROOT, "VERSION"), source)
        built = run([PYTHON, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
                     "--disable-pip-version-check", "-w", os.path.join(WORK, "wheel-without-module"), source])
        self.assertNotEqual(built.returncode, 0)
        self.assertIn("dynenum: no compiled extension in %s" % os.path.join(source, "dynenum"),
                      built.stdout + built.stderr)


if __name__ == "__main__":
    main("wheel")
