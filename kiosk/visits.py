"""One visit, as the usage figures see it: built from the Session's signals.

Plain Python, no Qt. ``VisitTracker`` listens to a ``Session`` and, when a
patient's visit ends (finished, Start over, or the idle reset), hands one
``kiosk.stats.Visit`` to ``on_visit``: which screens were reached and for how
long, the settings used, the questions ticked at the end, prints. A demo, the
staff panel and a Start screen nobody left are never visits. Nothing here is
written anywhere; ``StatsWriter`` stores only the counters a Visit adds to.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

from .session import Mode, Session
from .stats import ENDINGS, Visit

COUNTED_ENDINGS = frozenset(ENDINGS)


class VisitTracker:
    def __init__(self, session: Session, on_visit: Callable[[Visit], None],
                 clock: Callable[[], float] = time.monotonic,
                 today: Callable[[], datetime.date] = datetime.date.today) -> None:
        self._session = session
        self._on_visit = on_visit
        self._clock = clock
        self._today = today
        self._clear()
        session.screen_changed.connect(self._on_screen)
        session.text_size_changed.connect(self._on_text_size)
        session.contrast_changed.connect(self._on_contrast)
        session.speech_changed.connect(self._on_speech)
        session.about_to_reset.connect(self._on_reset)

    def _clear(self) -> None:
        self._day: datetime.date | None = None
        self._reached: list[str] = []
        self._seconds: dict[str, float] = {}
        self._current: str | None = None
        self._since = 0.0
        self._text_size = 0
        self._contrast = "normal"
        self._speech = False
        self._ok = 0
        self._failed = 0
        self._demo = False

    @property
    def in_visit(self) -> bool:
        return self._day is not None

    def _not_a_patient(self) -> bool:
        s = self._session
        return s.is_demo or s.mode is Mode.STAFF

    def _on_screen(self, index: int) -> None:
        s = self._session
        if self._not_a_patient():
            self._demo = self._demo or s.is_demo
            return
        now = self._clock()
        if self._current is not None:
            self._seconds[self._current] = self._seconds.get(self._current, 0.0) + now - self._since
        if index > 0 and self._day is None:
            self._day = self._today()
            self._text_size = s.text_size
            self._contrast = s.contrast
            self._speech = s.speech
        if self._day is None:
            return
        sid = s.screen_id
        if sid not in self._reached:
            self._reached.append(sid)
        self._current, self._since = sid, now

    def _on_text_size(self, size: int) -> None:
        self._text_size = max(self._text_size, size)

    def _on_contrast(self, contrast: str) -> None:
        if contrast == "high":
            self._contrast = "high"

    def _on_speech(self, on: bool) -> None:
        self._speech = self._speech or on

    def printed(self, ok: bool) -> None:
        """A print job of this visit finished (the print controller says so)."""
        if self._day is not None:
            if ok:
                self._ok += 1
            else:
                self._failed += 1

    def _on_reset(self, reason: str) -> None:
        s = self._session
        if self._day is not None and reason in COUNTED_ENDINGS and not self._demo and not s.is_demo:
            if self._current is not None:
                self._seconds[self._current] = self._seconds.get(self._current, 0.0) + self._clock() - self._since
            visit = Visit(day=self._day, language=s.language, text_size=self._text_size, contrast=self._contrast,
                          speech=self._speech, screens_reached=tuple(self._reached),
                          seconds_on_screen=dict(self._seconds), ticks=tuple(sorted(s.ticks)), ended=reason,
                          prints_ok=self._ok, prints_failed=self._failed)
            self._clear()
            self._on_visit(visit)
        else:
            self._clear()
