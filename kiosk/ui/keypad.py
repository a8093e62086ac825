"""Tactile keypad (ADA 707.6, Section 508 407.3): actions bound to keys.

Clinics use USB accessible keypads (EZ-Access style) that send programmable
key presses; ``[keypad]`` in kiosk.toml maps each action to a key in Qt's
key-sequence text. Every action works on every screen and overlay: ``up`` and
``down`` move the focus through what can be used (inside an open overlay
only), ``activate`` presses what has the focus. Focus moved by the keypad
shows its ring (``Qt.TabFocusReason``); focus after a touch does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget

from ..config import Keypad as KeypadSettings

log = logging.getLogger(__name__)

ACTIONS = ("next", "back", "up", "down", "activate", "speak", "text_larger", "text_smaller",
           "contrast", "start_over")


def key_problem(text: str) -> str | None:
    """Why Qt cannot use ``text`` as a key, or None."""
    seq = QKeySequence.fromString(text, QKeySequence.SequenceFormat.PortableText)
    if seq.isEmpty() or seq.count() != 1 or seq[0].key() == Qt.Key.Key_unknown:
        return f"'{text[:40]}' is not a key name Qt knows (examples: 'Right', 'F9', 'Ctrl+L', 'Return')"
    return None


def unknown_keys(settings: KeypadSettings, where: str = "config") -> list[str]:
    """Config problems for ``kiosk check --config``: each key Qt does not know."""
    out = []
    for action in ACTIONS:
        problem = key_problem(getattr(settings, action))
        if problem:
            out.append(f"{where}: keypad.{action}: {problem}")
    return out


class Keypad(QObject):
    """One window-wide shortcut per action; the window passes what each action does."""

    def __init__(self, window: QWidget, settings: KeypadSettings,
                 actions: Mapping[str, Callable[[], object]]) -> None:
        super().__init__(window)
        self._window = window
        self._actions: dict[str, Callable[[], object]] = {"up": self.focus_previous, "down": self.focus_next,
                                                          "activate": self.activate, **actions}
        self.shortcuts: dict[str, QShortcut] = {}
        for action in ACTIONS:
            text = getattr(settings, action)
            problem = key_problem(text)
            if problem:
                log.warning("keypad.%s: %s; that action has no key", action, problem)
                continue
            sc = QShortcut(QKeySequence.fromString(text, QKeySequence.SequenceFormat.PortableText), window)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.setAutoRepeat(action in ("up", "down"))
            sc.activated.connect(self._dispatch)
            sc.setProperty("action", action)
            self.shortcuts[action] = sc

    def bind(self, action: str, slot: Callable[[], object]) -> None:
        """Give an action its work later (e.g. speech, once it is available)."""
        self._actions[action] = slot

    def trigger(self, action: str) -> None:
        slot = self._actions.get(action)
        if slot is not None:
            slot()

    def _dispatch(self) -> None:
        sender = self.sender()
        if isinstance(sender, QShortcut):
            self.trigger(str(sender.property("action")))

    # -- focus -----------------------------------------------------------------
    def scope(self) -> QWidget:
        """The open overlay (the topmost), or the whole window."""
        from .overlay import Overlay

        open_overlays = [o for o in self._window.findChildren(Overlay) if o.isVisible()]
        return open_overlays[-1] if open_overlays else self._window

    def focusable(self) -> list[QWidget]:
        scope = self.scope()
        found = [w for w in scope.findChildren(QWidget)
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.isEnabled()]
        if scope is self._window:
            from .overlay import Overlay

            found = [w for w in found if not any(isinstance(a, Overlay) for a in _ancestors(w, scope))]

        def where(w: QWidget) -> tuple[int, int]:
            p = w.mapTo(scope, QPoint(0, 0))
            return (p.y(), p.x())

        return sorted(found, key=where)

    def _move(self, step: int) -> None:
        widgets = self.focusable()
        if not widgets:
            return
        current = self._window.focusWidget()
        if current in widgets:
            i = (widgets.index(current) + step) % len(widgets)
        else:
            i = 0 if step > 0 else len(widgets) - 1
        target = widgets[i]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        _ensure_visible(target)

    def focus_next(self) -> None:
        self._move(1)

    def focus_previous(self) -> None:
        self._move(-1)

    def activate(self) -> None:
        w = self._window.focusWidget()
        if isinstance(w, QAbstractButton) and w.isVisible() and w.isEnabled():
            w.animateClick()
            return
        begin = self._actions.get("begin")
        if begin is not None and self.scope() is self._window:
            begin()


def _ancestors(w: QWidget, stop: QWidget) -> list[QWidget]:
    out = []
    p = w.parentWidget()
    while p is not None and p is not stop:
        out.append(p)
        p = p.parentWidget()
    return out


def _ensure_visible(w: QWidget) -> None:
    from PySide6.QtWidgets import QScrollArea

    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QScrollArea):
            p.ensureWidgetVisible(w)
            return
        p = p.parentWidget()
