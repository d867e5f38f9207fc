"""What differs between two networks, layer by layer, from the analytic layers table.

Layers are matched by path (``layer1.0.conv1``), the name a layer has in the
built module and in a ``state_dict``. Each row of :func:`~resnet_studio.arch.inference.infer`
is compared on what the table shows (kind, output shape, parameters,
multiply-adds, error) and on the layer's own settings in the spec (kernel,
stride, shortcut…); node ids are not compared, since every copy of a network
gets new ones. A layer present in one network only is *only in A* or *only
in B*; a renamed layer is therefore one of each.

:func:`group_changes` folds the changes for people: a subtree present in one
network only shows as its top row, and changes that repeat identically across
the repetitions of a stage show as one line, ``layer1.0-8.shortcut``.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from resnet_studio.arch.inference import Row, Summary, infer
from resnet_studio.arch.spec import Network, Node, walk

SAME = "same"
CHANGED = "changed"
ONLY_A = "only_a"
ONLY_B = "only_b"

# What a row of the table shows, compared between the two networks.
ROW_FIELDS = ("kind", "output_shape", "params", "macs", "error", "repeats")
# Node fields that are structure or identity, not a setting of the layer.
_NOT_SETTINGS = frozenset({"id", "name", "body"})


class Setting(NamedTuple):
    """A spec field of one layer that differs: ``stride 1 → 2``."""

    name: str
    a: Any
    b: Any


class LayerDiff(NamedTuple):
    """One path of either network: its row in A and in B (None where absent)."""

    path: str
    status: str  # SAME, CHANGED, ONLY_A or ONLY_B
    a: Row | None
    b: Row | None
    settings: tuple[Setting, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """The row fields (of :data:`ROW_FIELDS`) that differ; empty unless CHANGED."""
        if self.a is None or self.b is None:
            return ()
        return tuple(f for f in ROW_FIELDS if getattr(self.a, f) != getattr(self.b, f))

    @property
    def row(self) -> Row:
        """The row of whichever network has it (A's when both do)."""
        return self.a if self.a is not None else self.b  # type: ignore[return-value]


class Total(NamedTuple):
    """A whole-network figure in A and in B."""

    name: str
    a: Any
    b: Any

    @property
    def same(self) -> bool:
        return self.a == self.b


@dataclass(frozen=True)
class NetworkDiff:
    """Every layer of two networks, matched by path, in network order, and their totals."""

    a: Summary
    b: Summary
    totals: tuple[Total, ...]
    layers: tuple[LayerDiff, ...]

    @property
    def changes(self) -> tuple[LayerDiff, ...]:
        """The layers that are not the same (changed, or in one network only)."""
        return tuple(layer for layer in self.layers if layer.status != SAME)

    @property
    def unchanged(self) -> int:
        return sum(layer.status == SAME for layer in self.layers)

    def count(self, status: str) -> int:
        return sum(layer.status == status for layer in self.layers)

    @property
    def identical(self) -> bool:
        """True when every layer and every total is the same (names and ids aside)."""
        return all(t.same for t in self.totals) and all(
            layer.status == SAME for layer in self.layers
        )


def diff_networks(a: Network, b: Network) -> NetworkDiff:
    """Compare ``a`` with ``b``: totals, then every layer matched by path."""
    summary_a, summary_b = infer(a), infer(b)
    totals = (
        Total("input", a.input_shape, b.input_shape),
        Total("classes", a.classes, b.classes),
        Total("params", summary_a.total_params, summary_b.total_params),
        Total("MACs", summary_a.total_macs, summary_b.total_macs),
        Total("depth", summary_a.depth, summary_b.depth),
        Total("activations", summary_a.activations, summary_b.activations),
        Total("problems", len(summary_a.problems), len(summary_b.problems)),
    )
    settings = _SettingsComparer(a, b)
    layers = []
    for path, row_a, row_b in _merge(summary_a.rows, summary_b.rows):
        if row_a is None:
            layers.append(LayerDiff(path, ONLY_B, None, row_b))
        elif row_b is None:
            layers.append(LayerDiff(path, ONLY_A, row_a, None))
        else:
            changed = settings(row_a, row_b)
            same = not changed and _shown(row_a) == _shown(row_b)
            layers.append(LayerDiff(path, SAME if same else CHANGED, row_a, row_b, changed))
    return NetworkDiff(summary_a, summary_b, totals, tuple(layers))


def _shown(row: Row) -> tuple:
    return (row.kind, row.output_shape, row.params, row.macs, row.error, row.repeats)


def _merge(
    rows_a: tuple[Row, ...], rows_b: tuple[Row, ...]
) -> list[tuple[str, Row | None, Row | None]]:
    """Both tables as one list in network order, as a unified diff orders lines: between
    two rows both have, A's own rows, then B's own (a shortcut only B has follows its
    block's last layer; a renamed layer's old name comes before its new one)."""
    in_a = {row.path: row for row in rows_a}
    in_b = {row.path: row for row in rows_b}
    after: dict[str | None, list[Row]] = {}  # a shared path (None: the start) → B's rows after it
    anchor: str | None = None
    for row in rows_b:
        if row.path in in_a:
            anchor = row.path
        else:
            after.setdefault(anchor, []).append(row)
    merged: list[tuple[str, Row | None, Row | None]] = []
    pending = after.get(None, [])  # B's own rows, waiting for the next shared row
    for row in rows_a:
        row_b = in_b.get(row.path)
        if row_b is not None:
            merged.extend((extra.path, None, extra) for extra in pending)
            pending = after.get(row.path, [])
        merged.append((row.path, row, row_b))
    merged.extend((extra.path, None, extra) for extra in pending)
    return merged


class _SettingsComparer:
    """The spec settings that differ between the layers behind two rows, cached per pair of
    nodes and row kinds (a stage's repetitions share their nodes: ResNet-1202 has few)."""

    def __init__(self, a: Network, b: Network) -> None:
        self.nodes_a = {node.id: node for node in walk(a.body)}
        self.nodes_b = {node.id: node for node in walk(b.body)}
        self.cache: dict[tuple[str, str, str, str], tuple[Setting, ...]] = {}

    def __call__(self, row_a: Row, row_b: Row) -> tuple[Setting, ...]:
        # By kind too: a block's row and its shortcut's row carry the same node id.
        key = (row_a.node_id, row_b.node_id, row_a.kind, row_b.kind)
        found = self.cache.get(key)
        if found is None:
            node_a = self.nodes_a.get(row_a.node_id)
            node_b = self.nodes_b.get(row_b.node_id)
            found = ()
            # Only a row that is the node itself: a shortcut's or a repetition's row
            # carries its block's id, and the block's settings are on the block's row.
            if (
                node_a is not None
                and node_b is not None
                and type(node_a) is type(node_b)
                and row_a.kind == node_a.kind
                and row_b.kind == node_b.kind
            ):
                found = _settings_diff(node_a, node_b)
            self.cache[key] = found
        return found


def _settings_diff(a: Node, b: Node) -> tuple[Setting, ...]:
    return tuple(
        Setting(f.name, getattr(a, f.name), getattr(b, f.name))
        for f in dataclasses.fields(a)
        if f.name not in _NOT_SETTINGS and getattr(a, f.name) != getattr(b, f.name)
    )


# --- folding for people ---------------------------------------------------------------


class ChangeGroup(NamedTuple):
    """One line of a readable diff: a change, or the same change at several paths.

    ``path`` names every member (``layer1.0-8.shortcut``); ``layer`` is the first
    member, whose rows and settings all members share; ``inside`` counts the rows
    under a container that is in one network only, shown by the container alone.
    """

    path: str
    layer: LayerDiff
    members: int = 1
    inside: int = 0


def group_changes(layers: Iterable[LayerDiff]) -> list[ChangeGroup]:
    """The changes among ``layers``, folded: a subtree only one network has as its top row,
    and the same change at every repetition of a stage as one line (``layer1.0-8.conv1``).

    A folded line stands for every combination of the numbers it shows, each of
    which changed just so: it never covers a path that did not.
    """
    collapsed = _collapse_subtrees(layer for layer in layers if layer.status != SAME)
    # Changes alike but for the numbers in their paths: (template, change) → numbers → index
    alike: dict[tuple, dict[tuple[int, ...], int]] = {}
    for index, (layer, inside) in enumerate(collapsed):
        parts = layer.path.split(".")
        template = tuple(None if p.isdecimal() else p for p in parts)
        numbers = tuple(int(p) for p in parts if p.isdecimal())
        alike.setdefault((template, layer.status, _values(layer), inside), {})[numbers] = index
    lines: list[tuple[int, ChangeGroup]] = []
    for (template, *_), members in alike.items():
        for grid in _grids(list(members)):
            indices = [members[numbers] for numbers in itertools.product(*grid)]
            layer, inside = collapsed[min(indices)]
            path = _fold_path(template, grid) if len(indices) > 1 else layer.path
            lines.append((min(indices), ChangeGroup(path, layer, len(indices), inside)))
    lines.sort(key=lambda line: line[0])  # each line where its first member is
    return [group for _, group in lines]


def _grids(numbers: list[tuple[int, ...]]) -> list[tuple[tuple[int, ...], ...]]:
    """``numbers`` as few grids as folding one position at a time, the last first, makes:
    ``(0, 1), (0, 2), (1, 0), (1, 1), (1, 2)`` → ``0 × 1-2`` and ``1 × 0-2``. Each grid
    is a tuple of value lists whose every combination is one of ``numbers``."""
    grids: list[tuple[tuple[int, ...], ...]] = [tuple((n,) for n in ns) for ns in numbers]
    width = len(numbers[0]) if numbers else 0
    for position in reversed(range(width)):
        merged: dict[tuple, set[int]] = {}
        for grid in grids:
            rest = grid[:position] + grid[position + 1 :]
            merged.setdefault(rest, set()).update(grid[position])
        grids = [
            rest[:position] + (tuple(sorted(values)),) + rest[position:]
            for rest, values in merged.items()
        ]
    return grids


def _collapse_subtrees(changes: Iterable[LayerDiff]) -> list[tuple[LayerDiff, int]]:
    """The changes with rows under a one-network-only container left out and counted."""
    result: list[tuple[LayerDiff, int]] = []
    top: str | None = None  # path prefix of the container being collapsed
    for layer in changes:
        if top is not None and layer.path.startswith(top) and layer.status == result[-1][0].status:
            result[-1] = (result[-1][0], result[-1][1] + 1)
            continue
        top = None
        result.append((layer, 0))
        if layer.status in (ONLY_A, ONLY_B) and layer.row.is_container:
            top = layer.path + "."
    return result


def _values(layer: LayerDiff) -> tuple:
    a = _shown(layer.a) if layer.a is not None else None
    b = _shown(layer.b) if layer.b is not None else None
    return a, b, layer.settings


def _fold_path(template: tuple[str | None, ...], positions: tuple[tuple[int, ...], ...]) -> str:
    numbers = iter(positions)
    return ".".join(part if part is not None else _ranges(next(numbers)) for part in template)


def _ranges(values: tuple[int, ...]) -> str:
    """``[0, 1, 2, 5]`` → ``0-2,5``."""
    spans: list[list[int]] = []
    for v in values:
        if spans and v == spans[-1][1] + 1:
            spans[-1][1] = v
        else:
            spans.append([v, v])
    return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in spans)
