"""Second-edition deck format: check-yourself screens, clinic advice, pictures, cited facts."""

from pathlib import Path

import pytest

from kiosk.check import check_deck
from kiosk.citations import needs_citation, uncited
from kiosk.deck import QuizItem, load_deck
from kiosk.resources import bundled_content

from .decks import make_deck

QUIZ = """---
title: Check yourself
kind: quiz
quiz:
  - statement: "An MRI finding is always the cause of pain."
    answer: false
    feedback: "Many people with no pain have findings too.[^1]"
  - statement: "Your doctor reads your MRI with your symptoms."
    answer: true
    feedback: "A trained doctor reads it along with your symptoms.[^1]"
---

Tap True or False.
"""

ADVICE = """---
title: Next steps
---

!!! clinic-advice "From our clinic"
    Bring a list of your medicines. It helps us help you.

- [ ] What does my MRI show?
- [ ] Is this the cause? {#q-cause}
"""


def messages(root: Path) -> list[str]:
    return [str(p) for p in check_deck(root)]


def test_quiz_statements_are_typed_with_answers_and_cited_feedback(tmp_path):
    deck = load_deck(make_deck(tmp_path, {"40-check.md": QUIZ}))
    screen = deck.language("en").screen("check")
    assert screen.kind == "quiz"
    assert screen.quiz == [
        QuizItem("An MRI finding is always the cause of pain.", False,
                 'Many people with no pain have findings too.<sup class="fn">1</sup>', 5),
        QuizItem("Your doctor reads your MRI with your symptoms.", True,
                 'A trained doctor reads it along with your symptoms.<sup class="fn">1</sup>', 8),
    ]
    assert screen.items == []  # never tickable, so never stored or printed
    assert messages(tmp_path) == []


@pytest.mark.parametrize("change, expected", [
    (lambda t: t.split("  - statement: \"Your")[0] + "---\nx\n", "40-check.md:4: a quiz screen needs 2 to 3 statements"),
    (lambda t: t.replace("answer: true", "answer: maybe"), "40-check.md:8: quiz 'answer:' should be true or false"),
    (lambda t: t.replace("too.[^1]", "too."), "40-check.md:5: quiz feedback: factual sentence without a source"),
    (lambda t: t.replace("kind: quiz\n", ""), "40-check.md:3: quiz statements belong on a 'kind: quiz' screen"),
])
def test_quiz_mistakes_name_file_and_line(tmp_path, change, expected):
    found = messages(make_deck(tmp_path, {"40-check.md": change(QUIZ)}))
    assert any(expected in m for m in found), found


def test_quiz_answers_must_match_across_languages(tmp_path):
    make_deck(tmp_path, {"40-check.md": QUIZ})
    make_deck(tmp_path, {"40-check.md": QUIZ.replace("answer: true", "answer: false")}, lang="es")
    found = messages(tmp_path)
    assert any("es/40-check.md:8: quiz statement 2 is false in es but true in en" in m for m in found), found


def test_clinic_advice_is_a_labelled_block_that_needs_no_source(tmp_path):
    deck = load_deck(make_deck(tmp_path, {"20-next.md": ADVICE}))
    block = deck.language("en").screen("next").blocks[0]
    assert (block.kind, block.role, block.title) == ("html", "clinic-advice", "From our clinic")
    assert "<b>From our clinic</b>" in block.html and "Bring a list of your medicines." in block.html
    assert messages(tmp_path) == []


def test_the_same_advice_outside_the_block_must_cite_a_source(tmp_path):
    text = ADVICE.replace('!!! clinic-advice "From our clinic"\n    ', "")
    found = messages(make_deck(tmp_path, {"20-next.md": text}))
    assert any("20-next.md:5: factual sentence without a source: 'It helps us help you.'" in m for m in found), found


@pytest.mark.parametrize("header, expected", [
    ("!!! clinic-advice", "the clinic-advice block needs a label patients see"),
    ('!!! note "Note"', "unknown block '!!! note'"),
])
def test_clinic_advice_needs_its_label_and_kind(tmp_path, header, expected):
    text = ADVICE.replace('!!! clinic-advice "From our clinic"', header)
    found = messages(make_deck(tmp_path, {"20-next.md": text}))
    assert any(f"20-next.md:5: {expected}" in m for m in found), found


def test_picture_description_is_kept_for_speech(tmp_path):
    root = make_deck(tmp_path, {"10-risk.md": "---\ntitle: Risk\n---\nAn MRI takes training.[^1]\n\n"
                                "![The lower spine, from the side](spine.svg)\n"})
    (root / "en" / "spine.svg").write_bytes((bundled_content() / "en" / "spine.svg").read_bytes())
    screen = load_deck(root).language("en").screen("risk")
    assert screen.images == [(root / "en" / "spine.svg", "The lower spine, from the side")]
    assert "The lower spine" not in screen.text  # spoken, not counted as words on screen
    assert messages(root) == []


def test_picture_without_description_is_reported(tmp_path):
    root = make_deck(tmp_path, {"10-risk.md": "---\ntitle: Risk\n---\nAn MRI takes training.[^1]\n\n![](spine.svg)\n"})
    (root / "en" / "spine.svg").write_bytes((bundled_content() / "en" / "spine.svg").read_bytes())
    assert any("10-risk.md:6: image 'spine.svg' has no description" in m for m in messages(root))


@pytest.mark.parametrize("sentence, lang, needs", [
    ("Many people have findings.", "en", True),
    ("What does my MRI show?", "en", False),
    ("Tap the questions you want to ask.", "en", False),
    ("Then print your sheet.", "en", False),
    ("Hello.", "en", False),
    ("No intente leer su resonancia.", "es", False),
    ("No siempre da una respuesta clara.", "es", True),
    ("Luego, imprima su hoja.", "es", False),
])
def test_what_counts_as_a_factual_sentence(sentence, lang, needs):
    assert needs_citation(sentence, lang) is needs


def test_citation_after_the_full_stop_belongs_to_its_sentence():
    html = '<p>One fact.<sup class="fn">1</sup> Another fact here. A third.<sup class="fn">2</sup></p>'
    assert uncited(html, "en") == ["Another fact here."]


def test_a_list_after_a_cited_lead_in_is_covered():
    html = ('<p>Your MRI may show:<sup class="fn">1</sup></p><ul><li>Herniated disc: a disc pushes out.</li></ul>'
            '<p>Other things exist.</p><ul><li>A bone spur grows here.</li></ul>')
    assert uncited(html, "en") == ["Other things exist.", "A bone spur grows here."]


def test_bundled_deck_has_a_quiz_a_picture_and_clinic_advice_in_every_language():
    deck = load_deck(bundled_content())
    for lang in deck.languages.values():
        kinds = [s.kind for s in lang.screens]
        assert kinds[-2:] == ["summary", "sources"] and kinds.count("quiz") == 1
        assert 2 <= len(next(s for s in lang.screens if s.kind == "quiz").quiz) <= 3
        assert [p.name for s in lang.screens for p, _ in s.images] == ["spine.svg", "today.svg"]
        assert any(b.role == "clinic-advice" for s in lang.screens for b in s.blocks)
        assert len(lang.today) == 3
