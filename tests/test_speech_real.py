"""Speech for real: a key press in a real kiosk window is heard on a sound card.

PulseAudio runs with a null sink ("t") in a private XDG_RUNTIME_DIR, and the
test records the sink's monitor with ``parec``. The kiosk itself (``python -m
kiosk --windowed``) runs under Xvfb with that XDG_RUNTIME_DIR, so
the speech-dispatcher it starts plays into that sink. The test presses the
speak key (F5), waits until the engine has finished the Start screen, and
measures the recording with sox: clearly louder than silence, and about as long
as that many words take to say. In English and in Spanish.

Skips with the reason when the speech stack is missing; fails instead under
KIOSK_REQUIRE_REAL=1. Every process it starts (PulseAudio, parec, the kiosk,
speech-dispatcher and its voice modules) is stopped at the end: they are found
by the private XDG_RUNTIME_DIR in their environment.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.deck import load_deck
from kiosk.resources import bundled_content
from kiosk.speech_text import pronunciations_for, screen_text
from tests.realenv import send_keys, skip_or_fail, wait_for_screen, wait_until

PACKAGE_OF = {"pulseaudio": "pulseaudio", "pactl": "pulseaudio-utils", "parec": "pulseaudio-utils",
              "sox": "sox", "speech-dispatcher": "speech-dispatcher"}


def require_speech_stack() -> None:
    for tool, package in PACKAGE_OF.items():
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not installed (apt-get install {package})")
    if ctypes.util.find_library("speechd") is None:
        skip_or_fail("libspeechd is not installed (apt-get install libspeechd2): Qt has no speechd engine")
    if not Path("/usr/lib/speech-dispatcher-modules/sd_espeak-ng").exists():
        skip_or_fail("speech-dispatcher has no espeak-ng voices (apt-get install speech-dispatcher-espeak-ng)")
    if importlib.util.find_spec("PySide6.QtTextToSpeech") is None:
        skip_or_fail("QtTextToSpeech is not installed (pip install PySide6-Addons)")


def _env_of(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def processes_using(runtime: Path) -> list[int]:
    """Processes (other than this one) whose XDG_RUNTIME_DIR is ``runtime``: everything this test started."""
    marker = f"XDG_RUNTIME_DIR={runtime}".encode() + b"\0"
    return [int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and int(p.name) != os.getpid() and marker in _env_of(int(p.name))]


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def stop_all(runtime: Path) -> None:
    """SIGTERM the top processes first (speech-dispatcher stops its own voice modules), then the rest."""
    for round_ in ("parents", "all", "kill"):
        pids = processes_using(runtime)
        if round_ == "parents":
            pids = [p for p in pids if _parent(p) not in pids]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL if round_ == "kill" else signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while pids and time.monotonic() < deadline:
            pids = [p for p in pids if _env_of(p)]
            time.sleep(0.05)


@dataclass
class SoundServer:
    runtime: Path
    env: dict[str, str]

    def record(self, wav: Path) -> subprocess.Popen[bytes]:
        """Start recording what the null sink plays; stop with ``stop_recording``."""
        return subprocess.Popen(["parec", "-d", "t.monitor", "--file-format=wav", str(wav)], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @staticmethod
    def stop_recording(rec: subprocess.Popen[bytes]) -> None:
        rec.send_signal(signal.SIGINT)  # parec finishes the WAV header on SIGINT
        try:
            rec.wait(10)
        except subprocess.TimeoutExpired:
            rec.kill()
            rec.wait()


@pytest.fixture
def sound_server() -> Iterator[SoundServer]:
    """PulseAudio with a null sink "t" as the default output, in a private XDG_RUNTIME_DIR."""
    require_speech_stack()
    runtime = Path(tempfile.mkdtemp(prefix="kiosk-speech-"))  # short: socket paths have a length limit
    runtime.chmod(0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("PULSE_SERVER", None)
    env.pop("SPEECHD_ADDRESS", None)
    try:
        started = subprocess.run(
            ["pulseaudio", "-D", "-n", "--exit-idle-time=-1", "--load=module-null-sink sink_name=t",
             "--load=module-native-protocol-unix"],
            env=env, capture_output=True, text=True, timeout=30)
        if started.returncode != 0:
            skip_or_fail(f"PulseAudio did not start: {started.stderr.strip()[-400:]}")
        done = subprocess.run(["pactl", "set-default-sink", "t"], env=env, capture_output=True, text=True,
                              timeout=15)
        if done.returncode != 0:
            skip_or_fail(f"pactl could not reach the PulseAudio it started: {done.stderr.strip()}")
        yield SoundServer(runtime, env)
    finally:
        stop_all(runtime)
        shutil.rmtree(runtime, ignore_errors=True)


def sox_stat(wav: Path) -> dict[str, float]:
    done = subprocess.run(["sox", str(wav), "-n", "stat"], capture_output=True, text=True, timeout=60)
    figures = {}
    for line in done.stderr.splitlines():
        name, _, value = line.partition(":")
        try:
            figures[" ".join(name.split())] = float(value.strip())
        except ValueError:
            continue
    return figures


def spoken_seconds(wav: Path, out: Path) -> float:
    """Length of the recording with the silence before and after the voice cut off."""
    subprocess.run(["sox", str(wav), str(out), "silence", "1", "0.05", "0.5%", "reverse", "silence", "1", "0.05",
                    "0.5%", "reverse"], check=True, capture_output=True, timeout=60)
    info = subprocess.run(["sox", "--i", "-D", str(out)], capture_output=True, text=True, check=True, timeout=30)
    return float(info.stdout.strip())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_speak_key_reads_the_start_screen_aloud(lang, sound_server, kiosk_process, xvfb_display, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[display]\ntransition_ms = 0\n[log]\nfile = "{tmp_path / "kiosk.log"}"\n')
    proc = kiosk_process.start("--lang", lang, env={"XDG_RUNTIME_DIR": str(sound_server.runtime),
                                                    "KIOSK_CONFIG": str(config), "XDG_STATE_HOME": str(tmp_path)})

    def engine_ready() -> bool:
        text = kiosk_process.log_text(proc)
        if "no speech engine" in text or "the Listen control is hidden" in text:
            raise AssertionError(f"the kiosk found no way to speak:\n{text[-2000:]}")
        return "speech: engine 'speechd' ready" in text

    wait_until(engine_ready, 60, lambda: f"the speech engine did not load:\n{kiosk_process.log_text(proc)[-2000:]}")
    window = wait_for_screen(xvfb_display, "start")
    wav = tmp_path / f"start-{lang}.wav"
    rec = sound_server.record(wav)
    try:
        time.sleep(0.3)  # parec connected before the first word (the test's only wait on time)
        send_keys(xvfb_display, window, "F5")
        wait_until(lambda: "speech: speaking True" in kiosk_process.log_text(proc), 10,
                   lambda: f"F5 did not start speech:\n{kiosk_process.log_text(proc)[-2000:]}")
        wait_until(lambda: "speech: speaking False" in kiosk_process.log_text(proc), 120,
                   lambda: f"speech did not end:\n{kiosk_process.log_text(proc)[-2000:]}")
        time.sleep(0.3)  # the last samples reach the monitor
    finally:
        sound_server.stop_recording(rec)
    stat = sox_stat(wav)
    seconds = spoken_seconds(wav, tmp_path / f"start-{lang}-voice.wav")
    language = load_deck(bundled_content()).language(lang)
    words = len(re.findall(r"\w+", screen_text(language, 0, (), pronunciations_for(language))))
    print(f"{lang}: recorded {stat.get('Length (seconds)')} s, voice {seconds:.1f} s for {words} words, "
          f"RMS {stat.get('RMS amplitude')}, max {stat.get('Maximum amplitude')}")
    assert stat["RMS amplitude"] > 0.01, f"the recording is (nearly) silent: {stat}"
    assert words * 0.15 <= seconds <= words * 1.0, f"{seconds:.1f} s of voice for {words} words"
    assert "speech: speech mode on" in kiosk_process.log_text(proc)
