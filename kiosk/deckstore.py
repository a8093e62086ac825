"""Installed decks: versions kept in the state directory, one of them current.

Layout under the state directory (``kiosk.paths.state_dir``)::

    decks/
      2026.11.1-1/          one installed deck: en/, es/, manifest.toml, .install.toml
      2026.12.0-2/
      current -> 2026.12.0-2  symlink, replaced atomically (rename) on install and rollback
      .lock                 held while installing or rolling back

A version's folder is ``<manifest version>-<n>``, ``n`` counting installs, so a
reinstalled version gets a new folder. Installed folders are never changed: a
running kiosk keeps reading the folder it loaded while the next one is
installed, and adopts the new one at its next return to Start
(``current_name``/``active_deck_dir`` are cheap to poll). The newest ``KEEP``
versions are kept (and always the current one).

What the kiosk shows, first that applies: ``--content``, the config's
``content``, the current installed deck here, the bundled deck
(``resolve_content``).

Every deck carries ``manifest.toml`` (``version``, ``clinical_reviewer``,
``approved``): a clinic must know who signed off the words patients read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DECKS = "decks"
CURRENT = "current"
MANIFEST = "manifest.toml"
RECORD = ".install.toml"
KEEP = 5
FIELDS = ("version", "clinical_reviewer", "approved")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
_NAME = re.compile(r"^(?P<version>.+)-(?P<n>[0-9]+)$")
_GIT_URL = re.compile(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:|\.git/?$")


class DeckStoreError(Exception):
    """A deck that cannot be installed, or a store that cannot be changed. ``str()`` is for staff."""


@dataclass(frozen=True)
class Manifest:
    version: str
    clinical_reviewer: str
    approved: dt.date


@dataclass(frozen=True)
class Installed:
    name: str  # folder name, "<version>-<n>"
    path: Path
    manifest: Manifest
    source: str  # where it came from, as given to install (plus ref and commit for git)
    digest: str  # sha256 over the deck's files: the same deck installs once

    @property
    def number(self) -> int:
        return _number(self.name)


# --- manifest ------------------------------------------------------------------------------


def read_manifest(deck: Path) -> Manifest:
    """The deck's manifest, or DeckStoreError naming the file and what is missing or wrong."""
    path = deck / MANIFEST
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeckStoreError(f"{path}: missing; a deck needs a manifest with {', '.join(FIELDS)} "
                             "(see docs/packaging.md)") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DeckStoreError(f"{path}: cannot read it ({e})") from None
    except tomllib.TOMLDecodeError as e:
        raise DeckStoreError(f"{path}: not valid TOML: {e}") from None
    missing = [f for f in FIELDS if f not in data or data[f] in ("", None)]
    if missing:
        raise DeckStoreError(f"{path}: missing field{'s' if len(missing) > 1 else ''} "
                             f"{', '.join(repr(m) for m in missing)}; a deck manifest needs "
                             f"{', '.join(FIELDS)}")
    version = str(data["version"])
    if not _VERSION.match(version):
        raise DeckStoreError(f"{path}: version {version!r} should be letters, digits and . _ + - "
                             "(no spaces, at most 64 characters), like '2026.11.1'")
    reviewer = data["clinical_reviewer"]
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise DeckStoreError(f"{path}: clinical_reviewer should be the name of who approved the text")
    approved = data["approved"]
    if isinstance(approved, str):
        try:
            approved = dt.date.fromisoformat(approved)
        except ValueError:
            raise DeckStoreError(f"{path}: approved {approved!r} should be a date like 2026-11-28") from None
    if isinstance(approved, dt.datetime) or not isinstance(approved, dt.date):
        raise DeckStoreError(f"{path}: approved should be a date like 2026-11-28, not {approved!r}")
    return Manifest(version, reviewer.strip(), approved)


def manifest_or_none(deck: Path) -> Manifest | None:
    """For showing (staff panel, logs, metrics): the deck's manifest, or None when it has none that reads."""
    try:
        return read_manifest(deck)
    except DeckStoreError:
        return None


# --- reading the store (cheap: the kiosk polls these) ---------------------------------------


