"""The graph's shape as the spec sees it: chains of layers and residual blocks.

One walk forward from the input, each operation visited once per branch it lies
on (linear time; no search over paths). A tensor used twice is a fork: both
branches are walked to where they meet; an addition there makes a residual block,
the branch that is an identity, a 1×1 projection with BatchNorm or a subsample
with zero-padded channels (all after x's channels, or half before) becoming its
shortcut. A ReLU right after the addition is the block's ``post_relu``.

A pre-activation block (He et al. 2016) forks after its own first BatchNorm and
ReLU: a shortcut there (a 1×1 conv alone, or zero-padding) makes them the start
of the block's body, as the spec's ``preactivation`` builds it. A block with an
identity shortcut whose body starts with BatchNorm and ReLU is one too (the same
function either way), so a stage of them folds into one Repeat.

What cannot be followed (branches that meet at a concatenation, or never meet)
is a problem that names the operations; the walk goes on after a join it
could not express, so later problems are found too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from resnet_studio.arch import spec as s
from resnet_studio.arch.inference import shortcut_stride
from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.importer.ir import CONSTANT, MODULE, Graph, Op
from resnet_studio.importer.leaves import ADD, SHORTCUT_PART, Classified, Mapped, Part, Problem


@dataclass
class LeafItem:
    """One layer made from ``op`` (``node``'s name is set when the tree is named)."""

    node: s.Node
    op: Op


@dataclass
class PartItem:
    """A subsample or padding: part of a zero-padded shortcut, nothing on its own."""

    op: Op


@dataclass
class ResidualItem:
    """body(x) + shortcut(x) at ``add``; ``shortcut_ops`` are the projection's conv and
    BatchNorm (or the zero-pad's ops); ``relu`` the ReLU folded in as ``post_relu``."""

    body: list[Item]
    shortcut: str
    shortcut_ops: list[Op]
    add: Op
    relu: Op | None
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    ignored: list[Op] = field(default_factory=list)  # identity modules on the shortcut
    pad_placement: str = "end"
    preactivation: bool = False
    # Until the BatchNorm and ReLU before the fork are found: "required" (a conv alone
    # is a shortcut only there), "possible" (a zero-pad may be taken there) or None.
    pending: str | None = None


Item = LeafItem | PartItem | ResidualItem


@dataclass
class Structure:
    """The top-level items and every problem found (op name → reason)."""

    items: list[Item]
    problems: list[tuple[Op, str]]
    complete: bool  # False when the walk stopped before the output


class _Stop(Exception):
    """The walk cannot go on (branches that never meet)."""


@dataclass
class _Branch:
    items: list[Item]
    last: int  # the op whose tensor reaches the join
    join: Op | None


class _Walker:
    def __init__(self, graph: Graph, classified: list[Classified]) -> None:
        self.graph = graph
        self.ops = graph.ops
        self.classified = classified
        alive = graph.live()
        self.users = [[u for u in users if alive[u]] for users in graph.users]
        self.problems: list[tuple[Op, str]] = []
        self.waiting: list[ResidualItem] = []  # 1×1-conv shortcuts not yet known preactivated

    def data_inputs(self, op: Op) -> list[int]:
        return [i for i in op.inputs if self.ops[i].kind != CONSTANT]

    def is_join(self, op: Op) -> bool:
        return len(self.data_inputs(op)) >= 2

    def step(self, op: Op) -> list[Item]:
        """The items of one single-input op (problems were listed for every op before)."""
        c = self.classified[op.index]
        if isinstance(c, Mapped):
            return [LeafItem(node, op) for node in c.nodes]
        if isinstance(c, Part) and c.role == SHORTCUT_PART:
            return [PartItem(op)]
        return []

    def sequence(self, start: int, items: list[Item] | None = None) -> _Branch:
        """Items from the tensor of op ``start`` on (after ``items``, those that made it),
        to the output or to a join."""
        items = [] if items is None else items
        current = start
        while True:
            users = self.users[current]
            if not users:
                return _Branch(items, current, None)
            if len(users) == 1:
                op = self.ops[users[0]]
                if self.is_join(op):
                    if len(set(self.data_inputs(op))) == 1:
                        self.problems.append(
                            (
                                op,
                                Message(
                                    "import.same_tensor_twice",
                                    QT_TRANSLATE_NOOP("messages", "uses the same tensor twice"),
                                ),
                            )
                        )
                        raise _Stop
                    return _Branch(items, current, op)
                items += self.step(op)
                current = op.index
                continue
            found, current = self.fork(current, users)
            if found and isinstance(found[0], ResidualItem) and found[0].pending:
                self._preactivate(items, found[0])
            items += found

    def fork(self, start: int, users: list[int]) -> tuple[list[Item], int]:
        """Walk the branches leaving ``start``; the items they make and where to go on.

        Blocks nested at their start share the fork (``x + (x + f(x))``): the
        innermost join whose inputs all come from these branches is resolved first,
        the walk goes on from it to the next join, and so on, each op walked once.
        """
        source = self.ops[start]
        branches = [self._branch(start, u) for u in users]
        while True:
            if any(b.join is None for b in branches):
                return self._unmet(source, branches)
            by_join: dict[int, list[_Branch]] = {}
            for b in branches:
                by_join.setdefault(b.join.index, []).append(b)  # type: ignore[union-attr]
            if len(by_join) == 1:
                join = branches[0].join
                assert join is not None
                if len(branches) != 2 or len(self.data_inputs(join)) != 2:
                    self._join_problem(
                        join,
                        Message(
                            "import.join.many",
                            QT_TRANSLATE_NOOP(
                                "messages", "joins {count} branches; a residual joins two"
                            ),
                            count=len(branches),
                        ),
                    )
                    return [], join.index
                return self._join(source, branches, join)
            inner = [
                group
                for group in by_join.values()
                if len(group) == 2
                and sorted(self.data_inputs(group[0].join)) == sorted(b.last for b in group)
            ]
            if not inner:
                return self._unmet(source, branches)
            join = inner[0][0].join
            items, current = self._join(source, inner[0], join)
            rest = self.sequence(current)
            branches = [b for b in branches if b not in inner[0]]
            branches.append(_Branch(items + rest.items, rest.last, rest.join))

    def _branch(self, start: int, user: int) -> _Branch:
        op = self.ops[user]
        if self.is_join(op):
            return _Branch([], start, op)
        return self.sequence(user, self.step(op))

    def _unmet(self, source: Op, branches: list[_Branch]) -> tuple[list[Item], int]:
        where = ", ".join(sorted({b.join.name for b in branches if b.join}))
        if where:
            why = Message(
                "import.branches.unmet_at",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "its {count} branches do not meet at one operation (they end at {ops})",
                ),
                count=len(branches),
                ops=where,
            )
        else:
            why = Message(
                "import.branches.unmet",
                QT_TRANSLATE_NOOP("messages", "its {count} branches do not meet at one operation"),
                count=len(branches),
            )
        self.problems.append((source, why))
        raise _Stop

    def _join(self, source: Op, branches: list[_Branch], join: Op) -> tuple[list[Item], int]:
        """Two branches meeting at ``join``: a residual block when it adds."""
        c = self.classified[join.index]
        if not (isinstance(c, Part) and c.role == ADD):
            self._join_problem(
                join,
                Message(
                    "import.join.not_add",
                    QT_TRANSLATE_NOOP("messages", "joins two branches other than by addition"),
                ),
            )
            return [], join.index
        return self.residual(source, branches, join)

    def _join_problem(self, join: Op, reason: str) -> None:
        if not isinstance(self.classified[join.index], Problem):  # listed already
            self.problems.append((join, reason))

    def residual(self, source: Op, branches: list[_Branch], add: Op) -> tuple[list[Item], int]:
        x = source.shape[1:]
        fx = add.shape[1:]
        if any(self.ops[b.last].shape != add.shape for b in branches):
            first, second = (_shape(self.ops[b.last].shape) for b in branches)
            self.problems.append(
                (
                    add,
                    Message(
                        "import.add.shapes",
                        QT_TRANSLATE_NOOP(
                            "messages", "adds tensors of different shapes ({first} and {second})"
                        ),
                        first=first,
                        second=second,
                    ),
                )
            )
            return [], add.index
        # The convention out + identity: the second operand is the shortcut when both could be.
        order = self.data_inputs(add)
        branches.sort(key=lambda b: order.index(b.last))
        kinds = [shortcut_kind(b.items, x, fx) for b in branches]
        candidates = [i for i in (1, 0) if kinds[i].kind is not None]
        empty = [i for i in (1, 0) if not branches[i].items]
        pick = (empty or candidates or [min((1, 0), key=lambda i: len(branches[i].items))])[0]
        found = kinds[pick]
        shortcut, body = branches[pick], branches[1 - pick]
        if found.kind is None or found.problem:
            names = ", ".join(_op(item).name for item in shortcut.items)
            self.problems.append(
                (
                    add,
                    found.problem
                    or Message(
                        "import.shortcut.unknown",
                        QT_TRANSLATE_NOOP(
                            "messages",
                            "its shortcut ({ops}) is not an identity, a 1×1 projection with "
                            "BatchNorm, or a subsample with zero-padded channels",
                        ),
                        ops=names,
                    ),
                )
            )
            return [], add.index
        for item in body.items:
            if isinstance(item, PartItem):
                self.problems.append((item.op, _outside_shortcut(item.op)))
        relu = self._post_relu(add)
        ops = [_op(item) for item in shortcut.items]
        identity = found.kind == "identity"
        item = ResidualItem(
            body.items,
            found.kind,
            [] if identity else ops,
            add,
            relu,
            x,
            fx,
            ignored=ops if identity else [],
            pad_placement=found.placement,
            preactivation=identity and _starts_activated(body.items, add.scope),
            pending=found.after_activation,
        )
        if item.pending == "required":
            self.waiting.append(item)
        return [item], (relu or add).index

    def _preactivate(self, items: list[Item], block: ResidualItem) -> None:
        """Make ``block`` a pre-activation block when the two items before its fork are
        its own BatchNorm and ReLU: they move from ``items`` to the start of its body."""
        before = items[-2:]
        if _starts_activated(before, block.add.scope):
            block.body[:0] = before
            del items[-2:]
            block.preactivation = True
        block.pending = None

    def _post_relu(self, add: Op) -> Op | None:
        users = self.users[add.index]
        if len(users) != 1:
            return None
        op = self.ops[users[0]]
        c = self.classified[op.index]
        if isinstance(c, Mapped) and [type(n) for n in c.nodes] == [s.ReLU]:
            return op
        return None


