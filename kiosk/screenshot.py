"""``kiosk screenshot``: every screen to a numbered PNG, no display needed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from .config import Config


def run(config: Config, content: Path, lang: str, out_dir: Path, size: tuple[int, int],
        text_size: int, select: list[str], out: TextIO, contrast: str = "normal") -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from .app import make_app, open_deck

    deck = open_deck(content, lang)
    if deck is None:
        return 1
    app = make_app()
    from .ui.window import KioskWindow

    window = KioskWindow(deck, config.with_values(display={"transition_ms": 0}), language=lang)
    window.resize(*size)
    window.show()
    session = window.session
    language = deck.language(lang)
    items = [i.id for s in language.screens for i in s.items]
    wanted = items if select == ["all"] else select
    unknown = [i for i in wanted if i not in items]
    if unknown:
        print(f"unknown item id {unknown[0]!r}; valid ids: {', '.join(items)}", file=out)
        return 1
    for item in wanted:
        session.toggle(item)
    session.set_text_size(text_size)
    session.set_contrast(contrast)
    out_dir.mkdir(parents=True, exist_ok=True)
    for index, screen in enumerate(language.screens):
        window.sources.hide()
        if screen.kind == "sources":  # not a step: it opens over the screen on demand
            window.show_sources()
        else:
            session.go_to(screen.id)
        for _ in range(3):  # show, then the layout requests it posts
            app.processEvents()
        path = out_dir / f"{index:02d}-{screen.id}.png"
        window.grab().save(str(path))
        print(path, file=out)
    window.close()
    return 0
