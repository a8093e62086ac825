"""The kiosk window, offscreen: navigation, ticks, text size, language, start over."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAccessible, QColor, QImage, QRegion
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.deck import load_deck
from kiosk.session import Mode
from kiosk.ui.pages import ScreenPage, StartPage, SummaryPage
from kiosk.ui.widgets import TickItem
from kiosk.ui.window import KioskWindow
from tests.lifecycle_helpers import make_window


@pytest.fixture
def window(qtbot):
    # the default fade stays on: screen changes must work while it runs
    return make_window(qtbot, clinic_name="Riverside Spine Clinic", display__transition_ms=160)


def screen_id(w: KioskWindow) -> str:
    return w.shown_page().property("screen_id")


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_starts_on_start_with_no_chrome(window):
    assert screen_id(window) == "start"
    assert isinstance(window.shown_page(), StartPage)
    assert not window.header.isVisible() and not window.footer.isVisible()
    assert window.current_screen_id() == "start"


def test_touch_to_begin_then_next_back_through_every_screen(window, qtbot):
    ids = [s.id for s in window.language.journey]
    assert "sources" not in ids and ids[-1] == "summary"  # the summary is the last step
    click(qtbot, window.shown_page().begin_button)
    assert screen_id(window) == ids[1]
    assert window.progress.text() == f"Step 1 of {len(ids) - 1}"
    for expected in ids[2:]:
        click(qtbot, window.next_button)
        assert screen_id(window) == expected
    strings = window.language.strings
    assert window.next_button.text() == strings.get("finish_visit")  # "I'm finished" ends the walk
    click(qtbot, window.back_button)
    assert screen_id(window) == ids[-2]


def test_im_finished_forgets_everything_and_thanks_the_patient(window, qtbot):
    window.session.go(window.session.screen_ids.index("next-steps"))
    click(qtbot, ticks_on(window)[0])
    window.session.set_contrast("high")
    window.session.go(window.session.count - 1)
    click(qtbot, window.next_button)
    s = window.session
    assert (screen_id(window), s.ticks, s.contrast) == ("start", set(), "normal")
    assert window.thanks.isVisible()
    assert window.thanks.title.text() == window.language.strings.get("thanks_title")
    click(qtbot, window.thanks)  # a touch closes it (it also goes by itself)
    assert not window.thanks.isVisible()


def test_sources_open_from_any_screen_and_close(window, qtbot):
    window.session.begin()
    click(qtbot, window.sources_button)
    assert window.sources.isVisible()
    assert window.sources.title.text() == window.language.sources_screen.title
    click(qtbot, window.sources.close_button)
    assert not window.sources.isVisible() and screen_id(window) == "mri-risk"


def test_keyboard_navigation(window, qtbot):
    QTest.keyClick(window.shown_page(), Qt.Key.Key_Space)
    assert screen_id(window) == "mri-risk"
    ids = window.session.screen_ids
    QTest.keyClick(window, Qt.Key.Key_Right)
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert screen_id(window) == ids[3]
    QTest.keyClick(window, Qt.Key.Key_Left)
    assert screen_id(window) == ids[2]
    QTest.keyClick(window, Qt.Key.Key_Home)  # asks before forgetting
    assert window.confirm.isVisible()
    click(qtbot, window.confirm.yes_button)
    assert screen_id(window) == "start"


def test_swipe_left_goes_next_and_right_goes_back(window, qtbot):
    window.session.begin()
    page = window.shown_page()
    y = page.height() // 2
    QTest.mousePress(page, Qt.MouseButton.LeftButton, pos=QPoint(1000, y))
    QTest.mouseMove(page, QPoint(600, y))
    QTest.mouseRelease(page, Qt.MouseButton.LeftButton, pos=QPoint(300, y))
    assert screen_id(window) == window.session.screen_ids[2]
    page = window.shown_page()
    QTest.mousePress(page, Qt.MouseButton.LeftButton, pos=QPoint(200, y))
    QTest.mouseRelease(page, Qt.MouseButton.LeftButton, pos=QPoint(900, y))
    assert screen_id(window) == "mri-risk"


def ticks_on(window) -> list[TickItem]:
    return window.current_page().ticks


def test_ticked_questions_show_on_the_summary(window, qtbot):
    window.session.go(window.session.screen_ids.index("next-steps"))
    items = ticks_on(window)
    assert len(items) >= 6
    click(qtbot, items[0])
    click(qtbot, items[2])
    assert items[0].isChecked() and not items[1].isChecked() and items[2].isChecked()
    face = QAccessible.queryAccessibleInterface(items[0])
    assert face.role() == QAccessible.Role.CheckBox and face.state().checked
    assert face.text(QAccessible.Text.Name) == items[0].label.text()
    window.session.go(window.session.screen_ids.index("summary"))
    summary = window.current_page()
    assert isinstance(summary, SummaryPage)
    text = summary.list.text()
    assert items[0].label.text() in text and items[2].label.text() in text
    assert items[1].label.text() not in text


def test_summary_says_so_when_nothing_is_ticked(window):
    window.session.go(window.session.screen_ids.index("summary"))
    strings = window.language.strings
    assert strings.get("summary_nothing_ticked") in window.current_page().list.text()


def test_start_over_confirms_then_forgets_everything(window, qtbot):
    window.session.go(window.session.screen_ids.index("next-steps"))
    click(qtbot, ticks_on(window)[0])
    click(qtbot, window.larger_button)
    click(qtbot, window.language_button)
    click(qtbot, window.start_over_button)
    assert window.confirm.isVisible()
    click(qtbot, window.confirm.no_button)  # "No" keeps everything
    assert window.session.ticks and screen_id(window) == "next-steps"
    click(qtbot, window.start_over_button)
    click(qtbot, window.confirm.yes_button)
    s = window.session
    assert (screen_id(window), s.ticks, s.language, s.text_size, s.mode) == ("start", set(), "en", 0, Mode.START)
    assert not any(t.isChecked() for p in window.built_pages() for t in p.ticks)


def test_language_switch_keeps_the_screen_and_the_ticks(window, qtbot):
    window.session.go(window.session.screen_ids.index("next-steps"))
    first = ticks_on(window)[0]
    click(qtbot, first)
    click(qtbot, window.language_button)
    assert window.session.language == "es"
    assert screen_id(window) == "next-steps"
    es_first = ticks_on(window)[0]
    assert es_first.item_id == first.item_id and es_first.isChecked()
    assert window.next_button.text() == window.deck.language("es").strings.get("next")


def test_text_size_grows_and_shrinks_with_two_buttons_and_never_wraps_around(window, qtbot):
    window.session.begin()
    window.resize(1920, 1080)
    sizes = [window.metrics.body]
    for _ in range(2):
        click(qtbot, window.larger_button)
        sizes.append(window.metrics.body)
    assert sizes[0] < sizes[1] < sizes[2]
    assert not window.larger_button.isEnabled()  # at Largest: a third tap cannot shrink it
    click(qtbot, window.smaller_button)
    assert window.metrics.body == sizes[1]


def visible_targets(w: KioskWindow) -> list[QWidget]:
    found = [b for b in w.findChildren(QAbstractButton) if b.isVisible()]
    found += [t for t in w.findChildren(TickItem) if t.isVisible()]
    return found


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("text_size", [0, 2])
def test_touch_targets_are_big_and_apart_and_nothing_clips(window, qtbot, size, text_size):
    window.resize(*size)
    for _ in range(text_size):
        window.session.text_larger()
    for index in range(window.session.count):
        window.session.go(index)
        qtbot.wait(1)
        targets = visible_targets(window)
        assert targets
        assert (window.width(), window.height()) == size  # content never forces the window bigger
        for t in targets:
            assert t.width() >= 64 and t.height() >= 64, (t.objectName(), t.size())
            assert t.mapTo(window, QPoint(0, 0)).x() >= 0
            assert t.mapTo(window, QPoint(t.width(), 0)).x() <= window.width(), t
        footer = [t for t in targets if window.footer.isAncestorOf(t)]
        footer.sort(key=lambda b: b.x())
        for a, b in zip(footer, footer[1:], strict=False):
            assert b.x() - (a.x() + a.width()) >= 12
        for label in window.findChildren(QLabel):
            if label.isVisible() and label.wordWrap() and label.text():
                assert label.height() >= label.heightForWidth(label.width()) - 2, label.text()[:40]


def test_pages_are_built_when_needed_kept_within_a_bound_and_reused(window, qtbot):
    # before first paint: the Start page; the next one follows in idle time
    qtbot.waitUntil(lambda: len(window.built_pages()) == 2)
    assert tuple(p.screen.id for p in window.built_pages()) == window.session.screen_ids[:2]
    for _ in range(3):
        window.session.begin()
        window.session.set_language("es")
        window.session.reset()
    kept = {id(p) for p in window.built_pages()}
    window.session.begin()
    window.session.reset()
    assert {id(p) for p in window.built_pages()} <= kept | {id(window.current_page())}
    for lang in ("en", "es"):
        window.session.set_language(lang)
        for i in range(window.session.count):
            window.session.go(i)
    # the bundled deck is small: both languages stay built, so going round again builds nothing
    # (Qt keeps ~1 KB of style-sheet cache for every page deleted; see PageCache)
    every = {id(p) for p in window.built_pages()}
    assert len(every) == sum(len(lang.journey) for lang in window.deck.languages.values())
    for lang in ("es", "en"):
        window.session.set_language(lang)
        for i in range(window.session.count):
            window.session.go(i)
    assert {id(p) for p in window.built_pages()} == every


def test_what_a_page_asks_for_reaches_the_session(window, qtbot):
    """Page signals go through the window's relays (``_page_tick`` and friends): every button a
    patient can tap on Start, a tick, a quiz answer and See the full sheet still do their work."""
    from kiosk.ui.pages import QuizPage

    w, s = window, window.session
    start = w.current_page()
    w.speech.warm_up()  # Qt's mock engine: Listen can speak
    click(qtbot, start.larger_button)
    assert s.text_size == 1
    click(qtbot, start.smaller_button)
    assert s.text_size == 0
    click(qtbot, start.contrast_button)
    assert s.contrast == "high"
    click(qtbot, start.listen_button)
    assert s.speech
    click(qtbot, start.listen_button)
    assert not s.speech
    click(qtbot, next(b for b in start.lang_buttons if b.property("lang") == "es"))
    assert s.language == "es"
    click(qtbot, w.current_page().begin_button)
    assert s.index == 1
    s.go(next(i for i in range(s.count) if w.page_for(s.language, i).ticks))
    tick = w.current_page().ticks[0]
    click(qtbot, tick)
    assert tick.item_id in s.ticks
    s.go(next(i for i in range(s.count) if isinstance(w.page_for(s.language, i), QuizPage)))
    quiz = w.current_page()
    answered: list[str] = []
    w._page_answered.connect(answered.append)  # noqa: SLF001 (the relay a quiz answer takes)
    click(qtbot, quiz._items[0][1])  # noqa: SLF001 (the first statement's first answer)
    assert answered and answered[0]
    s.go(s.count - 1)
    summary = w.current_page()
    click(qtbot, summary.print_panel.full)
    assert w.sheet_view.isVisible()


def test_a_large_deck_keeps_ten_pages_built_whatever_its_size(qtbot, tmp_path):
    from benchmarks.gen_deck import generate

    w = make_window(qtbot, load_deck(generate(tmp_path / "deck", 30)))
    for i in range(w.session.count):
        w.session.go(i)
        assert len(w.built_pages()) <= 10


def test_the_next_page_is_built_laid_out_and_shown_once_before_it_is_needed(window, qtbot):
    # what makes a screen change cost the same on any deck: Next finds its page ready
    window.session.begin()
    nxt = window.session.screen_ids[2]
    qtbot.waitUntil(lambda: any(p.screen.id == nxt and not p.prepare(window.stack.size())
                                for p in window.built_pages()))
    page = next(p for p in window.built_pages() if p.screen.id == nxt)
    assert page.isHidden() and page.view == window.look.view
    assert page.size() == window.stack.size()
    texts = [r for r in page.rich if not r.isHidden()]
    assert texts and all(r.width() > 0 and r.height() >= r.heightForWidth(r.width()) - 2 for r in texts)
    shown = window.shown_page()
    window.session.next()
    assert window.shown_page() is page and shown.isHidden()


def test_the_page_stack_does_not_ask_its_pages_for_their_size(window):
    # Qt's stack lays out every page it keeps whenever one is shown; ours has a fixed hint
    for stack in (window.stack, window.start_stack, window.body):
        assert not stack.hasHeightForWidth()
        assert stack.minimumSizeHint().width() == 0
    assert window.minimumSizeHint().width() <= 640


def test_rich_text_keeps_its_sizes_across_a_colour_change_not_a_new_font_or_words(qtbot):
    from kiosk.ui.widgets import RichText

    r = RichText("<p>" + "Your doctor looks at your MRI with you. " * 8 + "</p>")
    qtbot.addWidget(r)
    tall = r.heightForWidth(300)
    assert tall > r.heightForWidth(900) > 0
    kept = dict(r._sizes)  # noqa: SLF001
    r.set_theme("high")
    assert r._sizes == kept and r.heightForWidth(300) == tall  # noqa: SLF001
    font = r.font()
    font.setPixelSize(font.pixelSize() * 2 if font.pixelSize() > 0 else 40)
    r.setFont(font)
    assert r.heightForWidth(300) > tall
    r.set_fragment("<p>One line.</p>")
    assert r.heightForWidth(300) < tall


def test_every_screen_page_has_the_right_class(window):
    kinds = {s.kind for s in window.language.screens}
    assert kinds == {"start", "step", "quiz", "summary", "sources"}
    for index in range(window.session.count):
        page = window.page_for("en", index)
        expected = {"start": StartPage, "summary": SummaryPage}.get(page.screen.kind, ScreenPage)
        assert isinstance(page, expected)


def touch_swipe(window, qtbot, start: QPoint, end: QPoint) -> None:
    device = QTest.createTouchDevice()
    QTest.touchEvent(window, device).press(0, start, window).commit()
    QTest.touchEvent(window, device).move(0, (start + end) / 2, window).commit()
    QTest.touchEvent(window, device).release(0, end, window).commit()


@pytest.mark.parametrize("where", ["title", "body"])
def test_one_finger_touch_swipe_changes_screens(window, qtbot, where):
    window.session.begin()
    page = window.current_page()
    target = page.title if where == "title" else page.scroll.viewport()
    y = target.mapTo(window, target.rect().center()).y()
    touch_swipe(window, qtbot, QPoint(1000, y), QPoint(300, y))
    assert screen_id(window) == window.session.screen_ids[2]
    touch_swipe(window, qtbot, QPoint(300, y), QPoint(1000, y))
    assert screen_id(window) == "mri-risk"


def test_a_finger_tap_ticks_a_question(window, qtbot):
    window.session.go(window.session.screen_ids.index("next-steps"))
    qtbot.wait(1)
    item = ticks_on(window)[0]
    window.current_page().scroll.ensureWidgetVisible(item)  # the questions sit under today's steps
    qtbot.wait(1)
    centre = item.mapTo(window, item.rect().center())
    device = QTest.createTouchDevice()
    QTest.touchEvent(window, device).press(0, centre, window).commit()
    QTest.touchEvent(window, device).release(0, centre, window).commit()
    assert item.isChecked() and item.item_id in window.session.ticks


def test_titles_and_labels_never_render_markup(qtbot, tmp_path):
    from tests.decks import make_deck

    root = make_deck(tmp_path, {"10-risk.md": "---\ntitle: Risk <b>bold</b>\nlabel: <i>x</i>\n---\nBody.[^1]\n"})
    w = make_window(qtbot, load_deck(root))
    w.session.begin()
    page = w.current_page()
    assert page.title.textFormat() == Qt.TextFormat.PlainText
    assert page.title.text() == "Risk <b>bold</b>"  # shown as typed, never bold
    assert w.progress.textFormat() == Qt.TextFormat.PlainText


def test_language_switch_keeps_the_screen_by_id_when_a_language_lacks_one(qtbot, tmp_path):
    from tests.decks import make_deck

    root = make_deck(tmp_path)
    make_deck(root, {"10-risk.md": "---\ntitle: [broken\n---\n"}, lang="es")  # es loses 'risk'
    w = make_window(qtbot, load_deck(root))
    w.session.go(w.session.screen_ids.index("summary"))
    w.session.set_language("es")
    assert screen_id(w) == "summary"
    w.session.set_language("en")
    w.session.go(w.session.screen_ids.index("risk"))
    w.session.set_language("es")  # no 'risk' in es: the nearest earlier screen
    assert screen_id(w) == "start"


class _Colour(str):
    """A pixel's colour that equals a theme colour within 4 levels a channel (a fade may be running)."""

    def __eq__(self, other: object) -> bool:
        a, b = (QColor(str(c)) for c in (self, other))
        return all(abs(x - y) <= 4 for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))

    __hash__ = str.__hash__


