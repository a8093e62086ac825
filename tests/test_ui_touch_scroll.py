"""A finger flick scrolls a long screen, also on pages built long after start-up.

Every scroll area shares one flick gesture (kiosk.ui.widgets): QScroller.grabGesture per
page lost about 1 KB for each page built, because Qt never deletes a recognizer it was asked
to forget."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from tests.lifecycle_helpers import make_window


def flick_up(viewport) -> None:
    device = QTest.createTouchDevice()
    x = viewport.width() // 2
    bottom = viewport.height() - 20
    QTest.touchEvent(viewport, device).press(0, QPoint(x, bottom), viewport).commit()
    QTest.qWait(20)
    for y in range(bottom, 20, -40):
        QTest.touchEvent(viewport, device).move(0, QPoint(x, y), viewport).commit()
        QTest.qWait(10)
    QTest.touchEvent(viewport, device).release(0, QPoint(x, 20), viewport).commit()


def test_a_finger_flick_scrolls_a_long_screen_on_a_rebuilt_page(qtbot):
    w = make_window(qtbot)
    s = w.session
    for code in ("es", "en", "es", "en"):  # pages are dropped and built again (the window keeps 10)
        s.set_language(code)
        for i in range(s.count):
            s.go(i)
    s.go(s.screen_ids.index("next-steps"))  # a long screen
    page = w.current_page()
    bar = page.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    qtbot.waitUntil(lambda: w._painted)  # flicks are taken from just after the first frame
    assert bar.value() == 0

    flick_up(page.scroll.viewport())

    qtbot.waitUntil(lambda: bar.value() > 0)
    assert s.screen_id == "next-steps"  # a vertical flick scrolls; it is not a swipe to another screen
