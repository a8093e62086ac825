"""Python-Markdown extensions of the kiosk: no raw HTML, footnote citations, no links, local images only.

Kept apart from ``kiosk.render`` so that importing the render helpers (escape,
plain text) does not import Python-Markdown: a kiosk that starts from the deck
cache (``kiosk.deckcache``) never parses Markdown before its first paint.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .images import image_problem
from .mdsyntax import FOOTNOTE_ID, FOOTNOTE_RUN, SCHEME


class _FootnoteRefs(InlineProcessor):
    """``[^1][^3]`` -> ``<sup class="fn">1,3</sup>``."""

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        ids = FOOTNOTE_ID.findall(m.group(1))
        el = ET.Element("sup")
        el.set("class", "fn")
        el.text = ",".join(ids)
        return el, m.start(0), m.end(0)


class _SafeTree(Treeprocessor):
    """Links become plain text; images must be local files next to the screen."""

    def __init__(self, md: markdown.Markdown, base: Path | None) -> None:
        super().__init__(md)
        self.base = base

    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for i, child in enumerate(list(parent)):
                if child.tag == "a":
                    span = ET.Element("span")
                    span.text, span.tail = child.text, child.tail
                    span.extend(list(child))
                    parent.remove(child)
                    parent.insert(i, span)
                elif child.tag == "img":
                    self._image(parent, i, child)

    def _image(self, parent: ET.Element, i: int, img: ET.Element) -> None:
        src = img.get("src", "")
        local = None
        if src and not SCHEME.match(src) and self.base is not None and image_problem(src, self.base) is None:
            local = (self.base / src).resolve()
        if local is None:
            span = ET.Element("span")
            span.text = img.get("alt", "")
            span.tail = img.tail
            parent.remove(img)
            parent.insert(i, span)
        else:
            img.set("src", local.as_uri())
            img.attrib.pop("title", None)


class SafeKiosk(Extension):
    """Escape raw HTML, cite footnotes, neutralise links and remote images.

    ``to_html`` sets the image folder on the tree processor per document."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_FootnoteRefs(FOOTNOTE_RUN, md), "kiosk_fn", 175)
        md.treeprocessors.register(_SafeTree(md, None), "kiosk_safe", 1)


def new_markdown() -> markdown.Markdown:
    """The one Markdown instance ``render.to_html`` reuses."""
    return markdown.Markdown(extensions=["tables", "sane_lists", SafeKiosk()], output_format="html")
