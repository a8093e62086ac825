"""``kiosk stats``: the usage figures for reports and spreadsheets, and ``--reset`` to empty them.

``add_parser`` adds the sub-command to ``kiosk``'s parser; ``run`` is given the
database path from the config. ``python -m kiosk.stats_cli --database FILE stats ...``
runs it without a config (benchmarks and tests use that).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import re
import sys
from pathlib import Path
from typing import Any, TextIO

from .stats import BUCKET_LABELS, FEWER_THAN_K, MAX_KEEP_DAYS, Report, StatsError, StatsStore, WeekFigures

FORMATS = ("table", "csv", "json")
_NUMBER = re.compile(r"^[\d/%-]+$")


def _days(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--days wants a whole number of days, not '{text}'") from None
    if not 1 <= n <= MAX_KEEP_DAYS:
        raise argparse.ArgumentTypeError(f"--days must be between 1 and {MAX_KEEP_DAYS}, not {n}")
    return n


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Adds ``stats`` to ``kiosk``'s sub-commands (``subparsers`` is what ``add_subparsers`` returned)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "stats", help="print the anonymous usage figures (visits a day, screens reached, prints, settings)")
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                   help="kiosk.toml (default: $KIOSK_CONFIG, then ~/.config/kiosk/kiosk.toml)")
    p.add_argument("--days", type=_days, default=14, metavar="N", help="the last N days, today included (default 14)")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="table (for a terminal), csv (one row per day), json (days, weeks, totals)")
    p.add_argument("--reset", action="store_true", help="empty the usage figures (asks first)")
    p.add_argument("--yes", action="store_true", help="with --reset: do not ask")
    return p


def run(args: argparse.Namespace, *, database: Path, out: TextIO | None = None, err: TextIO | None = None,
        stdin: TextIO | None = None, today: datetime.date | None = None) -> int:
    """Exit 0 with the figures (or after emptying them); 1 with one sentence when the database fails."""
    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    if not database.exists():
        lead = "nothing to empty: " if args.reset else ""
        print(f"{lead}no usage recorded yet at {database}", file=out)
        return 0
    try:
        with StatsStore(database) as store:
            if args.reset:
                return _reset(store, yes=args.yes, out=out, stdin=stdin)
            report = store.report(args.days, today or datetime.date.today())
    except StatsError as e:
        print(e, file=err)
        return 1
    if args.format == "json":
        json.dump(report.to_json_dict(), out, indent=2)
        out.write("\n")
    elif args.format == "csv":
        write_csv(report, out)
    else:
        write_table(report, database, out)
    return 0


def _reset(store: StatsStore, *, yes: bool, out: TextIO, stdin: TextIO) -> int:
    if not yes:
        print(f"Empty every usage figure in {store.path}? This cannot be undone. [y/N] ", end="", file=out, flush=True)
        answer = stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            print("nothing emptied", file=out)
            return 1
    store.reset()
    print(f"emptied the usage figures in {store.path}", file=out)
    return 0


DAY_COLUMNS = ("visits_started", "visits_finished", "visits_idle", "visits_start_over", "prints_ok", "prints_failed")


def write_csv(report: Report, out: TextIO) -> None:
    """One row per day; a column per screen (visits that reached it)."""
    screens = list(report.totals.screens)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", *DAY_COLUMNS, *(f"reached:{s}" for s in screens)])
    for day in report.days:
        writer.writerow([day.date.isoformat(), *(getattr(day, c) for c in DAY_COLUMNS),
                         *(day.screens.get(s, 0) for s in screens)])


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _counts(counts: dict[str, int] | Any) -> str:
    return ", ".join(f"{k} {n}" for k, n in counts.items() if n) or "-"


def write_table(report: Report, database: Path, out: TextIO) -> None:
    t = report.totals
    n_days = len(report.days)
    print(f"Usage figures {report.first_day} to {report.last_day} ({n_days} day{'s' * (n_days != 1)}), "
          f"from {database}", file=out)
    print(file=out)
    head = ("Day", "Visits", "Finished", "Idle", "Start over", "Printed", "Print failed")
    rows = [(d.date.isoformat(), *(str(getattr(d, c)) for c in DAY_COLUMNS)) for d in report.days]
    rows.append(("Total", *(str(getattr(t, c)) for c in DAY_COLUMNS)))
    _table(head, rows, out)
    print(file=out)
    print(f"Finished {_percent(t.visits_finished, t.visits_started)} of visits, idle reset "
          f"{_percent(t.visits_idle, t.visits_started)}, start over {_percent(t.visits_start_over, t.visits_started)}; "
          f"{t.prints_ok} sheet(s) printed, {t.prints_failed} print failure(s)", file=out)
    if t.screens:
        print(file=out)
        _table(("Screen reached", "Visits", "Share"),
               [(s, str(n), _percent(n, t.visits_started)) for s, n in t.screens.items()], out)
    if report.weeks:
        print(file=out)
        _table(("Week", "Visits", "Languages", "Text normal/large/largest", "High contrast", "Speech"),
               [_week_row(w) for w in report.weeks], out)
        first_monday = report.first_day - datetime.timedelta(days=report.first_day.weekday())
        if first_monday < report.first_day:
            print(f"Weeks are whole ISO weeks: {report.weeks[0].week} counts days before {report.first_day} too.",
                  file=out)
        if t.weeks_suppressed:
            print(f"Weeks with {FEWER_THAN_K} visits show no breakdown, and totals below leave them out.", file=out)
    if t.ticks:
        print(file=out)
        _table(("Question ticked", "Times"), [(q, str(n)) for q, n in list(t.ticks.items())[:15]], out)
    if t.time_on_screen:
        print(file=out)
        _table(("Time on screen", *BUCKET_LABELS),
               [(s, *(str(b.get(label, 0)) for label in BUCKET_LABELS)) for s, b in t.time_on_screen.items()], out)


def _week_row(w: WeekFigures) -> tuple[str, ...]:
    if w.visits is None:
        return (w.week, FEWER_THAN_K, "", "", "", "")
    sizes = "/".join(str(w.text_size.get(k, 0)) for k in ("normal", "large", "largest"))
    return (w.week, str(w.visits), _counts(w.languages), sizes, str(w.contrast.get("high", 0)),
            str(w.speech.get("used", 0)))


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    # Numbers line up on the right, words on the left.
    numeric = [i > 0 and all(_NUMBER.match(r[i]) or r[i] in ("", FEWER_THAN_K) for r in rows)
               for i in range(len(head))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if numeric[i] else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    print(line(head), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in rows:
        print(line(r), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.stats_cli")
    parser.add_argument("--database", metavar="FILE", required=True, help="the usage database")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return run(args, database=Path(args.database))


if __name__ == "__main__":
    sys.exit(main())
