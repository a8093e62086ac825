"""Limits a screen file must keep before it is parsed at all.

Python-Markdown and PyYAML are fine on what people write, but some small
inputs are quadratic or recursive in them: a line of 100,000 ``[`` took
minutes, a 20,000-column table 38 s and 610 MB, a list nested 5,000 deep
raised RecursionError, a YAML alias bomb of 1 kB grew to GBs. Each limit
below is far above anything a screen of patient text needs, and low enough
that a file within all of them loads in well under a second (measured:
``tests/test_hostile.py``). ``scan`` returns the first limit a file breaks,
as ``(line, message)``; the screen is then left out.
"""

from __future__ import annotations

import functools
import re

MAX_LINE_CHARS = 5000  # one paragraph written on one line fits easily
MAX_LINES = 2000  # lines in a file: Markdown's block parser slows with the number of blocks
MAX_BLOCK_LINES = 200  # lines without a blank one between: setext headings and rules re-split the block each time
MAX_BRACKETS_PER_BLOCK = 200  # '[' in one paragraph (links, footnotes, ticks): Markdown is quadratic in them
MAX_BRACKETS = 2000  # '[' in the whole file
MAX_COLUMNS = 40  # '|' on one line: table columns
MAX_PIPES = 3000  # '|' in the whole file: table cells
MAX_DEPTH = 16  # nesting of lists and quotes (markers plus indentation / 2)
MAX_FRONT_BRACKETS = 100  # '[' and '{' in the front matter (YAML flow collections nest)

_CONTAINER = re.compile(r"(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$))")


def _depth(line: str) -> int:
    """How deep a line nests lists and quotes: markers at its start plus indentation / 2."""
    depth = columns = i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if c == " ":
            columns += 1
            i += 1
        elif c == "\t":
            columns += 4
            i += 1
        else:
            m = _CONTAINER.match(line, i)
            if not m:
                break
            depth += 1
            i = m.end()
    return depth + columns // 2


def scan(text: str, front_end: int = 0) -> tuple[int, str] | None:
    """The first limit ``text`` breaks as (1-based line, message), or None.

    ``front_end`` is the 0-based index of the line closing the front matter
    (0: no front matter known yet).
    """
    brackets = pipes = block_brackets = front_brackets = block_lines = 0
    block_start = 1
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        return MAX_LINES + 1, (f"the file has {len(lines)} lines; a screen may have at most {MAX_LINES}: "
                               "split it into several screens")
    for i, line in enumerate(lines):
        n = i + 1
        if len(line) > MAX_LINE_CHARS:
            return n, (f"line is {len(line)} characters long; a line may be at most {MAX_LINE_CHARS}: "
                       "split it into several paragraphs")
        if not line.strip():
            block_brackets, block_lines, block_start = 0, 0, n + 1
            continue
        block_lines += 1
        if block_lines > MAX_BLOCK_LINES and i >= front_end:
            return block_start, (f"more than {MAX_BLOCK_LINES} lines without a blank line between them; "
                                 "add blank lines between paragraphs, lists and tables")
        opened = line.count("[")
        if i < front_end:
            front_brackets += opened + line.count("{")
            if front_brackets > MAX_FRONT_BRACKETS:
                return n, (f"front matter has more than {MAX_FRONT_BRACKETS} '[' or '{{'; "
                           "write simple 'key: value' lines")
            continue
        brackets += opened
        block_brackets += opened
        if block_brackets > MAX_BRACKETS_PER_BLOCK:
            return block_start, (f"this paragraph has more than {MAX_BRACKETS_PER_BLOCK} '['; "
                                 "split it, or remove brackets that are not links or footnotes")
        if brackets > MAX_BRACKETS:
            return n, f"the file has more than {MAX_BRACKETS} '['; split it into several screens"
        bars = line.count("|")
        if bars > MAX_COLUMNS:
            return n, f"line has {bars} '|'; a table may have at most {MAX_COLUMNS - 1} columns"
        pipes += bars
        if pipes > MAX_PIPES:
            return n, f"the file has more than {MAX_PIPES} '|' (table cells); split the table or the screen"
        if _depth(line) > MAX_DEPTH:
            return n, (f"lists or quotes are nested more than {MAX_DEPTH} deep (or indented too far); "
                       "keep lists flat")
    return None


@functools.cache
def _no_alias_loader() -> type:
    """The loader class, made on first use: PyYAML is imported only when YAML is read
    (a kiosk starting from the deck cache reads none before its first paint)."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """SafeLoader that refuses YAML anchors and aliases outright.

        A screen's front matter and a strings file never need them, and an alias
        bomb (a 1 kB file that expands to GBs) is built from nothing else.
        """

        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed here",
                                                  event.start_mark)
            event = self.peek_event()
            if getattr(event, "anchor", None) is not None:
                raise yaml.composer.ComposerError(None, None, "YAML anchors (&name) are not allowed here",
                                                  event.start_mark)
            return super().compose_node(parent, index)

    return NoAliasLoader


class YAMLError(ValueError):
    """YAML that cannot be read, with PyYAML's ``problem``/``context`` and their marks (line, column)."""

    def __init__(self, problem: str | None, problem_mark: object = None, context: str | None = None,
                 context_mark: object = None) -> None:
        super().__init__(problem or "cannot be read")
        self.problem, self.problem_mark = problem, problem_mark
        self.context, self.context_mark = context, context_mark


def load_yaml(text: str) -> object:
    """``yaml.safe_load`` without anchors or aliases (raises ``YAMLError``)."""
    import yaml

    try:
        return yaml.load(text, Loader=_no_alias_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        raise YAMLError(getattr(e, "problem", None), getattr(e, "problem_mark", None),
                        getattr(e, "context", None), getattr(e, "context_mark", None)) from e

