"""Names and nesting: the walked items become spec nodes named as the source's modules.

Each item is named by its module's path relative to the block around it
(``layer1.0.conv1`` inside block ``layer1.0`` is ``conv1``), so our build's
``state_dict`` keys equal the source's wherever the spec can nest the same way.
Consecutive items ``P.0``, ``P.1`` … that make up the whole of ``P`` become one
Repeat named ``P`` when its rule (strides act in the first repetition only; one
shortcut setting for all) rebuilds every one of them exactly; otherwise they stay
one by one, named ``P_0``, ``P_1`` …: the spec has no plain named container yet.
Functional layers (``F.relu``, ``torch.flatten``) are named after the function.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass

from resnet_studio.arch import spec as s
from resnet_studio.arch.inference import resolve_shortcut
from resnet_studio.importer.ir import MODULE, Op
from resnet_studio.importer.structure import Item, LeafItem, ResidualItem

_INDEXED = re.compile(r"\A(.+)\.(\d+)\Z")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")


@dataclass
class Leaf:
    name: str
    node: s.Node
    op: Op


@dataclass
class Block:
    name: str
    body: list[Named]
    item: ResidualItem
    shortcut: str  # the spec's setting


@dataclass
class Stage:
    """A Repeat: ``reps`` are the source's ``P.0``, ``P.1`` …, equal under its rule."""

    name: str
    reps: list[Leaf | Block]


Named = Leaf | Block | Stage


@dataclass(frozen=True)
class Placement:
    """Where one source operation went: our path and kind."""

    op: Op
    path: str
    kind: str


def _relative(path: str, scope: str) -> str:
    if scope and path.startswith(scope + "."):
        return path[len(scope) + 1 :]
    return path


def _item_path(item: Item, scope: str) -> str:
    if isinstance(item, ResidualItem):
        own = item.add.scope
        return _relative(own, scope) if own and own != scope else "block"
    op = item.op
    return _relative(op.qualname, scope) if op.kind == MODULE and op.qualname else op.target


def spec_name(text: str, taken: set[str], reserved: frozenset[str] = frozenset()) -> str:
    """A valid, unused child name made from ``text`` (dots and odd characters → ``_``)."""
    base = _NOT_NAME.sub("_", text).strip("_")[:56] or "layer"
    if s.name_problem(base) or base in reserved:
        base += "_x"
    name, n = base, 0
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def _normalised(kind: str, x: tuple[int, ...], fx: tuple[int, ...]) -> str:
    """A zero-pad between equal shapes adds nothing: it is an identity."""
    return "identity" if kind == "zero-pad" and x == fx else kind


def _signature(named: Named, stride_one: bool, nested: bool = False) -> tuple:
    """What a built module depends on, strides as a later repetition builds them. A
    nested block's shortcut setting counts; a repetition's own is chosen for all."""
    if isinstance(named, Leaf):
        fields = dataclasses.asdict(named.node)
        fields.pop("id")
        if stride_one and "stride" in fields:
            fields["stride"] = 1
        return (named.node.kind, tuple(sorted(fields.items())))
    if isinstance(named, Block):
        body = tuple(_signature(child, stride_one, True) for child in named.body)
        return ("Residual", named.item.relu is not None, body, named.shortcut if nested else "")
    return ("Repeat", len(named.reps), _signature(named.reps[0], stride_one, True))


def _repeat_shortcut(reps: list[Leaf | Block]) -> str | None:
    """One shortcut setting that gives every repetition its own shortcut, if any."""
    if not isinstance(reps[0], Block):
        return ""
    blocks = [r for r in reps if isinstance(r, Block)]
    actual = [_normalised(b.item.shortcut, b.item.in_shape, b.item.out_shape) for b in blocks]
    for value in ("auto", actual[0]):
        resolved = [
            _normalised(
                resolve_shortcut(value, b.item.in_shape, b.item.out_shape),
                b.item.in_shape,
                b.item.out_shape,
            )
            for b in blocks
        ]
        if resolved == actual:
            return value
    return None


def _foldable(reps: list[Named]) -> bool:
    if not all(isinstance(r, type(reps[0])) and not isinstance(r, Stage) for r in reps):
        return False
    first = _signature(reps[0], True)
    if any(_signature(r, False) != first for r in reps[1:]):
        return False
    return _repeat_shortcut(reps) is not None  # type: ignore[arg-type]


