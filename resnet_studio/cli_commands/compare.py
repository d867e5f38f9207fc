"""``resnet-studio compare``: a table of runs and a Fig. 6 style plot of their curves.

A damaged run (run.json unreadable, or a field of the wrong type) is a row with
status ``damaged`` and its reason below the table; the others are compared as
usual. What reading skipped (damaged metrics lines) is noted there too. The
plot comes from :mod:`resnet_studio.figures`, as the window's curves do.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from resnet_studio.cli_commands.common import CommandError, check_writable, format_table

if TYPE_CHECKING:  # imported when the command runs: every command starts fast
    from resnet_studio.training.runs import RunRecord

METRIC_SHORT = {"error": "err", "loss": "loss"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare runs: a table of errors and a plot of their curves",
        description="Print final and best errors (or losses) of each run and draw their "
        "curves like the paper's Fig. 6: training dashed, validation solid, one colour per run.",
        epilog="A run stopped before its first epoch ended shows the training error of its "
        "last logged steps. A damaged run (its run.json unreadable, or a field of the wrong "
        "type) is listed with status 'damaged' and the reason below the table, and left out "
        "of the plot. Exit status: 0 when at least one run could be read, 1 when none could, "
        "2 for a mistake (a folder that is no run folder, a plot file that cannot be written).",
    )
    parser.add_argument("runs", nargs="+", metavar="RUNDIR", help="run folders")
    parser.add_argument("-o", "--output", metavar="PLOT", help="save the plot (.png, .svg or .pdf)")
    parser.add_argument(
        "--metric",
        choices=("error", "loss"),
        default="error",
        help="what the table and the plot show (default: error)",
    )
    parser.add_argument(
        "--x",
        dest="x_axis",
        choices=("epochs", "iterations"),
        default="epochs",
        help="x axis of the plot (default: epochs)",
    )
    parser.add_argument(
        "--panels",
        action="store_true",
        help="plot plain networks left and residual ones right, one colour per depth "
        "(plain-20 and ResNet-20 alike), as the paper's Fig. 6",
    )
    parser.add_argument(
        "--smooth",
        metavar="W",
        default="0",
        help="smooth the training curves by an exponential moving average of weight W, "
        "from 0 (off, the default) to below 1 (0.9: each point 10%% new)",
    )
    parser.add_argument(
        "--mean-seeds",
        action="store_true",
        help="plot runs that differ only in their seed as one line, their mean, with a ± std band",
    )
    parser.set_defaults(func=run)


def parse_smoothing(text: str) -> float:
    """``--smooth W``: a weight from 0 to below 1."""
    try:
        weight = float(text)
    except ValueError:
        weight = math.nan
    if not 0 <= weight < 1:
        raise CommandError(
            f"--smooth: expected a weight from 0 to below 1 (e.g. 0.9), got {text!r}"
        )
    return weight


def run(args: argparse.Namespace) -> int:
    from resnet_studio.figures.render import plot_format
    from resnet_studio.training.runs import RunFolderError, adaptations, read_run

    smoothing = parse_smoothing(args.smooth)
    if args.output:
        try:
            plot_format(args.output)
        except ValueError:
            raise CommandError(
                f"-o {args.output}: a plot is saved as .png, .svg or .pdf "
                "(the file name says which)"
            ) from None
    records = []
    for path in args.runs:
        try:  # a damaged run is a row; a folder that is no run folder is a mistake
            records.append(read_run(path, damaged_ok=True))
        except RunFolderError as err:
            raise CommandError(str(err)) from None
    if args.output:
        check_writable(Path(args.output))

    readable = [r for r in records if not r.damaged]
    print("\n".join(table(records, args.metric)))
    for record in records:
        if record.damaged:
            print(f"{record.path}: damaged: {record.damaged}")
        for note in record.notes:
            print(f"note: {record.path}: {note}")
        if not record.damaged and record.initial_weights:  # fine-tuned: not from scratch
            how = "".join(f" ({what})" for what in adaptations(record.info))
            print(f"note: {record.path}: started from the weights of {record.initial_weights}{how}")
        if not record.damaged and not record.epochs and record.steps:
            print(
                f"note: {record.path}: no epoch finished; train {METRIC_SHORT[args.metric]} "
                f"is that of its last logged steps, up to iteration {record.steps[-1].iteration:,}"
            )

    if not readable:
        return 1  # nothing to compare; each reason is above
    if args.output:
        from resnet_studio.figures.comparison import comparison_figure
        from resnet_studio.figures.render import save_figure

        figure = comparison_figure(
            readable,
            args.metric,
            args.x_axis,
            smoothing=smoothing,
            by_kind=args.panels,
            group_seeds=args.mean_seeds,
        )
        save_figure(figure, args.output)
        print(f"wrote {args.output}")
    return 0


def table(records: Sequence[RunRecord], metric: str) -> list[str]:
    """The table's lines: a row per run, its errors (or losses) final and best."""
    short = METRIC_SHORT[metric]
    header = [
        "run",
        "data",
        "status",
        "epochs",
        f"train {short}",
        "best train",
        f"val {short}",
        "best val",
        f"test {short}",
        "time",
        "params",
    ]
    data = short_data_names([_data_name(r) for r in records], Path.cwd())
    rows = [_row(record, metric, name) for record, name in zip(records, data, strict=True)]
    return format_table(header, rows, right=set(range(3, 11)))


