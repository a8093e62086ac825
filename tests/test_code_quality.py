"""The tool settings in pyproject.toml hold: ruff is clean and the pure core type-checks."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    done = run("ruff", "check", "kiosk", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_passes_on_the_pure_core():
    done = run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr
