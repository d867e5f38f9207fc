"""Node and network validation (DESIGN.md §2: arch is pure data, checked on construction)."""

from __future__ import annotations

import dataclasses

import pytest

from resnet_studio.arch.spec import (
    MAX_CHANNELS,
    NODE_TYPES,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Identity,
    LeakyReLU,
    Linear,
    MaxPool2d,
    Network,
    ReLU,
    Repeat,
    Residual,
    SpecError,
    walk,
)

# --- leaf fields --------------------------------------------------------------

BAD_FIELDS = [
    (Conv2d, {"out_channels": 0}, "out_channels"),
    (Conv2d, {"out_channels": -3}, "out_channels"),
    (Conv2d, {"out_channels": 1_000_000_000}, "out_channels"),
    (Conv2d, {"out_channels": MAX_CHANNELS + 1}, "out_channels"),
    (Conv2d, {"out_channels": True}, "out_channels"),
    (Conv2d, {"out_channels": 16.0}, "out_channels"),
    (Conv2d, {"out_channels": "16"}, "out_channels"),
    (Conv2d, {"out_channels": 8, "kernel": 0}, "kernel"),
    (Conv2d, {"out_channels": 8, "kernel": 65}, "kernel"),
    (Conv2d, {"out_channels": 8, "stride": 0}, "stride"),
    (Conv2d, {"out_channels": 8, "padding": -1}, "padding"),
    (Conv2d, {"out_channels": 8, "dilation": 0}, "dilation"),
    (Conv2d, {"out_channels": 8, "groups": 0}, "groups"),
    (Conv2d, {"out_channels": 8, "bias": 1}, "bias"),
    (LeakyReLU, {"negative_slope": 1.5}, "negative_slope"),
    (LeakyReLU, {"negative_slope": -0.1}, "negative_slope"),
    (LeakyReLU, {"negative_slope": "0.1"}, "negative_slope"),
    (Dropout, {"p": 1.01}, "p"),
    (Dropout, {"p": False}, "p"),
    (MaxPool2d, {"kernel": 0}, "kernel"),
    (MaxPool2d, {"kernel": 2, "stride": 0}, "stride"),
    (MaxPool2d, {"kernel": 3, "padding": 2}, "padding"),
    (AvgPool2d, {"kernel": 2, "padding": 2}, "padding"),
    (AvgPool2d, {"kernel": 2, "padding": -1}, "padding"),
    (Linear, {"out_features": 0}, "out_features"),
    (Linear, {"out_features": 1_000_001}, "out_features"),
    (Linear, {"bias": None}, "bias"),
    (Residual, {"shortcut": "skip"}, "shortcut"),
    (Residual, {"post_relu": 1}, "post_relu"),
    (Repeat, {"count": 0}, "count"),
    (Repeat, {"count": 1001}, "count"),
    (Repeat, {"strides_first_only": "no"}, "strides_first_only"),
]


@pytest.mark.parametrize(
    ("cls", "kwargs", "where"),
    BAD_FIELDS,
    ids=[f"{c.__name__}-{w}-{i}" for i, (c, _, w) in enumerate(BAD_FIELDS)],
)
def test_out_of_range_field_names_the_field(cls, kwargs, where) -> None:
    with pytest.raises(SpecError) as info:
        cls(name="x", **kwargs)
    assert info.value.where == where
    assert str(info.value).startswith(f"{where}: ")
    assert info.value.message


def test_range_message_gives_range_and_value() -> None:
    with pytest.raises(SpecError) as info:
        Conv2d(name="conv", out_channels=1_000_000_000)
    assert "1 to 65,536" in info.value.message
    assert "1,000,000,000" in info.value.message


def test_boundaries_are_accepted() -> None:
    conv = Conv2d(name="c", out_channels=MAX_CHANNELS, kernel=64, stride=64, padding=0)
    assert conv.out_channels == MAX_CHANNELS
    assert Conv2d(name="c", out_channels=1, kernel=1, padding=64, groups=MAX_CHANNELS)
    assert MaxPool2d(name="p", kernel=3, padding=1).padding == 1
    assert LeakyReLU(name="l", negative_slope=0).negative_slope == 0
    assert Dropout(name="d", p=1.0).p == 1.0
    assert Linear(name="fc").out_features is None
    assert Repeat(name="r", count=1000).count == 1000


