"""Presets against the exact figures of DESIGN.md §6 (torchinfo's, for torchvision's models)."""

from __future__ import annotations

import re

import pytest

from resnet_studio.arch.blocks import basic_block, bottleneck, plain_block, stage
from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import (
    CIFAR_DEPTHS,
    DEFAULT_PRESET,
    PRESETS,
    UnknownPresetError,
    preset_network,
)
from resnet_studio.arch.spec import Network

# (params, multiply-adds) from DESIGN.md §6.
TABLE = {
    "resnet18": (11_689_512, 1_814_083_944),
    "resnet34": (21_797_672, 3_663_779_432),
    "resnet50": (25_557_032, 4_089_238_376),
    "resnet101": (44_549_160, 7_801_511_784),
    "resnet152": (60_192_808, 11_513_779_048),
    "vgg19": (143_667_240, 19_646_923_752),
    "cifar-resnet20": (269_722, 40_552_426),
    "cifar-resnet32": (464_154, 68_864_874),
    "cifar-resnet44": (658_586, 97_177_322),
    "cifar-resnet56": (853_018, 125_489_770),
    "cifar-resnet110": (1_727_962, 252_895_786),
    "cifar-resnet1202": (19_421_274, 2_829_328_554),
}
# "each CIFAR plain twin: same as its ResNet" (option A shortcuts have no parameters).
TABLE.update({f"cifar-plain{d}": TABLE[f"cifar-resnet{d}"] for d in CIFAR_DEPTHS})
# He et al. 2016's pre-activation nets: parameters as a torch reference of the authors'
# structure counts them (tests/model/test_containers_build.py), multiply-adds as
# torchinfo reports them (110 and 164 in tests/model/test_torchinfo_agreement.py).
TABLE.update(
    {
        "cifar-preact-resnet110": (1_730_522, 253_157_930),
        "cifar-preact-resnet164": (1_703_258, 247_670_954),
        "cifar-preact-resnet1001": (10_327_706, 1_491_144_938),
    }
)


def test_table_covers_every_preset_but_the_imagenet_plain_nets() -> None:
    assert set(PRESETS) - set(TABLE) == {"plain18", "plain34"}
    assert DEFAULT_PRESET in PRESETS


@pytest.mark.parametrize("key", sorted(TABLE))
def test_totals_match_the_reference_table(key: str) -> None:
    summary = infer(preset_network(key))
    assert summary.ok, summary.problems
    assert (summary.total_params, summary.total_macs) == TABLE[key]


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_every_preset_is_valid_and_ends_in_class_scores(key: str) -> None:
    preset = PRESETS[key]
    net = preset_network(key)
    assert (net.name, net.input_shape, net.classes) == (key, preset.input_shape, preset.classes)
    summary = infer(net)
    assert summary.ok, summary.problems
    assert summary.output_shape == (preset.classes,)
    # The totals are the sums of the leaf rows.
    leaves = [r for r in summary.rows if not r.is_container]
    assert sum(r.params for r in leaves) == summary.total_params
    assert sum(r.macs for r in leaves) == summary.total_macs


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_depth_is_the_number_in_the_name(key: str) -> None:
    depth = int(re.search(r"\d+$", key).group())
    assert infer(preset_network(key)).depth == depth


def test_imagenet_plain_nets_lack_exactly_the_projection_shortcuts() -> None:
    # downsample of layer2, layer3, layer4: 1×1 conv + BatchNorm each.
    projections = sum(
        c_in * c_out + 2 * c_out for c_in, c_out in ((64, 128), (128, 256), (256, 512))
    )
    assert projections == 173_824
    for depth in (18, 34):
        resnet = infer(preset_network(f"resnet{depth}"))
        plain = infer(preset_network(f"plain{depth}"))
        assert resnet.total_params - plain.total_params == projections
        shortcut_macs = sum(r.macs for r in resnet.rows if r.is_shortcut and not r.is_container)
        assert resnet.total_macs - plain.total_macs == shortcut_macs > 0
        assert not any(r.is_shortcut for r in plain.rows)


