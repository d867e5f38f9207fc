"""The paper's networks as specs: ImageNet ResNets and plain nets, CIFAR ResNets, VGG-19,
and He et al. 2016's pre-activation CIFAR ResNets.

Module names match torchvision's ``resnet.py`` so a torchvision ``state_dict``
loads into the ImageNet presets.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from resnet_studio.arch.blocks import (
    basic_block,
    bottleneck,
    conv3x3,
    preact_basic_block,
    preact_bottleneck,
    stage,
)
from resnet_studio.arch.spec import (
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Linear,
    MaxPool2d,
    Network,
    Node,
    ReLU,
)

IMAGENET_INPUT = (3, 224, 224)
CIFAR_INPUT = (3, 32, 32)

# Blocks per stage (Table 1 of the paper).
IMAGENET_STAGES = {
    18: ("basic", (2, 2, 2, 2)),
    34: ("basic", (3, 4, 6, 3)),
    50: ("bottleneck", (3, 4, 6, 3)),
    101: ("bottleneck", (3, 4, 23, 3)),
    152: ("bottleneck", (3, 8, 36, 3)),
}
CIFAR_DEPTHS = (20, 32, 44, 56, 110, 1202)
# He et al. 2016's pre-activation CIFAR networks: block and blocks per stage (depth
# 6n + 2 with basic blocks, 9n + 2 with bottlenecks).
PREACT_CIFAR = {110: ("basic", 18), 164: ("bottleneck", 18), 1001: ("bottleneck", 111)}
# The CIFAR networks' channels per stage; a width multiplier scales them.
CIFAR_CHANNELS = (16, 32, 64)
WIDTH_MIN, WIDTH_MAX = 0.25, 4.0
WIDTH_FAMILIES = "the CIFAR families (cifar-resnet*, cifar-plain*)"


@dataclass(frozen=True)
class Preset:
    """A named network the user can start from."""

    key: str
    label: str
    family: str
    input_shape: tuple[int, int, int]
    classes: int
    make: Callable[..., tuple[Node, ...]]  # a width-scalable preset's takes the multiplier
    width_scalable: bool = False


def _head() -> tuple[Node, ...]:
    return (GlobalAvgPool(name="avgpool"), Flatten(name="flatten"), Linear(name="fc"))


def _imagenet_resnet(depth: int, shortcut: str) -> tuple[Node, ...]:
    kind, counts = IMAGENET_STAGES[depth]
    block = basic_block if kind == "basic" else bottleneck
    stem = (
        Conv2d(name="conv1", out_channels=64, kernel=7, stride=2, padding=3),
        BatchNorm2d(name="bn1"),
        ReLU(name="relu"),
        MaxPool2d(name="maxpool", kernel=3, stride=2, padding=1),
    )
    stages = tuple(
        stage(f"layer{i + 1}", block(planes, 1 if i == 0 else 2, shortcut), count)
        for i, (planes, count) in enumerate(zip((64, 128, 256, 512), counts, strict=True))
    )
    return stem + stages + _head()


def cifar_channels(width: float = 1.0) -> tuple[int, int, int]:
    """The CIFAR networks' 16/32/64 channels times ``width``: ×0.5 → 8/16/32.

    Rounded half up to whole numbers, at least 1. Nothing else constrains them:
    the convolutions are ungrouped, BatchNorm takes any count, and the zero-padded
    shortcut appends however many channels the next stage adds (odd counts too).
    """
    return tuple(max(1, int(c * width + 0.5)) for c in CIFAR_CHANNELS)  # type: ignore[return-value]


def _cifar_resnet(depth: int, shortcut: str, width: float = 1.0) -> tuple[Node, ...]:
    n = (depth - 2) // 6
    channels = cifar_channels(width)
    stem = (conv3x3("conv1", channels[0]), BatchNorm2d(name="bn1"), ReLU(name="relu"))
    stages = tuple(
        stage(f"layer{i + 1}", basic_block(planes, 1 if i == 0 else 2, shortcut), n)
        for i, planes in enumerate(channels)
    )
    return stem + stages + _head()


def _cifar_preact_resnet(depth: int) -> tuple[Node, ...]:
    """As the authors' preresnet.lua: a 3×3 conv, three stages of pre-activation blocks
    (projection shortcuts where the shape changes, taken after the first BN-ReLU), then
    the final BN and ReLU that the last block leaves out, before pooling."""
    kind, n = PREACT_CIFAR[depth]
    block = preact_basic_block if kind == "basic" else preact_bottleneck
    stages = tuple(
        stage(f"layer{i + 1}", block(planes, 1 if i == 0 else 2, "auto"), n)
        for i, planes in enumerate(CIFAR_CHANNELS)
    )
    tail = (BatchNorm2d(name="bn"), ReLU(name="relu"))
    return (conv3x3("conv1", CIFAR_CHANNELS[0]), *stages, *tail, *_head())


def _vgg19() -> tuple[Node, ...]:
    nodes: list[Node] = []
    for block, (channels, convs) in enumerate(
        ((64, 2), (128, 2), (256, 4), (512, 4), (512, 4)), start=1
    ):
        for i in range(1, convs + 1):
            nodes.append(conv3x3(f"conv{block}_{i}", channels, bias=True))
            nodes.append(ReLU(name=f"relu{block}_{i}"))
        nodes.append(MaxPool2d(name=f"pool{block}", kernel=2, stride=2))
    nodes += [
        Flatten(name="flatten"),
        Linear(name="fc6", out_features=4096),
        ReLU(name="relu6"),
        Dropout(name="drop6"),
        Linear(name="fc7", out_features=4096),
        ReLU(name="relu7"),
        Dropout(name="drop7"),
        Linear(name="fc8"),
    ]
    return tuple(nodes)


def _registry() -> dict[str, Preset]:
    presets: list[Preset] = []
    for depth in IMAGENET_STAGES:
        presets.append(
            Preset(
                f"resnet{depth}",
                f"ResNet-{depth} (ImageNet)",
                "ImageNet",
                IMAGENET_INPUT,
                1000,
                lambda d=depth: _imagenet_resnet(d, "auto"),
            )
        )
    for depth in (18, 34):
        presets.append(
            Preset(
                f"plain{depth}",
                f"Plain-{depth} (ImageNet)",
                "ImageNet",
                IMAGENET_INPUT,
                1000,
                lambda d=depth: _imagenet_resnet(d, "none"),
            )
        )
    presets.append(Preset("vgg19", "VGG-19 (ImageNet)", "ImageNet", IMAGENET_INPUT, 1000, _vgg19))
    for depth in CIFAR_DEPTHS:
        presets.append(
            Preset(
                f"cifar-resnet{depth}",
                f"ResNet-{depth} (CIFAR)",
                "CIFAR",
                CIFAR_INPUT,
                10,
                lambda width=1.0, d=depth: _cifar_resnet(d, "zero-pad", width),
                width_scalable=True,
            )
        )
    for depth in CIFAR_DEPTHS:
        presets.append(
            Preset(
                f"cifar-plain{depth}",
                f"Plain-{depth} (CIFAR)",
                "CIFAR",
                CIFAR_INPUT,
                10,
                lambda width=1.0, d=depth: _cifar_resnet(d, "none", width),
                width_scalable=True,
            )
        )
    for depth in PREACT_CIFAR:
        presets.append(
            Preset(
                f"cifar-preact-resnet{depth}",
                f"PreAct-ResNet-{depth} (CIFAR)",
                "CIFAR",
                CIFAR_INPUT,
                10,
                lambda d=depth: _cifar_preact_resnet(d),
            )
        )
    return {p.key: p for p in presets}


PRESETS: dict[str, Preset] = _registry()
DEFAULT_PRESET = "cifar-resnet20"


class UnknownPresetError(KeyError):
    """A preset name that does not exist; the message suggests close names."""

    def __str__(self) -> str:
        return str(self.args[0])


class PresetWidthError(ValueError):
    """A width multiplier for a preset that has none, or out of range; the message
    leaves out the option's name (the CLI adds ``--width: ``)."""


