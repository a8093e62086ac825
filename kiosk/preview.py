"""``kiosk preview``: a windowed kiosk that follows an author's saved edits.

The deck folder is watched (QFileSystemWatcher on the deck, each language
folder and each file in them; editors save by replacing files, which drops
the file from the watcher, so the watch list is rebuilt after every reload).
A 500 ms poll of sizes and modification times backs the watcher up, for file
systems where it misses changes. Either one starts a short debounce timer;
the deck is then reloaded and shown on the same screen, by id.

An edit never blanks the preview:

- a deck that fails entirely (``DeckError``) leaves the last good deck up;
- a deck that loads with problems is shown, and a screen (or a strings
  file, or a whole language) that was shown before and now fails to load
  keeps its last good version until the file is fixed.

Every ``kiosk check`` problem shows in a banner at the top, for the author.
The preview never resets for idleness (an author is in their editor).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from .check import check_loaded
from .config import Config
from .deck import Deck, DeckError, Problem, load_deck
from .plain_language import Limits

log = logging.getLogger(__name__)

DEBOUNCE_MS = 150
POLL_MS = 500
BANNER_LINES = 8
PREVIEW_IDLE_S = 24 * 3600  # effectively never

Snapshot = dict[str, tuple[int, int]]


# -- pure core ----------------------------------------------------------------
def snapshot(root: Path) -> Snapshot:
    """Size and mtime of the deck folder, its language folders and their files."""
    out: Snapshot = {}

    def note(p: Path) -> None:
        try:
            st = p.stat()
        except OSError:
            return
        out[str(p)] = (st.st_mtime_ns, st.st_size)

    note(root)
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError:
        return out
    for folder in folders:
        note(folder)
        try:
            files = sorted(folder.iterdir())
        except OSError:
            continue
        for f in files:
            if f.is_file() and not f.name.startswith("."):
                note(f)
    return out


@dataclass
class Outcome:
    """One reload: the deck to show (None: keep the current one) and what to tell the author."""

    deck: Deck | None
    problems: list[Problem]
    kept: list[Path] = field(default_factory=list)  # files whose last good version is still shown
    failed: bool = False  # nothing could be loaded; the previous deck stays


def keep_last_good(new: Deck, old: Deck | None) -> list[Path]:
    """Put back into ``new`` what was shown in ``old`` and now fails to load."""
    if old is None:
        return []
    failed = {p.path for p in new.problems}
    kept: list[Path] = []
    for code, prev in old.languages.items():
        lang = new.languages.get(code)
        if lang is None:
            if prev.folder.is_dir():
                new.languages[code] = prev
                kept.append(prev.folder)
            continue
        for i, screen in enumerate(prev.screens):
            if screen.path not in failed or not screen.path.is_file() or lang.screen(screen.id) is not None:
                continue
            if any(s.path == screen.path for s in lang.screens):
                continue
            pos = 0
            for earlier in reversed(prev.screens[:i]):
                at = next((j for j, s in enumerate(lang.screens) if s.id == earlier.id), None)
                if at is not None:
                    pos = at + 1
                    break
            lang.screens.insert(pos, screen)
            if screen.kind == "sources":
                lang.sources = dict(prev.sources)
            kept.append(screen.path)
        strings = lang.folder / "strings.yaml"
        if strings in failed and strings.is_file() and len(lang.strings.texts) < len(prev.strings.texts):
            lang.strings.texts = dict(prev.strings.texts)
            kept.append(strings)
    order = [c for c in old.languages if c in new.languages] + [c for c in new.languages if c not in old.languages]
    new.languages = {c: new.languages[c] for c in order}
    base = next(iter(new.languages.values())).strings.texts
    for lang in new.languages.values():
        lang.strings.fallback = base if lang.strings.texts is not base else {}
    return kept


def reload(root: Path, lang: str, limits: Limits, last_good: Deck | None) -> Outcome:
    """Load the deck again and decide what the preview shows."""
    try:
        deck = load_deck(root, lang)
    except DeckError as e:
        return Outcome(None, list(e.problems), failed=True)
    problems = check_loaded(deck, limits)  # on what is on disk, before anything is kept
    kept = keep_last_good(deck, last_good)
    return Outcome(deck, problems, kept)


def banner_text(outcome: Outcome, limit: int = BANNER_LINES) -> str:
    """Author-facing summary; empty when there is nothing to say."""
    lines: list[str] = []
    if outcome.failed:
        lines.append("The content cannot be shown; the last good version stays up until this is fixed:")
    elif outcome.problems:
        n = len(outcome.problems)
        lines.append(f"kiosk check: {n} problem{'s' if n != 1 else ''}")
    shown = [str(p) for p in outcome.problems[:limit]]
    lines += shown
    if len(outcome.problems) > limit:
        lines.append(f"… and {len(outcome.problems) - limit} more (run 'kiosk check')")
    if outcome.kept:
        lines.append("Still showing the last good version of: " + ", ".join(p.name for p in outcome.kept))
    return "\n".join(lines)


def preview_config(config: Config) -> Config:
    """The kiosk's config for authoring: never reset for idleness."""
    return config.with_values(session={"idle_timeout_s": PREVIEW_IDLE_S})


