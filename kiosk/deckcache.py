"""A loaded deck kept between starts, so a restart shows the first screen without re-reading it.

Parsing every Markdown and YAML file of a deck takes most of the kiosk's start-up
before the window exists (about 60 ms of 350 ms for the bundled deck on a 2-core
machine). The deck only changes when someone edits or installs content, so the
kiosk keeps the loaded ``Deck`` (problems included, so they are still logged at
every start) in ``<cache>/deck-<name>.pickle`` and uses it while nothing it was
made from has changed:

- the entry's name comes from the deck folder and the start language;
- the entry records what made it: the kiosk's version and its own code (the
  size and time of every ``kiosk/*.py``), the Python version and the
  Python-Markdown, PyYAML and Babel installed (the stamp of each one's
  ``__init__.py``), so an upgrade of any of them never uses an old entry;
- and every file under the deck folder, symlinked folders (a shared language
  folder) followed, ``.git`` left out (name, size, modification time in ns):
  any difference, a file added or removed included, means the deck is loaded
  from its files again and the entry rewritten.

The cache holds deck content only (what is already on disk in ``content/``),
never anything about a patient. It is only a speed-up: a broken, foreign or
unreadable entry, a folder that cannot be written or any error in this module
costs the speed-up and nothing else (the deck is loaded from its files). A
pickle runs code when loaded, so an entry is read only from a folder and a file
owned by the user running the kiosk and writable by nobody else.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO

from . import __version__
from .deck import Deck

log = logging.getLogger(__name__)

FORMAT = 3  # bump when the entry's shape changes
KEEP = 4  # entries kept per cache folder (a staff member may switch between a few decks)

Stamp = tuple[str, int, int]  # path, size, mtime_ns


def _stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns)


def tree_stamps(root: Path) -> list[Stamp]:
    """Every file under ``root``, through symlinked folders (each real folder once), without ``.git``."""
    out: list[Stamp] = []
    seen: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a symlink loop, or one folder linked twice
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in sorted(files):
            stamp = _stamp(Path(folder) / name)
            if stamp is not None:
                out.append(stamp)
    return out


def _code_stamps() -> list[Stamp]:
    here = Path(__file__).resolve().parent
    return [s for p in sorted(here.glob("*.py")) if (s := _stamp(p)) is not None]


def _library_stamps() -> list[Stamp | None]:
    """The libraries that shape a loaded deck, found without importing them."""
    import importlib.util

    out: list[Stamp | None] = []
    for name in ("markdown", "yaml", "babel"):
        spec = importlib.util.find_spec(name)
        out.append(_stamp(Path(spec.origin)) if spec is not None and spec.origin else None)
    return out


def key(root: Path, language: str) -> str:
    """The entry's name (no hashlib: it would load OpenSSL, 3.5 MB, for a file name)."""
    text = f"{Path(root).resolve()}\0{language}".encode()
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def _made_by() -> tuple[object, ...]:
    return (FORMAT, __version__, tuple(sys.version_info), _code_stamps(), _library_stamps())


def _trusted(f: IO[bytes], folder: Path) -> bool:
    """Owned by us and writable by nobody else: the file and its folder."""
    me = os.geteuid()
    for st in (os.fstat(f.fileno()), folder.stat()):
        if st.st_uid != me or st.st_mode & 0o022:
            return False
    return True


def load(root: Path, language: str, cache: Path | None, loader: Callable[[Path, str], Deck]) -> Deck:
    """The deck at ``root``: from ``cache`` when nothing changed, else from ``loader`` (then cached).

    ``loader`` may raise (``DeckError``): nothing is cached then, and the error is the loader's."""
    root = Path(root)
    if cache is None:
        return loader(root, language)
    try:
        entry = cache / f"deck-{key(root, language)}.pickle"
        files = tree_stamps(root) if root.is_dir() else []
        deck = _read(entry, root, files)
    except Exception as e:  # the cache is a speed-up: whatever goes wrong here, read the files
        log.info("deck cache %s not used (%s: %s); loading the deck from its files", cache, type(e).__name__, e)
        return loader(root, language)
    if deck is not None:
        return deck
    deck = loader(root, language)
    _save(cache, entry, files, deck, root)
    return deck


def _read(entry: Path, root: Path, files: list[Stamp]) -> Deck | None:
    try:
        with open(entry, "rb") as f:
            if not _trusted(f, entry.parent):
                log.warning("deck cache %s not used: it must belong to the kiosk's user and be writable by "
                            "nobody else (delete it, or fix its owner and mode)", entry)
                return None
            made_by, saved_root, saved_files, deck = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception as e:  # a torn or foreign entry: load from the files and write it again
        log.info("deck cache %s not used (%s); loading the deck from its files", entry, type(e).__name__)
        return None
    if made_by == _made_by() and saved_root == str(root.resolve()) and saved_files == files \
            and isinstance(deck, Deck):
        log.debug("deck from the cache %s", entry)
        return deck
    return None


def _save(cache: Path, entry: Path, files: list[Stamp], deck: Deck, root: Path) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".deck-", dir=cache)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((_made_by(), str(root.resolve()), files, deck), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(cache.glob("deck-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
        for torn in cache.glob(".deck-*"):  # left by a kill while writing
            if time.time() - torn.stat().st_mtime > 3600:
                torn.unlink(missing_ok=True)
    except Exception as e:  # the speed-up is lost for the next start, nothing else
        log.info("deck cache %s not written (%s); the next start loads the deck from its files", cache, e)
