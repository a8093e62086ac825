"""Small touch widgets: rich text that cannot be selected, tick items, buttons."""

from __future__ import annotations

import atexit
import weakref

from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyleOption,
    QWidget,
)
from shiboken6 import delete, isValid

from .theme import THEMES, Metrics, document_css, set_role

# Enum members passed on every paint are looked up once: PySide6 6.11 keeps a few bytes for
# each one looked up and passed per call (tracemalloc: ~7 bytes a call on average), which a
# kiosk that paints all day would never give back.
ANTIALIAS = QPainter.RenderHint.Antialiasing
NO_PEN = Qt.PenStyle.NoPen
_SOLID, _ROUND_CAP, _ROUND_JOIN = Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
_NO_BRUSH = Qt.BrushStyle.NoBrush


def wrap_html(fragment: str, theme: str) -> str:
    return f"<html><head><style>{document_css(theme)}</style></head><body>{fragment}</body></html>"


class Label(QLabel):
    """Text from content or strings, always shown as plain text (never as markup)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, role: str = "") -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)
        if role:
            set_role(self, role)


class RichText(QLabel):
    """Authored HTML: word-wrapped, not selectable, no menus, no links opened.

    The HTML is parsed when it or the theme changes, never for a text size:
    the document follows the widget's font. Its sizes are kept until the words, font or
    margins change: QLabel lays the whole document out (twice for a height at a width)
    each time a layout asks, and layouts ask several times per change of screen, text
    size or colour.
    """

    def __init__(self, html: str, name: str = "Body", parent: QWidget | None = None,
                 theme: str = "normal") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        set_role(self, "body")
        self._fragment = html
        self._theme = theme
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setOpenExternalLinks(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._sizes: dict[tuple[object, ...], object] = {}
        self.setText(wrap_html(html, theme))

    def setText(self, text: str) -> None:  # type: ignore[override]
        self._sizes.clear()
        super().setText(text)

    def _kept(self, what: str, width: int, work):  # type: ignore[no-untyped-def]
        # the words are fixed between setText calls; what else decides a size is in the key
        # (a colour change keeps it: contrast re-lays out nothing)
        m = self.contentsMargins()
        key = (what, width, self.font().key(), self.frameWidth(), self.margin(), self.indent(),
               m.left(), m.top(), m.right(), m.bottom(), bool(self.wordWrap()))
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > 24:
                self._sizes.clear()
            size = self._sizes[key] = work()
        return size

    def heightForWidth(self, width: int) -> int:
        return self._kept("h", width, lambda: super(RichText, self).heightForWidth(width))

    def sizeHint(self) -> QSize:
        return QSize(self._kept("s", 0, lambda: super(RichText, self).sizeHint()))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._kept("m", 0, lambda: super(RichText, self).minimumSizeHint()))

    @property
    def fragment(self) -> str:
        return self._fragment

    def set_fragment(self, html: str) -> None:
        if html != self._fragment:
            self._fragment = html
            self.setText(wrap_html(html, self._theme))

    def set_theme(self, theme: str) -> None:
        if theme != self._theme:
            self._theme = theme
            # the themes differ in colours only (``document_css``): the sizes kept still hold
            QLabel.setText(self, wrap_html(self._fragment, theme))


def show_page_images(labels: list[QLabel], images: list[QImage], ratio: float, name: str) -> None:
    """Put the sheet's page images into ``labels`` (one each; the rest hidden and emptied)."""
    for i, label in enumerate(labels):
        if i < len(images):
            pix = QPixmap.fromImage(images[i])
            pix.setDevicePixelRatio(ratio)
            label.setPixmap(pix)
            label.setFixedSize(round(pix.width() / ratio) + 2, round(pix.height() / ratio) + 2)
            label.setAccessibleName(f"{name} {i + 1}")
            label.show()
        else:
            label.clear()
            label.hide()


class _Flick:
    """One finger-flick gesture for the whole application.

    ``QScroller.grabGesture`` registers a new gesture recognizer on every call, and
    Qt never deletes a recognizer once it is unregistered (when the scrolled widget
    goes): about 1 KB for every page built, for as long as the kiosk runs (found by
    benchmarks/soak.py). So the recognizer is registered once, on an object that
    lives as long as the application; each scroll area gets its own QScroller (freed
    with it) and grabs that one gesture. Qt's flick gesture drives the QScroller of
    the widget it was grabbed on, so scrolling is the same as with ``grabGesture``.
    """

    _anchor: QObject | None = None
    _type = Qt.GestureType.CustomGesture

    @classmethod
    def gesture(cls) -> Qt.GestureType:
        if cls._anchor is None or not isValid(cls._anchor):
            cls._anchor = QObject()
            cls._anchor.setObjectName("FlickGesture")
            cls._type = QScroller.grabGesture(cls._anchor, QScroller.ScrollerGestureType.TouchGesture)
            # Forget it while the QApplication still exists (atexit runs this before PySide's own
            # handler, registered earlier, destroys the application): from the application's own
            # teardown, Qt's gesture manager would already be gone (glibc aborted the process).
            atexit.register(cls._release)
        return cls._type

    @classmethod
    def _release(cls) -> None:
        anchor, cls._anchor = cls._anchor, None
        if anchor is not None and isValid(anchor):
            delete(anchor)

    @classmethod
    def grab(cls, viewport: QWidget) -> None:
        QScroller.scroller(viewport)  # the gesture scrolls the QScroller its widget already has
        viewport.grabGesture(cls.gesture())
        viewport.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)  # as grabGesture does for touch


