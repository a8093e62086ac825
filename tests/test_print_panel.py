"""The Summary screen's print area offscreen: preview, demo, limit and reset (CUPS faked)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from kiosk import config as config_mod  # noqa: E402
from kiosk.deck import load_deck  # noqa: E402
from kiosk.printing import PrintResult  # noqa: E402
from kiosk.resources import bundled_content
from kiosk.ui.window import KioskWindow  # noqa: E402


@pytest.fixture
def win(qtbot):
    cfg = config_mod.Config().with_values(display={"transition_ms": 0})
    w = KioskWindow(load_deck(bundled_content()), cfg)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.session.toggle("q-cause")
    w.session.go([s.kind for s in w.language.screens].index("summary"))
    page = w.current_page()
    qtbot.waitUntil(lambda: page.print_panel is not None)
    jobs: list[bytes] = []

    def fake_submit(pdf: bytes, printer: str | None) -> PrintResult:
        jobs.append(pdf)
        return PrintResult(True, "fake", f"fake-{len(jobs)}")

    w.print_controller.submit = fake_submit
    w.jobs = jobs
    yield w
    w.print_controller.wait()


def panel(w):
    return w.current_page().print_panel


def tap(qtbot, w) -> None:
    qtbot.mouseClick(panel(w).button, Qt.MouseButton.LeftButton)


def test_preview_shows_one_page_and_follows_ticks(win, qtbot):
    p = panel(win)

    def one_page():  # painted just after the screen shows
        assert p.page_count() == 1

    qtbot.waitUntil(one_page)
    before = p._page_labels[0].pixmap().toImage()
    win.session.toggle("q-options")
    qtbot.waitUntil(lambda: p._page_labels[0].pixmap().toImage() != before)  # a frame after the tick shows


def test_demo_mode_previews_and_never_prints(win, qtbot):
    win.session.set_demo(True)  # demo mode on (a visitor exploring a paused demo)
    tap(qtbot, win)
    assert panel(win).status.text() == win.language.strings.get("print_demo")
    win.print_controller.wait()
    assert win.jobs == []


def test_two_sheets_then_the_limit(win, qtbot):
    for _ in range(2):
        with qtbot.waitSignal(win.print_controller.finished, timeout=10000):
            tap(qtbot, win)
    assert panel(win).status.text() == win.language.strings.get("print_done")
    tap(qtbot, win)
    assert panel(win).status.text() == win.language.strings.get("print_limit")
    win.print_controller.wait()
    assert len(win.jobs) == 2


def test_reset_clears_the_print_state(win, qtbot):
    with qtbot.waitSignal(win.print_controller.finished, timeout=10000):
        tap(qtbot, win)
    win.session.reset()
    assert win.print_controller.policy.printed == 0
    assert not panel_of_summary(win).status.isVisible()


def panel_of_summary(w):
    return next(p for p in w.built_pages() if getattr(p, "print_panel", None)).print_panel
