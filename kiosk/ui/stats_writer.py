"""Records finished visits into the usage database off the GUI thread.

The GUI thread only puts a :class:`~kiosk.stats.Visit` on a queue (microseconds);
one worker thread owns the :class:`~kiosk.stats.StatsStore` (SQLite connections
stay in the thread that made them) and writes each visit in one transaction.
A database that cannot be written (unwritable folder, full disk, damaged file)
is logged once, ``failed`` is emitted once, and the kiosk carries on: the
visit is dropped, the next visit tries again, and after a success a new failure
is reported again. Demo mode and staff use are never handed to this object.
"""

from __future__ import annotations

import datetime
import logging
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from ..stats import StatsError, StatsStore, Visit

log = logging.getLogger(__name__)


class StatsWriter(QObject):
    """``record(visit)`` from the GUI thread; ``flush()`` and ``close()`` for tests and shutdown."""

    recorded = Signal(float)  # after each visit written: the milliseconds the write took on the worker
    failed = Signal(str)      # once per run of failures: the staff sentence (path and fix)
    report_ready = Signal(object)  # a kiosk.stats.Report, answering request_report
    report_failed = Signal(str)    # the staff sentence when the report could not be read

    def __init__(self, path: Path, keep_days: int = 400, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = Path(path)
        self._keep_days = keep_days
        self._queue: queue.Queue[Visit | _ReportRequest | None] = queue.Queue()
        self._closed = False
        self._thread = threading.Thread(target=self._work, name="stats-writer", daemon=True)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    @property
    def path(self) -> Path:
        return self._path

    def record(self, visit: Visit) -> None:
        """Hands the visit to the worker; never blocks and never raises for a database problem."""
        if self._closed:
            log.warning("usage figures: a visit arrived after shutdown and was not recorded")
            return
        self._queue.put_nowait(visit)

    def request_report(self, days: int, today: datetime.date) -> None:
        """Asks the worker for the figures (e.g. when the staff panel opens); answered by report_ready."""
        if not self._closed:
            self._queue.put_nowait(_ReportRequest(days, today))

    def flush(self, timeout: float = 10.0) -> bool:
        """Waits until every visit handed over so far is written (or dropped); False on timeout."""
        deadline = time.monotonic() + timeout
        done = self._queue.all_tasks_done
        with done:
            while self._queue.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                done.wait(remaining)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Writes what is queued, then stops the worker and closes the database. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._queue.put_nowait(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("usage figures: the writer did not finish within %.0f s; queued visits may be lost", timeout)

    def _work(self) -> None:
        store: StatsStore | None = None
        failing = False
        while True:
            visit = self._queue.get()
            try:
                if visit is None:
                    break
                if isinstance(visit, _ReportRequest):
                    store = self._answer(store, visit)
                    continue
                try:
                    if store is None:
                        store = StatsStore(self._path, self._keep_days)
                    start = time.perf_counter()
                    store.record(visit)
                    ms = (time.perf_counter() - start) * 1000
                except Exception as e:  # the kiosk must carry on whatever the database does
                    if store is not None:
                        store.close()
                        store = None
                    if not failing:
                        failing = True
                        message = str(e) if isinstance(e, StatsError) else f"usage database {self._path}: {e!r}"
                        log.error("usage figures not recorded (logged once; the kiosk carries on): %s", message,
                                  exc_info=not isinstance(e, StatsError))
                        self.failed.emit(message)
                    continue
                if failing:
                    failing = False
                    log.info("usage figures are being recorded again in %s", self._path)
                self.recorded.emit(ms)
            finally:
                self._queue.task_done()
        if store is not None:
            store.close()

    def _answer(self, store: StatsStore | None, request: _ReportRequest) -> StatsStore | None:
        try:
            if store is None:
                store = StatsStore(self._path, self._keep_days)
            report = store.report(request.days, request.today)
        except StatsError as e:
            if store is not None:
                store.close()
            self.report_failed.emit(str(e))
            return None
        self.report_ready.emit(report)
        return store


@dataclass(frozen=True)
class _ReportRequest:
    days: int
    today: datetime.date
