"""``responses.json``: a finished run's response std per 3×3 layer (Fig. 7), torch-free.

Written by the run at the end of training (:func:`~resnet_studio.training.responses.
record_responses`) with both BatchNorm modes, so that ``experiment show`` and
``compare`` draw Fig. 7 without loading a model. ``null`` stands for a value
that is not a number (JSON has none). How each value is measured:
:mod:`resnet_studio.training.responses`.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resnet_studio.arch.messages import Message, located, text_of
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.reading import MAX_RUN_INFO_BYTES, ReadError, read_json
from resnet_studio.writing import write_atomically

RESPONSES_FILE = "responses.json"
FORMAT = "resnet-studio-responses"
VERSION = 1
MODES = ("eval", "train")  # BatchNorm statistics: running (eval) or each batch's own
DEFAULT_BATCHES = 4  # of held-out images measured: 512 at the paper's batch size of 128


# What a layer holds when no mode was found yet ("must hold path and a mode").
A_MODE = Message("responses.a_mode", QT_TRANSLATE_NOOP("messages", "a mode"))


class ResponsesFileError(ValueError):
    """A responses.json that cannot be read; one line naming the file and field."""


@dataclass(frozen=True)
class RecordedResponses:
    """Response std per 3×3 layer of one model, in network order, for each mode."""

    paths: tuple[str, ...]
    stds: dict[str, tuple[float, ...]]  # by mode ("eval", "train"): one value per path
    split: str  # the held-out images measured: "val"
    batch_size: int
    batches: int
    images: int

    def to_json(self) -> str:
        layers = [
            {"path": path, **{mode: _number(values[i]) for mode, values in self.stds.items()}}
            for i, path in enumerate(self.paths)
        ]
        data = {
            "format": FORMAT,
            "version": VERSION,
            "split": self.split,
            "batch_size": self.batch_size,
            "batches": self.batches,
            "images": self.images,
            "layers": layers,
        }
        return json.dumps(data, indent=1) + "\n"


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def write_responses(folder: str | os.PathLike[str], recorded: RecordedResponses) -> Path:
    """``recorded`` as ``folder``/responses.json, atomically; its path."""
    path = Path(folder) / RESPONSES_FILE
    write_atomically(path, recorded.to_json().encode())
    return path


def read_responses(folder: str | os.PathLike[str]) -> RecordedResponses | None:
    """The responses.json of the run folder ``folder``; None when it has none.

    :class:`ResponsesFileError` for one that cannot be read or is not what a run writes.
    """
    path = Path(folder) / RESPONSES_FILE
    if not path.exists():
        return None
    try:
        data = read_json(path, MAX_RUN_INFO_BYTES, "responses file")
    except ReadError as err:
        raise ResponsesFileError(text_of(err)) from None
    try:
        return _from_dict(data)
    except ResponsesFileError as err:
        raise ResponsesFileError(located(str(path), text_of(err))) from None


def _from_dict(data: Any) -> RecordedResponses:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ResponsesFileError(
            Message(
                "responses.not_ours",
                QT_TRANSLATE_NOOP("messages", "not a responses file"),
            )
        )
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        raise ResponsesFileError(
            Message(
                "responses.version",
                QT_TRANSLATE_NOOP("messages", "version {version} is not {supported}"),
                version=repr(data.get("version")),
                supported=VERSION,
            )
        )
    counts = {}
    for key in ("batch_size", "batches", "images"):
        value = data.get(key)
        if type(value) is not int or value < 0:
            raise ResponsesFileError(
                Message(
                    "responses.count",
                    QT_TRANSLATE_NOOP("messages", "{key}: must be a whole number, 0 or more"),
                    key=key,
                )
            )
        counts[key] = value
    split = data.get("split")
    if not isinstance(split, str):
        raise ResponsesFileError(
            Message(
                "responses.split",
                QT_TRANSLATE_NOOP("messages", "split: must be text"),
            )
        )
    layers = data.get("layers")
    if not isinstance(layers, list):
        raise ResponsesFileError(
            Message(
                "responses.layers",
                QT_TRANSLATE_NOOP("messages", "layers: must be a list"),
            )
        )
    paths = []
    stds: dict[str, list[float]] = {}
    for i, layer in enumerate(layers):
        where = f"layers[{i}]"
        if not isinstance(layer, dict) or not isinstance(layer.get("path"), str):
            raise ResponsesFileError(
                Message(
                    "responses.layer",
                    QT_TRANSLATE_NOOP("messages", "{where}: must be an object with a path"),
                    where=where,
                )
            )
        modes = [m for m in MODES if m in layer]
        if i == 0:
            stds = {mode: [] for mode in modes}
        if set(modes) != set(stds) or set(layer) - {"path", *MODES}:
            raise ResponsesFileError(
                Message(
                    "responses.modes",
                    QT_TRANSLATE_NOOP("messages", "{where}: must hold path and {modes}"),
                    where=where,
                    modes=", ".join(stds) or A_MODE,
                )
            )
        for mode in modes:
            value = layer[mode]
            if value is None:
                value = math.nan
            elif not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ResponsesFileError(
                    Message(
                        "responses.value",
                        QT_TRANSLATE_NOOP(
                            "messages", "{where}: must be a number, 0 or more, or null"
                        ),
                        where=f"{where}.{mode}",
                    )
                )
            stds[mode].append(float(value))
        paths.append(layer["path"])
    return RecordedResponses(
        tuple(paths), {mode: tuple(v) for mode, v in stds.items()}, split, **counts
    )
