"""Staff PIN: salted slow hash, constant-time check, lockout, ``kiosk set-pin``.

The PIN itself is never stored. ``[staff] pin_hash`` holds a self-describing
string ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>``, so the iteration
count can be raised later without breaking hashes already written.
``PinGuard`` locks the pad after too many wrong tries, longer each time (1, 5,
15, 60 minutes), and keeps that in a state file so a restart does not reset
it; its clock is injectable so tests do not wait. Hash parameters are
bounded (``hash_problem``) so a hand-edited hash cannot make a check hang.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import json
import logging
import math
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 for PBKDF2-HMAC-SHA256
MIN_ITERATIONS, MAX_ITERATIONS = 100_000, 2_000_000  # below: too weak; above: the check would freeze
SALT_BYTES = 16
MIN_SALT_BYTES, MAX_SALT_BYTES = 8, 64
HASH_BYTES = 32  # SHA-256
MAX_HASH_TEXT = 200
MIN_DIGITS, MAX_DIGITS = 4, 8
MAX_TRIES = 5
LOCK_STEPS = (60.0, 300.0, 900.0, 3600.0)  # 1, 5, 15, 60 minutes: each lock after the last is longer


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS


def hash_pin(pin: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def _parts(text: str) -> tuple[int, bytes, bytes] | str:
    """(iterations, salt, hash) of a stored hash, or why it is not one."""
    if len(text) > MAX_HASH_TEXT:
        return f"is {len(text)} characters long; a hash from 'kiosk set-pin' is under {MAX_HASH_TEXT}"
    parts = text.split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM:
        return f"should look like '{ALGORITHM}$<iterations>$<salt>$<hash>'; run 'kiosk set-pin'"
    if not (parts[1].isascii() and parts[1].isdigit()) or len(parts[1]) > 9:
        return "has no iteration count; run 'kiosk set-pin'"
    iterations = int(parts[1])
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        return (f"has {iterations} iterations; allowed {MIN_ITERATIONS} to {MAX_ITERATIONS} "
                "(run 'kiosk set-pin' for a new one)")
    try:
        salt = base64.b64decode(parts[2], validate=True)
        digest = base64.b64decode(parts[3], validate=True)
    except ValueError:
        return "has a salt or hash that is not base64; run 'kiosk set-pin'"
    if not MIN_SALT_BYTES <= len(salt) <= MAX_SALT_BYTES:
        return f"has a {len(salt)}-byte salt; allowed {MIN_SALT_BYTES} to {MAX_SALT_BYTES} bytes"
    if len(digest) != HASH_BYTES:
        return f"has a {len(digest)}-byte hash; a SHA-256 hash is {HASH_BYTES} bytes"
    return iterations, salt, digest


def hash_problem(text: str) -> str | None:
    """Why ``text`` is not a usable ``[staff] pin_hash`` (None: it is). No hashing."""
    parts = _parts(text)
    return parts if isinstance(parts, str) else None


def looks_like_hash(text: str) -> bool:
    """A cheap shape check for config validation (no hashing); parameters within bounds."""
    return hash_problem(text) is None


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored``; False for any malformed or out-of-bounds hash."""
    parts = _parts(stored)
    if isinstance(parts, str):
        return False
    iterations, salt, expected = parts
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(digest, expected)


# -- lockout ---------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    ok: bool
    tries_left: int  # wrong tries still allowed before the lock
    locked_for: int  # whole seconds of lock remaining (0: not locked)


@dataclass
class _Lockout:
    wrong: int = 0  # wrong tries since the last lock or right PIN
    level: int = 0  # locks so far without a right PIN in between (picks the next step)
    locked_until: float = 0.0  # clock time the current lock ends (0: none)


def _load_lockout(path: Path | None) -> _Lockout:
    if path is None:
        return _Lockout()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _Lockout()
    except (OSError, UnicodeDecodeError, ValueError) as e:
        log.warning("PIN lockout state %s cannot be read (%s); starting from no wrong tries", path, e)
        return _Lockout()
    try:
        state = _Lockout(int(data["wrong"]), int(data["level"]), float(data["locked_until"]))
    except (TypeError, KeyError, ValueError, OverflowError):
        log.warning("PIN lockout state %s is not valid; starting from no wrong tries", path)
        return _Lockout()
    if not (0 <= state.wrong <= 1000 and 0 <= state.level <= 1000 and math.isfinite(state.locked_until)):
        log.warning("PIN lockout state %s is out of range; starting from no wrong tries", path)
        return _Lockout()
    return state


