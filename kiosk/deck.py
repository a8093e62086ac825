"""A deck: one folder per language, one Markdown file per screen.

Loading never raises for bad content. Every problem becomes a ``Problem``
(``path:line: message``) and the screen that has it is kept when it can
still be shown, or left out when it cannot; the kiosk runs on what was good.
All Markdown is rendered here, once, so changing screens renders nothing.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from . import limits, render
from .images import image_problem
from .problems import MAX_MESSAGE, Problem  # noqa: F401  (kiosk.deck.Problem is the usual name)
from .pronunciations import load_pronunciations
from .strings import (
    COUNTED,
    KEYS,
    Strings,
    allowed_categories,
    check_text,
    plural_rules,
    required_categories,
    split_key,
)

KINDS = ("start", "step", "quiz", "summary", "sources")
log = logging.getLogger(__name__)

FRONT_KEYS = ("title", "id", "kind", "label", "sheet", "demo_seconds", "quiz", "today")
QUIZ_SIZE = (2, 3)  # a check-yourself screen has this many statements, at least and at most
FILE_NAME = re.compile(r"^(\d+)-([a-z0-9][a-z0-9-]*)\.md$")
SCREEN_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_BYTES = 256 * 1024
DEMO_SECONDS = (1, 600)  # a screen's demo_seconds, inclusive
RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<!--")
IMAGE_MD = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")
LINK_TARGET = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)")
FN_SUP_IDS = re.compile(r'<sup class="fn">([^<]*)</sup>')
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>")


@dataclass
class TickItem:
    id: str
    html: str
    text: str
    line: int


@dataclass
class Block:
    """One run of a screen body.

    ``kind`` is "html" (shown as rich text) or "ticks" (toggle buttons). An html
    block may have a ``role``: "clinic-advice" (a ``!!! clinic-advice "Label"``
    block: ``title`` is its label from the content, ``html`` already carries the
    label in bold inside a bordered one-cell table) or "today" (the numbered
    steps from the ``today:`` front matter, an ``<ol>``). ``images`` lists every
    picture in the block as (file, description); the description is what speech
    reads for the picture.
    """

    kind: str  # "html" or "ticks"
    html: str = ""
    items: list[TickItem] = field(default_factory=list)
    role: str = ""  # "", "clinic-advice" or "today"
    title: str = ""  # the clinic-advice block's label
    images: list[tuple[Path, str]] = field(default_factory=list)


@dataclass(frozen=True)
class QuizItem:
    """One true/false statement of a check-yourself (``kind: quiz``) screen.

    Answers are never stored and never printed; the screen shows the feedback
    after a tap."""

    statement_html: str
    answer: bool
    feedback_html: str
    line: int

    @property
    def statement(self) -> str:
        return render.plain_text(self.statement_html)

    @property
    def feedback(self) -> str:
        return render.plain_text(self.feedback_html)


@dataclass
class Screen:
    id: str
    kind: str
    title: str
    label: str
    path: Path
    blocks: list[Block]
    sheet: list[str] = field(default_factory=list)  # rendered inline HTML
    demo_seconds: float | None = None
    text: str = ""  # plain body text, for word counts and readability
    cites: dict[str, int] = field(default_factory=dict)  # footnote id -> first line
    quiz: list[QuizItem] = field(default_factory=list)  # kind "quiz" only
    today: list[str] = field(default_factory=list)  # numbered steps for today, inline HTML

    @property
    def items(self) -> list[TickItem]:
        return [item for b in self.blocks for item in b.items]

    @property
    def images(self) -> list[tuple[Path, str]]:
        return [img for b in self.blocks for img in b.images]


@dataclass
class Language:
    code: str
    screens: list[Screen]
    strings: Strings
    sources: dict[str, str]  # footnote id -> rendered inline HTML, in order
    folder: Path
    pronunciations: dict[str, str] | None = None  # speech.yaml's usable entries (None: not read)

    def screen(self, screen_id: str) -> Screen | None:
        return next((s for s in self.screens if s.id == screen_id), None)

    def item(self, item_id: str) -> TickItem | None:
        return next((i for s in self.screens for i in s.items if i.id == item_id), None)

    @property
    def steps(self) -> list[Screen]:
        return [s for s in self.screens if s.kind == "step"]

    @property
    def journey(self) -> list[Screen]:
        """The screens a patient walks through, in order: Start, the steps, the summary last.

        The sources screen is not a step: it opens on demand (a first-edition deck
        that puts it last still works)."""
        return [s for s in self.screens if s.kind != "sources"]

    @property
    def sources_screen(self) -> Screen | None:
        return next((s for s in self.screens if s.kind == "sources"), None)

    @property
    def today(self) -> list[str]:
        """The numbered steps for today (inline HTML) from the first screen that has them."""
        return next((s.today for s in self.screens if s.today), [])


@dataclass
class Deck:
    root: Path
    languages: dict[str, Language]
    problems: list[Problem]

    def language(self, code: str) -> Language:
        if code in self.languages:
            return self.languages[code]
        return next(iter(self.languages.values()))


class DeckError(Exception):
    """The deck has nothing that can be shown at all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as e:
        problems.append(Problem(path, 1, f"cannot read the file ({e.strerror})"))
        return None
    if len(data) > MAX_BYTES:
        problems.append(
            Problem(path, 1, f"file is {len(data) // 1024} KB; a screen may be at most "
                    f"{MAX_BYTES // 1024} KB, split it into several screens")
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        problems.append(
            Problem(path, line, "text is not UTF-8 (bad bytes were replaced); save the file as UTF-8")
        )
        return data.decode("utf-8", errors="replace")


def _split_front(path: Path, text: str, problems: list[Problem]) -> tuple[dict[str, Any], str, int] | None:
    """Return (front matter, body, first body line) or None when unusable."""
    if not text.startswith("---"):
        problems.append(Problem(path, 1, "missing front matter: start the file with a '---' line, "
                                "then 'title: ...', then '---'"))
        return None
    lines = text.splitlines()
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.append(Problem(path, 1, "front matter is not closed: add a '---' line after it"))
        return None
    over = limits.scan(text, end)
    if over is not None:
        problems.append(Problem(path, over[0], f"{over[1]}; this screen is left out"))
        return None
    try:
        meta = limits.load_yaml("\n".join(lines[1:end]))
    except limits.YAMLError as e:
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # the YAML starts on the file's line 2
        reason = ": ".join(filter(None, (getattr(e, "context", None), getattr(e, "problem", None))))
        problems.append(Problem(path, line, f"bad YAML in front matter: {reason[:200] or 'cannot be read'}; "
                                "check quotes, colons and brackets"))
        return None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        problems.append(Problem(path, 2, "front matter should be 'key: value' lines"))
        return None
    body = "\n".join(lines[end + 1:])
    return dict(meta), body, end + 2


def cut(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, for quoting an id or key in a message."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _short(value: object, limit: int = 40) -> str:
    """A short repr of a value an author wrote, for messages (never expanded)."""
    if isinstance(value, str):
        return repr(value[:limit] + ("…" if len(value) > limit else ""))
    if isinstance(value, (bool, int, float)) or value is None:
        text = repr(value)
        return text if len(text) <= limit else text[:limit] + "…"
    return f"a {type(value).__name__}"


def _key_line(text: str, key: str) -> int:
    for i, line in enumerate(text.splitlines()[:2000], start=1):  # files are at most 2,000 lines
        if line.startswith(f"{key}:"):
            return i
    return 2


def _scan_body(path: Path, body: str, first: int, problems: list[Problem]) -> dict[str, int]:
    """Line-based checks authors need a line number for; returns citations."""
    cites: dict[str, int] = {}
    in_fence = False
    for offset, line in enumerate(body.splitlines()):
        n = first + offset
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if RAW_HTML.search(line):
            problems.append(Problem(path, n, "raw HTML is shown as plain text, not markup; "
                                    "use Markdown instead"))
        for target in LINK_TARGET.findall(line) + AUTOLINK.findall(line):
            if render.SCHEME.match(target):
                problems.append(Problem(path, n, f"external link or image '{target[:60]}': "
                                        "the kiosk never opens links or fetches remote files; remove it"))
            elif line.lstrip().find("![") != -1:
                why = image_problem(target, path.parent)
                if why is not None:
                    problems.append(Problem(path, n, why))
        if render.FOOTNOTE_DEF.match(line):
            continue
        for fid in render.FOOTNOTE_ID.findall(line):
            cites.setdefault(fid, n)
    return cites


def _check_front(path: Path, text: str, meta: dict[str, Any], slug: str,
                 problems: list[Problem]) -> dict[str, Any] | None:
    ok = True
    for key in meta:
        if key not in FRONT_KEYS:
            close = difflib.get_close_matches(str(key)[:60], FRONT_KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(FRONT_KEYS)
            problems.append(Problem(path, _key_line(text, str(key)[:200]), f"unknown key {_short(key)}, {hint}"))
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(path, _key_line(text, "title"),
                                "missing title: add 'title: ...' to the front matter"))
        ok = False
    kind = meta.get("kind", "step")
    if not isinstance(kind, str) or kind not in KINDS:
        problems.append(Problem(path, _key_line(text, "kind"),
                                f"kind {_short(kind)} is not one of: {', '.join(KINDS)}"))
        kind = "step"
    sid = meta.get("id", slug)
    if not isinstance(sid, str) or not SCREEN_ID.match(sid):
        problems.append(Problem(path, _key_line(text, "id"),
                                f"id {_short(sid)} should be lower-case letters, digits and '-'"))
        sid = slug
    label = meta.get("label", title)
    if not isinstance(label, str):
        problems.append(Problem(path, _key_line(text, "label"), "label should be a short text"))
        label = title
    sheet = meta.get("sheet", [])
    if isinstance(sheet, str):
        sheet = [sheet]
    if not isinstance(sheet, list) or not all(isinstance(s, str) for s in sheet):
        problems.append(Problem(path, _key_line(text, "sheet"),
                                "sheet should be a list of short texts ('- ...' lines)"))
        sheet = []
    demo = meta.get("demo_seconds")
    if demo is not None and (isinstance(demo, bool) or not isinstance(demo, (int, float))
                             or not DEMO_SECONDS[0] <= demo <= DEMO_SECONDS[1]):
        problems.append(Problem(path, _key_line(text, "demo_seconds"),
                                f"demo_seconds should be a number of seconds from {DEMO_SECONDS[0]} to "
                                f"{DEMO_SECONDS[1]}, not {_short(demo)}"))
        demo = None
    today = meta.get("today", [])
    if not isinstance(today, list) or not all(isinstance(t, str) and t.strip() for t in today):
        problems.append(Problem(path, _key_line(text, "today"),
                                "today should be a list of short steps ('- ...' lines)"))
        today = []
    for key, value in (("title", title), ("label", label), *(("sheet", item) for item in sheet),
                       *(("today", item) for item in today)):
        if isinstance(value, str) and RAW_HTML.search(value):
            problems.append(Problem(path, _key_line(text, key), f"{key} contains HTML; it is shown as plain "
                                    "text, so remove the tags"))
    if not ok or not isinstance(title, str):
        return None
    return {"id": sid, "kind": kind, "title": title.strip(), "label": str(label).strip(),
            "sheet": sheet, "demo_seconds": demo, "today": today,
            "quiz": _check_quiz(path, text, kind, meta.get("quiz"), problems)}


def _check_quiz(path: Path, text: str, kind: str, quiz: Any, problems: list[Problem]) -> list[QuizItem]:
    """The ``quiz:`` statements of a check-yourself screen, each checked."""
    line = _key_line(text, "quiz")
    if kind != "quiz":
        if quiz is not None:
            problems.append(Problem(path, line, "quiz statements belong on a 'kind: quiz' screen; "
                                    "add 'kind: quiz' or remove 'quiz:'"))
        return []
    if not isinstance(quiz, list) or not QUIZ_SIZE[0] <= len(quiz) <= QUIZ_SIZE[1]:
        count = len(quiz) if isinstance(quiz, list) else 0
        problems.append(Problem(path, line, f"a quiz screen needs {QUIZ_SIZE[0]} to {QUIZ_SIZE[1]} statements "
                                f"under 'quiz:', has {count}; write each as '- statement: ...', "
                                "'answer: true' or 'false', 'feedback: ...'"))
        if not isinstance(quiz, list):
            return []
    lines = [i for i, ln in enumerate(text.splitlines(), start=1) if ln.lstrip().startswith("- ")]
    item_lines = [n for n in lines if n > line]
    items: list[QuizItem] = []
    for index, entry in enumerate(quiz):
        at = item_lines[index] if index < len(item_lines) else line
        if not isinstance(entry, dict):
            problems.append(Problem(path, at, "each quiz entry needs 'statement:', 'answer:' and 'feedback:'"))
            continue
        statement, answer, feedback = entry.get("statement"), entry.get("answer"), entry.get("feedback")
        unknown = sorted(set(map(str, entry)) - {"statement", "answer", "feedback"})
        if unknown:
            problems.append(Problem(path, at, f"unknown quiz key '{unknown[0]}'; use statement, answer, feedback"))
        if not isinstance(statement, str) or not statement.strip():
            problems.append(Problem(path, at, "quiz entry needs a 'statement:' text"))
            continue
        if not isinstance(answer, bool):
            problems.append(Problem(path, at, "quiz 'answer:' should be true or false"))
            continue
        if not isinstance(feedback, str) or not feedback.strip():
            problems.append(Problem(path, at, "quiz entry needs a 'feedback:' text that says why"))
            continue
        if RAW_HTML.search(statement) or RAW_HTML.search(feedback):
            problems.append(Problem(path, at, "quiz text contains HTML; it is shown as plain text, "
                                    "so remove the tags"))
        items.append(QuizItem(render.inline_html(statement.strip()), answer,
                              render.inline_html(feedback.strip()), at))
    return items


def _advice_block(path: Path, raw: render.RawBlock, problems: list[Problem]) -> Block:
    """A ``!!! clinic-advice "Label"`` block: practical advice that needs no source."""
    if raw.advice_kind != render.ADVICE_KIND:
        problems.append(Problem(path, raw.line, f"unknown block '!!! {raw.advice_kind}'; the only one is "
                                f'\'!!! {render.ADVICE_KIND} "Label"\''))
    title = (raw.title or "").strip()
    if not title:
        problems.append(Problem(path, raw.line, f'the {render.ADVICE_KIND} block needs a label patients see, '
                                f'like !!! {render.ADVICE_KIND} "From our clinic"'))
    if not raw.text.strip():
        problems.append(Problem(path, raw.line, f"the {render.ADVICE_KIND} block is empty: indent its text "
                                "by 4 spaces under the '!!!' line"))
    inner = render.to_html(raw.text, path.parent)
    label = f'<p class="clinic-advice-title"><b>{render.escape(title)}</b></p>' if title else ""
    html = ('<table class="clinic-advice" width="100%" border="2" cellspacing="0" cellpadding="10">'
            f"<tr><td>{label}{inner}</td></tr></table>")
    return Block("html", html, role=render.ADVICE_KIND, title=title, images=_images(path, inner))


def _images(path: Path, html: str) -> list[tuple[Path, str]]:
    out = []
    for src, alt in render.images(html):
        if src.startswith("file:"):
            from urllib.request import url2pathname  # urllib.request costs 15 ms: only for file: URLs

            local = Path(url2pathname(urlparse(src).path))
        else:
            local = path.parent / src
        out.append((local, alt))
    return out


def _check_images(path: Path, body: str, first: int, problems: list[Problem]) -> None:
    """Every picture needs a description: speech reads it, and it stands in when the file is missing."""
    for offset, line in enumerate(body.splitlines()):
        for m in IMAGE_MD.finditer(line):
            if not m.group(1).strip():
                problems.append(Problem(path, first + offset, f"image '{m.group(2)}' has no description: "
                                        "write what it shows between the brackets, ![like this](file.svg)"))


def load_screen(path: Path, problems: list[Problem]) -> tuple[Screen, dict[str, tuple[str, int]]] | None:
    """One screen file; also returns footnote definitions found in it."""
    m = FILE_NAME.match(path.name)
    slug = m.group(2) if m else path.stem
    text = _read_text(path, problems)
    if text is None:
        return None
    split = _split_front(path, text, problems)
    if split is None:
        return None
    meta, body, first = split
    front = _check_front(path, text, meta, slug, problems)
    if front is None:
        return None
    cites = _scan_body(path, body, first, problems)

    definitions: dict[str, tuple[str, int]] = {}
    kept: list[str] = []
    for offset, line in enumerate(body.splitlines()):
        d = render.FOOTNOTE_DEF.match(line)
        if d:
            definitions[d.group(1)] = (d.group(2).strip(), first + offset)
            kept.append("")
        elif definitions and line.startswith(("    ", "\t")) and not kept[-1].strip():
            last = next(reversed(definitions))
            txt, ln = definitions[last]
            definitions[last] = (f"{txt} {line.strip()}", ln)
            kept.append("")
        else:
            kept.append(line)
    if definitions and front["kind"] != "sources":
        for fid, (_, ln) in definitions.items():
            problems.append(Problem(path, ln, f"source [^{cut(fid)}] is defined here; define sources "
                                    "only in the deck's sources screen"))
    blocks: list[Block] = []
    texts: list[str] = []
    item_ids: set[str] = set()
    n = 0
    _check_images(path, body, first, problems)
    if front["today"]:
        today_html = "<ol>" + "".join(f"<li>{render.inline_html(t)}</li>" for t in front["today"]) + "</ol>"
        blocks.append(Block("html", today_html, role="today"))
        texts.append(render.plain_text(today_html))
    for raw in render.split_blocks("\n".join(kept), first):
        if raw.kind == "advice":
            blocks.append(_advice_block(path, raw, problems))
            texts.append(render.plain_text(blocks[-1].html))
            continue
        if raw.kind == "markdown":
            html = render.to_html(raw.text, path.parent)
            blocks.append(Block("html", html, images=_images(path, html)))
            texts.append(render.plain_text(html))
            continue
        items = []
        for tick in raw.ticks or []:
            n += 1
            iid = tick.author_id or f"{front['id']}/{n}"
            if iid in item_ids:
                problems.append(Problem(path, tick.line, f"tickable item id '{cut(iid)}' is used twice"))
            item_ids.add(iid)
            html = render.inline_html(tick.text)
            items.append(TickItem(iid, html, render.plain_text(html), tick.line))
            texts.append(items[-1].text)
        blocks.append(Block("ticks", items=items))
    screen = Screen(
        id=front["id"], kind=front["kind"], title=front["title"], label=front["label"],
        path=path, blocks=blocks,
        sheet=[render.inline_html(s) for s in front["sheet"]],
        demo_seconds=front["demo_seconds"], text="\n".join(t for t in texts if t), cites=cites,
        quiz=front["quiz"], today=[render.inline_html(t) for t in front["today"]],
    )
    for key, values in (("sheet", front["sheet"]), ("today", front["today"])):
        for s in values:
            for fid in render.FOOTNOTE_ID.findall(s):
                screen.cites.setdefault(fid, _key_line(text, key))
    for q in screen.quiz:
        screen.text = "\n".join(filter(None, [screen.text, render.plain_text(q.statement_html),
                                               render.plain_text(q.feedback_html)]))
        for fid in FN_SUP_IDS.findall(q.statement_html + q.feedback_html):
            for one in fid.split(","):
                screen.cites.setdefault(one, q.line)
    if not screen.text.strip() and screen.kind in ("step", "quiz"):
        problems.append(Problem(path, first, "empty screen: add some text, or delete the file"))
    return screen, definitions


def _guarded_load_screen(path: Path, problems: list[Problem]) -> tuple[Screen, dict[str, tuple[str, int]]] | None:
    """``load_screen``, but any failure (RecursionError included) only leaves this screen out."""
    mine: list[Problem] = []
    try:
        loaded = load_screen(path, mine)
    except (Exception, RecursionError) as e:  # noqa: B014 - RecursionError named on purpose
        log.warning("screen %s could not be loaded (%s); it is left out", path, type(e).__name__)
        log.debug("loading %s failed", path, exc_info=True)
        mine.append(Problem(path, 1, f"this screen could not be loaded ({type(e).__name__}); it is left out. "
                            "Simplify it (shorter lines, flatter lists) and try again"))
        loaded = None
    problems.extend(mine)
    return loaded


def load_strings(folder: Path, problems: list[Problem]) -> dict[str, str]:
    path = folder / "strings.yaml"
    if not path.is_file():
        problems.append(Problem(path, 1, "strings file missing: copy strings.yaml from another "
                                "language folder and translate it"))
        return {}
    text = _read_text(path, problems)
    if text is None:
        return {}
    long_line = next((i for i, ln in enumerate(text.splitlines(), 1) if len(ln) > limits.MAX_LINE_CHARS), None)
    if long_line is not None:
        problems.append(Problem(path, long_line, f"line is longer than {limits.MAX_LINE_CHARS} characters; "
                                "the strings file is not used"))
        return {}
    try:
        data = limits.load_yaml(text) or {}
    except limits.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problems.append(Problem(path, mark.line + 1 if mark else 1,
                                f"bad YAML: {(getattr(e, 'problem', None) or 'cannot be read')[:200]}"))
        return {}
    except RecursionError:
        problems.append(Problem(path, 1, "bad YAML: brackets nested too deep; write 'key: text' lines"))
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 1, "strings file should be 'key: text' lines"))
        return {}
    out: dict[str, str] = {}
    lang = folder.name
    for key, value in data.items():
        line = _key_line(text, str(key))
        name = _short(key)
        base, category = split_key(key) if isinstance(key, str) else (str(key), None)
        if base not in KEYS:
            close = difflib.get_close_matches(base[:60], list(KEYS), n=1)
            hint = f", did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(path, line, f"unknown key {name}{hint}"))
            continue
        if base in COUNTED and category is None:
            need = " and ".join(f"'{base}.{c}'" for c in sorted(required_categories(lang)))
            problems.append(Problem(path, line, f"'{base}' is counted by {{{COUNTED[base]}}}: write it once per "
                                    f"plural form, as {need}"))
            continue
        if category is not None and (base not in COUNTED or category not in allowed_categories(lang)):
            forms = ", ".join(sorted(allowed_categories(lang))) if base in COUNTED else ""
            why = f"plural forms in '{lang}' are {forms}" if forms else f"'{base}' is not counted"
            problems.append(Problem(path, line, f"unknown key {name}: {why}"))
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(path, line, f"'{cut(key)}' should be a non-empty text"))
            continue
        wrong = check_text(base, value)
        if wrong:
            problems.append(Problem(path, line, wrong.replace(f"'{base}'", f"'{key}'", 1)))
            continue
        out[key] = value.strip()
    for key in KEYS:
        wanted = [f"{key}.{c}" for c in sorted(required_categories(lang))] if key in COUNTED else [key]
        for full in wanted:
            if full not in out and not any(p.message.startswith((f"'{full}'", f"'{key}'")) for p in problems
                                           if p.path == path):
                problems.append(Problem(path, 1, f"missing key '{full}': add '{full}: ...'"))
    return out