_kinetic = False  # Qt's first QScroller costs ~12 ms: the window turns flicks on after its first paint
_waiting: weakref.WeakSet[QScrollArea] = weakref.WeakSet()


def enable_kinetic_scrolling() -> None:
    """From now on scroll areas take flicks; the ones made so far too."""
    global _kinetic
    _kinetic = True
    for scroll in list(_waiting):
        if isValid(scroll):  # a window closed before its first paint leaves dead ones
            _Flick.grab(scroll.viewport())
    _waiting.clear()


def touch_scroll_area(inner: QWidget) -> QScrollArea:
    """A frameless vertical scroll area a finger can flick (kinetic scrolling; before the
    window's first paint the flick is only promised, see ``enable_kinetic_scrolling``)."""
    scroll = QScrollArea()
    scroll.setObjectName("Scroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if _kinetic:
        _Flick.grab(scroll.viewport())
    else:
        _waiting.add(scroll)
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
    """A push button that does not take focus from a touch (only from Tab or the keypad)."""

    def __init__(self, text: str = "", name: str = "", parent: QWidget | None = None,
                 role: str = "button") -> None:
        super().__init__(text, parent)
        if name:
            self.setObjectName(name)
        set_role(self, role)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAutoDefault(False)

    def set_words(self, text: str, accessible: str = "") -> None:
        self.setText(text)
        self.setAccessibleName(accessible or text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select):
            self.animateClick()
            return
        super().keyPressEvent(event)


class CheckMark(QWidget):
    """A drawn tick box (no font glyph needed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checked = False
        self.side = 40
        self.theme = "normal"
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_side(self, side: int) -> None:
        self.side = side
        self.setFixedSize(QSize(side, side))

    def paintEvent(self, event: QPaintEvent) -> None:
        c = THEMES[self.theme]
        p = QPainter(self)
        p.setRenderHint(ANTIALIAS)
        s = float(self.side)
        w = max(3.0, s / 12)
        box = QRectF(w / 2, w / 2, s - w, s - w)
        accent = QColor(c["tick"])
        if self.checked:
            p.setBrush(accent)
            p.setPen(QPen(accent, w))
            p.drawRoundedRect(box, s / 6, s / 6)
            path = QPainterPath(QPointF(s * 0.25, s * 0.52))
            path.lineTo(QPointF(s * 0.43, s * 0.70))
            path.lineTo(QPointF(s * 0.76, s * 0.32))
            p.setPen(QPen(QColor(c["on_accent"]), w * 1.4, _SOLID, _ROUND_CAP, _ROUND_JOIN))
            p.setBrush(_NO_BRUSH)
            p.drawPath(path)
        else:
            p.setBrush(QColor(c["surface"]))
            p.setPen(QPen(QColor(c["text"]), w))
            p.drawRoundedRect(box, s / 6, s / 6)
        p.end()


class TickItem(QCheckBox):
    """A large toggle row for a tickable question; wraps long text.

    It is a QCheckBox so assistive technology hears a check box and whether it
    is checked. Its checked state only mirrors the Session (which owns ticks):
    a tap asks for a toggle through ``toggle_requested`` and the Session's
    answer sets it.
    """

    toggle_requested = Signal(str)  # item id

    def __init__(self, item_id: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id = item_id
        self.setObjectName("TickItem")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setProperty("checked", False)
        self.box = CheckMark(self)
        self.label = Label(text, self, role="body")
        self.label.setObjectName("TickText")
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QHBoxLayout(self)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(text)
        self.clicked.connect(self._clicked)

    def apply(self, m: Metrics, theme: str) -> None:
        self.box.set_side(max(32, round(m.body * 1.4)))
        self.box.theme = theme
        self.layout().setContentsMargins(m.px(20), m.px(12), m.px(20), m.px(12))
        self.layout().setSpacing(m.px(20))
        self.setMinimumHeight(m.target)

    def set_checked(self, checked: bool) -> None:
        if checked == self.isChecked():
            return
        self.setChecked(checked)
        self.box.checked = checked
        self.box.update()
        self.setProperty("checked", checked)
        self.style().unpolish(self)
        self.style().polish(self)

    # the Session decides; a click only asks
    def nextCheckState(self) -> None:
        pass

    def _clicked(self) -> None:
        self.toggle_requested.emit(self.item_id)

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.layout().minimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.layout().totalHeightForWidth(width)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select):
            self.animateClick()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        # Only the styled frame (border, background, focus ring); the box and text are children.
        opt = QStyleOption()
        opt.initFrom(self)
        p = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, opt, p, self)
        p.end()
