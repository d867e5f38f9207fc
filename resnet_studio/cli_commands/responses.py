"""``resnet-studio responses``: the response std of each 3×3 layer of trained models (Fig. 7).

For each run folder or checkpoint, the std of every 3×3 layer's output after its
BatchNorm (before the addition and the ReLU), over the first N batches of the
run's held-out validation images, with the BN layers' running statistics
(``--mode eval``, the default) or each batch's own (``--mode train``). How it is
pooled: :mod:`resnet_studio.training.responses`. Printed as a table; ``--csv``
and ``-o`` write it as CSV and as the paper's Fig. 7 (network order and sorted).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resnet_studio.cli_commands.common import CommandError, check_writable, format_table
from resnet_studio.cli_commands.model_source import add_device_option, checked_device
from resnet_studio.full_version import require_full_version
from resnet_studio.training.response_file import DEFAULT_BATCHES, MODES

if TYPE_CHECKING:  # torch loads once the options are checked
    from resnet_studio.training.responses import Responses

DEFAULT_BATCH_SIZE = 128  # the paper's; a run folder's own batch size is used instead
MAX_BATCHES = 10_000
CSV_HEADER = ("source", "network", "mode", "images", "layer", "path", "response_std")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "responses",
        help="response std of each 3×3 layer of trained models (the paper's Fig. 7)",
        description="Measure the std of each 3×3 layer's response (its BatchNorm output, "
        "before the addition and the ReLU) of trained models, over the first N batches of "
        "their validation images: the std of every value of those batches' responses "
        "(images, channels and positions together). Give run folders (their model, or "
        "their last checkpoint) or checkpoint .pt files.",
        epilog="Finished runs record this in responses.json (both modes, "
        f"{DEFAULT_BATCHES} batches); 'experiment show -o FIG.png' draws it for an experiment.",
    )
    parser.add_argument(
        "sources", nargs="+", metavar="RUNDIR|MODEL.pt", help="run folders or checkpoint files"
    )
    parser.add_argument(
        "--batches",
        type=int,
        default=DEFAULT_BATCHES,
        metavar="N",
        help=f"validation batches to measure over (default: {DEFAULT_BATCHES})",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        metavar="B",
        help="images per batch (default: the run's training batch size, else "
        f"{DEFAULT_BATCH_SIZE}); in train mode the batch statistics depend on it",
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        default="eval",
        help="BatchNorm statistics: eval = the running statistics of the trained net (as "
        "the paper analyses it, default), train = each batch's own (as in training)",
    )
    data = parser.add_mutually_exclusive_group()
    data.add_argument("--dataset", metavar="NAME", help="default: the one the model trained on")
    data.add_argument("--folder", metavar="PATH", help="your own images, one subfolder per class")
    parser.add_argument("--data-root", metavar="DIR", help="where torchvision data sets live")
    add_device_option(parser)
    parser.add_argument(
        "--record",
        action="store_true",
        help="also write each finished run folder's responses.json (both modes), as runs "
        "now do when they finish: for runs trained before, so that 'experiment show' draws them",
    )
    parser.add_argument("--csv", metavar="FILE", help="write every layer's value as CSV")
    parser.add_argument(
        "-o", "--output", metavar="FIG.png", help="draw Fig. 7 (.png, .svg or .pdf)"
    )
    parser.set_defaults(func=run)


@dataclass
class _Measured:
    label: str
    network: str
    responses: Responses


def run(args: argparse.Namespace) -> int:
    require_full_version("Measuring layer responses")
    if not 1 <= args.batches <= MAX_BATCHES:
        raise CommandError(f"--batches: must be from 1 to {MAX_BATCHES:,}, got {args.batches}")
    if args.batch_size is not None and not 1 <= args.batch_size <= 65536:
        raise CommandError(f"--batch-size: must be from 1 to 65,536, got {args.batch_size}")
    if args.output:
        from resnet_studio.figures.render import plot_format

        try:
            plot_format(args.output)
        except ValueError as err:
            raise CommandError(f"-o {err}") from None
    for target in (args.csv, args.output):
        if target:
            check_writable(Path(target))
    if args.record:
        _check_recordable(args)
    device = checked_device(args.device)
    measured = [_measure(text, device, args) for text in args.sources]

    _print_table(measured)
    if args.csv:
        _write_csv(Path(args.csv), measured)
        print(f"wrote {args.csv}")
    if args.output:
        _draw(Path(args.output), measured)
        print(f"wrote {args.output}")
    return 0


def _check_recordable(args: argparse.Namespace) -> None:
    """--record writes into finished run folders, about their own validation images."""
    from resnet_studio.training.run_weights import is_run_folder
    from resnet_studio.training.runs import read_run

    if args.dataset or args.folder:
        option = "--dataset" if args.dataset else "--folder"
        raise CommandError(f"--record: measures a run on its own data set; leave out {option}")
    for text in args.sources:
        if not is_run_folder(text):
            raise CommandError(f"--record: {text} is not a run folder (no run.json)")
        status = read_run(text).status
        if status != "finished":
            raise CommandError(
                f"--record: {text} is {status}; responses.json holds a finished run's model"
            )


def _measure(text: str, device: str, args: argparse.Namespace) -> _Measured:
    """One source's responses on its own validation images (and, with ``--record``, both
    modes written to its run folder)."""
    from resnet_studio.model.preprocessing import normalized
    from resnet_studio.training.evaluation import EvaluationDataError, evaluation_data
    from resnet_studio.training.response_file import RecordedResponses, write_responses
    from resnet_studio.training.responses import measure_responses

    network, model, meta, run_info, batch_size = _open(Path(text), args)
    if meta is None or meta.mean is None or meta.std is None:
        raise CommandError(
            f"{text}: records no input normalisation (an untrained network, or a file "
            "written before it was kept); measure its run folder instead"
        )
    dataset = f"folder:{args.folder}" if args.folder else args.dataset
    try:
        split, _name = evaluation_data(
            meta,
            "val",
            run_info=run_info,
            dataset=dataset,
            data_root=args.folder or args.data_root,
            label=text,
        )
    except EvaluationDataError as err:
        raise CommandError(str(err)) from None
    module = normalized(model, meta.mean, meta.std).to(device)
    size = args.batch_size or batch_size
    modes = MODES if args.record else (args.mode,)
    try:
        by_mode = {
            mode: measure_responses(
                module, _image_batches(split, size), mode=mode, max_batches=args.batches
            )
            for mode in modes
        }
    except ValueError as err:  # BN's batch statistics need more than one value per channel
        raise CommandError(f"{text}: {err}".splitlines()[0]) from None
    responses = by_mode[args.mode]
    if not responses.paths:
        raise CommandError(f"{text}: no 3×3 convolution followed by a BatchNorm to measure")
    if args.record:
        stds = {mode: r.stds for mode, r in by_mode.items()}
        recorded = RecordedResponses(
            responses.paths, stds, "val", size, responses.batches, responses.images
        )
        print(f"recorded {write_responses(text, recorded)}")
    return _Measured(text, network.name, responses)


def _open(path: Path, args: argparse.Namespace) -> tuple[Any, Any, Any, dict | None, int]:
    """(network, module, meta, run.json or None, default batch size) of a source."""
    from resnet_studio.training.run_weights import is_run_folder

    if path.is_dir():
        if not is_run_folder(path):
            raise CommandError(f"{path}: a folder, but not a run folder (no run.json)")
        from resnet_studio.training.run_weights import run_weights
        from resnet_studio.training.runs import read_run

        record = read_run(path)
        weights = run_weights(path, args.folder or args.data_root)
        batch = record.recipe.batch_size
        return weights.network, weights.model, weights.meta, record.info, batch
    from resnet_studio.model.files import is_onnx, is_torchscript_archive, zip_names
    from resnet_studio.model.load import load_checkpoint

    if path.is_file() and (is_onnx(path) or is_torchscript_archive(zip_names(path))):
        raise CommandError(
            f"{path}: an exported file; measuring responses needs the network's layers: "
            "give its run folder or a checkpoint .pt"
        )
    loaded = load_checkpoint(path)
    return loaded.network, loaded.model, loaded.meta, None, DEFAULT_BATCH_SIZE


def _image_batches(split: Any, batch_size: int) -> Iterator[tuple[Any, Any]]:
    """(float images in [0, 1], labels) batches of ``split`` in order (the model in front
    normalises them as in training)."""
    from resnet_studio.training.datasets import TensorSplit

    if isinstance(split, TensorSplit):
        for start in range(0, len(split), batch_size):
            images = split.images[start : start + batch_size]
            yield images.float().div_(255), split.labels[start : start + batch_size]
        return
    from torch.utils.data import DataLoader

    for images, labels in DataLoader(split, batch_size=batch_size):
        yield images.float().div_(255), labels


def _value(value: float) -> str:
    return f"{value:.4f}" if math.isfinite(value) else "-"


def _print_table(measured: list[_Measured]) -> None:
    first = measured[0].responses
    for m in measured:
        r = m.responses
        print(
            f"{m.label}: {m.network}, {len(r.paths)} 3×3 layers, {r.mode} mode, "
            f"{r.images:,} validation images ({r.batches} batch{'es' if r.batches != 1 else ''})"
        )
    print()
    if all(m.responses.paths == first.paths for m in measured):
        header = ["layer", "path", *(m.label for m in measured)]
        rows = [
            [str(i), path, *(_value(m.responses.stds[i - 1]) for m in measured)]
            for i, path in enumerate(first.paths, start=1)
        ]
        print("\n".join(format_table(header, rows, {0, *range(2, len(header))})))
        return
    for m in measured:  # different networks: a table each
        rows = [
            [str(i), path, _value(v)]
            for i, (path, v) in enumerate(zip(m.responses.paths, m.responses.stds, strict=True), 1)
        ]
        print("\n".join(format_table(["layer", "path", m.label], rows, {0, 2})))
        print()


def _write_csv(path: Path, measured: list[_Measured]) -> None:
    from resnet_studio.writing import write_atomically

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CSV_HEADER)
    for m in measured:
        r = m.responses
        for i, (layer, value) in enumerate(zip(r.paths, r.stds, strict=True), start=1):
            std = repr(value) if math.isfinite(value) else ""
            writer.writerow([m.label, m.network, r.mode, r.images, i, layer, std])
    write_atomically(path, text.getvalue().encode())


def _draw(path: Path, measured: list[_Measured]) -> None:
    import numpy as np

    from resnet_studio.figures.layers import RESPONSE_CAPTION, ResponseLine, response_figure
    from resnet_studio.figures.render import save_figure
    from resnet_studio.figures.style import run_colour

    lines = [
        ResponseLine(m.label, run_colour(i), (np.array(m.responses.stds, np.float64),))
        for i, m in enumerate(measured)
    ]
    r = measured[0].responses
    caption = f"{RESPONSE_CAPTION}; {r.mode} mode, {r.images:,} validation images"
    save_figure(response_figure([("", lines)], caption), path)
