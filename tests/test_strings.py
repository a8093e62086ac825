"""Interface strings: plain ``{name}`` placeholders only, plural forms by CLDR."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.deck import load_deck
from kiosk.strings import Strings, check_text, required_categories, substitute
from tests.decks import make_deck


def edit_strings(root: Path, lang: str, old: str, new: str) -> Path:
    path = root / lang / "strings.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def two_languages(tmp_path: Path) -> Path:
    root = make_deck(tmp_path, lang="en")
    return make_deck(root, lang="es")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


@pytest.mark.parametrize("bad", ["{n:>1500000000}", "{n!r}", "{n.__class__}", "{n[0]}", "{n:,}"])
def test_format_specs_conversions_and_access_are_refused(bad):
    message = check_text("step_of", f"Step {bad} of {{total}}")
    assert message is not None and "placeholders are plain names like {n}" in message


@pytest.mark.parametrize("text", ["Step {n of {total}", "Step n} of {total}", "Step {{n}} of {total}", "{}"])
def test_stray_braces_are_refused(text):
    message = check_text("step_of", text)
    assert message is not None and "stray brace" in message


def test_plain_placeholders_pass():
    assert check_text("step_of", "Step {n} of {total}") is None
    assert check_text("next", "Next") is None


def test_format_width_in_strings_file_is_reported_with_its_line(tmp_path):
    root = two_languages(tmp_path)
    path = edit_strings(root, "en", 'step_of: "Step {n} of {total}"', 'step_of: "Step {n:>1500000000} of {total}"')
    deck = load_deck(root)
    line = line_of(path, "step_of:")
    assert any(str(p).startswith(f"{path}:{line}: 'step_of' uses '{{n:>1500000000}}'") for p in deck.problems), \
        deck.problems


def test_a_refused_string_falls_back_to_the_other_language(tmp_path):
    """The running kiosk shows the other language's words for that key, never the bad text."""
    root = two_languages(tmp_path)
    edit_strings(root, "en", 'step_of: "Step {n} of {total}"', 'step_of: "Step {n:>1500000000} of {total}"')
    deck = load_deck(root)
    assert deck.languages["en"].strings.get("step_of", n=1, total=5) == "Paso 1 de 5"
    assert deck.languages["es"].strings.get("step_of", n=1, total=5) == "Paso 1 de 5"


def test_substitution_is_bounded_by_the_text_and_values():
    text = "Step {n:>1500000000} of {total}"  # never reaches the screen, and even then:
    assert substitute(text, {"n": 1, "total": 5}) == "Step {n:>1500000000} of 5"
    assert substitute("{a}{a}", {"a": "xy"}) == "xyxy"
    assert substitute("{missing} ok", {"a": 1}) == "{missing} ok"


def test_loading_a_format_width_does_not_allocate(tmp_path):
    """The reported crash: formatting grew the kiosk to GBs. Here memory is capped at 1 GB."""
    root = two_languages(tmp_path)
    edit_strings(root, "en", 'step_of: "Step {n} of {total}"', 'step_of: "Step {n:>1500000000} of {total}"')
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
            "from kiosk.deck import load_deck; d = load_deck(sys.argv[1]);"
            "s = d.languages['en'].strings; s.texts['step_of'] = 'Step {n:>1500000000} of {total}';"
            "print(s.get('step_of', n=1, total=2))")
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Step {n:>1500000000} of 2"


def test_english_counted_strings_pick_one_or_other():
    s = Strings("en", {"idle_body.one": "in {seconds} second", "idle_body.other": "in {seconds} seconds"})
    assert s.get("idle_body", count=1, seconds=1) == "in 1 second"
    assert s.get("idle_body", count=30, seconds=30) == "in 30 seconds"
    assert s.get("idle_body", seconds=0) == "in 0 seconds"  # the count placeholder is the count by default
    assert s.get("idle_body", seconds=1) == "in 1 second"


def test_spanish_many_is_optional_and_falls_back_to_other():
    assert required_categories("en") == {"one", "other"}
    assert required_categories("es") == {"one", "other"}
    s = Strings("es", {"pin_locked.one": "{seconds} segundo", "pin_locked.other": "{seconds} segundos"})
    assert s.get("pin_locked", seconds=1_000_000) == "1000000 segundos"


