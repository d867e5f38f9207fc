"""Live curves: one redraw of 8 long runs while they train, against pyqtgraph's own help.

Builds 8 runs of 100,000 logged training steps each (iterations 1 to
100,000, one ``StepMetrics`` per iteration, noisy error and loss curves) and
a validation point every 391 iterations (an ``EpochEnd``, CIFAR-10's epoch at
batch size 128), in a :class:`RunsModel`, and shows a :class:`CurvesPanel`
on them offscreen at 1280x420. Each timed frame does what a training tick
does: every run gets ``--append`` new steps (and the epoch ends they cross)
through ``RunEntry.apply`` (untimed: the training threads' part), then the
timed part: the panel redraws (``redraw_now``, the timer's work) and its plot
is painted for real (``QWidget.grab`` of the plot widget, which renders it
all: the repaint a tick causes; the controls above it do not change).
Building the events and the first full drawing are not timed. ``--frames``
frames (100) are timed; the runs grow from 100,000 to 130,000 steps.

The baseline, in the same run: plain pyqtgraph with its own help for long
curves, ``setDownsampling(auto=True, mode="peak")`` and ``setClipToView(True)``
on the plot, drawing the same picture: a PlotWidget the size of the panel's
plot, the same grid, title and legend, 16 curves (8 dashed training curves,
pen width 1; 8 solid validation curves, width 2, as the panel draws them
bold). Each of its frames gives every curve the same points as the panel's
frame (``setData`` on views of growing numpy arrays, as pyqtgraph's
documentation suggests), then the same paint. ``--baseline-frames`` frames
(100) are timed; the first drawing is not.

Run: ``python bench/plots.py`` (about two minutes on 2 CPU cores, a fifth of
it building the events). Prints the panel's median and 95th percentile ms
per frame (and the medians of its two parts), the baseline's, and how many
times faster the panel's median frame is. Goal: the 95th percentile at most
20 ms and at least 5x faster than the baseline; exits 1 when either is
missed.

The experiment view, the same way: Fig. 6 of an experiment of 5 depths × plain
and residual × 3 seeds, each run 100,000 steps, as the Experiments tab shows
it (:class:`ExperimentFigures` at 1280×420): 10 mean training curves of
100,000 points with their ± std bands, 10 validation curves with bands, and
the error-against-depth figure (drawn once: it changes only when a run ends).
The axes rescale in steps (:func:`~resnet_studio.figures.render.steady_range`:
10% of room when the curves outgrow them), so most frames keep them; the bench
says in how many frames they rescaled and what those frames took.
Each frame the runs have ``--append`` more steps: the figure data (mean and
std over the seeds, binned to 1,000 points a curve: the background thread's
work in the window) is made untimed, then the timed part: ``show_figures``
(every line and band given its new points) and a real paint of the two Fig. 6
plots (``grab``; what a refresh changes). Its baseline: plain pyqtgraph with
its own help for long curves (``setDownsampling(auto, "peak")`` and
``setClipToView``), the same lines, and the bands as ``FillBetweenItem``s
between edges that pyqtgraph downsamples too, set again each frame, with the
same two plots painted. ``--view-frames`` (100) frames of the view and
``--view-baseline-frames`` (100) of the baseline are timed. Goal: the same,
the 95th percentile at most 20 ms and at least 5x faster than its baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

GOAL_MS = 20.0  # 95th percentile of a frame, at most
GOAL_SPEEDUP = 5.0  # the baseline's median frame over ours, at least
RUNS = 8
POINTS = 100_000
EPOCH = 391  # iterations per epoch: 50,000 images at batch size 128
SIZE = (1280, 420)


def histories(run: int, total: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Iterations 1..total with a noisy training error and loss (plain runs do worse)."""
    rng = np.random.default_rng(run)
    iteration = np.arange(1, total + 1, dtype=np.float64)
    floor = 0.02 + 0.02 * run
    error = floor + (0.9 - floor) * np.exp(-iteration / 8_000) + rng.normal(0, 0.02, total)
    error = np.clip(error, 0.0, 1.0)
    loss = 2.3 * error + rng.normal(0, 0.01, total) ** 2
    return iteration, error, loss


