"""Staff access starts here: hold the Start screen's top-left corner.

Light on purpose (it runs from start-up); the PIN pad and the panel are in
``kiosk.ui.staff`` and are built the first time the corner is held.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

from ..session import Mode, Session
from .inputhub import InputHub
from .state import Look

CORNER_PX = 120  # the hold area, scaled by Metrics


class StaffCorner(QObject):
    """Emits ``held`` after a press kept ``hold_s`` in the Start screen's corner."""

    held = Signal()

    def __init__(self, window: QWidget, session: Session, look: Look, hold_s: float) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._look = look
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(min(2**31 - 1, max(1, round(hold_s * 1000))))
        self.timer.timeout.connect(self._held)
        self._swallow_release = False
        InputHub.watch(self, (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                              QEvent.Type.MouseMove))

    def area(self) -> QRect:
        side = max(72, self._look.metrics.px(CORNER_PX))
        return QRect(0, 0, side, side)

    def armed(self) -> bool:
        s = self._session
        return s.index == 0 and s.mode in (Mode.START, Mode.DEMO)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove):
            return False
        if not isinstance(obj, QWidget) or obj.window() is not self._window or not isinstance(event, QMouseEvent):
            return False
        pos = self._window.mapFromGlobal(event.globalPosition().toPoint())
        if kind == QEvent.Type.MouseButtonPress:
            if event.button() == Qt.MouseButton.LeftButton and self.area().contains(pos) and self.armed():
                self.timer.start()
        elif kind == QEvent.Type.MouseMove:
            if self.timer.isActive() and not self.area().contains(pos):
                self.timer.stop()
        else:
            self.timer.stop()
            if self._swallow_release:
                self._swallow_release = False
                return True  # the release of a completed hold must not also begin
        return False

    def _held(self) -> None:
        if self.armed():
            self._swallow_release = True
            self.held.emit()
