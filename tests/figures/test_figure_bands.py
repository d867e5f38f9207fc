"""Mean ± std over the seeds of one setting, on a common x."""

from __future__ import annotations

import numpy as np
import pytest

from resnet_studio.figures.bands import mean_band


def test_curves_on_the_same_x_are_averaged_point_by_point() -> None:
    x = np.array([1.0, 2.0, 3.0])
    band = mean_band([(x, np.array([10.0, 20.0, 30.0])), (x, np.array([14.0, 20.0, 40.0]))])
    assert band.runs == 2 and band.x.tolist() == [1, 2, 3]
    assert band.mean.tolist() == [12, 20, 35]
    # The sample std (n - 1): two values a apart have std a / sqrt(2).
    assert band.std.tolist() == pytest.approx([4 / 2**0.5, 0, 10 / 2**0.5])


def test_curves_on_different_x_meet_where_all_have_data() -> None:
    long = (np.array([0.0, 2.0, 4.0, 6.0]), np.array([0.0, 2.0, 4.0, 6.0]))
    stopped = (np.array([1.0, 3.0]), np.array([10.0, 30.0]))  # stopped early, other x
    band = mean_band([long, stopped])
    assert band.x.tolist() == [1, 2, 3]  # not past the stopped run's end, nor before its start
    assert band.mean.tolist() == pytest.approx([(1 + 10) / 2, (2 + 20) / 2, (3 + 30) / 2])


def test_one_curve_has_no_spread_and_none_give_an_empty_band() -> None:
    band = mean_band([(np.array([1.0, 2.0]), np.array([5.0, 6.0]))])
    assert band.runs == 1 and band.std.tolist() == [0, 0] and band.mean.tolist() == [5, 6]
    empty = mean_band([(np.empty(0), np.empty(0))])
    assert empty.runs == 0 and len(empty.x) == len(empty.mean) == 0
