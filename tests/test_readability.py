"""Readability scores: known values, clear errors, and no network ever."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import nltk
import pytest

from kiosk.readability import SUPPORTED, Readability, measure, plain_words

REPO = Path(__file__).resolve().parents[1]

SIMPLE_EN = "The cat sat on the mat."
HARD_EN = (
    "Comprehensive radiological interpretation necessitates considerable "
    "specialized professional education and extensive clinical experience."
)
SIMPLE_ES = "El gato come pan."
HARD_ES = (
    "La interpretación radiológica exhaustiva necesita considerable formación "
    "profesional especializada y extensa experiencia clínica."
)


def _no_network(*args: object, **kwargs: object) -> None:
    raise OSError("network is disabled in this test")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No sockets, no NLTK data, and a loud failure if NLTK tries to download."""
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    monkeypatch.setenv("NLTK_DATA", str(empty))
    monkeypatch.setattr(nltk.data, "path", [str(empty)])

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("readability must not download NLTK data")

    monkeypatch.setattr(nltk, "download", no_download)
    return empty


def test_plain_words_drop_punctuation_and_keep_accents() -> None:
    assert plain_words("¿Qué muestra mi resonancia? ¡Pregunte!") == [
        "Qué",
        "muestra",
        "mi",
        "resonancia",
        "Pregunte",
    ]
    assert plain_words("A follow-up visit, isn't it?") == [
        "A",
        "follow-up",
        "visit",
        "isn't",
        "it",
    ]


@pytest.mark.usefixtures("offline")
def test_very_simple_english_sentence_has_the_formula_grade() -> None:
    # 6 one-syllable words in 1 sentence: 0.39 * 6 + 11.8 * 1 - 15.59
    result = measure(SIMPLE_EN, "en")
    assert result == Readability(lang="en", words=6, score=pytest.approx(-1.45), scale="flesch_kincaid_grade")


@pytest.mark.usefixtures("offline")
def test_long_technical_english_sentence_reads_at_college_level() -> None:
    assert measure(HARD_EN, "en").score > 16


@pytest.mark.usefixtures("offline")
def test_english_uses_the_cmu_dictionary_not_hyphenation() -> None:
    # Hyphenation (Pyphen) cannot split "fire", so it would count 1 syllable;
    # the CMU dictionary says 2 (F AY1 ER0): 0.39 * 1 + 11.8 * 2 - 15.59.
    assert measure("Fire.", "en").score == pytest.approx(8.4)


@pytest.mark.usefixtures("offline")
def test_very_simple_spanish_sentence_has_the_formula_score() -> None:
    # el(1) ga-to(2) co-me(2) pan(1): 6 syllables, 4 words, 1 sentence
    # 206.84 - 60 * 1.5 - 1.02 * 4
    result = measure(SIMPLE_ES, "es")
    assert result == Readability(lang="es", words=4, score=pytest.approx(112.76), scale="fernandez_huerta")


@pytest.mark.usefixtures("offline")
def test_long_technical_spanish_sentence_is_very_hard() -> None:
    assert measure(HARD_ES, "es").score < 30


def test_supported_languages_name_their_scales() -> None:
    assert SUPPORTED == {"en": "flesch_kincaid_grade", "es": "fernandez_huerta"}


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"'fr'.*supported languages are en, es"):
        measure("Bonjour.", "fr")


def test_fresh_process_measures_english_without_network_or_nltk_data(
    tmp_path: Path,
) -> None:
    """A new interpreter (empty caches) with no network and no NLTK data.

    Without the packaged dictionary, textstat would try ``nltk.download`` here
    and fail with a LookupError.
    """
    empty = tmp_path / "empty"
    empty.mkdir()
    script = (
        "import socket\n"
        "def no(*a, **k): raise OSError('network is disabled')\n"
        "socket.socket.connect = no\n"
        "socket.create_connection = no\n"
        "socket.getaddrinfo = no\n"
        "from kiosk.readability import measure\n"
        f"print(round(measure({SIMPLE_EN!r}, 'en').score, 2))\n"
        f"print(round(measure({SIMPLE_ES!r}, 'es').score, 2))\n"
    )
    env = {
        **os.environ,
        "NLTK_DATA": str(empty),
        "HOME": str(empty),
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=empty,
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["-1.45", "112.76"]
