"""One widget per screen, built once per language from the loaded deck.

Pages hold no patient state: ticks live in the Session and pages only show
them, so a reset or a language switch never leaves a trace in a page.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from ..deck import Language, Screen
from ..render import escape
from .print_panel import PrintController, PrintPanel
from .theme import Metrics
from .widgets import Button, Label, RichText, TickItem, centered, touch_scroll_area


class Page(QFrame):
    """Base for a screen page. ``screen`` is the deck screen it shows."""

    tick_toggled = Signal(str)

    def __init__(self, screen: Screen, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.screen = screen
        self.lang = lang
        self.setObjectName("Page")
        self.setAccessibleName(screen.title)  # what a screen reader says; the id is .screen.id
        self.setProperty("screen_id", screen.id)
        self.ticks: list[TickItem] = []
        self.rich: list[RichText] = []
        self._metrics: Metrics | None = None

    def apply(self, m: Metrics) -> None:
        for r in self.rich:
            r.apply(m)
        for t in self.ticks:
            t.apply(m)

    def show_ticks(self, ticked: frozenset[str]) -> None:
        for t in self.ticks:
            t.set_checked(t.item_id in ticked)

    def scroll_to_top(self) -> None:
        """Scroll positions are part of what a reset forgets."""

    def _add_blocks(self, layout: QVBoxLayout) -> None:
        s = self.lang.strings
        for block in self.screen.blocks:
            if block.kind == "html":
                r = RichText(block.html, "Body")
                self.rich.append(r)
                layout.addWidget(r)
            else:
                for item in block.items:
                    t = TickItem(item.id, item.text)
                    t.set_state_names(s.get("ticked"), s.get("not_ticked"))
                    t.toggled.connect(self.tick_toggled)
                    self.ticks.append(t)
                    layout.addWidget(t)


class StartPage(Page):
    """Welcome: logo, clinic name, title, a few words, one big button."""

    begin = Signal()
    language_chosen = Signal(str)

    def __init__(self, screen: Screen, lang: Language, languages: dict[str, Language],
                 clinic: str, logo: QPixmap | None, parent: QWidget | None = None) -> None:
        super().__init__(screen, lang, parent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # for Space/Enter/Right to begin
        s = lang.strings
        # The column scrolls if the largest text size needs more than the screen.
        inner = QWidget()
        inner.installEventFilter(self)
        self.scroll = touch_scroll_area(inner)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.scroll)
        outer = QVBoxLayout(inner)
        self.column = outer
        outer.addStretch(2)
        self.logo = Label()
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._logo_pixmap = logo
        if logo is None:
            self.logo.hide()
        outer.addWidget(self.logo)
        self.clinic = Label(clinic)
        self.clinic.setObjectName("Clinic")
        self.clinic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clinic.setVisible(bool(clinic))
        outer.addWidget(self.clinic)
        self.title = Label(screen.title)
        self.title.setObjectName("StartTitle")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.title)
        self.body = QVBoxLayout()
        self._add_blocks(self.body)
        for r in self.rich:
            r.setObjectName("StartBody")
            r.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addLayout(self.body)
        outer.addStretch(1)
        self.begin_button = Button(s.get("touch_to_begin"), "Begin")
        self.begin_button.clicked.connect(self.begin)
        outer.addLayout(centered(self.begin_button))
        outer.addStretch(1)
        self.lang_buttons: list[Button] = []
        if len(languages) > 1:
            pick = Label(s.get("choose_language"))
            pick.setObjectName("Progress")
            pick.setAlignment(Qt.AlignmentFlag.AlignCenter)
            outer.addWidget(pick)
            langs = QHBoxLayout()
            langs.addStretch(1)
            for code, other in languages.items():
                b = Button(other.strings.get("language_name") or code, "Primary" if code == lang.code else "")
                b.setProperty("lang", code)
                b.clicked.connect(self._language_clicked)
                b.setAccessibleName(other.strings.get("language_name") or code)
                self.lang_buttons.append(b)
                langs.addWidget(b)
            langs.addStretch(1)
            outer.addLayout(langs)
        outer.addStretch(1)
        self._pressed_at: QMouseEvent | None = None

    def _language_clicked(self) -> None:
        sender = self.sender()
        if isinstance(sender, QObject):
            self.language_chosen.emit(str(sender.property("lang")))

    def apply(self, m: Metrics) -> None:
        super().apply(m)
        lay = self.column
        lay.setContentsMargins(m.px(80), m.px(40), m.px(80), m.px(40))
        lay.setSpacing(m.gap)
        self.begin_button.setMinimumWidth(min(m.px(700), 900))
        for b in self.lang_buttons:
            b.setMinimumWidth(m.px(260))
        if self._logo_pixmap is not None:
            h = m.px(140)
            self.logo.setPixmap(self._logo_pixmap.scaledToHeight(h, Qt.TransformationMode.SmoothTransformation))

    def scroll_to_top(self) -> None:
        self.scroll.verticalScrollBar().setValue(0)

    # A tap anywhere on the welcome screen begins (not only on the button).
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.LeftButton:
                self.begin.emit()
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Right):
            self.begin.emit()
            return
        super().keyPressEvent(event)


class ScreenPage(Page):
    """A step, summary or sources screen: title and scrollable content."""

    def __init__(self, screen: Screen, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(screen, lang, parent)
        outer = QVBoxLayout(self)
        self.title = Label(screen.title)
        self.title.setObjectName("Title")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        inner = QWidget()
        self.content = QVBoxLayout(inner)
        self._add_blocks(self.content)
        self.extra = QVBoxLayout()  # summary list, print area (later issues)
        self.content.addLayout(self.extra)
        self.content.addStretch(1)
        self.scroll = touch_scroll_area(inner)
        outer.addWidget(self.scroll, 1)
        self.more = Label(lang.strings.get("more_below"), self)
        self.more.setObjectName("MoreBelow")
        self.more.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.more.hide()
        bar = self.scroll.verticalScrollBar()
        bar.valueChanged.connect(self._update_more)
        bar.rangeChanged.connect(self._update_more)
        self.scroll.installEventFilter(self)

    def apply(self, m: Metrics) -> None:
        super().apply(m)
        self._metrics = m
        self._margins()
        self.layout().setSpacing(m.gap)
        self.content.setSpacing(m.gap)
        self.content.setContentsMargins(0, 0, m.px(24), m.px(24))

    def _margins(self) -> None:
        # Keep lines to a readable length (about 70 characters) on wide screens.
        m = self._metrics
        if m is None:
            return
        side = max(m.px(64), (self.width() - m.body * 40) // 2)
        self.layout().setContentsMargins(side, m.px(28), side, m.px(8))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._margins()

    def scroll_to_top(self) -> None:
        self.scroll.verticalScrollBar().setValue(0)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.scroll and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._update_more()
        return False

    def _update_more(self, *args: object) -> None:
        bar = self.scroll.verticalScrollBar()
        more = bar.maximum() - bar.value() > 40  # a few pixels of margin are not "more"
        if more:
            self.more.adjustSize()
            geo = self.scroll.geometry()
            self.more.move(geo.x() + (geo.width() - self.more.width()) // 2,
                           geo.bottom() - self.more.height() - 8)
            self.more.raise_()
        self.more.setVisible(more)


class SummaryPage(ScreenPage):
    """Lists what the patient ticked, in deck order; the sheet issue adds printing."""

    def __init__(self, screen: Screen, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(screen, lang, parent)
        s = lang.strings
        self.heading = Label(s.get("summary_ticked_heading"))
        self.heading.setObjectName("Title")
        self.heading.setWordWrap(True)
        self.list = RichText("", "SummaryList")
        self.rich.append(self.list)
        self.extra.addWidget(self.heading)
        self.extra.addWidget(self.list)
        self.print_area = QVBoxLayout()
        self.extra.addLayout(self.print_area)
        self.print_panel: PrintPanel | None = None

    def show_ticks(self, ticked: frozenset[str]) -> None:
        items = [i for s in self.lang.screens for i in s.items if i.id in ticked]
        if items:
            self.list.fragment = "<ul>" + "".join(f"<li>{i.html}</li>" for i in items) + "</ul>"
        else:
            self.list.fragment = f"<p>{escape(self.lang.strings.get('summary_nothing_ticked'))}</p>"
        if self._metrics is not None:
            self.list.apply(self._metrics)
        if self.print_panel is not None:
            self.print_panel.mark_dirty()

    def apply(self, m: Metrics) -> None:
        super().apply(m)
        self.heading.setStyleSheet(f"font-size: {m.font(32)}px;")
        if self.print_panel is not None:
            self.print_panel.apply(m)

    def showEvent(self, event: QShowEvent) -> None:
        # The print panel joins on first show, when the page knows its window
        # (session, config, deck), so pages stay free of patient state.
        if self.print_panel is None:
            controller = PrintController.for_window(self.window())
            if controller is not None:
                self.print_panel = PrintPanel(controller, self.lang)
                self.print_area.addWidget(self.print_panel)
                self.layout().insertWidget(1, self.print_panel.bar)  # under the title, never scrolled away
                if self._metrics is not None:
                    self.print_panel.apply(self._metrics)
        super().showEvent(event)


def make_page(screen: Screen, lang: Language, languages: dict[str, Language],
              clinic: str, logo: QPixmap | None) -> Page:
    if screen.kind == "start":
        return StartPage(screen, lang, languages, clinic, logo)
    if screen.kind == "summary":
        return SummaryPage(screen, lang)
    return ScreenPage(screen, lang)
