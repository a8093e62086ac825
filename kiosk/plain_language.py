"""Plain-language checks for ``kiosk check``: readability and length per screen.

Each screen's body text (``Screen.text``: paragraphs, tick items, and on the
sources screen the source lines) is measured with ``kiosk.readability``:
English with the Flesch-Kincaid grade (lower is easier), Spanish with the
Fernández-Huerta index (higher is easier). A language without a formula is
not scored; its word count is still checked, and so is a screen of fewer than
``MIN_SCORED_WORDS`` words (too few for a meaningful score). The deck average
is the plain mean of the scored screens of one language.

Readability needs the ``authoring`` extra (``kiosk.readability.available``);
without it only the word counts are checked, and ``kiosk check`` says that
readability was skipped.

Limits come from the ``[check]`` table of kiosk.toml (``Limits.from_config``).
A problem points at the line of the hardest sentence-bearing line of the
screen, so the author knows where to start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import render
from .deck import Deck, Language, Problem, Screen
from .readability import SUPPORTED, available, measure, plain_words

HINT = "shorten sentences, use shorter words"
MIN_LINE_WORDS = 4  # shorter lines are not worth pointing at
# A grade computed on a handful of words is noise ("Hello." is grade 8.4, "Here is what you
# chose." grade -1.8): shorter screens get the word count only and stay out of the average.
MIN_SCORED_WORDS = 20


@dataclass(frozen=True)
class Limits:
    max_words: int = 140
    en_max_grade: float = 7
    en_max_average_grade: float = 6
    es_min_score: float = 65
    es_min_average: float = 70

    @classmethod
    def from_config(cls, config: Any) -> Limits:
        """From a ``kiosk.config.Config`` (its validated ``[check]`` table)."""
        table = config.check
        return cls(**{k: getattr(table, k) for k in cls.__dataclass_fields__ if hasattr(table, k)})


@dataclass(frozen=True)
class Rule:
    """How one language's score is judged."""

    name: str  # what authors call the scale
    lower_is_easier: bool
    screen_limit: Callable[[Limits], float]
    average_limit: Callable[[Limits], float]

    def too_hard(self, score: float, limit: float) -> bool:
        return score > limit if self.lower_is_easier else score < limit

    def describe(self, score: float, limit: float) -> str:
        side = "above the limit" if self.lower_is_easier else "below the minimum"
        return f"{self.name} {score:.1f} is {side} {_num(limit)}"


RULES: dict[str, Rule] = {
    "en": Rule("Flesch-Kincaid grade", True, lambda m: m.en_max_grade, lambda m: m.en_max_average_grade),
    "es": Rule("Fernández-Huerta score", False, lambda m: m.es_min_score, lambda m: m.es_min_average),
}
assert set(RULES) == set(SUPPORTED), "every language readability can measure needs a rule here"


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def body_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, plain text) of each non-empty body line of a screen file."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        start = end + 1 if end is not None else 0
    out: list[tuple[int, str]] = []
    for i in range(start, len(lines)):
        raw = lines[i].strip()
        if not raw:
            continue
        d = render.FOOTNOTE_DEF.match(raw)
        if d:
            raw = d.group(2)
        raw = render.AUTHOR_ID.sub("", raw)
        text = render.plain_text(render.to_html(raw))
        if text:
            out.append((i + 1, text))
    return out


def first_body_line(path: Path) -> int:
    lines = body_lines(path)
    return lines[0][0] if lines else 1


def hardest_line(screen: Screen, lang: str) -> int:
    """The body line whose text reads hardest (first body line when none stands out)."""
    rule = RULES[lang]
    scored = [(measure(text, lang).score, n) for n, text in body_lines(screen.path)
              if len(plain_words(text)) >= MIN_LINE_WORDS]
    if not scored:
        return first_body_line(screen.path)
    if rule.lower_is_easier:
        return max(scored, key=lambda t: (t[0], -t[1]))[1]
    return min(scored, key=lambda t: (t[0], t[1]))[1]


def check_language(lang: Language, limits: Limits, readability: bool = True) -> list[Problem]:
    """Word counts always; readability scores when ``readability`` (the authoring extra is installed)."""
    problems: list[Problem] = []
    rule = RULES.get(lang.code) if readability else None
    scores: list[float] = []
    for screen in lang.screens:
        words = len(plain_words(screen.text))
        if words > limits.max_words:
            problems.append(Problem(screen.path, first_body_line(screen.path),
                                    f"{words} words of body text, the limit is {limits.max_words}; "
                                    f"{HINT}, or split the screen in two"))
        if rule is None or words < MIN_SCORED_WORDS:
            continue
        score = measure(screen.text, lang.code).score
        scores.append(score)
        limit = rule.screen_limit(limits)
        if rule.too_hard(score, limit):
            problems.append(Problem(screen.path, hardest_line(screen, lang.code),
                                    f"{rule.describe(score, limit)} for a screen; {HINT} "
                                    "(the hardest line is this one)"))
    if rule is not None and scores:
        average = sum(scores) / len(scores)
        limit = rule.average_limit(limits)
        if rule.too_hard(average, limit):
            problems.append(Problem(lang.folder, 1,
                                    f"average {rule.describe(average, limit)} over {len(scores)} screens; "
                                    f"{HINT} on the hardest screens"))
    return problems


def check_plain_language(deck: Deck, limits: Limits | None = None,
                         readability: bool | None = None) -> list[Problem]:
    """Readability and word-count problems of every language of a loaded deck.

    ``readability`` None: score readability when the authoring extra is installed.
    """
    limits = limits or Limits()
    score = available() if readability is None else readability
    return [p for lang in deck.languages.values() for p in check_language(lang, limits, score)]
