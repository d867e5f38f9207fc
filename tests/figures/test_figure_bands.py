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


def test_a_long_curve_is_drawn_as_the_means_of_equal_spans() -> None:
    from resnet_studio.figures.bands import binned, binned_figure
    from resnet_studio.figures.figure import CurveFigure, Panel, Series

    x = np.arange(1.0, 100_001.0)
    y = np.where(x % 2 == 0, 1.0, 3.0)  # noise around 2 that the means take out
    bx, (by, none) = binned(x, (y, None), 2000)
    assert len(bx) == len(by) == 2000 and none is None
    assert bx[0] == pytest.approx(np.mean(x[:50])) and bx[-1] == pytest.approx(np.mean(x[-50:]))
    assert by == pytest.approx(np.full(2000, 2.0))
    short = Series(np.arange(5.0), np.arange(5.0), "#000")
    long = Series(x, y, "#000", spread=np.ones_like(x))
    figure = binned_figure(CurveFigure((Panel("p", (short, long)),), "x", "y"), 2000)
    kept, shrunk = figure.panels[0].series
    assert kept.x.tolist() == [0, 1, 2, 3, 4]  # short curves stay as they are
    assert len(shrunk.x) == len(shrunk.spread) == 2000 and shrunk.spread == pytest.approx(1)
