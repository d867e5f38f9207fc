"""A trained network that takes images in [0, 1] and normalises them itself.

Training feeds ``(x - mean) / std`` with the data set's statistics. Exported
TorchScript and ONNX files put that step inside the graph, so that
``torch.jit.load(f)(x)`` or onnxruntime on plain [0, 1] images gives the
trained accuracy with no step of the user's own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import torch
from torch import nn


class Normalized(nn.Sequential):
    """The network's own layers, after ``(x - mean) / std`` per channel.

    A subclass of ``nn.Sequential`` holding the same children under the same
    names, so its ``state_dict`` keys are exactly the network's; mean and std
    are non-persistent buffers, kept out of the ``state_dict``.
    """

    def __init__(self, model: nn.Sequential, mean: Sequence[float], std: Sequence[float]) -> None:
        super().__init__(OrderedDict(model.named_children()))
        shape = (1, len(mean), 1, 1)
        self.register_buffer(
            "input_mean", torch.tensor(mean, dtype=torch.float32).view(shape), persistent=False
        )
        self.register_buffer(
            "input_std", torch.tensor(std, dtype=torch.float32).view(shape), persistent=False
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - self.input_mean) / self.input_std
        for module in self:
            x = module(x)
        return x


def normalized(
    model: nn.Module, mean: Sequence[float] | None, std: Sequence[float] | None
) -> nn.Module:
    """``model`` taking [0, 1] input when mean and std are known; else ``model`` itself."""
    if mean is None or std is None:
        return model
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"expected the built network (nn.Sequential), got {type(model).__name__}")
    return Normalized(model, mean, std)
