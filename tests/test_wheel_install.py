"""The wheel is a real package: built from the repository, installed into a fresh virtualenv,
its ``kiosk`` command works from any directory with the deck, fonts and units it carries.

Real components: ``pip wheel`` (the setuptools build backend, fetched by pip's build
isolation) and ``python -m venv``. The new venv reuses this interpreter's site-packages for
the dependencies (a ``.pth`` file), so nothing but the kiosk itself is installed; the
kiosk in this checkout is never on its path. About half a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.realenv import skip_or_fail

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "kiosk", "content", "assets")


def run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KIOSK_CONFIG", "VIRTUAL_ENV")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_STATE_HOME=str(home / ".state"),
               QT_QPA_PLATFORM="offscreen")
    return env


class Installed:
    def __init__(self, wheel: Path, venv: Path, cwd: Path, env: dict[str, str]) -> None:
        self.wheel, self.venv, self.cwd, self.env = wheel, venv, cwd, env

    def kiosk(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run([str(self.venv / "bin" / "kiosk"), *args], self.cwd, self.env)

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return run([str(self.venv / "bin" / "python"), "-c", code], self.cwd, self.env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"  # a copy: the build writes build/ and *.egg-info, never into the checkout
    src.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_data"))
        else:
            shutil.copy2(path, src / name)
    home = base / "home"
    home.mkdir()
    env = clean_env(home)
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(src)],
                base, env)
    if built.returncode != 0:
        skip_or_fail(f"pip wheel could not build the kiosk (no network for the build backend?): {built.stderr[-800:]}")
    (wheel,) = (base / "dist").glob("clinic_kiosk-*.whl")

    venv = base / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)], base, env)
    if made.returncode != 0:
        skip_or_fail(f"python -m venv failed (apt-get install python3-venv): {made.stderr[-500:]}")
    site = Path(run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    base, env).stdout.strip())
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "kiosk-test-deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    pip = run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
              base, env)
    assert pip.returncode == 0, pip.stderr
    cwd = base / "elsewhere"  # not the repository
    cwd.mkdir()
    return Installed(wheel, venv, cwd, env)


def test_the_wheel_carries_the_deck_its_manifest_the_fonts_and_the_units(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for md in (REPO / "content" / "en").glob("*.md"):
        assert f"kiosk/_data/content/en/{md.name}" in names
    for lang in ("en", "es"):
        assert f"kiosk/_data/content/{lang}/strings.yaml" in names
    assert "kiosk/_data/content/manifest.toml" in names
    assert {n for n in names if n.endswith(".ttf")} == {
        f"kiosk/_data/assets/fonts/{p.name}" for p in (REPO / "assets" / "fonts").glob("*.ttf")}
    assert "kiosk/_data/assets/service/kiosk.service" in names


def test_the_installed_kiosk_finds_its_data_inside_the_package(installed):
    done = installed.python("import kiosk.resources as r; print(r.is_packaged()); print(r.bundled_content())")
    assert done.returncode == 0, done.stderr
    packaged, content = done.stdout.split()
    assert packaged == "True"
    assert Path(content).is_relative_to(installed.venv)


def test_installed_commands_work_from_any_directory(installed):
    check = installed.kiosk("check")
    assert (check.returncode, check.stdout) == (0, ""), check.stdout + check.stderr

    shots = installed.cwd / "shots"
    done = installed.kiosk("screenshot", "--out", str(shots))
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list(shots.glob("*.png"))) >= 6

    pdf = installed.cwd / "sheet.pdf"
    done = installed.kiosk("sheet", "--out", str(pdf), "--select", "all")
    assert done.returncode == 0, done.stdout + done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")

    fonts = installed.python(
        "from PySide6.QtGui import QGuiApplication, QFontDatabase\n"
        "app = QGuiApplication([])\n"
        "from kiosk.ui.theme import load_fonts\n"
        "load_fonts()\n"
        "print('Atkinson Hyperlegible' in QFontDatabase.families())\n")
    assert fonts.stdout.strip() == "True", fonts.stderr
