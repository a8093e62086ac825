"""When a patient may print: one job at a time, a cap per session, never in demo."""

from __future__ import annotations

from kiosk.printing import Outcome, PrintPolicy, PrintResult

OK = PrintResult(True, "kiosk-pdf", "kiosk-pdf-1")
FAIL = PrintResult(False, "kiosk-pdf", reason="printer 'kiosk-pdf': stopped")


def test_a_tap_starts_one_job_and_repeated_taps_start_none():
    p = PrintPolicy(2)
    assert p.request(demo=False) is True
    assert p.outcome is Outcome.PRINTING
    assert p.request(demo=False) is False
    assert p.request(demo=False) is False
    assert p.finished(OK) is Outcome.DONE


def test_at_most_max_per_session_then_limit():
    p = PrintPolicy(2)
    for _ in range(2):
        assert p.request(demo=False)
        p.finished(OK)
    assert p.request(demo=False) is False
    assert p.outcome is Outcome.LIMIT


def test_a_failed_job_does_not_count():
    p = PrintPolicy(1)
    p.request(demo=False)
    assert p.finished(FAIL) is Outcome.FAILED
    assert p.request(demo=False) is True


def test_demo_never_prints():
    p = PrintPolicy(2)
    assert p.request(demo=True) is False
    assert p.outcome is Outcome.DEMO and p.printed == 0


def test_reset_restores_the_allowance_and_drops_a_late_answer():
    p = PrintPolicy(1)
    p.request(demo=False)
    gen = p.generation
    p.reset()
    assert p.outcome is Outcome.READY
    assert p.finished(OK, gen) is Outcome.READY and p.printed == 0
    assert p.request(demo=False) is True
