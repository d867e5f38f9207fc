"""An experiment's results: the paper's Table 6 by depth, mean ± std over seeds, and a verdict.

Training error is the paper's measure of degradation: a deeper plain net that
trains *worse* than a shallower one cannot be explained by overfitting. Each
cell's final training error is its last epoch's average; "best" is the lowest
epoch average. The verdict compares depths pairwise (each depth with the next,
and the shallowest with the deepest) and says how far the difference stands
out of the spread over seeds. Torch-free.
"""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from resnet_studio.training.experiment import Cell, Experiment, cell_status
from resnet_studio.training.runs import (
    METRICS_FILE,
    RUN_FILE,
    RunFolderError,
    RunRecord,
    read_run,
)

# A run whose training error fell more than this (absolute, error as a fraction)
# over its last quarter was still learning fast: its final error says little about
# where it would converge.
STILL_FALLING = 0.03


@dataclass
class Stat:
    """Values over seeds: mean, sample std (0 for one value) and how many."""

    values: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.values) if self.values else None

    @property
    def std(self) -> float:
        return statistics.stdev(self.values) if len(self.values) > 1 else 0.0

    def percent(self) -> str:
        """``63.1%`` for one value, ``63.1 ± 0.8%`` for several, ``-`` for none."""
        if not self.values:
            return "-"
        if self.n == 1:
            return f"{100 * self.mean:.1f}%"
        return f"{100 * self.mean:.1f} ± {100 * self.std:.1f}%"


@dataclass
class NetworkResult:
    """One network of the grid (a depth, a variant, a width…) over its seeds."""

    network: str
    cells: list[Cell]
    final_train: Stat = field(default_factory=Stat)
    best_train: Stat = field(default_factory=Stat)
    final_val: Stat = field(default_factory=Stat)
    test: Stat = field(default_factory=Stat)
    seconds: Stat = field(default_factory=Stat)
    params: int | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    still_falling: list[str] = field(default_factory=list)  # cells still learning fast

    @property
    def depth(self) -> int | None:
        return self.cells[0].depth

    @property
    def variant(self) -> str:
        return self.cells[0].variant


@dataclass
class Results:
    """What an experiment found so far."""

    experiment: Experiment
    networks: list[NetworkResult]
    records: dict[str, RunRecord | None]  # by cell key; None: not started

    def by_variant(self, variant: str) -> list[NetworkResult]:
        return [n for n in self.networks if n.variant == variant]


# Runs that have ended, as read, by folder: a window reads a running experiment again
# every few seconds, and of a thousand runs most have ended and not changed since.
_ENDED: dict[Path, tuple[tuple, RunRecord]] = {}
_MAX_ENDED = 20_000
# What a run's record is read from; a change to any of them reads it again.
_RUN_FILES = (RUN_FILE, METRICS_FILE)


def _files_now(folder: Path) -> tuple | None:
    """Size, time and identity of the files a record is read from; None if unreadable."""
    try:
        stats = [os.stat(folder / name) for name in _RUN_FILES]
    except OSError:
        return None
    return tuple((s.st_ino, s.st_size, s.st_mtime_ns) for s in stats)


def read_cell(folder: Path) -> RunRecord | None:
    """The run at ``folder`` (None when there is none), from :data:`_ENDED` when it had
    ended when last read and its files have not changed since. A running run is always
    read again: whether its process still lives is not in its files."""
    if not folder.exists():
        return None
    files = _files_now(folder)
    kept = _ENDED.get(folder)
    if files is not None and kept is not None and kept[0] == files:
        return kept[1]
    try:
        record = read_run(folder, damaged_ok=True)
    except RunFolderError:
        return None
    if files is not None and record.status not in ("running", "created"):
        if len(_ENDED) >= _MAX_ENDED:
            _ENDED.clear()
        _ENDED[folder] = (files, record)
    return record


def read_results(experiment: Experiment) -> Results:
    """Read every cell's run folder (a damaged or missing one counts as not done)."""
    records: dict[str, RunRecord | None] = {
        cell.key: read_cell(experiment.cell_dir(cell)) for cell in experiment.cells
    }
    groups: dict[str, list[Cell]] = {}
    for cell in experiment.cells:
        groups.setdefault(cell.network, []).append(cell)
    # A cell without a run folder is queued, or failed before it could make one.
    statuses = {
        cell.key: cell_status(experiment, cell)[0]
        for cell in experiment.cells
        if records.get(cell.key) is None
    }
    networks = [_network_result(name, cells, records, statuses) for name, cells in groups.items()]
    networks.sort(key=lambda n: (n.depth or 0, n.cells[0].width, n.variant, n.network))
    return Results(experiment, networks, records)


def _network_result(
    name: str,
    cells: list[Cell],
    records: dict[str, RunRecord | None],
    statuses: dict[str, str],
) -> NetworkResult:
    result = NetworkResult(name, cells)
    for cell in cells:
        record = records.get(cell.key)
        status = record.status if record else statuses[cell.key]
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if record is None or record.damaged or status != "finished" or not record.epochs:
            continue
        epochs = record.epochs
        result.final_train.values.append(epochs[-1].train_error)
        result.best_train.values.append(min(e.train_error for e in epochs))
        result.final_val.values.append(epochs[-1].val_error)
        if record.test_error is not None:
            result.test.values.append(record.test_error)
        result.seconds.values.append(sum(e.seconds for e in epochs))
        if result.params is None:
            result.params = _params(record)
        if _still_falling(record):
            result.still_falling.append(cell.key)
    return result


