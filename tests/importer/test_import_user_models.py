"""Networks as people write them: functional ReLUs, lambda shortcuts, nn.Sequential,
pre-activation blocks; what the spec can express imports exactly, the rest is named."""

from __future__ import annotations

import torch
from torch import nn

from resnet_studio.arch import spec as s
from resnet_studio.importer.api import import_module
from tests.importer import user_models as u
from tests.importer.helpers import assert_exact

CIFAR = (3, 32, 32)


def test_cifar_resnet_with_projection_shortcuts_keeps_its_weights_renamed() -> None:
    model = u.CifarResNet(n=3, option="B")
    result = import_module(model, CIFAR)
    assert_exact(result, model, same_keys=False)
    renamed = {m.source: m.path for m in result.report.renamed()}
    assert renamed == {
        "layer2.0.shortcut.0": "layer2.0.downsample.0",
        "layer2.0.shortcut.1": "layer2.0.downsample.1",
        "layer3.0.shortcut.0": "layer3.0.downsample.0",
        "layer3.0.shortcut.1": "layer3.0.downsample.1",
    }
    keys = {k.replace(".shortcut.", ".downsample.") for k in model.state_dict()}
    assert set(result.state_dict) == keys


def test_option_a_shortcut_that_appends_zero_channels_imports_exactly() -> None:
    model = u.CifarResNet(n=3, option="A-end")
    result = import_module(model, CIFAR)
    assert_exact(result, model)  # no weights on the shortcut: every key as in the source
    layer2 = next(n for n in result.network.body if n.name == "layer2")
    assert isinstance(layer2, s.Repeat) and layer2.count == 3
    assert layer2.body[0].shortcut == "zero-pad"


def test_option_a_padding_both_sides_is_reported_for_every_block() -> None:
    """The common CIFAR code pads half the new channels before: not expressible yet."""
    result = import_module(u.CifarResNet(n=3, option="A"), CIFAR)
    assert result.network is None and not result.report.exact
    problems = {(p.source, p.op): p.reason for p in result.report.unsupported}
    assert set(problems) == {("layer2.0.add_3", "operator.add"), ("layer3.0.add_6", "operator.add")}
    assert "8 zero channels before" in problems[("layer2.0.add_3", "operator.add")]


def test_pre_activation_resnet_imports_exactly() -> None:
    model = u.PreActNet(blocks=3)
    result = import_module(model, CIFAR)
    assert_exact(result, model)
    layer1 = next(n for n in result.network.body if n.name == "layer1")
    block = layer1.body[0]
    assert layer1.count == 3 and block.shortcut in ("auto", "identity")
    assert [n.kind for n in block.body[:2]] == ["BatchNorm2d", "ReLU"]
    assert block.post_relu is False


def test_plain_sequential_keeps_its_numbered_names() -> None:
    model = u.plain_sequential()
    result = import_module(model, CIFAR)
    assert_exact(result, model)
    assert [n.name for n in result.network.body] == [str(i) for i in range(10)]


def test_blocks_that_differ_are_not_folded_into_a_repeat() -> None:
    """A stage whose second block has a stride is no Repeat (strides act in the first
    repetition only): the blocks stay one by one, and the import is still exact."""
    model = u.CifarResNet(n=2, option="B")
    model.layer1[1].conv1.stride = (2, 2)
    model.layer1[1].shortcut = nn.Sequential(
        nn.Conv2d(16, 16, 1, 2, bias=False), nn.BatchNorm2d(16)
    )
    result = import_module(model, CIFAR)
    assert_exact(result, model, same_keys=False)
    names = [n.name for n in result.network.body]
    assert "layer1_0" in names and "layer1_1" in names and "layer2" in names


def test_every_unsupported_operation_is_named_not_only_the_first() -> None:
    report = import_module(u.SqueezeExcite(), (3, 16, 16)).report
    assert [(p.source, p.op) for p in report.unsupported] == [
        ("act", "nn.SiLU"),
        ("sigmoid", "torch.sigmoid"),
        ("mul", "operator.mul"),
    ]
    assert "SiLU has no kind" in report.unsupported[0].reason
    assert "multiplies two tensors" in report.unsupported[2].reason


def test_a_module_called_twice_shares_weights_and_is_refused() -> None:
    report = import_module(u.SharedConv(), (3, 8, 8)).report
    assert [(p.source, p.reason) for p in report.unsupported] == [
        ("conv@1", "calls conv again: shared weights")
    ]


def test_batchnorm_with_another_eps_is_refused_and_momentum_is_a_note() -> None:
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4, momentum=0.01), nn.BatchNorm2d(4, eps=1e-3)
    )
    report = import_module(model, (3, 8, 8)).report
    assert [(p.source, p.reason) for p in report.unsupported] == [
        ("2", "eps 0.001; the designer's BatchNorm uses PyTorch's default 1e-05")
    ]
    assert report.notes == ["1: momentum 0.01 becomes 0.1 (changes training only)"]


def test_a_reshape_that_swallows_the_batch_is_refused() -> None:
    """``x.view(1, -1)`` flattens a batch of one only; two random images show it."""

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.conv(x).view(1, -1)

    report = import_module(Net(), (3, 8, 8)).report
    assert [(p.op, p.reason) for p in report.unsupported] == [
        ("Tensor.view", "reshapes 4×6×6 to 288; only flattening each image is a kind")
    ]


def test_a_model_returning_two_tensors_is_reported() -> None:
    class Two(nn.Module):
        def forward(self, x: torch.Tensor):
            return x, x

    report = import_module(Two(), (3, 8, 8)).report
    assert report.unsupported[-1].source == "output"
    assert "not one tensor" in report.unsupported[-1].reason


def test_a_network_that_does_not_end_in_class_scores_is_reported() -> None:
    report = import_module(nn.Sequential(nn.Conv2d(3, 4, 3)), (3, 8, 8)).report
    assert [(p.source, p.op) for p in report.unsupported] == [("(output)", "network")]
    assert "must end with 4 class scores" in report.unsupported[0].reason


class Nested(nn.Module):
    """x + inner(x), ``depth`` blocks inside one another."""

    def __init__(self, depth: int) -> None:
        super().__init__()
        self.inner = Nested(depth - 1) if depth > 1 else nn.Conv2d(2, 2, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.inner(x)


def test_residuals_nested_deeper_than_the_spec_allows_are_reported() -> None:
    head = [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2, 2)]
    fits = import_module(nn.Sequential(Nested(3), *head), (2, 4, 4))
    assert fits.report.exact, fits.report.lines()
    assert isinstance(fits.network.body[0].body[0].body[0], s.Residual)
    report = import_module(nn.Sequential(Nested(s.MAX_NESTING + 1), *head), (2, 4, 4)).report
    assert [(p.source, p.op) for p in report.unsupported] == [("network", "network")]
    assert "nested too deeply" in report.unsupported[0].reason
