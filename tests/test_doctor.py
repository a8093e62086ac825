"""``kiosk doctor`` on this machine: every line OK or FAIL with the command that fixes it."""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
from pathlib import Path

from kiosk import doctor
from kiosk.doctor import Finding
from tests.realenv import REPO_ROOT, CupsQueue

CONTENT = REPO_ROOT / "content"
CAGE_UNIT = REPO_ROOT / "assets" / "service" / "cage-kiosk.service"


def test_a_line_says_ok_or_fail_with_the_fix() -> None:
    assert Finding(True, "printer p: accepting jobs").line() == "OK    printer p: accepting jobs"
    assert Finding(False, "printer p: not accepting jobs", "sudo cupsaccept p").line() == (
        "FAIL  printer p: not accepting jobs — fix: sudo cupsaccept p"
    )


def test_the_real_printer_is_ready(cups_queue: CupsQueue) -> None:
    lines = [f.line() for f in doctor.check_printer(cups_queue.name)]
    assert lines == [
        f"OK    printer {cups_queue.name}: idle, enabled",
        f"OK    printer {cups_queue.name}: accepting jobs",
    ]


def test_a_stopped_and_rejecting_printer_gets_the_commands_that_fix_it(cups_queue: CupsQueue) -> None:
    name = cups_queue.name
    cups_queue.disable()
    cups_queue.reject()
    lines = [f.line() for f in doctor.check_printer(name)]
    assert lines[0].startswith(f"FAIL  printer {name}: stopped") and lines[0].endswith(f"— fix: sudo cupsenable {name}")
    assert lines[1] == f"FAIL  printer {name}: not accepting jobs — fix: sudo cupsaccept {name}"


def test_a_missing_printer_fails_with_the_lpadmin_command(cups_queue: CupsQueue) -> None:
    [finding] = doctor.check_printer("no-such-queue")
    assert finding.line() == (
        "FAIL  printer no-such-queue: no such CUPS queue — "
        "fix: sudo lpadmin -p no-such-queue -E -v ipp://PRINTER-ADDRESS/ipp/print -m everywhere"
    )


def test_a_scheduler_that_is_not_running_is_named_not_taken_for_a_missing_queue(cups_queue: CupsQueue, monkeypatch) -> None:
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:1")  # nothing listens there: a stopped scheduler, to lpstat
    [finding] = doctor.check_printer(cups_queue.name)
    assert finding.line() == (
        "FAIL  printer: the CUPS scheduler is not running (nothing can print) — fix: sudo systemctl enable --now cups"
    )


def test_print_privacy_matches_what_cupsctl_says(cups_queue: CupsQueue) -> None:
    settings = subprocess.run(["cupsctl"], capture_output=True, text=True, check=True).stdout
    private = "PreserveJobFiles=No" in settings and "PreserveJobHistory=No" in settings
    line = doctor.check_print_privacy().line()
    if private:
        assert line == "OK    print privacy: CUPS keeps no job files and no job history"
    else:
        assert line.startswith("FAIL  print privacy: CUPS keeps ")
        assert line.endswith("— fix: sudo cupsctl PreserveJobFiles=No PreserveJobHistory=No")


def test_speech_names_a_voice_for_every_deck_language_or_the_packages_to_install() -> None:
    findings = doctor.check_speech(["en", "es", "xx"])
    lines = [f.line() for f in findings]
    if shutil.which("spd-say") is None:
        assert lines == [
            "FAIL  speech: speech-dispatcher is not installed (read-aloud is hidden) — fix: sudo apt-get install "
            "speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libspeechd2"
        ]
    else:
        assert lines[0].startswith("OK    speech: speech-dispatcher with voices in "), lines
        assert lines[1:] == [
            "OK    speech: a voice for en",
            "OK    speech: a voice for es",
            "FAIL  speech: no voice for xx — fix: sudo apt-get install espeak-ng-data",
        ]


def test_voices_are_read_from_spd_say_listing() -> None:
    listing = (
        "     NAME                 LANGUAGE            VARIANT\n"
        "     English (Great Britain) en-gb            none\n"
        "     Spanish (Spain)      es                  none\n"
        "     Spanish (Latin America) es-419           none\n"
    )
    assert doctor.voices(listing) == ["en-gb", "es", "es-419"]


def test_audio_says_what_is_missing() -> None:
    finding = doctor.check_audio()
    if shutil.which("pactl") is None:
        assert (
            finding.line()
            == "FAIL  audio: pactl not found (no sound server tools) — fix: sudo apt-get install pulseaudio pulseaudio-utils"
        )
    else:
        assert finding.ok or "fix:" in finding.line()


