"""The Ansible role, run for real against a throwaway Debian, never this machine.

The target is a debootstrap chroot (minbase bookworm, from this machine's own apt
mirror, cached as a tarball). ansible-core's connection plugins include no chroot
one, so the playbook runs INSIDE the chroot with ``-c local``, from an ansible-core
installed into a venv there. systemd is not PID 1 in the chroot, so the role's
systemd steps skip with a message. The test checks what a clinic's IT would:

- the first run installs everything and the second run changes nothing,
- the target has /etc/kiosk/kiosk.toml, the kiosk user, the venv with a working
  ``kiosk --version``, the cage unit enabled and CUPS told to keep no job files,
- this machine's /etc/kiosk and CUPS settings are untouched.

Slow (a few minutes on a cold cache); needs root, debootstrap and the network.
Set KIOSK_TEST_CACHE to keep the debootstrap tarball somewhere else.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from tests.realenv import REPO_ROOT, require_tools, skip_or_fail

SUITE = "bookworm"
CACHE = Path(os.environ.get("KIOSK_TEST_CACHE", "/var/cache/kiosk-tests"))
INCLUDE = "python3,python3-venv,ca-certificates"
# Local package indexes this machine's pip uses (see /etc/pip.conf); mounted read-only.
PIP_SOURCES = [Path("/opt/wheels"), Path("/opt/pypi"), Path("/opt/pypi-more")]


def apt_mirror() -> str:
    """The Debian mirror this machine's apt already uses."""
    texts = [p.read_text() for p in Path("/etc/apt").glob("sources.list.d/*.sources")]
    for path in [Path("/etc/apt/sources.list"), *Path("/etc/apt").glob("sources.list.d/*.list")]:
        if path.exists():
            texts.append(path.read_text())
    for text in texts:
        for uri in re.findall(r"(?:URIs:\s*|^deb\s+(?:\[[^\]]*\]\s+)?)(\S+)", text, re.M):
            if uri.rstrip("/").endswith("/debian"):
                return uri
    return "http://deb.debian.org/debian"


def run(cmd: list[str], timeout: float, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)  # type: ignore[call-overload]


def mounts_under(root: Path) -> list[str]:
    prefix = str(root.resolve())
    points = [line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()]
    return [p for p in points if p == prefix or p.startswith(prefix + "/")]


