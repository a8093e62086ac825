"""Qt's own messages go to the kiosk's log (a warning on an unwatched kiosk is lost otherwise)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("kiosk.qt")

# Messages that say nothing a person can act on, kept at debug level.
QUIET = ("propagateSizeHints",)

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = _LEVELS.get(kind, logging.WARNING)
    if any(q in message for q in QUIET):
        level = logging.DEBUG
    category = context.category or "qt"
    log.log(level, "%s: %s", category, message)


def install() -> None:
    qInstallMessageHandler(_handler)
