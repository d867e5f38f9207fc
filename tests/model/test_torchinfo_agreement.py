"""The analytic layers table agrees with torchinfo, layer by layer (DESIGN.md §3, §6).

Random networks are drawn from what torch itself can run (``torch_reference``),
on square and non-square inputs, so a false error in inference fails the test
instead of leaving that network out.

For each torchinfo layer the dotted path is rebuilt from ``LayerInfo.var_name``
up the ``parent_info`` chain (the root, the whole ``nn.Sequential``, has no
parent and no name in the path). Leaves compare output shape, parameters and
multiply-adds; containers compare output shape, parameters (torchinfo counts
all nested ones) and the multiply-adds of the leaves under them.
"""

from __future__ import annotations

import pytest
import torch
import torchinfo
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from resnet_studio.arch.inference import Summary, infer, shortcut_stride
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import (
    GELU,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Group,
    Identity,
    LeakyReLU,
    Linear,
    MaxPool2d,
    Network,
    Node,
    ReLU,
    ReLU6,
    Repeat,
    Residual,
    SiLU,
)
from resnet_studio.model.build import build_model
from tests.model import torch_reference

# Our row kinds and the torch classes they become.
TORCH_CLASS = {
    "Conv2d": "Conv2d",
    "BatchNorm2d": "BatchNorm2d",
    "ReLU": "ReLU",
    "LeakyReLU": "LeakyReLU",
    "ReLU6": "ReLU6",
    "SiLU": "SiLU",
    "GELU": "GELU",
    "AdaptiveAvgPool2d": "AdaptiveAvgPool2d",
    "MaxPool2d": "MaxPool2d",
    "AvgPool2d": "AvgPool2d",
    "GlobalAvgPool": "AdaptiveAvgPool2d",
    "Flatten": "Flatten",
    "Linear": "Linear",
    "Dropout": "Dropout",
    "Identity": "Identity",
    "Residual": "ResidualBlock",
    "Repeat": "Sequential",
    "Group": "Sequential",
    "Repetition": "Sequential",
    "Projection": "Sequential",
    "ZeroPadShortcut": "ZeroPadShortcut",
}


def layer_path(info) -> str:
    parts = []
    while info.parent_info is not None:
        parts.append(info.var_name)
        info = info.parent_info
    return ".".join(reversed(parts))


def assert_agrees_with_torchinfo(network: Network) -> Summary:
    """Build ``network``, run torchinfo on it and compare every row; returns our summary."""
    ours = infer(network)
    assert ours.ok, ours.problems
    stats = torchinfo.summary(
        build_model(network), (1, *network.input_shape), device="cpu", verbose=0
    )
    theirs = {layer_path(info): info for info in stats.summary_list if info.parent_info}
    rows = {row.path: row for row in ours.rows}
    assert len(rows) == len(ours.rows), "paths must be unique"
    assert set(rows) == set(theirs), (
        f"only ours: {sorted(set(rows) - set(theirs))[:10]}, "
        f"only torchinfo: {sorted(set(theirs) - set(rows))[:10]}"
    )
    leaf_macs = {path: info.macs for path, info in theirs.items() if info.is_leaf_layer}
    for path, row in rows.items():
        info = theirs[path]
        got = (TORCH_CLASS[row.kind], tuple(row.output_shape), row.params)
        want = (info.class_name, tuple(info.output_size[1:]), info.num_params)
        assert got == want, f"{path}: ours {got}, torchinfo {want}"
        assert info.output_size[0] == 1
        assert not info.is_recursive
        under = sum(m for p, m in leaf_macs.items() if p == path or p.startswith(path + "."))
        assert row.macs == under, f"{path}: ours {row.macs:,} MACs, torchinfo {under:,}"
        if not row.is_container:
            assert info.is_leaf_layer and row.macs == info.macs, path
    assert (ours.total_params, ours.total_macs) == (stats.total_params, stats.total_mult_adds)
    return ours


# --- the presets, with the exact figures of DESIGN.md §6 -------------------------

# Each takes under ~2.5 s here (build + summary); resnet101/152 and cifar-resnet1202
# are covered analytically by tests/arch/test_presets.py and are too slow for this.
EXACT = {
    "resnet18": (11_689_512, 1_814_083_944),
    "resnet50": (25_557_032, 4_089_238_376),
    "vgg19": (143_667_240, 19_646_923_752),
    "cifar-resnet20": (269_722, 40_552_426),
    "cifar-resnet56": (853_018, 125_489_770),
    "cifar-plain20": (269_722, 40_552_426),
}


