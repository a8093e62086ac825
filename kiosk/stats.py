"""Anonymous usage figures: per-day and per-week counts in one SQLite file.

A clinic wants to know whether patients use the kiosk: visits a day, how far
they get, whether they print, which language and settings they need, which
questions they tick. This module keeps exactly that, as *aggregates only*:

- per day (``YYYY-MM-DD``): visits started; visits that reached each screen;
  visits ended by the finish button, by the idle reset, by "start over";
  sheets printed and print failures;
- per ISO week (``2026-W48``): visits; language, text size, contrast and
  speech use; how often each question was ticked; time per screen in coarse
  buckets (:data:`BUCKETS`).

There are no per-visit rows, no timestamps (not even for the schema: it has a
version number, ``PRAGMA user_version``), and nothing anyone typed: every key
is a day, a week, or an id the content author wrote. A visit is added to the
counters in one transaction (WAL journal), so a kill at any moment loses at
most the visit being written and never damages the file; after each visit the
write-ahead log is checkpointed and truncated and deleted content is zeroed
(``secure_delete``), so the file does not keep the counters as they were
before one visit (which would let someone subtract and see that visit).

A week with fewer than :data:`K_ANONYMITY` visits is reported as
"fewer than 5": its breakdowns are never put in a :class:`Report`, so no view
or export can show them, and totals only add up the weeks that are shown.

Demo mode and staff use are never recorded: the kiosk simply does not call
:meth:`StatsStore.record` for them. The clock is the caller's: ``record`` uses
the visit's day, ``report`` is given today.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
K_ANONYMITY = 5
FEWER_THAN_K = f"fewer than {K_ANONYMITY}"
ENDINGS = ("finished", "idle", "start_over")
TEXT_SIZES = ("normal", "large", "largest")
CONTRASTS = ("normal", "high")
# Time on one screen during one visit, coarse on purpose: (label, upper bound in seconds).
BUCKETS: tuple[tuple[str, float], ...] = (
    ("<10s", 10.0), ("10-30s", 30.0), ("30-60s", 60.0), ("1-3min", 180.0), (">3min", float("inf")),
)
BUCKET_LABELS = tuple(label for label, _ in BUCKETS)
MAX_KEEP_DAYS = 3650


class StatsError(Exception):
    """A problem with the usage database, in one sentence for staff: the path and the fix."""


@dataclass(frozen=True)
class Visit:
    """One patient's visit as the kiosk saw it; only its effect on the counters is stored."""

    day: datetime.date            # local day the visit started
    language: str                 # deck language code at the end of the visit
    text_size: int                # largest text size used (0 normal, 1 large, 2 largest)
    contrast: str                 # "normal" or "high" (high if used at any point)
    speech: bool                  # speech mode used at any point
    screens_reached: tuple[str, ...]   # screen ids reached, in order, no duplicates
    seconds_on_screen: Mapping[str, float]  # screen id -> total seconds
    ticks: tuple[str, ...]        # question ids ticked at the end of the visit
    ended: str                    # "finished" | "idle" | "start_over"
    prints_ok: int
    prints_failed: int

    def __post_init__(self) -> None:
        if self.ended not in ENDINGS:
            raise ValueError(f"Visit.ended must be one of {ENDINGS}, not {self.ended!r}")
        if self.text_size not in range(len(TEXT_SIZES)):
            raise ValueError(f"Visit.text_size must be 0, 1 or 2, not {self.text_size!r}")
        if self.contrast not in CONTRASTS:
            raise ValueError(f"Visit.contrast must be one of {CONTRASTS}, not {self.contrast!r}")
        if self.prints_ok < 0 or self.prints_failed < 0:
            raise ValueError("Visit.prints_ok and prints_failed cannot be negative")


