"""Idle-time work that must wait until a frame is out.

"Out" means painted and handed to the display server, plus ``SETTLE_MS`` for the
server (Xorg, a Wayland compositor) to put it on the panel: on a 2-core kiosk the
server needs the CPU for that while the kiosk would be building the next pages.
Nobody taps again within 40 ms of a new screen, so the work is still done long
before it is needed. Work that must be done before a quick second tap (the next
pages) asks for a shorter ``settle_ms``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

SETTLE_MS = 40


class AfterPaint(QObject):
    """Runs ``then`` ``SETTLE_MS`` after ``widget`` next paints (or after ``fallback_ms``
    if it does not paint), so idle-time work never delays a frame."""

    def __init__(self, then: Callable[[], None], parent: QObject, fallback_ms: int = 250,
                 settle_ms: int = SETTLE_MS) -> None:
        super().__init__(parent)
        self._watched: QWidget | None = None
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(settle_ms)
        self._soon.timeout.connect(then)
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.setInterval(fallback_ms)
        self._fallback.timeout.connect(self._painted)

    def watch(self, widget: QWidget) -> None:
        if self._watched is not widget:
            self._stop_watching()
            widget.installEventFilter(self)
            self._watched = widget
        self._fallback.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self._watched and event.type() == QEvent.Type.Paint:
            self._painted()
        return False

    def cancel(self) -> None:
        self._stop_watching()
        self._fallback.stop()
        self._soon.stop()

    def _painted(self) -> None:
        self._stop_watching()
        self._fallback.stop()
        self._soon.start()

    def _stop_watching(self) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
            self._watched = None
