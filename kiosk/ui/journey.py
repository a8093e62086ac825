"""Overlays of the patient's journey: the sources on demand, the full-size
sheet, and the thank-you after "I'm finished".

Every word comes from the deck (the sources screen's own file and
strings.yaml); each overlay has one Close button and takes the keypad like
any other overlay.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..deck import Language
from .overlay import Overlay
from .state import Look
from .theme import View
from .widgets import Button, Label, RichText, show_page_images, touch_scroll_area

THANKS_MS = 8000  # the thank-you stays this long, or until a touch


class ScrollingOverlay(Overlay):
    """A title, a scrolling body and a Close button, as big as the window allows."""

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent, look)
        self.title = Label(role="dialog_title")
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.scroll = touch_scroll_area(inner)
        self.close_button = Button("", "Primary")
        self.close_button.clicked.connect(self.hide)
        self.card_layout.addWidget(self.title)
        self.card_layout.addWidget(self.scroll, 1)
        self.card_layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)

    def apply(self, view: View) -> None:
        super().apply(view)
        m = view.metrics
        w, h = self.parentWidget().width(), self.parentWidget().height()
        margin = m.px(16) if m.compact else m.px(40)
        self.card.setMaximumWidth(min(w - 2 * margin, m.body * 40))
        self.card.setMinimumWidth(min(w - 2 * margin, m.body * 40))
        self.card.setFixedHeight(h - 2 * margin)

    def open(self) -> None:
        super().open()
        self.scroll.verticalScrollBar().setValue(0)
        self.close_button.setFocus()


class SourcesOverlay(ScrollingOverlay):
    """The deck's sources screen, opened from any screen."""

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent, look)
        self._shown: tuple[str, int] | None = None
        self._rich: list[RichText] = []

    def show_language(self, lang: Language) -> None:
        screen = lang.sources_screen
        key = (lang.code, id(screen))
        if key != self._shown:
            self._shown = key
            for r in self._rich:
                r.setParent(None)
                r.deleteLater()
            self._rich = []
            self.title.setText(screen.title if screen else lang.strings.get("sources_button"))
            for block in (screen.blocks if screen else []):
                if block.kind == "html":
                    r = RichText(block.html, "Body", theme=self.look.view.theme)
                    self._rich.append(r)
                    self.body.addWidget(r)
            self.body.addStretch(1)
            self.setAccessibleName(self.title.text())
        self.close_button.set_words(lang.strings.get("close"))

    def apply(self, view: View) -> None:
        super().apply(view)
        for r in self._rich:
            r.set_theme(view.theme)


class SheetOverlay(ScrollingOverlay):
    """The printed sheet at full size, page by page (opened from the summary's small page)."""

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent, look)
        self._pages: list[Label] = []

    def show_pages(self, title: str, close: str, images: list[QImage], ratio: float) -> None:
        self.title.setText(title)
        self.setAccessibleName(title)
        self.close_button.set_words(close)
        while len(self._pages) < len(images):
            label = Label()
            label.setObjectName("SheetPage")
            label.setStyleSheet("#SheetPage { background: white; border: 1px solid #5f6b73; }")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._pages.append(label)
            self.body.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        show_page_images(self._pages, images, ratio, title)

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().hideEvent(event)
        for label in getattr(self, "_pages", []):  # full-size pages are large: keep them only while shown
            label.clear()

    def page_width(self) -> int:
        return max(300, self.card.maximumWidth() - 120)


class ThanksOverlay(Overlay):
    """"Thank you" after I'm finished: everything is already cleared; it goes by itself."""

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent, look)
        self.title = Label(role="dialog_title")
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = Label(role="body")
        self.body.setObjectName("DialogBody")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card_layout.addWidget(self.title)
        self.card_layout.addWidget(self.body)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(THANKS_MS)
        self.timer.timeout.connect(self.hide)

    def thank(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.setAccessibleName(title)
        self.setAccessibleDescription(body)
        self.open()
        self.timer.start()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.timer.stop()
        self.hide()
