"""``kiosk preview``: saved edits show within a second; a broken edit never blanks the screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk import config as config_mod
from kiosk.deck import DeckError
from kiosk.plain_language import Limits
from kiosk.preview import Preview, banner_text, reload
from tests.decks import copy_bundled

WITHIN = 1000  # ms: "shown within one second of a save"


@pytest.fixture
def deck(tmp_path) -> Path:
    return copy_bundled(tmp_path / "content")


@pytest.fixture
def preview(qtbot, deck):
    p = Preview(deck, "en", config_mod.Config())
    qtbot.addWidget(p.window)
    p.window.show()
    qtbot.waitExposed(p.window)
    yield p
    p.stop()


def save(path: Path, text: str) -> None:
    """Save like an editor does: write a new file, then rename it over the old one."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def shown(p: Preview) -> tuple[str, str]:
    page = p.window.current_page()
    return page.screen.id, page.title.text()


def go_to(p: Preview, screen_id: str) -> None:
    p.window.session.go(p.window.session.screen_ids.index(screen_id))


def test_saved_title_is_shown_within_a_second_on_the_same_screen(preview, deck, qtbot):
    go_to(preview, "mri-risk")
    screen = deck / "en" / "10-mri-risk.md"
    save(screen, screen.read_text(encoding="utf-8").replace(
        "title: Why you had an MRI", "title: Reading your MRI with your doctor"))

    def title_changed():
        assert shown(preview) == ("mri-risk", "Reading your MRI with your doctor")

    qtbot.waitUntil(title_changed, timeout=WITHIN)
    assert not preview.banner.isVisible()


def test_broken_yaml_keeps_the_last_good_screen_and_shows_the_problem(preview, deck, qtbot):
    go_to(preview, "mri-risk")
    screen = deck / "en" / "10-mri-risk.md"
    good = screen.read_text(encoding="utf-8")
    before = shown(preview)
    save(screen, good.replace("label: Why an MRI", "label: [Why an MRI"))

    def banner_names_the_file():
        assert preview.banner.isVisible()
        assert f"{screen}:" in preview.banner.text() and "bad YAML in front matter" in preview.banner.text()

    qtbot.waitUntil(banner_names_the_file, timeout=WITHIN)
    assert shown(preview) == before
    assert "Still showing the last good version of: 10-mri-risk.md" in preview.banner.text()
    assert [s.id for s in preview.window.language.screens] == [s.id for s in preview.deck.language("es").screens]

    save(screen, good.replace("title: Why you had an MRI", "title: Fixed title"))

    def fixed():
        assert not preview.banner.isVisible()
        assert shown(preview) == ("mri-risk", "Fixed title")

    qtbot.waitUntil(fixed, timeout=WITHIN)


def test_broken_strings_keep_the_last_good_words(preview, deck, qtbot):
    go_to(preview, "doctor-review")
    strings = deck / "en" / "strings.yaml"
    save(strings, strings.read_text(encoding="utf-8") + "next: [unclosed\n")

    def banner_names_strings():
        assert f"{strings}:" in preview.banner.text()

    qtbot.waitUntil(banner_names_strings, timeout=WITHIN)
    assert preview.window.next_button.text() == "Next"
    assert shown(preview)[0] == "doctor-review"


def test_deck_that_cannot_load_at_all_keeps_the_previous_one(preview, deck, qtbot):
    go_to(preview, "next-steps")
    before = shown(preview)
    for lang in ("en", "es"):
        for md in (deck / lang).glob("*.md"):
            md.write_text("no front matter\n", encoding="utf-8")

    def says_cannot_be_shown():
        assert "The content cannot be shown" in preview.banner.text()

    qtbot.waitUntil(says_cannot_be_shown, timeout=WITHIN)
    assert shown(preview) == before
    assert len(preview.window.current_page().ticks) == 6


def test_deleting_a_file_keeps_running(preview, deck, qtbot):
    go_to(preview, "doctor-review")
    (deck / "es" / "20-doctor-review.md").unlink()

    def parity_problem_shown():
        assert "screen 'doctor-review' exists in en but not in es" in preview.banner.text()

    qtbot.waitUntil(parity_problem_shown, timeout=WITHIN)
    assert shown(preview)[0] == "doctor-review"
    preview.window.language_button.click()  # Spanish has no such screen now: back to a screen it has
    assert preview.window.session.language == "es"
    assert preview.window.current_page().screen.id in [s.id for s in preview.deck.language("es").screens]

    screen = deck / "en" / "20-doctor-review.md"
    screen.unlink()

    def gone_from_english():
        assert preview.deck.language("en").screen("doctor-review") is None

    qtbot.waitUntil(gone_from_english, timeout=WITHIN)
    assert preview.window.isVisible()


def test_poll_catches_a_change_the_watcher_missed(preview, deck, qtbot):
    """Without the watcher (some file systems never notify), the 500 ms poll still reloads."""
    preview.watcher.fileChanged.disconnect(preview._changed)
    preview.watcher.directoryChanged.disconnect(preview._changed)
    screen = deck / "en" / "00-start.md"
    screen.write_text(screen.read_text(encoding="utf-8").replace("title: ", "title: New ", 1), encoding="utf-8")

    def start_title_changed():
        assert shown(preview)[1].startswith("New ")

    qtbot.waitUntil(start_title_changed, timeout=WITHIN)


def test_a_save_reloads_once(preview, deck, qtbot):
    screen = deck / "en" / "30-next-steps.md"
    with qtbot.waitSignal(preview.reloaded, timeout=WITHIN):
        save(screen, screen.read_text(encoding="utf-8") + "\nOne more line.\n")
    with qtbot.assertNotEmitted(preview.reloaded, wait=2 * 500 + 200):
        pass


def test_banner_text_lists_problems_and_caps_the_list(deck):
    strings = deck / "es" / "strings.yaml"
    strings.write_text("language_name: Español\n", encoding="utf-8")
    outcome = reload(deck, "en", Limits(), None)
    text = banner_text(outcome, limit=3)
    lines = text.splitlines()
    assert lines[0] == f"kiosk check: {len(outcome.problems)} problems"
    assert lines[1].startswith(f"{strings}:1: missing key ")
    assert lines[4] == f"… and {len(outcome.problems) - 3} more (run 'kiosk check')"


def test_preview_of_a_deck_that_cannot_load_says_so(tmp_path):
    with pytest.raises(DeckError, match="content folder not found"):
        Preview(tmp_path / "missing", "en", config_mod.Config())


def test_preview_never_resets_for_idleness(preview):
    assert preview.config.session.idle_timeout_s >= 3600
