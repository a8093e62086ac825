"""What the kiosk process holds, for the soak (benchmarks/soak.py): memory, open file
descriptors, threads, live QObjects and their Python wrappers, and the CUPS job history.

All read from /proc or Qt without changing what they count.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) - 1  # less the descriptor listdir itself opened


def threads() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


def qobjects() -> int:
    """QObjects reachable from the application: the QApplication, the top-level widgets
    and all their descendants. A widget or helper left behind by a visit shows up here.

    Walked with ``children()``: ``findChildren`` would tie a Python wrapper of every
    internal Qt object to the object searched (PySide6 6.11), and those wrappers then
    outlive the objects, so the count would itself leak."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return 0
    count, todo = 0, [app, *QApplication.topLevelWidgets()]
    while todo:
        obj = todo.pop()
        count += 1
        todo.extend(obj.children())
    return count


def py_qobjects() -> int:
    """Python wrappers of QObjects still alive (a wrapper kept by a stray reference)."""
    from PySide6.QtCore import QObject

    return sum(1 for o in gc.get_objects() if isinstance(o, QObject))


def _jobs(queue: str, which: str) -> list[str] | None:
    """The ids ``lpstat -W which -o queue`` lists (``kiosk-pdf-12``; None without CUPS)."""
    if shutil.which("lpstat") is None:
        return None
    try:
        out = subprocess.run(["lpstat", "-W", which, "-o", queue], capture_output=True, text=True,
                             timeout=30, env={**os.environ, "LC_ALL": "C"}).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return [line.split()[0] for line in out.splitlines() if line.startswith(f"{queue}-")]


def cups_jobs(queue: str, which: str) -> int | None:
    """How many jobs ``lpstat -W which -o queue`` lists (None without CUPS)."""
    jobs = _jobs(queue, which)
    return None if jobs is None else len(jobs)


def cups_job_ids(queue: str) -> set[str] | None:
    """The jobs CUPS still knows on ``queue``, finished or not (None without CUPS)."""
    done, pending = _jobs(queue, "completed"), _jobs(queue, "not-completed")
    return None if done is None or pending is None else {*done, *pending}
