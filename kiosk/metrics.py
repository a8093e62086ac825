"""Health figures for Prometheus, as a node_exporter textfile-collector file.

node_exporter (``--collector.textfile.directory=DIR``) reads every ``*.prom`` file in
DIR at each scrape. The kiosk rewrites its file atomically (a temporary file in the
same folder, then rename), so a scrape never sees half a file:

- at start-up, whenever a health value changes, and as a 30 s heartbeat
  (``kiosk_heartbeat_timestamp_seconds``: an old value means a hung or dead kiosk);
- ``kiosk_up``, ``kiosk_build_info{version,deck_version}``, ``kiosk_printer_ready``,
  ``kiosk_speech_available``, ``kiosk_crashes_recovered_total``;
- visit figures (``kiosk_visits_started_total``, ``kiosk_visits_finished_total``,
  ``kiosk_prints_total{result}``) that the caller counts. Privacy: they change in the
  file **at most once an hour**, so a scraped series cannot place one patient's visit
  in time more finely than that. ``TextfileWriter`` enforces it with an injectable clock.

Pure Python: the Qt side (timers, when to write) is kiosk/ui/health.py.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

USAGE_PERIOD_S = 3600.0


@dataclass(frozen=True)
class Health:
    """What the kiosk knows about itself right now."""

    version: str
    deck_version: str = ""
    printer_ready: bool = False
    speech_available: bool = False
    crashes_recovered: int = 0


@dataclass(frozen=True)
class Usage:
    """Running totals since the kiosk started (or as kept by the caller)."""

    visits_started: int = 0
    visits_finished: int = 0
    prints_ok: int = 0
    prints_failed: int = 0


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def render(health: Health, usage: Usage, now: float) -> str:
    """The file's text in the Prometheus text exposition format."""
    h = health
    rows: list[tuple[str, str, str, list[tuple[str, float]]]] = [
        ("kiosk_up", "gauge", "1 while the kiosk process runs.", [("", 1)]),
        (
            "kiosk_build_info",
            "gauge",
            "Kiosk version and the version of the deck it shows.",
            [(f'{{version="{_label(h.version)}",deck_version="{_label(h.deck_version)}"}}', 1)],
        ),
        ("kiosk_heartbeat_timestamp_seconds", "gauge", "Unix time of the last write (every 30 s).", [("", now)]),
        ("kiosk_printer_ready", "gauge", "1 when the configured printer accepts jobs.", [("", int(h.printer_ready))]),
        ("kiosk_speech_available", "gauge", "1 when read-aloud can speak.", [("", int(h.speech_available))]),
        (
            "kiosk_crashes_recovered_total",
            "counter",
            "Unexpected errors the kiosk recovered from by going back to Start.",
            [("", h.crashes_recovered)],
        ),
        (
            "kiosk_visits_started_total",
            "counter",
            "Visits started (refreshed at most once an hour).",
            [("", usage.visits_started)],
        ),
        (
            "kiosk_visits_finished_total",
            "counter",
            "Visits that reached the end (refreshed at most once an hour).",
            [("", usage.visits_finished)],
        ),
        (
            "kiosk_prints_total",
            "counter",
            "Sheets sent to the printer, by result (refreshed at most once an hour).",
            [('{result="ok"}', usage.prints_ok), ('{result="failed"}', usage.prints_failed)],
        ),
    ]
    lines: list[str] = []
    for name, kind, help_text, samples in rows:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            text = repr(float(value)) if isinstance(value, float) else str(value)
            lines.append(f"{name}{labels} {text}")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename (temporary file in the same folder)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # node_exporter usually runs as another user
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class TextfileWriter:
    """Writes the metrics file, holding visit figures back to one refresh an hour.

    The first write publishes the usage it is given; later writes publish new usage
    only when ``usage_period_s`` has passed since the last time usage was published,
    and repeat the published figures otherwise. Health values are always current.
    """

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], float] = time.time,
        usage_period_s: float = USAGE_PERIOD_S,
    ) -> None:
        self._path = Path(path)
        self._clock = clock
        self._period = usage_period_s
        self._published: Usage | None = None
        self._published_at = 0.0

    @property
    def path(self) -> Path:
        return self._path

    def published_usage(self, usage: Usage, now: float) -> Usage:
        """The usage figures a write at ``now`` puts in the file (and remember them)."""
        if self._published is None or (usage != self._published and now - self._published_at >= self._period):
            self._published = usage
            self._published_at = now
        return self._published

    def write(self, health: Health, usage: Usage) -> None:
        """Rewrite the file; OSError (folder missing, not writable) goes to the caller."""
        now = self._clock()
        write_atomic(self._path, render(health, self.published_usage(usage, now), now))
