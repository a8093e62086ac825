"""Deck loading: the bundled deck is clean; every authoring mistake is a path:line problem."""

from pathlib import Path

import pytest

from kiosk.check import check_deck
from kiosk.deck import DeckError, load_deck
from kiosk.resources import bundled_content

from .decks import MINI, make_deck


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


# -- issue 11: hardening ---------------------------------------------------
def test_demo_seconds_is_bounded(tmp_path):
    text = "---\ntitle: Risk\ndemo_seconds: 1.0e+300\n---\nReading an MRI takes training.[^1]\n"
    root = make_deck(tmp_path, {"10-risk.md": text})
    deck = load_deck(root)
    assert deck.language("en").screen("risk").demo_seconds is None
    assert f"{root / 'en' / '10-risk.md'}:3: demo_seconds should be a number of seconds from 1 to 600, " \
           "not 1e+300" in messages(root)
    text = text.replace("1.0e+300", "600")
    assert load_deck(make_deck(tmp_path, {"10-risk.md": text})).language("en").screen("risk").demo_seconds == 600


def test_alias_in_front_matter_is_refused_without_expanding_it(tmp_path):
    text = "---\ntitle: &t Risk\nlabel: *t\n---\nx[^1]\n"
    root = make_deck(tmp_path, {"10-risk.md": text})
    assert f"{root / 'en' / '10-risk.md'}:2: bad YAML in front matter: YAML anchors (&name) are not allowed " \
           "here; check quotes, colons and brackets" in messages(root)


def test_a_list_value_in_id_or_kind_is_reported_short(tmp_path):
    text = "---\ntitle: Risk\nid: [" + ", ".join(["abcdefgh"] * 40) + "]\nkind: {a: 1}\n---\nx[^1]\n"
    found = messages(make_deck(tmp_path, {"10-risk.md": text}))
    assert any(m.endswith(":3: id a list should be lower-case letters, digits and '-'") for m in found), found
    assert any(m.endswith(":4: kind a dict is not one of: start, step, quiz, summary, sources") for m in found), found


def test_a_deeply_nested_list_is_refused_before_parsing(tmp_path):
    root = make_deck(tmp_path, {"15-deep.md": "---\ntitle: Deep\n---\n" + "- " * 100 + "x\n"})
    deck = load_deck(root)
    assert deck.language("en").screen("deep") is None
    assert [s.id for s in deck.language("en").screens] == ["start", "risk", "next", "summary", "sources"]
    assert any(m.startswith(f"{root / 'en' / '15-deep.md'}:4: lists or quotes are nested more than 16 deep")
               for m in messages(root)), messages(root)


def png(width: int, height: int) -> bytes:
    import struct
    import zlib
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk


def test_images_outside_the_folder_are_reported(tmp_path):
    root = make_deck(tmp_path / "deck", {"10-risk.md": "---\ntitle: Risk\n---\nx[^1]\n\n![spine](../spine.png)\n\n"
                                                        "![link](link.png)\n"})
    (root / "spine.png").write_bytes(png(10, 10))
    (tmp_path / "outside.png").write_bytes(png(10, 10))
    (root / "en" / "link.png").symlink_to(tmp_path / "outside.png")
    found = messages(root)
    risk = root / "en" / "10-risk.md"
    assert any(m.startswith(f"{risk}:6: image '../spine.png' is outside the language folder en/") for m in found)
    assert any(m.startswith(f"{risk}:8: image 'link.png' is outside the language folder en/") for m in found)
    html = "".join(b.html for b in load_deck(root).language("en").screen("risk").blocks)
    assert "<img" not in html and "spine" in html