def test_paths_follow_torchvision_names() -> None:
    rows = {r.path: r for r in infer(preset_network("resnet50")).rows}
    for path in (
        "conv1",
        "bn1",
        "relu",
        "maxpool",
        "layer1.0.conv1",
        "layer1.0.downsample.0",
        "layer1.0.downsample.1",
        "layer3.5.bn3",
        "layer4.2.conv3",
        "avgpool",
        "fc",
    ):
        assert path in rows, path
    assert "layer3.6" not in rows
    assert rows["layer2.0.downsample.0"].output_shape == (512, 28, 28)
    assert rows["layer4"].output_shape == (2048, 7, 7)
    assert rows["fc"].params == 2048 * 1000 + 1000


@pytest.mark.parametrize("depth", CIFAR_DEPTHS)
@pytest.mark.parametrize("family", ["cifar-resnet", "cifar-plain"])
def test_cifar_presets_take_a_28x28_grey_input(family: str, depth: int) -> None:
    key = f"{family}{depth}"
    base = infer(preset_network(key))
    mnist = infer(preset_network(key, input_shape=(1, 28, 28), classes=10))
    assert mnist.ok, mnist.problems
    rows = {r.path: r for r in mnist.rows}
    assert rows["conv1"].params == 16 * 1 * 3 * 3
    assert rows["layer3"].output_shape == (64, 7, 7)
    assert rows["fc"].params == 64 * 10 + 10
    # Only the first conv sees the input channels; the rest is unchanged.
    assert base.total_params - mnist.total_params == 16 * 2 * 9
    hundred = infer(preset_network(key, input_shape=(1, 28, 28), classes=100))
    assert hundred.output_shape == (100,)
    assert {r.path: r for r in hundred.rows}["fc"].params == 64 * 100 + 100
    assert hundred.total_params - mnist.total_params == 64 * 90 + 90


def test_preset_input_may_be_a_list() -> None:
    assert preset_network("cifar-resnet20", input_shape=[1, 28, 28]).input_shape == (1, 28, 28)


def test_presets_are_fresh_each_time() -> None:
    a, b = preset_network("cifar-resnet20"), preset_network("cifar-resnet20")
    assert a.body[0].id != b.body[0].id


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [("resnet-18", "resnet18"), ("cifar-resnet-56", "cifar-resnet56"), ("vgg-19", "vgg19")],
)
def test_unknown_preset_suggests_close_names(key: str, suggestion: str) -> None:
    with pytest.raises(UnknownPresetError) as info:
        preset_network(key)
    message = str(info.value)
    assert repr(key) in message
    assert "did you mean" in message and suggestion in message
    assert isinstance(info.value, KeyError)


def test_unknown_preset_without_close_names() -> None:
    with pytest.raises(UnknownPresetError) as info:
        preset_network("transformer")
    assert "did you mean" not in str(info.value)
    assert "'transformer'" in str(info.value)


def _conv_params(network: Network) -> int:
    return sum(r.params for r in infer(network).rows if r.kind == "Conv2d" and not r.is_shortcut)


def test_basic_block_versus_bottleneck_at_256_channels() -> None:
    # DESIGN.md §6: two 3×3 convs at 256 channels vs 1×1 256→64, 3×3 64→64, 1×1 64→256.
    basic = Network(input_shape=(256, 56, 56), body=(basic_block(256),))
    neck = Network(input_shape=(256, 56, 56), body=(bottleneck(64),))
    assert _conv_params(basic) == 1_179_648
    assert _conv_params(neck) == 69_632
    for net in (basic, neck):
        summary = infer(net)
        assert summary.rows[0].output_shape == (256, 56, 56)
        assert not any(r.is_shortcut for r in summary.rows)  # identity: nothing to add


def test_blocks_and_stage_helpers() -> None:
    block = basic_block(32, stride=2)
    assert [n.name for n in block.body] == ["conv1", "bn1", "relu1", "conv2", "bn2"]
    assert (block.body[0].stride, block.body[3].stride, block.shortcut) == (2, 1, "auto")
    neck = bottleneck(16, stride=2)
    assert [n.stride for n in neck.body if n.kind == "Conv2d"] == [1, 2, 1]
    assert neck.body[-2].out_channels == 64
    assert plain_block(8).shortcut == "none"
    layer = stage("layer2", block, 4)
    assert (layer.name, layer.count, layer.body) == ("layer2", 4, (block,))
