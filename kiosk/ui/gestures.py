"""Qt side of the swipe: watches presses and releases app-wide."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

from ..swipe import NONE, SwipeTracker


class SwipeFilter(QObject):
    """Emits ``swiped(+1 | -1)`` for a one-finger horizontal swipe in ``window``."""

    swiped = Signal(int)
    TYPES = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.TouchBegin,
             QEvent.Type.TouchEnd)  # what it needs from the application's events (see InputHub)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.tracker = SwipeTracker()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            assert isinstance(event, QMouseEvent)
            # Mouse events Qt makes from a touch count too: a widget that does not
            # take touches only ever sees those. A touch seen both ways still makes
            # one swipe: the first release ends the stroke.
            if event.button() != Qt.MouseButton.LeftButton or not self._in_window(obj):
                return False
            pos = event.globalPosition()
            self._feed(kind == QEvent.Type.MouseButtonPress, pos.x(), pos.y())
        elif kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            if not self._in_window(obj):
                return False  # the QWindow sees the touch too; the widgets count
            points = event.points()
            if len(points) != 1:
                self.tracker.cancel()  # two fingers: a pinch or a scroll, not a swipe
                return False
            pos = points[0].globalPosition()
            self._feed(kind == QEvent.Type.TouchBegin, pos.x(), pos.y())
        return False

    def _in_window(self, obj: QObject) -> bool:
        return isinstance(obj, QWidget) and obj.window() is self.window

    def _feed(self, press: bool, x: float, y: float) -> None:
        now = time.monotonic()
        if press:
            self.tracker.width = max(1, self.window.width())
            self.tracker.press(x, y, now)
        else:
            direction = self.tracker.release(x, y, now)
            if direction != NONE:
                self.swiped.emit(direction)
