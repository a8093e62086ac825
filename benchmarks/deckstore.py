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