class PinGuard:
    """Checks PINs against one hash; ``max_tries`` wrong ones lock the pad.

    Each lock is longer than the last (``lock_steps``: 1, 5, 15, then 60
    minutes) until a right PIN. ``check`` while locked does not even hash
    the PIN. With ``state_path`` the count, the step and the lock's end are
    kept in that file (JSON, written atomically, mode 0600) so a restart does
    not reset them; a file that cannot be read or written is logged and the
    lock still holds in memory. ``clock`` is wall-clock seconds (time.time)
    so a lock outlives a reboot; a lock found further ahead than its step
    (the clock went back) is cut to one step from now.
    """

    def __init__(self, stored_hash: str, clock: Callable[[], float] = time.time,
                 max_tries: int = MAX_TRIES, lock_steps: Sequence[float] = LOCK_STEPS,
                 verify: Callable[[str, str], bool] = verify_pin, state_path: Path | None = None) -> None:
        self.stored_hash = stored_hash
        self.clock = clock
        self._max_tries = max_tries
        self._steps = tuple(lock_steps) or LOCK_STEPS
        self._verify = verify
        self._path = state_path
        self._state = _load_lockout(state_path)
        self._write_failed = False
        if self._state.locked_until:
            longest = self._step(max(self._state.level - 1, 0))
            self._state.locked_until = min(self._state.locked_until, self.clock() + longest)

    @property
    def is_set_up(self) -> bool:
        return bool(self.stored_hash)

    def _step(self, level: int) -> float:
        return self._steps[min(level, len(self._steps) - 1)]

    def _save(self) -> None:
        if self._path is None:
            return
        data = json.dumps({"wrong": self._state.wrong, "level": self._state.level,
                           "locked_until": self._state.locked_until})
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".pin-lockout-", dir=self._path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(data)
                os.chmod(tmp, 0o600)
                os.replace(tmp, self._path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as e:
            if not self._write_failed:
                log.warning("PIN lockout state cannot be written to %s (%s); the lock holds until "
                            "the kiosk restarts", self._path, e.strerror or e)
            self._write_failed = True
        else:
            self._write_failed = False

    def locked_for(self) -> int:
        left = self._state.locked_until - self.clock()
        if left <= 0:
            return 0
        return int(left) + (0 if left == int(left) else 1)

    def check(self, pin: str) -> Attempt:
        if self.locked_for():
            return Attempt(False, 0, self.locked_for())
        if self._state.locked_until:  # a lock just ended: a fresh set of tries, the next lock longer
            self._state.locked_until = 0.0
            self._state.wrong = 0
        if self.is_set_up and self._verify(pin, self.stored_hash):
            self._state = _Lockout()
            self._save()
            return Attempt(True, self._max_tries, 0)
        self._state.wrong += 1
        if self._state.wrong >= self._max_tries:
            self._state.locked_until = self.clock() + self._step(self._state.level)
            self._state.level += 1
            self._save()
            return Attempt(False, 0, self.locked_for())
        self._save()
        return Attempt(False, self._max_tries - self._state.wrong, 0)


# -- kiosk set-pin -----------------------------------------------------------
class SetPinError(Exception):
    """A message for whoever runs ``kiosk set-pin``."""


def config_path_for_writing(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--config, then $KIOSK_CONFIG, then ~/.config/kiosk/kiosk.toml (even if missing)."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("KIOSK_CONFIG")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kiosk" / "kiosk.toml"


def read_new_pin(stdin: TextIO, err: TextIO, ask: Callable[[str], str] = getpass.getpass) -> str:
    """Twice on a terminal; one line from stdin otherwise."""
    rule = f"{MIN_DIGITS} to {MAX_DIGITS} digits"
    if stdin.isatty():
        first = ask(f"New staff PIN ({rule}): ")
        if not valid_pin(first):
            raise SetPinError(f"The PIN must be {rule}, nothing else.")
        if ask("Type it again: ") != first:
            raise SetPinError("The two PINs are not the same; nothing was changed.")
        return first
    pin = stdin.readline().strip()
    if not valid_pin(pin):
        raise SetPinError(f"The PIN read from standard input must be {rule}, nothing else.")
    return pin


def write_pin_hash(path: Path, pin_hash: str) -> None:
    """Set ``[staff] pin_hash`` in ``path``, keeping every other line as it was."""
    import tomlkit

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as e:
        raise SetPinError(f"{path}: cannot read the file ({e})") from None
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as e:
        raise SetPinError(f"{path}: not valid TOML ({e}); fix it first, nothing was changed") from None
    staff = doc.get("staff")
    if staff is None:
        staff = tomlkit.table()
        doc["staff"] = staff
    elif not isinstance(staff, dict):
        raise SetPinError(f"{path}: 'staff' should be a table [staff]; nothing was changed")
    staff["pin_hash"] = pin_hash
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
        fd, tmp = tempfile.mkstemp(prefix=".kiosk-", suffix=".toml", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(tomlkit.dumps(doc))
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise SetPinError(f"{path}: cannot write the file ({e.strerror})") from None


def run_set_pin(config: str | None, stdin: TextIO | None = None, out: TextIO | None = None,
                err: TextIO | None = None, ask: Callable[[str], str] = getpass.getpass) -> int:
    """``kiosk set-pin``; returns the exit code."""
    stdin, out, err = stdin or sys.stdin, out or sys.stdout, err or sys.stderr
    path = config_path_for_writing(config)
    try:
        pin = read_new_pin(stdin, err, ask)
        write_pin_hash(path, hash_pin(pin))
    except SetPinError as e:
        print(e, file=err)
        return 1
    except (KeyboardInterrupt, EOFError):
        print("\nNothing was changed.", file=err)
        return 1
    print(f"Staff PIN saved in {path}. Restart the kiosk to use it.", file=out)
    return 0
