"""Inference errors: located by path, saying why and how to fix; later layers handled sanely."""

from __future__ import annotations

from resnet_studio.arch.inference import MAX_ACTIVATION, MAX_PARAMS, format_shape, infer
from resnet_studio.arch.spec import (
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    MaxPool2d,
    Network,
    Node,
    ReLU,
    Repeat,
    Residual,
)


def head() -> tuple[Node, ...]:
    return (GlobalAvgPool(name="gap"), Flatten(name="flatten"), Linear(name="fc"))


def net(*body: Node, shape: tuple[int, int, int] = (16, 32, 32), classes: int = 10) -> Network:
    return Network(input_shape=shape, classes=classes, body=body)


def rows_by_path(network: Network):
    return {r.path: r for r in infer(network).rows}


def test_format_shape() -> None:
    assert format_shape((16, 32, 32)) == "16×32×32"
    assert format_shape((10,)) == "10"
    assert format_shape(None) == "?"


def test_valid_network_has_no_problems() -> None:
    summary = infer(net(Conv2d(name="conv", out_channels=8), ReLU(name="relu"), *head()))
    assert summary.ok and summary.problems == ()
    assert summary.output_shape == (10,)
    assert all(r.error is None and r.computed for r in summary.rows)


def test_identity_shortcut_with_mismatched_shapes() -> None:
    block = Residual(
        name="block",
        shortcut="identity",
        body=(Conv2d(name="conv1", out_channels=32, stride=2), BatchNorm2d(name="bn1")),
    )
    summary = infer(net(block, *head()))
    assert not summary.ok
    [problem] = summary.problems
    assert problem.path == "block"
    assert problem.node_id == block.id
    assert "residual add: body gives 32×16×16, shortcut gives 16×32×32" in problem.message
    assert "projection or zero-padded shortcut" in problem.message
    assert str(problem).startswith("block: residual add")
    rows = {r.path: r for r in summary.rows}
    assert rows["block"].error == problem.message
    # The shape is known, so what follows is still computed.
    assert rows["fc"].computed and rows["fc"].output_shape == (10,)


def test_auto_shortcut_becomes_a_projection_and_zero_pad_works() -> None:
    body = (Conv2d(name="conv1", out_channels=32, stride=2), BatchNorm2d(name="bn1"))
    auto = rows_by_path(net(Residual(name="b", body=body), *head()))
    assert auto["b.downsample"].kind == "Projection"
    assert auto["b.downsample.0"].params == 16 * 32
    assert auto["b.downsample.0"].macs == 16 * 32 * 16 * 16
    assert auto["b.downsample.1"].params == 64
    assert auto["b"].params == auto["b.conv1"].params + 64 + 16 * 32 + 64
    pad = rows_by_path(net(Residual(name="b", body=body, shortcut="zero-pad"), *head()))
    assert pad["b.shortcut"].kind == "ZeroPadShortcut"
    assert (pad["b.shortcut"].params, pad["b.shortcut"].output_shape) == (0, (32, 16, 16))
    assert "b.downsample" not in pad
    none = rows_by_path(net(Residual(name="b", body=body, shortcut="none"), *head()))
    assert not any(path.startswith(("b.shortcut", "b.downsample")) for path in none)


def test_kernel_larger_than_input_collapses_and_stops_the_shapes() -> None:
    network = net(
        Conv2d(name="conv1", out_channels=8, kernel=7, padding=0),
        ReLU(name="relu"),
        Residual(name="block", body=(Conv2d(name="conv", out_channels=8),)),
        *head(),
        shape=(3, 4, 4),
    )
    summary = infer(network)
    [problem] = summary.problems
    assert problem.path == "conv1"
    assert "7×7" in problem.message and "4×4" in problem.message
    assert "smaller kernel" in problem.message and "more padding" in problem.message
    rows = {r.path: r for r in summary.rows}
    assert rows["conv1"].output_shape is None and rows["conv1"].computed
    for path in ("relu", "block", "block.conv", "gap", "flatten", "fc"):
        assert not rows[path].computed, path
        assert rows[path].output_shape is None
    assert summary.output_shape is None
    # No "(output)" complaint on top of the real error.
    assert all(p.path != "(output)" for p in summary.problems)


def test_dilation_counts_in_the_kernel_span() -> None:
    ok = rows_by_path(net(Conv2d(name="c", out_channels=4, kernel=3, padding=0), shape=(1, 5, 5)))
    assert ok["c"].output_shape == (4, 3, 3)
    bad = infer(
        net(Conv2d(name="c", out_channels=4, kernel=3, padding=0, dilation=3), shape=(1, 5, 5))
    )
    assert "span 7" in bad.problems[0].message


def test_pool_window_larger_than_input() -> None:
    summary = infer(net(MaxPool2d(name="pool", kernel=8, stride=8), *head(), shape=(4, 5, 5)))
    assert summary.problems[0].path == "pool"
    assert "window 8×8" in summary.problems[0].message
    assert not {r.path: r for r in summary.rows}["fc"].computed


