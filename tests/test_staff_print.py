"""Staff panel printer tools against the real CUPS test queue."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.pin import hash_pin
from tests.lifecycle_helpers import make_window


def open_panel(qtbot, cups_name: str):
    w = make_window(qtbot, print__printer=cups_name, staff__pin_hash=hash_pin("1357", iterations=100_000))
    w.staff.open_panel()
    return w


def test_panel_shows_the_printer_state(qtbot, cups_queue):
    w = open_panel(qtbot, cups_queue.name)
    label = w.staff.printer.state

    def shows_ready():
        assert label.text() == f"Printer: printer '{cups_queue.name}': ready"

    qtbot.waitUntil(shows_ready, timeout=10000)


def test_panel_says_how_to_fix_a_stopped_printer(qtbot, cups_queue):
    cups_queue.disable()
    w = open_panel(qtbot, cups_queue.name)

    def shows_fix():
        assert f"run cupsenable {cups_queue.name}" in w.staff.printer.state.text()

    qtbot.waitUntil(shows_fix, timeout=10000)


def test_a_test_page_really_prints_every_question(qtbot, cups_queue):
    w = open_panel(qtbot, cups_queue.name)
    tools = w.staff.printer
    qtbot.mouseClick(tools.test_button, Qt.MouseButton.LeftButton)
    assert not tools.test_button.isEnabled()  # no second job while one is on its way

    def sent():
        assert tools.state.text().startswith(f"Test page sent to {cups_queue.name}")

    qtbot.waitUntil(sent, timeout=20000)
    text = " ".join(cups_queue.pdf_text(cups_queue.wait_for_pdf()).split())  # questions wrap in two columns
    for item in (i for s in w.language.screens for i in s.items):
        assert item.text in text
    tools.wait()