def _pixel(widget: QWidget, x: int = 4, y: int = 4) -> _Colour:
    return _Colour(widget.grab().toImage().pixelColor(x, y).name())


class _PaletteWatcher(QObject):
    def __init__(self, told: list[QWidget]) -> None:
        super().__init__()
        self.told = told

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange:
            self.told.append(obj)
        return False


def test_contrast_switch_restyles_what_shows_and_the_rest_when_shown(window, qtbot):
    from kiosk.ui.theme import THEMES

    window.session.begin()
    qtbot.waitUntil(lambda: len(window.built_pages()) >= 3)  # the neighbours, built in idle time
    far = window.session.count - 1
    window.session.go(far)  # a page the switch will find hidden
    window.session.go(1)
    hidden = window.page_for(window.session.language, far)
    assert not hidden.isVisible()
    told: list[QWidget] = []
    watcher = _PaletteWatcher(told)
    shown = (window.current_page(), window.header, window.footer)
    for w in window.findChildren(QWidget):  # the pages kept built, the overlays, all hidden
        if not w.isVisible() and not any(part.isAncestorOf(w) for part in shown):
            w.installEventFilter(watcher)
    window.session.set_contrast("high")
    high = THEMES["high"]
    assert told == []  # nothing sent to what does not show: the window paints its own fill, no palette
    own = QImage(window.size(), QImage.Format.Format_RGB32)
    window.render(own, QPoint(), QRegion(), QWidget.RenderFlag.DrawWindowBackground)  # no children
    assert _Colour(own.pixelColor(own.width() // 2, own.height() // 2).name()) == high["bg"]
    assert _pixel(window.current_page()) == high["bg"]
    assert _pixel(window.header) == high["surface"]
    assert _pixel(window.footer, window.footer.width() // 2) == high["surface"]
    # cost follows what shows: a hidden page keeps its old style until it is shown
    assert hidden.view is not None and hidden.view.theme == "normal"
    assert hidden._kiosk_sheet[1] == "normal" and window.styleSheet() == ""  # no window-wide sheet
    window.session.go(far)
    assert window.current_page() is hidden and _pixel(hidden) == high["bg"]
    window.session.set_contrast("normal")
    assert _pixel(window.current_page()) == THEMES["normal"]["bg"]
    window._ask_start_over()  # an overlay opened after a switch has the new theme too
    window.session.set_contrast("high")
    assert _pixel(window.confirm.card, window.confirm.card.width() // 2, window.confirm.card.height() // 2) == high["surface"]


def test_pages_take_a_flick_once_the_window_has_painted(window, qtbot):
    from PySide6.QtWidgets import QScrollArea, QScroller

    window.session.begin()
    qtbot.waitUntil(lambda: window._painted)
    for page in window.built_pages():
        for scroll in page.findChildren(QScrollArea):
            qtbot.waitUntil(lambda s=scroll: QScroller.hasScroller(s.viewport()))


def test_what_was_hidden_during_a_look_change_shows_in_the_new_look(window, qtbot):
    """Changes made on Start reach the header and footer (styled when they first show), the
    Start demo badge, and the cards built on first use (idle, thanks)."""
    from kiosk.ui.theme import THEMES, qfont

    high = THEMES["high"]
    window.session.set_contrast("high")
    window.session.text_larger()
    window.session.set_demo(True)
    assert window.start_badge.isVisible() and window.start_badge.styleSheet()
    assert window.start_badge._kiosk_sheet[1] == "high"
    window.session.set_demo(False)
    window.session.begin()
    assert _pixel(window.header) == high["surface"] and _pixel(window.footer, window.footer.width() // 2) == high["surface"]
    want = qfont(window.look.view.family, window.look.metrics, "button").pixelSize()
    assert window.next_button.font().pixelSize() == want
    window.idle.overlay.show_countdown("Are you still there?", "Starting over", "I'm still here", 20)
    card = window.idle.overlay.card
    assert _pixel(card, card.width() // 2, 8) == high["surface"]
    window.idle.overlay.hide()
    window.thanks.thank("Thank you", "Goodbye")
    card = window.thanks.card
    assert _pixel(card, card.width() // 2, 8) == high["surface"]


def test_building_pages_never_flashes_a_window_of_its_own(qtbot, tmp_path):
    """A widget shown before it has a parent becomes a window of its own for a moment
    (the clinic's name did, on every Start page built): it takes the keypad's focus."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtWidgets import QApplication

    logo = tmp_path / "logo.png"
    image = QImage(240, 80, QImage.Format.Format_ARGB32)
    image.fill(QColor("#0b5563"))
    image.save(str(logo))

    class Windows(QObject):
        shown: list[str] = []

        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
                self.shown.append(type(obj).__name__)
            return False

    watcher = Windows()
    QApplication.instance().installEventFilter(watcher)
    try:
        w = make_window(qtbot, clinic_name="Riverside Spine Clinic", logo=str(logo))
        Windows.shown.clear()
        for code in ("en", "es", "en"):
            w.session.set_language(code)
            for i in range(w.session.count):
                w.session.go(i)
            w.session.reset()
        assert Windows.shown == []
    finally:
        QApplication.instance().removeEventFilter(watcher)


def test_after_a_visit_ends_the_heap_is_trimmed_in_idle_time(qtbot, monkeypatch):
    from kiosk import memory

    trimmed = []
    monkeypatch.setattr(memory, "trim", lambda: trimmed.append(1) or True)
    w = make_window(qtbot)
    qtbot.waitUntil(lambda: w._painted)  # noqa: SLF001
    w._tidy.setInterval(1)  # noqa: SLF001 (2 s in the product)
    w.session.begin()
    w.session.toggle(next(i.id for s in w.language.screens for i in s.items))
    w.session.reset("idle")
    qtbot.waitUntil(lambda: trimmed == [1])
