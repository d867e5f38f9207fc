"""A spec run with torch's functional ops alone: the truth that inference is checked against.

Neither :func:`resnet_studio.arch.inference.infer` nor the model builder is
used here (the builder refuses what inference refuses, so it cannot be the
judge). Each layer runs on a tensor of zeros; a shortcut that zero-pads or
projects is tried with every stride, so "torch can add these" does not depend
on how the program works the stride out.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812 - torch's own spelling

from resnet_studio.arch.spec import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Group,
    Linear,
    MaxPool2d,
    Network,
    Node,
    Repeat,
    Residual,
)

Shape = tuple[int, ...]


class DoesNotRun(Exception):
    """Torch cannot run this spec on its input."""


def shortcut_fits(kind: str, x: Shape, fx: Shape) -> bool:
    """Whether torch can add a ``kind`` shortcut of input ``x`` to a body output ``fx``."""
    if len(x) != 3 or len(fx) != 3:
        return False
    if kind == "auto":
        kind = "identity" if x == fx else "projection"
    if kind == "identity":
        return x == fx
    inp = torch.zeros(1, *x)
    for stride in range(1, max(x[1:]) + 1):
        if kind == "zero-pad":
            out = inp[:, :, ::stride, ::stride]
            fits = fx[0] >= x[0]  # it appends zero channels, it cannot drop any
        else:
            out = F.conv2d(inp, torch.zeros(fx[0], x[0], 1, 1), stride=stride)
            fits = True
        if fits and tuple(out.shape[2:]) == fx[1:]:
            return True
    return False


def _conv(node: Conv2d, x: torch.Tensor, stride: int) -> torch.Tensor:
    c = x.shape[1]
    if x.dim() != 4 or c % node.groups or node.out_channels % node.groups:
        raise DoesNotRun(node.name)
    weight = torch.zeros(node.out_channels, c // node.groups, node.kernel, node.kernel)
    return F.conv2d(x, weight, None, stride, node.padding, node.dilation, node.groups)


def _leaf(node: Node, x: torch.Tensor, stride_one: bool, classes: int) -> torch.Tensor:
    stride = 1 if stride_one else getattr(node, "stride", 1)
    if isinstance(node, Conv2d):
        return _conv(node, x, stride)
    pools = MaxPool2d | AvgPool2d | GlobalAvgPool | AdaptiveAvgPool2d
    if isinstance(node, BatchNorm2d | pools) and x.dim() != 4:
        raise DoesNotRun(node.name)
    if isinstance(node, MaxPool2d):
        return F.max_pool2d(x, node.kernel, stride, node.padding, ceil_mode=node.ceil_mode)
    if isinstance(node, AvgPool2d):
        return F.avg_pool2d(
            x, node.kernel, stride, node.padding, node.ceil_mode, node.count_include_pad
        )
    if isinstance(node, GlobalAvgPool):
        return F.adaptive_avg_pool2d(x, 1)
    if isinstance(node, AdaptiveAvgPool2d):
        return F.adaptive_avg_pool2d(x, node.output_size)
    if isinstance(node, Flatten):
        return torch.flatten(x, 1)
    if isinstance(node, Linear):
        if x.dim() != 2:
            raise DoesNotRun(node.name)
        out = classes if node.out_features is None else node.out_features
        return F.linear(x, torch.zeros(out, x.shape[1]))
    return x  # BatchNorm, activations (ReLU6, SiLU, GELU…), Dropout and Identity keep the shape


def _run(nodes: tuple[Node, ...], x: torch.Tensor, stride_one: bool, classes: int):
    for node in nodes:
        if isinstance(node, Residual):
            fx = _run(node.body, x, stride_one, classes)
            shapes = (tuple(x.shape[1:]), tuple(fx.shape[1:]))
            if node.shortcut != "none" and not shortcut_fits(node.shortcut, *shapes):
                raise DoesNotRun(node.name)
            x = fx
        elif isinstance(node, Repeat):
            for i in range(node.count):
                x = _run(node.body, x, stride_one or (i > 0 and node.strides_first_only), classes)
        elif isinstance(node, Group):
            x = _run(node.body, x, stride_one, classes)
        else:
            x = _leaf(node, x, stride_one, classes)
    return x


def output_shape(network: Network) -> Shape | None:
    """The shape torch gives for one image of ``network``, or None where torch cannot run it."""
    try:
        with torch.no_grad():
            out = _run(network.body, torch.zeros(1, *network.input_shape), False, network.classes)
    except (DoesNotRun, RuntimeError):
        return None
    return tuple(out.shape[1:])
