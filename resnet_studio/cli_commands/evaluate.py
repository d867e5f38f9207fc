"""``resnet-studio evaluate``: error, top-1/top-5, per-class error and a report folder."""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

from resnet_studio.cli_commands.common import CommandError, format_table
from resnet_studio.cli_commands.model_source import (
    ModelSource,
    add_device_option,
    checked_device,
    open_model_source,
)

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
    add_device_option(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "-o",
        "--output",
        metavar="REPORT_DIR",
        help="write report.json, confusion.csv, confusion.png and mistakes.png here",
    )
    parser.set_defaults(func=run)


def _dataset_name(args: argparse.Namespace, source: ModelSource) -> str:
    from resnet_studio.training.dataset_info import FOLDER_PREFIX

    if args.folder:
        return f"{FOLDER_PREFIX}{args.folder}"
    if args.dataset:
        return args.dataset
    run_data = (source.run_info or {}).get("dataset") or {}
    name = run_data.get("name") if isinstance(run_data, dict) else None
    name = name or source.predictor.meta.dataset
    if not name:
        raise CommandError(
            f"{source.label}: the model records no data set (it is untrained); "
            "name one with --dataset NAME or --folder PATH"
        )
    return name


def load_split(args: argparse.Namespace, source: ModelSource):
    """The images to evaluate on, checked against what the model takes."""
    from resnet_studio.training.datasets import DatasetError, load_dataset

    meta = source.predictor.meta
    name = _dataset_name(args, source)
    run_data = (source.run_info or {}).get("dataset") or {}
    root = args.data_root
    if root is None and isinstance(run_data, dict) and run_data.get("name") == name:
        root = run_data.get("root")
    seed = meta.split_seed if meta.split_seed is not None else 0
    bundle = load_dataset(name, root, seed=seed)
    if bundle.input_shape != meta.input_shape:
        shape = "×".join(map(str, bundle.input_shape))
        want = "×".join(map(str, meta.input_shape))
        raise CommandError(f"{bundle.name} has {shape} images, but {source.label} takes {want}")
    if bundle.classes != len(meta.categories):
        raise CommandError(
            f"{bundle.name} has {bundle.classes} classes, but {source.label} "
            f"has {len(meta.categories)}"
        )
    if meta.trained and tuple(bundle.class_names) != tuple(meta.categories):
        raise CommandError(
            f"{bundle.name}'s classes ({', '.join(bundle.class_names[:4])}, …) are not "
            f"{source.label}'s ({', '.join(meta.categories[:4])}, …)"
        )
    try:
        return bundle.split(args.split), bundle.name
    except DatasetError:
        raise CommandError(
            f"{bundle.name} has no {args.split} split here; use --split val"
        ) from None


def _percent(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.2%}"


def run(args: argparse.Namespace) -> int:
    if args.output and Path(args.output).exists() and not Path(args.output).is_dir():
        raise CommandError(f"{args.output}: exists and is not a folder")
    device = checked_device(args.device)
    source = open_model_source(args.model, device, args.data_root)
    data, dataset = load_split(args, source)

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
