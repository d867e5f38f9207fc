"""Build a network spec into an ``nn.Module``.

Module names follow the spec's paths, so the ImageNet presets have exactly
torchvision's ``state_dict`` keys (``layer1.0.conv1.weight``,
``layer2.0.downsample.0.weight`` …). Shapes come from the same formulas the
layers table uses (:mod:`resnet_studio.arch.inference`), and so does the check
that the network fits in memory, made before anything is allocated
(:mod:`resnet_studio.model.resources`).
"""

from __future__ import annotations

import math
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

from resnet_studio.arch import spec as s
from resnet_studio.arch.inference import (
    Shape,
    infer,
    leaf_output,
    resolve_shortcut,
    shortcut_stride,
)
from resnet_studio.arch.messages import Message, located, text_of
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.resources import Estimate, NotEnoughMemory, check_fits


class BuildError(ValueError):
    """The spec has problems; the message lists them by path."""


class ZeroPadShortcut(nn.Module):
    """The paper's option A: subsample by ``stride``, add zero channels. No parameters.

    ``placement`` "end" appends them all; "both" puts half before x's channels and
    the rest after, as CIFAR codes' ``F.pad(x, (0, 0, 0, 0, p, p))`` does.
    """

    def __init__(self, stride: int, extra_channels: int, placement: str = "end") -> None:
        super().__init__()
        self.stride = stride
        self.extra_channels = extra_channels
        self.placement = placement
        self.before = extra_channels // 2 if placement == "both" else 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride > 1:
            x = x[:, :, :: self.stride, :: self.stride]
        if self.extra_channels:
            x = F.pad(x, (0, 0, 0, 0, self.before, self.extra_channels - self.before))
        return x

    def extra_repr(self) -> str:
        text = f"stride={self.stride}, extra_channels={self.extra_channels}"
        return text + (f", placement={self.placement!r}" if self.placement != "end" else "")


class ResidualBlock(nn.Module):
    """out = body(x) + shortcut(x), then ReLU; without a shortcut, a plain block.

    Body layers are direct children (``conv1``, ``bn1`` …) as in torchvision's
    blocks; the shortcut is ``downsample`` (projection) or ``shortcut``
    (zero-padding, or a pre-activation block's projection), absent for
    identity and plain blocks. In a pre-activation block a shortcut module
    takes x after the body's first two layers (BatchNorm2d, ReLU).
    """

    def __init__(
        self,
        body: list[tuple[str, nn.Module]],
        shortcut: str,
        shortcut_module: nn.Module | None,
        post_relu: bool,
        preactivation: bool = False,
    ) -> None:
        super().__init__()
        self.body_names = tuple(name for name, _ in body)
        for name, module in body:
            self.add_module(name, module)
        self.mode = shortcut  # "identity", "zero-pad", "projection" or "none"
        names = {"projection": "shortcut" if preactivation else "downsample"}
        self.shortcut_name = {**names, "zero-pad": "shortcut"}.get(shortcut)
        if self.shortcut_name:
            self.add_module(self.shortcut_name, shortcut_module)
        self.post_relu = post_relu
        self.preactivation = preactivation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x
        shortcut_input = x
        for i, name in enumerate(self.body_names):
            out = self._modules[name](out)
            if self.preactivation and i == 1:  # after the leading BatchNorm2d and ReLU
                shortcut_input = out
        if self.mode != "none":
            identity = x
            if self.shortcut_name:
                identity = self._modules[self.shortcut_name](shortcut_input)
            out = out + identity
        if self.post_relu:
            out = F.relu(out)
        return out

    def last_batchnorm(self) -> nn.BatchNorm2d | None:
        """The last BatchNorm of the body (zero-initialised on request)."""
        for name in reversed(self.body_names):
            if isinstance(self._modules[name], nn.BatchNorm2d):
                return self._modules[name]
        return None


