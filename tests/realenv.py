"""Fixtures for the real components the kiosk meets outside unit tests.

- ``xvfb_display``: a real X server (Xvfb) for the whole session, with ``xdotool``,
  ``wait_for_window`` and ``screenshot`` helpers to drive it like a person would.
- ``kiosk_process``: starts ``python -m kiosk --windowed ...`` on that display and
  always stops it, showing its log when the test failed.
- ``cups_queue``: the real ``kiosk-pdf`` CUPS queue made by ``scripts/cups-test-queue``,
  with its printed PDF, and switches for the printer faults the kiosk must survive.

A missing component skips the test with the reason, or fails it when
``KIOSK_REQUIRE_REAL=1`` (CI), so a green CI run means the real thing was exercised.
Loaded from tests/conftest.py through ``pytest_plugins``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
REQUIRE_REAL_VAR = "KIOSK_REQUIRE_REAL"
T = TypeVar("T")

# Which Debian package gives each tool, for skip messages.
_PACKAGE_OF = {
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "lp": "cups-client",
    "lpstat": "cups-client",
    "cancel": "cups-client",
    "cupsenable": "cups-client",
    "cupsd": "cups",
}


# --- skip, or fail when real components are required -------------------------------------


def real_required() -> bool:
    """True when a missing real component must fail the run (CI sets KIOSK_REQUIRE_REAL=1)."""
    return os.environ.get(REQUIRE_REAL_VAR) == "1"


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the test, or fail it under KIOSK_REQUIRE_REAL=1."""
    if real_required():
        pytest.fail(f"real component required ({REQUIRE_REAL_VAR}=1): {reason}", pytrace=False)
    pytest.skip(reason)


def require_tools(*tools: str) -> None:
    """skip_or_fail unless every tool is on PATH, naming the package to install."""
    for tool in tools:
        if shutil.which(tool) is None:
            package = _PACKAGE_OF.get(tool, tool)
            skip_or_fail(f"{tool} is not installed (apt-get install {package}, or run scripts/test as root)")


def wait_until(check: Callable[[], T], timeout: float, message: Callable[[], str] | str) -> T:
    """Poll ``check`` until it returns something truthy; AssertionError with ``message`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(message() if callable(message) else message)
        time.sleep(0.05)


# --- X server --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def xvfb_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private Xvfb server for the session; yields its DISPLAY string, e.g. ":3"."""
    require_tools("Xvfb")
    log_path = tmp_path_factory.mktemp("xvfb") / "xvfb.log"
    read_fd, write_fd = os.pipe()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            # -displayfd: Xvfb picks a free display and writes its number to the pipe when ready.
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    os.close(write_fd)
    try:
        number = _read_display_number(read_fd, timeout=15)
    finally:
        os.close(read_fd)
    if number is None:
        _stop(proc)
        skip_or_fail(f"Xvfb did not start: {log_path.read_text(errors='replace').strip()[-500:]}")
    try:
        yield f":{number}"
    finally:
        _stop(proc)


def _read_display_number(fd: int, timeout: float) -> str | None:
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, 64)
        if not chunk:  # Xvfb exited
            return None
        data += chunk
    return data.decode().strip()


def _stop(proc: subprocess.Popen[bytes], timeout: float = 5) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait()


