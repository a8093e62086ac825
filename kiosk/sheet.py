"""The printed summary sheet: what goes on it, as HTML, with no Qt and no disk.

``compose`` turns a deck language, the patient's ticks and the clinic's
settings into a ``Sheet``: one HTML document in the subset Qt rich text
shows, plus in-memory images (logo, QR code) the renderer adds to the
document as resources. Every word comes from the deck (``sheet:`` key points,
tickable items, sources) or from strings.yaml; this module only decides
structure and layout.

The date is written the way the patient's language writes it (Babel's CLDR
data: "November 25, 2026", "25 de noviembre de 2026"), for the day in the
kiosk's local time zone; tests pass ``today``.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
from collections.abc import Callable, Iterable
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
NOTE_LINES = 2  # ruled lines to write on when no question was chosen
FN_SUP = re.compile(r'<sup class="fn">([^<]*)</sup>')
# Sizes per text size (normal, large, largest): body, headings, small print (sources, disclaimer).
# The renderer lays the page out so that one CSS px is one printer's point (1/72 in):
# body text is at least 12 pt and small print at least 10 pt at every size.
SIZES = ((12.0, 13.0, 10.0), (14.0, 15.5, 11.0), (16.5, 18.0, 12.0))
LEADING = 90  # line height, % of the font's own: a little tighter so a full sheet fits one page
QUESTION_COLUMNS = 2  # questions sit side by side so every one fits on one page at Normal size


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
    title: str = ""  # repeated at the top of every page after the first
    page_label: str = ""  # "Page {n} of {total}", shown when the sheet runs to two pages or more
    main_message: str = ""

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


def local_today(now: dt.datetime | None = None) -> dt.date:
    """Today in the kiosk's own time zone (``now`` may be in any zone; tests pass it)."""
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        return now.date()
    return now.astimezone().date()


def long_date(day: dt.date, lang: str) -> str:
    """The date as the patient's language writes it: 'November 25, 2026', '25 de noviembre de 2026'."""
    from babel.core import UnknownLocaleError
    from babel.dates import format_date

    try:
        return format_date(day, format="long", locale=lang)
    except (UnknownLocaleError, ValueError):
        return day.isoformat()


def _line(height: float, width: str = "") -> str:
    """An empty cell with a rule at its foot: somewhere to write."""
    w = f' width="{width}"' if width else ""
    return f'<td class="line" height="{height:.0f}"{w}>&nbsp;</td>'


def _questions_table(questions: list[TickItem], body_pt: float) -> str:
    box = (f'<img src="{BOX_URL}" width="{body_pt * 0.85:.1f}" height="{body_pt * 0.85:.1f}">')
    rows = []
    for i in range(0, len(questions), QUESTION_COLUMNS):
        pair: list[TickItem | None] = [*questions[i: i + QUESTION_COLUMNS]]
        pair += [None] * (QUESTION_COLUMNS - len(pair))
        cells: list[str] = []
        lines: list[str] = []
        for q in pair:
            gap = '<td width="12"></td>' if cells else ""
            if q is None:
                cells.append(f'{gap}<td></td><td width="50%"></td>')
                lines.append(f'{gap}<td></td><td></td>')
            else:
                cells.append(f'{gap}<td width="{body_pt * 1.5:.0f}" valign="top">{box}</td>'
                             f'<td width="50%" valign="top">{q.html}</td>')
                lines.append(f'{gap}<td></td>{_line(body_pt * 1.25)}')
        rows.append(f'<tr>{"".join(cells)}</tr><tr>{"".join(lines)}</tr>')
    return '<table class="q" width="100%" cellspacing="0" cellpadding="1">' + "".join(rows) + "</table>"


