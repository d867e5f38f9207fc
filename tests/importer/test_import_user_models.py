"""Networks as people write them: functional ReLUs, lambda shortcuts, nn.Sequential,
pre-activation blocks; what the spec can express imports exactly, the rest is named."""

from __future__ import annotations

import dataclasses

import torch
from torch import nn

from resnet_studio.arch import spec as s
from resnet_studio.arch.presets import preset_network
from resnet_studio.importer.api import import_module
from resnet_studio.model.build import build_model
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


def test_option_a_shortcut_padding_both_sides_imports_exactly() -> None:
    """The common CIFAR code (a lambda padding half the new channels before x's): a
    zero-pad shortcut placed on both sides, folded into Repeats like the rest."""
    model = u.CifarResNet(n=3, option="A")
    result = import_module(model, CIFAR)
    assert_exact(result, model)
    stages = {n.name: n for n in result.network.body if isinstance(n, s.Repeat)}
    assert [stages[name].count for name in ("layer1", "layer2", "layer3")] == [3, 3, 3]
    block = stages["layer2"].body[0]
    assert (block.shortcut, block.pad_placement) == ("zero-pad", "both")
    assert (result.report.exactness.params, len(result.report.mapped)) == (269_722, 73)


def test_zero_channels_all_before_are_reported_for_every_block() -> None:
    result = import_module(u.CifarResNet(n=3, option="A-front"), CIFAR)
    assert result.network is None and not result.report.exact
    problems = {(p.source, p.op): p.reason for p in result.report.unsupported}
    assert set(problems) == {("layer2.0.add_3", "operator.add"), ("layer3.0.add_6", "operator.add")}
    assert problems[("layer2.0.add_3", "operator.add")] == (
        "its zero-padded shortcut puts 16 zero channels before the input's and 0 after; "
        "the designer's puts them all after, or 8 before and 8 after"
    )


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
    layer1 = next(n for n in result.network.body if n.name == "layer1")
    assert isinstance(layer1, s.Group) and [n.name for n in layer1.body] == ["0", "1"]
    assert isinstance(next(n for n in result.network.body if n.name == "layer2"), s.Repeat)


def test_every_unsupported_operation_is_named_not_only_the_first() -> None:
    report = import_module(u.SqueezeExcite(), (3, 16, 16)).report
    assert [(p.source, p.op) for p in report.unsupported] == [
        ("sigmoid", "torch.sigmoid"),
        ("mul", "operator.mul"),
    ]
    assert report.unsupported[0].reason == "torch.sigmoid has no kind in the designer"
    assert "multiplies two tensors" in report.unsupported[1].reason


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


def test_kuangliu_preact_resnet18_imports_exactly_as_preactivation_blocks() -> None:
    """Its projection is a 1×1 conv alone on the first BN-ReLU's output: the block's
    BatchNorm and ReLU start the body of a pre-activation block, keys unchanged."""
    model = u.KuangliuPreActResNet()
    result = import_module(model, CIFAR)
    assert_exact(result, model)
    stages = [n for n in result.network.body if isinstance(n, s.Repeat)]
    assert [(n.name, n.count) for n in stages] == [(f"layer{i}", 2) for i in range(1, 5)]
    for stage in stages:
        block = stage.body[0]
        assert block.preactivation and not block.post_relu and block.shortcut == "auto"
        assert [n.name for n in block.body] == ["bn1", "relu", "conv1", "bn2", "relu_1", "conv2"]
    assert "layer2.0.shortcut.0.weight" in result.state_dict


def without_ids(node) -> dict:
    """A node's fields, its children's too, but not the ids an import makes anew."""
    fields = {f.name: getattr(node, f.name) for f in dataclasses.fields(node) if f.name != "id"}
    if "body" in fields:
        fields["body"] = [without_ids(child) for child in fields["body"]]
    return fields


def test_our_preact_resnet110_imports_back_as_the_preset() -> None:
    network = preset_network("cifar-preact-resnet110")
    model = build_model(network, seed=0)
    result = import_module(model, CIFAR, name=network.name)
    assert_exact(result, model)
    assert [without_ids(n) for n in result.network.body] == [without_ids(n) for n in network.body]