def _op(item: Item) -> Op:
    return item.op if isinstance(item, LeafItem | PartItem) else item.add


def _shape(shape: tuple[int, ...] | None) -> str:
    return "?" if shape is None else "×".join(str(v) for v in shape[1:])


def _outside_shortcut(op: Op) -> Message:
    return Message(
        "import.part_outside_shortcut",
        QT_TRANSLATE_NOOP("messages", "{op} outside a zero-padded shortcut"),
        op=op.label,
    )


def _within(op: Op, scope: str) -> bool:
    """Whether ``op`` ran in the module ``scope`` (a module call: is one of its parts)."""
    where = op.qualname if op.kind == MODULE and op.qualname else op.scope
    return bool(scope) and (where == scope or where.startswith(scope + "."))


def _starts_activated(items: list[Item], scope: str) -> bool:
    """The first two items are BatchNorm2d then ReLU, run by the block's own module."""
    if len(items) < 2 or not all(isinstance(i, LeafItem) for i in items[:2]):
        return False
    first, second = items[0], items[1]
    assert isinstance(first, LeafItem) and isinstance(second, LeafItem)
    kinds = (type(first.node), type(second.node))
    return (
        kinds == (s.BatchNorm2d, s.ReLU) and _within(first.op, scope) and _within(second.op, scope)
    )


