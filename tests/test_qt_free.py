"""The pure core imports no Qt (printing.py claimed it and did not, issue 8)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE = ["printing", "cups_jobs", "deck", "strings", "limits", "images", "render", "sheet", "check", "pin",
        "parity", "config"]


@pytest.mark.parametrize("module", PURE)
def test_pure_module_imports_no_qt(module):
    code = f"import sys, kiosk.{module}; print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_printing_has_no_qt_left_in_it():
    from kiosk import printing

    assert not hasattr(printing, "print_test_page")  # moved to kiosk.ui.staff_print
    assert not hasattr(printing, "default_printer")  # dead
