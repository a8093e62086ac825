"""Logging to a rotating file, and an excepthook that resets instead of dying.

A bug in one slot must not leave a patient looking at a frozen or vanished
kiosk: the traceback goes to the log, the kiosk goes back to Start. If errors
keep coming (``MAX_ERRORS`` within ``ERROR_WINDOW_S``), or one happens before
the kiosk is up, the process exits non-zero so its supervisor (systemd)
starts a fresh one.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

log = logging.getLogger("kiosk")

LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
EXIT_CRASHED = 70  # EX_SOFTWARE
MAX_ERRORS = 5
ERROR_WINDOW_S = 60.0


class RecentLines(logging.Handler):
    """The last lines logged, in memory: the staff panel's view when journald keeps the log."""

    def __init__(self, keep: int = 200) -> None:
        super().__init__(logging.INFO)
        self.lines: deque[str] = deque(maxlen=keep)
        self.setFormatter(logging.Formatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a log line must never take the kiosk down
            self.handleError(record)


RECENT = RecentLines()


def setup_logging(log_file: Path | None, journal: bool = False) -> logging.Handler | None:
    """Log the 'kiosk' logger to a rotating file (``log_file``) and/or to journald
    (``journal``: standard error with syslog priorities); None if no file handler."""
    from .paths import JournalFormatter

    logger = logging.getLogger("kiosk")
    logger.setLevel(logging.INFO)
    if RECENT not in logger.handlers:
        logger.addHandler(RECENT)
    if journal and not any(isinstance(h.formatter, JournalFormatter) for h in logger.handlers):
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(JournalFormatter())
        logger.addHandler(stream)
        logger.propagate = False  # one line per event in the journal
    if log_file is None:
        return None
    for h in logger.handlers:
        if isinstance(h, logging.handlers.RotatingFileHandler) and Path(h.baseFilename) == log_file.resolve():
            return h
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    except OSError as e:
        log.warning("cannot write the log file %s (%s); logging to standard error only", log_file, e.strerror)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    return handler


def tail(log_file: Path | None, lines: int = 20) -> list[str]:
    """The last ``lines`` lines of the log (for the staff panel)."""
    if log_file is None:
        return list(RECENT.lines)[-lines:]
    try:
        with open(log_file, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return []
    return data.splitlines()[-lines:]


class CrashGuard:
    """``sys.excepthook`` for the running kiosk.

    ``recover`` (set once the window is up) resets the kiosk; ``exit`` ends the
    process when recovering is not possible. Both are seams for tests.
    """

    def __init__(self, recover: Callable[[], None] | None = None,
                 exit: Callable[[int], None] = os._exit, clock: Callable[[], float] = time.monotonic) -> None:
        self.recover = recover
        self.exit = exit
        self.clock = clock
        self.recent: deque[float] = deque(maxlen=MAX_ERRORS)
        self._previous = sys.excepthook

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous

    def __call__(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt) or self.recover is None:
            # start-up or shut-down: log it and let Python end with an error
            log.critical("unrecoverable error", exc_info=(kind, value, tb))
            self._previous(kind, value, tb)
            return
        log.error("error in the kiosk; resetting to Start", exc_info=(kind, value, tb))
        now = self.clock()
        self.recent.append(now)
        if len(self.recent) == MAX_ERRORS and now - self.recent[0] < ERROR_WINDOW_S:
            log.critical("%d errors within %.0f s; exiting so the supervisor restarts the kiosk",
                         MAX_ERRORS, ERROR_WINDOW_S)
            self._flush()
            self.exit(EXIT_CRASHED)
            return
        try:
            self.recover()
        except Exception:
            log.critical("resetting after an error failed; exiting", exc_info=True)
            self._flush()
            self.exit(EXIT_CRASHED)

    @staticmethod
    def _flush() -> None:
        for h in logging.getLogger("kiosk").handlers + logging.getLogger().handlers:
            try:
                h.flush()
            except Exception:
                pass
