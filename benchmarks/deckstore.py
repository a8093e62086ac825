"""``deck_install_s``: ``kiosk deck install`` of the bundled deck from a folder, check included.

Each run is a fresh process (interpreter start, imports, loading the CMU
dictionary for readability, the full check, the copy and the switch) into an
empty state directory, as an installer meets it; the median of ``runs``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import argparse, sys
from pathlib import Path
from kiosk import deck_cli
from kiosk.resources import bundled_content
parser = argparse.ArgumentParser(prog="kiosk")
deck_cli.add_parser(parser.add_subparsers(dest="command"))
args = parser.parse_args(["deck", "install", str(bundled_content())])
sys.exit(deck_cli.run(args, state_dir=Path(sys.argv[1])))
"""


def deck_install_s(runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="kiosk-bench-deck-") as state:
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", _CHILD, state], cwd=ROOT, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if done.returncode != 0 or not (Path(state) / "decks" / "current").is_symlink():
                raise RuntimeError(f"deck install failed: {done.stdout}{done.stderr}")
    return round(statistics.median(times), 3)


if __name__ == "__main__":
    print(deck_install_s())


_SWITCH_CHILD = """
import os, shutil, statistics, sys, tempfile, time
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from kiosk import deck_cli, deckstore
from kiosk.app import make_app
from kiosk.config import Config
from kiosk.deck import load_deck
from kiosk.resources import bundled_content
app = make_app()
from kiosk.ui.deck_updates import DeckUpdates
from kiosk.ui.window import KioskWindow
import argparse
state = Path(sys.argv[1])
def install(version):
    deck = state.parent / f"deck-{version}"
    shutil.copytree(bundled_content(), deck)
    m = deck / "manifest.toml"
    m.write_text(m.read_text().replace('version = "', f'version = "{version}.', 1))
    p = argparse.ArgumentParser(prog="kiosk"); deck_cli.add_parser(p.add_subparsers(dest="command"))
    assert deck_cli.run(p.parse_args(["deck", "install", str(deck)]), state_dir=state) == 0
install(0)
w = KioskWindow(load_deck(deckstore.active_deck_dir(state)), Config().with_values(display={"transition_ms": 0}),
                speech_engine="mock")
w.resize(1280, 800); w.show(); app.processEvents()
updates = DeckUpdates(w.session, w.holder, state, "en", w)
times = []
for n in range(1, int(sys.argv[2]) + 1):
    install(n)
    w.session.begin(); app.processEvents()
    start = time.perf_counter()
    w.session.reset("idle")        # the return to Start adopts the new version
    w.repaint(); app.processEvents()  # the Start screen of the new deck painted
    times.append(time.perf_counter() - start)
    assert deckstore.current_name(state) and updates is not None
print(round(statistics.median(times) * 1000, 1), round(max(times) * 1000, 1))
"""


def deck_switch_ms(runs: int = 5) -> float:
    """A running kiosk adopting a newly installed deck at Start, to the first paint of it (in
    process: the return to Start, the new deck loaded and its Start page painted), median."""
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-switch-") as tmp:
        state = Path(tmp) / "state"
        done = subprocess.run([sys.executable, "-c", _SWITCH_CHILD, str(state), str(runs)], cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"deck switch failed: {done.stderr[-2000:]}")
        median, _worst = (float(v) for v in done.stdout.split()[-2:])
    return median
