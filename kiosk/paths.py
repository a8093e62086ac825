"""Where the kiosk finds its config and keeps its state and log: FHS and systemd conventions.

Config, first that applies:

1. ``--config FILE``;
2. ``$KIOSK_CONFIG``;
3. ``$XDG_CONFIG_HOME/kiosk/kiosk.toml`` (default ``~/.config/kiosk/kiosk.toml``), if it exists;
4. ``/etc/kiosk/kiosk.toml`` (the system config an installer writes), if it exists;
5. none: every key has its default.

State (installed decks; the deck cache lives in ``<state>/cache`` unless systemd's
``CacheDirectory=`` gives one), first that applies:

1. ``$STATE_DIRECTORY``: what systemd's ``StateDirectory=kiosk`` sets (its first entry);
2. ``/var/lib/kiosk`` for a system user (uid below 1000, root included) that can write it;
3. ``$XDG_STATE_HOME/kiosk`` (default ``~/.local/state/kiosk``).

Log: under systemd (``$JOURNAL_STREAM`` names our standard error) lines go to
standard error with a ``<N>`` syslog priority prefix, which journald stores as
the line's level; no file is written unless ``[log] file`` is configured.
Elsewhere the default file is ``<state>/kiosk.log``.

Every function takes the environment (and the paths it tests) as parameters,
so tests need no real ``/etc`` or ``/var/lib``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

APP = "kiosk"
SYSTEM_CONFIG = Path("/etc/kiosk/kiosk.toml")
SYSTEM_STATE = Path("/var/lib/kiosk")
SYS_UID_MAX = 999  # Debian's login.defs: uids up to this are system users
LOG_NAME = "kiosk.log"


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def _home(env: Mapping[str, str]) -> Path:
    return Path(env.get("HOME") or Path.home())


def user_config(env: Mapping[str, str] | None = None) -> Path:
    env = _env(env)
    base = env.get("XDG_CONFIG_HOME") or str(_home(env) / ".config")
    return Path(base) / APP / "kiosk.toml"


def config_candidates(explicit: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None,
                      system: Path = SYSTEM_CONFIG) -> list[Path]:
    """The files to try, in order. An explicit file (``--config``, ``$KIOSK_CONFIG``) is the only candidate."""
    env = _env(env)
    if explicit:
        return [Path(explicit)]
    if env.get("KIOSK_CONFIG"):
        return [Path(env["KIOSK_CONFIG"])]
    return [user_config(env), system]


def find_config(explicit: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None,
                system: Path = SYSTEM_CONFIG) -> Path | None:
    """The config file to read: an explicit one even if missing (so the error names it), else the first
    existing candidate, else None (defaults)."""
    env = _env(env)
    candidates = config_candidates(explicit, env, system)
    if explicit or env.get("KIOSK_CONFIG"):
        return candidates[0]
    return next((p for p in candidates if p.is_file()), None)


def _writable_dir(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def state_dir(env: Mapping[str, str] | None = None, *, system: Path = SYSTEM_STATE, uid: int | None = None) -> Path:
    """Where installed decks live (see the module docstring for the order). Not created here."""
    env = _env(env)
    given = env.get("STATE_DIRECTORY", "")
    if given:
        return Path(given.split(":")[0])
    uid = os.getuid() if uid is None else uid
    if uid <= SYS_UID_MAX and _writable_dir(system):
        return system
    base = env.get("XDG_STATE_HOME") or str(_home(env) / ".local" / "state")
    return Path(base) / APP


def cache_dir(env: Mapping[str, str] | None = None, *, state: Path | None = None) -> Path:
    """What the kiosk may forget (the loaded deck, see ``kiosk.deckcache``): systemd's
    ``$CACHE_DIRECTORY`` when set, else ``<state>/cache``. Not created here."""
    env = _env(env)
    given = env.get("CACHE_DIRECTORY", "")
    if given:
        return Path(given.split(":")[0])
    return (state or state_dir(env)) / "cache"


def under_systemd(env: Mapping[str, str] | None = None, stderr_fd: int | None = 2) -> bool:
    """True when standard error goes to journald (systemd sets ``JOURNAL_STREAM=dev:inode``).

    With ``stderr_fd`` the device and inode are compared with that descriptor, as systemd
    recommends, so a child whose stderr was redirected elsewhere does not count.
    """
    value = _env(env).get("JOURNAL_STREAM", "")
    if not value:
        return False
    if stderr_fd is None:
        return True
    try:
        dev, ino = (int(v) for v in value.split(":"))
        st = os.fstat(stderr_fd)
    except (ValueError, OSError):
        return False
    return (st.st_dev, st.st_ino) == (dev, ino)


def log_file(configured: Path | None, env: Mapping[str, str] | None = None, *, journal: bool | None = None,
             state: Path | None = None) -> Path | None:
    """The log file to write, or None for journald only.

    ``configured``: ``[log] file`` when set (always written). ``journal``: whether standard error reaches
    journald (default: ``under_systemd(env)``).
    """
    if configured is not None:
        return configured
    if journal if journal is not None else under_systemd(env):
        return None
    return (state or state_dir(env)) / LOG_NAME


# syslog priorities journald reads from a "<N>" prefix (SyslogLevelPrefix=yes, the default)
_PRIORITY = ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4), (logging.INFO, 6))


def syslog_priority(levelno: int) -> int:
    return next((p for level, p in _PRIORITY if levelno >= level), 7)


class JournalFormatter(logging.Formatter):
    """``<N>name: message`` for standard error under systemd: journald keeps the level and adds the time.

    Continuation lines (tracebacks) get the same prefix so they keep the level too.
    """

    def __init__(self, fmt: str = "%(name)s: %(message)s") -> None:
        super().__init__(fmt)

    def format(self, record: logging.LogRecord) -> str:
        prefix = f"<{syslog_priority(record.levelno)}>"
        return "\n".join(prefix + line for line in super().format(record).splitlines())