def compose(lang: Language, ticks: Iterable[str], *, clinic: str = "", today: dt.date | None = None,
            paper: str = "letter", text_size: int = 0, qr_url: str = "",
            logo: bytes | None = None, date_text: Callable[[dt.date, str], str] | None = None) -> Sheet:
    """The sheet for one patient; ``logo`` is the logo file's bytes, if any. ``date_text``
    writes the date in the patient's language (default ``long_date``; the kiosk passes
    ``sheet_render.long_date``, which uses Qt's own locale data instead of Babel's).

    From the top: title, clinic and date; the main message (the start screen's
    ``sheet:`` point); today's numbered steps beside blank fields for the
    appointment date and the doctor; the key points (``sheet:`` of the step
    screens); the chosen questions in two columns, each with a line for the
    answer; prompts with space to write what to tell the doctor; the sources
    cited, numbered as on screen; the disclaimer. Quiz answers are never here.
    """
    s = lang.strings
    ticked = set(ticks)
    today = today or local_today()
    paper = paper.lower() if paper.lower() in PAPERS else "letter"
    body_pt, head_pt, small_pt = SIZES[max(0, min(text_size, len(SIZES) - 1))]
    resources: dict[str, bytes] = {}

    start = next((sc for sc in lang.screens if sc.kind == "start"), None)
    main = start.sheet if start is not None else []
    points = [p for sc in lang.steps for p in sc.sheet]
    today_steps = lang.today
    questions = [i for sc in lang.screens for i in sc.items if i.id in ticked]
    cited = _source_order(lang, _cited(main + points + today_steps + [q.html for q in questions]))

    parts: list[str] = []
    # Header: logo and QR code float right; title, then clinic, date and the QR caption.
    floats = ""
    if logo:
        resources[LOGO_URL] = logo
        floats += f'<img src="{LOGO_URL}" height="40" style="float: right">'
    qr_caption = ""
    qr_problem = qr_url_problem(qr_url)
    if qr_problem:
        log.warning("sheet printed without its QR code: %s", qr_problem)
    if qr_url and not qr_problem:
        resources[QR_URL] = qr_png(qr_url)
        side = small_pt * 4.2
        floats += f'<img src="{QR_URL}" width="{side:.0f}" height="{side:.0f}" style="float: right">'
        qr_caption = f' &nbsp;·&nbsp; <span class="small">{escape(s.get("sheet_qr_caption"))}</span>'
    clinic_part = f"<b>{escape(clinic)}</b> &nbsp;·&nbsp; " if clinic else ""
    parts.append(
        f'<h1>{floats}{escape(s.get("sheet_title"))}</h1>'
        f'<p class="meta">{clinic_part}{escape(s.get("sheet_date_label"))}: '
        f"{escape((date_text or long_date)(today, lang.code))}{qr_caption}</p>"
    )
    # The main message, boxed, before anything else.
    if main:
        parts.append('<table class="main" width="100%" border="1" cellspacing="0" cellpadding="3"><tr><td>'
                     + "".join(f"<p><b>{m}</b></p>" for m in main) + "</td></tr></table>")
    # Today's steps beside the fields to fill in at the desk.
    fields = ('<table width="100%" cellspacing="0" cellpadding="0">'
              f'<tr><td class="label" valign="bottom">{escape(s.get("sheet_appointment_date"))}:</td>'
              f'{_line(body_pt * 1.6, "58%")}</tr>'
              f'<tr><td class="label" valign="bottom">{escape(s.get("sheet_doctor"))}:</td>'
              f'{_line(body_pt * 1.6, "58%")}</tr>'
              "</table>")
    steps_html = ""
    if today_steps:
        steps_html = (f'<h2>{escape(s.get("today_steps_heading"))}</h2><ol class="today">'
                      + "".join(f"<li>{t}</li>" for t in today_steps) + "</ol>")
    parts.append('<table width="100%" cellspacing="0" cellpadding="0"><tr>'
                 f'<td width="62%" valign="top">{steps_html}</td><td width="3%"></td>'
                 f'<td width="35%" valign="bottom">{fields}</td></tr></table>')
    # Key points.
    if points:
        parts.append(f'<h2>{escape(s.get("sheet_key_points_heading"))}</h2>')
        parts.append('<ul class="points">' + "".join(f"<li>{p}</li>" for p in points) + "</ul>")
    # Chosen questions, two columns, a box to tick and a line for the answer under each.
    parts.append(f'<h2>{escape(s.get("sheet_questions_heading"))}</h2>')
    if questions:
        resources[BOX_URL] = BOX_SVG
        parts.append(_questions_table(questions, body_pt))
    else:
        parts.append(f'<p>{escape(s.get("sheet_no_questions"))}</p>')
        parts.append('<table class="notes" width="100%" cellspacing="0" cellpadding="0">'
                     + f"<tr>{_line(body_pt * 2.0)}</tr>" * NOTE_LINES + "</table>")
    # What to tell the doctor: three prompts side by side, each with room to write.
    prompts = ("sheet_tell_symptoms", "sheet_tell_started", "sheet_tell_medicines")
    width = 100 // len(prompts)
    parts.append(f'<h2>{escape(s.get("sheet_tell_heading"))}</h2>'
                 '<table class="tell" width="100%" cellspacing="0" cellpadding="0"><tr>'
                 + '<td width="10"></td>'.join(f'<td width="{width}%" valign="top">{escape(s.get(k))}:</td>'
                                               for k in prompts)
                 + "</tr>" + ("<tr>" + '<td width="10"></td>'.join(_line(body_pt * 1.6) for _ in prompts)
                              + "</tr>") * 2 + "</table>")
    # Sources cited on the sheet, numbered as on screen; QR code beside them.
    src_html = ""
    if cited:
        half = (len(cited) + 1) // 2
        columns = [cited[:half], cited[half:]]
        src_html = (f'<p class="srchead"><b>{escape(s.get("sheet_sources_heading"))}</b></p>'
                    '<table class="src" width="100%" cellspacing="0" cellpadding="0"><tr>'
                    + '<td width="12"></td>'.join(
                        '<td width="50%" valign="top"><table cellspacing="0" cellpadding="0">' + "".join(
                            f'<tr><td valign="top" width="14">{escape(fid)}.</td>'
                            f'<td>{lang.sources.get(fid, "")}</td></tr>' for fid in column) + "</table></td>"
                        for column in columns)
                    + "</tr></table>")
    parts.append(src_html + f'<p class="disclaimer">{escape(s.get("sheet_disclaimer"))}</p>')

    css = (
        f"body {{ font-size: {body_pt}px; color: #000000; }}"
        f"h1 {{ font-size: {head_pt * 1.3:.1f}px; font-weight: bold; margin: 0 0 1px 0; }}"
        f"h2 {{ font-size: {head_pt:.1f}px; font-weight: bold; margin: {body_pt * 0.3:.1f}px 0 0 0; }}"
        "p { margin: 0 0 1px 0; }"
        f"p, li, td {{ line-height: {LEADING}%; }}"
        "table.main { margin-top: 4px; border-color: #000000; border-style: solid; }"
        "ul.points, ol.today { margin: 0; -qt-list-indent: 1; }"
        "li { margin: 0; }"
        "td.label { padding-right: 6px; white-space: nowrap; }"
        f"td.line {{ border-width: 0; border-bottom: 1px solid #444444; font-size: {body_pt}px; }}"
        f"table.src, .small, .srchead {{ font-size: {small_pt}px; }}"
        f".srchead {{ margin-top: {body_pt * 0.5:.1f}px; }}"
        f".disclaimer {{ font-size: {small_pt}px; font-style: italic; margin-top: 3px; }}"
    )
    html = (f'<html><head><meta charset="utf-8"><style>{css}</style></head>'
            f'<body>{"".join(parts)}</body></html>')
    return Sheet(html, lang.code, paper, text_size, resources,
                 tuple(q.text for q in questions), tuple(_plain(p) for p in points),
                 title=s.get("sheet_title"), page_label=s.get("sheet_page_of"),
                 main_message=" ".join(_plain(m) for m in main))


def _plain(fragment: str) -> str:
    from .render import plain_text

    return plain_text(fragment)
