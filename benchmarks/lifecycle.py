"""Long-run figures for the kiosk's life between patients.

- ``idle_cpu_percent()``: the kiosk in its own process (offscreen), 30 s on a
  content screen and 30 s on Start with nobody touching it; the higher of
  the two CPU figures (target <= 1 %).
- ``soak(sessions)``: one process, many simulated patients (walk every screen,
  tick every item, sometimes Spanish or larger text, then the idle warning
  and reset with an accelerated clock; a content reload now and then);
  RSS growth between session 200 and the last (target <= 10 MB).

``python benchmarks/lifecycle.py`` prints both; ``--idle-child`` is the
child process of ``idle_cpu_percent``.
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


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


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
    window = show_kiosk(cfg, deck, windowed=True, size=(1920, 1080))
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


# -- soak ------------------------------------------------------------------------------
class _Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def soak(sessions: int = 2000, baseline_at: int = 200) -> dict[str, float | int]:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from kiosk.app import make_app
    from kiosk.deck import load_deck
    from kiosk.resources import bundled_content
    from kiosk.session import Mode
    from kiosk.ui.window import KioskWindow

    app = make_app()
    cfg = _config(Path(tempfile.mkdtemp(prefix="kiosk-soak-")))
    window = KioskWindow(load_deck(bundled_content()), cfg)
    window.resize(1920, 1080)
    window.show()
    clock = _Clock()
    idle = window.idle
    idle.policy.clock = clock
    idle.filter.clock = clock
    idle.filter.last_input = clock()
    s = window.session
    timeout = idle.policy.timeout_s
    warning = idle.policy.warning_s

    def settle() -> None:
        app.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    baseline = 0.0
    t0 = time.monotonic()
    for n in range(1, sessions + 1):
        if n % 10 == 0:
            s.set_language("es")
        if n % 25 == 0:
            s.cycle_text_size()
        s.begin()
        while True:
            page = window.current_page()
            for tick in page.ticks:
                tick.toggled.emit(tick.item_id)
            clock.now += 5
            idle.check()
            settle()
            if s.at_end:
                break
            s.next()
        # the patient leaves: timeout, warning, reset
        clock.now += timeout
        idle.check()
        assert s.mode is Mode.IDLE_WARNING, s.mode
        clock.now += warning
        idle.check()
        assert s.mode is Mode.START and not s.ticks
        if n % 200 == 100:
            window.set_deck(load_deck(bundled_content()))  # staff reloads content
        settle()
        if n == baseline_at:
            baseline = _rss_mb()
    final = _rss_mb()
    print(f"soak: {sessions} sessions in {time.monotonic() - t0:.0f} s, RSS {baseline:.1f} -> {final:.1f} MB",
          file=sys.stderr)
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return {"soak_sessions": sessions, "soak_rss_growth_mb": round(final - baseline, 2)}


if __name__ == "__main__":
    if "--idle-child" in sys.argv:
        sys.exit(_idle_child())
    quick = "--quick" in sys.argv
    results: dict[str, object] = {}
    results.update(soak(300 if quick else 2000))
    results["idle_cpu_percent"] = idle_cpu_percent(5 if quick else PHASE_S)
    print(json.dumps(results, indent=2))
