"""Deck loading: the bundled deck is clean; every authoring mistake is a path:line problem."""

from pathlib import Path

import pytest

from kiosk.check import check_deck
from kiosk.deck import DeckError, load_deck
from kiosk.resources import bundled_content

from .decks import make_deck


def messages(root: Path) -> list[str]:
    return [str(p) for p in check_deck(root)]


def test_bundled_deck_loads_cleanly_in_every_language():
    deck = load_deck(bundled_content())
    assert deck.problems == []
    assert set(deck.languages) >= {"en", "es"}
    en = deck.language("en")
    kinds = [s.kind for s in en.screens]
    assert kinds[0] == "start" and "summary" in kinds and "sources" in kinds
    assert len(en.steps) >= 3


def test_screens_follow_file_order_and_ids_default_to_slug(tmp_path):
    deck = load_deck(make_deck(tmp_path))
    lang = deck.language("en")
    assert [s.id for s in lang.screens] == ["start", "risk", "next", "summary", "sources"]
    assert [i.id for i in lang.screen("next").items] == ["next/1", "q-cause"]
    assert lang.screen("risk").label == "Risk"
    assert lang.sources == {"1": "Clinical guidelines."}


def test_mini_deck_has_no_problems(tmp_path):
    assert messages(make_deck(tmp_path)) == []


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("10-risk.md", "---\ntitle: [unclosed\n---\nx[^1]\n", "10-risk.md:2: bad YAML in front matter"),
        ("10-risk.md", "---\nlabel: x\n---\nx[^1]\n", "10-risk.md:2: missing title"),
        ("10-risk.md", "---\ntitle: T\nlable: x\n---\nx[^1]\n", "10-risk.md:3: unknown key 'lable', did you mean 'label'?"),
        ("10-risk.md", "---\ntitle: T\n---\nx[^1] <b>bold</b>\n", "10-risk.md:4: raw HTML"),
        ("10-risk.md", "---\ntitle: T\n---\nx[^1] [site](https://example.org)\n", "10-risk.md:4: external link"),
        ("10-risk.md", "---\ntitle: T\n---\nx[^1] ![pic](missing.png)\n", "10-risk.md:4: image 'missing.png' not found"),
        ("10-risk.md", "---\ntitle: T\n---\nx[^1] and [^7]\n", "10-risk.md:4: footnote [^7] has no source"),
        ("10-risk.md", "---\ntitle: T\n---\n\n", "10-risk.md:4: empty screen"),
        ("10-risk.md", "no front matter\n", "10-risk.md:1: missing front matter"),
        ("20-next.md", "---\ntitle: N\nid: risk\n---\nx\n", "20-next.md:2: screen id 'risk' is also used"),
        ("20-next.md", "---\ntitle: N\n---\n- [ ] A {#q}\n- [ ] B {#q}\n", "20-next.md:5: tickable item id 'q' is used twice"),
        ("20-next.md", "---\ntitle: N\nkind: slide\n---\nx\n", "20-next.md:3: kind 'slide' is not one of"),
    ],
)
def test_each_authoring_mistake_names_file_and_line(tmp_path, name, text, expected):
    found = messages(make_deck(tmp_path, {name: text}))
    assert any(expected in m for m in found), found


def test_a_source_never_cited_is_reported(tmp_path):
    sources = "---\ntitle: Sources\nkind: sources\n---\n[^1]: One.\n[^2]: Two.\n"
    found = messages(make_deck(tmp_path, {"90-sources.md": sources}))
    assert any("90-sources.md:6: source [^2] is never cited" in m for m in found)


def test_bad_screen_is_left_out_and_the_rest_still_loads(tmp_path):
    deck = load_deck(make_deck(tmp_path, {"10-risk.md": "---\ntitle: [bad\n---\n"}))
    assert [s.id for s in deck.language("en").screens] == ["start", "next", "summary", "sources"]


def test_non_utf8_bytes_are_reported_and_replaced(tmp_path):
    raw = b"---\ntitle: Risk\n---\nCaf\xe9 text[^1]\n"
    root = make_deck(tmp_path, {"10-risk.md": raw})
    deck = load_deck(root)
    assert any("10-risk.md:4: text is not UTF-8" in str(p) for p in deck.problems)
    assert "Caf\ufffd text" in deck.language("en").screen("risk").text


def test_a_1mb_file_is_refused_quickly_not_rendered(tmp_path):
    big = "---\ntitle: Big\n---\n" + ("word " * 200_000)
    root = make_deck(tmp_path, {"15-big.md": big})
    deck = load_deck(root)
    assert any("15-big.md:1: file is" in str(p) and "split it" in str(p) for p in deck.problems)
    assert deck.language("en").screen("big") is None


def test_hostile_body_renders_to_safe_html(tmp_path):
    body = ("---\ntitle: T\n---\n<script>x()</script>[^1]\n\n<img src=http://evil/x.png>\n\n"
            "[go](javascript:alert(1))\n\n<b>unclosed\n")
    deck = load_deck(make_deck(tmp_path, {"10-risk.md": body}))
    html = "".join(b.html for b in deck.language("en").screen("risk").blocks)
    assert "<script" not in html and "<img" not in html and "javascript" not in html and "<b>" not in html


def test_missing_strings_key_is_reported_with_the_fix(tmp_path):
    root = make_deck(tmp_path)
    path = root / "en" / "strings.yaml"
    text = "\n".join(line for line in path.read_text().splitlines() if not line.startswith("next:"))
    path.write_text(text)
    assert any("strings.yaml:1: missing key 'next': add 'next: ...'" in m for m in messages(root))


def test_strings_placeholder_typo_is_reported(tmp_path):
    root = make_deck(tmp_path)
    path = root / "en" / "strings.yaml"
    path.write_text(path.read_text().replace("{total}", "{totl}"))
    assert any("'step_of' uses unknown placeholder {totl}" in m for m in messages(root))


def test_nothing_loadable_raises_deck_error(tmp_path):
    with pytest.raises(DeckError, match="content folder not found"):
        load_deck(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DeckError, match="no language folder"):
        load_deck(tmp_path / "empty")


def test_html_in_front_matter_is_reported(tmp_path):
    text = "---\ntitle: Risk <b>now</b>\nlabel: <i>x</i>\n---\nx[^1]\n"
    found = messages(make_deck(tmp_path, {"10-risk.md": text}))
    assert any("10-risk.md:2: title contains HTML" in m for m in found), found
    assert any("10-risk.md:3: label contains HTML" in m for m in found), found
