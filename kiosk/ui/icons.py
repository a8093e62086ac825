"""Small line icons drawn with QPainter, in the theme's colours (no image files, no fonts).

Header controls show an icon beside their words, and the icon alone when the
words do not fit (a narrow or short screen at a large text size); the words
stay the button's accessible name, so a screen reader always hears them.

Each icon is drawn once per name, colour and size and then shared. Qt keeps
the scaled and greyed-out copies it paints in its global QPixmapCache under
the icon's identity: a new QIcon for every button (the Start page is rebuilt
often) left about 12 KB there per Start page, until the cache's 10 MB were
full (benchmarks/soak.py found it).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

NAMES = ("listen", "stop", "smaller", "larger", "contrast", "sources", "language")


@lru_cache(maxsize=128)  # 7 names x a few colours x a few sizes
def icon(name: str, color: str, side: int = 64) -> QIcon:
    """The icon ``name`` in ``color``, ``side`` pixels square (the same QIcon for the same arguments)."""
    pix = QPixmap(side, side)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = QColor(color)
    w = side / 11
    pen = QPen(c, w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    s = float(side)
    if name in ("listen", "stop"):
        body = QPainterPath(QPointF(s * 0.12, s * 0.38))
        for x, y in ((0.30, 0.38), (0.52, 0.18), (0.52, 0.82), (0.30, 0.62), (0.12, 0.62)):
            body.lineTo(QPointF(s * x, s * y))
        body.closeSubpath()
        p.setBrush(c)
        p.drawPath(body)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if name == "listen":
            for r in (0.16, 0.30):
                p.drawArc(QRectF(s * (0.52 - r), s * (0.5 - r), s * 2 * r, s * 2 * r), -50 * 16, 100 * 16)
        else:
            p.drawLine(QPointF(s * 0.66, s * 0.36), QPointF(s * 0.90, s * 0.64))
            p.drawLine(QPointF(s * 0.90, s * 0.36), QPointF(s * 0.66, s * 0.64))
    elif name in ("smaller", "larger"):
        big = name == "larger"
        f = p.font()
        f.setBold(True)
        f.setPixelSize(round(s * (0.78 if big else 0.5)))
        p.setFont(f)
        p.drawText(QRectF(0, 0, s * 0.72, s), Qt.AlignmentFlag.AlignCenter, "A")
        p.drawLine(QPointF(s * 0.70, s * 0.5), QPointF(s * 0.96, s * 0.5))
        if big:
            p.drawLine(QPointF(s * 0.83, s * 0.37), QPointF(s * 0.83, s * 0.63))
    elif name == "contrast":
        r = QRectF(s * 0.12, s * 0.12, s * 0.76, s * 0.76)
        p.drawEllipse(r)
        p.setBrush(c)
        p.drawPie(r, 90 * 16, 180 * 16)
    elif name == "sources":
        p.drawRoundedRect(QRectF(s * 0.2, s * 0.1, s * 0.6, s * 0.8), s * 0.06, s * 0.06)
        for y in (0.32, 0.5, 0.68):
            p.drawLine(QPointF(s * 0.32, s * y), QPointF(s * 0.68, s * y))
    elif name == "language":
        r = QRectF(s * 0.12, s * 0.12, s * 0.76, s * 0.76)
        p.drawEllipse(r)
        p.drawEllipse(QRectF(s * 0.34, s * 0.12, s * 0.32, s * 0.76))
        p.drawLine(QPointF(s * 0.12, s * 0.5), QPointF(s * 0.88, s * 0.5))
    p.end()
    return QIcon(pix)
