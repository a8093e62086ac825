"""Small touch widgets: rich text that cannot be selected, tick items, buttons."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QWidget,
)

from .theme import COLORS, Metrics, document_css


def wrap_html(fragment: str, m: Metrics) -> str:
    return f"<html><head><style>{document_css(m)}</style></head><body>{fragment}</body></html>"


class Label(QLabel):
    """Text from content or strings, always shown as plain text (never as markup)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)


class RichText(QLabel):
    """Authored HTML: word-wrapped, not selectable, no menus, no links opened."""

    def __init__(self, html: str, name: str = "Body", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.fragment = html
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setOpenExternalLinks(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setText(html)

    def apply(self, m: Metrics) -> None:
        self.setText(wrap_html(self.fragment, m))


def touch_scroll_area(inner: QWidget) -> QScrollArea:
    """A frameless vertical scroll area a finger can flick (kinetic scrolling)."""
    scroll = QScrollArea()
    scroll.setObjectName("Scroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    inner.setObjectName("Inner")
    scroll.setWidget(inner)
    return scroll


def centered(widget: QWidget) -> QHBoxLayout:
    """A row holding ``widget`` in the middle."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    return row


class Button(QPushButton):
    """A push button that does not take focus from a touch (only from Tab)."""

    def __init__(self, text: str = "", name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        if name:
            self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAutoDefault(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.animateClick()
            return
        super().keyPressEvent(event)


class CheckMark(QWidget):
    """A drawn tick box (no font glyph needed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checked = False
        self.side = 40
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_side(self, side: int) -> None:
        self.side = side
        self.setFixedSize(QSize(side, side))

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = float(self.side)
        w = max(3.0, s / 12)
        box = QRectF(w / 2, w / 2, s - w, s - w)
        accent = QColor(COLORS["tick"])
        if self.checked:
            p.setBrush(accent)
            p.setPen(QPen(accent, w))
            p.drawRoundedRect(box, s / 6, s / 6)
            path = QPainterPath(QPointF(s * 0.25, s * 0.52))
            path.lineTo(QPointF(s * 0.43, s * 0.70))
            path.lineTo(QPointF(s * 0.76, s * 0.32))
            p.setPen(QPen(QColor("white"), w * 1.4, Qt.PenStyle.SolidLine,
                          Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        else:
            p.setBrush(QColor("white"))
            p.setPen(QPen(QColor(COLORS["muted"]), w))
            p.drawRoundedRect(box, s / 6, s / 6)
        p.end()


class TickItem(QFrame):
    """A large toggle row for a tickable question; wraps long text."""

    toggled = Signal(str)  # item id

    def __init__(self, item_id: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id = item_id
        self.checked = False
        self.state_names = ("", "")
        self.setObjectName("TickItem")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setProperty("checked", False)
        self.setProperty("pressed", False)
        self.box = CheckMark(self)
        self.label = Label(text, self)
        self.label.setObjectName("TickText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label, 1)
        self.setAccessibleName(text)

    def apply(self, m: Metrics) -> None:
        self.box.set_side(max(36, round(m.body * 1.5)))
        self.layout().setContentsMargins(m.px(20), m.px(14), m.px(20), m.px(14))
        self.layout().setSpacing(m.px(20))
        self.setMinimumHeight(m.target)

    def set_state_names(self, ticked: str, not_ticked: str) -> None:
        self.state_names = (ticked, not_ticked)
        self._describe()

    def set_checked(self, checked: bool) -> None:
        if checked == self.checked:
            return
        self.checked = checked
        self.box.checked = checked
        self.box.update()
        self._repolish("checked", checked)
        self._describe()

    def _describe(self) -> None:
        self.setAccessibleDescription(self.state_names[0 if self.checked else 1])

    def _repolish(self, prop: str, value: bool) -> None:
        self.setProperty(prop, value)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._repolish("pressed", True)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        was_pressed = bool(self.property("pressed"))
        self._repolish("pressed", False)
        if was_pressed and self.rect().contains(event.position().toPoint()):
            self.toggled.emit(self.item_id)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select):
            self.toggled.emit(self.item_id)
            return
        super().keyPressEvent(event)
