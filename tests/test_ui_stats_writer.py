"""The stats writer: visits are written by one worker thread; a broken database is logged once and the kiosk goes on."""

from __future__ import annotations

import datetime
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.stats import Visit
from kiosk.ui.stats_writer import StatsWriter

SAT = datetime.date(2026, 11, 28)


def one(ended: str = "finished") -> Visit:
    return Visit(day=SAT, language="en", text_size=0, contrast="normal", speech=False,
                 screens_reached=("start",), seconds_on_screen={"start": 3.0}, ticks=(), ended=ended,
                 prints_ok=0, prints_failed=0)


def visits_in(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT coalesce(sum(visits_started), 0) FROM days").fetchone()[0])
    finally:
        db.close()


@pytest.fixture
def writer_for(qtbot) -> Iterator:
    made: list[StatsWriter] = []

    def make(path: Path) -> StatsWriter:
        w = StatsWriter(path, keep_days=400)
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()


def test_a_visit_is_written_and_recorded_is_emitted(qtbot, tmp_path: Path, writer_for):
    writer = writer_for(tmp_path / "usage.sqlite3")
    with qtbot.waitSignal(writer.recorded, timeout=5000) as blocker:
        writer.record(one())
    assert isinstance(blocker.args[0], float) and blocker.args[0] >= 0
    assert visits_in(tmp_path / "usage.sqlite3") == 1


def test_flush_waits_for_every_visit_handed_over(tmp_path: Path, writer_for):
    writer = writer_for(tmp_path / "usage.sqlite3")
    for _ in range(25):
        writer.record(one())
    assert writer.flush(timeout=10)
    assert visits_in(tmp_path / "usage.sqlite3") == 25


def test_the_database_is_written_by_one_worker_thread_not_the_gui_thread(qtbot, tmp_path: Path, writer_for):
    writer = writer_for(tmp_path / "usage.sqlite3")
    written_in: list[str] = []
    # A direct connection runs in the thread that emits, i.e. the one that just wrote the visit.
    writer.recorded.connect(lambda _ms: written_in.append(threading.current_thread().name), Qt.DirectConnection)
    with qtbot.waitSignal(writer.recorded, timeout=5000):
        writer.record(one())
        writer.record(one())
    assert writer.flush()
    assert written_in == ["stats-writer", "stats-writer"]
    assert threading.current_thread().name != "stats-writer"


def test_an_unwritable_database_is_logged_once_and_the_kiosk_carries_on(qtbot, tmp_path: Path, writer_for, caplog):
    blocker_file = tmp_path / "state"
    blocker_file.write_text("a file where the state folder should be")
    path = blocker_file / "usage.sqlite3"
    writer = writer_for(path)
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.stats_writer"):
        with qtbot.waitSignal(writer.failed, timeout=5000) as failure:
            writer.record(one())
        assert str(path) in failure.args[0] and "writable" in failure.args[0]
        with qtbot.assertNotEmitted(writer.failed):
            for _ in range(3):
                writer.record(one())  # never raises on the GUI thread
            assert writer.flush()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and str(path) in errors[0].getMessage()

    # Once staff fix the place, the next visit is recorded; a new failure would be reported again.
    blocker_file.unlink()
    blocker_file.mkdir()
    with qtbot.waitSignal(writer.recorded, timeout=5000):
        writer.record(one())
    assert visits_in(path) == 1


def test_close_writes_what_is_queued_and_stops_the_worker(tmp_path: Path, writer_for, caplog):
    writer = writer_for(tmp_path / "usage.sqlite3")
    for _ in range(5):
        writer.record(one())
    writer.close()
    assert visits_in(tmp_path / "usage.sqlite3") == 5
    assert "stats-writer" not in {t.name for t in threading.enumerate()}
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.stats_writer"):
        writer.record(one())
    assert visits_in(tmp_path / "usage.sqlite3") == 5 and "after shutdown" in caplog.text
    writer.close()  # twice is fine


def test_the_figures_for_the_staff_page_are_read_on_the_worker(qtbot, tmp_path: Path, writer_for):
    writer = writer_for(tmp_path / "usage.sqlite3")
    for _ in range(3):
        writer.record(one())
    with qtbot.waitSignal(writer.report_ready, timeout=5000) as answer:
        writer.request_report(14, SAT)
    report = answer.args[0]
    assert report.totals.visits_started == 3 and report.last_day == SAT


def test_a_report_from_an_unreadable_database_is_a_staff_sentence(qtbot, tmp_path: Path, writer_for):
    path = tmp_path / "usage.sqlite3"
    path.write_bytes(b"not a database" * 500)
    writer = writer_for(path)
    with qtbot.waitSignal(writer.report_failed, timeout=5000) as answer:
        writer.request_report(14, SAT)
    assert str(path) in answer.args[0] and "move it aside" in answer.args[0]
