"""An experiment's figures, as data: Fig. 6 with bands over seeds, error against depth,
and Fig. 7 (response std per layer).

Fig. 6: plain nets in the left panel, residual ones in the right, one colour
per depth, training dashed and validation solid, each line the mean over the
seeds with a ± std band. Error against depth: final training error (solid)
and test error (dashed) by depth, one line for plain and one for residual,
with ± std bars over the seeds: the degradation result at a glance. Fig. 7:
a row per depth, each layer's response std in network order and sorted.
"""

from __future__ import annotations

import numpy as np

from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.figures.comparison import comparison_figure
from resnet_studio.figures.figure import CurveFigure, Panel, Series
from resnet_studio.figures.layers import RESPONSE_CAPTION, ResponseLine, response_figure
from resnet_studio.figures.style import run_colour
from resnet_studio.training.experiment_responses import ExperimentResponses
from resnet_studio.training.experiment_results import NetworkResult, Results

VARIANT_COLOURS = {"plain": "#d62728", "residual": "#1f77b4"}  # the paper's red and blue
# Figure texts are English for the command line; the window translates them ("figures").
DEPTH_CAPTION = QT_TRANSLATE_NOOP(
    "figures", "solid: training error, dashed: test error; bars: ± std over seeds"
)


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
    depths = sorted({float(x) for s in series for x in s.x})
    return CurveFigure(
        (Panel(QT_TRANSLATE_NOOP("figures", "error against depth"), tuple(series)),),
        x_label=QT_TRANSLATE_NOOP("figures", "depth (layers)"),
        y_label=QT_TRANSLATE_NOOP("figures", "error (%)"),
        caption=DEPTH_CAPTION,
        x_ticks=tuple(depths) or None,  # the depths trained, as the paper labels them
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


def experiment_response_figure(responses: ExperimentResponses, mode: str = "eval") -> CurveFigure:
    """Fig. 7 of the experiment: a row per depth (network order | sorted), plain red and
    residual blue (other networks of that depth in further colours), mean ± std over
    seeds."""
    rows: dict[tuple, list] = {}
    for network in responses.networks:
        cell = network.network.cells[0]
        key = (cell.depth is None, cell.depth or 0, cell.base if cell.depth is None else "")
        rows.setdefault(key, []).append(network)
    figure_rows = []
    for key in sorted(rows):
        networks = rows[key]
        variants = [n.network.variant for n in networks]
        lines = []
        for i, network in enumerate(networks):
            variant = network.network.variant
            colour = VARIANT_COLOURS[variant] if variants.count(variant) == 1 else run_colour(i + 2)
            seeds = tuple(np.array(v, np.float64) for v in network.seeds(mode))
            if seeds:
                lines.append(ResponseLine(network.name, colour, seeds))
        depth = networks[0].network.depth
        title = f"{depth} layers" if depth is not None else networks[0].network.cells[0].base
        figure_rows.append((title, lines))
    images = f", {responses.images:,} validation images" if responses.images else ""
    return response_figure(figure_rows, f"{RESPONSE_CAPTION}; {mode} mode{images}")
