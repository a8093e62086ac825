"""Kiosk lockdown: nothing a patient can do closes or escapes the kiosk.

In fullscreen kiosk mode the window ignores close requests (Alt+F4, the
window manager's close) unless staff chose Quit, the usual quit keys are
swallowed, context menus never open, and the pointer can be hidden
(cage shows one whenever a pointer device exists; see QT-NOTES).

A desktop window manager offers more ways out (openbox: Alt+Space, Iconify,
then the desktop's menu has a terminal). Locked, the window comes back:
minimised, hidden, or no longer the active window, it is made fullscreen and
active again within ``RESTORE_MS``. Without any window manager (``xinit``)
``showFullScreen`` alone leaves a small window in a corner, so the window is
also given the whole screen's geometry. Nothing polls: a single-shot timer
runs only after one of those events.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from .inputhub import InputHub

log = logging.getLogger(__name__)

RESTORE_MS = 300
WATCHED = (QEvent.Type.WindowStateChange, QEvent.Type.Hide, QEvent.Type.WindowDeactivate,
           QEvent.Type.ActivationChange)
LOCKED_TYPES = (*WATCHED, QEvent.Type.ContextMenu, QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)


def refused(event: QKeyEvent) -> bool:
    """Alt+F4, Ctrl+Q, Ctrl+W and Escape."""
    key, mods = event.key(), event.modifiers()
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    return ((key == Qt.Key.Key_F4 and alt) or (ctrl and key in (Qt.Key.Key_Q, Qt.Key.Key_W))
            or (key == Qt.Key.Key_Escape and not (alt or ctrl)))


class Lockdown(QObject):
    """App-wide filter for quit keys and context menus; owns the hidden cursor and
    brings the window back when something takes it away."""

    def __init__(self, window: QWidget, hide_cursor: bool) -> None:
        super().__init__(window)
        self._window = window
        self.hide_cursor = hide_cursor
        self.active = False
        self._cursor_hidden = False
        self.restores = 0  # how often the window had to be brought back (log and tests)
        self._restore = QTimer(self)
        self._restore.setSingleShot(True)
        self._restore.setInterval(RESTORE_MS)
        self._restore.timeout.connect(self.restore)

    def enable(self) -> None:
        app = QApplication.instance()
        if self.active or app is None:
            return
        self.active = True
        InputHub.watch(self, LOCKED_TYPES)
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._on_app_state)
        if self.hide_cursor:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
            self._cursor_hidden = True

    def disable(self) -> None:
        app = QApplication.instance()
        if not self.active or app is None:
            return
        self.active = False
        self._restore.stop()
        InputHub.unwatch(self)
        if isinstance(app, QApplication):
            app.applicationStateChanged.disconnect(self._on_app_state)
        if self._cursor_hidden:
            QApplication.restoreOverrideCursor()
            self._cursor_hidden = False

    def show_fullscreen(self) -> None:
        """Fullscreen over the whole screen, with or without a window manager."""
        w = self._window
        screen = w.screen()
        if screen is not None:
            w.setGeometry(screen.geometry())
        w.showFullScreen()
        w.raise_()
        w.activateWindow()

    def escaped(self) -> bool:
        w = self._window
        if not w.isVisible() or w.isMinimized() or not w.isFullScreen():
            return True
        screen = w.screen()
        if screen is not None and w.geometry() != screen.geometry():
            return True
        return QApplication.activeWindow() is None

    def restore(self) -> None:
        if self.active and self.escaped():
            self.restores += 1
            log.info("kiosk window was minimised, hidden or left inactive; back to fullscreen")
            self.show_fullscreen()

    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self._restore.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if obj is self._window and kind in WATCHED and not self._restore.isActive():
            self._restore.start()
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
