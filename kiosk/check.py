"""``kiosk check``: every problem in a deck, one ``path:line: message`` line each.

Four kinds of problem, in this order: what the loader found in each file
(``kiosk.deck``: front matter, Markdown, footnotes and sources, strings),
language parity (``kiosk.parity``), factual sentences without a source
(``kiosk.citations``), plain language (``kiosk.plain_language``: readability and
words per screen, limits from the ``[check]`` config table), then each language's
pronunciation list for speech (``speech.yaml``, ``kiosk.speech_text``).

Readability needs the ``authoring`` extra. Without it every other check runs,
a note on standard error says readability was skipped and how to add it, and
the exit code is the other checks' result.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TextIO

from .citations import check_citations
from .deck import Deck, DeckError, Problem, load_deck
from .parity import check_parity, superseded
from .plain_language import Limits, check_plain_language
from .readability import INSTALL_HINT, missing
from .speech_text import check_pronunciations

log = logging.getLogger(__name__)


def check_loaded(deck: Deck, limits: Limits | None = None) -> list[Problem]:
    """Every problem of a deck that loaded (also used by ``kiosk preview``)."""
    parity = check_parity(deck)
    problems = [p for p in deck.problems if not superseded(p, parity)]
    cites = [p for lang in deck.languages.values() for p in check_citations(lang)]
    return problems + parity + cites + check_plain_language(deck, limits) + check_pronunciations(deck)


def check_deck(root: Path, default_language: str = "en", limits: Limits | None = None) -> list[Problem]:
    try:
        deck = load_deck(root, default_language)
    except DeckError as e:
        return e.problems
    return check_loaded(deck, limits)


def skipped() -> list[str]:
    """Checks that cannot run here, each as one sentence with the way to enable it."""
    why = missing()
    if why is None:
        return []
    return [f"readability (Flesch-Kincaid, Fernández-Huerta) skipped: {why}; "
            f"add the authoring extra to check it: {INSTALL_HINT}"]


def run(root: Path, default_language: str, out: TextIO, limits: Limits | None = None,
        err: TextIO | None = None) -> int:
    """``kiosk check``: problems on ``out``; notes about skipped checks on ``err`` (stderr)."""
    for note in skipped():
        print(f"kiosk check: {note}", file=err or sys.stderr)
    try:
        problems = check_deck(root, default_language, limits)
    except Exception as e:  # a bug here must still end in one line, not a traceback
        log.debug("kiosk check failed", exc_info=True)
        print(f"{root}:1: the check itself failed ({type(e).__name__}: {e}); please report this", file=out)
        return 1
    for p in problems:
        print(p, file=out)
    return 1 if problems else 0
