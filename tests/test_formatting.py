"""The one way counts are written for people (parameters, multiply-adds)."""

from __future__ import annotations

import pytest

from resnet_studio.formatting import format_count


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (40_552_426, "40.6 M"),
        (125_489_770, "125 M"),
        (2_829_328_554, "2.83 G"),
        (999_999_999, "1 G"),
        (999_499, "999 k"),
        (442_368, "442 k"),
        (1_000, "1 k"),
        (999, "999"),
        (432, "432"),
        (0, "0"),
        (19_646_923_752_000, "19.6 T"),
    ],
)
def test_three_significant_figures_and_a_unit(count: int, text: str) -> None:
    assert format_count(count) == text
