"""Is there a screen to show a window on? (No Qt needed to tell.)"""

from __future__ import annotations

import os


def have_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "eglfs", "linuxfb", "vnc")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
