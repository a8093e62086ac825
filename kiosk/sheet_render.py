"""Turn a composed ``Sheet`` into a Qt text document, PDF bytes or page images.

Qt GUI only (no widgets), safe to call from a worker thread once a
QGuiApplication exists and the bundled font is registered (``load_fonts``
from the GUI thread). Nothing is written to disk: the PDF goes to a QBuffer.

Layout units: the document is laid out with one px per printer's point, on
the page's printable rect in points. ``QTextDocument.print_`` then scales
the page to the PDF, so CSS ``10px`` prints as 10 pt on paper, and because
the page size is set, Qt adds no page numbers.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
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

from .sheet import Sheet
from .ui.theme import FONT_FAMILY

MARGIN_PT = 40.0  # about 14 mm: inside what every office printer can reach
PAGE_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}


def page_layout(paper: str) -> QPageLayout:
    size = QPageSize(PAGE_SIZES.get(paper.lower(), QPageSize.PageSizeId.Letter))
    return QPageLayout(size, QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_PT, MARGIN_PT, MARGIN_PT, MARGIN_PT), QPageLayout.Unit.Point)


def build_document(sheet: Sheet, family: str = FONT_FAMILY) -> QTextDocument:
    """The sheet as a paginated QTextDocument (page size = printable rect in points)."""
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
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    return doc


def pdf_bytes(sheet: Sheet, family: str = FONT_FAMILY, title: str = "") -> tuple[bytes, int]:
    """Render to PDF in memory; returns (PDF bytes, page count)."""
    doc = build_document(sheet, family)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setPageLayout(page_layout(sheet.paper))
    writer.setResolution(300)
    writer.setCreator("kiosk")
    if title:
        writer.setTitle(title)
    doc.print_(writer)
    pages = doc.pageCount()
    del writer
    buf.close()
    return bytes(data.data()), pages


def page_images(sheet: Sheet, width: int, family: str = FONT_FAMILY) -> list[QImage]:
    """Each printed page as an image ``width`` pixels wide, margins included."""
    doc = build_document(sheet, family)
    layout = page_layout(sheet.paper)
    full = layout.fullRect(QPageLayout.Unit.Point)
    paint = layout.paintRect(QPageLayout.Unit.Point)
    body = doc.pageSize()
    scale = width / full.width()
    height = round(full.height() * scale)
    images = []
    for index in range(doc.pageCount()):
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.scale(scale, scale)
        p.translate(paint.left(), paint.top() - index * body.height())
        clip = QRectF(0, index * body.height(), body.width(), body.height())
        p.setClipRect(clip, Qt.ClipOperation.IntersectClip)
        doc.drawContents(p, clip)
        p.end()
        images.append(image)
    return images
