"""Printing through a real CUPS server: the CLI, the Summary screen, and every fault.

Each test gets its own queue (a CUPS ``file:`` device with the generic PDF
driver), so disabling or rejecting it never disturbs another test or queue.
"No print server" points the CUPS client at a socket nobody listens on.
Without CUPS the tests skip locally and fail on CI.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk import config as config_mod  # noqa: E402
from kiosk.deck import load_deck  # noqa: E402
from kiosk.printing import State, check_printer, submit_pdf  # noqa: E402
from kiosk.resources import bundled_content

CLINIC = "Riverside Spine Clinic"
DRIVER = "lsb/usr/cupsfilters/Generic-PDF_Printer-PDF.ppd"
SPOOL = Path("/var/spool/kiosk-test")


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


class Queue:
    def __init__(self, name: str, out: Path) -> None:
        self.name, self.out = name, out

    def admin(self, *cmd: str) -> None:
        subprocess.run([*cmd], check=True, capture_output=True, timeout=15)

    def disable(self) -> None:
        self.admin("cupsdisable", self.name)

    def reject(self) -> None:
        self.admin("cupsreject", self.name)

    def wait_for_pdf(self, timeout: float = 30.0) -> bytes:
        deadline = time.monotonic() + timeout
        last = -1
        while time.monotonic() < deadline:
            if self.out.exists():
                size = self.out.stat().st_size
                done = subprocess.run(["lpstat", "-o", self.name], capture_output=True, text=True).stdout
                if size > 0 and size == last and not done.strip():
                    return self.out.read_bytes()
                last = size
            time.sleep(0.1)
        raise AssertionError(f"no PDF from queue {self.name} in {timeout} s")

    def pdf_text(self) -> tuple[str, int]:
        reader = PdfReader(io.BytesIO(self.wait_for_pdf()))
        text = "\n".join(p.extract_text() or "" for p in reader.pages)
        return " ".join(text.split()), len(reader.pages)


@pytest.fixture
def queue():
    if not shutil.which("lpadmin") or "is running" not in subprocess.run(
            ["lpstat", "-r"], capture_output=True, text=True, env=dict(os.environ, LC_ALL="C")).stdout:
        skip_or_fail("no CUPS scheduler here (install cups, cups-filters; start cupsd)")
    name = f"kiosk-t-{uuid.uuid4().hex[:8]}"
    SPOOL.mkdir(parents=True, exist_ok=True)
    out = SPOOL / f"{name}.pdf"
    for attempt in range(5):
        r = subprocess.run(["lpadmin", "-p", name, "-E", "-v", f"file://{out}", "-m", DRIVER],
                           capture_output=True, text=True, timeout=30)
        # cupsd answers "Service Unavailable" for a moment while it writes its
        # printers.conf after another queue was added or removed: ask again
        if r.returncode == 0 or "Service Unavailable" not in r.stderr:
            break
        time.sleep(0.5 * (attempt + 1))
    if r.returncode != 0:
        skip_or_fail(f"cannot add a CUPS test queue: {r.stderr.strip()}")
    yield Queue(name, out)
    subprocess.run(["cancel", "-a", name], capture_output=True)
    subprocess.run(["lpadmin", "-x", name], capture_output=True)
    out.unlink(missing_ok=True)


@pytest.fixture
def no_server(monkeypatch, tmp_path):
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cupsd.sock"))


def kiosk_sheet(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    e = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    e.pop("KIOSK_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "sheet", *args], capture_output=True, text=True,
                          env=e, timeout=60)


# -- CLI ------------------------------------------------------------------------
def test_cli_prints_one_page_with_questions_key_points_and_clinic(queue, tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'clinic_name = "{CLINIC}"\n', encoding="utf-8")
    r = kiosk_sheet("--config", str(cfg), "--select", "all", "--printer", queue.name)
    assert r.returncode == 0, r.stderr
    assert f"accepted by '{queue.name}'" in r.stdout
    text, pages = queue.pdf_text()
    assert pages == 1
    assert CLINIC in text
    assert "Could this finding be the cause of my pain?" in text
    assert "Many people without back pain have MRI findings too, so a finding may not cause my pain." in text


@pytest.mark.parametrize("fault", ["disabled", "rejecting", "missing", "no-server"])
def test_cli_fault_is_exit_1_and_one_line(queue, fault, tmp_path):
    name, env = queue.name, {}
    if fault == "disabled":
        queue.disable()
    elif fault == "rejecting":
        queue.reject()
    elif fault == "missing":
        name = "no-such-printer"
    else:
        env = {"CUPS_SERVER": str(tmp_path / "no-cupsd.sock")}
    r = kiosk_sheet("--select", "all", "--printer", name, env=env)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    expected = {"disabled": "cupsenable", "rejecting": "cupsaccept", "missing": "no printer named",
                "no-server": "not running"}[fault]
    assert expected in lines[0]
    assert not queue.out.exists()


def test_states_as_staff_see_them(queue):
    assert check_printer(queue.name).state is State.IDLE
    queue.disable()
    assert check_printer(queue.name).state is State.DISABLED
    assert check_printer("no-such-printer").state is State.MISSING


def test_submit_reports_a_job_id(queue, qapp):
    from kiosk import sheet, sheet_render

    lang = load_deck(bundled_content()).language("en")
    pdf, _ = sheet_render.pdf_bytes(sheet.compose(lang, {"q-cause"}))
    result = submit_pdf(pdf, queue.name)
    assert result.ok and result.job_id.startswith(queue.name + "-")


# -- the Summary screen ----------------------------------------------------------
@pytest.fixture
def summary(qtbot, queue):
    from kiosk.ui.window import KioskWindow

    cfg = config_mod.Config().with_values(clinic_name=CLINIC, display={"transition_ms": 0},
                                          print={"printer": queue.name})
    w = KioskWindow(load_deck(bundled_content()), cfg)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    for item in ("q-cause", "q-options"):
        w.session.toggle(item)
    w.session.go([s.kind for s in w.language.screens].index("summary"))
    page = w.current_page()
    qtbot.waitUntil(lambda: page.print_panel is not None)
    yield w, page.print_panel
    w.print_controller.wait()


def tap_print(qtbot, panel) -> None:
    from PySide6.QtCore import Qt

    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)


def test_tap_print_sends_the_sheet_and_says_done(summary, queue, qtbot):
    w, panel = summary
    s = w.language.strings
    with qtbot.waitSignal(w.print_controller.finished, timeout=30000) as done:
        tap_print(qtbot, panel)
        assert panel.status.text() == s.get("printing")
        assert not panel.button.isEnabled()
        tap_print(qtbot, panel)  # a second tap while printing makes no second job
    assert done.args[0].ok
    assert panel.status.text() == s.get("print_done")
    text, pages = queue.pdf_text()
    assert pages == 1
    assert CLINIC in text and "Could this finding be the cause of my pain?" in text
    assert "What are my treatment options?" in text
    assert "Would a shot in my back help me?" not in text
    assert "Many people without back pain have MRI findings too, so a finding may not cause my pain." in text
    assert w.print_controller.policy.printed == 1  # the second tap made no second job

    def purged() -> None:  # and once printed the kiosk removed its job from CUPS (history and spool)
        jobs = subprocess.run(["lpstat", "-W", "all", "-o", queue.name], capture_output=True, text=True).stdout
        assert jobs.strip() == ""

    qtbot.waitUntil(purged, timeout=30000)
    assert w.session.ticks == {"q-cause", "q-options"}


@pytest.mark.parametrize("fault", ["disabled", "rejecting", "missing", "no-server"])
def test_print_fault_shows_the_calm_sentence_and_logs_the_cause(summary, queue, qtbot, caplog, fault,
                                                                 monkeypatch, tmp_path):
    w, panel = summary
    cause = {"disabled": "cupsenable", "rejecting": "cupsaccept", "missing": "no printer named",
             "no-server": "not running"}[fault]
    if fault == "disabled":
        queue.disable()
    elif fault == "rejecting":
        queue.reject()
    elif fault == "missing":
        # the queue named in the config has gone away since the kiosk started
        monkeypatch.setattr(w.print_controller, "config", w.config.with_values(print={"printer": "no-such-printer"}))
    else:
        monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cupsd.sock"))
    ticks: list[int] = []
    from PySide6.QtCore import QTimer

    timer = QTimer(panel)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    with caplog.at_level(logging.WARNING, logger="kiosk"):
        with qtbot.waitSignal(w.print_controller.finished, timeout=30000) as done:
            tap_print(qtbot, panel)
    timer.stop()
    assert not done.args[0].ok
    assert panel.status.text() == w.language.strings.get("print_failed")
    assert panel.button.isEnabled()
    assert any(cause in r.getMessage() for r in caplog.records), [r.getMessage() for r in caplog.records]
    assert ticks, "the event loop ran while the job was being checked"
    assert w.session.ticks == {"q-cause", "q-options"}
    assert not queue.out.exists()
