"""Printing through CUPS, and the rules for when a patient may print.

No Qt here. The PDF is rendered elsewhere (``sheet_render``) and handed to
CUPS on ``lp``'s standard input, so the kiosk writes no file: the only copy
on disk is the print job itself, and ``submit_and_forget`` purges that from
CUPS (spool file and history) once it has printed (``kiosk.cups_jobs``).
Qt's own CUPS engine ignores job ids and errors, so the printer state is read with ``lpstat`` before submitting and
the job id is read from ``lp``'s answer.

Every outcome is a ``PrintResult``: ``ok`` and a ``job_id``, or a ``reason``
for staff and the log (patients see only the calm ``print_failed`` words).
"""

from __future__ import annotations

import enum
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Config

log = logging.getLogger(__name__)

TIMEOUT_S = 15.0
JOB_ID = re.compile(r"request id is (\S+)")
DEFAULT_DEST = re.compile(r"system default destination:\s*(\S+)")


class State(enum.StrEnum):
    """What ``lpstat`` says about a printer, as one word."""

    IDLE = "idle"
    PRINTING = "printing"
    DISABLED = "disabled"  # cupsdisable: stopped, jobs would wait forever
    REJECTING = "rejecting"  # cupsreject: not accepting jobs
    MISSING = "missing"  # no such queue
    NO_DEFAULT = "no-default"  # no name configured and no system default
    NO_SERVER = "no-server"  # the CUPS scheduler is not running
    NO_CUPS = "no-cups"  # lp/lpstat are not installed

    @property
    def ready(self) -> bool:
        return self in (State.IDLE, State.PRINTING)


# One sentence per state for staff and the log (not patient-facing).
STATE_TEXT = {
    State.IDLE: "ready",
    State.PRINTING: "ready (printing now)",
    State.DISABLED: "stopped (disabled in CUPS); run cupsenable {name}",
    State.REJECTING: "not accepting jobs; run cupsaccept {name}",
    State.MISSING: "no printer named '{name}' in CUPS; check [print] printer in the config",
    State.NO_DEFAULT: "no printer set: set [print] printer in the config or a CUPS default (lpoptions -d)",
    State.NO_SERVER: "the CUPS print service is not running",
    State.NO_CUPS: "CUPS client tools (lp, lpstat) are not installed",
}


@dataclass(frozen=True)
class PrinterStatus:
    name: str
    state: State
    detail: str = ""  # what lpstat said, for the log

    @property
    def ready(self) -> bool:
        return self.state.ready

    def describe(self) -> str:
        text = STATE_TEXT[self.state].format(name=self.name or "?")
        return f"printer '{self.name}': {text}" if self.name else text


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    printer: str = ""
    job_id: str = ""
    reason: str = ""  # for staff and the log; empty when ok
    state: State | None = None

    def __str__(self) -> str:
        return f"job {self.job_id} accepted by '{self.printer}'" if self.ok else self.reason


def _run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, LC_ALL="C", LANG="C")
    return subprocess.run(args, input=data, capture_output=True, timeout=TIMEOUT_S, env=env, check=False)


def _text(cp: subprocess.CompletedProcess[bytes]) -> str:
    return (cp.stdout + cp.stderr).decode("utf-8", "replace").strip()


def _no_server(text: str) -> bool:
    low = text.lower()
    return "scheduler is not running" in low or "unable to connect" in low or "connection refused" in low


def check_printer(name: str | None) -> PrinterStatus:
    """The state of printer ``name`` (empty or None: the CUPS default)."""
    if not shutil.which("lpstat") or not shutil.which("lp"):
        return PrinterStatus(name or "", State.NO_CUPS)
    try:
        r = _text(_run(["lpstat", "-r"]))
        if "is not running" in r or not r:
            return PrinterStatus(name or "", State.NO_SERVER, r)
        if not name:
            cp = _run(["lpstat", "-d"])
            text = _text(cp)
            if _no_server(text):
                return PrinterStatus("", State.NO_SERVER, text)
            m = DEFAULT_DEST.search(text)
            if not m:
                return PrinterStatus("", State.NO_DEFAULT, text)
            name = m.group(1)
        p = _run(["lpstat", "-p", name])
        ptext = _text(p)
        if _no_server(ptext):
            return PrinterStatus(name, State.NO_SERVER, ptext)
        if p.returncode != 0 or f"printer {name} " not in ptext:
            if "invalid destination" in ptext.lower() or "unknown destination" in ptext.lower() or not ptext:
                return PrinterStatus(name, State.MISSING, ptext)
            return PrinterStatus(name, State.NO_SERVER if p.returncode else State.MISSING, ptext)
        a = _run(["lpstat", "-a", name])
        atext = _text(a)
        if _no_server(atext):
            return PrinterStatus(name, State.NO_SERVER, atext)
        first = ptext.splitlines()[0]
        detail = f"{ptext} | {atext}"
        if " disabled" in first:
            return PrinterStatus(name, State.DISABLED, detail)
        if "not accepting" in atext:
            return PrinterStatus(name, State.REJECTING, detail)
        if "now printing" in first:
            return PrinterStatus(name, State.PRINTING, detail)
        return PrinterStatus(name, State.IDLE, detail)
    except subprocess.TimeoutExpired:
        return PrinterStatus(name or "", State.NO_SERVER, f"lpstat did not answer in {TIMEOUT_S:.0f} s")
    except OSError as e:
        return PrinterStatus(name or "", State.NO_CUPS, str(e))


