"""The Summary screen's print area: a preview of the sheet and one big button.

``PrintController`` (one per window) holds the rules (``PrintPolicy``) and
runs render + CUPS submission on a worker thread, reporting back by signal,
so the screen never freezes. ``PrintPanel`` (one per Summary page) shows the
preview, the button and the outcome sentence from strings.yaml.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .. import printing, sheet, sheet_render
from ..config import Config
from ..deck import Language
from ..printing import OUTCOME_KEY, Outcome, PrintPolicy, PrintResult
from ..session import Session
from .afterpaint import AfterPaint
from .state import DeckHolder
from .theme import COLORS, Metrics, View
from .widgets import Button, Label, show_page_images

log = logging.getLogger(__name__)

Submit = Callable[[bytes, str | None], PrintResult]


class _Relay(QObject):
    """Lives in the GUI thread; the worker emits through it (queued)."""

    done = Signal(object, int)  # PrintResult, policy generation


class _PrintJob(QRunnable):
    def __init__(self, composed: sheet.Sheet, family: str, printer: str | None, submit: Submit,
                 relay: _Relay, generation: int) -> None:
        super().__init__()
        self.composed, self.family, self.printer = composed, family, printer
        self.submit, self.relay, self.generation = submit, relay, generation
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            pdf, _ = sheet_render.pdf_bytes(self.composed, self.family)
            result = self.submit(pdf, self.printer)
        except Exception as e:  # a worker must always answer, or the button stays disabled
            log.exception("printing the sheet failed")
            result = PrintResult(False, self.printer or "", reason=f"internal error: {e}")
        self.relay.done.emit(result, self.generation)


class PrintController(QObject):
    """Print rules and the worker for one kiosk window."""

    outcome_changed = Signal(object)  # Outcome
    finished = Signal(object)  # PrintResult, after each job (tests, benchmarks)

    def __init__(self, session: Session, config: Config, holder: DeckHolder, family: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.config, self.family = session, config, family
        self._holder = holder
        self.policy = PrintPolicy(config.print.max_per_session)
        self.submit: Submit = printing.submit_and_forget  # tests may swap this
        self.today: Callable[[], dt.date] = dt.date.today
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._logo = printing.read_logo(config)
        session.was_reset.connect(self.reset)

    @property
    def outcome(self) -> Outcome:
        return self.policy.outcome

    def compose(self, lang: Language | None = None) -> sheet.Sheet:
        """The sheet for the current patient, as it would print now."""
        lang = lang or self._holder.language(self.session.language)
        return sheet.compose(lang, self.session.ticks, clinic=self.config.clinic_name, today=self.today(),
                             paper=self.config.print.paper, text_size=self.session.text_size,
                             qr_url=self.config.print.qr_url, logo=self._logo,
                             date_text=sheet_render.long_date)

    def is_demo(self) -> bool:
        return self.session.is_demo

    def request_print(self) -> bool:
        """A tap on Print. True when a job was started."""
        started = self.policy.request(demo=self.is_demo())
        if started:
            composed = self.compose()
            printer = self.config.print.printer or None
            # events only: no language, no questions (the log outlives the patient)
            log.info("printing the summary sheet to %s", printer or "the default printer")
            self.pool.start(_PrintJob(composed, self.family, printer, self.submit, self._relay,
                                      self.policy.generation))
        elif self.policy.outcome is Outcome.DEMO:
            log.info("print tapped in demo mode: nothing printed")
        elif self.policy.outcome is Outcome.LIMIT:
            log.info("print tapped after %d sheet(s) this session: limit reached", self.policy.printed)
        self.outcome_changed.emit(self.policy.outcome)
        return started

    def _on_done(self, result: PrintResult, generation: int) -> None:
        if generation != self.policy.generation:
            log.info("a print job finished after the session was reset: %s", result)
            return
        outcome = self.policy.finished(result, generation)
        if not result.ok:
            log.warning("the sheet was not printed: %s", result.reason)
        self.outcome_changed.emit(outcome)
        self.finished.emit(result)

    def reset(self) -> None:
        self.policy.reset()
        self.outcome_changed.emit(self.policy.outcome)

    def wait(self, ms: int = 30000) -> bool:
        """Wait for a running job (shutdown and tests)."""
        return bool(self.pool.waitForDone(ms))


class PrintPanel(QFrame):
    """Button, outcome sentence, and the sheet as small pages side by side; a tap on
    them (or "See the full sheet") asks for the full-size view (``see_sheet``)."""

    see_sheet = Signal()

    def __init__(self, controller: PrintController, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PrintPanel")
        self.controller, self.lang = controller, lang
        s = lang.strings
        self.button = Button(s.get("print_button"), "Primary")
        self.button.setAccessibleName(s.get("print_button"))
        self.button.clicked.connect(self._tapped)
        self.status = Label("", role="body_bold")
        self.status.setObjectName("PrintStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        self.pages = QHBoxLayout()
        self.pages.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.full = Button(s.get("summary_see_sheet"), "")
        self.full.clicked.connect(self.see_sheet)
        # The button and its sentence stay in view (the page puts ``bar`` above
        # the scrolling part); only the preview scrolls with the page.
        self.bar = QWidget()
        self.bar.setObjectName("PrintBar")
        row = QVBoxLayout(self.bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addWidget(self.status)  # under the button, at body size (theme: #PrintStatus)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(self.pages)
        col.addWidget(self.full, 0, Qt.AlignmentFlag.AlignLeft)
        self._page_labels: list[QLabel] = []
        self._metrics: Metrics | None = None
        self._dirty = True
        self._width = 0
        # The preview is painted just after the screen shows, never on the way
        # to it: a screen change paints in one frame, the preview a frame later.
        self._later = AfterPaint(self.refresh, self, fallback_ms=100)  # a tick may not repaint the panel
        controller.outcome_changed.connect(self.show_outcome)
        self.show_outcome(controller.outcome)

    # -- state ---------------------------------------------------------------
    def _tapped(self) -> None:
        self.controller.request_print()

    def show_outcome(self, outcome: Outcome) -> None:
        key = OUTCOME_KEY.get(outcome)
        self.status.setText(self.lang.strings.get(key) if key else "")
        self.status.setVisible(bool(key))
        self.status.setProperty("outcome", outcome.value)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.button.setEnabled(outcome is not Outcome.PRINTING)

    # -- preview -------------------------------------------------------------
    def mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():  # a text-size tap repaints the screen first, the preview a frame later
            self._later.watch(self)

    def apply(self, view: View) -> None:
        m = view.metrics
        from .theme import apply_fonts

        apply_fonts(self.bar, m, view.family)
        apply_fonts(self.full, m, view.family)
        self.full.setMinimumHeight(m.target)
        changed = m != self._metrics  # the sheet is black on white: a theme change leaves it alone
        self._metrics = m
        self.layout().setSpacing(m.gap)
        self.bar.layout().setSpacing(m.gap)
        self.button.setMinimumWidth(min(m.px(480), 900))
        self.button.setMinimumHeight(m.target)
        if changed:
            self.mark_dirty()

    def preview_width(self) -> int:
        """A small page: a third of the column (two pages side by side fit), 180-360 px."""
        m = self._metrics or Metrics.for_size(1280, 800)
        available = self.width() if self.width() > 100 else m.px(900)
        return max(180, min(available // 3, m.px(360)))

    def refresh(self) -> None:
        """Render the sheet pages as they will print (only when shown and changed)."""
        width = self.preview_width()
        if not self._dirty and width == self._width:
            return
        self._dirty, self._width = False, width
        ratio = self.devicePixelRatioF() or 1.0
        images = sheet_render.page_images(self.controller.compose(self.lang), round(width * ratio),
                                          self.controller.family)
        while len(self._page_labels) < len(images):
            label = Label()
            label.setObjectName("SheetPage")
            label.installEventFilter(self)  # a tap on a small page opens the full sheet
            label.setStyleSheet(f"#SheetPage {{ background: white; border: 1px solid {COLORS['border']}; }}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._page_labels.append(label)
            self.pages.addWidget(label)
        show_page_images(self._page_labels, images, ratio, self.lang.strings.get("sheet_title"))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj in self._page_labels and event.type() == QEvent.Type.MouseButtonRelease:
            self.see_sheet.emit()
            return True
        return False

    def page_count(self) -> int:
        return sum(1 for label in self._page_labels if not label.isHidden())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._later.watch(self)

    def hideEvent(self, event: QHideEvent) -> None:
        # The page images are ~5 MB each: keep them only while the summary shows
        # (one language at a time), so months of sessions hold one preview at most.
        super().hideEvent(event)
        self._later.cancel()
        for label in self._page_labels:
            label.clear()
        self._dirty = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.isVisible() and abs(self.preview_width() - self._width) > 8:
            self.refresh()
