"""The systemd units in assets/service/: hardened, watched, and still able to drive the screen.

``systemd-analyze security --offline=true`` rates every unit file; the issue's bar is
an exposure of 4.0 at most. The cage unit must keep the devices a Wayland compositor
opens (DRM, input, tty1) and the watchdog fed from the kiosk (a child of cage).
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.realenv import REPO_ROOT, skip_or_fail

UNITS = sorted((REPO_ROOT / "assets" / "service").glob("*.service"))
MAX_EXPOSURE = 4.0


def directives(unit: Path) -> dict[str, list[str]]:
    """{"Section.Key": [values in order]} (systemd allows repeated keys)."""
    result: dict[str, list[str]] = {}
    section = ""
    for line in unit.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        result.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return result


def test_there_are_units_to_check() -> None:
    assert {u.name for u in UNITS} >= {"cage-kiosk.service", "kiosk.service"}


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_every_unit_is_rated_exposure_4_or_less(unit: Path, tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        skip_or_fail("systemd-analyze is not installed (apt-get install systemd)")
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "SYSTEMD_COLORS": "0"}
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", str(unit)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match, f"no exposure level in systemd-analyze's output:\n{result.stdout}\n{result.stderr}"
    exposure = float(match[1])
    assert exposure <= MAX_EXPOSURE, f"{unit.name}: exposure {exposure} > {MAX_EXPOSURE}\n{result.stdout}"


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_every_unit_waits_for_ready_and_restarts_a_frozen_kiosk(unit: Path) -> None:
    d = directives(unit)
    assert d["Service.Type"] == ["notify"]
    assert d["Service.WatchdogSec"] and d["Service.WatchdogSec"][0] != "0"
    assert d["Service.Restart"] == ["always"]
    assert d["Service.RestartSec"]
    assert d["Unit.StartLimitIntervalSec"] == ["0"], "Restart=always alone gives up after 5 starts in 10 s"
    assert d["Service.StandardOutput"] == ["journal"]


def test_the_cage_unit_keeps_what_cage_needs() -> None:
    d = directives(REPO_ROOT / "assets" / "service" / "cage-kiosk.service")
    # The watchdog pings come from the kiosk, a child process of cage.
    assert d["Service.NotifyAccess"] == ["all"]
    # cage's own session on tty1.
    assert d["Service.User"] == ["kiosk"]
    assert d["Service.PAMName"] == ["login"]
    assert d["Service.TTYPath"] == ["/dev/tty1"]
    for key in ("TTYReset", "TTYVHangup", "TTYVTDisallocate"):
        assert d[f"Service.{key}"] == ["yes"], key
    assert d["Service.StateDirectory"] == ["kiosk"]
    # The devices a Wayland compositor opens, and the groups that own them.
    allowed = {v.split()[0] for v in d["Service.DeviceAllow"]}
    assert {"char-drm", "char-input", "/dev/tty1"} <= allowed
    assert set(d["Service.SupplementaryGroups"][0].split()) == {"video", "input", "render"}
    assert "PrivateDevices" not in {k.split(".")[1] for k in d}, "PrivateDevices= would hide /dev/dri and /dev/input"
    assert "cage" in d["Service.ExecStart"][0]


def test_units_parse_as_ini_files() -> None:
    for unit in UNITS:
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.read_string(unit.read_text())
        assert {"Unit", "Service", "Install"} <= set(parser.sections()), unit.name
