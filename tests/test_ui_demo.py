"""Demo mode in the window: plays by itself, a touch pauses, idle replays."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.session import Mode
from tests.lifecycle_helpers import make_window


def test_demo_walks_the_screens_with_a_badge_and_ticks(qtbot):
    w = make_window(qtbot, demo__seconds_per_screen=0.05)
    w.demo.start()
    assert w.session.mode is Mode.DEMO and w.session.is_demo
    assert (w.start_badge if w.session.index == 0 else w.badge).isVisible()
    assert (w.start_badge if w.session.index == 0 else w.badge).text() == "Demo · Touch anywhere to explore"
    summary = next(i for i, s in enumerate(w.language.screens) if s.kind == "summary")
    qtbot.waitUntil(lambda: w.session.index == summary, timeout=5000)
    assert w.session.ticks, "the summary should not be empty in a demo"
    assert (w.start_badge if w.session.index == 0 else w.badge).isVisible()
    with qtbot.waitSignal(w.demo.stepped, timeout=5000, check_params_cb=lambda i: i == 0):
        pass
    assert w.session.mode is Mode.DEMO and not w.session.ticks  # a new loop starts clean


def test_a_touch_pauses_the_demo_and_idle_replays_it_without_a_warning(qtbot):
    w = make_window(qtbot, demo__seconds_per_screen=0.1, session__idle_timeout_s=0.4)
    w.demo.start()
    qtbot.waitUntil(lambda: w.session.index >= 1, timeout=3000)
    QTest.keyClick(w, Qt.Key.Key_Shift)
    assert w.session.mode is Mode.BROWSING
    assert w.session.is_demo  # still a demo run: never prints, not patient use
    assert (w.start_badge if w.session.index == 0 else w.badge).text() == "Demo"
    index = w.session.index
    with qtbot.assertNotEmitted(w.demo.stepped, wait=250):
        pass
    assert w.session.index == index
    with qtbot.assertNotEmitted(w.idle.warned, wait=0):
        with qtbot.waitSignal(w.idle.expired, timeout=3000) as blocker:
            pass
    assert blocker.args == ["demo"]
    assert w.session.mode is Mode.DEMO and w.session.index == 0


def test_stop_demo_leaves_an_ordinary_start(qtbot):
    w = make_window(qtbot, demo__seconds_per_screen=0.05)
    w.demo.start()
    w.demo.stop()
    assert not w.session.is_demo and w.session.mode is Mode.START
    assert not (w.start_badge if w.session.index == 0 else w.badge).isVisible()
    with qtbot.assertNotEmitted(w.demo.stepped, wait=200):
        pass
