"""Full-window overlays: a dimmed backdrop with one calm dialog card.

Overlays are not screens. They cover the window, take every touch, and are
hidden by a reset.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from .state import Look
from .theme import View, apply_fonts, restyle
from .widgets import Button, Label, centered


class Overlay(QWidget):
    """Covers its parent window and follows its size."""

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent)
        self.look = look
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
        self.apply(self.look.view)
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def apply(self, view: View) -> None:
        m = view.metrics
        restyle(self, view)
        apply_fonts(self, m, view.family)
        pad = m.px(24) if m.compact else m.px(48)
        self.card_layout.setContentsMargins(pad, pad, pad, pad)
        self.card_layout.setSpacing(m.gap if m.compact else m.gap * 2)
        width = self.parentWidget().width()
        self.card.setMaximumWidth(max(min(600, width - 16), min(m.px(1100), width - 2 * m.px(40))))
        for b in self.findChildren(Button):
            b.setMinimumHeight(m.target)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # nothing under the overlay can be touched


class ConfirmOverlay(Overlay):
    """Asks one yes/no question; ``yes`` runs the action."""

    def __init__(self, parent: QWidget, look: Look) -> None:
        super().__init__(parent, look)
        self.title = Label(role="dialog_title")
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
        self.body = Label(role="body")
        self.body.setObjectName("DialogBody")
        self.body.setWordWrap(True)
        # The safe answer (keep my choices) is the primary button and the default.
        self.no_button = Button("", "Primary")
        self.yes_button = Button("", "")
        buttons = QHBoxLayout()
        buttons.addWidget(self.yes_button)
        buttons.addStretch(1)
        buttons.addWidget(self.no_button)
        self.card_layout.addWidget(self.title)
        self.card_layout.addWidget(self.body)
        self.card_layout.addLayout(buttons)
        QWidget.setTabOrder(self.no_button, self.yes_button)  # from the safe answer, Tab reaches "Yes"
        self.no_button.clicked.connect(self.hide)
        self.yes_button.clicked.connect(self._yes)
        self._action: Callable[[], None] | None = None

    def ask(self, title: str, body: str, yes: str, no: str, action: Callable[[], None]) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.yes_button.set_words(yes)
        self.no_button.set_words(no)
        self._action = action
        self.open()
        self.no_button.setFocus()  # the safe answer is the default for Enter

    def _yes(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()