class _Builder:
    def __init__(self, classes: int) -> None:
        self.classes = classes

    def sequence(
        self, nodes: tuple[s.Node, ...], shape: Shape, stride_one: bool
    ) -> tuple[list[tuple[str, nn.Module]], Shape]:
        children = []
        for node in nodes:
            module, shape = self.node(node, shape, stride_one)
            children.append((node.name, module))
        return children, shape

    def node(self, node: s.Node, shape: Shape, stride_one: bool) -> tuple[nn.Module, Shape]:
        if isinstance(node, s.Residual):
            return self.residual(node, shape, stride_one)
        if isinstance(node, s.Repeat):
            return self.repeat(node, shape, stride_one)
        if isinstance(node, s.Group):
            children, out = self.sequence(node.body, shape, stride_one)
            return nn.Sequential(OrderedDict(children)), out
        out = leaf_output(node, shape, stride_one, self.classes)
        assert out is not None, "infer() has already accepted this spec"
        return self.leaf(node, shape, out, stride_one), out

    def leaf(self, node: s.Node, shape: Shape, out: Shape, stride_one: bool) -> nn.Module:
        stride = 1 if stride_one else getattr(node, "stride", 1)
        match node:
            case s.Conv2d():
                return nn.Conv2d(
                    shape[0],
                    node.out_channels,
                    node.kernel,
                    stride=stride,
                    padding=node.padding,
                    dilation=node.dilation,
                    groups=node.groups,
                    bias=node.bias,
                )
            case s.BatchNorm2d():
                return nn.BatchNorm2d(shape[0])
            case s.ReLU():
                return nn.ReLU()
            case s.LeakyReLU():
                return nn.LeakyReLU(node.negative_slope)
            case s.ReLU6():
                return nn.ReLU6()
            case s.SiLU():
                return nn.SiLU()
            case s.GELU():
                return nn.GELU(approximate=node.approximate)
            case s.MaxPool2d():
                return nn.MaxPool2d(
                    node.kernel, stride=stride, padding=node.padding, ceil_mode=node.ceil_mode
                )
            case s.AvgPool2d():
                return nn.AvgPool2d(
                    node.kernel,
                    stride=stride,
                    padding=node.padding,
                    ceil_mode=node.ceil_mode,
                    count_include_pad=node.count_include_pad,
                )
            case s.GlobalAvgPool():
                return nn.AdaptiveAvgPool2d(1)
            case s.AdaptiveAvgPool2d():
                return nn.AdaptiveAvgPool2d(node.output_size)
            case s.Flatten():
                return nn.Flatten()
            case s.Linear():
                return nn.Linear(shape[0], out[0], bias=node.bias)
            case s.Dropout():
                return nn.Dropout(node.p)
            case s.Identity():
                return nn.Identity()
        raise TypeError(f"no torch layer for {type(node).__name__}")

    def residual(self, node: s.Residual, shape: Shape, stride_one: bool) -> tuple[nn.Module, Shape]:
        body, out = self.sequence(node.body, shape, stride_one)
        kind = "none" if node.shortcut == "none" else resolve_shortcut(node.shortcut, shape, out)
        module: nn.Module | None = None
        if kind in ("zero-pad", "projection"):
            stride = shortcut_stride(shape, out)
            if kind == "zero-pad":
                module = ZeroPadShortcut(stride, out[0] - shape[0], node.pad_placement)
            elif node.preactivation:  # x is already normalised: no BatchNorm after the conv
                module = nn.Sequential(nn.Conv2d(shape[0], out[0], 1, stride=stride, bias=False))
            else:
                module = nn.Sequential(
                    nn.Conv2d(shape[0], out[0], 1, stride=stride, bias=False),
                    nn.BatchNorm2d(out[0]),
                )
        block = ResidualBlock(body, kind, module, node.post_relu, node.preactivation)
        return block, out

    def repeat(self, node: s.Repeat, shape: Shape, stride_one: bool) -> tuple[nn.Module, Shape]:
        reps = []
        for i in range(node.count):
            rep_stride_one = stride_one or (i > 0 and node.strides_first_only)
            if len(node.body) == 1:
                module, shape = self.node(node.body[0], shape, rep_stride_one)
            else:
                children, shape = self.sequence(node.body, shape, rep_stride_one)
                module = nn.Sequential(OrderedDict(children))
            reps.append((str(i), module))
        return nn.Sequential(OrderedDict(reps)), shape


