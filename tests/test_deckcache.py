"""The deck cache: a restart uses the loaded deck while nothing it came from changed."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from kiosk import deckcache
from kiosk.app import open_deck
from kiosk.deck import Deck, DeckError, load_deck
from kiosk.resources import bundled_content


class Counting:
    """``load_deck``, counting how often the files were really read."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, root: Path, language: str) -> Deck:
        self.calls += 1
        return load_deck(root, language)


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(bundled_content(), tmp_path / "content"))


def bump(path: Path) -> None:
    """A later modification time, as an editor's save gives (the test may run within one tick)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_a_second_start_uses_the_cache_and_gets_the_same_deck(deck_dir, tmp_path):
    loader = Counting()
    first = deckcache.load(deck_dir, "en", tmp_path / "cache", loader)
    again = deckcache.load(deck_dir, "en", tmp_path / "cache", loader)
    assert loader.calls == 1
    assert list(again.languages) == list(first.languages) == ["en", "es"]
    for code in first.languages:
        a, b = first.languages[code], again.languages[code]
        assert [s.id for s in a.screens] == [s.id for s in b.screens]
        assert [bl.html for s in a.screens for bl in s.blocks] == [bl.html for s in b.screens for bl in s.blocks]
        assert a.strings.texts == b.strings.texts and a.strings.fallback == b.strings.fallback
    assert again.problems == first.problems
    entries = list((tmp_path / "cache").glob("deck-*.pickle"))
    assert len(entries) == 1 and entries[0].stat().st_mode & 0o077 == 0  # the kiosk's own
    assert (tmp_path / "cache").stat().st_mode & 0o077 == 0


def test_an_edited_added_or_removed_file_loads_the_deck_again(deck_dir, tmp_path):
    loader = Counting()
    cache = tmp_path / "cache"
    deckcache.load(deck_dir, "en", cache, loader)
    screen = sorted((deck_dir / "en").glob("*.md"))[1]
    screen.write_text(screen.read_text(encoding="utf-8").replace("title:", "title: Edited", 1), encoding="utf-8")
    bump(screen)
    edited = deckcache.load(deck_dir, "en", cache, loader)
    assert loader.calls == 2
    assert any(s.title.startswith("Edited") for s in edited.languages["en"].screens)
    assert deckcache.load(deck_dir, "en", cache, loader) is not None and loader.calls == 2

    extra = deck_dir / "en" / "99-late.md"
    extra.write_text("---\ntitle: Late\n---\nA late screen.\n", encoding="utf-8")
    assert "late" in [s.id for s in deckcache.load(deck_dir, "en", cache, loader).languages["en"].screens]
    extra.unlink()
    assert "late" not in [s.id for s in deckcache.load(deck_dir, "en", cache, loader).languages["en"].screens]
    assert loader.calls == 4


def test_problems_come_back_from_the_cache_so_they_are_logged_at_every_start(deck_dir, tmp_path):
    broken = sorted((deck_dir / "es").glob("*.md"))[2]
    broken.write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    loader = Counting()
    first = deckcache.load(deck_dir, "en", tmp_path / "cache", loader)
    again = deckcache.load(deck_dir, "en", tmp_path / "cache", loader)
    assert loader.calls == 1
    assert any(p.path == broken for p in first.problems)
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]


def test_a_torn_entry_is_replaced_and_an_unwritable_cache_only_costs_the_speed(deck_dir, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.deckcache")
    loader = Counting()
    cache = tmp_path / "cache"
    deckcache.load(deck_dir, "en", cache, loader)
    entry = next(cache.glob("deck-*.pickle"))
    entry.write_bytes(entry.read_bytes()[:100])  # a power cut while writing, say
    assert deckcache.load(deck_dir, "en", cache, loader).languages["en"].screens
    assert loader.calls == 2 and "not used" in caplog.text
    assert deckcache.load(deck_dir, "en", cache, loader) and loader.calls == 2  # written again
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    assert deckcache.load(deck_dir, "en", blocked, loader).languages["en"].screens
    assert "not written" in caplog.text


def test_a_new_kiosk_version_or_start_language_never_reads_an_old_entry(deck_dir, tmp_path, monkeypatch):
    loader = Counting()
    cache = tmp_path / "cache"
    deckcache.load(deck_dir, "en", cache, loader)
    assert list(deckcache.load(deck_dir, "es", cache, loader).languages)[0] == "es"
    assert loader.calls == 2
    monkeypatch.setattr(deckcache, "__version__", "99.0")
    deckcache.load(deck_dir, "en", cache, loader)
    assert loader.calls == 3


def test_a_deck_that_cannot_be_shown_is_not_cached(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DeckError):
        deckcache.load(empty, "en", tmp_path / "cache", Counting())
    assert not list((tmp_path / "cache").glob("deck-*")) if (tmp_path / "cache").exists() else True


def test_old_entries_are_pruned(tmp_path):
    cache = tmp_path / "cache"
    for n in range(deckcache.KEEP + 3):
        deck = Path(shutil.copytree(bundled_content(), tmp_path / f"deck{n}"))
        deckcache.load(deck, "en", cache, load_deck)
    assert len(list(cache.glob("deck-*.pickle"))) == deckcache.KEEP


def test_the_kiosk_start_path_uses_it(deck_dir, tmp_path):
    deck = open_deck(deck_dir, "en", cache=tmp_path / "cache")
    assert deck is not None and list(tmp_path.joinpath("cache").glob("deck-*.pickle"))
    assert open_deck(deck_dir, "en", cache=tmp_path / "cache").languages.keys() == deck.languages.keys()


def test_a_shared_language_folder_linked_into_the_deck_is_watched_too(tmp_path):
    shared = Path(shutil.copytree(bundled_content() / "es", tmp_path / "shared-es"))
    deck_dir = tmp_path / "content"
    shutil.copytree(bundled_content() / "en", deck_dir / "en")
    (deck_dir / "es").symlink_to(shared, target_is_directory=True)
    (deck_dir / "loop").symlink_to(deck_dir, target_is_directory=True)  # a loop does not hang the walk
    loader = Counting()
    deckcache.load(deck_dir, "en", tmp_path / "cache", loader)
    screen = sorted(shared.glob("*.md"))[1]
    screen.write_text(screen.read_text(encoding="utf-8").replace("title:", "title: Cambiado", 1), encoding="utf-8")
    bump(screen)
    deck = deckcache.load(deck_dir, "en", tmp_path / "cache", loader)
    assert loader.calls == 2
    assert any(s.title.startswith("Cambiado") for s in deck.languages["es"].screens)


def test_any_error_in_the_cache_only_costs_the_speed_up(deck_dir, tmp_path, monkeypatch):
    def broken(root: Path) -> list:
        raise RuntimeError("Symlink loop from somewhere")

    monkeypatch.setattr(deckcache, "tree_stamps", broken)
    assert deckcache.load(deck_dir, "en", tmp_path / "cache", load_deck).languages["en"].screens


def test_an_entry_others_could_write_is_never_unpickled(deck_dir, tmp_path, caplog):
    loader = Counting()
    cache = tmp_path / "cache"
    deckcache.load(deck_dir, "en", cache, loader)
    entry = next(cache.glob("deck-*.pickle"))
    entry.chmod(0o666)
    deckcache.load(deck_dir, "en", cache, loader)
    assert loader.calls == 2 and "writable by nobody else" in caplog.text
    assert entry.stat().st_mode & 0o077 == 0  # written again, the kiosk's own


def test_a_library_upgrade_loads_the_deck_again(deck_dir, tmp_path, monkeypatch):
    loader = Counting()
    deckcache.load(deck_dir, "en", tmp_path / "cache", loader)
    stamps = deckcache._library_stamps()
    assert all(s is not None for s in stamps)  # markdown, yaml and babel are found without importing them
    monkeypatch.setattr(deckcache, "_library_stamps", lambda: [*stamps[:2], ("babel", 1, 2)])
    deckcache.load(deck_dir, "en", tmp_path / "cache", loader)
    assert loader.calls == 2
