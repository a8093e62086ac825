"""The fleet files: the Ansible role lints clean and agrees with the repository, the alert rules
watch metrics the kiosk really writes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from kiosk.metrics import Health, Usage, render
from tests.realenv import REPO_ROOT, skip_or_fail

ANSIBLE = REPO_ROOT / "deploy" / "ansible"
ROLE = ANSIBLE / "roles" / "kiosk"


def test_ansible_lint_passes() -> None:
    lint = shutil.which("ansible-lint") or str(Path(sys.executable).with_name("ansible-lint"))
    if not Path(lint).exists():
        skip_or_fail("ansible-lint is not installed (pip install -e '.[test]')")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "NO_COLOR": "1",
        "ANSIBLE_NOCOLOR": "1",
    }
    result = subprocess.run(
        [lint, "--offline", "site.yml", "roles/kiosk"],
        cwd=ANSIBLE,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_the_role_uses_only_ansible_builtin_modules() -> None:
    modules = set()
    for path in (ROLE / "tasks").glob("*.yml"):
        for task in yaml.safe_load(path.read_text()):
            modules |= {k for k in task if "." in k}
    for task in yaml.safe_load((ROLE / "handlers" / "main.yml").read_text()):
        modules |= {k for k in task if "." in k}
    assert modules and all(m.startswith("ansible.builtin.") for m in modules), modules


def test_the_role_installs_the_qt_libraries_scripts_lib_sh_lists() -> None:
    lib = (REPO_ROOT / "scripts" / "lib.sh").read_text()
    block = re.search(r"KIOSK_RUNTIME_DEBS=\((.*?)\)", lib, re.S)
    assert block
    from_lib = block[1].split()
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
    assert defaults["kiosk_qt_runtime_packages"] == from_lib


def test_the_role_ships_the_repositorys_cage_unit() -> None:
    shipped = ROLE / "files" / "cage-kiosk.service"
    assert shipped.read_text() == (REPO_ROOT / "assets" / "service" / "cage-kiosk.service").read_text()


def test_alert_rules_watch_metrics_the_kiosk_writes() -> None:
    written = set(re.findall(r"^(kiosk_\w+)", render(Health(version="1"), Usage(), 0.0), re.M))
    rules = yaml.safe_load((REPO_ROOT / "deploy" / "prometheus" / "kiosk-alerts.yml").read_text())
    alerts = {rule["alert"]: rule for group in rules["groups"] for rule in group["rules"]}
    assert {"KioskDown", "KioskNotPrinting", "KioskOldDeck"} <= set(alerts)
    for name, rule in alerts.items():
        used = set(re.findall(r"\bkiosk_\w+", rule["expr"]))
        assert used and used <= written, f"{name} uses {used - written}, which the kiosk does not write"
        assert rule["annotations"]["summary"]
    assert "kiosk_heartbeat_timestamp_seconds" in alerts["KioskDown"]["expr"]
    assert "deck_version" in alerts["KioskOldDeck"]["expr"]
