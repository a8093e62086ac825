"""One widget per screen, built when first needed (see ``PageCache``).

Pages hold no patient state: ticks live in the Session and pages only show
them, so a reset or a language switch never leaves a trace in a page. A page
is sized and coloured by ``apply(view)``, which the window calls only on the
page that shows; a page that was hidden during a change catches up when it
is next shown.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QImage, QKeyEvent, QMouseEvent, QPixmap, QRegion, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from ..deck import Block, Deck, Language, Screen
from ..render import escape
from .controls import ControlButton
from .picture import Picture
from .theme import View, apply_fonts, restyle
from .widgets import Button, Label, RichText, TickItem, centered, touch_scroll_area

if TYPE_CHECKING:
    from .print_panel import PrintController


BEGIN_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(frozen=True)
class PageContext:
    """What every page may show besides its screen: set once per window."""

    languages: dict[str, Language]
    clinic: str
    logo: QPixmap | None
    print_controller: PrintController | None


class Page(QFrame):
    """Base for a screen page. ``screen`` is the deck screen it shows."""

    tick_requested = Signal(str)

    def __init__(self, screen: Screen, lang: Language, parent: QWidget | None = None,
                 view: View | None = None) -> None:
        super().__init__(parent)
        if view is not None:  # before any child: each is styled once, as it joins
            restyle(self, view)
        self.screen = screen
        self.lang = lang
        self.setObjectName("Page")
        self.setAccessibleName(screen.title)  # what a screen reader says
        self.setProperty("screen_id", screen.id)  # for tests and tools, never read aloud
        self.ticks: list[TickItem] = []
        self._tick_by_id: dict[str, TickItem] = {}
        self.rich: list[RichText] = []
        self.view: View | None = None
        self._prepared: tuple[View | None, int, int] | None = None  # ready for (view, width, height)
        self._laid_out: tuple[View | None, int, int] | None = None

    def apply(self, view: View) -> None:
        """Fonts, sizes and colours for this page (cheap: no HTML is parsed for a size)."""
        if view == self.view:
            return
        self.view = view
        restyle(self, view)
        apply_fonts(self, view.metrics, view.family)
        for r in self.rich:
            r.set_theme(view.theme)
        for t in self.ticks:
            t.apply(view.metrics, view.theme)

    def prepare(self, size: QSize) -> bool:
        """Do now, while hidden, what first showing it at ``size`` would, so that showing it
        later costs what showing a page seen before does: lay out every widget and its text,
        then let each widget be shown once and draw the pictures. One step per call (each a
        few ms, so a tap waits for one at most), for idle time (``_build_next``); False when
        it is ready already (or not yet styled)."""
        key = (self.view, size.width(), size.height())
        if self.view is None or key == self._prepared or not self.isHidden():
            return False
        if self._laid_out != key:
            self._laid_out = key
            self.setGeometry(0, 0, size.width(), size.height())
            # rendering a hidden widget sends it and its children their pending resize events
            # and lays them out as showing would; one pixel, drawn off screen, costs nothing
            self.render(QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied), QPoint(), QRegion(0, 0, 1, 1))
            return True
        self._prepared = key
        # shown and hidden at once, with updates off: nothing is drawn, nothing reaches the
        # screen, and each widget's first showing is done
        self.setUpdatesEnabled(False)
        self.show()
        self.hide()
        self.setUpdatesEnabled(True)
        for picture in self.findChildren(Picture):
            picture.prepare()
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._prepared = self._laid_out = (self.view, self.width(), self.height())

    def show_ticks(self, ticked: frozenset[str]) -> None:
        for t in self.ticks:
            t.set_checked(t.item_id in ticked)

    def set_tick(self, item_id: str, checked: bool) -> None:
        t = self._tick_by_id.get(item_id)
        if t is not None:
            t.set_checked(checked)

    def scroll_to_top(self) -> None:
        """Scroll positions are part of what a reset forgets."""

    def focus_widgets(self) -> list[QWidget]:
        """What the keypad's up/down moves through, in reading order."""
        return [w for w in self.findChildren(QWidget)
                if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(self)]

    def _add_blocks(self, layout: QVBoxLayout) -> None:
        for block in self.screen.blocks:
            if block.kind == "html":
                self._add_html(layout, block)
            else:
                for item in block.items:
                    t = TickItem(item.id, item.text)
                    t.toggle_requested.connect(self.tick_requested)
                    self.ticks.append(t)
                    self._tick_by_id[item.id] = t
                    layout.addWidget(t)


    def _add_html(self, layout: QVBoxLayout, block: Block) -> None:
        """Rich text, with each picture as its own widget drawn at the column's width."""
        pictures = dict((str(path), (path, alt)) for path, alt in getattr(block, "images", []))
        parts = IMG.split(block.html) if pictures else [block.html]
        for part in parts:
            src = IMG_SRC.search(part) if part.startswith("<img") else None
            if src is not None:
                path = Path(QUrl(src.group(1)).toLocalFile() or src.group(1))
                path, alt = pictures.get(str(path), (path, ""))
                layout.addWidget(Picture(path, alt))
                continue
            if not part.strip() or _EMPTY.fullmatch(part):
                continue
            r = RichText(part, "ClinicAdvice" if getattr(block, "role", "") == "clinic-advice" else "Body")
            self.rich.append(r)
            layout.addWidget(r)


