"""What a model file says about its input and outputs, as plain data (no torch).

Like torchvision's weights (``weights.meta["categories"]``, ``weights.transforms()``),
every model file the program writes carries:

- ``input_shape``: C, H, W of one image; the batch is N×C×H×W float32;
- ``input_range``: the values the file expects, ``[0, 1]`` (pixel / 255);
- ``mean``, ``std``: per channel, what training normalised with, ``(x - mean) / std``;
- ``categories``: the class names in output order;
- ``dataset``: what it was trained on; ``trained``: false for fresh weights;
- ``imported_from``: for weights not trained here, the model they were imported
  from (``torchvision:resnet50``, a ``.pth`` file); None otherwise;
- ``normalized_inside``: true when the file applies mean and std itself
  (TorchScript and ONNX exports), false for a checkpoint's bare ``state_dict``.

A :class:`ModelMeta` is read back from untrusted files, so parsing checks every
field and names the one that is wrong.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

META_FORMAT = "resnet-studio-model-meta"
META_VERSION = 1
INPUT_RANGE = (0.0, 1.0)
MAX_CATEGORY_LENGTH = 200
MAX_SOURCE_LENGTH = 1000


class MetaError(ValueError):
    """Metadata that cannot be used; the message names the field."""


@dataclass(frozen=True)
class ModelMeta:
    """How a model's input must be prepared and what its outputs mean."""

    input_shape: tuple[int, int, int]
    categories: tuple[str, ...]
    mean: tuple[float, ...] | None = None  # None: untrained, nothing to normalise with
    std: tuple[float, ...] | None = None
    dataset: str | None = None
    trained: bool = False
    normalized_inside: bool = False
    # The seed of the train/validation hold-out, so `evaluate --split val` finds
    # the same validation images the run used.
    split_seed: int | None = None
    # The model imported weights came from (not trained here, nor fresh).
    imported_from: str | None = None

    @property
    def channels(self) -> int:
        return self.input_shape[0]

    @property
    def size(self) -> tuple[int, int]:
        return self.input_shape[1], self.input_shape[2]

    @property
    def has_preprocessing(self) -> bool:
        return self.mean is not None and self.std is not None

    def with_normalization_inside(self, inside: bool) -> ModelMeta:
        return replace(self, normalized_inside=inside and self.has_preprocessing)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (also what a checkpoint stores: no tensors)."""
        return {
            "format": META_FORMAT,
            "version": META_VERSION,
            "input_shape": list(self.input_shape),
            "input_dtype": "float32",
            "input_layout": "NCHW",
            "input_range": list(INPUT_RANGE),
            "mean": list(self.mean) if self.mean is not None else None,
            "std": list(self.std) if self.std is not None else None,
            "normalized_inside": self.normalized_inside,
            "categories": list(self.categories),
            "dataset": self.dataset,
            "trained": self.trained,
            "split_seed": self.split_seed,
            "imported_from": self.imported_from,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False)


def untrained_meta(input_shape: tuple[int, int, int], classes: int) -> ModelMeta:
    """Freshly initialised weights: no preprocessing, classes known only by number."""
    return ModelMeta(tuple(input_shape), tuple(str(i) for i in range(classes)))  # type: ignore[arg-type]


def imported_meta(input_shape: tuple[int, int, int], classes: int, source: str) -> ModelMeta:
    """Weights imported from ``source``: no preprocessing recorded (the source's own
    applies), classes known only by number."""
    return replace(untrained_meta(input_shape, classes), imported_from=source[:MAX_SOURCE_LENGTH])


def _fail(field: str, problem: Message) -> MetaError:
    """``model metadata mean: problem``, the field named (none for the whole)."""
    if not field:
        return MetaError(
            Message(
                "meta.whole",
                QT_TRANSLATE_NOOP("messages", "model metadata: {problem}"),
                problem=problem,
            )
        )
    return MetaError(
        Message(
            "meta.field",
            QT_TRANSLATE_NOOP("messages", "model metadata {field}: {problem}"),
            field=field,
            problem=problem,
        )
    )


def _floats(data: dict[str, Any], field: str, channels: int, positive: bool) -> tuple | None:
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != channels:
        raise _fail(
            field,
            Message(
                "meta.per_channel",
                QT_TRANSLATE_NOOP(
                    "messages", "expected a list of {channels} numbers, one per channel"
                ),
                channels=channels,
            ),
        )
    out = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            raise _fail(
                field,
                Message(
                    "meta.finite",
                    QT_TRANSLATE_NOOP("messages", "expected finite numbers, got {got}"),
                    got=repr(item),
                ),
            )
        if positive and item <= 0:
            raise _fail(
                field,
                Message(
                    "meta.positive",
                    QT_TRANSLATE_NOOP("messages", "must be above 0, got {got}"),
                    got=repr(item),
                ),
            )
        out.append(float(item))
    return tuple(out)


def meta_from_dict(
    data: Any, classes: int | None = None, input_shape: tuple[int, ...] | None = None
) -> ModelMeta:
    """Parse metadata read from a file; :class:`MetaError` names a wrong field.

    ``classes`` and ``input_shape``, when known (the network's), must equal the
    number of categories and the stored input shape: images prepared for another
    shape would be resized wrongly, or fail inside the network.
    """
    if not isinstance(data, dict):
        raise _fail(
            "",
            Message(
                "meta.not_object",
                QT_TRANSLATE_NOOP("messages", "expected an object, got {got}"),
                got=type(data).__name__,
            ),
        )
    if data.get("format") != META_FORMAT:
        raise _fail(
            "format",
            Message(
                "meta.format",
                QT_TRANSLATE_NOOP("messages", "expected {expected}, got {got}"),
                expected=repr(META_FORMAT),
                got=repr(data.get("format")),
            ),
        )
    version = data.get("version")
    if type(version) is not int or version != META_VERSION:
        raise _fail(
            "version",
            Message(
                "meta.version",
                QT_TRANSLATE_NOOP(
                    "messages", "{version} is not supported; this version reads {supported}"
                ),
                version=repr(version),
                supported=META_VERSION,
            ),
        )
    shape = data.get("input_shape")
    if (
        not isinstance(shape, list)
        or len(shape) != 3
        or not all(type(v) is int and 1 <= v <= 65_536 for v in shape)
    ):
        raise _fail(
            "input_shape",
            Message(
                "meta.shape",
                QT_TRANSLATE_NOOP("messages", "expected [C, H, W] of whole numbers, got {got}"),
                got=repr(shape),
            ),
        )
    if input_shape is not None and tuple(shape) != tuple(input_shape):
        raise _fail(
            "input_shape",
            Message(
                "meta.shape_mismatch",
                QT_TRANSLATE_NOOP("messages", "{shape}, but the network takes {takes}"),
                shape=repr(shape),
                takes=repr(list(input_shape)),
            ),
        )
    categories = data.get("categories")
    if not isinstance(categories, list) or not all(
        isinstance(c, str) and 0 < len(c) <= MAX_CATEGORY_LENGTH for c in categories
    ):
        raise _fail(
            "categories",
            Message(
                "meta.categories",
                QT_TRANSLATE_NOOP("messages", "expected a list of class names"),
            ),
        )
    if classes is not None and len(categories) != classes:
        raise _fail(
            "categories",
            Message(
                "meta.categories_count",
                QT_TRANSLATE_NOOP("messages", "{count} names for a network with {classes} outputs"),
                count=len(categories),
                classes=classes,
            ),
        )
    mean = _floats(data, "mean", shape[0], positive=False)
    std = _floats(data, "std", shape[0], positive=True)
    if (mean is None) != (std is None):
        raise _fail(
            "mean",
            Message(
                "meta.mean_std",
                QT_TRANSLATE_NOOP("messages", "mean and std must be given together"),
            ),
        )
    dataset = data.get("dataset")
    if dataset is not None and not isinstance(dataset, str):
        raise _fail(
            "dataset",
            Message(
                "meta.dataset",
                QT_TRANSLATE_NOOP("messages", "expected text, got {got}"),
                got=type(dataset).__name__,
            ),
        )
    imported_from = data.get("imported_from")
    if imported_from is not None and (
        not isinstance(imported_from, str) or len(imported_from) > MAX_SOURCE_LENGTH
    ):
        raise _fail(
            "imported_from",
            Message(
                "meta.imported_from",
                QT_TRANSLATE_NOOP("messages", "expected text of at most {max} characters"),
                max=MAX_SOURCE_LENGTH,
            ),
        )
    split_seed = data.get("split_seed")
    if split_seed is not None and type(split_seed) is not int:
        raise _fail(
            "split_seed",
            Message(
                "meta.split_seed",
                QT_TRANSLATE_NOOP("messages", "expected a whole number, got {got}"),
                got=repr(split_seed),
            ),
        )
    flags = {}
    for field in ("trained", "normalized_inside"):
        value = data.get(field, False)
        if not isinstance(value, bool):
            raise _fail(
                field,
                Message(
                    "meta.flag",
                    QT_TRANSLATE_NOOP("messages", "expected true or false, got {got}"),
                    got=repr(value),
                ),
            )
        flags[field] = value
    if flags["normalized_inside"] and mean is None:
        raise _fail(
            "normalized_inside",
            Message(
                "meta.inside_without_stats",
                QT_TRANSLATE_NOOP("messages", "true, but there is no mean and std"),
            ),
        )
    return ModelMeta(
        input_shape=tuple(shape),  # type: ignore[arg-type]
        categories=tuple(categories),
        mean=mean,
        std=std,
        dataset=dataset,
        trained=flags["trained"],
        normalized_inside=flags["normalized_inside"],
        split_seed=split_seed,
        imported_from=imported_from,
    )


def meta_from_json(
    text: str, classes: int | None = None, input_shape: tuple[int, ...] | None = None
) -> ModelMeta:
    try:
        data = json.loads(text)
    except ValueError as err:
        raise _fail(
            "",
            Message(
                "meta.not_json",
                QT_TRANSLATE_NOOP("messages", "not valid JSON ({reason})"),
                reason=str(err),
            ),
        ) from None
    return meta_from_dict(data, classes, input_shape)
