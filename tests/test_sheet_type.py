"""The printed sheet's type sizes, read from the laid-out document: 12 pt body, 10 pt small print."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QTextDocument

from kiosk import sheet, sheet_render
from kiosk.deck import load_deck
from kiosk.fonts import load_fonts
from kiosk.render import plain_text
from kiosk.resources import bundled_content


def fragments(doc: QTextDocument) -> list[tuple[str, float]]:
    """(text, size in points) of every run of text; the document is laid out at 1 px = 1 pt."""
    out = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid() and frag.text().strip():
                f = frag.charFormat().font()
                size = f.pixelSize() if f.pixelSize() > 0 else f.pointSizeF()
                if frag.charFormat().verticalAlignment() != frag.charFormat().VerticalAlignment.AlignSuperScript:
                    out.append((frag.text(), float(size)))
            it += 1
        block = block.next()
    return out


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("text_size", [0, 1, 2])
def test_body_at_least_12_pt_sources_and_disclaimer_at_least_10_pt(qapp, lang, text_size):
    family = load_fonts()
    language = load_deck(bundled_content()).language(lang)
    s = sheet.compose(language, sheet.resolve_selection(language, ["all"]), clinic="Clinic",
                      today=dt.date(2026, 11, 25), qr_url="https://example.org", text_size=text_size)
    doc = sheet_render.build_document(s, family)
    small = {language.strings.get(k) for k in ("sheet_disclaimer", "sheet_qr_caption", "sheet_sources_heading")}
    small |= {plain_text(h) for h in language.sources.values()}
    seen = fragments(doc)
    assert seen
    for text, size in seen:
        limit = 10 if any(text.strip() in t or t in text for t in small) or text.strip().rstrip(".").isdigit() else 12
        assert size >= limit, (text, size)
