"""The hostile inputs of issue 11 (tests/hostile/): each is reported and left out in time.

Every file is loaded by ``kiosk check`` code in a fresh process with 2 GB of
address space; it must answer with a ``path:line:`` problem naming the file,
within 2 seconds of loading, and the rest of the deck must still load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.decks import make_deck

HOSTILE = Path(__file__).parent / "hostile"
SCREENS = sorted(HOSTILE.glob("50-*.md"))
STRINGS = sorted(HOSTILE.glob("strings-*.yaml"))
SECONDS = 2.0

CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from kiosk.check import check_deck
t = time.perf_counter()
problems = check_deck(sys.argv[1])
took = time.perf_counter() - t
from kiosk.deck import load_deck
deck = load_deck(sys.argv[1])
print(json.dumps({"took": took, "problems": [str(p) for p in problems],
                  "screens": [s.id for s in deck.languages["en"].screens],
                  "next": deck.languages["en"].strings.get("next")}))
"""


def load_in_child(root: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent.parent),
                                                      os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True,
                         timeout=60, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


@pytest.mark.parametrize("hostile", SCREENS, ids=lambda p: p.name)
def test_hostile_screen_is_reported_and_left_out_within_two_seconds(tmp_path, hostile):
    root = make_deck(tmp_path, {hostile.name: hostile.read_bytes()})
    target = root / "en" / hostile.name
    result = load_in_child(root)
    mine = [p for p in result["problems"] if p.startswith(f"{target}:")]
    assert mine, result["problems"]
    assert all(p.split(":")[1].isdigit() for p in mine), mine
    assert result["took"] < SECONDS, f"{hostile.name}: {result['took']:.2f} s"
    assert all(len(p) < 600 for p in result["problems"]), "a message expanded the author's value"
    assert {"start", "risk", "next", "summary", "sources"} <= set(result["screens"])


@pytest.mark.parametrize("hostile", STRINGS, ids=lambda p: p.name)
def test_hostile_strings_file_is_reported_within_two_seconds(tmp_path, hostile):
    root = make_deck(tmp_path)
    path = root / "en" / "strings.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + hostile.read_text(encoding="utf-8"), encoding="utf-8")
    result = load_in_child(root)
    mine = [p for p in result["problems"] if p.startswith(f"{path}:")]
    assert mine, result["problems"]
    assert result["took"] < SECONDS, f"{hostile.name}: {result['took']:.2f} s"
    assert all(len(p) < 600 for p in result["problems"])
