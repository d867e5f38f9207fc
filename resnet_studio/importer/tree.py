"""Names and nesting: the walked items become spec nodes named as the source's modules.

Each item is named by its module's path relative to the block around it
(``layer1.0.conv1`` inside block ``layer1.0`` is ``conv1``), so our build's
``state_dict`` keys equal the source's wherever the spec can nest the same way.
Consecutive items under one module ``P`` (``features.0``, ``features.1`` …) that
make up the whole of ``P`` become a Group named ``P``, its children named
relative to it; a Group whose children are ``0``, ``1`` … becomes one Repeat
instead when its rule (strides act in the first repetition only; one shortcut
setting for all) rebuilds every one of them exactly. Only items of ``P`` split
by something else (a module called from outside it in between) are flattened,
to ``P_0``, ``P_1`` …. Functional layers (``F.relu``, ``torch.flatten``) are
named after the function, inside the module whose ``forward`` called them.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass

from resnet_studio.arch import spec as s
from resnet_studio.arch.inference import resolve_shortcut
from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.importer.ir import MODULE, Op
from resnet_studio.importer.structure import Item, LeafItem, ResidualItem

_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")
# What the operations that make a block's wiring become (a layer's is its kind).
ZERO_PAD_PART = Message(
    "import.placed.zero_pad", QT_TRANSLATE_NOOP("messages", "zero-padded shortcut")
)
IDENTITY_PART = Message(
    "import.placed.identity", QT_TRANSLATE_NOOP("messages", "identity shortcut")
)
ADDITION = Message("import.placed.addition", QT_TRANSLATE_NOOP("messages", "Residual (addition)"))
POST_RELU = Message(
    "import.placed.post_relu",
    QT_TRANSLATE_NOOP("messages", "Residual (ReLU after the addition)"),
)


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
class Group:
    """A Group: the source module ``P`` whose parts run one after another."""

    name: str
    body: list[Named]


@dataclass
class Stage:
    """A Repeat: ``reps`` are the source's ``P.0``, ``P.1`` …, equal under its rule."""

    name: str
    reps: list[Leaf | Block | Group]


Named = Leaf | Block | Group | Stage


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
    if op.kind == MODULE and op.qualname:
        return _relative(op.qualname, scope)
    inside = _relative(op.scope, scope) if op.scope != scope else ""
    return f"{inside}.{op.target}" if inside else op.target


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
        item = named.item
        body = tuple(_signature(child, stride_one, True) for child in named.body)
        # A nested block's shortcut counts whole; a repetition's is chosen for all.
        shortcut = (named.shortcut, item.pad_placement) if nested else ""
        return ("Residual", item.relu is not None, item.preactivation, body, shortcut)
    if isinstance(named, Group):
        return ("Group", tuple(_signature(child, stride_one, True) for child in named.body))
    return ("Repeat", len(named.reps), _signature(named.reps[0], stride_one, True))


def _repeat_shortcut(reps: list[Leaf | Block | Group]) -> tuple[str, str] | None:
    """One shortcut setting (and zero-pad placement) that gives every repetition its
    own shortcut, if any."""
    if not isinstance(reps[0], Block):
        return "", "end"
    blocks = [r for r in reps if isinstance(r, Block)]
    actual = [_normalised(b.item.shortcut, b.item.in_shape, b.item.out_shape) for b in blocks]
    placements = {
        b.item.pad_placement for b, kind in zip(blocks, actual, strict=True) if kind == "zero-pad"
    }
    if len(placements) > 1:
        return None
    placement = placements.pop() if placements else "end"
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
            return value, placement
    return None


def _foldable(reps: list[Named]) -> bool:
    if not all(isinstance(r, type(reps[0])) and not isinstance(r, Stage) for r in reps):
        return False
    # A Repeat names a one-node body by the repetition number: a Group of one would
    # lose its child's name.
    if isinstance(reps[0], Group) and len(reps[0].body) < 2:
        return False
    first = _signature(reps[0], True)
    if any(_signature(r, False) != first for r in reps[1:]):
        return False
    return _repeat_shortcut(reps) is not None  # type: ignore[arg-type]


