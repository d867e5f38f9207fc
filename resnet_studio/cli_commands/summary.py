"""``resnet-studio summary``: the layers table of a project, a .pt file or a preset.

Exit status 0 when the network is valid, 1 when the table shows problems
(it is still printed), 2 for a mistake such as a missing or broken file.
A network whose repetitions would make a table too long to read (or hold) shows
the further repetitions of a Repeat as one ``Repeated ×N`` row; the totals are exact.
"""

from __future__ import annotations

import argparse
import json

from resnet_studio.arch.inference import FOLDED, Row, Summary, format_shape, infer
from resnet_studio.cli_commands.common import (
    add_shape_options,
    add_source_arguments,
    describe,
    format_table,
    load_network,
)

INDENT = "  "


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "summary",
        help="show the layers table: output shapes, params, MACs",
        description="Show every layer's output shape, parameters and multiply-adds (for one "
        "image), with totals and problems. Exit status: 0 valid, 1 the network has problems, "
        "2 a mistake (missing or invalid file, bad option).",
    )
    add_source_arguments(parser, "a project (.json) or a model file (.pt)")
    add_shape_options(parser)
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    network, label = load_network(args)
    summary = infer(network)
    if args.json:
        print(json.dumps(summary_json(summary)))
    else:
        print(f"{network.name} ({label}): {describe(network)}")
        print()
        print("\n".join(summary_lines(summary)))
    return 0 if summary.ok else 1


def row_json(row: Row) -> dict:
    """One row of the table as plain JSON data (``diff --json`` prints rows alike)."""
    data = {
        "path": row.path,
        "kind": row.kind,
        "output_shape": list(row.output_shape) if row.output_shape else None,
        "params": row.params,
        "macs": row.macs,
        "error": row.error,
    }
    if row.kind == FOLDED:  # how many repetitions the row's params and MACs add up
        data["repeats"] = row.repeats
    return data


def summary_json(summary: Summary) -> dict:
    """The table as plain JSON data."""
    return {
        "rows": [row_json(row) for row in summary.rows],
        "total_params": summary.total_params,
        "total_macs": summary.total_macs,
    }


def _cells(row: Row) -> list[str]:
    known = row.computed and row.output_shape is not None
    return [
        INDENT * row.depth + row.path,
        f"{row.kind} ×{row.repeats:,}" if row.kind == FOLDED else row.kind,
        format_shape(row.output_shape),
        f"{row.params:,}" if known else "?",
        f"{row.macs:,}" if known else "?",
        f"error: {row.error}" if row.error else "",
    ]


def summary_lines(summary: Summary) -> list[str]:
    """The table as text: one line per layer, indented by depth, totals and problems below."""
    header = ["path", "kind", "output shape", "params", "MACs", ""]
    rows = [_cells(row) for row in summary.rows]
    rows.append(["total", "", "", f"{summary.total_params:,}", f"{summary.total_macs:,}", ""])
    lines = format_table(header, rows, right={3, 4})
    lines.insert(-1, "")
    lines.append(
        f"{summary.depth} weighted layers (conv and linear); "
        f"output {format_shape(summary.output_shape)}"
    )
    if summary.folded:
        lines.append(
            "a 'Repeated ×N' row stands for N more repetitions, not listed one by one "
            "(the table would be too long); the totals count them all"
        )
    if summary.problems:
        count = len(summary.problems)
        lines.append("")
        lines.append(f"{count} problem{'s' if count > 1 else ''}:")
        lines.extend(f"{INDENT}{problem}" for problem in summary.problems)
    return lines
