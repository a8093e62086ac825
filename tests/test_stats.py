"""Usage figures (kiosk.stats): aggregates in a real SQLite file, nothing tied to one visit or time."""

from __future__ import annotations

import datetime
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.stats import FEWER_THAN_K, SCHEMA_VERSION, StatsError, StatsStore, Visit, week_of
from tests.realenv import REPO_ROOT, skip_or_fail

SAT = datetime.date(2026, 11, 28)  # a Saturday in ISO week 2026-W48


def visit(day: datetime.date = SAT, *, language: str = "en", text_size: int = 0, contrast: str = "normal",
          speech: bool = False, screens: tuple[str, ...] = ("start", "mri-risk"),
          seconds: dict[str, float] | None = None, ticks: tuple[str, ...] = (), ended: str = "finished",
          prints_ok: int = 0, prints_failed: int = 0) -> Visit:
    return Visit(day=day, language=language, text_size=text_size, contrast=contrast, speech=speech,
                 screens_reached=screens, seconds_on_screen=seconds or {s: 12.0 for s in screens},
                 ticks=ticks, ended=ended, prints_ok=prints_ok, prints_failed=prints_failed)


@pytest.fixture
def store(tmp_path: Path):
    with StatsStore(tmp_path / "usage.sqlite3") as s:
        yield s


def test_a_day_counts_visits_screens_endings_and_prints(store: StatsStore):
    store.record(visit(screens=("start", "mri-risk", "summary"), ended="finished", prints_ok=1))
    store.record(visit(screens=("start", "mri-risk"), ended="idle"))
    store.record(visit(screens=("start",), ended="start_over", prints_failed=1))

    (day,) = store.report(1, SAT).days
    assert day.date == SAT
    assert (day.visits_started, day.visits_finished, day.visits_idle, day.visits_start_over) == (3, 1, 1, 1)
    assert (day.prints_ok, day.prints_failed) == (1, 1)
    assert day.screens == {"start": 3, "mri-risk": 2, "summary": 1}


def test_days_without_visits_are_listed_with_zeros_oldest_first(store: StatsStore):
    store.record(visit(SAT - datetime.timedelta(days=2)))
    report = store.report(4, SAT)
    assert [d.date.isoformat() for d in report.days] == ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"]
    assert [d.visits_started for d in report.days] == [0, 1, 0, 0]


def test_a_week_of_five_visits_shows_settings_ticks_and_time_buckets(store: StatsStore):
    store.record(visit(language="es", text_size=2, contrast="high", speech=True, ticks=("q-pain", "q-mri"),
                       seconds={"start": 4.0, "mri-risk": 200.0}))
    for _ in range(4):
        store.record(visit(ticks=("q-mri",), seconds={"start": 45.0}))

    (week,) = store.report(7, SAT).weeks
    assert week.week == "2026-W48" and week.visits == 5
    assert week.languages == {"en": 4, "es": 1}
    assert week.text_size == {"normal": 4, "large": 0, "largest": 1}
    assert week.contrast == {"normal": 4, "high": 1}
    assert week.speech == {"used": 1, "not used": 4}
    assert week.ticks == {"q-mri": 5, "q-pain": 1}
    assert week.time_on_screen["start"] == {"<10s": 1, "10-30s": 0, "30-60s": 4, "1-3min": 0, ">3min": 0}
    assert week.time_on_screen["mri-risk"][">3min"] == 1


def test_a_week_with_fewer_than_five_visits_shows_fewer_than_5_everywhere(store: StatsStore):
    last_week = SAT - datetime.timedelta(days=7)
    for _ in range(4):
        store.record(visit(last_week, language="es", ticks=("q-rare",)))
    for _ in range(5):
        store.record(visit(SAT, ticks=("q-mri",)))

    report = store.report(14, SAT)
    small, big = report.weeks
    assert small.week == "2026-W47" and small.visits is None and small.suppressed
    assert small.languages == {} and small.ticks == {} and small.time_on_screen == {}
    exported = report.to_json_dict()["weeks"][0]
    assert exported["visits"] == FEWER_THAN_K == "fewer than 5"
    assert {exported[k] for k in ("languages", "text_size", "contrast", "speech", "ticks", "time_on_screen")} == {
        FEWER_THAN_K}
    # The totals of breakdowns add up only the weeks shown, so nothing can be subtracted back out.
    assert report.totals.languages == {"en": 5}
    assert "q-rare" not in report.totals.ticks and report.totals.ticks == {"q-mri": 5}
    assert (report.totals.weeks_shown, report.totals.weeks_suppressed) == (1, 1)
    assert "q-rare" not in json.dumps(report.to_json_dict())


