"""An experiment's three figures in the window: Fig. 6 (plain | ResNet) and error against depth.

The figures come as data from :mod:`resnet_studio.figures.experiment`, as
``experiment show -o`` draws them, and are drawn into plots kept for the
view's life (redrawn in place, so a zoom survives a refresh). The plain and
ResNet panels share their ranges, so that plain-56 reads against ResNet-56 as
in the paper. Three plots side by side when the view is wide, Fig. 6 over
the depth figure when it is not. Their keys are one line above the plots and
in the depth figure's title, not legends: a legend would cover a small plot.
The smoothing slider (off by default, :attr:`ExperimentFigures.smoothing_box`,
placed by the view) sets the exponential moving average of the training curves.
"""

from __future__ import annotations

import dataclasses
import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from resnet_studio.figures.experiment import DEPTH_CAPTION, VARIANT_COLOURS
from resnet_studio.figures.figure import CurveFigure, Panel, Series
from resnet_studio.figures.render import (
    data_ranges,
    draw_panel,
    drawn_alike,
    steady_range,
    update_panel,
)
from resnet_studio.gui.line_layer import LineLayer
from resnet_studio.gui.plot_axes import OpaqueGridAxis

# A plain name that pyside6-lupdate extracts from: translate("Context", "text").
translate = QCoreApplication.translate

SMOOTHING_STEPS = 100  # the slider's positions: weight = position / SMOOTHING_STEPS
MAX_SMOOTHING = 0.99
WIDE = 2.4  # width / height above which the three plots sit in one row
# Panel titles as resnet_studio.figures writes them (the "figures" context translates).
EMPTY_TITLES = ("plain", "ResNet", "error against depth")
CAPTION = QT_TRANSLATE_NOOP(
    "ExperimentFigures", "dashed: training, solid: validation; bands: ± std over seeds"
)


def depth_key(figure: CurveFigure) -> list[tuple[str, str]]:
    """(depth, colour) of each depth Fig. 6 draws, shallow first: its colour key."""
    colours: dict[int, str] = {}
    for series in (s for panel in figure.panels for s in panel.series):
        if series.depth is not None:
            colours.setdefault(series.depth, series.colour)
    return [(str(depth), colours[depth]) for depth in sorted(colours)]


def _coloured(text: str, colour: str) -> str:
    return f"<span style='color:{colour}'><b>━</b> {html.escape(text)}</span>"


