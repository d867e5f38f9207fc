"""Quick fixes: which apply to each shape problem, and that each one fixes it."""

from __future__ import annotations

import dataclasses

import pytest

from resnet_studio.arch import edit
from resnet_studio.arch.fixes import InsertNodes, SetField, fixes_for, problem_fixes
from resnet_studio.arch.inference import infer
from resnet_studio.arch.spec import (
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    Network,
    Node,
    ReLU,
    Repeat,
    Residual,
)


def head() -> tuple[Node, ...]:
    return (GlobalAvgPool(name="avgpool"), Flatten(name="flatten"), Linear(name="fc"))


def net(*body: Node, shape=(16, 32, 32), classes: int = 10) -> Network:
    return Network(input_shape=shape, classes=classes, body=body)


def block(shortcut: str, channels: int, stride: int = 1, *, tail: tuple[Node, ...] = ()):
    return Residual(
        name="block",
        shortcut=shortcut,
        body=(
            Conv2d(name="conv1", out_channels=channels, stride=stride),
            BatchNorm2d(name="bn1"),
            *tail,
        ),
    )


def only_fixes(network: Network):
    """The fixes of the network's one problem."""
    [problem] = infer(network).problems
    return problem, problem_fixes(network, problem)


def fixed(network: Network, fix) -> Network:
    """``network`` with ``fix`` made; it must leave no problem."""
    after = fix.apply(network)
    assert infer(after).ok, (fix.title, infer(after).problems)
    return after


def test_identity_shortcut_across_a_stride_offers_option_a_and_option_b() -> None:
    network = net(block("identity", 32, stride=2), *head())
    problem, fixes = only_fixes(network)
    assert (problem.input_shape, problem.output_shape) == ((16, 32, 32), (32, 16, 16))
    assert [f.title for f in fixes] == [
        "Zero-padded shortcut (option A)",
        "Projection shortcut (option B)",
    ]
    assert all(isinstance(f, SetField) and f.for_node == network.body[0].id for f in fixes)
    option_a = fixed(network, fixes[0])
    assert option_a.body[0].shortcut == "zero-pad"
    assert option_a.body[0].body == network.body[0].body  # nothing else changes
    rows = {r.path: r for r in infer(option_a).rows}
    assert rows["block.shortcut"].kind == "ZeroPadShortcut"
    option_b = fixed(network, fixes[1])
    assert option_b.body[0].shortcut == "auto"
    assert {r.path: r for r in infer(option_b).rows}["block.downsample"].kind == "Projection"


def test_channel_mismatch_in_a_body_offers_resizing_its_conv() -> None:
    network = net(block("identity", 32, tail=(ReLU(name="relu"),)), *head())
    _, fixes = only_fixes(network)
    assert fixes[-1].title == "Set conv1 to 16 channels"
    assert [f.value for f in fixes] == ["zero-pad", "auto", 16]
    conv = network.body[0].body[0]
    resized = fixed(network, fixes[-1])
    assert edit.find_node(resized, conv.id).out_channels == 16
    assert resized.body[0].shortcut == "identity"
    assert fixes[-1].selects == (network.body[0].id,)  # the block stays selected
    for fix in fixes:
        fixed(network, fix)


def test_a_zero_pad_that_would_drop_channels_offers_projection_and_resize() -> None:
    network = net(block("zero-pad", 8, stride=2), *head())
    problem, fixes = only_fixes(network)
    assert "cannot reduce channels" in problem.message
    assert [f.value for f in fixes] == ["auto", 16]  # zero-padding cannot be the fix
    for fix in fixes:
        fixed(network, fix)


def test_a_resize_is_offered_only_when_a_conv_of_the_body_sets_its_channels() -> None:
    inner = Residual(name="inner", body=(Conv2d(name="conv", out_channels=32),))
    network = net(
        Residual(name="block", shortcut="identity", body=(Conv2d(name="c", out_channels=8), inner)),
        *head(),
    )
    _, fixes = only_fixes(network)
    assert [f.value for f in fixes] == ["zero-pad", "auto"]
    grouped = net(
        Residual(
            name="block",
            shortcut="identity",
            body=(
                Conv2d(name="a", out_channels=12),
                Conv2d(name="b", out_channels=6, groups=3),
            ),
        ),
        *head(),
        shape=(16, 8, 8),
    )
    _, fixes = only_fixes(grouped)  # b cannot give 16 channels in 3 groups
    assert [f.value for f in fixes] == ["auto"]


def test_a_shortcut_that_no_stride_can_make_has_no_fix() -> None:
    network = net(
        Residual(
            name="block",
            shortcut="identity",
            body=(Conv2d(name="c", out_channels=16, kernel=3, padding=0),),
        ),
        *head(),
        shape=(16, 5, 7),
    )
    _, fixes = only_fixes(network)  # 5×7 → 3×5: no one stride
    assert fixes == []


