"""The printed summary sheet: what goes on it, as HTML, with no Qt and no disk.

``compose`` turns a deck language, the patient's ticks and the clinic's
settings into a ``Sheet``: one HTML document in the subset Qt rich text
shows, plus in-memory images (logo, QR code) the renderer adds to the
document as resources. Every word comes from the deck (``sheet:`` key points,
tickable items, sources) or from strings.yaml; this module only decides
structure and layout.

The date is numeric (``2026-11-25``) so no month names live in code and no
locale is consulted; tests pass ``today``.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .deck import Language, TickItem
from .render import FOOTNOTE_ID, escape

log = logging.getLogger(__name__)

PAPERS = ("letter", "a4")
LOGO_URL = "kiosk-sheet://logo"
QR_URL = "kiosk-sheet://qr"
BOX_URL = "kiosk-sheet://box"
# An empty tick box drawn as vector art, so it prints crisp and needs no font glyph.
BOX_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
           b'<rect x="5" y="5" width="86" height="86" fill="white" stroke="black" stroke-width="8"/></svg>')
NOTE_LINES = 3
FN_SUP = re.compile(r'<sup class="fn">([^<]*)</sup>')
# Sizes per text size (normal, large, largest): body, headings, small print. The
# renderer lays the page out so that one CSS px is one printer's point (1/72 in).
SIZES = ((11.5, 13.5, 8.5), (14.0, 16.0, 10.0), (16.5, 19.0, 11.5))


class SelectionError(ValueError):
    """An item id that is not in the deck; the message lists the valid ids."""


@dataclass(frozen=True)
class Sheet:
    """A composed sheet: HTML plus the images it refers to (name -> PNG bytes)."""

    html: str
    lang: str
    paper: str = "letter"
    text_size: int = 0
    resources: dict[str, bytes] = field(default_factory=dict)
    questions: tuple[str, ...] = ()  # plain text of the ticked items, for logs and tests
    key_points: tuple[str, ...] = ()

    @property
    def sizes(self) -> tuple[float, float, float]:
        return SIZES[max(0, min(self.text_size, len(SIZES) - 1))]


def item_aliases(lang: Language) -> dict[str, TickItem]:
    """Every id an item answers to: its own id and ``<screen-id>/<n>``."""
    out: dict[str, TickItem] = {}
    for screen in lang.screens:
        for n, item in enumerate(screen.items, start=1):
            out[item.id] = item
            out.setdefault(f"{screen.id}/{n}", item)
    return out


def resolve_selection(lang: Language, wanted: Iterable[str]) -> set[str]:
    """Item ids for ``--select`` values; ``all`` ticks every item."""
    wanted = list(wanted)
    items = [i.id for s in lang.screens for i in s.items]
    if wanted == ["all"]:
        return set(items)
    aliases = item_aliases(lang)
    out: set[str] = set()
    for w in wanted:
        if w == "all":
            out.update(items)
        elif w in aliases:
            out.add(aliases[w].id)
        else:
            example = next((a for a in aliases if "/" in a), "")
            hint = f" (or <screen-id>/<n>, like {example})" if example else ""
            raise SelectionError(f"unknown item id {w!r}; valid ids: all, {', '.join(items)}{hint}")
    return out


QR_MAX_VERSION = 10  # 57x57 modules: still scannable at the size the sheet prints it
QR_ERROR = "m"


def _qr(url: str):  # type: ignore[no-untyped-def]
    import segno

    # micro=False: phone cameras often ignore Micro QR codes, which segno picks for short data
    return segno.make(url, error=QR_ERROR, micro=False, boost_error=False)


@functools.lru_cache(maxsize=1)
def qr_max_length() -> int:
    """The longest text (in bytes) a code of ``QR_MAX_VERSION`` holds in byte mode (213 at level M)."""
    import segno

    low, high = 1, 4000
    while low < high:  # the largest n for which n bytes still fit
        mid = (low + high + 1) // 2
        try:
            fits = _qr("a" * mid).version <= QR_MAX_VERSION  # lower case: byte mode, as in URLs
        except segno.DataOverflowError:
            fits = False
        low, high = (mid, high) if fits else (low, mid - 1)
    return low


def qr_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be printed as a scannable QR code on the sheet (None: it can).

    Pure and cheap enough for config validation; the message is for whoever edits the config.
    """
    if not url:
        return None
    import segno

    try:
        version = _qr(url).version
    except (segno.DataOverflowError, ValueError):
        version = 41
    if isinstance(version, int) and version <= QR_MAX_VERSION:
        return None
    return (f"qr_url is {len(url.encode('utf-8'))} bytes long, too long for a QR code a phone can scan on "
            f"the sheet; use a URL of at most {qr_max_length()} ASCII characters (a short link)")


def qr_png(url: str) -> bytes:
    """A black-and-white QR code as PNG bytes (in memory); ``qr_url_problem(url)`` must be None."""
    buf = io.BytesIO()
    _qr(url).save(buf, kind="png", scale=8, border=2)
    return buf.getvalue()


def _cited(fragments: Iterable[str]) -> list[str]:
    ids: list[str] = []
    for frag in fragments:
        for run in FN_SUP.findall(frag):
            for fid in run.split(","):
                if fid and fid not in ids:
                    ids.append(fid)
        for fid in FOOTNOTE_ID.findall(frag):
            if fid not in ids:
                ids.append(fid)
    return ids


def _source_order(lang: Language, cited: list[str]) -> list[str]:
    """Cited sources in the order the sources screen lists them."""
    order = [fid for fid in lang.sources if fid in cited]
    return order + [fid for fid in cited if fid not in lang.sources]


