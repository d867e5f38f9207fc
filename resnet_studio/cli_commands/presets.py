"""``resnet-studio presets``: the built-in networks with depth, parameters and MACs."""

from __future__ import annotations

import argparse

from resnet_studio.arch.inference import format_shape, infer
from resnet_studio.arch.presets import PRESETS, preset_network
from resnet_studio.cli_commands.common import format_table


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "presets",
        help="list the built-in networks",
        description="List the built-in networks with depth, parameters and multiply-adds "
        "(for one image of the default input).",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rows = []
    for key, preset in PRESETS.items():
        summary = infer(preset_network(key))
        rows.append(
            [
                key,
                preset.label,
                format_shape(preset.input_shape),
                f"{preset.classes:,}",
                str(summary.depth),
                f"{summary.total_params:,}",
                f"{summary.total_macs:,}",
            ]
        )
    header = ["preset", "network", "input", "classes", "depth", "params", "MACs"]
    print("\n".join(format_table(header, rows, right={3, 4, 5, 6})))
    return 0
