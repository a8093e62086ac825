"""One-finger swipe: a quick, mostly horizontal move of 15 % of the width."""

from kiosk.swipe import BACK, NEXT, NONE, SwipeTracker


def swipe(dx, dy=0.0, seconds=0.3):
    t = SwipeTracker(width=1000)
    t.press(500, 400, 10.0)
    return t.release(500 + dx, 400 + dy, 10.0 + seconds)


def test_right_to_left_is_next_and_left_to_right_is_back():
    assert swipe(-300) == NEXT
    assert swipe(300) == BACK


def test_short_slow_or_vertical_moves_are_not_swipes():
    assert swipe(-100) == NONE
    assert swipe(-300, seconds=2.0) == NONE
    assert swipe(-300, dy=250) == NONE


def test_release_without_press_is_nothing():
    assert SwipeTracker().release(0, 0, 0) == NONE
