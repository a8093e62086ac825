"""sd_notify: the kiosk tells systemd it is ready and alive, from the Qt event loop.

These tests play systemd's part: they bind their own NOTIFY_SOCKET, start a real
process and read the datagrams it sends.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import sdnotify
from tests.realenv import REPO_ROOT


class FakeSystemd:
    """A NOTIFY_SOCKET that records what arrives, with the time it arrived."""

    def __init__(self, address: str, sock: socket.socket) -> None:
        self.address = address
        self.sock = sock

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("WATCHDOG_USEC", "WATCHDOG_PID")}
        env["NOTIFY_SOCKET"] = self.address
        env.update(extra)
        return env

    def receive(self, timeout: float) -> str | None:
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(4096).decode()
        except TimeoutError:
            return None


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[FakeSystemd]:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        yield FakeSystemd(str(path), sock)


def test_without_notify_socket_nothing_is_sent() -> None:
    assert sdnotify.ready(env={}) is False
    assert sdnotify.watchdog(env={}) is False


def test_messages_arrive_on_a_path_socket(systemd: FakeSystemd) -> None:
    env = systemd.env()
    assert sdnotify.ready("showing deck 7", env=env)
    assert systemd.receive(1) == "READY=1\nSTATUS=showing deck 7"
    assert sdnotify.watchdog(env=env)
    assert systemd.receive(1) == "WATCHDOG=1"
    assert sdnotify.stopping(env=env)
    assert systemd.receive(1) == "STOPPING=1"


def test_abstract_socket_names_start_with_at() -> None:
    name = f"kiosk-test-{os.getpid()}-{time.monotonic_ns()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(1)
        assert sdnotify.status("hello", env={"NOTIFY_SOCKET": "@" + name})
        assert sock.recv(100) == b"STATUS=hello"


def test_a_socket_nobody_listens_on_is_not_an_error(tmp_path: Path) -> None:
    assert sdnotify.watchdog(env={"NOTIFY_SOCKET": str(tmp_path / "gone.sock")}) is False


def test_watchdog_interval_is_half_of_watchdog_usec() -> None:
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "20000000"}) == 10.0
    assert sdnotify.watchdog_interval({}) is None
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "0"}) is None
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "junk"}) is None
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": str(os.getpid())}) == 1.0
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"}) is None


# A kiosk-shaped process: a QApplication, the HealthMonitor, a first paint that calls
# mark_painted(), and (for the freeze test) a slot that blocks the event loop.
CHILD = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel
    from kiosk.ui.health import HealthMonitor

    app = QApplication([])
    monitor = HealthMonitor(version="test", deck_version="7")
    label = QLabel("start")
    label.show()
    painted = QTimer(app)
    painted.setSingleShot(True)
    painted.timeout.connect(monitor.mark_painted)
    painted.start(0)
    freeze_after_ms = int(sys.argv[1])
    if freeze_after_ms:
        freeze = QTimer(app)
        freeze.setSingleShot(True)
        freeze.timeout.connect(lambda: time.sleep(60))  # the UI hangs
        freeze.start(freeze_after_ms)
    quit_timer = QTimer(app)
    quit_timer.setSingleShot(True)
    quit_timer.timeout.connect(app.quit)
    quit_timer.start(20_000)
    app.exec()
    """
)


def start_child(systemd: FakeSystemd, freeze_after_ms: int) -> subprocess.Popen[bytes]:
    env = systemd.env(WATCHDOG_USEC="100000", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO_ROOT))
    return subprocess.Popen([sys.executable, "-c", CHILD, str(freeze_after_ms)], env=env, cwd=REPO_ROOT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.wait(10)


def test_a_running_kiosk_says_ready_then_keeps_pinging(systemd: FakeSystemd) -> None:
    proc = start_child(systemd, freeze_after_ms=0)
    try:
        first = systemd.receive(30)
        assert first is not None and first.startswith("READY=1"), first
        pings = [systemd.receive(2) for _ in range(5)]
        assert pings == ["WATCHDOG=1"] * 5
    finally:
        stop(proc)


def test_a_frozen_event_loop_stops_the_pings(systemd: FakeSystemd) -> None:
    proc = start_child(systemd, freeze_after_ms=1500)
    try:
        first = systemd.receive(30)
        assert first is not None and first.startswith("READY=1"), first
        assert systemd.receive(2) == "WATCHDOG=1"
        # Drain the pings sent before the freeze; then silence, while the process lives on.
        while systemd.receive(1.0) is not None:
            pass
        assert systemd.receive(1.0) is None, "pings went on while the event loop was blocked"
        assert proc.poll() is None, "the process ended instead of hanging"
    finally:
        stop(proc)
