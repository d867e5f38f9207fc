"""The Evaluation tab's pictures for 100 classes (CIFAR-100): one redraw, against pyqtgraph.

Builds an evaluation report of 100 classes as a CIFAR-100 model would leave
it (10,000 test images, a strong diagonal, confusions between neighbours) with
its 64 worst-classified 32×32 RGB images, and shows one run's column of the
Evaluation tab offscreen at 900×600 (heat map and mistakes grid side by
side). Each timed frame is what the tab does when a report arrives: both
views take the report (``set_report``: colours, thumbnails) and are painted
for real (``repaint``, synchronous; their paint counters prove it).

As a baseline, in the same run, what a user would build from the same
libraries: a pyqtgraph ImageItem showing the same colours (its own fast
path for images) and a QListWidget in icon mode with the 64 thumbnails as
icons, of the same sizes, set and painted the same way.

Run: ``python bench/evaluation_tab.py [--frames 40]`` (a few seconds). Prints
the median and 95th percentile ms per redraw of both, and their ratio. Goal:
the tab's 95th percentile under 50 ms; exits 1 when it is missed.
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

GOAL_MS = 50.0
CLASSES = 100
IMAGES = 10_000
WORST = 64


def cifar100_like_report(seed: int = 0):
    """A report with CIFAR-100's shape: 100 classes × 100 test images, 64 mistakes."""
    from resnet_studio.training.evaluation import EvaluationReport, Mistake

    rng = np.random.default_rng(seed)
    confusion = np.zeros((CLASSES, CLASSES), dtype=np.int64)
    per_class = IMAGES // CLASSES
    for true in range(CLASSES):
        guesses = np.where(
            rng.random(per_class) < 0.7,
            true,
            (true + rng.integers(-5, 6, per_class)) % CLASSES,
        )
        np.add.at(confusion[true], guesses, 1)
    mistakes = []
    for i in range(WORST):
        true, predicted = int(rng.integers(CLASSES)), int(rng.integers(CLASSES))
        top = tuple((int(c), float(p)) for c, p in zip(rng.integers(CLASSES, size=5),
                                                       sorted(rng.random(5), reverse=True),
                                                       strict=True))  # fmt: skip
        image = rng.integers(0, 256, (3, 32, 32), dtype=np.uint8)
        mistakes.append(Mistake(i, true, predicted, 10.0 - i / 10, top, image))
    names = tuple(f"class_{i:02d}" for i in range(CLASSES))
    return EvaluationReport(names, "test", "cifar100", confusion, 1.0, 9000, mistakes)


def tab_frame(column, report) -> float:
    started = time.perf_counter()
    column.confusion.set_report(report)
    column.mistakes.set_report(report)
    column.confusion.repaint()
    column.mistakes.repaint()
    return time.perf_counter() - started


class Baseline:
    """pyqtgraph's ImageItem for the heat map and a QListWidget of icons for the mistakes."""

    def __init__(self, parent) -> None:
        import pyqtgraph as pg
        from PySide6.QtCore import QSize
        from PySide6.QtWidgets import QHBoxLayout, QListView, QListWidget

        self.pg = pg
        self.plot = pg.PlotWidget()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.plot.invertY(True)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(56, 56))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        layout = QHBoxLayout(parent)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.list, 2)

    def frame(self, report) -> float:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QIcon, QPixmap
        from PySide6.QtWidgets import QListWidgetItem

        from resnet_studio.gui.evaluation_views import image_of
        from resnet_studio.training.heatmap import heat_colours, row_fractions

        started = time.perf_counter()
        self.image.setImage(heat_colours(row_fractions(report.confusion)), autoLevels=False)
        self.list.clear()
        names = report.categories
        for mistake in report.mistakes:
            pixmap = QPixmap.fromImage(image_of(mistake.image)).scaled(
                56, 56, Qt.AspectRatioMode.KeepAspectRatio
            )
            QListWidgetItem(QIcon(pixmap), names[mistake.predicted], self.list)
        self.plot.repaint()
        self.plot.viewport().repaint()
        self.list.viewport().repaint()
        return time.perf_counter() - started


def summary(times: list[float]) -> tuple[float, float]:
    ms = sorted(t * 1000 for t in times)
    return statistics.median(ms), ms[min(len(ms) - 1, int(0.95 * len(ms)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=40)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from PySide6.QtWidgets import QWidget

    from resnet_studio.gui.evaluation_panel import EvaluationColumn

    reports = [cifar100_like_report(seed) for seed in range(4)]
    column = EvaluationColumn()
    column.resize(900, 600)
    column.show()
    holder = QWidget()
    holder.resize(900, 600)
    baseline = Baseline(holder)
    holder.show()
    app.processEvents()
    for report in reports[:2]:  # warm up both (fonts, caches)
        tab_frame(column, report)
        baseline.frame(report)
        app.processEvents()

    tab_times, base_times = [], []
    paints = (column.confusion.paints, column.mistakes.paints)
    for frame in range(args.frames):  # interleaved: both see the same machine load
        report = reports[frame % len(reports)]
        tab_times.append(tab_frame(column, report))
        base_times.append(baseline.frame(report))
        app.processEvents()
    painted = (column.confusion.paints - paints[0], column.mistakes.paints - paints[1])
    if min(painted) < args.frames:
        print(f"error: the views painted {painted} times in {args.frames} frames")
        return 1
    rect, cell, _ = column.confusion._geometry()
    tab_median, tab_p95 = summary(tab_times)
    base_median, base_p95 = summary(base_times)
    print(
        f"Evaluation tab, {CLASSES} classes ({rect.width():.0f} px matrix, {cell:.1f} px "
        f"cells) + {WORST} mistakes, {args.frames} redraws, each painted"
    )
    print(f"  tab:      median {tab_median:6.1f} ms, 95th percentile {tab_p95:6.1f} ms")
    print(f"  pyqtgraph ImageItem + QListWidget icons: median {base_median:6.1f} ms, "
          f"95th percentile {base_p95:6.1f} ms")  # fmt: skip
    print(f"  ratio (baseline / tab, medians): {base_median / tab_median:.1f}×")
    ok = tab_p95 < GOAL_MS
    print(f"goal: 95th percentile under {GOAL_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
