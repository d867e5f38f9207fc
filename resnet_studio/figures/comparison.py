"""The paper's Fig. 6 for any runs, as data: which lines, in which panel, in which colour.

Training curves dashed, validation solid. Either one panel with a colour
per run (in the order given), or, ``by_kind``, plain networks on the left
and residual ones on the right with one colour per depth, so that plain-20
and ResNet-20 share a colour as in the paper. Runs that differ only in
their seed can be drawn as one line, their mean, with a ± std band.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from resnet_studio.arch.inference import infer
from resnet_studio.arch.project import network_to_dict
from resnet_studio.arch.spec import Network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.arch.twin import plain_twin
from resnet_studio.figures.bands import mean_band
from resnet_studio.figures.curves import SPLITS, curve_points
from resnet_studio.figures.figure import CurveFigure, Panel, Series
from resnet_studio.figures.style import run_colour

if TYPE_CHECKING:
    from resnet_studio.training.runs import RunRecord

# Figure texts are English for the command line; the window translates them ("figures").
CAPTION = QT_TRANSLATE_NOOP("figures", "dashed: training, solid: validation")
# By is_residual, as the paper titles them.
PANEL_TITLES = {
    False: QT_TRANSLATE_NOOP("figures", "plain"),
    True: QT_TRANSLATE_NOOP("figures", "ResNet"),
}
# Recipe fields that change how a run is computed, not what it computes: runs that differ
# only in these (and the seed) are seeds of one setting.
NOT_THE_SETTING = ("seed", "device", "threads")
# Data set fields measured on the seed's sample of the images, not chosen.
MEASURED = ("mean", "std")


def is_residual(network: Network) -> bool:
    """Whether any block of ``network`` has a shortcut: it is not its own plain twin."""
    return plain_twin(network).body != network.body


def network_depth(network: Network) -> int:
    """The paper's depth: weighted layers (convolutions and linear ones), shortcuts aside."""
    return infer(network).depth


def setting_key(record: RunRecord, networks: dict[int, str] | None = None) -> str:
    """What runs of one setting share: network (node ids aside), recipe but the seed, data
    (but its normalisation, measured on the seed's sample).

    ``networks`` keeps each network's part by the object's id while its caller holds the
    records: runs of a grid share their parsed networks, and writing a network out is
    most of the key's cost.
    """
    networks = {} if networks is None else networks
    network = networks.get(id(record.network))
    if network is None:
        network = json.dumps(_without_ids(network_to_dict(record.network)), sort_keys=True)
        networks[id(record.network)] = network
    recipe = {k: v for k, v in record.recipe.to_dict().items() if k not in NOT_THE_SETTING}
    data = {k: v for k, v in record.info["dataset"].items() if k not in MEASURED}
    return network + json.dumps([recipe, data], sort_keys=True, default=str)


def _without_ids(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [_without_ids(v) for v in data]
    return data


def seed_groups(records: Sequence[RunRecord]) -> list[list[RunRecord]]:
    """``records`` gathered by :func:`setting_key`, each group where its first run stood."""
    groups: dict[str, list[RunRecord]] = {}
    networks: dict[int, str] = {}  # the records, held here, keep these ids theirs
    for record in records:
        groups.setdefault(setting_key(record, networks), []).append(record)
    return list(groups.values())


def comparison_figure(
    records: Sequence[RunRecord],
    metric: str = "error",
    x_axis: str = "epochs",
    *,
    smoothing: float = 0.0,
    by_kind: bool = False,
    group_seeds: bool = False,
    group_name: Callable[[Sequence[RunRecord]], str] | None = None,
) -> CurveFigure:
    """The curves of ``records`` (readable runs) as a figure; ``smoothing`` is the EMA
    weight of the training curves (:func:`~resnet_studio.figures.curves.smooth`);
    ``group_name`` names a line (default: its first run's name)."""
    name = group_name or (lambda group: group[0].name)
    groups = seed_groups(records) if group_seeds else [[r] for r in records]
    if by_kind:
        kinds = [is_residual(g[0].network) for g in groups]
        depths = [network_depth(g[0].network) for g in groups]
        colour_of = {d: run_colour(i) for i, d in enumerate(sorted(set(depths)))}
        panels = []
        for residual in (False, True):
            chosen = sorted(
                (i for i, kind in enumerate(kinds) if kind is residual),
                key=lambda i: (depths[i], groups[i][0].name),
            )
            series = [
                line
                for i in chosen
                for line in _lines(
                    groups[i],
                    name(groups[i]),
                    metric,
                    x_axis,
                    smoothing,
                    colour_of[depths[i]],
                    f"{depths[i]} layers",
                    depth=depths[i],
                )
            ]
            panels.append(Panel(PANEL_TITLES[residual], tuple(series)))
    else:
        series = [
            line
            for i, group in enumerate(groups)
            for line in _lines(group, name(group), metric, x_axis, smoothing, run_colour(i))
        ]
        panels = [Panel("", tuple(series))]
    return CurveFigure(
        tuple(panels),
        x_label=(
            QT_TRANSLATE_NOOP("figures", "epoch")
            if x_axis == "epochs"
            else QT_TRANSLATE_NOOP("figures", "iteration")
        ),
        y_label=(
            QT_TRANSLATE_NOOP("figures", "error (%)")
            if metric == "error"
            else QT_TRANSLATE_NOOP("figures", "loss")
        ),
        caption=CAPTION,
    )


def _lines(
    group: list[RunRecord],
    name: str,
    metric: str,
    x_axis: str,
    smoothing: float,
    colour: str,
    note: str = "",
    depth: int | None = None,
) -> list[Series]:
    """The training and validation lines of one run, or the mean of a group of seeds."""
    notes = [note] if note else []
    if len(group) > 1:
        notes.append(f"mean ± std of {len(group)} runs")
    label = name + (f" ({', '.join(notes)})" if notes else "")
    lines = []
    for split in SPLITS:
        weight = smoothing if split == "train" else 0.0
        curves = [curve_points(r, metric, x_axis, split, weight) for r in group]
        validation = split == "val"
        style = {"colour": colour, "dashed": not validation, "markers": validation, "depth": depth}
        if len(group) == 1:
            x, y = curves[0]
            lines.append(Series(x, y, label=label if validation else "", **style))
        else:
            band = mean_band(curves)
            lines.append(
                Series(
                    band.x, band.mean, label=label if validation else "", spread=band.std, **style
                )
            )
    return lines
