"""Scaled CIFAR presets build and run, odd channel counts (zero-padded shortcuts) included."""

from __future__ import annotations

import pytest
import torch

from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.model.build import build_model


@pytest.mark.parametrize("width", [0.25, 0.3, 0.5, 1.5])
@pytest.mark.parametrize("key", ["cifar-resnet20", "cifar-plain20"])
def test_scaled_preset_runs_forward_and_backward(key: str, width: float) -> None:
    network = preset_network(key, width=width)
    model = build_model(network, seed=0)
    # The parameter count the table shows is the one torch builds.
    assert sum(p.numel() for p in model.parameters()) == infer(network).total_params
    out = model(torch.randn(2, 3, 32, 32))
    assert out.shape == (2, 10)
    out.sum().backward()
