"""``resnet-studio new``: write a preset as a project file to edit."""

from __future__ import annotations

import argparse
from pathlib import Path

from resnet_studio.arch.inference import infer
from resnet_studio.arch.project import project_to_json
from resnet_studio.cli_commands.common import (
    CommandError,
    add_shape_options,
    add_width_option,
    apply_shape_options,
    check_writable,
    describe,
    preset_from_args,
)
from resnet_studio.writing import AlreadyExistsError, write_atomically


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "new",
        help="write a preset as a project file",
        description="Write a built-in network as a project file (JSON) to edit and train.",
    )
    parser.add_argument("--preset", required=True, metavar="NAME", help="see 'presets'")
    add_width_option(parser)
    add_shape_options(parser)
    parser.add_argument(
        "-o", "--output", required=True, metavar="PROJECT.json", help="file to write"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    network = apply_shape_options(preset_from_args(args), args)
    path = Path(args.output)
    check_writable(path)
    data = project_to_json(network).encode("utf-8")
    try:
        # Without --force the file is created only if it is not there: of two `new`s at
        # once, one fails here instead of both reporting success (no check-then-write).
        write_atomically(path, data, exclusive=not args.force)
    except AlreadyExistsError:
        raise CommandError(f"{path}: already exists; add --force to replace it") from None
    summary = infer(network)
    print(f"wrote {path}: {network.name}, {describe(network)}, {summary.total_params:,} params")
    if not summary.ok:
        print(
            f"note: with this input the network has {len(summary.problems)} problem(s); "
            f"'resnet-studio summary {path}' lists them"
        )
    return 0