def make_entries(total: int):
    """RunEntry objects with every step and epoch end (untimed: a few seconds)."""
    from resnet_studio.figures.style import run_colour
    from resnet_studio.gui.runs_model import RunEntry
    from resnet_studio.training.events import EpochEnd, StepMetrics

    entries, futures = [], []
    for run in range(RUNS):
        iteration, error, loss = histories(run, total)
        events = []
        for i, err, los in zip(iteration.tolist(), error.tolist(), loss.tolist(), strict=True):
            it = int(i)
            events.append(StepMetrics(it / EPOCH, it, los, err, 0.1, 5000.0))
            if it % EPOCH == 0:
                val = min(1.0, err + 0.03)
                events.append(EpochEnd(it // EPOCH, it, los, err, los + 0.1, val, 0.1, 10.0, 5e3))
        entry = RunEntry(
            name=f"{'plain' if run % 2 else 'resnet'}{20 + 12 * (run // 2)}",
            network="net",
            data="cifar10",
            device="cpu",
            status="running",
            total_epochs=None,
            live=True,
            colour=run_colour(run),
        )
        entries.append(entry)
        futures.append(events)
    return entries, futures


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def time_panel(
    app: QApplication, frames: int, append: int
) -> tuple[list[float], list[float], tuple[int, int]]:
    """Milliseconds per frame, of each frame's redraw alone, and the plot's size."""
    from resnet_studio.gui.live_plots import CurvesPanel
    from resnet_studio.gui.runs_model import RunsModel
    from resnet_studio.training.events import StepMetrics

    entries, futures = make_entries(POINTS + frames * append)

    class Runs(RunsModel):
        def __init__(self) -> None:
            super().__init__()
            self.beginResetModel()
            self._entries = list(entries)
            self.endResetModel()

    # Each run starts with POINTS steps (and their epoch ends) already reported.
    cursors = []
    for entry, events in zip(entries, futures, strict=True):
        cut = 0
        steps = 0
        while steps < POINTS:
            steps += isinstance(events[cut], StepMetrics)
            cut += 1
        for event in events[:cut]:
            entry.apply(event)
        cursors.append(cut)

    model = Runs()
    panel = CurvesPanel(model)
    panel.timer.stop()  # frames are driven here
    panel.resize(*SIZE)
    panel.show()
    app.processEvents()
    panel.redraw_now()
    panel.plot_widget.grab()

    times, redraws = [], []
    for _ in range(frames):
        for i, (entry, events) in enumerate(zip(entries, futures, strict=True)):
            steps = 0
            cut = cursors[i]
            while steps < append:
                event = events[cut]
                steps += isinstance(event, StepMetrics)
                entry.apply(event)
                cut += 1
            cursors[i] = cut
        start = time.perf_counter()
        panel.redraw_now()
        redrawn = time.perf_counter()
        panel.plot_widget.grab()
        times.append((time.perf_counter() - start) * 1000)
        redraws.append((redrawn - start) * 1000)
    drawn = panel.curve_data(entries[0])["train"][0]
    assert len(drawn) == POINTS + frames * append, len(drawn)
    size = panel.plot_widget.size()
    panel.close()
    return times, redraws, (size.width(), size.height())


def time_curves_baseline(
    app: QApplication, frames: int, append: int, size: tuple[int, int]
) -> list[float]:
    """ms per frame of the same curves in plain pyqtgraph, downsampled and clipped to
    the view by pyqtgraph itself, in a plot of ``size``."""
    import pyqtgraph as pg
    from PySide6.QtCore import Qt

    from resnet_studio.figures.style import run_colour

    widget = pg.PlotWidget(background="w")
    widget.resize(*size)
    widget.show()
    plot = widget.getPlotItem()
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setTitle("dashed: training, solid: validation", color="#444", size="9pt")
    legend = plot.addLegend(offset=(-10, 10), labelTextColor="k")
    legend.setBrush(pg.mkBrush(255, 255, 255, 220))
    curves = []
    for run in range(RUNS):
        iteration, error, _loss = histories(run, POINTS + frames * append)
        error = error * 100
        colour = run_colour(run)
        train = plot.plot(pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine))
        name = f"{'plain' if run % 2 else 'resnet'}{20 + 12 * (run // 2)}"  # as the panel's
        val = plot.plot(pen=pg.mkPen(colour, width=2), name=name)
        every = slice(EPOCH - 1, None, EPOCH)
        curves.append(
            (train, val, iteration, error, iteration[every], np.minimum(error[every] + 3, 100))
        )
    app.processEvents()

    times = []
    for frame in range(frames + 1):  # frame 0 draws everything once, untimed
        start = time.perf_counter()
        end = POINTS + frame * append
        for train, val, iteration, error, val_x, val_y in curves:
            train.setData(iteration[:end], error[:end])
            epochs = end // EPOCH
            val.setData(val_x[:epochs], val_y[:epochs])
        widget.grab()
        if frame:
            times.append((time.perf_counter() - start) * 1000)
    widget.close()
    return times


DEPTHS = (20, 32, 44, 56, 110)
SEEDS = 3


def experiment_runs(total: int) -> list[tuple[int, str, np.ndarray, np.ndarray]]:
    """(depth, variant, iterations, seeds × steps training error) of each setting."""
    runs = []
    for d, depth in enumerate(DEPTHS):
        for v, variant in enumerate(("plain", "residual")):
            errors = [histories(2 * d + v + 10 * seed, total)[1] for seed in range(SEEDS)]
            runs.append((depth, variant, np.arange(1, total + 1.0), np.stack(errors)))
    return runs


def experiment_figure(runs, end: int):
    """Fig. 6 as the Experiments tab gets it: mean ± std over seeds of the first ``end``
    steps (training, dashed) and of every epoch's end (validation, solid)."""
    from resnet_studio.figures.figure import CurveFigure, Panel, Series
    from resnet_studio.figures.style import run_colour

    panels = {"plain": [], "residual": []}
    for depth, variant, iteration, errors in runs:
        colour = run_colour(DEPTHS.index(depth))
        x, seeds = iteration[:end], errors[:, :end] * 100
        label = f"{variant}{depth} ({depth} layers)"
        panels[variant].append(
            Series(x, seeds.mean(0), colour, label, dashed=True, spread=seeds.std(0))
        )
        every = slice(EPOCH - 1, None, EPOCH)
        val = seeds[:, every] + 3
        panels[variant].append(Series(x[every], val.mean(0), colour, spread=val.std(0)))
    return CurveFigure(
        (Panel("plain", tuple(panels["plain"])), Panel("ResNet", tuple(panels["residual"]))),
        x_label="iterations",
        y_label="error (%)",
    )


def depth_figure(runs, end: int):
    from resnet_studio.figures.figure import CurveFigure, Panel, Series

    series = []
    for variant, colour in (("plain", "#d62728"), ("residual", "#1f77b4")):
        finals = np.array([r[3][:, end - 1] * 100 for r in runs if r[1] == variant])
        series.append(
            Series(np.array(DEPTHS, float), finals.mean(1), colour, variant, markers=True,
                   spread=finals.std(1), error_bars=True)
        )  # fmt: skip
    return CurveFigure((Panel("error against depth", tuple(series)),), "depth", "error (%)")


def time_experiment_view(app: QApplication, frames: int, append: int) -> list[float]:
    """ms per frame of the Experiments tab's figures: show_figures and a real paint."""
    from resnet_studio.figures.bands import binned_figure
    from resnet_studio.gui.experiment_figures import ExperimentFigures
    from resnet_studio.gui.experiment_panel import VIEW_POINTS

    runs = experiment_runs(POINTS + (frames + 1) * append)
    view = ExperimentFigures()
    view.resize(*SIZE)
    view.show()
    depth = depth_figure(runs, POINTS)  # the runs that ended: fixed while the others train
    app.processEvents()
    times, rescaled = [], []
    for frame in range(frames + 1):  # frame 0 draws everything once, untimed
        end = POINTS + frame * append
        # Untimed, as the window makes them off its GUI thread (view_curves bins them).
        curves = binned_figure(experiment_figure(runs, end), VIEW_POINTS)
        shown = view.plain.getPlotItem().vb.viewRange()
        start = time.perf_counter()
        view.show_figures(curves, depth)
        view.plain.grab()
        view.resnet.grab()
        if frame:
            times.append((time.perf_counter() - start) * 1000)
            if view.plain.getPlotItem().vb.viewRange() != shown:
                rescaled.append(times[-1])
    view.close()
    return times, rescaled


def time_experiment_baseline(app: QApplication, frames: int, append: int) -> list[float]:
    """The same figures in plain pyqtgraph, downsampled and clipped by pyqtgraph itself."""
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QHBoxLayout, QWidget

    runs = experiment_runs(POINTS + (frames + 1) * append)
    view = QWidget()
    layout = QHBoxLayout(view)
    plots = {}
    depth = depth_figure(runs, POINTS)
    for name in ("plain", "residual", "depth"):
        widget = pg.PlotWidget(background="w")
        widget.getPlotItem().setDownsampling(auto=True, mode="peak")
        widget.getPlotItem().setClipToView(True)
        layout.addWidget(widget)
        plots[name] = widget.getPlotItem()
    view.resize(*SIZE)
    view.show()
    app.processEvents()
    times = []
    for frame in range(frames + 1):
        end = POINTS + frame * append
        curves = experiment_figure(runs, end)
        start = time.perf_counter()
        shown = zip(plots.values(), (*curves.panels, *depth.panels), strict=True)
        for plot, panel in list(shown)[: 2 if frame else 3]:  # the depth figure: once
            plot.clear()
            for series in panel.series:
                colour = pg.mkColor(series.colour)
                if series.error_bars:
                    plot.addItem(pg.ErrorBarItem(x=series.x, y=series.y, height=2 * series.spread))
                else:
                    # The band's edges as plot items too: pyqtgraph downsamples and
                    # clips them to the view, and fills between what they display.
                    edges = [
                        plot.plot(series.x, series.y + sign * series.spread, pen=None)
                        for sign in (-1, 1)
                    ]
                    band = pg.mkColor(series.colour)
                    band.setAlpha(50)
                    plot.addItem(pg.FillBetweenItem(*edges, brush=band))
                style = Qt.PenStyle.DashLine if series.dashed else Qt.PenStyle.SolidLine
                plot.plot(series.x, series.y, pen=pg.mkPen(colour, width=2, style=style))
        for plot in list(plots.values())[:2]:
            plot.getViewWidget().grab()
        if frame:
            times.append((time.perf_counter() - start) * 1000)
    view.close()
    return times


def summary(times: list[float]) -> str:
    return (
        f"median {statistics.median(times):.1f} ms/frame, p95 {percentile(times, 0.95):.1f} ms "
        f"over {len(times)} frames"
    )


def met(times: list[float], baseline: list[float]) -> tuple[float, bool]:
    """How many times faster ``times``'s median frame is than ``baseline``'s, and whether
    that and the 95th percentile meet the goal."""
    speedup = statistics.median(baseline) / statistics.median(times)
    return speedup, percentile(times, 0.95) <= GOAL_MS and speedup >= GOAL_SPEEDUP


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100, help="of the Curves tab")
    parser.add_argument("--append", type=int, default=300, help="new steps per run per frame")
    parser.add_argument("--baseline-frames", type=int, default=100)
    parser.add_argument("--view-frames", type=int, default=100, help="of the Experiments tab")
    parser.add_argument("--view-baseline-frames", type=int, default=100)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    goal = f"goal: p95 <= {GOAL_MS:.0f} ms and >= {GOAL_SPEEDUP:.0f}x faster"

    panel, redraws, size = time_panel(app, args.frames, args.append)
    baseline = time_curves_baseline(app, args.baseline_frames, args.append, size)
    redraw = statistics.median(redraws)
    speedup, curves_ok = met(panel, baseline)
    print(
        f"Curves tab, {RUNS} curves x {POINTS:,}+ points: {summary(panel)} (redraw {redraw:.1f} "
        f"ms, paint {statistics.median(panel) - redraw:.1f} ms); pyqtgraph with its own "
        f"downsampling and clipping: {summary(baseline)} -> {speedup:.1f}x faster ({goal}): "
        f"{'met' if curves_ok else 'MISSED'}"
    )
    view, rescaled = time_experiment_view(app, args.view_frames, args.append)
    view_baseline = time_experiment_baseline(app, args.view_baseline_frames, args.append)
    view_speedup, view_ok = met(view, view_baseline)
    print(
        f"Experiments tab, {len(DEPTHS)} depths x 2 x {SEEDS} seeds x {POINTS:,}+ points, "
        f"with bands: {summary(view)}; pyqtgraph with its own downsampling: "
        f"{summary(view_baseline)} -> {view_speedup:.1f}x faster ({goal}): "
        f"{'met' if view_ok else 'MISSED'}; the axes rescaled in {len(rescaled)} of "
        f"{len(view)} frames ({', '.join(f'{t:.1f}' for t in rescaled) or 'none'} ms)"
    )
    return 0 if curves_ok and view_ok else 1


if __name__ == "__main__":
    sys.exit(main())
