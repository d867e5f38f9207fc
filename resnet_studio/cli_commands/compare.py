"""``resnet-studio compare``: a table of runs and a Fig. 6 style plot of their curves.

A damaged run (run.json unreadable, or a field of the wrong type) is a row with
status ``damaged`` and its reason below the table; the others are compared as
usual. What reading skipped (damaged metrics lines) is noted there too.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from resnet_studio.cli_commands.common import CommandError, check_writable, format_table

if TYPE_CHECKING:  # imported when the command runs: every command starts fast
    from resnet_studio.training.runs import RunRecord

# The same as gui.curves.PLOT_FORMATS: checked here before Qt is imported.
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare runs: a table of errors and a plot of their curves",
        description="Print final and best errors of each run and draw their curves like the "
        "paper's Fig. 6: training dashed, validation solid, one colour per run.",
        epilog="A damaged run (its run.json unreadable, or a field of the wrong type) is "
        "listed with status 'damaged' and the reason below the table, and left out of the "
        "plot. Exit status: 0 when at least one run could be read, 1 when none could, 2 for "
        "a mistake (a folder that is no run folder, a plot file that cannot be written).",
    )
    parser.add_argument("runs", nargs="+", metavar="RUNDIR", help="run folders")
    parser.add_argument("-o", "--output", metavar="PLOT", help="save the plot (.png, .svg or .pdf)")
    parser.add_argument("--metric", choices=("error", "loss"), default="error")
    parser.add_argument(
        "--x",
        dest="x_axis",
        choices=("epochs", "iterations"),
        default="epochs",
        help="x axis of the plot (default: epochs)",
    )
    parser.set_defaults(func=run)


def _percent(value: float | None) -> str:
    """An error as a percentage; "-" for none, or for a value no error can be (NaN, 7)."""
    return f"{value:.2%}" if value is not None and 0 <= value <= 1 else "-"


def run(args: argparse.Namespace) -> int:
    from resnet_studio.training.runs import RunFolderError, read_run

    if args.output and Path(args.output).suffix.lower() not in PLOT_SUFFIXES:
        raise CommandError(
            f"-o {args.output}: a plot is saved as {', '.join(PLOT_SUFFIXES)} "
            f"(the file name says which)"
        )
    records = []
    for path in args.runs:
        try:  # a damaged run is a row; a folder that is no run folder is a mistake
            records.append(read_run(path, damaged_ok=True))
        except RunFolderError as err:
            raise CommandError(str(err)) from None
    if args.output:
        check_writable(Path(args.output))

    readable = [r for r in records if not r.damaged]
    header = [
        "run",
        "data",
        "status",
        "epochs",
        "train err",
        "best train",
        "val err",
        "best val",
        "test err",
        "time",
        "params",
    ]
    rows = [_row(record) for record in records]
    print("\n".join(format_table(header, rows, right=set(range(3, 11)))))
    for record in records:
        if record.damaged:
            print(f"{record.path}: damaged: {record.damaged}")
        for note in record.notes:
            print(f"note: {record.path}: {note}")

    if not readable:
        return 1  # nothing to compare; each reason is above
    if args.output:
        _save_plot(readable, args)
        print(f"wrote {args.output}")
    return 0


def _row(record: RunRecord) -> list[str]:
    """One run's cells; a damaged run has its name and status only."""
    from resnet_studio.arch.inference import infer

    if record.damaged:
        return [record.name, "-", "damaged", *["-"] * 8]
    epochs = record.epochs
    last = epochs[-1] if epochs else None
    seconds = sum(e.seconds for e in epochs)
    return [
        record.name,
        record.info["dataset"]["name"],
        record.status,
        str(last.epoch if last else 0),
        _percent(last.train_error if last else None),
        _percent(min((e.train_error for e in epochs), default=None)),
        _percent(last.val_error if last else None),
        _percent(min((e.val_error for e in epochs), default=None)),
        _percent(record.test_error),
        f"{seconds:,.0f} s",
        f"{infer(record.network).total_params:,}",
    ]


def _save_plot(records, args: argparse.Namespace) -> None:
    # Draw without a screen: the offscreen platform needs no display server.
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from resnet_studio.gui.curves import comparison_plot, save_plot

    widget = comparison_plot(records, args.metric, args.x_axis)
    save_plot(widget, args.output)
    widget.deleteLater()
    app.processEvents()
