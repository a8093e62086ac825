"""Long-run figures for the kiosk's life between patients.

- ``idle_cpu_percent()``: the kiosk in its own process (offscreen), 30 s on a
  content screen and 30 s on Start with nobody touching it; the higher of
  the two CPU figures (target <= 1 %).
- The soak (many patients in one process, and what they leave behind) is
  ``benchmarks/soak.py``.

``python benchmarks/lifecycle.py`` prints the idle figure and a soak of 300
visits (2,000 without ``--quick``); ``--idle-child`` is the child process of
``idle_cpu_percent``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PHASE_S = 30.0
SETTLE_S = 3.0


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def _config(log_dir: Path):  # type: ignore[no-untyped-def]
    from kiosk import config as config_mod

    return config_mod.Config().with_values(log={"file": str(log_dir / "kiosk.log")})


# -- idle CPU ------------------------------------------------------------------------
def _idle_child() -> int:
    """Run the kiosk as ``kiosk --windowed`` would; 'start' on stdin goes back to Start."""
    from PySide6.QtCore import QSocketNotifier

    from kiosk.app import make_app, open_deck, show_kiosk
    from kiosk.logs import setup_logging
    from kiosk.resources import bundled_content

    cfg = _config(Path(tempfile.mkdtemp(prefix="kiosk-idle-")))
    setup_logging(cfg.log_file)
    deck = open_deck(bundled_content(), "en")
    app = make_app()
    window, _fleet = show_kiosk(cfg, deck, windowed=True, size=(1920, 1080))
    window.session.begin()  # a content screen, idle timer armed (90 s: no warning within the phase)
    print("content", flush=True)

    def command() -> None:
        line = sys.stdin.readline().strip()
        if line == "start":
            window.session.reset()
            print("start", flush=True)
        elif line in ("quit", ""):
            app.quit()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    return int(app.exec())


def idle_cpu_percent(phase_s: float = PHASE_S) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--idle-child"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "content"
        time.sleep(SETTLE_S)
        figures = {}
        for phase in ("content", "start"):
            if phase == "start":
                proc.stdin.write("start\n")
                proc.stdin.flush()
                assert proc.stdout.readline().strip() == "start"
                time.sleep(SETTLE_S)
            cpu0, t0 = _cpu_seconds(proc.pid), time.monotonic()
            time.sleep(phase_s)
            figures[phase] = 100 * (_cpu_seconds(proc.pid) - cpu0) / (time.monotonic() - t0)
        print(f"idle CPU: content {figures['content']:.3f} %, start {figures['start']:.3f} %", file=sys.stderr)
        return round(max(figures.values()), 3)
    finally:
        proc.stdin.write("quit\n")
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    if "--idle-child" in sys.argv:
        sys.exit(_idle_child())
    quick = "--quick" in sys.argv
    results: dict[str, object] = {}
    from benchmarks.soak import soak

    results.update(soak(300 if quick else 2000))
    results["idle_cpu_percent"] = idle_cpu_percent(5 if quick else PHASE_S)
    print(json.dumps(results, indent=2))
