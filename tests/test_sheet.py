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
    assert "Many people without back pain have MRI findings too, so a finding may not cause my pain." in text
    assert "Riverside Spine Clinic" in text
    assert f"{strings.get('sheet_date_label')}: November 25, 2026" in text
    for key in ("sheet_title", "sheet_key_points_heading", "sheet_questions_heading", "today_steps_heading",
                "sheet_appointment_date", "sheet_doctor", "sheet_tell_heading", "sheet_tell_symptoms",
                "sheet_tell_started", "sheet_tell_medicines", "sheet_sources_heading", "sheet_disclaimer"):
        assert strings.get(key) in text, key
    assert "Clinical guidelines on back pain and MRI." in text  # source 1, cited by a key point
    assert s.questions == ("Could this finding be the cause of my pain?", "What are my treatment options?")


def test_main_message_comes_first_then_todays_steps_then_key_points(deck):
    en = deck.language("en")
    s = sheet.compose(en, set(), today=TODAY)
    text = text_of(s)
    main = "My doctor will go over my MRI with me, along with my symptoms and exam."
    assert s.main_message.startswith(main)
    steps = [plain_text(t) for t in en.today]
    assert steps[0] == "Tap the questions you want to ask."
    points = [plain_text(p) for sc in en.steps for p in sc.sheet]
    assert len(points) == 4
    order = [text.index(main), *(text.index(t) for t in steps), *(text.index(p.rstrip("0123456789,")) for p in points)]
    assert order == sorted(order)
    assert text.index(main) < text.index(en.strings.get("sheet_key_points_heading"))


def test_both_halves_of_the_shots_message_are_printed(deck):
    text = text_of(sheet.compose(deck.language("en"), set(), today=TODAY))
    assert "My doctor may change the plan for a shot after seeing my MRI." in text
    assert "In one study, that made no clear difference in how well a steroid shot worked." in text
    assert "Pain after a shot changes in very different ways from person to person." in text


def test_each_question_has_a_line_to_write_the_answer(deck):
    en = deck.language("en")
    s = sheet.compose(en, {"q-cause", "q-options", "q-watch"}, today=TODAY)
    table = s.html.split('<table class="q"', 1)[1].split("</table>", 1)[0]
    assert table.count('class="line"') == 3


def test_quiz_answers_never_reach_the_sheet(deck):
    en = deck.language("en")
    text = text_of(sheet.compose(en, sheet.resolve_selection(en, ["all"]), today=TODAY))
    for screen in (s for s in en.screens if s.kind == "quiz"):
        for q in screen.quiz:
            assert q.statement not in text


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
    assert "¿Este hallazgo podría ser la causa de mi dolor?" in text
    assert "Lo que aprendí" in text and "Fuentes" in text and "Fecha: 25 de noviembre de 2026" in text
    assert "Fecha de la cita" in text and "Médico:" in text
    english = deck.language("en").strings
    for key in ("sheet_title", "sheet_questions_heading", "sheet_disclaimer"):
        assert english.get(key) not in text


def test_only_cited_sources_in_deck_order(deck):
    en = deck.language("en")
    s = sheet.compose(en, set(), today=TODAY)
    text = text_of(s)
    assert "A study of pain after a shot in the back." in text  # [^5], cited by a key point
    assert text.index("Clinical guidelines") < text.index("A study of shots in the lower back")
    minimal = text_of(sheet.compose(_only_main_message(en), set(), today=TODAY))
    assert "Research on how an MRI can help find the cause" not in minimal  # [^2] is not cited there


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
    assert len(sheet.resolve_selection(en, ["all"])) == 11


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


def _only_main_message(lang):
    """The language with the step screens' key points and today's steps left out."""
    import copy

    trimmed = copy.deepcopy(lang)
    for screen in trimmed.screens:
        if screen.kind != "start":
            screen.sheet = []
            screen.today = []
    return trimmed


def test_the_date_is_the_kiosks_local_day_written_in_the_patients_language(monkeypatch):
    monkeypatch.setenv("TZ", "America/Chicago")
    import time

    time.tzset()
    try:
        late = dt.datetime(2026, 11, 26, 3, 30, tzinfo=dt.UTC)  # 9:30 pm on the 25th in Chicago
        day = sheet.local_today(late)
        assert day == dt.date(2026, 11, 25)
        assert sheet.long_date(day, "en") == "November 25, 2026"
        assert sheet.long_date(day, "es") == "25 de noviembre de 2026"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize("lang", ["en", "es", "fr", "de", "pt", "zh", "it", "nl", "ru", "pl", "hu", "vi", "ja", "ko"])
def test_the_kiosks_date_from_qt_reads_as_babels(lang):
    """The kiosk writes the sheet's date with Qt's locale data (no Babel locale data in memory);
    it says what ``sheet.long_date`` says, without a weekday."""
    from kiosk import sheet_render

    for day in (dt.date(2026, 11, 25), dt.date(2027, 1, 3)):
        assert sheet_render.long_date(day, lang) == sheet.long_date(day, lang)
    assert sheet_render.long_date(dt.date(2026, 11, 25), "xx") == "2026-11-25"


@pytest.mark.parametrize("lang", ["th", "ti", "ar", "fa", "bn", "ne", "my", "am", "da", "el", "he", "ka"])
def test_the_weekday_leaves_no_word_or_mark_behind_in_any_script(lang):
    import unicodedata

    from kiosk import sheet_render

    text = sheet_render.long_date(dt.date(2026, 11, 5), lang)
    assert text and unicodedata.category(text[0])[0] not in "PZ" and unicodedata.category(text[-1])[0] not in "PZ"
    assert sum(ch.isdigit() for ch in text) >= 5  # day and year, in the language's own digits
    assert sheet_render.without_weekday("ddddที่ d MMMM yyyy") == "d MMMM yyyy"
    assert sheet_render.without_weekday("yyyy. MMMM d., dddd") == "yyyy. MMMM d."
    assert sheet_render.without_weekday("dddd 'den' d. MMMM yyyy") == "d. MMMM yyyy"
