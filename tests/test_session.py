"""Session: navigation, ticks and the privacy reset, without Qt."""

from kiosk.session import Mode, Session

IDS = ["start", "risk", "review", "next", "summary", "sources"]


def test_begin_moves_to_browsing_and_back_to_start():
    s = Session(IDS)
    modes = []
    s.mode_changed.connect(modes.append)
    s.begin()
    assert (s.screen_id, s.mode) == ("risk", Mode.BROWSING)
    s.back()
    assert (s.screen_id, s.mode) == ("start", Mode.START)
    assert modes == [Mode.BROWSING, Mode.START]


def test_navigation_is_clamped_to_the_deck():
    s = Session(IDS)
    s.back()
    assert s.index == 0
    for _ in range(10):
        s.next()
    assert s.screen_id == "sources" and s.at_end


def test_reset_forgets_everything_the_patient_chose():
    s = Session(IDS, "en")
    s.begin()
    s.next()
    s.toggle("next/1")
    s.toggle("q-cause")
    s.set_language("es")
    s.text_larger()
    s.set_contrast("high")
    s.set_speech(True)
    seen = []
    s.ticks_changed.connect(seen.append)
    s.reset()
    assert (s.index, s.ticks, s.language, s.text_size, s.mode) == (0, set(), "en", 0, Mode.START)
    assert (s.contrast, s.speech) == ("normal", False)
    assert seen == [frozenset()]


def test_toggle_twice_unticks():
    s = Session(IDS)
    assert s.toggle("a") is True
    assert s.toggle("a") is False
    assert s.ticks == set()


def test_text_size_steps_up_and_down_and_never_wraps_around():
    s = Session(IDS)
    assert [s.text_larger() for _ in range(3)] == [1, 2, 2]  # a third tap never shrinks it back
    assert [s.text_smaller() for _ in range(3)] == [1, 0, 0]


def test_reload_keeps_the_current_screen_when_it_still_exists():
    s = Session(IDS)
    s.go(3)
    s.set_screens(["start", "next", "summary"])
    assert s.screen_id == "next"
    s.set_screens(["start", "other"])
    assert s.index == 0


def test_a_missing_screen_falls_back_to_the_nearest_earlier_one():
    s = Session(IDS)
    s.go(IDS.index("next"))
    s.set_screens(["start", "risk", "summary", "sources"])
    assert s.screen_id == "risk"
