"""The leaf kinds that other networks need: ReLU6, SiLU, GELU, AdaptiveAvgPool2d, and
ceil mode and ``count_include_pad`` on the windowed pools. Fields, shapes, problems,
fixes and project files; that the shapes equal torch's is tests/model's job."""

from __future__ import annotations

import json

import pytest

from resnet_studio.arch.fixes import problem_fixes
from resnet_studio.arch.inference import infer
from resnet_studio.arch.project import (
    FORMAT,
    VERSION,
    ProjectError,
    network_to_dict,
    project_from_json,
    project_to_json,
)
from resnet_studio.arch.spec import (
    GELU,
    MAX_SPATIAL,
    NODE_TYPES,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool2d,
    Network,
    Node,
    ReLU6,
    Residual,
    SiLU,
    SpecError,
)


def net(*body: Node, shape=(3, 8, 8), classes: int = 10) -> Network:
    return Network(input_shape=shape, classes=classes, body=body)


def every_new_kind() -> Network:
    """A network that uses every new kind and every new field away from its default."""
    return net(
        Conv2d(name="conv", out_channels=8),
        ReLU6(name="relu6"),
        MaxPool2d(name="maxpool", kernel=3, stride=2, padding=1, ceil_mode=True),
        SiLU(name="silu"),
        AvgPool2d(
            name="avgpool", kernel=3, stride=4, padding=1, ceil_mode=True, count_include_pad=False
        ),
        GELU(name="gelu", approximate="tanh"),
        AdaptiveAvgPool2d(name="adaptive", output_size=7),
        Flatten(name="flatten"),
        Linear(name="fc"),
        shape=(3, 10, 10),
    )


def test_kind_names_are_torchs_class_names() -> None:
    for kind in ("ReLU6", "SiLU", "GELU", "AdaptiveAvgPool2d"):
        assert NODE_TYPES[kind].kind == kind


def test_defaults_are_torchs_defaults() -> None:
    assert GELU(name="g").approximate == "none"
    assert AdaptiveAvgPool2d(name="a").output_size == 1
    assert MaxPool2d(name="m").ceil_mode is False
    pool = AvgPool2d(name="a")
    assert (pool.ceil_mode, pool.count_include_pad) == (False, True)
    assert not hasattr(MaxPool2d(name="m"), "count_include_pad")  # max pools have no mean


@pytest.mark.parametrize(
    "make, field, expected",
    [
        (lambda: GELU(name="g", approximate="fast"), "approximate", "must be one of none, tanh"),
        (lambda: GELU(name="g", approximate=None), "approximate", "must be one of none, tanh"),
        (lambda: AdaptiveAvgPool2d(name="a", output_size=0), "output_size", "must be from 1"),
        (
            lambda: AdaptiveAvgPool2d(name="a", output_size=MAX_SPATIAL + 1),
            "output_size",
            f"to {MAX_SPATIAL:,}",
        ),
        (lambda: AdaptiveAvgPool2d(name="a", output_size=2.0), "output_size", "whole number"),
        (lambda: MaxPool2d(name="m", ceil_mode=1), "ceil_mode", "expected true or false"),
        (lambda: AvgPool2d(name="a", count_include_pad="no"), "count_include_pad", "true or"),
    ],
)
def test_bad_values_name_their_field(make, field: str, expected: str) -> None:
    with pytest.raises(SpecError) as info:
        make()
    assert info.value.where == field
    assert expected in info.value.message


def test_shapes_params_and_macs_of_the_new_kinds() -> None:
    summary = infer(every_new_kind())
    assert summary.ok, summary.problems
    got = {row.path: (row.output_shape, row.params, row.macs) for row in summary.rows}
    assert got["relu6"] == ((8, 10, 10), 0, 0)
    # (10 + 2 - 3) / 2 = 4.5 steps: 5 windows rounded down, 6 in ceil mode (the 6th
    # starts on the last pixel and overhangs the padding).
    assert got["maxpool"] == ((8, 6, 6), 0, 0)
    # (6 + 2 - 3) / 4 = 1.25 steps: 2 windows rounded down; ceil mode's 3rd would start at
    # 8, past the left padding and the input (1 + 6), so PyTorch drops it.
    assert got["avgpool"] == ((8, 2, 2), 0, 0)
    assert got["gelu"] == ((8, 2, 2), 0, 0)
    assert got["adaptive"] == ((8, 7, 7), 0, 0)  # larger than its input: PyTorch repeats
    assert got["fc"] == ((10,), 8 * 49 * 10 + 10, 8 * 49 * 10 + 10)


