"""The soak benchmark (benchmarks/soak.py) still walks real visits and reports what it promises.

A handful of visits, offscreen: every ending, the staff panel, the demo, and printing
to the real kiosk-pdf queue when it is there. The long run is ``benchmarks/run.py --soak N``.
"""

from __future__ import annotations

from benchmarks.soak import soak

VISITS = 6


def test_a_short_soak_walks_every_ending_and_reports_what_the_process_holds(qapp):
    report = soak(VISITS, warmup=2, print_every=0, staff_every=4, demo_every=5)

    counts = report["soak_counts"]
    assert report["soak_sessions"] == VISITS
    assert (counts["ended_finished"], counts["ended_idle"], counts["ended_start_over"]) == (2, 2, 2)
    assert counts["ticks"] > 0 and counts["quiz_answers"] > 0
    # staff visits after visits 2 and 6 (one reloads the content), demos after visits 1 and 6,
    # each started and stopped from the staff panel
    assert (counts["staff_panel_opened"], counts["content_reloads"], counts["demo_interludes"]) == (6, 1, 2)
    assert report["soak_print_skipped"] == "printing not asked for (print_every 0)"
    assert report["soak_prints_ok"] == 0
    for name in ("fds", "threads", "qobjects"):
        before, after = report[f"soak_{name}_before"], report[f"soak_{name}_after"]
        assert 0 < before and 0 < after, (name, before, after)
    assert report["soak_qobjects_before"] > 200  # the window's widgets, not just the application
    assert 50 < report["soak_rss_before_mb"] < 1000
    assert abs(report["soak_rss_growth_mb"]) < 50
    assert report["soak_seconds"] > 0


def test_a_short_soak_prints_to_the_real_queue_and_leaves_no_job_history(qapp, cups_queue):
    report = soak(4, warmup=1, print_every=2, printer=cups_queue.name, staff_every=0, demo_every=0)

    assert report["soak_print_skipped"] is None
    assert (report["soak_prints_ok"], report["soak_prints_failed"]) == (2, 0)
    assert report["soak_cups_own_jobs_left"] == 0  # the kiosk purged its jobs: no history, no spool file
    assert report["soak_cups_pending_after"] == 0


def test_a_soak_without_a_printer_says_why_it_did_not_print(qapp):
    report = soak(2, warmup=1, print_every=1, printer="no-such-kiosk-queue", staff_every=0, demo_every=0)

    assert report["soak_prints_ok"] == 0
    assert "no-such-kiosk-queue" in report["soak_print_skipped"] or "CUPS" in report["soak_print_skipped"]
