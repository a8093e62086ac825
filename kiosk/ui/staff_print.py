"""Staff panel printer tools: the printer's state and "Print a test page".

Both ask CUPS (``lpstat``, ``lp``), which can be slow or hang when the print
server is in trouble, so they run on a worker thread and report back by
signal; the panel never freezes. Staff-facing, English on purpose.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from .. import printing, sheet, sheet_render
from ..config import Config
from ..deck import Language
from ..printing import PrintResult
from .widgets import Button, Label

log = logging.getLogger(__name__)


def print_test_page(config: Config, lang: Language) -> PrintResult:
    """Staff's test page: the sheet with every item ticked, to ``[print] printer``.

    Blocking (renders, then waits for CUPS): run it off the GUI thread, for
    example with ``QThreadPool.globalInstance().start(fn)``. Needs a QGuiApplication.
    Moved here from ``kiosk.printing``, which stays Qt-free.
    """
    s = sheet.compose(lang, sheet.resolve_selection(lang, ["all"]), clinic=config.clinic_name,
                      paper=config.print.paper, qr_url=config.print.qr_url, logo=printing.read_logo(config),
                      date_text=sheet_render.long_date)
    pdf, _ = sheet_render.pdf_bytes(s)
    return printing.submit_pdf(pdf, config.print.printer or None, title="kiosk-test-page")


class _Relay(QObject):
    done = Signal(str, str)  # kind ("state" | "test"), text


class _Task(QRunnable):
    def __init__(self, kind: str, work: Callable[[], str], relay: _Relay) -> None:
        super().__init__()
        self.kind, self.work, self.relay = kind, work, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            text = self.work()
        except Exception as e:  # a worker must always answer
            log.exception("staff printer tool failed")
            text = f"internal error: {e}"
        self.relay.done.emit(self.kind, text)


class PrinterTools(QObject):
    """Adds a printer line and a test-page button to ``layout``."""

    def __init__(self, layout: QVBoxLayout, config: Config, language: Callable[[], Language],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config, self.language = config, language
        self.state = Label("Printer: checking…", role="staff")
        self.state.setObjectName("StaffInfo")
        self.state.setWordWrap(True)
        self.test_button = Button("&Print a test page", "")
        self.test_button.clicked.connect(self.print_test_page)
        row = QHBoxLayout()
        row.addWidget(self.state, 1)
        row.addWidget(self.test_button)
        layout.addLayout(row)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.relay = _Relay(self)
        self.relay.done.connect(self._done)

    def refresh(self) -> None:
        name = self.config.print.printer or None
        self.pool.start(_Task("state", lambda: printing.printer_state(name), self.relay))

    def print_test_page(self) -> None:
        self.test_button.setEnabled(False)
        self.state.setText("Printer: sending a test page…")
        lang = self.language()
        config = self.config

        def work() -> str:
            result = print_test_page(config, lang)
            if result.ok:
                log.info("staff test page accepted by %s as job %s", result.printer, result.job_id)
                return f"Test page sent to {result.printer} (job {result.job_id})."
            log.warning("staff test page not printed: %s", result.reason)
            return f"Test page not printed: {result.reason}"

        self.pool.start(_Task("test", work, self.relay))

    def _done(self, kind: str, text: str) -> None:
        if kind == "test":
            self.test_button.setEnabled(True)
            self.state.setText(text)
            self.refresh()
        else:
            self.state.setText(f"Printer: {text}")

    def wait(self, ms: int = 30000) -> bool:
        return self.pool.waitForDone(ms)
