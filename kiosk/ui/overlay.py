"""Full-window overlays: a dimmed backdrop with one calm dialog card.

Overlays are not screens. They cover the window, take every touch, and are
hidden by a reset.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from .theme import Metrics
from .widgets import Button, Label, centered


class Overlay(QWidget):
    """Covers its parent window and follows its size."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.card = QFrame(self)
        self.card.setObjectName("Dialog")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(centered(self.card))
        outer.addStretch(1)
        self.card_layout = QVBoxLayout(self.card)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def open(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def apply(self, m: Metrics) -> None:
        pad = m.px(48)
        self.card_layout.setContentsMargins(pad, pad, pad, pad)
        self.card_layout.setSpacing(m.gap * 2)
        self.card.setMaximumWidth(max(600, min(m.px(1100), self.parentWidget().width() - 2 * m.px(40))))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # nothing under the overlay can be touched


class ConfirmOverlay(Overlay):
    """Asks one yes/no question; ``yes`` runs the action."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = Label()
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
        self.body = Label()
        self.body.setObjectName("DialogBody")
        self.body.setWordWrap(True)
        self.no_button = Button("", "")
        self.yes_button = Button("", "Primary")
        buttons = QHBoxLayout()
        buttons.addWidget(self.no_button)
        buttons.addStretch(1)
        buttons.addWidget(self.yes_button)
        self.card_layout.addWidget(self.title)
        self.card_layout.addWidget(self.body)
        self.card_layout.addLayout(buttons)
        self.no_button.clicked.connect(self.hide)
        self.yes_button.clicked.connect(self._yes)
        self._action: Callable[[], None] | None = None

    def ask(self, title: str, body: str, yes: str, no: str, action: Callable[[], None]) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.yes_button.setText(yes)
        self.no_button.setText(no)
        self._action = action
        self.open()
        self.no_button.setFocus()  # the safe answer is the default for Enter

    def _yes(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()

    def apply(self, m: Metrics) -> None:
        super().apply(m)
        self.buttons_gap = m.gap
