"""Idle-time work waits for a frame, and does not wait for ever for one that never comes."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.ui.afterpaint import AfterPaint


def test_the_work_runs_after_the_widget_paints_not_before(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    ran: list[bool] = []
    after = AfterPaint(lambda: ran.append(w.isVisible()), w, fallback_ms=60_000)
    after.watch(w)
    assert ran == []
    w.resize(200, 100)
    w.show()
    qtbot.waitUntil(lambda: ran == [True])
    w.update()
    qtbot.wait(100)
    assert ran == [True]  # once per watch


def test_a_widget_that_never_paints_still_gets_its_work_done(qtbot):
    hidden = QWidget()  # never shown: no paint will come (a kiosk blanked outside opening hours)
    qtbot.addWidget(hidden)
    ran: list[int] = []
    after = AfterPaint(lambda: ran.append(1), hidden, fallback_ms=20)
    after.watch(hidden)
    qtbot.waitUntil(lambda: ran == [1])


def test_cancel_drops_the_work(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    ran: list[int] = []
    after = AfterPaint(lambda: ran.append(1), w, fallback_ms=20)
    after.watch(w)
    after.cancel()
    qtbot.wait(120)
    assert ran == []