def test_bundled_words_have_every_plural_form(tmp_path):
    deck = load_deck(two_languages(tmp_path))
    assert deck.problems == []
    en, es = deck.languages["en"].strings, deck.languages["es"].strings
    assert en.get("pin_wrong", left=1) == "That PIN is not right. 1 try left."
    assert en.get("pin_wrong", left=3) == "That PIN is not right. 3 tries left."
    assert es.get("pin_locked", seconds=1) == "Demasiados intentos. Espere 1 segundo."
    assert es.get("idle_body", seconds=20).endswith("20 segundos.")


def test_a_missing_plural_form_is_reported_for_that_language(tmp_path):
    root = two_languages(tmp_path)
    path = root / "es" / "strings.yaml"
    path.write_text("\n".join(ln for ln in path.read_text(encoding="utf-8").splitlines()
                              if not ln.startswith("idle_body.one:")) + "\n", encoding="utf-8")
    found = [str(p) for p in load_deck(root).problems]
    assert f"{path}:1: missing key 'idle_body.one': add 'idle_body.one: ...'" in found, found


def test_a_counted_key_written_once_is_reported_with_the_forms_to_write(tmp_path):
    root = two_languages(tmp_path)
    path = root / "en" / "strings.yaml"
    text = path.read_text(encoding="utf-8")
    text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("idle_body."))
    path.write_text(text + '\nidle_body: "Starting over in {seconds} seconds."\n', encoding="utf-8")
    found = [str(p) for p in load_deck(root).problems]
    line = line_of(path, "idle_body:")
    assert (f"{path}:{line}: 'idle_body' is counted by {{seconds}}: write it once per plural form, "
            "as 'idle_body.one' and 'idle_body.other'") in found, found


def test_a_plural_form_the_language_does_not_have_is_reported(tmp_path):
    root = two_languages(tmp_path)
    path = root / "en" / "strings.yaml"
    path.write_text(path.read_text(encoding="utf-8") + 'idle_body.few: "x {seconds}"\nnext.one: "x"\n',
                    encoding="utf-8")
    found = [str(p) for p in load_deck(root).problems]
    assert any(f"{path}:{line_of(path, 'idle_body.few')}: unknown key 'idle_body.few': plural forms in 'en' "
               "are one, other" in m for m in found), found
    assert any("unknown key 'next.one': 'next' is not counted" in m for m in found), found


def test_spanish_may_add_many_without_a_parity_problem(tmp_path):
    root = two_languages(tmp_path)
    path = root / "es" / "strings.yaml"
    path.write_text(path.read_text(encoding="utf-8") + 'pin_locked.many: "Espere {seconds} de segundos."\n',
                    encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "no-config")
    out = subprocess.run([sys.executable, "-m", "kiosk", "check", "--content", str(root)],
                         capture_output=True, text=True, timeout=120, env=env)
    # (the test deck's Spanish folder holds English sentences, which the citation rule
    # reads as Spanish; only what concerns the plural forms matters here)
    strings_problems = [ln for ln in out.stdout.splitlines() if "strings.yaml" in ln or "pin_locked" in ln]
    assert strings_problems == [], out.stdout + out.stderr


def test_a_loaded_deck_picks_plural_forms_without_babel_locale_data(monkeypatch):
    """The deck keeps CLDR's rules with its words (and in the deck cache), so a running
    kiosk never loads Babel's locale data (about 5 MB a language) to say "1 question"."""
    from kiosk import strings

    deck = load_deck(Path(__file__).resolve().parent.parent / "content")
    en, es = deck.languages["en"].strings, deck.languages["es"].strings
    assert en.rules["en"] == {"one": "i in 1 and v in 0"} and set(es.rules) == {"en", "es"}

    def no_locale_data(lang: str) -> None:
        raise AssertionError(f"Babel locale data loaded for {lang}")

    monkeypatch.setattr(strings, "_plural_rule", no_locale_data)
    counted = next(k for k in strings.COUNTED)
    for s in (en, es):
        one, many = s.get(counted, count=1), s.get(counted, count=5)
        assert one and many and one != many
    assert strings.plural_category("es", 1_000_000, es.rules["es"]) == "many"