def width_name(key: str, width: float) -> str:
    """The network's name at ``width``: ``cifar-resnet20-w0.5``, so runs are told apart."""
    return key if width == 1 else f"{key}-w{width:g}"


def check_width(key: str, width: float) -> None:
    """Refuse a width the preset cannot take (:class:`PresetWidthError`)."""
    if width == 1:
        return
    if not PRESETS[key].width_scalable:
        raise PresetWidthError(f"applies to {WIDTH_FAMILIES} only")
    if not WIDTH_MIN <= width <= WIDTH_MAX:  # NaN fails too
        raise PresetWidthError(f"must be from {WIDTH_MIN:g} to {WIDTH_MAX:g}, got {width:g}")


def preset_network(
    key: str,
    input_shape: tuple[int, int, int] | None = None,
    classes: int | None = None,
    width: float = 1.0,
) -> Network:
    """Build preset ``key``, optionally for another input shape and class count, and
    (the CIFAR families) ``width`` times the channels."""
    preset = PRESETS.get(key)
    if preset is None:
        close = difflib.get_close_matches(key, PRESETS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownPresetError(
            f"unknown preset {key!r}{hint} ('resnet-studio presets' lists them)"
        )
    check_width(key, width)
    return Network(
        name=width_name(key, width),
        input_shape=tuple(input_shape) if input_shape else preset.input_shape,
        classes=classes if classes is not None else preset.classes,
        body=preset.make(width) if preset.width_scalable else preset.make(),
    )
