"""The staff "Usage" page: the usage figures drawn with QPainter, readable at arm's length.

It shows a :class:`~kiosk.stats.Report` (the lead asks for the last 14 days):
visits per day as a bar chart, how far visits got (screens reached, most first),
how visits ended and what was printed, languages and settings, and the most
ticked questions. Weekly breakdowns come only from weeks with 5 or more
visits; the report never holds the others, and the page says how many were
left out. Staff-only, so the words are English here (like the rest of the panel).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from ..stats import FEWER_THAN_K, Report
from .theme import COLORS, FONT_FAMILY
from .widgets import ANTIALIAS

CHART_DAYS = 14
TOP_LANGUAGES = 3


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


class UsagePage(QWidget):
    """Draws one report; ``set_report`` swaps in a newer one (e.g. each time the panel opens)."""

    def __init__(self, report: Report, question_text: Callable[[str], str], parent: QWidget | None = None, *,
                 screen_order: Sequence[str] = ()) -> None:
        """``question_text`` maps a question id to its words (the deck's); ``screen_order`` is the deck's
        screen ids in order, so the funnel reads like the deck (screens it lacks come after, most reached first)."""
        super().__init__(parent)
        self._report = report
        self._question_text = question_text
        self._screen_order = tuple(screen_order)
        self.setAccessibleName("Usage figures")
        self.setAutoFillBackground(False)
        self.setMinimumSize(640, 400)
        self._body = self._small = self._title = 18.0  # pixel sizes, set from the size on each paint
        self.setAccessibleDescription(self.description())

    @property
    def report(self) -> Report:
        return self._report

    def set_report(self, report: Report) -> None:
        self._report = report
        self.setAccessibleDescription(self.description())
        self.update()

    def question(self, qid: str) -> str:
        """The question's words from the deck, or its id when the deck no longer has it."""
        try:
            text = self._question_text(qid)
        except (KeyError, LookupError):
            text = ""
        return " ".join(text.split()) or qid

    # --- sizes -----------------------------------------------------------------------------------

    def _font(self, px: float, bold: bool = False) -> QFont:
        font = QFont(FONT_FAMILY)
        font.setPixelSize(max(1, round(px)))
        font.setBold(bold)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        p.setRenderHint(ANTIALIAS)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), QColor(COLORS["bg"]))
        scale = min(w / 1280, h / 800)
        self._body = max(15.0, 24 * scale)
        self._small = max(13.0, 19 * scale)
        self._title = max(17.0, 27 * scale)
        margin = max(8.0, 24 * scale)
        gap = max(6.0, 16 * scale)

        header = self._font(self._title * 1.3, bold=True)
        p.setFont(header)
        p.setPen(QColor(COLORS["text"]))
        head_h = QFontMetricsF(header).height()
        title = self.title()
        p.drawText(QRectF(margin, margin, w - 2 * margin, head_h), Qt.AlignmentFlag.AlignLeft
                   | Qt.AlignmentFlag.AlignVCenter, self._elide(title, header, w - 2 * margin))
        p.setFont(self._font(self._small))
        p.setPen(QColor(COLORS["muted"]))
        span = f"{self._report.first_day:%d %b %Y} to {self._report.last_day:%d %b %Y}"
        p.drawText(QRectF(margin, margin, w - 2 * margin, head_h),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, span)

        top = margin + head_h + gap
        inner_w, inner_h = w - 2 * margin, h - top - margin
        row1 = (inner_h - gap) * 0.54
        row2 = inner_h - gap - row1
        left_w = (inner_w - gap) * 0.56
        self._bar_chart(p, QRectF(margin, top, left_w, row1))
        self._funnel(p, QRectF(margin + left_w + gap, top, inner_w - left_w - gap, row1))
        y2 = top + row1 + gap
        col = (inner_w - 2 * gap)
        a, b = col * 0.27, col * 0.30
        self._endings(p, QRectF(margin, y2, a, row2))
        self._settings(p, QRectF(margin + a + gap, y2, b, row2))
        self._questions(p, QRectF(margin + a + b + 2 * gap, y2, col - a - b, row2))
        p.end()

    # --- panels ----------------------------------------------------------------------------------

    def _panel(self, p: QPainter, rect: QRectF, title: str) -> QRectF:
        """Draws the card and its title; returns the rectangle left for the content."""
        p.setPen(QPen(QColor(COLORS["border"]), 1))
        p.setBrush(QColor(COLORS["surface"]))
        radius = max(4.0, self._small * 0.4)
        p.drawRoundedRect(rect, radius, radius)
        pad = max(6.0, self._small * 0.7)
        font = self._font(self._title, bold=True)
        p.setFont(font)
        p.setPen(QColor(COLORS["accent"]))
        th = QFontMetricsF(font).height()
        p.drawText(QRectF(rect.left() + pad, rect.top() + pad * 0.6, rect.width() - 2 * pad, th),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self._elide(title, font, rect.width() - 2 * pad))
        return QRectF(rect.left() + pad, rect.top() + pad * 0.6 + th + pad * 0.5,
                      rect.width() - 2 * pad, rect.height() - th - pad * 1.7)

    def _elide(self, text: str, font: QFont, width: float) -> str:
        return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, width)

    def _rows(self, p: QPainter, area: QRectF, rows: list[tuple[str, str]], *, note: str = "") -> None:
        """Label left, figure right, one line each; rows that do not fit are counted in a last line."""
        font = self._font(self._body)
        fm = QFontMetricsF(font)
        line = fm.height() * 1.25
        note_font = self._font(self._small)
        nfm = QFontMetricsF(note_font)
        note_lines = 1 if nfm.horizontalAdvance(note) <= area.width() else 2
        note_h = nfm.height() * (note_lines + 0.2) if note else 0.0
        fit = max(0, int((area.height() - note_h) // line))
        if len(rows) > fit and fit > 0:
            rows = [*rows[: fit - 1], ("", f"+{len(rows) - fit + 1} more")]
        y = area.top()
        p.setFont(font)
        for label, value in rows[:fit]:
            value_w = fm.horizontalAdvance(value) + self._body * 0.5
            p.setPen(QColor(COLORS["text"]))
            p.drawText(QRectF(area.left(), y, area.width() - value_w, line),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       self._elide(label, font, area.width() - value_w))
            p.setPen(QColor(COLORS["accent"]))
            p.drawText(QRectF(area.left(), y, area.width(), line),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, value)
            y += line
        if note:
            p.setFont(note_font)
            p.setPen(QColor(COLORS["muted"]))
            p.drawText(QRectF(area.left(), area.bottom() - note_h, area.width(), note_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap, note)

    def _note(self, p: QPainter, rect: QRectF, text: str) -> None:
        font = self._font(self._small)
        p.setFont(font)
        p.setPen(QColor(COLORS["muted"]))
        p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self._elide(text, font, rect.width()))

    def _message(self, p: QPainter, area: QRectF, text: str) -> None:
        font = self._font(self._body)
        p.setFont(font)
        p.setPen(QColor(COLORS["muted"]))
        p.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, text)

    def _bar_chart(self, p: QPainter, rect: QRectF) -> None:
        area = self._panel(p, rect, "Visits per day")
        days = self._report.days[-CHART_DAYS:]
        if not days:
            return
        label_font = self._font(self._small)
        lfm = QFontMetricsF(label_font)
        label_h = lfm.height()
        # From the top: a line for the figures above the bars, the bars, the days, the caption.
        chart = QRectF(area.left(), area.top() + label_h, area.width(), area.height() - label_h * 3.4)
        top_value = max((d.visits_started for d in days), default=0)
        slot = chart.width() / len(days)
        bar_w = slot * 0.7
        p.setPen(QPen(QColor(COLORS["border"]), 1))
        p.drawLine(chart.bottomLeft(), chart.bottomRight())
        p.setFont(label_font)
        for i, d in enumerate(days):
            x = chart.left() + i * slot + (slot - bar_w) / 2
            height = chart.height() * d.visits_started / top_value if top_value else 0.0
            if height:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(COLORS["accent"]))
                p.drawRect(QRectF(x, chart.bottom() - height, bar_w, height))
            p.setPen(QColor(COLORS["text"]))
            value_rect = QRectF(chart.left() + i * slot, chart.bottom() - height - label_h, slot, label_h)
            p.drawText(value_rect, Qt.AlignmentFlag.AlignCenter, str(d.visits_started))
            p.setPen(QColor(COLORS["muted"] if d.date.weekday() < 5 else COLORS["accent"]))
            p.drawText(QRectF(chart.left() + i * slot, chart.bottom() + label_h * 0.1, slot, label_h),
                       Qt.AlignmentFlag.AlignCenter, f"{d.date.day}")
        first, last = days[0].date, days[-1].date
        self._note(p, QRectF(area.left(), area.bottom() - label_h, area.width(), label_h),
                   f"Day of the month, {first:%d %b} to {last:%d %b}; weekends in teal")

    def _funnel(self, p: QPainter, rect: QRectF) -> None:
        area = self._panel(p, rect, "How far visits got")
        t = self._report.totals
        if not t.screens:
            self._message(p, area, "No visits yet.")
            return
        font = self._font(self._body)
        fm = QFontMetricsF(font)
        line = fm.height() * 1.3
        fit = max(1, int(area.height() // line))
        screens = self.funnel()
        shown = screens if len(screens) <= fit else screens[: fit - 1]
        count_w = fm.horizontalAdvance("00000")
        pct_w = fm.horizontalAdvance("100%") + self._body * 0.6
        figure_w = count_w + pct_w
        label_w = min(area.width() * 0.45, max(fm.horizontalAdvance(s) for s, _ in shown) + self._body * 0.5)
        bar_left = area.left() + label_w
        bar_room = area.width() - label_w - figure_w
        p.setFont(font)
        y = area.top()
        for screen, n in shown:
            p.setPen(QColor(COLORS["text"]))
            p.drawText(QRectF(area.left(), y, label_w, line), Qt.AlignmentFlag.AlignLeft
                       | Qt.AlignmentFlag.AlignVCenter, self._elide(screen, font, label_w - self._body * 0.3))
            width = bar_room * n / t.visits_started if t.visits_started else 0.0
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(COLORS["accent_soft"]))
            p.drawRect(QRectF(bar_left, y + line * 0.18, bar_room, line * 0.64))
            p.setBrush(QColor(COLORS["accent"]))
            p.drawRect(QRectF(bar_left, y + line * 0.18, width, line * 0.64))
            p.setPen(QColor(COLORS["text"]))
            p.drawText(QRectF(area.right() - figure_w, y, count_w, line),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(n))
            p.setPen(QColor(COLORS["accent"]))
            p.drawText(QRectF(area.right() - pct_w, y, pct_w, line),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, _pct(n, t.visits_started))
            y += line
        if len(shown) < len(screens):
            self._note(p, QRectF(area.left(), y, area.width(), line), f"+{len(screens) - len(shown)} more screens")

    def _endings(self, p: QPainter, rect: QRectF) -> None:
        self._rows(p, self._panel(p, rect, "Finish and print"), self.ending_rows())

    def _settings(self, p: QPainter, rect: QRectF) -> None:
        area = self._panel(p, rect, "Languages and settings")
        rows = self.setting_rows()
        if rows:
            self._rows(p, area, rows, note=self.weekly_note())
        else:
            self._message(p, area, self._no_weeks())

    def _questions(self, p: QPainter, rect: QRectF) -> None:
        area = self._panel(p, rect, "Questions ticked most")
        rows = self.question_rows()
        if rows:
            self._rows(p, area, rows, note=self.weekly_note())
        else:
            self._message(p, area, self._no_weeks() if not self.setting_rows() else "No questions ticked yet.")

    def _no_weeks(self) -> str:
        if not self._report.totals.visits_started:
            return "No visits yet."
        return f"Shown for weeks with 5 or more visits; so far every week had {FEWER_THAN_K}."

    # --- what the panels say (also the page's accessible description) -----------------------------

    def funnel(self) -> list[tuple[str, int]]:
        """Screens and the visits that reached them: in deck order when known, else most reached first."""
        screens = self._report.totals.screens
        known = [(s, screens[s]) for s in self._screen_order if s in screens]
        return known + [(s, n) for s, n in screens.items() if s not in self._screen_order]

    def funnel_rows(self) -> list[tuple[str, str]]:
        t = self._report.totals
        return [(screen, f"{n} {_pct(n, t.visits_started)}") for screen, n in self.funnel()]

    def ending_rows(self) -> list[tuple[str, str]]:
        t = self._report.totals
        started = t.visits_started
        return [
            ("Finished", _pct(t.visits_finished, started)),
            ("Idle reset", _pct(t.visits_idle, started)),
            ("Started over", _pct(t.visits_start_over, started)),
            ("Sheets printed", str(t.prints_ok)),
            ("Print failures", str(t.prints_failed)),
        ]

    def setting_rows(self) -> list[tuple[str, str]]:
        """Empty when no week of the report had 5 or more visits."""
        t = self._report.totals
        counted = sum(t.text_size.values())
        if not counted:
            return []
        languages = list(t.languages.items())
        if len(languages) > TOP_LANGUAGES:  # the settings below matter more than a long tail of languages
            rest = sum(n for _, n in languages[TOP_LANGUAGES - 1:])
            languages = [*languages[: TOP_LANGUAGES - 1], ("other languages", rest)]
        rows = [(f"Language {code.upper()}" if code != "other languages" else "Other languages", _pct(n, counted))
                for code, n in languages]
        return [*rows,
                ("Larger text", _pct(counted - t.text_size.get("normal", 0), counted)),
                ("High contrast", _pct(t.contrast.get("high", 0), counted)),
                ("Speech", _pct(t.speech.get("used", 0), counted))]

    def question_rows(self) -> list[tuple[str, str]]:
        return [(self.question(q), str(n)) for q, n in self._report.totals.ticks.items()]

    def weekly_note(self) -> str:
        left_out = self._report.totals.weeks_suppressed
        if not left_out:
            return ""
        return f"{left_out} week{'s' * (left_out != 1)} with {FEWER_THAN_K} visits left out"

    def title(self) -> str:
        t, n_days = self._report.totals, len(self._report.days)
        return f"Usage, last {n_days} day{'s' * (n_days != 1)}: {t.visits_started} visit{'s' * (t.visits_started != 1)}"

    def description(self) -> str:
        """Everything the page shows, as text (screen readers; tests)."""
        days = self._report.days[-CHART_DAYS:]
        parts = [self.title() + ".",
                 "Visits per day: " + ", ".join(f"{d.date:%d %b} {d.visits_started}" for d in days) + "."]
        for heading, rows, fallback in (
                ("How far visits got", self.funnel_rows(), "No visits yet."),
                ("Finish and print", self.ending_rows(), ""),
                ("Languages and settings", self.setting_rows(), self._no_weeks()),
                ("Questions ticked most", self.question_rows(), self._no_weeks())):
            body = "; ".join(f"{label} {value}" for label, value in rows) if rows else fallback
            parts.append(f"{heading}: {body}")
        if self.weekly_note():
            parts.append(self.weekly_note() + ".")
        return "\n".join(parts)