def test_images_too_large_to_show_are_reported_with_the_limit(tmp_path):
    root = make_deck(tmp_path, {"10-risk.md": "---\ntitle: Risk\n---\nx[^1]\n\n![big](big.png)\n\n![ok](ok.png)\n\n"
                                              "![heavy](heavy.png)\n"})
    (root / "en" / "big.png").write_bytes(png(5000, 100))
    (root / "en" / "ok.png").write_bytes(png(4096, 4096))
    (root / "en" / "heavy.png").write_bytes(png(10, 10) + b"\0" * (6 * 1024 * 1024))
    risk = root / "en" / "10-risk.md"
    found = messages(root)
    assert f"{risk}:6: image 'big.png' is 5000x100 pixels; the kiosk shows images up to 4096 pixels a side: " \
           "make it smaller" in found
    assert f"{risk}:10: image 'heavy.png' is 6.0 MB; the kiosk shows images up to 5 MB: make it smaller" in found
    assert not any("'ok.png'" in m for m in found)
    html = "".join(b.html for b in load_deck(root).language("en").screen("risk").blocks)
    assert html.count("<img") == 1 and "ok.png" in html


def test_a_deck_without_start_or_summary_kind_is_an_error_whatever_the_names(tmp_path):
    root = make_deck(tmp_path, {"00-start.md": "---\ntitle: Welcome\n---\nHello.\n",
                                "05-home.md": None,
                                "80-summary.md": "---\ntitle: Summary\n---\nHere is what you chose.\n"})
    found = messages(root)
    assert f"{root / 'en'}:1: the deck needs exactly one 'start' screen, has 0" in found
    assert f"{root / 'en'}:1: the deck needs exactly one 'summary' screen, has 0" in found
    renamed = make_deck(tmp_path / "renamed", {"00-start.md": None, "01-hello.md": MINI["00-start.md"]})
    assert not any("'start' screen" in m for m in messages(renamed))


def test_reload_is_refused_when_a_language_loses_its_start_or_summary(tmp_path):
    from kiosk.deck import reload_refusal

    root = make_deck(make_deck(tmp_path), lang="es")
    old = load_deck(root)
    assert reload_refusal(old, load_deck(root)) == []
    (root / "es" / "80-summary.md").write_text("---\ntitle: Resumen\n---\nAquí está.\n", encoding="utf-8")
    assert reload_refusal(old, load_deck(root)) == [
        f"language 'es' would have no 'summary' screen; add a screen with 'kind: summary' in {root / 'es'}"]
    (root / "es" / "80-summary.md").write_text(MINI["80-summary.md"], encoding="utf-8")
    (root / "en" / "00-start.md").unlink()
    assert reload_refusal(old, load_deck(root)) == [
        f"language 'en' would have no 'start' screen; add a screen with 'kind: start' in {root / 'en'}"]


def test_any_failure_inside_one_screen_leaves_only_that_screen_out(tmp_path, monkeypatch):
    """The guard behind the limits: whatever still breaks Markdown costs one screen, not the deck."""
    from kiosk import render

    real = render.to_html

    def fragile(text, base=None):
        if "Reading an MRI" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, base)

    monkeypatch.setattr(render, "to_html", fragile)
    root = make_deck(tmp_path)
    deck = load_deck(root)
    assert [s.id for s in deck.language("en").screens] == ["start", "next", "summary", "sources"]
    assert f"{root / 'en' / '10-risk.md'}:1: this screen could not be loaded (RecursionError); it is left out. " \
           "Simplify it (shorter lines, flatter lists) and try again" in [str(p) for p in deck.problems]


def test_messages_quote_at_most_a_short_piece_of_what_the_author_wrote(tmp_path):
    long_id = "q" * 4000
    text = f"---\ntitle: Next\n---\n- [ ] One {{#{long_id}}}\n- [ ] Two {{#{long_id}}}\n"
    found = messages(make_deck(tmp_path, {"20-next.md": text}))
    twice = [m for m in found if "is used twice" in m]
    assert twice and all(len(m) < 200 + len(str(tmp_path)) for m in twice)
    assert all(f"'{'q' * 59}…'" in m for m in twice)