IMG = re.compile(r"(<img\b[^>]*>)")
IMG_SRC = re.compile(r'src="([^"]+)"')
_EMPTY = re.compile(r"\s*(<p>\s*</p>|</?p>)*\s*")


class StartPage(Page):
    """Welcome: logo, clinic name, title, a few words, one big button."""

    begin = Signal()
    language_chosen = Signal(str)

    def __init__(self, screen: Screen, lang: Language, ctx: PageContext, parent: QWidget | None = None,
                 view: View | None = None) -> None:
        super().__init__(screen, lang, parent, view)
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
        outer.addStretch(1)
        self.logo = Label()
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._logo_pixmap = ctx.logo
        outer.addWidget(self.logo)
        self.logo.setHidden(ctx.logo is None)  # after addWidget: shown unparented it would be a window
        self.clinic = Label(ctx.clinic, role="clinic")
        self.clinic.setObjectName("Clinic")
        self.clinic.setWordWrap(True)
        self.clinic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.clinic)
        self.clinic.setHidden(not ctx.clinic)
        self.title = Label(screen.title, role="start_title")
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
        self.begin_button = Button(s.get("touch_to_begin"), "Begin", role="begin")
        self.begin_button.clicked.connect(self.begin)
        outer.addLayout(centered(self.begin_button))
        outer.addStretch(1)
        self.lang_buttons: list[Button] = []
        # Listen, contrast and text size before the visit begins (low vision, low literacy)
        self.listen_button = ControlButton("listen", "")
        self.smaller_button = ControlButton("smaller", "")
        self.larger_button = ControlButton("larger", "")
        self.contrast_button = ControlButton("contrast", "")
        self.contrast_button.setCheckable(True)
        self.smaller_button.set_words(s.get("text_smaller"))
        self.larger_button.set_words(s.get("text_larger"))
        self.contrast_button.set_words(s.get("contrast"))
        self.tool_buttons = [self.listen_button, self.smaller_button, self.larger_button, self.contrast_button]
        self.tools = QHBoxLayout()
        self.tools.addStretch(1)
        for b in self.tool_buttons:
            self.tools.addWidget(b)
        self.tools.addStretch(1)
        outer.addLayout(self.tools)
        if len(ctx.languages) > 1:
            pick = Label(s.get("choose_language"), role="progress")
            pick.setObjectName("Progress")
            pick.setAlignment(Qt.AlignmentFlag.AlignCenter)
            outer.addWidget(pick)
            langs = QHBoxLayout()
            langs.addStretch(1)
            for code, other in ctx.languages.items():
                name = other.strings.get("language_name") or code
                b = Button(name, "Primary" if code == lang.code else "")
                b.setProperty("lang", code)
                b.clicked.connect(self._language_clicked)
                b.setAccessibleName(name)
                self.lang_buttons.append(b)
                langs.addWidget(b)
            langs.addStretch(1)
            outer.addLayout(langs)
        outer.addStretch(1)

    def update_controls(self, session, speech_available: bool) -> None:  # type: ignore[no-untyped-def]
        s = self.lang.strings
        speaking = session.speech
        self.listen_button.set_icon_name("stop" if speaking else "listen")
        self.listen_button.set_words(s.get("listen_stop") if speaking else s.get("listen"))
        self.listen_button.setVisible(speech_available)
        self.smaller_button.setEnabled(session.text_size > 0)
        self.larger_button.setEnabled(session.text_size < 2)
        self.contrast_button.setChecked(session.contrast == "high")
        if self.view is not None:
            for b in self.tool_buttons:
                b.apply(self.view)
            self._fit_tools()

    def _fit_tools(self) -> None:
        """Words beside the icons when the row fits; icons alone (words as accessible names) when not."""
        shown = [b for b in self.tool_buttons if not b.isHidden()]
        margins = self.column.contentsMargins()
        room = self.width() - margins.left() - margins.right() - self.tools.spacing() * (len(shown) + 1) - 24
        for b in shown:
            b.set_compact(False)
        if sum(b.sizeHint().width() for b in shown) > room:
            for b in shown:
                b.set_compact(True)
        for b in self.tool_buttons:
            b.fit()

    def _start_margins(self) -> None:
        """Lines of about 70 characters on a wide screen (the column narrows, centred)."""
        if self.view is None:
            return
        m = self.view.metrics
        base = m.px(40) if m.compact else m.px(80)
        side = max(base, (self.width() - m.body * 36) // 2)
        self.column.setContentsMargins(side, m.px(24), side, m.px(24))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.view is not None:
            self._start_margins()
            self._fit_tools()

    def _language_clicked(self) -> None:
        sender = self.sender()
        if isinstance(sender, QObject):
            self.language_chosen.emit(str(sender.property("lang")))

    def apply(self, view: View) -> None:
        if view == self.view:
            return
        super().apply(view)
        m = view.metrics
        self.column.setSpacing(m.gap)
        self._start_margins()
        self.begin_button.setMinimumHeight(round(m.target * 1.3))
        self.begin_button.setMinimumWidth(min(m.px(700), 900))
        for b in self.lang_buttons:
            b.setMinimumSize(m.px(220), m.target)
        for b in self.tool_buttons:
            b.apply(view)
        self._fit_tools()
        if self._logo_pixmap is not None:
            h = m.px(90) if m.compact else m.px(140)
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

    def event(self, event: QEvent) -> bool:
        # Space and Enter begin, before the keypad's "activate" shortcut takes them.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() in BEGIN_KEYS:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (*BEGIN_KEYS, Qt.Key.Key_Right):
            self.begin.emit()
            return
        super().keyPressEvent(event)


class ScreenPage(Page):
    """A step, summary or sources screen: title, scrollable content, and a
    "More below" button in its own strip when there is more to read."""

    def __init__(self, screen: Screen, lang: Language, parent: QWidget | None = None,
                 view: View | None = None) -> None:
        super().__init__(screen, lang, parent, view)
        outer = QVBoxLayout(self)
        self.title = Label(screen.title, role="title")
        self.title.setObjectName("Title")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        inner = QWidget()
        # in the scroll area before it has content: setting a full one works out its size first
        self.scroll = touch_scroll_area(inner)
        outer.addWidget(self.scroll, 1)
        self.content = QVBoxLayout(inner)
        self._add_blocks(self.content)
        self.extra = QVBoxLayout()  # summary list and print area
        self.content.addLayout(self.extra)
        self.content.addStretch(1)
        self.more = Button(lang.strings.get("more_below"), "MoreBelow", role="button")
        self.more.setAccessibleName(lang.strings.get("more_below"))
        self.more.clicked.connect(self.scroll_down)
        self.more_strip = QWidget()
        strip = QHBoxLayout(self.more_strip)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.addStretch(1)
        strip.addWidget(self.more)
        strip.addStretch(1)
        outer.addWidget(self.more_strip)
        self.more_strip.setVisible(False)
        bar = self.scroll.verticalScrollBar()
        bar.valueChanged.connect(self._update_more)
        bar.rangeChanged.connect(self._update_more)

    def apply(self, view: View) -> None:
        if view == self.view:
            return
        super().apply(view)
        m = view.metrics
        self._margins()
        self.layout().setSpacing(m.gap // 2 if m.compact else m.gap)
        self.content.setSpacing(m.gap)
        self.content.setContentsMargins(0, 0, m.px(24), m.px(16))
        self.more.setMinimumHeight(m.target)

    def _margins(self) -> None:
        # Keep lines to a readable length (about 70 characters) on wide screens.
        if self.view is None:
            return
        m = self.view.metrics
        base = m.px(24) if m.compact else m.px(64)
        side = max(base, (self.width() - m.body * 36) // 2)
        top = m.px(12) if m.compact else m.px(28)
        self.layout().setContentsMargins(side, top, side, m.px(8))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._margins()

    def scroll_to_top(self) -> None:
        self.scroll.verticalScrollBar().setValue(0)

    def scroll_down(self) -> None:
        bar = self.scroll.verticalScrollBar()
        bar.setValue(bar.value() + max(40, self.scroll.viewport().height() * 3 // 4))

    def scroll_by(self, steps: int) -> None:
        bar = self.scroll.verticalScrollBar()
        bar.setValue(bar.value() + steps * max(40, self.scroll.viewport().height() // 3))

    def _update_more(self, *args: object) -> None:
        bar = self.scroll.verticalScrollBar()
        self.more_strip.setVisible(bar.maximum() - bar.value() > 40)  # a few pixels are not "more"


class SummaryPage(ScreenPage):
    """The last step: what I learned, the questions I chose (large), the sheet as a
    small page that opens full size, and one primary button: Print."""

    see_sheet = Signal()

    def __init__(self, screen: Screen, lang: Language, controller: PrintController | None,
                 parent: QWidget | None = None, view: View | None = None) -> None:
        super().__init__(screen, lang, parent, view)
        s = lang.strings
        points = [p for step in lang.steps for p in step.sheet]
        if points:
            learned = Label(s.get("summary_learned_heading"), role="title")
            learned.setObjectName("Title")
            learned.setWordWrap(True)
            self.learned = RichText("<ul>" + "".join(f"<li>{p}</li>" for p in points) + "</ul>", "SummaryList")
            self.rich.append(self.learned)
            self.extra.addWidget(learned)
            self.extra.addWidget(self.learned)
        self.heading = Label(s.get("summary_ticked_heading"), role="title")
        self.heading.setObjectName("Title")
        self.heading.setWordWrap(True)
        self.list = RichText("", "SummaryList")
        self.rich.append(self.list)
        self.extra.addWidget(self.heading)
        self.extra.addWidget(self.list)
        self._ticked: frozenset[str] | None = None
        self.print_panel = None
        if controller is not None:
            from .print_panel import PrintPanel

            self.print_panel = PrintPanel(controller, lang)
            self.print_panel.see_sheet.connect(self.see_sheet)
            self.extra.addWidget(self.print_panel)
            self.layout().insertWidget(1, self.print_panel.bar)  # under the title, never scrolled away

    def show_ticks(self, ticked: frozenset[str]) -> None:
        if ticked == self._ticked:
            return
        self._ticked = ticked
        items = [i for s in self.lang.screens for i in s.items if i.id in ticked]
        if items:
            self.list.set_fragment("<ul>" + "".join(f"<li>{i.html}</li>" for i in items) + "</ul>")
        else:
            self.list.set_fragment(f"<p>{escape(self.lang.strings.get('summary_nothing_ticked'))}</p>")
        if self.print_panel is not None:
            self.print_panel.mark_dirty()

    def set_tick(self, item_id: str, checked: bool) -> None:
        pass  # the window calls show_ticks when the summary is next shown

    def apply(self, view: View) -> None:
        if view == self.view:
            return
        super().apply(view)
        if self.print_panel is not None:
            self.print_panel.apply(view)


class QuizPage(ScreenPage):
    """Check yourself: true or false, with gentle feedback after each tap.

    Nothing here is a patient choice the kiosk keeps: answers are never stored,
    counted or printed, and a reset clears them (``clear_answers``)."""

    answered = Signal(str)  # the feedback just shown (speech reads it)

    def __init__(self, screen: Screen, lang: Language, parent: QWidget | None = None,
                 view: View | None = None) -> None:
        super().__init__(screen, lang, parent, view)
        s = lang.strings
        self._items: list[tuple[object, Button, Button, RichText]] = []
        insert_at = self.content.count() - 2  # before the summary area and the stretch
        for n, item in enumerate(getattr(screen, "quiz", [])):
            box = QFrame()
            box.setObjectName("QuizItem")
            col = QVBoxLayout(box)
            statement = RichText(f"<p><b>{n + 1}.</b> {item.statement_html}</p>", "Body")
            yes = Button(s.get("quiz_true"), "")
            no = Button(s.get("quiz_false"), "")
            feedback = RichText("", "QuizFeedback")
            feedback.hide()
            for b, answer in ((yes, True), (no, False)):
                b.setProperty("answer", answer)
                b.setProperty("item", n)
                b.setCheckable(True)
                b.clicked.connect(self._answered)
            row = QHBoxLayout()
            row.addWidget(yes)
            row.addWidget(no)
            row.addStretch(1)
            col.addWidget(statement)
            col.addLayout(row)
            col.addWidget(feedback)
            self.rich += [statement, feedback]
            self._items.append((item, yes, no, feedback))
            self.content.insertWidget(insert_at + n, box)

    def _answered(self) -> None:
        sender = self.sender()
        if not isinstance(sender, Button):
            return
        item, yes, no, feedback = self._items[int(sender.property("item"))]
        chose = bool(sender.property("answer"))
        yes.setChecked(chose)
        no.setChecked(not chose)
        s = self.lang.strings
        verdict = s.get("quiz_right") if chose == item.answer else s.get("quiz_not_quite")  # type: ignore[attr-defined]
        feedback.set_fragment(f"<p><b>{escape(verdict)}</b> {item.feedback_html}</p>")  # type: ignore[attr-defined]
        feedback.show()
        self.answered.emit(f"{verdict} {item.feedback}")  # type: ignore[attr-defined]

    def clear_answers(self) -> None:
        for _, yes, no, feedback in self._items:
            yes.setChecked(False)
            no.setChecked(False)
            feedback.hide()

    def apply(self, view: View) -> None:
        if view == self.view:
            return
        super().apply(view)
        for _, yes, no, _ in self._items:
            for b in (yes, no):
                b.setMinimumSize(view.metrics.px(200), view.metrics.target)


def make_page(screen: Screen, lang: Language, ctx: PageContext, view: View | None = None,
              parent: QWidget | None = None) -> Page:
    """The page for ``screen``; with ``view``, styled for it from the start (cheaper than after)."""
    if screen.kind == "start":
        return StartPage(screen, lang, ctx, parent, view=view)
    if screen.kind == "summary":
        return SummaryPage(screen, lang, ctx.print_controller, parent, view=view)
    if screen.kind == "quiz":
        return QuizPage(screen, lang, parent, view=view)
    return ScreenPage(screen, lang, parent, view=view)


class PageCache:
    """At most ``limit`` built pages, the least recently shown dropped first.

    Building a page is the only costly step of a screen change, so the window
    builds the current page (and, in idle time, the next one) and nothing else:
    the cost of a screen change and the memory held do not grow with the deck.

    A small deck is kept whole (``fit``): Qt keeps ~0.4-1.3 KB for every
    page built and deleted again (its style-sheet render-rule cache; measured
    with heaptrack), which with two languages and a ten-page bound meant ~17 KB
    per walk through both languages, for as long as the kiosk ran.
    """

    KEEP = 10  # a large deck: the pages around the patient and the way back
    KEEP_WHOLE_UP_TO = 20  # a deck this small (every language's screens) is kept whole

    def __init__(self, limit: int = KEEP) -> None:
        self.limit = limit
        self._pages: OrderedDict[tuple[str, str], Page] = OrderedDict()

    def fit(self, deck: Deck) -> None:
        """Bound the cache for ``deck``: every page of a small deck, else ``KEEP``."""
        pages = sum(len(lang.journey) for lang in deck.languages.values())
        self.limit = max(self.KEEP, pages) if pages <= self.KEEP_WHOLE_UP_TO else self.KEEP

    def get(self, key: tuple[str, str]) -> Page | None:
        page = self._pages.get(key)
        if page is not None:
            self._pages.move_to_end(key)
        return page

    def put(self, key: tuple[str, str], page: Page, keep: set[tuple[str, str]]) -> list[Page]:
        """Add a page; return the pages dropped to stay within the limit."""
        self._pages[key] = page
        self._pages.move_to_end(key)
        dropped: list[Page] = []
        for old in list(self._pages):
            if len(self._pages) <= self.limit:
                break
            if old not in keep:
                dropped.append(self._pages.pop(old))
        return dropped

    def pages(self) -> list[Page]:
        return list(self._pages.values())

    def clear(self) -> list[Page]:
        pages = list(self._pages.values())
        self._pages.clear()
        return pages

    def __len__(self) -> int:
        return len(self._pages)
