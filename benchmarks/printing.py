"""Printing benchmarks, called by benchmarks/run.py.

sheet_pdf_ms: median time to compose and render the sheet PDF for the bundled
deck with every item ticked. print_submit_ms: from a tap on Print (the
controller's request) to the job accepted by CUPS, median of a few runs;
None when there is no such CUPS queue.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _app():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def sheet_pdf_ms(runs: int = 15) -> float:
    _app()
    from kiosk import sheet, sheet_render
    from kiosk.deck import load_deck
    from kiosk.resources import bundled_content
    from kiosk.ui.theme import load_fonts

    family = load_fonts()
    lang = load_deck(bundled_content()).language("en")
    ticks = sheet.resolve_selection(lang, ["all"])
    times = []
    for _ in range(runs + 2):
        t = time.perf_counter()
        composed = sheet.compose(lang, ticks, clinic="Riverside Spine Clinic", qr_url="https://example.org/mri")
        sheet_render.pdf_bytes(composed, family)
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times[2:]), 1)


def print_submit_ms(printer: str = "kiosk-pdf", runs: int = 3) -> float | None:
    try:
        ok = subprocess.run(["lpstat", "-p", printer], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return None
    if not ok:
        return None
    app = _app()
    from kiosk import config as config_mod
    from kiosk.deck import load_deck
    from kiosk.resources import bundled_content
    from kiosk.ui.print_panel import PrintController
    from kiosk.ui.window import KioskWindow

    cfg = config_mod.Config().with_values(print={"printer": printer, "max_per_session": runs},
                                          display={"transition_ms": 0})
    window = KioskWindow(load_deck(bundled_content()), cfg, speech_engine="mock")
    window.resize(1280, 800)
    window.show()
    for item in (i.id for s in window.language.screens for i in s.items):
        window.session.toggle(item)
    window.session.go(window.session.count - 1)  # the summary builds the print controller
    app.processEvents()
    controller = window.print_controller
    assert isinstance(controller, PrintController)
    results: list = []
    controller.finished.connect(results.append)
    times = []
    for _ in range(runs):
        results.clear()
        t = time.perf_counter()
        controller.request_print()
        while not results and time.perf_counter() - t < 30:
            app.processEvents()
            time.sleep(0.001)
        if not results or not results[0].ok:
            window.close()
            return None
        times.append((time.perf_counter() - t) * 1000)
    window.close()
    return round(statistics.median(times), 1)


if __name__ == "__main__":
    print({"sheet_pdf_ms": sheet_pdf_ms(), "print_submit_ms": print_submit_ms()})
