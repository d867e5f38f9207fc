"""Groups, zero-pad placement and pre-activation blocks, built and held against torch code
written the way people write it: the same ``state_dict`` keys, a strict load, equal outputs.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections import OrderedDict
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F  # noqa: N812 - torch's own spelling
from torch import nn

from resnet_studio.arch import spec as s
from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import project_from_json, project_to_json
from resnet_studio.model.build import ZeroPadShortcut, build_model
from resnet_studio.model.export import export_model


def _same_outputs(ours: nn.Module, theirs: nn.Module, shape: tuple[int, ...]) -> None:
    """Load ``theirs``'s weights strictly into ``ours`` and compare eval-mode outputs."""
    torch.manual_seed(0)
    for module in theirs.modules():  # BatchNorm statistics that are not 0 and 1
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.5, 0.5)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict(theirs.state_dict(), strict=True)
    x = torch.randn(2, *shape)
    with torch.no_grad():
        torch.testing.assert_close(ours.eval()(x), theirs.eval()(x), rtol=1e-4, atol=1e-5)


# --- Group: nn.Sequential's names survive ----------------------------------------------


def _vgg_like_torch() -> nn.Module:
    return nn.Sequential(
        OrderedDict(
            features=nn.Sequential(
                nn.Conv2d(3, 8, 3, padding=1),
                nn.BatchNorm2d(8),
                nn.ReLU(),
                nn.MaxPool2d(2, 2),
                nn.Conv2d(8, 16, 3, padding=1),
                nn.ReLU(),
            ),
            avgpool=nn.AdaptiveAvgPool2d(1),
            flatten=nn.Flatten(),
            classifier=nn.Sequential(nn.Dropout(), nn.Linear(16, 12), nn.ReLU(), nn.Linear(12, 5)),
        )
    )


def _vgg_like_spec() -> s.Network:
    features = (
        s.Conv2d(name="0", out_channels=8, bias=True),
        s.BatchNorm2d(name="1"),
        s.ReLU(name="2"),
        s.MaxPool2d(name="3"),
        s.Conv2d(name="4", out_channels=16, bias=True),
        s.ReLU(name="5"),
    )
    classifier = (
        s.Dropout(name="0"),
        s.Linear(name="1", out_features=12),
        s.ReLU(name="2"),
        s.Linear(name="3"),
    )
    return s.Network(
        name="vgg-like",
        input_shape=(3, 16, 16),
        classes=5,
        body=(
            s.Group(name="features", body=features),
            s.GlobalAvgPool(name="avgpool"),
            s.Flatten(name="flatten"),
            s.Group(name="classifier", body=classifier),
        ),
    )


def test_a_group_keeps_nn_sequential_names_and_loads_strictly() -> None:
    network = _vgg_like_spec()
    model = build_model(network)
    assert "features.0.weight" in model.state_dict()
    assert "classifier.3.bias" in model.state_dict()
    _same_outputs(model, _vgg_like_torch(), network.input_shape)


def test_a_group_has_rows_with_its_path_and_totals() -> None:
    summary = infer(_vgg_like_spec())
    rows = {row.path: row for row in summary.rows}
    assert rows["features"].is_container and rows["features"].kind == "Group"
    assert rows["features"].output_shape == (16, 8, 8)
    assert rows["features.4"].params == 8 * 16 * 9 + 16
    assert rows["classifier"].params == rows["classifier.1"].params + rows["classifier.3"].params
    torch_params = sum(p.numel() for p in _vgg_like_torch().parameters())
    assert summary.total_params == torch_params


def test_a_group_inside_a_repeat_takes_the_stride_in_the_first_repetition_only() -> None:
    body = (s.Group(name="g", body=(s.Conv2d(name="c", out_channels=4, stride=2),)),)
    network = s.Network(
        input_shape=(4, 16, 16),
        classes=2,
        body=(
            s.Repeat(name="stage", count=3, body=body),
            s.GlobalAvgPool(name="gap"),
            s.Flatten(name="flatten"),
            s.Linear(name="fc"),
        ),
    )
    rows = {row.path: row for row in infer(network).rows}
    assert rows["stage.0.c"].output_shape == (4, 8, 8)
    assert rows["stage.2.c"].output_shape == (4, 8, 8)
    model = build_model(network)
    assert model.stage[2].c.stride == (1, 1)
    assert model(torch.zeros(1, 4, 16, 16)).shape == (1, 2)