class Shortcut(NamedTuple):
    """What a branch is as a shortcut: ``kind`` (identity, projection, zero-pad; None when
    it is none), why it cannot be expressed, where a zero-pad puts its zeros, and
    whether it must be taken after the block's first BatchNorm and ReLU (``required``:
    a conv alone) or may be (``possible``: a zero-pad)."""

    kind: str | None
    problem: Message | None = None
    placement: str = "end"
    after_activation: str | None = None


def _is_module(item: Item, kind: type[s.Node]) -> bool:
    return isinstance(item, LeafItem) and isinstance(item.node, kind) and item.op.kind == MODULE


def shortcut_kind(items: list[Item], x: tuple[int, ...], fx: tuple[int, ...]) -> Shortcut:
    """What the branch ``items`` from a tensor of shape ``x`` to ``fx`` is as a shortcut."""
    leaves = [i for i in items if not (isinstance(i, LeafItem) and isinstance(i.node, s.Identity))]
    if not leaves:
        return Shortcut("identity") if x == fx else Shortcut(None)
    stride = shortcut_stride(x, fx)
    if not 1 <= len(leaves) <= 2 or not _is_module(leaves[0], s.Conv2d):
        if all(isinstance(i, PartItem) for i in leaves):
            return _zero_pad([i.op for i in leaves], x, fx, stride)
        return Shortcut(None)
    conv = leaves[0].node
    assert isinstance(conv, s.Conv2d)
    plain = (conv.kernel, conv.padding, conv.dilation, conv.groups, conv.bias) == (
        1,
        0,
        1,
        1,
        False,
    )
    if not (plain and conv.stride == stride and conv.out_channels == fx[0]):
        return Shortcut(None)
    if len(leaves) == 1:  # no BatchNorm: a pre-activation block's projection
        return Shortcut("projection", after_activation="required")
    if _is_module(leaves[1], s.BatchNorm2d):
        return Shortcut("projection")
    return Shortcut(None)


