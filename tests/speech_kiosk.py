"""The kiosk window with speech wired as the window will wire it, for real-process tests.

``python tests/speech_kiosk.py [--lang es] [--content DIR]`` opens the bundled deck
in a 1280x800 window, makes a ``SpeechController`` (engine ``speechd``), binds the
keypad's speak key (F5 by default) to ``toggle`` and calls ``warm_up`` just after
first paint. It prints one line per event the test waits for:
``speech: available True|False``, ``speech: speaking True|False`` (the engine's
own state) and the controller's INFO log lines.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.app import make_app  # noqa: E402
from kiosk.config import Config  # noqa: E402
from kiosk.deck import load_deck  # noqa: E402
from kiosk.resources import bundled_content  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="en")
    parser.add_argument("--content", type=Path, default=bundled_content())
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(name)s %(levelname)s %(message)s")
    app = make_app()
    from PySide6.QtCore import QTimer

    from kiosk.ui.speech import SpeechController
    from kiosk.ui.window import KioskWindow

    config = Config().with_values(display={"transition_ms": 0})
    window = KioskWindow(load_deck(args.content, args.lang), config, language=args.lang)
    speech = SpeechController(window.session, window.holder, config.speech, window)
    window.keypad.bind("speak", speech.toggle)
    window.idle.set_busy(speech.speaking)
    speech.speaking_changed.connect(window.idle.set_busy)

    def report_available(on: bool) -> None:
        print(f"speech: available {on}", flush=True)

    def report_speaking(on: bool) -> None:
        print(f"speech: speaking {on}", flush=True)

    speech.available_changed.connect(report_available)
    speech.speaking_changed.connect(report_speaking)
    window.resize(1280, 800)
    window.show()
    warm = QTimer(window)  # just after first paint, as the window will do it
    warm.setSingleShot(True)
    warm.timeout.connect(speech.warm_up)
    warm.start(0)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
