"""The one application-wide input filter: who is asked, in which order, and what a dead handler costs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.deck import load_deck
from kiosk.resources import bundled_content
from kiosk.ui.inputhub import InputHub
from kiosk.ui.window import KioskWindow
from tests.lifecycle_helpers import make_config, make_window


class Recorder(QObject):
    def __init__(self, name: str, log: list[str], swallow: bool = False) -> None:
        super().__init__()
        self.name, self.log, self.swallow = name, log, swallow

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        self.log.append(f"{self.name}:{event.type().name}")
        return self.swallow


def press(widget: QWidget) -> QMouseEvent:
    return QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(5, 5), QPointF(5, 5), Qt.MouseButton.LeftButton,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)


def test_only_wanted_events_reach_handlers_the_last_watcher_first(qtbot):
    log: list[str] = []
    first, second = Recorder("first", log), Recorder("second", log)
    target = QWidget()
    qtbot.addWidget(target)
    try:
        InputHub.watch(first, [QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress])
        InputHub.watch(second, [QEvent.Type.MouseButtonPress])
        InputHub.start()  # the window does this once its first frame is out
        QApplication.sendEvent(target, press(target))
        target.setWindowTitle("a title change is no input")  # a non-input event: nobody is asked
        assert log == ["second:MouseButtonPress", "first:MouseButtonPress"]
        log.clear()
        second.swallow = True  # the staff corner keeps the release of a long press to itself, say
        QApplication.sendEvent(target, press(target))
        assert log == ["second:MouseButtonPress"]
        InputHub.unwatch(second)
        log.clear()
        QApplication.sendEvent(target, press(target))
        assert log == ["first:MouseButtonPress"]
    finally:
        InputHub.unwatch(first)
        InputHub.unwatch(second)


def test_a_window_that_is_gone_leaves_no_handler_behind(qtbot):
    from shiboken6 import Shiboken

    hub = InputHub.of(QApplication.instance())
    w = KioskWindow(load_deck(bundled_content()), make_config(), speech_engine="mock")
    mine = [w.swipe, w.corner, w.idle.filter]
    assert all(any(h is m for h, _ in hub._handlers) for m in mine)
    w.close()
    w.deleteLater()
    qtbot.waitUntil(lambda: not any(h is m for h, _ in hub._handlers for m in mine))
    assert all(Shiboken.isValid(h) for h, _ in hub._handlers)
    other = QWidget()
    qtbot.addWidget(other)
    QApplication.sendEvent(other, press(other))  # no handler of the dead window is called


def test_the_window_starts_the_hub_with_its_first_frame(qtbot, monkeypatch):
    started: list[bool] = []
    monkeypatch.setattr(InputHub, "start", staticmethod(lambda: started.append(True)))
    w = KioskWindow(load_deck(bundled_content()), make_config(), speech_engine="mock")
    qtbot.addWidget(w)
    assert started == []  # building the window watches no input yet (no enums built for it)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w._painted)  # noqa: SLF001
    assert started == [True]


def test_the_kiosk_installs_one_application_filter_for_all_its_watchers(qtbot):
    hub = InputHub.of(QApplication.instance())
    w = make_window(qtbot)
    w.set_locked(True)
    try:
        mine = {type(h).__name__ for h, _ in hub._handlers if h in (w.swipe, w.corner, w.idle.filter, w.lockdown)}
        assert mine == {"SwipeFilter", "StaffCorner", "ActivityFilter", "Lockdown"}
    finally:
        w.set_locked(False)
    assert w.lockdown not in [h for h, _ in hub._handlers]
