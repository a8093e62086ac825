"""Usage-figure benchmarks, called by benchmarks/run.py (``figures()``), or run alone.

On a real SQLite file holding 400 days of figures:
- stats_write_ms: p95 time the StatsWriter's worker takes to record one finished visit
  (one transaction, pruning and the log checkpoint included);
- stats_gui_block_ms: p95 time the GUI thread spends handing a visit over;
- stats_query_ms: median wall time of ``kiosk stats --days 400 --format json`` as a process
  (``python -m kiosk.stats_cli``, which is what ``kiosk stats`` runs), Python start-up included.
"""

from __future__ import annotations

import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 11, 28)
SCREENS = ("start", "mri-risk", "doctor-review", "next-steps", "summary", "sources")
QUESTIONS = tuple(f"q-{n}" for n in range(12))


def _visit(day: datetime.date, n: int):  # type: ignore[no-untyped-def]
    from kiosk.stats import Visit

    reached = SCREENS[: 2 + n % (len(SCREENS) - 1)]
    return Visit(day=day, language=("en", "es")[n % 2], text_size=n % 3, contrast=("normal", "high")[n % 5 == 0],
                 speech=n % 7 == 0, screens_reached=reached,
                 seconds_on_screen={s: float((n * 37 + i * 11) % 240) for i, s in enumerate(reached)},
                 ticks=tuple(QUESTIONS[(n + k) % len(QUESTIONS)] for k in range(n % 5)), ended="finished",
                 prints_ok=n % 2, prints_failed=0)


def full_database(path: Path, days: int = 400, per_day: int = 6) -> None:
    """Every day of ``days`` has visits, so every table holds a full keep_days of rows."""
    from kiosk.stats import StatsStore

    with StatsStore(path, keep_days=days) as store:
        for back in range(days - 1, -1, -1):
            day = TODAY - datetime.timedelta(days=back)
            for n in range(per_day):
                store.record(_visit(day, back * per_day + n))


def _p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[-1], 3)


def write_and_handover(path: Path, visits: int = 200) -> dict[str, float]:
    from PySide6.QtCore import QCoreApplication, Qt

    from kiosk.ui.stats_writer import StatsWriter

    _app = QCoreApplication.instance() or QCoreApplication([])
    writer = StatsWriter(path, keep_days=400)
    worker_ms: list[float] = []
    lock = threading.Lock()

    def on_recorded(ms: float) -> None:  # runs on the worker (direct connection)
        with lock:
            worker_ms.append(ms)

    writer.recorded.connect(on_recorded, Qt.ConnectionType.DirectConnection)
    gui_ms: list[float] = []
    try:
        for n in range(visits):
            visit = _visit(TODAY, n)
            start = time.perf_counter()
            writer.record(visit)
            gui_ms.append((time.perf_counter() - start) * 1000)
            writer.flush()  # one at a time, as visits end in a waiting room
    finally:
        writer.close()
    if len(worker_ms) != visits:
        raise RuntimeError(f"only {len(worker_ms)} of {visits} visits were recorded")
    return {"stats_write_ms": _p95(worker_ms[5:]), "stats_gui_block_ms": _p95(gui_ms[5:])}


def query_ms(path: Path, runs: int = 5) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "kiosk.stats_cli", "--database", str(path), "stats", "--days", "400",
            "--format", "json"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0 or '"days"' not in done.stdout:
            raise RuntimeError(f"kiosk stats failed: {done.stderr.strip()}")
    return round(statistics.median(times), 1)


def figures() -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="kiosk-stats-bench-", dir=os.environ.get("KIOSK_BENCH_DIR")) as tmp:
        path = Path(tmp) / "usage.sqlite3"
        full_database(path)
        results = write_and_handover(path)
        results["stats_query_ms"] = query_ms(path)
        return results


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(figures())
