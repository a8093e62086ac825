"""Keep a kiosk that runs for months from holding memory it no longer uses (glibc only).

A visit allocates a few large, short-lived buffers: the sheet preview's page images
(~5 MB each), the printed PDF, pictures drawn at the panel's size. glibc serves the
first such buffer from its own mapping and returns it to the system when freed, but
then raises its threshold ("dynamic mmap threshold"), so later ones come from the heap,
where a small allocation made meanwhile pins them: the process keeps the pages. The
soak saw this as RSS climbing in steps of ~10 MB over thousands of visits.

``tune()`` fixes the threshold (large buffers always get their own mapping and always
go back); ``trim()`` hands the heap's free pages back to the system, for idle time after
a visit ends. Both do nothing where the C library is not glibc.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1  # glibc's mallopt() parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 256 * 1024  # buffers this large and larger are mapped on their own
TRIM_THRESHOLD = 1024 * 1024

_libc = None
_tried = False


def _glibc():  # type: ignore[no-untyped-def]
    global _libc, _tried
    if not _tried:
        _tried = True
        import ctypes  # imported here: ~3 ms, never before the first frame

        try:
            lib = ctypes.CDLL("libc.so.6")  # glibc's name on every Linux that has it
            lib.mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
            lib.malloc_trim.argtypes = (ctypes.c_size_t,)
            _libc = lib
        except (OSError, AttributeError):
            log.info("memory: not glibc; large buffers and freed memory are left to the C library")
    return _libc


def tune() -> bool:
    """Fix glibc's thresholds for this process (True when it could)."""
    lib = _glibc()
    if lib is None:
        return False
    return bool(lib.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(lib.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def trim() -> bool:
    """Give the heap's free pages back to the system (True when some were)."""
    lib = _glibc()
    return bool(lib.malloc_trim(0)) if lib is not None else False
