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

from resnet_studio.gui.colours import run_colour
from resnet_studio.training.runs import RunRecord

__all__ = [
    "comparison_plot",
    "curve_points",
    "plot_format",
    "plot_image_bytes",
    "run_colour",
    "save_plot",
]

METRICS = ("error", "loss")
X_AXES = ("epochs", "iterations")


def metric_scale(metric: str) -> float:
    """Factor from a stored value to a plotted one: errors are drawn in percent."""
    return 100.0 if metric == "error" else 1.0


def curve_fields(
    metric: str, x_axis: str, split: str, n_steps: int, n_epochs: int
) -> tuple[bool, str, str]:
    """Where one curve's points come from: (from the step metrics?, x field, y field).

    Training curves use the step metrics when they are denser than the epoch
    ends (the paper plots training error densely), validation curves the epoch
    ends. Epochs shorter than ``Recipe.log_every`` steps leave fewer step
    reports than epochs (a lone report draws no line): then training uses the
    epoch ends too.
    """
    from_steps = split == "train" and n_steps > n_epochs
    x_field = "epoch" if x_axis == "epochs" else "iteration"
    y_field = metric if from_steps else f"{split}_{metric}"
    return from_steps, x_field, y_field


def curve_points(
    record: RunRecord, metric: str, x_axis: str, split: str
) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of one curve: ``split`` is ``train`` or ``val``; errors in percent.

    Which events it uses: :func:`curve_fields`.
    """
    scale = metric_scale(metric)
    from_steps, x_field, y_field = curve_fields(
        metric, x_axis, split, len(record.steps), len(record.epochs)
    )
    events = record.steps if from_steps else record.epochs
    xs = [getattr(e, x_field) for e in events]
    ys = [getattr(e, y_field) * scale for e in events]
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


PLOT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def plot_format(path: str | Path) -> str:
    """``png``, ``svg`` or ``pdf`` by the file's ending; ValueError for any other."""
    suffix = Path(path).suffix.lower()
    if suffix not in PLOT_FORMATS:
        raise ValueError(
            f"{path}: a plot is saved as {', '.join(PLOT_FORMATS)}; not {suffix or 'this'}"
        )
    return PLOT_FORMATS[suffix]


def plot_image_bytes(widget: pg.PlotWidget, fmt: str, width: int | None = None) -> bytes:
    """The plot drawn as ``png``, ``svg`` or ``pdf`` (PNG ``width`` pixels wide; default:
    as on screen)."""
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if fmt in ("svg", "pdf"):
        _render_vector(widget, buffer, fmt)
    else:
        from pyqtgraph import exporters

        exporter = exporters.ImageExporter(widget.getPlotItem())
        if width:
            exporter.parameters()["width"] = width
        image = exporter.export(toBytes=True)
        if image is None or not image.save(buffer, "PNG"):
            raise OSError("could not draw the plot")
    return bytes(buffer.data().data())


def _render_vector(widget: pg.PlotWidget, device, fmt: str) -> None:
    # Not pyqtgraph's SVGExporter: it cannot parse the closed paths ("... Z") that
    # Qt 6.11 writes (pyqtgraph issue #3495), so the scene is drawn here directly.
    import math

    from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
    from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter, QPdfWriter
    from PySide6.QtSvg import QSvgGenerator

    rect = widget.getPlotItem().sceneBoundingRect()
    size = QSize(math.ceil(rect.width()), math.ceil(rect.height()))
    target = QRectF(0, 0, size.width(), size.height())
    if fmt == "pdf":
        writer = QPdfWriter(device)
        dpi = widget.logicalDpiX()
        writer.setResolution(dpi)
        points = QSizeF(size.width() * 72 / dpi, size.height() * 72 / dpi)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(points, QPageSize.Unit.Point),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        target_device = writer
    else:
        generator = QSvgGenerator()
        generator.setOutputDevice(device)
        generator.setSize(size)
        generator.setViewBox(target)
        # One SVG unit per screen pixel: pyqtgraph items that reset the painter's
        # transform (curves, markers) then land where the axes say.
        generator.setResolution(widget.logicalDpiX())
        target_device = generator
    painter = QPainter(target_device)
    painter.fillRect(target, QColor("white"))
    widget.scene().render(painter, target, rect)
    painter.end()


def save_plot(widget: pg.PlotWidget, path: str | Path, width: int = 900, height: int = 560) -> None:
    """Write the plot as PNG, SVG or PDF (by suffix), atomically."""
    from PySide6.QtWidgets import QApplication

    from resnet_studio.writing import write_atomically

    path = Path(path)
    widget.resize(width, height)
    widget.show()  # lay out axes (their widths follow the tick labels) before drawing
    QApplication.processEvents()
    try:
        data = plot_image_bytes(widget, plot_format(path), width)
    finally:
        widget.hide()
    write_atomically(path, data)
