"""The model files the program writes: their formats, names and what sets them apart.

Torch-free, so the command line can check a file name or tell a user what a
file is before torch has loaded.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

CHECKPOINT_FORMAT = "resnet-studio-checkpoint"
CHECKPOINT_VERSION = 1
# Files stored beside the network in TorchScript archives (extra files) and ONNX
# models (metadata_props), under the same names.
SPEC_ENTRY = "resnet_studio/project.json"
META_ENTRY = "resnet_studio/meta.json"
EXPORT_FORMATS = ("torchscript", "checkpoint", "onnx")
# The file name endings each format may be written under.
FORMAT_SUFFIXES = {
    "torchscript": (".pt", ".pth"),
    "checkpoint": (".pt", ".pth"),
    "onnx": (".onnx",),
}
MODEL_SUFFIXES = (".pt", ".pth", ".onnx")
FORMAT_ARTICLES = {"torchscript": "a TorchScript", "checkpoint": "a checkpoint", "onnx": "an ONNX"}


class ModelFileError(ValueError):
    """A model file that cannot be written or read; the message says what and where."""


def refused_message(path: str | Path, global_name: str) -> str:
    """The one message for a pickle that names ``global_name`` (``posix.system``), in any file.

    Worded as torch words it (``builtins.getattr`` is ``getattr``), as the README shows;
    protocol 2 pickles name the builtins module by its Python 2 name, ``__builtin__``.
    """
    module, _, name = global_name.rpartition(".")
    if module not in ("builtins", "__builtin__"):
        name = global_name
    return (
        f"{path}: refused to load: the file holds Python objects other than tensors and "
        f"plain data, which could run code (Unsupported global: GLOBAL {name[:160]})"
    )


def check_suffix(path: str | Path, fmt: str) -> None:
    """Refuse an output name whose ending does not fit ``fmt`` (``net.onnx`` as TorchScript)."""
    if fmt not in FORMAT_SUFFIXES:
        raise ModelFileError(
            f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}"
        )
    suffix = Path(path).suffix.lower()
    if suffix not in FORMAT_SUFFIXES[fmt]:
        fits = [f for f, endings in FORMAT_SUFFIXES.items() if suffix in endings]
        hint = f" ({suffix} is for {' or '.join(fits)})" if fits else ""
        raise ModelFileError(
            f"{path}: {FORMAT_ARTICLES[fmt]} file must end in "
            f"{' or '.join(FORMAT_SUFFIXES[fmt])}{hint}"
        )


def is_onnx(path: str | Path) -> bool:
    return Path(path).suffix.lower() == ".onnx"


def zip_names(path: Path) -> list[str] | None:
    """The member names of a zip archive; None when ``path`` is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, UnicodeDecodeError):
        return None  # UnicodeDecodeError: a member name flagged UTF-8 that is not


def is_torchscript_archive(names: list[str] | None) -> bool:
    """A TorchScript archive has ``constants.pkl``; a checkpoint is a zip without one."""
    return bool(names) and any(name.endswith("/constants.pkl") for name in names)
