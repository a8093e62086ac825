"""Icons are shared: Qt caches what it paints of an icon under the icon's identity, so a new
QIcon per button would leave copies in the global QPixmapCache each time a page is rebuilt."""

from __future__ import annotations

from kiosk.deck import load_deck
from kiosk.resources import bundled_content
from kiosk.ui.icons import icon
from kiosk.ui.pages import PageContext, StartPage
from kiosk.ui.theme import Metrics, View


def test_the_same_icon_is_drawn_once_and_shared(qapp):
    assert icon("larger", "#1a4d8f", 80).cacheKey() == icon("larger", "#1a4d8f", 80).cacheKey()
    assert icon("larger", "#1a4d8f", 80).cacheKey() != icon("larger", "#ffffff", 80).cacheKey()


def test_a_rebuilt_start_page_shows_the_icons_the_last_one_did(qtbot):
    deck = load_deck(bundled_content())
    lang = deck.language("en")
    ctx = PageContext(deck.languages, "", None, None)
    keys = []
    for _ in range(2):
        page = StartPage(lang.journey[0], lang, ctx)
        qtbot.addWidget(page)
        page.apply(View(Metrics.for_size(1280, 800)))
        keys.append([b.icon().cacheKey() for b in page.tool_buttons])
    assert keys[0] == keys[1]
