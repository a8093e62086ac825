"""requirements.lock covers pyproject.toml: every dependency and extra pinned, with hashes.

A dependency added to pyproject.toml without running scripts/lock fails here, naming it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
# what the lock is resolved for (scripts/lock: --python-version 3.11, Linux x86_64)
TARGET = {**default_environment(), "python_version": "3.11", "python_full_version": "3.11.2",
          "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64"}


def locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    pins: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        m = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if m:
            pins[canonicalize_name(m.group(1))] = (m.group(2), block.count("--hash=sha256:"))
    return pins


def requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    names = list(project["project"]["dependencies"]) + list(project["build-system"]["requires"])
    for extra in project["project"]["optional-dependencies"].values():
        names += extra
    reqs = [Requirement(r) for r in names]
    return [r for r in reqs if canonicalize_name(r.name) != "clinic-kiosk"
            and (r.marker is None or r.marker.evaluate(TARGET))]


def test_every_requirement_is_pinned_within_its_range_with_hashes():
    pins = locked()
    missing = [str(r) for r in requirements() if canonicalize_name(r.name) not in pins]
    assert not missing, f"not in requirements.lock: {missing}; run scripts/lock and commit the lock"
    for r in requirements():
        version, hashes = pins[canonicalize_name(r.name)]
        assert r.specifier.contains(version, prereleases=True), f"{r.name}=={version} does not satisfy {r}"
    assert all(hashes for _, hashes in pins.values()), "every pin needs its hashes (scripts/lock --generate-hashes)"


def test_the_broken_pyside_build_is_not_locked():
    assert locked()["pyside6-essentials"][0] != "6.12.0"
