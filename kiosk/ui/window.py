"""The kiosk window: header (progress, text size, language), pages, footer.

The window observes a ``Session`` and forwards touches to it. Pages are built
when first shown (the first screen before first paint, the next one in idle
time) and kept in a bounded ``PageCache``, so start-up, screen changes and
memory stay flat whatever the size of the deck. A text-size or contrast
change restyles the page that shows and the chrome; other pages catch up
when next shown.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPixmap,
    QPixmapCache,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..config import Config
from ..deck import Deck, Language
from ..session import TEXT_SIZES, Mode, Session
from ..visits import VisitTracker
from .afterpaint import AfterPaint
from .controls import ControlButton
from .demo import DemoBadge, DemoDriver
from .gestures import SwipeFilter
from .idle import IdleController
from .inputhub import InputHub
from .journey import SheetOverlay, SourcesOverlay, ThanksOverlay
from .keypad import Keypad
from .lockdown import Lockdown
from .overlay import ConfirmOverlay, Overlay
from .pages import Page, PageCache, PageContext, QuizPage, StartPage, SummaryPage, make_page
from .speech import SpeechController
from .staff_corner import StaffCorner
from .state import DeckHolder, Look
from .theme import THEMES, View, apply_fonts, load_fonts, px_per_mm, restyle
from .widgets import ANTIALIAS, NO_PEN, Button, Label, enable_kinetic_scrolling

if TYPE_CHECKING:
    from .stats_writer import StatsWriter

log = logging.getLogger(__name__)
_O = TypeVar("_O", bound=Overlay)
# Speech loads this long after the first paint: starting speech-dispatcher competes with the
# X server for the CPU while the first frame is still on its way to the panel.
WARM_UP_DELAY_MS = 1500
TIDY_AFTER_RESET_MS = 2000  # a reset's own work (Start page, thanks) is done by then
FIRST_FRAME_WAIT_MS = 2000  # a window that does not paint (blanked) starts its idle work anyway
# The neighbours are built this soon after a screen is painted: the frame is with the display
# server by then, and the work (short steps of a few ms each) is done before a quick second tap.
NEIGHBOURS_SETTLE_MS = 10


class PageStack(QStackedWidget):
    """A stack whose size does not depend on its pages.

    Qt's stack asks every page it holds for its size (and its height at a width, which
    lays out all its text) whenever one is shown: the cost of a screen change would grow
    with the pages kept. Pages fill what the window gives them and scroll what does not
    fit, so the stack asks for nothing.
    """

    def sizeHint(self) -> QSize:
        return QSize(640, 400)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def hasHeightForWidth(self) -> bool:
        return False

    def heightForWidth(self, width: int) -> int:
        return -1


class StepBar(QWidget):
    """How far along the patient is: a thin bar, fixed size whatever the deck.

    It is not a set of tabs and does not look tappable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._done, self._total, self._theme = 0, 1, "normal"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(60)
        self.setFixedHeight(10)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_progress(self, done: int, total: int, theme: str) -> None:
        self._done, self._total, self._theme = done, max(1, total), theme
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        c = THEMES[self._theme]
        p = QPainter(self)
        p.setRenderHint(ANTIALIAS)
        r = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = r.height() / 2
        p.setPen(QColor(c["border"]))
        p.setBrush(QColor(c["accent_soft"]))
        p.drawRoundedRect(r, radius, radius)
        filled = QRectF(r.x(), r.y(), r.width() * self._done / self._total, r.height())
        p.setPen(NO_PEN)
        p.setBrush(QColor(c["accent"]))
        p.drawRoundedRect(filled, radius, radius)
        p.end()


