"""The staff Usage page: what it shows from a report, at 1280x800 and 800x480."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from kiosk.stats import StatsStore, Visit
from kiosk.ui.theme import COLORS, load_fonts
from kiosk.ui.usage_page import UsagePage

SAT = datetime.date(2026, 11, 28)
QUESTIONS = {"q-mri": "Do I need an MRI for my back pain?", "q-pain": "How long will the pain last?"}


def one(day: datetime.date, **kw: object) -> Visit:
    fields: dict[str, object] = dict(day=day, language="en", text_size=0, contrast="normal", speech=False,
                                     screens_reached=("start", "mri-risk"), seconds_on_screen={"start": 20.0},
                                     ticks=("q-mri",), ended="finished", prints_ok=1, prints_failed=0)
    fields.update(kw)
    return Visit(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module", autouse=True)
def fonts(qapp):
    load_fonts()


SCREENS = ("start", "mri-risk", "doctor-review", "summary")


def page_for(qtbot, store: StatsStore, size: tuple[int, int] = (1280, 800)) -> UsagePage:
    page = UsagePage(store.report(14, SAT), QUESTIONS.__getitem__, screen_order=SCREENS)
    qtbot.addWidget(page)
    page.resize(*size)
    return page


@pytest.fixture
def store(tmp_path: Path):
    with StatsStore(tmp_path / "usage.sqlite3") as s:
        yield s


def bars_across(image: QImage, y: int, right: int) -> int:
    """How many separate runs of the bar colour a horizontal line crosses."""
    accent = QColor(COLORS["accent"]).rgb()
    runs, inside = 0, False
    for x in range(right):
        on = image.pixel(x, y) == accent
        runs += on and not inside
        inside = on
    return runs


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)])
def test_the_bar_chart_has_a_bar_for_each_day_with_visits(qtbot, store: StatsStore, tmp_path: Path, size):
    busy_days = [SAT - datetime.timedelta(days=n) for n in (0, 1, 3, 6, 13)]
    for day in busy_days:
        for _ in range(3):
            store.record(one(day))
    page = page_for(qtbot, store, size)
    image = page.grab().toImage()
    image.save(str(tmp_path / f"usage-{size[0]}x{size[1]}.png"))
    w, h = size
    assert bars_across(image, round(h * 0.35), round(w * 0.55)) == len(busy_days)
    assert "Visits per day: 15 Nov 3, 16 Nov 0" in page.description()


def test_the_page_shows_funnel_endings_settings_and_top_questions_in_words(qtbot, store: StatsStore):
    for n in range(6):
        store.record(one(SAT, ticks=("q-mri", "q-pain") if n < 2 else ("q-mri",), language="es" if n == 0 else "en",
                         text_size=2 if n == 0 else 0, ended="idle" if n == 5 else "finished",
                         screens_reached=("start", "mri-risk") if n < 3 else ("start",)))
    page = page_for(qtbot, store)
    assert page.title() == "Usage, last 14 days: 6 visits"
    assert page.funnel_rows() == [("start", "6 100%"), ("mri-risk", "3 50%")]
    assert dict(page.ending_rows())["Finished"] == "83%" and dict(page.ending_rows())["Idle reset"] == "17%"
    assert dict(page.setting_rows()) == {"Language EN": "83%", "Language ES": "17%", "Larger text": "17%",
                                         "High contrast": "0%", "Speech": "0%"}
    assert page.question_rows() == [("Do I need an MRI for my back pain?", "6"), ("How long will the pain last?", "2")]
    assert page.accessibleDescription() == page.description()


def test_weeks_under_five_visits_show_no_settings_or_questions(qtbot, store: StatsStore):
    for _ in range(4):
        store.record(one(SAT, language="es", ticks=("q-pain",)))
    page = page_for(qtbot, store)
    assert page.setting_rows() == [] and page.question_rows() == []
    text = page.description()
    assert "so far every week had fewer than 5" in text
    assert "ES" not in text and "pain" not in text
    assert "4 visits" in page.title()  # daily counts are still shown
    page.grab()


def test_a_week_left_out_is_said_under_the_breakdowns(qtbot, store: StatsStore):
    for _ in range(5):
        store.record(one(SAT))
    store.record(one(SAT - datetime.timedelta(days=7), ticks=("q-pain",)))
    page = page_for(qtbot, store)
    assert page.weekly_note() == "1 week with fewer than 5 visits left out"
    assert [q for q, _ in page.question_rows()] == ["Do I need an MRI for my back pain?"]


def test_the_funnel_follows_the_deck_and_keeps_screens_it_no_longer_has(qtbot, store: StatsStore):
    store.record(one(SAT, screens_reached=("start", "mri-risk", "old-screen")))
    store.record(one(SAT, screens_reached=("start", "mri-risk", "doctor-review")))
    page = page_for(qtbot, store)
    assert [s for s, _ in page.funnel()] == ["start", "mri-risk", "doctor-review", "old-screen"]


def test_a_question_the_deck_no_longer_has_shows_its_id(qtbot, store: StatsStore):
    for _ in range(5):
        store.record(one(SAT, ticks=("q-removed",)))
    page = page_for(qtbot, store)
    assert page.question_rows() == [("q-removed", "5")]


def test_an_empty_database_says_no_visits_yet(qtbot, store: StatsStore, tmp_path: Path):
    page = page_for(qtbot, store, (800, 480))
    assert page.title() == "Usage, last 14 days: 0 visits"
    assert "How far visits got: No visits yet." in page.description()
    page.grab().save(str(tmp_path / "empty.png"))


def test_set_report_redraws_with_the_new_figures(qtbot, store: StatsStore):
    page = page_for(qtbot, store)
    store.record(one(SAT))
    page.set_report(store.report(14, SAT))
    assert page.title() == "Usage, last 14 days: 1 visit"
    assert page.accessibleDescription().startswith("Usage, last 14 days: 1 visit.")
