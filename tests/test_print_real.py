"""Printing from the kiosk UI in a real window under Xvfb, to the real CUPS queue.

The patient path end to end: tick questions with real key presses, go to the
summary, tap "Print my summary" with a real click; the PDF that CUPS produced
must carry the ticked questions, the key points and the clinic name on one page.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QPoint

from kiosk import config as config_mod
from kiosk.deck import load_deck
from kiosk.resources import bundled_content
from kiosk.ui.window import KioskWindow

from .lifecycle_helpers import downs_to_ticks
from .realenv import screen_label, wait_for_screen, wait_until, xdotool

W, H = 1280, 800
CLINIC = "Riverside Spine Clinic"


def title(display: str, win: str) -> str:
    return screen_label(display, win)


def keys(display: str, *names: str) -> None:
    time.sleep(0.3)  # see tests/test_real_window.py
    xdotool(display, "key", "--delay", "40", *names)


def print_button_centre(qtbot, config: config_mod.Config) -> QPoint:
    """Where the Print button is at this window size (same code, fonts and layout, offscreen)."""
    w = KioskWindow(load_deck(bundled_content()), config, speech_engine="mock")
    qtbot.addWidget(w)
    w.resize(W, H)
    w.show()
    w.session.go(w.session.screen_ids.index("summary"))
    qtbot.waitUntil(lambda: w.current_page().print_panel is not None)
    button = w.current_page().print_panel.button
    qtbot.waitUntil(lambda: button.isVisible())
    return button.mapTo(w, button.rect().center())


def test_print_my_summary_from_a_real_window(qtbot, kiosk_process, xvfb_display, cups_queue, tmp_path):
    cfg_path: Path = tmp_path / "kiosk.toml"
    cfg_path.write_text(f'clinic_name = "{CLINIC}"\n[print]\nprinter = "{cups_queue.name}"\npaper = "a4"\n'
                        f'[log]\nfile = "{tmp_path / "kiosk.log"}"\n[speech]\nenabled = false\n')
    config = config_mod.load(cfg_path)
    centre = print_button_centre(qtbot, config)
    downs = downs_to_ticks(qtbot, config, (W, H), "next-steps")
    deck = load_deck(bundled_content()).language("en")
    proc = kiosk_process.start("--size", f"{W}x{H}", env={"KIOSK_CONFIG": str(cfg_path)})
    d = xvfb_display
    win = wait_for_screen(d, "start", timeout=20)
    xdotool(d, "windowfocus", "--sync", win)
    keys(d, "space")
    while not title(d, win).endswith("[next-steps]"):
        before = title(d, win)
        keys(d, "Right")
        wait_until(lambda: title(d, win) != before, 10, lambda: title(d, win))  # noqa: B023
    # the keypad: Down moves the focus ring in reading order, Return ticks; the first and third question
    keys(d, *(["Down"] * downs[0]), "Return", *(["Down"] * (downs[2] - downs[0])), "Return")
    wait_until(lambda: "ticks: 2" in kiosk_process.log_text(proc), 10, lambda: kiosk_process.log_text(proc))
    ids = [s.id for s in deck.screens]
    for target in ids[ids.index("next-steps") + 1: ids.index("summary") + 1]:  # more questions, check yourself
        keys(d, "Right")
        wait_until(lambda: title(d, win).endswith(f"[{target}]"), 10, lambda: title(d, win))  # noqa: B023
    wait_until(lambda: title(d, win).endswith("[summary]"), 10, lambda: title(d, win))
    time.sleep(0.5)  # the preview paints just after the screen
    xdotool(d, "mousemove", "--window", win, "--sync", str(centre.x()), str(centre.y()), "click", "1")
    wait_until(lambda: "printing the summary sheet" in kiosk_process.log_text(proc), 10,
               lambda: "the Print tap did not reach the button:\n" + kiosk_process.log_text(proc))
    pdf = cups_queue.wait_for_pdf(timeout=60)
    text = cups_queue.pdf_text(pdf)
    questions = next(s for s in deck.screens if s.id == "next-steps").items
    text = " ".join(text.split())  # questions wrap in two columns
    assert questions[0].text in text and questions[2].text in text
    assert questions[1].text not in text  # only what was ticked
    assert CLINIC in text
    first_point = next(s for s in deck.screens if s.sheet).sheet[0]
    assert first_point.split("<")[0].strip()[:30] in text
    assert cups_queue.page_count(pdf) == 1
    assert proc.poll() is None
