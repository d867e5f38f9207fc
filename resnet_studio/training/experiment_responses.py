"""An experiment's Fig. 7: the response std of each 3×3 layer, plain against residual.

Each finished cell's run wrote ``responses.json`` (the final model, both
BatchNorm modes; see :mod:`resnet_studio.training.responses`). Here they are
gathered by network, over seeds, for the figure, the CSV and a verdict: the
share of layers where the residual net's response std, averaged over seeds,
is lower than the plain net's of the same depth and width (the paper: "residual
functions might be generally closer to zero than the non-residual functions").
Torch-free.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from resnet_studio.training.experiment import Cell
from resnet_studio.training.experiment_results import NetworkResult, Results
from resnet_studio.training.response_file import (
    RecordedResponses,
    ResponsesFileError,
    read_responses,
)

CSV_HEADER = (
    "network",
    "depth",
    "variant",
    "width",
    "seed",
    "cell",
    "mode",
    "layer",
    "path",
    "response_std",
)


@dataclass
class NetworkResponses:
    """The recorded responses of one network's finished cells (its seeds)."""

    network: NetworkResult
    runs: list[tuple[Cell, RecordedResponses]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.network.network

    def seeds(self, mode: str) -> list[tuple[float, ...]]:
        """Each run's values in ``mode`` (runs without that mode left out)."""
        return [r.stds[mode] for _cell, r in self.runs if mode in r.stds]

    def layer_means(self, mode: str) -> list[float]:
        """The mean over seeds of each layer's value (NaN where a seed has none);
        runs of another layer count than the first are left out."""
        seeds = self.seeds(mode)
        if not seeds:
            return []
        seeds = [s for s in seeds if len(s) == len(seeds[0])]
        means = []
        for values in zip(*seeds, strict=True):
            finite = [v for v in values if math.isfinite(v)]
            means.append(statistics.fmean(finite) if finite else math.nan)
        return means


@dataclass
class ExperimentResponses:
    """Fig. 7 of an experiment: the networks with recorded responses, in the table's order."""

    networks: list[NetworkResponses]
    unreadable: list[str]  # one line per damaged responses.json
    missing: list[str]  # finished cells without one (runs made before it was recorded)
    images: int  # images each value was measured on (the first run's)

    def by_variant(self, variant: str) -> list[NetworkResponses]:
        return [n for n in self.networks if n.network.variant == variant]


def read_experiment_responses(results: Results) -> ExperimentResponses:
    """The responses.json of every finished cell of ``results``."""
    networks, unreadable, missing = [], [], []
    images = 0
    for network in results.networks:
        found = NetworkResponses(network)
        for cell in network.cells:
            record = results.records.get(cell.key)
            if record is None or record.damaged or record.status != "finished":
                continue
            try:
                recorded = read_responses(results.experiment.cell_dir(cell))
            except ResponsesFileError as err:
                unreadable.append(str(err))
                continue
            if recorded is None:
                missing.append(cell.key)
                continue
            found.runs.append((cell, recorded))
            images = images or recorded.images
        if found.runs:
            networks.append(found)
    return ExperimentResponses(networks, unreadable, missing, images)


def response_rows(responses: ExperimentResponses, mode: str) -> list[list[str]]:
    """One CSV row per layer of each run (:data:`CSV_HEADER`), in the table's order."""
    rows = []
    for network in responses.networks:
        for cell, recorded in network.runs:
            if mode not in recorded.stds:
                continue
            for i, (path, value) in enumerate(
                zip(recorded.paths, recorded.stds[mode], strict=True), start=1
            ):
                rows.append(
                    [
                        network.name,
                        "" if cell.depth is None else str(cell.depth),
                        cell.variant,
                        f"{cell.width:g}",
                        str(cell.seed),
                        cell.key,
                        mode,
                        str(i),
                        path,
                        repr(value) if math.isfinite(value) else "",
                    ]
                )
    return rows


def _twin_of(residual: NetworkResponses, responses: ExperimentResponses):
    """The plain network of ``residual``'s depth and width, when it has responses."""
    cell = residual.network.cells[0]
    return next(
        (
            p
            for p in responses.by_variant("plain")
            if p.network.depth == residual.network.depth
            and p.network.cells[0].width == cell.width
            and p.network.cells[0].base == cell.base
        ),
        None,
    )


def response_verdict(responses: ExperimentResponses, mode: str) -> list[str]:
    """For each residual net with a plain twin: in what share of the 3×3 layers its
    response std (mean over seeds) is lower, one sentence a line."""
    lines = []
    for residual in responses.by_variant("residual"):
        plain = _twin_of(residual, responses)
        if plain is None:
            continue
        res, pla = residual.layer_means(mode), plain.layer_means(mode)
        names = f"{residual.name} vs {plain.name}"
        where = (
            f"at depth {residual.network.depth}"
            if residual.network.depth is not None
            else f"for {residual.name}"
        )
        if len(res) != len(pla) or not res:
            lines.append(
                f"response std {where}: not compared ({names} have {len(res)} and "
                f"{len(pla)} 3×3 layers)"
            )
            continue
        pairs = [(r, p) for r, p in zip(res, pla, strict=True) if math.isfinite(r + p)]
        if not pairs:
            continue
        lower = sum(r < p for r, p in pairs)
        seeds = min(len(residual.seeds(mode)), len(plain.seeds(mode)))
        spread = f"means over {seeds} seeds, " if seeds > 1 else ""
        lines.append(
            f"response std: the residual net is lower in {100 * lower / len(pairs):.0f}% of "
            f"layers {where} ({names}: {lower} of {len(pairs)} 3×3 layers; average std "
            f"{statistics.fmean(r for r, _ in pairs):.2f} vs "
            f"{statistics.fmean(p for _, p in pairs):.2f}; {spread}{mode} mode)"
        )
    if responses.missing:
        shown = ", ".join(responses.missing[:3]) + (
            f" and {len(responses.missing) - 3} more" if len(responses.missing) > 3 else ""
        )
        lines.append(
            f"response std: not recorded for {shown} (trained before runs recorded it); "
            "measure one with: resnet-studio responses RUNDIR"
        )
    lines += [f"response std: unreadable: {message}" for message in responses.unreadable]
    return lines