def week_of(day: datetime.date) -> str:
    """The ISO week a day belongs to, as ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def bucket_of(seconds: float) -> str:
    for label, upper in BUCKETS:
        if seconds < upper:
            return label
    return BUCKET_LABELS[-1]


@dataclass(frozen=True)
class DayFigures:
    date: datetime.date
    visits_started: int = 0
    visits_finished: int = 0
    visits_idle: int = 0
    visits_start_over: int = 0
    prints_ok: int = 0
    prints_failed: int = 0
    screens: Mapping[str, int] = field(default_factory=dict)  # screen id -> visits that reached it

    def to_json_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "visits_started": self.visits_started,
                "visits_finished": self.visits_finished, "visits_idle": self.visits_idle,
                "visits_start_over": self.visits_start_over, "prints_ok": self.prints_ok,
                "prints_failed": self.prints_failed, "screens": dict(self.screens)}


@dataclass(frozen=True)
class WeekFigures:
    """One ISO week. ``visits`` is None when the week had fewer than 5 visits: then the
    breakdowns are empty here and every view shows "fewer than 5" instead."""

    week: str
    visits: int | None
    languages: Mapping[str, int] = field(default_factory=dict)
    text_size: Mapping[str, int] = field(default_factory=dict)     # "normal"/"large"/"largest"
    contrast: Mapping[str, int] = field(default_factory=dict)      # "normal"/"high"
    speech: Mapping[str, int] = field(default_factory=dict)        # "used"/"not used"
    ticks: Mapping[str, int] = field(default_factory=dict)         # question id -> times ticked
    time_on_screen: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # screen -> bucket -> visits

    @property
    def suppressed(self) -> bool:
        return self.visits is None

    def to_json_dict(self) -> dict[str, Any]:
        breakdowns = ("languages", "text_size", "contrast", "speech", "ticks", "time_on_screen")
        if self.visits is None:
            return {"week": self.week, "visits": FEWER_THAN_K, "suppressed": True,
                    **{name: FEWER_THAN_K for name in breakdowns}}
        return {"week": self.week, "visits": self.visits, "suppressed": False,
                **{name: _plain(getattr(self, name)) for name in breakdowns}}


def _plain(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) if isinstance(v, Mapping) else v for k, v in mapping.items()}


@dataclass(frozen=True)
class Totals:
    """Sums over the report's days; the weekly breakdowns add up only the weeks shown."""

    visits_started: int
    visits_finished: int
    visits_idle: int
    visits_start_over: int
    prints_ok: int
    prints_failed: int
    screens: Mapping[str, int]                 # funnel: screen id -> visits, most reached first
    weeks_shown: int
    weeks_suppressed: int
    languages: Mapping[str, int]
    text_size: Mapping[str, int]
    contrast: Mapping[str, int]
    speech: Mapping[str, int]
    ticks: Mapping[str, int]                   # most ticked first
    time_on_screen: Mapping[str, Mapping[str, int]]

    def to_json_dict(self) -> dict[str, Any]:
        return _plain({name: getattr(self, name) for name in self.__dataclass_fields__})


@dataclass(frozen=True)
class Report:
    first_day: datetime.date
    last_day: datetime.date
    days: tuple[DayFigures, ...]       # every day of the range, oldest first (zeros when nothing happened)
    weeks: tuple[WeekFigures, ...]     # every week touching the range that has any visit, oldest first
    totals: Totals

    def to_json_dict(self) -> dict[str, Any]:
        return {"first_day": self.first_day.isoformat(), "last_day": self.last_day.isoformat(),
                "days": [d.to_json_dict() for d in self.days],
                "weeks": [w.to_json_dict() for w in self.weeks],
                "totals": self.totals.to_json_dict()}


