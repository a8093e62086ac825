"""Idle reset rules, without Qt: a fake clock stands in for time."""

from __future__ import annotations

import pytest

from kiosk.idle import IdleEvent, IdlePolicy, IdleState, OnTimeout, plan
from kiosk.session import Mode
from tests.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def policy(clock: FakeClock) -> IdlePolicy:
    p = IdlePolicy(90, 20, clock)
    p.start()
    return p


def test_nothing_happens_before_the_timeout(policy, clock):
    clock.advance(89.9)
    assert policy.poll() is IdleEvent.NONE
    assert policy.state is IdleState.WATCHING
    assert policy.next_check_in() == pytest.approx(0.1)


def test_warns_at_the_timeout_then_expires_after_the_warning(policy, clock):
    clock.advance(90)
    assert policy.poll() is IdleEvent.WARN
    assert policy.state is IdleState.WARNING
    assert policy.seconds_left() == 20
    clock.advance(19.5)
    assert policy.poll() is IdleEvent.TICK
    assert policy.seconds_left() == 1
    clock.advance(0.5)
    assert policy.poll() is IdleEvent.EXPIRE
    assert policy.state is IdleState.OFF
    assert policy.next_check_in() is None


def test_a_touch_restarts_the_wait(policy, clock):
    clock.advance(80)
    assert policy.touch() is False  # no warning showing: just a timestamp
    clock.advance(80)
    assert policy.poll() is IdleEvent.NONE
    assert policy.next_check_in() == pytest.approx(10)
    clock.advance(10)
    assert policy.poll() is IdleEvent.WARN


def test_a_touch_during_the_countdown_dismisses_it(policy, clock):
    clock.advance(90)
    policy.poll()
    clock.advance(5)
    assert policy.touch() is True
    assert policy.state is IdleState.WATCHING
    clock.advance(89)
    assert policy.poll() is IdleEvent.NONE  # the full timeout again, from the touch


def test_a_touch_older_than_the_warning_does_not_dismiss_it(policy, clock):
    clock.advance(10)
    earlier = clock()
    clock.advance(80)  # 80 s after that touch: not yet due
    assert policy.touch(earlier) is False
    clock.advance(10)
    assert policy.poll() is IdleEvent.WARN
    assert policy.touch(earlier) is False
    assert policy.state is IdleState.WARNING


def test_countdown_wakes_once_a_second_only(policy, clock):
    clock.advance(90)
    policy.poll()
    assert policy.next_check_in() == pytest.approx(1.0)
    clock.advance(0.25)
    assert policy.next_check_in() == pytest.approx(0.75)
    assert policy.seconds_left() == 20


def test_no_warning_expires_at_the_timeout(clock):
    p = IdlePolicy(30, 20, clock)
    p.start(warn=False)
    clock.advance(30)
    assert p.poll() is IdleEvent.EXPIRE


def test_off_does_nothing(clock):
    p = IdlePolicy(5, 1, clock)
    clock.advance(1000)
    assert p.poll() is IdleEvent.NONE
    assert p.next_check_in() is None
    p.start()
    p.stop()
    clock.advance(1000)
    assert p.poll() is IdleEvent.NONE


@pytest.mark.parametrize(("mode", "on_start", "demo", "expected"), [
    (Mode.START, True, False, OnTimeout.NOTHING),  # Start never resets again and again
    (Mode.BROWSING, False, False, OnTimeout.WARN_THEN_RESET),
    (Mode.IDLE_WARNING, False, False, OnTimeout.WARN_THEN_RESET),
    (Mode.DEMO, False, True, OnTimeout.NOTHING),  # a playing demo drives itself
    (Mode.DEMO, True, True, OnTimeout.NOTHING),
    (Mode.BROWSING, False, True, OnTimeout.REPLAY_DEMO),  # paused demo: play again, no question
    (Mode.START, True, True, OnTimeout.REPLAY_DEMO),
    (Mode.STAFF, True, False, OnTimeout.RESET),  # a forgotten staff panel closes
])
def test_what_a_timeout_leads_to(mode, on_start, demo, expected):
    assert plan(mode, on_start, demo) is expected


def test_start_holding_a_patients_choices_still_times_out_quietly():
    from kiosk.idle import OnTimeout, plan

    assert plan(Mode.START, True, False, used=True) is OnTimeout.RESET
    assert plan(Mode.START, True, False, used=False) is OnTimeout.NOTHING
