"""All the lines of a live plot drawn by one graphics item.

A pyqtgraph curve spends most of a repaint in Python: its bounds, the
scene's culling and its paint set-up, about 0.1 ms a curve. The Experiments
tab draws 20 lines a plot and repaints them at every refresh; one item that
strokes their paths in a loop paints them in a fifth of the time
(``bench/plots.py``). The lines look as :class:`~resnet_studio.gui.live_plots.BoldCurve`
draws them: thin, or bold as three 1-pixel lines a pixel apart.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPainterPath, QPen, QTransform

BOLD_OFFSETS = ((0, 0), (1, 0), (0, 1))  # pixels: a 2-pixel line from 1-pixel strokes
PADDING_PIXELS = 3  # beyond the points: a bold line's copies and a dot's radius


class Line:
    """One line of a :class:`LineLayer`: its points, pen and whether it is bold."""

    def __init__(self, layer: LineLayer, pen: QPen, bold: bool) -> None:
        self.layer = layer
        self.pen = pen
        self.bold = bold
        self.x = self.y = np.empty(0)
        self.path = QPainterPath()

    def setData(self, x: np.ndarray, y: np.ndarray) -> None:  # noqa: N802 - pyqtgraph's name
        """Draw the line through the points (x, y); points that are not finite break it."""
        self.x, self.y = np.asarray(x, np.float64), np.asarray(y, np.float64)
        self.path = QPainterPath()
        if len(self.x) > 1:
            self.path = pg.arrayToQPath(self.x, self.y, connect="finite")
        self.layer.changed()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 - pyqtgraph's name
        return self.x, self.y


class LineLayer(pg.GraphicsObject):
    """The lines of one plot, painted by this one item (add it to the plot)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[Line] = []
        self._bounds: QRectF | None = None

    def line(self, x: np.ndarray, y: np.ndarray, pen: QPen, bold: bool = False) -> Line:
        """A new line through (x, y), drawn with the 1-pixel ``pen``, bold or not."""
        line = Line(self, pen, bold)
        self.lines.append(line)
        line.setData(x, y)
        return line

    def changed(self) -> None:
        """A line's points changed: repaint, with new bounds."""
        self.prepareGeometryChange()
        self._bounds = None
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        if self._bounds is None:
            corners = [c for c in (_corners(line) for line in self.lines) if c is not None]
            if not corners:
                self._bounds = QRectF()
                return QRectF()
            low, high = np.min([c[0] for c in corners], 0), np.max([c[1] for c in corners], 0)
            # A few pixels more, in data units, for the strokes beyond the points.
            pad_x, pad_y = (PADDING_PIXELS * (size or 0.0) for size in self.pixelSize())
            self._bounds = QRectF(
                low[0] - pad_x, low[1] - pad_y, high[0] - low[0] + 2 * pad_x,
                high[1] - low[1] + 2 * pad_y,
            )  # fmt: skip
        return QRectF(self._bounds)

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph's name
        self.changed()  # a zoom changes how much the pixels of padding are in data units

    def paint(self, p: QPainter, *args: object) -> None:
        export = self._exportOpts
        p.setRenderHint(
            QPainter.RenderHint.Antialiasing, bool(export and export.get("antialias", True))
        )
        base = p.worldTransform()
        for line in self.lines:
            p.setPen(line.pen)
            if len(line.x) == 1 and line.bold:  # one point (one epoch): a dot
                p.setBrush(line.pen.color())
                p.resetTransform()
                p.drawEllipse(base.map(QPointF(line.x[0], line.y[0])), 2.0, 2.0)
                p.setWorldTransform(base)
                continue
            for dx, dy in BOLD_OFFSETS if line.bold else BOLD_OFFSETS[:1]:
                # After the data transform: whole pixels on screen.
                p.setWorldTransform(base * QTransform.fromTranslate(dx, dy))
                p.drawPath(line.path)
        p.setWorldTransform(base)


def _corners(line: Line) -> tuple[np.ndarray, np.ndarray] | None:
    """The lowest and highest (x, y) of a line's finite points; None without any."""
    finite = np.isfinite(line.x) & np.isfinite(line.y)
    if not finite.any():
        return None
    points = np.stack([line.x[finite], line.y[finite]], 1)
    return points.min(0), points.max(0)