@pytest.mark.parametrize("name", ["a.b", "", "a b", "x" * 65, "layer-1", "é", None, 5])
def test_bad_name_is_rejected(name) -> None:
    with pytest.raises(SpecError) as info:
        ReLU(name=name)
    assert info.value.where == "name"


@pytest.mark.parametrize("name", ["a", "0", "layer1", "conv_1", "X" * 64])
def test_good_names(name: str) -> None:
    assert ReLU(name=name).name == name


def test_empty_id_is_rejected() -> None:
    with pytest.raises(SpecError) as info:
        ReLU(name="r", id="")
    assert info.value.where == "id"


def test_nodes_are_frozen_and_edits_make_new_nodes() -> None:
    conv = Conv2d(name="c", out_channels=8)
    with pytest.raises(dataclasses.FrozenInstanceError):
        conv.kernel = 5  # type: ignore[misc]
    wider = dataclasses.replace(conv, out_channels=16)
    assert (wider.id, wider.out_channels, conv.out_channels) == (conv.id, 16, 8)
    with pytest.raises(SpecError) as info:
        dataclasses.replace(conv, stride=0)
    assert info.value.where == "stride"


def test_ids_are_fresh_and_kept_when_given() -> None:
    a, b = ReLU(name="a"), ReLU(name="a")
    assert a.id and b.id and a.id != b.id
    assert ReLU(name="a", id="abc").id == "abc"


def test_editable_fields_follow_declaration_order() -> None:
    names = [name for name, _, _ in Conv2d.editable_fields()]
    assert names == [
        "out_channels",
        "kernel",
        "stride",
        "padding",
        "dilation",
        "groups",
        "bias",
    ]
    meta = dict((n, (m, d)) for n, m, d in Conv2d.editable_fields())
    assert meta["kernel"][0]["min"] == 1 and meta["kernel"][1] == 3
    assert meta["out_channels"][1] is None  # required: no default
    assert [n for n, _, _ in ReLU.editable_fields()] == []


def test_node_types_cover_every_kind() -> None:
    assert set(NODE_TYPES) == {
        "Conv2d",
        "BatchNorm2d",
        "ReLU",
        "LeakyReLU",
        "ReLU6",
        "SiLU",
        "GELU",
        "MaxPool2d",
        "AvgPool2d",
        "GlobalAvgPool",
        "AdaptiveAvgPool2d",
        "Flatten",
        "Linear",
        "Dropout",
        "Identity",
        "Residual",
        "Repeat",
        "Group",
    }
    for kind, cls in NODE_TYPES.items():
        assert cls.kind == kind


# --- containers ---------------------------------------------------------------


def test_residual_defaults_and_body() -> None:
    body = (Conv2d(name="conv1", out_channels=8), BatchNorm2d(name="bn1"))
    block = Residual(name="block", body=body)
    assert block.body == body
    assert (block.shortcut, block.post_relu) == ("auto", True)
    for shortcut in ("auto", "identity", "zero-pad", "projection", "none"):
        assert Residual(name="b", shortcut=shortcut).shortcut == shortcut


def test_repeat_defaults_and_body() -> None:
    block = Residual(name="block", body=(ReLU(name="relu"),))
    stage = Repeat(name="layer1", body=(block,), count=9)
    assert (stage.count, stage.strides_first_only, stage.body) == (9, True, (block,))
    assert Repeat(name="r").count == 2


@pytest.mark.parametrize("cls", [Residual, Repeat])
def test_duplicate_sibling_names_are_rejected(cls) -> None:
    with pytest.raises(SpecError) as info:
        cls(name="b", body=(ReLU(name="relu"), Identity(name="x"), ReLU(name="relu")))
    assert info.value.where == "body[2].name"
    assert "'relu'" in info.value.message and "twice" in info.value.message


@pytest.mark.parametrize("reserved", ["downsample", "shortcut"])
def test_shortcut_names_are_reserved_in_a_residual_body(reserved: str) -> None:
    with pytest.raises(SpecError) as info:
        Residual(name="b", body=(ReLU(name="relu"), Conv2d(name=reserved, out_channels=4)))
    assert info.value.where == "body[1].name"
    assert "reserved" in info.value.message
    # Only a residual's shortcut uses these names.
    assert Repeat(name="r", body=(ReLU(name=reserved),)).body[0].name == reserved


def test_body_must_be_a_tuple_of_nodes() -> None:
    with pytest.raises(SpecError) as info:
        Residual(name="b", body=[ReLU(name="r")])  # type: ignore[arg-type]
    assert info.value.where == "body"
    with pytest.raises(SpecError) as info:
        Repeat(name="r", body=(ReLU(name="r"), "conv"))  # type: ignore[arg-type]
    assert info.value.where == "body[1]"


