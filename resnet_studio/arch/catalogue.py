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


SHORTCUT_HELP = (
    "Shortcut options: identity (x itself; shapes must match), zero-pad (the paper's "
    "option A: subsample by the stride and fill new channels with zeros; no parameters), "
    "projection (option B: 1×1 conv with stride + BatchNorm), auto (identity when shapes "
    "match, projection otherwise), none (a plain block)."
)

ENTRIES: tuple[Entry, ...] = (
    Entry("conv3x3", "Layers", "Conv 3×3",
          "3×3, padding 1: the workhorse of every ResNet block.",
          lambda c: blocks.conv3x3("conv", c)),
    Entry("conv1x1", "Layers", "Conv 1×1",
          "1×1: changes the number of channels (bottleneck reduce and expand).",
          lambda c: blocks.conv1x1("conv", c)),
    Entry("conv7x7", "Layers", "Conv 7×7 /2",
          "7×7 with stride 2: the ImageNet ResNets' first layer.",
          lambda c: s.Conv2d(name="conv", out_channels=c, kernel=7, stride=2, padding=3)),
    Entry("batchnorm", "Layers", "BatchNorm", "", lambda c: s.BatchNorm2d(name="bn")),
    Entry("relu", "Layers", "ReLU", "", lambda c: s.ReLU(name="relu")),
    Entry("leakyrelu", "Layers", "LeakyReLU", "", lambda c: s.LeakyReLU(name="lrelu")),
    Entry("maxpool", "Layers", "Max pool", "3×3 with stride 2: after the ImageNet stem.",
          lambda c: s.MaxPool2d(name="maxpool", kernel=3, stride=2, padding=1)),
    Entry("avgpool", "Layers", "Average pool", "",
          lambda c: s.AvgPool2d(name="avgpool", kernel=2, stride=2)),
    Entry("globalavgpool", "Layers", "Global average pool", "Ends every ResNet.",
          lambda c: s.GlobalAvgPool(name="avgpool")),
    Entry("flatten", "Layers", "Flatten", "", lambda c: s.Flatten(name="flatten")),
    Entry("linear", "Layers", "Linear", "", lambda c: s.Linear(name="fc")),
    Entry("dropout", "Layers", "Dropout", "VGG's classifier uses it.",
          lambda c: s.Dropout(name="dropout")),
    Entry("identity", "Layers", "Identity", "", lambda c: s.Identity(name="identity")),
    Entry("residual", "Containers", "Residual",
          "Drop layers inside it; ReLU follows the addition. " + SHORTCUT_HELP,
          lambda c: s.Residual(name="block", shortcut="auto")),
    Entry("repeat", "Containers", "Repeat",
          "ResNet-56 becomes ResNet-110 by typing 18 repetitions instead of 9.",
          lambda c: s.Repeat(name="stage", count=2)),
    Entry("basic_block", "Blocks", "Basic block",
          "Two 3×3 convs with BatchNorm and ReLU plus a shortcut (Fig. 2 of the paper): "
          "the block of ResNet-18/34 and the CIFAR ResNets.",
          lambda c: blocks.basic_block(c)),
    Entry("bottleneck", "Blocks", "Bottleneck",
          "1×1 reduce, 3×3, 1×1 expand ×4, plus a shortcut (Fig. 5 right): the block of "
          "ResNet-50/101/152. Far fewer parameters than a basic block at the same width.",
          lambda c: blocks.bottleneck(max(1, c // blocks.BOTTLENECK_EXPANSION))),
    Entry("plain_block", "Blocks", "Plain block",
          "A basic block without its shortcut: the paper's plain baseline.",
          lambda c: blocks.plain_block(c)),
    Entry("plain_bottleneck", "Blocks", "Plain bottleneck",
          "A bottleneck without its shortcut.",
          lambda c: blocks.plain_bottleneck(max(1, c // blocks.BOTTLENECK_EXPANSION))),
)  # fmt: skip

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
