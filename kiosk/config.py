"""Kiosk configuration: declaration, validation, typed read-only access.

``kiosk.toml`` is read with the standard library. Every table is a frozen
dataclass below and every key is declared once, as a field with its default,
what a person should write and its limits; validation walks those fields, so
a bad value gets a message saying what was expected and an unknown key gets a
"did you mean" hint. Zero config works: every key has a default.

Code reads settings as attributes (``config.session.idle_timeout_s``) and
never changes them: a tool that needs another value builds a new ``Config``
with ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import deckstore, paths
from .resources import assets_dir, bundled_content
from .schedule import DAYS, ScheduleError, parse_day

BUNDLED_CONTENT = bundled_content()  # the deck shipped with the kiosk (package data in a wheel)
ASSETS = assets_dir()

# QTimer takes a signed 32-bit count of milliseconds: no timer may exceed it.
QT_TIMER_MAX_S = (2**31 - 1) / 1000


class ConfigError(ValueError):
    """A config file that cannot be used. ``str()`` is the message for staff."""


def setting(default: Any, expected: str, check: Callable[[Any], bool] | None = None,
            lo: float | None = None, hi: float | None = None) -> Any:
    """Declare one key: its default, what to write, and its limits."""
    return field(default=default, metadata={"expected": expected, "check": check, "lo": lo, "hi": hi})


def table(cls: type) -> Any:
    return field(default_factory=cls, metadata={"table": True})


def _pin_hash_shape(v: str) -> bool:
    if v == "":
        return True
    from .pin import hash_problem  # only when a PIN is set: start-up stays light

    return hash_problem(v) is None


def _qr_ok(v: str) -> bool:
    if v == "":
        return True
    from .sheet import qr_url_problem  # only when a QR code is configured

    return v.startswith(("https://", "http://")) and qr_url_problem(v) is None


def _schedule_day(v: str) -> bool:
    try:
        parse_day("day", v)
    except ScheduleError:
        return False
    return True


def _key_text(v: str) -> bool:
    return 0 < len(v) <= 40 and v.isprintable()


@dataclass(frozen=True)
class Display:
    transition_ms: int = setting(160, "a whole number of milliseconds from 0 to 250", lo=0, hi=250)
    fullscreen: bool = setting(True, "true or false")
    contrast: str = setting("normal", "'normal' or 'high'", lambda v: v in ("normal", "high"))
    panel_diagonal_in: float = setting(
        0, "the panel's diagonal in inches, from 5 to 100 (0: ask the screen)",
        lambda v: v == 0 or 5 <= v <= 100)


@dataclass(frozen=True)
class SessionSettings:
    # 1 s is allowed so tests and demos can see a reset quickly; use 60 or more on a kiosk
    idle_timeout_s: float = setting(90, "a number of seconds from 1 to 3600 (90 on a kiosk)", lo=1, hi=3600)
    idle_warning_s: float = setting(20, "a number of seconds from 1 to 300 (WCAG asks for 20)", lo=1, hi=300)
    hide_cursor: bool = setting(True, "true or false")


@dataclass(frozen=True)
class Demo:
    seconds_per_screen: float = setting(8, "a number of seconds from 1 to 600", lo=1, hi=600)


@dataclass(frozen=True)
class Print:
    printer: str = setting("", "a CUPS printer name (empty: the system default)")
    paper: str = setting("letter", "'letter' or 'a4'", lambda v: v.lower() in ("letter", "a4"))
    max_per_session: int = setting(2, "a whole number from 0 to 20", lo=0, hi=20)
    qr_url: str = setting("", "a web address starting with https://, at most 213 characters so it prints "
                          "as a scannable code (or empty)", _qr_ok)


@dataclass(frozen=True)
class Staff:
    pin_hash: str = setting("", "a hash written by 'kiosk set-pin' (pbkdf2_sha256$…, 100,000 to 2,000,000 "
                            "iterations)", _pin_hash_shape)
    hold_seconds: float = setting(3, "a number of seconds from 1 to 30", lo=1, hi=30)


@dataclass(frozen=True)
class Log:
    file: str = setting("", "a path to the log file (empty: the default)")


@dataclass(frozen=True)
class Check:
    """Plain-language limits used by 'kiosk check' (see kiosk/plain_language.py)."""

    max_words: int = setting(140, "a whole number of words from 1 to 2000", lo=1, hi=2000)
    en_max_grade: float = setting(7, "a Flesch-Kincaid grade from 1 to 20", lo=1, hi=20)
    en_max_average_grade: float = setting(6, "a Flesch-Kincaid grade from 1 to 20", lo=1, hi=20)
    es_min_score: float = setting(65, "a Fernández-Huerta score from 0 to 100", lo=0, hi=100)
    es_min_average: float = setting(70, "a Fernández-Huerta score from 0 to 100", lo=0, hi=100)


@dataclass(frozen=True)
class Speech:
    enabled: bool = setting(True, "true or false")
    rate: float = setting(0.0, "a number from -1 (slow) to 1 (fast), 0 is normal", lo=-1, hi=1)
    volume: float = setting(0.6, "a number from 0.1 (quiet) to 1 (loudest), 0.6 is moderate", lo=0.1, hi=1)
    # voice names as the engine lists them; per language the first one it has is used
    voices: str = setting("English (America), Spanish (Latin America)",
                          "voice names separated by commas, like 'English (America), Spanish (Spain)' "
                          "(empty: the engine's first voice for the language)",
                          lambda v: len(v) <= 400 and v.isprintable())


@dataclass(frozen=True)
class Keypad:
    """Key names in Qt's key-sequence text ("Right", "F9", "Ctrl+L"); see docs/install.md."""

    next: str = setting("Right", "a key name such as 'Right' or 'F9'", _key_text)
    back: str = setting("Left", "a key name such as 'Left'", _key_text)
    up: str = setting("Up", "a key name such as 'Up'", _key_text)
    down: str = setting("Down", "a key name such as 'Down'", _key_text)
    activate: str = setting("Return", "a key name such as 'Return'", _key_text)
    speak: str = setting("F5", "a key name such as 'F5'", _key_text)
    text_smaller: str = setting("F6", "a key name such as 'F6'", _key_text)
    text_larger: str = setting("F7", "a key name such as 'F7'", _key_text)
    contrast: str = setting("F8", "a key name such as 'F8'", _key_text)
    start_over: str = setting("Home", "a key name such as 'Home'", _key_text)


