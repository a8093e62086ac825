"""Forget a finished print job: the kiosk's own copy and history leave CUPS.

CUPS keeps a job's document in its spool (``/var/spool/cups/d<id>-001``) and
its history (``lpstat -W completed``) after printing, by default for a day
and for ever. The sheet names the patient's questions, so once the kiosk's
job has completed, ``forget_job`` waits for it to finish and then sends
``Cancel-Job`` with ``purge-job=true``: that removes both, also for a
completed job (``cancel -x`` refuses completed jobs in CUPS 2.4; checked on
Debian 12). The install also sets ``cupsctl PreserveJobFiles=No
PreserveJobHistory=No`` (docs/install.md), so a job the kiosk could not
purge (a crash, a printer stuck for hours) is not kept either.

The requests are plain IPP over the scheduler's local socket, authenticated
as the user running the kiosk by its peer credentials (what libcups does),
so no extra package is needed. Qt-free; blocking: call from a worker thread.
"""

from __future__ import annotations

import http.client
import logging
import os
import pwd
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

SOCKET = "/run/cups/cups.sock"
CANCEL_JOB, GET_JOB_ATTRIBUTES = 0x0008, 0x0009
TAG_OPERATION, TAG_END = 0x01, 0x03
TAG_INTEGER, TAG_BOOLEAN, TAG_ENUM = 0x21, 0x22, 0x23
TAG_NAME, TAG_KEYWORD, TAG_URI, TAG_CHARSET, TAG_LANGUAGE = 0x42, 0x44, 0x45, 0x47, 0x48
JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = 7, 8, 9
FINISHED = (JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED)
WAIT_S = 600.0  # a job still printing after this is left alone (PreserveJobFiles=No covers it)


class IppError(Exception):
    """CUPS could not be asked, or said no."""


@dataclass(frozen=True)
class Answer:
    status: int
    attributes: dict[str, int | bytes]


def _attr(tag: int, name: str, value: bytes) -> bytes:
    return struct.pack(">BH", tag, len(name)) + name.encode() + struct.pack(">H", len(value)) + value


def _request(op: int, attrs: list[tuple[int, str, bytes]], request_id: int = 1) -> bytes:
    head = struct.pack(">BBHI", 2, 0, op, request_id) + bytes([TAG_OPERATION])
    body = _attr(TAG_CHARSET, "attributes-charset", b"utf-8")
    body += _attr(TAG_LANGUAGE, "attributes-natural-language", b"en")
    body += b"".join(_attr(tag, name, value) for tag, name, value in attrs)
    return head + body + bytes([TAG_END])


def parse_answer(data: bytes) -> Answer:
    """Status code and the first value of each attribute (ints for integer/enum)."""
    if len(data) < 9:
        raise IppError("short IPP answer")
    status = struct.unpack(">H", data[2:4])[0]
    attrs: dict[str, int | bytes] = {}
    i, name = 8, ""
    while i < len(data):
        tag = data[i]
        i += 1
        if tag == TAG_END:
            break
        if tag < 0x10:  # a group delimiter
            continue
        if i + 2 > len(data):
            raise IppError("truncated IPP answer")
        (nlen,) = struct.unpack(">H", data[i:i + 2])
        i += 2
        if nlen:
            name = data[i:i + nlen].decode("utf-8", "replace")
        i += nlen
        (vlen,) = struct.unpack(">H", data[i:i + 2])
        i += 2
        value = data[i:i + vlen]
        i += vlen
        if nlen and name not in attrs:
            attrs[name] = int.from_bytes(value, "big", signed=True) if tag in (TAG_INTEGER, TAG_ENUM) else value
    return Answer(status, attrs)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


def _server_socket() -> str:
    server = os.environ.get("CUPS_SERVER", "")
    return server if server.startswith("/") else SOCKET


def _user() -> str:
    """The name cupsd will find for this process's uid (PeerCred is checked against it)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


def ask(op: int, job_id: int, extra: list[tuple[int, str, bytes]] | None = None, timeout: float = 10.0) -> Answer:
    """One IPP request about ``job_id`` to the local scheduler."""
    user = _user()
    attrs = [(TAG_URI, "job-uri", f"ipp://localhost/jobs/{job_id}".encode()),
             (TAG_NAME, "requesting-user-name", user.encode()), *(extra or [])]
    conn = _UnixConnection(_server_socket(), timeout)
    try:
        conn.request("POST", "/jobs", body=_request(op, attrs),
                     headers={"Content-Type": "application/ipp", "Authorization": f"PeerCred {user}"})
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise IppError(f"CUPS answered HTTP {resp.status}")
    except OSError as e:
        raise IppError(f"cannot reach the CUPS scheduler at {_server_socket()} ({e})") from None
    finally:
        conn.close()
    return parse_answer(data)


def job_state(job_id: int) -> int | None:
    """The job's IPP state (3 pending ... 9 completed), or None when CUPS no longer knows it."""
    answer = ask(GET_JOB_ATTRIBUTES, job_id, [(TAG_KEYWORD, "requested-attributes", b"job-state")])
    if answer.status >= 0x0400:
        return None
    state = answer.attributes.get("job-state")
    return state if isinstance(state, int) else None


def purge(job_id: int) -> bool:
    """Remove the job's files and history from CUPS (also once completed); True on success."""
    answer = ask(CANCEL_JOB, job_id, [(TAG_BOOLEAN, "purge-job", b"\x01")])
    return answer.status < 0x0100


def job_number(job: str) -> int | None:
    """``'kiosk-pdf-12'`` (what ``lp`` prints) -> 12."""
    tail = job.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def forget_job(job: str, *, wait_s: float = WAIT_S, clock: Callable[[], float] = time.monotonic,
               sleep: Callable[[float], None] = time.sleep, poll_s: float = 0.5) -> bool:
    """Wait for ``job`` to finish, then purge it; True when nothing of it is left in CUPS.

    Logs (job id only, never content) and returns False when it could not.
    """
    number = job_number(job)
    if number is None:
        log.warning("cannot purge print job %r: no job number", job[:40])
        return False
    deadline = clock() + wait_s
    try:
        while True:
            state = job_state(number)
            if state is None:
                return True  # already gone
            if state in FINISHED:
                break
            if clock() >= deadline:
                log.warning("print job %s still not finished after %.0f s; left to CUPS (PreserveJobFiles=No "
                            "removes it when it ends)", job, wait_s)
                return False
            sleep(poll_s)
        if purge(number):
            log.info("print job %s finished and purged from CUPS", job)
            return True
        log.warning("CUPS refused to purge print job %s", job)
        return False
    except IppError as e:
        log.warning("cannot purge print job %s: %s", job, e)
        return False


def forget_in_background(job: str) -> threading.Thread:
    """``forget_job`` on a daemon thread (never delays the kiosk's exit)."""

    def run() -> None:
        try:
            forget_job(job)
        except Exception:  # a background helper must never raise into nowhere
            log.exception("purging print job %s failed", job)

    thread = threading.Thread(target=run, name=f"forget-{job[:30]}", daemon=True)
    thread.start()
    return thread
