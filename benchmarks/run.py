"""Run the kiosk's benchmarks: ``python benchmarks/run.py [--json] [--quick]``.

Prints one JSON object with every figure and its target. --quick skips the
long ones (idle CPU, soak) and takes fewer samples on X, for a fast look
(within 5 minutes on 2 cores). ``--soak N`` runs only the soak, with N patient
visits (benchmarks/soak.py; the full run walks 2,000). The figures a patient sees (first paint, screen
and text-size changes, memory) are measured from outside the kiosk on Xvfb
against bare-PySide6 floors (benchmarks/xbench.py); see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGETS = {
    "first_paint_floor_ratio": ("<=", 1.5),
    "screen_change_floor_ratio": ("<=", 1.3),
    "deck150_first_paint_ratio": ("<=", 1.25),
    "deck150_change_p95_ratio": ("<=", 1.25),
    "text_size_change_p95_ms": ("<=", 33),
    "contrast_switch_ms": ("<=", 33),
    "peak_rss_mb": ("<=", 100),
    "deck150_peak_rss_mb": ("<=", 130),
    "first_paint_s": ("<=", 0.8),
    "screen_change_p95_ms": ("<=", 16),
    "idle_cpu_percent": ("<=", 1.0),
    "soak_rss_growth_mb": ("<=", 10),
    # flat: after the warm-up a visit leaves nothing behind (benchmarks/soak.py)
    "soak_fds_growth": ("<=", 0),
    "soak_threads_growth": ("<=", 0),
    # QObjects: lazily made text-layout objects and one label per sheet page move a few
    "soak_qobjects_growth": ("<=", 5),
    "sheet_pdf_ms": ("<=", 300),
    "print_submit_ms": ("<=", 1000),
    "stats_write_ms": ("<=", 5),
    "stats_gui_block_ms": ("<=", 1),
    "stats_query_ms": ("<=", 300),
    "deck_install_s": ("<=", 3),
    "deck_switch_ms": ("<=", 300),
    "metrics_write_ms": ("<=", 5),
    "speech_start_ms": ("<=", 150),
    "speech_rss_mb": ("<=", 15),
}


def optional(module: str, func: str, *args: object) -> object:
    """Benchmarks of capabilities that may not be there yet return None."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError:
        return None
    fn = getattr(mod, func, None)
    if fn is None:
        return None
    try:
        return fn(*args)
    except Exception as e:  # one broken figure must not lose the others
        print(f"{module}.{func} failed: {e!r}", file=sys.stderr)
        return f"failed: {type(e).__name__}: {str(e)[:200]}"


def on_x(quick: bool) -> dict[str, object]:
    """The figures measured from outside on Xvfb; their keys set to None, with the reason, when X is missing."""
    keys = ("first_paint_floor_ratio", "screen_change_floor_ratio", "deck150_first_paint_ratio",
            "deck150_change_p95_ratio", "text_size_change_p95_ms", "contrast_switch_ms", "peak_rss_mb",
            "deck150_peak_rss_mb")
    if shutil.which("Xvfb") is None:
        reason = "Xvfb is not installed (apt-get install xvfb)"
    else:
        try:
            from benchmarks import xbench
        except ModuleNotFoundError as e:
            reason = f"{e.name} is missing (pip install -e '.[test]')"
        else:
            return xbench.measure(quick)
    return {**dict.fromkeys(keys), "x_not_measured": reason}


def with_verdicts(results: dict[str, object]) -> dict[str, object]:
    """The soak's growth figures from its before/after pairs, then a verdict per target."""
    for name in ("fds", "threads", "qobjects"):
        before, after = results.get(f"soak_{name}_before"), results.get(f"soak_{name}_after")
        if isinstance(before, int) and isinstance(after, int):
            results[f"soak_{name}_growth"] = after - before
    verdicts = {}
    for key, (op, target) in TARGETS.items():
        value = results.get(key)
        if isinstance(value, (int, float)):
            verdicts[key] = "ok" if value <= target else f"over target {op} {target}"
    results["targets"] = {k: f"{op} {t}" for k, (op, t) in TARGETS.items()}
    results["verdicts"] = verdicts
    return results


def soak_only(visits: int, print_every: int, printer: str) -> dict[str, object]:
    from benchmarks import soak

    results = soak.soak(visits, print_every=print_every, printer=printer or None,
                        progress=lambda line: print(line, file=sys.stderr, flush=True))
    keys = ("soak_rss_growth_mb", "soak_fds_growth", "soak_threads_growth", "soak_qobjects_growth")
    out = with_verdicts(results)
    out["targets"] = {k: v for k, v in out["targets"].items() if k in keys}  # type: ignore[union-attr]
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument("--quick", action="store_true", help="skip the idle CPU and soak runs")
    parser.add_argument("--soak", type=int, metavar="N", help="run only the soak, with N patient visits")
    parser.add_argument("--print-every", type=int, default=10, metavar="K",
                        help="with --soak: print the summary on every K-th visit (0: never; default 10)")
    parser.add_argument("--printer", default="kiosk-pdf",
                        help="with --soak: the CUPS queue to print to (default kiosk-pdf; '' for the CUPS default)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # finally blocks stop Xvfb
    if args.soak is not None:
        if args.soak < 2:
            parser.error("--soak needs at least 2 visits (a warm-up and a measured part)")
        print(json.dumps(soak_only(args.soak, args.print_every, args.printer), indent=None if args.json else 2))
        return 0
    from benchmarks import foundation

    results: dict[str, object] = {}
    results.update(on_x(args.quick))
    results["first_paint_s"] = round(foundation.first_paint_s(), 3)
    inprocess = foundation.screen_changes()
    inprocess["inprocess_peak_rss_mb"] = inprocess.pop("peak_rss_mb")  # peak_rss_mb comes from outside, on X
    results.update(inprocess)
    results["sheet_pdf_ms"] = optional("benchmarks.printing", "sheet_pdf_ms")
    results["print_submit_ms"] = optional("benchmarks.printing", "print_submit_ms")
    stats = optional("benchmarks.stats", "figures")  # usage figures (issue 13)
    if isinstance(stats, dict):
        results.update(stats)
    results["deck_install_s"] = optional("benchmarks.deckstore", "deck_install_s")
    results["deck_switch_ms"] = optional("benchmarks.deckstore", "deck_switch_ms")
    results["metrics_write_ms"] = optional("benchmarks.metrics", "metrics_write_ms")
    speech = optional("benchmarks.speech", "figures")  # speech output (issue 9)
    if isinstance(speech, dict):
        results.update(speech)
    if not args.quick:
        results["idle_cpu_percent"] = optional("benchmarks.lifecycle", "idle_cpu_percent")
        soak = optional("benchmarks.soak", "soak", 2000)
        if isinstance(soak, dict):
            results.update(soak)
    print(json.dumps(with_verdicts(results), indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
