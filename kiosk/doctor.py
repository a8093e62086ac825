"""``kiosk doctor``: one command that tells the installer what is wrong and how to fix it.

Every check looks at the real thing (the display through Qt in a child process, CUPS
through ``lpstat``/``cupsctl``, speech through ``spd-say -L``, sound through ``pactl``)
and gives one line::

    OK    printer front-desk: idle, enabled, accepting jobs
    FAIL  printer front-desk: not accepting jobs — fix: sudo cupsaccept front-desk

The exit status is 1 when any line says FAIL. Run it as the kiosk user on the kiosk
(``sudo runuser -u kiosk -- kiosk doctor``), so permissions are the kiosk's.

The checks that need Qt (display, fonts) run ``python -m kiosk.ui.doctor_checks`` in a
child process: Qt ends the whole process when it cannot open a display, and a doctor
must outlive that to report it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

SPEECH_PACKAGES = "speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libspeechd2"
AUDIO_PACKAGES = "pulseaudio pulseaudio-utils"
SYSTEM_UNIT = Path("/etc/systemd/system/cage-kiosk.service")
COMMAND_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Finding:
    """One line of the report: what was checked, and the command that fixes a failure."""

    ok: bool
    what: str
    fix: str = ""

    def line(self) -> str:
        if self.ok:
            return f"OK    {self.what}"
        return f"FAIL  {self.what}" + (f" — fix: {self.fix}" if self.fix else "")


def _run(cmd: Sequence[str], timeout: float = COMMAND_TIMEOUT_S, env: dict[str, str] | None = None) -> tuple[int, str]:
    """(exit status, stdout + stderr); 127 when the program is missing, 124 on timeout."""
    try:
        result = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, env=env)
    except FileNotFoundError:
        return 127, f"{cmd[0]}: not installed"
    except subprocess.TimeoutExpired:
        return 124, f"{cmd[0]}: no answer within {timeout:.0f} s"
    return result.returncode, (result.stdout + result.stderr).strip()


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no output"


# --- display and fonts (Qt, in a child process) -----------------------------------------------


def _qt_child(what: str, env: dict[str, str]) -> tuple[dict[str, Any] | None, str]:
    code, out = _run([sys.executable, "-m", "kiosk.ui.doctor_checks", what], timeout=60, env=env)
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line), out
            except ValueError:
                break
    return None, out if code else "no answer"


def check_display(env: dict[str, str] | None = None) -> Finding:
    env = dict(os.environ if env is None else env)
    platform = env.get("QT_QPA_PLATFORM", "")
    if not (platform or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return Finding(
            False,
            "display: no DISPLAY or WAYLAND_DISPLAY here (the kiosk runs under cage on tty1)",
            "systemctl status cage-kiosk.service, or run kiosk doctor inside the kiosk's session",
        )
    result, out = _qt_child("display", env)
    if result is None:
        return Finding(
            False,
            f"display: Qt could not open it (QT_QPA_PLATFORM={platform or 'default'}): {_last_line(out)}",
            "check the DISPLAY/WAYLAND_DISPLAY the kiosk uses and the Qt libraries (scripts/kiosk --version)",
        )
    return Finding(True, f"display: {result['platform']} screen {result['width']}x{result['height']}")


def check_fonts(env: dict[str, str] | None = None) -> Finding:
    env = {**(os.environ if env is None else env), "QT_QPA_PLATFORM": "offscreen"}
    result, out = _qt_child("fonts", env)
    if result is None:
        return Finding(False, f"fonts: could not be checked: {_last_line(out)}", "reinstall the kiosk's wheel")
    if not result["exact"]:
        return Finding(
            False,
            f"fonts: the bundled family {result['family']!r} did not load; Qt falls back to {result['resolved']!r}",
            "reinstall the kiosk's wheel (it carries the fonts) and apt-get install fontconfig",
        )
    return Finding(True, f"fonts: {result['family']} ({result['files']} bundled files)")


# --- deck and config -------------------------------------------------------------------------


def check_deck_dir(content_dir: Path) -> Finding:
    from .check import check_deck

    problems = check_deck(content_dir)
    if problems:
        return Finding(
            False,
            f"deck {content_dir}: {len(problems)} problem(s), first: {problems[0]}",
            f"kiosk check {content_dir} (then kiosk deck install a corrected deck)",
        )
    return Finding(True, f"deck {content_dir}: checked, no problems")


def check_config(problems: Sequence[str], where: str) -> Finding:
    if problems:
        return Finding(
            False,
            f"config {where}: {problems[0]}" + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""),
            f"kiosk check --config {where}, then edit the file",
        )
    return Finding(True, f"config {where}: valid")


# --- printer ---------------------------------------------------------------------------------


def check_printer(name: str) -> list[Finding]:
    if shutil.which("lpstat") is None:
        return [Finding(False, "printer: the CUPS client is not installed", "sudo apt-get install cups cups-client")]
    # With the scheduler down every queue looks missing; say what is really wrong
    _, out = _run(["lpstat", "-r"])
    if "not running" in out:
        return [Finding(False, "printer: the CUPS scheduler is not running (nothing can print)",
                        "sudo systemctl enable --now cups")]
    if not name:
        code, out = _run(["lpstat", "-d"])
        match = re.search(r"system default destination:\s*(\S+)", out)
        if not match:
            return [
                Finding(
                    False,
                    "printer: none configured and no CUPS default",
                    "set [print] printer in kiosk.toml, or sudo lpoptions -d QUEUE",
                )
            ]
        name = match[1]
    code, out = _run(["lpstat", "-p", name])
    if code != 0:
        return [
            Finding(
                False,
                f"printer {name}: no such CUPS queue",
                f"sudo lpadmin -p {name} -E -v ipp://PRINTER-ADDRESS/ipp/print -m everywhere",
            )
        ]
    findings = []
    if "disabled" in out:
        findings.append(Finding(False, f"printer {name}: stopped ({_last_line(out)})", f"sudo cupsenable {name}"))
    else:
        state = "printing" if "now printing" in out else "idle"
        findings.append(Finding(True, f"printer {name}: {state}, enabled"))
    code, out = _run(["lpstat", "-a", name])
    if code != 0 or "not accepting" in out:
        findings.append(Finding(False, f"printer {name}: not accepting jobs", f"sudo cupsaccept {name}"))
    else:
        findings.append(Finding(True, f"printer {name}: accepting jobs"))
    return findings


_NO = {"no", "off", "false", "0"}


def check_print_privacy() -> Finding:
    """CUPS must keep neither the printed files nor the job history (a patient's sheet)."""
    fix = "sudo cupsctl PreserveJobFiles=No PreserveJobHistory=No"
    code, out = _run(["cupsctl"])
    if code != 0:
        return Finding(False, f"print privacy: cupsctl failed: {_last_line(out)}", "sudo systemctl start cups")
    settings = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    keeping = [key for key in ("PreserveJobFiles", "PreserveJobHistory") if settings.get(key, "Yes").lower() not in _NO]
    if keeping:
        return Finding(False, f"print privacy: CUPS keeps {' and '.join(keeping)} (printed sheets stay on disk)", fix)
    return Finding(True, "print privacy: CUPS keeps no job files and no job history")


# --- speech and sound ------------------------------------------------------------------------


def voices(listing: str) -> list[str]:
    """Language codes from ``spd-say -L`` (columns NAME LANGUAGE VARIANT), lower case."""
    codes = []
    for line in listing.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2:
            codes.append(parts[-2].lower())
    return codes


def check_speech(languages: Iterable[str]) -> list[Finding]:
    if shutil.which("spd-say") is None:
        return [
            Finding(
                False,
                "speech: speech-dispatcher is not installed (read-aloud is hidden)",
                f"sudo apt-get install {SPEECH_PACKAGES}",
            )
        ]
    code, out = _run(["spd-say", "-L"])
    codes = voices(out) if code == 0 else []
    if not codes:
        return [
            Finding(
                False,
                f"speech: speech-dispatcher lists no voices ({_last_line(out)})",
                "sudo apt-get install speech-dispatcher-espeak-ng espeak-ng",
            )
        ]
    findings = [Finding(True, f"speech: speech-dispatcher with voices in {len(set(codes))} languages")]
    for lang in languages:
        lang = lang.lower()
        if any(c == lang or c.startswith(lang + "-") or c.startswith(lang + "_") for c in codes):
            findings.append(Finding(True, f"speech: a voice for {lang}"))
        else:
            findings.append(Finding(False, f"speech: no voice for {lang}", "sudo apt-get install espeak-ng-data"))
    return findings


def check_audio() -> Finding:
    if shutil.which("pactl") is None:
        return Finding(
            False, "audio: pactl not found (no sound server tools)", f"sudo apt-get install {AUDIO_PACKAGES}"
        )
    code, out = _run(["pactl", "info"], timeout=10)
    if code != 0:
        return Finding(
            False, f"audio: no sound server answers ({_last_line(out)})", "pulseaudio --start (as the kiosk user)"
        )
    sink = re.search(r"Default Sink:\s*(\S+)", out)
    if not sink or sink[1] in ("", "(null)"):
        return Finding(
            False, "audio: the sound server has no output", "pactl list short sinks, then pactl set-default-sink NAME"
        )
    return Finding(True, f"audio: default output {sink[1]}")


# --- metrics and watchdog --------------------------------------------------------------------


def check_metrics(path: Path | None) -> Finding:
    if path is None:
        return Finding(True, "metrics: off (set [metrics] textfile to watch this kiosk from Prometheus)")
    folder = path.parent
    if not folder.is_dir():
        return Finding(
            False, f"metrics {path}: the folder does not exist", f"sudo install -d -o kiosk -m 0755 {folder}"
        )
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Finding(False, f"metrics {path}: cannot write there ({exc.strerror})", f"sudo chown kiosk {folder}")
    return Finding(True, f"metrics {path}: writable")


def _unit_watchdog(text: str) -> str | None:
    match = re.search(r"^\s*WatchdogSec\s*=\s*(\S+)", text, re.M)
    notify = re.search(r"^\s*Type\s*=\s*notify\s*$", text, re.M)
    return match[1] if match and notify and match[1] not in ("0", "infinity") else None


def check_watchdog(unit_files: Sequence[Path] = (SYSTEM_UNIT,)) -> Finding:
    fix = "sudo install -m 0644 assets/service/cage-kiosk.service /etc/systemd/system/ && sudo systemctl daemon-reload"
    if Path("/run/systemd/system").is_dir() and unit_files and unit_files[0] == SYSTEM_UNIT:
        code, out = _run(["systemctl", "show", "-p", "WatchdogUSec", "--value", SYSTEM_UNIT.name])
        if code == 0 and out.strip() not in ("", "0", "infinity"):
            return Finding(True, f"watchdog: {SYSTEM_UNIT.name} WatchdogSec={out.strip()}")
    for unit in unit_files:
        if unit.is_file():
            value = _unit_watchdog(unit.read_text(errors="replace"))
            if value:
                return Finding(True, f"watchdog: {unit} Type=notify, WatchdogSec={value}")
            return Finding(False, f"watchdog: {unit} has no Type=notify with WatchdogSec=", fix)
    return Finding(False, f"watchdog: no kiosk unit installed ({', '.join(map(str, unit_files))})", fix)


# --- the command -----------------------------------------------------------------------------


def diagnose(
    *,
    content_dir: Path,
    languages: Sequence[str],
    printer: str,
    metrics_path: Path | None,
    config_problems: Sequence[str] = (),
    config_where: str = "kiosk.toml",
    unit_files: Sequence[Path] = (SYSTEM_UNIT,),
    env: dict[str, str] | None = None,
) -> list[Finding]:
    """Every check, in the order an installer fixes things."""
    findings = [check_display(env), check_fonts(env), check_config(config_problems, config_where)]
    findings.append(check_deck_dir(content_dir))
    findings += check_printer(printer)
    findings.append(check_print_privacy())
    findings += check_speech(languages)
    findings.append(check_audio())
    findings.append(check_metrics(metrics_path))
    findings.append(check_watchdog(unit_files))
    return findings


def report(findings: Sequence[Finding], out: TextIO) -> int:
    for finding in findings:
        print(finding.line(), file=out)
    failed = sum(not f.ok for f in findings)
    print(f"{failed} problem(s)" if failed else "all checks passed", file=out)
    return 1 if failed else 0


def deck_languages(content_dir: Path) -> list[str]:
    """Language folders of a deck (``en``, ``es``): the voices speech needs."""
    if not content_dir.is_dir():
        return []
    return sorted(p.name for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "doctor", help="check this kiosk's display, fonts, deck, printer, speech, sound, metrics and watchdog"
    )
    parser.add_argument("--printer", help="CUPS queue to check (default: [print] printer, else the CUPS default)")
    parser.add_argument("--metrics", type=Path, help="metrics file to check (default: [metrics] textfile)")
    parser.add_argument("--unit", type=Path, action="append", help="systemd unit file to check for the watchdog")
    return parser


def _setting(config: Any, dotted: str, default: Any) -> Any:
    """A config value through the Config object's public ``get``, else its attributes."""
    getter = getattr(config, "get", None)
    if callable(getter):
        try:
            value = getter(dotted)
        except (KeyError, AttributeError):
            value = None
        return default if value is None else value
    node = config
    for part in dotted.split("."):
        node = getattr(node, part, None)
        if node is None:
            return default
    return node


def run(
    args: argparse.Namespace,
    *,
    config: Any,
    deck_dir: Path,
    config_problems: Sequence[str] = (),
    config_where: str = "kiosk.toml",
    out: TextIO | None = None,
) -> int:
    printer = args.printer if getattr(args, "printer", None) is not None else _setting(config, "print.printer", "")
    metrics = getattr(args, "metrics", None) or _setting(config, "metrics.textfile", "")
    findings = diagnose(
        content_dir=Path(deck_dir),
        languages=deck_languages(Path(deck_dir)),
        printer=str(printer or ""),
        metrics_path=Path(metrics) if metrics else None,
        config_problems=config_problems,
        config_where=config_where,
        unit_files=tuple(getattr(args, "unit", None) or (SYSTEM_UNIT,)),
    )
    return report(findings, out or sys.stdout)