def test_metrics_path_must_be_writable(tmp_path: Path) -> None:
    assert doctor.check_metrics(tmp_path / "kiosk.prom").line() == f"OK    metrics {tmp_path / 'kiosk.prom'}: writable"
    missing = tmp_path / "nope" / "kiosk.prom"
    assert doctor.check_metrics(missing).line() == (
        f"FAIL  metrics {missing}: the folder does not exist — fix: sudo install -d -o kiosk -m 0755 {tmp_path / 'nope'}"
    )
    assert doctor.check_metrics(None).ok
    assert list(tmp_path.iterdir()) == [], "the write test left a file behind"


def test_the_watchdog_comes_from_the_unit(tmp_path: Path) -> None:
    assert doctor.check_watchdog([CAGE_UNIT]).line() == f"OK    watchdog: {CAGE_UNIT} Type=notify, WatchdogSec=30s"
    old = tmp_path / "cage-kiosk.service"
    old.write_text("[Service]\nType=simple\nExecStart=/usr/bin/cage -- kiosk\n")
    assert (
        doctor.check_watchdog([old])
        .line()
        .startswith(f"FAIL  watchdog: {old} has no Type=notify with WatchdogSec= — fix: ")
    )
    assert (
        doctor.check_watchdog([tmp_path / "none.service"]).line().startswith("FAIL  watchdog: no kiosk unit installed")
    )


def test_the_bundled_deck_passes_and_a_broken_one_names_kiosk_check(tmp_path: Path) -> None:
    assert doctor.check_deck_dir(CONTENT).line() == f"OK    deck {CONTENT}: checked, no problems"
    line = doctor.check_deck_dir(tmp_path).line()
    assert line.startswith(f"FAIL  deck {tmp_path}: 1 problem(s), first: ")
    assert line.endswith(f"— fix: kiosk check {tmp_path} (then kiosk deck install a corrected deck)")


def test_config_problems_are_reported() -> None:
    assert doctor.check_config([], "/etc/kiosk/kiosk.toml").line() == "OK    config /etc/kiosk/kiosk.toml: valid"
    line = doctor.check_config(["print.paper: invalid value 'b5'", "x"], "/etc/kiosk/kiosk.toml").line()
    assert line == (
        "FAIL  config /etc/kiosk/kiosk.toml: print.paper: invalid value 'b5' (+1 more) — "
        "fix: kiosk check --config /etc/kiosk/kiosk.toml, then edit the file"
    )


def test_display_and_fonts_are_checked_through_qt() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    assert doctor.check_display(env).line().startswith("OK    display: offscreen screen ")
    assert doctor.check_fonts(env).line() == "OK    fonts: Atkinson Hyperlegible (4 bundled files)"
    bare = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    assert doctor.check_display(bare).line().startswith("FAIL  display: no DISPLAY or WAYLAND_DISPLAY here")


def test_a_display_qt_cannot_open_is_reported_not_fatal() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":9999"}
    line = doctor.check_display(env).line()
    assert line.startswith("FAIL  display: Qt could not open it (QT_QPA_PLATFORM=xcb): ")


def test_the_command_exits_1_and_lists_every_check(cups_queue: CupsQueue, tmp_path: Path) -> None:
    args = argparse.Namespace(printer="no-such-queue", metrics=tmp_path / "kiosk.prom", unit=[CAGE_UNIT])
    out = io.StringIO()
    assert doctor.run(args, config=None, deck_dir=CONTENT, out=out) == 1
    lines = out.getvalue().splitlines()
    assert all(line.startswith(("OK    ", "FAIL  ")) for line in lines[:-1]), lines
    assert [line.split(":")[0].split(None, 1)[1].split()[0] for line in lines[:-1]][:4] == [
        "display",
        "fonts",
        "config",
        "deck",
    ]
    assert any(line.startswith("FAIL  printer no-such-queue: no such CUPS queue") for line in lines)
    assert lines[-1].endswith("problem(s)")


def test_settings_come_from_the_config_object(cups_queue: CupsQueue, tmp_path: Path) -> None:
    class Config:  # the lead's Config answers get("table.key")
        def get(self, dotted: str) -> object:
            return {"print.printer": cups_queue.name, "metrics.textfile": str(tmp_path / "k.prom")}.get(dotted)

    out = io.StringIO()
    doctor.run(
        argparse.Namespace(printer=None, metrics=None, unit=[CAGE_UNIT]), config=Config(), deck_dir=CONTENT, out=out
    )
    text = out.getvalue()
    assert f"OK    printer {cups_queue.name}: accepting jobs" in text
    assert f"OK    metrics {tmp_path / 'k.prom'}: writable" in text
