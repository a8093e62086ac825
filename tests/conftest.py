import os
import shutil
import tempfile

from hypothesis import HealthCheck, settings

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
# Property-based tests (tests/test_fuzz.py). "ci" keeps all of them to a minute or two
# on a shared 2-core runner; "dev" is the default locally; "thorough" is for a long
# hunt by hand: HYPOTHESIS_PROFILE=thorough pytest tests/test_fuzz.py.
# The 2 s deadline is the issue-11 promise: any one file loads or is refused within 2 s.
_common = {"deadline": 2000, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
           "print_blob": True}
settings.register_profile("ci", max_examples=100, derandomize=True, **_common)
settings.register_profile("dev", max_examples=200, **_common)
settings.register_profile("thorough", max_examples=5000, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))
