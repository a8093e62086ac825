"""Patterns of the kiosk's Markdown shared by the renderer and its Python-Markdown extensions."""

from __future__ import annotations

import re

FOOTNOTE_RUN = r"((?:\[\^[^\]\s]+\])+)"
FOOTNOTE_ID = re.compile(r"\[\^([^\]\s]+)\]")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
