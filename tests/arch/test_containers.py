"""Group, zero-pad placement and pre-activation blocks in the spec, inference, the edit
operations and project files (no torch here)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from resnet_studio.arch.blocks import basic_block, preact_bottleneck
from resnet_studio.arch.clipboard import copy_text, paste_nodes
from resnet_studio.arch.edit import (
    children_of,
    find_node,
    insert_node,
    locate,
    move_node,
    unwrap_node,
    wrap_nodes,
)
from resnet_studio.arch.inference import infer
from resnet_studio.arch.placement import channels_at, insertion_point
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import (
    FORMAT,
    VERSION,
    ProjectError,
    network_to_dict,
    project_from_json,
    project_to_json,
)
from resnet_studio.arch.spec import (
    MAX_NESTING,
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Group,
    Linear,
    Network,
    ReLU,
    Residual,
    SpecError,
    path_parts,
    walk,
)
from resnet_studio.arch.twin import plain_twin


def grouped() -> Network:
    """A VGG-like net whose layers sit in two groups named as torch's nn.Sequential."""
    return Network(
        name="grouped",
        input_shape=(3, 16, 16),
        classes=4,
        body=(
            Group(
                name="features",
                body=(
                    Conv2d(name="0", out_channels=8),
                    BatchNorm2d(name="1"),
                    ReLU(name="2"),
                    Group(name="3", body=(Conv2d(name="0", out_channels=12, stride=2),)),
                ),
            ),
            GlobalAvgPool(name="avgpool"),
            Flatten(name="flatten"),
            Group(name="classifier", body=(Linear(name="0"),)),
        ),
    )


# --- Group -----------------------------------------------------------------------------


def test_group_children_are_named_under_its_path() -> None:
    summary = infer(grouped())
    assert summary.ok, summary.problems
    paths = [row.path for row in summary.rows]
    assert paths[:6] == ["features", "features.0", "features.1", "features.2", "features.3"] + [
        "features.3.0"
    ]
    assert paths[-1] == "classifier.0"
    features = summary.rows[0]
    assert (features.kind, features.is_container, features.depth) == ("Group", True, 0)
    assert features.output_shape == (12, 8, 8)
    assert features.params == 8 * 3 * 9 + 2 * 8 + 12 * 8 * 9
    assert path_parts(grouped().body) == 3


def test_a_group_checks_its_children_like_any_container() -> None:
    with pytest.raises(SpecError, match="used twice"):
        Group(name="g", body=(ReLU(name="0"), ReLU(name="0")))
    with pytest.raises(SpecError, match="tuple of nodes"):
        Group(name="g", body=[ReLU(name="0")])  # type: ignore[arg-type]


def test_groups_nested_too_deeply_are_refused() -> None:
    node = ReLU(name="r")
    for i in range(MAX_NESTING):
        node = Group(name=f"g{i}", body=(node,))
    with pytest.raises(SpecError, match="nested too deeply"):
        Network(body=(node,))


def test_edits_work_inside_groups() -> None:
    net = grouped()
    features = net.body[0]
    ids = [n.id for n in features.body]
    wrapped, group_id = wrap_nodes(net, ids[1:3], "Group")
    group = find_node(wrapped, group_id)
    assert (group.kind, group.name, [n.name for n in group.body]) == ("Group", "group", ["1", "2"])
    assert unwrap_node(wrapped, group_id) == net
    moved = move_node(net, net.body[1].id, features.id, 0)  # the pool into the group
    assert [n.name for n in children_of(moved, features.id)][0] == "avgpool"
    assert locate(moved, net.body[1].id).parent_id == features.id
    with_relu = insert_node(net, features.id, 4, ReLU(name="relu"))
    assert [n.name for n in children_of(with_relu, features.id)] == ["0", "1", "2", "3", "relu"]


def test_an_added_layer_goes_into_an_empty_group_and_gets_its_channels() -> None:
    net = Network(
        input_shape=(5, 8, 8),
        body=(Conv2d(name="c", out_channels=7), Group(name="g")),
    )
    group_id = net.body[1].id
    assert insertion_point(net, [group_id]) == (group_id, 0)
    assert channels_at(net, infer(net), group_id, 0) == 7


def test_a_group_copies_and_pastes_with_new_ids() -> None:
    group = grouped().body[0]
    (pasted,) = paste_nodes(copy_text([group]))
    assert isinstance(pasted, Group)
    assert [n.name for n in walk((pasted,))] == [n.name for n in walk((group,))]
    assert not {n.id for n in walk((pasted,))} & {n.id for n in walk((group,))}


def test_the_plain_twin_reaches_residuals_inside_groups() -> None:
    net = Network(
        input_shape=(4, 8, 8),
        body=(Group(name="g", body=(basic_block(4),)), GlobalAvgPool(name="p")),
    )
    twin = plain_twin(net)
    assert twin.body[0].body[0].shortcut == "none"


# --- zero-pad placement and pre-activation -------------------------------------------------


def test_pad_placement_is_a_choice_of_end_or_both() -> None:
    assert Residual(name="b").pad_placement == "end"
    assert Residual(name="b", pad_placement="both").pad_placement == "both"
    with pytest.raises(SpecError, match="must be one of end, both; got 'middle'") as info:
        Residual(name="b", pad_placement="middle")
    assert info.value.where == "pad_placement"