def xdotool(display: str, *args: str, timeout: float = 15) -> str:
    """Run xdotool against ``display``; returns its stdout, AssertionError when it fails."""
    require_tools("xdotool")
    env = {**os.environ, "DISPLAY": display}
    try:
        done = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"xdotool {' '.join(args)} did not finish within {timeout} s") from exc
    if done.returncode != 0:
        raise AssertionError(f"xdotool {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def wait_for_window(display: str, name_regex: str, timeout: float = 15) -> str:
    """Wait until a visible window whose title matches ``name_regex`` is mapped; returns its id."""
    try:
        out = xdotool(display, "search", "--sync", "--onlyvisible", "--name", name_regex, timeout=timeout)
    except AssertionError as exc:
        raise AssertionError(f"no visible window titled /{name_regex}/ on {display} within {timeout} s") from exc
    return out.split()[0]


def window_role(display: str, window: str) -> str:
    """The kiosk names the screen it shows in the X property WM_WINDOW_ROLE
    ("kiosk-screen:<id>"): tools can read it, screen readers do not say it."""
    require_tools("xprop")
    env = {**os.environ, "DISPLAY": display}
    done = subprocess.run(["xprop", "-id", window, "WM_WINDOW_ROLE"], env=env, capture_output=True, text=True,
                          timeout=10)
    value = done.stdout.partition("=")[2].strip().strip('"')
    return value


def screen_label(display: str, window: str) -> str:
    """"<window title> [<screen id>]" for the kiosk window, read from outside the process."""
    name = xdotool(display, "getwindowname", window).strip()
    role = window_role(display, window)
    return f"{name} [{role.removeprefix('kiosk-screen:')}]"


def wait_for_screen(display: str, screen_id: str, timeout: float = 20) -> str:
    """Wait until a visible kiosk window shows ``screen_id``; returns the window id."""
    found: list[str] = []

    def seen() -> bool:
        try:
            out = xdotool(display, "search", "--onlyvisible", "--name", ".", timeout=5)
        except AssertionError:
            return False
        for win in out.split():
            if window_role(display, win) == f"kiosk-screen:{screen_id}":
                found.append(win)
                return True
        return False

    wait_until(seen, timeout, lambda: f"no visible kiosk window showing '{screen_id}' on {display}")
    return found[0]


def send_keys(display: str, window: str, *keys: str) -> None:
    """Focus ``window`` and press ``keys`` (xdotool key names, e.g. "Return", "ctrl+q").

    Bare Xvfb has no window manager, so nothing focuses a new window: do it here. The
    keys go through XTEST like a real keyboard (``key --window`` would send synthetic
    events, which Qt ignores).
    """
    xdotool(display, "windowfocus", "--sync", window)
    xdotool(display, "key", "--delay", "30", *keys)


def click(display: str, window: str, x: int, y: int) -> None:
    """Click with the left button at (x, y) inside ``window``."""
    xdotool(display, "mousemove", "--window", window, "--sync", str(x), str(y), "click", "1")


_GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
if not app.primaryScreen().grabWindow(0).save(sys.argv[1]):
    sys.exit("could not write " + sys.argv[1])
"""


def screenshot(display: str, path: Path) -> Path:
    """Save a PNG of the whole X screen (uses Qt itself, no ImageMagick needed)."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run([sys.executable, "-c", _GRAB, str(path)], env=env, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise AssertionError(f"screenshot of {display} failed: {done.stderr.strip()}")
    return path


# --- the kiosk (or any program) as a separate process on the X server ------------------------


@dataclass
class _Started:
    proc: subprocess.Popen[bytes]
    log: Path
    argv: Sequence[str]


@dataclass
class KioskProcesses:
    """Factory for processes on the test X server. Everything started is stopped at teardown."""

    display: str
    log_dir: Path
    started: list[_Started] = field(default_factory=list)

    def start(self, *args: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
        """``python -m kiosk --windowed *args`` on the test display."""
        return self.run([sys.executable, "-m", "kiosk", "--windowed", *args], env=env)

    def run(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Any command on the test display (Qt on xcb), output to a log file in tmp_path."""
        full_env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb", "PYTHONUNBUFFERED": "1"}
        full_env.pop("WAYLAND_DISPLAY", None)
        full_env.update(env or {})
        log = self.log_dir / f"process-{len(self.started) + 1}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                list(argv), cwd=REPO_ROOT, env=full_env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )
        self.started.append(_Started(proc, log, list(argv)))
        return proc

    def log_text(self, proc: subprocess.Popen[bytes]) -> str:
        """Everything ``proc`` printed so far (stdout and stderr together)."""
        return self._entry(proc).log.read_text(errors="replace")

    def stop(self, proc: subprocess.Popen[bytes], timeout: float = 5) -> int:
        """SIGTERM, then SIGKILL after ``timeout``; returns the exit status."""
        _stop(proc, timeout)
        return proc.returncode

    def _entry(self, proc: subprocess.Popen[bytes]) -> _Started:
        for entry in self.started:
            if entry.proc is proc:
                return entry
        raise ValueError("not started by this fixture")

    def close(self, show_logs: bool) -> None:
        for entry in self.started:
            _stop(entry.proc)
            if show_logs:
                status = entry.proc.returncode
                if status is not None and status < 0:
                    status = f"{status} ({signal.Signals(-status).name})"
                print(f"\n--- {' '.join(entry.argv)} (exit {status}), log {entry.log} ---")
                print(entry.log.read_text(errors="replace"), end="")


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Lets fixtures see whether their test failed, to print logs only then.
    report = yield
    if report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.fixture
def kiosk_process(xvfb_display: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[KioskProcesses]:
    """``kiosk_process.start("--lang", "es")`` runs the kiosk on Xvfb; stopped after the test."""
    processes = KioskProcesses(xvfb_display, tmp_path)
    try:
        yield processes
    finally:
        processes.close(show_logs=request.node.stash.get(_FAILED, False))


# --- CUPS ------------------------------------------------------------------------------------

QUEUE = "kiosk-pdf"
_JOB_ID = re.compile(r"request id is (\S+)-(\d+) ")


def _run(*argv: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout)


def scheduler_running() -> bool:
    # `lpstat -r` exits 0 either way; only its sentence tells.
    return _run("lpstat", "-r").stdout.strip() == "scheduler is running"


def _queue_output_file(queue: str) -> Path | None:
    done = _run("lpstat", "-v", queue)
    # "device for kiosk-pdf: ///var/spool/kiosk-test/kiosk-pdf.pdf" (lpstat drops "file:")
    match = re.search(r": (?:file:)?/*(\S+)$", done.stdout.strip())
    if done.returncode != 0 or not match:
        return None
    return Path("/" + match.group(1))


def _clean_pdf(raw: bytes) -> bytes:
    """The PDF inside the generic driver's output, without the PJL wrapped around it."""
    start = raw.find(b"%PDF-")
    end = raw.rfind(b"%%EOF")
    if start < 0 or end < start:
        return b""
    return raw[start : end + len(b"%%EOF")] + b"\n"


@dataclass
class CupsQueue:
    """The real kiosk-pdf queue. Prints land as PDF files the test can read."""

    name: str
    output_file: Path
    save_dir: Path
    _seen_jobs: set[int] = field(default_factory=set)
    _scheduler_stopped: bool = False

    # state switches
    def disable(self, reason: str = "kiosk test: printer disabled") -> None:
        self._admin("cupsdisable", "-r", reason, self.name)

    def enable(self) -> None:
        self._admin("cupsenable", self.name)

    def reject(self, reason: str = "kiosk test: queue rejecting jobs") -> None:
        self._admin("cupsreject", "-r", reason, self.name)

    def accept(self) -> None:
        self._admin("cupsaccept", self.name)

    @contextlib.contextmanager
    def stop_scheduler(self) -> Iterator[None]:
        """``with cups_queue.stop_scheduler():`` CUPS is really down inside, back up after."""
        _stop_cupsd()
        self._scheduler_stopped = True
        try:
            yield
        finally:
            _start_cupsd()
            self._scheduler_stopped = False

    # jobs
    def submit(self, path: Path, *options: str) -> int:
        """``lp -d kiosk-pdf [-o OPTION]... path``; returns the job id, AssertionError if lp refuses."""
        argv = ["lp", "-d", self.name]
        for option in options:
            argv += ["-o", option]
        done = _run(*argv, str(path))
        match = _JOB_ID.search(done.stdout)
        if done.returncode != 0 or not match:
            raise AssertionError(
                f"lp refused the job ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
            )
        return int(match.group(2))

    def pending_jobs(self) -> list[int]:
        return self._job_ids("not-completed")

    def completed_jobs(self) -> list[int]:
        """Finished jobs, oldest first (lpstat counts cancelled and aborted ones too)."""
        return self._job_ids("completed")

    def wait_for_pdf(self, timeout: float = 30, job_id: int | None = None) -> Path:
        """Wait for the next job (or ``job_id``) to finish; returns a copy of what it printed.

        The queue's device file is overwritten by every job, so the copy (PJL removed,
        a plain PDF) is saved in the test's tmp_path as ``<queue>-job<ID>.pdf``. Wait
        for each print before the next one: a later job overwrites the device file.
        """

        def finished() -> int | None:
            new = [j for j in self.completed_jobs() if j not in self._seen_jobs]
            if job_id is not None:
                return job_id if job_id in new else None
            return new[0] if new else None

        done_id = wait_until(finished, timeout, lambda: self._why_not(f"no print job finished within {timeout} s"))
        assert done_id is not None
        self._seen_jobs.add(done_id)

        def output() -> bytes:
            try:
                return _clean_pdf(self.output_file.read_bytes())
            except FileNotFoundError:
                return b""

        pdf = wait_until(output, 5, lambda: self._why_not(f"job {done_id} finished but {self.output_file} has no PDF"))
        saved = self.save_dir / f"{self.name}-job{done_id}.pdf"
        saved.write_bytes(pdf)
        return saved

    # reading what came out
    @staticmethod
    def pdf_text(path: Path) -> str:
        """The PDF's text via pypdf, pages joined by newlines, runs of spaces/tabs made one space."""
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(path.read_bytes()))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        return re.sub(r"[ \t]+", " ", text)

    @staticmethod
    def page_count(path: Path) -> int:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(path.read_bytes())).pages)

    # internals
    def _admin(self, *argv: str) -> None:
        done = _run(*argv)
        if done.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} failed: {done.stderr.strip()}")

    def _job_ids(self, which: str) -> list[int]:
        done = _run("lpstat", "-W", which, "-o", self.name)
        prefix = f"{self.name}-"
        ids = [int(line.split()[0][len(prefix) :]) for line in done.stdout.splitlines() if line.startswith(prefix)]
        return sorted(ids)

    def _why_not(self, headline: str) -> str:
        state = _run("lpstat", "-l", "-p", self.name, "-a", self.name, "-o", self.name).stdout.strip()
        log = Path("/var/log/cups/error_log")
        tail = log.read_text(errors="replace").splitlines()[-15:] if os.access(log, os.R_OK) else []
        return "\n".join([headline, "lpstat:", state or "(nothing)", "cups error_log (tail):", *tail])

    def _restore(self) -> None:
        if self._scheduler_stopped or not scheduler_running():
            _start_cupsd()
        # Cancel only this test's leftovers: other jobs in the queue are not ours.
        for job in self.pending_jobs():
            if job not in self._seen_jobs:
                _run("cancel", f"{self.name}-{job}")
        self.enable()
        self.accept()


