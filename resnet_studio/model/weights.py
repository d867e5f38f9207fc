"""Weights from a file, and whether they fit a network: what fine-tuning starts from.

A weights file is one of the program's model files (a checkpoint or TorchScript
``.pt``, read as :mod:`model.load` reads them) or a plain ``state_dict`` saved
with ``torch.save``, as code in the wild saves them: bare, or inside a dict
under ``"state_dict"`` or ``"model"`` (a training checkpoint, ours included),
with DataParallel's ``module.`` prefix or without. Everything is read with
``torch.load(weights_only=True)`` or as tensors from a zip: nothing in the file
runs.

A network takes weights when they fit it exactly (a strict load): the same keys,
each of the same shape. Two differences are adapted, as transfer learning does
(ImageNet weights trained on CIFAR-10 or Fashion-MNIST): the classifier's number of
classes (that layer starts fresh) and the first convolution's 3 or 1 input channels
(its filters summed, or spread evenly); see :class:`WeightsFit`.
:class:`WeightsMismatch` says what differs.
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
    """How weights start a network: ``mismatch``, what differs from its build, and what
    of it is adapted when that is all that differs. ``new_classifier``: the classifier
    (the last Linear layer) for another number of classes (its outputs, for the same
    inputs) starts fresh. ``first_conv``: the first convolution's filters for 3-channel
    images summed for 1-channel ones, or for 1 channel spread evenly over 3: what the
    filters would see of a grey image given in all three channels, or of the mean of
    a colour one."""

    mismatch: WeightsMismatch
    new_classifier: str | None = None
    classes: int = 0  # the classes the new classifier scores (0 without one)
    weights_classes: int = 0  # the classes the weights' classifier scored (0 without one)
    first_conv: str | None = None
    channels: int = 0  # the input channels the first convolution is adapted to (0: not)
    weights_channels: int = 0  # the input channels the weights' filters took (0: not)

    @property
    def usable(self) -> bool:
        """Whether a run can start from the weights: they fit, or what differs is
        adapted."""
        return not self.mismatch or bool(self.new_classifier or self.first_conv)


def classifier_of(model: nn.Module) -> str | None:
    """The name of ``model``'s classifier, its last Linear layer; None without one."""
    names = [name for name, module in model.named_modules() if isinstance(module, nn.Linear)]
    return names[-1] if names else None


def first_conv_of(model: nn.Module) -> str | None:
    """The name of ``model``'s first convolution, the one that sees the image."""
    return next((n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)), None)


def _sees_the_image_alone(model: nn.Module, name: str) -> bool:
    """Whether layer ``name`` is the first of plain sequences down from ``model``: the
    only layer the image reaches (not a block whose shortcut takes the image too)."""
    module = model
    path = []
    while isinstance(module, nn.Sequential) and len(module) > 0:
        child, module = next(iter(module.named_children()))
        path.append(child)
    return ".".join(path) == name


def _grey_and_colour(given: tuple[int, ...], needed: tuple[int, ...]) -> bool:
    """Filters that differ only in taking 1 or 3 input channels."""
    return (
        len(given) == len(needed) == 4
        and given[0] == needed[0]
        and given[2:] == needed[2:]
        and {given[1], needed[1]} == {1, 3}
    )


def weights_fit(model: nn.Module, state: Mapping[str, Any]) -> WeightsFit:
    """How ``state`` fits ``model`` (see :class:`WeightsFit`). When they do not fit, the
    mismatch names only what stops them: a layer that would be adapted is no problem."""
    mismatch = compare_weights(state_shapes(model), state)
    if not mismatch:
        return WeightsFit(mismatch)
    classifier, first = classifier_of(model), first_conv_of(model)
    adapted: dict[str, Any] = {}
    blocking = []
    for key, given, needed in mismatch.reshaped:
        layer, _, what = key.rpartition(".")
        if layer == classifier and given[1:] == needed[1:]:
            adapted.update(new_classifier=layer, classes=needed[0], weights_classes=given[0])
        elif (
            layer == first
            and what == "weight"
            and model.get_submodule(first).groups == 1
            and _grey_and_colour(given, needed)
            and _sees_the_image_alone(model, first)
        ):
            adapted.update(first_conv=layer, channels=needed[1], weights_channels=given[1])
        else:
            blocking.append((key, given, needed))
    if mismatch.missing or mismatch.unexpected or blocking:
        return WeightsFit(WeightsMismatch(mismatch.missing, mismatch.unexpected, tuple(blocking)))
    return WeightsFit(mismatch, **adapted)


def network_fit(network: Network, state: Mapping[str, Any]) -> WeightsFit:
    """How ``state`` fits ``network``. The network is built on PyTorch's meta device:
    shapes only, no memory for the weights, nothing initialised for real.
    :class:`~resnet_studio.model.build.BuildError` for a network with problems."""
    with torch.device("meta"):
        model = build_model(network)
    return weights_fit(model, state)


def load_weights(model: nn.Module, state: Mapping[str, torch.Tensor], source: str) -> WeightsFit:
    """Copy ``state`` into ``model``, adapted as :class:`WeightsFit` says (the fit is
    returned): a new classifier is left as the model initialised it.
    :class:`WeightsMismatchError` (naming ``source`` and the keys) for weights that do
    not fit, and ``model`` is left as it was."""
    fit = weights_fit(model, state)
    if not fit.usable:
        raise WeightsMismatchError(source, fit.mismatch)
    state = dict(state)
    if fit.first_conv is not None:
        key = f"{fit.first_conv}.weight"
        filters = state[key]
        if fit.channels == 1:  # a grey image in all three channels
            state[key] = filters.sum(dim=1, keepdim=True)
        else:  # each colour channel a third of the grey filter: the same on a grey image
            state[key] = filters.repeat(1, fit.channels, 1, 1) / fit.channels
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
