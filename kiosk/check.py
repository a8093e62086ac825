"""``kiosk check``: every problem in a deck, one ``path:line: message`` line each."""

from __future__ import annotations

from pathlib import Path

from .deck import DeckError, Problem, load_deck


def check_deck(root: Path, default_language: str = "en") -> list[Problem]:
    try:
        deck = load_deck(root, default_language)
    except DeckError as e:
        return e.problems
    return list(deck.problems)


def run(root: Path, default_language: str, out) -> int:  # type: ignore[no-untyped-def]
    problems = check_deck(root, default_language)
    for p in problems:
        print(p, file=out)
    return 1 if problems else 0
