"""After the kiosk's print job completes, CUPS keeps no copy of the sheet and no history of it.

Real CUPS with its default settings (PreserveJobFiles/PreserveJobHistory as
shipped; scripts/cups-test-queue does not change them): a job sent with
plain ``lp`` stays in /var/spool/cups and in ``lpstat -W completed``, which
proves the defaults keep it; the kiosk's own jobs are purged by the kiosk.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cups_jobs, printing

from .realenv import CupsQueue, wait_until

SPOOL = Path("/var/spool/cups")


def spool_files(job: int) -> list[str]:
    return sorted(p.name for p in SPOOL.glob(f"[cd]{job:05d}*"))


def completed(queue: CupsQueue) -> str:
    return subprocess.run(["lpstat", "-W", "completed", "-o", queue.name], capture_output=True, text=True,
                          timeout=15).stdout


def listed(queue: CupsQueue, job: int) -> bool:
    return re.search(rf"^{re.escape(queue.name)}-{job}\s", completed(queue), re.M) is not None


@pytest.fixture
def spool(cups_queue: CupsQueue) -> CupsQueue:
    if not os.access(SPOOL, os.R_OK):
        pytest.skip(f"{SPOOL} is readable by root only")
    return cups_queue


def test_default_cups_keeps_a_plain_job_so_the_kiosk_must_clean_up(spool, tmp_path):
    doc = tmp_path / "plain.txt"
    doc.write_text("not a patient's sheet\n", encoding="utf-8")
    job = spool.submit(doc)
    spool.wait_for_pdf(job_id=job)
    assert f"d{job:05d}-001" in spool_files(job), "this CUPS is not at its defaults (PreserveJobFiles)"
    assert listed(spool, job), "this CUPS is not at its defaults (PreserveJobHistory)"
    assert cups_jobs.purge(job)  # and the purge the kiosk uses removes both, though the job completed
    assert spool_files(job) == [] and not listed(spool, job)


def test_kiosk_sheet_printer_waits_and_leaves_nothing_in_the_spool(spool, tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('clinic_name = "Riverside Spine Clinic"\n', encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("KIOSK_CONFIG", None)
    r = subprocess.run([sys.executable, "-m", "kiosk", "sheet", "--config", str(cfg), "--select", "all",
                        "--printer", spool.name], capture_output=True, text=True, env=env, timeout=180)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    job = int(re.search(rf"job {re.escape(spool.name)}-(\d+) accepted", r.stdout).group(1))
    assert spool.pdf_text(spool.wait_for_pdf(job_id=job))  # it did print
    assert spool_files(job) == []
    assert not listed(spool, job)


def test_the_print_button_path_purges_its_job_once_printed(spool, tmp_path):
    doc = tmp_path / "sheet.pdf"
    from .test_realenv import make_qt_pdf  # a real PDF made by Qt, as the kiosk makes the sheet

    result = printing.submit_and_forget(make_qt_pdf(doc).read_bytes(), spool.name)
    assert result.ok, result.reason
    job = cups_jobs.job_number(result.job_id)
    assert job is not None
    spool.wait_for_pdf(job_id=job)

    def gone() -> bool:
        return spool_files(job) == [] and not listed(spool, job)

    wait_until(gone, 30, lambda: f"job {job} still in CUPS: {spool_files(job)} / {completed(spool)}")
