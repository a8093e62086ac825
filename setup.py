"""Build hook: put the top-level content/ and assets/ into the wheel as kiosk/_data/.

Authors keep editing content/ and assets/ where they are; kiosk/resources.py
finds the copies in an installed wheel and the originals in a checkout or an
editable install (which this hook leaves alone, so nothing is copied into the
source tree). Everything else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA_DIRS = ("content", "assets")


class build_py_with_data(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # editable: kiosk/resources.py reads the top-level folders
        target = Path(self.build_lib) / "kiosk" / "_data"
        for name in DATA_DIRS:
            source = HERE / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; build from a full checkout or sdist")
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": build_py_with_data})
