"""The plain twin: same layers, names and ids; no shortcuts."""

from __future__ import annotations

import pytest

from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import CIFAR_DEPTHS, preset_network
from resnet_studio.arch.spec import (
    Conv2d,
    GlobalAvgPool,
    Linear,
    Network,
    Repeat,
    Residual,
    walk,
)
from resnet_studio.arch.twin import plain_twin, twin_name


@pytest.mark.parametrize("key", ["cifar-resnet20", "cifar-resnet110", "resnet18", "resnet50"])
def test_twin_keeps_ids_names_and_paths(key: str) -> None:
    network = preset_network(key)
    twin = plain_twin(network)
    pairs = list(zip(walk(network.body), walk(twin.body), strict=True))
    for a, b in pairs:
        assert (a.id, a.name, a.kind) == (b.id, b.name, b.kind)
        if isinstance(b, Residual):
            assert b.shortcut == "none"
            assert b.post_relu == a.post_relu
        elif isinstance(b, Repeat):
            assert (b.count, b.strides_first_only) == (a.count, a.strides_first_only)
        else:
            assert a == b  # layers are untouched
    assert sum(isinstance(a, Residual) for a, _ in pairs) > 0
    assert (twin.input_shape, twin.classes) == (network.input_shape, network.classes)

    rows, twin_rows = infer(network).rows, infer(twin).rows
    body_paths = [r.path for r in rows if not r.is_shortcut]
    assert [r.path for r in twin_rows] == body_paths
    assert not any(r.is_shortcut for r in twin_rows)
    by_path = {r.path: r for r in rows}
    for row in twin_rows:
        assert row.node_id == by_path[row.path].node_id
        if not row.is_container:
            assert row.output_shape == by_path[row.path].output_shape
            assert row.params == by_path[row.path].params


@pytest.mark.parametrize("depth", CIFAR_DEPTHS)
def test_cifar_twin_has_the_same_numbers(depth: int) -> None:
    resnet = infer(preset_network(f"cifar-resnet{depth}"))
    twin = infer(plain_twin(preset_network(f"cifar-resnet{depth}")))
    plain = infer(preset_network(f"cifar-plain{depth}"))
    assert twin.ok
    assert (twin.total_params, twin.total_macs, twin.depth) == (
        resnet.total_params,
        resnet.total_macs,
        resnet.depth,
    )
    assert (twin.total_params, twin.total_macs) == (plain.total_params, plain.total_macs)
    assert plain_twin(preset_network(f"cifar-resnet{depth}")).name == f"cifar-plain{depth}"


# Parameters of the plain ImageNet nets: torchvision's resnet18/34 less their projections.
PLAIN_PARAMS = {18: 11_515_688, 34: 21_623_848}


@pytest.mark.parametrize("depth", [18, 34])
def test_imagenet_twin_equals_the_plain_preset(depth: int) -> None:
    twin = plain_twin(preset_network(f"resnet{depth}"))
    plain = preset_network(f"plain{depth}")
    assert twin.name == f"plain{depth}"
    a, b = infer(twin), infer(plain)
    assert (a.total_params, a.total_macs, a.depth) == (b.total_params, b.total_macs, b.depth)
    assert [(r.path, r.kind, r.output_shape, r.params, r.macs) for r in a.rows] == [
        (r.path, r.kind, r.output_shape, r.params, r.macs) for r in b.rows
    ]
    assert a.total_params == PLAIN_PARAMS[depth]


def test_twin_of_a_twin_is_stable_and_the_original_is_untouched() -> None:
    network = preset_network("cifar-resnet20")
    twin = plain_twin(network)
    assert plain_twin(twin).body == twin.body
    assert all(n.shortcut == "zero-pad" for n in walk(network.body) if isinstance(n, Residual))


def test_twin_strips_nested_residuals_and_keeps_other_fields() -> None:
    inner = Residual(name="inner", shortcut="identity", body=(Conv2d(name="c", out_channels=4),))
    outer = Residual(
        name="outer",
        shortcut="projection",
        post_relu=False,
        body=(Repeat(name="r", count=3, strides_first_only=False, body=(inner,)),),
    )
    network = Network(
        name="custom",
        input_shape=(4, 8, 8),
        classes=5,
        body=(outer, GlobalAvgPool(name="g"), Linear(name="fc")),
    )
    twin = plain_twin(network)
    t_outer = twin.body[0]
    t_repeat = t_outer.body[0]
    assert (t_outer.shortcut, t_outer.post_relu) == ("none", False)
    assert (t_repeat.count, t_repeat.strides_first_only, t_repeat.id) == (
        3,
        False,
        outer.body[0].id,
    )
    assert t_repeat.body[0].shortcut == "none"
    assert twin.name == "custom-plain"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cifar-resnet56", "cifar-plain56"),
        ("resnet152", "plain152"),
        ("my net", "my net-plain"),
        ("cifar-plain20", "cifar-plain20-plain"),
    ],
)
def test_twin_name(name: str, expected: str) -> None:
    assert twin_name(name) == expected
