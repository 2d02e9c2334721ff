"""Packaging details pyproject.toml cannot express.

The wheel carries a compiled SQLite extension, so it must be tagged for its
platform: a py3-none-any wheel would install a Linux x86-64 library on any
machine.  The extension is not a Python extension module (it links no
libpython), so any Python 3 of that platform can use it: the tag is
py3-none-<platform>.
"""
import os
import sys

from setuptools import setup
from setuptools.dist import Distribution
try:  # setuptools 70.1 and later carry it; older ones leave it to wheel
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
MODULES = ("dynenum.so", "dynenum.dylib", "dynenum.dll")


def read_version():
    # `make python-wheel` copies VERSION next to this file; a build straight
    # from python/ finds the repository's.
    for path in (os.path.join(HERE, "VERSION"), os.path.join(HERE, "..", "VERSION")):
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return f.read().strip()
    sys.exit("dynenum: no VERSION file next to setup.py or in its parent folder")


def require_compiled_module():
    # Without it the wheel would install and then fail at load(); refuse now.
    if not any(os.path.exists(os.path.join(HERE, "dynenum", name)) for name in MODULES):
        sys.exit("dynenum: no compiled extension in %s; build the wheel with "
                 "`make python-wheel` from the repository root"
                 % os.path.join(HERE, "dynenum"))


class BinaryDistribution(Distribution):
    # Makes bdist_wheel treat the wheel as platform-specific.
    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


require_compiled_module()

setup(
    version=read_version(),
    distclass=BinaryDistribution,
    cmdclass={"bdist_wheel": PlatformWheel},
)
