"""Speech benchmarks (issue 9), called by benchmarks/run.py.

speech_start_ms: the speak key (F5) pressed in the kiosk window to the engine
in state Speaking, p95 of 12 presses after warm-up (each press turns speech mode
on and reads the screen; the next press turns it off). speech_rss_mb: peak RSS
added by the first use of speech (loading QtTextToSpeech, making the speechd
engine, reading the first screen), measured from a window already painted. Also reported, without a
target: speech_warm_up_ms (warm_up() to the engine ready, speech-dispatcher
started in the background first) and speech_warm_up_gui_block_ms (the longest
the event loop was blocked meanwhile: making the engine lists every voice).

Both run in a fresh child process with its own PulseAudio (null sink) in a
private XDG_RUNTIME_DIR, so speech-dispatcher has somewhere to play and the
RSS is the kiosk's alone. None when the speech stack is not installed.
``python benchmarks/speech.py`` prints the figures.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("pulseaudio", "pactl", "speech-dispatcher")
RUNS = 12


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child() -> dict[str, float | None]:
    """In the child: a painted window, then the first use of speech, then timed presses."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.config import Config
    from kiosk.deck import load_deck
    from kiosk.resources import bundled_content
    from kiosk.ui.speech import SpeechController, Status
    from kiosk.ui.window import KioskWindow

    app = QApplication.instance() or QApplication([])
    config = Config().with_values(display={"transition_ms": 0})
    window = KioskWindow(load_deck(bundled_content()), config)
    speech = SpeechController(window.session, window.holder, config.speech, window)
    window.keypad.bind("speak", speech.toggle)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    for _ in range(20):
        app.processEvents()
    window.session.begin()
    app.processEvents()

    gaps = [0.0]

    def wait(check, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
        """Run the event loop until ``check()``; ``gaps`` keeps the longest time one event took."""
        deadline = time.perf_counter() + timeout
        while not check():
            if time.perf_counter() > deadline:
                return False
            started = time.perf_counter()
            app.processEvents()
            gaps[0] = max(gaps[0], time.perf_counter() - started)
            time.sleep(0.0005)
        return True

    # "from a window already painted": what the window does in idle time after its first
    # frame (the neighbours' pages, kinetic scrolling, memory tuning) is not speech's cost
    wait(lambda: window._painted, 10)  # noqa: SLF001
    wait(lambda: False, 0.5)
    rss_before, peak_before = _rss_mb(), _peak_mb()
    warm_started = time.perf_counter()
    speech.warm_up()
    if not wait(lambda: speech.status in (Status.READY, Status.FAILED)) or speech.status is not Status.READY:
        return {"speech_start_ms": None, "speech_rss_mb": None}
    warm_up_ms = (time.perf_counter() - warm_started) * 1000
    blocked_ms = gaps[0] * 1000  # making the engine, in the GUI thread
    speech.toggle()  # the first use: read the screen
    wait(lambda: speech.speaking, 10)
    wait(lambda: False, 1.0)  # a second of speech
    speech.toggle()
    wait(lambda: not speech.speaking, 10)
    peak_after = _peak_mb()
    added = max(peak_after if peak_after > peak_before else 0.0, _rss_mb()) - rss_before

    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_F5)
        if not wait(lambda: speech.speaking, 5):
            return {"speech_start_ms": None, "speech_rss_mb": round(added, 1)}
        times.append((time.perf_counter() - started) * 1000)
        QTest.keyClick(window, Qt.Key.Key_F5)
        wait(lambda: not speech.speaking, 5)
        wait(lambda: False, 0.05)
    times.sort()
    p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)]
    return {"speech_start_ms": round(p95, 1), "speech_rss_mb": round(added, 1),
            "speech_warm_up_ms": round(warm_up_ms), "speech_warm_up_gui_block_ms": round(blocked_ms)}


def _env_of(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def _stop_all(runtime: Path) -> None:
    """Stop every process started with this XDG_RUNTIME_DIR (PulseAudio, speech-dispatcher, its modules)."""
    marker = f"XDG_RUNTIME_DIR={runtime}".encode() + b"\0"
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = [int(p.name) for p in Path("/proc").iterdir()
                if p.name.isdigit() and int(p.name) != os.getpid() and marker in _env_of(int(p.name))]
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while pids and time.monotonic() < deadline:
            pids = [p for p in pids if _env_of(p)]
            time.sleep(0.05)


def figures() -> dict[str, float | None]:
    if any(shutil.which(t) is None for t in TOOLS):
        return {"speech_start_ms": None, "speech_rss_mb": None}
    runtime = Path(tempfile.mkdtemp(prefix="kiosk-bench-speech-"))
    runtime.chmod(0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PULSE_SERVER", None)
    env.pop("SPEECHD_ADDRESS", None)
    try:
        subprocess.run(["pulseaudio", "-D", "-n", "--exit-idle-time=-1", "--load=module-null-sink sink_name=t",
                        "--load=module-native-protocol-unix"], env=env, capture_output=True, timeout=30, check=True)
        subprocess.run(["pactl", "set-default-sink", "t"], env=env, capture_output=True, timeout=15, check=True)
        done = subprocess.run([sys.executable, __file__, "--child"], env=env, capture_output=True, text=True,
                              timeout=300, cwd=ROOT)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            print(f"speech benchmark failed: {done.stderr[-1000:]}", file=sys.stderr)
            return {"speech_start_ms": None, "speech_rss_mb": None}
        return dict(json.loads(lines[-1]))
    except (subprocess.SubprocessError, OSError) as e:
        print(f"speech benchmark could not run: {e}", file=sys.stderr)
        return {"speech_start_ms": None, "speech_rss_mb": None}
    finally:
        _stop_all(runtime)
        shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child()), flush=True)
    else:
        print(json.dumps(figures(), indent=2))
