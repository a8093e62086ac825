"""Speech mode in the window, heard through Qt's ``mock`` engine (offscreen).

The mock engine "says" one word every 100 ms and reports each word, so a test
hears what a patient would, in order. The real engine and real audio are in
tests/test_speech_real.py.
"""

from __future__ import annotations

import logging

import pytest

from kiosk.config import Speech
from kiosk.ui.speech import SpeechController, Status
from tests.lifecycle_helpers import first_item_screen, make_window


class Ears:
    """Every word the engine says, in order."""

    def __init__(self, controller: SpeechController) -> None:
        self.words: list[str] = []
        controller.engine.sayingWord.connect(self._word)

    def _word(self, word: str, _id: int, _start: int, _length: int) -> None:
        self.words.append(word)

    def clear(self) -> None:
        self.words.clear()


def listening(qtbot, settings: Speech | None = None, **dotted):
    w = make_window(qtbot, **dotted)
    c = SpeechController(w.session, w.holder, settings or Speech(), w, engine="mock")
    c.warm_up()
    assert c.status is Status.READY
    return w, c, Ears(c)


def heard_first(qtbot, ears: Ears, words: list[str]) -> None:
    def check() -> None:
        assert ears.words[: len(words)] == words

    qtbot.waitUntil(check, timeout=3000)


def test_listen_reads_the_welcome_screen_from_its_title(qtbot):
    w, c, ears = listening(qtbot)
    assert c.available
    with qtbot.waitSignal(c.speaking_changed, check_params_cb=lambda on: on, timeout=2000):
        c.toggle()
    assert w.session.speech
    heard_first(qtbot, ears, ["Your", "M", "R", "I", "and", "your", "back", "pain"])


def test_each_new_screen_is_read_instead_of_the_old_one(qtbot):
    w, c, ears = listening(qtbot)
    c.toggle()
    heard_first(qtbot, ears, ["Your", "M", "R", "I"])
    ears.clear()
    w.session.begin()
    heard_first(qtbot, ears, ["Why", "you", "had", "an", "M", "R", "I"])  # the deck's speech.yaml: MRI read as letters
    assert c.speaking


def test_listen_again_stops_and_turns_speech_mode_off(qtbot):
    w, c, ears = listening(qtbot)
    c.toggle()
    heard_first(qtbot, ears, ["Your", "M", "R", "I"])
    with qtbot.waitSignal(c.speaking_changed, check_params_cb=lambda on: not on, timeout=1000):
        c.toggle()
    assert not w.session.speech and not c.speaking
    ears.clear()
    w.session.begin()
    with qtbot.assertNotEmitted(c.speaking_changed, wait=300):
        pass
    assert ears.words == []


def test_the_privacy_reset_stops_speech_at_once_and_turns_the_mode_off(qtbot):
    w, c, ears = listening(qtbot)
    w.session.begin()
    c.toggle()
    heard_first(qtbot, ears, ["Why"])
    w.session.reset("idle")
    assert not c.speaking and not w.session.speech
    ears.clear()
    with qtbot.assertNotEmitted(c.speaking_changed, wait=300):
        pass
    assert ears.words == []


def test_ticking_a_question_in_speech_mode_says_its_new_state(qtbot):
    w, c, ears = listening(qtbot)
    w.session.go(first_item_screen(w))
    c.toggle()
    item = w.language.screens[w.session.index].items[0]
    assert item.text == "What does my MRI show?"
    ears.clear()
    w.session.toggle(item.id)
    heard_first(qtbot, ears, ["What", "does", "my", "M", "R", "I", "show", "Chosen"])
    ears.clear()
    w.session.toggle(item.id)
    heard_first(qtbot, ears, ["What", "does", "my", "M", "R", "I", "show", "Not", "chosen"])


def test_ticking_without_speech_mode_says_nothing(qtbot):
    w, c, ears = listening(qtbot)
    w.session.go(first_item_screen(w))
    w.session.toggle(w.language.screens[w.session.index].items[0].id)
    with qtbot.assertNotEmitted(c.speaking_changed, wait=300):
        pass
    assert ears.words == []


def test_a_language_without_a_voice_hides_listen_and_the_log_says_why(qtbot, caplog):
    w, c, ears = listening(qtbot)  # the mock engine has English voices, no Spanish one
    c.toggle()
    caplog.set_level(logging.INFO, logger="kiosk.ui.speech")
    with qtbot.waitSignal(c.available_changed, check_params_cb=lambda on: not on, timeout=1000):
        w.session.set_language("es")
    assert "no voice for language 'es' in engine 'mock'" in caplog.text
    assert not w.session.speech and not c.speaking
    c.toggle()
    assert not w.session.speech  # Listen does nothing where it cannot speak
    with qtbot.waitSignal(c.available_changed, check_params_cb=lambda on: on, timeout=1000):
        w.session.set_language("en")


def test_speech_disabled_in_the_config_hides_listen_and_loads_nothing(qtbot, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.ui.speech")
    w = make_window(qtbot)
    c = SpeechController(w.session, w.holder, Speech(enabled=False), w, engine="mock")
    assert not c.available and not c.is_available("en")
    assert "speech is disabled in the config ([speech] enabled = false)" in caplog.text
    c.warm_up()
    c.toggle()
    assert c.engine is None and not w.session.speech


def test_no_engine_hides_listen_and_the_log_says_why(qtbot, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.ui.speech")
    w = make_window(qtbot)
    c = SpeechController(w.session, w.holder, Speech(), w, engine="no-such-engine")
    assert c.available  # not known before loading
    with qtbot.waitSignal(c.available_changed, check_params_cb=lambda on: not on, timeout=1000):
        c.warm_up()
    assert "no speech engine: Qt has no 'no-such-engine' engine" in caplog.text
    c.toggle()
    assert not w.session.speech


def test_the_first_listen_loads_the_engine_when_warm_up_did_not_run(qtbot):
    w = make_window(qtbot)
    c = SpeechController(w.session, w.holder, Speech(), w, engine="mock")
    assert c.engine is None  # nothing loaded at start-up
    with qtbot.waitSignal(c.speaking_changed, timeout=2000):
        c.toggle()
    assert c.status is Status.READY and w.session.speech


@pytest.mark.parametrize(("rate", "volume"), [(0.0, 0.6), (-0.5, 0.3), (1.0, 1.0)])
def test_rate_and_volume_come_from_the_config(qtbot, rate, volume):
    _, c, _ = listening(qtbot, Speech(rate=rate, volume=volume))
    assert c.engine.rate() == pytest.approx(rate)
    assert c.engine.volume() == pytest.approx(volume)


def test_speak_text_says_what_it_is_given_with_the_pronunciations(qtbot):
    _, c, ears = listening(qtbot)
    c.speak_text("Your MRI.")
    heard_first(qtbot, ears, ["Your", "M", "R", "I"])
    c.stop()
    assert not c.speaking


def test_the_spoken_idle_warning_stops_when_the_patient_comes_back(qtbot):
    from kiosk.session import Mode

    w, c, ears = listening(qtbot)
    w.session.begin()
    c.toggle()
    w.session.set_mode(Mode.IDLE_WARNING)
    c.speak_text("Are you still there?")
    heard_first(qtbot, ears, ["Are", "you"])
    w.session.set_mode(Mode.BROWSING)
    assert not c.speaking