def decks_dir(state_dir: Path) -> Path:
    return state_dir / DECKS


def current_name(state_dir: Path) -> str | None:
    """The current install's folder name (one readlink); changes on every install and rollback."""
    try:
        name = os.readlink(decks_dir(state_dir) / CURRENT)
    except OSError:
        return None
    return name if _NAME.match(name) else None


def current_version(state_dir: Path) -> str | None:
    """The manifest version of the current install (from its folder name, no file read)."""
    name = current_name(state_dir)
    match = _NAME.match(name) if name else None
    return match.group("version") if match else None


def active_deck_dir(state_dir: Path) -> Path | None:
    """The current installed deck's folder (stable: it never changes once installed), or None."""
    name = current_name(state_dir)
    if name is None:
        return None
    path = decks_dir(state_dir) / name
    return path if (path / MANIFEST).is_file() else None


def resolve_content(explicit: Path | None, configured: Path | None, state_dir: Path | None,
                    bundled: Path) -> Path:
    """What the kiosk shows: ``--content``, config ``content``, the installed deck, the bundled deck."""
    for candidate in (explicit, configured, active_deck_dir(state_dir) if state_dir else None):
        if candidate is not None:
            return candidate
    return bundled


def _number(name: str) -> int:
    match = _NAME.match(name)
    return int(match.group("n")) if match else -1


def _read_record(folder: Path) -> dict[str, str]:
    try:
        data = tomllib.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    return {k: str(v) for k, v in data.items()}


def installed(state_dir: Path) -> list[Installed]:
    """Every installed version, newest first (manifests that no longer read are left out)."""
    root = decks_dir(state_dir)
    out: list[Installed] = []
    if not root.is_dir():
        return out
    for folder in root.iterdir():
        if folder.is_symlink() or not folder.is_dir() or _number(folder.name) < 0:
            continue
        try:
            manifest = read_manifest(folder)
        except DeckStoreError:
            continue
        record = _read_record(folder)
        out.append(Installed(folder.name, folder, manifest, record.get("source", "?"), record.get("digest", "")))
    return sorted(out, key=lambda i: i.number, reverse=True)


def current(state_dir: Path) -> Installed | None:
    name = current_name(state_dir)
    return next((i for i in installed(state_dir) if i.name == name), None)


# --- changing the store --------------------------------------------------------------------


