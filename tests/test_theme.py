"""Look: contrast and sizes the brief promises patients."""

import pytest

from kiosk.ui.theme import COLORS, Metrics, contrast


def test_body_text_contrast_is_at_least_7_to_1():
    assert contrast(COLORS["text"], COLORS["bg"]) >= 7
    assert contrast(COLORS["text"], COLORS["surface"]) >= 7
    assert contrast("#ffffff", COLORS["accent"]) >= 7
    assert contrast(COLORS["text"], COLORS["accent_soft"]) >= 7
    assert contrast(COLORS["muted"], COLORS["surface"]) >= 7


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 800)])
def test_targets_are_big_enough_at_every_screen_size(size):
    m = Metrics.for_size(*size)
    assert m.target >= 64
    assert m.gap >= 12


def test_body_text_is_at_least_24px_at_1080p_and_grows_with_text_size():
    sizes = [Metrics.for_size(1920, 1080, t).body for t in range(3)]
    assert sizes[0] >= 24
    assert sizes[0] < sizes[1] < sizes[2]


def test_high_contrast_theme_keeps_text_at_15_to_1_and_every_outline_at_3_to_1():
    from kiosk.ui.theme import HIGH, NORMAL

    assert contrast(HIGH["text"], HIGH["bg"]) >= 15
    assert contrast(HIGH["muted"], HIGH["bg"]) >= 15
    assert contrast(HIGH["on_accent"], HIGH["accent"]) >= 7  # words on a yellow (checked) button
    for theme in (NORMAL, HIGH):
        for outline in ("border", "focus", "tick", "accent"):
            assert contrast(theme[outline], theme["bg"]) >= 3, outline  # WCAG 1.4.11 non-text contrast
        # focus is unmistakable: a ring 3:1 on its background, and a fill 3:1 against a primary button's
        assert contrast(theme["focus"], theme["focus_bg"]) >= 3
        assert contrast(theme["focus_bg"], theme["accent"]) >= 3 or contrast(theme["focus_bg"], theme["surface"]) >= 3
        assert contrast(theme["text"], theme["focus_bg"]) >= 7  # words on a focused control