_SCHEMA_V1 = """
CREATE TABLE days (
    day TEXT PRIMARY KEY,
    visits_started INTEGER NOT NULL DEFAULT 0,
    visits_finished INTEGER NOT NULL DEFAULT 0,
    visits_idle INTEGER NOT NULL DEFAULT 0,
    visits_start_over INTEGER NOT NULL DEFAULT 0,
    prints_ok INTEGER NOT NULL DEFAULT 0,
    prints_failed INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE day_screens (
    day TEXT NOT NULL, screen TEXT NOT NULL, visits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, screen)
) WITHOUT ROWID;
CREATE TABLE weeks (
    week TEXT PRIMARY KEY, visits INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE week_settings (
    week TEXT NOT NULL, setting TEXT NOT NULL, value TEXT NOT NULL, visits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (week, setting, value)
) WITHOUT ROWID;
CREATE TABLE week_ticks (
    week TEXT NOT NULL, question TEXT NOT NULL, ticks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (week, question)
) WITHOUT ROWID;
CREATE TABLE week_screen_time (
    week TEXT NOT NULL, screen TEXT NOT NULL, bucket TEXT NOT NULL, visits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (week, screen, bucket)
) WITHOUT ROWID;
"""
# Migration n takes a file at version n to n + 1 (tables without rowids: nothing records the order of visits).
MIGRATIONS: tuple[str, ...] = (_SCHEMA_V1,)
TABLES = ("days", "day_screens", "weeks", "week_settings", "week_ticks", "week_screen_time")


def _error(path: Path, e: Exception) -> StatsError:
    """Turns what SQLite or the OS said into the sentence staff need."""
    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    where = f"usage database {path}"
    if primary == 13 or (isinstance(e, OSError) and e.errno == 28):  # SQLITE_FULL, ENOSPC
        msg = f"the disk holding the {where} is full; free some space there (or set [stats] database elsewhere)"
    elif primary in (26, 11):  # SQLITE_NOTADB, SQLITE_CORRUPT
        msg = (f"the {where} is damaged or not a usage database; move it aside or delete it "
               f"(the kiosk starts a new one)")
    elif primary in (14, 8) or isinstance(e, OSError):  # SQLITE_CANTOPEN, SQLITE_READONLY
        msg = (f"cannot write the {where}; make its folder exist and be writable by the kiosk user, "
               f"or set [stats] database in kiosk.toml to a writable place")
    elif primary == 5:  # SQLITE_BUSY
        msg = f"the {where} is locked by another program; close it and try again"
    else:
        msg = f"the {where} failed; move it aside or delete it (the kiosk starts a new one)"
    return StatsError(f"{msg} ({e})")


