"""What the subcommands share: where a network comes from, --input/--classes, --width,
output paths."""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

from resnet_studio.arch.inference import format_shape
from resnet_studio.arch.presets import (
    WIDTH_FAMILIES,
    WIDTH_MAX,
    WIDTH_MIN,
    PresetWidthError,
    preset_network,
)
from resnet_studio.arch.project import load_project
from resnet_studio.arch.spec import MAX_CLASSES, Network, SpecError
from resnet_studio.full_version import require_full_version
from resnet_studio.model.files import MODEL_SUFFIXES

# Both kinds of .pt start like this: a zip archive, or a bare pickle (protocol 2+).
MODEL_MAGIC = (b"PK\x03\x04", b"\x80")


class CommandError(Exception):
    """A mistake on the command line; ``main`` prints it as one line and exits with 2."""


def add_shape_options(parser: argparse.ArgumentParser) -> None:
    """``--input C,H,W`` and ``--classes N``, parsed by :func:`apply_shape_options`."""
    parser.add_argument(
        "--input",
        metavar="C,H,W",
        help="input shape, e.g. 1,28,28 (default: the network's own)",
    )
    parser.add_argument(
        "--classes", metavar="N", help="number of classes (default: the network's own)"
    )


def add_source_arguments(parser: argparse.ArgumentParser, file_help: str) -> None:
    """A positional FILE or ``--preset NAME``: exactly one of them (and ``--width``)."""
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("file", nargs="?", metavar="FILE", help=file_help)
    group.add_argument("--preset", metavar="NAME", help="a built-in network (see 'presets')")
    add_width_option(parser)


def add_width_option(parser: argparse.ArgumentParser) -> None:
    """``--width X``, read by :func:`preset_from_args`."""
    parser.add_argument(
        "--width",
        metavar="X",
        help=f"channels ×X ({WIDTH_MIN:g} to {WIDTH_MAX:g}) for a CIFAR preset: "
        "0.5 makes 16/32/64 into 8/16/32",
    )


def parse_width(text: str) -> float:
    """``"0.5"`` → 0.5; the range is the preset's to check."""
    try:
        width = float(text)
    except ValueError:
        width = math.nan
    if not math.isfinite(width):
        raise CommandError(f"--width: expected a number such as 0.5 or 2, got {text!r}")
    return width


def refuse_width(args: argparse.Namespace) -> None:
    """A network that is no preset (a project, a model file, a run) has no --width."""
    if getattr(args, "width", None) is not None:
        raise CommandError(f"--width: applies to {WIDTH_FAMILIES} only")


def preset_from_args(args: argparse.Namespace) -> Network:
    """``--preset NAME`` at ``--width X``; a width the preset cannot take is refused."""
    width = parse_width(args.width) if getattr(args, "width", None) is not None else 1.0
    try:
        return preset_network(args.preset, width=width)
    except PresetWidthError as err:
        raise CommandError(f"--width: {err}") from None


def parse_input_shape(text: str) -> tuple[int, int, int]:
    """``"3,32,32"`` → ``(3, 32, 32)``; anything else is a :class:`CommandError`."""
    try:
        shape = tuple(int(part) for part in text.split(","))
    except ValueError:
        shape = ()
    if len(shape) != 3:
        raise CommandError(
            f"--input: expected C,H,W as three whole numbers (e.g. 3,32,32), got {text!r}"
        )
    return shape  # type: ignore[return-value]


def parse_classes(text: str) -> int:
    """``"10"`` → 10, within the range a network allows."""
    try:
        classes = int(text)
    except ValueError:
        raise CommandError(f"--classes: expected a whole number, got {text!r}") from None
    if not 1 <= classes <= MAX_CLASSES:
        raise CommandError(f"--classes: must be from 1 to {MAX_CLASSES:,}, got {classes:,}")
    return classes


def apply_shape_options(network: Network, args: argparse.Namespace) -> Network:
    """``network`` with the input shape and class count the options ask for."""
    shape = parse_input_shape(args.input) if args.input is not None else None
    classes = parse_classes(args.classes) if args.classes is not None else None
    if shape is None and classes is None:
        return network
    try:
        return network.with_input(shape, classes)
    except SpecError as err:
        option = "--input" if err.where == "input_shape" else "--classes"
        raise CommandError(f"{option}: {err.message}") from None


def shape_options_given(args: argparse.Namespace) -> bool:
    """True when --input or --classes is on the command line."""
    return args.input is not None or args.classes is not None


def is_model_file(path: Path) -> bool:
    """True for a ``.pt`` (by suffix, or by its first bytes); project files are JSON text."""
    if path.suffix.lower() in MODEL_SUFFIXES:
        return True
    if not path.is_file():
        return False  # a pipe would block this read; load_project says what it is
    try:
        with path.open("rb") as f:
            head = f.read(4)
    except OSError:
        return False  # load_project reports the problem
    return head.startswith(MODEL_MAGIC)


def load_network(args: argparse.Namespace) -> tuple[Network, str]:
    """The network of ``args.file`` (project, model file, run folder) or ``args.preset``,
    and a label for it."""
    if args.preset is not None:
        network = preset_from_args(args)
        label = "preset"
    else:
        refuse_width(args)
        path = Path(args.file)
        if path.is_dir():
            network = run_folder_network(path)
        elif is_model_file(path):
            require_full_version("Reading a model file")
            # Imports torch; reads TorchScript specs from the zip, checkpoints weights-only.
            from resnet_studio.model.load import read_network

            network = read_network(path)
        else:
            network = load_project(path)
        label = str(path)
    return apply_shape_options(network, args), label


def run_folder_network(path: Path) -> Network:
    """The network a run folder trained; a folder that is no run is a mistake."""
    from resnet_studio.training.runs import RUN_FILE, read_run

    if not (path / RUN_FILE).is_file():
        raise CommandError(
            f"{path}: a folder, not a project file (.json), model file (.pt, .onnx) "
            f"or run folder (no {RUN_FILE})"
        )
    record = read_run(path)
    try:
        return record.network
    except (SpecError, KeyError, TypeError) as err:
        raise CommandError(f"{path / RUN_FILE}: its network cannot be read ({err})") from None


def check_writable(path: Path) -> None:
    """Fail now, before slow work, if ``path`` cannot be written."""
    if path.is_dir():
        raise CommandError(f"{path}: is a directory; give a file name")
    parent = path.parent
    if not parent.is_dir():
        problem = "not a directory" if parent.exists() else "no such directory"
        raise CommandError(f"{path}: cannot write ({problem}: {parent})")
    try:
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as err:
        raise CommandError(f"{path}: cannot write ({err.strerror or err})") from None


def describe(network: Network) -> str:
    """``input 3×32×32, 10 classes``."""
    return f"input {format_shape(network.input_shape)}, {network.classes:,} classes"


def format_table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """Rows as aligned text lines; columns in ``right`` are right-aligned (numbers)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines
