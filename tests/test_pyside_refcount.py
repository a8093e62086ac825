"""The Qt binding must not leak or drop references on plain calls.

PySide6 6.12.0 under Python 3.11 dropped one reference to None on every call
of a method returning nothing; the kiosk aborted ("deallocating None") after
a few thousand screen changes. pyproject.toml excludes that release; this
test fails loudly if such a binding comes back.
"""

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_keep_the_none_refcount(qtbot):
    label = QLabel("x")
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("y")
        label.update()
    assert abs(sys.getrefcount(None) - before) < 200
