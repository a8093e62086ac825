"""Child process for first_paint_s: the kiosk's own start-up path, stopped at first paint.

Prints the seconds since this process started (from /proc) when the Start
screen has been painted once, then exits.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
T0 = time.monotonic()

from PySide6.QtCore import QEvent, QObject  # noqa: E402

from kiosk.app import make_app, open_deck  # noqa: E402
from kiosk.config import load  # noqa: E402


class FirstPaint(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print(f"painted {time.monotonic() - T0:.4f}", flush=True)
            os._exit(0)
        return False


def main() -> None:
    config = load(None)
    deck = open_deck(config.content_dir, config.default_language)
    app = make_app()
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(deck, config)
    watcher = FirstPaint()
    window.current_page().installEventFilter(watcher)
    window.resize(1920, 1080)
    window.show()
    app.exec()


if __name__ == "__main__":
    sys.exit(main())