def test_groups_not_dividing_channels_keeps_computing() -> None:
    network = net(
        Conv2d(name="conv1", out_channels=12, groups=4, padding=1),
        Conv2d(name="conv2", out_channels=8),
        *head(),
        shape=(6, 8, 8),
    )
    summary = infer(network)
    [problem] = summary.problems
    assert problem.path == "conv1"
    assert "groups=4" in problem.message and "(6)" in problem.message and "(12)" in problem.message
    rows = {r.path: r for r in summary.rows}
    assert rows["conv1"].error == problem.message
    assert rows["conv1"].output_shape == (12, 8, 8)
    assert rows["conv2"].computed and rows["conv2"].error is None
    assert rows["conv2"].params == 8 * 12 * 9
    assert rows["fc"].output_shape == (10,)


def test_linear_on_a_feature_map() -> None:
    summary = infer(net(Conv2d(name="conv", out_channels=4), Linear(name="fc"), shape=(3, 8, 8)))
    [problem] = summary.problems
    assert problem.path == "fc"
    assert "4×8×8" in problem.message
    assert "GlobalAvgPool" in problem.message and "Flatten" in problem.message
    assert summary.output_shape == (10,)


def test_batchnorm_after_flatten() -> None:
    summary = infer(
        net(Flatten(name="flat"), BatchNorm2d(name="bn"), Linear(name="fc"), shape=(2, 4, 4))
    )
    [problem] = summary.problems
    assert problem.path == "bn"
    assert "BatchNorm2d" in problem.message and "before Flatten" in problem.message
    assert "32" in problem.message
    assert not {r.path: r for r in summary.rows}["fc"].computed


def test_conv_and_pool_after_flatten() -> None:
    for layer in (Conv2d(name="x", out_channels=4), AvgPool2d(name="x"), GlobalAvgPool(name="x")):
        summary = infer(net(Flatten(name="flat"), layer, shape=(2, 4, 4)))
        assert summary.problems[0].path == "x"
        assert "C×H×W" in summary.problems[0].message


def test_zero_pad_cannot_reduce_channels() -> None:
    block = Residual(name="block", shortcut="zero-pad", body=(Conv2d(name="conv", out_channels=8),))
    summary = infer(net(block, *head()))
    [problem] = summary.problems
    assert problem.path == "block"
    assert "16 → 8" in problem.message and "projection" in problem.message


def test_zero_pad_cannot_map_odd_sizes() -> None:
    block = Residual(
        name="block",
        shortcut="zero-pad",
        body=(Conv2d(name="conv", out_channels=16, kernel=3, padding=0),),
    )
    summary = infer(net(block, *head(), shape=(16, 9, 9)))
    assert "cannot subsample 9×9 to 7×7" in summary.problems[0].message


def test_residual_around_flatten() -> None:
    block = Residual(name="block", body=(Flatten(name="flat"),))
    summary = infer(net(block, Linear(name="fc"), shape=(2, 4, 4)))
    assert summary.problems[0].path == "block"
    assert "Flatten and Linear outside the block" in summary.problems[0].message


def test_two_independent_errors_are_both_reported() -> None:
    network = net(
        Conv2d(name="conv1", out_channels=16, groups=3),
        Residual(
            name="block",
            body=(Conv2d(name="conv", out_channels=16, groups=5),),
        ),
        Residual(name="wrong", shortcut="identity", body=(Conv2d(name="c", out_channels=8),)),
        *head(),
    )
    summary = infer(network)
    assert [p.path for p in summary.problems] == ["conv1", "block.conv", "wrong"]
    assert len({p.node_id for p in summary.problems}) == 3


def test_an_error_inside_a_repeat_of_50_is_reported_once() -> None:
    bad = Conv2d(name="conv", out_channels=16, groups=3)
    block = Residual(name="block", body=(bad, BatchNorm2d(name="bn")))
    network = net(Repeat(name="layer1", count=50, body=(block,)), *head())
    summary = infer(network)
    [problem] = summary.problems
    assert problem.path == "layer1.0.conv"
    assert problem.node_id == bad.id
    rows = [r for r in summary.rows if r.node_id == bad.id]
    assert len(rows) == 50
    assert all(r.error == problem.message for r in rows)
    assert rows[-1].path == "layer1.49.conv"


def test_errors_inside_a_multi_node_repeat_body() -> None:
    body = (Conv2d(name="conv", out_channels=16, groups=3), ReLU(name="relu"))
    summary = infer(net(Repeat(name="stage", count=5, body=body), *head()))
    assert [p.path for p in summary.problems] == ["stage.0.conv"]
    assert {r.path for r in summary.rows if r.kind == "Repetition"} == {
        f"stage.{i}" for i in range(5)
    }


def test_wrong_output_shape_is_an_output_problem() -> None:
    summary = infer(net(Conv2d(name="conv", out_channels=8), GlobalAvgPool(name="gap")))
    [problem] = summary.problems
    assert problem.path == "(output)" and problem.node_id == ""
    assert "8×1×1" in problem.message and "10 class scores" in problem.message
    assert "GlobalAvgPool, Flatten and Linear" in problem.message
    wrong_count = infer(
        net(GlobalAvgPool(name="g"), Flatten(name="f"), Linear(name="fc", out_features=7))
    )
    assert [p.path for p in wrong_count.problems] == ["(output)"]
    assert "ends with 7 " in wrong_count.problems[0].message
    assert [p.path for p in infer(net()).problems] == ["(output)"]


