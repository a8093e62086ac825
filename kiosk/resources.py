"""Where the files the kiosk reads at run time live: the bundled deck, fonts, service units.

Authors edit ``content/`` and ``assets/`` at the top of the repository. The
wheel carries copies of both inside the package, as ``kiosk/_data/content``
and ``kiosk/_data/assets`` (``setup.py`` copies them at build time), so an
installed kiosk (``pipx install clinic-kiosk-*.whl``) finds them from any
working directory. A checkout or an editable install has no ``_data`` folder
and reads the top-level folders directly, so an author's edit shows at once.

Everything goes through ``importlib.resources`` on the ``kiosk`` package; the
result is a real ``Path`` because pip always installs a wheel unzipped and Qt
and the deck loader need file names.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DATA = "_data"  # folder inside the installed package (see setup.py)


class ResourceError(RuntimeError):
    """The package was installed without its data (a broken build)."""


def _package_dir() -> Path:
    root = files("kiosk")
    if not isinstance(root, Path):  # a zip import: not supported, the loader needs real files
        raise ResourceError(f"the kiosk package is not installed as plain files ({root}); reinstall it with pip")
    return root


def data_root() -> Path:
    """The folder holding ``content/`` and ``assets/``: in the package, else the checkout's top level."""
    package = _package_dir()
    for candidate in (package / DATA, package.parent):
        if (candidate / "content").is_dir() and (candidate / "assets").is_dir():
            return candidate
    raise ResourceError(
        f"neither {package / DATA} nor {package.parent} holds content/ and assets/; "
        "the wheel was built without its data: rebuild it from a checkout (pip wheel .)")


def bundled_content() -> Path:
    """The deck shipped with the kiosk (``content/``: one folder per language, manifest.toml)."""
    return data_root() / "content"


def assets_dir() -> Path:
    return data_root() / "assets"


def fonts_dir() -> Path:
    """Atkinson Hyperlegible (OFL) TTF files the UI and the printed sheet register."""
    return assets_dir() / "fonts"


def service_dir() -> Path:
    """systemd units (``kiosk.service``, ``cage-kiosk.service``) for installers to copy."""
    return assets_dir() / "service"


def is_packaged() -> bool:
    """True when running from an installed wheel, False from a checkout or editable install."""
    return data_root() == _package_dir() / DATA
