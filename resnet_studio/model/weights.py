"""Weights from a file, and whether they fit a network: what fine-tuning starts from.

A weights file is one of the program's model files (a checkpoint or TorchScript
``.pt``, read as :mod:`model.load` reads them) or a plain ``state_dict`` saved
with ``torch.save``, as code in the wild saves them: bare, or inside a dict
under ``"state_dict"`` or ``"model"`` (a training checkpoint, ours included),
with DataParallel's ``module.`` prefix or without. Everything is read with
``torch.load(weights_only=True)`` or as tensors from a zip: nothing in the file
runs.

A network takes weights when they fit it exactly (a strict load): the same keys,
each of the same shape. The one difference allowed is the classifier's number of
classes, as in transfer learning (ImageNet weights trained on CIFAR-10): when the
weights differ only in the last Linear layer's outputs, that layer starts fresh and
everything else loads (:class:`WeightsFit`). :class:`WeightsMismatch` says what differs.
"""

from __future__ import annotations

import os
import pickle
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from resnet_studio.arch.inference import format_shape
from resnet_studio.arch.messages import Message, joined
from resnet_studio.arch.spec import Network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.build import build_model
from resnet_studio.model.files import (
    CHECKPOINT_FORMAT,
    SPEC_ENTRY,
    ModelFileError,
    is_onnx,
    is_torchscript_archive,
    zip_names,
)
from resnet_studio.model.load import check_model_file, load_model_file, unpickling_message

# Where code in the wild nests a state_dict inside what it saves, by the key tried first.
NESTING_KEYS = ("state_dict", "model")
SHOWN_KEYS = 3  # keys named per kind of difference: the message stays one line


@dataclass(frozen=True)
class WeightsMismatch:
    """How weights differ from what a network holds: keys it needs that they lack,
    keys they have that it does not, and keys of another shape (key, given, needed)."""

    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    reshaped: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.missing or self.unexpected or self.reshaped)

    def __str__(self) -> str:
        return str(self.message())

    def message(self) -> str:
        """One line naming the first few keys of each kind: ``1 missing (fc.bias); 1 of
        another shape (conv1.weight: 8×1×3×3 (needs 8×3×3×3))``, as a Message."""
        parts = []
        if self.missing:
            parts.append(
                Message(
                    "weights.keys_missing",
                    QT_TRANSLATE_NOOP("messages", "{count} missing ({keys})"),
                    count=len(self.missing),
                    keys=_first(self.missing),
                )
            )
        if self.unexpected:
            parts.append(
                Message(
                    "weights.keys_unexpected",
                    QT_TRANSLATE_NOOP("messages", "{count} unexpected ({keys})"),
                    count=len(self.unexpected),
                    keys=_first(self.unexpected),
                )
            )
        if self.reshaped:
            shown = [
                Message(
                    "weights.key_shape",
                    QT_TRANSLATE_NOOP("messages", "{key}: {given} (needs {needed})"),
                    key=key,
                    given=_shape(given),
                    needed=_shape(needed),
                )
                for key, given, needed in self.reshaped
            ]
            parts.append(
                Message(
                    "weights.keys_reshaped",
                    QT_TRANSLATE_NOOP("messages", "{count} of another shape ({keys})"),
                    count=len(self.reshaped),
                    keys=_first(shown),
                )
            )
        return joined(parts)


class WeightsMismatchError(ValueError):
    """Weights that do not fit the network; the message names ``source`` and the keys."""

    def __init__(self, source: str, mismatch: WeightsMismatch) -> None:
        super().__init__(
            Message(
                "weights.do_not_fit",
                QT_TRANSLATE_NOOP(
                    "messages", "the weights of {source} do not fit the network: {mismatch}"
                ),
                source=source,
                mismatch=mismatch.message(),
            )
        )
        self.source = source
        self.mismatch = mismatch


def _first(items: tuple[str, ...] | list[str]) -> str:
    """The first few items, ``a, b, c, …`` (each a key, or a Message of one)."""
    shown = list(items[:SHOWN_KEYS]) + (["…"] if len(items) > SHOWN_KEYS else [])
    return joined(shown, comma=True)


def _shape(shape: tuple[int, ...]) -> str:
    return (
        format_shape(shape)
        if shape
        else Message("weights.scalar", QT_TRANSLATE_NOOP("messages", "scalar"))
    )


def compare_weights(
    needed: Mapping[str, tuple[int, ...]], given: Mapping[str, Any]
) -> WeightsMismatch:
    """How ``given`` (tensors by key) differs from ``needed`` (shapes by key), in key order."""
    missing = tuple(key for key in needed if key not in given)
    unexpected = tuple(key for key in given if key not in needed)
    reshaped = tuple(
        (key, tuple(given[key].shape), tuple(shape))
        for key, shape in needed.items()
        if key in given and tuple(given[key].shape) != tuple(shape)
    )
    return WeightsMismatch(missing, unexpected, reshaped)


def state_shapes(model: nn.Module) -> dict[str, tuple[int, ...]]:
    return {key: tuple(value.shape) for key, value in model.state_dict().items()}


@dataclass(frozen=True)
class WeightsFit:
    """How weights start a network: ``mismatch``, what differs from its build; and
    ``new_classifier``, the classifier's name when all that differs is its number of
    classes (its weight and bias, for the same inputs): that layer starts fresh."""

    mismatch: WeightsMismatch
    new_classifier: str | None = None
    classes: int = 0  # the classes the new classifier scores (0 without one)
    weights_classes: int = 0  # the classes the weights' classifier scored (0 without one)

    @property
    def usable(self) -> bool:
        """Whether a run can start from the weights (all of them, or all but a new
        classifier)."""
        return not self.mismatch or self.new_classifier is not None