class KioskWindow(QWidget):
    """``stats``: the usage-figures writer (``kiosk.ui.stats_writer``), or None to count nothing.
    ``speech_engine``: QtTextToSpeech's engine ("speechd"; widget tests use Qt's "mock").
    ``size``: the size it will be shown at, when known, so the first page is laid out once
    (not at a default size and again when shown)."""

    sheet_printed = Signal(bool)  # a print job of the summary finished: ok or not
    visit_ended = Signal(object)  # a kiosk.stats.Visit: one patient's visit, as the usage figures count it
    # What a page asks for reaches the session through these: pages come and go, and PySide6
    # keeps ~60-110 bytes for good of every connection from a deleted page to a Python method
    # (tracemalloc). A signal connected to a signal is Qt's alone and leaves nothing.
    _page_tick = Signal(str)
    _page_begin = Signal()
    _page_language = Signal(str)
    _page_listen = Signal()
    _page_contrast = Signal()
    _page_smaller = Signal()
    _page_larger = Signal()
    _page_sheet = Signal()
    _page_answered = Signal(str)

    def __init__(self, deck: Deck, config: Config, session: Session | None = None,
                 language: str | None = None, stats: StatsWriter | None = None,
                 speech_engine: str = "speechd", size: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.setObjectName("Root")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # ``paintEvent`` fills it
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.config = config
        self.family = load_fonts()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            font = app.font()
            font.setFamily(self.family)
            app.setFont(font)
        self.holder = DeckHolder(deck, self)
        lang = deck.language(language or config.default_language)
        self.session = session or Session([s.id for s in lang.journey], lang.code, config.display.contrast)
        if session is not None:
            self.session.set_screens([s.id for s in lang.journey], lang.code)
        self.look = Look(self.session, self.family, self)
        if size is not None:
            self.resize(*size)
            self.look.set_window(self.width(), self.height(), self._px_per_mm())
        self._logo = self._load_logo()
        self._print_controller = None
        self._cache = PageCache()
        self._cache.fit(deck)
        self._fade: QPropertyAnimation | None = None
        self._background = QColor()  # the theme's page colour, painted by ``paintEvent`` (``_restyle``)
        self._chrome_stale = True  # header and footer not yet styled for the current look
        self._header_fit: tuple[object, ...] | None = None  # what the header's controls were fitted to

        # Two faces that keep their sizes while the other shows, so going between Start and
        # the first step lays nothing out again: the journey (header, the steps' pages,
        # footer) and the Start pages (one per language), full height, without chrome.
        self.header = self._build_header()
        self.stack = PageStack()
        self.stack.setObjectName("Stack")
        self.footer = self._build_footer()
        self.journey = QWidget()
        journey = QVBoxLayout(self.journey)
        journey.setContentsMargins(0, 0, 0, 0)
        journey.setSpacing(0)
        journey.addWidget(self.header)
        journey.addWidget(self.stack, 1)
        journey.addWidget(self.footer)
        self.start_stack = PageStack()
        self.start_stack.setObjectName("Stack")
        self.body = PageStack()
        self.body.addWidget(self.journey)
        self.body.addWidget(self.start_stack)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self.body, 1)
        self.setMinimumSize(320, 320)
        self._overlays: dict[type[Overlay], Overlay] = {}  # built on first use (see ``_overlay``)
        self.start_badge = DemoBadge(self)

        self.swipe = SwipeFilter(self)
        InputHub.watch(self.swipe, SwipeFilter.TYPES)
        self.swipe.swiped.connect(self._on_swipe)
        self._legacy_keys()

        s = self.session
        s.screen_changed.connect(self._on_screen_changed)
        s.tick_toggled.connect(self._on_tick_toggled)
        s.ticks_changed.connect(self._on_ticks_changed)
        s.language_changed.connect(self._on_language_changed)
        s.was_reset.connect(self._on_reset)
        s.mode_changed.connect(self._update_badges)
        s.demo_changed.connect(self._update_badges)
        self.look.changed.connect(self._on_look_changed)
        self.holder.changed.connect(self._on_deck_changed)

        self._prebuild = QTimer(self)  # builds the next page in idle time, after a paint
        self._prebuild.setSingleShot(True)
        self._prebuild.setInterval(0)
        self._prebuild.timeout.connect(self._build_next)
        # once the page shown has painted, soon enough to be done before a quick second tap
        self._neighbours = AfterPaint(self._prebuild.start, self, settle_ms=NEIGHBOURS_SETTLE_MS)

        self._quit_allowed = False
        self._thank_after_reset = False
        self.lockdown = Lockdown(self, config.session.hide_cursor)
        self.speech = SpeechController(self.session, self.holder, config.speech, self, engine=speech_engine)
        self.idle = IdleController(self.session, self.holder, config.session, self, self.look,
                                   speaker=self.speech.speak_text)
        self.speech.speaking_changed.connect(self.idle.set_busy)
        self.speech.available_changed.connect(self._on_speech_available)
        self.listen_button.clicked.connect(self.speech.toggle)
        s.speech_changed.connect(self._update_controls)  # a contrast or text size change: Look.changed
        s.finished.connect(self._on_finished)
        # What can wait until the patient sees the first screen: the neighbours' pages, kinetic
        # scrolling (Qt's first QScroller costs ~12 ms) and, from the app, loading speech.
        # ``_painted``: the first frame is out (or it was given up waiting for: a window that
        # starts blanked outside opening hours does not paint until morning).
        self._painted = False
        self._first_frame = AfterPaint(self._first_paint_done, self, fallback_ms=FIRST_FRAME_WAIT_MS)
        self._warm = QTimer(self)  # speech: WARM_UP_DELAY_MS after the first frame (``warm_up_later``)
        self._warm.setSingleShot(True)
        self._warm.setInterval(WARM_UP_DELAY_MS)
        self._warm.timeout.connect(self.speech.warm_up)
        self._warm_wanted = False
        # after a visit ends, in idle time: the heap's free pages go back to the system
        self._tidy = QTimer(self)
        self._tidy.setSingleShot(True)
        self._tidy.setInterval(TIDY_AFTER_RESET_MS)
        self._tidy.timeout.connect(self._tidy_up)
        self.demo = DemoDriver(self.session, self.holder, config.demo, self.idle, self)
        self.corner = StaffCorner(self, self.session, self.look, config.staff.hold_seconds)
        self.corner.held.connect(self._open_staff)
        self._staff = None
        self._stats = stats
        self.visits = VisitTracker(self.session, self.visit_ended.emit)
        self.sheet_printed.connect(self.visits.printed)
        if stats is not None:
            self.visit_ended.connect(stats.record)
        self.keypad = Keypad(self, config.keypad, {
            "next": self.go_next, "back": self.go_back, "start_over": self.go_home,
            "text_larger": self.session.text_larger, "text_smaller": self.session.text_smaller,
            "contrast": self.session.toggle_contrast, "speak": self.speech.toggle,
        })
        for relay, slot in ((self._page_tick, self.session.toggle), (self._page_begin, self.session.begin),
                            (self._page_language, self.session.set_language), (self._page_listen, self.speech.toggle),
                            (self._page_contrast, self.session.toggle_contrast),
                            (self._page_smaller, self.session.text_smaller),
                            (self._page_larger, self.session.text_larger), (self._page_sheet, self.show_sheet),
                            (self._page_answered, self._quiz_answered)):
            relay.connect(slot)
        self._restyle(self.look.view, True, True)
        self._show_language(lang.code)

    # -- building -----------------------------------------------------------
    def _load_logo(self) -> QPixmap | None:
        path = self.config.logo_path
        if path is None:
            return None
        pix = QPixmap(str(path))
        if pix.isNull():
            log.warning("logo %s could not be loaded; check [logo] in the config", path)
            return None
        return pix

    def _build_header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("Header")
        self.progress = Label(role="progress")
        self.progress.setObjectName("Progress")
        self.step_bar = StepBar()
        self.listen_button = ControlButton("listen")
        self.smaller_button = ControlButton("smaller")
        self.smaller_button.clicked.connect(self.session.text_smaller)
        self.larger_button = ControlButton("larger")
        self.larger_button.clicked.connect(self.session.text_larger)
        self.contrast_button = ControlButton("contrast")
        self.contrast_button.setCheckable(True)
        self.contrast_button.clicked.connect(self.session.toggle_contrast)
        self.sources_button = ControlButton("sources")
        self.sources_button.clicked.connect(self.show_sources)
        self.language_button = ControlButton("language")
        self.language_button.clicked.connect(self._next_language)
        self.controls = [self.listen_button, self.smaller_button, self.larger_button, self.contrast_button,
                         self.sources_button, self.language_button]
        where = QVBoxLayout()
        where.setSpacing(4)
        where.addWidget(self.progress)
        where.addWidget(self.step_bar)
        row = QHBoxLayout(header)
        row.addLayout(where, 1)
        for b in self.controls:
            row.addWidget(b)
        return header

    def _build_footer(self) -> QFrame:
        footer = QFrame()
        footer.setObjectName("Footer")
        self.start_over_button = Button("", "")
        self.start_over_button.clicked.connect(self._ask_start_over)
        self.back_button = Button("", "")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = Button("", "Primary")
        self.next_button.clicked.connect(self._next_or_finish)
        self.badge = DemoBadge(footer, floating=False)
        row = QHBoxLayout(footer)
        row.addWidget(self.start_over_button)
        row.addStretch(1)
        row.addWidget(self.badge)
        row.addStretch(1)
        row.addWidget(self.back_button)
        row.addWidget(self.next_button)
        return footer

    def _legacy_keys(self) -> None:
        """Keyboard users' usual keys, beside the keypad's configurable ones."""
        for key, slot in ((Qt.Key.Key_PageDown, self.go_next), (Qt.Key.Key_PageUp, self.go_back)):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(slot)

    def _print_controller_for_pages(self):  # type: ignore[no-untyped-def]
        if self._print_controller is None:
            from .print_panel import PrintController

            self._print_controller = PrintController(self.session, self.config, self.holder, self.family, self)
            self._print_controller.finished.connect(self._on_print_finished)
        return self._print_controller

    def _on_print_finished(self, result) -> None:  # type: ignore[no-untyped-def]
        self.sheet_printed.emit(bool(result.ok))

    @property
    def print_controller(self):  # type: ignore[no-untyped-def]
        """The summary's print controller, made when the summary is first built."""
        return self._print_controller

    @property
    def deck(self) -> Deck:
        return self.holder.deck

    @property
    def language(self) -> Language:
        return self.holder.language(self.session.language)

    @property
    def metrics(self):  # type: ignore[no-untyped-def]
        return self.look.metrics

    def page_for(self, code: str, index: int) -> Page:
        """The page of screen ``index`` in language ``code``, built if needed."""
        lang = self.holder.language(code)
        screen = lang.journey[index]
        key = (lang.code, screen.id)
        page = self._cache.get(key)
        if page is None:
            summary = screen.kind == "summary"
            ctx = PageContext(self.deck.languages, self.config.clinic_name, self._logo,
                              self._print_controller_for_pages() if summary else None)
            # made in its stack and styled from the start: joining a stack or taking a style
            # sheet afterwards would style every widget of the page again
            stack = self._stack_for(screen.kind)
            page = make_page(screen, lang, ctx, self.look.view, stack)
            page.tick_requested.connect(self._page_tick)  # signal to signal (see ``_page_tick``)
            if isinstance(page, StartPage):
                page.begin.connect(self._page_begin)
                page.language_chosen.connect(self._page_language)
                page.listen_button.clicked.connect(self._page_listen)
                page.contrast_button.clicked.connect(self._page_contrast)
                page.smaller_button.clicked.connect(self._page_smaller)
                page.larger_button.clicked.connect(self._page_larger)
                page.update_controls(self.session, self.speech.available)
            elif isinstance(page, SummaryPage):
                page.see_sheet.connect(self._page_sheet)
            elif isinstance(page, QuizPage):
                page.answered.connect(self._page_answered)
            page.show_ticks(self.session.ticks)
            stack.addWidget(page)
            keep = {key}
            for current in (self.stack.currentWidget(), self.start_stack.currentWidget()):
                if isinstance(current, Page):
                    keep.add((current.lang.code, current.screen.id))
            for old in self._cache.put(key, page, keep):
                self._drop(old)
        return page

    def _stack_for(self, kind: str) -> QStackedWidget:
        return self.start_stack if kind == "start" else self.stack

    def _stack_of(self, page: Page) -> QStackedWidget:
        return self._stack_for(page.screen.kind)

    def shown_page(self) -> Page | None:
        """The page the patient sees (built: None only before the window shows one)."""
        page = self.body.currentWidget()
        page = page.currentWidget() if page is self.start_stack else self.stack.currentWidget()
        return page if isinstance(page, Page) else None

    def _drop(self, page: Page) -> None:
        self._stack_of(page).removeWidget(page)  # hidden, still the stack's child until deleted
        page.deleteLater()

    def current_page(self) -> Page:
        return self.page_for(self.session.language, self.session.index)

    def built_pages(self) -> list[Page]:
        return self._cache.pages()

    def current_screen_id(self) -> str:
        return self.session.screen_id

    def _build_next(self) -> None:
        """In idle time after a paint: the neighbours a patient may go to next, one step per
        pass (the next screen first, then the one before; each built, then prepared), so Next
        and Back find them built, in the current text size and theme, and laid out: showing
        one then costs what showing a page seen before does, whatever the size of the deck."""
        i, count = self.session.index, self.session.count
        view = self.look.view
        for n in (i + 1, i - 1):
            if not 0 <= n < count:
                continue
            page = self._cache.get((self.session.language, self.session.journey_id(n)))
            if page is None or page.view != view:
                self.page_for(self.session.language, n).apply(view)
                self._prebuild.start()  # laid out on the next pass, then the other neighbour
                return
            if page.prepare(self._stack_of(page).size()):
                self._prebuild.start()  # its next step, or the other neighbour, on the next pass
                return

    def _overlay(self, kind: type[_O]) -> _O:
        overlay = self._overlays.get(kind)
        if overlay is None:
            overlay = self._overlays[kind] = kind(self, self.look)
        return overlay  # type: ignore[return-value]

    @property
    def confirm(self) -> ConfirmOverlay:
        return self._overlay(ConfirmOverlay)

    @property
    def sources(self) -> SourcesOverlay:
        return self._overlay(SourcesOverlay)

    @property
    def sheet_view(self) -> SheetOverlay:
        return self._overlay(SheetOverlay)

    @property
    def thanks(self) -> ThanksOverlay:
        return self._overlay(ThanksOverlay)

    # -- showing ------------------------------------------------------------
    def _show_language(self, code: str) -> None:
        lang = self.holder.language(code)
        self.session.set_screens([s.id for s in lang.journey])  # same screen, by id
        s = lang.strings
        self.start_over_button.set_words(s.get("start_over"))
        self.back_button.set_words(s.get("back"))
        others = [c for c in self.deck.languages if c != lang.code]
        self.language_button.setVisible(bool(others))
        if others:
            self.language_button.set_words(self.deck.languages[others[0]].strings.get("language_name"))
        self.smaller_button.set_words(s.get("text_smaller"))
        self.larger_button.set_words(s.get("text_larger"))
        self.contrast_button.set_words(s.get("contrast"))
        self.sources_button.set_words(s.get("sources_button"))
        self.sources_button.setVisible(lang.sources_screen is not None)
        self._update_controls()
        self._update_badges()
        self._show_index(self.session.index, animate=False)

    def _show_index(self, index: int, animate: bool = True) -> None:
        page = self.page_for(self.session.language, index)
        page.apply(self.look.view)
        if page.view is not None and isinstance(page, Page):
            page.show_ticks(self.session.ticks)
        lang = self.language
        s = lang.strings
        on_start = index == 0
        if not on_start and self._chrome_stale:
            self._chrome_stale = False
            self._restyle(self.look.view, True, True)
            self._update_controls()
        self._stack_of(page).setCurrentWidget(page)
        self.body.setCurrentWidget(self.start_stack if on_start else self.journey)
        journey = lang.journey
        total = len(journey) - 1  # the steps after Start; the summary is the last
        self.progress.setText(s.get("step_of", n=index, total=total))
        self.step_bar.set_progress(index, total, self.look.view.theme)
        screen = journey[index]
        finishing = screen.kind == "summary" or index == len(journey) - 1
        next_is_summary = index + 1 < len(journey) and journey[index + 1].kind == "summary"
        if finishing:
            self.next_button.set_words(s.get("finish_visit"))
        else:
            self.next_button.set_words(s.get("finish") if next_is_summary else s.get("next"))
        # on the summary, Print is the one primary button; "I'm finished" is the quiet way out
        name = "" if finishing else "Primary"
        if self.next_button.objectName() != name:
            self.next_button.setObjectName(name)
            self.next_button.style().unpolish(self.next_button)
            self.next_button.style().polish(self.next_button)
        self.back_button.setEnabled(index > 0)
        self.setWindowTitle(screen.title)  # screen readers say it; no ids here
        self.setWindowRole(f"kiosk-screen:{screen.id}")  # an X property for tools and tests
        self._stack_of(page).setAccessibleName(screen.title)
        if animate:
            self._animate(page)
        if on_start:
            page.setFocus()
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # no focus ring after a touch
        if self._painted:  # before the first paint, ``_first_paint_done`` starts it
            self._neighbours.watch(page)

    def _animate(self, page: QWidget) -> None:
        ms = self.config.display.transition_ms
        if self._fade is not None:
            self._fade.stop()
            self._end_fade()
        if ms <= 0:
            return
        effect = QGraphicsOpacityEffect(page)
        page.setGraphicsEffect(effect)
        anim = QPropertyAnimation(effect, b"opacity", self)
        anim.setDuration(ms)
        anim.setStartValue(0.35)
        anim.setEndValue(1.0)
        anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        anim.finished.connect(self._end_fade)
        self._fade = anim
        anim.start()

    def _end_fade(self) -> None:
        anim, self._fade = self._fade, None
        if anim is not None:
            target = anim.targetObject()
            if target is not None:
                owner = target.parent()
                if isinstance(owner, QWidget):
                    owner.setGraphicsEffect(None)  # no effect cost after the fade
            anim.deleteLater()

    def _update_controls(self, *args: object) -> None:
        s = self.language.strings
        size = self.session.text_size
        self.smaller_button.setEnabled(size > 0)
        self.larger_button.setEnabled(size < len(TEXT_SIZES) - 1)
        self.contrast_button.setChecked(self.session.contrast == "high")
        speaking = self.session.speech
        self.listen_button.set_icon_name("stop" if speaking else "listen")
        self.listen_button.set_words(s.get("listen_stop") if speaking else s.get("listen"))
        self.listen_button.setVisible(self.speech.available)
        if self.session.index == 0:
            self._chrome_stale = True  # hidden on Start: sized when the header shows
        else:
            for b in self.controls:
                b.apply(self.look.view)
            self._fit_header()
        start = self._cache.get((self.session.language, self.session.screen_ids[0]))
        if isinstance(start, StartPage):
            start.update_controls(self.session, self.speech.available)

    def _on_speech_available(self, available: bool) -> None:
        self._update_controls()

    def _fit_header(self) -> None:
        """Words beside the icons when they fit; icons alone (the words stay the accessible
        names) when they do not, so nothing is clipped on small or portrait panels."""
        layout = self.header.layout()
        shown = [b for b in self.controls if not b.isHidden()]
        # the same words at the same size in the same width fit as they did: a colour change
        # (high contrast) must not toggle words off and on, which lays the header out twice
        key = (self.width(), self.look.metrics, tuple((id(b), b.words) for b in shown), self.progress.text())
        if key == self._header_fit:
            return
        self._header_fit = key
        margins = layout.contentsMargins()
        room = self.width() - margins.left() - margins.right() - layout.spacing() * len(shown)
        room -= max(self.progress.sizeHint().width(), 120)  # "Step 3 of 8" and its bar keep their place

        def need() -> int:
            return sum(b.sizeHint().width() for b in shown)

        for b in shown:
            b.set_compact(False)
        if need() > room:
            for b in shown:
                if b is not self.language_button:
                    b.set_compact(True)
        if need() > room:
            self.language_button.set_compact(True)
        for b in self.controls:  # never squeezed below what its words or icon need
            b.fit()

    def _update_badges(self, *args: object) -> None:
        s = self.session
        strings = self.language.strings
        text = ""
        if s.demo and s.mode is not Mode.STAFF:
            text = strings.get("demo_badge")
            if s.mode is Mode.DEMO:
                text = f"{text} · {strings.get('demo_touch_to_explore')}"
        on_start = s.index == 0
        self.badge.show_text(text if not on_start else "")
        if text and on_start:
            restyle(self.start_badge, self.look.view)
            self.start_badge.apply(self.look.view)
        self.start_badge.show_text(text if on_start else "")

    # -- session observers --------------------------------------------------
    def _on_screen_changed(self, index: int) -> None:
        self._show_index(index)
        self._update_badges()

    def _on_tick_toggled(self, item_id: str, checked: bool) -> None:
        # only what shows that item; a hidden summary catches up when shown
        for page in self._cache.pages():
            page.set_tick(item_id, checked)
        current = self.stack.currentWidget()
        if isinstance(current, SummaryPage):
            current.show_ticks(self.session.ticks)

    def _on_ticks_changed(self, ticked: frozenset[str]) -> None:
        log.info("ticks: %d", len(ticked))

    def _on_language_changed(self, code: str) -> None:
        self._show_language(code)

    def _on_reset(self) -> None:
        log.info("session reset")
        self._tidy.start()
        for kind, overlay in self._overlays.items():
            if kind is not ThanksOverlay:
                overlay.hide()
        if self._thank_after_reset:
            self._thank_after_reset = False
            s = self.language.strings
            self.thanks.thank(s.get("thanks_title"), s.get("thanks_body"))
        elif ThanksOverlay in self._overlays:
            self.thanks.hide()
        for page in self._cache.pages():
            page.scroll_to_top()
            page.show_ticks(frozenset())
            if isinstance(page, QuizPage):
                page.clear_answers()  # check-yourself answers are never kept

    def _tidy_up(self) -> None:
        """Between two patients: Qt's pixmap cache (drawn button frames and icons at every
        size and colour the visit used, up to 10 MB) is emptied and the heap's free pages go
        back to the system. The next visit redraws what it needs, a few ms in all."""
        from .. import memory

        QPixmapCache.clear()
        memory.trim()

    def _on_look_changed(self, view: View, metrics_changed: bool, theme_changed: bool) -> None:
        self._restyle(view, metrics_changed, theme_changed)
        page = self.shown_page()
        if page is not None:
            page.apply(view)  # the neighbours follow in idle time, the rest when shown
            if self._painted:
                self._neighbours.watch(page)
        for overlay in self.findChildren(Overlay):
            if overlay.isVisible():
                overlay.apply(view)
        self._update_controls()

    def _restyle(self, view: View, metrics_changed: bool, theme_changed: bool) -> None:
        m = view.metrics
        background = QColor(THEMES[view.theme]["bg"])
        if background != self._background:
            # The window's own background is painted, not set as a palette or style sheet: a new
            # palette on the window goes to every widget it holds, built pages and overlays
            # included (~130 more PaletteChange events on a contrast switch, ~3 ms) when
            # only the window's own fill changes colour.
            self._background = background
            self.update()
        # what shows now; pages and overlays restyle themselves when shown (``apply``)
        if self.start_badge.isVisible():  # else styled when it shows (``_update_badges``)
            restyle(self.start_badge, view)
            self.start_badge.apply(view)
        if self.session.index == 0:  # Start shows no header or footer: they catch up when shown
            self._chrome_stale = True
            return
        for part in (self.header, self.footer):
            restyle(part, view)
        if metrics_changed or theme_changed:
            apply_fonts(self.header, m, view.family)
            apply_fonts(self.footer, m, view.family)  # the controls: ``_update_controls``, which follows
            for b in (self.start_over_button, self.back_button, self.next_button):
                b.setMinimumHeight(m.target)
            pad_v = m.px(8) if m.compact else m.px(14)
            for lay in (self.header.layout(), self.footer.layout()):
                lay.setContentsMargins(m.px(24) if m.compact else m.px(40), pad_v,
                                       m.px(24) if m.compact else m.px(40), pad_v)
                lay.setSpacing(m.gap)
            self.step_bar.setFixedHeight(max(8, m.px(12)))
            self.step_bar.set_progress(self.session.index, max(1, self.session.count - 1), view.theme)
            self.badge.apply(view)

    # -- actions (touch and keys) ------------------------------------------
    def go_next(self) -> None:
        if self.session.mode in (Mode.START, Mode.BROWSING, Mode.DEMO) and not self.overlay_open():
            self.session.next()

    def _next_or_finish(self) -> None:
        """The footer's main button: Next, or on the last screen "I'm finished" (a swipe or
        an arrow key never finishes: only this deliberate tap forgets the visit)."""
        if self.session.at_end and not self.overlay_open():
            self.session.finish()
        else:
            self.go_next()

    def go_back(self) -> None:
        if not self.overlay_open():
            self.session.back()

    def go_home(self) -> None:
        if self.session.index != 0 and not self.overlay_open():
            self._ask_start_over()

    def _on_swipe(self, direction: int) -> None:
        if self.overlay_open():
            return
        if direction > 0:
            self.go_next()
        else:
            self.go_back()

    def show_sources(self) -> None:
        """The sources, on demand, from any screen."""
        self.sources.show_language(self.language)
        self.sources.open()

    def show_sheet(self) -> None:
        """The summary's sheet at full size."""
        controller = self._print_controller_for_pages()
        from .. import sheet_render

        ratio = self.devicePixelRatioF() or 1.0
        self.sheet_view.apply(self.look.view)  # sizes the card, so the pages are rendered at its width
        width = self.sheet_view.page_width()
        images = sheet_render.page_images(controller.compose(self.language), round(width * ratio), self.family)
        s = self.language.strings
        self.sheet_view.show_pages(s.get("sheet_title"), s.get("close"), images, ratio)
        self.sheet_view.open()

    def _quiz_answered(self, feedback: str) -> None:
        if self.session.speech:
            self.speech.speak_text(feedback)

    def _on_finished(self) -> None:
        self._thank_after_reset = True

    def _next_language(self) -> None:
        codes = list(self.deck.languages)
        i = codes.index(self.session.language) if self.session.language in codes else 0
        self.session.set_language(codes[(i + 1) % len(codes)])

    def _ask_start_over(self) -> None:
        s = self.language.strings
        self.confirm.ask(
            s.get("confirm_start_over_title"), s.get("confirm_start_over_body"),
            s.get("confirm_start_over_yes"), s.get("confirm_start_over_no"), self.session.reset,
        )

    # -- staff --------------------------------------------------------------------
    @property
    def staff(self):  # type: ignore[no-untyped-def]
        """The staff PIN pad and panel, built the first time the corner is held."""
        if self._staff is None:
            from .staff import StaffAccess

            self._staff = StaffAccess(self.session, self.holder, self.config, self.look, self.demo, self,
                                      stats=self._stats)
            self._staff.quit_requested.connect(self.quit_from_staff)
        return self._staff

    def _open_staff(self) -> None:
        self.staff.open_pad()

    def set_banner(self, banner: QWidget) -> None:
        """A strip above the kiosk's own header (``kiosk preview`` shows problems there)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, banner)

    # -- content reload -----------------------------------------------------------
    def set_deck(self, deck: Deck) -> None:
        """Show a newly loaded deck (staff reload, preview, a new version at Start)."""
        self.holder.set_deck(deck)

    def _on_deck_changed(self, deck: Deck) -> None:
        if self._fade is not None:
            self._fade.stop()
            self._end_fade()
        for page in self._cache.clear():
            self._drop(page)
        self._cache.fit(deck)
        default = deck.language(self.session.default_language).code
        if self.config.default_language in deck.languages:
            default = self.config.default_language
        code = self.session.language if self.session.language in deck.languages else default
        lang = deck.language(code)
        known = [i.id for s in lang.screens for i in s.items]
        self.session.set_screens([s.id for s in lang.journey], default, known)
        if code != self.session.language:
            self.session.set_language(code)  # shows the language
        else:
            self._show_language(code)

    def recover(self) -> None:
        """After an unexpected error (see kiosk.logs): back to a clean Start."""
        if self.session.demo:
            self.demo.play()
        else:
            self.session.reset("recover")

    def overlay_open(self) -> bool:
        return any(o.isVisible() for o in self.findChildren(Overlay))

    # -- lockdown ---------------------------------------------------------------
    def set_locked(self, locked: bool) -> None:
        """Kiosk mode: closing needs the staff panel's Quit."""
        if locked:
            self.lockdown.enable()
        else:
            self.lockdown.disable()

    @property
    def locked(self) -> bool:
        return self.lockdown.active

    def quit_from_staff(self) -> None:
        self._quit_allowed = True
        self.lockdown.disable()
        self.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked and not self._quit_allowed:
            log.info("close request refused (kiosk mode; quit from the staff panel)")
            event.ignore()
            return
        super().closeEvent(event)

    # -- layout ---------------------------------------------------------------
    def warm_up_later(self) -> None:
        """Load speech soon after the first frame (``kiosk.app`` calls it; tests do not)."""
        self._warm_wanted = True
        if self._painted:
            self._warm.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._painted:
            self._first_frame.watch(self)

    def _first_paint_done(self) -> None:
        self._painted = True
        InputHub.start()  # the patient's touches and keys, from the first frame on
        from .. import memory  # ctypes: ~3 ms, after the first frame

        memory.tune()
        enable_kinetic_scrolling()
        self._prebuild.start()
        if self._warm_wanted:
            self._warm.start()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(event.rect(), self._background)
        p.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.look.set_window(self.width(), self.height(), self._px_per_mm())

    def _px_per_mm(self) -> float:
        """The panel's density. The window is taken to fill the panel (fullscreen on a
        kiosk, or the panel size given to ``kiosk screenshot --size``)."""
        reported = None
        screen = self.screen()
        if screen is not None:
            size, geo = screen.physicalSize(), screen.geometry()
            if geo.width() > 0 and geo.height() > 0 and size.width() > 0:
                reported = (size.width() * self.width() / geo.width(), size.height() * self.height() / geo.height())
        return px_per_mm(self.width(), self.height(), self.config.display.panel_diagonal_in, reported)
