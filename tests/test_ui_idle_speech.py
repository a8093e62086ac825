"""Idle reset and speech: more time for listeners and large text, no timeout while
speaking, the warning read aloud in speech mode. Driven by a fake clock."""

from __future__ import annotations

import pytest

from kiosk.session import Mode
from kiosk.ui.speech import SpeechController
from tests.lifecycle_helpers import FakeClock, first_item_screen, make_window, use_fake_clock

IDLE_WARNING_TITLES = ("Are you still there?", "¿Sigue ahí?")


@pytest.fixture(autouse=True)
def said(monkeypatch) -> list[str]:
    """What the idle controller asked the speech controller to say (the idle warning).

    The engine itself says nothing here, so the fake clock alone decides the timeouts."""
    out: list[str] = []

    def record(self, text: str) -> None:
        if text.startswith(IDLE_WARNING_TITLES):
            out.append(text)

    monkeypatch.setattr(SpeechController, "speak_text", record)
    monkeypatch.setattr(SpeechController, "speak_screen", lambda self: None)
    return out


def browsing(qtbot, clock: FakeClock):
    w = make_window(qtbot)  # 90 s timeout, 20 s warning
    use_fake_clock(w, clock)
    w.session.begin()
    w.session.go(first_item_screen(w))
    return w


def quiet_for(w, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    w.idle.check()


def test_speech_mode_doubles_the_idle_timeout(qtbot):
    clock = FakeClock()
    w = browsing(qtbot, clock)
    w.session.set_speech(True)
    assert w.idle.timeout_s() == 180
    quiet_for(w, clock, 170)
    assert w.session.mode is Mode.BROWSING
    quiet_for(w, clock, 11)
    assert w.session.mode is Mode.IDLE_WARNING


def test_the_timeout_is_back_to_normal_when_speech_mode_ends(qtbot):
    clock = FakeClock()
    w = browsing(qtbot, clock)
    w.session.set_speech(True)
    w.session.set_text_size(2)
    assert w.idle.timeout_s() == 180  # doubled once, not twice
    w.session.set_speech(False)
    assert w.idle.timeout_s() == 180
    w.session.set_text_size(0)
    assert w.idle.timeout_s() == 90


def test_largest_text_doubles_the_idle_timeout_and_normal_text_does_not(qtbot):
    clock = FakeClock()
    w = browsing(qtbot, clock)
    w.session.set_text_size(1)
    assert w.idle.timeout_s() == 90
    w.session.set_text_size(2)
    quiet_for(w, clock, 170)
    assert w.session.mode is Mode.BROWSING
    quiet_for(w, clock, 11)
    assert w.session.mode is Mode.IDLE_WARNING


def test_the_kiosk_does_not_time_out_while_it_is_speaking(qtbot):
    clock = FakeClock()
    w = browsing(qtbot, clock)
    w.idle.set_busy(True)
    quiet_for(w, clock, 600)
    assert w.session.mode is Mode.BROWSING and w.idle.timer.isActive()
    w.idle.set_busy(False)  # the quiet time starts when the voice stops
    quiet_for(w, clock, 89)
    assert w.session.mode is Mode.BROWSING
    quiet_for(w, clock, 2)
    assert w.session.mode is Mode.IDLE_WARNING


def test_speaking_the_warning_does_not_cancel_its_countdown(qtbot):
    clock = FakeClock()
    w = browsing(qtbot, clock)
    quiet_for(w, clock, 91)
    assert w.session.mode is Mode.IDLE_WARNING
    w.idle.set_busy(True)
    quiet_for(w, clock, 20)
    assert w.session.mode is Mode.START and w.session.index == 0


def test_the_warning_is_read_aloud_in_speech_mode(qtbot, said):
    clock = FakeClock()
    w = browsing(qtbot, clock)
    w.session.set_language("es")
    w.session.set_speech(True)
    quiet_for(w, clock, 181)
    assert w.idle.overlay.isVisible()
    assert said == ["¿Sigue ahí?\n"
                    "Para proteger su privacidad, la pantalla empezará de nuevo en 20 segundos.\n"
                    "Para seguir, toque Sigo aquí o pulse cualquier tecla."]
    quiet_for(w, clock, 5)
    assert len(said) == 1  # read once, not at every tick of the countdown


def test_the_warning_is_not_read_without_speech_mode(qtbot, said):
    clock = FakeClock()
    w = browsing(qtbot, clock)
    quiet_for(w, clock, 91)
    assert w.idle.overlay.isVisible()
    assert said == []
