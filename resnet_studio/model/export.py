"""Write networks as ``.pt`` and ``.onnx`` files that work without this program.

- checkpoint: ``{"format", "version", "spec" (project JSON text), "state_dict",
  "meta"}``, readable with ``torch.load(path, weights_only=True)``; the
  ``state_dict`` keys are the network's own (torchvision's for the ImageNet
  presets), and ``meta`` (see :mod:`resnet_studio.model.metadata`) says how to
  prepare the input and names the classes;
- TorchScript: a traced module for ``torch.jit.load``, with the project JSON
  and the metadata stored as the archive's extra files;
- ONNX (optional ``onnx`` packages), with the same two texts in ``metadata_props``.

A trained network's TorchScript and ONNX files take images in [0, 1] and
normalise them inside the graph. Every file is written to a temporary name
first and renamed, so a failed export never leaves half a file.
"""

from __future__ import annotations

import copy
import io
import os
import warnings
from typing import Any

import torch
from torch import nn

from resnet_studio.arch.messages import Message, text_of
from resnet_studio.arch.project import project_to_json
from resnet_studio.arch.spec import Network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.full_version import is_bundle
from resnet_studio.model.build import BuildError, build_model
from resnet_studio.model.files import (
    CHECKPOINT_FORMAT,
    CHECKPOINT_VERSION,
    EXPORT_FORMATS,
    META_ENTRY,
    SPEC_ENTRY,
    ModelFileError,
    unknown_format,
)
from resnet_studio.model.metadata import ModelMeta, untrained_meta
from resnet_studio.model.preprocessing import normalized
from resnet_studio.writing import WriteError, write_atomically

__all__ = [
    "EXPORT_FORMATS",
    "ModelFileError",
    "checkpoint_dict",
    "export_model",
    "save_checkpoint",
    "save_onnx",
    "save_torchscript",
]


def _write(path: str | os.PathLike[str], data: bytes) -> None:
    try:
        write_atomically(path, data)
    except WriteError as err:
        raise ModelFileError(text_of(err)) from None


def _meta_for(network: Network, meta: ModelMeta | None) -> ModelMeta:
    """``meta``, checked against the network; an untrained one when there is none."""
    if meta is None:
        return untrained_meta(network.input_shape, network.classes)
    if meta.input_shape != network.input_shape or len(meta.categories) != network.classes:
        raise ModelFileError(
            Message(
                "export.meta_mismatch",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "the weights' metadata is for {shape} images and {classes} classes, "
                    "but {network} takes {takes} and {takes_classes}",
                ),
                shape="×".join(map(str, meta.input_shape)),
                classes=len(meta.categories),
                network=network.name,
                takes="×".join(map(str, network.input_shape)),
                takes_classes=network.classes,
            )
        )
    return meta


def example_input(network: Network, model: nn.Module, batch: int = 1) -> torch.Tensor:
    """A zero batch of the network's input shape in the model's dtype, for tracing."""
    dtype = next(model.parameters(), torch.zeros(())).dtype
    return torch.zeros(batch, *network.input_shape, dtype=dtype)


def checkpoint_dict(
    network: Network,
    model: nn.Module,
    meta: ModelMeta | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The checkpoint as a plain dict: only strings, numbers, lists and tensors."""
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    return {
        "format": CHECKPOINT_FORMAT,
        "version": CHECKPOINT_VERSION,
        "spec": project_to_json(network),
        "state_dict": state,
        # A checkpoint holds the bare network: the user normalises with mean and std.
        "meta": _meta_for(network, meta).with_normalization_inside(False).to_dict(),
        **(extra or {}),
    }


def save_checkpoint(
    path: str | os.PathLike[str],
    network: Network,
    model: nn.Module,
    meta: ModelMeta | None = None,
) -> None:
    """Write a checkpoint ``.pt`` (spec + weights + metadata), atomically."""
    buffer = io.BytesIO()
    torch.save(checkpoint_dict(network, model, meta), buffer)
    _write(path, buffer.getvalue())


def _runnable_copy(model: nn.Module, meta: ModelMeta) -> tuple[nn.Module, ModelMeta]:
    """A CPU eval-mode copy that takes [0, 1] input when the statistics are known.

    A copy, so exporting never moves or switches the caller's model, which may
    be training on a GPU in another thread.
    """
    model = copy.deepcopy(model).cpu().eval()
    return normalized(model, meta.mean, meta.std).eval(), meta.with_normalization_inside(True)


def save_torchscript(
    path: str | os.PathLike[str],
    network: Network,
    model: nn.Module,
    meta: ModelMeta | None = None,
) -> None:
    """Write a traced TorchScript ``.pt`` in eval mode, with spec and metadata inside."""
    model, meta = _runnable_copy(model, _meta_for(network, meta))
    # TorchScript is deprecated upstream but is still what torch.jit.load runs.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        traced = torch.jit.trace(model, example_input(network, model))
        buffer = io.BytesIO()
        extra = {SPEC_ENTRY: project_to_json(network), META_ENTRY: meta.to_json()}
        torch.jit.save(traced, buffer, _extra_files=extra)
    _write(path, buffer.getvalue())


def onnx_missing_message() -> str:
    """Why ONNX files cannot be written, read or run here, and how to get the packages: a
    pip install adds the extra; a frozen bundle cannot be added to, so the user is told
    which bundle has them."""
    if is_bundle():
        return Message(
            "export.onnx_bundle",
            QT_TRANSLATE_NOOP(
                "messages",
                "ONNX files need the onnx packages, which this bundle of ResNet Studio lacks; "
                "the full bundle has them",
            ),
        )
    # The packages by name: the program is installed from a checkout, not from PyPI.
    return Message(
        "export.onnx_missing",
        QT_TRANSLATE_NOOP(
            "messages",
            "ONNX files need the optional onnx packages: pip install onnx onnxscript onnxruntime",
        ),
    )


def save_onnx(
    path: str | os.PathLike[str],
    network: Network,
    model: nn.Module,
    meta: ModelMeta | None = None,
) -> None:
    """Write an ONNX model (batch size dynamic) with spec and metadata in ``metadata_props``."""
    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError:
        raise ModelFileError(onnx_missing_message()) from None
    model, meta = _runnable_copy(model, _meta_for(network, meta))
    batch = torch.export.Dim("batch", min=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            model,
            (example_input(network, model, batch=2),),
            dynamic_shapes=({0: batch},),
            input_names=["input"],
            output_names=["logits"],
            dynamo=True,
            verbose=False,
        )
    program.model.metadata_props[SPEC_ENTRY] = project_to_json(network)
    program.model.metadata_props[META_ENTRY] = meta.to_json()
    _write(path, program.model_proto.SerializeToString())


def export_model(
    path: str | os.PathLike[str],
    fmt: str,
    network: Network,
    model: nn.Module | None = None,
    meta: ModelMeta | None = None,
) -> None:
    """Export ``network`` with ``model``'s weights (or fresh ones) as ``fmt``.

    ``meta`` describes trained weights; without it the file says it is
    untrained, with no preprocessing.
    """
    if fmt not in EXPORT_FORMATS:
        raise ModelFileError(unknown_format(fmt))
    if model is None:
        try:
            model = build_model(network)
        except BuildError as err:
            raise ModelFileError(text_of(err)) from None
        meta = None
    {"torchscript": save_torchscript, "checkpoint": save_checkpoint, "onnx": save_onnx}[fmt](
        path, network, model, meta
    )
