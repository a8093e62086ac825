"""The bundled font, registered with Qt for whoever draws text: the window and the printed sheet.

Qt GUI only (no widgets): ``kiosk.sheet_render`` and ``kiosk sheet`` use it
without importing the window's code (``kiosk.ui``). Call from the GUI thread
once a QGuiApplication exists.
"""

from __future__ import annotations

from pathlib import Path

from .resources import fonts_dir

FONT_FAMILY = "Atkinson Hyperlegible"


def load_fonts(folder: Path | None = None) -> str:
    """Register every ``.ttf`` in ``folder`` (default: the bundled fonts); return the family to use."""
    from PySide6.QtGui import QFontDatabase

    family = FONT_FAMILY
    for path in sorted(Path(folder or fonts_dir()).glob("*.ttf")):
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid >= 0:
            fams = QFontDatabase.applicationFontFamilies(fid)
            if fams:
                family = fams[0]
    return family