def bind(source: Path, root: Path, read_only: bool = True) -> None:
    target = root / str(source).lstrip("/")
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "--bind", str(source), str(target)], check=True)
    if read_only:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Path]:
    """A fresh minbase Debian in tmp_path/target with /proc and the local pip indexes mounted."""
    if os.geteuid() != 0:
        skip_or_fail("building a debootstrap chroot needs root")
    require_tools("debootstrap", "chroot", "mount", "umount")
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / f"{SUITE}-minbase.tgz"
    mirror = apt_mirror()
    if not tarball.exists():
        scratch = tmp_path / "make-tarball"
        result = run(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={INCLUDE}",
                f"--make-tarball={tarball}",
                SUITE,
                str(scratch),
                mirror,
            ],
            timeout=600,
        )
        if result.returncode != 0:
            tarball.unlink(missing_ok=True)
            skip_or_fail(f"debootstrap --make-tarball failed (network?): {result.stderr.strip()[-500:]}")
    root = tmp_path / "target"
    result = run(
        [
            "debootstrap",
            "--variant=minbase",
            f"--include={INCLUDE}",
            f"--unpack-tarball={tarball}",
            SUITE,
            str(root),
            mirror,
        ],
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"debootstrap --unpack-tarball failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    try:
        # Services must not start inside the chroot (cupsd would fight this machine's for port 631).
        policy = root / "usr/sbin/policy-rc.d"
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
        shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
        # This machine's network may need its own certificate authorities (a TLS proxy).
        for ca in Path("/usr/local/share/ca-certificates").glob("*.crt"):
            shutil.copy(ca, root / "usr/local/share/ca-certificates" / ca.name)
        shutil.copy("/etc/ssl/certs/ca-certificates.crt", root / "etc/ssl/certs/ca-certificates.crt")
        if Path("/etc/pip.conf").exists():
            shutil.copy("/etc/pip.conf", root / "etc/pip.conf")
        subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
        for source in PIP_SOURCES:
            if source.is_dir():
                bind(source, root)
        # Downloads survive between runs: pip's cache and apt's archive of .deb files.
        for cache, inside in [(CACHE / "pip", "root/.cache/pip"), (CACHE / "apt-archives", "var/cache/apt/archives")]:
            cache.mkdir(exist_ok=True)
            (root / inside).mkdir(parents=True, exist_ok=True)
            subprocess.run(["mount", "--bind", str(cache), str(root / inside)], check=True)
        yield root
    finally:
        for point in sorted(mounts_under(root), key=len, reverse=True):
            subprocess.run(["umount", "-l", point], check=False)
        left = mounts_under(root)
        assert not left, f"could not unmount {left}; not deleting {root}"
        subprocess.run(["rm", "-rf", "--one-file-system", str(root)], check=False)


def build_wheel(out: Path, scratch: Path) -> Path:
    """``pip wheel --no-deps .`` from a copy of the tree (the build leaves build/ and egg-info behind)."""
    source = scratch / "source"
    ignore = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")
    shutil.copytree(REPO_ROOT, source, ignore=ignore)
    result = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(source)], timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    wheels = sorted(out.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def lock_for(wheel: Path, python_version: str, scratch: Path) -> str:
    """``name==version`` for every runtime dependency of the wheel, resolved by pip for the
    target's Python (Debian 12 has 3.11.2; some releases need 3.11.5, so a lock resolved on a
    newer Python does not install there).

    The repository's own lock file is preferred when there is one (see docs/install.md).
    """
    report = scratch / "report.json"
    result = run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--target",
            str(scratch / "resolve-only"),
            f"--python-version={python_version}",
            "--only-binary=:all:",
            "--report",
            str(report),
            str(wheel),
        ],
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    own = canonicalize_name(wheel.name.split("-")[0])
    pins = {
        canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    pins.pop(own, None)
    return "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))


def repo_lock() -> Path | None:
    for name in ("requirements.lock", "requirements.txt", "requirements/kiosk.txt"):
        path = REPO_ROOT / name
        if path.is_file():
            return path
    return None


def fingerprint(path: Path) -> str:
    if not path.exists():
        return "missing"
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return repr(sorted((str(p.relative_to(path)), p.stat().st_mtime_ns) for p in path.rglob("*")))


def recap_changed(output: str) -> int:
    match = re.search(r"^localhost\s*:.*?changed=(\d+).*?failed=(\d+)", output, re.M)
    assert match, f"no PLAY RECAP in the output:\n{output[-3000:]}"
    assert match[2] == "0", output[-4000:]
    return int(match[1])


def test_the_playbook_installs_a_kiosk_and_a_second_run_changes_nothing(target: Path, tmp_path: Path) -> None:
    # cupsd itself rewrites printers.conf on every state change (other tests print): compare
    # the settings files and the list of queues instead.
    def host_state() -> dict[str, str]:
        state = {p: fingerprint(Path(p)) for p in ("/etc/kiosk", "/etc/cups/cupsd.conf", "/etc/cups/cups-files.conf")}
        queues = run(["lpstat", "-v"], 30) if shutil.which("lpstat") else None
        state["queues"] = queues.stdout if queues else ""
        return state

    host_before = host_state()

    deploy = target / "srv/deploy"
    shutil.copytree(REPO_ROOT / "deploy/ansible", deploy, symlinks=False)
    files = deploy / "files"
    files.mkdir()
    wheel = build_wheel(files, tmp_path)
    lock = repo_lock()
    if lock is not None:
        shutil.copy(lock, files / "requirements.lock")
    else:
        target_python = run(
            ["chroot", str(target), "python3", "-c", "import platform; print(platform.python_version())"], 60
        )
        (files / "requirements.lock").write_text(lock_for(wheel, target_python.stdout.strip(), tmp_path))
    (deploy / "inventory.yml").write_text(
        "kiosks:\n"
        "  hosts:\n"
        "    localhost:\n"
        "      ansible_connection: local\n"
        "      ansible_python_interpreter: /usr/bin/python3\n"
        "  vars:\n"
        f"    kiosk_wheel: /srv/deploy/files/{wheel.name}\n"
        "    kiosk_lock: /srv/deploy/files/requirements.lock\n"
        "    kiosk_printer: kiosk-pdf\n"
        "    kiosk_printer_uri: cups-pdf:/\n"
        "    kiosk_schedule:\n"
        '      mon: "08:00-18:00"\n'
    )

    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": "/root",
        "LC_ALL": "C.UTF-8",
        "DEBIAN_FRONTEND": "noninteractive",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        **{k: v for k, v in os.environ.items() if k.startswith("PIP_") or k.lower().endswith("_proxy")},
    }
    version = importlib.metadata.version("ansible-core")
    setup = run(
        [
            "chroot",
            str(target),
            "sh",
            "-c",
            f"python3 -m venv /opt/ansible && /opt/ansible/bin/pip install -q ansible-core=={version}",
        ],
        timeout=600,
        env=env,
    )
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-2000:]

    playbook = [
        "chroot",
        str(target),
        "sh",
        "-c",
        "cd /srv/deploy && /opt/ansible/bin/ansible-playbook -c local -i inventory.yml site.yml",
    ]
    first = run(playbook, timeout=1500, env=env)
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-2000:]
    assert recap_changed(first.stdout) > 0
    assert "systemd is not PID 1 here" in first.stdout

    second = run(playbook, timeout=900, env=env)
    assert second.returncode == 0, second.stdout[-6000:] + second.stderr[-2000:]
    assert recap_changed(second.stdout) == 0, f"the second run changed something:\n{second.stdout[-6000:]}"

    # What the clinic's IT gets on the target.
    toml = (target / "etc/kiosk/kiosk.toml").read_text()
    assert 'printer = "kiosk-pdf"' in toml
    assert 'textfile = "/var/lib/kiosk-metrics/kiosk.prom"' in toml
    assert 'mon = "08:00-18:00"' in toml
    passwd = (target / "etc/passwd").read_text()
    assert re.search(r"^kiosk:x:\d+:\d+::/var/lib/kiosk:/usr/sbin/nologin$", passwd, re.M), passwd
    kiosk = run(
        ["chroot", str(target), "/opt/kiosk/venv/bin/kiosk", "--version"],
        timeout=120,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert kiosk.returncode == 0, kiosk.stdout + kiosk.stderr
    assert kiosk.stdout.strip(), "kiosk --version printed nothing"
    cupsd = (target / "etc/cups/cupsd.conf").read_text()
    assert re.search(r"^PreserveJobFiles No$", cupsd, re.M)
    assert re.search(r"^PreserveJobHistory No$", cupsd, re.M)
    wants = target / "etc/systemd/system/graphical.target.wants/cage-kiosk.service"
    assert wants.is_symlink() and os.readlink(wants) == "/etc/systemd/system/cage-kiosk.service"
    assert os.readlink(target / "etc/systemd/system/getty@tty1.service") == "/dev/null"

    # And this machine was left alone.
    assert host_state() == host_before
