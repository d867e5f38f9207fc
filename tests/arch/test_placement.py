"""Where an added layer goes, and the channels of the feature map there."""

from __future__ import annotations

import dataclasses

import pytest

from resnet_studio.arch.edit import EditError
from resnet_studio.arch.inference import infer
from resnet_studio.arch.placement import channels_at, insertion_point, shape_at
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import Conv2d, Flatten, Linear, Network, Repeat, Residual


@pytest.fixture
def net() -> Network:
    return preset_network("cifar-resnet20")


def test_nothing_selected_appends_at_the_end(net) -> None:
    assert insertion_point(net, []) == (None, len(net.body))


def test_after_the_last_selected_layer_in_its_container(net) -> None:
    block = net.body[3].body[0]
    assert insertion_point(net, [net.body[0].id]) == (None, 1)
    assert insertion_point(net, [net.body[0].id, block.body[1].id]) == (block.id, 2)


def test_after_a_selected_block_and_inside_it_only_while_it_is_empty(net) -> None:
    stage = net.body[4]
    assert insertion_point(net, [stage.id]) == (None, 5)  # a stage grows after itself
    empty = Residual(name="new")
    grown = dataclasses.replace(net, body=(*net.body, empty))
    assert insertion_point(grown, [empty.id]) == (empty.id, 0)  # a new block is filled
    with pytest.raises(EditError, match="no layer with id"):
        insertion_point(net, ["gone"])


def test_channels_follow_the_feature_map(net) -> None:
    summary = infer(net)
    layer3 = net.body[5]
    block = layer3.body[0]
    assert channels_at(net, summary, None, 0) == 3  # the input image
    assert channels_at(net, summary, None, 1) == 16  # after conv1
    assert channels_at(net, summary, None, 5) == 32  # after layer2
    assert channels_at(net, summary, layer3.id, 0) == 32  # what enters the stage
    assert channels_at(net, summary, layer3.id, 1) == 64  # what leaves its block
    assert channels_at(net, summary, block.id, 0) == 32  # the first block's input
    assert channels_at(net, summary, block.id, 1) == 64  # after its strided conv
    assert channels_at(net, summary, None, 99) is None  # clamped: after the classifier


def test_an_empty_container_receives_what_enters_it() -> None:
    net = Network(
        name="empty",
        body=(Conv2d(name="conv", out_channels=8), Residual(name="b"), Repeat(name="r")),
    )
    summary = infer(net)
    assert channels_at(net, summary, net.body[1].id, 0) == 8
    assert channels_at(net, summary, net.body[2].id, 0) == 8
    assert shape_at(net, summary, net.body[2].id, 0) == (8, 32, 32)


def test_flat_or_unknown_feature_maps_have_no_channels() -> None:
    net = Network(
        name="flat",
        body=(
            Flatten(name="flatten"),
            Linear(name="fc", out_features=7),
            Conv2d(name="conv", out_channels=4),  # on flat features: an error
            Conv2d(name="conv2", out_channels=4),
        ),
    )
    summary = infer(net)
    assert shape_at(net, summary, None, 2) == (7,)
    assert channels_at(net, summary, None, 2) is None
    assert channels_at(net, summary, None, 4) is None  # after the error: not known
    with pytest.raises(EditError, match="not a container"):
        channels_at(net, summary, net.body[0].id, 0)
