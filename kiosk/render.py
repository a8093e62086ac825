"""Markdown to the HTML subset Qt rich text shows, safely.

Raw HTML is escaped (shown as text), links become plain text, remote images
become their alt text, and footnote markers ``[^1]`` become small
superscripts. Tickable task-list lines are split off before Markdown runs
(see ``split_blocks``) because the kiosk shows them as real toggle buttons.
The Markdown extensions themselves live in ``kiosk.markdown_ext``, imported
on the first ``to_html``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from .mdsyntax import FOOTNOTE_ID, SCHEME  # noqa: F401  (part of this module's names: deck, sheet)

if TYPE_CHECKING:
    import markdown

TASK_LINE = re.compile(r"^[-*+]\s+\[([ xX])\]\s+(.*?)\s*$")
AUTHOR_ID = re.compile(r"\s*\{#([A-Za-z0-9][A-Za-z0-9_.-]*)\}\s*$")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:\s?(.*)$")
# ``!!! clinic-advice "From our clinic"`` opens a labelled block; its lines are indented 4 spaces.
ADVICE_LINE = re.compile(r'^!!!\s*([A-Za-z0-9_-]*)\s*(?:"([^"]*)"|\'([^\']*)\')?\s*$')
ADVICE_KIND = "clinic-advice"
IMG_TAG = re.compile(r'<img\b[^>]*>')
IMG_ATTR = re.compile(r'\b(src|alt)="([^"]*)"')


_md: markdown.Markdown | None = None  # Python-Markdown is imported on first use (kiosk.markdown_ext)


def to_html(text: str, base: Path | None = None) -> str:
    """Render one Markdown fragment to safe Qt rich text HTML.

    One Markdown instance is reused (``reset()`` between documents): building
    one compiles every pattern again, which cost most of the deck load time.
    """
    global _md
    if _md is None:
        from .markdown_ext import new_markdown

        _md = new_markdown()
    tree = _md.treeprocessors["kiosk_safe"]
    tree.base = base
    _md.reset()
    return _md.convert(text)


def inline_html(text: str) -> str:
    """Render a one-line text (a tick item, a sheet point) without the <p>."""
    out = to_html(text)
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "sup":
            self.skip += 1
        elif tag in ("p", "li", "br", "h1", "h2", "h3", "h4", "tr", "td", "th"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup":
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def plain_text(fragment: str) -> str:
    """Readable text of rendered HTML, footnote superscripts left out."""
    p = _Text()
    p.feed(fragment)
    p.close()
    lines = (" ".join(line.split()) for line in "".join(p.parts).splitlines())
    return "\n".join(line for line in lines if line)


@dataclass
class RawTick:
    line: int  # 1-based line in the file
    text: str  # Markdown of the item, author id removed
    author_id: str | None
    checked: bool


@dataclass
class RawBlock:
    kind: str  # "markdown", "ticks" or "advice"
    line: int
    text: str = ""
    ticks: list[RawTick] | None = None
    advice_kind: str = ""  # for "advice": the word after '!!!' (only "clinic-advice" is known)
    title: str | None = None  # for "advice": the quoted label, None when missing


def _advice_end(lines: list[str], start: int) -> int:
    """Index just past the indented body of the ``!!!`` line at ``start``."""
    end = start + 1
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if line.startswith(("    ", "\t")):
            end = i + 1
        elif line.strip():
            break
        i += 1
    return end


def _dedent(line: str) -> str:
    return line[1:] if line.startswith("\t") else line[4:]


def split_blocks(body: str, first_line: int = 1) -> list[RawBlock]:
    """Split a screen body into Markdown runs and task-list runs."""
    blocks: list[RawBlock] = []
    md_lines: list[str] = []
    md_start = first_line
    in_fence = False

    def flush_md() -> None:
        if "".join(md_lines).strip():
            blocks.append(RawBlock("markdown", md_start, "\n".join(md_lines)))
        md_lines.clear()

    lines = body.splitlines()
    skip_to = 0
    for offset, line in enumerate(lines):
        lineno = first_line + offset
        if offset < skip_to:
            continue
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        advice = None if in_fence else ADVICE_LINE.match(line)
        if advice:
            flush_md()
            skip_to = _advice_end(lines, offset)
            inner = "\n".join(_dedent(x) for x in lines[offset + 1: skip_to])
            title = advice.group(2) if advice.group(2) is not None else advice.group(3)
            blocks.append(RawBlock("advice", lineno, inner, advice_kind=advice.group(1), title=title))
            md_start = first_line + skip_to
            continue
        m = None if in_fence else TASK_LINE.match(line)
        if m:
            flush_md()
            text = m.group(2)
            idm = AUTHOR_ID.search(text)
            author = idm.group(1) if idm else None
            if idm:
                text = text[: idm.start()]
            tick = RawTick(lineno, text, author, m.group(1) != " ")
            if blocks and blocks[-1].kind == "ticks" and blocks[-1].ticks is not None:
                blocks[-1].ticks.append(tick)
            else:
                blocks.append(RawBlock("ticks", lineno, ticks=[tick]))
            md_start = lineno + 1
        else:
            if not md_lines:
                md_start = lineno
            md_lines.append(line)
    flush_md()
    return blocks


def images(fragment: str) -> list[tuple[str, str]]:
    """(src, alt) of every image in rendered HTML, in order."""
    out = []
    for tag in IMG_TAG.findall(fragment):
        attrs = dict(IMG_ATTR.findall(tag))
        out.append((html.unescape(attrs.get("src", "")), html.unescape(attrs.get("alt", ""))))
    return out


def escape(text: str) -> str:
    return html.escape(text, quote=False)