def test_same_names_in_different_containers_are_fine() -> None:
    a = Residual(name="a", body=(ReLU(name="relu"),))
    b = Residual(name="b", body=(ReLU(name="relu"),))
    assert Network(body=(a, b)).body == (a, b)


# --- the network --------------------------------------------------------------


def test_network_defaults() -> None:
    net = Network()
    assert (net.name, net.input_shape, net.classes, net.body) == ("network", (3, 32, 32), 10, ())


@pytest.mark.parametrize(
    "shape",
    [
        (3, 32),
        (3, 32, 32, 1),
        [3, 32, 32],
        (3, 32.0, 32),
        (True, 32, 32),
        (0, 32, 32),
        (1025, 32, 32),
        (3, 0, 32),
        (3, 32, 8193),
        (3, -1, 32),
        "3x32x32",
    ],
)
def test_bad_input_shape(shape) -> None:
    with pytest.raises(SpecError) as info:
        Network(input_shape=shape)
    assert info.value.where == "input_shape"


@pytest.mark.parametrize("classes", [0, -1, 1_000_001, True, 10.0, None])
def test_bad_classes(classes) -> None:
    with pytest.raises(SpecError) as info:
        Network(classes=classes)
    assert info.value.where == "classes"


@pytest.mark.parametrize("name", ["", "   ", None])
def test_bad_network_name(name) -> None:
    with pytest.raises(SpecError) as info:
        Network(name=name)
    assert info.value.where == "name"


def test_network_names_may_be_free_text() -> None:
    assert Network(name="My ResNet-56 (try 2)").name == "My ResNet-56 (try 2)"


def test_duplicate_top_level_names_are_rejected() -> None:
    with pytest.raises(SpecError) as info:
        Network(body=(ReLU(name="a"), ReLU(name="a")))
    assert info.value.where == "body[1].name"


def test_duplicate_ids_are_rejected_even_when_nested() -> None:
    with pytest.raises(SpecError) as info:
        Network(body=(ReLU(name="a", id="same"), ReLU(name="b", id="same")))
    assert info.value.where == "body"
    assert "'same'" in info.value.message
    inner = ReLU(name="relu", id="dup")
    block = Residual(name="block", body=(inner,))
    with pytest.raises(SpecError) as info:
        Network(body=(Repeat(name="stage", body=(block,)), Identity(name="x", id="dup")))
    assert info.value.where == "body"
    # The same node object twice is a duplicate id too.
    with pytest.raises(SpecError):
        Network(body=(Residual(name="a", body=(inner,)), Residual(name="b", body=(inner,))))


def test_with_input_keeps_body_and_validates() -> None:
    net = Network(name="n", body=(Conv2d(name="c", out_channels=4),))
    other = net.with_input((1, 28, 28), 100)
    assert (other.input_shape, other.classes, other.body, other.name) == (
        (1, 28, 28),
        100,
        net.body,
        "n",
    )
    assert net.with_input(classes=5).input_shape == (3, 32, 32)
    assert net.with_input([1, 8, 8]).input_shape == (1, 8, 8)
    with pytest.raises(SpecError) as info:
        net.with_input((1, 0, 8))
    assert info.value.where == "input_shape"


# --- SpecError.inside and walk ------------------------------------------------------


def test_spec_error_inside_builds_paths() -> None:
    err = SpecError("kernel", "bad")
    assert err.inside("body[3]").where == "body[3].kernel"
    assert err.inside("").where == "kernel"
    assert SpecError("[2].x", "bad").inside("body").where == "body[2].x"
    assert SpecError("", "bad").inside("network").where == "network"
    assert str(err.inside("body[3]")) == "body[3].kernel: bad"


def test_walk_is_depth_first_containers_first() -> None:
    block = Residual(
        name="block",
        body=(Conv2d(name="conv1", out_channels=4), Repeat(name="rep", body=(ReLU(name="r"),))),
    )
    body = (Identity(name="stem"), Repeat(name="stage", body=(block,)), Flatten(name="flat"))
    assert [n.name for n in walk(body)] == [
        "stem",
        "stage",
        "block",
        "conv1",
        "rep",
        "r",
        "flat",
    ]
    assert list(walk(())) == []
    assert sum(1 for _ in walk((GlobalAvgPool(name="g"),))) == 1
