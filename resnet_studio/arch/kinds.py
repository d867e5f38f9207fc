"""What each kind of node is called and what it does, in the user's words.

The one home of these texts: the palette's tooltips, the inspector's help, and
the kind the canvas and the layers table name all come from here. A Residual
without a shortcut is named a *plain block* (the paper's plain networks), so
a plain twin's blocks never say they are residual. No Qt here: the window
translates the texts in the context ``kinds``.
"""

from __future__ import annotations

from resnet_studio.arch.spec import Network, Node, Residual, walk
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

PLAIN_BLOCK = QT_TRANSLATE_NOOP("kinds", "Plain block")

KIND_HELP: dict[str, str] = {
    "Conv2d": QT_TRANSLATE_NOOP(
        "kinds", "2-D convolution; its input channels come from the layer before."
    ),
    "BatchNorm2d": QT_TRANSLATE_NOOP(
        "kinds",
        "Normalises each channel over the batch, then scales and shifts it "
        "(2 learned values per channel).",
    ),
    "ReLU": QT_TRANSLATE_NOOP("kinds", "max(0, x)."),
    "LeakyReLU": QT_TRANSLATE_NOOP("kinds", "x for x > 0, slope · x otherwise."),
    "ReLU6": QT_TRANSLATE_NOOP("kinds", "min(max(0, x), 6): ReLU capped at 6, as in MobileNet."),
    "SiLU": QT_TRANSLATE_NOOP(
        "kinds", "x · sigmoid(x), also called swish: a smooth ReLU, as in EfficientNet."
    ),
    "GELU": QT_TRANSLATE_NOOP(
        "kinds",
        "x · Φ(x), Φ the standard normal distribution: a smooth ReLU, as in Transformers. "
        "The tanh approximation is faster and close.",
    ),
    "MaxPool2d": QT_TRANSLATE_NOOP(
        "kinds",
        "Maximum over each window. In ceil mode the output size rounds up, so a last window "
        "that overhangs the input still counts.",
    ),
    "AvgPool2d": QT_TRANSLATE_NOOP(
        "kinds",
        "Mean over each window; padding counts as zeros unless you turn that off. In ceil "
        "mode the output size rounds up.",
    ),
    "GlobalAvgPool": QT_TRANSLATE_NOOP("kinds", "Mean over the whole feature map: C×H×W → C×1×1."),
    "AdaptiveAvgPool2d": QT_TRANSLATE_NOOP(
        "kinds",
        "Mean over an s×s grid of regions: C×H×W → C×s×s whatever the input size "
        "(7×7 before VGG's classifier). Size 1 is a global average pool.",
    ),
    "Flatten": QT_TRANSLATE_NOOP("kinds", "C×H×W → C·H·W features, for Linear."),
    "Linear": QT_TRANSLATE_NOOP(
        "kinds", "Fully connected layer; by default one output per class of the network."
    ),
    "Dropout": QT_TRANSLATE_NOOP("kinds", "Zeroes each value with probability p while training."),
    "Identity": QT_TRANSLATE_NOOP("kinds", "Passes its input through unchanged."),
    "Residual": QT_TRANSLATE_NOOP(
        "kinds",
        "H(x) = F(x) + shortcut(x): the layers inside are F; the shortcut carries x "
        "around them and the two are added.",
    ),
    PLAIN_BLOCK: QT_TRANSLATE_NOOP(
        "kinds",
        "A block without a shortcut: its layers run one after another and nothing is "
        "added, as in the paper's plain networks. Choose a shortcut to make it residual.",
    ),
    "Repeat": QT_TRANSLATE_NOOP(
        "kinds",
        "The layers inside, N times in a row: a ResNet stage. Strides act in the first "
        "repetition only.",
    ),
    "Group": QT_TRANSLATE_NOOP(
        "kinds",
        "The layers inside, one after another, under one name (torch's nn.Sequential): "
        "a group named features holding 0, 1 … gives the paths features.0, features.1.",
    ),
}


def kind_label(node: Node) -> str:
    """The kind as the window names it: ``Plain block`` for a Residual without a
    shortcut, else the node's kind (``Conv2d``, ``Residual``…)."""
    if isinstance(node, Residual) and node.shortcut == "none":
        return PLAIN_BLOCK
    return node.kind


def kind_help(node: Node) -> str:
    """What ``node``'s kind does, in a sentence or two (empty for a kind without help)."""
    return KIND_HELP.get(kind_label(node), "")


def relabelled(network: Network) -> dict[str, str]:
    """Node id → kind label for the nodes named otherwise than by their kind (the plain
    blocks): what a table of rows, which carry only the kind, shows instead."""
    found = {}
    for node in walk(network.body):
        label = kind_label(node)
        if label != node.kind:
            found[node.id] = label
    return found
