"""A real X server for benchmarks, watched and driven from outside the measured process.

- ``Xvfb``: starts ``Xvfb -displayfd … -screen 0 WxHx24 -nolisten tcp`` itself (Xvfb picks a
  free display number), waits until it answers, and always stops it.
- ``Screen``: one python-xlib connection to that server. It reads single pixel rows of the root
  window (``get_image`` of a W x 1 rectangle: a few KB per row, so polling every 2 ms costs the
  measured program almost nothing, where a full-screen grab every few ms slows it several-fold),
  presses real keys through XTEST, and focuses a program's window (bare Xvfb has no window
  manager, so nothing else does).
- ``Program``: a process started on the display in its own session group, stopped (SIGTERM,
  then SIGKILL) by ``stop()``; ``started()`` is a context manager that always stops it.

"Painted" is judged by pixels only: a poll of the watched rows that differs from the rows
before the press is the first sign of the new screen, and the change is complete when the
rows match the known final state or stay the same for a few polls. See docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from Xlib import XK, X
from Xlib import display as xdisplay
from Xlib.error import XError
from Xlib.ext import xtest

POLL_S = 0.002  # between polls of the watched rows


class Xvfb:
    """``with Xvfb(1920, 1080) as x: x.display`` -> ":3"; the server is gone after the block."""

    def __init__(self, width: int, height: int, log_dir: Path) -> None:
        self.width, self.height = width, height
        self.log_path = log_dir / f"xvfb-{width}x{height}-{os.getpid()}-{time.monotonic_ns()}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.display = ""

    def __enter__(self) -> Xvfb:
        read_fd, write_fd = os.pipe()
        try:
            with open(self.log_path, "wb") as log:
                self.proc = subprocess.Popen(
                    ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{self.width}x{self.height}x24",
                     "-nolisten", "tcp", "-noreset"],
                    pass_fds=(write_fd,), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            os.close(write_fd)
            write_fd = -1
            number = _read_line(read_fd, timeout=15)
        except BaseException:
            self.__exit__()
            raise
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        if number is None:
            tail = self.log_path.read_text(errors="replace")[-500:]
            self.__exit__()
            raise RuntimeError(f"Xvfb did not start: {tail}")
        self.display = f":{number}"
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            _terminate(self.proc)
            self.proc = None


def _read_line(fd: int, timeout: float) -> str | None:
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, 64)
        if not chunk:
            return None
        data += chunk
    return data.decode().strip()


def _terminate(proc: subprocess.Popen[bytes], timeout: float = 5) -> None:
    """SIGTERM the process group, SIGKILL it after ``timeout``; reaps the process."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with contextlib.suppress(ProcessLookupError):  # children left in the group
        os.killpg(proc.pid, signal.SIGKILL)


Rows = tuple[bytes, ...]


@dataclass
class Change:
    """What the watched rows did after a press (times in seconds after ``t0``)."""

    first: float | None  # first poll that differed from the rows before; None: nothing changed
    settled: float | None  # the poll that completed the change (matched the final state, or stayed)
    rows: Rows  # the rows at the end
    matched: bool  # True when the end state was the expected one


