"""Staff PIN: salted slow hash, constant-time check, lockout, ``kiosk set-pin``.

The PIN itself is never stored. ``[staff] pin_hash`` holds a self-describing
string ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>``, so the iteration
count can be raised later without breaking hashes already written.
``PinGuard`` locks the pad for a while after too many wrong tries; its clock
is injectable so tests do not wait.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 for PBKDF2-HMAC-SHA256
SALT_BYTES = 16
MIN_DIGITS, MAX_DIGITS = 4, 8
MAX_TRIES = 5
LOCK_SECONDS = 60.0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS


def hash_pin(pin: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def looks_like_hash(text: str) -> bool:
    """A cheap shape check for config validation (no hashing)."""
    parts = text.split("$")
    return len(parts) == 4 and parts[0] == ALGORITHM and parts[1].isdigit() and int(parts[1]) > 0


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored``; False for any malformed hash."""
    if not looks_like_hash(stored):
        return False
    _, iterations, salt_b64, hash_b64 = stored.split("$")
    try:
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
    except ValueError:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, int(iterations))
    return hmac.compare_digest(digest, expected)


# -- lockout ---------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    ok: bool
    tries_left: int  # wrong tries still allowed before the lock
    locked_for: int  # whole seconds of lock remaining (0: not locked)


class PinGuard:
    """Checks PINs against one hash; ``MAX_TRIES`` wrong ones lock for a while.

    ``check`` while locked does not even hash the PIN.
    """

    def __init__(self, stored_hash: str, clock: Callable[[], float] = time.monotonic,
                 max_tries: int = MAX_TRIES, lock_seconds: float = LOCK_SECONDS,
                 verify: Callable[[str, str], bool] = verify_pin) -> None:
        self.stored_hash = stored_hash
        self.clock = clock
        self.max_tries = max_tries
        self.lock_seconds = lock_seconds
        self.verify = verify
        self.wrong = 0
        self.locked_until = 0.0

    @property
    def is_set_up(self) -> bool:
        return bool(self.stored_hash)

    def locked_for(self) -> int:
        left = self.locked_until - self.clock()
        if left <= 0:
            return 0
        return int(left) + (0 if left == int(left) else 1)

    def check(self, pin: str) -> Attempt:
        if self.locked_for():
            return Attempt(False, 0, self.locked_for())
        if self.locked_until:  # a lock just ended: a fresh set of tries
            self.locked_until = 0.0
            self.wrong = 0
        if self.is_set_up and self.verify(pin, self.stored_hash):
            self.wrong = 0
            return Attempt(True, self.max_tries, 0)
        self.wrong += 1
        if self.wrong >= self.max_tries:
            self.locked_until = self.clock() + self.lock_seconds
            return Attempt(False, 0, self.locked_for())
        return Attempt(False, self.max_tries - self.wrong, 0)


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