# --- zero-pad placement: the CIFAR codes' lambda option A ---------------------------------


class _LambdaLayer(nn.Module):
    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(x)


class _CifarBasicBlock(nn.Module):
    """A CIFAR ResNet block as it is commonly written (option A as a lambda)."""

    def __init__(self, in_planes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = _LambdaLayer(
                lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4))
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)


class _CifarResNet20(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.in_planes = 16
        self.layer1 = self._layer(16, 1)
        self.layer2 = self._layer(32, 2)
        self.layer3 = self._layer(64, 2)
        self.linear = nn.Linear(64, 10)

    def _layer(self, planes: int, stride: int) -> nn.Sequential:
        blocks = []
        for block_stride in (stride, 1, 1):
            blocks.append(_CifarBasicBlock(self.in_planes, planes, block_stride))
            self.in_planes = planes
        return nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.avg_pool2d(out, out.size()[3])
        return self.linear(out.view(out.size(0), -1))


def _resnet20_padded(placement: str) -> s.Network:
    """Our CIFAR ResNet-20 with the zero channels placed as asked; ``fc`` named ``linear``."""

    def change(node: s.Node) -> s.Node:
        if isinstance(node, s.Residual):
            return dataclasses.replace(node, pad_placement=placement)
        if isinstance(node, s.Repeat):
            return dataclasses.replace(node, body=tuple(change(n) for n in node.body))
        if isinstance(node, s.Linear):
            return dataclasses.replace(node, name="linear")
        return node

    network = preset_network("cifar-resnet20")
    return dataclasses.replace(network, body=tuple(change(n) for n in network.body))


def test_cifar_resnet20_with_a_lambda_shortcut_loads_and_gives_equal_outputs() -> None:
    theirs = _CifarResNet20()
    network = _resnet20_padded("both")
    assert infer(network).total_params == sum(p.numel() for p in theirs.parameters())
    _same_outputs(build_model(network), theirs, (3, 32, 32))


def test_zero_channels_at_the_end_give_other_outputs_than_on_both_sides() -> None:
    theirs = _CifarResNet20()
    ours = build_model(_resnet20_padded("end"))
    with pytest.raises(AssertionError, match="Tensor-likes are not close"):
        _same_outputs(ours, theirs, (3, 32, 32))


@pytest.mark.parametrize(
    ("placement", "extra", "before"), [("end", 3, 0), ("both", 4, 2), ("both", 3, 1)]
)
def test_zero_pad_shortcut_places_its_zero_channels(placement: str, extra: int, before: int):
    x = torch.arange(1.0, 1.0 + 2 * 4 * 4).reshape(1, 2, 4, 4)
    out = ZeroPadShortcut(2, extra, placement)(x)
    assert out.shape == (1, 2 + extra, 2, 2)
    torch.testing.assert_close(out[:, before : before + 2], x[:, :, ::2, ::2])
    assert out.abs().sum() == x[:, :, ::2, ::2].abs().sum()  # the rest is zeros


# --- pre-activation ResNets (He et al. 2016) against the authors' structure ---------------


class _PreActBasic(nn.Module):
    expansion = 1

    def __init__(self, in_planes: int, planes: int, stride: int) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, "shortcut") else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class _PreActBottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_planes: int, planes: int, stride: int) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        if stride != 1 or in_planes != planes * 4:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes * 4, 1, stride, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, "shortcut") else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        out = self.conv3(F.relu(self.bn3(out)))
        return out + shortcut


