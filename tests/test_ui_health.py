"""HealthMonitor: the metrics file at start-up, on change and on the 30 s heartbeat."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pytestqt.qtbot import QtBot

from kiosk.metrics import Usage
from kiosk.ui.health import HEARTBEAT_MS, HealthMonitor
from tests.clock import FakeClock


def gauges(path: Path) -> dict[str, float]:
    return {
        s.name + (f'{{result="{s.labels["result"]}"}}' if "result" in s.labels else ""): s.value
        for family in text_string_to_metric_families(path.read_text())
        for s in family.samples
    }


def test_the_file_is_written_at_start_up_and_on_every_change(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "kiosk.prom"
    monitor = HealthMonitor(version="1.0", metrics_path=path, env={})
    assert gauges(path)["kiosk_printer_ready"] == 0
    with qtbot.waitSignal(monitor.written, timeout=1000):
        monitor.set_printer_ready(True)
    assert gauges(path)["kiosk_printer_ready"] == 1
    monitor.set_speech_available(True)
    monitor.crash_recovered()
    monitor.set_deck_version("42")
    values = gauges(path)
    assert values["kiosk_speech_available"] == 1
    assert values["kiosk_crashes_recovered_total"] == 1
    assert 'deck_version="42"' in path.read_text()


def test_an_unchanged_value_does_not_rewrite(qtbot: QtBot, tmp_path: Path) -> None:
    monitor = HealthMonitor(version="1.0", metrics_path=tmp_path / "kiosk.prom", env={})
    monitor.set_printer_ready(True)
    with qtbot.assertNotEmitted(monitor.written):
        monitor.set_printer_ready(True)


def test_the_heartbeat_rewrites_the_file_every_30_seconds(qtbot: QtBot, tmp_path: Path) -> None:
    assert HEARTBEAT_MS == 30_000
    clock = FakeClock(1_700_000_000.0)
    path = tmp_path / "kiosk.prom"
    monitor = HealthMonitor(version="1.0", metrics_path=path, env={}, clock=clock, heartbeat_ms=20)
    clock.advance(30)
    with qtbot.waitSignal(monitor.written, timeout=2000):
        pass
    assert gauges(path)["kiosk_heartbeat_timestamp_seconds"] == 1_700_000_030.0


def test_usage_comes_from_the_caller(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "kiosk.prom"
    HealthMonitor(version="1.0", metrics_path=path, env={}, usage=lambda: Usage(7, 5, 3, 1))
    values = gauges(path)
    assert values["kiosk_visits_started_total"] == 7
    assert values['kiosk_prints_total{result="failed"}'] == 1


def test_an_unwritable_path_is_logged_once_and_the_kiosk_goes_on(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.health"):
        monitor = HealthMonitor(version="1.0", metrics_path=tmp_path / "missing" / "kiosk.prom", env={})
        monitor.set_printer_ready(True)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"cannot write the metrics file {tmp_path / 'missing' / 'kiosk.prom'}: ")


def test_no_watchdog_without_watchdog_usec(qtbot: QtBot) -> None:
    assert not HealthMonitor(version="1.0", env={}).watchdog_active


def test_ready_is_sent_once_after_the_first_paint(qtbot: QtBot, tmp_path: Path) -> None:
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(address)
        sock.settimeout(1)
        monitor = HealthMonitor(version="1.0", deck_version="9", env={"NOTIFY_SOCKET": address})
        monitor.mark_painted()
        monitor.mark_painted()
        assert sock.recv(100) == b"READY=1\nSTATUS=showing deck 9"
        sock.settimeout(0.2)
        with pytest.raises(TimeoutError):
            sock.recv(100)
