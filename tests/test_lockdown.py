"""Kiosk mode: a patient cannot close the kiosk; staff quit can. Errors reset."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication

from kiosk.logs import EXIT_CRASHED, MAX_ERRORS, CrashGuard, setup_logging, tail
from kiosk.session import Mode
from tests.lifecycle_helpers import FakeClock, first_item_screen, make_window


def close_request(w) -> QCloseEvent:
    event = QCloseEvent()
    QApplication.sendEvent(w, event)
    return event


def test_close_is_refused_in_kiosk_mode(qtbot):
    w = make_window(qtbot)
    w.set_locked(True)
    try:
        assert not close_request(w).isAccepted()
        w.close()
        assert w.isVisible()
    finally:
        w.set_locked(False)


def test_staff_quit_closes_a_locked_kiosk(qtbot, monkeypatch):
    w = make_window(qtbot)
    w.set_locked(True)
    quits = []
    monkeypatch.setattr(QApplication, "quit", lambda *a: quits.append(True))
    w.staff.open_panel()
    w.staff.panel.quit_button.click()
    assert not w.isVisible()
    assert quits == [True]
    assert not w.locked


def test_windowed_mode_closes_normally(qtbot):
    w = make_window(qtbot)
    assert close_request(w).isAccepted()


def test_quit_keys_and_context_menus_are_swallowed(qtbot):
    w = make_window(qtbot)
    w.set_locked(True)
    try:
        for key, mods in ((Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
                          (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)):
            event = QKeyEvent(QEvent.Type.KeyPress, key, mods)
            assert w.lockdown.eventFilter(w, event) is True
        ok = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier)
        assert w.lockdown.eventFilter(w, ok) is False
        menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), QPoint(5, 5))
        assert w.lockdown.eventFilter(w, menu) is True
    finally:
        w.set_locked(False)


def test_cursor_hidden_in_kiosk_mode_when_configured(qtbot):
    w = make_window(qtbot)
    w.set_locked(True)
    try:
        cursor = QGuiApplication.overrideCursor()
        assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor
    finally:
        w.set_locked(False)
    assert QGuiApplication.overrideCursor() is None


def test_cursor_stays_when_hide_cursor_is_off(qtbot):
    w = make_window(qtbot, session__hide_cursor=False)
    w.set_locked(True)
    try:
        assert QGuiApplication.overrideCursor() is None
    finally:
        w.set_locked(False)


def test_an_error_in_a_slot_resets_to_start_and_is_logged(qtbot, tmp_path):
    log_file = tmp_path / "kiosk.log"
    handler = setup_logging(log_file)
    w = make_window(qtbot)
    exits: list[int] = []
    guard = CrashGuard(recover=w.recover, exit=exits.append)
    w.session.begin()
    w.session.go(first_item_screen(w))
    w.session.toggle(w.current_page().ticks[0].item_id)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        guard(*sys.exc_info())
    assert w.session.index == 0 and w.session.mode is Mode.START and not w.session.ticks
    assert exits == []
    text = "\n".join(tail(log_file, 40))
    assert "RuntimeError: boom in a slot" in text and "Traceback" in text
    logging.getLogger("kiosk").removeHandler(handler)
    handler.close()


def test_errors_that_keep_coming_exit_for_the_supervisor(qtbot):
    w = make_window(qtbot)
    exits: list[int] = []
    clock = FakeClock()
    guard = CrashGuard(recover=w.recover, exit=exits.append, clock=clock)
    for _ in range(MAX_ERRORS):
        clock.advance(1)
        try:
            raise ValueError("again")
        except ValueError:
            guard(*sys.exc_info())
    assert exits == [EXIT_CRASHED]


def test_qt_slot_exception_reaches_the_hook(qtbot, monkeypatch):
    w = make_window(qtbot)
    seen = []
    guard = CrashGuard(recover=lambda: seen.append("recovered"), exit=lambda code: seen.append(code))
    monkeypatch.setattr(sys, "excepthook", guard)

    def broken() -> None:
        raise RuntimeError("slot")

    w.staff.panel.reload_button.clicked.disconnect()
    w.staff.panel.reload_button.clicked.connect(broken)
    w.staff.panel.reload_button.click()
    assert seen == ["recovered"]
