"""Tree edits by id: insert, remove, move, replace, wrap, unwrap, copies, duplicates."""

from __future__ import annotations

import dataclasses

import pytest

from resnet_studio.arch.blocks import basic_block
from resnet_studio.arch.edit import (
    EditError,
    children_of,
    duplicate_nodes,
    find_node,
    fresh_copy,
    insert_node,
    insert_nodes,
    locate,
    move_node,
    remove_node,
    replace_node,
    unique_name,
    unwrap_node,
    wrap_nodes,
)
from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import Conv2d, ReLU, walk


@pytest.fixture
def net():
    return preset_network("cifar-resnet20")


def names(nodes):
    return [n.name for n in nodes]


def test_locate_and_find(net):
    stage = net.body[4]  # layer2
    block = stage.body[0]
    where = locate(net, block.body[0].id)
    assert (where.parent_id, where.index, where.node.name) == (block.id, 0, "conv1")
    assert find_node(net, stage.id) is stage
    with pytest.raises(EditError, match="no layer with id"):
        locate(net, "nope")


def test_insert_renames_on_clash_and_leaves_the_old_tree(net):
    conv = Conv2d(name="conv1", out_channels=16)
    new = insert_node(net, None, 1, conv)
    assert names(new.body)[:3] == ["conv1", "conv2", "bn1"]
    assert names(net.body)[:2] == ["conv1", "bn1"]  # the original is untouched
    assert infer(new).ok


def test_insert_into_container_and_clamped_index(net):
    block_id = net.body[3].body[0].id
    new = insert_node(net, block_id, 99, ReLU(name="relu1"))
    assert names(children_of(new, block_id))[-1] == "relu2"


def test_insert_into_a_layer_is_refused(net):
    with pytest.raises(EditError, match="not a container"):
        insert_node(net, net.body[0].id, 0, ReLU(name="r"))


def test_insert_nodes_in_order_each_renamed_where_taken(net):
    pasted = [fresh_copy(net.body[2]), Conv2d(name="conv1", out_channels=16)]
    new = insert_nodes(net, None, 1, pasted)
    assert names(new.body)[:4] == ["conv1", "relu2", "conv2", "bn1"]
    assert [n.id for n in new.body[1:3]] == [n.id for n in pasted]
    assert insert_nodes(net, None, 0, []) == net


def test_duplicate_puts_each_copy_right_after_its_original(net):
    conv, relu = net.body[0], net.body[2]
    block = net.body[3].body[0]
    new, copies = duplicate_nodes(net, [conv.id, relu.id, block.body[0].id])
    assert names(new.body)[:5] == ["conv1", "conv2", "bn1", "relu", "relu2"]
    inner = children_of(new, block.id)
    assert names(inner)[:2] == ["conv1", "conv3"] and inner[1].id == copies[2]  # conv2 taken
    assert copies == [new.body[1].id, new.body[4].id, inner[1].id]
    assert not {n.id for n in walk(net.body)} & set(copies)
    with pytest.raises(EditError, match="no layer with id"):
        duplicate_nodes(net, ["nope"])


def test_remove_and_replace(net):
    relu = net.body[2]
    assert relu.id not in {n.id for n in walk(remove_node(net, relu.id).body)}
    wider = dataclasses.replace(net.body[0], out_channels=32)
    new = replace_node(net, wider.id, wider)
    assert new.body[0].out_channels == 32 and new.body[0].id == net.body[0].id
    assert not infer(new).ok  # layer1's identity shortcut no longer fits: the table says why


def test_move_within_and_across_containers(net):
    ids = [n.id for n in net.body]
    moved = move_node(net, ids[2], None, 0)  # relu to the front
    assert [n.id for n in moved.body][:3] == [ids[2], ids[0], ids[1]]
    moved = move_node(net, ids[0], None, 3)  # conv1 after relu: index counted before the move
    assert [n.id for n in moved.body][:3] == [ids[1], ids[2], ids[0]]
    block = net.body[3].body[0]
    into = move_node(net, ids[2], block.id, 0)
    assert children_of(into, block.id)[0].id == ids[2]
    assert children_of(into, block.id)[0].name == "relu"


def test_move_into_itself_is_refused(net):
    stage = net.body[3]
    with pytest.raises(EditError, match="into itself"):
        move_node(net, stage.id, stage.body[0].id, 0)


def test_wrap_and_unwrap(net):
    ids = [n.id for n in net.body[:3]]
    wrapped, container_id = wrap_nodes(net, ids, "Residual")
    assert find_node(wrapped, container_id).kind == "Residual"
    assert names(wrapped.body)[0] == "block"
    assert unwrap_node(wrapped, container_id) == net
    repeat, rid = wrap_nodes(net, ids[1:3], "Repeat")
    assert find_node(repeat, rid).count == 2
    with pytest.raises(EditError, match="neighbouring"):
        wrap_nodes(net, [ids[0], ids[2]], "Residual")
    with pytest.raises(EditError, match="not a Residual, Repeat or Group"):
        unwrap_node(net, ids[0])


def test_unwrap_renames_clashing_children():
    from resnet_studio.arch.spec import Network

    block = basic_block(8, name="block")
    net = Network(body=(Conv2d(name="conv1", out_channels=8), block))
    flat = unwrap_node(net, block.id)
    assert names(flat.body) == ["conv1", "conv2", "bn1", "relu1", "conv3", "bn2"]


def test_fresh_copy_has_new_ids_everywhere(net):
    stage = net.body[3]
    copy = fresh_copy(stage)
    old_ids = {n.id for n in walk((stage,))}
    assert not old_ids & {n.id for n in walk((copy,))}
    assert dataclasses.replace(copy, id=stage.id).count == stage.count


def test_unique_name():
    assert unique_name("conv", ["relu"]) == "conv"
    assert unique_name("conv1", ["conv1", "conv2"]) == "conv3"
    assert unique_name("fc", ["fc"]) == "fc2"
