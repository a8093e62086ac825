"""Start-up: QApplication, deck, window. The only place that calls ``exec``."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from . import __version__
from .config import Config
from .deck import Deck, DeckError, load_deck

log = logging.getLogger(__name__)


def make_app(argv: list[str] | None = None):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from .ui import qtlog

    qtlog.install()  # before the QApplication, so platform messages are caught too
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("kiosk")
    return app


def open_deck(content: Path, lang: str, err=None, cache: Path | None = None) -> Deck | None:  # type: ignore[no-untyped-def]
    """Load the deck (through the deck cache in ``cache``, see ``kiosk.deckcache``); report
    problems. None when nothing at all can be shown."""
    err = err or sys.stderr
    try:
        if cache is None:
            deck = load_deck(content, lang)
        else:
            from . import deckcache

            deck = deckcache.load(content, lang, cache, load_deck)
    except DeckError as e:
        print("The content cannot be shown:", file=err)
        for p in e.problems:
            print(f"  {p}", file=err)
        return None
    for p in deck.problems:
        log.warning("content problem: %s", p)
    return deck


def config_problems_needing_qt(config: Config) -> list[str]:
    """Config checks that need Qt (key names Qt knows), for ``kiosk check``."""
    from .ui.keypad import unknown_keys

    return unknown_keys(config.keypad, str(config.path or "config"))


def show_kiosk(config: Config, deck: Deck, *, windowed: bool, size: tuple[int, int],
               demo: bool = False, language: str | None = None,
               follow_installed: bool = False):  # type: ignore[no-untyped-def]
    """Build and show the window: windowed for trying out, else fullscreen and locked down."""
    from PySide6.QtCore import Qt

    from .ui.window import KioskWindow

    stats = None
    if config.stats.enabled:
        from .ui.stats_writer import StatsWriter

        stats = StatsWriter(config.stats_database, config.stats.keep_days)
    if not windowed:
        from PySide6.QtGui import QGuiApplication

        screen = QGuiApplication.primaryScreen()
        size = (screen.geometry().width(), screen.geometry().height()) if screen is not None else size
    window = KioskWindow(deck, config, language=language, stats=stats, size=size)
    if stats is not None:
        stats.setParent(window)
    from .ui.fleet import Fleet

    fleet = Fleet(window, config, deck.root)
    if follow_installed:
        from . import paths
        from .ui.deck_updates import DeckUpdates

        # parented to the window; the session's signal holds the Python side
        updates = DeckUpdates(window.session, window.holder, paths.state_dir(), config.default_language, window)
        updates.adopted.connect(fleet.deck_adopted)
    if windowed:
        window.resize(*size)
        window.show()
    else:
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        window.set_locked(True)
        window.lockdown.show_fullscreen()
    window.warm_up_later()
    if demo:
        window.demo.start()
    return window, fleet


def run_kiosk(config: Config, content: Path, lang: str, *, windowed: bool,
              size: tuple[int, int], demo: bool = False, follow_installed: bool = False) -> int:
    """``follow_installed``: the deck came from ``kiosk deck install``; adopt new versions at Start."""
    from .display import have_display
    from .logs import EXIT_CRASHED, CrashGuard, setup_logging

    if not have_display():
        print("No display found: run the kiosk on the kiosk's desktop session, or try it with "
              "'xvfb-run -a scripts/kiosk' (DISPLAY and WAYLAND_DISPLAY are not set).", file=sys.stderr)
        return 1
    from . import paths

    setup_logging(config.log_file, journal=paths.under_systemd())
    for problem in config.problems:
        log.warning("config problem: %s", problem)
    windowed = windowed or not config.display.fullscreen
    guard = CrashGuard()
    guard.install()
    try:
        deck = open_deck(content, lang, cache=paths.cache_dir())
        if deck is None:
            return 1
        app = make_app()
        if lang not in deck.languages:
            log.warning("language '%s' has no folder in %s; starting in '%s'", lang, content,
                        next(iter(deck.languages)))
        window, fleet = show_kiosk(config, deck, windowed=windowed, size=size, demo=demo, language=lang,
                                   follow_installed=follow_installed)
    except Exception:
        log.critical("the kiosk could not start", exc_info=True)
        guard.uninstall()
        return EXIT_CRASHED
    log.info("kiosk %s started (%s%s)", __version__, "windowed" if windowed else "fullscreen",
             ", demo" if demo else "")
    def recover() -> None:
        fleet.crash_recovered()
        window.recover()

    guard.recover = recover  # from now on an error in a slot resets instead of ending
    app.aboutToQuit.connect(fleet.stopping)
    try:
        return int(app.exec())
    finally:
        guard.recover = None
        guard.uninstall()
