"""Markdown becomes safe Qt rich text, even from hostile input."""

from kiosk import render


def test_raw_html_is_shown_as_text_never_as_markup():
    out = render.to_html("Hi <script>alert(1)</script> <b>x</b>\n\n<div onclick='x'>block</div>")
    assert "<script>" not in out and "<b>" not in out and "<div" not in out
    assert "&lt;script&gt;" in out and "&lt;div" in out


def test_links_never_stay_links():
    out = render.to_html("[click](javascript:alert(1)) and [site](https://example.org) <https://x.org>")
    assert "<a" not in out and "href" not in out and "javascript" not in out
    assert "click" in out and "site" in out


def test_remote_images_become_alt_text(tmp_path):
    out = render.to_html("![a spine](http://evil.example/x.png) <img src=http://evil.example/y.png>", tmp_path)
    assert "<img" not in out.replace("&lt;img", "")
    assert "a spine" in out


def test_local_image_next_to_the_file_is_kept(tmp_path):
    (tmp_path / "spine.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = render.to_html("![spine](spine.png) ![up](../../etc/passwd)", tmp_path)
    assert f'src="{(tmp_path / "spine.png").as_uri()}"' in out
    assert "passwd" not in out.split("up")[0] and out.count("<img") == 1


def test_footnote_markers_become_one_superscript():
    out = render.to_html("An MRI takes pictures.[^2][^3]")
    assert '<sup class="fn">2,3</sup>' in out
    assert "pictures." in render.plain_text(out) and "2,3" not in render.plain_text(out)


def test_unclosed_tags_and_tables_render():
    out = render.to_html("<b>never closed\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<table>" in out and "&lt;b&gt;never closed" in out


def test_task_lines_split_into_tick_blocks_with_author_ids():
    blocks = render.split_blocks("Intro\n\n- [ ] One\n- [x] Two {#q-two}\n\nAfter", first_line=5)
    assert [b.kind for b in blocks] == ["markdown", "ticks", "markdown"]
    ticks = blocks[1].ticks
    assert [(t.text, t.author_id, t.line) for t in ticks] == [("One", None, 7), ("Two", "q-two", 8)]


def test_task_lines_inside_code_fences_are_text():
    blocks = render.split_blocks("```\n- [ ] not a tick\n```\n")
    assert [b.kind for b in blocks] == ["markdown"]
