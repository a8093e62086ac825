"""What speech mode says for a screen, and the deck's pronunciation list (pure, no Qt)."""

from __future__ import annotations

import io
from pathlib import Path

from kiosk import check
from kiosk.deck import load_deck
from kiosk.resources import bundled_content
from kiosk.speech_text import (
    html_lines,
    idle_warning_text,
    load_pronunciations,
    pronounce,
    pronunciations_for,
    screen_lines,
    screen_text,
    tick_text,
)
from tests.decks import make_deck

PICTURE = "---\ntitle: Your spine\n---\nThis is your spine.[^1]\n\n![A spine seen from the side](spine.png)\n"


def mini(tmp_path: Path, files: dict[str, str | bytes] | None = None):
    return load_deck(make_deck(tmp_path, files)).language("en")


def test_a_screen_is_read_title_body_questions_then_what_to_do_next(tmp_path):
    lang = mini(tmp_path)
    index = [s.id for s in lang.screens].index("next")
    lines = screen_lines(lang, index, {"q-cause"})
    assert lines == [
        "Next steps.",
        "Tick what you want to ask:",
        "What does my MRI show? Not chosen.",
        "Is this the cause? Chosen.",
        "To go on, tap See my summary or press the right arrow.",
    ]


def test_citation_markers_are_not_read(tmp_path):
    lang = mini(tmp_path)
    text = screen_text(lang, 1)
    assert "Reading an MRI takes training." in text
    assert "[^" not in text and "1" not in text.split("training")[1].split("\n")[0]
    assert html_lines("<p>Read it with your doctor.<sup>1,3</sup> Then ask¹².</p>") == [
        "Read it with your doctor. Then ask."]


def test_a_picture_is_read_by_its_description(tmp_path):
    (tmp_path / "en").mkdir(parents=True)
    (tmp_path / "en" / "spine.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    lang = mini(tmp_path, {"15-spine.md": PICTURE})
    index = [s.id for s in lang.screens].index("spine")
    assert screen_lines(lang, index)[:3] == ["Your spine.", "This is your spine.",
                                             "Picture: A spine seen from the side."]


def test_block_images_give_the_description_when_the_deck_lists_them():
    lines = html_lines('<p>Look:</p><p><img src="file:///x.png" alt="old words"></p>', ["A spine, side view"],
                       lambda text: f"Picture: {text}")
    assert lines == ["Look:", "Picture: A spine, side view"]


def test_welcome_summary_and_last_screen_say_what_the_patient_can_do(tmp_path):
    lang = mini(tmp_path)
    ids = [s.id for s in lang.screens]
    assert screen_lines(lang, 0)[-1] == "To begin, touch the screen or press the right arrow."
    summary = screen_lines(lang, ids.index("summary"), {"q-cause"})
    assert summary[-3:] == ["Questions you chose.", "Is this the cause?",
                            "To print your questions, tap Print my summary. To go on, tap Next or press the right arrow."]
    nothing = screen_lines(lang, ids.index("summary"))
    assert "You have not chosen any questions yet. You can tap Back to choose some." in nothing
    assert screen_lines(lang, len(ids) - 1)[-1] == (
        "This is the last screen. To go back, tap Back. When you are done, tap Start over.")


def test_spanish_words_come_from_the_spanish_strings():
    deck = load_deck(bundled_content())
    es = deck.language("es")
    index = next(i for i, s in enumerate(es.screens) if s.items)
    text = screen_text(es, index, {es.screens[index].items[0].id}, pronunciations_for(es))
    assert "Elegida." in text and "No elegida." in text
    assert "Para seguir, toque Siguiente o pulse la flecha derecha." in text
    assert tick_text(es.strings, "¿Qué muestra mi resonancia?", True) == "¿Qué muestra mi resonancia? Elegida."


def test_the_idle_warning_is_read_with_its_seconds():
    en = load_deck(bundled_content()).language("en")
    assert idle_warning_text(en.strings, 20).splitlines() == [
        "Are you still there?",
        "To keep your choices private, the screen will start over in 20 seconds.",
        "To keep going, tap I'm still here or press any key.",
    ]


def test_pronunciations_replace_whole_words_only():
    table = {"MRI": "M R I", "CT": "C T"}
    assert pronounce("Your MRI and CT scan; MRIs, CTX and mri stay.", table) == (
        "Your M R I and C T scan; MRIs, CTX and mri stay.")


def test_the_bundled_decks_say_mri_as_letters_in_each_language():
    deck = load_deck(bundled_content())
    en, es = deck.language("en"), deck.language("es")
    assert "an M R I" in screen_text(en, 1, (), pronunciations_for(en))
    assert "(eme erre i)" in screen_text(es, 1, (), pronunciations_for(es))


def run_check(root: Path) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = check.run(root, "en", out, err=io.StringIO())
    return code, out.getvalue().splitlines()


def test_kiosk_check_reports_a_malformed_speech_yaml_with_path_and_line(tmp_path):
    root = make_deck(tmp_path)
    path = root / "en" / "speech.yaml"
    path.write_text('# how to say words\nMRI: "M R I"\nCT: ""\nMRI: "em ar eye"\nlist:\n  - a\n', encoding="utf-8")
    code, lines = run_check(root)
    mine = [line for line in lines if line.startswith(str(path))]
    assert code == 1
    assert mine == [
        f"{path}:3: 'CT' has no pronunciation: write how to say it, like CT: \"...\"",
        f"{path}:4: 'MRI' is listed twice (also on line 2); keep one",
        f"{path}:5: each entry should be one word and how to say it, like MRI: \"M R I\" (no lists or nested entries)",
    ]
    assert load_pronunciations(root / "en")[0] == {"MRI": "M R I"}  # the good entries still work


def test_kiosk_check_reports_bad_yaml_and_a_list_instead_of_entries(tmp_path):
    root = make_deck(tmp_path)
    path = root / "en" / "speech.yaml"
    path.write_text('MRI: "M R I"\nCT: "C T\n', encoding="utf-8")
    code, lines = run_check(root)
    assert code == 1
    assert any(line.startswith(f"{path}:") and "bad YAML" in line for line in lines)
    path.write_text("- MRI\n- CT\n", encoding="utf-8")
    _, lines = run_check(root)
    assert f"{path}:1: speech.yaml should be 'WORD: \"how to say it\"' lines, like MRI: \"M R I\"" in lines


def test_the_bundled_deck_passes_kiosk_check_with_its_pronunciation_lists():
    assert check.check_deck(bundled_content()) == [] or all(
        "speech.yaml" not in str(p.path) for p in check.check_deck(bundled_content()))
    assert load_pronunciations(bundled_content() / "en") == ({"MRI": "M R I"}, [])


def test_pronunciations_come_with_the_deck_so_speaking_needs_no_yaml(tmp_path):
    import subprocess
    import sys

    code = ("import sys\nfrom pathlib import Path\nfrom kiosk.app import open_deck\n"
            f"cache = Path({str(tmp_path)!r})\n"
            "open_deck(Path('content'), 'en', cache=cache)\n"
            "for m in ('yaml', 'markdown'):\n    sys.modules.pop(m, None)\n"
            "deck = open_deck(Path('content'), 'en', cache=cache)\n"
            "from kiosk.speech_text import pronunciations_for\n"
            "assert pronunciations_for(deck.languages['en'])['MRI']\n"
            "print('yaml' in sys.modules)\n")
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
