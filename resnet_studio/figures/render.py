"""Drawing figures as PNG, SVG or PDF with pyqtgraph, with or without a screen.

Qt and pyqtgraph are imported when a function here is called, never when
this module is imported: ``resnet-studio compare`` checks a file name with
:func:`plot_format` before anything slow happens. The window's panels use
:func:`plot_image_bytes` for their own plots, and every picture of a scene, the
network canvas's included, is drawn by :func:`render_scene`.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from resnet_studio.figures.bands import binned
from resnet_studio.figures.figure import CurveFigure, Panel, Series

if TYPE_CHECKING:
    import pyqtgraph as pg
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QApplication, QGraphicsScene

PLOT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
PANEL_SIZE = (900, 560)  # pixels of a one-panel figure; a panel more adds PANEL_WIDTH_MORE
PANEL_WIDTH_MORE = 620
ROW_HEIGHT = 380  # pixels of each row of a figure with several rows of panels
# A band's edges change slowly (a std over seeds): 150 points draw them smoothly, and
# Qt fills an outline in time that grows with its points (4,000 took a live view most
# of its frame; 500, ten bands, 4 ms a plot).
BAND_POINTS = 150
BAND_ALPHA = 60  # of 255: the ± std band lets the lines of other runs show through


def plot_format(path: str | Path) -> str:
    """``png``, ``svg`` or ``pdf`` by the file's ending; ValueError for any other."""
    suffix = Path(path).suffix.lower()
    if suffix not in PLOT_FORMATS:
        raise ValueError(
            f"{path}: a plot is saved as {', '.join(PLOT_FORMATS)}; not {suffix or 'this'}"
        )
    return PLOT_FORMATS[suffix]


def save_figure(
    figure: CurveFigure, path: str | Path, width: int | None = None, height: int | None = None
) -> None:
    """Draw ``figure`` and write it as PNG, SVG or PDF (by the file's ending), atomically.

    Works without a display (Qt's offscreen platform) and inside the window.
    Raises ValueError for another ending, :class:`~resnet_studio.writing.WriteError`
    when the file cannot be written.
    """
    from resnet_studio.writing import write_atomically

    fmt = plot_format(path)
    app = application()
    rows, columns = figure.grid
    width = width or PANEL_SIZE[0] + PANEL_WIDTH_MORE * (columns - 1)
    height = height or (PANEL_SIZE[1] if rows == 1 else ROW_HEIGHT * rows)
    widget = draw(figure)
    try:
        widget.resize(width, height)
        widget.show()  # lay out axes (their widths follow the tick labels) before drawing
        app.processEvents()
        data = plot_image_bytes(widget, fmt, width)
    finally:
        widget.hide()
        widget.deleteLater()
        app.processEvents()
    write_atomically(Path(path), data)


