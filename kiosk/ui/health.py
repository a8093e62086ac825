"""The kiosk's pulse: systemd watchdog pings and the Prometheus metrics file.

``HealthMonitor`` lives on the Qt event loop on purpose:

- its watchdog timer sends ``WATCHDOG=1`` every half ``WatchdogSec`` (from
  ``$WATCHDOG_USEC``). The pings come from the event loop, so when the UI freezes
  the pings stop and systemd restarts the kiosk;
- ``mark_painted()`` (call it after the first paint) sends ``READY=1``;
- with a metrics path, it writes the textfile at start-up, whenever a health
  value changes (``set_printer_ready``, ``set_speech_available``,
  ``set_deck_version``, ``crash_recovered``) and every 30 s as a heartbeat.

Writing the file never stops the kiosk: an error is logged once, then retried at
the next heartbeat.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk import sdnotify
from kiosk.metrics import Health, TextfileWriter, Usage

log = logging.getLogger(__name__)

HEARTBEAT_MS = 30_000


class HealthMonitor(QObject):
    """Owns the watchdog and heartbeat timers; see the module docstring."""

    written = Signal()  # after each successful metrics write
    pinged = Signal()  # after each WATCHDOG=1 handed to systemd

    def __init__(
        self,
        *,
        version: str,
        deck_version: str = "",
        metrics_path: Path | None = None,
        usage: Callable[[], Usage] | None = None,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.time,
        heartbeat_ms: int = HEARTBEAT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._env: Mapping[str, str] = dict(os.environ if env is None else env)
        self._health = Health(version=version, deck_version=deck_version)
        self._usage = usage or Usage
        self._writer = TextfileWriter(metrics_path, clock=clock) if metrics_path else None
        self._write_failed = False
        self._ready_sent = False

        self._watchdog = QTimer(self)
        self._watchdog.setObjectName("watchdog")
        interval = sdnotify.watchdog_interval(self._env)
        if interval is not None:
            self._watchdog.setInterval(max(1, int(interval * 1000)))
            self._watchdog.timeout.connect(self._ping)
            self._watchdog.start()

        self._heartbeat = QTimer(self)
        self._heartbeat.setObjectName("heartbeat")
        self._heartbeat.setInterval(heartbeat_ms)
        if self._writer is not None:
            self._heartbeat.timeout.connect(self.write_now)
            self._heartbeat.start()
            self.write_now()

    # --- systemd ------------------------------------------------------------------------

    @property
    def watchdog_active(self) -> bool:
        return self._watchdog.isActive()

    def mark_painted(self) -> None:
        """The first screen is on the glass: tell systemd the start is done (once)."""
        if self._ready_sent:
            return
        self._ready_sent = True
        sdnotify.ready(f"showing deck {self._health.deck_version or '(unversioned)'}", self._env)
        if self._watchdog.isActive():
            self._ping()

    def stopping(self) -> None:
        self._watchdog.stop()
        self._heartbeat.stop()
        sdnotify.stopping(self._env)

    def _ping(self) -> None:
        if sdnotify.watchdog(self._env):
            self.pinged.emit()

    # --- metrics ------------------------------------------------------------------------

    @property
    def health(self) -> Health:
        return self._health

    def set_printer_ready(self, ready: bool) -> None:
        self._update(printer_ready=bool(ready))

    def set_speech_available(self, available: bool) -> None:
        self._update(speech_available=bool(available))

    def set_deck_version(self, version: str) -> None:
        self._update(deck_version=version)
        sdnotify.status(f"showing deck {version or '(unversioned)'}", self._env)

    def crash_recovered(self) -> None:
        self._update(crashes_recovered=self._health.crashes_recovered + 1)

    def _update(self, **changes: object) -> None:
        new = replace(self._health, **changes)  # type: ignore[arg-type]
        if new != self._health:
            self._health = new
            self.write_now()

    def write_now(self) -> None:
        if self._writer is None:
            return
        try:
            self._writer.write(self._health, self._usage())
        except OSError as exc:
            if not self._write_failed:
                log.error("cannot write the metrics file %s: %s", self._writer.path, exc)
            self._write_failed = True
            return
        if self._write_failed:
            log.info("metrics file %s written again", self._writer.path)
        self._write_failed = False
        self.written.emit()
