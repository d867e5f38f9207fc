"""The network diff: layers matched by path, their changes, and the folding people read."""

from __future__ import annotations

import dataclasses

from resnet_studio.arch.blocks import basic_block, conv3x3
from resnet_studio.arch.diff import (
    CHANGED,
    ONLY_A,
    ONLY_B,
    SAME,
    LayerDiff,
    Setting,
    diff_networks,
    group_changes,
)
from resnet_studio.arch.edit import replace_node
from resnet_studio.arch.inference import Row, infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import (
    BatchNorm2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    Network,
    ReLU,
    Repeat,
)
from resnet_studio.arch.twin import plain_twin


def chain(channels: int = 16) -> Network:
    """conv1 → bn1 → relu → conv2(16) → bn2 → pool → flatten → fc."""
    return Network(
        name="chain",
        body=(
            conv3x3("conv1", channels),
            BatchNorm2d(name="bn1"),
            ReLU(name="relu"),
            conv3x3("conv2", 16),
            BatchNorm2d(name="bn2"),
            GlobalAvgPool(name="avgpool"),
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )


def paths(diff, status: str) -> list[str]:
    return [layer.path for layer in diff.layers if layer.status == status]


def test_a_network_and_its_copy_with_new_ids_are_identical() -> None:
    a, b = preset_network("cifar-resnet56"), preset_network("cifar-resnet56")
    assert a.body[0].id != b.body[0].id  # every copy gets new ids: they are not compared
    diff = diff_networks(a, b)
    assert diff.identical
    assert diff.changes == () and group_changes(diff.layers) == []
    assert diff.unchanged == len(infer(a).rows) == len(diff.layers)
    assert all(t.same for t in diff.totals)


def test_more_channels_change_that_layer_and_the_shapes_that_follow() -> None:
    diff = diff_networks(chain(16), chain(32))
    assert not diff.identical
    changed = {layer.path: layer for layer in diff.changes}
    assert set(changed) == {"conv1", "bn1", "relu", "conv2"}  # bn2 onwards: 16 channels again
    assert all(layer.status == CHANGED for layer in changed.values())
    assert changed["conv1"].fields == ("output_shape", "params", "macs")
    assert changed["conv1"].settings == (Setting("out_channels", 16, 32),)
    assert (changed["conv1"].a.output_shape, changed["conv1"].b.output_shape) == (
        (16, 32, 32),
        (32, 32, 32),
    )
    assert changed["bn1"].fields == ("output_shape", "params", "macs")
    assert changed["relu"].fields == ("output_shape",)
    # conv2 reads twice the channels: more weights, the same output
    assert changed["conv2"].fields == ("params", "macs") and changed["conv2"].settings == ()
    assert changed["conv2"].b.params == 2 * changed["conv2"].a.params
    totals = {t.name: t for t in diff.totals}
    assert not totals["params"].same and totals["classes"].same


def test_plain_against_residual_twin_differs_by_shortcuts_only() -> None:
    residual = preset_network("cifar-resnet56")
    diff = diff_networks(plain_twin(residual), residual)
    only_b = paths(diff, ONLY_B)
    assert len(only_b) == 27 and all(p.endswith(".shortcut") for p in only_b)
    assert paths(diff, ONLY_A) == []
    changed = [layer for layer in diff.layers if layer.status == CHANGED]
    assert [layer.path for layer in changed] == [p.removesuffix(".shortcut") for p in only_b]
    assert {layer.settings for layer in changed} == {(Setting("shortcut", "none", "zero-pad"),)}
    assert all(layer.fields == () for layer in changed)  # option A adds no weights
    totals = {t.name: t for t in diff.totals}
    assert totals["params"].same and totals["MACs"].same and totals["depth"].same
    # Each shortcut follows its own block's last layer, as in the network.
    order = [layer.path for layer in diff.layers]
    assert order.index("layer1.0.shortcut") == order.index("layer1.0.bn2") + 1
    assert order.index("layer1.1") == order.index("layer1.0.shortcut") + 1


def test_projection_shortcuts_read_as_one_line_per_block() -> None:
    diff = diff_networks(preset_network("plain18"), preset_network("resnet18"))
    lines = {g.path: g for g in group_changes(diff.layers)}
    projections = [g for g in lines.values() if g.layer.status == ONLY_B]
    assert [g.path for g in projections] == [
        "layer2.0.downsample",
        "layer3.0.downsample",
        "layer4.0.downsample",
    ]
    assert all(g.inside == 2 for g in projections)  # its conv and BN, under it
    assert lines["layer2.0"].layer.fields == ("params", "macs")  # the block counts them


def test_a_renamed_layer_is_one_removed_and_one_added() -> None:
    a = chain()
    conv1 = a.body[0]
    b = replace_node(a, conv1.id, dataclasses.replace(conv1, name="stem"))
    diff = diff_networks(a, b)
    assert [(layer.path, layer.status) for layer in diff.changes] == [
        ("conv1", ONLY_A),
        ("stem", ONLY_B),
    ]
    assert diff.layers[2].path == "bn1" and diff.layers[2].status == SAME
    assert all(t.same for t in diff.totals)
    assert not diff.identical


def test_a_changed_setting_with_the_same_counts_is_a_change() -> None:
    """Dilation 1 → 2 with padding 1 → 2 keeps shape, weights and MACs: only the setting."""
    a = chain()
    conv2 = a.body[3]
    b = replace_node(a, conv2.id, dataclasses.replace(conv2, dilation=2, padding=2))
    (change,) = diff_networks(a, b).changes
    assert change.path == "conv2" and change.fields == ()
    assert change.settings == (Setting("padding", 1, 2), Setting("dilation", 1, 2))


def test_a_block_setting_changes_the_block_not_its_shortcut() -> None:
    """No ReLU after the addition: the blocks' rows change; their shortcuts' rows, which
    carry the blocks' node ids, stay the same."""
    a = preset_network("cifar-resnet20")
    stage = a.body[3]
    block = stage.body[0]
    b = replace_node(a, block.id, dataclasses.replace(block, post_relu=False))
    diff = diff_networks(a, b)
    assert paths(diff, CHANGED) == ["layer1.0", "layer1.1", "layer1.2"]
    assert {layer.settings for layer in diff.changes} == {(Setting("post_relu", True, False),)}
    assert all(layer.status == SAME for layer in diff.layers if layer.path.endswith("shortcut"))


def test_changes_fold_by_repetition_and_subtrees_by_their_top() -> None:
    residual = preset_network("cifar-resnet56")
    groups = group_changes(diff_networks(plain_twin(residual), residual).layers)
    assert [(g.path, g.members) for g in groups] == [
        ("layer1.0-8", 9),
        ("layer1.0-8.shortcut", 9),
        ("layer2.0", 1),  # its stride and its input channels give other counts
        ("layer2.0-8.shortcut", 9),
        ("layer2.1-8", 8),
        ("layer3.0", 1),
        ("layer3.0-8.shortcut", 9),
        ("layer3.1-8", 8),
    ]
    deeper = group_changes(diff_networks(residual, preset_network("cifar-resnet110")).layers)
    assert [(g.path, g.layer.status, g.inside) for g in deeper] == [
        ("layer1", CHANGED, 0),
        ("layer1.9-17", ONLY_B, 6),  # each block shown by its row, its 6 layers inside
        ("layer2", CHANGED, 0),
        ("layer2.9-17", ONLY_B, 6),
        ("layer3", CHANGED, 0),
        ("layer3.9-17", ONLY_B, 6),
    ]
    assert deeper[0].layer.settings == (Setting("count", 9, 18),)


def test_paths_fold_only_into_grids_of_changes_alike() -> None:
    """A stage of stages: the first block of all (4 channels in, a stride) differs from the
    rest, so the rest fold into two lines, never one range that takes it in."""
    block = basic_block(8, stride=2, shortcut="zero-pad", name="block")
    inner = Repeat(name="inner", count=3, body=(block,))
    residual = Network(
        name="nested",
        body=(
            conv3x3("conv1", 4),
            Repeat(name="outer", count=2, body=(inner,)),
            GlobalAvgPool(name="avgpool"),
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )
    groups = group_changes(diff_networks(plain_twin(residual), residual).layers)
    assert [(g.path, g.members) for g in groups] == [
        ("outer.0.0", 1),
        ("outer.0-1.0-2.shortcut", 6),  # every shortcut alike: one grid of 2 × 3
        ("outer.0.1-2", 2),
        ("outer.1.0-2", 3),
    ]
    assert groups[0].layer.a.params != groups[2].layer.a.params


def test_ranges_show_gaps() -> None:
    """Blocks 0, 1 and 3 of a stage changed alike, block 2 not: ``stage.0-1,3.conv``."""
    row = Row("", "Conv2d", "id", 2, (8, 4, 4), 576, 9216)

    def layer(path: str, status: str) -> LayerDiff:
        return LayerDiff(
            path,
            status,
            None if status == ONLY_B else row._replace(path=path),
            row._replace(path=path),
        )

    layers = [layer(f"stage.{i}.conv", SAME if i == 2 else ONLY_B) for i in range(4)]
    assert [(g.path, g.members) for g in group_changes(layers)] == [("stage.0-1,3.conv", 3)]
