"""The screen blanks outside opening hours and a touch wakes it for wake_minutes."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.schedule import Schedule
from kiosk.ui.blanker import DisplayPower, ScreenBlanker

MONDAY_0759 = datetime(2026, 11, 30, 7, 59)
HOURS = Schedule.from_table({"mon": "08:00-18:00", "wake_minutes": 5})


class WallClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class RecordingPower(DisplayPower):
    """The real DisplayPower decision, with the panel states it was asked for recorded."""

    def __init__(self) -> None:
        super().__init__(env={})
        self.asked: list[bool] = []

    def set_on(self, on: bool) -> bool:
        self.asked.append(on)
        return super().set_on(on)


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    window = QWidget()
    window.resize(800, 600)
    button = QPushButton("Start", window)
    button.setObjectName("start")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_closed_hours_cover_the_whole_window_in_black(qtbot: QtBot, window: QWidget) -> None:
    clock = WallClock(MONDAY_0759)
    power = RecordingPower()
    blanker = ScreenBlanker(window, HOURS, clock=clock, power=power)
    assert blanker.blanked
    assert blanker.geometry() == window.rect()
    image = window.grab().toImage()
    assert {image.pixelColor(x, y).name() for x, y in [(5, 5), (400, 300), (795, 595)]} == {"#000000"}
    assert power.asked == [False]
    # The timer is armed for 08:00, one minute away, not polled.
    assert blanker.next_check == datetime(2026, 11, 30, 8, 0, 0, 1000)


def test_the_screen_comes_back_at_opening_time(qtbot: QtBot, window: QWidget) -> None:
    clock = WallClock(MONDAY_0759)
    blanker = ScreenBlanker(window, HOURS, clock=clock, power=RecordingPower())
    clock.advance(minutes=1)
    with qtbot.waitSignal(blanker.blanked_changed) as changed:
        blanker.refresh()
    assert changed.args == [False]
    assert not blanker.isVisible()


def test_a_touch_wakes_it_for_wake_minutes_then_it_blanks_again(qtbot: QtBot, window: QWidget) -> None:
    clock = WallClock(datetime(2026, 11, 30, 20, 0))
    blanker = ScreenBlanker(window, HOURS, clock=clock, power=RecordingPower())
    assert blanker.blanked
    qtbot.mouseClick(blanker, Qt.MouseButton.LeftButton)
    assert not blanker.blanked
    assert blanker.next_check == datetime(2026, 11, 30, 20, 5, 0, 1000)
    clock.advance(minutes=4)
    blanker.note_activity()  # someone is still reading
    clock.advance(minutes=4)
    blanker.refresh()
    assert not blanker.blanked
    clock.advance(minutes=1, seconds=1)
    blanker.refresh()
    assert blanker.blanked


def test_a_key_wakes_it_too(qtbot: QtBot, window: QWidget) -> None:
    blanker = ScreenBlanker(window, HOURS, clock=WallClock(datetime(2026, 11, 30, 20, 0)), power=RecordingPower())
    qtbot.keyClick(blanker, Qt.Key.Key_Space)
    assert not blanker.blanked


def test_activity_during_opening_hours_changes_nothing(qtbot: QtBot, window: QWidget) -> None:
    blanker = ScreenBlanker(window, HOURS, clock=WallClock(datetime(2026, 11, 30, 9, 0)), power=RecordingPower())
    with qtbot.assertNotEmitted(blanker.blanked_changed):
        blanker.note_activity()
    assert not blanker.blanked


def test_without_a_schedule_it_never_blanks_and_arms_no_timer(qtbot: QtBot, window: QWidget) -> None:
    blanker = ScreenBlanker(window, Schedule.from_table({}), clock=WallClock(MONDAY_0759), power=RecordingPower())
    assert not blanker.blanked
    assert blanker.next_check is None


def test_without_x_and_xset_the_panel_stays_powered_and_that_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    power = DisplayPower(env={"WAYLAND_DISPLAY": "wayland-0"})
    with caplog.at_level(logging.INFO, logger="kiosk.ui.blanker"):
        assert power.set_on(False) is False
        assert power.set_on(True) is False
    assert [r.getMessage() for r in caplog.records] == [
        "no DPMS control here (needs X and xset); the screen is blanked but stays powered"
    ]