@contextlib.contextmanager
def _locked(state_dir: Path) -> Iterator[Path]:
    root = decks_dir(state_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = open(root / ".lock", "a")  # noqa: SIM115  (held for the block)
    except OSError as e:
        raise DeckStoreError(f"{root}: cannot write the deck store ({e.strerror}); run as the kiosk user "
                             "or root, or set STATE_DIRECTORY") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield root


def _switch(root: Path, name: str) -> None:
    """Point ``current`` at ``name`` atomically: a new symlink renamed over the old one."""
    tmp = root / f".{CURRENT}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(name, tmp)
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def digest(deck: Path) -> str:
    """sha256 over the deck's relative file names and contents (the install record left out)."""
    import hashlib  # this and tarfile, subprocess: only for installs (the kiosk's start imports this module)

    h = hashlib.sha256()
    for path in sorted(p for p in deck.rglob("*") if p.is_file() and p.name != RECORD):
        rel = path.relative_to(deck).as_posix()
        if rel.startswith(".git/"):
            continue
        h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class Outcome:
    installed: Installed
    changed: bool  # False: the same deck was already current


def store(state_dir: Path, deck: Path, source: str, keep: int = KEEP) -> Outcome:
    """Copy a checked deck folder into the store as a new version and make it current.

    The copy is written under a hidden name and renamed into place, then ``current`` is switched:
    a reader sees the old deck or the new one, never half of one. The same deck as the current
    one (same files) is not stored again.
    """
    manifest = read_manifest(deck)
    fingerprint = digest(deck)
    with _locked(state_dir) as root:
        now = current(state_dir)
        if now is not None and now.digest == fingerprint:
            return Outcome(now, changed=False)
        n = max((i.number for i in installed(state_dir)), default=0) + 1
        n = max([n] + [_number(p.name) + 1 for p in root.iterdir()])  # never reuse a folder name
        name = f"{manifest.version}-{n}"
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
        try:
            target = staging / "deck"
            shutil.copytree(deck, target, symlinks=False, ignore=shutil.ignore_patterns(".git", RECORD))
            record = f"source = {_toml_str(source)}\ndigest = {_toml_str(fingerprint)}\n"
            (target / RECORD).write_text(record, encoding="utf-8")
            os.replace(target, root / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _switch(root, name)
        _prune(state_dir, keep)
        result = current(state_dir)
        assert result is not None and result.name == name
        return Outcome(result, changed=True)


def rollback(state_dir: Path) -> Installed:
    """Make the installed version before the current one current again."""
    with _locked(state_dir) as root:
        now = current(state_dir)
        if now is None:
            raise DeckStoreError(f"no installed deck in {root}; nothing to roll back")
        older = [i for i in installed(state_dir) if i.number < now.number]
        if not older:
            raise DeckStoreError(f"{now.name} is the oldest version kept in {root}; nothing to roll back to")
        _switch(root, older[0].name)
        return older[0]


def _prune(state_dir: Path, keep: int) -> None:
    name = current_name(state_dir)
    for old in installed(state_dir)[keep:]:
        if old.name != name:
            shutil.rmtree(old.path, ignore_errors=True)


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# --- fetching a source into a folder ---------------------------------------------------------


def is_git_source(source: str, ref: str | None) -> bool:
    return ref is not None or bool(_GIT_URL.search(source))


def deck_root(folder: Path) -> Path:
    """The deck inside a fetched source: the folder itself or its ``content/``, also one level down
    (an archive's single top folder). Without a manifest anywhere: the folder (the error names it)."""
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")] if folder.is_dir() else []
    tops = [folder] + (subs if len(subs) == 1 else [])
    for top in tops:
        for candidate in (top, top / "content"):
            if (candidate / MANIFEST).is_file():
                return candidate
    return folder


def extract_tarball(archive: Path, into: Path) -> Path:
    """Unpack a .tar.gz safely (no links out, no devices, no absolute paths); return the deck root."""
    import tarfile

    try:
        with tarfile.open(archive, "r:*") as tar:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4+, and Debian's patched 3.11
                tar.extractall(into, filter="data")
            else:
                members = tar.getmembers()
                for m in members:
                    name = Path(m.name)
                    if name.is_absolute() or ".." in name.parts or not (m.isfile() or m.isdir()):
                        raise DeckStoreError(f"{archive}: {m.name}: only plain files and folders inside the "
                                             "deck are allowed (no links, devices or paths outside it)")
                tar.extractall(into, members=members)  # noqa: S202  (checked above)
    except (tarfile.TarError, OSError) as e:
        raise DeckStoreError(f"{archive}: cannot unpack it ({e})") from None
    return deck_root(into)


def clone_git(source: str, ref: str | None, into: Path) -> tuple[Path, str]:
    """Clone with the git CLI and check out ``ref`` (branch, tag or commit; default the remote HEAD).

    Returns the deck root and the commit checked out.
    """
    import subprocess

    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"}

    def git(what: str, *argv: str, cwd: Path | None = None) -> str:
        try:
            done = subprocess.run(["git", *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        except FileNotFoundError:
            raise DeckStoreError("git is not installed (apt-get install git)") from None
        except subprocess.TimeoutExpired:
            raise DeckStoreError(f"git {what} took more than 5 minutes") from None
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["failed"])[-1]
            raise DeckStoreError(f"git {what}: {why}")
        return done.stdout.strip()

    git(f"clone {source}", "clone", "--quiet", "--no-checkout", "--", source, str(into))
    git(f"checkout {source} {ref or 'HEAD'}", "-c", "advice.detachedHead=false", "checkout", "--quiet",
        ref or "HEAD", cwd=into)
    commit = git("rev-parse HEAD", "rev-parse", "HEAD", cwd=into)
    return deck_root(into), commit
