"""``resnet-studio evaluate``: error, top-1/top-5, per-class error and a report folder."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from resnet_studio.cli_commands.common import CommandError, format_table
from resnet_studio.cli_commands.model_source import (
    ModelSource,
    add_device_option,
    checked_device,
    open_model_source,
)
from resnet_studio.full_version import require_full_version

SPLITS = ("test", "val")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="evaluate a trained model on held-out data: errors, confusion matrix, mistakes",
        description="Evaluate a model file (checkpoint or TorchScript .pt, .onnx) or a run "
        "folder on a data set's test split (default) or validation split. The data set "
        "defaults to the one the model was trained on.",
    )
    parser.add_argument("model", metavar="MODEL", help="a .pt or .onnx model file, or a RUNDIR")
    data = parser.add_mutually_exclusive_group()
    data.add_argument("--dataset", metavar="NAME", help="mnist, fashion-mnist, cifar10, …")
    data.add_argument("--folder", metavar="PATH", help="your own images, one subfolder per class")
    parser.add_argument("--data-root", metavar="DIR", help="where torchvision data sets live")
    parser.add_argument("--split", choices=SPLITS, default="test", help="default: test")
    parser.add_argument(
        "--skip-bad-images",
        action="store_true",
        help="check an image folder's files first and leave out those that cannot be read",
    )
    add_device_option(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "-o",
        "--output",
        metavar="REPORT_DIR",
        help="write report.json, confusion.csv, confusion.png and mistakes.png here",
    )
    parser.set_defaults(func=run)


def load_split(args: argparse.Namespace, source: ModelSource):
    """The images to evaluate on, checked against what the model takes."""
    from resnet_studio.training.dataset_info import FOLDER_PREFIX
    from resnet_studio.training.evaluation import EvaluationDataError, evaluation_data

    dataset = f"{FOLDER_PREFIX}{args.folder}" if args.folder else args.dataset
    try:
        return evaluation_data(
            source.predictor.meta,
            args.split,
            run_info=source.run_info,
            dataset=dataset,
            data_root=args.data_root,
            label=source.label,
            skip_bad_images=args.skip_bad_images,
        )
    except EvaluationDataError as err:
        raise CommandError(str(err)) from None


def check_report_folder(folder: Path) -> None:
    """Refuse an unusable report folder now, before the evaluation runs."""
    from resnet_studio.training.report_files import REPORT_FILES
    from resnet_studio.writing import check_target

    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{folder}: exists and is not a folder")
    parent = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise CommandError(f"{folder}: cannot create a folder below {parent}, a file")
    for name in REPORT_FILES:  # a report file that is a pipe or a device is never replaced
        check_target(folder / name)


def _percent(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.2%}"


def run(args: argparse.Namespace) -> int:
    require_full_version("Evaluating a model")
    if args.output:
        check_report_folder(Path(args.output))
    device = checked_device(args.device)
    # A moved image folder is where an old run's statistics are recomputed from, too.
    source = open_model_source(args.model, device, args.folder or args.data_root)
    data, dataset = load_split(args, source)
    if getattr(data, "skipped", ()):
        from resnet_studio.training.datasets import skipped_note

        print(f"note: {skipped_note(data.skipped)}", file=sys.stderr)

    from tqdm import tqdm

    from resnet_studio.training.evaluation import evaluate

    bar = tqdm(total=len(data), unit="img", dynamic_ncols=True, leave=False)
    started = time.perf_counter()
    try:
        report = evaluate(
            source.predictor,
            data,
            dataset=dataset,
            split=args.split,
            progress=lambda done, _total: bar.update(done - bar.n),
        )
    finally:
        bar.close()
    seconds = time.perf_counter() - started
    written = []
    if args.output:
        from resnet_studio.training.report_files import write_report

        written = write_report(report, args.output)

    if args.json:
        print(json.dumps({"model": args.model, "weights": source.weights, **report.to_dict()}))
        return 0
    print(
        f"evaluated {args.model} ({source.weights}) on {dataset} {args.split}: "
        f"{report.images:,} images in {seconds:.1f} s, {report.images / seconds:,.0f} images/s"
    )
    top5 = f"  top-5 {_percent(report.top5)}" if report.has_top5 else ""
    print(
        f"error {_percent(report.error)}  top-1 {_percent(report.top1)}{top5}  "
        f"loss {report.loss:.4f}"
    )
    print()
    rows = [
        [name, f"{int(n):,}", _percent(err)]
        for name, n, err in zip(
            report.categories, report.class_counts(), report.per_class_error(), strict=True
        )
    ]
    print("\n".join(format_table(["class", "images", "error"], rows, right={1, 2})))
    if written:
        print()
        print("wrote " + ", ".join(str(p) for p in written))
    return 0
