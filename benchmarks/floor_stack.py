"""Floor for screen changes: a bare QStackedWidget of QTextBrowser pages, Right/Left to change.

One page per screen of the deck, all built before showing; Right shows the next page,
Left the previous one (QShortcut on the window, as the kiosk does).
``python benchmarks/floor_stack.py --size 1920x1080 --font-px 39 [--content DIR] [--lang en]``
"""

from __future__ import annotations

import sys

from floor_common import parse_args, screens
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QStackedWidget, QTextBrowser


def main() -> int:
    args = parse_args(__doc__ or "")
    app = QApplication(sys.argv[:1])
    stack = QStackedWidget()
    font = QFont()
    font.setPixelSize(args.font_px)
    for html in screens(args.content, args.lang):
        page = QTextBrowser()
        page.document().setDefaultFont(font)
        page.setHtml(html)
        stack.addWidget(page)

    def step(delta: int) -> None:
        stack.setCurrentIndex(max(0, min(stack.count() - 1, stack.currentIndex() + delta)))

    QShortcut(QKeySequence(Qt.Key.Key_Right), stack).activated.connect(lambda: step(1))
    QShortcut(QKeySequence(Qt.Key.Key_Left), stack).activated.connect(lambda: step(-1))
    stack.resize(args.width, args.height)
    stack.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