def name_items(
    items: list[Item], scope: str, reserved: frozenset[str] = frozenset()
) -> list[Named]:
    """The items of one sequence, named and folded."""
    paths = [_item_path(item, scope) for item in items]
    runs = _runs(paths)
    taken: set[str] = set()
    out: list[Named] = []
    i = 0
    while i < len(items):
        run = runs.get(i)
        if run is not None:
            prefix, end = run
            reps = [_named(items[j], "block", set(), reserved) for j in range(i, end)]
            if _foldable(reps):
                out.append(Stage(spec_name(prefix, taken, reserved), reps))  # type: ignore[arg-type]
                i = end
                continue
        out.append(_named(items[i], paths[i], taken, reserved))
        i += 1
    return out


def _named(item: Item, path: str, taken: set[str], reserved: frozenset[str]) -> Leaf | Block:
    name = spec_name(path, taken, reserved)
    if isinstance(item, LeafItem):
        return Leaf(name, item.node, item.op)
    assert isinstance(item, ResidualItem)
    # The body's names are relative to the module whose forward adds (``layer1.0``).
    body = name_items(item.body, item.add.scope, s.RESERVED_NAMES)
    return Block(name, body, item, item.shortcut)


def _runs(paths: list[str]) -> dict[int, tuple[str, int]]:
    """Start index → (P, end) of each run ``P.0``, ``P.1`` … that is the whole of ``P``.

    Linear: how many paths lie under each prefix is counted once, so a run is the
    whole of ``P`` when that count equals its length.
    """
    under: Counter[str] = Counter()
    for path in paths:
        parts = path.split(".")
        under.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    runs = {}
    i = 0
    while i < len(paths):
        match = _INDEXED.match(paths[i])
        if match and match.group(2) == "0":
            prefix = match.group(1)
            end = i + 1
            while end < len(paths) and paths[end] == f"{prefix}.{end - i}":
                end += 1
            if under[prefix] == end - i:
                runs[i] = (prefix, end)
            i = end
        else:
            i += 1
    return runs


def to_spec(named: Named, last_linear: Op | None = None) -> s.Node:
    """The spec node of a named item; the output's Linear takes the network's class count."""
    if isinstance(named, Leaf):
        fields: dict = {"name": named.name}
        if named.op is last_linear and isinstance(named.node, s.Linear):
            fields["out_features"] = None
        return dataclasses.replace(named.node, **fields)
    if isinstance(named, Block):
        return s.Residual(
            name=named.name,
            body=tuple(to_spec(child, last_linear) for child in named.body),
            shortcut=named.shortcut,
            post_relu=named.item.relu is not None,
        )
    first = named.reps[0]
    body = to_spec(first, last_linear)
    if isinstance(first, Block):
        body = dataclasses.replace(body, shortcut=_repeat_shortcut(named.reps))
    return s.Repeat(name=named.name, count=len(named.reps), body=(body,))


def placements(named_items: list[Named], prefix: str = "") -> list[Placement]:
    """Where every source operation went, in the order of the tree."""
    out: list[Placement] = []
    for named in named_items:
        path = f"{prefix}.{named.name}" if prefix else named.name
        if isinstance(named, Stage):
            for i, rep in enumerate(named.reps):
                rep_path = f"{path}.{i}"
                out += _place(rep, rep_path)
        else:
            out += _place(named, path)
    return out


def _place(named: Leaf | Block, path: str) -> list[Placement]:
    if isinstance(named, Leaf):
        return [Placement(named.op, path, named.node.kind)]
    item = named.item
    out = placements(named.body, path)
    if item.shortcut == "projection":
        conv, bn = item.shortcut_ops
        out.append(Placement(conv, f"{path}.downsample.0", "Conv2d"))
        out.append(Placement(bn, f"{path}.downsample.1", "BatchNorm2d"))
    for op in item.shortcut_ops if item.shortcut == "zero-pad" else []:
        out.append(Placement(op, f"{path}.shortcut", "zero-padded shortcut"))
    for op in item.ignored:
        out.append(Placement(op, path, "identity shortcut"))
    out.append(Placement(item.add, path, "Residual (addition)"))
    if item.relu is not None:
        out.append(Placement(item.relu, path, "Residual (ReLU after the addition)"))
    return out
