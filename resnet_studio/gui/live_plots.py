"""Training curves of the runs table while they train: the paper's Fig. 6, live.

One colour per run; training curves dashed and thin, validation curves solid
and thicker; error in percent or loss, against iterations or epochs; the
Name column's check box shows or hides a run. Which points a curve has
comes from :mod:`resnet_studio.figures.curves`, as for the figures that
``resnet-studio compare`` draws.

Long runs side by side stay cheap (8 curves of 100,000 points redraw and
paint well within 20 ms, ``bench/plots.py``): a timer polls the runs every
:data:`REDRAW_MS`, never per training step, and touches only the curves
whose run changed; each curve keeps its points in numpy buffers that grow by
doubling and takes in only the events that arrived since the last tick; what
pyqtgraph gets is the visible part reduced to a min/max pair per couple of
pixel columns (see :class:`_Line`).
"""

from __future__ import annotations

import csv
import html
import io
import math
from operator import attrgetter
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QEvent,
    QObject,
    QPointF,
    QRectF,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import QPainter, QPen, QShowEvent, QTransform
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.figures.curves import (
    METRICS,
    SPLITS,
    X_AXES,
    curve_fields,
    event_points,
    metric_scale,
)
from resnet_studio.figures.render import plot_image_bytes
from resnet_studio.gui.core_text import shown_error
from resnet_studio.gui.on_screen import ScreenWatch, on_screen
from resnet_studio.gui.plot_axes import OpaqueGridAxis
from resnet_studio.gui.plot_title import KeyTitle
from resnet_studio.gui.runs_model import RunEntry, RunsModel
from resnet_studio.writing import write_atomically

REDRAW_MS = 200
HOVER_PER_S = 30
BIN_PX = 2  # pixel columns per (max, min) pair drawn (see _Line)
BLOCK = 64  # points per envelope block (see _Line)
CSV_HEADER = ("run", "split", "epoch", "iteration", "loss", "error")
_EMPTY = np.empty(0)


class _Points:
    """x and y in numpy buffers that grow by doubling: appending costs what is new."""

    def __init__(self) -> None:
        self.x = self.y = _EMPTY
        self.n = 0

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[: self.n], self.y[: self.n]

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        end = self.n + len(x)
        if end > len(self.x):
            capacity = max(1024, 2 * len(self.x))
            while capacity < end:
                capacity *= 2
            for name in ("x", "y"):
                grown = np.empty(capacity)
                grown[: self.n] = getattr(self, name)[: self.n]
                setattr(self, name, grown)
        self.x[self.n : end] = x
        self.y[self.n : end] = y
        self.n = end