def application() -> QApplication:
    """The running QApplication, or a new one; on Linux without a display, offscreen."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def draw(figure: CurveFigure) -> pg.GraphicsLayoutWidget:
    """``figure`` as a widget: its panels side by side, their axes linked to compare."""
    import pyqtgraph as pg

    widget = pg.GraphicsLayoutWidget()
    widget.setBackground("w")
    several = len(figure.panels) > 1
    columns = figure.grid[1]
    if several and figure.caption:
        widget.addLabel(figure.caption, colspan=columns, color="#444", size="10pt")
        widget.nextRow()
    panels = figure.panels
    # The ranges the panels share: all of them, or those of one row (a row per depth).
    rows = [panels[i : i + columns] for i in range(0, len(panels), columns)]
    if figure.ranges_by_row:
        ranges = [data_ranges(row) for row in rows]
    else:
        ranges = [data_ranges(panels)] * len(rows)
    for i, panel in enumerate(panels):
        if i and i % columns == 0:
            widget.nextRow()
        x_range, y_range = ranges[i // columns]
        plot = widget.addPlot()
        title = (
            panel.title if several else " · ".join(t for t in (panel.title, figure.caption) if t)
        )
        if title:
            plot.setTitle(title, color="#444", size="10pt")
        draw_panel(plot, panel, figure)
        if several and x_range and y_range:  # equal ranges side by side: plain-56 by ResNet-56
            plot.setXRange(*x_range, padding=0.02)
            plot.setYRange(*y_range, padding=0.04)
    return widget


def data_ranges(
    panels: Sequence[Panel],
) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """The x and y ranges of the panels' points and bands (values that are not a number
    aside); (None, None) without any."""
    import numpy as np

    xs, ys = [], []
    for series in (s for panel in panels for s in panel.series):
        if len(series.x):
            spread = 0.0 if series.spread is None else series.spread
            xs.append(series.x)
            ys += [series.y - spread, series.y + spread]
    if not xs:
        return None, None
    x, y = np.concatenate(xs), np.concatenate(ys)
    if np.isnan(x).all() or np.isnan(y).all():
        return None, None
    return (float(np.nanmin(x)), float(np.nanmax(x))), (float(np.nanmin(y)), float(np.nanmax(y)))


def steady_range(
    shown: tuple[float, float] | None, wanted: tuple[float, float], room: float = 0.1
) -> tuple[float, float]:
    """The axis range for data spanning ``wanted`` while ``shown`` is on screen: ``shown``
    kept while it holds the data and the data fill most of it; widened past the data by
    ``room`` (a share of their span) on each side they outgrew (not below 0 for data that
    are not negative); the data's own range when they fill too little of either. Live
    curves then rescale in steps, not at every refresh: a rescale redraws the axes, the
    grid and every item, a steady frame only what changed."""
    lo, hi = wanted
    if shown is None:
        return wanted
    shown_lo, shown_hi = shown
    span = hi - lo
    if shown_lo <= lo and hi <= shown_hi:
        return shown if span >= (1 - 2 * room) * (shown_hi - shown_lo) else wanted
    pad = room * span
    new_lo = shown_lo if lo >= shown_lo else lo - pad
    if lo >= 0:
        new_lo = max(new_lo, 0.0)
    new_hi = shown_hi if hi <= shown_hi else hi + pad
    if span < (1 - 2 * room) * (new_hi - new_lo):  # the data moved away: theirs
        return wanted
    return new_lo, new_hi


def draw_panel(
    plot: pg.PlotItem,
    panel: Panel,
    figure: CurveFigure,
    ignore_bounds: bool = False,
    curve: Callable[..., pg.PlotCurveItem] | None = None,
) -> list[tuple]:
    """Draw ``panel`` of ``figure`` into ``plot`` (the window's experiment view draws into
    plots it keeps); each series' (band item or None, line item), for
    :func:`update_panel`. ``ignore_bounds``: auto-range leaves the lines and bands out
    (the caller gives it one item that spans them, cheaper than asking each line).
    ``curve(x, y, pen=..., bold=...)`` draws the lines without markers in the caller's
    item and returns each one's handle (with ``setData``), bold for the solid ones, given
    1-pixel pens: the window's live views draw their lines with one item, faster than a
    PlotDataItem each, and bold ones faster than Qt strokes a 2-pixel pen."""
    import pyqtgraph as pg
    from PySide6.QtCore import QCoreApplication, Qt

    plot.showGrid(x=True, y=True, alpha=0.25)
    # The labels in the window's language (marked "figures" where they are written); a
    # process without a translator, such as the command line, draws them in English.
    translate = QCoreApplication.translate
    plot.setLabel("bottom", translate("figures", figure.x_label))
    plot.setLabel("left", translate("figures", figure.y_label))
    legend = plot.addLegend(offset=(-10, 10), labelTextColor="k")
    legend.setBrush(pg.mkBrush(255, 255, 255, 220))
    items = []
    for series in panel.series:
        colour = pg.mkColor(series.colour)
        band = None
        if series.spread is not None and len(series.x) and series.error_bars:
            # One seed has no spread: a bar of no height would draw its beam alone.
            if series.spread.any():
                plot.addItem(
                    pg.ErrorBarItem(
                        x=series.x, y=series.y, height=2 * series.spread, beam=0.8, pen=colour
                    )
                )
        elif series.spread is not None and len(series.x):
            band = _band(series, _translucent(colour, BAND_ALPHA))
            plot.addItem(band, ignoreBounds=ignore_bounds)
        if series.dashed:
            pen = pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine)
        else:
            pen = pg.mkPen(colour, width=2)
        options = {"pen": pen, "name": series.label or None}
        if series.markers:
            options.update(symbol="o", symbolSize=5, symbolBrush=colour, symbolPen=colour)
        if curve is not None and not series.markers:
            thin = pen if series.dashed else pg.mkPen(colour, width=1)
            line = curve(series.x, series.y, pen=thin, bold=not series.dashed)
        else:
            line = pg.PlotDataItem(series.x, series.y, **options)
            plot.addItem(line, ignoreBounds=ignore_bounds)
        items.append((band, line))
    # Labelled at the figure's own x values (depths), else at round ones.
    ticks = [[(x, f"{x:g}") for x in figure.x_ticks]] if figure.x_ticks else None
    plot.getAxis("bottom").setTicks(ticks)
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setPen("#333")
        plot.getAxis(axis).setTextPen("#333")
        # Grid lines at the labelled and the minor ticks, not the finest level: as
        # readable, and half the painting of a plot.
        plot.getAxis(axis).setStyle(maxTickLevel=1)
    return items


def drawn_alike(a: Panel, b: Panel) -> bool:
    """Whether ``b`` draws with the same items as ``a`` (only their points differ), so that
    :func:`update_panel` can move ``a``'s items to ``b``'s points."""

    def style(s: Series) -> tuple:
        return (s.colour, s.label, s.dashed, s.markers, s.error_bars, s.spread is None)

    return not any(s.error_bars for s in b.series) and [style(s) for s in a.series] == [
        style(s) for s in b.series
    ]


def update_panel(items: list[tuple], panel: Panel) -> None:
    """Give :func:`draw_panel`'s ``items`` the points of ``panel``, drawn alike (see
    :func:`drawn_alike`): live data redrawn in place, no items made or removed."""
    for (band, line), series in zip(items, panel.series, strict=True):
        if band is not None:
            band.setPath(_band_path(series))
        line.setData(series.x, series.y)


def _band_path(series: Series):
    """The outline of ``series``' ± spread band: along the upper edge, back along the lower,
    at most :data:`BAND_POINTS` points a side."""
    import numpy as np
    import pyqtgraph as pg

    x, (y, spread) = binned(series.x, (series.y, series.spread), BAND_POINTS)
    keep = np.isfinite(x) & np.isfinite(y) & np.isfinite(spread)  # a diverged run's NaN
    x, y, spread = x[keep], y[keep], spread[keep]
    path = pg.arrayToQPath(
        np.concatenate([x, x[::-1]]), np.concatenate([y + spread, (y - spread)[::-1]])
    )
    path.closeSubpath()
    return path


def _band(series: Series, colour):
    """The ± spread band around ``series`` as one filled path item: quick to make and
    paint, where pyqtgraph's FillBetweenItem takes milliseconds per band to join two
    curves."""
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPen
    from PySide6.QtWidgets import QGraphicsPathItem

    item = QGraphicsPathItem(_band_path(series))
    item.setBrush(pg.mkBrush(colour))
    item.setPen(QPen(Qt.PenStyle.NoPen))
    item.setZValue(-1)  # under the lines
    return item


def _translucent(colour, alpha: int):
    """A copy of the QColor ``colour`` with its alpha set (0 to 255)."""
    from PySide6.QtGui import QColor

    copy = QColor(colour)
    copy.setAlpha(alpha)
    return copy


def plot_image_bytes(widget: pg.GraphicsView, fmt: str, width: int | None = None) -> bytes:
    """What ``widget`` (a PlotWidget or GraphicsLayoutWidget) shows, as ``png``, ``svg``
    or ``pdf`` bytes (PNG ``width`` pixels wide; default: as on screen)."""
    from pyqtgraph.exporters import Exporter

    content = _content(widget)

    @contextmanager
    def export_mode(scale: float) -> Iterator[None]:
        # pyqtgraph's own exporters do this: no hover buttons, markers scaled with the image.
        exporter = Exporter(content)
        exporter.setExportMode(True, {"antialias": True, "resolutionScale": scale})
        try:
            yield
        finally:
            exporter.setExportMode(False)

    # Not pyqtgraph's SVGExporter: it cannot parse the closed paths ("... Z") that
    # Qt 6.11 writes (pyqtgraph issue #3495), so the scene is drawn here directly.
    # One SVG unit per screen pixel: pyqtgraph items that reset the painter's transform
    # (curves, markers) then land where the axes say.
    return render_scene(
        widget.scene(),
        content.sceneBoundingRect(),
        fmt,
        width=width,
        dpi=widget.logicalDpiX(),
        exporting=export_mode,
    )


def _content(widget: pg.GraphicsView):
    """The item holding what is drawn: a PlotWidget's plot, a layout widget's layout."""
    import pyqtgraph as pg

    return widget.getPlotItem() if isinstance(widget, pg.PlotWidget) else widget.ci


def render_scene(
    scene: QGraphicsScene,
    source: QRectF,
    fmt: str,
    width: int | None = None,
    dpi: float | None = None,
    title: str = "",
    exporting: Callable[[float], AbstractContextManager] | None = None,
) -> bytes:
    """The part ``source`` of ``scene`` on white, as ``png``, ``svg`` or ``pdf`` bytes: the
    one way the program draws a picture of a scene (the canvas's export, every plot's).

    A PNG is ``width`` pixels wide (default: a pixel per scene unit), its height in
    proportion; SVG and PDF keep a unit per scene unit, at ``dpi`` dots per inch (the
    screen's, so text sized in points comes out as on screen; default: Qt's).
    ``title`` names an SVG. ``exporting(scale)``, if given, is a context manager the
    scene draws within (to hide a selection, or switch pyqtgraph items to export mode);
    ``scale`` is output pixels per scene unit.
    """
    from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSize, QSizeF
    from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
    from PySide6.QtSvg import QSvgGenerator

    if fmt not in PLOT_FORMATS.values():
        raise ValueError(f"cannot draw a scene as {fmt!r}; use one of {', '.join(PLOT_FORMATS)}")
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    size = QSize(max(1, math.ceil(source.width())), max(1, math.ceil(source.height())))
    scale = 1.0
    if fmt == "png":
        if width:
            scale = width / source.width()
            size = QSize(int(width), max(1, round(source.height() * scale)))
        device = QImage(size, QImage.Format.Format_ARGB32)
        device.fill(QColor("white"))
    elif fmt == "svg":
        device = QSvgGenerator()
        device.setOutputDevice(buffer)
        device.setSize(size)
        device.setViewBox(QRectF(0, 0, size.width(), size.height()))
        if dpi:
            device.setResolution(round(dpi))
        if title:
            device.setTitle(title)
    else:
        device = QPdfWriter(buffer)
        resolution = round(dpi or device.resolution())
        device.setResolution(resolution)
        points = QSizeF(size.width() * 72 / resolution, size.height() * 72 / resolution)
        device.setPageLayout(
            QPageLayout(
                QPageSize(points, QPageSize.Unit.Point),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
    target = QRectF(0, 0, size.width(), size.height())
    with exporting(scale) if exporting else nullcontext():
        painter = QPainter(device)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        if fmt != "png":
            painter.fillRect(target, QColor("white"))
        scene.render(painter, target, source)
        painter.end()
    if fmt == "png" and not device.save(buffer, "PNG"):
        raise OSError("could not draw the picture")
    return bytes(buffer.data().data())