def _data_name(record: RunRecord) -> str:
    return "-" if record.damaged else str(record.info["dataset"]["name"])


def _row(record: RunRecord, metric: str, data: str) -> list[str]:
    """One run's cells; a damaged run has its name and status only."""
    from resnet_studio.training.run_summary import (
        format_params,
        format_seconds,
        format_value,
        network_params,
        summarize,
    )

    if record.damaged:
        return [record.name, "-", "damaged", *["-"] * 8]
    summary = summarize(record.history, metric)
    return [
        record.name,
        data,
        record.status,
        summary.done,
        format_value(summary.final_train, metric),
        format_value(summary.best_train, metric),
        format_value(summary.final_val, metric),
        format_value(summary.best_val, metric),
        format_value(_test_value(record, metric), metric),
        format_seconds(summary.seconds),
        format_params(network_params(record.network)),
    ]


def _test_value(record: RunRecord, metric: str) -> float | None:
    """The final model's error or loss on the test split; None when it was not evaluated."""
    if metric == "error":
        return record.test_error
    test = record.info.get("test")
    loss = test.get("loss") if isinstance(test, dict) else None
    return float(loss) if isinstance(loss, int | float) and not isinstance(loss, bool) else None


def short_data_names(names: Sequence[str], cwd: Path) -> list[str]:
    """Data set names as the table shows them: a folder by the shortest of its path
    relative to ``cwd`` and ``…/`` with its last parts, as many as tell the table's
    folders apart (``folder:…/cifar10-subset``); other names as they are."""
    from resnet_studio.training.dataset_info import FOLDER_PREFIX

    paths = {n: PurePath(n[len(FOLDER_PREFIX) :]) for n in names if n.startswith(FOLDER_PREFIX)}
    distinct = set(paths.values())
    parts = 1
    while len({p.parts[-parts:] for p in distinct}) < len(distinct):
        parts += 1  # ends at the longest path's length at worst: whole paths differ
    shown = []
    for name in names:
        path = paths.get(name)
        if path is None:
            shown.append(name)
            continue
        choices = [str(path)]
        try:
            choices.append(os.path.relpath(path, cwd))
        except ValueError:  # another drive (Windows): no relative path
            pass
        if len(path.parts) > parts + 1:  # "…/a" only where it leaves something out
            choices.append(os.path.join("…", *path.parts[-parts:]))
        shown.append(FOLDER_PREFIX + min(choices, key=len))  # the first of equals: a real path
    return shown