@pytest.mark.parametrize("key", list(EXACT))
def test_preset_agrees_with_torchinfo_layer_by_layer(key: str) -> None:
    ours = assert_agrees_with_torchinfo(preset_network(key))
    assert (ours.total_params, ours.total_macs) == EXACT[key]


def test_plain34_agrees_with_torchinfo() -> None:
    assert_agrees_with_torchinfo(preset_network("plain34"))


@pytest.mark.parametrize("key", ["cifar-preact-resnet110", "cifar-preact-resnet164"])
def test_preactivation_preset_agrees_with_torchinfo(key: str) -> None:
    assert_agrees_with_torchinfo(preset_network(key))


def test_cifar_preset_on_grey_28x28_agrees() -> None:
    assert_agrees_with_torchinfo(preset_network("cifar-resnet32", (1, 28, 28), classes=100))


def test_a_layer_path_example() -> None:
    """Guards the path reconstruction itself against a torchinfo change."""
    stats = torchinfo.summary(
        build_model(preset_network("cifar-resnet20")), (1, 3, 32, 32), device="cpu", verbose=0
    )
    paths = [layer_path(i) for i in stats.summary_list]
    assert paths[:4] == ["", "conv1", "bn1", "relu"]
    assert "layer2.0.shortcut" in paths and "layer3.2.conv2" in paths


# --- random valid networks ---------------------------------------------------------

MAX_C = 8


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def _out_shape(shape: tuple[int, ...], body: list[Node]) -> tuple[int, ...] | None:
    """The body's output on ``shape`` as torch runs it, or None where torch cannot."""
    return torch_reference.output_shape(Network(input_shape=shape, classes=1, body=tuple(body)))


