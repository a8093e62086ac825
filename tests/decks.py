"""Small decks written to real files for tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from kiosk.resources import bundled_content

MINI = {
    "00-start.md": "---\ntitle: Welcome\nkind: start\n---\nHello.\n",
    "10-risk.md": "---\ntitle: Risk\nlabel: Risk\nsheet:\n  - Ask your doctor.[^1]\n---\n"
                  "Reading an MRI takes training.[^1]\n",
    "20-next.md": "---\ntitle: Next steps\n---\nTick what you want to ask:\n\n"
                  "- [ ] What does my MRI show?\n- [ ] Is this the cause? {#q-cause}\n",
    "80-summary.md": "---\ntitle: Summary\nkind: summary\n---\nLook at what you chose.\n",
    "90-sources.md": "---\ntitle: Sources\nkind: sources\n---\nWhere this comes from:\n\n"
                     "[^1]: Clinical guidelines.\n",
}


def strings_from_bundle(lang: str = "en") -> str:
    return (bundled_content() / lang / "strings.yaml").read_text(encoding="utf-8")


def make_deck(root: Path, files: dict[str, str | bytes] | None = None, lang: str = "en",
              strings: bool = True) -> Path:
    """Write MINI (updated with ``files``; a None value deletes) to root/lang."""
    folder = root / lang
    folder.mkdir(parents=True, exist_ok=True)
    merged: dict[str, str | bytes | None] = {**MINI, **(files or {})}
    for name, text in merged.items():
        if text is None:
            continue
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    if strings:
        (folder / "strings.yaml").write_text(strings_from_bundle(lang), encoding="utf-8")
    return root


def copy_bundled(root: Path) -> Path:
    shutil.copytree(bundled_content(), root, dirs_exist_ok=True)
    return root
