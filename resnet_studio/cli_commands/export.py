"""``resnet-studio export``: write a network as TorchScript, a checkpoint or ONNX."""

from __future__ import annotations

import argparse
from pathlib import Path

from resnet_studio.cli_commands.common import (
    CommandError,
    add_shape_options,
    add_source_arguments,
    check_writable,
    is_model_file,
    load_network,
    shape_options_given,
)

FORMATS = ("torchscript", "checkpoint", "onnx")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write a .pt (TorchScript or checkpoint) or .onnx file",
        description="Export a network for use without ResNet Studio. A project or preset "
        "gets freshly initialised (untrained) weights; a checkpoint keeps its trained ones.",
    )
    add_source_arguments(parser, "a project (.json) or a checkpoint (.pt)")
    add_shape_options(parser)
    parser.add_argument("--format", required=True, choices=FORMATS, help="file format")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    output = Path(args.output)
    check_writable(output)  # before the slow part: importing torch, exporting ONNX
    if args.file is not None and is_model_file(Path(args.file)):
        if shape_options_given(args):
            raise CommandError("--input/--classes cannot change a checkpoint's trained weights")
        from resnet_studio.model.export import load_checkpoint

        network, model = load_checkpoint(args.file)
        weights = "trained weights"
    else:
        network, label = load_network(args)

        from resnet_studio.model.build import BuildError, build_model

        try:
            model = build_model(network)
        except BuildError as err:
            raise CommandError(f"{label}: cannot export: {err}") from None
        weights = "freshly initialised weights"

    from resnet_studio.model.export import export_model

    export_model(output, args.format, network, model)
    params = sum(p.numel() for p in model.parameters())
    print(f"wrote {output} ({args.format}, {network.name}, {params:,} params, {weights})")
    return 0
