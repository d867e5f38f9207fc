"""What every exact import must show, checked apart from the importer's own check."""

from __future__ import annotations

import torch
from torch import nn

from resnet_studio.importer.api import ImportResult
from resnet_studio.model.build import build_empty


def assert_exact(result: ImportResult, source: nn.Module, same_keys: bool = True) -> nn.Module:
    """The report says exact, and it is: our build of the network has the source's
    parameter count, takes the weights strictly and gives the source's outputs (its own
    forward, not the importer's trace) on other random images."""
    report = result.report
    assert report.unsupported == [], report.lines()
    assert report.exact, report.lines()
    model = build_empty(result.network)  # built as build_model does, without initial weights
    assert sum(p.numel() for p in model.parameters()) == sum(p.numel() for p in source.parameters())
    model.load_state_dict(result.state_dict, strict=True, assign=True)
    if same_keys:
        assert list(result.state_dict) == list(source.state_dict())
    x = torch.randn(3, *result.network.input_shape, generator=torch.Generator().manual_seed(7))
    source.eval()
    with torch.no_grad():
        torch.testing.assert_close(model.eval()(x), source(x), rtol=1e-5, atol=1e-5)
    return model
