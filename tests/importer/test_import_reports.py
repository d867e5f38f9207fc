"""Networks the spec cannot express yet: the report names every operation in the way,
not only the first."""

from __future__ import annotations

import torchvision
from torch import nn

from resnet_studio.importer.api import import_module

SHAPE = (3, 64, 64)


def test_mobilenet_v2_report_names_every_relu6() -> None:
    model = torchvision.models.mobilenet_v2(weights=None)
    result = import_module(model, SHAPE, source="torchvision:mobilenet_v2")
    relu6 = [name for name, m in model.named_modules() if isinstance(m, nn.ReLU6)]
    assert len(relu6) == 35
    report = result.report
    assert result.network is None and result.state_dict is None and not report.exact
    assert [(p.source, p.op) for p in report.unsupported] == [(n, "nn.ReLU6") for n in relu6]
    assert all("ReLU6 has no kind" in p.reason for p in report.unsupported)
    text = "\n".join(report.lines())
    assert "35 operations cannot be expressed" in text
    assert all(f"    {name} (nn.ReLU6)" in text for name in relu6)


def test_densenet_report_names_every_concatenation() -> None:
    model = torchvision.models.densenet121(weights=None)
    report = import_module(model, SHAPE).report
    layers = [n for n, m in model.named_modules() if type(m).__name__ == "_DenseLayer"]
    blocks = [n for n, m in model.named_modules() if type(m).__name__ == "_DenseBlock"]
    assert (len(layers), len(blocks)) == (58, 4)
    cats = [p for p in report.unsupported if p.op == "torch.cat"]
    # One concatenation in each layer (of the features so far), one at the end of each block.
    assert sorted(p.source.rpartition(".")[0] for p in cats) == sorted(layers + blocks)
    assert all("concatenates" in p.reason for p in cats)
    # And where the walk stopped: a tensor whose branches end at different concatenations.
    others = [p for p in report.unsupported if p.op != "torch.cat"]
    assert len(others) == 1
    assert "branches do not meet at one operation (they end at features.denseblock1" in (
        others[0].reason
    )
