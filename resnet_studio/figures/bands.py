"""Mean ± standard deviation of several runs' curves (seeds of one setting), without Qt."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from resnet_studio.figures.figure import CurveFigure


@dataclass(frozen=True)
class Band:
    """Curves of ``runs`` runs on a common x: their mean and standard deviation at each x.

    ``std`` is the sample standard deviation (``ddof=1``), zero for a single run.
    """

    x: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    runs: int


def mean_band(curves: Sequence[tuple[np.ndarray, np.ndarray]]) -> Band:
    """The mean ± std of ``curves`` (each (x, y) with x increasing) where they all have data.

    Runs of one recipe report at the same x, and then nothing is interpolated.
    Otherwise the x are the union of theirs within the range every curve
    covers (a run stopped early shortens the band rather than pulling the
    mean towards its last value), each curve interpolated linearly there.
    Curves without points are left out; with none left the band is empty.
    """
    curves = [(np.asarray(x, np.float64), np.asarray(y, np.float64)) for x, y in curves]
    curves = [(x, y) for x, y in curves if len(x)]
    if not curves:
        empty = np.empty(0)
        return Band(empty, empty, empty, 0)
    first_x = curves[0][0]
    if all(len(x) == len(first_x) and np.array_equal(x, first_x) for x, _y in curves):
        common, ys = first_x, np.stack([y for _x, y in curves])
    else:
        low = max(x[0] for x, _y in curves)
        high = min(x[-1] for x, _y in curves)
        common = np.unique(np.concatenate([x[(x >= low) & (x <= high)] for x, _y in curves]))
        ys = np.stack([np.interp(common, x, y) for x, y in curves])
    std = ys.std(axis=0, ddof=1) if len(curves) > 1 else np.zeros(len(common))
    return Band(common.copy(), ys.mean(axis=0), std, len(curves))


def binned(x: np.ndarray, ys: Sequence[np.ndarray | None], bins: int) -> tuple[np.ndarray, list]:
    """``x`` and each of ``ys`` (None kept) as the means of ``bins`` equal runs of
    points: a curve of 100,000 steps drawn as 2,000 points, each the mean of its 50.
    Shorter curves come back as they are."""
    if len(x) <= bins:
        return x, list(ys)
    starts = np.linspace(0, len(x), bins + 1).astype(np.intp)[:-1]
    counts = np.diff(np.append(starts, len(x)))

    def mean(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(np.asarray(values, np.float64), starts) / counts

    return mean(x), [None if y is None else mean(y) for y in ys]


def binned_figure(figure: CurveFigure, bins: int) -> CurveFigure:
    """``figure`` with every line of more than ``bins`` points binned (see :func:`binned`):
    what a window draws of long runs, live, in a few milliseconds per frame (a band of
    100,000 points takes pyqtgraph seconds to fill)."""
    panels = []
    for panel in figure.panels:
        series = []
        for s in panel.series:
            x, (y, spread) = binned(s.x, (s.y, s.spread), bins)
            series.append(dataclasses.replace(s, x=x, y=y, spread=spread))
        panels.append(dataclasses.replace(panel, series=tuple(series)))
    return dataclasses.replace(figure, panels=tuple(panels))
