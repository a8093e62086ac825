import os
import shutil
import tempfile

# Widgets in unit tests never need a screen; tests on a real X server get one from
# the xvfb_display fixture (tests/realenv.py), which sets QT_QPA_PLATFORM=xcb itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Tests never see or change the decks installed on this machine (/var/lib/kiosk when run
# as root, ~/.local/state/kiosk otherwise): the state directory (kiosk.paths.state_dir)
# is an empty folder of this run, inherited by every kiosk process a test starts.
_STATE = tempfile.mkdtemp(prefix="kiosk-test-state-")
os.environ["STATE_DIRECTORY"] = _STATE

pytest_plugins = ["tests.realenv"]


def pytest_unconfigure(config):  # noqa: ARG001
    shutil.rmtree(_STATE, ignore_errors=True)