class _PreActResNet(nn.Module):
    """kuangliu's PreActResNet blocks in the authors' CIFAR layout (fb.resnet.torch
    preresnet.lua): 3×3 conv to 16 channels, three stages, then BN-ReLU, pool and fc."""

    def __init__(self, block: type[nn.Module], n: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.in_planes = 16
        self.layer1 = self._layer(block, 16, n, 1)
        self.layer2 = self._layer(block, 32, n, 2)
        self.layer3 = self._layer(block, 64, n, 2)
        self.bn = nn.BatchNorm2d(self.in_planes)
        self.fc = nn.Linear(self.in_planes, 10)

    def _layer(self, block, planes: int, n: int, stride: int) -> nn.Sequential:
        blocks = []
        for i in range(n):
            blocks.append(block(self.in_planes, planes, stride if i == 0 else 1))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layer3(self.layer2(self.layer1(self.conv1(x))))
        out = F.relu(self.bn(out))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(out, 1), 1))


def _weights_without_batchnorm(network: s.Network) -> int:
    return sum(row.params for row in infer(network).rows if row.kind in ("Conv2d", "Linear"))


@pytest.mark.parametrize(
    ("depth", "block", "n", "published"),
    [
        (110, _PreActBasic, 18, 1.7),
        (164, _PreActBottleneck, 18, 1.7),
        (1001, _PreActBottleneck, 111, 10.2),
    ],
)
def test_preactivation_preset_equals_the_reference(depth, block, n, published) -> None:
    """Counts match He et al. 2016 (Table 3: 1.7M, 1.7M, 10.2M). The paper's 10.2M for
    ResNet-1001 is its conv and fc weights (10,178,490); BatchNorm's two values per
    channel bring torch's count to 10,327,706."""
    network = preset_network(f"cifar-preact-resnet{depth}")
    theirs = _PreActResNet(block, n)
    total = infer(network).total_params
    weights = _weights_without_batchnorm(network)
    print(f"PreAct-ResNet-{depth}: {total:,} parameters, {weights:,} without BatchNorm")
    assert total == sum(p.numel() for p in theirs.parameters())
    assert round(weights / 1e6, 1) == published
    assert infer(network).depth == depth
    _same_outputs(build_model(network), theirs, (3, 32, 32))


def test_a_preactivation_projection_takes_x_after_the_first_batchnorm_and_relu() -> None:
    """The shortcut's conv sees relu(bn1(x)): with a negative input and bn1 the identity
    the body's ReLU zeroes it, so the block's output is the body's alone."""
    block = s.Residual(
        name="b",
        shortcut="projection",
        preactivation=True,
        post_relu=False,
        body=(s.BatchNorm2d(name="bn1"), s.ReLU(name="relu1"), s.Conv2d(name="c", out_channels=4)),
    )
    network = s.Network(
        input_shape=(2, 4, 4),
        classes=2,
        body=(block, s.GlobalAvgPool(name="gap"), s.Flatten(name="f"), s.Linear(name="fc")),
    )
    model = build_model(network).eval()
    assert [name for name, _ in model.b.named_children()] == ["bn1", "relu1", "c", "shortcut"]
    x = -torch.rand(1, 2, 4, 4) - 0.1
    with torch.no_grad():
        assert torch.equal(model.b.shortcut(F.relu(model.b.bn1(x))), torch.zeros(1, 4, 4, 4))
        torch.testing.assert_close(model.b(x), model.b.c(torch.zeros_like(x)))


def test_preactivation_and_group_survive_torchscript_export(tmp_path: Path) -> None:
    network = dataclasses.replace(
        preset_network("cifar-preact-resnet110"),
        body=(s.Group(name="stem", body=preset_network("cifar-preact-resnet110").body[:2]),)
        + preset_network("cifar-preact-resnet110").body[2:],
    )
    network = project_from_json(project_to_json(network))
    model = build_model(network, seed=0).eval()
    path = tmp_path / "net.pt"
    export_model(path, "torchscript", network, model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # TorchScript is deprecated upstream
        scripted = torch.jit.load(str(path))
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(scripted(x), model(x), rtol=1e-4, atol=1e-5)
