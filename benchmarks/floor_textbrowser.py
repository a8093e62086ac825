"""Floor for first paint: a bare QTextBrowser showing the deck's Start screen, nothing else.

``python benchmarks/floor_textbrowser.py --size 1920x1080 [--content DIR] [--lang en]``
"""

from __future__ import annotations

import sys

from floor_common import parse_args, screens
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QTextBrowser


def main() -> int:
    args = parse_args(__doc__ or "")
    app = QApplication(sys.argv[:1])
    view = QTextBrowser()
    font = QFont()
    font.setPixelSize(args.font_px)
    view.document().setDefaultFont(font)
    view.setHtml(screens(args.content, args.lang)[0])
    view.resize(args.width, args.height)
    view.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