def test_huge_activation_is_rejected() -> None:
    conv = Conv2d(name="wide", out_channels=65_536, kernel=1, padding=0)
    summary = infer(net(conv, *head(), shape=(1, 8192, 8192)))
    assert summary.problems[0].path == "wide"
    message = summary.problems[0].message
    assert "65536×8192×8192" in message and "too many" in message
    rows = {r.path: r for r in summary.rows}
    assert rows["wide"].output_shape is None
    assert not rows["fc"].computed
    # Just below the limit is fine.
    assert 2 * 1024 * 1024 * 1023 < MAX_ACTIVATION
    fine = infer(net(Conv2d(name="c", out_channels=2, kernel=1, padding=0), shape=(1, 1024, 1023)))
    assert fine.rows[0].output_shape == (2, 1024, 1023) and fine.rows[0].error is None


def test_huge_parameter_count_is_rejected() -> None:
    network = net(
        Conv2d(name="conv", out_channels=65_536, kernel=1, padding=0),
        Conv2d(name="big", out_channels=65_536, kernel=1, padding=0),
        *head(),
        shape=(1, 1, 1),
    )
    summary = infer(network)
    assert summary.total_params > MAX_PARAMS
    [problem] = summary.problems
    assert problem.path == "(network)"
    assert f"{summary.total_params:,} parameters" in problem.message
    assert f"{MAX_PARAMS:,}" in problem.message


def test_strides_first_only_semantics() -> None:
    conv = Conv2d(name="conv", out_channels=16, stride=2)
    first = rows_by_path(net(Repeat(name="r", count=3, body=(conv,)), shape=(16, 32, 32)))
    every = rows_by_path(
        net(Repeat(name="r", count=3, strides_first_only=False, body=(conv,)), shape=(16, 32, 32))
    )
    assert [first[f"r.{i}"].output_shape for i in range(3)] == [(16, 16, 16)] * 3
    assert [every[f"r.{i}"].output_shape for i in range(3)] == [
        (16, 16, 16),
        (16, 8, 8),
        (16, 4, 4),
    ]
    assert first["r"].output_shape == (16, 16, 16) and every["r"].output_shape == (16, 4, 4)
    assert every["r.2"].macs == 16 * 16 * 9 * 4 * 4
    # With every stride acting, a long stage runs out of pixels.
    pool = MaxPool2d(name="pool", kernel=2, stride=2)
    summary = infer(net(Repeat(name="r", count=7, strides_first_only=False, body=(pool,))))
    assert [p.path for p in summary.problems] == ["r.5"]  # 32 → 16 → 8 → 4 → 2 → 1 → ✗
    assert not {r.path: r for r in summary.rows}["r.6"].computed
    # Strides in the first repetition only: 32 → 16, then a 2×2 window at stride 1 six times.
    tail = infer(net(Repeat(name="r", count=7, body=(pool,))))
    assert tail.output_shape == (16, 10, 10)


def test_pools_follow_strides_first_only_and_outer_repeats_silence_inner_strides() -> None:
    inner = Repeat(
        name="inner",
        count=2,
        strides_first_only=False,
        body=(MaxPool2d(name="pool", kernel=2, stride=2),),
    )
    outer = Repeat(name="outer", count=2, body=(inner,))
    rows = rows_by_path(net(outer, shape=(1, 32, 32)))
    assert rows["outer.0.0"].output_shape == (1, 16, 16)
    assert rows["outer.0.1"].output_shape == (1, 8, 8)
    # Repetition 1 of a strides-first-only repeat: no stride inside it at all.
    assert rows["outer.1.0"].output_shape == (1, 7, 7)  # 2×2 window, stride 1
    assert rows["outer.1.1"].output_shape == (1, 6, 6)


def test_repeat_rows_are_expanded_with_paths() -> None:
    block = Residual(
        name="block",
        body=(Conv2d(name="conv1", out_channels=16), BatchNorm2d(name="bn1")),
    )
    rows = rows_by_path(net(Repeat(name="layer1", count=3, body=(block,))))
    for i in range(3):
        assert rows[f"layer1.{i}"].kind == "Residual"
        assert rows[f"layer1.{i}.conv1"].params == 16 * 16 * 9
        assert rows[f"layer1.{i}.conv1"].depth == 2
    assert rows["layer1"].params == 3 * (16 * 16 * 9 + 32)
    assert rows["layer1"].is_container and not rows["layer1.0.conv1"].is_container


def test_an_input_too_large_to_hold_is_refused() -> None:
    from resnet_studio.arch.spec import Flatten, GlobalAvgPool, Linear, Network

    huge = Network(
        input_shape=(1024, 8192, 8192),
        body=(GlobalAvgPool(name="pool"), Flatten(name="flat"), Linear(name="fc")),
    )
    summary = infer(huge)
    assert not summary.ok
    assert summary.problems[0].path == "(input)"
    assert "too many to hold in memory" in summary.problems[0].message
