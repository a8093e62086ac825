"""Locked kiosk on a real X server: fullscreen over the whole screen with no window
manager (as ``xinit`` starts it), and back within a second when a desktop window
manager (openbox) iconifies it, as Alt+Space -> Iconify would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .realenv import KioskProcesses, own_xvfb, require_tools, wait_for_screen, wait_until, xdotool

SIZE = (1024, 768)


def geometry(display: str, window: str) -> tuple[int, int, int, int, str]:
    require_tools("xwininfo")
    out = subprocess.run(["xwininfo", "-id", window], env={**os.environ, "DISPLAY": display},
                         capture_output=True, text=True, timeout=10).stdout

    def num(label: str) -> int:
        return int(re.search(rf"{label}:\s+(-?\d+)", out).group(1))  # type: ignore[union-attr]

    state = re.search(r"Map State:\s+(\w+)", out)
    return (num("Absolute upper-left X"), num("Absolute upper-left Y"), num("Width"), num("Height"),
            state.group(1) if state else "")


def locked_kiosk(display: str, tmp_path: Path) -> tuple[KioskProcesses, str]:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[display]\ntransition_ms = 0\n[log]\nfile = "{tmp_path / "kiosk.log"}"\n')
    procs = KioskProcesses(display, tmp_path)
    procs.run([sys.executable, "-m", "kiosk"], env={"KIOSK_CONFIG": str(cfg), "XDG_STATE_HOME": str(tmp_path)})
    return procs, wait_for_screen(display, "start", timeout=30)


def test_fullscreen_covers_the_whole_screen_without_a_window_manager(tmp_path):
    with own_xvfb(tmp_path / "xvfb.log", f"{SIZE[0]}x{SIZE[1]}") as display:
        procs, win = locked_kiosk(display, tmp_path)
        try:
            wait_until(lambda: geometry(display, win)[:4] == (0, 0, *SIZE), 5, lambda: geometry(display, win))
        finally:
            procs.close(show_logs=False)


def test_an_iconified_kiosk_comes_back_fullscreen_under_openbox(tmp_path):
    require_tools("openbox")
    with own_xvfb(tmp_path / "xvfb.log", f"{SIZE[0]}x{SIZE[1]}") as display:
        env = {**os.environ, "DISPLAY": display, "HOME": str(tmp_path)}
        wm = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        procs = None
        try:
            procs, win = locked_kiosk(display, tmp_path)
            wait_until(lambda: geometry(display, win) == (0, 0, *SIZE, "IsViewable"), 10,
                       lambda: geometry(display, win))
            for _ in range(2):  # the way back works more than once
                xdotool(display, "windowminimize", "--sync", win)  # what openbox's Iconify does
                wait_until(lambda: geometry(display, win) == (0, 0, *SIZE, "IsViewable"), 2,
                           lambda: f"still away: {geometry(display, win)}")
            assert "back to fullscreen" in (tmp_path / "kiosk.log").read_text()
        finally:
            if procs is not None:
                procs.close(show_logs=False)
            wm.terminate()
            wm.wait(5)
