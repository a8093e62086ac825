"""Idle reset rules: when to warn, when to forget the patient. Plain Python.

``IdlePolicy`` is a small state machine driven by a clock (a callable giving
monotonic seconds) that tests replace with a fake:

    OFF ──start()──▶ WATCHING ──timeout──▶ WARNING ──warning_s──▶ EXPIRED ▶ OFF
                        ▲                     │
                        └────── touch() ──────┘

The Qt shell feeds it the time of the last touch and asks it when to look
again (``next_check_in``), so one single-shot timer re-armed to that deadline
is enough: nothing ticks while nobody is there. ``plan`` says what the kiosk
does in each session mode (Start never times out, a demo run replays instead
of warning, the staff panel closes without a warning).
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .session import Mode

Clock = Callable[[], float]


class IdleState(enum.Enum):
    OFF = "off"  # on Start, in a playing demo: nothing to time
    WATCHING = "watching"  # someone may be using it; waiting for the timeout
    WARNING = "warning"  # "Are you still there?" counting down


class IdleEvent(enum.Enum):
    NONE = "none"  # nothing due yet
    WARN = "warn"  # show the warning now
    TICK = "tick"  # the countdown changed (update the number)
    EXPIRE = "expire"  # time is up: reset (or replay the demo)


class OnTimeout(enum.Enum):
    """What a timeout leads to, by session mode (see ``plan``)."""

    NOTHING = "nothing"  # idle is not timed in this mode
    WARN_THEN_RESET = "warn"  # a patient: ask first, then reset
    RESET = "reset"  # staff panel left open: close it and reset, no question
    REPLAY_DEMO = "demo"  # a paused demo: play again from Start


def plan(mode: Mode, on_start: bool, demo: bool, used: bool = False) -> OnTimeout:
    """The kiosk's idle rule for one situation.

    ``used``: the session holds something a patient did (ticks, a language, a
    text size, a printed sheet). Start then still times out, quietly: a patient
    who went Back to the welcome screen and left must not hand their choices on.
    """
    if mode is Mode.DEMO:
        return OnTimeout.NOTHING  # the demo drives itself
    if mode is Mode.STAFF:
        return OnTimeout.RESET
    if demo:
        return OnTimeout.REPLAY_DEMO  # a visitor explored a paused demo, then left
    if mode is Mode.IDLE_WARNING:
        return OnTimeout.WARN_THEN_RESET
    if mode is Mode.START or on_start:
        # nothing to forget: do not reset again and again; else forget without asking
        return OnTimeout.RESET if used else OnTimeout.NOTHING
    return OnTimeout.WARN_THEN_RESET


@dataclass
class IdlePolicy:
    timeout_s: float
    warning_s: float
    clock: Clock = time.monotonic
    state: IdleState = IdleState.OFF
    last_activity: float = 0.0
    warning_since: float = 0.0
    warn: bool = field(default=True)  # False: expire at the timeout, no countdown

    # -- driving ------------------------------------------------------------
    def start(self, warn: bool = True) -> None:
        """Begin timing from now (a patient began, or staff opened the panel)."""
        self.warn = warn
        self.state = IdleState.WATCHING
        self.last_activity = self.clock()

    def stop(self) -> None:
        self.state = IdleState.OFF

    def touch(self, at: float | None = None) -> bool:
        """Someone touched the kiosk at ``at`` (default now).

        Returns True when that dismissed a warning (the shell hides it).
        """
        at = self.clock() if at is None else at
        if at > self.last_activity:
            self.last_activity = at
        if self.state is IdleState.WARNING and at >= self.warning_since:
            self.state = IdleState.WATCHING
            return True
        return False

    def poll(self) -> IdleEvent:
        """Look at the clock and move on if something is due."""
        now = self.clock()
        if self.state is IdleState.WATCHING:
            if now - self.last_activity < self.timeout_s:
                return IdleEvent.NONE
            if self.warn and self.warning_s > 0:
                self.state = IdleState.WARNING
                self.warning_since = now
                return IdleEvent.WARN
            self.state = IdleState.OFF
            return IdleEvent.EXPIRE
        if self.state is IdleState.WARNING:
            if now - self.warning_since >= self.warning_s:
                self.state = IdleState.OFF
                return IdleEvent.EXPIRE
            return IdleEvent.TICK
        return IdleEvent.NONE

    # -- reading ------------------------------------------------------------
    def seconds_left(self) -> int:
        """Whole seconds shown on the countdown (never 0 while it shows)."""
        if self.state is not IdleState.WARNING:
            return 0
        remaining = self.warning_s - (self.clock() - self.warning_since)
        return max(1, math.ceil(remaining))

    def next_check_in(self) -> float | None:
        """Seconds until ``poll`` can next return something; None when OFF."""
        now = self.clock()
        if self.state is IdleState.WATCHING:
            return max(0.0, self.last_activity + self.timeout_s - now)
        if self.state is IdleState.WARNING:
            remaining = self.warning_s - (now - self.warning_since)
            if remaining <= 0:
                return 0.0
            # when the shown whole number changes, or the end
            step = remaining - (math.ceil(remaining) - 1)
            return max(0.0, min(step, remaining))
        return None
