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
