"""The width multiplier of the CIFAR families: 16/32/64 channels times X, named in the network."""

from __future__ import annotations

import math

import pytest

from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import (
    PRESETS,
    PresetWidthError,
    cifar_channels,
    preset_network,
)
from resnet_studio.arch.spec import Conv2d, Residual, walk
from resnet_studio.arch.twin import plain_twin


def conv_channels(key: str, width: float) -> list[int]:
    return [
        n.out_channels for n in walk(preset_network(key, width=width).body) if isinstance(n, Conv2d)
    ]


@pytest.mark.parametrize(
    ("width", "channels"),
    [
        (0.25, (4, 8, 16)),
        (0.5, (8, 16, 32)),
        (1, (16, 32, 64)),
        (1.5, (24, 48, 96)),
        (4, (64, 128, 256)),
        (0.3, (5, 10, 19)),  # 4.8, 9.6, 19.2: rounded to the nearest whole number
        (0.28125, (5, 9, 18)),  # 4.5 rounds up (not to even), 9.0, 18.0
    ],
)
def test_channels_are_scaled_and_rounded(width: float, channels: tuple[int, int, int]) -> None:
    assert cifar_channels(width) == channels
    # Every convolution of the network uses them: the stem and the stages in order.
    assert sorted(set(conv_channels("cifar-resnet20", width))) == sorted(set(channels))


@pytest.mark.parametrize("key", ["cifar-resnet20", "cifar-plain56", "cifar-resnet110"])
@pytest.mark.parametrize("width", [0.25, 0.3, 0.5, 2, 4])
def test_scaled_networks_are_valid_and_named(key: str, width: float) -> None:
    network = preset_network(key, width=width)
    assert network.name == f"{key}-w{width:g}"
    summary = infer(network)
    assert summary.ok, summary.problems
    assert summary.output_shape == (10,)
    # Same depth and blocks as the unscaled preset: only the channels change.
    assert summary.depth == infer(preset_network(key)).depth


def test_params_scale_about_with_the_square_of_the_width() -> None:
    full = infer(preset_network("cifar-resnet20")).total_params
    half = infer(preset_network("cifar-resnet20", width=0.5)).total_params
    double = infer(preset_network("cifar-resnet20", width=2)).total_params
    assert 0.2 < half / full < 0.3
    assert 3.5 < double / full < 4.1


def test_width_one_is_the_preset_itself() -> None:
    network = preset_network("cifar-resnet20", width=1.0)
    assert network.name == "cifar-resnet20"
    assert conv_channels("cifar-resnet20", 1.0) == conv_channels("cifar-resnet20", 1)
    assert infer(network).total_params == 269_722


def test_the_plain_twin_of_a_scaled_resnet_is_the_scaled_plain_preset() -> None:
    twin = plain_twin(preset_network("cifar-resnet32", width=0.5))
    plain = preset_network("cifar-plain32", width=0.5)
    assert twin.name == plain.name == "cifar-plain32-w0.5"
    assert [n.out_channels for n in walk(twin.body) if isinstance(n, Conv2d)] == [
        n.out_channels for n in walk(plain.body) if isinstance(n, Conv2d)
    ]
    assert all(n.shortcut == "none" for n in walk(twin.body) if isinstance(n, Residual))


@pytest.mark.parametrize("key", [k for k, p in PRESETS.items() if not p.width_scalable])
def test_other_presets_refuse_a_width(key: str) -> None:
    with pytest.raises(PresetWidthError, match=r"^applies to the CIFAR families"):
        preset_network(key, width=0.5)
    assert preset_network(key, width=1).name == key  # ×1 changes nothing anywhere


def test_only_the_cifar_families_scale() -> None:
    scalable = {k for k, p in PRESETS.items() if p.width_scalable}
    assert scalable == {k for k in PRESETS if k.startswith(("cifar-resnet", "cifar-plain"))}


@pytest.mark.parametrize(
    ("width", "shown"), [(8, "8"), (0.2, "0.2"), (4.01, "4.01"), (0, "0"), (math.nan, "nan")]
)
def test_widths_out_of_range_are_refused(width: float, shown: str) -> None:
    with pytest.raises(PresetWidthError) as err:
        preset_network("cifar-resnet20", width=width)
    assert str(err.value) == f"must be from 0.25 to 4, got {shown}"
