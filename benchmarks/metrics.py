"""metrics_write_ms: p95 of one Prometheus textfile write (render + temp file + rename)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from kiosk.metrics import Health, TextfileWriter, Usage


def metrics_write_ms(runs: int = 200) -> float:
    health = Health(version="1.0.0", deck_version="2026.11-1", printer_ready=True, speech_available=True)
    with tempfile.TemporaryDirectory() as folder:
        writer = TextfileWriter(Path(folder) / "kiosk.prom")
        times = []
        for i in range(runs):
            t = time.perf_counter()
            writer.write(health, Usage(visits_started=i, visits_finished=i // 2, prints_ok=i // 3))
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return round(times[int(0.95 * (len(times) - 1))], 3)


if __name__ == "__main__":
    print(metrics_write_ms())
