"""Every factual sentence names its source: the citation rule of ``kiosk check``.

A patient should be able to see where each claim comes from, so on every
screen a patient reads as content (start, step, quiz, summary) a *factual
sentence* must carry a footnote (``[^n]``). A sentence is **not** factual,
and needs no footnote, when it is

- a question (it ends with ``?``, like the tickable questions);
- an instruction to the patient: its first word is an imperative verb from
  ``IMPERATIVES`` for the screen's language ("Tap", "Print"; "Toque",
  "Imprima"; a Spanish "No" followed by one of them; a lead-in such as
  "Then" or "Luego" may come first);
- inside a ``!!! clinic-advice "Label"`` block (practical advice from the
  clinic, labelled as such on screen);
- shorter than three words ("Hello.");
- a heading, or a quiz *statement* (a claim the patient judges; its feedback
  must be cited);
- an item of a list introduced by a cited sentence ending in ``:`` (the
  lead-in's source covers the list).

Sheet key points (``sheet:``), today's steps (``today:``) and quiz feedback
follow the same rule. A citation placed right after a sentence's final
punctuation (``... pain.[^1]``) belongs to that sentence. The sources screen is
not checked. A language without a verb list in ``IMPERATIVES`` is not checked
here (parity already makes it cite the same sources per screen as the default
language); add its verbs to check it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .deck import Language, Problem, Screen
from .plain_language import body_lines

# First words that make a sentence an instruction, per language (lower case).
IMPERATIVES: dict[str, frozenset[str]] = {
    "en": frozenset("""
        ask bring call check choose circle do don't find follow give go hand keep let look mark plan
        please print read remember see show take talk tap tell think tick touch try use write
        """.split()),
    "es": frozenset("""
        busque dedique deje diga espere intente olvide dígale elija entregue entréguele escriba hable
        imprima lea llame lleve
        marque mire muestre pida piense pregunte pregúntele recuerde siga toque tome use vea
        cuéntele dele dé llévela llévelas entréguela entréguesela repase revise
        """.split()),
}
MIN_WORDS = 3  # "Hello." or "Thank you." is no claim
NEGATIONS = {"es": "no", "en": "never"}
# Words that may come before the verb of an instruction ("Then print ...", "Luego, imprima ...").
LEAD_INS: dict[str, frozenset[str]] = {
    "en": frozenset("then and now first next also so".split()),
    "es": frozenset("luego después y ahora primero también entonces".split()),
}
MARK_OPEN, MARK_CLOSE = "\u27e6", "\u27e7"  # stand-ins for footnote superscripts while splitting
_MARK = re.compile(f"{MARK_OPEN}[^{MARK_CLOSE}]*{MARK_CLOSE}")
_SENTENCE = re.compile(rf"[^.!?{MARK_OPEN}]*(?:{_MARK.pattern}[^.!?{MARK_OPEN}]*)*"
                       rf"(?:[.!?]+[\"”»)]*|$)(?:\s*{_MARK.pattern})*")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_BLOCK_TAGS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"}


class _Units(HTMLParser):
    """Text units of rendered HTML: (tag, text with footnote marks, covered by a cited lead-in)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[tuple[str, str, bool]] = []
        self._tag = ""
        self._buf: list[str] = []
        self._in_fn = False
        self._lists: list[bool] = []
        self._last_p = ""

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text and self._tag:
            covered = bool(self._lists and self._lists[-1] and self._tag == "li")
            self.units.append((self._tag, text, covered))
            if self._tag == "p":
                self._last_p = text
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "sup" and ("class", "fn") in attrs:
            self._in_fn = True
            self._buf.append(MARK_OPEN)
        elif tag in ("ul", "ol"):
            self._flush()
            lead = self._last_p.rstrip()
            self._lists.append(bool(_MARK.search(lead)) and _MARK.sub("", lead).rstrip().endswith(":"))
            self._last_p = ""
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._tag = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup" and self._in_fn:
            self._in_fn = False
            self._buf.append(MARK_CLOSE)
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._tag = "li" if self._lists else ""

    def handle_data(self, data: str) -> None:
        self._buf.append(data)


def sentences(text: str) -> list[str]:
    """Split a unit's text (with footnote marks) into sentences, each keeping its marks."""
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def is_cited(sentence: str) -> bool:
    return bool(_MARK.search(sentence))


def needs_citation(sentence: str, lang: str) -> bool:
    """True for a factual sentence: not a question, not an instruction, and it has words."""
    bare = _MARK.sub("", sentence).strip().rstrip("\"”»)").strip()
    words = [w.lower() for w in _WORD.findall(bare)]
    if len(words) < MIN_WORDS or bare.endswith("?"):
        return False
    verbs = IMPERATIVES.get(lang, frozenset())
    while len(words) > 1 and words[0] in LEAD_INS.get(lang, frozenset()):
        words = words[1:]
    first = words[0].replace("’", "'")
    if first in verbs:
        return False
    return not (first == NEGATIONS.get(lang) and len(words) > 1 and words[1] in verbs)


def uncited(html: str, lang: str) -> list[str]:
    """Factual sentences without a footnote in a rendered HTML fragment (plain text)."""
    parser = _Units()
    parser.feed(html)
    parser.close()
    parser._flush()
    out = []
    for tag, text, covered in parser.units:
        if tag.startswith("h") or covered:
            continue
        for sentence in sentences(text):
            if needs_citation(sentence, lang) and not is_cited(sentence):
                out.append(_MARK.sub("", sentence).strip())
    return out


def _line_of(path: Path, sentence: str, default: int) -> int:
    probe = " ".join(sentence.split()[:5])
    for n, text in body_lines(path):
        if probe and probe in text:
            return n
    return default


def _front_line(path: Path, key: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    return next((i for i, ln in enumerate(lines[:200], start=1) if ln.startswith(f"{key}:")), 1)


def _message(sentence: str) -> str:
    short = sentence if len(sentence) <= 60 else sentence[:57] + "..."
    return (f"factual sentence without a source: '{short}'; cite it with [^n], make it a question or "
            "an instruction, or move practical advice into a !!! clinic-advice block")


def check_screen(screen: Screen, lang: str) -> list[Problem]:
    if screen.kind == "sources":
        return []
    problems: list[Problem] = []
    body_default = next(iter(body_lines(screen.path)), (1, ""))[0]
    for block in screen.blocks:
        if block.kind != "html" or block.role == "clinic-advice":
            continue
        for sentence in uncited(block.html, lang):
            problems.append(Problem(screen.path, _line_of(screen.path, sentence, body_default), _message(sentence)))
    for key, fragments in (("sheet", screen.sheet), ("today", screen.today)):
        for fragment in fragments:
            for sentence in uncited(f"<p>{fragment}</p>", lang):
                problems.append(Problem(screen.path, _front_line(screen.path, key), _message(sentence)))
    for item in screen.quiz:
        for sentence in uncited(f"<p>{item.feedback_html}</p>", lang):
            problems.append(Problem(screen.path, item.line, "quiz feedback: " + _message(sentence)))
    return problems


def check_citations(lang: Language) -> list[Problem]:
    """Every uncited factual sentence of one language, as ``path:line: message``."""
    if lang.code not in IMPERATIVES:
        return []
    return [p for screen in lang.screens for p in check_screen(screen, lang.code)]
