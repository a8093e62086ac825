"""A loaded deck kept between starts, so a restart shows the first screen without re-reading it.

Parsing every Markdown and YAML file of a deck takes most of the kiosk's start-up
before the window exists (about 60 ms of 350 ms for the bundled deck on a 2-core
machine). The deck only changes when someone edits or installs content, so the
kiosk keeps the loaded ``Deck`` (problems included, so they are still logged at
every start) in ``<cache>/deck-<key>.pickle`` and uses it while nothing it was
made from has changed:

- the entry's name comes from the deck folder and the start language;
- the entry records the kiosk's version and its own code (the size and time of
  every ``kiosk/*.py``), so an upgrade or an edited loader never uses an old
  entry, and every file under the deck folder and every picture it shows from
  elsewhere (name, size, modification time in ns); any difference, a file
  added or removed included, means the deck is loaded from its files again and
  the entry rewritten.

The cache holds deck content only (what is already on disk in ``content/``),
never anything about a patient. A broken or unreadable entry is ignored and
replaced; a cache folder that cannot be written only costs the speed-up. The
folder is the kiosk's own (mode 0700): a pickle runs code when loaded, so it
must never be shared with other users.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from . import __version__
from .deck import Deck

log = logging.getLogger(__name__)

FORMAT = 2  # bump when the entry's shape changes
KEEP = 4  # entries kept per cache folder (a staff member may switch between a few decks)

Stamp = tuple[str, int, int]  # path, size, mtime_ns


def _stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns)


def tree_stamps(root: Path) -> list[Stamp]:
    """Every file under ``root`` (hidden ones too: a deck folder holds nothing else)."""
    out: list[Stamp] = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            stamp = _stamp(Path(folder) / name)
            if stamp is not None:
                out.append(stamp)
    return out


def _code_stamps() -> list[Stamp]:
    here = Path(__file__).resolve().parent
    return [s for p in sorted(here.glob("*.py")) if (s := _stamp(p)) is not None]


def key(root: Path, language: str) -> str:
    """The entry's name (no hashlib: it would load OpenSSL, 3.5 MB, for a file name)."""
    text = f"{Path(root).resolve()}\0{language}".encode()
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def _made_by() -> tuple[object, ...]:
    return (FORMAT, __version__, _code_stamps())


def _outside(deck: Deck, root: Path) -> list[Path]:
    """Pictures the deck shows from outside its folder (a ``file:`` URL)."""
    root = root.resolve()
    paths = {path for lang in deck.languages.values() for s in lang.screens for path, _ in s.images}
    return sorted(p for p in paths if not p.resolve().is_relative_to(root))


def _stamps_of(paths: Iterable[Path]) -> list[Stamp | None]:
    return [_stamp(p) for p in paths]


def load(root: Path, language: str, cache: Path | None, loader: Callable[[Path, str], Deck]) -> Deck:
    """The deck at ``root``: from ``cache`` when nothing changed, else from ``loader`` (then cached).

    ``loader`` may raise (``DeckError``): nothing is cached then."""
    root = Path(root)
    if cache is None:
        return loader(root, language)
    entry = cache / f"deck-{key(root, language)}.pickle"
    files = tree_stamps(root) if root.is_dir() else []
    try:
        with open(entry, "rb") as f:
            made_by, saved_root, saved_files, outside, saved_outside, deck = pickle.load(f)
        if (made_by == _made_by() and saved_root == str(root.resolve()) and saved_files == files
                and _stamps_of(outside) == saved_outside and isinstance(deck, Deck)):
            log.debug("deck from the cache %s", entry)
            return deck
    except FileNotFoundError:
        pass
    except Exception as e:  # a torn or foreign entry: load from the files and write it again
        log.info("deck cache %s not used (%s); loading the deck from its files", entry, type(e).__name__)
    deck = loader(root, language)
    _save(cache, entry, files, deck, root)
    return deck


def _save(cache: Path, entry: Path, files: list[Stamp], deck: Deck, root: Path) -> None:
    outside = _outside(deck, root)
    try:
        cache.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".deck-", dir=cache)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((_made_by(), str(root.resolve()), files, outside, _stamps_of(outside), deck), f,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(cache.glob("deck-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, RecursionError) as e:
        log.info("deck cache %s not written (%s); the next start loads the deck from its files", cache, e)
