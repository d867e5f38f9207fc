"""The model files the program writes: their formats, names and what sets them apart.

Torch-free, so the command line can check a file name or tell a user what a
file is before torch has loaded.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

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
# What a file of each format is called in a message ("a checkpoint file must end in .pt").
FORMAT_FILES = {
    "torchscript": Message(
        "files.torchscript", QT_TRANSLATE_NOOP("messages", "a TorchScript file")
    ),
    "checkpoint": Message("files.checkpoint", QT_TRANSLATE_NOOP("messages", "a checkpoint file")),
    "onnx": Message("files.onnx", QT_TRANSLATE_NOOP("messages", "an ONNX file")),
}


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
    return Message(
        "files.refused",
        QT_TRANSLATE_NOOP(
            "messages",
            "{path}: refused to load: the file holds Python objects other than tensors and "
            "plain data, which could run code (Unsupported global: GLOBAL {name})",
        ),
        path=str(path),
        name=name if len(name) <= 160 else name[:160],  # a Message stays one, translated
    )


def unknown_format(fmt: str) -> Message:
    return Message(
        "files.unknown_format",
        QT_TRANSLATE_NOOP("messages", "unknown export format {format}; use one of {formats}"),
        format=repr(fmt),
        formats=", ".join(EXPORT_FORMATS),
    )


def _either(choices: tuple[str, ...] | list[str]) -> str:
    """``.pt or .pth``; a lone choice as it is."""
    if len(choices) != 2:
        return " or ".join(choices)  # never more than two: one name, or none
    return Message(
        "files.either",
        QT_TRANSLATE_NOOP("messages", "{first} or {second}"),
        first=choices[0],
        second=choices[1],
    )


def check_suffix(path: str | Path, fmt: str) -> None:
    """Refuse an output name whose ending does not fit ``fmt`` (``net.onnx`` as TorchScript)."""
    if fmt not in FORMAT_SUFFIXES:
        raise ModelFileError(unknown_format(fmt))
    suffix = Path(path).suffix.lower()
    if suffix not in FORMAT_SUFFIXES[fmt]:
        fits = [f for f, endings in FORMAT_SUFFIXES.items() if suffix in endings]
        kind, endings = FORMAT_FILES[fmt], _either(FORMAT_SUFFIXES[fmt])
        if fits:
            raise ModelFileError(
                Message(
                    "files.suffix_of_another",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "{path}: {kind} must end in {endings} ({suffix} is for {formats})",
                    ),
                    path=str(path),
                    kind=kind,
                    endings=endings,
                    suffix=suffix,
                    formats=_either(fits),
                )
            )
        raise ModelFileError(
            Message(
                "files.suffix",
                QT_TRANSLATE_NOOP("messages", "{path}: {kind} must end in {endings}"),
                path=str(path),
                kind=kind,
                endings=endings,
            )
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
