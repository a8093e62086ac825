"""``kiosk stats``: the figures as a table, CSV or JSON, and ``--reset`` that asks first."""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import stats_cli
from kiosk.stats import StatsStore, Visit
from tests.realenv import REPO_ROOT

SAT = datetime.date(2026, 11, 28)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kiosk")
    stats_cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["stats", *argv])


def run(database: Path, *argv: str, answer: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = stats_cli.run(parse(*argv), database=database, out=out, err=err, stdin=io.StringIO(answer), today=SAT)
    return code, out.getvalue(), err.getvalue()


def one(day: datetime.date = SAT, **kw: object) -> Visit:
    fields: dict[str, object] = dict(day=day, language="en", text_size=0, contrast="normal", speech=False,
                                     screens_reached=("start", "mri-risk"), seconds_on_screen={"start": 20.0},
                                     ticks=("q-mri",), ended="finished", prints_ok=1, prints_failed=0)
    fields.update(kw)
    return Visit(**fields)  # type: ignore[arg-type]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "usage.sqlite3"
    with StatsStore(path) as store:
        for _ in range(5):
            store.record(one())
        store.record(one(ended="idle", prints_ok=0, screens_reached=("start",)))
        for _ in range(2):  # the week before: too few to show its breakdowns
            store.record(one(SAT - datetime.timedelta(days=7), language="es", ticks=("q-rare",)))
    return path


def test_table_shows_each_day_the_totals_and_the_funnel(database: Path):
    code, out, err = run(database)
    assert code == 0 and err == ""
    assert "Usage figures 2026-11-15 to 2026-11-28 (14 days)" in out
    day_line = next(line for line in out.splitlines() if line.startswith("2026-11-28"))
    assert day_line.split() == ["2026-11-28", "6", "5", "1", "0", "5", "0"]
    total_line = next(line for line in out.splitlines() if line.startswith("Total"))
    assert total_line.split() == ["Total", "8", "7", "1", "0", "7", "0"]
    assert "Finished 88% of visits" in out
    assert any(line.split() == ["mri-risk", "7", "88%"] for line in out.splitlines())
    week_line = next(line for line in out.splitlines() if line.startswith("2026-W47"))
    assert "fewer than 5" in week_line and "es" not in week_line
    assert "q-rare" not in out


def test_csv_has_one_row_per_day(database: Path):
    code, out, _ = run(database, "--format", "csv", "--days", "10")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 10
    assert rows[-1]["date"] == "2026-11-28"
    assert (rows[-1]["visits_started"], rows[-1]["visits_idle"], rows[-1]["prints_ok"]) == ("6", "1", "5")
    assert rows[-1]["reached:mri-risk"] == "5" and rows[0]["reached:mri-risk"] == "0"


def test_json_is_days_weeks_and_totals(database: Path):
    code, out, _ = run(database, "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data["days"]) == 14
    assert data["days"][-1]["date"] == "2026-11-28" and data["days"][-1]["visits_started"] == 6
    assert [(w["week"], w["visits"]) for w in data["weeks"]] == [("2026-W47", "fewer than 5"), ("2026-W48", 6)]
    assert data["weeks"][0]["ticks"] == "fewer than 5"
    assert data["totals"]["visits_started"] == 8 and data["totals"]["languages"] == {"en": 6}


def test_a_missing_database_is_calm(tmp_path: Path):
    missing = tmp_path / "usage.sqlite3"
    code, out, err = run(missing)
    assert (code, out.strip(), err) == (0, f"no usage recorded yet at {missing}", "")
    assert not missing.exists()


def test_reset_with_yes_empties_without_asking(database: Path):
    code, out, _ = run(database, "--reset", "--yes")
    assert code == 0 and "emptied" in out and "[y/N]" not in out
    assert json.loads(run(database, "--format", "json")[1])["totals"]["visits_started"] == 0


def test_reset_answered_n_leaves_everything(database: Path):
    code, out, _ = run(database, "--reset", answer="n\n")
    assert code == 1 and "[y/N]" in out and "nothing emptied" in out
    assert json.loads(run(database, "--format", "json")[1])["totals"]["visits_started"] == 8


def test_reset_answered_y_empties(database: Path):
    code, out, _ = run(database, "--reset", answer="y\n")
    assert code == 0 and "emptied" in out
    assert json.loads(run(database, "--format", "json")[1])["totals"]["visits_started"] == 0


def test_a_damaged_database_is_one_line_on_stderr(tmp_path: Path):
    path = tmp_path / "usage.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    code, out, err = run(path)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and str(path) in err and "Traceback" not in err


def test_days_out_of_bounds_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        parse("--days", "0")
    assert "--days must be between 1 and 3650" in capsys.readouterr().err


def test_as_a_process_reset_reads_the_answer_from_stdin(database: Path):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    argv = [sys.executable, "-m", "kiosk.stats_cli", "--database", str(database), "stats", "--reset"]
    declined = subprocess.run(argv, input="n\n", capture_output=True, text=True, env=env, timeout=60)
    assert declined.returncode == 1 and "nothing emptied" in declined.stdout
    accepted = subprocess.run(argv, input="y\n", capture_output=True, text=True, env=env, timeout=60)
    assert accepted.returncode == 0 and "emptied the usage figures" in accepted.stdout
    shown = subprocess.run([*argv[:-1], "--format", "json", "--days", "400"], capture_output=True, text=True,
                           env=env, timeout=60)
    assert shown.returncode == 0 and json.loads(shown.stdout)["totals"]["visits_started"] == 0