class _Line:
    """One curve: its points, their envelope, and the item that draws them.

    ``consumed`` events of the run's list are in ``points`` (non-finite
    points left out); ``last`` is the last of them, so a history replaced or
    cut short (a resumed run) is noticed and read again.

    The item gets the points in view reduced to a (max, min) pair per
    :data:`BIN_PX` pixel columns: what is drawn looks the same, whatever the
    number of points. Long curves are reduced from their envelope, the max
    and min of every :data:`BLOCK` points, kept up to date as points come:
    a redraw then goes through a :data:`BLOCK`-th of the points.
    """

    def __init__(self, item: _Curve) -> None:
        self.item = item
        self.points = _Points()
        self.envelope = _Points()  # (first x, max) and (last x, min) of each block
        self.from_steps = False
        self.consumed = 0
        self.last: object = None
        self.low, self.high = math.inf, -math.inf  # of all y: the auto-range's

    def clear(self) -> None:
        self.points.n = self.envelope.n = self.consumed = 0
        self.last = None
        self.low, self.high = math.inf, -math.inf

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        self.points.extend(x, y)
        if len(y):
            self.low, self.high = min(self.low, y.min()), max(self.high, y.max())
        done, full = self.envelope.n // 2, self.points.n // BLOCK
        if full > done:  # only the blocks completed now are reduced
            xs, ys = self.points.data()
            new = slice(done * BLOCK, full * BLOCK)
            self.envelope.extend(*_reduce(xs[new], ys[new], BLOCK))

    def draw(self, view: tuple[float, float] | None, bins: int) -> None:
        """Hand the item the points in ``view`` (None: all) reduced to ``bins`` pairs."""
        xs, ys = self.points.data()
        lo, hi = 0, self.points.n
        if view is not None:  # and one point past each edge, so lines reach the border
            lo, hi = _index_range(xs, view)
            lo, hi = max(lo - 1, 0), min(hi + 1, self.points.n)
        done = self.envelope.n // 2 * BLOCK  # points in complete blocks
        pairs = hi - lo > BLOCK * bins and lo < done
        if pairs:  # far more points than columns: start from the envelope
            ex, ey = self.envelope.data()
            first, last = 2 * (lo // BLOCK), 2 * -(-min(hi, done) // BLOCK)  # whole blocks
            tail = slice(max(lo, done), hi)
            x = np.concatenate((ex[first:last], xs[tail]))
            y = np.concatenate((ey[first:last], ys[tail]))
        else:
            x, y = xs[lo:hi], ys[lo:hi]
        size = -(-len(x) // bins)  # points per bin, rounded up: at most ``bins`` pairs
        size += size % 2 if pairs else 0  # keep each block's max and min together
        if size >= 2:
            whole = len(x) // size * size
            ex, ey = _reduce(x[:whole], y[:whole], size)
            x, y = np.concatenate((ex, x[whole:])), np.concatenate((ey, y[whole:]))
        self.item.setData(x=x, y=y)

    def y_range(self, x_range: tuple[float, float] | None, log: bool) -> tuple[float, float]:
        """Lowest and highest y (log10 on a log axis) of the points in ``x_range`` (None: all)."""
        if x_range is None and not log:
            return self.low, self.high
        xs, ys = self.points.data()
        if x_range is not None:
            lo, hi = _index_range(xs, x_range)
            ys = ys[lo:hi]
        if log:
            ys = np.log10(ys[ys > 0])
        return (ys.min(), ys.max()) if len(ys) else (math.inf, -math.inf)

    def nearest(self, x: float) -> float | None:
        """The y of the point nearest ``x``; None beyond the curve's ends."""
        n = self.points.n
        if n == 0:
            return None
        xs, ys = self.points.data()
        # Past either end by more than one point's spacing: the run has no value there.
        spacing = (xs[-1] - xs[0]) / (n - 1) if n > 1 else 0.0
        if x < xs[0] - spacing or x > xs[-1] + spacing:
            return None
        i = int(np.searchsorted(xs, x))
        if i == n or (i > 0 and x - xs[i - 1] < xs[i] - x):
            i -= 1
        return float(ys[i])


class BoldCurve(pg.PlotCurveItem):
    """A curve that, ``bold``, is two pixels thick, drawn as three 1-pixel lines a
    pixel apart: Qt strokes pens wider than a pixel with its general stroker, which
    made 8 validation curves of a few hundred points cost more than 8 reduced
    training curves; three thin lines take a third of that. One point is a dot.
    """

    def __init__(self, *args: object, bold: bool = False, **kwargs: object) -> None:
        self.bold = bold
        super().__init__(*args, **kwargs)

    def pixelPadding(self) -> float:  # noqa: N802 - pyqtgraph's name
        return super().pixelPadding() + (1.0 if self.bold else 0.0)  # the copies' pixel

    def paint(self, p: QPainter, *args: object) -> None:
        count = 0 if self.xData is None else len(self.xData)
        if count > 1 and not self.bold:
            super().paint(p, *args)
            return
        if count == 0:
            return
        export = self._exportOpts
        p.save()
        p.setRenderHint(
            QPainter.RenderHint.Antialiasing, bool(export and export.get("antialias", True))
        )
        p.setPen(self.opts["pen"])
        base = p.worldTransform()
        if count == 1:  # one point (one epoch): a dot, not an invisible line
            p.setBrush(self.opts["pen"].color())
            p.resetTransform()
            p.drawEllipse(base.map(QPointF(self.xData[0], self.yData[0])), 2.0, 2.0)
        else:
            path = self.getPath()
            for dx, dy in ((0, 0), (1, 0), (0, 1)):  # after the data transform: pixels
                p.setWorldTransform(base * QTransform.fromTranslate(dx, dy))
                p.drawPath(path)
        p.restore()


class _Curve(BoldCurve):
    """One drawn curve, fed by its :class:`_Line`; on a log axis it draws log10(y)."""

    def __init__(self, pen: QPen, bold: bool = False) -> None:
        self._log_y = False
        self._points = (_EMPTY, _EMPTY)
        super().__init__(pen=pen, bold=bold)

    def setLogMode(self, _x: bool, y: bool) -> None:  # noqa: N802 - PlotItem.setLogMode calls it
        self._log_y = bool(y)
        self.setData(*self._points)

    def setData(self, x: np.ndarray = _EMPTY, y: np.ndarray = _EMPTY, **opts) -> None:  # noqa: N802
        self._points = (x, y)
        if self._log_y:
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.log10(y)  # 0% error has no logarithm: a gap there
            y[~np.isfinite(y)] = np.nan
            super().setData(x=x, y=y, connect="finite", skipFiniteCheck=False, **opts)
        else:  # the buffers hold finite values only
            super().setData(x=x, y=y, connect="all", skipFiniteCheck=True, **opts)


class _Bounds(pg.GraphicsObject):
    """Invisible; tells pyqtgraph's auto-range where the shown curves lie.

    The curves are added with ``ignoreBounds``: asked themselves, each would
    go through its points on every redraw. Here y comes from the running
    min/max the curves keep, and x ends at a round number past the data, so
    the x axis moves in steps, not on every redraw (each move makes every
    curve reduce its points again and the axes redraw).
    """

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(self.GraphicsItemFlag.ItemHasNoContents)
        self.lines: list[_Line] = []
        self.log_y = False

    def update_lines(self, lines: list[_Line]) -> None:
        self.lines = [line for line in lines if line.points.n]
        self.informViewBoundsChanged()

    def dataBounds(self, axis: int, frac: float = 1.0, orthoRange=None):  # noqa: N802, N803
        if not self.lines:
            return None, None
        if axis == 0:
            return 0.0, _round_up(max(line.points.x[line.points.n - 1] for line in self.lines))
        ranges = [line.y_range(orthoRange, self.log_y) for line in self.lines]
        low, high = min(r[0] for r in ranges), max(r[1] for r in ranges)
        return (low, high) if low <= high else (None, None)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return QRectF()

    def paint(self, *_args: object) -> None:
        pass


def _cache(*items: QGraphicsItem, mode=QGraphicsItem.CacheMode.DeviceCoordinateCache) -> None:
    """Keep what the items draw as a pixmap until they change (measured: a sixth of a frame)."""
    for item in items:
        item.setCacheMode(mode)


def _index_range(xs: np.ndarray, x_range: tuple[float, float]) -> tuple[int, int]:
    """The slice of the sorted ``xs`` within ``x_range``, ends included."""
    return int(np.searchsorted(xs, x_range[0])), int(np.searchsorted(xs, x_range[1], "right"))


def _reduce(x: np.ndarray, y: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each run of ``size`` points (the arrays are a multiple of it long) as two:
    (first x, max y) and (last x, min y), the zigzag covering what they would draw."""
    bins = len(x) // size
    y = y.reshape(bins, size)
    out_x, out_y = np.empty(2 * bins), np.empty(2 * bins)
    out_x[0::2], out_x[1::2] = x[0::size], x[size - 1 :: size]
    out_y[0::2], out_y[1::2] = y.max(axis=1), y.min(axis=1)
    return out_x, out_y


def _round_up(x: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten >= ``x``."""
    if x <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= x)


class _Run:
    """The two curves of one run, and the state of the run they show."""

    def __init__(self, entry: RunEntry, train: _Line, val: _Line) -> None:
        self.entry = entry
        self.lines = {"train": train, "val": val}
        self.version = -1  # entry.version drawn; -1: nothing yet
        self.settings = -1  # CurvesPanel._settings the buffers were filled under
        self.shown = False


class CurvesPanel(QWidget):
    """Training and validation curves of the runs in ``model`` whose check box is ticked.

    The panel redraws itself every :data:`REDRAW_MS` while visible;
    :meth:`redraw_now` does it at once (tests, before saving).
    """

    def __init__(self, model: RunsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._runs: dict[int, _Run] = {}  # by id(entry); _Run.entry keeps the id taken
        self._metric = "error"
        self._x_axis = "iterations"
        self._settings = 0  # bumped when the metric or x axis changes: every curve rebuilds
        self._legend_order: list[int] = []  # keys of the shown runs, in table order

        self.metric_box = QComboBox()
        self.metric_box.addItem(self.tr("Error"), "error")
        self.metric_box.addItem(self.tr("Loss"), "loss")
        self.x_axis_box = QComboBox()
        self.x_axis_box.addItem(self.tr("Iterations"), "iterations")
        self.x_axis_box.addItem(self.tr("Epochs"), "epochs")
        self.log_box = QCheckBox(self.tr("Log scale"))
        self.save_plot_button = QPushButton(self.tr("Save Plot…"))
        self.save_data_button = QPushButton(self.tr("Save Data…"))
        self.save_data_button.setToolTip(self.tr("The points of the shown runs as CSV"))

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        labelled = ((self.tr("Metric"), self.metric_box), (self.tr("X axis"), self.x_axis_box))
        for label, box in labelled:
            buddy = QLabel(label)
            buddy.setBuddy(box)
            controls.addWidget(buddy)
            controls.addWidget(box)
        controls.addWidget(self.log_box)
        controls.addStretch(1)
        controls.addWidget(self.save_plot_button)
        controls.addWidget(self.save_data_button)

        self.plot_widget = pg.PlotWidget(
            background="w", axisItems={side: OpaqueGridAxis(side) for side in ("left", "bottom")}
        )
        self.plot = self.plot_widget.getPlotItem()
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setMenuEnabled(False)  # its own log/transform toggles would fight ours
        # The legend is the title, above the curves, never over them; saved plots carry it.
        self.title = KeyTitle(self.plot, self.tr("dashed: training, solid: validation"))
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setPen("#333")
            axis.setTextPen("#333")
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)  # "iteration (x1e3)" reads badly
        # Text and axes change far less often than the curves: drawn once, then blitted.
        _cache(*self._cached())
        self.bounds = _Bounds()
        self.plot.addItem(self.bounds)
        self.cursor_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888"))
        self.cursor_line.hide()
        self.plot.addItem(self.cursor_line, ignoreBounds=True)
        # Children of the view box itself, not of its data: placed in pixels.
        self.readout = pg.TextItem(
            anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 235), border=pg.mkPen("#bbb")
        )
        self.readout.setParentItem(self.plot.vb)
        self.readout.setZValue(1000)
        self.readout.hide()
        self.empty_note = pg.TextItem(anchor=(0.5, 0.5), color="#666")
        self.empty_note.setParentItem(self.plot.vb)
        self.empty_note.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.plot_widget, 1)

        self.metric_box.currentIndexChanged.connect(
            lambda: self.set_metric(self.metric_box.currentData())
        )
        self.x_axis_box.currentIndexChanged.connect(
            lambda: self.set_x_axis(self.x_axis_box.currentData())
        )
        self.log_box.toggled.connect(self.set_log_scale)
        self.save_plot_button.clicked.connect(self.save_plot_dialog)
        self.save_data_button.clicked.connect(self.save_csv_dialog)
        # At most HOVER_PER_S readouts a second, whatever the mouse does.
        self._mouse_proxy = pg.SignalProxy(
            self.plot.scene().sigMouseMoved,
            rateLimit=HOVER_PER_S,
            slot=self._mouse_moved,
            threadSafe=False,
        )
        self.plot_widget.viewport().installEventFilter(self)
        self.plot.vb.sigXRangeChanged.connect(self._view_changed)
        self.plot.vb.sigResized.connect(self._view_changed)
        self.plot.vb.sigResized.connect(self._place_empty_note)
        self._fit_visible = False
        self.plot.vb.sigStateChanged.connect(self._zoom_changed)

        # Ticking a run's box, or runs leaving, shows at once; training events wait
        # for the timer (they change rows too, but name no role).
        model.dataChanged.connect(self._data_changed)
        model.rowsRemoved.connect(self._tick)
        model.modelReset.connect(self._tick)

        self._update_labels()
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self._screen = ScreenWatch(self, self.redraw_now)  # brought to the front: catch up

    # --- public -------------------------------------------------------------------

    def current_metric(self) -> str:
        return self._metric

    def current_x_axis(self) -> str:
        return self._x_axis

    def log_scale(self) -> bool:
        return self.log_box.isChecked()

    def set_metric(self, metric: str) -> None:
        """``"error"`` (in percent) or ``"loss"``."""
        if metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}")
        with QSignalBlocker(self.metric_box):
            self.metric_box.setCurrentIndex(self.metric_box.findData(metric))
        if metric != self._metric:
            self._metric = metric
            self._settings += 1
            self._update_labels()
            self.redraw_now()

    def set_x_axis(self, x_axis: str) -> None:
        """``"iterations"`` or ``"epochs"``."""
        if x_axis not in X_AXES:
            raise ValueError(f"unknown x axis {x_axis!r}")
        with QSignalBlocker(self.x_axis_box):
            self.x_axis_box.setCurrentIndex(self.x_axis_box.findData(x_axis))
        if x_axis != self._x_axis:
            self._x_axis = x_axis
            self._settings += 1
            self._update_labels()
            self.redraw_now()

    def set_log_scale(self, on: bool) -> None:
        """A logarithmic y axis (pyqtgraph maps the data: the buffers stay as they are)."""
        with QSignalBlocker(self.log_box):
            self.log_box.setChecked(on)
        self.bounds.log_y = bool(on)
        self.plot.setLogMode(x=False, y=bool(on))

    def curve_data(self, entry: RunEntry) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """``{"train": (x, y), "val": (x, y)}`` drawn for ``entry`` (copies); {} if not drawn.

        y is as on a linear axis (errors in percent) whatever the log scale.
        """
        run = self._runs.get(id(entry))
        if run is None or run.entry is not entry or not run.shown:
            return {}
        return {
            split: tuple(a.copy() for a in line.points.data()) for split, line in run.lines.items()
        }

    def curve_items(self, entry: RunEntry) -> dict[str, pg.PlotCurveItem]:
        """The items drawing ``entry``'s ``"train"`` and ``"val"`` curves ({} if unknown)."""
        run = self._runs.get(id(entry))
        if run is None or run.entry is not entry:
            return {}
        return {split: line.item for split, line in run.lines.items()}

    def legend_names(self) -> list[str]:
        """The run names in the legend (the title), in table order: the shown runs
        that have points to draw."""
        return self.title.names()

    def empty_text(self) -> str:
        """What the plot says instead of curves; "" while it draws some."""
        return self.empty_note.textItem.toPlainText() if self.empty_note.isVisible() else ""

    def readout_text(self) -> str:
        """The hover readout's text, line by line; "" while the pointer is elsewhere."""
        return self.readout.textItem.toPlainText() if self.readout.isVisible() else ""

    def redraw_now(self) -> None:
        """Bring the curves up to date with the model now (the timer does it when visible)."""
        entries = self._model.entries()
        alive = {id(e) for e in entries}
        gone = [k for k in self._runs if k not in alive]
        for key in gone:
            self._drop(key)
        changed = bool(gone)
        view = self._view()
        for entry in entries:
            run = self._runs.get(id(entry))
            if run is None:
                run = self._runs[id(entry)] = self._new_run(entry)
            if entry.shown != run.shown:
                changed = True
                run.shown = entry.shown
                for line in run.lines.values():
                    line.item.setVisible(run.shown)
                    if run.shown:
                        line.draw(*view)  # from the buffers kept meanwhile: no rebuild
                    else:  # holding no data, it costs nothing when the view moves
                        line.item.setData(x=_EMPTY, y=_EMPTY)
            if run.shown and (entry.version != run.version or run.settings != self._settings):
                self._update_run(run, view)
                changed = True
        if changed:
            self.bounds.update_lines(
                [line for run in self._runs.values() if run.shown for line in run.lines.values()]
            )
        shown = [e for e in entries if e.shown]
        self._legend_order = [id(e) for e in shown]
        # A run with nothing to draw gets no key: keys of empty runs would claim curves.
        drawn = [e for e in shown if self._has_points(self._runs[id(e)])]
        self.title.set_keys([(e.name, e.colour or "#444") for e in drawn])
        self._show_empty_note(entries, shown, drawn)

    @staticmethod
    def _has_points(run: _Run) -> bool:
        return any(line.points.n for line in run.lines.values())

    def _show_empty_note(
        self, entries: list[RunEntry], shown: list[RunEntry], drawn: list[RunEntry]
    ) -> None:
        """Say why the plot is empty, when it is."""
        if drawn:
            text = ""
        elif not entries:
            text = self.tr("No runs yet: Train… starts one.")
        elif not shown:
            text = self.tr("Tick a run in the Runs tab to plot its curves.")
        else:
            names = ", ".join(e.name for e in shown)
            text = self.tr("No data yet: {0} logged no step so far.").format(names)
        if text != self.empty_text():
            self.empty_note.setHtml(f"<div align='center'>{html.escape(text)}</div>")
            self.empty_note.setVisible(bool(text))
            self._place_empty_note()

    def _place_empty_note(self) -> None:
        """In the middle of the plot, wrapped to its width (many runs make long names)."""
        rect = self.plot.vb.rect()
        self.empty_note.setTextWidth(max(120.0, rect.width() - 40))
        self.empty_note.setPos(rect.center())

    # --- reading the runs ---------------------------------------------------------

    def _new_run(self, entry: RunEntry) -> _Run:
        colour = entry.colour or "#444"
        # Width 1 (a cosmetic pen) matters: wider dashed pens leave Qt's fast cosmetic
        # stroker for its general dasher, seconds per frame on a long curve.
        train = _Curve(pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine))
        val = _Curve(pg.mkPen(colour, width=1), bold=True)
        for item in (train, val):
            item.setVisible(False)
            self.plot.addItem(item, ignoreBounds=True)  # self.bounds speaks for them
        return _Run(entry, _Line(train), _Line(val))

    def _drop(self, key: int) -> None:
        run = self._runs.pop(key)
        for line in run.lines.values():
            self.plot.removeItem(line.item)

    def _update_run(self, run: _Run, view: tuple[tuple[float, float] | None, int]) -> None:
        """Take in the run's new events; rebuild a curve whose history changed."""
        entry = run.entry
        rebuild = run.settings != self._settings
        scale = metric_scale(self._metric)
        for split, line in run.lines.items():
            from_steps, x_field, y_field = curve_fields(
                self._metric, self._x_axis, split, len(entry.steps), len(entry.epochs)
            )
            events = entry.steps if from_steps else entry.epochs
            consumed = line.consumed
            if (
                rebuild
                or from_steps != line.from_steps
                or len(events) < consumed
                or (consumed and events[consumed - 1] is not line.last)
            ):
                line.clear()
                line.from_steps = from_steps
                consumed = 0
            elif len(events) == consumed:
                continue
            line.extend(*event_points(events[consumed:], x_field, y_field, scale))
            line.consumed = len(events)
            line.last = events[-1] if events else None
            line.draw(*view)
        run.version = entry.version
        run.settings = self._settings

    def _view(self) -> tuple[tuple[float, float] | None, int]:
        """The x range shown (None: all, it follows the data) and its number of bins."""
        box = self.plot.vb
        bins = max(1, int((box.width() or 1000.0) / BIN_PX))  # 1000: not laid out yet
        if box.autoRangeEnabled()[0]:
            return None, bins
        low, high = box.viewRange()[0]
        return (low, high), bins

    def _view_changed(self) -> None:
        """Zoomed, panned or resized: reduce the points in view again."""
        view = self._view()
        for run in self._runs.values():
            if run.shown:
                for line in run.lines.values():
                    line.draw(*view)

    def _cached(self) -> list[QGraphicsItem]:
        """The items drawn from a pixmap cache: axes and the title (the legend)."""
        items = [self.plot.titleLabel.item]
        for side in ("left", "bottom"):
            items += [self.plot.getAxis(side), self.plot.getAxis(side).label]
        return items

    def _zoom_changed(self) -> None:
        """Zoomed in x, the y range fits the points in view.

        Not while x follows the data: then every point is in view anyway, and
        looking costs pyqtgraph some 2 ms a redraw.
        """
        fit = not self.plot.vb.autoRangeEnabled()[0]
        if fit != self._fit_visible:
            self._fit_visible = fit
            self.plot.vb.setAutoVisible(y=fit)

    def _update_labels(self) -> None:
        self.plot.setLabel(
            "left", self.tr("error (%)") if self._metric == "error" else self.tr("loss")
        )
        self.plot.setLabel(
            "bottom", self.tr("iteration") if self._x_axis == "iterations" else self.tr("epoch")
        )

    def _data_changed(self, _first: object, _last: object, roles: list[int]) -> None:
        if Qt.ItemDataRole.CheckStateRole in roles:
            self._tick()

    def _tick(self) -> None:
        # Out of sight (hidden, or a tab behind another) it costs nothing; ScreenWatch
        # and the show event redraw it when it comes back.
        if on_screen(self):
            self.redraw_now()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.redraw_now()

    # --- hover --------------------------------------------------------------------

    def hover_text(self, x: float) -> str:
        """The readout for the mouse at ``x`` on one line: each shown run's values there."""
        head, rows = self._hover_rows(x)
        return " · ".join([head] + [f"{run.entry.name}: {values}" for run, values in rows])

    def _hover_rows(self, x: float) -> tuple[str, list[tuple[_Run, str]]]:
        """Where ``x`` is (``iteration 300``), and each shown run's values nearest it."""
        if self._x_axis == "iterations":
            head = self.tr("iteration {0}").format(f"{round(x):,}")
        else:
            head = self.tr("epoch {0}").format(f"{x:.2f}")
        labels = {"train": self.tr("train"), "val": self.tr("val")}
        rows = []
        for key in self._legend_order:
            run = self._runs[key]
            values = []
            for split, line in run.lines.items():
                y = line.nearest(x)
                if y is not None:
                    values.append(f"{labels[split]} {self._format(y)}")
            if values:
                rows.append((run, ", ".join(values)))
        return head, rows

    def _format(self, y: float) -> str:
        return f"{y:.1f}%" if self._metric == "error" else f"{y:.3g}"

    def _mouse_moved(self, args: tuple) -> None:
        pos = args[0]
        view = self.plot.vb
        if not view.sceneBoundingRect().contains(pos):
            self._hide_cursor()
            return
        x = view.mapSceneToView(pos).x()
        self.cursor_line.setPos(x)
        self.cursor_line.show()
        self._show_readout(x, view.mapFromScene(pos))

    def _show_readout(self, x: float, at: QPointF) -> None:
        """The values at ``x`` in a box beside the pointer (``at``, in the view's pixels),
        one line per run, kept inside the plot: left of the pointer near the right edge,
        moved up near the bottom."""
        head, rows = self._hover_rows(x)
        lines = [f"<b>{html.escape(head)}</b>"] + [
            f"<span style='color:{run.entry.colour or '#444'}'>━</span>&nbsp;"
            f"{html.escape(run.entry.name)}: {html.escape(values)}"
            for run, values in rows
        ]
        self.readout.setHtml(f"<div style='color:#222'>{'<br>'.join(lines)}</div>")
        size = self.readout.boundingRect().size()
        room = self.plot.vb.rect()
        gap = 12.0  # pixels between the pointer and the box
        left = at.x() + gap
        if left + size.width() > room.right():
            left = at.x() - gap - size.width()
        top = min(at.y() + gap, room.bottom() - size.height())
        self.readout.setPos(max(room.left(), left), max(room.top(), top))
        self.readout.show()

    def _hide_cursor(self) -> None:
        self.cursor_line.hide()
        self.readout.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            self._hide_cursor()
        return super().eventFilter(watched, event)

    # --- saving -------------------------------------------------------------------

    def save_plot(self, path: str | Path) -> None:
        """Write the plot as SVG (``.svg``) or PNG (anything else), atomically.

        Raises OSError or ValueError (:class:`ProjectError`) naming the file.
        """
        path = Path(path)
        self.redraw_now()
        self._lay_out_if_hidden()
        cursor = self.cursor_line.isVisible()
        self._hide_cursor()  # the hover line and readout are no part of the figure
        cached = self._cached()
        _cache(*cached, mode=QGraphicsItem.CacheMode.NoCache)  # text as text, at any size
        try:
            fmt = "svg" if path.suffix.lower() == ".svg" else "png"
            data = plot_image_bytes(self.plot_widget, fmt)
        finally:
            _cache(*cached)
            self.cursor_line.setVisible(cursor)  # the readout comes back as the mouse moves
        write_atomically(path, data)

    def save_csv(self, path: str | Path) -> None:
        """Write the points of the shown runs as CSV, atomically.

        One row per point: ``run,split,epoch,iteration,loss,error`` with split
        ``train`` or ``val``; values as the run reported them (error as a
        fraction, non-finite values as ``nan``/``inf``), whatever the plot shows.
        """
        self.redraw_now()
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for key in self._legend_order:
            entry = self._runs[key].entry
            for split in SPLITS:
                from_steps, _x, _y = curve_fields(
                    "error", "epochs", split, len(entry.steps), len(entry.epochs)
                )
                prefix = "" if from_steps else f"{split}_"
                values = attrgetter("epoch", "iteration", f"{prefix}loss", f"{prefix}error")
                events = entry.steps if from_steps else entry.epochs
                writer.writerows((entry.name, split, *values(e)) for e in events)
        write_atomically(Path(path), text.getvalue().encode("utf-8"))

    def save_plot_dialog(self) -> None:
        """Ask for a file and save the plot there; a failure is reported, naming the file."""
        filters = self.tr("PNG image (*.png);;SVG image (*.svg)")
        path = self._ask_path(self.tr("Save Plot"), "curves.png", filters, (".png", ".svg"))
        if path is not None:
            self._save(self.tr("Save Plot"), self.save_plot, path)

    def save_csv_dialog(self) -> None:
        """Ask for a file and save the shown runs' points there as CSV."""
        filters = self.tr("CSV file (*.csv)")
        path = self._ask_path(self.tr("Save Data"), "curves.csv", filters, (".csv",))
        if path is not None:
            self._save(self.tr("Save Data"), self.save_csv, path)

    def _ask_path(
        self, title: str, default: str, filters: str, suffixes: tuple[str, ...]
    ) -> Path | None:
        """The file the user names; without a known suffix it gets the chosen filter's."""
        name, chosen = QFileDialog.getSaveFileName(self, title, default, filters)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in suffixes:
            wanted = next((s for s in suffixes if f"*{s}" in chosen), suffixes[0])
            path = path.with_name(path.name + wanted)
        return path

    def _save(self, title: str, save, path: Path) -> None:
        # 800,000 points take a few seconds as CSV: show that something is happening.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            save(path)
            error = None
        except (OSError, ValueError) as err:
            error = err
        finally:
            QApplication.restoreOverrideCursor()
        if error is not None:
            detail = shown_error(error)
            if str(path) not in detail:  # write_atomically's errors name the file already
                detail = f"{path}: {detail}"
            QMessageBox.warning(self, title, self.tr("Could not save:\n{0}").format(detail))

    def _lay_out_if_hidden(self) -> None:
        """Give a never-shown plot its geometry, so that axes and legend are placed."""
        if self.plot_widget.isVisible():
            return
        size = self.plot_widget.size()
        if size.width() < 300 or size.height() < 200:
            self.plot_widget.resize(900, 560)
        self.plot_widget.resizeEvent(None)  # what showing it would do: lays out the scene
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
