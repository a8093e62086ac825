"""A deck installed while the kiosk runs shows at the next return to Start, never mid-visit."""

import shutil

from kiosk import cli
from kiosk.deck import load_deck
from kiosk.deckstore import active_deck_dir
from kiosk.resources import bundled_content
from kiosk.ui.deck_updates import DeckUpdates
from tests.lifecycle_helpers import make_window


def install(tmp_path, state, title: str, version: str) -> None:
    deck = tmp_path / f"deck-{version}"
    shutil.copytree(bundled_content(), deck)
    manifest = (deck / "manifest.toml").read_text()
    (deck / "manifest.toml").write_text(manifest.replace('version = "', f'version = "{version}', 1))
    risk = next((deck / "en").glob("10-*.md"))
    text = risk.read_text()
    head, _, rest = text.partition("\ntitle:")
    risk.write_text(head + f"\ntitle: {title}" + rest.partition("\n")[2].join(["\n", ""]))
    assert cli.main(["deck", "--state-dir", str(state), "install", str(deck)]) == 0


def test_new_version_waits_for_start_then_shows(qtbot, tmp_path):
    state = tmp_path / "state"
    install(tmp_path, state, "First words", "1")
    w = make_window(qtbot, load_deck(active_deck_dir(state)))
    updates = DeckUpdates(w.session, w.holder, state, "en", w)
    w.session.begin()
    assert w.current_page().screen.title == "First words"
    install(tmp_path, state, "Second words", "2")
    w.session.next()
    w.session.back()
    assert w.current_page().screen.title == "First words"  # a patient is reading: nothing changes
    with qtbot.waitSignal(updates.adopted, timeout=2000):
        w.session.reset("idle")
    w.session.begin()
    assert w.current_page().screen.title == "Second words"
