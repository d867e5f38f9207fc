"""Building specs into torch modules: torchvision compatibility, init, shapes, errors."""

from __future__ import annotations

import math

import pytest
import torch
import torchvision
from torch import nn

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import (
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    Network,
    Node,
    ReLU,
    Repeat,
    Residual,
    SpecError,
)
from resnet_studio.model.build import BuildError, ResidualBlock, ZeroPadShortcut, build_model


def head() -> tuple[Node, ...]:
    return (GlobalAvgPool(name="gap"), Flatten(name="flatten"), Linear(name="fc"))


# --- torchvision compatibility ---------------------------------------------------


@pytest.mark.parametrize("key", ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"])
def test_torchvision_state_dict_loads_strictly(key: str) -> None:
    ours = build_model(preset_network(key))
    reference = getattr(torchvision.models, key)(weights=None).state_dict()
    mine = ours.state_dict()
    assert list(mine) == list(reference)  # same keys, same order
    assert {k: v.shape for k, v in mine.items()} == {k: v.shape for k, v in reference.items()}
    result = ours.load_state_dict(reference, strict=True)
    assert not result.missing_keys and not result.unexpected_keys


@pytest.mark.parametrize("key", ["resnet18", "resnet50"])
def test_same_outputs_as_torchvision_with_its_weights(key: str) -> None:
    torch.manual_seed(0)
    reference = getattr(torchvision.models, key)(weights=None).eval()
    # Non-trivial BatchNorm statistics, so eval mode really uses them.
    with torch.no_grad():
        for m in reference.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.0)
                m.bias.uniform_(-0.1, 0.1)
    ours = build_model(preset_network(key)).eval()
    ours.load_state_dict(reference.state_dict(), strict=True)
    x = torch.randn(2, 3, 128, 128)
    with torch.no_grad():
        want, got = reference(x), ours(x)
    assert got.shape == want.shape == (2, 1000)
    assert (got - want).abs().max().item() <= 1e-5
    assert want.abs().max().item() > 1e-3  # not a degenerate all-zero comparison


# --- initialisation --------------------------------------------------------------


def test_zero_init_residual_zeroes_last_bn_of_residual_blocks_only() -> None:
    residual = Residual(
        name="res",
        body=(
            Conv2d(name="conv1", out_channels=8),
            BatchNorm2d(name="bn1"),
            ReLU(name="relu"),
            Conv2d(name="conv2", out_channels=8),
            BatchNorm2d(name="bn2"),
        ),
    )
    plain = Residual(
        name="plain",
        shortcut="none",
        body=(Conv2d(name="conv", out_channels=8), BatchNorm2d(name="bn")),
    )
    network = Network(input_shape=(8, 8, 8), body=(residual, plain, *head()))
    model = build_model(network, zero_init_residual=True)
    assert torch.all(model.res.bn2.weight == 0)
    assert torch.all(model.res.bn1.weight == 1)
    assert torch.all(model.plain.bn.weight == 1)
    default = build_model(network)
    assert torch.all(default.res.bn2.weight == 1)


@pytest.mark.parametrize(("key", "zeroed"), [("cifar-resnet20", 9), ("cifar-plain20", 0)])
def test_zero_init_residual_on_presets(key: str, zeroed: int) -> None:
    model = build_model(preset_network(key), zero_init_residual=True)
    blocks = [m for m in model.modules() if isinstance(m, ResidualBlock)]
    assert len(blocks) == 9
    assert sum(bool(torch.all(b.bn2.weight == 0)) for b in blocks) == zeroed
    assert all(torch.all(b.bn1.weight == 1) for b in blocks)


def test_zero_init_residual_zeroes_bottleneck_bn3() -> None:
    model = build_model(preset_network("resnet50"), zero_init_residual=True)
    assert torch.all(model.layer1[0].bn3.weight == 0)
    assert torch.all(model.layer1[0].bn2.weight == 1)
    assert torch.all(model.layer1[0].downsample[1].weight == 1)


