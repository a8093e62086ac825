"""A patient's walk through the real window ends up as counters in a real SQLite file."""

import datetime
import json

from kiosk import cli
from kiosk.deck import load_deck
from kiosk.resources import bundled_content
from kiosk.ui.stats_writer import StatsWriter
from kiosk.ui.window import KioskWindow
from tests.lifecycle_helpers import make_config


def test_a_visit_walked_in_the_window_is_counted_and_shown_to_staff(qtbot, tmp_path, capsys):
    db = tmp_path / "usage.sqlite3"
    writer = StatsWriter(db, keep_days=400)
    w = KioskWindow(load_deck(bundled_content()), make_config(staff__pin_hash=""), stats=writer)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    s = w.session
    s.begin()
    s.next()
    s.toggle("q-cause")
    s.reset("start_over")
    s.set_demo(True)  # a demo walk is never a visit
    s.begin()
    s.reset("demo")
    assert writer.flush()
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[stats]\ndatabase = "{db}"\n')
    assert cli.main(["stats", "--config", str(config), "--format", "json", "--days", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    [day] = report["days"]
    assert day["date"] == datetime.date.today().isoformat()
    assert day["visits_started"] == 1 and day["visits_start_over"] == 1
    assert set(day["screens"]) == {s.screen_ids[1], s.screen_ids[2]}
    # the staff panel's Usage page draws the same report, read on the worker
    with qtbot.waitSignal(writer.report_ready, timeout=5000):
        w.staff.show_usage()
    assert w.staff.usage.isVisible() and w.staff.usage.page is not None
    assert w.staff.usage.page.report.totals.visits_started == 1
    writer.close()
