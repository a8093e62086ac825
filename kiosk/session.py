"""What one patient's visit is: screen, ticks, language, text size, contrast,
speech, mode, demo.

Plain Python, no Qt. ``Session`` is the only owner of this state: everything
else reads it through properties, changes it through the methods below, and
hears about changes through its signals. ``reset()`` is the privacy reset:
everything a patient chose goes back to the defaults in one place.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any

TEXT_SIZES = ("normal", "large", "largest")
CONTRASTS = ("normal", "high")


class Mode(enum.Enum):
    START = "start"  # attract screen, no timers run
    BROWSING = "browsing"
    IDLE_WARNING = "idle_warning"
    DEMO = "demo"  # the demo is playing by itself
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
    def __init__(self, screen_ids: list[str], default_language: str = "en",
                 default_contrast: str = "normal") -> None:
        self._screen_ids = list(screen_ids)
        self._default_language = default_language
        self._default_contrast = default_contrast if default_contrast in CONTRASTS else "normal"
        self._index = 0
        self._language = default_language
        self._text_size = 0
        self._contrast = self._default_contrast
        self._speech = False
        self._ticks: set[str] = set()
        self._mode = Mode.START
        self._used = False  # anything happened since the last reset (Start may hold choices)
        self._demo = False  # demo mode is on (playing, or paused by a visitor)
        self.screen_changed = Signal()  # (index)
        self.ticks_changed = Signal()  # (frozenset of ids)
        self.tick_toggled = Signal()  # (item id, checked): only what shows that item updates
        self.language_changed = Signal()  # (code)
        self.text_size_changed = Signal()  # (index into TEXT_SIZES)
        self.contrast_changed = Signal()  # (name in CONTRASTS)
        self.speech_changed = Signal()  # (on)
        self.mode_changed = Signal()  # (Mode)
        self.demo_changed = Signal()  # (on)
        self.about_to_reset = Signal()  # (reason) before anything is forgotten (usage figures read the visit)
        self.was_reset = Signal()  # ()
        self.finished = Signal()  # () the patient said they are done (before the reset)

    # -- reading ------------------------------------------------------------
    @property
    def screen_ids(self) -> tuple[str, ...]:
        return tuple(self._screen_ids)

    @property
    def index(self) -> int:
        return self._index

    @property
    def count(self) -> int:
        return len(self._screen_ids)

    @property
    def screen_id(self) -> str:
        return self._screen_ids[self._index]

    def journey_id(self, index: int) -> str:
        return self._screen_ids[index]

    @property
    def language(self) -> str:
        return self._language

    @property
    def default_language(self) -> str:
        return self._default_language

    @property
    def ticks(self) -> frozenset[str]:
        return frozenset(self._ticks)

    @property
    def text_size(self) -> int:
        return self._text_size

    @property
    def contrast(self) -> str:
        return self._contrast

    @property
    def speech(self) -> bool:
        return self._speech

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def used(self) -> bool:
        return self._used

    @property
    def demo(self) -> bool:
        """Demo mode is on: playing, or paused while a visitor explores."""
        return self._demo

    @property
    def is_demo(self) -> bool:
        """A demo never prints and is never counted as patient use."""
        return self._demo or self._mode is Mode.DEMO

    @property
    def at_end(self) -> bool:
        return self._index == self.count - 1

    # -- navigation -------------------------------------------------------
    def go(self, index: int) -> None:
        index = max(0, min(index, self.count - 1))
        if index == self._index:
            return
        self._index = index
        self._used = True
        if index == 0 and self._mode is Mode.BROWSING:
            self.set_mode(Mode.START)
        elif index > 0 and self._mode is Mode.START:
            self.set_mode(Mode.BROWSING)
        self.screen_changed.emit(index)

    def go_to(self, screen_id: str) -> None:
        if screen_id in self._screen_ids:
            self.go(self._screen_ids.index(screen_id))

    def begin(self) -> None:
        self.go(1)

    def next(self) -> None:
        self.go(self._index + 1)

    def back(self) -> None:
        self.go(self._index - 1)

    def home(self) -> None:
        self.go(0)

    def set_screens(self, screen_ids: list[str], default_language: str | None = None,
                    known_items: Iterable[str] | None = None) -> None:
        """Another language or a reloaded deck: stay on the same screen by id.

        Languages need not have the same screens (a broken file is left out),
        so a missing screen falls back to the nearest earlier one that exists.
        A reloaded deck may also change the default language and drop ticks of
        questions it no longer has. Emits nothing: the caller shows the screen.
        """
        old = self._screen_ids[: self._index + 1]
        self._screen_ids = list(screen_ids)
        kept = [sid for sid in old if sid in self._screen_ids]
        self._index = self._screen_ids.index(kept[-1]) if kept else 0
        if default_language is not None:
            self._default_language = default_language
        if known_items is not None:
            self._ticks &= set(known_items)

    # -- choices ----------------------------------------------------------
    def toggle(self, item_id: str) -> bool:
        self._used = True
        checked = item_id not in self._ticks
        if checked:
            self._ticks.add(item_id)
        else:
            self._ticks.discard(item_id)
        self.tick_toggled.emit(item_id, checked)
        self.ticks_changed.emit(frozenset(self._ticks))
        return checked

    def set_language(self, code: str) -> None:
        if code != self._language:
            self._used = True
            self._language = code
            self.language_changed.emit(code)

    def set_text_size(self, size: int) -> int:
        size = max(0, min(size, len(TEXT_SIZES) - 1))
        if size != self._text_size:
            self._used = True
            self._text_size = size
            self.text_size_changed.emit(size)
        return self._text_size

    def text_larger(self) -> int:
        return self.set_text_size(self._text_size + 1)

    def text_smaller(self) -> int:
        return self.set_text_size(self._text_size - 1)

    def set_contrast(self, contrast: str) -> None:
        if contrast in CONTRASTS and contrast != self._contrast:
            self._used = True
            self._contrast = contrast
            self.contrast_changed.emit(contrast)

    def toggle_contrast(self) -> None:
        self.set_contrast("high" if self._contrast == "normal" else "normal")

    def set_speech(self, on: bool) -> None:
        if on != self._speech:
            self._used = True
            self._speech = on
            self.speech_changed.emit(on)

    def set_mode(self, mode: Mode) -> None:
        if mode is not self._mode:
            self._mode = mode
            self.mode_changed.emit(mode)

    def set_demo(self, on: bool) -> None:
        if on != self._demo:
            self._demo = on
            self.demo_changed.emit(on)

    # -- privacy ----------------------------------------------------------
    def finish(self) -> None:
        """"I'm finished": announce it, then forget everything."""
        self.finished.emit()
        self.reset("finished")

    def reset(self, reason: str = "start_over") -> None:
        """Forget everything the patient did and go back to Start.

        ``reason``: "start_over", "finished", "idle", or "demo", "staff", "recover"."""
        self.about_to_reset.emit(reason)
        self._ticks = set()
        self.ticks_changed.emit(frozenset())
        if self._speech:
            self._speech = False
            self.speech_changed.emit(False)
        if self._language != self._default_language:
            self._language = self._default_language
            self.language_changed.emit(self._language)
        if self._text_size != 0:
            self._text_size = 0
            self.text_size_changed.emit(0)
        if self._contrast != self._default_contrast:
            self._contrast = self._default_contrast
            self.contrast_changed.emit(self._contrast)
        self._index = 0
        self._used = False
        self.set_mode(Mode.START)
        self.screen_changed.emit(0)
        self.was_reset.emit()
