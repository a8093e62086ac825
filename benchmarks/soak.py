"""The soak: many full patient visits in one kiosk process, and what they leave behind.

``soak(visits)`` builds the kiosk as ``kiosk --windowed`` does (``kiosk.app.show_kiosk``:
the window, the usage-figures writer, the fleet's metrics textfile), offscreen at
1920x1080, and walks ``visits`` patient visits through real mouse and key events
(``QTest``): tap "Touch to begin" (or Space), tick questions, answer the check-yourself
quiz, sometimes Spanish, larger or smaller text, high contrast, Sources or "More below",
a step back, the full-size sheet; then "Print my summary" on every ``print_every``-th
visit (the real ``PrintController`` path: PDF rendered on its worker, ``lp`` to a real
CUPS queue, the job purged once printed), and an ending in turn: "I'm finished", the
idle warning and reset, or Start over. Between visits, now and then: the staff corner,
the PIN pad and the staff panel (a content reload every other time), and demo mode
started and stopped from that panel, paused by a touch and replayed by the idle timer.

The idle and demo timers run on an accelerated clock (the idle controller's injectable
clock), so nobody waits 90 s for a reset. Nothing else is simulated.

What is measured, at rest: RSS (``/proc/self/statm``), open file descriptors
(``/proc/self/fd``), threads (``Threads:`` in ``/proc/self/status``), live QObjects
(the QApplication's and every top-level widget's descendants, plus the top-level
widgets) and Python wrappers of QObjects (``gc``). "At rest" means after deferred
deletes ran, every thread pool's idle threads exited (``waitForDone``, as they do by
themselves after 30 s), the print-purge helpers finished, the usage figures were
written and ``gc.collect()``. The baseline is taken after a warm-up (200 visits by
default: every page, font, style and code path has been built and cached once), the
final figures after the last visit; growth is final minus baseline.

``python benchmarks/run.py --soak N`` prints the figures as JSON.
"""

from __future__ import annotations

import gc
import logging
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import footprint  # noqa: E402 (after the path above)

PIN = "2468"
QUEUE = "kiosk-pdf"
SIZE = (1920, 1080)
WAIT_S = 60.0  # the longest any one step may take (a print job on a busy machine)


class SoakError(Exception):
    """The kiosk did not do what a patient's action should have done."""


