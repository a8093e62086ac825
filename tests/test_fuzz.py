"""Property-based tests (Hypothesis): whatever an author or installer writes, the answer is
a clear problem or a good deck (or config), in bounded time, never an exception.
Inputs mix random text with the fragments that hurt before (runs of '[', '|', list and
quote markers, YAML anchors, braces) at sizes up to the 256 KB file limit. Profiles
(tests/conftest.py): "ci" when CI=true, "dev" otherwise; the 2 s deadline per example
is the issue-11 promise. Every file is real, in a fresh temporary deck.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from kiosk import config as config_mod
from kiosk.deck import Deck, DeckError, load_deck
from kiosk.strings import COUNTED, KEYS, check_text, substitute
from tests.decks import make_deck

FRAGMENTS = ["[", "]", "(", ")", "![a](b.png)", "[^1]", "|", "- ", "* ", "1. ", "> ", "    ", "\t", "`", "```",
             "*", "_", "<", "&", "#", "{", "}", "{n}", "{n:>99}", "&a ", "*a ", "---", "\n", "\n\n", "é", "\u202e",
             "- [ ] ", "{#id}", "\\", "\r", "\x00"]

pieces = st.one_of(
    st.text(max_size=40),
    st.sampled_from(FRAGMENTS),
    st.builds(lambda f, n: f * n, st.sampled_from(FRAGMENTS), st.integers(1, 20_000)),
    # a short pattern repeated: block-level trouble (setext headings, rules, tiny paragraphs)
    st.builds(lambda parts, n: "".join(parts) * n,
              st.lists(st.sampled_from([*FRAGMENTS, "a", "===", "***", "# ", "|-|"]), min_size=1, max_size=4),
              st.integers(1, 30_000)),
)
bodies = st.lists(pieces, max_size=12).map("".join)


@contextlib.contextmanager
def _loaded(files: dict[str, str | bytes]) -> Iterator[tuple[Deck, Path]]:
    """A fresh deck on disk (MINI plus ``files``), loaded; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="kiosk-fuzz-") as tmp:
        root = make_deck(Path(tmp), files)
        try:
            deck = load_deck(root)
        except DeckError as e:  # only when nothing at all loads
            raise AssertionError(f"the rest of the deck stopped loading: {e.problems[:3]}") from None
        yield deck, root


def _assert_reported_or_loaded(deck: Deck, path: Path, screen_id: str) -> None:
    mine = [p for p in deck.problems if p.path == path]
    loaded = deck.language("en").screen(screen_id) is not None
    assert loaded or mine, "a screen was left out without a word"
    for p in deck.problems:
        assert p.line >= 1
        assert len(p.message) < 600, p.message[:200]


@given(body=bodies)
def test_any_markdown_body_loads_or_is_reported(body):
    with _loaded({"50-fuzz.md": f"---\ntitle: Fuzz\n---\n{body}\n"}) as (deck, root):
        _assert_reported_or_loaded(deck, root / "en" / "50-fuzz.md", "fuzz")
        assert {"start", "summary"} <= {s.kind for s in deck.language("en").screens}


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=60))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.lists(inner, max_size=5)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=5), max_leaves=30)
front_keys = st.sampled_from(["title", "id", "kind", "label", "sheet", "demo_seconds", "titel", "x"])


@given(meta=st.dictionaries(front_keys, yaml_values, max_size=7))
def test_any_front_matter_values_load_or_are_reported(meta):
    front = yaml.safe_dump(meta, allow_unicode=True)
    with _loaded({"50-fuzz.md": f"---\n{front}---\nSome text.\n"}) as (deck, root):
        _assert_reported_or_loaded(deck, root / "en" / "50-fuzz.md", str(meta.get("id", "fuzz")))
        screen = next((s for s in deck.language("en").screens if s.path.name == "50-fuzz.md"), None)
        if screen is not None and screen.demo_seconds is not None:
            assert 1 <= screen.demo_seconds <= 600


@given(front=bodies)
def test_any_front_matter_text_loads_or_is_reported(front):
    front = front.replace("---", "- - -")
    with _loaded({"50-fuzz.md": f"---\ntitle: Fuzz\n{front}\n---\nSome text.\n"}) as (deck, root):
        path = root / "en" / "50-fuzz.md"
        assert any(s.path == path for s in deck.language("en").screens) or any(p.path == path for p in deck.problems)


string_keys = st.sampled_from([*KEYS, *(f"{k}.{c}" for k in COUNTED for c in ("one", "few", "other")), "nope"])


@given(entries=st.lists(st.tuples(string_keys, bodies), max_size=6), raw=bodies)
def test_any_strings_file_loads_or_is_reported_and_words_stay_bounded(entries, raw):
    with tempfile.TemporaryDirectory(prefix="kiosk-fuzz-") as tmp:
        root = make_deck(Path(tmp))
        path = root / "en" / "strings.yaml"
        extra = "".join(f"{k}: {yaml.safe_dump(v, allow_unicode=True, width=math.inf).strip()}\n"
                        if not v.startswith("...") else "" for k, v in entries)
        path.write_text(path.read_text(encoding="utf-8") + extra + raw, encoding="utf-8")
        deck = load_deck(root)
    strings = deck.language("en").strings
    for p in deck.problems:
        assert len(p.message) < 600
    values = {"n": 1, "total": 9, "seconds": 30, "left": 2}
    for key in KEYS:
        words = strings.get(key, **values)
        assert len(words) <= 2000 + 8 * 20, key  # MAX_TEXT plus a few short values


@given(text=bodies, values=st.dictionaries(st.sampled_from(["n", "total", "seconds", "x"]), st.integers(), max_size=4))
def test_substitution_never_grows_beyond_text_and_values(text, values):
    out = substitute(text, values)
    longest = max((len(str(v)) for v in values.values()), default=0)
    assert len(out) <= len(text) + text.count("{") * longest
    if check_text("step_of", text) is None:
        assert "{n:" not in out


toml_scalars = st.one_of(st.booleans(), st.integers(), st.floats(), st.text(max_size=300))
toml_values = st.recursive(toml_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)


def _config_trees():
    tables = {}
    for f in dataclasses.fields(config_mod.Config):
        if f.metadata.get("internal"):
            continue
        if f.metadata.get("table"):
            keys = [k.name for k in dataclasses.fields(f.default_factory)]
            tables[f.name] = st.dictionaries(st.sampled_from([*keys, "nope"]), toml_values, max_size=len(keys) + 1)
        else:
            tables[f.name] = toml_values
    return st.fixed_dictionaries({}, optional={**tables, "unknown": toml_values})


@given(raw=_config_trees())
def test_any_config_is_a_clear_problem_or_a_good_config(raw):
    problems: list[str] = []
    values = config_mod.validate(raw, "fuzz.toml", problems)  # lenient: the kiosk runs on what is good
    assert isinstance(values, config_mod.Config)
    assert all(p.startswith("fuzz.toml") and len(p) < 600 for p in problems)  # never the whole value
    try:
        config_mod.validate(raw, "fuzz.toml")
    except config_mod.ConfigError as e:
        assert str(e)
    else:
        assert problems == []