class ExperimentFigures(QWidget):
    """Fig. 6 in two panels and the error-against-depth figure, with a smoothing slider."""

    smoothing_changed = Signal(float)  # the EMA weight, 0 (off) to MAX_SMOOTHING

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = []
        for title in EMPTY_TITLES:
            # The Curves tab's axes: an opaque grid paints several times faster.
            axes = {side: OpaqueGridAxis(side) for side in ("left", "bottom")}
            widget = pg.PlotWidget(background="w", axisItems=axes)
            plot = widget.getPlotItem()
            plot.setTitle(translate("figures", title), color="#444", size="10pt")
            widget.setMinimumSize(160, 120)
            self.plots.append(widget)
        self.plain, self.resnet, self.depth = self.plots

        self.caption = QLabel(self.tr(CAPTION))
        self.caption.setStyleSheet("color: #555;")
        self.caption.setWordWrap(True)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, round(MAX_SMOOTHING * SMOOTHING_STEPS))
        self.slider.setValue(0)
        self.slider.setMaximumWidth(160)
        self.slider.setToolTip(
            self.tr("Exponential moving average of the training curves (validation is kept)")
        )
        self.slider_label = QLabel()
        metrics = self.slider_label.fontMetrics()
        self.slider_label.setMinimumWidth(metrics.horizontalAdvance("0.00 "))
        # A pause in dragging redraws once, not at every step of the slider.
        self._smoothing_timer = QTimer(self, singleShot=True, interval=150)
        self._smoothing_timer.timeout.connect(lambda: self.smoothing_changed.emit(self.smoothing()))
        self.slider.valueChanged.connect(self._slider_moved)
        self.slider_label.setText(self.tr("off"))
        self._drawn: tuple = (None, None)  # what the plots show, to skip redrawing the same
        self._shown: dict[pg.PlotWidget, _Shown] = {}  # the items drawn, to move in place

        self.smoothing_box = QWidget()
        smoothing = QHBoxLayout(self.smoothing_box)
        smoothing.setContentsMargins(8, 0, 4, 0)
        smoothing.addWidget(QLabel(self.tr("Smoothing:")))
        smoothing.addWidget(self.slider)
        smoothing.addWidget(self.slider_label)
        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        self._wide: bool | None = None
        self._arrange(wide=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.addWidget(self.caption)
        layout.addLayout(self.grid, 1)

    # --- smoothing --------------------------------------------------------------------

    def smoothing(self) -> float:
        return self.slider.value() / SMOOTHING_STEPS

    def _slider_moved(self) -> None:
        weight = self.smoothing()
        self.slider_label.setText(f"{weight:.2f}" if weight else self.tr("off"))
        self._smoothing_timer.start()

    # --- layout -----------------------------------------------------------------------

    def _arrange(self, wide: bool) -> None:
        if wide == self._wide:
            return
        self._wide = wide
        for widget in self.plots:
            self.grid.removeWidget(widget)
        if wide:
            for column, widget in enumerate(self.plots):
                self.grid.addWidget(widget, 0, column)
        else:
            self.grid.addWidget(self.plain, 0, 0)
            self.grid.addWidget(self.resnet, 0, 1)
            self.grid.addWidget(self.depth, 1, 0, 1, 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        size = event.size()
        self._arrange(size.width() > WIDE * max(1, size.height()))

    # --- drawing ----------------------------------------------------------------------

    def show_figures(self, curves: CurveFigure | None, depth: CurveFigure | None) -> None:
        """Draw Fig. 6 (``curves``, its plain and ResNet panels) and the ``depth`` figure;
        None leaves a plot empty with its title. A figure that did not change is not
        drawn again (an ended experiment is read again without redrawing 1,000 runs'
        lines), and lines that only grew are moved to their new points in place."""
        curves_drawn, depth_drawn = _signature(curves), _signature(depth)
        if curves_drawn != self._drawn[0]:
            self._show_curves(curves)
        if depth_drawn != self._drawn[1]:
            self._show_depth(depth)
        self._drawn = (curves_drawn, depth_drawn)

    def _show_curves(self, curves: CurveFigure | None) -> None:
        panels = curves.panels if curves is not None else ()
        x_range, y_range = data_ranges(curves.panels) if curves is not None else (None, None)
        key = depth_key(curves) if curves is not None else []
        caption = html.escape(self.tr(CAPTION))
        if key:
            depths = " ".join(_coloured(depth, colour) for depth, colour in key)
            caption = self.tr("{0} layers · {1}").format(depths, caption)
        if caption != self.caption.text():
            self.caption.setText(caption)
        for widget, title, index in ((self.plain, "plain", 0), (self.resnet, "ResNet", 1)):
            panel = panels[index] if len(panels) > index else Panel(title, ())
            self._draw(widget, panel, curves, x_range, y_range)

    def _show_depth(self, depth: CurveFigure | None) -> None:
        if depth is not None and depth.panels:
            self._draw(widget=self.depth, panel=depth.panels[0], figure=depth)
            shown = {s.colour for s in depth.panels[0].series}
            names = {"plain": translate("figures", "plain"), "residual": "ResNet"}
            key = [_coloured(names[v], c) for v, c in VARIANT_COLOURS.items() if c in shown]
            if key:
                depth_title = translate("figures", EMPTY_TITLES[2])
                title = f"{depth_title}: {', '.join(key)}"
                self.depth.getPlotItem().setTitle(title, color="#444", size="10pt")
        else:
            self._draw(self.depth, Panel(EMPTY_TITLES[2], ()), None)
        self.depth.setToolTip(translate("figures", DEPTH_CAPTION))

    def _draw(
        self,
        widget: pg.PlotWidget,
        panel: Panel,
        figure: CurveFigure | None,
        x_range: tuple[float, float] | None = None,
        y_range: tuple[float, float] | None = None,
    ) -> None:
        plot = widget.getPlotItem()
        # Without names: the keys are above, and a legend would cover a small plot.
        panel = dataclasses.replace(panel, series=_unnamed(panel.series))
        title = _title(panel)
        shown = self._shown.get(widget)
        if figure is not None and panel.series and shown and drawn_alike(shown.panel, panel):
            update_panel(shown.items, panel)  # a live refresh: the same lines, grown
            ranges = shown.ranges
            if shown.corners is not None and x_range and y_range:
                ranges = (
                    steady_range(shown.ranges[0], x_range),
                    steady_range(shown.ranges[1], y_range),
                )
                if ranges != shown.ranges:
                    shown.corners.setData(np.array(ranges[0]), np.array(ranges[1]))
            if title != _title(shown.panel):
                plot.setTitle(title, color="#444", size="10pt")
            self._shown[widget] = dataclasses.replace(shown, panel=panel, ranges=ranges)
            return
        plot.clear()
        plot.getAxis("bottom").setTicks(None)  # a depth figure's ticks go with its lines
        self._shown.pop(widget, None)
        plot.setTitle(title, color="#444", size="10pt")
        if figure is None or not panel.series:
            return
        shared = bool(x_range and y_range)
        lines = LineLayer()  # every line of the plot, drawn by one item
        plot.addItem(lines, ignoreBounds=shared)
        items = draw_panel(plot, panel, figure, ignore_bounds=shared, curve=lines.line)
        plot.legend.hide()
        corners = None
        if shared:
            # The same ranges in both panels, kept by an invisible line across them:
            # auto-range (and pyqtgraph's "A" button) then agree, and a zoom stays free.
            # Auto-range asks this line alone (the others are drawn ignoring bounds).
            corners = pg.PlotDataItem(
                np.array(x_range), np.array(y_range), pen=pg.mkPen(0, 0, 0, 0)
            )
            plot.addItem(corners)
        self._shown[widget] = _Shown(panel, items, corners, (x_range, y_range))


@dataclasses.dataclass(frozen=True)
class _Shown:
    """What a plot shows: its panel, each series' (band, line) items, the invisible line
    that holds the shared ranges, and those ranges (x, y), kept steady while live."""

    panel: Panel
    items: list[tuple]
    corners: pg.PlotDataItem | None
    ranges: tuple = (None, None)


def _title(panel: Panel) -> str:
    """A panel's title as shown: translated, and saying so while it has no lines."""
    title = translate("figures", panel.title)
    if panel.series:
        return title
    return translate("ExperimentFigures", "{0}: no epochs yet").format(title)


def _unnamed(series: tuple[Series, ...]) -> tuple[Series, ...]:
    return tuple(dataclasses.replace(s, label="") for s in series)


def _signature(figure: CurveFigure | None) -> tuple:
    """What tells two figures apart for drawing: each line's style, points and band."""
    if figure is None:
        return ()
    return tuple(
        (
            panel.title,
            s.colour,
            s.dashed,
            s.label,
            len(s.x),
            float(s.x.sum()),
            float(s.y.sum()),  # new points, smoothing or a resumed run change a sum
            None if s.spread is None else float(s.spread.sum()),
        )
        for panel in figure.panels
        for s in panel.series
    )
