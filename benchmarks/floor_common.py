"""What both floor programs share: argument parsing and reading a deck's Markdown, without kiosk code.

The floor programs are the stack's own lower bound: bare PySide6 showing the same Markdown
(rendered with python-markdown) at the same window size, so ``kiosk / floor`` is what the
kiosk adds on top of Qt.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import markdown

BUNDLED = Path(__file__).resolve().parent.parent / "content"


def parse_args(description: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--size", default="1920x1080", help="window size WxH")
    p.add_argument("--content", default=str(BUNDLED), help="deck folder (with en/, es/ …)")
    p.add_argument("--lang", default="en")
    p.add_argument("--font-px", type=int, default=26, help="body text size in pixels")
    args = p.parse_args()
    args.width, args.height = (int(v) for v in args.size.lower().split("x"))
    return args


def screens(content: str, lang: str) -> list[str]:
    """Every screen of the deck as HTML (title as a heading, then the body), in file order."""
    pages = []
    for path in sorted((Path(content) / lang).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front, body = "", text
        if text.startswith("---"):
            _, front, body = text.split("---", 2)
        title = next((line.split(":", 1)[1].strip() for line in front.splitlines()
                      if line.startswith("title:")), "")
        pages.append(markdown.markdown(f"# {title}\n\n{body}", extensions=["footnotes"]))
    return pages