def classifier_of(model: nn.Module) -> str | None:
    """The name of ``model``'s classifier, its last Linear layer; None without one."""
    names = [name for name, module in model.named_modules() if isinstance(module, nn.Linear)]
    return names[-1] if names else None


def weights_fit(model: nn.Module, state: Mapping[str, Any]) -> WeightsFit:
    """How ``state`` fits ``model`` (see :class:`WeightsFit`)."""
    mismatch = compare_weights(state_shapes(model), state)
    name = classifier_of(model)
    if not mismatch or name is None or mismatch.missing or mismatch.unexpected:
        return WeightsFit(mismatch)
    # Only the classifier's own keys, with other outputs (dim 0) for the same inputs.
    for key, given, needed in mismatch.reshaped:
        if key.rpartition(".")[0] != name or given[1:] != needed[1:]:
            return WeightsFit(mismatch)
    given_classes = mismatch.reshaped[0][1][0]
    return WeightsFit(mismatch, name, model.get_submodule(name).out_features, given_classes)


def network_fit(network: Network, state: Mapping[str, Any]) -> WeightsFit:
    """How ``state`` fits ``network``. The network is built on PyTorch's meta device:
    shapes only, no memory for the weights, nothing initialised for real.
    :class:`~resnet_studio.model.build.BuildError` for a network with problems."""
    with torch.device("meta"):
        model = build_model(network)
    return weights_fit(model, state)


def load_weights(model: nn.Module, state: Mapping[str, torch.Tensor], source: str) -> WeightsFit:
    """Copy ``state`` into ``model``: all of it, or all but the classifier when only its
    number of classes differs, left as the model initialised it (the ``new_classifier``
    of the fit returned). :class:`WeightsMismatchError` (naming ``source`` and the keys)
    for anything else, and ``model`` is left as it was."""
    fit = weights_fit(model, state)
    if not fit.usable:
        raise WeightsMismatchError(source, fit.mismatch)
    if fit.new_classifier is None:
        model.load_state_dict(state, strict=True)
        return fit
    prefix = f"{fit.new_classifier}."
    model.load_state_dict(
        {k: v for k, v in state.items() if not k.startswith(prefix)}, strict=False
    )
    return fit


# --- reading ------------------------------------------------------------------------------


def read_weights(path: str | os.PathLike[str]) -> dict[str, torch.Tensor]:
    """The weights (a ``state_dict`` of CPU tensors) in ``path``: a model file of the
    program, or a plain ``state_dict`` file (see the module's docstring).

    :class:`ModelFileError` names the file and says why it cannot be used: unreadable,
    refused (it holds code), a TorchScript archive of another program, an ONNX file,
    or no tensors by name inside.
    """
    path = Path(path)
    check_model_file(path)
    if is_onnx(path):
        raise ModelFileError(
            Message(
                "weights.onnx",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: an ONNX file; weights are read from a checkpoint, TorchScript or "
                    "state_dict .pt/.pth file",
                ),
                path=str(path),
            )
        )
    names = zip_names(path) or []
    if is_torchscript_archive(names) or any(n.endswith(f"/extra/{SPEC_ENTRY}") for n in names):
        return _detached(load_model_file(path).model.state_dict())
    try:
        with warnings.catch_warnings():  # torch warns about the files it then refuses
            warnings.simplefilter("ignore")
            data = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        # Refused: it holds more than tensors and plain data. The file says what.
        raise ModelFileError(unpickling_message(path)) from None
    except Exception as err:  # noqa: BLE001 - a damaged or foreign file fails anywhere
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise ModelFileError(
            Message(
                "weights.unreadable",
                QT_TRANSLATE_NOOP("messages", "{path}: not a readable PyTorch file ({reason})"),
                path=str(path),
                reason=first,
            )
        ) from None
    if isinstance(data, dict) and data.get("format") == CHECKPOINT_FORMAT:
        return _detached(load_model_file(path).model.state_dict())  # checked as the app reads it
    return _state_dict_in(path, data)


def _state_dict_in(path: Path, data: Any) -> dict[str, torch.Tensor]:
    """The ``state_dict`` that ``data`` is or holds (nested, or ``module.``-prefixed)."""
    for _ in range(3):  # {"model": {"state_dict": ...}} at most, in practice
        if not isinstance(data, dict) or _is_state_dict(data):
            break
        inner = next((data[k] for k in NESTING_KEYS if isinstance(data.get(k), dict)), None)
        if inner is None:
            break
        data = inner
    if not isinstance(data, dict) or not _is_state_dict(data):
        nested = " or ".join(f'"{k}"' for k in NESTING_KEYS)
        raise ModelFileError(
            Message(
                "weights.no_state_dict",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: holds no state_dict (tensors by name, bare or under {nested}); "
                    "found {found}",
                ),
                path=str(path),
                nested=nested,
                found=_described(data),
            )
        )
    prefix = "module."
    if all(key.startswith(prefix) for key in data):  # saved from DataParallel's wrapper
        data = {key[len(prefix) :]: value for key, value in data.items()}
    return _detached(data)


def _is_state_dict(data: dict) -> bool:
    return bool(data) and all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in data.items()
    )


def _described(data: Any) -> str:
    if isinstance(data, dict):
        if not data:
            return Message("weights.empty_dict", QT_TRANSLATE_NOOP("messages", "an empty dict"))
        return Message(
            "weights.dict_keys",
            QT_TRANSLATE_NOOP("messages", "a dict with keys {keys}"),
            keys=_first([str(k) for k in data]),
        )
    return Message(
        "weights.value_type", QT_TRANSLATE_NOOP("messages", "a {type}"), type=type(data).__name__
    )


def _detached(state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {key: value.detach().cpu() for key, value in state.items()}
