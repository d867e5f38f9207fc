"""Run any model file the program writes on images in [0, 1]: checkpoint, TorchScript, ONNX.

A :class:`Predictor` takes a float N×C×H×W batch with values in [0, 1] (pixel /
255) and returns the logits, whatever the file: a checkpoint is built and
wrapped with its normalisation; a TorchScript or ONNX export is run as it is,
since it normalises inside (exactly what a user's own code would run). A file
that does not say how its input was normalised is refused rather than run
with a guess.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from resnet_studio.arch.messages import Message
from resnet_studio.arch.spec import Network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.export import onnx_missing_message
from resnet_studio.model.files import ModelFileError, is_onnx, is_torchscript_archive, zip_names
from resnet_studio.model.load import load_checkpoint, read_network_and_meta
from resnet_studio.model.metadata import ModelMeta
from resnet_studio.model.preprocessing import normalized
from resnet_studio.model.torchscript_weights import read_torchscript_tensors


class Predictor:
    """Logits for [0, 1] image batches; ``meta`` says the input shape and class names."""

    def __init__(
        self,
        run: Callable[[torch.Tensor], torch.Tensor],
        meta: ModelMeta,
        network: Network | None,
        device: torch.device,
        kind: str,
        path: Path | None = None,
    ) -> None:
        self._run = run
        self.meta = meta
        self.network = network
        self.device = device
        self.kind = kind  # "checkpoint", "torchscript", "onnx" or "run"
        self.path = path

    @torch.inference_mode()
    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        """Float32 logits (on ``device``) for a float N×C×H×W batch in [0, 1]."""
        images = images.to(self.device, torch.float32)
        if self.kind not in ("torchscript", "onnx"):
            return self._run(images)
        # An export runs the file's own graph: a damaged or doctored one can fail
        # or answer in the wrong shape, and that is the file's fault, said as such.
        try:
            logits = self._run(images)
        except Exception as err:  # noqa: BLE001 - torch.jit and onnxruntime raise many types
            raise ModelFileError(
                Message(
                    "predictor.fails",
                    QT_TRANSLATE_NOOP(
                        "messages", "{path}: the model fails on a batch of {shape} ({reason})"
                    ),
                    path=str(self.path),
                    shape=tuple(images.shape),
                    reason=_first_line(err),
                )
            ) from None
        expected = (images.shape[0], len(self.meta.categories))
        if not isinstance(logits, torch.Tensor) or tuple(logits.shape) != expected:
            got = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__
            raise ModelFileError(
                Message(
                    "predictor.answers",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "{path}: the model answers {got} for a batch of {batch}, "
                        "not {expected} (one score per class)",
                    ),
                    path=str(self.path),
                    got=str(got),
                    batch=images.shape[0],
                    expected=str(expected),
                )
            )
        return logits.float()


def _no_preprocessing(path: Path) -> ModelFileError:
    return ModelFileError(
        Message(
            "predictor.no_preprocessing",
            QT_TRANSLATE_NOOP(
                "messages",
                "{path}: the file does not record how its input was normalised (written "
                "before ResNet Studio stored it); export it again from its run folder "
                "(resnet-studio export RUNDIR ...) or evaluate the run folder itself",
            ),
            path=str(path),
        )
    )


def _first_line(err: BaseException) -> str:
    """The first line with text: torch.jit's messages start with a blank one."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[0][:200] if lines else type(err).__name__


def _torch_device(device: str | torch.device | None) -> torch.device:
    if device is None or str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def module_predictor(
    network: Network,
    model: nn.Module,
    meta: ModelMeta,
    device: str | torch.device | None = None,
    kind: str = "run",
) -> Predictor:
    """A predictor for a built network with trained weights (normalised in front)."""
    dev = _torch_device(device)
    wrapped = normalized(model, meta.mean, meta.std).to(dev).eval()
    return Predictor(wrapped, meta, network, dev, kind)


def _onnx_predictor(path: Path, meta: ModelMeta, network: Network) -> Predictor:
    try:
        import onnxruntime as ort
    except ImportError:
        raise ModelFileError(
            Message(
                "predictor.onnx_missing",
                QT_TRANSLATE_NOOP("messages", "{path}: running {missing}"),
                path=str(path),
                missing=onnx_missing_message(),
            )
        ) from None
    try:
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    except Exception as err:  # noqa: BLE001 - onnxruntime raises its own types
        raise ModelFileError(
            Message(
                "predictor.onnxruntime",
                QT_TRANSLATE_NOOP("messages", "{path}: onnxruntime cannot load it ({reason})"),
                path=str(path),
                reason=_first_line(err),
            )
        ) from None
    name = session.get_inputs()[0].name

    def run(images: torch.Tensor) -> torch.Tensor:
        (logits,) = session.run(None, {name: images.cpu().numpy()})
        return torch.from_numpy(logits)

    return Predictor(run, meta, network, torch.device("cpu"), "onnx", path)


def _torchscript_predictor(path: Path, meta: ModelMeta, network: Network, device) -> Predictor:
    # Runs the archive's TorchScript code, as the user's own torch.jit.load would; but
    # first its pickle is read as File → Open reads it, so one that names other globals
    # than a module's weights is refused with the same message, before torch sees it.
    read_torchscript_tensors(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        try:
            module = torch.jit.load(str(path), map_location=device)
        except Exception as err:  # noqa: BLE001 - torch.jit raises many types
            raise ModelFileError(
                Message(
                    "predictor.jit",
                    QT_TRANSLATE_NOOP(
                        "messages", "{path}: torch.jit.load cannot load it ({reason})"
                    ),
                    path=str(path),
                    reason=_first_line(err),
                )
            ) from None
    return Predictor(module.eval(), meta, network, device, "torchscript", path)


def open_predictor(path: str | os.PathLike[str], device: str | None = None) -> Predictor:
    """A predictor for a checkpoint ``.pt``, TorchScript ``.pt`` or ``.onnx`` file."""
    path = Path(path)
    network, meta = read_network_and_meta(path)
    exported = is_onnx(path) or is_torchscript_archive(zip_names(path))
    # Trained weights need their normalisation: an export carries it inside, a
    # checkpoint as mean and std. Fresh weights have none and run as they are.
    if meta is None or (meta.trained and exported and not meta.normalized_inside):
        raise _no_preprocessing(path)
    if is_onnx(path):
        return _onnx_predictor(path, meta, network)
    dev = _torch_device(device)
    if exported:
        return _torchscript_predictor(path, meta, network, dev)
    loaded = load_checkpoint(path)
    return module_predictor(loaded.network, loaded.model, meta, dev, "checkpoint")