def _cupsd_pid() -> int | None:
    try:
        pid = int(Path("/run/cups/cupsd.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except FileNotFoundError:
        return None
    return pid if comm == "cupsd" else None


def _stop_cupsd() -> None:
    if os.geteuid() != 0:
        skip_or_fail("stopping the CUPS scheduler needs root")
    if Path("/run/systemd/system").is_dir():
        _run("systemctl", "stop", "cups.socket", "cups.path", "cups.service")
    else:
        pid = _cupsd_pid()
        if pid is None:
            skip_or_fail("cupsd runs without /run/cups/cupsd.pid, so the test cannot stop it")
        os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not scheduler_running(), 15, "cupsd did not stop within 15 s")


def _start_cupsd() -> None:
    if Path("/run/systemd/system").is_dir():
        _run("systemctl", "start", "cups.socket", "cups.service")
    else:
        Path("/run/cups").mkdir(parents=True, exist_ok=True)
        _run("cupsd")  # daemonizes: this returns at once, the scheduler keeps running
    wait_until(scheduler_running, 15, "cupsd did not start again within 15 s")


@pytest.fixture
def cups_queue(tmp_path: Path) -> Iterator[CupsQueue]:
    """The real kiosk-pdf queue, enabled and accepting, with no output left from earlier jobs."""
    require_tools("lp", "lpstat", "cancel", "cupsenable")
    if not scheduler_running():
        skip_or_fail("the CUPS scheduler is not running (start it with: sudo scripts/cups-test-queue)")
    output_file = _queue_output_file(QUEUE)
    if output_file is None:
        skip_or_fail(f"there is no {QUEUE} CUPS queue (create it with: sudo scripts/cups-test-queue)")
    if not os.access(output_file.parent, os.W_OK):
        skip_or_fail(f"{output_file} is written by cupsd as root with mode 0600: the printing tests need root")
    queue = CupsQueue(QUEUE, output_file, tmp_path)
    queue._seen_jobs.update(queue.completed_jobs())
    try:
        queue.enable()
        queue.accept()
    except AssertionError as exc:
        skip_or_fail(f"cannot manage the {QUEUE} queue: {exc}")
    output_file.unlink(missing_ok=True)
    try:
        yield queue
    finally:
        queue._restore()
