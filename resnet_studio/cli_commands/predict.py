"""``resnet-studio predict``: the most likely classes of one's own images."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from resnet_studio.cli_commands.common import CommandError
from resnet_studio.cli_commands.model_source import (
    add_device_option,
    checked_device,
    open_model_source,
)
from resnet_studio.full_version import require_full_version


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "predict",
        help="classify image files with a trained model",
        description="Print the top classes of each image with their probabilities. Images "
        "are converted to the model's channels and resized to its input, as its file says.",
    )
    parser.add_argument("model", metavar="MODEL", help="a .pt or .onnx model file, or a RUNDIR")
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, …)")
    parser.add_argument("--top", type=int, default=5, metavar="K", help="classes shown (5)")
    add_device_option(parser)
    parser.add_argument("--json", action="store_true", help="print the predictions as JSON")
    parser.set_defaults(func=run)


def image_file_message(path: Path, err: BaseException) -> str:
    """One line saying why an image file cannot be used."""
    detail = " ".join(str(err).split()) or type(err).__name__
    return f"{path}: not a readable image ({detail[:160]})"


def load_image(path: Path, channels: int, size: tuple[int, int]):
    """The image as the model takes it (uint8 C×H×W), and a note on what was changed."""
    from PIL import Image

    from resnet_studio.training.datasets import read_image

    try:
        with Image.open(path) as image:
            original = (image.height, image.width)
            mode = image.mode
        tensor = read_image(path, channels, size)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as err:
        raise CommandError(image_file_message(path, err)) from None
    changes = []
    if original != size:
        changes.append(f"resized from {original[1]}×{original[0]} to {size[1]}×{size[0]}")
    target = "L" if channels == 1 else "RGB"
    if mode != target:  # PIL's mode names: L grey, RGBA with alpha, I;16 16-bit grey…
        changes.append(f"converted from {mode} to {'grey' if channels == 1 else 'RGB'}")
    return tensor, ", ".join(changes)


def run(args: argparse.Namespace) -> int:
    require_full_version("Classifying images")
    if args.top < 1:
        raise CommandError(f"--top: must be at least 1, got {args.top}")
    paths = [Path(p) for p in args.images]
    for path in paths:  # before loading the model: a typo is told at once
        if path.is_dir():
            raise CommandError(f"{path}: a folder, not an image file")
        if not path.exists():
            raise CommandError(f"{path}: no such file")
    source = open_model_source(args.model, checked_device(args.device))
    meta = source.predictor.meta

    import torch

    images, notes = zip(*(load_image(p, meta.channels, meta.size) for p in paths), strict=True)
    logits = source.predictor(torch.stack(images).float().div_(255)).float().cpu()
    probabilities = logits.softmax(dim=1)
    k = min(args.top, len(meta.categories))
    top_p, top_i = probabilities.topk(k, dim=1)
    results = [
        {
            "image": str(path),
            "note": note,
            "top": [
                {"class": meta.categories[i], "probability": p}
                for i, p in zip(indices.tolist(), probs.tolist(), strict=True)
            ],
        }
        for path, note, probs, indices in zip(paths, notes, top_p, top_i, strict=True)
    ]
    if args.json:
        print(json.dumps({"model": args.model, "predictions": results}))
        return 0
    if not meta.trained and not meta.imported_from:
        print(f"note: {args.model} is untrained: these guesses are random")
    width = max(len(c) for c in meta.categories)
    for result in results:
        note = f" ({result['note']})" if result["note"] else ""
        print(f"{result['image']}{note}")
        for entry in result["top"]:
            print(f"  {entry['class']:<{width}}  {entry['probability']:7.2%}")
    return 0