def test_he_initialisation() -> None:
    torch.manual_seed(0)
    model = build_model(preset_network("resnet18"))
    checked = 0
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d) and m.weight.numel() >= 100_000:
            fan_out = m.out_channels * m.kernel_size[0] * m.kernel_size[1]
            want = math.sqrt(2 / fan_out)
            got = m.weight.std().item()
            assert abs(got / want - 1) < 0.03, f"{name}: std {got:.5f}, want {want:.5f}"
            assert abs(m.weight.mean().item()) < want * 0.02
            checked += 1
        if isinstance(m, nn.BatchNorm2d):
            assert torch.all(m.weight == 1) and torch.all(m.bias == 0)
    assert checked >= 8


def test_conv_bias_starts_at_zero() -> None:
    network = Network(
        input_shape=(3, 8, 8), body=(Conv2d(name="conv", out_channels=64, bias=True), *head())
    )
    model = build_model(network)
    assert torch.all(model.conv.bias == 0)
    assert model.conv.weight.std().item() == pytest.approx(math.sqrt(2 / (64 * 9)), rel=0.1)


def test_seed_alone_decides_the_weights() -> None:
    network = preset_network("cifar-resnet20")
    torch.manual_seed(1)
    a = build_model(network, seed=7).state_dict()
    torch.manual_seed(2)
    b = build_model(network, seed=7).state_dict()
    c = build_model(network, seed=8).state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not torch.equal(a["conv1.weight"], c["conv1.weight"])
    assert not torch.equal(a["fc.weight"], c["fc.weight"])
    bound = 1 / math.sqrt(64)  # PyTorch's default Linear init, fan_in 64
    assert a["fc.weight"].abs().max().item() <= bound and a["fc.bias"].abs().max() <= bound


# --- shapes and forward passes ------------------------------------------------------


@pytest.mark.parametrize("key", ["cifar-resnet20", "cifar-plain20", "cifar-resnet56"])
@pytest.mark.parametrize("classes", [10, 100])
def test_cifar_forward_gives_class_scores(key: str, classes: int) -> None:
    model = build_model(preset_network(key, classes=classes))
    model.train()
    out = model(torch.randn(3, 3, 32, 32))
    assert out.shape == (3, classes)
    out.sum().backward()
    assert model.conv1.weight.grad is not None


def test_grey_28x28_variant() -> None:
    network = preset_network("cifar-resnet20", input_shape=(1, 28, 28), classes=10)
    model = build_model(network).eval()
    assert model.conv1.in_channels == 1
    with torch.no_grad():
        assert model(torch.randn(2, 1, 28, 28)).shape == (2, 10)
        features = model[:6](torch.randn(2, 1, 28, 28))  # up to layer3
    assert features.shape == (2, 64, 7, 7)


def test_module_names_follow_spec_paths() -> None:
    model = build_model(preset_network("cifar-resnet20"))
    names = dict(model.named_modules())
    assert isinstance(names["layer2.0.shortcut"], ZeroPadShortcut)
    # Option A throughout: where shapes match, the zero-pad shortcut does nothing.
    assert (names["layer1.0.shortcut"].stride, names["layer1.0.shortcut"].extra_channels) == (1, 0)
    assert (names["layer2.0.shortcut"].stride, names["layer2.0.shortcut"].extra_channels) == (2, 16)
    resnet = dict(build_model(preset_network("resnet18")).named_modules())
    assert "layer1.0.downsample" not in resnet  # auto → identity: no module
    assert isinstance(resnet["layer2.0.downsample"], nn.Sequential)
    assert isinstance(names["layer3.2.conv2"], nn.Conv2d)
    repeat = Repeat(
        name="stage",
        count=2,
        body=(Conv2d(name="conv", out_channels=4, stride=2), ReLU(name="relu")),
    )
    model = build_model(Network(input_shape=(2, 8, 8), body=(repeat, *head())))
    assert model.stage[0].conv.stride == (2, 2)
    assert model.stage[1].conv.stride == (1, 1)  # strides in the first repetition only


# --- errors ---------------------------------------------------------------------------


