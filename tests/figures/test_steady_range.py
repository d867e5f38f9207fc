"""Live axes rescale in steps: the range kept while the data fit it, widened with room."""

from __future__ import annotations

from resnet_studio.figures.render import steady_range


def test_first_range_is_the_datas() -> None:
    assert steady_range(None, (1.0, 1000.0)) == (1.0, 1000.0)


def test_kept_while_the_data_fit_and_fill_most_of_it() -> None:
    assert steady_range((0.0, 1100.0), (1.0, 1050.0)) == (0.0, 1100.0)


def test_grown_data_widen_it_with_room_on_the_side_that_moved() -> None:
    low, high = steady_range((0.0, 1000.0), (1.0, 1200.0))
    assert low == 0.0 and high == 1200.0 + 0.1 * 1199.0
    low, high = steady_range((10.0, 90.0), (-5.0, 80.0))  # only the low side moved
    assert (low, high) == (-5.0 - 0.1 * 85.0, 90.0)


def test_room_does_not_go_below_zero_for_data_that_are_not_negative() -> None:
    low, _high = steady_range((10.0, 90.0), (2.0, 80.0))
    assert low == 0.0


def test_data_that_moved_away_get_their_own_range() -> None:
    assert steady_range((0.0, 100.0), (500.0, 600.0)) == (500.0, 600.0)


def test_data_that_shrank_to_a_small_part_get_their_own_range() -> None:
    assert steady_range((0.0, 1000.0), (0.0, 100.0)) == (0.0, 100.0)
