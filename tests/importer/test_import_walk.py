"""The walk over the graph and the folding into Repeats, on hand-made graphs: linear
in the number of operations, whatever the depth."""

from __future__ import annotations

import time

import pytest

from resnet_studio.arch import spec as s
from resnet_studio.importer import structure
from resnet_studio.importer.ir import FUNCTION, INPUT, MODULE, Graph, Op
from resnet_studio.importer.leaves import ADD, Mapped, Part
from resnet_studio.importer.structure import LeafItem, walk
from resnet_studio.importer.tree import Group, Leaf, Stage, name_items

SHAPE = (2, 8, 4, 4)


def residual_chain(blocks: int) -> tuple[Graph, list]:
    """input → ``blocks`` × (conv, x + conv(x), relu): ``layer.0`` … ``layer.N-1``."""
    ops = [Op(0, INPUT, "input", "input", "input", "", (), shape=SHAPE)]
    classified: list = [Mapped(())]
    last = 0
    for b in range(blocks):
        scope = f"layer.{b}"
        conv = len(ops)
        ops.append(
            Op(conv, MODULE, f"{scope}.conv", "Conv2d", "nn.Conv2d", scope, (last,),
               shape=SHAPE, qualname=f"{scope}.conv")
        )  # fmt: skip
        classified.append(Mapped((s.Conv2d(name="layer", out_channels=8),)))
        add = len(ops)
        ops.append(Op(add, FUNCTION, f"{scope}.add", "add", "operator.add", scope, (conv, last),
                      shape=SHAPE))  # fmt: skip
        classified.append(Part(ADD))
        relu = len(ops)
        ops.append(Op(relu, FUNCTION, f"{scope}.relu", "relu", "F.relu", scope, (add,),
                      shape=SHAPE))  # fmt: skip
        classified.append(Mapped((s.ReLU(name="layer"),)))
        last = relu
    return Graph(ops, last), classified


def test_the_walk_visits_each_operation_once(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = 0
    step = structure._Walker.step

    def counted(self, op):
        nonlocal steps
        steps += 1
        return step(self, op)

    monkeypatch.setattr(structure._Walker, "step", counted)
    graph, classified = residual_chain(3_000)
    result = walk(graph, classified)
    assert result.complete and result.problems == []
    assert len(result.items) == 3_000
    assert steps <= len(graph.ops)
    first = result.items[0]
    assert first.shortcut == "identity" and first.relu is graph.ops[3]


def test_walking_and_folding_scale_linearly() -> None:
    """10× the blocks take about 10× the time (quadratic would be 100×)."""

    def seconds(blocks: int) -> float:
        graph, classified = residual_chain(blocks)
        start = time.perf_counter()
        named = name_items(walk(graph, classified).items, "")
        elapsed = time.perf_counter() - start
        assert len(named) == 1 and len(named[0].reps) == blocks  # one Repeat
        return elapsed

    seconds(200)  # warm-up
    small = min(seconds(400) for _ in range(3))
    large = min(seconds(4_000) for _ in range(3))
    assert large < 30 * small, (small, large)


def leaves(*paths: str, channels: int = 8) -> list[LeafItem]:
    """One conv per module path, all alike (so a numbered run of them may fold)."""
    items = []
    for i, path in enumerate(paths):
        op = Op(i + 1, MODULE, path, "Conv2d", "nn.Conv2d", path.rpartition(".")[0], (i,),
                shape=SHAPE, qualname=path)  # fmt: skip
        items.append(LeafItem(s.Conv2d(name="layer", out_channels=channels), op))
    return items


def tree(named: list) -> list:
    """Names and nesting: (name, [children]) for a Group, (name, count) for a Repeat."""
    out = []
    for n in named:
        if isinstance(n, Group):
            out.append((n.name, tree(n.body)))
        elif isinstance(n, Stage):
            out.append((n.name, len(n.reps)))
        else:
            assert isinstance(n, Leaf)
            out.append(n.name)
    return out


def test_items_group_under_their_module_when_they_are_the_whole_of_it() -> None:
    """A module's parts in one run keep its name as a Group (numbered alike ones fold
    into a Repeat); parts split by something else are the only ones flattened."""
    assert tree(name_items(leaves("conv1", "layer1.0", "layer1.1", "fc"), "")) == [
        "conv1",
        ("layer1", 2),
        "fc",
    ]
    assert tree(name_items(leaves("layer1.0", "layer1.1", "layer1.extra"), "")) == [
        ("layer1", ["0", "1", "extra"])
    ]
    assert tree(name_items(leaves("features.0", "features.1.0", "features.1.1"), "")) == [
        ("features", ["0", ("1", 2)])
    ]
    assert tree(name_items(leaves("a.x", "b", "a.y"), "")) == ["a_x", "b", "a_y"]
    # Numbered but not alike: a Group that keeps the numbers, not a Repeat.
    mixed = leaves("seq.0") + leaves("seq.1", channels=16)
    assert tree(name_items(mixed, "")) == [("seq", ["0", "1"])]