def init_weights(
    model: nn.Module, zero_init_residual: bool = False, generator: torch.Generator | None = None
) -> None:
    """He initialisation as torchvision does it; optionally zero each residual's last BN.

    Every random draw goes through ``generator`` (when given), so runs that
    train side by side in threads still start from their own seeded weights.
    Zeroing the last BatchNorm's scale makes every residual block start as an
    identity, which helps very deep networks (Goyal et al., 2017).
    """
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(
                m.weight, mode="fan_out", nonlinearity="relu", generator=generator
            )
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear):
            # PyTorch's own default for Linear, drawn from our generator.
            nn.init.kaiming_uniform_(m.weight, a=math.sqrt(5), generator=generator)
            if m.bias is not None:
                bound = 1 / math.sqrt(m.in_features)
                nn.init.uniform_(m.bias, -bound, bound, generator=generator)
    if zero_init_residual:
        for m in model.modules():
            if isinstance(m, ResidualBlock) and m.mode != "none":
                bn = m.last_batchnorm()
                if bn is not None:
                    nn.init.zeros_(bn.weight)


def _errors(problems: list) -> Message:
    """``the network has errors: a; b (+3 more)``: its first five problems, each one's
    own message kept (the window translates them)."""
    listed: str = ""
    for problem in reversed(problems[:5]):
        said = located(problem.path, problem.message) if problem.path else problem.message
        listed = (
            Message(
                "build.problems",
                QT_TRANSLATE_NOOP("messages", "{first}; {rest}"),
                first=said,
                rest=listed,
            )
            if listed
            else said
        )
    more = len(problems) - 5
    if more > 0:
        return Message(
            "build.errors_more",
            QT_TRANSLATE_NOOP("messages", "the network has errors: {problems} (+{more} more)"),
            problems=listed,
            more=more,
        )
    return Message(
        "build.errors",
        QT_TRANSLATE_NOOP("messages", "the network has errors: {problems}"),
        problems=listed,
    )


def _checked(network: s.Network, check_memory: bool) -> None:
    """:class:`BuildError` when ``network`` is invalid (or, asked, would not fit in memory)."""
    summary = infer(network)
    if not summary.ok:
        raise BuildError(_errors(summary.problems))
    if check_memory:
        try:
            need = Estimate(summary.modules, summary.total_params, summary.activations)
            check_fits(network.name, need)
        except NotEnoughMemory as err:
            raise BuildError(text_of(err)) from None


def _modules(network: s.Network) -> nn.Sequential:
    children, _ = _Builder(network.classes).sequence(network.body, network.input_shape, False)
    return nn.Sequential(OrderedDict(children))


def build_model(
    network: s.Network, zero_init_residual: bool = False, seed: int | None = None
) -> nn.Sequential:
    """A freshly initialised module for ``network``; :class:`BuildError` if it is invalid
    or would not fit in the memory available.

    With ``seed`` the weights depend on it alone, not on torch's global RNG.
    """
    _checked(network, check_memory=True)
    model = _modules(network)
    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    init_weights(model, zero_init_residual, generator)
    return model


def build_empty(network: s.Network) -> nn.Sequential:
    """The module for ``network`` with its tensors on the meta device, for weights that
    exist already: ``load_state_dict(state, assign=True)`` gives it them. Nothing is
    allocated or initialised (the importer checks ResNet-152 in a fraction of a second).
    :class:`BuildError` if the network is invalid.
    """
    _checked(network, check_memory=False)
    with torch.device("meta"):
        return _modules(network)
