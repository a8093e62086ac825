"""Run-time files are found through kiosk.resources, in a checkout as in an installed wheel.

(The wheel side is tests/test_wheel_install.py.)
"""

from __future__ import annotations

from pathlib import Path

from kiosk import resources

REPO = Path(__file__).resolve().parent.parent


def test_a_checkout_reads_the_top_level_folders_authors_edit():
    assert resources.bundled_content() == REPO / "content"
    assert resources.assets_dir() == REPO / "assets"
    assert not resources.is_packaged()


def test_the_bundled_deck_fonts_and_units_are_there():
    assert {p.name for p in resources.bundled_content().iterdir() if p.is_dir()} >= {"en", "es"}
    assert (resources.bundled_content() / "manifest.toml").is_file()
    assert len(list(resources.fonts_dir().glob("AtkinsonHyperlegible-*.ttf"))) == 4
    assert (resources.service_dir() / "kiosk.service").is_file()