def test_json_has_days_weeks_and_totals_with_named_keys(store: StatsStore):
    for _ in range(5):
        store.record(visit(prints_ok=1))
    data = json.loads(json.dumps(store.report(2, SAT).to_json_dict()))
    assert set(data) >= {"days", "weeks", "totals"}
    assert data["days"][-1] == {"date": "2026-11-28", "visits_started": 5, "visits_finished": 5, "visits_idle": 0,
                                "visits_start_over": 0, "prints_ok": 5, "prints_failed": 0,
                                "screens": {"mri-risk": 5, "start": 5}}
    assert data["weeks"][0]["week"] == "2026-W48" and data["weeks"][0]["visits"] == 5
    assert data["totals"]["visits_started"] == 5 and data["totals"]["prints_ok"] == 5


def test_the_file_has_no_timestamps_no_row_order_and_a_schema_version(store: StatsStore):
    store.record(visit(ticks=("q-mri",)))
    db = sqlite3.connect(store.path)
    tables = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    assert {name for name, _ in tables} == {"days", "day_screens", "weeks", "week_settings", "week_ticks",
                                            "week_screen_time"}
    allowed = {"day", "week", "screen", "setting", "value", "question", "bucket", "visits", "ticks",
               "visits_started", "visits_finished", "visits_idle", "visits_start_over", "prints_ok", "prints_failed"}
    for name, sql in tables:
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({name})")}
        assert columns <= allowed, f"{name} has unexpected columns {columns - allowed}"
        assert "WITHOUT ROWID" in sql, f"{name} would keep the order visits were written in"
        assert not any(word in sql.lower() for word in ("time stamp", "timestamp", "current_", "datetime"))
    days = [d for (d,) in db.execute("SELECT day FROM days")]
    assert days == ["2026-11-28"]  # a day, never a time of day
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_after_each_visit_the_write_ahead_log_keeps_no_earlier_counters(store: StatsStore):
    for _ in range(3):
        store.record(visit(ticks=("q-mri",)))
    wal = store.path.with_name(store.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_old_days_and_weeks_are_pruned_past_keep_days(tmp_path: Path):
    with StatsStore(tmp_path / "usage.sqlite3", keep_days=10) as store:
        old = datetime.date(2026, 11, 2)  # Monday of 2026-W45
        store.record(visit(old))
        store.record(visit(old + datetime.timedelta(days=9)))  # still within 10 days of it
        assert store.report(30, old + datetime.timedelta(days=9)).totals.visits_started == 2

        store.record(visit(SAT))  # 26 days later: W45 and W46 are entirely older than 10 days
        report = store.report(40, SAT)
        assert [d.date for d in report.days if d.visits_started] == [SAT]
        db = sqlite3.connect(store.path)
        assert [w for (w,) in db.execute("SELECT week FROM weeks")] == ["2026-W48"]
        assert db.execute("SELECT count(*) FROM week_settings WHERE week < '2026-W47'").fetchone()[0] == 0
        db.close()


def test_a_week_is_kept_while_any_of_its_days_is(tmp_path: Path):
    with StatsStore(tmp_path / "usage.sqlite3", keep_days=3) as store:
        store.record(visit(datetime.date(2026, 11, 23)))  # Monday, W48
        store.record(visit(datetime.date(2026, 11, 29)))  # Sunday, W48: Monday's day row is gone, the week stays
        db = sqlite3.connect(store.path)
        assert db.execute("SELECT visits FROM weeks WHERE week = '2026-W48'").fetchone()[0] == 2
        assert [d for (d,) in db.execute("SELECT day FROM days")] == ["2026-11-29"]
        db.close()


def test_reset_empties_every_counter_and_keeps_the_schema(store: StatsStore):
    for _ in range(6):
        store.record(visit(ticks=("q-mri",)))
    store.reset()
    report = store.report(14, SAT)
    assert report.totals.visits_started == 0 and report.weeks == ()
    assert store.schema_version == SCHEMA_VERSION
    assert b"q-mri" not in store.path.read_bytes()
    store.record(visit())
    assert store.report(1, SAT).totals.visits_started == 1


def test_figures_survive_closing_and_reopening(tmp_path: Path):
    path = tmp_path / "state" / "kiosk" / "usage.sqlite3"  # folders are made as needed
    with StatsStore(path) as store:
        store.record(visit())
    with StatsStore(path) as store:
        assert store.report(1, SAT).totals.visits_started == 1


def test_a_file_at_version_0_is_migrated(tmp_path: Path):
    path = tmp_path / "usage.sqlite3"
    sqlite3.connect(path).close()  # an empty SQLite file, user_version 0
    with StatsStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        store.record(visit())


def test_an_unwritable_place_is_one_staff_sentence_naming_the_path(tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    path = blocker / "usage.sqlite3"
    with pytest.raises(StatsError) as caught:
        StatsStore(path)
    message = str(caught.value)
    assert str(path) in message and "writable" in message and "[stats] database" in message


def test_a_damaged_file_says_to_move_it_aside(tmp_path: Path):
    path = tmp_path / "usage.sqlite3"
    path.write_bytes(b"this is not SQLite at all" * 200)
    with pytest.raises(StatsError) as caught:
        StatsStore(path)
    assert str(path) in str(caught.value) and "move it aside" in str(caught.value)


def test_a_file_from_a_newer_kiosk_is_refused_not_changed(tmp_path: Path):
    path = tmp_path / "usage.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StatsError, match="newer kiosk"):
        StatsStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 99
    db.close()


def test_an_impossible_visit_is_refused_when_it_is_built():
    with pytest.raises(ValueError, match="ended"):
        visit(ended="closed")
    with pytest.raises(ValueError, match="text_size"):
        visit(text_size=3)


def test_week_names_follow_iso_weeks():
    assert week_of(datetime.date(2026, 11, 28)) == "2026-W48"
    assert week_of(datetime.date(2027, 1, 1)) == "2026-W53"  # ISO year, not calendar year
    assert week_of(datetime.date(2026, 3, 2)) == "2026-W10"


@pytest.fixture
def tiny_disk(tmp_path: Path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        skip_or_fail(f"cannot mount a small tmpfs to fill (needs root): {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_one_staff_sentence(tiny_disk: Path):
    path = tiny_disk / "usage.sqlite3"
    with StatsStore(path) as store:
        store.record(visit())
        with open(tiny_disk / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError:
                pass
        with pytest.raises(StatsError) as caught:
            for i in range(200):  # new rows need new pages sooner or later
                store.record(visit(SAT + datetime.timedelta(days=i), screens=tuple(f"s{n}-{i}" for n in range(20)),
                                   ticks=tuple(f"q{n}-{i}" for n in range(20))))
    assert str(path) in str(caught.value) and "full" in str(caught.value)


# --- crash safety: a real process killed with SIGKILL mid-write -------------------------------------------------

CHILD = textwrap.dedent("""
    import datetime, sys
    from kiosk.stats import StatsStore, Visit
    store = StatsStore(sys.argv[1])
    day = datetime.date(2026, 11, 1)
    n = 0
    while True:
        d = day + datetime.timedelta(days=n % 40)
        store.record(Visit(day=d, language="en", text_size=n % 3, contrast="normal", speech=False,
                           screens_reached=("start", "s%d" % (n % 7)), seconds_on_screen={"start": n % 200},
                           ticks=("q%d" % (n % 11),), ended="finished", prints_ok=1, prints_failed=0))
        n += 1
        print(n, flush=True)
""")


def _committed(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(db.execute("SELECT coalesce(sum(visits_started), 0) FROM days").fetchone()[0])
    finally:
        db.close()


@pytest.mark.parametrize("kill_after", [[3, 40, 1, 77, 15, 120]])
def test_sigkill_mid_write_loses_at_most_the_visit_in_flight(tmp_path: Path, kill_after: list[int]):
    path = tmp_path / "usage.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    before = 0
    for lines_seen in kill_after:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True,
                                 env=env, cwd=REPO_ROOT)
        assert child.stdout is not None
        for _ in range(lines_seen):
            assert child.stdout.readline(), "the child stopped on its own"
        child.send_signal(signal.SIGKILL)  # while it is in the middle of its next visits
        reported = lines_seen + len(child.stdout.read().split())
        child.stdout.close()
        child.wait()
        assert child.returncode == -signal.SIGKILL
        after = _committed(path)
        assert reported <= after - before <= reported + 1, (before, after, reported)
        before = after
    with StatsStore(path) as store:  # and the kiosk carries on with the file
        store.record(visit())