@pytest.mark.parametrize(
    "size, kernel, stride, padding, floor, ceil",
    [
        (32, 2, 2, 0, 16, 16),  # windows tile the input: no difference
        (7, 2, 2, 0, 3, 4),  # the last pixel gets a window of its own in ceil mode
        (112, 3, 2, 0, 55, 56),  # GoogLeNet's first pool (ceil_mode=True in torchvision)
        (5, 2, 2, 1, 3, 3),  # ceil's extra window would start in the right padding
        (1, 2, 2, 0, None, 1),  # only ceil mode keeps a window that overhangs the input
    ],
)
def test_ceil_mode_rounds_up_unless_the_last_window_starts_in_the_padding(
    size: int, kernel: int, stride: int, padding: int, floor: int | None, ceil: int
) -> None:
    for ceil_mode, expected in ((False, floor), (True, ceil)):
        pool = MaxPool2d(
            name="p", kernel=kernel, stride=stride, padding=padding, ceil_mode=ceil_mode
        )
        [row] = infer(net(pool, shape=(2, size, size))).rows
        if expected is None:
            assert row.output_shape is None
            assert "does not fit the input 1×1" in row.error
        else:
            assert row.output_shape == (2, expected, expected), (ceil_mode, row)


@pytest.mark.parametrize(
    "node", [AdaptiveAvgPool2d(name="n", output_size=2), MaxPool2d(name="n", ceil_mode=True)]
)
def test_pools_after_flatten_say_they_need_a_feature_map(node: Node) -> None:
    summary = infer(net(Flatten(name="flatten"), node))
    [problem] = summary.problems
    assert problem.path == "n"
    assert problem.message.startswith(f"{node.kind} needs a C×H×W feature map, but gets 192 flat")


@pytest.mark.parametrize("kind", [ReLU6, SiLU, GELU])
def test_activations_work_on_flat_features_too(kind) -> None:
    summary = infer(net(Flatten(name="flatten"), kind(name="act"), Linear(name="fc")))
    assert summary.ok
    assert summary.rows[1].output_shape == (192,)


def test_adaptive_pool_of_one_ends_a_resnet_like_global_pool() -> None:
    network = net(
        Conv2d(name="conv", out_channels=4),
        AdaptiveAvgPool2d(name="avgpool"),
        Flatten(name="flatten"),
        Linear(name="fc"),
    )
    summary = infer(network)
    assert summary.ok
    assert summary.rows[1].output_shape == (4, 1, 1)


@pytest.mark.parametrize("activation", [ReLU6, SiLU, GELU])
def test_resize_fix_sees_through_the_new_kinds(activation) -> None:
    """A conv followed by these still sets a residual body's channels."""
    block = Residual(
        name="block",
        shortcut="identity",
        body=(
            Conv2d(name="conv1", out_channels=32),
            BatchNorm2d(name="bn1"),
            activation(name="act"),
            AdaptiveAvgPool2d(name="pool", output_size=8),
        ),
    )
    network = net(block, shape=(16, 8, 8))
    [problem] = infer(network).problems
    titles = [fix.title for fix in problem_fixes(network, problem)]
    assert "Set conv1 to 16 channels" in titles


def test_project_round_trip_keeps_every_new_field() -> None:
    network = every_new_kind()
    assert project_from_json(project_to_json(network), "net.json") == network
    data = network_to_dict(network)
    avgpool = next(n for n in data["body"] if n["kind"] == "AvgPool2d")
    assert (avgpool["ceil_mode"], avgpool["count_include_pad"]) == (True, False)
    assert next(n for n in data["body"] if n["kind"] == "GELU")["approximate"] == "tanh"
    assert next(n for n in data["body"] if n["kind"] == "AdaptiveAvgPool2d")["output_size"] == 7


def doc(*body: dict) -> str:
    network = {"input_shape": [3, 8, 8], "classes": 10, "body": list(body)}
    return json.dumps({"format": FORMAT, "version": VERSION, "network": network})


def test_a_file_without_the_new_fields_reads_with_their_defaults() -> None:
    """Files written before the fields existed keep what they meant."""
    network = project_from_json(
        doc(
            {"kind": "MaxPool2d", "name": "m", "kernel": 3, "stride": 2, "padding": 1},
            {"kind": "AvgPool2d", "name": "a", "kernel": 3, "stride": 1, "padding": 1},
            {"kind": "GELU", "name": "g"},
            {"kind": "AdaptiveAvgPool2d", "name": "p"},
        ),
        "old.json",
    )
    maxpool, avgpool, gelu, adaptive = network.body
    assert maxpool == MaxPool2d(name="m", id=maxpool.id, kernel=3, stride=2, padding=1)
    assert (avgpool.ceil_mode, avgpool.count_include_pad) == (False, True)
    assert (gelu.approximate, adaptive.output_size) == ("none", 1)


@pytest.mark.parametrize(
    "node, expected",
    [
        (
            {"kind": "GELU", "name": "g", "approximate": "erf"},
            "network.body[0].approximate: must be one of none, tanh; got 'erf'",
        ),
        (
            {"kind": "AdaptiveAvgPool2d", "name": "p", "output_size": [7, 7]},
            "network.body[0].output_size: expected a whole number, got [7, 7]",
        ),
        (
            {"kind": "MaxPool2d", "name": "m", "count_include_pad": False},
            "network.body[0].count_include_pad: unknown field",
        ),
        (
            {"kind": "Relu6", "name": "r"},
            "did you mean 'ReLU6'?",
        ),
    ],
)
def test_bad_files_name_the_field(node: dict, expected: str) -> None:
    with pytest.raises(ProjectError) as info:
        project_from_json(doc(node), "net.json")
    assert expected in str(info.value)