def test_the_fix_of_a_repeated_block_fixes_every_repetition() -> None:
    stage = Repeat(name="layer2", count=3, body=(block("identity", 32, stride=2),))
    network = net(stage, *head())
    _, fixes = only_fixes(network)
    for fix in fixes:
        after = fixed(network, fix)
        assert after.body[0].count == 3


def test_linear_after_a_global_pool_offers_exactly_a_flatten() -> None:
    network = net(GlobalAvgPool(name="avgpool"), Linear(name="fc"))
    problem, fixes = only_fixes(network)
    assert problem.message.endswith("gets 16×1×1; add a Flatten before it")
    [fix] = fixes
    assert isinstance(fix, InsertNodes)
    assert fix.title == "Insert Flatten before fc"
    after = fixed(network, fix)
    assert [n.kind for n in after.body] == ["GlobalAvgPool", "Flatten", "Linear"]
    assert fix.selects == (network.body[1].id,)


def test_linear_after_a_map_offers_flatten_or_the_resnet_head() -> None:
    tail = Repeat(name="tail", count=1, body=(ReLU(name="relu"), Linear(name="fc")))
    network = net(Conv2d(name="conv", out_channels=16), tail, shape=(16, 4, 4))
    problem, fixes = only_fixes(network)
    assert "add GlobalAvgPool and Flatten (or Flatten)" in problem.message
    assert [f.title for f in fixes] == [
        "Insert Flatten before fc",
        "Insert GlobalAvgPool + Flatten before fc",
    ]
    flat = fixed(network, fixes[0])
    assert [n.kind for n in flat.body[1].body] == ["ReLU", "Flatten", "Linear"]  # in the Repeat
    assert infer(flat).rows[-1].params == 16 * 4 * 4 * 10 + 10
    pooled = fixed(network, fixes[1])
    assert [n.kind for n in pooled.body[1].body] == ["ReLU", "GlobalAvgPool", "Flatten", "Linear"]


def test_inserted_layers_get_free_names() -> None:
    network = net(GlobalAvgPool(name="flatten"), Linear(name="fc"))
    _, [fix] = only_fixes(network)
    after = fixed(network, fix)
    assert [n.name for n in after.body] == ["flatten", "flatten2", "fc"]


@pytest.mark.parametrize(
    ("body", "title", "kinds"),
    [
        ((Conv2d(name="conv", out_channels=8),), "Append GlobalAvgPool, Flatten, Linear",
         ["Conv2d", "GlobalAvgPool", "Flatten", "Linear"]),
        ((*head()[:2], Linear(name="fc", out_features=7)), "Give fc one output per class",
         ["GlobalAvgPool", "Flatten", "Linear"]),
        (head()[:2], "Append a Linear layer",
         ["GlobalAvgPool", "Flatten", "Linear"]),
    ],
)  # fmt: skip
def test_a_network_without_class_scores_gets_the_head(body, title, kinds) -> None:
    network = net(*body)
    problem, [fix] = only_fixes(network)
    assert problem.path == "(output)"
    assert fix.title == title
    after = fixed(network, fix)
    assert [n.kind for n in after.body] == kinds


def test_fixes_for_one_node_and_problems_without_a_fix() -> None:
    too_big = Conv2d(name="big", out_channels=8, kernel=9, padding=0)
    bad_block = block("identity", 32, stride=2)
    network = net(bad_block, too_big, *head(), shape=(16, 8, 8))
    summary = infer(network)
    assert len(summary.problems) == 2
    assert fixes_for(network, summary.problems, too_big.id) == []
    assert len(fixes_for(network, summary.problems, bad_block.id)) == 2
    assert len(fixes_for(network, summary.problems)) == 2


def test_a_problem_of_a_node_that_is_gone_has_no_fix() -> None:
    network = net(block("identity", 32, stride=2), *head())
    [problem] = infer(network).problems
    assert problem_fixes(net(*head()), problem) == []


def test_a_preactivation_block_without_bn_relu_first_offers_turning_it_off() -> None:
    """Its shapes change (16 → 32, /2), but a shortcut fix would not mend its body: the
    one fix is pre-activation off."""
    preact = dataclasses.replace(block("projection", 32, 2), preactivation=True)
    network = net(preact, *head())
    problem, fixes = only_fixes(network)
    assert "pre-activation" in problem.message
    assert [(f.title, f.field, f.value) for f in fixes] == [
        ("Turn pre-activation off", "preactivation", False)
    ]
    assert fixed(network, fixes[0]).body[0].preactivation is False
