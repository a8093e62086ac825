"""What one patient is doing: screen, ticks, language, text size, mode.

Plain Python, no Qt. The Qt shell observes these signals and forwards
touches to the methods. ``reset()`` is the privacy reset: everything a
patient chose goes back to the defaults in one place.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

TEXT_SIZES = ("normal", "large", "largest")


class Mode(enum.Enum):
    START = "start"  # attract screen, no timers run
    BROWSING = "browsing"
    IDLE_WARNING = "idle_warning"
    DEMO = "demo"
    STAFF = "staff"


class Signal:
    """A minimal observer list (bound methods, so no lambda keeps a page alive)."""

    def __init__(self) -> None:
        self._slots: list[Callable[..., Any]] = []

    def connect(self, slot: Callable[..., Any]) -> None:
        self._slots.append(slot)

    def disconnect(self, slot: Callable[..., Any]) -> None:
        if slot in self._slots:
            self._slots.remove(slot)

    def emit(self, *args: Any) -> None:
        for slot in list(self._slots):
            slot(*args)


class Session:
    def __init__(self, screen_ids: list[str], default_language: str = "en") -> None:
        self.screen_ids = list(screen_ids)
        self.default_language = default_language
        self.index = 0
        self.language = default_language
        self.text_size = 0
        self.ticks: set[str] = set()
        self.mode = Mode.START
        self.used = False  # anything happened since the last reset (Start may hold choices)
        self.demo = False  # a demo run (playing or paused by a visitor); see is_demo
        self.screen_changed = Signal()  # (index)
        self.ticks_changed = Signal()  # (frozenset of ids)
        self.language_changed = Signal()  # (code)
        self.text_size_changed = Signal()  # (index into TEXT_SIZES)
        self.mode_changed = Signal()  # (Mode)
        self.was_reset = Signal()  # ()

    # -- navigation -------------------------------------------------------
    @property
    def count(self) -> int:
        return len(self.screen_ids)

    @property
    def screen_id(self) -> str:
        return self.screen_ids[self.index]

    def go(self, index: int) -> None:
        index = max(0, min(index, self.count - 1))
        if index == self.index:
            return
        self.index = index
        self.used = True
        if index == 0 and self.mode is Mode.BROWSING:
            self.set_mode(Mode.START)
        elif index > 0 and self.mode is Mode.START:
            self.set_mode(Mode.BROWSING)
        self.screen_changed.emit(index)

    def begin(self) -> None:
        self.go(1)

    def next(self) -> None:
        self.go(self.index + 1)

    def back(self) -> None:
        self.go(self.index - 1)

    def home(self) -> None:
        self.go(0)

    @property
    def at_end(self) -> bool:
        return self.index == self.count - 1

    def set_screens(self, screen_ids: list[str]) -> None:
        """Another language or a reloaded deck: stay on the same screen by id.

        Languages need not have the same screens (a broken file is left out),
        so a missing screen falls back to the nearest earlier one that exists.
        Emits nothing: the caller shows the screen it now has.
        """
        old = self.screen_ids[: self.index + 1]
        self.screen_ids = list(screen_ids)
        kept = [sid for sid in old if sid in self.screen_ids]
        self.index = self.screen_ids.index(kept[-1]) if kept else 0

    # -- choices ----------------------------------------------------------
    def toggle(self, item_id: str) -> bool:
        self.used = True
        if item_id in self.ticks:
            self.ticks.discard(item_id)
        else:
            self.ticks.add(item_id)
        self.ticks_changed.emit(frozenset(self.ticks))
        return item_id in self.ticks

    def set_language(self, code: str) -> None:
        if code != self.language:
            self.used = True
            self.language = code
            self.language_changed.emit(code)

    def cycle_text_size(self) -> int:
        self.used = True
        self.text_size = (self.text_size + 1) % len(TEXT_SIZES)
        self.text_size_changed.emit(self.text_size)
        return self.text_size

    @property
    def is_demo(self) -> bool:
        """True during a demo run, also while a visitor explores a paused demo.

        A demo never prints and is never counted as patient use.
        """
        return self.demo or self.mode is Mode.DEMO

    def set_mode(self, mode: Mode) -> None:
        if mode is not self.mode:
            self.mode = mode
            self.mode_changed.emit(mode)

    # -- privacy ----------------------------------------------------------
    def reset(self) -> None:
        """Forget everything the patient did and go back to Start."""
        self.ticks = set()
        self.ticks_changed.emit(frozenset())
        if self.language != self.default_language:
            self.language = self.default_language
            self.language_changed.emit(self.language)
        if self.text_size != 0:
            self.text_size = 0
            self.text_size_changed.emit(0)
        self.index = 0
        self.used = False
        self.set_mode(Mode.START)
        self.screen_changed.emit(0)
        self.was_reset.emit()
