"""``resnet-studio import``: a PyTorch model (torchvision's, a class in your own
``.py``, a TorchScript archive, or a weights-only ``state_dict`` file matched with
the presets) as a project file, with its weights as a checkpoint.

Exit status 0 when the import is exact or the weights match (the files are
written), 1 when parts cannot be expressed, the check finds a difference or the
weights fit no preset (the report says which; nothing is written), 2 when the
source cannot be read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from resnet_studio.arch.project import project_to_json
from resnet_studio.arch.spec import Network, SpecError
from resnet_studio.cli_commands.common import CommandError, check_writable, parse_input_shape
from resnet_studio.full_version import require_full_version
from resnet_studio.model.files import ModelFileError, check_suffix
from resnet_studio.writing import AlreadyExistsError, write_atomically


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="turn a PyTorch model into a project (and its weights)",
        description="Import a PyTorch model as a project: torchvision:NAME (built without "
        "downloading; --weights loads a local state_dict), FILE.py:CLASS (runs that "
        "file: only import it if you trust it), a TorchScript archive (.pt, .pth, .zip; "
        "read as a graph, no Python runs), or a weights-only state_dict file (.pth, .pt; "
        "matched with the presets by key names and shapes). The importer checks the "
        "result itself: same parameter count, the weights load strictly, equal outputs "
        "on random inputs. Exit status: 0 exact or matched (files written), 1 parts "
        "cannot be expressed, differ or match no preset (report printed, nothing "
        "written), 2 the source cannot be read.",
    )
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help="torchvision:NAME, FILE.py:CLASS, or a TorchScript or state_dict FILE",
    )
    parser.add_argument(
        "--input",
        metavar="C,H,W",
        help="input shape, e.g. 3,224,224 (a state_dict file: default the preset's)",
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="PROJECT.json", help="file to write"
    )
    parser.add_argument(
        "--weights-out",
        metavar="MODEL.pt",
        help="also write the weights as a checkpoint (for export, summary, predict)",
    )
    parser.add_argument(
        "--weights", metavar="FILE", help="a state_dict file to load into the source"
    )
    parser.add_argument(
        "--args", metavar="JSON", help="constructor arguments, e.g. '{\"num_classes\": 10}'"
    )
    parser.add_argument("--name", help="the network's name (default: the model's)")
    parser.add_argument("--mapping", action="store_true", help="list where every operation went")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--force", action="store_true", help="replace existing files")
    parser.set_defaults(func=run)


def _input_shape(text: str) -> tuple[int, int, int]:
    shape = parse_input_shape(text)
    try:
        Network(input_shape=shape)
    except SpecError as err:
        raise CommandError(f"--input: {err.message}") from None
    return shape


def _check_outputs(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """The files to write, refused now rather than after the import."""
    project = Path(args.output)
    weights = Path(args.weights_out) if args.weights_out else None
    for path in filter(None, (project, weights)):
        check_writable(path)
        if path.exists() and not args.force:
            raise CommandError(f"{path}: already exists; add --force to replace it")
    if weights is not None:
        try:
            check_suffix(weights, "checkpoint")
        except ModelFileError as err:
            raise CommandError(f"--weights-out: {err}") from None
        if weights.resolve() == project.resolve():
            raise CommandError("--weights-out: must differ from the project file")
    return project, weights


def _is_module_source(text: str) -> bool:
    """torchvision:NAME or FILE.py:NAME, which make a module; anything else is a file."""
    file, sep, _ = text.rpartition(":")
    return text.startswith("torchvision:") or bool(sep and file.endswith(".py"))


def run(args: argparse.Namespace) -> int:
    require_full_version("Importing a model")
    shape = _input_shape(args.input) if args.input is not None else None
    if args.name is not None:
        try:
            Network(name=args.name)
        except SpecError as err:
            raise CommandError(f"--name: {err.message}") from None
    project, weights = _check_outputs(args)
    if _is_module_source(args.source):
        result = _import_module(args, shape)
        imported_from = args.source + (f" with weights {args.weights}" if args.weights else "")
    else:
        for option in ("weights", "args"):
            if getattr(args, option) is not None:
                raise CommandError(
                    f"--{option}: only for torchvision:NAME and FILE.py:CLASS sources"
                )
        from resnet_studio.importer.api import import_path

        result = import_path(args.source, shape, name=args.name)
        imported_from = args.source
    report = result.report
    written = []
    if report.exact and result.network is not None:
        _write(project, project_to_json(result.network).encode("utf-8"), args.force)
        written.append(str(project))
        if weights is not None:
            _write_weights(weights, result, imported_from, args.force)
            written.append(str(weights))
    if args.json:
        print(json.dumps({**report.to_json(), "written": written}))
    else:
        print("\n".join(report.lines(mapping=args.mapping)))
        print(f"wrote {', '.join(written)}" if written else "nothing written")
    return 0 if report.exact else 1


def _import_module(args: argparse.Namespace, shape: tuple[int, int, int] | None):
    """Import torchvision:NAME or FILE.py:CLASS (the latter runs that file)."""
    if shape is None:
        raise CommandError(f"--input: give the input shape C,H,W to import {args.source}")
    from resnet_studio.importer.api import import_module
    from resnet_studio.importer.sources import open_source, parse_arguments

    source = open_source(args.source, parse_arguments(args.args), args.weights)
    name = args.name or source.name
    return import_module(source.module, shape, name=name, source=args.source)


def _write(path: Path, data: bytes, force: bool) -> None:
    try:
        write_atomically(path, data, exclusive=not force)
    except AlreadyExistsError:
        raise CommandError(f"{path}: already exists; add --force to replace it") from None


def _write_weights(path: Path, result, imported_from: str, force: bool) -> None:
    """The weights as the checkpoint ``export`` and ``summary`` read (weights_only); its
    metadata says where they were imported from."""
    import io

    import torch

    from resnet_studio.model.build import build_empty
    from resnet_studio.model.export import checkpoint_dict
    from resnet_studio.model.metadata import imported_meta

    network = result.network
    model = build_empty(network)
    model.load_state_dict(result.state_dict, strict=True, assign=True)
    meta = imported_meta(network.input_shape, network.classes, imported_from)
    buffer = io.BytesIO()
    torch.save(checkpoint_dict(network, model, meta), buffer)
    _write(path, buffer.getvalue(), force)
