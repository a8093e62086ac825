"""Tell systemd how the kiosk is doing (the sd_notify protocol, without libsystemd).

Under ``Type=notify`` systemd passes ``$NOTIFY_SOCKET``, a datagram AF_UNIX socket
(a path, or an abstract name written with a leading ``@``). The kiosk sends:

- ``READY=1`` once the first screen is painted (systemd then calls the start done),
- ``WATCHDOG=1`` regularly from the Qt event loop; with ``WatchdogSec=`` set, a
  frozen loop stops the pings and systemd kills and restarts the kiosk,
- ``STATUS=...`` a line ``systemctl status`` shows, and ``STOPPING=1`` on the way out.

Without ``$NOTIFY_SOCKET`` (a desktop run, tests) every call does nothing and
returns False. ``watchdog_interval()`` is half of ``$WATCHDOG_USEC``, as
sd_watchdog_enabled(3) recommends, or None when no watchdog is configured.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping


def _address(env: Mapping[str, str]) -> str | None:
    raw = env.get("NOTIFY_SOCKET", "")
    if not raw:
        return None
    if raw.startswith("@"):
        return "\0" + raw[1:]
    if raw.startswith("/"):
        return raw
    return None  # vsock and other forms are not for a kiosk


def notify(message: str, env: Mapping[str, str] | None = None) -> bool:
    """Send one message (lines like ``READY=1``); True when it was handed to the socket."""
    address = _address(os.environ if env is None else env)
    if address is None:
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode("utf-8"))
    except OSError:
        return False
    return True


def ready(status: str | None = None, env: Mapping[str, str] | None = None) -> bool:
    lines = ["READY=1"] + ([f"STATUS={status}"] if status else [])
    return notify("\n".join(lines), env)


def status(text: str, env: Mapping[str, str] | None = None) -> bool:
    return notify(f"STATUS={text}", env)


def watchdog(env: Mapping[str, str] | None = None) -> bool:
    return notify("WATCHDOG=1", env)


def stopping(env: Mapping[str, str] | None = None) -> bool:
    return notify("STOPPING=1", env)


def watchdog_interval(env: Mapping[str, str] | None = None) -> float | None:
    """Seconds between pings (half of ``$WATCHDOG_USEC``), or None without a watchdog.

    ``$WATCHDOG_PID``, when set, names the process meant to ping; any other process
    (a child the kiosk started) gets None.
    """
    env = os.environ if env is None else env
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    pid = env.get("WATCHDOG_PID")
    if pid and pid.isdigit() and int(pid) != os.getpid():
        return None
    return usec / 2_000_000
