"""``resnet-studio compare``: a table of runs and a Fig. 6 style plot of their curves."""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from resnet_studio.cli_commands.common import CommandError, check_writable, format_table

# The same as gui.curves.PLOT_FORMATS: checked here before Qt is imported.
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare runs: a table of errors and a plot of their curves",
        description="Print final and best errors of each run and draw their curves like the "
        "paper's Fig. 6: training dashed, validation solid, one colour per run.",
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
    return "-" if value is None or math.isnan(value) else f"{value:.2%}"


def run(args: argparse.Namespace) -> int:
    from resnet_studio.arch.inference import infer
    from resnet_studio.training.runs import RunFolderError, read_run

    if args.output and Path(args.output).suffix.lower() not in PLOT_SUFFIXES:
        raise CommandError(
            f"-o {args.output}: a plot is saved as {', '.join(PLOT_SUFFIXES)} "
            f"(the file name says which)"
        )
    records = []
    for path in args.runs:
        try:
            records.append(read_run(path))
        except RunFolderError as err:
            raise CommandError(str(err)) from None
    if args.output:
        check_writable(Path(args.output))

    rows = []
    for record in records:
        epochs = record.epochs
        last = epochs[-1] if epochs else None
        seconds = sum(e.seconds for e in epochs)
        rows.append(
            [
                record.name,
                record.info.get("dataset", {}).get("name", "?"),
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
        )
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
    print("\n".join(format_table(header, rows, right=set(range(3, 11)))))

    if args.output:
        _save_plot(records, args)
        print(f"wrote {args.output}")
    return 0


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
