"""What a fleet needs from a running kiosk, wired in one place: systemd's
READY and watchdog pings, the Prometheus textfile, the printer's state for it,
and the opening-hours blanker.

``attach`` is called once by ``kiosk.app`` after the window exists. Counters of
visits and prints are kept here since the kiosk started (Prometheus counters
reset on a restart, which ``rate()`` and ``increase()`` expect); they come
from the same visits the usage figures record.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget

from .. import __version__, deckstore
from ..config import Config
from ..metrics import Usage
from ..schedule import Schedule, ScheduleError
from ..stats import Visit
from .health import HealthMonitor

log = logging.getLogger(__name__)

PRINTER_CHECK_MS = 60_000


class _Relay(QObject):
    ready = Signal(bool)


class _PrinterCheck(QRunnable):
    def __init__(self, name: str | None, relay: _Relay) -> None:
        super().__init__()
        self._name, self._relay = name, relay

    def run(self) -> None:
        from .. import printing

        try:
            ready = printing.check_printer(self._name).ready
        except Exception:  # a health probe never takes the kiosk down
            log.exception("printer check failed")
            ready = False
        self._relay.ready.emit(bool(ready))


class FirstPaint(QObject):
    """Emits ``painted`` once, after the window's first paint."""

    painted = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.painted.emit)  # after this paint has reached the screen
        return False


class Fleet(QObject):
    def __init__(self, window, config: Config, deck_root: Path) -> None:  # type: ignore[no-untyped-def]
        super().__init__(window)
        self._usage = Usage()
        manifest = deckstore.manifest_or_none(deck_root)
        textfile = Path(config.metrics.textfile) if config.metrics.textfile else None
        self.health = HealthMonitor(version=__version__, deck_version=manifest.version if manifest else "",
                                    metrics_path=textfile, usage=self.usage, parent=self)
        self.first_paint = FirstPaint(window)
        self.first_paint.painted.connect(self.health.mark_painted)
        window.visit_ended.connect(self._on_visit)
        window.sheet_printed.connect(self._on_print)
        self._printer = config.print.printer or None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.ready.connect(self.health.set_printer_ready)
        self._printer_timer = QTimer(self)
        self._printer_timer.setInterval(PRINTER_CHECK_MS)
        self._printer_timer.timeout.connect(self.check_printer)
        if textfile is not None:  # nobody reads the printer state otherwise
            self.first_paint.painted.connect(self.check_printer)
            self._printer_timer.start()
        self.blanker = None
        try:
            schedule = Schedule.from_table(config.schedule.table())
        except ScheduleError as e:  # validated with the config; a last guard
            log.warning("opening hours ignored: %s", e)
            schedule = Schedule()
        if not schedule.always_open:
            from .blanker import ScreenBlanker

            self.blanker = ScreenBlanker(window, schedule)
            window.session.screen_changed.connect(self._on_activity)
            self.blanker.blanked_changed.connect(self._on_blanked)
        self._session = window.session

    def usage(self) -> Usage:
        return self._usage

    def check_printer(self) -> None:
        self._pool.start(_PrinterCheck(self._printer, self._relay))

    def _on_visit(self, visit: Visit) -> None:
        u = self._usage
        self._usage = Usage(u.visits_started + 1, u.visits_finished + (visit.ended == "finished"),
                            u.prints_ok, u.prints_failed)

    def _on_print(self, ok: bool) -> None:
        u = self._usage
        self._usage = Usage(u.visits_started, u.visits_finished, u.prints_ok + ok, u.prints_failed + (not ok))

    def _on_activity(self, *args: object) -> None:
        if self.blanker is not None:
            self.blanker.note_activity()

    def _on_blanked(self, blanked: bool) -> None:
        if blanked and self._session.used:
            self._session.reset("idle")  # closing time: nothing a patient chose stays on the panel

    def crash_recovered(self) -> None:
        self.health.crash_recovered()

    def deck_adopted(self, name: str) -> None:
        self.health.set_deck_version(name.rpartition("-")[0] or name)

    def stopping(self) -> None:
        self.health.stopping()
