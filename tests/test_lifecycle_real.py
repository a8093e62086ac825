"""Idle reset and lockdown in a real kiosk process on Xvfb, driven by real input (XTEST).

Which screen shows is read from the window title ("<title> [<screen id>]");
what the session holds is read from the kiosk's log ("ticks: N", "session
reset" at INFO), so nothing patient-specific needs to be exposed for testing.
"""

from __future__ import annotations

import ctypes
import re
import sys
import time
from pathlib import Path

from kiosk import config as config_mod
from kiosk.pin import hash_pin

from .lifecycle_helpers import downs_to_ticks
from .realenv import screen_label, send_keys, skip_or_fail, wait_for_screen, wait_until, xdotool

PIN = "2468"


def write_config(tmp_path: Path, **sections: dict[str, object]) -> Path:
    lines = []
    for name, values in {"display": {"transition_ms": 0}, "log": {"file": str(tmp_path / "kiosk.log")},
                         **sections}.items():
        lines.append(f"[{name}]")
        for key, value in values.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {str(value).lower()}")
            else:
                lines.append(f"{key} = {value!r}".replace("'", '"') if isinstance(value, str) else f"{key} = {value}")
    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def title(display: str, window: str) -> str:
    return screen_label(display, window)


def ticks_lines(log: str) -> list[str]:
    return re.findall(r"ticks: \d+", log)


def test_idle_reset_in_a_real_window(qtbot, kiosk_process, xvfb_display, tmp_path):
    cfg = write_config(tmp_path, session={"idle_timeout_s": 3, "idle_warning_s": 1}, speech={"enabled": False})
    downs = downs_to_ticks(qtbot, config_mod.load(cfg), (1280, 800), "next-steps")
    proc = kiosk_process.start("--config", str(cfg), env={"KIOSK_CONFIG": str(cfg)})
    win = wait_for_screen(xvfb_display, "start", timeout=30)
    send_keys(xvfb_display, win, "space")  # touch to begin
    wait_until(lambda: "[mri-risk]" in title(xvfb_display, win), 10, lambda: title(xvfb_display, win))
    while not title(xvfb_display, win).endswith("[next-steps]"):
        before = title(xvfb_display, win)
        send_keys(xvfb_display, win, "Right")
        wait_until(lambda: title(xvfb_display, win) != before, 10, lambda: title(xvfb_display, win))  # noqa: B023
    # the keypad: Down moves the focus ring in reading order, Return ticks the question it is on
    send_keys(xvfb_display, win, *(["Down"] * downs[0]), "Return")
    wait_until(lambda: "ticks: 1" in kiosk_process.log_text(proc), 5,
               lambda: "no tick was logged:\n" + kiosk_process.log_text(proc))
    ticked_at = time.monotonic()
    wait_until(lambda: "session reset" in kiosk_process.log_text(proc), 15,
               lambda: "no idle reset:\n" + kiosk_process.log_text(proc))
    assert time.monotonic() - ticked_at >= 3.5  # the timeout, then the warning's second
    log = kiosk_process.log_text(proc)
    assert "idle: warning shown" in log
    assert ticks_lines(log)[-1] == "ticks: 0"  # everything chosen is forgotten
    wait_until(lambda: title(xvfb_display, win).endswith("[start]"), 5, lambda: title(xvfb_display, win))
    # on Start nothing resets again and again
    time.sleep(4.5)  # longer than timeout + warning: a repeat would show in the log
    assert kiosk_process.log_text(proc).count("session reset") == 1
    assert proc.poll() is None


# -- a window-manager close request: WM_DELETE_WINDOW, as a WM sends it ---------------------------

class _ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class _XEvent(ctypes.Union):
    _fields_ = [("xclient", _ClientMessage), ("pad", ctypes.c_long * 24)]


def send_wm_delete(display: str, window: str) -> None:
    try:
        x11 = ctypes.CDLL("libX11.so.6")
    except OSError:
        skip_or_fail("libX11.so.6 is not installed (apt-get install libx11-6)")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(_XEvent)]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = x11.XOpenDisplay(display.encode())
    assert dpy, f"cannot open {display}"
    try:
        event = _XEvent()
        msg = event.xclient
        msg.type = 33  # ClientMessage
        msg.window = int(window)
        msg.message_type = x11.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
        msg.format = 32
        msg.data[0] = x11.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        msg.data[1] = 0  # CurrentTime
        event.xclient = msg
        assert x11.XSendEvent(dpy, int(window), 0, 0, ctypes.byref(event))
        x11.XFlush(dpy)
    finally:
        x11.XCloseDisplay(dpy)


def test_fullscreen_kiosk_refuses_close_but_staff_quit_works(kiosk_process, xvfb_display, tmp_path):
    cfg = write_config(tmp_path, staff={"hold_seconds": 1, "pin_hash": hash_pin(PIN, iterations=100_000)})
    proc = kiosk_process.run([sys.executable, "-m", "kiosk", "--config", str(cfg)])  # fullscreen kiosk mode
    win = wait_for_screen(xvfb_display, "start", timeout=30)
    log = lambda: kiosk_process.log_text(proc)  # noqa: E731
    wait_until(lambda: "started (fullscreen" in log(), 10, log)

    send_wm_delete(xvfb_display, win)
    wait_until(lambda: "close request refused" in log(), 10, lambda: "close request not seen:\n" + log())
    send_keys(xvfb_display, win, "alt+F4", "ctrl+q", "Escape")
    time.sleep(1)
    assert proc.poll() is None, "the kiosk ended on a patient's close request:\n" + log()

    # staff: hold the top-left corner, type the PIN, Quit (Alt+Q on the panel's button)
    xdotool(xvfb_display, "windowfocus", "--sync", win)
    xdotool(xvfb_display, "mousemove", "--window", win, "--sync", "10", "10")
    xdotool(xvfb_display, "mousedown", "1")
    try:
        wait_until(lambda: "PIN pad shown" in log(), 10, lambda: "no PIN pad after the hold:\n" + log())
    finally:
        xdotool(xvfb_display, "mouseup", "1")
    assert title(xvfb_display, win).endswith("[start]")  # the hold did not begin a session
    send_keys(xvfb_display, win, *PIN, "Return")
    wait_until(lambda: "staff panel opened" in log(), 10, lambda: "panel not opened:\n" + log())
    send_keys(xvfb_display, win, "alt+q")
    wait_until(lambda: proc.poll() is not None, 10, lambda: "staff quit did not end the kiosk:\n" + log())
    assert proc.returncode == 0, log()
