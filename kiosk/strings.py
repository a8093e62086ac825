"""Interface words per language, read from ``<deck>/<lang>/strings.yaml``.

Only the *keys* live here (structure); every word lives in content/.

Placeholders are plain names in braces (``{seconds}``) and nothing else: no
format spec (``{n:>9}``), conversion (``{n!r}``), attribute or index access,
and no other ``{`` or ``}``. ``check_text`` reports anything else, and
``substitute`` replaces names itself (never ``str.format``), so the result is
never longer than the text plus the values it was given.

Counted keys (``COUNTED``) are written once per CLDR plural category as flat
dotted keys (``idle_body.one``, ``idle_body.other``); ``Strings.get`` picks the
category with Babel from the count. Which categories a language must give is
``required_categories``: "other" always, plus every category a whole number
from 0 to 1000 can select in that language (so Spanish needs one+other and may
add "many", which CLDR uses only for millions and decimals).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# key -> placeholders the text may use (documented for translators).
KEYS: dict[str, tuple[str, ...]] = {
    # identity of the language itself, shown on language buttons
    "language_name": (),
    # navigation
    "touch_to_begin": (),
    "next": (),
    "back": (),
    "start_over": (),
    "finish": (),
    "step_of": ("n", "total"),
    "text_size": (),
    "text_size_normal": (),
    "text_size_large": (),
    "text_size_largest": (),
    "more_below": (),
    "choose_language": (),
    # start-over confirm
    "confirm_start_over_title": (),
    "confirm_start_over_body": (),
    "confirm_start_over_yes": (),
    "confirm_start_over_no": (),
    # summary screen
    "summary_ticked_heading": (),
    "summary_nothing_ticked": (),
    "ticked": (),
    "not_ticked": (),
    # a screen that could not be shown
    "content_problem": (),
    # idle warning
    "idle_title": (),
    "idle_body": ("seconds",),
    "idle_continue": (),
    # demo
    "demo_badge": (),
    "demo_touch_to_explore": (),
    # staff PIN pad (seen by whoever holds the corner, so in content too)
    "pin_title": (),
    "pin_wrong": ("left",),
    "pin_locked": ("seconds",),
    "pin_not_set_up": (),
    "pin_cancel": (),
    "pin_clear": (),
    "pin_ok": (),
    # printing
    "print_button": (),
    "printing": (),
    "print_done": (),
    "print_failed": (),
    "print_limit": (),
    "print_demo": (),
    # printed sheet
    "sheet_title": (),
    "sheet_key_points_heading": (),
    "sheet_questions_heading": (),
    "sheet_no_questions": (),
    "sheet_notes_heading": (),
    "sheet_date_label": (),
    "sheet_sources_heading": (),
    "sheet_disclaimer": (),
    "sheet_qr_caption": (),
    # --- second edition (issue 10): the journey's new words ---
    # the finish and thank-you
    "finish_visit": (),
    "thanks_title": (),
    "thanks_body": (),
    # sources on demand, and closing any overlay
    "sources_button": (),
    "close": (),
    # check-yourself (quiz) screen
    "quiz_true": (),
    "quiz_false": (),
    "quiz_right": (),
    "quiz_not_quite": (),
    # summary screen
    "summary_learned_heading": (),
    "summary_see_sheet": (),
    # header controls
    "text_smaller": (),
    "text_larger": (),
    "contrast": (),
    # numbered steps for today (screen and sheet)
    "today_steps_heading": (),
    # printed sheet: fields to fill in and prompts to write on
    "sheet_appointment_date": (),
    "sheet_doctor": (),
    "sheet_page_of": ("n", "total"),
    "sheet_tell_heading": (),
    "sheet_tell_symptoms": (),
    "sheet_tell_started": (),
    "sheet_tell_medicines": (),
    # speech (kiosk/speech_text.py): the Listen control and what is said besides the screen's own words
    "listen": (),
    "listen_stop": (),
    "speech_tick": ("question", "state"),
    "speech_image": ("text",),
    "speech_next_start": (),
    "speech_next": ("button",),
    "speech_print": ("button",),
    "speech_last": ("back", "start_over"),
    "speech_idle_continue": ("button",),
}

# Counted keys -> the placeholder that holds the count. Written per plural
# category in strings.yaml (``idle_body.one``, ``idle_body.other``, ...).
COUNTED: dict[str, str] = {
    "idle_body": "seconds",
    "pin_wrong": "left",
    "pin_locked": "seconds",
}

CATEGORIES = ("zero", "one", "two", "few", "many", "other")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BRACE_PART = re.compile(r"\{[^{}]*\}?|\}")
MAX_TEXT = 2000  # characters in one interface string


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders a text uses."""
    return set(PLACEHOLDER.findall(text))


def _short(text: str, limit: int = 30) -> str:
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


