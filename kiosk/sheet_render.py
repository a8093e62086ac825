"""Turn a composed ``Sheet`` into a Qt text document, PDF bytes or page images.

Qt GUI only (no widgets, nothing from ``kiosk.ui``), safe to call from a
worker thread once a QGuiApplication exists and the bundled font is
registered (``kiosk.fonts.load_fonts`` from the GUI thread). Nothing is
written to disk: the PDF goes to a QBuffer.

Layout units: the document is laid out with one px per printer's point, on
the page's printable rect in points, and painted page by page with the
painter scaled from points to device pixels, so CSS ``12px`` prints as 12 pt.

A sheet that needs more than one page (Large and Largest text) gets a band
at the top of every page: the sheet's title on pages after the first, and
"Page n of N" on every page. A one-page sheet has no band and no number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QLocale, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from .fonts import FONT_FAMILY
from .sheet import Sheet

MARGIN_PT = 28.0  # under half an inch: still inside what every office printer can reach
PAGE_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}


def long_date(day: dt.date, lang: str) -> str:
    """``sheet.long_date`` from Qt's locale data (built into Qt, so nothing more is loaded):
    the language's long date without the weekday, 'November 25, 2026', '25 de noviembre de 2026'."""
    locale = QLocale(lang.replace("-", "_"))
    if locale.language() == QLocale.Language.C:
        return day.isoformat()
    pattern = without_weekday(locale.dateFormat(QLocale.FormatType.LongFormat))
    return locale.toString(QDate(day.year, day.month, day.day), pattern)


def without_weekday(pattern: str) -> str:
    """A Qt date pattern without its weekday and the words and marks that belong to it:
    'dddd, d 'de' MMMM' -> 'd 'de' MMMM', 'ddddที่ d MMMM yyyy' -> 'd MMMM yyyy',
    'yyyy年M月d日dddd' -> 'yyyy年M月d日'."""
    at = pattern.find("dddd")
    if at < 0:
        return pattern
    before, after = pattern[:at], pattern[at + 4:]
    if _first_field(before) is None:  # the weekday leads: what comes before the first date field goes too
        first = _first_field(after)
        return after[first:] if first is not None else after
    if _first_field(after) is None:  # the weekday ends it: so do the spaces and marks before it
        return _trim(before, from_end=True)
    return before + _trim(after, from_end=False)


def _first_field(pattern: str) -> int | None:
    """Where the first day, month or year field is, outside 'quoted text'."""
    quoted = False
    for i, ch in enumerate(pattern):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "dMy":
            return i
    return None


def _trim(text: str, from_end: bool) -> str:
    """Without the spaces and the comma (in any script) that joined the weekday at one end;
    a full stop stays (Hungarian writes the day as '5.')."""
    strip = str.rstrip if from_end else str.lstrip
    return strip(strip(strip(text), _COMMAS), " \u00a0\u202f")


_COMMAS = ",،፣、，;-–—"


def page_layout(paper: str) -> QPageLayout:
    size = QPageSize(PAGE_SIZES.get(paper.lower(), QPageSize.PageSizeId.Letter))
    return QPageLayout(size, QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_PT, MARGIN_PT, MARGIN_PT, MARGIN_PT), QPageLayout.Unit.Point)


def _band_height(sheet: Sheet) -> float:
    return sheet.sizes[2] * 2.2


def _document(sheet: Sheet, family: str, body_height: float) -> QTextDocument:
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    font = QFont(family)
    font.setPixelSize(round(sheet.sizes[0]))
    doc.setDefaultFont(font)
    for name, data in sheet.resources.items():
        image = QImage.fromData(data)
        if not image.isNull():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    doc.setHtml(sheet.html)
    rect = page_layout(sheet.paper).paintRect(QPageLayout.Unit.Point)
    doc.setPageSize(QSizeF(rect.width(), body_height))
    return doc


@dataclass
class Layout:
    """The document and where its pages go: ``band`` points at the top of each page for the running head."""

    doc: QTextDocument
    band: float
    family: str

    @property
    def pages(self) -> int:
        return self.doc.pageCount()


def build_layout(sheet: Sheet, family: str = FONT_FAMILY) -> Layout:
    """Lay the sheet out on its paper; make room for a running head when it needs two pages or more."""
    height = page_layout(sheet.paper).paintRect(QPageLayout.Unit.Point).height()
    doc = _document(sheet, family, height)
    if doc.pageCount() <= 1:
        return Layout(doc, 0.0, family)
    band = _band_height(sheet)
    return Layout(_document(sheet, family, height - band), band, family)


def build_document(sheet: Sheet, family: str = FONT_FAMILY) -> QTextDocument:
    """The sheet as a paginated QTextDocument (page size = printable rect in points, less any running head)."""
    return build_layout(sheet, family).doc


def _paint_page(p: QPainter, sheet: Sheet, layout: Layout, index: int) -> None:
    """Paint page ``index`` with the painter in points, origin at the printable rect's top left."""
    doc = layout.doc
    body = doc.pageSize()
    if layout.band:
        font = QFont(layout.family)
        font.setPixelSize(round(sheet.sizes[2]))
        p.setFont(font)
        p.setPen(QColor("black"))
        head = QRectF(0, 0, body.width(), layout.band * 0.8)
        label = sheet.page_label.replace("{n}", str(index + 1)).replace("{total}", str(layout.pages))
        if index > 0:
            p.drawText(head, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), sheet.title)
        p.drawText(head, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), label)
    p.save()
    p.translate(0, layout.band - index * body.height())
    clip = QRectF(0, index * body.height(), body.width(), body.height())
    p.setClipRect(clip, Qt.ClipOperation.IntersectClip)
    doc.drawContents(p, clip)
    p.restore()


def pdf_bytes(sheet: Sheet, family: str = FONT_FAMILY, title: str = "") -> tuple[bytes, int]:
    """Render to PDF in memory; returns (PDF bytes, page count)."""
    layout = build_layout(sheet, family)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setPageLayout(page_layout(sheet.paper))
    writer.setResolution(300)
    writer.setCreator("kiosk")
    if title:
        writer.setTitle(title)
    p = QPainter(writer)
    scale = writer.logicalDpiX() / 72.0
    for index in range(layout.pages):
        if index:
            writer.newPage()
        p.save()
        p.scale(scale, scale)
        _paint_page(p, sheet, layout, index)
        p.restore()
    p.end()
    pages = layout.pages
    del writer
    buf.close()
    return bytes(data.data()), pages


def page_images(sheet: Sheet, width: int, family: str = FONT_FAMILY) -> list[QImage]:
    """Each printed page as an image ``width`` pixels wide, margins included."""
    layout = build_layout(sheet, family)
    pl = page_layout(sheet.paper)
    full = pl.fullRect(QPageLayout.Unit.Point)
    paint = pl.paintRect(QPageLayout.Unit.Point)
    scale = width / full.width()
    height = round(full.height() * scale)
    images = []
    for index in range(layout.pages):
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.scale(scale, scale)
        p.translate(paint.left(), paint.top())
        _paint_page(p, sheet, layout, index)
        p.end()
        images.append(image)
    return images