# -- Qt shell -------------------------------------------------------------------
class Banner(QLabel):
    """Problems for the author, above the kiosk's own header."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("PreviewBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("QLabel#PreviewBanner { background: #fff4c2; color: #3d2e00; "
                           "border-bottom: 2px solid #c99a00; padding: 8px 16px; "
                           "font-family: monospace; font-size: 14px; }")
        self.hide()

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class Preview(QObject):
    """Watches a deck folder and keeps a KioskWindow showing its last good state."""

    reloaded = Signal()  # after every reload attempt (shown or kept)

    def __init__(self, content: Path, lang: str, config: Config, size: tuple[int, int] = (1280, 800)) -> None:
        super().__init__()
        from .ui.window import KioskWindow

        self.root = Path(content)
        self.lang = lang
        self.config = preview_config(config)
        self.limits = Limits.from_config(config)
        self._snapshot = snapshot(self.root)
        first = reload(self.root, lang, self.limits, None)
        if first.deck is None:
            raise DeckError(first.problems)
        self.deck = first.deck
        self.outcome = first
        self.window = KioskWindow(self.deck, self.config, language=lang)
        self.window.resize(*size)
        self.banner = Banner()
        self.window.set_banner(self.banner)
        self.banner.show_text(banner_text(first))

        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.reload)
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._poll)
        self._watch()
        self.poll.start()

    def _watch(self) -> None:
        """Watch exactly what exists now (replaced files dropped out of the watcher)."""
        wanted = set(self._snapshot)
        current = set(self.watcher.files()) | set(self.watcher.directories())
        gone = sorted(current - wanted)
        if gone:
            self.watcher.removePaths(gone)
        new = sorted(wanted - current)
        if new:
            self.watcher.addPaths(new)

    def _changed(self, path: str) -> None:
        self.debounce.start()

    def _poll(self) -> None:
        if not self.debounce.isActive() and snapshot(self.root) != self._snapshot:
            self.debounce.start()

    def reload(self) -> None:
        self._snapshot = snapshot(self.root)
        try:
            outcome = reload(self.root, self.lang, self.limits, self.deck)
            if outcome.deck is not None:
                self.window.set_deck(outcome.deck)
                self.deck = outcome.deck
        except Exception:  # the preview outlives any bad edit; the log has the details
            log.exception("preview: reload failed; the last good content stays up")
            outcome = Outcome(None, [Problem(self.root, 1, "reload failed unexpectedly; see the log")], failed=True)
        self.outcome = outcome
        self.banner.show_text(banner_text(outcome))
        self._watch()
        log.info("preview: reloaded (%d problems%s)", len(outcome.problems), ", kept last good" if outcome.failed
                 or outcome.kept else "")
        self.reloaded.emit()

    def stop(self) -> None:
        self.poll.stop()
        self.debounce.stop()
        paths = self.watcher.files() + self.watcher.directories()
        if paths:
            self.watcher.removePaths(paths)


def run_preview(config: Config, content: Path, lang: str, size: tuple[int, int] = (1280, 800)) -> int:
    from .app import make_app
    from .display import have_display

    if not have_display():
        print("No display found: run 'kiosk preview' on a desktop (DISPLAY and WAYLAND_DISPLAY are not set).",
              file=sys.stderr)
        return 1
    app = make_app()
    try:
        preview = Preview(content, lang, config, size)
    except DeckError as e:
        print("The content cannot be shown:", file=sys.stderr)
        for p in e.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    preview.window.show()
    print(f"Previewing {content}: save a file and the window follows; close the window to stop.", file=sys.stderr)
    try:
        return int(app.exec())
    finally:
        preview.stop()
