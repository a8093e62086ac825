"""What the kiosk says aloud: the words for a screen, the idle warning, a tick.

Plain Python, no Qt. ``kiosk.ui.speech`` hands the result to the speech engine.

A screen is read in the order a sighted patient meets it: the title, the body
(footnote numbers left out, each picture by its description), each question
that can be ticked with its state ("Chosen" / "Not chosen" from strings.yaml),
then what the patient can do next. Every word comes from the deck.

Each language folder may hold ``speech.yaml``, a pronunciation list::

    MRI: "M R I"

Each entry replaces that word wherever it stands as a whole word (case
matters: ``MRI`` is not ``mri``) in everything spoken in that language.
``check_pronunciations`` gives ``kiosk check`` a ``path:line: message`` for a
file it cannot use; the running kiosk then reads without that file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from html.parser import HTMLParser

from .deck import Block, Deck, Language, Problem, Screen
from .pronunciations import FILE_NAME, load_pronunciations, parse_pronunciations  # noqa: F401
from .strings import Strings

Pronunciations = Mapping[str, str]


# -- reading rendered HTML aloud ---------------------------------------------------------
class _Speakable(HTMLParser):
    """Text of a block's HTML: footnote superscripts left out, pictures by description."""

    BREAKS = ("p", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "div", "blockquote")

    def __init__(self, describe: Sequence[str], picture: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._describe = list(describe)
        self._picture = picture
        self._n = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "sup":
            self._skip += 1
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            text = self._describe[self._n] if self._n < len(self._describe) else alt
            self._n += 1
            if text.strip():
                self.parts.append("\n" + self._picture(text.strip()) + "\n")
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup":
            self._skip = max(0, self._skip - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    def lines(self) -> list[str]:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return [line for line in lines if line]


_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+")


def without_citations(text: str) -> str:
    """``[^1]`` markers and superscript digits removed (they are not read aloud)."""
    return " ".join(_FOOTNOTE_MARK.sub("", text).split())


def _descriptions(block: Block) -> list[str]:
    """Picture descriptions of a block, in order (``Block.images``: (file, description))."""
    out = []
    for image in getattr(block, "images", None) or []:
        if isinstance(image, str):
            out.append(image)
        elif isinstance(image, tuple) and len(image) >= 2 and isinstance(image[1], str):
            out.append(image[1])
        else:
            out.append(str(getattr(image, "alt", "") or ""))
    return out


def _as_is(text: str) -> str:
    return text


def html_lines(html: str, descriptions: Sequence[str] = (), picture: Callable[[str], str] = _as_is) -> list[str]:
    """Lines to say for a fragment of rendered HTML.

    ``picture`` words a picture's description (``speech_image``: "Picture: {text}")."""
    parser = _Speakable(descriptions, picture)
    parser.feed(html)
    parser.close()
    return [without_citations(line) for line in parser.lines() if without_citations(line)]


def _sentence(text: str) -> str:
    """A line ending without a full stop gets one, so the voice pauses between lines."""
    text = text.strip()
    if text and text[-1] not in ".!?:;…¿¡\"'»)":
        text += "."
    return text


# -- what to say ----------------------------------------------------------------------
def tick_text(strings: Strings, question: str, checked: bool) -> str:
    """One question and its state: "What does my MRI show? Chosen."."""
    state = strings.get("ticked" if checked else "not_ticked")
    return strings.get("speech_tick", question=without_citations(question), state=state)


def next_step_text(language: Language, index: int) -> str:
    """What the patient can do from screen ``index`` of ``language``."""
    s = language.strings
    screens = language.screens
    screen = screens[index]
    if screen.kind == "start":
        return s.get("speech_next_start")
    parts = []
    if screen.kind == "summary":
        parts.append(s.get("speech_print", button=s.get("print_button")))
    if index + 1 < len(screens):
        button = s.get("finish") if screens[index + 1].kind == "summary" else s.get("next")
        parts.append(s.get("speech_next", button=button))
    else:
        parts.append(s.get("speech_last", back=s.get("back"), start_over=s.get("start_over")))
    return " ".join(p for p in parts if p)


def screen_lines(language: Language, index: int, ticks: Iterable[str] = ()) -> list[str]:
    """Everything said for screen ``index``, one sentence or paragraph per line."""
    s = language.strings
    screen: Screen = language.screens[index]
    ticked = set(ticks)

    def picture(text: str) -> str:
        return _sentence(s.get("speech_image", text=text))

    lines = [_sentence(without_citations(screen.title))]
    for block in screen.blocks:
        if block.kind == "ticks":
            lines += [tick_text(s, item.text, item.id in ticked) for item in block.items]
        else:
            lines += [_sentence(line) for line in html_lines(block.html, _descriptions(block), picture)]
    for item in getattr(screen, "quiz", None) or []:  # check-yourself statements, when the deck has them
        statement = getattr(item, "statement", "")
        if isinstance(statement, str) and statement.strip():
            lines.append(_sentence(without_citations(statement)))
    if screen.kind == "summary":
        chosen = [i for i in (language.item(t) for t in sorted(ticked)) if i is not None]
        order = {i.id: n for n, i in enumerate(i for sc in language.screens for i in sc.items)}
        chosen.sort(key=lambda i: order.get(i.id, 0))
        if chosen:
            lines.append(_sentence(s.get("summary_ticked_heading")))
            lines += [_sentence(without_citations(i.text)) for i in chosen]
        else:
            lines.append(_sentence(s.get("summary_nothing_ticked")))
    lines.append(next_step_text(language, index))
    return [line for line in lines if line]


def screen_text(language: Language, index: int, ticks: Iterable[str] = (),
                pronunciations: Pronunciations | None = None) -> str:
    """The screen as one text for the engine, pronunciations applied."""
    return pronounce("\n".join(screen_lines(language, index, ticks)), pronunciations or {})


def idle_warning_text(strings: Strings, seconds: int) -> str:
    """The "Are you still there?" card as said: title, body with the seconds, how to stay."""
    parts = [_sentence(strings.get("idle_title")), _sentence(strings.get("idle_body", seconds=seconds)),
             strings.get("speech_idle_continue", button=strings.get("idle_continue"))]
    return "\n".join(p for p in parts if p)


# -- pronunciations -------------------------------------------------------------------
def pronounce(text: str, pronunciations: Pronunciations) -> str:
    """Replace each listed word where it stands as a whole word (longest entries first)."""
    if not pronunciations:
        return text
    words = sorted(pronunciations, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    return pattern.sub(lambda m: pronunciations[m.group(0)], text)


def check_pronunciations(deck: Deck) -> list[Problem]:
    """``kiosk check``: every problem in the deck's speech.yaml files."""
    problems: list[Problem] = []
    for language in deck.languages.values():
        problems += load_pronunciations(language.folder)[1]
    return problems


def pronunciations_for(language: Language) -> dict[str, str]:
    """The usable entries for ``language`` (a bad file reads as empty; ``kiosk check`` says why):
    those read with the deck, else (a language made by hand) from its folder now."""
    if language.pronunciations is not None:
        return language.pronunciations
    return load_pronunciations(language.folder)[0]