@st.composite
def conv2d(draw, shape, name):
    c = shape[0]
    groups = draw(st.sampled_from(_divisors(c)))
    out_channels = groups * draw(st.integers(1, max(1, MAX_C // groups)))
    kernel = draw(st.integers(1, 5))
    dilation = draw(st.integers(1, 2))
    # Often "same" padding, so residual bodies keep their shape and all shortcuts get drawn.
    padding = draw(st.sampled_from([dilation * (kernel - 1) // 2, 0, 1, 2, 3]))
    return Conv2d(
        name=name,
        out_channels=out_channels,
        kernel=kernel,
        stride=draw(st.sampled_from([1, 1, 2, 3])),
        padding=padding,
        dilation=dilation,
        groups=groups,
        bias=draw(st.booleans()),
    )


@st.composite
def pool(draw, shape, name):
    kernel = draw(st.integers(1, 3))
    cls = draw(st.sampled_from([MaxPool2d, AvgPool2d]))
    # Ceil mode half the time: where the last window overhangs (and where PyTorch drops it).
    extra = {"count_include_pad": draw(st.booleans())} if cls is AvgPool2d else {}
    return cls(
        name=name,
        kernel=kernel,
        stride=draw(st.integers(1, 3)),
        padding=draw(st.integers(0, kernel // 2)),
        ceil_mode=draw(st.booleans()),
        **extra,
    )


@st.composite
def residual(draw, shape, name, depth):
    body, out = draw(sequence(shape, depth + 1, 3))
    preactivation = draw(st.booleans())
    if preactivation:  # the body a pre-activation block needs first; both keep the shape
        body = (BatchNorm2d(name="pre_bn"), ReLU(name="pre_relu"), *body)
    options = [
        kind
        for kind in ("auto", "identity", "zero-pad", "projection")
        if torch_reference.shortcut_fits(kind, shape, out)
    ]
    shortcut = draw(st.sampled_from([*options, "none"]))
    return Residual(
        name=name,
        body=body,
        shortcut=shortcut,
        post_relu=draw(st.booleans()),
        pad_placement=draw(st.sampled_from(["end", "both"])),
        preactivation=preactivation,
    )


@st.composite
def group(draw, shape, name, depth):
    body, _ = draw(sequence(shape, depth + 1, 3))
    return Group(name=name, body=body)


@st.composite
def repeat(draw, shape, name, depth):
    body, _ = draw(sequence(shape, depth + 1, draw(st.sampled_from([1, 3]))))
    node = Repeat(
        name=name,
        body=body,
        count=draw(st.integers(1, 3)),
        strides_first_only=draw(st.booleans()),
    )
    if _out_shape(shape, [node]) is None:  # strides in every repetition ran out of pixels
        node = Repeat(name=name, body=body, count=1)
    return node


def node(shape, name, depth):
    simple = [
        conv2d(shape, name),
        conv2d(shape, name),
        pool(shape, name),
        pool(shape, name),
        st.builds(AdaptiveAvgPool2d, name=st.just(name), output_size=st.integers(1, 9)),
        st.just(BatchNorm2d(name=name)),
        st.just(ReLU(name=name)),
        st.builds(LeakyReLU, name=st.just(name), negative_slope=st.floats(0, 1)),
        st.just(ReLU6(name=name)),
        st.just(SiLU(name=name)),
        st.builds(GELU, name=st.just(name), approximate=st.sampled_from(["none", "tanh"])),
        st.builds(Dropout, name=st.just(name), p=st.floats(0, 1)),
        st.just(Identity(name=name)),
    ]
    if depth < 2:
        simple += [residual(shape, name, depth), repeat(shape, name, depth)]
        simple += [group(shape, name, depth)]
    return st.one_of(simple)


@st.composite
def sequence(draw, shape, depth, max_len):
    """Nodes that each fit the output of the ones before (misfits are left out)."""
    body: list[Node] = []
    for i in range(draw(st.integers(1, max_len))):
        candidate = draw(node(shape, f"n{i}", depth))
        out = _out_shape(shape, [*body, candidate])
        if out is not None:
            body.append(candidate)
            shape = out
    if not body:
        body.append(Identity(name="id"))
    return tuple(body), shape


@st.composite
def networks(draw):
    # Height and width apart, from one pixel up: 2×32 maps whose height stays 1 after a
    # stride as well as square ones. (A spec's strides are one number for both sides.)
    side = st.one_of(st.integers(1, 4), st.integers(4, 24))
    shape = (draw(st.integers(1, 4)), draw(side), draw(side))
    body, out = draw(sequence(shape, 0, 5))
    head_kind = draw(st.sampled_from(["gap", "flatten", "mlp", "adaptive"]))
    if head_kind == "flatten" and out[0] * out[1] * out[2] <= 2048:
        head: tuple[Node, ...] = (Flatten(name="flatten"), Linear(name="fc"))
    elif head_kind == "adaptive":  # VGG's head: a fixed grid whatever the map's size
        size = draw(st.integers(1, 7))
        head = (
            AdaptiveAvgPool2d(name="avgpool", output_size=size),
            Flatten(name="flatten"),
            Linear(name="fc"),
        )
    elif head_kind == "mlp":
        head = (
            GlobalAvgPool(name="gap"),
            Flatten(name="flatten"),
            Linear(name="fc1", out_features=draw(st.integers(1, 8)), bias=draw(st.booleans())),
            ReLU(name="relu"),
            Dropout(name="drop"),
            Linear(name="fc2"),
        )
    else:
        head = (GlobalAvgPool(name="gap"), Flatten(name="flatten"), Linear(name="fc"))
    return Network(
        name="random", input_shape=shape, classes=draw(st.integers(1, 5)), body=body + head
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_random_networks_agree_with_torchinfo(network: Network) -> None:
    assume(torch_reference.output_shape(network) is not None)  # e.g. a Repeat ran out of pixels
    assert_agrees_with_torchinfo(network)


@st.composite
def body_shapes(draw):
    """An input and the output of a conv on it: one kernel, padding and stride for both sides."""
    side = st.one_of(st.integers(1, 4), st.integers(4, 40))
    x = (draw(st.integers(1, 4)), draw(side), draw(side))
    kernel, padding, stride = (
        draw(st.integers(1, 5)),
        draw(st.integers(0, 2)),
        draw(st.integers(1, 4)),
    )
    sides = tuple((n + 2 * padding - kernel) // stride + 1 for n in x[1:])
    assume(min(sides) >= 1)
    return x, (draw(st.integers(1, 8)), *sides)


@settings(max_examples=300, deadline=None)
@given(body_shapes())
def test_shortcut_stride_is_found_whenever_torch_has_one(shapes) -> None:
    x, fx = shapes
    stride = shortcut_stride(x, fx)
    assert (stride is not None) == torch_reference.shortcut_fits("projection", x, fx)
    if stride is not None:
        subsampled = torch.zeros(1, *x)[:, :, ::stride, ::stride]
        assert tuple(subsampled.shape[2:]) == fx[1:]
