"""A real kiosk window under Xvfb, driven by real input events (XTEST).

The kiosk runs as a separate process, exactly as ``kiosk --windowed`` would on
a desktop; which screen shows is read from the window title, which ends in
"[<screen id>]".
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kiosk.deck import load_deck
from kiosk.resources import bundled_content

from .realenv import click, screen_label, wait_for_screen, wait_until, xdotool

W, H = 1280, 800


@pytest.fixture
def screen_ids() -> list[str]:
    return [s.id for s in load_deck(bundled_content()).language("en").journey]  # the sources open on demand


@pytest.fixture
def isolated(tmp_path: Path) -> dict[str, str]:
    """No config from the developer's home; a log file in tmp."""
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'clinic_name = "Test Clinic"\n[log]\nfile = "{tmp_path / "kiosk.log"}"\n')
    return {"KIOSK_CONFIG": str(cfg), "XDG_CONFIG_HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path)}


def keys(display: str, *names: str) -> None:
    """Real key presses (XTEST) to the focused kiosk window.

    The window is focused once: re-focusing before every key makes Qt
    deactivate and re-activate the window, and a key that lands in between
    misses the window's shortcuts. A short pause before each key: under the
    pytest-started Xvfb a key sent within ~100 ms of a screen change was
    sometimes not delivered (not reproduced by hand; see the closing note).
    """
    time.sleep(0.3)
    xdotool(display, "key", "--delay", "30", *names)


def title(display: str, window: str) -> str:
    return screen_label(display, window)


def wait_screen(display: str, window: str, screen_id: str) -> None:
    wait_until(lambda: title(display, window).endswith(f"[{screen_id}]"), 10,
               lambda: f"expected screen [{screen_id}], window title is {title(display, window)!r}")


def test_walk_every_screen_with_real_touches_and_keys(kiosk_process, xvfb_display, isolated, screen_ids):
    proc = kiosk_process.start("--size", f"{W}x{H}", env=isolated)
    d = xvfb_display
    win = wait_for_screen(d, "start", timeout=20)
    xdotool(d, "windowfocus", "--sync", win)
    # a tap anywhere on the welcome screen begins
    click(d, win, W // 2, H // 4)
    wait_screen(d, win, screen_ids[1])
    # the Next button sits at the bottom right
    click(d, win, W - 100, H - 50)
    wait_screen(d, win, screen_ids[2])
    # keys: Right and PageDown go on, Left goes back
    for sid in screen_ids[3:]:
        keys(d, "Right")
        wait_screen(d, win, sid)
    keys(d, "Left")
    wait_screen(d, win, screen_ids[-2])
    keys(d, "Prior")
    wait_screen(d, win, screen_ids[-3])
    # Home asks first with "No" focused: Enter keeps everything, Tab+Enter is "Yes"
    keys(d, "Home")
    keys(d, "Return")
    keys(d, "Right")
    wait_screen(d, win, screen_ids[-2])
    keys(d, "Home")
    keys(d, "Tab", "Return")
    wait_screen(d, win, "start")
    assert proc.poll() is None, kiosk_process.log_text(proc)


def test_a_bad_config_value_names_the_key_and_the_kiosk_still_starts(kiosk_process, xvfb_display, tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('clinic_name = "Test Clinic"\n[print]\npaper = "A5"\n')
    env = {"KIOSK_CONFIG": str(cfg), "XDG_STATE_HOME": str(tmp_path)}
    proc = kiosk_process.start(env=env)
    win = wait_for_screen(xvfb_display, "start", timeout=20)
    assert win and proc.poll() is None
    wait_until(lambda: "print.paper: invalid value 'A5', expected 'letter' or 'a4'" in kiosk_process.log_text(proc),
               10, lambda: kiosk_process.log_text(proc))
    assert "Traceback" not in kiosk_process.log_text(proc)
