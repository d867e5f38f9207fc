"""``resnet-studio import``: a PyTorch model (torchvision's, or a class in your own
``.py``) as a project file, with its weights as a checkpoint.

Exit status 0 when the import is exact (the files are written), 1 when parts cannot
be expressed or the check finds a difference (the report says which; nothing is
written), 2 when the source cannot be read.
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
        "downloading; --weights loads a local state_dict) or FILE.py:CLASS (runs that "
        "file: only import it if you trust it). The importer checks the result itself: "
        "same parameter count, the weights load strictly, equal outputs on random "
        "inputs. Exit status: 0 exact (files written), 1 parts cannot be expressed or "
        "differ (report printed, nothing written), 2 the source cannot be read.",
    )
    parser.add_argument("source", metavar="SOURCE", help="torchvision:NAME or FILE.py:CLASS")
    parser.add_argument(
        "--input", required=True, metavar="C,H,W", help="input shape, e.g. 3,224,224"
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


def run(args: argparse.Namespace) -> int:
    require_full_version("Importing a model")
    shape = _input_shape(args.input)
    project, weights = _check_outputs(args)
    from resnet_studio.importer.api import import_module
    from resnet_studio.importer.sources import open_source, parse_arguments

    source = open_source(args.source, parse_arguments(args.args), args.weights)
    name = args.name or source.name
    try:
        Network(name=name)
    except SpecError as err:
        raise CommandError(f"--name: {err.message}") from None
    result = import_module(source.module, shape, name=name, source=args.source)
    report = result.report
    written = []
    if report.exact and result.network is not None:
        _write(project, project_to_json(result.network).encode("utf-8"), args.force)
        written.append(str(project))
        if weights is not None:
            _write_weights(weights, result, args.force)
            written.append(str(weights))
    if args.json:
        print(json.dumps({**report.to_json(), "written": written}))
    else:
        print("\n".join(report.lines(mapping=args.mapping)))
        print(f"wrote {', '.join(written)}" if written else "nothing written")
    return 0 if report.exact else 1


def _write(path: Path, data: bytes, force: bool) -> None:
    try:
        write_atomically(path, data, exclusive=not force)
    except AlreadyExistsError:
        raise CommandError(f"{path}: already exists; add --force to replace it") from None


def _write_weights(path: Path, result, force: bool) -> None:
    """The weights as the checkpoint ``export`` and ``summary`` read (weights_only)."""
    import io

    import torch

    from resnet_studio.model.build import build_empty
    from resnet_studio.model.export import checkpoint_dict

    model = build_empty(result.network)
    model.load_state_dict(result.state_dict, strict=True, assign=True)
    buffer = io.BytesIO()
    torch.save(checkpoint_dict(result.network, model), buffer)
    _write(path, buffer.getvalue(), force)
