"""The printed sheet's content: what a patient takes home, composed without Qt."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk import sheet
from kiosk.deck import load_deck
from kiosk.render import plain_text
from kiosk.resources import bundled_content

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def deck():
    return load_deck(bundled_content())


def text_of(s: sheet.Sheet) -> str:
    return plain_text(s.html.split("<body>", 1)[1])


def test_ticked_questions_key_points_clinic_sources_and_disclaimer(deck):
    en = deck.language("en")
    s = sheet.compose(en, {"q-cause", "q-options"}, clinic="Riverside Spine Clinic", today=TODAY)
    text = text_of(s)
    strings = en.strings
    assert "Could this finding be the cause of my pain?" in text
    assert "What are my treatment options?" in text
    assert "A trained doctor, like a radiologist, should read my MRI." in text
    assert "Riverside Spine Clinic" in text
    assert f"{strings.get('sheet_date_label')}: 2026-11-25" in text
    for key in ("sheet_title", "sheet_key_points_heading", "sheet_questions_heading", "sheet_notes_heading",
                "sheet_sources_heading", "sheet_disclaimer"):
        assert strings.get(key) in text, key
    assert "Clinical guidelines on back pain and MRI." in text  # source 1, cited by a key point
    assert s.questions == ("Could this finding be the cause of my pain?", "What are my treatment options?")


def test_every_step_key_point_is_on_the_sheet(deck):
    en = deck.language("en")
    text = text_of(sheet.compose(en, set(), today=TODAY))
    points = [plain_text(p) for sc in en.steps for p in sc.sheet]
    assert len(points) == 8
    for p in points:
        assert p.rstrip("0123456789,") in text


def test_nothing_from_an_unticked_item(deck):
    en = deck.language("en")
    text = text_of(sheet.compose(en, {"q-cause"}, today=TODAY))
    for item in (i for sc in en.screens for i in sc.items if i.id != "q-cause"):
        assert item.text not in text


def test_no_ticks_says_so(deck):
    en = deck.language("en")
    text = text_of(sheet.compose(en, set(), today=TODAY))
    assert en.strings.get("sheet_no_questions") in text
    assert en.strings.get("sheet_questions_heading") in text


def test_spanish_sheet_uses_spanish_words(deck):
    es = deck.language("es")
    text = text_of(sheet.compose(es, {"q-cause"}, clinic="Clínica", today=TODAY))
    assert "¿Lo que muestra mi resonancia podría ser la causa de mi dolor?" in text
    assert "Lo que aprendí" in text and "Fuentes" in text and "Fecha: 2026-11-25" in text
    english = deck.language("en").strings
    for key in ("sheet_title", "sheet_questions_heading", "sheet_disclaimer"):
        assert english.get(key) not in text


def test_only_cited_sources_in_deck_order(deck):
    en = deck.language("en")
    s = sheet.compose(en, set(), today=TODAY)
    text = text_of(s)
    assert "Research on how an MRI can help find the cause" not in text  # [^2] is cited only in body text
    assert text.index("Clinical guidelines") < text.index("A study of people getting shots")


def test_qr_code_and_logo_are_in_memory_images(deck):
    en = deck.language("en")
    s = sheet.compose(en, {"q-cause"}, today=TODAY, qr_url="https://example.org/mri", logo=b"\x89PNG fake")
    assert s.resources[sheet.QR_URL].startswith(b"\x89PNG")
    assert s.resources[sheet.LOGO_URL] == b"\x89PNG fake"
    assert f'src="{sheet.QR_URL}"' in s.html and f'src="{sheet.LOGO_URL}"' in s.html
    assert en.strings.get("sheet_qr_caption") in text_of(s)
    plain = sheet.compose(en, {"q-cause"}, today=TODAY)
    assert sheet.QR_URL not in plain.resources and sheet.QR_URL not in plain.html


def test_larger_print_uses_larger_type(deck):
    en = deck.language("en")
    normal = sheet.compose(en, set(), today=TODAY)
    large = sheet.compose(en, set(), today=TODAY, text_size=2)
    assert large.sizes[0] > normal.sizes[0]
    assert f"font-size: {large.sizes[0]}px" in large.html


def test_selection_by_author_id_screen_position_or_all(deck):
    en = deck.language("en")
    assert sheet.resolve_selection(en, ["q-cause", "next-steps/1"]) == {"q-cause", "q-what-it-shows"}
    assert len(sheet.resolve_selection(en, ["all"])) == 8


def test_unknown_selection_lists_the_valid_ids(deck):
    with pytest.raises(sheet.SelectionError) as e:
        sheet.resolve_selection(deck.language("en"), ["q-nope"])
    message = str(e.value)
    assert "'q-nope'" in message and "q-cause" in message and "next-steps/1" in message
    assert "\n" not in message


def test_qr_url_problem_says_the_longest_url_that_scans():
    from kiosk.sheet import qr_url_problem

    assert qr_url_problem("") is None
    assert qr_url_problem("https://example.org/" + "a" * 193) is None  # 213 bytes: version 10 at level M
    assert qr_url_problem("https://example.org/" + "a" * 194) == (
        "qr_url is 214 bytes long, too long for a QR code a phone can scan on the sheet; "
        "use a URL of at most 213 ASCII characters (a short link)")


def test_a_sheet_with_an_unprintable_qr_url_is_composed_without_the_code(deck):
    en = deck.language("en")
    s = sheet.compose(en, {"q-cause"}, today=TODAY, qr_url="https://example.org/" + "a" * 5000)
    assert sheet.QR_URL not in s.resources
    assert en.strings.get("sheet_qr_caption") not in text_of(s)
