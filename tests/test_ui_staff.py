"""Staff access: hold the corner, the PIN pad, lockout, and the panel's tools."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.deck import load_deck
from kiosk.pin import hash_pin
from kiosk.resources import bundled_content
from kiosk.session import Mode
from tests.decks import copy_bundled
from tests.lifecycle_helpers import FakeClock, make_window

PIN = "2468"
LEFT = Qt.MouseButton.LeftButton
NOMOD = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def staff_window(qtbot):
    return make_window(qtbot, staff__hold_seconds=0.2, staff__pin_hash=hash_pin(PIN, iterations=1000))


def under(w, pos: QPoint):
    """The widget a real touch at ``pos`` (window coordinates) would reach."""
    return w.childAt(pos) or w


def hold_corner(qtbot, w, pos: QPoint | None = None) -> None:
    pos = pos or QPoint(10, 10)
    target = under(w, pos)
    with qtbot.waitSignal(w.corner.held, timeout=3000):
        QTest.mousePress(target, LEFT, NOMOD, target.mapFrom(w, pos))
    QTest.mouseRelease(target, LEFT, NOMOD, target.mapFrom(w, pos))


def type_keys(w, text: str) -> None:
    for ch in text:
        QTest.keyClick(w.staff.pad, ch)
    QTest.keyClick(w.staff.pad, Qt.Key.Key_Return)


def test_holding_the_corner_opens_the_pin_pad_and_does_not_begin(qtbot, staff_window):
    w = staff_window
    hold_corner(qtbot, w)
    assert w.staff.pad.isVisible()
    assert w.staff.pad.title.text() == "Staff PIN"
    assert w.session.index == 0  # the release of the hold did not "touch to begin"
    assert w.session.mode is Mode.STAFF


def test_a_short_tap_in_the_corner_just_begins(qtbot, staff_window):
    w = staff_window
    target = under(w, QPoint(10, 10))
    with qtbot.assertNotEmitted(w.corner.held, wait=400):
        QTest.mouseClick(target, LEFT, NOMOD, target.mapFrom(w, QPoint(10, 10)))
    assert w.session.index == 1


def test_holding_elsewhere_does_nothing(qtbot, staff_window):
    w = staff_window
    target = under(w, QPoint(600, 10))
    with qtbot.assertNotEmitted(w.corner.held, wait=400):
        QTest.mousePress(target, LEFT, NOMOD, target.mapFrom(w, QPoint(600, 10)))
    QTest.mouseRelease(target, LEFT, NOMOD, target.mapFrom(w, QPoint(600, 10)))


def test_right_pin_by_buttons_opens_the_panel(qtbot, staff_window):
    w = staff_window
    hold_corner(qtbot, w)
    for d in PIN:
        w.staff.pad.digits[d].click()
    assert w.staff.pad.dots.text() == "●" * len(PIN)
    with qtbot.waitSignal(w.staff.opened, timeout=2000):
        w.staff.pad.ok_button.click()
    assert w.staff.panel.isVisible() and not w.staff.pad.isVisible()
    assert "0.1.0" in w.staff.panel.info.text()
    assert str(w.deck.root) in w.staff.panel.info.text()


def test_right_pin_by_keys_opens_the_panel(qtbot, staff_window):
    w = staff_window
    hold_corner(qtbot, w)
    with qtbot.waitSignal(w.staff.opened, timeout=2000):
        type_keys(w, PIN)


def test_wrong_pin_says_how_many_tries_are_left_then_locks(qtbot, staff_window):
    w = staff_window
    clock = FakeClock()
    w.staff.guard.clock = clock
    hold_corner(qtbot, w)
    type_keys(w, "1111")
    assert w.staff.pad.message.text() == "That PIN is not right. 4 tries left."
    for _ in range(4):
        type_keys(w, "1111")
    assert w.staff.pad.message.text() == "Too many tries. Please wait 60 seconds."
    assert not w.staff.pad.accepting
    assert w.staff.lock_timer.isActive()
    type_keys(w, PIN)  # refused while locked: the keys are ignored
    assert not w.staff.panel.isVisible()
    clock.advance(45)
    w.staff._show_lock()
    assert w.staff.pad.message.text() == "Too many tries. Please wait 15 seconds."
    clock.advance(15)
    w.staff._show_lock()
    assert w.staff.pad.accepting and not w.staff.lock_timer.isActive()
    with qtbot.waitSignal(w.staff.opened, timeout=2000):
        type_keys(w, PIN)


def test_no_pin_set_up_says_how(qtbot):
    w = make_window(qtbot, staff__hold_seconds=0.2)
    hold_corner(qtbot, w)
    assert "kiosk set-pin" in w.staff.pad.message.text()
    assert not w.staff.pad.accepting
    w.staff.pad.cancel_button.click()
    assert not w.staff.pad.isVisible() and w.session.mode is Mode.START


def test_cancel_goes_back_to_start(qtbot, staff_window):
    w = staff_window
    hold_corner(qtbot, w)
    w.staff.pad.cancel_button.click()
    assert not w.staff.pad.isVisible()
    assert w.session.mode is Mode.START and w.session.index == 0


def test_corner_only_on_start(qtbot, staff_window):
    w = staff_window
    w.session.begin()
    target = under(w, QPoint(10, 10))
    with qtbot.assertNotEmitted(w.corner.held, wait=400):
        QTest.mousePress(target, LEFT, NOMOD, target.mapFrom(w, QPoint(10, 10)))
    QTest.mouseRelease(target, LEFT, NOMOD, target.mapFrom(w, QPoint(10, 10)))


def test_panel_starts_and_stops_the_demo(qtbot, staff_window):
    w = staff_window
    w.staff.open_panel()
    w.staff.panel.demo_button.click()
    assert w.session.is_demo and w.session.mode is Mode.DEMO
    assert not w.staff.panel.isVisible()
    w.staff.open_panel()
    assert w.staff.panel.demo_button.text() == "Stop &demo"
    w.staff.panel.demo_button.click()
    assert not w.session.is_demo and w.session.mode is Mode.START


def test_reload_shows_new_content_and_keeps_the_last_good_one_when_broken(qtbot, tmp_path):
    root = copy_bundled(tmp_path / "deck")
    deck = load_deck(root)
    w = make_window(qtbot, deck=deck, staff__hold_seconds=0.2)
    w.session.begin()
    screen = w.session.screen_id
    old_pages = [p for p in w.built_pages()]
    w.staff.open_panel()
    # an author fixes a title: reload shows it, on the same screen
    path = next((root / "en").glob("10-*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: NEW", 1), encoding="utf-8")
    w.staff.reload_content()
    assert "reloaded" in w.staff.panel.status.text()
    assert w.session.screen_id == screen
    assert w.current_page().screen.title.startswith("NEW")
    assert w.stack.indexOf(w.current_page()) >= 0
    assert not any(w.stack.indexOf(p) >= 0 for p in old_pages)
    good = w.deck
    # then the whole deck disappears: the last good content stays
    shutil.rmtree(root)
    w.staff.reload_content()
    assert w.deck is good
    assert "last good content" in w.staff.panel.status.text()
    assert "content folder not found" in w.staff.panel.status.text()
    assert w.current_page().screen.title.startswith("NEW")


def test_panel_shows_the_last_log_lines(qtbot, tmp_path):
    log_file = tmp_path / "kiosk.log"
    log_file.write_text("\n".join(f"line {i}" for i in range(50)) + "\n")
    w = make_window(qtbot, log__file=str(log_file))
    w.staff.open_panel()
    lines = w.staff.panel.log_view.toPlainText().splitlines()
    assert lines[0] == "line 30" and lines[-1] == "line 49"


def test_a_forgotten_panel_closes_after_the_idle_timeout(qtbot, staff_window):
    w = staff_window
    w.idle.policy.timeout_s = 0.2
    w.staff.open_panel()
    with qtbot.waitSignal(w.idle.expired, timeout=3000) as blocker:
        pass
    assert blocker.args == ["reset"]
    assert not w.staff.panel.isVisible() and w.session.mode is Mode.START


def test_config_default_bundled_root(qtbot, staff_window):
    assert staff_window.deck.root == bundled_content()


def test_reload_makes_the_printed_sheet_use_the_new_words(qtbot, tmp_path):
    root = copy_bundled(tmp_path / "deck")
    w = make_window(qtbot, load_deck(root))
    w.session.go(w.session.screen_ids.index("summary"))
    qtbot.waitUntil(lambda: getattr(w, "print_controller", None) is not None)
    path = root / "en" / "30-next-steps.md"
    path.write_text(path.read_text(encoding="utf-8").replace("What does my MRI show?", "What does my scan show?"),
                    encoding="utf-8")
    w.staff.reload_content()
    w.session.toggle("q-what-it-shows")
    questions = w.print_controller.compose().questions
    assert any("What does my scan show?" in q for q in questions), questions


def test_panel_lists_config_problems_the_kiosk_worked_around(qtbot):
    w = make_window(qtbot, staff__pin_hash=hash_pin(PIN, iterations=1000),
                    problems=("kiosk.toml: print.paper: invalid value 'A5', expected 'letter' or 'a4'; using the default",))
    w.staff.open_panel()
    assert "print.paper: invalid value 'A5'" in w.staff.panel.info.text()