class StatsStore:
    """The counters in one SQLite file. Not thread-safe: use it from one thread (see ui.stats_writer)."""

    def __init__(self, path: Path, keep_days: int = 400) -> None:
        if not 1 <= keep_days <= MAX_KEEP_DAYS:
            raise ValueError(f"keep_days must be between 1 and {MAX_KEEP_DAYS}, not {keep_days}")
        import sqlite3  # when the first visit is written, not when the kiosk starts

        self.path = Path(path)
        self.keep_days = keep_days
        self._errors: tuple[type[Exception], ...] = (OSError, sqlite3.Error)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=2.0)
        except self._errors as e:
            raise _error(self.path, e) from e
        try:
            with self._guard():
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a killed process loses nothing committed
                self._db.execute("PRAGMA secure_delete=ON")
                self._migrate()
        except StatsError:
            self._db.close()
            raise

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._errors as e:
            raise _error(self.path, e) from e

    @property
    def schema_version(self) -> int:
        with self._guard():
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise StatsError(f"the usage database {self.path} was written by a newer kiosk (schema {version}, "
                             f"this one knows {len(MIGRATIONS)}); update the kiosk or move the file aside")
        for n in range(version, len(MIGRATIONS)):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[n].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={n + 1}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> StatsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------------

    def record(self, visit: Visit) -> None:
        """Adds one visit to the counters in one transaction, then drops what is older than keep_days."""
        day, week = visit.day.isoformat(), week_of(visit.day)
        ended = {"finished": "visits_finished", "idle": "visits_idle", "start_over": "visits_start_over"}
        settings = (("language", visit.language), ("text_size", TEXT_SIZES[visit.text_size]),
                    ("contrast", visit.contrast), ("speech", "used" if visit.speech else "not used"))
        screens = list(dict.fromkeys(visit.screens_reached))
        with self._guard():
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(f"INSERT INTO days (day, visits_started, {ended[visit.ended]}, prints_ok, prints_failed) "
                           f"VALUES (?, 1, 1, ?, ?) ON CONFLICT (day) DO UPDATE SET "
                           f"visits_started = visits_started + 1, {ended[visit.ended]} = {ended[visit.ended]} + 1, "
                           f"prints_ok = prints_ok + excluded.prints_ok, "
                           f"prints_failed = prints_failed + excluded.prints_failed",
                           (day, visit.prints_ok, visit.prints_failed))
                db.executemany("INSERT INTO day_screens VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET visits = visits + 1",
                               [(day, s) for s in screens])
                db.execute("INSERT INTO weeks VALUES (?, 1) ON CONFLICT DO UPDATE SET visits = visits + 1", (week,))
                db.executemany("INSERT INTO week_settings VALUES (?, ?, ?, 1) "
                               "ON CONFLICT DO UPDATE SET visits = visits + 1", [(week, k, v) for k, v in settings])
                db.executemany("INSERT INTO week_ticks VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET ticks = ticks + 1",
                               [(week, q) for q in dict.fromkeys(visit.ticks)])
                db.executemany("INSERT INTO week_screen_time VALUES (?, ?, ?, 1) "
                               "ON CONFLICT DO UPDATE SET visits = visits + 1",
                               [(week, s, bucket_of(secs)) for s, secs in visit.seconds_on_screen.items()])
                self._prune(visit.day)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            # The log would otherwise keep the counters as they were before this visit.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _prune(self, today: datetime.date) -> None:
        oldest = today - datetime.timedelta(days=self.keep_days - 1)
        self._db.execute("DELETE FROM days WHERE day < ?", (oldest.isoformat(),))
        self._db.execute("DELETE FROM day_screens WHERE day < ?", (oldest.isoformat(),))
        # A week goes once all its days are older than the oldest day kept.
        last_gone_week = week_of(oldest - datetime.timedelta(days=oldest.isoweekday()))
        old_weeks = [w for (w,) in self._db.execute("SELECT week FROM weeks") if w <= last_gone_week]
        for table in ("weeks", "week_settings", "week_ticks", "week_screen_time"):
            self._db.executemany(f"DELETE FROM {table} WHERE week = ?", [(w,) for w in old_weeks])

    def reset(self) -> None:
        """Empties every counter (the schema stays) and leaves no copy in the write-ahead log."""
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for table in TABLES:
                    self._db.execute(f"DELETE FROM {table}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("VACUUM")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- reading ---------------------------------------------------------------------------------

    def report(self, days: int, today: datetime.date) -> Report:
        """The figures of the ``days`` days ending with ``today``, and of the weeks touching them."""
        if days < 1:
            raise ValueError(f"days must be 1 or more, not {days}")
        first = today - datetime.timedelta(days=days - 1)
        lo, hi = first.isoformat(), today.isoformat()
        with self._guard():
            db = self._db
            db.execute("BEGIN")
            try:
                day_rows = {r[0]: r[1:] for r in db.execute(
                    "SELECT day, visits_started, visits_finished, visits_idle, visits_start_over, prints_ok, "
                    "prints_failed FROM days WHERE day BETWEEN ? AND ?", (lo, hi))}
                day_screens: dict[str, dict[str, int]] = {}
                for d, screen, n in db.execute(
                        "SELECT day, screen, visits FROM day_screens WHERE day BETWEEN ? AND ?", (lo, hi)):
                    day_screens.setdefault(d, {})[screen] = n
                range_weeks = sorted({week_of(first + datetime.timedelta(days=i)) for i in range(days)})
                weeks = self._weeks(range_weeks)
            finally:
                db.execute("COMMIT")
        figures = []
        for i in range(days):
            d = first + datetime.timedelta(days=i)
            started, finished, idle, start_over, ok, failed = day_rows.get(d.isoformat(), (0, 0, 0, 0, 0, 0))
            figures.append(DayFigures(d, started, finished, idle, start_over, ok, failed,
                                      screens=_most_first(day_screens.get(d.isoformat(), {}))))
        return Report(first, today, tuple(figures), weeks, _totals(figures, weeks))

    def _weeks(self, wanted: list[str]) -> tuple[WeekFigures, ...]:
        db = self._db
        if not wanted:
            return ()
        marks = ",".join("?" * len(wanted))
        visits = dict(db.execute(f"SELECT week, visits FROM weeks WHERE week IN ({marks})", wanted).fetchall())
        shown = [w for w in wanted if visits.get(w, 0) >= K_ANONYMITY]
        settings: dict[str, dict[str, dict[str, int]]] = {w: {} for w in shown}
        ticks: dict[str, dict[str, int]] = {w: {} for w in shown}
        times: dict[str, dict[str, dict[str, int]]] = {w: {} for w in shown}
        if shown:
            marks = ",".join("?" * len(shown))
            for w, setting, value, n in db.execute(
                    f"SELECT week, setting, value, visits FROM week_settings WHERE week IN ({marks})", shown):
                settings[w].setdefault(setting, {})[value] = n
            for w, question, n in db.execute(
                    f"SELECT week, question, ticks FROM week_ticks WHERE week IN ({marks})", shown):
                ticks[w][question] = n
            for w, screen, bucket, n in db.execute(
                    f"SELECT week, screen, bucket, visits FROM week_screen_time WHERE week IN ({marks})", shown):
                times[w].setdefault(screen, {})[bucket] = n
        out = []
        for w in wanted:
            if w not in visits:
                continue
            if w not in settings:
                out.append(WeekFigures(w, None))
                continue
            s = settings[w]
            out.append(WeekFigures(
                w, visits[w], languages=_most_first(s.get("language", {})),
                text_size=_ordered(s.get("text_size", {}), TEXT_SIZES),
                contrast=_ordered(s.get("contrast", {}), CONTRASTS),
                speech=_ordered(s.get("speech", {}), ("used", "not used")),
                ticks=_most_first(ticks[w]),
                time_on_screen={screen: _ordered(b, BUCKET_LABELS) for screen, b in sorted(times[w].items())}))
        return tuple(out)


def _most_first(counts: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _ordered(counts: Mapping[str, int], order: tuple[str, ...]) -> dict[str, int]:
    return {k: counts.get(k, 0) for k in order}


def _add(into: dict[str, int], counts: Mapping[str, int]) -> None:
    for k, n in counts.items():
        into[k] = into.get(k, 0) + n


def _totals(days: list[DayFigures], weeks: tuple[WeekFigures, ...]) -> Totals:
    screens: dict[str, int] = {}
    for d in days:
        _add(screens, d.screens)
    shown = [w for w in weeks if w.visits is not None]
    languages: dict[str, int] = {}
    text_size: dict[str, int] = {}
    contrast: dict[str, int] = {}
    speech: dict[str, int] = {}
    ticks: dict[str, int] = {}
    times: dict[str, dict[str, int]] = {}
    for w in shown:
        _add(languages, w.languages)
        _add(text_size, w.text_size)
        _add(contrast, w.contrast)
        _add(speech, w.speech)
        _add(ticks, w.ticks)
        for screen, buckets in w.time_on_screen.items():
            _add(times.setdefault(screen, {}), buckets)
    return Totals(
        visits_started=sum(d.visits_started for d in days), visits_finished=sum(d.visits_finished for d in days),
        visits_idle=sum(d.visits_idle for d in days), visits_start_over=sum(d.visits_start_over for d in days),
        prints_ok=sum(d.prints_ok for d in days), prints_failed=sum(d.prints_failed for d in days),
        screens=_most_first(screens), weeks_shown=len(shown), weeks_suppressed=len(weeks) - len(shown),
        languages=_most_first(languages), text_size=_ordered(text_size, TEXT_SIZES),
        contrast=_ordered(contrast, CONTRASTS), speech=_ordered(speech, ("used", "not used")),
        ticks=_most_first(ticks),
        time_on_screen={s: _ordered(b, BUCKET_LABELS) for s, b in sorted(times.items())})
