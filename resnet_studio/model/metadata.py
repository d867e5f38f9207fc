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


def _fail(field: str, message: str) -> MetaError:
    return MetaError(f"model metadata{' ' + field if field else ''}: {message}")


def _floats(data: dict[str, Any], field: str, channels: int, positive: bool) -> tuple | None:
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != channels:
        raise _fail(field, f"expected a list of {channels} numbers, one per channel")
    out = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            raise _fail(field, f"expected finite numbers, got {item!r}")
        if positive and item <= 0:
            raise _fail(field, f"must be above 0, got {item!r}")
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
        raise _fail("", f"expected an object, got {type(data).__name__}")
    if data.get("format") != META_FORMAT:
        raise _fail("format", f"expected {META_FORMAT!r}, got {data.get('format')!r}")
    version = data.get("version")
    if type(version) is not int or version != META_VERSION:
        raise _fail("version", f"{version!r} is not supported; this version reads {META_VERSION}")
    shape = data.get("input_shape")
    if (
        not isinstance(shape, list)
        or len(shape) != 3
        or not all(type(v) is int and 1 <= v <= 65_536 for v in shape)
    ):
        raise _fail("input_shape", f"expected [C, H, W] of whole numbers, got {shape!r}")
    if input_shape is not None and tuple(shape) != tuple(input_shape):
        raise _fail("input_shape", f"{shape!r}, but the network takes {list(input_shape)!r}")
    categories = data.get("categories")
    if not isinstance(categories, list) or not all(
        isinstance(c, str) and 0 < len(c) <= MAX_CATEGORY_LENGTH for c in categories
    ):
        raise _fail("categories", "expected a list of class names")
    if classes is not None and len(categories) != classes:
        raise _fail("categories", f"{len(categories)} names for a network with {classes} outputs")
    mean = _floats(data, "mean", shape[0], positive=False)
    std = _floats(data, "std", shape[0], positive=True)
    if (mean is None) != (std is None):
        raise _fail("mean", "mean and std must be given together")
    dataset = data.get("dataset")
    if dataset is not None and not isinstance(dataset, str):
        raise _fail("dataset", f"expected text, got {type(dataset).__name__}")
    imported_from = data.get("imported_from")
    if imported_from is not None and (
        not isinstance(imported_from, str) or len(imported_from) > MAX_SOURCE_LENGTH
    ):
        raise _fail("imported_from", f"expected text of at most {MAX_SOURCE_LENGTH} characters")
    split_seed = data.get("split_seed")
    if split_seed is not None and type(split_seed) is not int:
        raise _fail("split_seed", f"expected a whole number, got {split_seed!r}")
    flags = {}
    for field in ("trained", "normalized_inside"):
        value = data.get(field, False)
        if not isinstance(value, bool):
            raise _fail(field, f"expected true or false, got {value!r}")
        flags[field] = value
    if flags["normalized_inside"] and mean is None:
        raise _fail("normalized_inside", "true, but there is no mean and std")
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
        raise _fail("", f"not valid JSON ({err})") from None
    return meta_from_dict(data, classes, input_shape)