@dataclass(frozen=True)
class Stats:
    enabled: bool = setting(True, "true or false")
    database: str = setting("", "a path to the usage database (empty: usage.sqlite3 in the state folder)")
    keep_days: int = setting(400, "a whole number of days from 1 to 3650", lo=1, hi=3650)


@dataclass(frozen=True)
class Metrics:
    textfile: str = setting("", "a path for node_exporter's textfile collector, ending in .prom (empty: off)",
                            lambda v: v == "" or v.endswith(".prom"))


_DAY = "opening hours like \"08:00-18:00\" or \"08:00-12:00, 13:00-17:00\", or \"closed\""


@dataclass(frozen=True)
class Schedule:
    """Opening hours; outside them the screen is black until a touch. No day set: always open."""

    mon: str = setting("", _DAY, _schedule_day)
    tue: str = setting("", _DAY, _schedule_day)
    wed: str = setting("", _DAY, _schedule_day)
    thu: str = setting("", _DAY, _schedule_day)
    fri: str = setting("", _DAY, _schedule_day)
    sat: str = setting("", _DAY, _schedule_day)
    sun: str = setting("", _DAY, _schedule_day)
    wake_minutes: int = setting(5, "whole minutes from 1 to 240 a touch keeps the screen on", lo=1, hi=240)

    def table(self) -> dict[str, object]:
        """For ``kiosk.schedule.Schedule.from_table``: empty when no day is set (always open);
        once one day is set, a day left empty is closed."""
        days = {d: getattr(self, d) for d in DAYS if getattr(self, d)}
        return {**days, "wake_minutes": self.wake_minutes} if days else {}


@dataclass(frozen=True)
class Config:
    clinic_name: str = setting("", "a text, the clinic's name shown on the Start screen",
                               lambda v: len(v) <= 120)
    logo: str = setting("", "a path to a PNG or SVG file")
    content: str = setting("", "a path to a deck folder (with en/, es/ …)")
    default_language: str = setting("en", "a language code with a folder in the deck, like 'en'",
                                    lambda v: 0 < len(v) <= 16)
    display: Display = table(Display)
    session: SessionSettings = table(SessionSettings)
    demo: Demo = table(Demo)
    print: Print = table(Print)
    staff: Staff = table(Staff)
    log: Log = table(Log)
    check: Check = table(Check)
    speech: Speech = table(Speech)
    keypad: Keypad = table(Keypad)
    stats: Stats = table(Stats)
    metrics: Metrics = table(Metrics)
    schedule: Schedule = table(Schedule)
    # not from the file: where it came from, and what the lenient load replaced by defaults
    path: Path | None = field(default=None, metadata={"internal": True})
    problems: tuple[str, ...] = field(default=(), metadata={"internal": True})

    @property
    def content_dir(self) -> Path:
        """What the kiosk shows: config ``content``, else the deck installed with
        ``kiosk deck install``, else the bundled deck (``--content`` comes first, in the CLI)."""
        configured = self._resolve(self.content) if self.content else None
        return deckstore.resolve_content(None, configured, paths.state_dir(), BUNDLED_CONTENT)

    @property
    def logo_path(self) -> Path | None:
        return self._resolve(self.logo) if self.logo else None

    @property
    def log_file(self) -> Path | None:
        """``[log] file``; else ``<state dir>/kiosk.log``; None under systemd (journald keeps the log)."""
        return paths.log_file(self._resolve(self.log.file) if self.log.file else None)

    @property
    def stats_database(self) -> Path:
        return self._resolve(self.stats.database) if self.stats.database else paths.state_dir() / "usage.sqlite3"

    @property
    def state_dir(self) -> Path:
        return paths.state_dir()

    def _resolve(self, raw: str) -> Path:
        p = Path(raw).expanduser()
        if not p.is_absolute() and self.path is not None:
            p = self.path.parent / p
        return p

    def with_values(self, **changes: Any) -> Config:
        """A copy with some values changed: ``with_values(display={"transition_ms": 0})``."""
        out: dict[str, Any] = {}
        for name, value in changes.items():
            current = getattr(self, name)
            out[name] = dataclasses.replace(current, **value) if isinstance(value, dict) else value
        return dataclasses.replace(self, **out)


