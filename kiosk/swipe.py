"""One-finger swipe recognition (Qt's QSwipeGesture wants three fingers).

Pure logic: feed it press and release positions with a timestamp; it says
whether the movement was a left or right swipe.
"""

from __future__ import annotations

from dataclasses import dataclass

NEXT = 1  # finger moved right-to-left: show the next screen
BACK = -1  # finger moved left-to-right: show the previous screen
NONE = 0


@dataclass
class SwipeTracker:
    width: float = 1280.0
    min_fraction: float = 0.15  # of the window width
    max_seconds: float = 1.0
    _start: tuple[float, float, float] | None = None

    def press(self, x: float, y: float, t: float) -> None:
        self._start = (x, y, t)

    def cancel(self) -> None:
        self._start = None

    def release(self, x: float, y: float, t: float) -> int:
        if self._start is None:
            return NONE
        x0, y0, t0 = self._start
        self._start = None
        dx, dy = x - x0, y - y0
        if t - t0 > self.max_seconds:
            return NONE
        if abs(dx) < self.width * self.min_fraction or abs(dx) < 2 * abs(dy):
            return NONE
        return NEXT if dx < 0 else BACK
