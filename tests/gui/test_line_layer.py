"""One item drawing a live plot's lines: thin, bold, a dot for one point, broken at NaN."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF

from resnet_studio.gui.line_layer import LineLayer

RED, BLUE, GREEN = "#d62728", "#1f77b4", "#2ca02c"


def shown(qtbot, layer: LineLayer) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    qtbot.addWidget(widget)
    widget.getPlotItem().addItem(layer)  # counted by auto-range
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def colour_run(widget: pg.PlotWidget, image, x: float, y: float, colour: str) -> int:
    """Pixels of ``colour`` in the column at the data point (x, y), 5 pixels either side."""
    view = widget.getPlotItem().vb
    at = widget.mapFromScene(view.mapViewToScene(QPointF(x, y)))
    return sum(image.pixelColor(at.x(), at.y() + dy).name() == colour for dy in range(-5, 6))


def test_bold_thin_and_single_point_lines_and_the_range_around_them(qtbot) -> None:
    layer = LineLayer()
    x = np.arange(0.0, 101.0)
    layer.line(x, np.full(101, 30.0), pg.mkPen(RED), bold=True)
    layer.line(x, np.full(101, 60.0), pg.mkPen(BLUE), bold=False)
    layer.line(np.array([150.0]), np.array([90.0]), pg.mkPen(GREEN), bold=True)
    widget = shown(qtbot, layer)
    view = widget.getPlotItem().vb
    # Auto-range reaches every line, the single point too.
    qtbot.waitUntil(lambda: view.viewRange()[0][1] >= 150 and view.viewRange()[1][1] >= 90)
    image = widget.grab().toImage()
    assert colour_run(widget, image, 50, 30, RED) == 2  # bold: two pixels
    assert colour_run(widget, image, 50, 60, BLUE) == 1  # thin: one
    assert colour_run(widget, image, 150, 90, GREEN) >= 3  # one point: a dot


def test_new_points_move_the_line_and_nan_breaks_it(qtbot) -> None:
    layer = LineLayer()
    x = np.arange(0.0, 101.0)
    line = layer.line(x, np.full(101, 30.0), pg.mkPen(RED), bold=False)
    layer.line(x, np.full(101, 80.0), pg.mkPen(BLUE))  # holds the range
    widget = shown(qtbot, layer)
    widget.getPlotItem().vb.setRange(xRange=(0, 100), yRange=(0, 100), padding=0)
    image = widget.grab().toImage()
    assert colour_run(widget, image, 50, 30, RED) == 1
    y = np.full(101, 50.0)
    y[40:61] = np.nan  # a diverged stretch: no line there, the rest drawn
    line.setData(x, y)
    image = widget.grab().toImage()
    assert colour_run(widget, image, 50, 30, RED) == 0  # the old line is gone
    assert colour_run(widget, image, 20, 50, RED) == 1
    assert colour_run(widget, image, 50, 50, RED) == 0
    assert colour_run(widget, image, 80, 50, RED) == 1
    assert list(line.getData()[0]) == list(x)
