"""Demo mode rules: which screen next, for how long, what to tick. Plain Python.

A demo run loops forever from Start: every screen in deck order, each for the
screen's ``demo_seconds`` or ``[demo] seconds_per_screen``, ticking a few
items on the way so the summary shows something; after the last screen it
starts over (a privacy reset, like a real patient leaving). A demo never
prints and is never counted as patient use (``Session.is_demo``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

TICKS_PER_SCREEN = 2


class _Item(Protocol):
    id: str


class DemoScreen(Protocol):
    """What the policy needs from a deck screen (``kiosk.deck.Screen`` fits)."""

    id: str

    @property
    def demo_seconds(self) -> float | None: ...

    @property
    def items(self) -> Sequence[_Item]: ...


@dataclass(frozen=True)
class DemoStep:
    index: int  # screen to show
    seconds: float  # how long it stays
    ticks: tuple[str, ...]  # item ids to tick when it shows
    restart: bool  # True: a new loop (reset the session first)


class DemoPolicy:
    def __init__(self, screens: Sequence[DemoScreen], seconds_per_screen: float = 8,
                 ticks_per_screen: int = TICKS_PER_SCREEN) -> None:
        if not screens:
            raise ValueError("a demo needs at least one screen")
        self.screens = list(screens)
        self.seconds_per_screen = float(seconds_per_screen)
        self.ticks_per_screen = ticks_per_screen

    def seconds_for(self, index: int) -> float:
        own = self.screens[index].demo_seconds
        return float(own) if own else self.seconds_per_screen

    def ticks_for(self, index: int) -> tuple[str, ...]:
        return tuple(item.id for item in list(self.screens[index].items)[: self.ticks_per_screen])

    def step(self, index: int) -> DemoStep:
        """The step that shows screen ``index``."""
        return DemoStep(index, self.seconds_for(index), self.ticks_for(index), restart=index == 0)

    def first(self) -> DemoStep:
        return self.step(0)

    def after(self, index: int) -> DemoStep:
        """The step after screen ``index``: the next screen, or Start again."""
        return self.step((index + 1) % len(self.screens))

    def loop_seconds(self) -> float:
        return sum(self.seconds_for(i) for i in range(len(self.screens)))
