"""Issue 2 figures: first paint, screen change time, peak memory."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def first_paint_s(runs: int = 5) -> float:
    """Median wall time from spawning the process to the first painted Start screen
    (bytecode cached, as on an installed kiosk: one unmeasured start writes it)."""
    with tempfile.TemporaryDirectory(prefix="kiosk-pyc-") as cache:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": cache}
        for var in ("KIOSK_CONFIG", "PYTHONDONTWRITEBYTECODE"):
            env.pop(var, None)
        times = []
        for n in range(runs + 1):
            t0 = time.monotonic()
            out = subprocess.run([sys.executable, "-m", "benchmarks.firstpaint_child"], cwd=ROOT, env=env,
                                 capture_output=True, text=True, timeout=60)
            elapsed = time.monotonic() - t0
            if "painted" not in out.stdout:
                raise RuntimeError(f"first paint child failed: {out.stderr[-2000:]}")
            if n:
                times.append(elapsed)
    return statistics.median(times)


def screen_changes(changes: int = 200) -> dict[str, float]:
    """Press Next (a real mouse click) and wait for the new page's first paint."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest

    from kiosk.app import make_app
    from kiosk.config import Config
    from kiosk.deck import load_deck
    from kiosk.resources import bundled_content
    from kiosk.ui.pages import Page
    from kiosk.ui.window import KioskWindow

    app = make_app()
    window = KioskWindow(load_deck(bundled_content()), Config())
    window.resize(1920, 1080)
    window.show()
    app.processEvents()

    class Painted(QObject):
        at = 0.0

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.at and isinstance(obj, Page):
                self.at = time.perf_counter()
            return False

    watcher = Painted()
    app.installEventFilter(watcher)  # pages are built when first shown: watch them all from the app
    session = window.session
    samples: list[float] = []
    # warm every page once (first show lays it out), as a patient session would
    for i in range(session.count):
        session.go(i)
        app.processEvents()
    session.go(1)
    app.processEvents()
    while len(samples) < changes:
        if session.at_end:
            session.go(1)
            app.processEvents()
            continue
        watcher.at = 0.0
        t0 = time.perf_counter()
        QTest.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
        deadline = t0 + 2
        while not watcher.at and time.perf_counter() < deadline:
            app.processEvents()
        samples.append((watcher.at - t0) * 1000)
        # let the fade finish, like a patient reading the screen
        end = time.perf_counter() + window.config.display.transition_ms / 1000 + 0.02
        while time.perf_counter() < end:
            app.processEvents()
    samples.sort()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "screen_change_p50_ms": round(statistics.median(samples), 2),
        "screen_change_p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "screen_changes": len(samples),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }
