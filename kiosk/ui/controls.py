"""The access controls a patient meets on every screen: Listen, text size,
contrast, sources, language.

Each is a ``ControlButton``: an icon (``kiosk.ui.icons``) beside its words, or
the icon alone when the words do not fit the header (a small or portrait panel
at a large text size). The words are always the accessible name, so a screen
reader and speech say them either way.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

from .icons import icon
from .theme import THEMES, View
from .widgets import Button


class ControlButton(Button):
    def __init__(self, icon_name: str, name: str = "Small", parent: QWidget | None = None) -> None:
        super().__init__("", name, parent)
        self.icon_name = icon_name
        self.words = ""
        self.compact = False
        self.target = 64
        self._theme = ""

    def set_words(self, text: str, accessible: str = "") -> None:
        self.words = text
        self.setAccessibleName(accessible or text)
        self.setText("" if self.compact else f" {text}")  # a space between the icon and the words

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.setText("" if compact else f" {self.words}")

    def set_icon_name(self, name: str) -> None:
        if name != self.icon_name:
            self.icon_name = name
            self._theme = ""

    def apply(self, view: View) -> None:
        m = view.metrics
        side = max(24, round(m.body * 1.1))
        key = f"{view.theme}:{self.isChecked()}:{self.icon_name}"
        if key != self._theme or self.iconSize() != QSize(side, side):
            c = THEMES[view.theme]
            color = c["on_accent"] if self.isChecked() else (c["accent"] if view.theme == "normal" else c["text"])
            self.setIcon(icon(self.icon_name, color, side * 2))
            self.setIconSize(QSize(side, side))
            self._theme = key
        self.target = m.target if not m.compact else round(m.target * 0.9)
        self.setMinimumHeight(self.target)
        self.fit()

    def fit(self) -> None:
        """As wide as its words (or icon) need, and never narrower than a touch target."""
        self.setMinimumWidth(max(self.sizeHint().width(), self.target))