def _params(record: RunRecord) -> int | None:
    from resnet_studio.arch.inference import infer

    try:
        return infer(record.network).total_params
    except (RunFolderError, ValueError):
        return None


def _still_falling(record: RunRecord) -> bool:
    """Whether training error fell more than :data:`STILL_FALLING` in the last quarter."""
    steps = record.steps
    if len(steps) < 4:
        epochs = record.epochs
        if len(epochs) < 2:
            return True  # too short to tell: say so
        return epochs[-2].train_error - epochs[-1].train_error > STILL_FALLING
    end = steps[-1].iteration
    quarter = [s for s in steps if s.iteration >= 0.75 * end]
    before = [s for s in steps if 0.5 * end <= s.iteration < 0.75 * end] or steps[:1]
    return (
        statistics.fmean(s.error for s in before) - statistics.fmean(s.error for s in quarter)
        > STILL_FALLING
    )


# --- the verdict ----------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """A deeper network's training error against a shallower one's (same variant)."""

    variant: str
    shallow: NetworkResult
    deep: NetworkResult

    @property
    def difference(self) -> float:
        """Deep minus shallow final training error (positive: the deeper trains worse)."""
        return self.deep.final_train.mean - self.shallow.final_train.mean

    @property
    def spread(self) -> float | None:
        """The standard error of the difference over seeds; None with one seed each."""
        a, b = self.shallow.final_train, self.deep.final_train
        if a.n < 2 or b.n < 2:
            return None
        return math.sqrt(a.std**2 / a.n + b.std**2 / b.n)

    @property
    def clear(self) -> bool:
        """Whether the difference stands out of the seeds' spread (twice its standard
        error); with one seed each there is no spread to judge by."""
        spread = self.spread
        return spread is not None and abs(self.difference) > 2 * spread


def comparisons(results: Results) -> list[Comparison]:
    """Each depth against the next deeper one, and the shallowest against the deepest."""
    found = []
    for variant in ("plain", "residual"):
        done = [n for n in results.by_variant(variant) if n.final_train.n and n.depth]
        groups: dict[tuple, list[NetworkResult]] = {}
        for n in done:  # compare within one width and shortcut option
            groups.setdefault((n.cells[0].width, n.cells[0].shortcut), []).append(n)
        for nets in groups.values():
            nets.sort(key=lambda n: n.depth)
            pairs = list(zip(nets, nets[1:], strict=False))
            if len(nets) > 2:
                pairs.append((nets[0], nets[-1]))
            found += [Comparison(variant, a, b) for a, b in pairs]
    return found


def _points(value: float) -> str:
    return f"{100 * value:+.1f} points"


def verdict(results: Results) -> list[str]:
    """The findings in words, one sentence a line."""
    lines = []
    for c in comparisons(results):
        spread = c.spread
        if spread is None:
            told = f"{_points(c.difference)} (one seed: no spread to judge by)"
        else:
            seeds = min(c.shallow.final_train.n, c.deep.final_train.n)
            told = f"{_points(c.difference)} (± {100 * spread:.1f} over {seeds} seeds)"
        names = f"{c.deep.network} vs {c.shallow.network}"
        worse = c.difference > 0
        if spread is not None and not c.clear:
            finding = "within the spread"
        elif c.variant == "plain":
            finding = "degradation" if worse else "no degradation"
        else:
            finding = "residual degrades" if worse else "residual holds"
        trains = "trains worse" if worse else "trains no worse"
        lines.append(
            f"{finding}: {names}: the deeper {c.variant} net {trains}, training error {told}"
        )
    for residual in results.by_variant("residual"):
        plain = next(
            (
                p
                for p in results.by_variant("plain")
                if p.depth == residual.depth
                and p.cells[0].width == residual.cells[0].width
                and p.final_train.n
            ),
            None,
        )
        if plain is None or not residual.final_train.n or residual.depth is None:
            continue
        gap = residual.final_train.mean - plain.final_train.mean
        better = "below" if gap < 0 else "not below"
        lines.append(
            f"depth {residual.depth}: residual training error {better} plain, {_points(gap)}"
        )
    falling = sorted(key for n in results.networks for key in n.still_falling)
    if falling:
        shown = ", ".join(falling[:4]) + (
            f" and {len(falling) - 4} more" if len(falling) > 4 else ""
        )
        lines.append(
            f"warning: training error was still falling fast at the end of {shown}: these "
            "runs are too short to compare converged networks; train longer (--iterations, "
            "--budget) to be sure"
        )
    return lines


# --- the table ---------------------------------------------------------------------

HEADER = ("network", "runs", "train err", "best train", "val err", "test err", "params", "time")


def table_rows(results: Results) -> list[list[str]]:
    """One row per network, in depth order: Table 6's columns, mean ± std over seeds."""
    rows = []
    for n in results.networks:
        done = n.final_train.n
        runs = f"{done}/{len(n.cells)}"
        rows.append(
            [
                n.network,
                runs,
                n.final_train.percent(),
                n.best_train.percent(),
                n.final_val.percent(),
                n.test.percent(),
                f"{n.params:,}" if n.params is not None else "-",
                _duration(n.seconds.mean) if n.seconds.n else "-",
            ]
        )
    return rows


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def status_counts(results: Results) -> dict[str, int]:
    counts: dict[str, int] = {}
    for n in results.networks:
        for status, count in n.statuses.items():
            counts[status] = counts.get(status, 0) + count
    return counts


def markdown(rows: Iterable[list[str]]) -> str:
    """The table as Markdown."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
