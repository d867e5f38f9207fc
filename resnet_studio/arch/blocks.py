"""Block templates that expand into plain nodes, named as in torchvision's resnet.py."""

from __future__ import annotations

from resnet_studio.arch.spec import BatchNorm2d, Conv2d, ReLU, Repeat, Residual

BOTTLENECK_EXPANSION = 4


def conv3x3(name: str, out_channels: int, stride: int = 1, bias: bool = False) -> Conv2d:
    """3×3 convolution with padding 1."""
    return Conv2d(
        name=name, out_channels=out_channels, kernel=3, stride=stride, padding=1, bias=bias
    )


def conv1x1(name: str, out_channels: int, stride: int = 1) -> Conv2d:
    """1×1 convolution, no padding."""
    return Conv2d(name=name, out_channels=out_channels, kernel=1, stride=stride, padding=0)


def basic_block(
    planes: int, stride: int = 1, shortcut: str = "auto", name: str = "block"
) -> Residual:
    """Two 3×3 convs (Fig. 2 / Fig. 5 left of the paper); stride on the first."""
    return Residual(
        name=name,
        shortcut=shortcut,
        body=(
            conv3x3("conv1", planes, stride),
            BatchNorm2d(name="bn1"),
            ReLU(name="relu1"),
            conv3x3("conv2", planes),
            BatchNorm2d(name="bn2"),
        ),
    )


def bottleneck(
    planes: int, stride: int = 1, shortcut: str = "auto", name: str = "block"
) -> Residual:
    """1×1 reduce, 3×3, 1×1 expand ×4 (Fig. 5 right); stride on the 3×3, as torchvision."""
    return Residual(
        name=name,
        shortcut=shortcut,
        body=(
            conv1x1("conv1", planes),
            BatchNorm2d(name="bn1"),
            ReLU(name="relu1"),
            conv3x3("conv2", planes, stride),
            BatchNorm2d(name="bn2"),
            ReLU(name="relu2"),
            conv1x1("conv3", planes * BOTTLENECK_EXPANSION),
            BatchNorm2d(name="bn3"),
        ),
    )


def preact_basic_block(
    planes: int, stride: int = 1, shortcut: str = "auto", name: str = "block"
) -> Residual:
    """He et al. 2016's pre-activation basic block (Fig. 1b): BN, ReLU, 3×3 conv, twice;
    nothing after the addition. Stride on the first conv."""
    return Residual(
        name=name,
        shortcut=shortcut,
        post_relu=False,
        preactivation=True,
        body=(
            BatchNorm2d(name="bn1"),
            ReLU(name="relu1"),
            conv3x3("conv1", planes, stride),
            BatchNorm2d(name="bn2"),
            ReLU(name="relu2"),
            conv3x3("conv2", planes),
        ),
    )


def preact_bottleneck(
    planes: int, stride: int = 1, shortcut: str = "auto", name: str = "block"
) -> Residual:
    """The pre-activation bottleneck: BN, ReLU, then 1×1 reduce, 3×3, 1×1 expand ×4, each
    after a BN and ReLU; stride on the 3×3, as in the authors' preresnet.lua."""
    return Residual(
        name=name,
        shortcut=shortcut,
        post_relu=False,
        preactivation=True,
        body=(
            BatchNorm2d(name="bn1"),
            ReLU(name="relu1"),
            conv1x1("conv1", planes),
            BatchNorm2d(name="bn2"),
            ReLU(name="relu2"),
            conv3x3("conv2", planes, stride),
            BatchNorm2d(name="bn3"),
            ReLU(name="relu3"),
            conv1x1("conv3", planes * BOTTLENECK_EXPANSION),
        ),
    )


def plain_block(planes: int, stride: int = 1, name: str = "block") -> Residual:
    """A basic block without its shortcut: the paper's plain baseline."""
    return basic_block(planes, stride, shortcut="none", name=name)


def plain_bottleneck(planes: int, stride: int = 1, name: str = "block") -> Residual:
    """A bottleneck without its shortcut."""
    return bottleneck(planes, stride, shortcut="none", name=name)


def stage(name: str, block: Residual, count: int) -> Repeat:
    """``count`` copies of ``block``; its stride acts in the first copy only."""
    return Repeat(name=name, count=count, body=(block,))
