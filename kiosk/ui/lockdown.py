"""Kiosk lockdown: nothing a patient can do closes or escapes the kiosk.

In fullscreen kiosk mode the window ignores close requests (Alt+F4, the
window manager's close) unless staff chose Quit, the usual quit keys are
swallowed, context menus never open, and the pointer can be hidden
(cage shows one whenever a pointer device exists; see QT-NOTES).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def refused(event: QKeyEvent) -> bool:
    """Alt+F4, Ctrl+Q, Ctrl+W and Escape."""
    key, mods = event.key(), event.modifiers()
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    return ((key == Qt.Key.Key_F4 and alt) or (ctrl and key in (Qt.Key.Key_Q, Qt.Key.Key_W))
            or (key == Qt.Key.Key_Escape and not (alt or ctrl)))


class Lockdown(QObject):
    """App-wide filter for quit keys and context menus; owns the hidden cursor."""

    def __init__(self, parent: QObject, hide_cursor: bool) -> None:
        super().__init__(parent)
        self.hide_cursor = hide_cursor
        self.active = False
        self._cursor_hidden = False

    def enable(self) -> None:
        app = QApplication.instance()
        if self.active or app is None:
            return
        self.active = True
        app.installEventFilter(self)
        if self.hide_cursor:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self._cursor_hidden = True

    def disable(self) -> None:
        app = QApplication.instance()
        if not self.active or app is None:
            return
        self.active = False
        app.removeEventFilter(self)
        if self._cursor_hidden:
            QApplication.restoreOverrideCursor()
            self._cursor_hidden = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(event, QKeyEvent):
            if refused(event) and not _staff_keys(obj):
                event.accept()
                return True
        return False


def _staff_keys(obj: QObject) -> bool:
    """Escape still cancels the staff PIN pad."""
    return bool(obj.property("escape_cancels"))