def check_text(key: str, text: str) -> str | None:
    """Why ``text`` cannot be the words for ``key`` (None when it can)."""
    if len(text) > MAX_TEXT:
        return f"'{key}' is {len(text)} characters long; an interface text may be at most {MAX_TEXT}"
    allowed = KEYS.get(key, ())
    for m in _BRACE_PART.finditer(text):
        part = m.group(0)
        if PLACEHOLDER.fullmatch(part):
            name = part[1:-1]
            if name not in allowed:
                names = ", ".join("{" + p + "}" for p in allowed) or "none"
                return f"'{key}' uses unknown placeholder {part[:40]}; allowed: {names}"
            continue
        inner = part.strip("{}")
        head = NAME.match(inner)
        if head and head.group(0) in allowed and inner[head.end():][:1] in (":", "!", ".", "["):
            return (f"'{key}' uses {_short(part)}: placeholders are plain names like "
                    f"{{{head.group(0)}}}, without format, conversion, attribute or index")
        return (f"'{key}' has a stray brace in {_short(part)}: placeholders are plain names like "
                + (", ".join("{" + p + "}" for p in allowed) or "{name} (none allowed here)"))
    return None


def substitute(text: str, values: Mapping[str, object]) -> str:
    """Replace ``{name}`` with ``str(values[name])``; other text stays as written."""
    if not values:
        return text
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


@functools.lru_cache(maxsize=32)
def _plural_rule(lang: str):  # type: ignore[no-untyped-def]
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_")).plural_form
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def plural_rules(lang: str) -> dict[str, str] | None:
    """CLDR's plural rules of ``lang`` as text (``{"one": "i = 1 and v = 0"}``), None if unknown.

    The deck keeps them with its words (``Strings.rules``), so a running kiosk picks plural
    forms without loading Babel's locale data (about 5 MB a language)."""
    rule = _plural_rule(lang)
    return dict(rule.rules) if rule is not None else None


@functools.lru_cache(maxsize=64)
def _rule_from(rules: tuple[tuple[str, str], ...]):  # type: ignore[no-untyped-def]
    from babel.plural import PluralRule

    return PluralRule(dict(rules))


def plural_category(lang: str, count: int, rules: Mapping[str, str] | None = None) -> str:
    """The CLDR plural category of ``count`` in ``lang`` ("other" for an unknown language);
    ``rules``: the language's rules as ``plural_rules`` gave them (then no locale data loads)."""
    rule = _rule_from(tuple(sorted(rules.items()))) if rules is not None else _plural_rule(lang)
    return str(rule(abs(count))) if rule is not None else "other"


@functools.lru_cache(maxsize=32)
def required_categories(lang: str) -> frozenset[str]:
    """Categories a counted key must be written in for ``lang``."""
    rule = _plural_rule(lang)
    if rule is None:
        return frozenset({"other"})
    return frozenset({"other", *(str(rule(n)) for n in range(1001))})


@functools.lru_cache(maxsize=32)
def allowed_categories(lang: str) -> frozenset[str]:
    """Categories a counted key may be written in for ``lang`` (CLDR's, decimals included)."""
    rule = _plural_rule(lang)
    if rule is None:
        return frozenset(CATEGORIES)
    return frozenset({"other", *rule.tags})


def split_key(key: str) -> tuple[str, str | None]:
    """``'idle_body.one'`` -> ``('idle_body', 'one')``; ``'next'`` -> ``('next', None)``."""
    base, dot, category = key.partition(".")
    return (base, category) if dot else (key, None)


@dataclass
class Strings:
    """Interface words for one language, with a fallback language.

    ``texts`` holds flat keys: plain ones, and ``key.category`` for counted keys.
    """

    lang: str
    texts: dict[str, str]
    fallback: Mapping[str, str] = field(default_factory=dict)
    fallback_lang: str = ""
    rules: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> ``plural_rules``

    def _counted(self, key: str, count: int) -> str:
        for texts, lang in ((self.texts, self.lang), (self.fallback, self.fallback_lang or self.lang)):
            category = plural_category(lang, count, self.rules.get(lang))
            text = texts.get(f"{key}.{category}") or texts.get(f"{key}.other")
            if text:
                return text
        return ""

    def get(self, key: str, count: int | None = None, **values: object) -> str:
        """The words for ``key``, ``{name}`` placeholders replaced from ``values``.

        A counted key (``COUNTED``) picks its plural form from ``count``, or
        from the value of its count placeholder when ``count`` is not given.
        """
        if key in COUNTED:
            if count is None:
                n = values.get(COUNTED[key])
                count = n if isinstance(n, int) and not isinstance(n, bool) else 0
            text = self._counted(key, count)
        else:
            text = self.texts.get(key) or self.fallback.get(key) or ""
        return substitute(text, values)

    __getitem__ = get

    def base_keys(self) -> set[str]:
        """The keys present, counted ones without their category."""
        return {split_key(k)[0] for k in self.texts}
