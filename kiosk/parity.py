"""Language parity for ``kiosk check``: every language tells the same story.

The reference is the deck's default language (the first in ``deck.languages``).
Every other language must have the same screen ids, the same tickable item
ids, the same footnote numbers cited on each screen and defined on the
sources screen, the same number of pictures per screen, the same quiz
statements (count and true/false answers, in order), and every interface string. Each difference is reported on
the file the author has to change, in both directions ("exists in en but not
in es" on the es file, "exists in es but not in en" on the es file too, since
that is where the stray id sits).

Citations resolving within one language (every source cited, every footnote
defined) is checked by ``kiosk.deck`` while loading, not here.
"""

from __future__ import annotations

from .deck import Deck, Language, Problem, Screen, cut


def _item_lines(screen: Screen) -> dict[str, int]:
    return {i.id: i.line for i in screen.items}


def _compare_screen(ref_code: str, ref: Screen, code: str, other: Screen) -> list[Problem]:
    problems: list[Problem] = []
    ref_items, items = _item_lines(ref), _item_lines(other)
    for iid in ref_items:
        if iid not in items:
            problems.append(Problem(other.path, 1, f"item '{cut(iid)}' exists in {ref_code} but not in {code}"))
    for iid, line in items.items():
        if iid not in ref_items:
            problems.append(Problem(other.path, line, f"item '{cut(iid)}' exists in {code} but not in {ref_code}; "
                                    f"use the same ids as {ref.path.name} in {ref_code}"))
    for fid in ref.cites:
        if fid not in other.cites:
            problems.append(Problem(other.path, 1, f"footnote [^{cut(fid)}] is cited in {ref_code} but not in {code}"))
    for fid, line in other.cites.items():
        if fid not in ref.cites:
            problems.append(Problem(other.path, line,
                                    f"footnote [^{cut(fid)}] is cited in {code} but not in {ref_code}"))
    problems += _compare_quiz(ref_code, ref, code, other)
    if len(ref.images) != len(other.images):
        problems.append(Problem(other.path, 1, f"screen '{other.id}' has {len(other.images)} picture(s) in {code} "
                                f"but {len(ref.images)} in {ref_code}"))
    if ref.kind != other.kind:
        problems.append(Problem(other.path, 1, f"screen '{other.id}' is a '{other.kind}' screen in {code} "
                                f"but a '{ref.kind}' screen in {ref_code}"))
    return problems


def _compare_quiz(ref_code: str, ref: Screen, code: str, other: Screen) -> list[Problem]:
    """A check-yourself screen asks the same statements, with the same answers, in every language."""
    if len(ref.quiz) != len(other.quiz):
        line = other.quiz[0].line if other.quiz else 1
        return [Problem(other.path, line, f"quiz has {len(other.quiz)} statements in {code} "
                        f"but {len(ref.quiz)} in {ref_code}")]
    return [Problem(other.path, mine.line, f"quiz statement {n} is {str(mine.answer).lower()} in {code} "
                    f"but {str(theirs.answer).lower()} in {ref_code}")
            for n, (theirs, mine) in enumerate(zip(ref.quiz, other.quiz, strict=True), start=1)
            if theirs.answer != mine.answer]


def _compare_sources(ref: Language, other: Language) -> list[Problem]:
    where = next((s.path for s in other.screens if s.kind == "sources"), other.folder)
    problems = []
    for fid in ref.sources:
        if fid not in other.sources:
            problems.append(Problem(where, 1, f"source [^{cut(fid)}] is defined in {ref.code} but not in {other.code}"))
    for fid in other.sources:
        if fid not in ref.sources:
            problems.append(Problem(where, 1, f"source [^{cut(fid)}] is defined in {other.code} but not in {ref.code}"))
    return problems


def _compare_strings(ref: Language, other: Language) -> list[Problem]:
    path = other.folder / "strings.yaml"
    # counted keys compare by name only: each language has its own plural forms
    ref_keys, keys = sorted(ref.strings.base_keys()), other.strings.base_keys()
    problems = [Problem(path, 1, f"missing key '{cut(key)}' (present in {ref.code})")
                for key in ref_keys if key not in keys]
    problems += [Problem(path, 1, f"key '{cut(key)}' exists in {other.code} but not in {ref.code}")
                 for key in sorted(keys) if key not in ref_keys]
    return problems


def _compare(ref: Language, other: Language) -> list[Problem]:
    problems: list[Problem] = []
    ref_ids = [s.id for s in ref.screens]
    for screen in ref.screens:
        mine = other.screen(screen.id)
        if mine is None:
            expected = other.folder / screen.path.name
            problems.append(Problem(expected, 1, f"screen '{screen.id}' exists in {ref.code} but not in "
                                    f"{other.code}; translate {screen.path.name}"))
        else:
            problems += _compare_screen(ref.code, screen, other.code, mine)
    for screen in other.screens:
        if screen.id not in ref_ids:
            problems.append(Problem(screen.path, 1, f"screen '{screen.id}' exists in {other.code} but not in "
                                    f"{ref.code}; use the same screen ids in every language"))
    return problems + _compare_sources(ref, other) + _compare_strings(ref, other)


def check_parity(deck: Deck) -> list[Problem]:
    """Differences between the default language and each other language."""
    langs = list(deck.languages.values())
    if len(langs) < 2:
        return []
    ref = langs[0]
    return [p for other in langs[1:] for p in _compare(ref, other)]


def superseded(problem: Problem, parity: list[Problem]) -> bool:
    """A loader problem that a parity problem says better (same file, same missing key)."""
    if not problem.message.startswith("missing key '"):
        return False
    key = problem.message.split("'")[1]
    return any(p.path == problem.path and p.message.startswith(f"missing key '{cut(key)}' (present in ")
               for p in parity)