def test_a_lone_conv_shortcut_outside_a_preactivation_block_is_reported() -> None:
    """A 1×1 conv without BatchNorm taken from x itself: the spec builds that shortcut
    only after a pre-activation block's first BatchNorm and ReLU."""

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
            self.proj = nn.Conv2d(3, 8, 1, bias=False)
            self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.head(self.conv(x) + self.proj(x))

    report = import_module(Block(), (3, 8, 8)).report
    assert [(p.source, p.op, p.reason) for p in report.unsupported] == [
        (
            "add",
            "operator.add",
            "its shortcut (proj) is a 1×1 conv without BatchNorm: the designer has that only in "
            "a pre-activation block, taken after the block's first BatchNorm and ReLU",
        )
    ]


def test_named_sequentials_keep_their_names_and_the_new_kinds_map() -> None:
    """``features.0`` stays ``features.0`` (a Group, nested ones too); ReLU6, SiLU, GELU,
    ceil_mode and count_include_pad pools and a 3×3 adaptive pool are layers."""
    model = u.NamedSequentials()
    result = import_module(model, CIFAR)
    assert_exact(result, model)
    features, pool, flatten, classifier = result.network.body
    assert (features.kind, pool.kind, classifier.kind) == ("Group", "AdaptiveAvgPool2d", "Group")
    assert pool.output_size == 3 and flatten.kind == "Flatten"
    kinds = [(n.name, n.kind) for n in features.body]
    assert kinds == [
        ("0", "Conv2d"), ("1", "ReLU6"), ("2", "Group"), ("3", "MaxPool2d"),
        ("4", "Conv2d"), ("5", "GELU"), ("6", "AvgPool2d"),
    ]  # fmt: skip
    assert [n.kind for n in features.body[2].body] == ["Conv2d", "BatchNorm2d", "SiLU"]
    assert features.body[3].ceil_mode and features.body[5].approximate == "tanh"
    avg = features.body[6]
    assert (avg.ceil_mode, avg.count_include_pad, avg.padding) == (True, False, 1)
    assert classifier.body[-1].out_features is None and result.network.classes == 10
    assert "features.2.1.running_mean" in result.state_dict


def test_the_new_kinds_written_as_functions_map() -> None:
    model = u.FunctionalActivations()
    result = import_module(model, (3, 17, 17))  # odd sizes: ceil_mode counts
    assert_exact(result, model)
    kinds = {n.name: n for n in result.network.body}
    assert [n.kind for n in result.network.body] == [
        "Conv2d", "ReLU6", "SiLU", "MaxPool2d", "Conv2d", "GELU", "ReLU6", "AvgPool2d",
        "AdaptiveAvgPool2d", "Flatten", "Linear",
    ]  # fmt: skip
    assert kinds["max_pool2d"].ceil_mode and kinds["gelu"].approximate == "tanh"
    assert not kinds["avg_pool2d"].count_include_pad
    assert kinds["adaptive_avg_pool2d"].output_size == 2


def test_settings_the_new_kinds_lack_are_still_reported() -> None:
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3),
        nn.Hardtanh(-1.0, 1.0),
        nn.AvgPool2d(2, divisor_override=3),
        nn.AdaptiveAvgPool2d((2, 3)),
        nn.Flatten(),
        nn.Linear(24, 2),
    )
    report = import_module(model, (3, 10, 10)).report
    assert [(p.source, p.reason) for p in report.unsupported] == [
        ("1", "nn.Hardtanh clamps to [-1, 1]; only [0, 6] (ReLU6) is a kind"),
        ("2", "divisor_override=3; the designer's pool has None"),
        ("3", "adaptive average pooling to 2×3: the designer's pools to a square grid"),
    ]


def test_a_torchvision_function_is_named_as_torchvision_not_torch() -> None:
    import torchvision

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.drop = torchvision.ops.StochasticDepth(0.2, "row")  # EfficientNet's
            self.fc = nn.Linear(3 * 4 * 4, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fc(self.drop(x).flatten(1))

    report = import_module(Net(), (3, 4, 4)).report
    label = "torchvision.ops.stochastic_depth.stochastic_depth"
    assert [(p.op, p.reason) for p in report.unsupported] == [
        (label, f"{label} has no kind in the designer")
    ]
