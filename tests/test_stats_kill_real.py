"""A real kiosk killed with SIGKILL while it records visits leaves a sound database.

The kiosk runs on Xvfb with its usage database in tmp; real key presses make
visits (begin, next, Start over), and the process is killed at once after one
more visit has ended, while the stats worker may be writing it. SQLite's
integrity check must pass, and every visit the kiosk had finished except at
most the one in flight at each kill is counted.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

from .realenv import KioskProcesses, send_keys, wait_for_screen


def visits(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(con.execute("SELECT coalesce(sum(visits_started), 0) FROM days").fetchone()[0])
    finally:
        con.close()


def test_sigkill_while_recording_a_visit_leaves_a_sound_database(kiosk_process: KioskProcesses, xvfb_display,
                                                                   tmp_path):
    db = tmp_path / "usage.sqlite3"
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[display]\ntransition_ms = 0\n[speech]\nenabled = false\n[stats]\ndatabase = "{db}"\n'
                   f'[log]\nfile = "{tmp_path / "kiosk.log"}"\n')
    env = {"KIOSK_CONFIG": str(cfg), "XDG_STATE_HOME": str(tmp_path)}
    finished = 0
    for round_ in range(3):
        proc = kiosk_process.start(env=env)
        win = wait_for_screen(xvfb_display, "start", timeout=30)
        for _ in range(2):
            send_keys(xvfb_display, win, "space")  # begin
            wait_for_screen(xvfb_display, "mri-risk", timeout=10)
            send_keys(xvfb_display, win, "Right", "Home", "Tab", "Return")  # Start over: "Yes"
            wait_for_screen(xvfb_display, "start", timeout=10)
            finished += 1
        os.kill(proc.pid, signal.SIGKILL)  # the last visit may be in the worker's transaction
        proc.wait(10)
        counted = visits(db)
        assert finished - (round_ + 1) <= counted <= finished, (counted, finished)  # at most one lost a kill
