"""Two small owners the Qt side shares: the deck on show, and how things look.

``DeckHolder`` owns the loaded deck (staff Reload and a new installed version
replace it); ``Look`` owns the current ``View`` (sizes from the window and
panel, the patient's text size and contrast). Controllers receive them in
their constructors and listen to ``changed``; nobody reaches into the window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..deck import Deck, Language
from ..session import CONTRASTS, Session
from .theme import DEFAULT_PX_PER_MM, Metrics, View


class DeckHolder(QObject):
    changed = Signal(object)  # Deck

    def __init__(self, deck: Deck, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._deck = deck

    @property
    def deck(self) -> Deck:
        return self._deck

    def set_deck(self, deck: Deck) -> None:
        self._deck = deck
        self.changed.emit(deck)

    def language(self, code: str) -> Language:
        return self._deck.language(code)


class Look(QObject):
    """The current View; ``changed`` says which parts changed (sizes, theme)."""

    changed = Signal(object, bool, bool)  # View, metrics changed, theme changed

    def __init__(self, session: Session, family: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._family = family
        self._size = (1280, 800)
        self._px_per_mm = DEFAULT_PX_PER_MM
        self._view = self._make()
        session.text_size_changed.connect(self._on_session)
        session.contrast_changed.connect(self._on_session)

    @property
    def view(self) -> View:
        return self._view

    @property
    def metrics(self) -> Metrics:
        return self._view.metrics

    def set_window(self, width: int, height: int, px_per_mm: float) -> None:
        self._size = (width, height)
        self._px_per_mm = px_per_mm
        self._update()

    def _on_session(self, *args: object) -> None:
        self._update()

    def _make(self) -> View:
        w, h = self._size
        m = Metrics.for_size(w, h, self._session.text_size, self._px_per_mm)
        theme = self._session.contrast if self._session.contrast in CONTRASTS else "normal"
        return View(m, theme, self._family)

    def _update(self) -> None:
        new = self._make()
        if new != self._view:
            old, self._view = self._view, new
            self.changed.emit(new, new.metrics != old.metrics, new.theme != old.theme)
