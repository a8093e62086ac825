"""``kiosk deck install|status|rollback``: content rollout onto one kiosk.

``install SOURCE`` takes a deck folder, a ``.tar.gz`` of one, or a git repository
(``--ref`` branch, tag or commit; cloned with the git CLI). It runs the same
checks as ``kiosk check`` (readability too where the authoring extra is
installed) and refuses a deck with problems, listing them; otherwise it
stores the deck as a new version and switches to it atomically
(``kiosk.deckstore``). Exit codes: 0 done (or already current), 1 refused or
failed, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import deckstore

if TYPE_CHECKING:  # the checks load on use: ``kiosk`` builds this parser at every start
    from .deck import Problem
    from .plain_language import Limits

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    d = subparsers.add_parser("deck", help="install, show or roll back the deck this kiosk shows")
    d.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                   help="kiosk.toml for the [check] limits (default: the usual lookup)")
    d.add_argument("--state-dir", metavar="DIR",
                   help="where decks are kept (default: $STATE_DIRECTORY, /var/lib/kiosk, ~/.local/state/kiosk)")
    sub = d.add_subparsers(dest="deck_command", metavar="ACTION", required=True)
    i = sub.add_parser("install", help="check a deck and make it the current one (folder, .tar.gz or git)")
    i.add_argument("source", metavar="SOURCE", help="a deck folder, a .tar.gz of one, or a git repository")
    i.add_argument("--ref", metavar="REF", help="git branch, tag or commit (makes SOURCE a git repository)")
    sub.add_parser("status", help="the current deck: version, reviewer, approval date, where it came from")
    sub.add_parser("rollback", help="go back to the version installed before the current one")
    return d


def run(args: argparse.Namespace, *, state_dir: Path, limits: Limits | None = None,
        default_language: str = "en", out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    state = Path(args.state_dir) if getattr(args, "state_dir", None) else state_dir
    try:
        if args.deck_command == "install":
            return install(args.source, args.ref, state, limits=limits, default_language=default_language,
                           out=out, err=err)
        if args.deck_command == "rollback":
            back = deckstore.rollback(state)
            print(f"rolled back: {back.name} is current ({_describe(back.manifest)})", file=out)
            return EXIT_OK
        return status(state, out)
    except deckstore.DeckStoreError as e:
        print(e, file=err)
        return EXIT_REFUSED


def status(state: Path, out: TextIO) -> int:
    now = deckstore.current(state)
    if now is None:
        print(f"no deck installed in {deckstore.decks_dir(state)}; "
              "the kiosk shows the configured content or the bundled deck", file=out)
        return EXIT_OK
    m = now.manifest
    print(f"current: {now.name}", file=out)
    print(f"version: {m.version}", file=out)
    print(f"clinical reviewer: {m.clinical_reviewer}", file=out)
    print(f"approved: {m.approved.isoformat()}", file=out)
    print(f"source: {now.source}", file=out)
    print(f"folder: {now.path}", file=out)
    others = [i.name for i in deckstore.installed(state) if i.name != now.name]
    print(f"kept for rollback: {', '.join(others) if others else 'none'}", file=out)
    return EXIT_OK


def install(source: str, ref: str | None, state: Path, *, limits: Limits | None = None,
            default_language: str = "en", out: TextIO, err: TextIO) -> int:
    from .check import check_deck, skipped

    if ref is not None and ref.startswith("-"):
        print(f"--ref {ref!r}: a ref does not start with '-'", file=err)
        return EXIT_USAGE
    with tempfile.TemporaryDirectory(prefix="kiosk-deck-") as tmp:
        work = Path(tmp) / "src"
        if deckstore.is_git_source(source, ref):
            deck, commit = deckstore.clone_git(source, ref, work)
            label = f"{source}@{ref or 'HEAD'}"
            where = f"git {source} {ref or 'HEAD'} (commit {commit})"
        else:
            path = Path(source).expanduser()
            if path.is_dir():
                deck, label = deckstore.deck_root(path), str(path)
                where = str(path.resolve())
            elif path.is_file() and path.name.endswith((".tar.gz", ".tgz", ".tar")):
                deck, label = deckstore.extract_tarball(path, work), str(path)
                where = str(path.resolve())
            else:
                print(f"{source}: not a deck folder, a .tar.gz or a git repository (git: add --ref REF)", file=err)
                return EXIT_USAGE
        manifest = deckstore.read_manifest(deck)  # first: without it nothing else matters
        for note in skipped():
            print(f"kiosk deck install: {note}", file=err)
        problems = check_deck(deck, default_language, limits)
        if problems:
            fetched = deck if not Path(source).expanduser().is_dir() else None
            print(f"refused: {label} has {len(problems)} problem{'s' if len(problems) != 1 else ''}; "
                  "the current deck stays", file=err)
            for p in problems:
                print(_relabel(p, fetched, label), file=err)
            return EXIT_REFUSED
        outcome = deckstore.store(state, deck, where)
    now = outcome.installed
    if outcome.changed:
        print(f"installed {now.name} ({_describe(manifest)}); the kiosk switches to it at its next Start",
              file=out)
    else:
        print(f"already current: {now.name} has the same files; nothing changed", file=out)
    return EXIT_OK


def _describe(m: deckstore.Manifest) -> str:
    return f"version {m.version}, approved {m.approved.isoformat()} by {m.clinical_reviewer}"


def _relabel(problem: Problem, fetched: Path | None, label: str) -> str:
    """A problem in an unpacked copy names the file inside the source (``deck.tar.gz/en/10-x.md:3``)."""
    if fetched is None:
        return str(problem)
    try:
        rel = problem.path.relative_to(fetched)
    except ValueError:
        return str(problem)
    return str(type(problem)(Path(label) / rel, problem.line, problem.message))
