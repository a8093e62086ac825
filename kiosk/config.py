"""Kiosk configuration: declaration, validation and file lookup.

``kiosk.toml`` is read with the standard library. Every key is declared once
in ``SCHEMA`` with its type, default and limits, so a bad value gets a message
saying what was expected, and an unknown key gets a "did you mean" hint.
Zero config works: every key has a default.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CONTENT = REPO_ROOT / "content"
ASSETS = REPO_ROOT / "assets"


class ConfigError(ValueError):
    """A config file that cannot be used. ``str()`` is the message for staff."""


@dataclass(frozen=True)
class Key:
    kind: type | tuple[type, ...]
    default: Any
    expected: str
    check: Callable[[Any], bool] | None = None


def _positive(v: Any) -> bool:
    return v > 0


def _at_least(n: float) -> Callable[[Any], bool]:
    return lambda v: v >= n


def _pin_hash_shape(v: str) -> bool:
    from .pin import looks_like_hash

    return looks_like_hash(v)


SCHEMA: dict[str, dict[str, Key] | Key] = {
    "clinic_name": Key(str, "", "a text, the clinic's name shown on the Start screen"),
    "logo": Key(str, "", "a path to a PNG or SVG file"),
    "content": Key(str, "", "a path to a deck folder (with en/, es/ …)"),
    "default_language": Key(str, "en", "a language code with a folder in the deck, like 'en'"),
    "display": {
        "transition_ms": Key(
            int, 160, "a whole number of milliseconds from 0 to 250", lambda v: 0 <= v <= 250
        ),
        "fullscreen": Key(bool, True, "true or false"),
    },
    "session": {
        "idle_timeout_s": Key(
            # 1 s is allowed so tests and demos can see a reset quickly; use 60 or more on a kiosk
            (int, float), 90, "a number of seconds, 1 or more (90 on a kiosk)", _at_least(1)
        ),
        "idle_warning_s": Key(
            (int, float), 20, "a number of seconds, 1 or more (WCAG asks for 20)", _at_least(1)
        ),
        "hide_cursor": Key(bool, True, "true or false"),
    },
    "demo": {
        "seconds_per_screen": Key((int, float), 8, "a number of seconds above 0", _positive),
    },
    "print": {
        "printer": Key(str, "", "a CUPS printer name (empty: the system default)"),
        "paper": Key(
            str, "letter", "'letter' or 'a4'", lambda v: v.lower() in ("letter", "a4")
        ),
        "max_per_session": Key(int, 2, "a whole number, 0 or more", _at_least(0)),
        "qr_url": Key(str, "", "a web address starting with https:// (or empty)",
                      lambda v: v == "" or v.startswith(("https://", "http://"))),
    },
    "staff": {
        "pin_hash": Key(str, "", "a hash written by 'kiosk set-pin' (pbkdf2_sha256$…)",
                        lambda v: v == "" or _pin_hash_shape(v)),
        "hold_seconds": Key((int, float), 3, "a number of seconds above 0", _positive),
    },
    "log": {
        "file": Key(str, "", "a path to the log file (empty: the default)"),
    },
    # plain-language limits used by 'kiosk check' (see kiosk/plain_language.py)
    "check": {
        "max_words": Key(int, 140, "a whole number of words, 1 or more", _at_least(1)),
        "en_max_grade": Key((int, float), 7, "a Flesch-Kincaid grade from 1 to 20", lambda v: 1 <= v <= 20),
        "en_max_average_grade": Key((int, float), 6, "a Flesch-Kincaid grade from 1 to 20",
                                    lambda v: 1 <= v <= 20),
        "es_min_score": Key((int, float), 65, "a Fernández-Huerta score from 0 to 100", lambda v: 0 <= v <= 100),
        "es_min_average": Key((int, float), 70, "a Fernández-Huerta score from 0 to 100",
                              lambda v: 0 <= v <= 100),
    },
}


@dataclass
class Config:
    """Validated settings. ``values`` is a nested dict mirroring SCHEMA."""

    values: dict[str, Any]
    path: Path | None = None
    problems: list[str] = field(default_factory=list)  # what the lenient load replaced by defaults

    def get(self, dotted: str) -> Any:
        node: Any = self.values
        for part in dotted.split("."):
            node = node[part]
        return node

    def __getitem__(self, dotted: str) -> Any:
        return self.get(dotted)

    @property
    def content_dir(self) -> Path:
        raw = self.values["content"]
        return self._resolve(raw) if raw else BUNDLED_CONTENT

    @property
    def logo_path(self) -> Path | None:
        raw = self.values["logo"]
        return self._resolve(raw) if raw else None

    @property
    def log_file(self) -> Path:
        raw = self.values["log"]["file"]
        if raw:
            return self._resolve(raw)
        state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        return Path(state) / "kiosk" / "kiosk.log"

    def _resolve(self, raw: str) -> Path:
        p = Path(raw).expanduser()
        if not p.is_absolute() and self.path is not None:
            p = self.path.parent / p
        return p


def defaults() -> dict[str, Any]:
    def walk(node: dict[str, Any]) -> dict[str, Any]:
        return {k: walk(v) if isinstance(v, dict) else v.default for k, v in node.items()}

    return walk(SCHEMA)


def _type_ok(key: Key, value: Any) -> bool:
    kinds = key.kind if isinstance(key.kind, tuple) else (key.kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # TOML true is not a number here
    return isinstance(value, kinds)


def _hint(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known keys: " + ", ".join(sorted(choices))


def validate(raw: dict[str, Any], where: str = "config", problems: list[str] | None = None) -> dict[str, Any]:
    """Check ``raw`` against SCHEMA; return full values or raise ConfigError.

    With a ``problems`` list, collect the messages there instead of raising and
    keep the default for every bad key (the running kiosk uses what is good).
    """
    values = defaults()
    lenient = problems is not None
    problems = problems if problems is not None else []

    def walk(node: dict[str, Any], schema: dict[str, Any], out: dict[str, Any], prefix: str) -> None:
        for name, value in node.items():
            dotted = f"{prefix}{name}"
            spec = schema.get(name)
            if spec is None:
                problems.append(f"{where}: {dotted}: unknown key, {_hint(name, list(schema))}")
            elif isinstance(spec, dict):
                if not isinstance(value, dict):
                    problems.append(f"{where}: {dotted}: should be a table [{dotted}]")
                else:
                    walk(value, spec, out[name], dotted + ".")
            elif not _type_ok(spec, value) or (spec.check and not spec.check(value)):
                problems.append(
                    f"{where}: {dotted}: invalid value {value!r}, expected {spec.expected}"
                )
            else:
                out[name] = value

    walk(raw, SCHEMA, values, "")
    if problems and not lenient:
        raise ConfigError("\n".join(problems))
    return values


def find_config_file(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """--config, then $KIOSK_CONFIG, then the platform's config folder."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KIOSK_CONFIG")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    candidate = Path(base) / "kiosk" / "kiosk.toml"
    return candidate if candidate.is_file() else None


def load_lenient(explicit: str | os.PathLike[str] | None = None) -> tuple[Config, list[str]]:
    """For the running kiosk: never fails. A bad key keeps its default, an
    unreadable file gives all defaults; each problem is a staff message."""
    problems: list[str] = []
    try:
        raw, path = _read(explicit)
    except ConfigError as e:
        return Config(defaults(), find_config_file(explicit)), [f"{e}; using the defaults"]
    if path is None:
        return Config(defaults(), None), []
    values = validate(raw, str(path), problems)
    return Config(values, path), [f"{p}; using the default" for p in problems]


def load(explicit: str | os.PathLike[str] | None = None) -> Config:
    """Load and validate the config; raise ConfigError with a staff message."""
    raw, path = _read(explicit)
    if path is None:
        return Config(defaults(), None)
    return Config(validate(raw, str(path)), path)


def _read(explicit: str | os.PathLike[str] | None) -> tuple[dict[str, Any], Path | None]:
    path = find_config_file(explicit)
    if path is None:
        return {}, None
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found; create it or leave out --config/KIOSK_CONFIG") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the file ({e.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    return raw, path
