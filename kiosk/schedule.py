"""Opening hours: when the kiosk shows its screens and when the panel rests.

The ``[schedule]`` table of kiosk.toml gives the clinic's hours per weekday::

    [schedule]
    mon = "08:00-18:00"
    tue = "08:00-12:00, 13:00-18:00"   # several ranges, comma separated
    sat = "closed"                      # or leave the day out
    wake_minutes = 5                    # a touch outside hours wakes it this long

A day that is not listed is closed, but an empty table (or none) means always open,
so a kiosk without a schedule never blanks. Times are local wall-clock time
(naive ``datetime``), ``24:00`` ends a day; a range may not cross midnight (write
``"22:00-24:00"`` and ``"00:00-06:00"`` on the next day). Outside the hours
kiosk/ui/blanker.py blanks the screen. Pure Python: the clock is the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WAKE_MINUTES = 5
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Ranges = tuple[tuple[int, int], ...]  # (start, end) in minutes after midnight


class ScheduleError(ValueError):
    """A bad ``[schedule]`` value; the message names the key and what was expected."""


def _minutes(hours: str, minutes: str, key: str, text: str) -> int:
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and m):
        raise ScheduleError(f"schedule.{key}: invalid time in {text!r}, expected HH:MM from 00:00 to 24:00")
    return h * 60 + m


def parse_day(key: str, text: str) -> Ranges:
    """``"08:00-12:00, 13:00-18:00"`` -> ((480, 720), (780, 1080)); ``"closed"`` or ``""`` -> ()."""
    if text.strip().lower() in ("", "closed"):
        return ()
    ranges: list[tuple[int, int]] = []
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise ScheduleError(f'schedule.{key}: invalid value {text!r}, expected "HH:MM-HH:MM" or "closed"')
        start = _minutes(match[1], match[2], key, text)
        end = _minutes(match[3], match[4], key, text)
        if end <= start:
            raise ScheduleError(
                f"schedule.{key}: {part.strip()!r} ends before it starts (a range may not cross midnight)"
            )
        ranges.append((start, end))
    ranges.sort()
    for (_, end), (start, _) in zip(ranges, ranges[1:], strict=False):
        if start < end:
            raise ScheduleError(f"schedule.{key}: ranges overlap in {text!r}")
    return tuple(ranges)


@dataclass(frozen=True)
class Schedule:
    """Opening hours for each weekday (Monday first); ``always_open`` without a schedule."""

    days: tuple[Ranges, ...] = ((),) * 7
    always_open: bool = True
    wake_minutes: int = DEFAULT_WAKE_MINUTES

    @classmethod
    def from_table(cls, table: Mapping[str, object] | None) -> Schedule:
        """Build from the ``[schedule]`` table; raises ScheduleError on the first bad key."""
        table = dict(table or {})
        wake = table.pop("wake_minutes", DEFAULT_WAKE_MINUTES)
        if isinstance(wake, bool) or not isinstance(wake, int) or not 1 <= wake <= 240:
            raise ScheduleError(f"schedule.wake_minutes: invalid value {wake!r}, expected whole minutes from 1 to 240")
        unknown = sorted(set(table) - set(DAYS))
        if unknown:
            raise ScheduleError(f"schedule.{unknown[0]}: unknown key, expected one of {', '.join(DAYS)}, wake_minutes")
        days = []
        for key in DAYS:
            value = table.get(key, "closed")
            if not isinstance(value, str):
                raise ScheduleError(f'schedule.{key}: invalid value {value!r}, expected "HH:MM-HH:MM" or "closed"')
            days.append(parse_day(key, value))
        return cls(days=tuple(days), always_open=not table, wake_minutes=wake)

    def is_open(self, now: datetime) -> bool:
        if self.always_open:
            return True
        minute = now.hour * 60 + now.minute
        return any(start <= minute < end for start, end in self.days[now.weekday()])

    def next_change(self, now: datetime) -> datetime | None:
        """The first moment after ``now`` when ``is_open`` flips, or None if it never does."""
        if self.always_open:
            return None
        state = self.is_open(now)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        for offset in range(8):
            day = midnight + timedelta(days=offset)
            for start, end in self.days[day.weekday()]:
                for boundary in (start, end):
                    moment = day + timedelta(minutes=boundary)
                    if moment > now and self.is_open(moment) != state:
                        return moment
        return None