def test_pad_placement_says_when_it_applies() -> None:
    meta = {name: m for name, m, _ in Residual.editable_fields()}
    assert meta["pad_placement"]["applies_when"] == ("shortcut", ("zero-pad",))
    assert "applies_when" not in meta["preactivation"]


def _preact(body, shortcut: str = "projection") -> Network:
    block = Residual(name="block", shortcut=shortcut, preactivation=True, body=body)
    head = (GlobalAvgPool(name="avgpool"), Flatten(name="flatten"), Linear(name="fc"))
    return Network(input_shape=(4, 8, 8), body=(block, *head))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            (Conv2d(name="c", out_channels=8), BatchNorm2d(name="bn"), ReLU(name="r")),
            "block: a pre-activation block's body must start with BatchNorm2d then ReLU, but it"
            " starts with Conv2d, BatchNorm2d; add them first or turn pre-activation off",
        ),
        (
            (BatchNorm2d(name="bn"),),
            "block: a pre-activation block's body must start with BatchNorm2d then ReLU, but it"
            " starts with BatchNorm2d; add them first or turn pre-activation off",
        ),
        (
            (),
            "block: a pre-activation block's body must start with BatchNorm2d then ReLU, but it"
            " is empty",
        ),
    ],
)
def test_a_preactivation_body_must_start_with_batchnorm_and_relu(body, expected) -> None:
    summary = infer(_preact(body))
    assert [str(p) for p in summary.problems] == [expected]
    assert summary.problems[0].node_id == summary.rows[0].node_id
    assert summary.rows[0].error == expected.removeprefix("block: ")


def test_a_preactivation_projection_is_a_conv_alone_named_shortcut() -> None:
    body = (BatchNorm2d(name="bn"), ReLU(name="r"), Conv2d(name="c", out_channels=8, stride=2))
    rows = {row.path: row for row in infer(_preact(body)).rows}
    assert "block.downsample" not in rows
    assert (rows["block.shortcut"].kind, rows["block.shortcut"].params) == ("Projection", 32)
    assert (rows["block.shortcut.0"].kind, rows["block.shortcut.0"].macs) == ("Conv2d", 32 * 16)
    block = dataclasses.replace(_preact(body).body[0], preactivation=False)
    post = infer(dataclasses.replace(_preact(body), body=(block, *_preact(body).body[1:])))
    rows = {row.path: row for row in post.rows}
    assert "block.shortcut" not in rows
    assert rows["block.downsample"].params == 32 + 2 * 8  # the 1×1 conv and its BatchNorm


def test_preactivation_presets_are_made_of_valid_preactivation_blocks() -> None:
    net = preset_network("cifar-preact-resnet164")
    blocks = [n for n in walk(net.body) if isinstance(n, Residual)]
    assert blocks and all(b.preactivation and not b.post_relu for b in blocks)
    assert [n.name for n in net.body] == [
        "conv1",
        "layer1",
        "layer2",
        "layer3",
        "bn",
        "relu",
        "avgpool",
        "flatten",
        "fc",
    ]
    assert blocks[0] == dataclasses.replace(
        preact_bottleneck(16), id=blocks[0].id, body=blocks[0].body
    )


# --- project format version 2 -----------------------------------------------------------


def test_version_2_is_written_and_keeps_every_new_field() -> None:
    net = dataclasses.replace(
        grouped(),
        body=(
            *grouped().body[:1],
            Residual(
                name="b",
                shortcut="zero-pad",
                pad_placement="both",
                body=(Conv2d(name="c", out_channels=16, stride=2),),
            ),
            Residual(name="p", preactivation=True, post_relu=False),
            *grouped().body[1:],
        ),
    )
    text = project_to_json(net)
    assert json.loads(text)["version"] == VERSION == 2
    assert project_from_json(text) == net


def _v1(network: dict) -> str:
    return json.dumps({"format": FORMAT, "version": 1, "network": network})


@pytest.mark.parametrize(
    ("node", "where", "what"),
    [
        ({"kind": "Group", "name": "g"}, "network.body[0].kind", "Group"),
        (
            {"kind": "Residual", "name": "b", "pad_placement": "end"},
            "network.body[0].pad_placement",
            "Residual.pad_placement",
        ),
        (
            {"kind": "Residual", "name": "b", "preactivation": False},
            "network.body[0].preactivation",
            "Residual.preactivation",
        ),
    ],
)
def test_a_version_1_file_cannot_hold_what_version_2_added(node, where, what) -> None:
    with pytest.raises(ProjectError) as info:
        project_from_json(_v1({"body": [node]}), "old.json")
    assert str(info.value) == (
        f"old.json: {where}: {what} is new in project format version 2, but the file says version 1"
    )
    project_from_json(_v1({"body": [node]}).replace('"version": 1', '"version": 2'))


def test_the_same_network_from_version_1_and_version_2() -> None:
    net = preset_network("cifar-resnet20")
    v2 = json.loads(project_to_json(net))
    data = network_to_dict(net)
    for node in data["body"]:
        for child in node.get("body", []):
            del child["pad_placement"], child["preactivation"]
    assert project_from_json(_v1(data)) == project_from_json(json.dumps(v2)) == net
