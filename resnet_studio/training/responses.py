"""Response std of each 3×3 layer, as the paper's Fig. 7 measures it.

The response of a 3×3 layer is the output of the BatchNorm right after the
convolution, before the addition and the ReLU (:func:`response_layers`). Its
std is one number per layer: the population standard deviation of *every*
element of that output (images × channels × positions), pooled over the
first ``batches`` batches of held-out images. Pooled exactly: each batch's
count, mean and variance are combined by Chan's formula in float64, so four
batches of 128 give the std of the 512 images' responses taken as one tensor
(not a mean of per-batch or per-channel stds). Between-channel differences
of the BN's shift (β) count, as they are part of how strongly the layer
answers.

``mode`` says which statistics the BatchNorm layers normalise with:
``eval`` (default) their running statistics, the trained network as it is
used and as the paper analyses it; ``train`` each batch's own statistics,
as during training (then a layer's std depends on the batch size). Only the
BatchNorm layers switch; the running statistics are left as they were.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from resnet_studio.training.response_file import (
    DEFAULT_BATCHES,
    MODES,
    RecordedResponses,
    write_responses,
)
from resnet_studio.writing import WriteError

if TYPE_CHECKING:
    from resnet_studio.training.runs import RunFolder


def response_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """(path of each 3×3 conv, the BatchNorm right after it), in network order.

    The response of a 3×3 layer is its BN output, before ReLU or addition.
    """
    found = []
    for parent_name, parent in model.named_modules():
        children = list(parent.named_children())
        for (conv_name, first), (_, second) in zip(children, children[1:], strict=False):
            if (
                isinstance(first, nn.Conv2d)
                and first.kernel_size == (3, 3)
                and isinstance(second, nn.BatchNorm2d)
            ):
                found.append((f"{parent_name}.{conv_name}" if parent_name else conv_name, second))
    return found


class ResponseMoments:
    """Hooks on each response layer that gather count, mean and variance per batch.

    Use as a context manager around the forward passes; :meth:`stds` pools what
    was seen. Nothing is read back from the device until then, so watching
    validation batches does not make the GPU wait.
    """

    def __init__(self, layers: list[tuple[str, nn.Module]]) -> None:
        self.layers = layers  # from response_layers
        self._seen: dict[str, list[tuple[int, torch.Tensor, torch.Tensor]]] = {
            path: [] for path, _ in self.layers
        }
        self._hooks: list = []

    def __enter__(self) -> ResponseMoments:
        for path, module in self.layers:
            self._hooks.append(module.register_forward_hook(self._recorder(path)))
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Watch no more batches (what was seen is kept)."""
        for hook in self._hooks:
            hook.remove()
        self._hooks.clear()

    def _recorder(self, path: str):
        seen = self._seen[path]

        def record(_module: nn.Module, _inputs: object, output: torch.Tensor) -> None:
            var, mean = torch.var_mean(output.detach().float(), correction=0)
            seen.append((output.numel(), mean, var))

        return record

    def stds(self) -> dict[str, float]:
        """Each layer's std over every element seen, in network order (layers that saw
        nothing are left out)."""
        seen = {path: batches for path, batches in self._seen.items() if batches}
        if not seen:
            return {}
        # Every batch's mean and variance in one transfer (one device sync), then
        # pooled in float64 on the CPU (MPS has no float64).
        flat = [(m, v) for batches in seen.values() for _n, m, v in batches]
        moments = torch.stack([torch.stack(pair) for pair in flat]).cpu().double()
        stds = {}
        row = 0
        for path, batches in seen.items():
            counts = torch.tensor([n for n, _m, _v in batches], dtype=torch.float64)
            means, variances = moments[row : row + len(batches)].unbind(1)
            row += len(batches)
            total = counts.sum()
            mean = (counts * means).sum() / total
            # Chan et al.: the within-batch sums of squares plus the between-batch ones.
            m2 = (counts * variances).sum() + (counts * (means - mean) ** 2).sum()
            stds[path] = float((m2 / total).sqrt())
        return stds


@contextlib.contextmanager
def batchnorm_mode(model: nn.Module, mode: str) -> Iterator[None]:
    """``model`` in eval mode, its BatchNorm layers in ``mode``; as it was afterwards.

    In ``train`` mode the BN layers' running statistics (and batch counts) are
    saved and put back: measuring must not change the trained network.
    """
    if mode not in MODES:
        raise ValueError(f"mode: must be one of {', '.join(MODES)}, got {mode!r}")
    was_training = {m: m.training for m in model.modules()}
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    saved = [{k: v.clone() for k, v in m.named_buffers(recurse=False)} for m in norms]
    model.eval()
    for m in norms:
        m.train(mode == "train")
    try:
        yield
    finally:
        for m, buffers in zip(norms, saved, strict=True):
            for name, value in buffers.items():
                getattr(m, name).copy_(value)
        for m, training in was_training.items():
            m.training = training


@dataclass(frozen=True)
class Responses:
    """The response std of each 3×3 layer of one model, and how it was measured."""

    paths: tuple[str, ...]
    stds: tuple[float, ...]
    mode: str
    batches: int  # batches measured
    images: int  # images in them


@torch.no_grad()
def measure_responses(
    model: nn.Module,
    batches: Iterable[tuple[torch.Tensor, torch.Tensor]],
    *,
    mode: str = "eval",
    max_batches: int = DEFAULT_BATCHES,
) -> Responses:
    """The response std of each 3×3 layer of ``model`` over the first ``max_batches`` of
    ``batches`` (inputs as ``model`` takes them), with the BN statistics of ``mode``.

    Full precision (no autocast), whatever the model trained with.
    """
    if max_batches < 1:
        raise ValueError(f"batches: must be 1 or more, got {max_batches}")
    device = next((p.device for p in model.parameters()), torch.device("cpu"))
    count = images = 0
    with batchnorm_mode(model, mode), ResponseMoments(response_layers(model)) as moments:
        for inputs, _labels in batches:
            model(inputs.to(device))
            count += 1
            images += len(inputs)
            if count >= max_batches:
                break
    stds = moments.stds()
    return Responses(tuple(stds), tuple(stds.values()), mode, count, images)


def record_responses(folder: RunFolder, model: nn.Module, batches: Any, batch_size: int) -> None:
    """Measure the finished ``model``'s responses in both modes on the first batches of
    ``batches`` (the run's validation batches) and write them to the run folder.

    An analysis on top of a finished run: when it cannot be made (a batch too small
    for batch statistics, a file that cannot be written) the run's log says why and
    the run stays finished (``resnet-studio responses`` measures it later).
    """
    try:
        measured = {mode: measure_responses(model, batches.epoch(0), mode=mode) for mode in MODES}
        first = measured[MODES[0]]
        recorded = RecordedResponses(
            first.paths,
            {mode: m.stds for mode, m in measured.items()},
            "val",
            batch_size,
            first.batches,
            first.images,
        )
        write_responses(folder.path, recorded)
    except (RuntimeError, ValueError, WriteError) as err:
        folder.log(f"response std not recorded: {err}".splitlines()[0])
