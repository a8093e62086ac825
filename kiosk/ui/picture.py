"""A picture from the deck (SVG or PNG), as wide as the text column.

Drawn once per size into a cached pixmap (never per frame); its accessible
name is the author's description, which speech also reads.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

log = logging.getLogger(__name__)

MAX_WIDTH_PX = 1100  # a picture never grows past this, however wide the screen


class Picture(QWidget):
    def __init__(self, path: Path, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Picture")
        self.path = path
        self.setAccessibleName(description)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._svg = None
        self._image: QImage | None = None
        self._ratio = 0.6
        if path.suffix.lower() == ".svg":
            from PySide6.QtSvg import QSvgRenderer

            renderer = QSvgRenderer(str(path))
            if renderer.isValid():
                self._svg = renderer
                box = renderer.viewBoxF()
                if box.width() > 0:
                    self._ratio = box.height() / box.width()
        else:
            image = QImage(str(path))
            if not image.isNull():
                self._image = image
                self._ratio = image.height() / max(1, image.width())
        if self._svg is None and self._image is None:
            log.warning("picture %s cannot be drawn; it is left out", path)
            self.hide()
        self._cache: QPixmap | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(min(width, MAX_WIDTH_PX) * self._ratio)

    def sizeHint(self) -> QSize:
        return QSize(600, round(600 * self._ratio))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, round(200 * self._ratio))

    def _target(self) -> QRectF:
        w = min(self.width(), MAX_WIDTH_PX)
        h = min(self.height(), round(w * self._ratio))
        w = min(w, round(h / self._ratio)) if self._ratio else w
        return QRectF((self.width() - w) / 2, 0, w, h)

    def prepare(self) -> None:
        """Draw the picture at its present size now (in idle time), not at its first paint."""
        if not self.isHidden():
            self._pixmap(self._target())

    def paintEvent(self, event: QPaintEvent) -> None:
        target = self._target()
        pix = self._pixmap(target)
        if pix is None:
            return
        p = QPainter(self)
        p.drawPixmap(target.topLeft(), pix)
        p.end()

    def _pixmap(self, target: QRectF) -> QPixmap | None:
        ratio = self.devicePixelRatioF() or 1.0
        size = QSize(round(target.width() * ratio), round(target.height() * ratio))
        if size.isEmpty():
            return None
        if self._cache is None or self._cache.size() != size:
            pix = QPixmap(size)
            pix.fill(Qt.GlobalColor.white)
            p = QPainter(pix)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            rect = QRectF(0, 0, size.width(), size.height())
            if self._svg is not None:
                self._svg.render(p, rect)
            elif self._image is not None:
                p.drawImage(rect, self._image)
            p.end()
            pix.setDevicePixelRatio(ratio)
            self._cache = pix
        return self._cache
