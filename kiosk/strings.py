"""Interface words per language, read from ``<deck>/<lang>/strings.yaml``.

Only the *keys* live here (structure); every word lives in content/.
"""

from __future__ import annotations

import string
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
    "listen": (),
    "stop_listening": (),
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
}


class StringsError(ValueError):
    """A strings file that cannot be used; message is 'path:line: what'."""


@dataclass
class Strings:
    """Interface words for one language, with a fallback language."""

    lang: str
    texts: dict[str, str]
    fallback: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str, **values: object) -> str:
        text = self.texts.get(key) or self.fallback.get(key) or ""
        if values:
            try:
                return text.format(**values)
            except (KeyError, IndexError, ValueError):
                return text
        return text

    __getitem__ = get


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders a text uses."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(text):
        if name:
            names.add(name)
    return names
