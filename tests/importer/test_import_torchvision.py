"""torchvision's residual networks import exactly: same parameter count, the original
state_dict keys load strictly into our build, equal outputs; stages become Repeats."""

from __future__ import annotations

import pytest
import torch
import torchvision

from resnet_studio.arch import spec as s
from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.importer.api import import_module
from tests.importer.helpers import assert_exact

# Small images keep the test quick; every one of these networks takes them.
SHAPE = (3, 64, 64)
STAGES = {
    "resnet18": (2, 2, 2, 2),
    "resnet34": (3, 4, 6, 3),
    "resnet50": (3, 4, 6, 3),
    "resnet101": (3, 4, 23, 3),
    "resnet152": (3, 8, 36, 3),
    "resnext50_32x4d": (3, 4, 6, 3),
    "wide_resnet50_2": (3, 4, 6, 3),
}


@pytest.mark.parametrize("name", sorted(STAGES))
def test_torchvision_resnets_import_exactly(name: str) -> None:
    torch.manual_seed(0)
    model = torchvision.models.get_model(name, weights=None)
    result = import_module(model, SHAPE, name=name, source=f"torchvision:{name}")
    assert model.training, "the source's training flag is restored"
    assert_exact(result, model)
    network = result.network
    stages = [n for n in network.body if isinstance(n, s.Repeat)]
    assert [n.name for n in stages] == ["layer1", "layer2", "layer3", "layer4"]
    assert tuple(n.count for n in stages) == STAGES[name]
    assert all(isinstance(n.body[0], s.Residual) for n in stages)
    assert network.classes == 1000 and network.body[-1].out_features is None
    assert result.report.renamed() == []


@pytest.mark.parametrize("name", ["resnet18", "resnet50"])
def test_imported_resnet_has_the_presets_numbers(name: str) -> None:
    """Our preset and the import of torchvision's model: the same layers table totals."""
    model = torchvision.models.get_model(name, weights=None)
    imported = import_module(model, (3, 224, 224)).network
    preset = infer(preset_network(name))
    table = infer(imported)
    assert (table.total_params, table.total_macs) == (preset.total_params, preset.total_macs)
    assert table.total_params == sum(p.numel() for p in model.parameters())


def test_report_lists_every_module_with_its_path() -> None:
    model = torchvision.models.resnet18(weights=None)
    report = import_module(model, SHAPE).report
    where = {m.source: (m.path, m.kind) for m in report.mapped}
    assert where["conv1"] == ("conv1", "Conv2d")
    assert where["layer2.0.downsample.0"] == ("layer2.0.downsample.0", "Conv2d")
    assert where["layer2.0.downsample.1"] == ("layer2.0.downsample.1", "BatchNorm2d")
    assert where["layer3.1.relu@1"] == ("layer3.1", "Residual (ReLU after the addition)")
    assert where["flatten"] == ("flatten", "Flatten")
    modules = {name for name, m in model.named_modules() if not list(m.children())}
    assert modules <= {m.source.partition("@")[0] for m in report.mapped}
    assert report.to_json()["exact"] is True


@pytest.mark.parametrize(("name", "convs"), [("vgg11_bn", 8), ("vgg19_bn", 16)])
def test_torchvision_vgg_bn_imports_exactly_with_its_names(name: str, convs: int) -> None:
    """``features`` and ``classifier`` become Groups (keys ``features.0.weight`` …), the
    7×7 adaptive pool a layer, ``torch.flatten(x, 1)`` a Flatten; 32×32 images keep it
    quick (the pool repeats the 1×1 map to 7×7, as torch does)."""
    torch.manual_seed(0)
    model = torchvision.models.get_model(name, weights=None)
    result = import_module(model, (3, 32, 32), name=name, source=f"torchvision:{name}")
    assert_exact(result, model)
    features, avgpool, flatten, classifier = result.network.body
    assert [n.kind for n in result.network.body] == [
        "Group", "AdaptiveAvgPool2d", "Flatten", "Group",
    ]  # fmt: skip
    assert (features.name, classifier.name, avgpool.output_size) == ("features", "classifier", 7)
    assert sum(n.kind == "Conv2d" for n in features.body) == convs
    assert [n.kind for n in classifier.body] == ["Linear", "ReLU", "Dropout"] * 2 + ["Linear"]
    assert result.report.renamed() == []


def test_torchvision_mobilenet_v2_imports_exactly() -> None:
    """Depthwise convs (groups), ReLU6, inverted residuals that add without a ReLU."""
    torch.manual_seed(0)
    model = torchvision.models.mobilenet_v2(weights=None)
    result = import_module(model, SHAPE, source="torchvision:mobilenet_v2")
    assert_exact(result, model)
    blocks = [n for n in result.network.body[0].body if isinstance(n, s.Residual)]
    assert len(blocks) == 10 and not any(b.post_relu for b in blocks)
