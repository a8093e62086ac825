"""``kiosk check``: loader problems, language parity and plain language, as path:line lines."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, validate
from kiosk.resources import bundled_content
from tests.decks import copy_bundled

HARD = ("Notwithstanding considerable interindividual variability, radiological manifestations frequently "
        "demonstrate questionable correlation with symptomatology, necessitating comprehensive "
        "multidisciplinary interpretation incorporating longitudinal clinical documentation.")


@pytest.fixture(autouse=True)
def no_user_config(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def check(*args: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(["check", *args], out=out)
    return code, out.getvalue().splitlines()


@pytest.fixture
def deck(tmp_path) -> Path:
    return copy_bundled(tmp_path / "content")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_bundled_deck_passes_silently():
    assert check("--content", str(bundled_content())) == (0, [])


def test_long_hard_sentence_is_reported_on_its_line(deck):
    screen = deck / "en" / "20-doctor-review.md"
    screen.write_text(screen.read_text(encoding="utf-8") + f"\n{HARD}\n", encoding="utf-8")
    code, lines = check("--content", str(deck))
    assert code == 1
    grade = [ln for ln in lines if "Flesch-Kincaid grade" in ln and "for a screen" in ln]
    assert len(grade) == 1, lines
    assert grade[0].startswith(f"{screen}:{line_of(screen, 'Notwithstanding')}: Flesch-Kincaid grade ")
    assert "is above the limit 7" in grade[0]
    assert "shorten sentences, use shorter words" in grade[0]


def test_too_many_words_names_the_count_and_the_limit(deck):
    screen = deck / "en" / "30-next-steps.md"
    screen.write_text(screen.read_text(encoding="utf-8") + "\nAsk your doctor today. " * 12, encoding="utf-8")
    code, lines = check("--content", str(deck))
    assert code == 1
    assert any(ln.startswith(f"{screen}:") and "words of body text, the limit is 140" in ln for ln in lines), lines


def test_hard_spanish_is_scored_with_fernandez_huerta(deck):
    screen = deck / "es" / "10-mri-risk.md"
    hard = ("La interpretación radiológica especializada necesariamente considera características "
            "anatómicas, antecedentes clínicos, manifestaciones sintomatológicas e investigaciones complementarias.")
    screen.write_text(screen.read_text(encoding="utf-8") + f"\n{hard}\n", encoding="utf-8")
    code, lines = check("--content", str(deck))
    assert code == 1
    assert any(ln.startswith(f"{screen}:{line_of(screen, 'interpretación radiológica')}: Fernández-Huerta score ")
               and "is below the minimum 65" in ln for ln in lines), lines


def test_missing_spanish_item_is_named_on_the_spanish_file(deck):
    es = deck / "es" / "30-next-steps.md"
    edit(es, "- [ ] ¿Este hallazgo podría ser la causa de mi dolor? {#q-cause}\n", "")
    code, lines = check("--content", str(deck))
    assert code == 1
    assert f"{es}:1: item 'q-cause' exists in en but not in es" in lines


def test_missing_spanish_screen_names_the_file_to_write(deck):
    (deck / "es" / "20-doctor-review.md").unlink()
    code, lines = check("--content", str(deck))
    assert code == 1
    assert any(ln.startswith(f"{deck / 'es' / '20-doctor-review.md'}:1: screen 'doctor-review' exists in en "
                             "but not in es") for ln in lines), lines


def test_missing_spanish_string_is_named_once(deck):
    strings = deck / "es" / "strings.yaml"
    lines_in = strings.read_text(encoding="utf-8").splitlines()
    strings.write_text("\n".join(ln for ln in lines_in if not ln.startswith("print_done:")) + "\n",
                       encoding="utf-8")
    code, lines = check("--content", str(deck))
    assert code == 1
    named = [ln for ln in lines if "'print_done'" in ln]
    assert named == [f"{strings}:1: missing key 'print_done' (present in en)"]


def test_footnote_cited_in_one_language_only(deck):
    es = deck / "es" / "10-mri-risk.md"
    text = es.read_text(encoding="utf-8")
    es.write_text(text.replace("[^2]", ""), encoding="utf-8")
    code, lines = check("--content", str(deck))
    assert code == 1
    assert f"{es}:1: footnote [^2] is cited in en but not in es" in lines


def test_sources_cited_and_resolved_per_language_are_checked_by_the_loader(deck):
    # an uncited source and a citation without a source, in English only
    sources = deck / "en" / "90-sources.md"
    sources.write_text(sources.read_text(encoding="utf-8") + "[^9]: An unused study.\n", encoding="utf-8")
    risk = deck / "en" / "15-reading.md"
    edit(risk, "Reading an MRI takes special training.[^1]", "Reading an MRI takes special training.[^7]")
    code, lines = check("--content", str(deck))
    assert code == 1
    assert f"{sources}:{line_of(sources, '[^9]:')}: source [^9] is never cited; cite it with [^9] or remove it" in lines
    seven = line_of(risk, "[^7]")
    assert any(ln.startswith(f"{risk}:{seven}: footnote [^7] has no source") for ln in lines), lines
    assert sum("[^9]" in ln and "never cited" in ln for ln in lines) == 1  # not repeated by the parity check


def test_thresholds_come_from_the_config_file(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text("[check]\nmax_words = 40\nen_max_grade = 3\nes_min_score = 95\n", encoding="utf-8")
    code, lines = check("--content", str(bundled_content()), "--config", str(cfg))
    assert code == 1
    assert any("words of body text, the limit is 40" in ln for ln in lines)
    assert any("is above the limit 3 for a screen" in ln for ln in lines)
    assert any("is below the minimum 95 for a screen" in ln for ln in lines)
    assert not any("average" in ln for ln in lines)  # averages keep their defaults and pass


def test_average_limit_is_reported_on_the_language_folder(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text("[check]\nen_max_average_grade = 2\n", encoding="utf-8")
    code, lines = check("--content", str(bundled_content()), "--config", str(cfg))
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{bundled_content() / 'en'}:1: average Flesch-Kincaid grade ")
    assert re.search(r"is above the limit 2 over \d+ screens; ", lines[0])


def test_bad_threshold_is_a_config_error():
    with pytest.raises(ConfigError, match=r"check\.es_min_score: invalid value 150, expected a Fernández-Huerta"):
        validate({"check": {"es_min_score": 150}})
    with pytest.raises(ConfigError, match=r"did you mean 'max_words'"):
        validate({"check": {"max_word": 100}})


def test_language_without_a_formula_gets_word_count_only(deck):
    fr = deck / "fr"
    copy_bundled(tmp := deck.parent / "fr-src")
    (tmp / "en").rename(fr)
    screen = fr / "20-doctor-review.md"
    screen.write_text(screen.read_text(encoding="utf-8") + f"\n{HARD}\n" * 5, encoding="utf-8")
    code, lines = check("--content", str(deck))
    mine = [ln for ln in lines if ln.startswith(str(fr))]
    assert code == 1
    assert mine and all("words of body text" in ln for ln in mine), mine


def test_runs_without_network_or_nltk_data(deck, tmp_path):
    """Fresh interpreter, sockets refused, NLTK_DATA empty: same result, no download attempted."""
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    screen = deck / "en" / "20-doctor-review.md"
    screen.write_text(screen.read_text(encoding="utf-8") + f"\n{HARD}\n", encoding="utf-8")
    script = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network is unavailable in this test')\n"
        "class NoNetwork(socket.socket):\n"
        "    def __init__(self, *a, **k): refuse()\n"
        "socket.socket = NoNetwork; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from kiosk.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "NLTK_DATA": str(empty), "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    env.pop("KIOSK_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", script, "check", "--content", str(deck)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{screen}:{line_of(screen, 'Notwithstanding')}: Flesch-Kincaid grade" in done.stdout
    assert not list(empty.iterdir())


def test_in_process_check_with_sockets_refused(monkeypatch, tmp_path):
    import socket

    def refuse(*a, **k):
        raise OSError("network is unavailable in this test")

    class NoNetwork(socket.socket):
        def __init__(self, *a, **k):
            refuse()

    monkeypatch.setattr(socket, "socket", NoNetwork)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("NLTK_DATA", str(tmp_path))
    assert check("--content", str(bundled_content())) == (0, [])


def test_broken_deck_is_lines_not_a_traceback(tmp_path):
    code, lines = check("--content", str(tmp_path / "nowhere"))
    assert code == 1
    assert lines == [f"{tmp_path / 'nowhere'}:1: content folder not found; check 'content' in the config or --content"]