def name_items(
    items: list[Item], scope: str, reserved: frozenset[str] = frozenset()
) -> list[Named]:
    """The items of one sequence (``scope``: the module they lie in), named, grouped
    by the modules they lie in, and folded."""
    paths = [_item_path(item, scope) for item in items]
    heads = Counter(path.split(".")[0] for path in paths)
    taken: set[str] = set()
    out: list[Named] = []
    i = 0
    while i < len(items):
        head, dot, _ = paths[i].partition(".")
        end = i + 1
        while dot and end < len(items) and paths[end].startswith(head + "."):
            end += 1
        # Grouped only when the run is the whole of ``head`` (nothing of it elsewhere).
        if dot and heads[head] == end - i:
            inner = f"{scope}.{head}" if scope else head
            out.append(_container(head, name_items(items[i:end], inner), taken, reserved))
            i = end
            continue
        out.append(_named(items[i], paths[i], taken, reserved))
        i += 1
    return out


def _container(
    head: str, children: list[Named], taken: set[str], reserved: frozenset[str]
) -> Group | Stage:
    """A Repeat when the children are ``0``, ``1`` … and its rule rebuilds them all,
    else a Group."""
    name = spec_name(head, taken, reserved)
    numbered = [c.name for c in children] == [str(n) for n in range(len(children))]
    if numbered and _foldable(children):
        return Stage(name, children)  # type: ignore[arg-type]
    return Group(name, children)


def _named(item: Item, path: str, taken: set[str], reserved: frozenset[str]) -> Leaf | Block:
    if isinstance(item, LeafItem):
        return Leaf(spec_name(path, taken, reserved), item.node, item.op)
    assert isinstance(item, ResidualItem)
    # The body's names are relative to the module whose forward adds (``layer1.0``).
    body = name_items(item.body, item.add.scope, s.RESERVED_NAMES)
    if path == "block" and len(body) == 1 and isinstance(body[0], Group):
        # ``x + self.block(x)`` added outside ``block``: the block takes its name, so its
        # layers keep their paths (``block.0``, not ``block.block.0``).
        inner = body[0]
        if not {child.name for child in inner.body} & s.RESERVED_NAMES:
            path, body = inner.name, inner.body
    return Block(spec_name(path, taken, reserved), body, item, item.shortcut)


def to_spec(named: Named, last_linear: Op | None = None) -> s.Node:
    """The spec node of a named item; the output's Linear takes the network's class count."""
    if isinstance(named, Leaf):
        fields: dict = {"name": named.name}
        if named.op is last_linear and isinstance(named.node, s.Linear):
            fields["out_features"] = None
        return dataclasses.replace(named.node, **fields)
    if isinstance(named, Block):
        item = named.item
        return s.Residual(
            name=named.name,
            body=tuple(to_spec(child, last_linear) for child in named.body),
            shortcut=named.shortcut,
            post_relu=item.relu is not None,
            preactivation=item.preactivation,
            pad_placement=item.pad_placement,
        )
    if isinstance(named, Group):
        return s.Group(
            name=named.name, body=tuple(to_spec(child, last_linear) for child in named.body)
        )
    first = named.reps[0]
    if isinstance(first, Group):
        body = tuple(to_spec(child, last_linear) for child in first.body)
        return s.Repeat(name=named.name, count=len(named.reps), body=body)
    # A one-node body's name is no part of any path (repetitions take their numbers):
    # "block", as the presets name it.
    node = dataclasses.replace(to_spec(first, last_linear), name="block")
    if isinstance(first, Block):
        shortcut, placement = _repeat_shortcut(named.reps)  # type: ignore[misc]
        node = dataclasses.replace(node, shortcut=shortcut, pad_placement=placement)
    return s.Repeat(name=named.name, count=len(named.reps), body=(node,))


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


def _place(named: Leaf | Block | Group, path: str) -> list[Placement]:
    if isinstance(named, Leaf):
        return [Placement(named.op, path, named.node.kind)]
    if isinstance(named, Group):
        return placements(named.body, path)
    item = named.item
    out = placements(named.body, path)
    if item.shortcut == "projection" and item.preactivation:  # a conv alone, as built
        out.append(Placement(item.shortcut_ops[0], f"{path}.shortcut.0", "Conv2d"))
    elif item.shortcut == "projection":
        conv, bn = item.shortcut_ops
        out.append(Placement(conv, f"{path}.downsample.0", "Conv2d"))
        out.append(Placement(bn, f"{path}.downsample.1", "BatchNorm2d"))
    for op in item.shortcut_ops if item.shortcut == "zero-pad" else []:
        out.append(Placement(op, f"{path}.shortcut", ZERO_PAD_PART))
    for op in item.ignored:
        out.append(Placement(op, path, IDENTITY_PART))
    out.append(Placement(item.add, path, ADDITION))
    if item.relu is not None:
        out.append(Placement(item.relu, path, POST_RELU))
    return out