class Screen:
    """One connection to the X server: rows of pixels out, key presses and clicks in."""

    def __init__(self, display: str) -> None:
        self.d = xdisplay.Display(display)
        scr = self.d.screen()
        self.root = scr.root
        self.width, self.height = scr.width_in_pixels, scr.height_in_pixels
        self._pid_atom = self.d.intern_atom("_NET_WM_PID")

    def close(self) -> None:
        self.d.close()

    # -- pixels ----------------------------------------------------------------------
    def row(self, y: int) -> bytes:
        return bytes(self.root.get_image(0, y, self.width, 1, X.ZPixmap, 0xFFFFFFFF).data)

    def rows(self, ys: Sequence[int]) -> Rows:
        return tuple(self.row(y) for y in ys)

    def sparse_ys(self, step: int = 12) -> list[int]:
        """Rows every ``step`` px: close enough that every line of text crosses one."""
        return list(range(step // 2, self.height, step))

    def wait_change(self, ys: Sequence[int], before: Rows, t0: float, *, expected: Rows | None = None,
                    stable_polls: int = 3, timeout: float = 5.0, poll_s: float = POLL_S,
                    first_only: bool = False) -> Change:
        """Poll ``ys`` until they differ from ``before`` and then match ``expected`` or hold still.

        ``first_only``: return at the first differing poll (``settled`` stays None).
        """
        first: float | None = None
        last: Rows = before
        last_at = 0.0  # when the rows became ``last``
        same = 0
        deadline = t0 + timeout
        while True:
            now_rows = self.rows(ys)
            now = time.monotonic()
            if first is None:
                if now_rows != before:
                    first = now - t0
                    if first_only:
                        return Change(first, None, now_rows, False)
                    if expected is not None and now_rows == expected:
                        return Change(first, first, now_rows, True)
                    last, last_at, same = now_rows, now, 0
            else:
                if expected is not None and now_rows == expected:
                    return Change(first, now - t0, now_rows, True)
                if now_rows == last:
                    same += 1
                    if same >= stable_polls:
                        return Change(first, last_at - t0, now_rows, False)
                else:
                    last, last_at, same = now_rows, now, 0
            if now > deadline:
                return Change(first, None, now_rows, False)
            time.sleep(poll_s)

    def wait_still(self, ys: Sequence[int], hold_s: float = 0.25, timeout: float = 10.0,
                   poll_s: float = 0.01) -> tuple[Rows, float]:
        """Wait until ``ys`` have not changed for ``hold_s`` seconds: (those rows, time of their last change)."""
        last = self.rows(ys)
        since = time.monotonic()
        deadline = since + timeout
        while time.monotonic() < deadline:
            time.sleep(poll_s)
            now_rows = self.rows(ys)
            if now_rows != last:
                last, since = now_rows, time.monotonic()
            elif time.monotonic() - since >= hold_s:
                break
        return last, since

    # -- windows and input ------------------------------------------------------------
    def window_of(self, pid: int, timeout: float = 30.0) -> int:
        """The id of the mapped top-level window whose _NET_WM_PID is ``pid``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for win in self.root.query_tree().children:
                try:
                    prop = win.get_full_property(self._pid_atom, X.AnyPropertyType)
                    if prop and prop.value and int(prop.value[0]) == pid:
                        if win.get_attributes().map_state == X.IsViewable:
                            return int(win.id)
                except XError:
                    continue
            time.sleep(0.05)
        raise RuntimeError(f"no mapped window of process {pid} within {timeout} s")

    def window_size(self, window_id: int) -> tuple[int, int]:
        geo = self.d.create_resource_object("window", window_id).get_geometry()
        return int(geo.width), int(geo.height)

    def focus(self, window_id: int) -> None:
        win = self.d.create_resource_object("window", window_id)
        win.set_input_focus(X.RevertToParent, X.CurrentTime)
        self.d.sync()

    def press(self, key: str) -> float:
        """Press and release ``key`` (an X keysym name: "Right", "F7") via XTEST; returns the press time."""
        keysym = XK.string_to_keysym(key)
        code = self.d.keysym_to_keycode(keysym)
        if not code:
            raise ValueError(f"no keycode for {key!r}")
        t0 = time.monotonic()
        xtest.fake_input(self.d, X.KeyPress, code)
        xtest.fake_input(self.d, X.KeyRelease, code)
        self.d.sync()
        return t0

    def click(self, x: int, y: int) -> float:
        """Move the pointer to (x, y) on the screen and click the left button; returns the press time."""
        xtest.fake_input(self.d, X.MotionNotify, x=x, y=y)
        self.d.sync()
        time.sleep(0.02)
        t0 = time.monotonic()
        xtest.fake_input(self.d, X.ButtonPress, 1)
        xtest.fake_input(self.d, X.ButtonRelease, 1)
        self.d.sync()
        return t0


@dataclass
class Program:
    """A process on the benchmark display; ``stop()`` always ends it and its children."""

    argv: Sequence[str]
    display: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    t0: float = 0.0

    def start(self) -> Program:
        # Bytecode is cached, as on an installed kiosk (pip compiles it when it installs the
        # wheel): the first, unmeasured start of each program writes it into the run's folder.
        env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb", "PYTHONUNBUFFERED": "1",
               "PYTHONPYCACHEPREFIX": str(self.log.parent / "pycache")}
        for var in ("WAYLAND_DISPLAY", "KIOSK_CONFIG", "PYTHONDONTWRITEBYTECODE"):
            env.pop(var, None)
        env.update(self.env)
        with open(self.log, "ab") as out:
            self.t0 = time.monotonic()
            self.proc = subprocess.Popen(list(self.argv), env=env, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def peak_rss_mb(self) -> float:
        """VmHWM (the peak resident set) from /proc, read from outside."""
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc status")

    def stop(self) -> None:
        if self.proc is not None:
            _terminate(self.proc)

    def log_tail(self, chars: int = 1500) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so ``finally`` blocks stop every Xvfb and program started."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


@contextlib.contextmanager
def started(program: Program) -> Iterator[Program]:
    try:
        yield program.start()
    finally:
        program.stop()
