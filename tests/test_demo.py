"""Demo mode rules, without Qt: order, timing and ticks on the bundled deck."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kiosk.deck import load_deck
from kiosk.demo import DemoPolicy
from kiosk.resources import bundled_content


@dataclass
class Item:
    id: str


@dataclass
class Scr:
    id: str
    demo_seconds: float | None = None
    items: list[Item] = field(default_factory=list)


SCREENS = [Scr("start"), Scr("risk", 12), Scr("next", None, [Item("a"), Item("b"), Item("c")]), Scr("summary")]


def test_walks_every_screen_in_order_then_starts_over():
    p = DemoPolicy(SCREENS, 8)
    step = p.first()
    seen = [step.index]
    for _ in range(len(SCREENS)):
        step = p.after(step.index)
        seen.append(step.index)
    assert seen == [0, 1, 2, 3, 0]
    assert step.restart  # a new loop resets the session first
    assert not p.after(0).restart


def test_each_screen_stays_its_own_demo_seconds_or_the_default():
    p = DemoPolicy(SCREENS, 8)
    assert [p.step(i).seconds for i in range(4)] == [8, 12, 8, 8]
    assert p.loop_seconds() == 36


def test_ticks_a_few_items_so_the_summary_is_not_empty():
    p = DemoPolicy(SCREENS, 8)
    assert p.step(2).ticks == ("a", "b")
    assert p.step(1).ticks == ()


def test_needs_a_screen():
    with pytest.raises(ValueError):
        DemoPolicy([], 8)


def test_bundled_deck_demo_ticks_something_before_the_summary():
    lang = load_deck(bundled_content()).language("en")
    p = DemoPolicy(lang.screens, 8)
    summary = next(i for i, s in enumerate(lang.screens) if s.kind == "summary")
    ticked = [t for i in range(summary) for t in p.step(i).ticks]
    assert ticked, "the demo should reach the summary with something ticked"
