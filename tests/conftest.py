import os

# Widgets in unit tests never need a screen; tests on a real X server get one from
# the xvfb_display fixture (tests/realenv.py), which sets QT_QPA_PLATFORM=xcb itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.realenv"]