def _check_structure(lang: str, folder: Path, screens: list[Screen], sources: dict[str, tuple[str, int]],
                     problems: list[Problem]) -> list[Screen]:
    seen: dict[str, Screen] = {}
    kept: list[Screen] = []
    for s in screens:
        if s.id in seen:
            problems.append(Problem(s.path, 2, f"screen id '{cut(s.id)}' is also used by "
                                    f"{seen[s.id].path.name}; give one of them another id"))
            continue
        seen[s.id] = s
        kept.append(s)
    for kind in ("start", "summary", "sources"):
        count = sum(1 for s in kept if s.kind == kind)
        if count != 1:
            problems.append(Problem(folder, 1, f"the deck needs exactly one '{kind}' screen, has {count}"))
    starts = [s for s in kept if s.kind == "start"]
    if starts and kept[0] is not starts[0]:
        problems.append(Problem(starts[0].path, 1, "the start screen should come first (lowest number)"))
        kept.remove(starts[0])
        kept.insert(0, starts[0])
    ids = [i.id for s in kept for i in s.items]
    for iid in {i for i in ids if ids.count(i) > 1}:
        where = next(i for s in kept for i in s.items if i.id == iid)
        owner = next(s for s in kept if where in s.items)
        problems.append(Problem(owner.path, where.line, f"tickable item id '{cut(iid)}' is used twice in '{lang}'"))
    source_screen = next((s for s in kept if s.kind == "sources"), None)
    cited: set[str] = set()
    for s in kept:
        for fid, line in s.cites.items():
            cited.add(fid)
            if fid not in sources:
                problems.append(Problem(s.path, line, f"footnote [^{cut(fid)}] has no source: add "
                                        f"'[^{cut(fid)}]: ...' to the sources screen"))
    if source_screen is not None:
        for fid, (_, line) in sources.items():
            if fid not in cited:
                problems.append(Problem(source_screen.path, line, f"source [^{cut(fid)}] is never cited; "
                                        "cite it with [^" + fid + "] or remove it"))
    return kept


