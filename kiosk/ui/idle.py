"""Qt side of the idle reset: who touched when, one timer, the warning card.

``ActivityFilter`` sits on the QApplication and, for real input only, stores
a timestamp (see QT-NOTES: Enter/Leave/Hover/Paint/Timer must not count).
While the warning or a demo is showing it also emits ``touched`` so they can
react at once. ``IdleController`` applies ``kiosk.idle`` with one parented
single-shot QTimer re-armed to the policy's next deadline: nothing runs while
nobody is there, and the countdown ticks once a second only while it shows.

Speech (issue 9): while the kiosk is speaking (``set_busy``) nobody is timed
out, the quiet time counts from when it stops; in speech mode or at the
largest text the timeout doubles (WCAG 2.2.1); in speech mode the warning is
read aloud through ``speaker``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from ..config import SessionSettings
from ..idle import IdleEvent, IdlePolicy, IdleState, OnTimeout, plan
from ..session import TEXT_SIZES, Mode, Session
from ..speech_text import idle_warning_text
from .inputhub import InputHub
from .overlay import Overlay
from .state import DeckHolder, Look
from .theme import View
from .widgets import Button, Label, centered

log = logging.getLogger(__name__)

QT_TIMER_MAX_MS = 2**31 - 1  # QTimer's limit: a longer wait would overflow

_T = QEvent.Type
COUNTED = frozenset({
    _T.MouseButtonPress, _T.MouseButtonRelease, _T.MouseButtonDblClick, _T.MouseMove,
    _T.KeyPress, _T.KeyRelease, _T.TouchBegin, _T.TouchUpdate, _T.TouchEnd, _T.Wheel,
    _T.TabletPress, _T.TabletRelease, _T.TabletMove,
})


class ActivityFilter(QObject):
    """Remembers when a person last touched anything in the application."""

    touched = Signal()  # only while ``urgent`` (a warning or a demo is showing)

    def __init__(self, parent: QObject, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.clock = clock
        self.last_input = clock()
        self.urgent = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in COUNTED:
            self.last_input = self.clock()
            if self.urgent:
                self.touched.emit()
        return False


class IdleOverlay(Overlay):
    """"Are you still there?" with a countdown and one big button."""

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent, look)
        self.title = Label(role="dialog_title")
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
        self.count = Label(role="count")
        self.count.setObjectName("IdleCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = Label(role="body")
        self.body.setObjectName("DialogBody")
        self.body.setWordWrap(True)
        self.button = Button("", "Primary")
        self.card_layout.addWidget(self.title)
        self.card_layout.addWidget(self.count)
        self.card_layout.addWidget(self.body)
        self.card_layout.addLayout(centered(self.button))

    def show_countdown(self, title: str, body: str, button: str, seconds: int) -> None:
        self.title.setText(title)
        self.button.set_words(button)
        self.set_seconds(body, seconds)
        if not self.isVisible():
            self.open()

    def set_seconds(self, body: str, seconds: int) -> None:
        self.count.setText(str(seconds))
        self.body.setText(body)
        self.setAccessibleDescription(body)

    def apply(self, view: View) -> None:
        super().apply(view)
        m = view.metrics
        self.button.setMinimumWidth(min(m.px(520), self.parentWidget().width() - 4 * m.gap))
        self.button.setMinimumHeight(round(m.target * 1.2))


class IdleController(QObject):
    """Warns, then resets, when nobody has touched the kiosk for a while."""

    warned = Signal()  # the warning appeared
    dismissed = Signal()  # a touch cancelled it
    expired = Signal(str)  # time ran out; the OnTimeout value (REPLAY_DEMO: the demo driver replays)

    def __init__(self, session: Session, holder: DeckHolder, settings: SessionSettings, window: QWidget,
                 look: Look, clock: Callable[[], float] = time.monotonic,
                 speaker: Callable[[str], None] | None = None) -> None:
        super().__init__(window)
        self.session = session
        self._holder = holder
        self._slow = False  # speech mode or the largest text: the timeout is doubled
        self._speaker = speaker  # says the warning in speech mode (SpeechController.speak_text)
        self._busy = False  # the kiosk is speaking: that counts as someone being there
        self.policy = IdlePolicy(settings.idle_timeout_s, settings.idle_warning_s, clock)
        self.filter = ActivityFilter(self, clock)
        InputHub.watch(self.filter, COUNTED)
        self.filter.touched.connect(self._on_touched)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a countdown shown in whole seconds
        self.timer.timeout.connect(self.check)
        self._window, self._look = window, look
        self._overlay: IdleOverlay | None = None  # built when first warned
        self.session.mode_changed.connect(self._on_mode_changed)
        self.session.screen_changed.connect(self._on_screen_changed)
        # a language or text size chosen on Start must be timed (and forgotten) too
        self.session.language_changed.connect(self._on_screen_changed)
        self.session.text_size_changed.connect(self._on_screen_changed)
        self.session.speech_changed.connect(self._on_speech_changed)
        self.sync()

    # -- following the session ---------------------------------------------
    def _on_mode_changed(self, mode: Mode) -> None:
        self.sync()

    def _on_screen_changed(self, index: int) -> None:
        self.sync()

    def _on_speech_changed(self, on: bool) -> None:
        self.sync()

    def timeout_s(self) -> float:
        """The quiet time before the warning: doubled in speech mode or at the largest
        text (WCAG 2.2.1: people who listen or read slowly get more time)."""
        s = self.session
        slow = s.speech or s.text_size == len(TEXT_SIZES) - 1
        if slow != self._slow:
            self._slow = slow
            self.policy.timeout_s *= 2 if slow else 0.5
        return self.policy.timeout_s

    def set_busy(self, busy: bool) -> None:
        """The kiosk is speaking (``SpeechController.speaking_changed``): no timeout
        meanwhile; the quiet time starts again when it stops."""
        if busy == self._busy:
            return
        self._busy = busy
        if not busy and self.policy.state is IdleState.WATCHING:
            self.policy.touch()
            self.arm()

    @property
    def busy(self) -> bool:
        return self._busy

    def rule(self) -> OnTimeout:
        s = self.session
        return plan(s.mode, s.index == 0, s.demo, s.used)

    def sync(self) -> None:
        """Start or stop timing to match the session's mode."""
        rule = self.rule()
        mode = self.session.mode
        self.timeout_s()
        self.filter.urgent = mode in (Mode.IDLE_WARNING, Mode.DEMO)
        if rule is OnTimeout.NOTHING:
            if self.policy.state is not IdleState.OFF:
                self.policy.stop()
            self.timer.stop()
            self._hide_overlay()
            return
        if mode is Mode.IDLE_WARNING:
            return  # the countdown is running
        self._hide_overlay()
        if self.policy.state is IdleState.OFF:
            self.policy.start(warn=rule is OnTimeout.WARN_THEN_RESET)
        else:
            self.policy.warn = rule is OnTimeout.WARN_THEN_RESET
            if self.policy.state is IdleState.WARNING:
                self.policy.touch()
        self.arm()

    def arm(self) -> None:
        delay = self.policy.next_check_in()
        if delay is None:
            self.timer.stop()
        else:
            self.timer.start(min(QT_TIMER_MAX_MS, max(1, math.ceil(delay * 1000))))

    @property
    def overlay(self) -> IdleOverlay:
        """The "Are you still there?" card, built the first time it is needed."""
        if self._overlay is None:
            self._overlay = IdleOverlay(self._window, self._look)
            self._overlay.button.clicked.connect(self.still_here)
        return self._overlay

    def _hide_overlay(self) -> None:
        if self._overlay is not None:
            self._overlay.hide()

    # -- the timer ------------------------------------------------------------
    def check(self) -> None:
        """The timer fired (or a test drove the clock): act on what is due."""
        self.policy.touch(self.filter.last_input)
        if self._busy and self.policy.state is IdleState.WATCHING:
            self.policy.touch()  # still speaking: as if someone were there
        event = self.policy.poll()
        if event is IdleEvent.WARN:
            log.info("idle: warning shown")
            self.session.set_mode(Mode.IDLE_WARNING)
            self.filter.urgent = True
            self._show_countdown()
            self._speak_warning()
            self.warned.emit()
        elif event is IdleEvent.TICK:
            self._show_countdown()
        elif event is IdleEvent.EXPIRE:
            self._expire()
            return
        self.arm()

    def _show_countdown(self) -> None:
        s = self._holder.language(self.session.language).strings
        n = self.policy.seconds_left()
        body = s.get("idle_body", seconds=n)
        if self.overlay.isVisible():
            self.overlay.set_seconds(body, n)
        else:
            self.overlay.show_countdown(s.get("idle_title"), body, s.get("idle_continue"), n)

    def _speak_warning(self) -> None:
        if self._speaker is not None and self.session.speech:
            strings = self._holder.language(self.session.language).strings
            self._speaker(idle_warning_text(strings, self.policy.seconds_left()))

    def _expire(self) -> None:
        rule = self.rule()
        self.timer.stop()
        self._hide_overlay()
        self.policy.stop()
        if rule is OnTimeout.REPLAY_DEMO:
            log.info("idle: nobody there; the demo plays again")
        else:
            log.info("idle: nobody there; resetting")
            self.session.reset("idle")
        self.expired.emit(rule.value)

    # -- touches ----------------------------------------------------------------
    def _on_touched(self) -> None:
        if self.policy.state is IdleState.WARNING:
            self.still_here()

    def still_here(self) -> None:
        """A touch during the warning: hide it and time again from now."""
        if self.session.mode is not Mode.IDLE_WARNING:
            return
        self.policy.touch()
        log.info("idle: warning dismissed")
        self._hide_overlay()
        self.session.set_mode(Mode.START if self.session.index == 0 else Mode.BROWSING)
        self.sync()
        self.dismissed.emit()
