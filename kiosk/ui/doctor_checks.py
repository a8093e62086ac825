"""The Qt half of ``kiosk doctor``, run as ``python -m kiosk.ui.doctor_checks display|fonts``.

Prints one JSON line. A child process because Qt ends the process when it cannot
open a display; kiosk/doctor.py reads the line or reports the child's last words.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtGui import QFont, QFontInfo, QGuiApplication


def display() -> dict[str, object]:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    screen = app.primaryScreen()
    size = screen.size() if screen else None
    return {
        "platform": QGuiApplication.platformName(),
        "width": size.width() if size else 0,
        "height": size.height() if size else 0,
    }


def fonts() -> dict[str, object]:
    from kiosk.resources import fonts_dir
    from kiosk.ui.theme import load_fonts

    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    family = load_fonts()
    resolved = QFontInfo(QFont(family)).family()
    return {
        "family": family,
        "resolved": resolved,
        "exact": resolved == family,
        "files": len(list(fonts_dir().glob("*.ttf"))),
    }


def main(argv: list[str]) -> int:
    checks = {"display": display, "fonts": fonts}
    if len(argv) != 1 or argv[0] not in checks:
        print(f"usage: python -m kiosk.ui.doctor_checks {'|'.join(checks)}", file=sys.stderr)
        return 2
    print(json.dumps(checks[argv[0]]()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