def load_language(folder: Path, problems: list[Problem]) -> Language | None:
    def order(p: Path) -> tuple[int, str]:
        m = FILE_NAME.match(p.name)
        return (int(m.group(1)) if m else 10**9, p.name)  # a misnamed file is shown last

    files = sorted(folder.glob("*.md"), key=order)
    screens: list[Screen] = []
    sources: dict[str, tuple[str, int]] = {}
    for path in files:
        if not FILE_NAME.match(path.name):
            problems.append(Problem(path, 1, "file name should be NN-slug.md (digits, '-', "
                                    "lower-case name); it is shown last"))
        loaded = _guarded_load_screen(path, problems)
        if loaded is None:
            continue
        screen, defs = loaded
        screens.append(screen)
        if screen.kind == "sources":
            sources.update(defs)
    if not screens:
        problems.append(Problem(folder, 1, "no screen could be loaded from this language folder"))
        return None
    screens = _check_structure(folder.name, folder, screens, sources, problems)
    rendered = {fid: render.inline_html(txt) for fid, (txt, _) in sources.items()}
    for s in screens:
        if s.kind == "sources" and rendered:
            rows = "".join(f"<p><b>{render.escape(fid)}.</b> {html}</p>" for fid, html in rendered.items())
            s.blocks.append(Block("html", rows))
            s.text = "\n".join([s.text, *(render.plain_text(h) for h in rendered.values())]).strip()
    texts = load_strings(folder, problems)
    _head_today(screens, texts.get("today_steps_heading", ""))
    rules = plural_rules(folder.name)
    strings = Strings(folder.name, texts, rules={folder.name: rules} if rules is not None else {})
    spoken, _ = load_pronunciations(folder)  # its problems: ``kiosk check`` (speech_text.check_pronunciations)
    return Language(folder.name, screens, strings, rendered, folder, spoken)


