"""The bundled font, registered with Qt for whoever draws text: the window and the printed sheet.

Qt GUI only (no widgets): ``kiosk.sheet_render`` and ``kiosk sheet`` use it
without importing the window's code (``kiosk.ui``). Call from the GUI thread
once a QGuiApplication exists.
"""

from __future__ import annotations

from pathlib import Path

from .config import ASSETS

FONT_FAMILY = "Atkinson Hyperlegible"
FONTS_DIR = ASSETS / "fonts"


def load_fonts(folder: Path = FONTS_DIR) -> str:
    """Register every ``.ttf`` in ``folder``; return the family to use (FONT_FAMILY if none loads)."""
    from PySide6.QtGui import QFontDatabase

    family = FONT_FAMILY
    for path in sorted(Path(folder).glob("*.ttf")):
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid >= 0:
            fams = QFontDatabase.applicationFontFamilies(fid)
            if fams:
                family = fams[0]
    return family