def compose(lang: Language, ticks: Iterable[str], *, clinic: str = "", today: dt.date | None = None,
            paper: str = "letter", text_size: int = 0, qr_url: str = "",
            logo: bytes | None = None) -> Sheet:
    """The sheet for one patient; ``logo`` is the logo file's bytes, if any."""
    s = lang.strings
    ticked = set(ticks)
    today = today or dt.date.today()
    paper = paper.lower() if paper.lower() in PAPERS else "letter"
    body_pt, head_pt, small_pt = SIZES[max(0, min(text_size, len(SIZES) - 1))]
    resources: dict[str, bytes] = {}

    steps = [sc for sc in lang.steps if sc.sheet]
    points = [p for sc in steps for p in sc.sheet]
    questions = [i for sc in lang.screens for i in sc.items if i.id in ticked]
    cited = _source_order(lang, _cited(points + [q.html for q in questions]))

    parts: list[str] = []
    # Header: title, clinic and date on the left; logo on the right.
    logo_cell = ""
    if logo:
        resources[LOGO_URL] = logo
        logo_cell = f'<td align="right" valign="top" width="30%"><img src="{LOGO_URL}" height="48"></td>'
    clinic_line = f'<p class="meta"><b>{escape(clinic)}</b></p>' if clinic else ""
    parts.append(
        '<table width="100%" cellspacing="0" cellpadding="0" class="head"><tr><td valign="top">'
        f'<h1>{escape(s.get("sheet_title"))}</h1>{clinic_line}'
        f'<p class="meta">{escape(s.get("sheet_date_label"))}: {today.isoformat()}</p>'
        f"</td>{logo_cell}</tr></table>"
    )
    # Key points, grouped by step screen.
    parts.append(f'<h2>{escape(s.get("sheet_key_points_heading"))}</h2>')
    if points:
        parts.append('<ul class="points">' + "".join(f"<li>{p}</li>" for p in points) + "</ul>")
    # Ticked questions, with a box to tick at the visit.
    parts.append(f'<h2>{escape(s.get("sheet_questions_heading"))}</h2>')
    if questions:
        resources[BOX_URL] = BOX_SVG
        parts.append('<table class="q" width="100%" cellspacing="0" cellpadding="1">' + "".join(
            f'<tr><td width="{body_pt * 1.6:.0f}" valign="middle"><img src="{BOX_URL}" '
            f'width="{body_pt * 0.85:.1f}" height="{body_pt * 0.85:.1f}"></td><td>{q.html}</td></tr>'
            for q in questions) + "</table>")
    else:
        parts.append(f'<p>{escape(s.get("sheet_no_questions"))}</p>')
    # Notes: a few ruled lines to write on.
    parts.append(f'<h2>{escape(s.get("sheet_notes_heading"))}</h2>')
    parts.append('<table class="notes" width="100%" cellspacing="0" cellpadding="0">'
                 + f'<tr><td class="line" height="{body_pt * 2.2:.0f}">&nbsp;</td></tr>' * NOTE_LINES
                 + "</table>")
    # Sources cited on the sheet, numbered as on screen; QR code beside them.
    src_html = ""
    if cited:
        src_html = (f'<h2>{escape(s.get("sheet_sources_heading"))}</h2><table class="src" cellspacing="0" '
                    'cellpadding="0">' + "".join(
                        f'<tr><td valign="top" width="18">{escape(fid)}.</td><td>{lang.sources.get(fid, "")}</td></tr>'
                        for fid in cited) + "</table>")
    qr_problem = qr_url_problem(qr_url)
    if qr_problem:
        log.warning("sheet printed without its QR code: %s", qr_problem)
    if qr_url and not qr_problem:
        resources[QR_URL] = qr_png(qr_url)
        qr_cell = (f'<td width="{int(head_pt * 9)}" align="center" valign="top">'
                   f'<img src="{QR_URL}" width="{int(head_pt * 7)}" height="{int(head_pt * 7)}">'
                   f'<p class="small">{escape(s.get("sheet_qr_caption"))}</p></td>')
        parts.append('<table width="100%" cellspacing="0" cellpadding="0"><tr>'
                     f'<td valign="top">{src_html}</td>{qr_cell}</tr></table>')
    else:
        parts.append(src_html)
    parts.append(f'<p class="disclaimer">{escape(s.get("sheet_disclaimer"))}</p>')

    css = (
        f"body {{ font-size: {body_pt}px; color: #000000; }}"
        f"h1 {{ font-size: {head_pt * 1.45:.1f}px; font-weight: bold; margin: 0 0 2px 0; }}"
        f"h2 {{ font-size: {head_pt:.1f}px; font-weight: bold; margin: {body_pt * 0.9:.1f}px 0 2px 0; }}"
        "p { margin: 0 0 2px 0; }"
        ".meta { color: #000000; }"
        "ul.points { margin: 0; -qt-list-indent: 1; }"
        "li { margin: 0 0 1px 0; }"
        "table.q td { padding-bottom: 2px; }"
        "table.notes { border-collapse: collapse; }"
        f"td.line {{ border-width: 0; border-bottom: 1px solid #555555; font-size: {body_pt * 1.9:.1f}px; }}"
        f"table.src, .small {{ font-size: {small_pt}px; }}"
        f".disclaimer {{ font-size: {small_pt}px; font-style: italic; margin-top: {body_pt:.1f}px; }}"
    )
    html = (f'<html><head><meta charset="utf-8"><style>{css}</style></head>'
            f'<body>{"".join(parts)}</body></html>')
    return Sheet(html, lang.code, paper, text_size, resources,
                 tuple(q.text for q in questions), tuple(_plain(p) for p in points))


def _plain(fragment: str) -> str:
    from .render import plain_text

    return plain_text(fragment)
