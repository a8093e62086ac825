"""Outside opening hours the screen goes black; a touch wakes it for a few minutes.

``ScreenBlanker`` covers its window with a plain black widget (no words) whenever
the schedule (kiosk/schedule.py) says closed, and tries to power the panel down:
under X with ``xset`` installed it runs ``xset dpms force off``; elsewhere (cage,
Wayland, no xset) it logs once that only the picture is blanked. Powering down is
best effort and never raises.

A touch, click or key on the black screen wakes the kiosk for
``schedule.wake_minutes``; ``note_activity()`` (connect the idle watcher's touch
signal to it) keeps it awake while someone is using it. One single-shot timer is
re-armed to the next deadline (opening, closing or the end of a wake), so a
blanked kiosk makes no system calls in between.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QWidget

from kiosk.schedule import Schedule

log = logging.getLogger(__name__)

MAX_TIMER_MS = 15 * 60 * 1000  # re-check at least this often (wall clock jumps, DST)


class DisplayPower:
    """Panel power through DPMS, where the display stack offers it (X with xset)."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self._env = dict(os.environ if env is None else env)
        self._said_unavailable = False

    def available(self) -> bool:
        return bool(self._env.get("DISPLAY")) and not self._env.get("WAYLAND_DISPLAY") and bool(shutil.which("xset"))

    def set_on(self, on: bool) -> bool:
        """True when the command ran; False (logged once) when there is no way to do it."""
        if not self.available():
            if not self._said_unavailable:
                log.info("no DPMS control here (needs X and xset); the screen is blanked but stays powered")
                self._said_unavailable = True
            return False
        command = ["xset", "dpms", "force", "on" if on else "off"]
        try:
            subprocess.run(command, env=self._env, capture_output=True, timeout=5, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("%s failed: %s", " ".join(command), exc)
            return False
        return True


class ScreenBlanker(QWidget):
    """A black cover over ``parent`` outside opening hours; see the module docstring."""

    blanked_changed = Signal(bool)

    def __init__(
        self,
        parent: QWidget,
        schedule: Schedule,
        *,
        clock: Callable[[], datetime] = datetime.now,
        power: DisplayPower | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ScreenBlanker")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self._schedule = schedule
        self._clock = clock
        self._power = power or DisplayPower()
        self._awake_until: datetime | None = None
        self._next_check: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("blanker")
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.VeryCoarseTimer)  # to the second is plenty
        self._timer.timeout.connect(self.refresh)
        parent.installEventFilter(self)
        self.hide()
        self.refresh()

    @property
    def blanked(self) -> bool:
        return self.isVisibleTo(self.parentWidget())

    @property
    def next_check(self) -> datetime | None:
        """When the timer fires next (by the injected clock), None when nothing is scheduled."""
        return self._next_check if self._timer.isActive() else None

    def refresh(self) -> None:
        """Blank or unblank for the current time and arm the timer for the next change."""
        now = self._clock()
        if self._awake_until is not None and now >= self._awake_until:
            self._awake_until = None
        should_blank = not self._schedule.is_open(now) and self._awake_until is None
        if should_blank != self.blanked:
            self._set_blanked(should_blank)
        deadlines = [d for d in (self._schedule.next_change(now), self._awake_until) if d is not None]
        if deadlines:
            ms = max(0, min(int((min(deadlines) - now) / timedelta(milliseconds=1)) + 1, MAX_TIMER_MS))
            self._next_check = now + timedelta(milliseconds=ms)
            self._timer.start(ms)
        else:
            self._timer.stop()

    def wake(self) -> None:
        """Someone touched the black screen: show the kiosk for ``wake_minutes``."""
        self.note_activity()

    def note_activity(self) -> None:
        """A touch anywhere; outside hours it keeps the screen on ``wake_minutes`` longer."""
        now = self._clock()
        if self._schedule.is_open(now) and not self.blanked:
            return
        self._awake_until = now + timedelta(minutes=self._schedule.wake_minutes)
        self.refresh()

    def _set_blanked(self, blanked: bool) -> None:
        if blanked:
            self.setGeometry(self.parentWidget().rect())
            self.show()
            self.raise_()
            self.setFocus()
            log.info("outside opening hours: screen blanked")
        else:
            self.hide()
            log.info("screen on (%s)", "woken by a touch" if self._awake_until else "opening hours")
        self._power.set_on(not blanked)
        self.blanked_changed.emit(blanked)

    # --- events -------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            event.accept()
            if event.type() == QEvent.Type.TouchBegin:
                self.wake()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the touch that wakes does not also press a button underneath
        self.wake()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()
        self.wake()
