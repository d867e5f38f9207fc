"""Per-layer statistics of a run as curve data (the paper's Fig. 7), without Qt.

The engine records, at the end of an epoch, each 3×3 layer's response std
(its BatchNorm output, before the ReLU or the addition; see
:mod:`resnet_studio.training.responses`) and each conv/linear weight's
gradient norm, in the order of the model's modules. The paper plots the
response std in network order and ranked in descending order:
:func:`response_figure` draws that for several networks, each over its seeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from resnet_studio.figures.bands import mean_band
from resnet_studio.figures.figure import CurveFigure, Panel, Series

if TYPE_CHECKING:
    from resnet_studio.figures.curves import History
    from resnet_studio.training.events import EpochEnd

RESPONSE_STD = "response_std"
GRAD_NORM = "grad_norm"
LAYER_METRICS = (RESPONSE_STD, GRAD_NORM)


def stats_epochs(history: History) -> list[EpochEnd]:
    """The epoch ends of ``history`` that carry layer statistics, in order."""
    return [e for e in history.epochs if e.layer_stats]


def layer_values(
    epoch: EpochEnd, metric: str, ranked: bool = False
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(layer paths, x, y) of one epoch's ``metric``: x counts layers from 1.

    Layers without a value for ``metric`` are left out. In network order, or
    ``ranked``: largest first (a NaN last), the paths following their values.
    """
    if metric not in LAYER_METRICS:
        raise ValueError(f"unknown layer metric {metric!r}; one of {', '.join(LAYER_METRICS)}")
    pairs = [(s.path, getattr(s, metric)) for s in epoch.layer_stats]
    pairs = [(path, float(v)) for path, v in pairs if v is not None]
    paths = [p for p, _v in pairs]
    y = np.array([v for _p, v in pairs], dtype=np.float64)
    if ranked:
        order = np.argsort(-y, kind="stable")  # NaN sorts last
        y = y[order]
        paths = [paths[i] for i in order]
    return paths, np.arange(1, len(y) + 1, dtype=np.float64), y


# --- Fig. 7 of several networks, each over its seeds ----------------------------------

RESPONSE_CAPTION = "response std of each 3×3 layer (after BN, before addition and ReLU)"


@dataclass(frozen=True)
class ResponseLine:
    """One network's response std per layer, one array per seed (network order)."""

    label: str
    colour: str
    seeds: tuple[np.ndarray, ...]


def response_series(line: ResponseLine, ranked: bool) -> Series:
    """``line`` in network order, or ``ranked`` (each seed's values largest first, then
    averaged rank by rank: the shape of the distribution, as the paper's Fig. 7 bottom);
    with several seeds the mean ± std over them."""
    curves = []
    for values in line.seeds:
        y = np.asarray(values, np.float64)
        if ranked:
            y = -np.sort(-y, kind="stable")  # NaN last
        curves.append((np.arange(1, len(y) + 1, dtype=np.float64), y))
    label = line.label + (f" (mean ± std of {len(curves)} runs)" if len(curves) > 1 else "")
    if len(curves) == 1:
        x, y = curves[0]
        return Series(x, y, line.colour, label=label, markers=True)
    band = mean_band(curves)
    return Series(band.x, band.mean, line.colour, label=label, markers=True, spread=band.std)


def response_figure(
    rows: Sequence[tuple[str, Sequence[ResponseLine]]], caption: str = RESPONSE_CAPTION
) -> CurveFigure:
    """Fig. 7: for each (title, lines) a row of two panels, the response std in network
    order (left) and sorted in descending order (right). The two panels of a row share
    their ranges; each row has its own (deeper nets have more layers)."""
    panels = []
    for title, lines in rows:
        prefix = f"{title}: " if title else ""
        for ranked, what in ((False, "network order"), (True, "sorted")):
            series = tuple(response_series(line, ranked) for line in lines)
            panels.append(Panel(prefix + what, series))
    return CurveFigure(
        tuple(panels),
        x_label="layer index",
        y_label="response std",
        caption=caption,
        columns=2,
        ranges_by_row=True,
    )
