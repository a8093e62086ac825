"""The kiosk window: header (progress, text size, language), pages, footer.

The window observes a ``Session`` and forwards touches to it. Pages are built
once per language and reused for every patient (no rebuild per session).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..config import Config
from ..deck import Deck, Language
from ..session import TEXT_SIZES, Mode, Session
from .demo import DemoDriver
from .gestures import SwipeFilter
from .idle import IdleController
from .lockdown import Lockdown
from .overlay import ConfirmOverlay, Overlay
from .pages import Page, StartPage, make_page
from .staff import StaffAccess
from .theme import Metrics, load_fonts, style_sheet
from .widgets import Button, Label

log = logging.getLogger(__name__)


class KioskWindow(QWidget):
    def __init__(self, deck: Deck, config: Config, session: Session | None = None) -> None:
        super().__init__()
        self.setObjectName("Root")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.config = config
        self.deck = deck
        self.family = load_fonts()
        lang = deck.language(config["default_language"])
        self.session = session or Session([s.id for s in lang.screens], lang.code)
        self.session.default_language = lang.code
        self.session.language = lang.code
        self.metrics = Metrics.for_size(1280, 800)
        self._logo = self._load_logo()
        self.pages: dict[str, list[Page]] = {}
        self._fade: QPropertyAnimation | None = None

        self.header = self._build_header()
        self.stack = QStackedWidget()
        self.stack.setObjectName("Stack")
        self.footer = self._build_footer()
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self.header)
        root.addWidget(self.stack, 1)
        root.addWidget(self.footer)
        self.confirm = ConfirmOverlay(self)

        self.swipe = SwipeFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.swipe)
        self.swipe.swiped.connect(self._on_swipe)
        self._shortcuts()

        s = self.session
        s.screen_changed.connect(self._on_screen_changed)
        s.ticks_changed.connect(self._on_ticks_changed)
        s.language_changed.connect(self._on_language_changed)
        s.text_size_changed.connect(self._on_text_size_changed)
        s.was_reset.connect(self._on_reset)
        self._show_language(lang.code)
        self._quit_allowed = False
        self.lockdown = Lockdown(self, bool(config["session.hide_cursor"]))
        self.idle = IdleController(self)
        self.demo = DemoDriver(self, self.idle)
        self.staff = StaffAccess(self)

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
        self.clinic = Label(self.config["clinic_name"])
        self.clinic.setObjectName("Clinic")
        self.clinic.setVisible(bool(self.config["clinic_name"]))
        self.chips = QHBoxLayout()
        self.progress = Label()
        self.progress.setObjectName("Progress")
        self.text_size_button = Button("", "Small")
        self.text_size_button.clicked.connect(self.session.cycle_text_size)
        self.language_button = Button("", "Small")
        self.language_button.clicked.connect(self._next_language)
        top = QHBoxLayout()
        top.addWidget(self.clinic)
        top.addStretch(1)
        top.addWidget(self.progress)
        top.addWidget(self.text_size_button)
        top.addWidget(self.language_button)
        col = QVBoxLayout(header)
        col.addLayout(top)
        col.addLayout(self.chips)
        self._chip_labels: list[QLabel] = []
        return header

    def _build_footer(self) -> QFrame:
        footer = QFrame()
        footer.setObjectName("Footer")
        self.start_over_button = Button("", "")
        self.start_over_button.clicked.connect(self._ask_start_over)
        self.back_button = Button("", "")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = Button("", "Primary")
        self.next_button.clicked.connect(self.go_next)
        row = QHBoxLayout(footer)
        row.addWidget(self.start_over_button)
        row.addStretch(1)
        row.addWidget(self.back_button)
        row.addWidget(self.next_button)
        return footer

    def _shortcuts(self) -> None:
        for keys, slot in (
            ((Qt.Key.Key_Right, Qt.Key.Key_PageDown), self.go_next),
            ((Qt.Key.Key_Left, Qt.Key.Key_PageUp), self.go_back),
            ((Qt.Key.Key_Home,), self.go_home),
        ):
            for key in keys:
                sc = QShortcut(QKeySequence(key), self)
                sc.activated.connect(slot)

    def _pages_for(self, code: str) -> list[Page]:
        if code not in self.pages:
            lang = self.deck.language(code)
            pages = [make_page(s, lang, self.deck.languages, self.config["clinic_name"], self._logo)
                     for s in lang.screens]
            for page in pages:
                page.tick_toggled.connect(self.session.toggle)
                page.show_ticks(frozenset(self.session.ticks))
                page.apply(self.metrics)
                if isinstance(page, StartPage):
                    page.begin.connect(self.session.begin)
                    page.language_chosen.connect(self.session.set_language)
            self.pages[code] = pages
        return self.pages[code]

    @property
    def language(self) -> Language:
        return self.deck.language(self.session.language)

    def current_page(self) -> Page:
        return self.pages[self.session.language][self.session.index]

    # -- showing ------------------------------------------------------------
    def _show_language(self, code: str) -> None:
        pages = self._pages_for(code)
        while self.stack.count():
            self.stack.removeWidget(self.stack.widget(0))
        for page in pages:
            self.stack.addWidget(page)
        lang = self.language
        self.session.set_screens([s.id for s in lang.screens])  # same screen, by id
        s = lang.strings
        self.start_over_button.setText(s.get("start_over"))
        self.back_button.setText(s.get("back"))
        others = [c for c in self.deck.languages if c != code]
        self.language_button.setVisible(bool(others))
        if others:
            self.language_button.setText(self.deck.languages[others[0]].strings.get("language_name"))
        self._rebuild_chips()
        self._show_index(self.session.index, animate=False)

    def _rebuild_chips(self) -> None:
        while self.chips.count():
            item = self.chips.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self._chip_labels = []
        self.chips.addStretch(1)
        for screen in self.language.screens[1:]:
            chip = Label(screen.label)
            chip.setObjectName("StepLabel")
            self._chip_labels.append(chip)
            self.chips.addWidget(chip)
        self.chips.addStretch(1)

    def _show_index(self, index: int, animate: bool = True) -> None:
        page = self.pages[self.session.language][index]
        self.stack.setCurrentWidget(page)
        lang = self.language
        s = lang.strings
        on_start = index == 0
        self.header.setVisible(not on_start)
        self.footer.setVisible(not on_start)
        total = len(lang.screens) - 1
        self.progress.setText(s.get("step_of", n=index, total=total))
        last = index == len(lang.screens) - 1
        next_is_summary = index + 1 < len(lang.screens) and lang.screens[index + 1].kind == "summary"
        self.next_button.setText(s.get("finish") if next_is_summary else s.get("next"))
        self.next_button.setVisible(not last)
        self.back_button.setEnabled(index > 0)
        for i, chip in enumerate(self._chip_labels, start=1):
            chip.setProperty("current", i == index)
            chip.setProperty("done", i < index)
            chip.style().unpolish(chip)
            chip.style().polish(chip)
        self._update_text_size_label()
        screen = lang.screens[index]
        self.setWindowTitle(f"{screen.title} [{screen.id}]")
        self.stack.setAccessibleName(screen.title)
        if animate:
            self._animate(page)
        if on_start:
            page.setFocus()
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # no focus ring after a touch

    def _animate(self, page: QWidget) -> None:
        ms = int(self.config["display.transition_ms"])
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

    def _update_text_size_label(self) -> None:
        s = self.language.strings
        name = s.get(f"text_size_{TEXT_SIZES[self.session.text_size]}")
        self.text_size_button.setText(f"{s.get('text_size')}: {name}")

    # -- session observers --------------------------------------------------
    def _on_screen_changed(self, index: int) -> None:
        self._show_index(index)

    def _on_ticks_changed(self, ticked: frozenset[str]) -> None:
        log.info("ticks: %d", len(ticked))
        for pages in self.pages.values():
            for page in pages:
                page.show_ticks(ticked)

    def _on_language_changed(self, code: str) -> None:
        self._show_language(code)

    def _on_text_size_changed(self, size: int) -> None:
        self._apply_metrics()

    def _on_reset(self) -> None:
        log.info("session reset")
        self.confirm.hide()
        for pages in self.pages.values():
            for page in pages:
                page.scroll_to_top()

    # -- actions (touch and keys) ------------------------------------------
    def go_next(self) -> None:
        if self.session.mode in (Mode.START, Mode.BROWSING, Mode.DEMO) and not self.confirm.isVisible():
            self.session.next()

    def go_back(self) -> None:
        if not self.confirm.isVisible():
            self.session.back()

    def go_home(self) -> None:
        if self.session.index != 0:
            self._ask_start_over()

    def _on_swipe(self, direction: int) -> None:
        if self.confirm.isVisible():
            return
        if direction > 0:
            self.go_next()
        else:
            self.go_back()

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

    # -- content reload (staff panel) ------------------------------------------
    def set_deck(self, deck: Deck) -> None:
        """Show a newly loaded deck: rebuild the pages, keep the screen where possible."""
        if self._fade is not None:
            self._fade.stop()
            self._end_fade()
        old, self.pages = self.pages, {}
        while self.stack.count():
            self.stack.removeWidget(self.stack.widget(0))
        for pages in old.values():
            for page in pages:
                page.tick_toggled.disconnect()
                page.setParent(None)
                page.deleteLater()
        self.deck = deck
        controller = getattr(self, "print_controller", None)
        if controller is not None:
            controller.deck = deck  # the printed sheet uses the reloaded words too
        default = deck.language(self.config["default_language"]).code
        self.session.default_language = default
        code = self.session.language if self.session.language in deck.languages else default
        self.session.language = code
        known = {i.id for s in deck.language(code).screens for i in s.items}
        self.session.ticks &= known
        self._show_language(code)
        self._apply_metrics()

    def recover(self) -> None:
        """After an unexpected error (see kiosk.logs): back to a clean Start."""
        if self.session.demo:
            self.demo.play()
        else:
            self.session.reset()

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
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        new = Metrics.for_size(self.width(), self.height(), self.session.text_size)
        if new != self.metrics or not self.styleSheet():
            self._apply_metrics()

    def _apply_metrics(self) -> None:
        m = Metrics.for_size(self.width(), self.height(), self.session.text_size)
        self.metrics = m
        self.setStyleSheet(style_sheet(m, self.family))
        for lay, margin in ((self.header.layout(), m.px(16)), (self.footer.layout(), m.px(16))):
            lay.setContentsMargins(m.px(40), margin, m.px(40), margin)
            lay.setSpacing(m.gap)
        self.chips.setSpacing(m.px(10))
        for pages in self.pages.values():
            for page in pages:
                page.apply(m)
        for overlay in self.findChildren(Overlay):
            overlay.apply(m)
        self._update_text_size_label()
