"""The Python package (python/): the wheel `make python-wheel` built in
build/wheel/ is platform-tagged and carries the compiled extension; installed
into a fresh venv it gives `import dynenum; dynenum.load(conn)`.  Installed
into a venv that sees Debian's python3-pydantic, it runs the README's
enum_class() example (examples/python_enum_quickstart.py) and a program
written against it (readme_program.py), and its stubs pass Debian's mypy.

    make python-wheel && /usr/bin/python3 tests/clients/test_wheel.py
"""
import glob
import inspect
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import unittest
import zipfile

from clienttest import PYTHON, ROOT, VERSION, WORK, NoLoading, main

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


# A connection of a sqlite3 module built without extension loading: all
# but enable_load_extension (clienttest's NoLoading, written into the program).
WITHOUT_LOADING = "import sqlite3, dynenum\n" + inspect.getsource(NoLoading) + """\
try:
    dynenum.load(NoLoading(sqlite3.connect(":memory:")))
except sqlite3.NotSupportedError as error:
    print(error)
"""
CANNOT_LOAD = ("dynenum: this Python's sqlite3 module cannot load extensions (built without loadable"
               " extension support); use a Python whose sqlite3 has Connection.enable_load_extension,"
               " such as Debian's /usr/bin/python3")

# Type-checked with the stubs: real members pass, a misspelt one does not.
ENUM_MODULE = """\
import sqlite3
import dynenum

conn = sqlite3.connect("app.db")
dynenum.load(conn)
EndpointType = dynenum.enum_class(conn, "endpoint_type")
"""
GOOD_PROGRAM = """\
import dynenum
from endpoint_types import EndpointType


def describe(endpoint: EndpointType) -> str:
    return endpoint.value


def plugin() -> EndpointType:
    return dynenum.register(EndpointType, "NVIDIA_OPTIMIZED")


dynenum.refresh(EndpointType)

print(describe(EndpointType.OPENAI_CHAT), describe(EndpointType("Triton")), describe(EndpointType["groq"]))
print(EndpointType.ANTHROPIC_CHAT.ordinal, len(EndpointType))
"""
BAD_PROGRAM = """\
import dynenum
from endpoint_types import EndpointType

print(EndpointType.OPENAI_CHAT.value.upper())
print(EndpointType.OPEN_AI_CHAT)
dynenum.register(EndpointType, 42)
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
            self.assertLessEqual({"dynenum/__init__.py", "dynenum/__main__.py", "dynenum/database_enum.py",
                                  "dynenum/listing.py", "dynenum/keys.py", "dynenum/pydantic_support.py", "dynenum/stubs.py",
                                  "dynenum/py.typed", "dynenum/dynenum.so", info + "LICENSE",
                                  info + "METADATA", info + "WHEEL", info + "RECORD"}, names)
            with open(EXTENSION_FILE, "rb") as f:
                self.assertEqual(wheel.read("dynenum/dynenum.so"), f.read(),
                                 "the wheel's module is not build/dynenum.so")
            self.assertIn("Root-Is-Purelib: false", wheel.read(info + "WHEEL").decode())
            # Pydantic is optional, and only 1.x works (dynenum[pydantic]).
            metadata = wheel.read(info + "METADATA").decode().splitlines()
            self.assertIn("Provides-Extra: pydantic", metadata)
            self.assertIn("Requires-Dist: pydantic (<2,>=1.10) ; extra == 'pydantic'", metadata)
            self.assertEqual([line for line in metadata if line.startswith("Requires-Dist:")
                              and "extra ==" not in line], [])

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

    def site_venv(self):
        """A venv that also sees Debian's packages (python3-pydantic), with
        the wheel installed; made once."""
        venv = os.path.join(WORK, "venv-site")
        python = os.path.join(venv, "bin", "python")
        if not os.path.exists(os.path.join(venv, "installed")):
            shutil.rmtree(venv, ignore_errors=True)
            made = run([PYTHON, "-m", "venv", "--system-site-packages", venv])
            self.assertEqual(made.returncode, 0, made.stderr)
            installed = run([python, "-m", "pip", "install", "--no-index", "--disable-pip-version-check",
                             "--quiet", self.wheel()])
            self.assertEqual(installed.returncode, 0, installed.stderr)
            open(os.path.join(venv, "installed"), "w").close()
        return python

    def test_readme_enum_example(self):
        python = self.site_venv()
        example = run([python, os.path.join(ROOT, "examples", "python_enum_quickstart.py")], cwd=WORK)
        self.assertEqual((example.returncode, example.stderr), (0, ""))
        with open(os.path.join(ROOT, "examples", "python_enum_quickstart.out"), encoding="utf-8") as expected:
            self.assertEqual(example.stdout, expected.read())

    def test_program_agrees_with_sql(self):
        python = self.site_venv()
        for seed in (1, 2):
            program = run([python, os.path.join(ROOT, "tests", "clients", "readme_program.py"), str(seed)], cwd=WORK)
            self.assertEqual((program.returncode, program.stderr), (0, ""), program.stdout)
            lines = program.stdout.splitlines()
            self.assertRegex(lines[0], r"^spellings 3000 groups [0-9]+ pairs 3000$")
            self.assertEqual(lines[1:], [
                "same grouping True disagreements [] 0",
                "members [('ANTHROPIC_CHAT', 2), ('NVIDIA_OPTIMIZED', 3), ('OPENAI_CHAT', 1)] 3"])

    def test_cannot_load_names_the_fix(self):
        python = self.site_venv()
        plain = run([python, "-c", WITHOUT_LOADING], cwd=WORK)
        self.assertEqual((plain.returncode, plain.stdout, plain.stderr), (0, CANNOT_LOAD + "\n", ""))
        # With pysqlite3 or apsw importable, the message offers them.
        modules = os.path.join(WORK, "fake-modules")
        os.makedirs(modules, exist_ok=True)
        for name in ("pysqlite3", "apsw"):
            with open(os.path.join(modules, name + ".py"), "w", encoding="utf-8") as f:
                f.write("# stands for the real module: only found, never imported\n")
        offered = run([python, "-c", WITHOUT_LOADING], cwd=WORK, env=dict(os.environ, PYTHONPATH=modules))
        self.assertEqual((offered.returncode, offered.stderr), (0, ""))
        self.assertEqual(offered.stdout, CANNOT_LOAD + "; or, in this Python, pysqlite3 or apsw, whose connections"
                         " can: load loadable_path() with their load_extension()\n")

    def test_stubs_checked_by_mypy(self):
        python = self.site_venv()
        folder = os.path.join(WORK, "stubs")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        database = os.path.join(folder, "app.db")
        conn = sqlite3.connect(database)
        conn.enable_load_extension(True)
        conn.load_extension(os.path.join(ROOT, "build", "dynenum"))
        conn.execute("""CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT,
                        "Legacy Completions" = 'completions')""")
        conn.commit()
        conn.close()
        stubs = run([python, "-m", "dynenum", "stubs", "app.db", "endpoint_type", "--output", "endpoint_types.pyi"],
                    cwd=folder)
        self.assertEqual((stubs.returncode, stubs.stdout, stubs.stderr), (0, "", ""))
        with open(os.path.join(folder, "endpoint_types.pyi"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "\n".join([
                "# Type stubs of the dynenum enum 'endpoint_type' of 'app.db', written by",
                "# `python3 -m dynenum stubs`: its real members when it ran.",
                "from dynenum import DatabaseEnum",
                "",
                "class EndpointType(DatabaseEnum):",
                "    OPENAI_CHAT = 'openai_chat'",
                "    ANTHROPIC_CHAT = 'anthropic_chat'",
                "    # 'Legacy Completions' = 'completions': not an attribute; EndpointType('Legacy Completions')",
                ""]))
        for name, text in [("endpoint_types.py", ENUM_MODULE), ("good.py", GOOD_PROGRAM), ("bad.py", BAD_PROGRAM)]:
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(text)
        mypy = ["mypy", "--python-executable", python, "--strict", "--cache-dir", os.path.join(WORK, "mypy-cache")]
        good = run(mypy + ["good.py"], cwd=folder)
        self.assertEqual((good.returncode, good.stdout), (0, "Success: no issues found in 1 source file\n"))
        bad = run(mypy + ["bad.py"], cwd=folder)
        self.assertEqual((bad.returncode, bad.stdout), (1, "\n".join([
            'bad.py:5: error: "Type[EndpointType]" has no attribute "OPEN_AI_CHAT"  [attr-defined]',
            'bad.py:6: error: Argument 2 to "register" has incompatible type "int"; expected "str"  [arg-type]',
            "Found 2 errors in 1 file (checked 1 source file)", ""])))
        # And the program mypy passed runs.
        ran = run([python, "good.py"], cwd=folder)
        self.assertEqual((ran.returncode, ran.stdout, ran.stderr), (0, "openai_chat triton groq\n2 3\n", ""))
        missing = run([python, "-m", "dynenum", "stubs", "app.db", "colour"], cwd=folder)
        self.assertEqual((missing.returncode, missing.stdout, missing.stderr),
                         (1, "", "python3 -m dynenum stubs: app.db: no such enum: 'colour'\n"))

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
