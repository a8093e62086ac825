"""Command line: ``kiosk`` runs the kiosk; sub-commands serve authors and staff.

Every error a person can cause (bad config, broken deck, missing display)
ends in one plain line and an exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import sys
from pathlib import Path
from typing import TextIO

from . import __version__
from .config import Config, ConfigError, find_config_file, load, load_lenient

log = logging.getLogger("kiosk")

EXIT_OK, EXIT_PROBLEMS, EXIT_CONFIG = 0, 1, 2


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size '{text}' should look like 1280x800") from None
    if not (320 <= w <= 8000 and 320 <= h <= 8000):
        raise argparse.ArgumentTypeError(f"size '{text}' should be between 320x320 and 8000x8000")
    return w, h


def _common(p: argparse.ArgumentParser, top: bool = False) -> None:
    """--content, --config, --lang: on ``kiosk`` itself (``top``) and on each sub-command; a
    sub-command leaves what was given before it alone (``kiosk --content DIR check``)."""
    default = None if top else argparse.SUPPRESS
    p.add_argument("--content", metavar="DIR", default=default,
                   help="deck folder (default: config, then bundled)")
    p.add_argument("--config", metavar="FILE", default=default, help="kiosk.toml (default: $KIOSK_CONFIG, "
                   "then ~/.config/kiosk/kiosk.toml, then /etc/kiosk/kiosk.toml)")
    p.add_argument("--lang", metavar="CODE", default=default, help="language to start in (default: config)")


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """``kiosk``'s parser; ``commands=False``: the kiosk's own options only (``parse_args``
    tries that first: the sub-commands' modules cost 7 ms of the kiosk's start)."""
    p = argparse.ArgumentParser(prog="kiosk", description="Patient-education kiosk.")
    p.add_argument("--version", action="version", version=f"kiosk {__version__}")
    _common(p, top=True)
    p.add_argument("--windowed", action="store_true", help="open in a window, not fullscreen")
    p.add_argument("--size", type=parse_size, default=(1280, 800), metavar="WxH",
                   help="window size with --windowed (default 1280x800)")
    p.add_argument("--demo", action="store_true", help="play the screens by themselves (never prints)")
    if not commands:
        p.set_defaults(command=None)
        return p
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("check", help="check a deck; prints path:line: message per problem")
    _common(c)

    s = sub.add_parser("screenshot", help="render every screen to PNG, without a display")
    _common(s)
    s.add_argument("--out", required=True, metavar="DIR", help="folder for the PNG files")
    s.add_argument("--size", type=parse_size, default=(1920, 1080), metavar="WxH")
    s.add_argument("--text-size", type=int, choices=(0, 1, 2), default=0,
                   help="0 normal, 1 large, 2 largest")
    s.add_argument("--select", nargs="*", default=[], metavar="ID",
                   help="tick these item ids ('all' ticks every item) before rendering")
    s.add_argument("--contrast", choices=("normal", "high"), default="normal", help="colour theme")

    sh = sub.add_parser("sheet", help="write the printed summary as PDF, or send it to a printer")
    _common(sh)
    sh.add_argument("--out", metavar="FILE.pdf", help="write the sheet to this PDF file")
    sh.add_argument("--printer", metavar="NAME", nargs="?", const="",
                    help="send the sheet to this CUPS printer (no NAME: [print] printer, then the default)")
    sh.add_argument("--select", nargs="*", default=[], metavar="ID",
                    help="tick these item ids (<screen-id>/<n> or the author's id; 'all' ticks every item)")
    sh.add_argument("--text-size", type=int, choices=(0, 1, 2), default=0,
                    help="0 normal, 1 large, 2 largest")

    pv = sub.add_parser("preview", help="a windowed kiosk that reloads the deck when a file is saved, "
                        "with 'kiosk check' problems in a banner")
    _common(pv)
    pv.add_argument("--size", type=parse_size, default=(1280, 800), metavar="WxH",
                    help="window size (default 1280x800)")

    from .deck_cli import add_parser as add_deck
    from .stats_cli import add_parser as add_stats

    add_deck(sub)
    add_stats(sub)
    from .doctor import add_parser as add_doctor

    _common(add_doctor(sub))

    pin = sub.add_parser("set-pin", help="set the staff PIN (asks twice; reads one line when piped)")
    pin.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                     help="kiosk.toml to write (default: $KIOSK_CONFIG, then ~/.config/kiosk/kiosk.toml)")
    return p


def resolve(args: argparse.Namespace) -> tuple[Config, Path, str]:
    if args.command is None:
        # The kiosk itself keeps running on what is good: a bad key keeps its
        # default and the problem goes to stderr and the log (exit 2 is for tools).
        config = load_lenient(getattr(args, "config", None))
        for problem in config.problems:
            print(problem, file=sys.stderr)
    else:
        config = load(getattr(args, "config", None))
    content = Path(args.content) if getattr(args, "content", None) else config.content_dir
    lang = getattr(args, "lang", None) or config.default_language
    return config, content, lang


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The kiosk's own options without building the sub-commands' parsers when that is all
    there is; anything else (a sub-command, --help, a mistake) goes to the whole parser."""
    if not {"-h", "--help"} & set(argv):
        quiet = io.StringIO()  # --version or a mistake: the whole parser says it
        with contextlib.redirect_stderr(quiet), contextlib.redirect_stdout(quiet):
            try:
                args, rest = build_parser(commands=False).parse_known_args(argv)
            except SystemExit:
                rest = argv
        if not rest:
            return args
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # The kiosk and the preview log their events; the tools print only what went wrong.
    level = logging.INFO if args.command in (None, "preview") else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if args.command == "set-pin":
        from .pin import run_set_pin

        return run_set_pin(args.config, out=out)
    if args.command == "doctor":
        from .doctor import run as doctor

        config = load_lenient(args.config)  # a bad file is one of the things doctor reports
        content = Path(args.content) if args.content else config.content_dir
        return doctor(args, config=config, deck_dir=content, config_problems=config.problems,
                      config_where=str(find_config_file(args.config) or "kiosk.toml"), out=out)
    try:
        config, content, lang = resolve(args)
    except ConfigError as e:
        print(e, file=sys.stderr)
        return EXIT_CONFIG
    if args.command == "check":
        from .app import config_problems_needing_qt
        from .check import run
        from .plain_language import Limits

        key_problems = config_problems_needing_qt(config)
        for problem in key_problems:
            print(problem, file=out)
        code = run(content, lang, out, Limits.from_config(config))
        return EXIT_CONFIG if key_problems and code == EXIT_OK else code
    if args.command == "deck":
        from . import paths
        from .deck_cli import run as deck
        from .plain_language import Limits

        return deck(args, state_dir=paths.state_dir(), limits=Limits.from_config(config),
                    default_language=config.default_language, out=out)
    if args.command == "stats":
        from .stats_cli import run as stats

        return stats(args, database=config.stats_database, out=out)
    if args.command == "preview":
        from .preview import run_preview

        return run_preview(config, content, lang, args.size)
    if args.command == "screenshot":
        from .screenshot import run as shoot

        return shoot(config, content, lang, Path(args.out), args.size, args.text_size, args.select, out,
                     contrast=args.contrast)
    if args.command == "sheet":
        from .sheet_cli import run as sheet

        printer = args.printer if args.printer is None or args.printer else config.print.printer
        return sheet(config, content, lang, out_path=Path(args.out) if args.out else None, printer=printer,
                     select=args.select, text_size=args.text_size, out=out)
    from . import deckstore, paths
    from .app import run_kiosk

    installed = deckstore.active_deck_dir(paths.state_dir())
    follow = not args.content and not config.content and installed is not None and content == installed
    return run_kiosk(config, content, lang, windowed=args.windowed, size=args.size, demo=args.demo,
                     follow_installed=follow)

