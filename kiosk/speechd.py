"""Is speech-dispatcher answering? A cheap probe before Qt's speech engine connects.

Qt's ``speechd`` engine connects to speech-dispatcher in its constructor and
waits for it without a time limit: a speech-dispatcher that is wedged (seen
here after its sound server went away) would freeze the kiosk's window for
good. This probe talks SSIP to the same socket with a deadline, on a worker
thread, so the kiosk only ever creates the engine when it will answer.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

PROBE_TIMEOUT_S = 2.0


def socket_path(env: Mapping[str, str] | None = None) -> Path | None:
    """Where libspeechd connects: $SPEECHD_ADDRESS (unix_socket:PATH), else the runtime or cache folder."""
    env = os.environ if env is None else env
    address = env.get("SPEECHD_ADDRESS", "")
    if address.startswith("unix_socket:"):
        return Path(address.partition(":")[2])
    if address:
        return None  # inet: let the engine try
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "speech-dispatcher" / "speechd.sock"
    cache = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".cache")
    return Path(cache) / "speech-dispatcher" / "speechd.sock"


def _reply(s: socket.socket, deadline: float) -> bytes | None:
    """Read one SSIP reply (lines "NNN-..." then a final "NNN ...") before ``deadline``."""
    data = b""
    while time.monotonic() < deadline:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = s.recv(65536)
        if not chunk:
            return None
        data += chunk
        for line in data.split(b"\r\n"):
            if len(line) >= 4 and line[:3].isdigit() and line[3:4] == b" ":
                return line
    return None


def answers(path: Path | None, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """True when speech-dispatcher at ``path`` names itself and lists its voices (what Qt's
    engine asks for when it starts) within ``timeout``. None: cannot tell here, True."""
    if path is None:
        return True
    deadline = time.monotonic() + timeout
    try:
        import socket  # on use: ~3 ms at start-up otherwise

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(path))
            for command in (b"SET SELF CLIENT_NAME kiosk:probe:main", b"LIST SYNTHESIS_VOICES"):
                s.sendall(command + b"\r\n")
                reply = _reply(s, deadline)
                if reply is None or not reply.startswith(b"2"):
                    return False
            s.sendall(b"QUIT\r\n")
            return True
    except OSError:
        return False