def test_build_error_names_the_path() -> None:
    block = Residual(
        name="block",
        shortcut="identity",
        body=(Conv2d(name="conv", out_channels=16, stride=2),),
    )
    network = Network(input_shape=(16, 8, 8), body=(Repeat(name="stage", body=(block,)), *head()))
    with pytest.raises(BuildError) as info:
        build_model(network)
    message = str(info.value)
    assert "stage.0: residual add: body gives 16×4×4, shortcut gives 16×8×8" in message


def test_build_error_lists_at_most_five_problems() -> None:
    bad = tuple(Conv2d(name=f"c{i}", out_channels=4, groups=3) for i in range(7))
    network = Network(input_shape=(4, 8, 8), body=(*bad, *head()))
    with pytest.raises(BuildError) as info:
        build_model(network)
    message = str(info.value)
    assert "c0: groups=3" in message and "c4:" in message and "c5:" not in message
    assert message.endswith("(+2 more)")


# --- the zero-padded shortcut (option A) -------------------------------------------------


def test_zero_pad_shortcut_subsamples_and_pads_with_zeros() -> None:
    x = torch.arange(2 * 2 * 4 * 4, dtype=torch.float32).reshape(2, 2, 4, 4)
    out = ZeroPadShortcut(stride=2, extra_channels=3)(x)
    assert out.shape == (2, 5, 2, 2)
    assert torch.equal(out[:, :2], x[:, :, ::2, ::2])
    assert torch.equal(out[:, :2, 0, 0], torch.tensor([[0.0, 16.0], [32.0, 48.0]]))
    assert torch.equal(out[:, :, 1, 1][0], torch.tensor([10.0, 26.0, 0.0, 0.0, 0.0]))
    assert torch.all(out[:, 2:] == 0)
    assert torch.equal(ZeroPadShortcut(1, 0)(x), x)
    assert sum(p.numel() for p in ZeroPadShortcut(2, 3).parameters()) == 0


def test_zero_pad_residual_block_adds_the_padded_input() -> None:
    block = Residual(
        name="block",
        shortcut="zero-pad",
        post_relu=False,
        body=(Conv2d(name="conv", out_channels=4, kernel=1, stride=2, padding=0),),
    )
    model = build_model(Network(input_shape=(2, 5, 5), body=(block, *head())))
    assert isinstance(model.block.shortcut, ZeroPadShortcut)
    assert (model.block.shortcut.stride, model.block.shortcut.extra_channels) == (2, 2)
    x = torch.randn(1, 2, 5, 5)
    with torch.no_grad():
        model.block.conv.weight.zero_()
        out = model.block(x)
    assert out.shape == (1, 4, 3, 3)  # ceil(5 / 2) = 3, as the strided conv gives
    assert torch.equal(out[:, :2], x[:, :, ::2, ::2])
    assert torch.all(out[:, 2:] == 0)


def test_projection_shortcut_is_conv_and_bn() -> None:
    block = Residual(name="block", body=(Conv2d(name="conv", out_channels=8, stride=2),))
    model = build_model(Network(input_shape=(4, 8, 8), body=(block, *head())))
    conv, bn = model.block.downsample
    assert (conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride) == (
        4,
        8,
        (1, 1),
        (2, 2),
    )
    assert conv.bias is None and bn.num_features == 8


@pytest.mark.parametrize("name", ["forward", "training", "cuda", "mode", "post_relu"])
def test_names_that_clash_with_module_attributes_are_refused(name: str) -> None:
    """A layer named like a module attribute could not be built: the spec refuses it."""
    with pytest.raises(SpecError, match="reserved by PyTorch") as caught:
        Conv2d(name=name, out_channels=4)
    assert caught.value.where == "name"


def test_reserved_names_cover_every_module_attribute() -> None:
    """The spec's reserved list must name every attribute a built module has."""
    import re

    from resnet_studio.arch.spec import MODULE_ATTRIBUTE_NAMES, NAME_PATTERN
    from resnet_studio.model.build import ResidualBlock

    attributes = set(dir(torch.nn.Sequential())) | set(dir(ResidualBlock([], "none", None, True)))
    clashing = {a for a in attributes if NAME_PATTERN.match(a) and not re.match(r"^_", a)}
    assert clashing <= MODULE_ATTRIBUTE_NAMES, sorted(clashing - MODULE_ATTRIBUTE_NAMES)
