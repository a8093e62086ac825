"""Run the kiosk's benchmarks: ``python benchmarks/run.py [--json] [--quick]``.

Prints one JSON object with every figure and its target. --quick skips the
long ones (idle CPU, soak) for a fast look.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGETS = {
    "first_paint_s": ("<=", 0.8),
    "screen_change_p95_ms": ("<=", 16),
    "peak_rss_mb": ("<=", 120),
    "idle_cpu_percent": ("<=", 1.0),
    "soak_rss_growth_mb": ("<=", 10),
    "sheet_pdf_ms": ("<=", 300),
    "print_submit_ms": ("<=", 1000),
    "stats_write_ms": ("<=", 5),
    "stats_gui_block_ms": ("<=", 1),
    "stats_query_ms": ("<=", 300),
    "deck_install_s": ("<=", 3),
}


def optional(module: str, func: str, *args: object) -> object:
    """Benchmarks of capabilities that may not be there yet return None."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError:
        return None
    fn = getattr(mod, func, None)
    return fn(*args) if fn else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument("--quick", action="store_true", help="skip the idle CPU and soak runs")
    args = parser.parse_args()
    from benchmarks import foundation

    results: dict[str, object] = {"first_paint_s": round(foundation.first_paint_s(), 3)}
    results.update(foundation.screen_changes())
    results["sheet_pdf_ms"] = optional("benchmarks.printing", "sheet_pdf_ms")
    results["print_submit_ms"] = optional("benchmarks.printing", "print_submit_ms")
    stats = optional("benchmarks.stats", "figures")  # usage figures (issue 13)
    if isinstance(stats, dict):
        results.update(stats)
    results["deck_install_s"] = optional("benchmarks.deckstore", "deck_install_s")
    if not args.quick:
        results["idle_cpu_percent"] = optional("benchmarks.lifecycle", "idle_cpu_percent")
        soak = optional("benchmarks.lifecycle", "soak")
        if isinstance(soak, dict):
            results.update(soak)
    verdicts = {}
    for key, (op, target) in TARGETS.items():
        value = results.get(key)
        if isinstance(value, (int, float)):
            verdicts[key] = "ok" if value <= target else f"over target {op} {target}"
    results["targets"] = {k: f"{op} {t}" for k, (op, t) in TARGETS.items()}
    results["verdicts"] = verdicts
    print(json.dumps(results, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
