"""Training curves in the style of the paper's Fig. 6, drawn with pyqtgraph.

Training curves are dashed, validation curves solid, one colour per run; x in
epochs or iterations; error in percent or loss. Used by ``resnet-studio
compare`` (offscreen, saved as PNG/SVG) and by the window's plots.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from resnet_studio.training.runs import RunRecord

# Distinct colours that survive printing in grey (Tableau 10).
PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
METRICS = ("error", "loss")
X_AXES = ("epochs", "iterations")


def run_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def curve_points(
    record: RunRecord, metric: str, x_axis: str, split: str
) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of one curve: ``split`` is ``train`` or ``val``; errors in percent.

    Training curves use the step metrics when they are denser than the epoch
    ends (the paper plots training error densely), validation curves the epoch
    ends. Epochs shorter than ``Recipe.log_every`` steps leave fewer step
    reports than epochs (a lone report draws no line): then training uses the
    epoch ends too.
    """
    scale = 100.0 if metric == "error" else 1.0
    if split == "train" and len(record.steps) > len(record.epochs):
        xs = [s.epoch if x_axis == "epochs" else s.iteration for s in record.steps]
        ys = [getattr(s, metric) * scale for s in record.steps]
    else:
        xs = [e.epoch if x_axis == "epochs" else e.iteration for e in record.epochs]
        ys = [getattr(e, f"{split}_{metric}") * scale for e in record.epochs]
    return np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)


def comparison_plot(
    records: Sequence[RunRecord], metric: str = "error", x_axis: str = "epochs"
) -> pg.PlotWidget:
    """A plot of every run: training dashed, validation solid, one colour per run."""
    widget = pg.PlotWidget(background="w")
    plot = widget.getPlotItem()
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setTitle("dashed: training, solid: validation", color="#444", size="10pt")
    plot.setLabel("bottom", "epoch" if x_axis == "epochs" else "iteration")
    plot.setLabel("left", "error (%)" if metric == "error" else "loss")
    legend = plot.addLegend(offset=(-10, 10), labelTextColor="k")
    legend.setBrush(pg.mkBrush(255, 255, 255, 220))
    for i, record in enumerate(records):
        colour = run_colour(i)
        train_x, train_y = curve_points(record, metric, x_axis, "train")
        val_x, val_y = curve_points(record, metric, x_axis, "val")
        plot.plot(train_x, train_y, pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine))
        # Markers keep short runs visible: one epoch is a single point.
        plot.plot(
            val_x,
            val_y,
            pen=pg.mkPen(colour, width=2),
            name=record.name,
            symbol="o",
            symbolSize=5,
            symbolBrush=colour,
            symbolPen=colour,
        )
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setPen("#333")
        plot.getAxis(axis).setTextPen("#333")
    return widget


def save_plot(widget: pg.PlotWidget, path: str | Path, width: int = 900, height: int = 560) -> None:
    """Write the plot as PNG (or SVG, by suffix)."""
    from pyqtgraph import exporters
    from PySide6.QtWidgets import QApplication

    path = Path(path)
    widget.resize(width, height)
    widget.show()  # lay out axes (their widths follow the tick labels) before drawing
    QApplication.processEvents()
    plot = widget.getPlotItem()
    if path.suffix.lower() == ".svg":
        exporters.SVGExporter(plot).export(str(path))
    else:
        exporter = exporters.ImageExporter(plot)
        exporter.parameters()["width"] = width
        exporter.export(str(path))
    widget.hide()
