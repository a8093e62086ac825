"""The real-component fixtures work: a Qt window on Xvfb takes real key presses,
a Qt-made PDF printed through the real CUPS queue comes out with its words, and
the printer faults the kiosk must survive can be switched on and off."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.realenv import CupsQueue, KioskProcesses, screenshot, send_keys, wait_for_window, wait_until

PROBE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication(sys.argv)
print("platform", app.platformName(), flush=True)
edit = QLineEdit()
edit.setWindowTitle("realenv-probe")
edit.textChanged.connect(lambda text: print("text=" + text, flush=True))
edit.resize(400, 80)
edit.show()
app.exec()
"""

MAKE_PDF = """
import sys
from PySide6.QtGui import QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
app = QApplication([])
printer = QPrinter(QPrinter.PrinterMode.HighResolution)
printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
printer.setOutputFileName(sys.argv[1])
doc = QTextDocument()
doc.setHtml("<h1>Back pain: your visit</h1><p>Keep moving gently every day.</p>")
doc.setPageSize(printer.pageRect(QPrinter.Unit.Point).size())
doc.print_(printer)
"""


def test_qt_window_on_xvfb_receives_real_key_presses(kiosk_process: KioskProcesses, tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE_WINDOW)
    proc = kiosk_process.run([sys.executable, str(probe)])

    window = wait_for_window(kiosk_process.display, "^realenv-probe$")
    send_keys(kiosk_process.display, window, "h", "i", "shift+x")

    wait_until(
        lambda: "text=hiX" in kiosk_process.log_text(proc),
        10,
        lambda: f"the window never saw the keys; its log:\n{kiosk_process.log_text(proc)}",
    )
    assert "platform xcb" in kiosk_process.log_text(proc)
    shot = screenshot(kiosk_process.display, tmp_path / "screen.png")
    assert shot.read_bytes().startswith(b"\x89PNG")


def make_qt_pdf(path: Path) -> Path:
    env_run = subprocess.run([sys.executable, "-c", MAKE_PDF, str(path)], capture_output=True, text=True, timeout=60)
    assert env_run.returncode == 0, env_run.stderr
    return path


def test_qt_pdf_printed_through_cups_keeps_its_text(cups_queue: CupsQueue, tmp_path: Path) -> None:
    job = cups_queue.submit(make_qt_pdf(tmp_path / "visit.pdf"))

    printed = cups_queue.wait_for_pdf(job_id=job)

    assert "Back pain: your visit" in cups_queue.pdf_text(printed)
    assert "Keep moving gently every day." in cups_queue.pdf_text(printed)
    assert cups_queue.page_count(printed) == 1


def test_rejecting_queue_refuses_jobs_until_accepted(cups_queue: CupsQueue, tmp_path: Path) -> None:
    sheet = make_qt_pdf(tmp_path / "sheet.pdf")
    cups_queue.reject()
    with pytest.raises(AssertionError, match="not accepting jobs"):
        cups_queue.submit(sheet)
    cups_queue.accept()
    cups_queue.wait_for_pdf(job_id=cups_queue.submit(sheet))


def test_disabled_printer_holds_jobs_until_enabled(cups_queue: CupsQueue, tmp_path: Path) -> None:
    cups_queue.disable()
    job = cups_queue.submit(make_qt_pdf(tmp_path / "sheet.pdf"))
    assert job in cups_queue.pending_jobs()
    cups_queue.enable()
    assert cups_queue.page_count(cups_queue.wait_for_pdf(job_id=job)) == 1


def test_stopped_scheduler_refuses_jobs_and_comes_back(cups_queue: CupsQueue, tmp_path: Path) -> None:
    sheet = make_qt_pdf(tmp_path / "sheet.pdf")
    with cups_queue.stop_scheduler():
        with pytest.raises(AssertionError, match="lp refused the job"):
            cups_queue.submit(sheet)
    cups_queue.wait_for_pdf(job_id=cups_queue.submit(sheet))


def test_unknown_printer_is_refused(cups_queue: CupsQueue, tmp_path: Path) -> None:
    unknown = CupsQueue("kiosk-no-such-printer", cups_queue.output_file, tmp_path)
    with pytest.raises(AssertionError, match="does not exist"):
        unknown.submit(make_qt_pdf(tmp_path / "sheet.pdf"))
