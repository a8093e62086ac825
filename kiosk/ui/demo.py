"""Qt side of demo mode: one parented timer walks the session, a badge says so.

The rules (order, timing, ticks) are in ``kiosk.demo``. A touch while the
demo plays pauses it (mode BROWSING, or START on the Start screen) so the
person can explore; the idle controller then says ``expired(REPLAY_DEMO)``
instead of warning (``kiosk.idle.plan``), and the demo plays again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from ..config import Demo
from ..demo import DemoPolicy, DemoStep
from ..idle import OnTimeout
from ..session import Mode, Session
from .idle import IdleController
from .state import DeckHolder
from .theme import View, set_role

log = logging.getLogger(__name__)

QT_TIMER_MAX_MS = 2**31 - 1


class DemoBadge(QLabel):
    """"Demo" shown while demo mode is on; never takes a touch.

    ``floating``: a child of the window, top centre (the Start screen has no
    footer); otherwise it sits in a layout (the footer's free middle)."""

    def __init__(self, parent: QWidget, floating: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("Badge")
        set_role(self, "badge")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(not floating)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._floating = floating
        if floating:
            parent.installEventFilter(self)
        self.hide()

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))
        if text and self._floating:
            self.place()

    def apply(self, view: View) -> None:
        from .theme import qfont

        self.setFont(qfont(view.family, view.metrics, "badge"))
        if self.isVisible() and self._floating:
            self.place()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parent() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.place()
        return False

    def place(self) -> None:
        parent = self.parentWidget()
        self.setMaximumWidth(parent.width() - 2 * 150)  # clear of the staff corner
        self.adjustSize()
        margin = max(8, parent.height() // 80)
        self.move((parent.width() - self.width()) // 2, margin)
        self.raise_()


class DemoDriver(QObject):
    """Plays the deck by itself; ``start``/``stop`` from --demo or the staff panel."""

    stepped = Signal(int)  # the screen index the demo just showed
    playing_changed = Signal(bool)

    def __init__(self, session: Session, holder: DeckHolder, settings: Demo, idle: IdleController,
                 parent: QObject) -> None:
        super().__init__(parent)
        self.session = session
        self._holder = holder
        self._seconds = settings.seconds_per_screen
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.advance)
        idle.filter.touched.connect(self._on_touched)
        idle.expired.connect(self._on_idle_expired)
        session.mode_changed.connect(self._on_mode_changed)

    def policy(self) -> DemoPolicy:
        screens = self._holder.language(self.session.language).journey
        return DemoPolicy(screens, self._seconds)

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
        self.play()

    def stop(self) -> None:
        """Turn demo mode off; the kiosk is back to an ordinary Start screen."""
        self.timer.stop()
        if self.session.demo:
            log.info("demo mode off")
        self.session.set_demo(False)
        self.session.reset("demo")
        self.playing_changed.emit(False)

    def play(self) -> None:
        """Play from Start (a fresh loop: nothing a visitor ticked is kept)."""
        self.session.set_demo(True)
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
            s.reset("demo")
        s.set_mode(Mode.DEMO)
        s.go(step.index)
        for item in step.ticks:
            if item not in s.ticks:
                s.toggle(item)
        self.timer.start(min(QT_TIMER_MAX_MS, max(1, round(step.seconds * 1000))))
        self.stepped.emit(step.index)

    # -- following the session ----------------------------------------------
    def _on_touched(self) -> None:
        if self.session.mode is Mode.DEMO:
            self.pause()

    def _on_idle_expired(self, rule: str) -> None:
        if rule == OnTimeout.REPLAY_DEMO.value:
            self.play()

    def _on_mode_changed(self, mode: Mode) -> None:
        if mode is not Mode.DEMO:
            self.timer.stop()
