"""Every word on screen is in the patient's language: walk the kiosk in each language.

For each language, every screen (with every item ticked, so the summary lists
them), the start-over question, the idle warning and the staff PIN pad are
shown in turn, and every visible text is collected: labels, buttons, tick
items, accessible descriptions, the window title. No interface word of the other language may appear.
Language names are the exception by design: each language is offered by its
own name ("English", "Español") whatever language is showing.
"""

from __future__ import annotations

import re
import time

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.deck import Deck, load_deck
from kiosk.render import plain_text
from kiosk.resources import bundled_content
from kiosk.ui.widgets import RichText, TickItem
from kiosk.ui.window import KioskWindow
from tests.lifecycle_helpers import make_window

SHOWN_IN_OWN_LANGUAGE = {"language_name"}


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck(bundled_content())


def window_in(qtbot, deck: Deck, lang: str) -> KioskWindow:
    return make_window(qtbot, deck, default_language=lang)


def visible_texts(window: KioskWindow) -> list[str]:
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not widget.isVisible():
            continue
        if isinstance(widget, RichText):
            texts.append(plain_text(widget.fragment))
        elif isinstance(widget, QLabel):
            texts.append(widget.text())
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, TickItem):
            texts.append(widget.label.text())
        texts.append(widget.accessibleDescription())  # read out by a screen reader (tick state)
    return [t for t in texts if t]


def foreign_patterns(deck: Deck, showing: str) -> dict[str, re.Pattern[str]]:
    """Interface words of the other languages that differ from this language's words."""
    mine = deck.languages[showing].strings.texts
    mine_values = set(mine.values())
    out: dict[str, re.Pattern[str]] = {}
    for code, lang in deck.languages.items():
        if code == showing:
            continue
        for key, value in lang.strings.texts.items():
            if key in SHOWN_IN_OWN_LANGUAGE or value == mine.get(key) or value in mine_values:
                continue
            parts = re.split(r"\{[a-z_]+\}", value)
            body = r".+?".join(re.escape(p) for p in parts)
            out[f"{code}:{key} = {value!r}"] = re.compile(rf"(?<!\w){body}(?!\w)")
    return out


def leaks(deck: Deck, showing: str, texts: list[str]) -> list[str]:
    found = []
    for name, pattern in foreign_patterns(deck, showing).items():
        for text in texts:
            if pattern.search(text):
                found.append(f"{name} in {text[:80]!r}")
    return found


def walk(window: KioskWindow, qtbot) -> dict[str, list[str]]:
    """Texts per stop of the walk (screen id or overlay name)."""
    seen: dict[str, list[str]] = {}
    s = window.session
    s.home()
    seen["start"] = visible_texts(window)
    for item in (i for sc in window.language.screens for i in sc.items):
        s.toggle(item.id)
    for index in range(1, s.count):
        s.go(index)
        seen[s.screen_id] = visible_texts(window)
    s.go(2)
    window.go_home()
    assert window.confirm.isVisible()
    seen["start-over question"] = visible_texts(window)
    window.confirm.no_button.click()

    # the idle warning, on a clock the test drives
    idle = window.idle
    now = [time.monotonic() + 10_000]
    idle.policy.clock = lambda: now[0]
    idle.check()
    assert idle.overlay.isVisible()
    seen["idle warning"] = visible_texts(window)
    idle.still_here()

    window.session.home()
    window.staff.open_pad()
    assert window.staff.pad.isVisible()
    seen["PIN pad"] = visible_texts(window)
    window.staff.pad.cancel()
    return seen


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_interface_word_of_another_language_is_shown(qtbot, deck, lang):
    window = window_in(qtbot, deck, lang)
    assert window.session.language == lang
    seen = walk(window, qtbot)
    assert set(seen) >= {s.id for s in deck.languages[lang].journey}  # the sources open on demand
    found = [f"{stop}: {leak}" for stop, texts in seen.items() for leak in leaks(deck, lang, texts)]
    assert found == []


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_interface_word_shown_is_this_languages(qtbot, deck, lang):
    """The walk does show this language's own words (the check above is not vacuous)."""
    window = window_in(qtbot, deck, lang)
    seen = walk(window, qtbot)
    every = "\n".join(t for texts in seen.values() for t in texts)
    s = deck.languages[lang].strings
    for key in ("next", "back", "start_over", "confirm_start_over_title", "idle_title", "pin_title",
                "summary_ticked_heading", "touch_to_begin", "choose_language"):
        assert s.get(key) in every, key


def test_each_language_is_offered_by_its_own_name(qtbot, deck):
    window = window_in(qtbot, deck, "es")
    start = window.current_page()
    names = {b.property("lang"): b.text() for b in start.lang_buttons}
    assert names == {code: lang.strings.get("language_name") for code, lang in deck.languages.items()}
    window.session.begin()
    assert window.language_button.words == deck.languages["en"].strings.get("language_name")
    assert window.language_button.accessibleName() == deck.languages["en"].strings.get("language_name")


def test_switching_language_mid_way_keeps_screen_and_ticks(qtbot, deck):
    window = window_in(qtbot, deck, "en")
    s = window.session
    s.go(next(n for n, sc in enumerate(deck.languages["en"].screens) if any(i.id == "q-cause" for i in sc.items)))
    screen = s.screen_id
    s.toggle("q-cause")
    window.language_button.click()
    assert s.language == "es" and s.screen_id == screen
    assert window.windowTitle() == deck.languages["es"].screen(screen).title  # what a screen reader says
    assert window.current_screen_id() == screen
    ticked = [t for t in window.current_page().ticks if t.isChecked()]
    assert [t.item_id for t in ticked] == ["q-cause"]
    assert ticked[0].label.text() == deck.languages["es"].item("q-cause").text
