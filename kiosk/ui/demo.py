"""Qt side of demo mode: one parented timer walks the session, a badge says so.

The rules (order, timing, ticks) are in ``kiosk.demo``. A touch while the
demo plays pauses it (mode BROWSING, or START on the Start screen) so the
person can explore; the idle controller replays the demo after the idle
timeout instead of warning (``kiosk.idle.plan``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from ..demo import DemoPolicy, DemoStep
from ..session import Mode

if TYPE_CHECKING:
    from .idle import IdleController
    from .window import KioskWindow

log = logging.getLogger(__name__)


class DemoBadge(QLabel):
    """A "Demo" label over every screen; never takes a touch."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.setObjectName("Badge")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        window.installEventFilter(self)
        self.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parent() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.place()
        return False

    def place(self) -> None:
        """Top centre on Start; on other screens in the footer's free middle, or
        just above the footer when that is too narrow (portrait), never over a
        button, the progress labels or the staff corner."""
        self.adjustSize()
        parent = self.parentWidget()
        margin = max(8, parent.height() // 80)
        x, y = (parent.width() - self.width()) // 2, margin
        footer = getattr(parent, "footer", None)
        if footer is not None and footer.isVisible():
            left = footer.x() + parent.start_over_button.geometry().right()
            right = footer.x() + parent.back_button.geometry().left()
            if right - left - 2 * margin >= self.width():
                x, y = (left + right - self.width()) // 2, footer.y() + (footer.height() - self.height()) // 2
            else:
                y = footer.y() - self.height() - margin
        self.move(x, y)
        self.raise_()


class DemoDriver(QObject):
    """Plays the deck by itself; ``start``/``stop`` from --demo or the staff panel."""

    stepped = Signal(int)  # the screen index the demo just showed
    playing_changed = Signal(bool)

    def __init__(self, window: KioskWindow, idle: IdleController) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.idle = idle
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.advance)
        self.badge = DemoBadge(window)
        idle.filter.touched.connect(self._on_touched)
        idle.replay_demo = self.play
        self.session.mode_changed.connect(self._on_mode_changed)
        self.session.screen_changed.connect(self._on_screen_changed)
        self.session.language_changed.connect(self._on_language_changed)

    def policy(self) -> DemoPolicy:
        screens = self.window.deck.language(self.session.language).screens
        return DemoPolicy(screens, float(self.window.config["demo.seconds_per_screen"]))

    @property
    def enabled(self) -> bool:
        return self.session.demo

    @property
    def playing(self) -> bool:
        return self.session.mode is Mode.DEMO

    # -- control --------------------------------------------------------------
    def start(self) -> None:
        """Turn demo mode on and play from Start."""
        if not self.session.demo:
            log.info("demo mode on")
        self.session.demo = True
        self.play()

    def stop(self) -> None:
        """Turn demo mode off; the kiosk is back to an ordinary Start screen."""
        self.timer.stop()
        if self.session.demo:
            log.info("demo mode off")
        self.session.demo = False
        self.session.reset()
        self._update_badge()
        self.playing_changed.emit(False)

    def play(self) -> None:
        """Play from Start (a fresh loop: nothing a visitor ticked is kept)."""
        self.session.demo = True
        self._show(self.policy().first())
        self.playing_changed.emit(True)

    def pause(self) -> None:
        self.timer.stop()
        if self.session.mode is Mode.DEMO:
            log.info("demo paused by a touch")
            self.session.set_mode(Mode.START if self.session.index == 0 else Mode.BROWSING)
            self.playing_changed.emit(False)

    def advance(self) -> None:
        if self.session.mode is not Mode.DEMO:
            return
        self._show(self.policy().after(self.session.index))

    def _show(self, step: DemoStep) -> None:
        s = self.session
        if step.restart:
            s.reset()
        s.set_mode(Mode.DEMO)
        s.go(step.index)
        for item in step.ticks:
            if item not in s.ticks:
                s.toggle(item)
        self.timer.start(max(1, round(step.seconds * 1000)))
        self._update_badge()
        self.stepped.emit(step.index)

    # -- following the session ----------------------------------------------
    def _on_touched(self) -> None:
        if self.session.mode is Mode.DEMO:
            self.pause()

    def _on_mode_changed(self, mode: Mode) -> None:
        if mode is not Mode.DEMO:
            self.timer.stop()
        self._update_badge()

    def _on_screen_changed(self, index: int) -> None:
        if self.badge.isVisible():
            self.badge.place()

    def _on_language_changed(self, code: str) -> None:
        self._update_badge()

    def _update_badge(self) -> None:
        if not self.session.demo or self.session.mode is Mode.STAFF:
            self.badge.hide()
            return
        strings = self.window.deck.language(self.session.language).strings
        text = strings.get("demo_badge")
        if self.session.mode is Mode.DEMO:
            text = f"{text} · {strings.get('demo_touch_to_explore')}"
        self.badge.setText(text)
        self.badge.show()
        self.badge.place()
