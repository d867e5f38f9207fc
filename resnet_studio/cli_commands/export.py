"""``resnet-studio export``: write a network as TorchScript, a checkpoint or ONNX."""

from __future__ import annotations

import argparse
from pathlib import Path

from resnet_studio.cli_commands.common import (
    CommandError,
    add_shape_options,
    add_width_option,
    check_writable,
    is_model_file,
    load_network,
    refuse_width,
    shape_options_given,
)
from resnet_studio.full_version import require_full_version
from resnet_studio.model.files import EXPORT_FORMATS, ModelFileError, check_suffix
from resnet_studio.writing import check_target


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write a .pt (TorchScript or checkpoint) or .onnx file",
        description="Export a network for use without ResNet Studio. A run folder or a model "
        "file keeps its trained weights and input normalisation; a project or preset gets "
        "freshly initialised (untrained) weights.",
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "file",
        nargs="?",
        metavar="SOURCE",
        help="a run folder, a model file (.pt) or a project (.json)",
    )
    group.add_argument("--preset", metavar="NAME", help="a built-in network (see 'presets')")
    add_width_option(parser)
    add_shape_options(parser)
    parser.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="file format")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write")
    parser.add_argument(
        "--data-root",
        metavar="DIR",
        help="where a run's data set lives, for a run from before the normalisation was "
        "recorded (default: where it trained)",
    )
    parser.set_defaults(func=run)


def _trained_source(args: argparse.Namespace):
    """(network, model, meta, where the weights come from) of a run folder or model file."""
    if shape_options_given(args):
        raise CommandError("--input/--classes cannot change a trained network's weights")
    refuse_width(args)
    source = Path(args.file)
    if source.is_dir():
        from resnet_studio.training.run_weights import is_run_folder, run_weights

        if not is_run_folder(source):
            raise CommandError(f"{source}: a folder, but not a run folder (no run.json)")
        weights = run_weights(source, args.data_root)
        return weights.network, weights.model, weights.meta, f"{weights.source} of {source}"
    from resnet_studio.model.files import is_onnx
    from resnet_studio.model.load import load_model_file

    if is_onnx(source):
        raise CommandError(
            f"{source}: an ONNX file's weights cannot be read back; export from the run "
            "folder or .pt file it came from"
        )
    network, model, meta = load_model_file(source)
    if meta is None:
        raise CommandError(
            f"{source}: the file does not record the input normalisation its weights were "
            "trained with (written before ResNet Studio stored it); export from its run "
            "folder instead: resnet-studio export RUNDIR --format ... -o ..."
        )
    return network, model, meta, str(source)


def describe_weights(meta, fmt: str, where: str) -> str:
    """What the written file holds, for the one-line report."""
    if not meta.trained and meta.imported_from:
        return (
            f"imported from {meta.imported_from}, weights from {where}; no preprocessing "
            "recorded: prepare input as that model expects"
        )
    if not meta.trained:
        return "untrained: freshly initialised weights, no preprocessing"
    shape = "×".join(map(str, meta.input_shape))
    trained = f"trained on {meta.dataset}" if meta.dataset else "trained"
    if fmt == "checkpoint":
        takes = "normalise [0, 1] input with its meta's mean and std"
    else:
        takes = f"takes N×{shape} images in [0, 1] and normalises them itself"
    return f"{trained}, weights from {where}; {takes}"


def run(args: argparse.Namespace) -> int:
    require_full_version("Exporting a model")
    output = Path(args.output)
    try:
        check_suffix(output, args.format)
    except ModelFileError as err:
        raise CommandError(f"-o {err}") from None
    # Before the slow part (importing torch, exporting ONNX): a folder it cannot write in,
    # or a device, pipe or folder by that name, which the writing layer will not replace.
    check_writable(output)
    check_target(output)
    if args.file is not None and (Path(args.file).is_dir() or is_model_file(Path(args.file))):
        network, model, meta, where = _trained_source(args)
    else:
        network, label = load_network(args)

        from resnet_studio.model.build import BuildError, build_model

        try:
            model = build_model(network)
        except BuildError as err:
            raise CommandError(f"{label}: cannot export: {err}") from None
        meta, where = None, label

    from resnet_studio.model.export import export_model
    from resnet_studio.model.metadata import untrained_meta

    export_model(output, args.format, network, model, meta)
    meta = meta or untrained_meta(network.input_shape, network.classes)
    params = sum(p.numel() for p in model.parameters())
    print(
        f"wrote {output} ({args.format}, {network.name}, {params:,} params, "
        f"{describe_weights(meta, args.format, where)})"
    )
    return 0
