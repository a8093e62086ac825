"""The Prometheus textfile: what node_exporter scrapes, and the once-an-hour rule for visits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.metrics import Health, TextfileWriter, Usage, write_atomic
from tests.clock import FakeClock


def scrape(path: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Parse the file like Prometheus does: {(sample name, sorted labels): value}."""
    samples = {}
    for family in text_string_to_metric_families(path.read_text()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


HEALTH = Health(version="1.2.0", deck_version="2026.11-3", printer_ready=True, speech_available=False)


def test_the_file_has_every_metric_with_help_and_type(tmp_path: Path) -> None:
    clock = FakeClock(1_700_000_000.0)
    path = tmp_path / "kiosk.prom"
    TextfileWriter(path, clock=clock).write(HEALTH, Usage(3, 2, prints_ok=4, prints_failed=1))
    samples = scrape(path)
    assert value(samples, "kiosk_up") == 1
    assert value(samples, "kiosk_build_info", version="1.2.0", deck_version="2026.11-3") == 1
    assert value(samples, "kiosk_heartbeat_timestamp_seconds") == 1_700_000_000.0
    assert value(samples, "kiosk_printer_ready") == 1
    assert value(samples, "kiosk_speech_available") == 0
    assert value(samples, "kiosk_crashes_recovered_total") == 0
    assert value(samples, "kiosk_visits_started_total") == 3
    assert value(samples, "kiosk_visits_finished_total") == 2
    assert value(samples, "kiosk_prints_total", result="ok") == 4
    assert value(samples, "kiosk_prints_total", result="failed") == 1
    text = path.read_text()
    for name, kind in [
        ("kiosk_up", "gauge"),
        ("kiosk_prints_total", "counter"),
        ("kiosk_visits_started_total", "counter"),
    ]:
        assert f"# TYPE {name} {kind}\n" in text
        assert f"# HELP {name} " in text


def test_labels_with_quotes_survive_parsing(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.prom"
    TextfileWriter(path).write(Health(version='1.0 "beta"\\x', deck_version="line\nbreak"), Usage())
    assert value(scrape(path), "kiosk_build_info", version='1.0 "beta"\\x', deck_version="line\nbreak") == 1


def test_visit_figures_change_in_the_file_at_most_once_an_hour(tmp_path: Path) -> None:
    clock = FakeClock(1_700_000_000.0)
    path = tmp_path / "kiosk.prom"
    writer = TextfileWriter(path, clock=clock)
    writer.write(HEALTH, Usage(visits_started=1))
    assert value(scrape(path), "kiosk_visits_started_total") == 1

    clock.advance(30)
    writer.write(HEALTH, Usage(visits_started=2, visits_finished=1, prints_ok=1))
    samples = scrape(path)
    assert value(samples, "kiosk_visits_started_total") == 1, "a visit showed up within the hour"
    assert value(samples, "kiosk_visits_finished_total") == 0
    assert value(samples, "kiosk_prints_total", result="ok") == 0
    assert value(samples, "kiosk_heartbeat_timestamp_seconds") == 1_700_000_030.0, "the heartbeat is current"

    clock.advance(3600 - 31)
    writer.write(HEALTH, Usage(visits_started=5))
    assert value(scrape(path), "kiosk_visits_started_total") == 1

    clock.advance(1)  # one hour after the last refresh
    writer.write(HEALTH, Usage(visits_started=5, prints_failed=2))
    samples = scrape(path)
    assert value(samples, "kiosk_visits_started_total") == 5
    assert value(samples, "kiosk_prints_total", result="failed") == 2

    clock.advance(10)
    writer.write(HEALTH, Usage(visits_started=6))
    assert value(scrape(path), "kiosk_visits_started_total") == 5


def test_health_values_change_at_once(tmp_path: Path) -> None:
    clock = FakeClock(1_700_000_000.0)
    path = tmp_path / "kiosk.prom"
    writer = TextfileWriter(path, clock=clock)
    writer.write(HEALTH, Usage())
    clock.advance(1)
    writer.write(Health(version="1.2.0", deck_version="2026.12-1", printer_ready=False, crashes_recovered=2), Usage())
    samples = scrape(path)
    assert value(samples, "kiosk_printer_ready") == 0
    assert value(samples, "kiosk_crashes_recovered_total") == 2
    assert value(samples, "kiosk_build_info", version="1.2.0", deck_version="2026.12-1") == 1


def test_the_write_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.prom"
    path.write_text("old")
    inode = path.stat().st_ino
    write_atomic(path, "kiosk_up 1\n")
    assert path.read_text() == "kiosk_up 1\n"
    assert path.stat().st_ino != inode, "the file was rewritten in place instead of renamed over"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.prom"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_missing_folder_is_an_oserror_for_the_caller(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        TextfileWriter(tmp_path / "nope" / "kiosk.prom").write(HEALTH, Usage())
    assert not os.path.exists(tmp_path / "nope")
