"""Look and sizes: bundled font, colours, and a style sheet scaled to the screen.

Sizes are computed from the window's shorter side so 1280x800, 1920x1080 and
portrait 1080x1920 all get readable text: body text is 26 px when the shorter
side is 1080 px, and at least 18 px on a small screen. Colours keep body text
above 7:1 contrast (see tests/test_theme.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import ASSETS
from ..session import TEXT_SIZES

FONT_FAMILY = "Atkinson Hyperlegible"
TEXT_SCALE = {"normal": 1.0, "large": 1.25, "largest": 1.5}

COLORS = {
    "bg": "#f7f5f0",  # warm off-white page
    "surface": "#ffffff",
    "text": "#1b1f23",
    "muted": "#3d4650",
    "accent": "#0b5563",  # deep teal; white text on it is 7.9:1
    "accent_pressed": "#073b45",
    "accent_soft": "#dcebee",
    "border": "#9aa7ad",
    "tick": "#0b5563",
    "warn_bg": "#fff4d6",
}


def load_fonts() -> str:
    """Register the bundled font files; return the family to use."""
    from PySide6.QtGui import QFontDatabase

    family = FONT_FAMILY
    for path in sorted(Path(ASSETS / "fonts").glob("*.ttf")):
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid >= 0:
            fams = QFontDatabase.applicationFontFamilies(fid)
            if fams:
                family = fams[0]
    return family


def relative_luminance(hex_color: str) -> float:
    h = hex_color.lstrip("#")
    rgb = [int(h[i: i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Metrics:
    """Pixel sizes for one window size and text size."""

    unit: float
    text: float

    @classmethod
    def for_size(cls, width: int, height: int, text_size: int = 0) -> Metrics:
        unit = max(0.7, min(min(width, height) / 1080, 1.6))
        return cls(unit, TEXT_SCALE[TEXT_SIZES[text_size]])

    def px(self, base: float) -> int:
        return round(base * self.unit)

    def font(self, base: float) -> int:
        """A text size: scaled by the screen and by the patient's choice."""
        return max(18, round(base * self.unit * self.text))

    @property
    def body(self) -> int:
        return self.font(26)

    @property
    def target(self) -> int:
        """Height of a touch target: never under 64 px."""
        return max(64, self.px(88), round(self.body * 2.4))

    @property
    def gap(self) -> int:
        return max(12, self.px(20))


