"""Usage figures: what one visit adds up to, built from the Session alone."""

import datetime

from kiosk.session import Mode, Session
from kiosk.visits import VisitTracker
from tests.clock import FakeClock

IDS = ["start", "risk", "review", "next", "summary"]
DAY = datetime.date(2026, 11, 28)


def tracked():
    s = Session(IDS, "en")
    clock = FakeClock()
    visits = []
    tracker = VisitTracker(s, visits.append, clock=clock, today=lambda: DAY)
    return s, clock, visits, tracker


def test_a_visit_records_screens_time_settings_and_final_ticks():
    s, clock, visits, tracker = tracked()
    s.begin()
    clock.advance(12)
    s.toggle("q-a")
    s.toggle("q-b")
    s.toggle("q-a")  # unticked again: only what is ticked at the end counts
    s.text_larger()
    s.set_contrast("high")
    s.next()
    clock.advance(40)
    s.set_language("es")
    tracker.printed(True)
    tracker.printed(False)
    s.reset("start_over")
    [v] = visits
    assert v.day == DAY and v.ended == "start_over" and v.language == "es"
    assert v.screens_reached == ("risk", "review")
    assert v.seconds_on_screen == {"risk": 12, "review": 40}
    assert v.ticks == ("q-b",) and v.text_size == 1 and v.contrast == "high" and not v.speech
    assert (v.prints_ok, v.prints_failed) == (1, 1)


def test_idle_and_finish_are_told_apart_and_a_new_visit_starts_clean():
    s, clock, visits, _ = tracked()
    s.begin()
    s.reset("idle")
    s.begin()
    s.set_speech(True)
    s.finish()
    assert [v.ended for v in visits] == ["idle", "finished"]
    assert visits[1].speech and not visits[0].speech


def test_nobody_leaving_start_is_not_a_visit():
    s, _, visits, _ = tracked()
    s.set_language("es")  # chosen on Start, then walked away
    s.reset("idle")
    assert visits == []


def test_demo_and_staff_are_never_counted():
    s, _, visits, _ = tracked()
    s.set_demo(True)
    s.set_mode(Mode.DEMO)
    s.go(2)
    s.reset("demo")
    s.set_mode(Mode.BROWSING)  # a visitor exploring a paused demo is still the demo
    s.go(3)
    s.reset("idle")
    s.set_demo(False)
    s.set_mode(Mode.STAFF)
    s.reset("staff")
    assert visits == []
