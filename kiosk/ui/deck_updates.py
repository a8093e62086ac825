"""A new deck version (``kiosk deck install``) is adopted at the next return to Start.

Never in the middle of a patient's visit: the check runs when the session is
reset (Start over, finish, idle), costs one ``readlink``, and loads the new
deck only when the installed version changed. A deck that fails to load keeps
the last good one on screen.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from .. import deckstore
from ..deck import DeckError, load_deck
from ..session import Session
from .state import DeckHolder

log = logging.getLogger(__name__)


class DeckUpdates(QObject):
    adopted = Signal(str)  # the installed folder name now showing

    def __init__(self, session: Session, holder: DeckHolder, state_dir: Path, default_language: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._holder = holder
        self._state = state_dir
        self._language = default_language
        self._name = deckstore.current_name(state_dir)
        session.was_reset.connect(self.check)

    def check(self) -> bool:
        """Adopt the installed version if it changed; True when it did."""
        name = deckstore.current_name(self._state)
        if name is None or name == self._name:
            return False
        folder = deckstore.active_deck_dir(self._state)
        if folder is None:
            return False
        try:
            deck = load_deck(folder, self._language)
        except DeckError as e:
            log.warning("deck %s cannot be shown; keeping the current one:\n%s", name, e)
            self._name = name  # do not retry on every return to Start
            return False
        self._name = name
        manifest = deckstore.manifest_or_none(folder)
        log.info("deck version %s (%s) now showing", manifest.version if manifest else name, name)
        self._holder.set_deck(deck)
        self.adopted.emit(name)
        return True
