"""Opening hours from [schedule]: when the kiosk is open and when that changes next."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kiosk.schedule import Schedule, ScheduleError

# 2026-11-30 is a Monday.
MON = datetime(2026, 11, 30)
HOURS = Schedule.from_table(
    {
        "mon": "08:00-18:00",
        "tue": "08:00-12:00, 13:00-18:00",
        "wed": "00:00-24:00",
        "thu": "00:00-06:00",
        "sat": "closed",
    }
)


def at(day_offset: int, hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return MON + timedelta(days=day_offset, hours=h, minutes=m)


@pytest.mark.parametrize(
    ("when", "open_"),
    [
        (at(0, "07:59"), False),
        (at(0, "08:00"), True),
        (at(0, "17:59"), True),
        (at(0, "18:00"), False),
        (at(1, "12:30"), False),  # Tuesday lunch
        (at(1, "13:00"), True),
        (at(2, "23:59"), True),
        (at(3, "05:59"), True),
        (at(4, "10:00"), False),  # Friday not listed: closed
        (at(5, "10:00"), False),  # Saturday "closed"
    ],
)
def test_is_open(when: datetime, open_: bool) -> None:
    assert HOURS.is_open(when) is open_


def test_next_change_finds_the_next_opening_or_closing() -> None:
    assert HOURS.next_change(at(0, "07:00")) == at(0, "08:00")
    assert HOURS.next_change(at(0, "08:00")) == at(0, "18:00")
    assert HOURS.next_change(at(0, "20:00")) == at(1, "08:00")
    assert HOURS.next_change(at(1, "11:00")) == at(1, "12:00")
    # Wednesday 00:00-24:00 runs into Thursday 00:00-06:00 without closing at midnight.
    assert HOURS.next_change(at(2, "09:00")) == at(3, "06:00")
    # Thursday 06:00 closes until next Monday 08:00.
    assert HOURS.next_change(at(3, "07:00")) == at(7, "08:00")


def test_no_schedule_means_always_open_and_never_a_change() -> None:
    for table in (None, {}, {"wake_minutes": 3}):
        schedule = Schedule.from_table(table)
        assert schedule.is_open(at(5, "03:00"))
        assert schedule.next_change(at(5, "03:00")) is None


def test_all_days_closed_never_changes() -> None:
    schedule = Schedule.from_table({"sun": "closed"})
    assert not schedule.is_open(at(0, "12:00"))
    assert schedule.next_change(at(0, "12:00")) is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"mon": "8-18"}, 'schedule.mon: invalid value \'8-18\', expected "HH:MM-HH:MM" or "closed"'),
        ({"mon": "18:00-08:00"}, "schedule.mon: '18:00-08:00' ends before it starts (a range may not cross midnight)"),
        ({"mon": "08:00-25:00"}, "schedule.mon: invalid time in '08:00-25:00', expected HH:MM from 00:00 to 24:00"),
        ({"mon": "08:00-12:00,11:00-13:00"}, "schedule.mon: ranges overlap in '08:00-12:00,11:00-13:00'"),
        (
            {"monday": "08:00-18:00"},
            "schedule.monday: unknown key, expected one of mon, tue, wed, thu, fri, sat, sun, wake_minutes",
        ),
        ({"wake_minutes": 0}, "schedule.wake_minutes: invalid value 0, expected whole minutes from 1 to 240"),
        ({"mon": 8}, 'schedule.mon: invalid value 8, expected "HH:MM-HH:MM" or "closed"'),
    ],
)
def test_bad_values_say_which_key_and_what_was_expected(table: dict, message: str) -> None:
    with pytest.raises(ScheduleError) as error:
        Schedule.from_table(table)
    assert str(error.value) == message