def _head_today(screens: list[Screen], heading: str) -> None:
    """Put the interface's heading (strings.yaml ``today_steps_heading``) over today's steps."""
    for screen in screens:
        for block in screen.blocks:
            if block.role == "today" and heading:
                block.title = heading
                block.html = f"<h3>{render.escape(heading)}</h3>{block.html}"


def load_deck(root: Path, default_language: str = "en") -> Deck:
    """Load every language of a deck. Raises DeckError only if nothing loads."""
    problems: list[Problem] = []
    root = Path(root)
    if not root.is_dir():
        raise DeckError([Problem(root, 1, "content folder not found; check 'content' in the config "
                                 "or --content")])
    languages: dict[str, Language] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        lang = load_language(folder, problems)
        if lang is not None:
            languages[folder.name] = lang
    if not languages:
        problems.append(Problem(root, 1, "no language folder (like en/) with screens found"))
        raise DeckError(problems)
    if default_language in languages:
        # the default language comes first; others fall back to its words
        languages = {default_language: languages[default_language],
                     **{k: v for k, v in languages.items() if k != default_language}}
    set_fallbacks(languages)
    return Deck(root, languages, problems)


def set_fallbacks(languages: dict[str, Language]) -> None:
    """Each language falls back to the first (default) language's words for a key
    it lacks or got wrong; the default language falls back to the second one."""
    langs = list(languages.values())
    for i, lang in enumerate(langs):
        other = langs[1 if i == 0 else 0] if len(langs) > 1 else None
        lang.strings.fallback = other.strings.texts if other is not None else {}
        lang.strings.fallback_lang = other.code if other is not None else ""
        if other is not None:
            lang.strings.rules.update(other.strings.rules)


REQUIRED_KINDS = ("start", "summary")


def reload_refusal(old: Deck, new: Deck) -> list[str]:
    """Why the kiosk must keep ``old`` instead of switching to ``new`` (empty: switch).

    A reload is refused when a language that had a start or a summary screen
    (by ``kind``, whatever the file is called) would lose it, or would
    disappear altogether: the patient's home or the end of the visit would
    be gone. One English sentence per reason, for staff and the log.
    """
    reasons: list[str] = []
    for code, lang in old.languages.items():
        had = [kind for kind in REQUIRED_KINDS if any(s.kind == kind for s in lang.screens)]
        mine = new.languages.get(code)
        if mine is None:
            if had:
                reasons.append(f"language '{code}' would no longer load (see the problems in {new.root})")
            continue
        for kind in had:
            if not any(s.kind == kind for s in mine.screens):
                reasons.append(f"language '{code}' would have no '{kind}' screen; add a screen with "
                               f"'kind: {kind}' in {mine.folder}")
    return reasons
