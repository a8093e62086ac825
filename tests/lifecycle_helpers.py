"""Windows with short idle/demo/staff timings for the lifecycle UI tests."""

from __future__ import annotations

from typing import Any

from kiosk import config as config_mod
from kiosk.deck import Deck, load_deck
from kiosk.resources import bundled_content
from kiosk.ui.window import KioskWindow
from tests.clock import FakeClock


def make_config(**dotted: Any) -> config_mod.Config:
    """Defaults with ``section__key=value`` overrides (set directly: tests may go below the minimums)."""
    tables: dict[str, Any] = {"display": {"transition_ms": 0}}
    for name, value in dotted.items():
        section, _, key = name.partition("__")
        if key:
            tables.setdefault(section, {})[key] = value
        else:
            tables[section] = value
    return config_mod.Config().with_values(**tables)


def make_window(qtbot, deck: Deck | None = None, **dotted: Any) -> KioskWindow:
    deck = deck or load_deck(bundled_content())
    w = KioskWindow(deck, make_config(**dotted), speech_engine="mock")
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w._painted)  # noqa: SLF001 (a patient meets a drawn screen: input is watched from then on)
    return w


def first_item_screen(w: KioskWindow) -> int:
    return next(i for i, s in enumerate(w.language.screens) if s.items)


def use_fake_clock(w: KioskWindow, clock: FakeClock) -> None:
    """Drive the idle controller by hand: advance ``clock`` and call ``w.idle.check()``."""
    w.idle.policy.clock = clock
    w.idle.filter.clock = clock
    w.idle.filter.last_input = clock()
    w.idle.policy.last_activity = clock()


def downs_to_ticks(qtbot, config: config_mod.Config, size: tuple[int, int], screen_id: str) -> list[int]:
    """How many presses of the keypad's Down reach each question on ``screen_id`` (same code,
    fonts and layout as the real window, offscreen), for real-window tests that tick by keys."""
    w = KioskWindow(load_deck(bundled_content()), config, speech_engine="mock")
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    w.session.go(w.session.screen_ids.index(screen_id))
    qtbot.wait(1)
    focusable = w.keypad.focusable()
    return [focusable.index(t) + 1 for t in w.current_page().ticks]
