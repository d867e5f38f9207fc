"""An experiment's figures, as data: Fig. 6 with bands over seeds, and error against depth.

Fig. 6: plain nets in the left panel, residual ones in the right, one colour
per depth, training dashed and validation solid, each line the mean over the
seeds with a ± std band. Error against depth: final training error (solid)
and test error (dashed) by depth, one line for plain and one for residual,
with ± std bars over the seeds: the degradation result at a glance.
"""

from __future__ import annotations

import numpy as np

from resnet_studio.figures.comparison import comparison_figure
from resnet_studio.figures.figure import CurveFigure, Panel, Series
from resnet_studio.training.experiment_results import NetworkResult, Results

VARIANT_COLOURS = {"plain": "#d62728", "residual": "#1f77b4"}  # the paper's red and blue
DEPTH_CAPTION = "solid: training error, dashed: test error; bars: ± std over seeds"


def experiment_curves(
    results: Results, metric: str = "error", x_axis: str = "iterations", smoothing: float = 0.0
) -> CurveFigure:
    """Fig. 6 of the finished runs: plain | residual, one colour per depth, mean ± std."""
    records = [
        record
        for record in results.records.values()
        if record is not None and not record.damaged and record.epochs
    ]
    network_of = {key: cell.network for cell in results.experiment.cells for key in [cell.key]}
    return comparison_figure(
        records,
        metric,
        x_axis,
        smoothing=smoothing,
        by_kind=True,
        group_seeds=True,
        group_name=lambda group: network_of.get(group[0].path.name, group[0].name),
    )


def depth_figure(results: Results) -> CurveFigure:
    """Final training and test error against depth, plain and residual, ± std over seeds."""
    series = []
    for variant in ("plain", "residual"):
        nets = [n for n in results.by_variant(variant) if n.depth and n.final_train.n]
        nets.sort(key=lambda n: n.depth)
        if not nets:
            continue
        colour = VARIANT_COLOURS[variant]
        depths = np.array([n.depth for n in nets], np.float64)
        label = "ResNet" if variant == "residual" else "plain"
        series.append(_line(depths, nets, "final_train", colour, label, dashed=False))
        tested = [n for n in nets if n.test.n]
        if tested:
            x = np.array([n.depth for n in tested], np.float64)
            series.append(_line(x, tested, "test", colour, "", dashed=True))
    return CurveFigure(
        (Panel("error against depth", tuple(series)),),
        x_label="depth (layers)",
        y_label="error (%)",
        caption=DEPTH_CAPTION,
    )


def _line(
    x: np.ndarray, nets: list[NetworkResult], stat: str, colour: str, label: str, dashed: bool
) -> Series:
    values = [getattr(n, stat) for n in nets]
    y = 100 * np.array([v.mean for v in values])
    spread = 100 * np.array([v.std for v in values])
    return Series(
        x, y, colour, label=label, dashed=dashed, markers=True, spread=spread, error_bars=True
    )
