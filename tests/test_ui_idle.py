"""Idle reset in the window: the warning, its countdown, a touch, the reset."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.idle import IdleState
from kiosk.session import Mode
from tests.lifecycle_helpers import FakeClock, first_item_screen, make_window, use_fake_clock


def browse_and_tick(w) -> str:
    w.session.begin()
    w.session.go(first_item_screen(w))
    item = w.current_page().ticks[0]
    item.click()
    assert w.session.ticks == {item.item_id}
    assert item.isChecked()
    return item.item_id


def test_warning_then_reset_to_a_clean_start(qtbot):
    w = make_window(qtbot, session__idle_timeout_s=0.2, session__idle_warning_s=0.5)
    browse_and_tick(w)
    w.session.text_larger()
    w.session.set_language("es")
    with qtbot.waitSignal(w.idle.warned, timeout=3000):
        pass
    assert w.idle.overlay.isVisible()
    assert w.session.mode is Mode.IDLE_WARNING
    assert w.idle.overlay.title.text() == "¿Sigue ahí?"  # in the patient's language
    assert w.idle.overlay.button.text() == "Sigo aquí"
    assert w.idle.overlay.count.text() == "1"
    with qtbot.waitSignal(w.idle.expired, timeout=3000):
        pass
    assert w.session.mode is Mode.START
    assert w.current_screen_id() == "start"
    assert w.session.ticks == set()
    assert w.session.language == "en" and w.session.text_size == 0
    assert not w.idle.overlay.isVisible()
    assert not any(t.isChecked() for p in w.built_pages() for t in p.ticks)


def test_a_touch_during_the_countdown_cancels_the_reset(qtbot):
    w = make_window(qtbot, session__idle_timeout_s=1.0, session__idle_warning_s=0.5)
    item = browse_and_tick(w)
    screen = w.session.screen_id
    with qtbot.waitSignal(w.idle.warned, timeout=3000):
        pass
    with qtbot.waitSignal(w.idle.dismissed, timeout=1000):
        QTest.mousePress(w.idle.overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(400, 30))
    QTest.mouseRelease(w.idle.overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(400, 30))
    assert not w.idle.overlay.isVisible()
    assert w.session.mode is Mode.BROWSING
    # the old countdown would have ended within 0.5 s; the new timeout needs 1 s more
    with qtbot.assertNotEmitted(w.idle.expired, wait=800):
        pass
    assert w.session.screen_id == screen and w.session.ticks == {item}


def test_the_big_button_dismisses_the_warning(qtbot):
    w = make_window(qtbot, session__idle_timeout_s=0.2, session__idle_warning_s=5)
    browse_and_tick(w)
    with qtbot.waitSignal(w.idle.warned, timeout=3000):
        pass
    with qtbot.waitSignal(w.idle.dismissed, timeout=1000):
        w.idle.overlay.button.click()
    assert w.session.mode is Mode.BROWSING and w.session.ticks


def test_no_warning_and_no_timer_on_start(qtbot):
    w = make_window(qtbot, session__idle_timeout_s=0.2, session__idle_warning_s=0.2)
    assert not w.idle.timer.isActive()
    with qtbot.assertNotEmitted(w.idle.warned, wait=600):
        pass
    assert w.idle.policy.state is IdleState.OFF
    assert w.session.mode is Mode.START


def test_production_timings_by_driving_the_clock(qtbot):
    w = make_window(qtbot)  # 90 s timeout, 20 s warning
    clock = FakeClock()
    use_fake_clock(w, clock)
    browse_and_tick(w)
    assert w.idle.timer.isActive() and w.idle.timer.isSingleShot()
    assert 89_000 <= w.idle.timer.remainingTime() <= 90_000  # armed to the deadline, not ticking
    clock.advance(60)
    QTest.keyClick(w, Qt.Key.Key_Shift)  # a key is a touch
    clock.advance(60)
    w.idle.check()
    assert not w.idle.overlay.isVisible()  # 60 s since the key: not yet
    clock.advance(30)
    w.idle.check()
    assert w.idle.overlay.isVisible() and w.idle.overlay.count.text() == "20"
    assert "20 seconds" in w.idle.overlay.body.text()
    assert w.idle.timer.remainingTime() <= 1000  # the countdown ticks once a second
    clock.advance(12.5)
    w.idle.check()
    assert w.idle.overlay.count.text() == "8"
    clock.advance(7.5)
    w.idle.check()
    assert w.session.mode is Mode.START and not w.session.ticks
    assert not w.idle.timer.isActive()


def test_only_real_input_counts_as_a_touch(qtbot):
    w = make_window(qtbot)
    clock = FakeClock()
    use_fake_clock(w, clock)
    before = w.idle.filter.last_input
    clock.advance(5)
    app = QApplication.instance()
    for kind in (QEvent.Type.Enter, QEvent.Type.Leave, QEvent.Type.HoverMove, QEvent.Type.Timer):
        app.sendEvent(w, QEvent(kind))
    w.repaint()  # real Paint events (a bare QEvent of that type is no QPaintEvent: Qt would misread it)
    assert w.idle.filter.last_input == before
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(50, 50), QPointF(50, 50), Qt.MouseButton.NoButton,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    app.sendEvent(w, move)
    assert w.idle.filter.last_input == clock()


def test_start_over_still_asks_first(qtbot):
    w = make_window(qtbot)
    browse_and_tick(w)
    w._ask_start_over()
    assert w.confirm.isVisible()
    w.confirm.yes_button.click()
    assert w.session.index == 0 and not w.session.ticks


def test_back_to_start_then_leaving_still_forgets_everything(qtbot):
    """A patient who taps Back to the welcome screen and walks away."""
    w = make_window(qtbot, session__idle_timeout_s=0.2, session__idle_warning_s=0.5)
    browse_and_tick(w)
    w.session.set_language("es")
    w.session.text_larger()
    while w.session.index:
        w.go_back()
    assert w.session.mode is Mode.START and w.session.ticks
    with qtbot.waitSignal(w.idle.expired, timeout=3000):
        pass
    s = w.session
    assert (s.ticks, s.language, s.text_size, s.used) == (set(), "en", 0, False)
    # and then nothing resets again and again on a clean Start
    with qtbot.assertNotEmitted(w.idle.expired, wait=600):
        pass


def test_a_language_chosen_on_start_is_forgotten_too(qtbot):
    w = make_window(qtbot, session__idle_timeout_s=0.2, session__idle_warning_s=0.5)
    w.session.set_language("es")
    with qtbot.waitSignal(w.idle.expired, timeout=3000):
        pass
    assert w.session.language == "en"