def printer_state(name: str | None) -> str:
    """One line for the staff panel: the printer's name and state."""
    return check_printer(name).describe()


def submit_pdf(pdf: bytes, printer: str | None, title: str = "kiosk-sheet") -> PrintResult:
    """Send a PDF to a ready printer; blocking (call it from a worker thread).

    The job title is fixed (never patient data): CUPS keeps titles in its logs.
    """
    status = check_printer(printer)
    if not status.ready:
        reason = status.describe()
        log.warning("print refused: %s (%s)", reason, status.detail or "no detail")
        return PrintResult(False, status.name, reason=reason, state=status.state)
    try:
        cp = _run(["lp", "-d", status.name, "-t", title], pdf)
    except subprocess.TimeoutExpired:
        reason = f"printer '{status.name}': lp did not answer in {TIMEOUT_S:.0f} s"
        log.warning("print failed: %s", reason)
        return PrintResult(False, status.name, reason=reason, state=State.NO_SERVER)
    except OSError as e:
        reason = f"printer '{status.name}': cannot run lp ({e})"
        log.warning("print failed: %s", reason)
        return PrintResult(False, status.name, reason=reason, state=State.NO_CUPS)
    text = _text(cp)
    m = JOB_ID.search(text)
    if cp.returncode != 0 or not m:
        after = check_printer(status.name)
        reason = f"printer '{status.name}': job refused: {text or 'lp exit ' + str(cp.returncode)}"
        if not after.ready:
            reason = f"{after.describe()} (lp said: {text})"
        log.warning("print failed: %s", reason)
        return PrintResult(False, status.name, reason=reason, state=after.state)
    job = m.group(1)
    after = check_printer(status.name)
    if after.state in (State.DISABLED, State.MISSING, State.NO_SERVER):
        if shutil.which("cancel"):
            _run(["cancel", job])
        reason = f"{after.describe()} right after job {job} was queued; the job was cancelled"
        log.warning("print failed: %s", reason)
        return PrintResult(False, status.name, job, reason, after.state)
    log.info("print job %s accepted by '%s' (%d bytes)", job, status.name, len(pdf))
    return PrintResult(True, status.name, job, state=after.state)


def submit_and_forget(pdf: bytes, printer: str | None, title: str = "kiosk-sheet") -> PrintResult:
    """``submit_pdf``, then remove the job from CUPS once it has printed (on a daemon thread).

    What the kiosk's Print button uses: the sheet names the patient's
    questions, so neither its spool file nor its history may stay behind.
    """
    result = submit_pdf(pdf, printer, title)
    if result.ok:
        from . import cups_jobs  # on the first print: its HTTP client loads OpenSSL (~6 MB)

        cups_jobs.forget_in_background(result.job_id)
    return result


class Outcome(enum.Enum):
    """What the Summary screen shows about printing."""

    READY = "ready"
    PRINTING = "printing"
    DONE = "done"
    FAILED = "failed"
    LIMIT = "limit"
    DEMO = "demo"


# The strings.yaml key for each outcome's sentence (READY shows none).
OUTCOME_KEY = {
    Outcome.PRINTING: "printing",
    Outcome.DONE: "print_done",
    Outcome.FAILED: "print_failed",
    Outcome.LIMIT: "print_limit",
    Outcome.DEMO: "print_demo",
}


class PrintPolicy:
    """Per-session print rules: one job at a time, a cap per session, never in demo.

    Plain Python: the Summary screen asks ``request()`` on a tap and reports
    ``finished(result)``; ``reset()`` runs with the session's privacy reset.
    """

    def __init__(self, max_per_session: int = 2) -> None:
        self.max_per_session = max_per_session
        self.printed = 0
        self.outcome = Outcome.READY
        self.generation = 0  # bumped by reset(): a job's late answer then changes nothing

    @property
    def in_flight(self) -> bool:
        return self.outcome is Outcome.PRINTING

    @property
    def can_print(self) -> bool:
        return not self.in_flight and self.printed < self.max_per_session

    def request(self, demo: bool) -> bool:
        """A tap on Print: True when a job should be started now."""
        if self.in_flight:
            return False
        if demo:
            self.outcome = Outcome.DEMO
            return False
        if self.printed >= self.max_per_session:
            self.outcome = Outcome.LIMIT
            return False
        self.outcome = Outcome.PRINTING
        return True

    def finished(self, result: PrintResult, generation: int | None = None) -> Outcome:
        """A job's answer; ignored when it belongs to a session that was reset."""
        if generation is not None and generation != self.generation:
            return self.outcome
        if result.ok:
            self.printed += 1
            self.outcome = Outcome.DONE
        else:
            self.outcome = Outcome.FAILED
        return self.outcome

    def reset(self) -> None:
        self.printed = 0
        self.outcome = Outcome.READY
        self.generation += 1


def read_logo(config: Config) -> bytes | None:
    path = config.logo_path
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as e:
        log.warning("logo %s cannot be read for the sheet (%s)", path, e.strerror)
        return None
