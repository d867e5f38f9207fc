"""Networks the spec cannot express yet: the report names every operation in the way,
not only the first."""

from __future__ import annotations

import torchvision
from torch import nn

from resnet_studio.importer.api import import_module

SHAPE = (3, 64, 64)


def test_mobilenet_v3_report_names_every_operation_still_unsupported() -> None:
    """Hardswish, Hardsigmoid, BatchNorm with eps 1e-3 and the squeeze-and-excitation's
    product: each one named, found apart from the importer in the model itself."""
    model = torchvision.models.mobilenet_v3_small(weights=None)
    result = import_module(model, SHAPE, source="torchvision:mobilenet_v3_small")
    report = result.report
    assert result.network is None and result.state_dict is None and not report.exact
    expected = set()
    for name, m in model.named_modules():
        if type(m) in (nn.Hardswish, nn.Hardsigmoid):
            expected.add((name, f"nn.{type(m).__name__}"))
        elif isinstance(m, nn.BatchNorm2d) and m.eps != 1e-5:
            expected.add((name, "nn.BatchNorm2d"))
        elif type(m).__name__ == "SqueezeExcitation":
            expected.add((name, "operator.mul"))  # the mul node inside it: ``{name}.mul_3``
    found = [
        (p.source.rpartition(".")[0] if p.op == "operator.mul" else p.source, p.op)
        for p in report.unsupported
    ]
    assert len(found) == len(set(found)) == 71
    assert set(found) == expected
    text = "\n".join(report.lines())
    assert "71 operations cannot be expressed" in text
    assert "    features.0.2 (nn.Hardswish): nn.Hardswish has no kind in the designer" in text


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
