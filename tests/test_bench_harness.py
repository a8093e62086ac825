"""The benchmark's tools do what docs/benchmarks.md says: a valid big deck, and an outside observer
that sees a real key press change a real window's pixels on Xvfb."""

from __future__ import annotations

import sys
import time

from benchmarks.gen_deck import generate
from benchmarks.xbench import p95, spread_rows
from benchmarks.xharness import Program, Screen, Xvfb, started
from kiosk.deck import load_deck
from tests.realenv import require_tools


def test_generated_deck_has_150_valid_screens_in_every_language(tmp_path):
    deck = load_deck(generate(tmp_path / "deck", 150))

    assert deck.problems == []
    assert sorted(deck.languages) == ["en", "es"]
    for lang in deck.languages.values():
        kinds = [s.kind for s in lang.screens]
        assert len(kinds) == 150
        assert (kinds[0], kinds[-2], kinds[-1]) == ("start", "summary", "sources")
        assert kinds.count("step") + kinds.count("quiz") == 147  # content screens between Start and the summary
        assert len({s.label for s in lang.screens}) == 150  # every step its own label


def test_p95_is_the_nearest_rank():
    assert p95(list(range(1, 101))) == 95
    assert p95([3.0]) == 3.0
    assert p95([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]) == 100


def test_contrast_rows_are_spread_from_top_to_bottom_among_the_changed_ones():
    sparse = list(range(6, 1080, 12))  # every 12 px, as ``Screen.sparse_ys``
    changed = [i for i, y in enumerate(sparse) if not 400 <= y < 500]  # a band the switch leaves alone
    ys = spread_rows(sparse, changed, 1080)
    assert len(ys) == 4 and ys == sorted(ys)
    assert ys[0] < 270 and ys[-1] > 810  # the header's part and the footer's part are both watched
    assert all(not 400 <= y < 500 for y in ys)
    assert spread_rows(sparse, [3], 1080) == [sparse[3]]  # fewer changed rows than asked: no repeats
    assert spread_rows(sparse, [], 1080) == []


def test_observer_sees_a_key_press_change_the_floor_stack(tmp_path):
    require_tools("Xvfb")
    argv = [sys.executable, "benchmarks/floor_stack.py", "--size", "800x600"]
    with Xvfb(800, 600, tmp_path) as x:
        screen = Screen(x.display)
        ys = screen.sparse_ys()
        empty = screen.rows(ys)
        program = Program(argv, x.display, tmp_path / "floor.log")
        try:
            with started(program):
                painted = screen.wait_change(ys, empty, program.t0, first_only=True, timeout=60)
                assert painted.first is not None, program.log_tail()
                screen.wait_still(ys, hold_s=0.3)
                screen.focus(screen.window_of(program.pid))
                time.sleep(0.1)
                start_screen = screen.rows(ys)

                change = screen.wait_change(ys, start_screen, screen.press("Right"), timeout=10)

                assert change.first is not None and change.settled is not None
                assert 0 < change.first <= change.settled
                assert change.rows != start_screen
        finally:
            screen.close()
        assert not program.alive()
