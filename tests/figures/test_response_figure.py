"""Fig. 7 as a figure: a row per depth, network order and sorted, mean ± std over seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from resnet_studio.figures.layers import ResponseLine, response_figure, response_series
from resnet_studio.figures.render import PANEL_SIZE, PANEL_WIDTH_MORE, ROW_HEIGHT, save_figure
from tests.figures.test_render_headless import pixels, share_near

RED, BLUE = "#d62728", "#1f77b4"


def test_network_order_averages_layer_by_layer_sorted_rank_by_rank() -> None:
    line = ResponseLine("plain20", RED, (np.array([1.0, 3.0, 2.0]), np.array([2.0, 1.0, 3.0])))
    ordered = response_series(line, ranked=False)
    assert ordered.x.tolist() == [1, 2, 3]
    assert ordered.y.tolist() == [1.5, 2.0, 2.5]
    assert ordered.spread == pytest.approx(np.std([[1, 3, 2], [2, 1, 3]], axis=0, ddof=1))
    ranked = response_series(line, ranked=True)  # each seed sorted, then averaged
    assert ranked.y.tolist() == [3.0, 2.0, 1.0] and ranked.spread.tolist() == [0, 0, 0]
    assert "mean ± std of 2 runs" in ranked.label and ranked.colour == RED


def test_one_run_is_a_line_without_band_and_not_a_number_sorts_last() -> None:
    line = ResponseLine("resnet20", BLUE, (np.array([1.0, np.nan, 2.0]),))
    ranked = response_series(line, ranked=True)
    assert ranked.spread is None and ranked.label == "resnet20"
    assert ranked.y[:2].tolist() == [2.0, 1.0] and np.isnan(ranked.y[2])


def _two_depths():
    shallow = [
        ResponseLine("plain20", RED, (np.full(19, 1.2),)),
        ResponseLine("resnet20", BLUE, (np.full(19, 1.0),)),
    ]
    deep = [ResponseLine("resnet56", BLUE, (np.linspace(4.0, 1.0, 55),))]
    return response_figure([("20 layers", shallow), ("56 layers", deep)])


def test_a_row_per_depth_network_order_left_sorted_right() -> None:
    figure = _two_depths()
    assert figure.grid == (2, 2) and figure.ranges_by_row
    assert [p.title for p in figure.panels] == [
        "20 layers: network order",
        "20 layers: sorted",
        "56 layers: network order",
        "56 layers: sorted",
    ]
    assert [s.label for s in figure.panels[3].series] == ["resnet56"]


def test_rows_are_drawn_below_each_other_each_with_its_own_ranges(tmp_path: Path) -> None:
    import pyqtgraph as pg

    from resnet_studio.figures.render import application, draw

    path = tmp_path / "fig7.png"
    save_figure(_two_depths(), path)
    image = pixels(path)
    assert image.shape[1] == PANEL_SIZE[0] + PANEL_WIDTH_MORE
    assert image.shape[0] == pytest.approx(2 * ROW_HEIGHT, rel=0.02)
    top, bottom = image[: image.shape[0] // 2], image[image.shape[0] // 2 :]
    red = (0xD6, 0x27, 0x28)
    assert share_near(top, red, 30) > 0.0005 and share_near(bottom, red, 30) == 0

    application()
    widget = draw(_two_depths())
    plots = [item for item in widget.ci.items if isinstance(item, pg.PlotItem)]
    assert [widget.ci.items[plot][0] for plot in plots] == [(1, 0), (1, 1), (2, 0), (2, 1)]
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = [plot.viewRange() for plot in plots]
    assert (x0, y0) == (x1, y1) and (x2, y2) == (x3, y3)  # a row's panels compare
    assert x0[1] < 25 < 50 < x2[1]  # 19 layers above, 55 below
    assert y0[1] < 1.5 < 3.5 < y2[1]  # each depth at its own scale
    widget.deleteLater()