class _Clock:
    """The idle controller's clock: the soak moves it on instead of waiting."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


# -- the soak ----------------------------------------------------------------------------
class Soak:
    """One kiosk window and the patients, staff and demo that use it."""

    def __init__(self, work: Path, printer: str | None, seed: int = 11) -> None:
        from PySide6.QtWidgets import QApplication

        from kiosk import config as config_mod
        from kiosk.app import make_app, show_kiosk
        from kiosk.deck import load_deck
        from kiosk.pin import hash_pin
        from kiosk.resources import bundled_content

        # the kiosk's own set-up (its Qt message handler too), unless a test's QApplication is there
        self.app: QApplication = QApplication.instance() or make_app()  # type: ignore[assignment]
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self.print_results: list[Any] = []
        self.printer = printer
        cfg = config_mod.Config().with_values(
            clinic_name="Riverside Spine Clinic",
            log={"file": str(work / "kiosk.log")},
            stats={"database": str(work / "usage.sqlite3")},
            metrics={"textfile": str(work / "kiosk.prom")},
            # speech-dispatcher is a separate program; the soak is about this process
            speech={"enabled": False},
            staff={"pin_hash": hash_pin(PIN, iterations=100_000), "hold_seconds": 0.05},
            print={"printer": printer or ""},
        )
        self.window, self.fleet = show_kiosk(cfg, load_deck(bundled_content()), windowed=True, size=SIZE)
        self.clock = _Clock()
        idle = self.window.idle
        idle.policy.clock = self.clock
        idle.filter.clock = self.clock
        idle.filter.last_input = self.clock()
        idle.policy.last_activity = self.clock()
        self.settle()
        # patients arrive once the first frame is out (the window watches input from then on)
        self.wait_for(lambda: self.window._painted, "the first frame")  # noqa: SLF001

    # -- plumbing ---------------------------------------------------------------
    def settle(self, rounds: int = 3) -> None:
        """Run what is posted (zero-time timers, queued signals, deferred deletes)."""
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QApplication

        for _ in range(rounds):
            self.app.processEvents()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def wait_for(self, done: Callable[[], object], what: str, timeout: float = WAIT_S) -> None:
        from PySide6.QtTest import QTest

        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise SoakError(f"{what} did not happen within {timeout:.0f} s")
            QTest.qWait(5)

    def tick_clock(self, seconds: float) -> None:
        self.clock.now += seconds
        self.window.idle.check()

    def click(self, widget) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.clock.now += 1

    def key(self, widget, key) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        if QApplication.activeWindow() is not self.window:
            # Something took the keyboard from the kiosk (a widget shown before it had a parent
            # is a window of its own for a moment): count it, and give the keys back.
            self.counts["window_deactivated"] += 1
            self.window.activateWindow()
            self.settle()
        QTest.keyClick(widget, key)
        self.clock.now += 1

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # -- a patient ----------------------------------------------------------------
    def visit(self, n: int, print_it: bool) -> None:
        from PySide6.QtCore import Qt

        from kiosk.session import Mode
        from kiosk.ui.pages import QuizPage, ScreenPage, StartPage, SummaryPage

        w, s = self.window, self.window.session
        if w.thanks.isVisible():
            self.click(w.thanks)  # the last patient's "Thank you" goes at a touch
        start = w.current_page()
        if not isinstance(start, StartPage) or s.mode is not Mode.START:
            raise SoakError(f"visit {n} did not begin on Start ({s.screen_id}, {s.mode})")
        if self.chance(0.3):
            self.click(next(b for b in start.lang_buttons if b.property("lang") == "es"))
            start = w.current_page()
        if self.chance(0.15):
            self.click(start.larger_button)
        if self.chance(0.08):
            self.click(start.contrast_button)
        if self.chance(0.5):
            self.click(start.begin_button)
        else:
            self.key(start, Qt.Key.Key_Space)
        stepped_back = False
        while True:
            self.settle(1)  # paint; a neighbour page is built in idle time, as after a paint
            page = w.current_page()
            if page.screen.id != s.screen_id:
                raise SoakError(f"visit {n}: the window shows {page.screen.id}, the session {s.screen_id}")
            for tick in page.ticks:
                if self.chance(0.4):
                    before = len(s.ticks)
                    self.click(tick)
                    if len(s.ticks) == before:
                        raise SoakError(f"visit {n}: a tap on a question on {s.screen_id} ticked nothing")
                    self.counts["ticks"] += 1
            if isinstance(page, QuizPage):
                for _, yes, no, _ in page._items:  # noqa: SLF001 (the buttons a patient sees)
                    self.click(yes if self.chance(0.6) else no)
                    self.counts["quiz_answers"] += 1
            if isinstance(page, ScreenPage) and page.more_strip.isVisible() and self.chance(0.3):
                self.click(page.more)
                self.counts["more_below"] += 1
            self.header_controls(n)
            if s.at_end:
                break
            if not stepped_back and s.index > 2 and self.chance(0.15):
                stepped_back = True
                self.key(w, Qt.Key.Key_Left)
                self.counts["back"] += 1
                continue
            if self.chance(0.5):
                self.click(w.next_button)
            else:
                self.key(w, Qt.Key.Key_Right)
            self.tick_clock(5)  # a few seconds of reading; the idle timer stays quiet
        summary = w.current_page()
        if not isinstance(summary, SummaryPage) or summary.print_panel is None:
            raise SoakError(f"visit {n} ended on {s.screen_id}, not on the summary")
        self.settle()  # the preview renders just after the screen shows
        if self.chance(0.1):
            self.click(summary.print_panel.full)
            if not w.sheet_view.isVisible():
                raise SoakError(f"visit {n}: 'See the full sheet' opened nothing")
            self.click(w.sheet_view.close_button)
            self.counts["sheet_opened"] += 1
        if print_it:
            self.print_summary(n, summary.print_panel)
        self.counts[f"lang_{s.language}"] += 1
        self.end_visit(n)

    def header_controls(self, n: int) -> None:
        """What a patient may touch in the header on any screen."""
        w, s = self.window, self.window.session
        if self.chance(0.03):
            self.click(w.language_button)
            self.counts["language_switches"] += 1
        if self.chance(0.04):
            self.click(w.larger_button if s.text_size < 2 and self.chance(0.7) else w.smaller_button)
            self.counts["text_size_changes"] += 1
        if self.chance(0.02):
            self.click(w.contrast_button)
            self.counts["contrast_changes"] += 1
        if self.chance(0.01) and w.sources_button.isVisible():
            self.click(w.sources_button)
            if not w.sources.isVisible():
                raise SoakError(f"visit {n}: Sources opened nothing")
            self.click(w.sources.close_button)
            self.counts["sources_opened"] += 1

    def print_summary(self, n: int, panel) -> None:  # type: ignore[no-untyped-def]
        controller = self.window.print_controller
        before = len(self.print_results)
        controller.finished.connect(self.print_results.append)
        try:
            self.click(panel.button)
            self.wait_for(lambda: len(self.print_results) > before, f"visit {n}: the print job's outcome")
        finally:
            controller.finished.disconnect(self.print_results.append)
        result = self.print_results[-1]
        self.counts["prints_ok" if result.ok else "prints_failed"] += 1
        if not result.ok:
            logging.getLogger(__name__).warning("visit %d: the sheet was not printed: %s", n, result.reason)

    def end_visit(self, n: int) -> None:
        from PySide6.QtCore import Qt

        from kiosk.session import Mode

        w, s = self.window, self.window.session
        ending = ("finished", "idle", "start_over")[n % 3]
        if ending == "finished":
            self.click(w.next_button)  # "I'm finished" on the summary
            if not w.thanks.isVisible():
                raise SoakError(f"visit {n}: no thank-you after I'm finished")
        elif ending == "idle":
            self.tick_clock(w.idle.timeout_s() + 1)
            if s.mode is not Mode.IDLE_WARNING:
                raise SoakError(f"visit {n}: no idle warning ({s.mode})")
            self.tick_clock(w.idle.policy.warning_s + 1)
        else:
            self.key(w, Qt.Key.Key_Home)  # Start over asks first
            if not w.confirm.isVisible():
                raise SoakError(f"visit {n}: Start over did not ask")
            self.click(w.confirm.yes_button)
        self.counts[f"ended_{ending}"] += 1
        self.settle()
        if s.mode is not Mode.START or s.ticks or s.index != 0 or s.text_size or s.language != s.default_language:
            raise SoakError(f"visit {n}: the reset left something behind ({s.mode}, {s.screen_id})")

    # -- staff and demo -----------------------------------------------------------
    def open_staff_panel(self, wrong_pin_first: bool = False) -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        w = self.window
        if w.thanks.isVisible():
            self.click(w.thanks)
        pos = QPoint(10, 10)
        target = w.childAt(pos) or w
        held: list[bool] = []
        w.corner.held.connect(self._note_held)
        self._held = held
        try:
            QTest.mousePress(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target.mapFrom(w, pos))
            self.wait_for(lambda: held, "the staff corner hold")
            QTest.mouseRelease(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                               target.mapFrom(w, pos))
        finally:
            w.corner.held.disconnect(self._note_held)
        staff = w.staff
        if not staff.pad.isVisible():
            raise SoakError("holding the staff corner did not show the PIN pad")
        pins = ["1357", PIN] if wrong_pin_first else [PIN]
        for pin in pins:
            answers: list[bool] = []
            staff.checked.connect(answers.append)
            try:
                for digit in pin:
                    self.click(staff.pad.digits[digit])
                self.click(staff.pad.ok_button)
                self.wait_for(lambda: answers, "the PIN check")  # noqa: B023
            finally:
                staff.checked.disconnect(answers.append)
            if answers[0] != (pin == PIN):
                raise SoakError(f"the PIN check said {answers[0]} for {'the' if pin == PIN else 'a wrong'} PIN")
        if not staff.panel.isVisible():
            raise SoakError("the right PIN did not open the staff panel")
        self.wait_for(lambda: staff.printer.pool.activeThreadCount() == 0, "the staff panel's printer state")
        self.counts["staff_panel_opened"] += 1

    def _note_held(self) -> None:
        self._held.append(True)

    def staff_visit(self, reload: bool) -> None:
        from kiosk.session import Mode

        self.open_staff_panel(wrong_pin_first=self.chance(0.25))
        panel = self.window.staff.panel
        if reload:
            root_before = self.window.deck
            self.click(panel.reload_button)
            if self.window.deck is root_before:
                raise SoakError(f"Reload content did not reload: {panel.status.text()}")
            self.counts["content_reloads"] += 1
        self.click(panel.close_button)
        s = self.window.session
        if panel.isVisible() or s.mode is not Mode.START:
            raise SoakError(f"closing the staff panel did not go back to Start ({s.mode})")

    def demo_interlude(self, steps: int = 4) -> None:
        """Staff start the demo; it plays a few screens; a visitor touches it (pause); nobody
        stays, so the idle timer replays it; staff stop it from the panel."""
        from PySide6.QtCore import Qt

        from kiosk.session import Mode

        w, s = self.window, self.window.session
        self.open_staff_panel()
        self.click(w.staff.panel.demo_button)
        if s.mode is not Mode.DEMO:
            raise SoakError(f"Start demo did not start it ({s.mode})")
        for _ in range(steps):
            w.demo.advance()  # what the demo's timer calls, without its 8 s
            self.settle()
        self.key(w, Qt.Key.Key_Shift)  # a visitor touches the kiosk: the demo pauses
        if s.mode is Mode.DEMO:
            raise SoakError("a touch did not pause the demo")
        self.tick_clock(w.idle.timeout_s() + 1)  # nobody stays: the demo plays again
        if s.mode is not Mode.DEMO or s.index != 0:
            raise SoakError(f"the demo did not replay after the idle time ({s.mode}, {s.screen_id})")
        self.open_staff_panel()
        self.click(w.staff.panel.demo_button)  # Stop demo
        if s.demo or s.mode is not Mode.START or s.ticks:
            raise SoakError(f"Stop demo left demo mode on or choices behind ({s.mode})")
        self.counts["demo_interludes"] += 1

    # -- measuring ---------------------------------------------------------------------
    def reference_walk(self) -> None:
        """The same plain visit before each measurement (English, every screen, Next, I'm
        finished), so the pages the window keeps built are the same ones each time."""
        w, s = self.window, self.window.session
        if w.thanks.isVisible():
            self.click(w.thanks)
        self.click(w.current_page().begin_button)
        while not s.at_end:
            self.settle()
            self.click(w.next_button)
        self.settle()
        self.click(w.next_button)
        self.click(w.thanks)

    def at_rest(self) -> dict[str, float | int]:
        from PySide6.QtCore import QThreadPool

        self.reference_walk()
        self.settle()
        for t in threading.enumerate():
            if t.name.startswith("forget-"):  # kiosk.cups_jobs: the purge of a printed job
                t.join(WAIT_S)
        stats = self.window._stats  # noqa: SLF001 (the writer show_kiosk made)
        if stats is not None:
            stats.flush()
        for pool in [QThreadPool.globalInstance(), *self.window.findChildren(QThreadPool)]:
            pool.waitForDone(int(WAIT_S * 1000))
        # at rest, as between two patients: the idle-time trim after a visit has run
        tidy = self.window._tidy  # noqa: SLF001
        self.wait_for(lambda: not tidy.isActive(), "the heap trim after the last visit")
        self.settle()
        gc.collect()
        return {"rss_mb": round(footprint.rss_mb(), 2), "fds": footprint.open_fds(),
                "threads": footprint.threads(), "qobjects": footprint.qobjects(),
                "py_qobjects": footprint.py_qobjects()}

    def close(self) -> None:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QApplication

        if self.window.print_controller is not None:
            self.window.print_controller.wait()
        stats = self.window._stats  # noqa: SLF001
        if stats is not None:
            stats.close()
        self.window.close()
        self.window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


Figures = dict[str, float | int]


def _walk(run: Soak, visits: int, warmup: int, print_every: int, staff_every: int, demo_every: int,
          progress: Callable[[str], None] | None) -> tuple[Figures, Figures, list[tuple[int, object]], Figures, float]:
    """The visits, with staff and demo between them; the figures at rest along the way."""
    start = run.at_rest()
    t0 = time.monotonic()
    baseline: Figures = {}
    trend: list[tuple[int, object]] = []
    for n in range(1, visits + 1):
        run.visit(n, print_it=bool(print_every) and n % print_every == 0)
        if staff_every and n % staff_every == staff_every // 2:
            run.staff_visit(reload=(n // staff_every) % 2 == 0)
        if demo_every and n % demo_every == demo_every // 5:
            run.demo_interlude()
        if n == warmup:
            baseline = run.at_rest()
        elif n % 1000 == 0 and n < visits:
            trend.append((n, run.at_rest()["rss_mb"]))
        if progress is not None and (n % 500 == 0 or n == visits):
            progress(f"soak: {n}/{visits} visits, {time.monotonic() - t0:.0f} s, RSS {footprint.rss_mb():.1f} MB")
    seconds = time.monotonic() - t0
    return start, baseline, trend, run.at_rest(), seconds


def printer_problem(printer: str | None) -> str | None:
    """Why the soak cannot print to ``printer``, or None when it is ready."""
    from kiosk import printing

    status = printing.check_printer(printer)
    return None if status.ready else status.describe()


def soak(visits: int = 2000, warmup: int | None = None, print_every: int = 10, printer: str | None = QUEUE,
         staff_every: int = 100, demo_every: int = 250, seed: int = 11,
         progress: Callable[[str], None] | None = None) -> dict[str, object]:
    """Walk ``visits`` patient visits; the figures at rest after ``warmup`` visits and at the end.

    ``print_every``: print the summary on every n-th visit (0: never). ``printer``: the CUPS
    queue (None: the CUPS default); when it is not ready, printing is skipped and
    ``soak_print_skipped`` says why. ``warmup`` defaults to 200, or a tenth of a short run.
    """
    warmup = min(200, max(1, visits // 10)) if warmup is None else warmup
    if not 0 < warmup < visits:
        raise ValueError(f"warmup ({warmup}) must be between 0 and visits ({visits})")
    work = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    state_before = os.environ.get("STATE_DIRECTORY")
    os.environ["STATE_DIRECTORY"] = str(work)  # PIN lockout, decks: never the machine's own
    out: dict[str, object] = {"soak_sessions": visits, "soak_warmup_sessions": warmup}
    skipped = printer_problem(printer) if print_every else "printing not asked for (print_every 0)"
    if skipped:
        print_every = 0
    out["soak_print_every"] = print_every
    out["soak_print_skipped"] = skipped
    queue = printer or QUEUE
    history_before = footprint.cups_jobs(queue, "completed") if not skipped else None
    try:
        run = Soak(work, printer, seed)
        try:
            start, baseline, trend, final, seconds = _walk(run, visits, warmup, print_every, staff_every,
                                                           demo_every, progress)
            counts = dict(run.counts)
            own_jobs = {r.job_id for r in run.print_results if r.ok and r.job_id}
        finally:
            run.close()
    finally:
        if state_before is None:
            os.environ.pop("STATE_DIRECTORY", None)
        else:
            os.environ["STATE_DIRECTORY"] = state_before
        shutil.rmtree(work, ignore_errors=True)
    out["soak_seconds"] = round(seconds, 1)
    out["soak_rss_growth_mb"] = round(float(final["rss_mb"]) - float(baseline["rss_mb"]), 2)
    out["soak_rss_start_mb"] = start["rss_mb"]
    for key in ("rss_mb", "fds", "threads", "qobjects", "py_qobjects"):
        name = "rss" if key == "rss_mb" else key
        unit = "_mb" if key == "rss_mb" else ""
        out[f"soak_{name}_before{unit}"] = baseline[key]
        out[f"soak_{name}_after{unit}"] = final[key]
    out["soak_rss_mb_at"] = dict([(warmup, baseline["rss_mb"]), *trend, (visits, final["rss_mb"])])
    out["soak_prints_ok"] = counts.get("prints_ok", 0)
    out["soak_prints_failed"] = counts.get("prints_failed", 0)
    if not skipped:
        out["soak_cups_history_before"] = history_before
        out["soak_cups_history_after"] = footprint.cups_jobs(queue, "completed")
        out["soak_cups_pending_after"] = footprint.cups_jobs(queue, "not-completed")
        known = footprint.cups_job_ids(queue)
        # the soak's own jobs CUPS still knows (the counts above also move with anyone else's jobs)
        out["soak_cups_own_jobs_left"] = None if known is None else len(own_jobs & known)
    out["soak_counts"] = counts
    return out


if __name__ == "__main__":
    import json

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    print(json.dumps(soak(n, progress=lambda line: print(line, file=sys.stderr)), indent=2))
