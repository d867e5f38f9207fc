"""The palette's entries: a registry key, a group, a label, a note and a factory.

Drags carry only the key (MIME type :data:`LAYER_MIME`); whoever receives
the drop makes the node with :func:`make_node`. No Qt here: the window wraps
labels and tooltips in ``tr()`` through its own translation context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from resnet_studio.arch import blocks
from resnet_studio.arch import spec as s
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

LAYER_MIME = "application/vnd.resnet-studio.layer"
DEFAULT_CHANNELS = 16


@dataclass(frozen=True)
class Entry:
    """One palette item. ``note`` says what this entry adds to its kind, if anything; the
    palette's tooltip shows it above the kind's own help (:mod:`resnet_studio.arch.kinds`)."""

    key: str
    group: str
    label: str
    note: str
    make: Callable[[int], s.Node]  # channels at the drop position → a new node


# The palette's groups, in order.
GROUP_LAYERS = QT_TRANSLATE_NOOP("catalogue", "Layers")
GROUP_CONTAINERS = QT_TRANSLATE_NOOP("catalogue", "Containers")
GROUP_BLOCKS = QT_TRANSLATE_NOOP("catalogue", "Blocks")

# Texts are marked where they are written (a wrapper or a sum would hide them from
# pyside6-lupdate); the window translates them in the context "catalogue".
ENTRIES: tuple[Entry, ...] = (
    Entry(
        "conv3x3",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Conv 3×3"),
        QT_TRANSLATE_NOOP("catalogue", "3×3, padding 1: the workhorse of every ResNet block."),
        lambda c: blocks.conv3x3("conv", c),
    ),
    Entry(
        "conv1x1",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Conv 1×1"),
        QT_TRANSLATE_NOOP(
            "catalogue", "1×1: changes the number of channels (bottleneck reduce and expand)."
        ),
        lambda c: blocks.conv1x1("conv", c),
    ),
    Entry(
        "conv7x7",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Conv 7×7 /2"),
        QT_TRANSLATE_NOOP("catalogue", "7×7 with stride 2: the ImageNet ResNets' first layer."),
        lambda c: s.Conv2d(name="conv", out_channels=c, kernel=7, stride=2, padding=3),
    ),
    Entry(
        "batchnorm",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "BatchNorm"),
        "",
        lambda c: s.BatchNorm2d(name="bn"),
    ),
    Entry(
        "relu",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "ReLU"),
        "",
        lambda c: s.ReLU(name="relu"),
    ),
    Entry(
        "leakyrelu",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "LeakyReLU"),
        "",
        lambda c: s.LeakyReLU(name="lrelu"),
    ),
    Entry(
        "relu6",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "ReLU6"),
        "",
        lambda c: s.ReLU6(name="relu6"),
    ),
    Entry(
        "silu",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "SiLU"),
        "",
        lambda c: s.SiLU(name="silu"),
    ),
    Entry(
        "gelu",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "GELU"),
        "",
        lambda c: s.GELU(name="gelu"),
    ),
    Entry(
        "maxpool",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Max pool"),
        QT_TRANSLATE_NOOP("catalogue", "3×3 with stride 2: after the ImageNet stem."),
        lambda c: s.MaxPool2d(name="maxpool", kernel=3, stride=2, padding=1),
    ),
    Entry(
        "avgpool",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Average pool"),
        "",
        lambda c: s.AvgPool2d(name="avgpool", kernel=2, stride=2),
    ),
    Entry(
        "globalavgpool",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Global average pool"),
        QT_TRANSLATE_NOOP("catalogue", "Ends every ResNet."),
        lambda c: s.GlobalAvgPool(name="avgpool"),
    ),
    Entry(
        "adaptiveavgpool",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Adaptive average pool"),
        QT_TRANSLATE_NOOP("catalogue", "7×7 whatever the input size: before VGG's classifier."),
        lambda c: s.AdaptiveAvgPool2d(name="avgpool", output_size=7),
    ),
    Entry(
        "flatten",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Flatten"),
        "",
        lambda c: s.Flatten(name="flatten"),
    ),
    Entry(
        "linear",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Linear"),
        "",
        lambda c: s.Linear(name="fc"),
    ),
    Entry(
        "dropout",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Dropout"),
        QT_TRANSLATE_NOOP("catalogue", "VGG's classifier uses it."),
        lambda c: s.Dropout(name="dropout"),
    ),
    Entry(
        "identity",
        GROUP_LAYERS,
        QT_TRANSLATE_NOOP("catalogue", "Identity"),
        "",
        lambda c: s.Identity(name="identity"),
    ),
    Entry(
        "residual",
        GROUP_CONTAINERS,
        QT_TRANSLATE_NOOP("catalogue", "Residual"),
        QT_TRANSLATE_NOOP(
            "catalogue",
            "Drop layers inside it; ReLU follows the addition. Shortcut options: identity (x "
            "itself; shapes must match), zero-pad (the paper's option A: subsample by the "
            "stride and fill new channels with zeros; no parameters), projection (option B: "
            "1×1 conv with stride + BatchNorm), auto (identity when shapes match, projection "
            "otherwise), none (a plain block).",
        ),
        lambda c: s.Residual(name="block", shortcut="auto"),
    ),
    Entry(
        "repeat",
        GROUP_CONTAINERS,
        QT_TRANSLATE_NOOP("catalogue", "Repeat"),
        QT_TRANSLATE_NOOP(
            "catalogue", "ResNet-56 becomes ResNet-110 by typing 18 repetitions instead of 9."
        ),
        lambda c: s.Repeat(name="stage", count=2),
    ),
    Entry(
        "group",
        GROUP_CONTAINERS,
        QT_TRANSLATE_NOOP("catalogue", "Group"),
        QT_TRANSLATE_NOOP(
            "catalogue",
            "Names a run of layers, as nn.Sequential does: imported networks keep their"
            " module names (features.0, classifier.3) in it.",
        ),
        lambda c: s.Group(name="group"),
    ),
    Entry(
        "basic_block",
        GROUP_BLOCKS,
        QT_TRANSLATE_NOOP("catalogue", "Basic block"),
        QT_TRANSLATE_NOOP(
            "catalogue",
            "Two 3×3 convs with BatchNorm and ReLU plus a shortcut (Fig. 2 of the paper): "
            "the block of ResNet-18/34 and the CIFAR ResNets.",
        ),
        lambda c: blocks.basic_block(c),
    ),
    Entry(
        "bottleneck",
        GROUP_BLOCKS,
        QT_TRANSLATE_NOOP("catalogue", "Bottleneck"),
        QT_TRANSLATE_NOOP(
            "catalogue",
            "1×1 reduce, 3×3, 1×1 expand ×4, plus a shortcut (Fig. 5 right): the block of "
            "ResNet-50/101/152. Far fewer parameters than a basic block at the same width.",
        ),
        lambda c: blocks.bottleneck(max(1, c // blocks.BOTTLENECK_EXPANSION)),
    ),
    Entry(
        "plain_block",
        GROUP_BLOCKS,
        QT_TRANSLATE_NOOP("catalogue", "Plain block"),
        QT_TRANSLATE_NOOP(
            "catalogue", "A basic block without its shortcut: the paper's plain baseline."
        ),
        lambda c: blocks.plain_block(c),
    ),
    Entry(
        "plain_bottleneck",
        GROUP_BLOCKS,
        QT_TRANSLATE_NOOP("catalogue", "Plain bottleneck"),
        QT_TRANSLATE_NOOP("catalogue", "A bottleneck without its shortcut."),
        lambda c: blocks.plain_bottleneck(max(1, c // blocks.BOTTLENECK_EXPANSION)),
    ),
)

BY_KEY: dict[str, Entry] = {e.key: e for e in ENTRIES}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(e.group for e in ENTRIES))


def make_node(key: str, channels: int | None = None) -> s.Node:
    """A new node for palette entry ``key``; ``channels`` sizes convs and blocks to fit.

    Pass the channel count at the drop position so a dropped block fits
    between its neighbours (a bottleneck keeps channels = 4 × its width).
    """
    entry = BY_KEY.get(key)
    if entry is None:
        raise KeyError(f"no palette entry {key!r}")
    return entry.make(channels or DEFAULT_CHANNELS)