def _zero_pad(ops: list[Op], x, fx, stride) -> Shortcut:
    """A subsample ``x[:, :, ::s, ::s]`` and/or ``F.pad(x, (0, 0, 0, 0, before, after))``
    with all new channels after x's, or half of them (rounded down) before."""
    pads = [op for op in ops if op.target == "pad"]
    slices = [op for op in ops if op.target == "getitem"]
    if len(pads) > 1 or len(slices) > 1:
        return Shortcut(None)
    step = 1
    if slices:
        step = _subsample_step(slices[0].args[1] if len(slices[0].args) > 1 else None)
        if step is None:
            return Shortcut(None)
    before = after = 0
    if pads:
        amounts = _pad_channels(pads[0])
        if amounts is None:
            return Shortcut(None)
        before, after = amounts
    extra = before + after
    if step != stride or extra != fx[0] - x[0]:
        return Shortcut(None)
    if before == 0:
        return Shortcut("zero-pad", after_activation="possible")
    if before == extra // 2:
        return Shortcut("zero-pad", placement="both", after_activation="possible")
    return Shortcut(
        "zero-pad",
        Message(
            "import.zero_pad.placement",
            QT_TRANSLATE_NOOP(
                "messages",
                "its zero-padded shortcut puts {before} zero channels before the input's and "
                "{after} after; the designer's puts them all after, or {half} before and "
                "{rest} after",
            ),
            before=before,
            after=after,
            half=extra // 2,
            rest=extra - extra // 2,
        ),
    )


def _subsample_step(index) -> int | None:
    """s for an index ``[:, :, ::s, ::s]`` (``...`` allowed), else None."""
    if not isinstance(index, tuple):
        return None
    if Ellipsis in index:
        at = index.index(Ellipsis)
        index = index[:at] + (slice(None),) * (4 - len(index) + 1) + index[at + 1 :]
    if len(index) != 4 or not all(isinstance(v, slice) for v in index):
        return None
    if any(v != slice(None) for v in index[:2]):
        return None
    steps = set()
    for v in index[2:]:
        if v.start not in (None, 0) or v.stop is not None:
            return None
        steps.add(v.step or 1)
    return steps.pop() if len(steps) == 1 else None


def _pad_channels(op: Op) -> tuple[int, int] | None:
    """(before, after) channels of ``F.pad(x, (0, 0, 0, 0, before, after))`` with zeros."""
    args = dict(zip(("input", "pad", "mode", "value"), op.args, strict=False)) | op.kwargs
    pad = tuple(args.get("pad", ()))
    if args.get("mode", "constant") != "constant" or args.get("value") not in (None, 0, 0.0):
        return None
    if len(pad) != 6 or any(pad[:4]) or min(pad[4:]) < 0:
        return None
    return int(pad[4]), int(pad[5])


def _not_preactivated(block: ResidualItem) -> tuple[Op, Message]:
    return (
        block.add,
        Message(
            "import.shortcut.conv_alone",
            QT_TRANSLATE_NOOP(
                "messages",
                "its shortcut ({op}) is a 1×1 conv without BatchNorm: the designer has that "
                "only in a pre-activation block, taken after the block's first BatchNorm and "
                "ReLU",
            ),
            op=block.shortcut_ops[0].name,
        ),
    )


def walk(graph: Graph, classified: list[Classified]) -> Structure:
    """The items from the input to the output, and every structural problem."""
    walker = _Walker(graph, classified)
    start = next(op.index for op in graph.ops if op.kind == "input")
    try:
        branch = walker.sequence(start)
    except _Stop:
        return Structure([], walker.problems, False)
    walker.problems += [_not_preactivated(b) for b in walker.waiting if not b.preactivation]
    if branch.join is not None:
        walker.problems.append(
            (
                branch.join,
                Message(
                    "import.join.elsewhere",
                    QT_TRANSLATE_NOOP(
                        "messages", "joins the network's main path with a tensor from elsewhere"
                    ),
                ),
            )
        )
        return Structure(branch.items, walker.problems, False)
    for item in branch.items:
        if isinstance(item, PartItem):
            walker.problems.append((item.op, _outside_shortcut(item.op)))
    return Structure(branch.items, walker.problems, branch.last == graph.output)