def style_sheet(m: Metrics, family: str) -> str:
    c = COLORS
    return f"""
* {{ font-family: "{family}"; color: {c['text']}; }}
#Root {{ background: {c['bg']}; }}
#Header, #Footer {{ background: {c['surface']}; border: none; }}
#Header {{ border-bottom: 2px solid {c['accent_soft']}; }}
#Footer {{ border-top: 2px solid {c['accent_soft']}; }}
#Clinic {{ font-size: {m.font(22)}px; color: {c['muted']}; font-weight: bold; }}
#Progress {{ font-size: {m.font(22)}px; color: {c['muted']}; }}
#StepLabel {{ font-size: {m.font(19)}px; color: {c['muted']}; padding: {m.px(4)}px {m.px(10)}px;
  border-radius: {m.px(14)}px; }}
#StepLabel[current="true"] {{ background: {c['accent']}; color: white; font-weight: bold; }}
#StepLabel[done="true"] {{ color: {c['accent']}; }}
#Title {{ font-size: {m.font(44)}px; font-weight: bold; color: {c['text']}; }}
#StartTitle {{ font-size: {m.font(56)}px; font-weight: bold; }}
#Body, #StartBody, #SummaryList {{ font-size: {m.body}px; color: {c['text']}; }}
#Page, #Scroll, #Scroll > QWidget > QWidget {{ background: {c['bg']}; border: none; }}
#MoreBelow {{ font-size: {m.font(20)}px; color: {c['accent']}; font-weight: bold;
  background: {c['accent_soft']}; border-radius: {m.px(18)}px; padding: {m.px(6)}px {m.px(18)}px; }}
QPushButton {{
  font-size: {m.font(26)}px; font-weight: bold; min-height: {m.target}px; min-width: {max(64, m.px(120))}px;
  padding: 0 {m.px(28)}px; border-radius: {m.px(16)}px;
  background: {c['surface']}; color: {c['accent']}; border: 3px solid {c['accent']};
}}
QPushButton:pressed, QPushButton[pressed="true"] {{ background: {c['accent_soft']}; }}
QPushButton:focus {{ border: 4px solid {c['accent_pressed']}; }}
QPushButton:disabled {{ color: {c['border']}; border-color: {c['border']}; }}
QPushButton#Primary {{ background: {c['accent']}; color: white; border: 3px solid {c['accent']}; }}
QPushButton#Primary:pressed {{ background: {c['accent_pressed']}; }}
QPushButton#Begin {{ font-size: {m.font(38)}px; min-height: {round(m.target * 1.5)}px;
  background: {c['accent']}; color: white; border-radius: {m.px(24)}px; padding: 0 {m.px(60)}px; }}
QPushButton#Begin:pressed {{ background: {c['accent_pressed']}; }}
QPushButton#Small {{ font-size: {m.font(21)}px; padding: 0 {m.px(18)}px; }}
#TickItem {{ border: 3px solid {c['border']}; border-radius: {m.px(16)}px; background: {c['surface']}; }}
#TickItem[checked="true"] {{ border: 3px solid {c['tick']}; background: {c['accent_soft']}; }}
#TickItem[pressed="true"] {{ background: {c['accent_soft']}; border-color: {c['accent_pressed']}; }}
#TickItem:focus {{ border: 4px solid {c['accent_pressed']}; }}
#TickText {{ font-size: {m.body}px; color: {c['text']}; background: transparent; }}
#TickItem[checked="true"] #TickText {{ font-weight: bold; }}
QScrollBar:vertical {{ width: {max(10, m.px(12))}px; background: transparent; }}
QScrollBar::handle:vertical {{ background: {c['border']}; border-radius: {max(5, m.px(6))}px; min-height: 40px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; }}
#Overlay {{ background: rgba(20, 30, 35, 200); }}
#Dialog {{ background: {c['surface']}; border-radius: {m.px(24)}px; }}
#DialogTitle {{ font-size: {m.font(40)}px; font-weight: bold; }}
#DialogBody {{ font-size: {m.body}px; }}
#IdleCount {{ font-size: {m.font(72)}px; font-weight: bold; color: {c['accent']}; }}
#PinDots {{ font-size: {m.font(40)}px; min-height: {m.font(48)}px; color: {c['text']}; }}
QPushButton#PinDigit {{ font-size: {m.font(36)}px; }}
#StaffInfo {{ font-size: {m.font(20)}px; }}
#StaffLog {{ font-family: monospace; font-size: {max(14, m.px(15))}px; background: {c['bg']}; }}
#PrintStatus {{ font-size: {m.body}px; font-weight: bold; color: {c['text']};
  background: {c['accent_soft']}; border-radius: {m.px(12)}px; padding: {m.px(10)}px {m.px(16)}px; }}
#Badge {{ background: #8a1c1c; color: white; font-size: {m.font(24)}px; font-weight: bold;
  padding: {m.px(6)}px {m.px(18)}px; border-radius: {m.px(12)}px; }}
"""


def document_css(m: Metrics) -> str:
    """Default style sheet for rich-text documents (labels, previews)."""
    c = COLORS
    return (
        f"p, li {{ line-height: 140%; }}"
        f"h2 {{ font-size: {round(m.body * 1.25)}px; color: {c['accent']}; }}"
        f"h3 {{ font-size: {round(m.body * 1.1)}px; }}"
        # Qt draws <sup> at about 2/3 of its CSS size: this gives ~60 % of body text
        f"sup {{ font-size: {round(m.body * 0.95)}px; color: {c['accent']}; }}"
        f"th, td {{ padding: 6px; border: 1px solid {c['border']}; }}"
        f"table {{ border-collapse: collapse; }}"
    )
