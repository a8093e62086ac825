"""Write a large valid deck made from the bundled one, for the deck-size benchmarks.

``python benchmarks/gen_deck.py OUT_DIR [--screens 150]`` writes, for every language of the
bundled deck: its Start screen, ``screens - 3`` step screens (the bundled steps repeated in
turn, each with its own number in the title and label, and tick ids made unique), its
summary and its sources, and strings.yaml as is. ``kiosk check --content OUT_DIR`` passes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent.parent / "content"
AUTHOR_ID = re.compile(r"\{#([A-Za-z0-9][A-Za-z0-9_.-]*)\}")


def _front_line(text: str, key: str, value: str) -> str:
    return re.sub(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)


def generate(out: Path, screens: int = 150, source: Path = BUNDLED) -> Path:
    """Write the deck into ``out`` (made if missing); returns ``out``."""
    if screens < 4:
        raise ValueError("a deck needs at least 4 screens: start, a step, summary, sources")
    steps_wanted = screens - 3
    for lang in sorted(p for p in source.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        files = sorted(lang.glob("*.md"))
        start, *steps, summary, sources = files
        dest = out / lang.name
        dest.mkdir(parents=True, exist_ok=True)
        width = len(str(steps_wanted + 2))
        shutil.copy(start, dest / f"{0:0{width}d}-start.md")
        for n in range(1, steps_wanted + 1):
            src = steps[(n - 1) % len(steps)]
            text = src.read_text(encoding="utf-8")
            title = re.search(r"^title:\s*(.*)$", text, re.M)
            label = re.search(r"^label:\s*(.*)$", text, re.M)
            if title:
                text = _front_line(text, "title", f"{title.group(1)} ({n})")
            if label:
                text = _front_line(text, "label", f"{label.group(1)} {n}")
            text = AUTHOR_ID.sub(lambda m, n=n: f"{{#{m.group(1)}-{n}}}", text)
            slug = src.stem.split("-", 1)[1]
            (dest / f"{n:0{width}d}-{slug}-{n}.md").write_text(text, encoding="utf-8")
        shutil.copy(summary, dest / f"{steps_wanted + 1:0{width}d}-summary.md")
        shutil.copy(sources, dest / f"{steps_wanted + 2:0{width}d}-sources.md")
        for extra in lang.iterdir():
            if extra.suffix != ".md":
                if extra.is_dir():
                    shutil.copytree(extra, dest / extra.name, dirs_exist_ok=True)
                else:
                    shutil.copy(extra, dest / extra.name)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("out", type=Path)
    p.add_argument("--screens", type=int, default=150)
    args = p.parse_args()
    generate(args.out, args.screens)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
