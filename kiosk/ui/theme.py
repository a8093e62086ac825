"""Look: bundled font, two colour themes, and sizes fitted to the panel.

Two things change how the kiosk looks, and they cost differently:

- ``Metrics`` (window size, panel size, the patient's text size) gives pixel
  sizes. Fonts are set on the widgets that show (``apply_fonts``), never
  through a style sheet, so a text-size tap re-parses nothing.
- ``Theme`` (normal or high contrast) gives colours; the style sheet depends
  only on the theme and the layout unit (window size), never on the text
  size. It is set on the parts that show (header, footer, the current page,
  an open overlay: ``restyle``), never on the window, so a theme change
  re-polishes what the patient sees and not every built page: a hidden page
  catches up when it is next shown.

Text is sized in millimetres on the panel when its size is known: at Normal a
capital letter is at least 3.0 mm high, at Largest at least 4.8 mm (Section
508 402.4), for body text and control labels alike. It never falls below the
pixel-based size (body 26 px when the shorter side is 1080 px).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from ..fonts import FONT_FAMILY, load_fonts  # noqa: F401  (the window loads the font through the theme)
from ..session import TEXT_SIZES

TEXT_SCALE = {"normal": 1.0, "large": 1.25, "largest": 1.5}
CAP_MM = {"normal": 3.0, "large": 3.9, "largest": 4.8}
# Atkinson Hyperlegible: capital height / pixel size (QFontMetrics.capHeight at 100 px
# is 67-68 px; tests/test_theme.py measures it so a font change cannot lower text silently).
CAP_RATIO = 0.66
DEFAULT_PX_PER_MM = 96 / 25.4  # what to assume when the screen reports nonsense

NORMAL = {
    "bg": "#f7f5f0",  # warm off-white page
    "surface": "#ffffff",
    "text": "#1b1f23",
    "muted": "#3d4650",
    "accent": "#0b5563",  # deep teal; white text on it is 7.9:1
    "on_accent": "#ffffff",
    "accent_pressed": "#073b45",
    "accent_soft": "#dcebee",
    "border": "#5f6b73",  # tick rows, scrollbar: 5:1 against the page (WCAG 1.4.11 asks 3:1)
    "tick": "#0b5563",
    "focus": "#1b1f23",  # focus ring: dark, 4 px, 15:1 on the page
    "focus_bg": "#ffe14d",  # a focused control turns yellow: unmistakable beside teal or white
    "warn_bg": "#fff4d6",
    "badge": "#8a1c1c",
    "dim": "rgba(20, 30, 35, 200)",
}

HIGH = {
    "bg": "#000000",
    "surface": "#000000",
    "text": "#ffffff",  # 21:1
    "muted": "#f0f0f0",
    "accent": "#ffe14d",  # yellow on black 15:1
    "on_accent": "#000000",
    "accent_pressed": "#ffffff",
    "accent_soft": "#262626",
    "border": "#ffffff",
    "tick": "#ffe14d",
    "focus": "#00e5ff",  # cyan ring, 14:1 on black
    "focus_bg": "#00363d",
    "warn_bg": "#262626",
    "badge": "#ffffff",
    "dim": "rgba(0, 0, 0, 235)",
}

THEMES = {"normal": NORMAL, "high": HIGH}
COLORS = NORMAL  # the printed sheet and older callers: always the normal colours


def relative_luminance(hex_color: str) -> float:
    h = hex_color.lstrip("#")
    rgb = [int(h[i: i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def px_per_mm(width_px: int, height_px: int, diagonal_in: float = 0,
              reported_mm: tuple[float, float] | None = None) -> float:
    """Pixels per millimetre of the panel: from the configured diagonal, else
    from the size the screen reports when that is believable (5-100 inches)."""
    diag_px = math.hypot(width_px, height_px)
    if diagonal_in > 0:
        return diag_px / (diagonal_in * 25.4)
    if reported_mm is not None:
        diag_mm = math.hypot(*reported_mm)
        if 5 * 25.4 <= diag_mm <= 100 * 25.4:
            return diag_px / diag_mm
    return DEFAULT_PX_PER_MM


@dataclass(frozen=True)
class Metrics:
    """Pixel sizes for one window, panel and text size."""

    unit: float  # layout scale from the window size (1.0 when the shorter side is 1080 px)
    body: int  # body text, px
    text_size: int = 0
    short_side: int = 1080

    @classmethod
    def for_size(cls, width: int, height: int, text_size: int = 0,
                 mm: float = DEFAULT_PX_PER_MM) -> Metrics:
        unit = max(0.6, min(min(width, height) / 1080, 1.6))
        name = TEXT_SIZES[text_size]
        by_pixels = max(18, round(26 * unit * TEXT_SCALE[name]))
        by_mm = math.ceil(CAP_MM[name] * mm / CAP_RATIO)
        return cls(unit, max(by_pixels, by_mm), text_size, min(width, height))

    def px(self, base: float) -> int:
        return round(base * self.unit)

    def font(self, base: float) -> int:
        """A text size relative to body text (base 26 = body)."""
        return max(12, round(self.body * base / 26))

    @property
    def compact(self) -> bool:
        """A short screen (800x480, 1024x600): one-row chrome, tighter margins."""
        return self.short_side < 700

    @property
    def target(self) -> int:
        """Height of a touch target: never under 56 px (about 9 mm on a 10" panel)."""
        return max(56, round(self.body * 1.9)) if self.compact else max(64, round(self.body * 2.3))

    @property
    def gap(self) -> int:
        return max(8 if self.compact else 12, self.px(20))


# Font roles: (size relative to body, bold). Control labels are never smaller than body text.
ROLES: dict[str, tuple[float, bool]] = {
    "body": (26, False),
    "body_bold": (26, True),
    "title": (38, True),
    "start_title": (48, True),
    "clinic": (26, True),
    "progress": (26, False),
    "button": (26, True),
    "begin": (34, True),
    "dialog_title": (36, True),
    "count": (64, True),
    "pin": (34, True),
    "badge": (26, True),
    "staff": (20, False),
    "mono": (16, False),
}


def qfont(family: str, m: Metrics, role: str):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFont

    base, bold = ROLES[role]
    f = QFont(family)
    f.setPixelSize(m.font(base))
    f.setBold(bold)
    if role == "mono":
        f.setFamily("monospace")
        f.setStyleHint(QFont.StyleHint.Monospace)
    return f


def set_role(widget, role: str) -> None:  # type: ignore[no-untyped-def]
    """Mark a widget with its font role; ``apply_fonts`` sizes it."""
    widget.setProperty("font_role", role)


def apply_fonts(root, m: Metrics, family: str) -> None:  # type: ignore[no-untyped-def]
    """Set the font of ``root`` and every child that has a role (cheap: no style sheet)."""
    from PySide6.QtWidgets import QWidget

    cache: dict[str, object] = {}
    for w in [root, *root.findChildren(QWidget)]:
        role = w.property("font_role")
        if role:
            if role not in cache:
                cache[role] = qfont(family, m, role)
            w.setFont(cache[role])


def restyle(widget, view: View) -> None:  # type: ignore[no-untyped-def]
    """Give ``widget`` (and so its children) the style sheet of ``view``, unless it has it."""
    key = (view.metrics.unit, view.theme)
    if getattr(widget, "_kiosk_sheet", None) != key:
        widget._kiosk_sheet = key
        widget.setStyleSheet(style_sheet(*key))


@functools.lru_cache(maxsize=8)
def style_sheet(unit: float, theme: str) -> str:
    """Colours, borders and spacing; no font sizes (those follow the text size)."""
    c = THEMES[theme]

    def px(base: float) -> int:
        return round(base * unit)

    ring = max(3, px(4))
    return f"""
* {{ color: {c['text']}; }}
#Header, #Footer {{ background: {c['surface']}; border: none; }}
#Header {{ border-bottom: 2px solid {c['border']}; }}
#Footer {{ border-top: 2px solid {c['border']}; }}
#Clinic, #Progress {{ color: {c['muted']}; }}
#Page, #Scroll, #Scroll > QWidget > QWidget, #Inner {{ background: {c['bg']}; border: none; }}
#Page #Scroll, #Page #Scroll > QWidget > QWidget, #Page #Inner {{ background: transparent; }}
QPushButton {{
  padding: 0 {px(24)}px; border-radius: {px(16)}px;
  background: {c['surface']}; color: {c['accent'] if theme == 'normal' else c['text']};
  border: 3px solid {c['accent'] if theme == 'normal' else c['border']};
}}
QPushButton:pressed, QPushButton[pressed="true"] {{ background: {c['accent_soft']}; }}
QPushButton:checked {{ background: {c['accent']}; color: {c['on_accent']}; border: 3px solid {c['accent']}; }}
QPushButton:checked:focus {{ border: {ring}px solid {c['focus']}; background: {c['focus_bg']};
  color: {c['text']}; }}
QPushButton:focus {{ border: {ring}px solid {c['focus']}; background: {c['focus_bg']};
  color: {c['text'] if theme == 'normal' else c['text']}; }}
QPushButton:disabled {{ color: {c['muted']}; border: 2px dashed {c['muted']}; }}
QPushButton#Primary, QPushButton#Begin {{ background: {c['accent']}; color: {c['on_accent']};
  border: 3px solid {c['accent']}; }}
QPushButton#Primary:pressed, QPushButton#Begin:pressed {{ background: {c['accent_pressed']}; }}
QPushButton#Primary:focus, QPushButton#Begin:focus {{ border: {ring}px solid {c['focus']};
  background: {c['focus_bg']}; color: {c['text']}; }}
QPushButton#Begin {{ border-radius: {px(24)}px; padding: 0 {px(60)}px; }}
QPushButton#Small {{ padding: 0 {px(14)}px; }}
QPushButton#MoreBelow {{ background: {c['accent_soft']}; color: {c['text']}; border: 2px solid {c['border']};
  border-radius: {px(14)}px; }}
#TickItem {{ border: 3px solid {c['border']}; border-radius: {px(16)}px; background: {c['surface']}; }}
#TickItem[checked="true"] {{ border: 3px solid {c['tick']}; background: {c['accent_soft']}; }}
#TickItem[pressed="true"] {{ background: {c['accent_soft']}; }}
#TickItem:focus {{ border: {ring}px solid {c['focus']}; background: {c['focus_bg']}; }}
#TickText {{ color: {c['text']}; background: transparent; }}
QScrollBar:vertical {{ width: {max(12, px(14))}px; background: {c['accent_soft']}; }}
QScrollBar::handle:vertical {{ background: {c['border']}; border-radius: {max(5, px(6))}px; min-height: 40px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; }}
#Overlay {{ background: {c['dim']}; }}
#Dialog {{ background: {c['surface']}; border-radius: {px(24)}px; border: 3px solid {c['border']}; }}
#IdleCount {{ color: {c['accent'] if theme == 'high' else c['accent']}; }}
#StaffLog {{ background: {c['bg']}; }}
#PrintStatus {{ color: {c['text']}; background: {c['accent_soft']}; border-radius: {px(12)}px;
  padding: {px(10)}px {px(16)}px; }}
#Badge {{ background: {c['badge']}; color: {c['bg'] if theme == 'high' else '#ffffff'};
  padding: {px(6)}px {px(18)}px; border-radius: {px(12)}px; }}
"""


def document_css(theme: str) -> str:
    """Default style sheet for rich-text documents: colours and spacing only, so
    the text follows the widget's font (a text-size change re-parses nothing)."""
    c = THEMES[theme]
    return (
        "p, li { line-height: 140%; }"
        f"h2 {{ color: {c['accent'] if theme == 'normal' else c['text']}; }}"
        f"sup {{ color: {c['accent']}; }}"
        f"th, td {{ padding: 6px; border: 1px solid {c['border']}; }}"
        "table { border-collapse: collapse; }"
        f"a {{ color: {c['text']}; }}"
    )


@dataclass(frozen=True)
class View:
    """Everything that decides how a widget looks: sizes, colours, font family."""

    metrics: Metrics
    theme: str = "normal"
    family: str = FONT_FAMILY