def _fields(cls: type) -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}


def defaults() -> Config:
    return Config()


def _short(value: Any) -> str:
    """A value as the author wrote it, never longer than a line."""
    text = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_ok(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and math.isfinite(value)
    return isinstance(value, type(default))


def _value_ok(f: dataclasses.Field[Any], value: Any) -> bool:
    if not _type_ok(f.default, value):
        return False
    lo, hi, check = f.metadata.get("lo"), f.metadata.get("hi"), f.metadata.get("check")
    if lo is not None and value < lo:
        return False
    if hi is not None and value > hi:
        return False
    return check is None or bool(check(value))


def _hint(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known keys: " + ", ".join(sorted(choices))


def validate(raw: dict[str, Any], where: str = "config", problems: list[str] | None = None) -> Config:
    """Check ``raw`` (parsed TOML) and return a Config, or raise ConfigError.

    With a ``problems`` list, collect the messages there instead of raising and
    keep the default for every bad key (the running kiosk uses what is good).
    """
    lenient = problems is not None
    found: list[str] = problems if problems is not None else []

    def build(cls: type, node: dict[str, Any], prefix: str) -> Any:
        fields = _fields(cls)
        kwargs: dict[str, Any] = {}
        for name, value in node.items():
            dotted = f"{prefix}{name}"
            f = fields.get(name)
            if f is None:
                found.append(f"{where}: {_clip(dotted)}: unknown key, {_hint(str(name), list(fields))}")
            elif f.metadata.get("table"):
                if not isinstance(value, dict):
                    found.append(f"{where}: {dotted}: should be a table [{dotted}]")
                else:
                    kwargs[name] = build(f.default_factory, value, dotted + ".")  # type: ignore[arg-type]
            elif not _value_ok(f, value):
                found.append(f"{where}: {dotted}: invalid value {_short(value)}, expected {f.metadata['expected']}")
            else:
                kwargs[name] = float(value) if isinstance(f.default, float) else value
        return cls(**kwargs)

    config = build(Config, raw, "")
    if found and not lenient:
        raise ConfigError("\n".join(found))
    return config


def find_config_file(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """--config, then $KIOSK_CONFIG, then ~/.config/kiosk/kiosk.toml, then /etc/kiosk/kiosk.toml."""
    return paths.find_config(explicit)


def load_lenient(explicit: str | os.PathLike[str] | None = None) -> Config:
    """For the running kiosk: never fails. A bad key keeps its default, an
    unreadable file gives all defaults; ``problems`` holds each staff message."""
    try:
        raw, path = _read(explicit)
    except ConfigError as e:
        return Config(path=find_config_file(explicit), problems=(f"{e}; using the defaults",))
    if path is None:
        return Config()
    found: list[str] = []
    config = validate(raw, str(path), found)
    return dataclasses.replace(config, path=path, problems=tuple(f"{p}; using the default" for p in found))


def load(explicit: str | os.PathLike[str] | None = None) -> Config:
    """Load and validate the config; raise ConfigError with a staff message."""
    raw, path = _read(explicit)
    if path is None:
        return Config()
    return dataclasses.replace(validate(raw, str(path)), path=path)


def _read(explicit: str | os.PathLike[str] | None) -> tuple[dict[str, Any], Path | None]:
    path = find_config_file(explicit)
    if path is None:
        return {}, None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found; create it or leave out --config/KIOSK_CONFIG") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the file ({e.strerror})") from None
    if len(data) > 256 * 1024:
        raise ConfigError(f"{path}: the file is over 256 KB; a kiosk.toml is a few lines") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    return raw, path
