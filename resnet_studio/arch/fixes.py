"""Standard fixes for the shape problems inference finds: which apply, and what each makes.

The window offers these in one click (on the layer's card, in the inspector
and in the problems list) and pushes the network :meth:`SetField.apply` or
:meth:`InsertNodes.apply` returns as one undo step. A fix is worked out from
the shapes the problem records (:class:`~resnet_studio.arch.inference.Problem`),
so it is exact, not a guess from the message. The fixes:

- a pre-activation block whose body does not start with BatchNorm2d and ReLU:
  pre-activation turned off;
- a residual whose shortcut cannot carry x to the body's shape: a zero-padded
  shortcut (the paper's option A) or a projection where the shapes change
  (option B, the ``auto`` shortcut); and, where only the channels stand in the
  way, the body's last conv resized to the input's channels;
- a Linear after a feature map: a Flatten before it (and, for a map larger
  than 1×1, GlobalAvgPool and Flatten, the ResNet head);
- a network that does not end with its class scores: the head appended, or
  the last Linear sized to the classes.

Texts are English templates with ``{0}``-style fields (``args``), so the
window can translate them; no Qt here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from resnet_studio.arch import edit
from resnet_studio.arch.inference import (
    Problem,
    Shape,
    preactivation_problem,
    resolve_shortcut,
    shortcut_stride,
)
from resnet_studio.arch.spec import (
    GELU,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Identity,
    LeakyReLU,
    Linear,
    MaxPool2d,
    Network,
    Node,
    ReLU,
    ReLU6,
    Residual,
    SiLU,
)
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

# Layers that keep the channels of their input: a conv followed only by these sets
# the channels a residual body gives.
_KEEP_CHANNELS = (
    BatchNorm2d,
    ReLU,
    LeakyReLU,
    ReLU6,
    SiLU,
    GELU,
    Dropout,
    Identity,
    MaxPool2d,
    AvgPool2d,
    GlobalAvgPool,
    AdaptiveAvgPool2d,
)


@dataclass(frozen=True, kw_only=True)
class _Fix:
    """What every fix says: the node whose problem it fixes and what it does, in words."""

    for_node: str  # "" for a problem of the whole network (its output)
    text: str  # a short title, an English template filled with ``args``
    args: tuple[str, ...] = ()
    detail: str = ""  # one sentence more, for a tooltip (same ``args``)

    @property
    def title(self) -> str:
        return self.text.format(*self.args)


@dataclass(frozen=True, kw_only=True)
class SetField(_Fix):
    """A fix that changes one field of one node (a shortcut, a conv's channels…)."""

    node_id: str  # the node that changes
    field: str
    value: object

    @property
    def selects(self) -> tuple[str, ...]:
        """The nodes to select once it is made."""
        return (self.for_node or self.node_id,)

    def apply(self, network: Network) -> Network:
        """``network`` with the fix made (:class:`SpecError` if the value no longer fits)."""
        node = edit.find_node(network, self.node_id)
        return edit.replace_node(
            network, self.node_id, dataclasses.replace(node, **{self.field: self.value})
        )


@dataclass(frozen=True, kw_only=True)
class InsertNodes(_Fix):
    """A fix that inserts new layers at one place (a Flatten before a Linear…)."""

    parent_id: str | None  # the container they go into (None: the top level)
    index: int
    nodes: tuple[Node, ...]

    @property
    def selects(self) -> tuple[str, ...]:
        return (self.for_node,) if self.for_node else tuple(n.id for n in self.nodes)

    def apply(self, network: Network) -> Network:
        """``network`` with the layers inserted (renamed where a name is taken)."""
        for offset, node in enumerate(self.nodes):
            network = edit.insert_node(network, self.parent_id, self.index + offset, node)
        return network


Fix = SetField | InsertNodes


def fixes_for(
    network: Network, problems: Iterable[Problem], node_id: str | None = None
) -> list[Fix]:
    """The fixes of ``problems`` (only those of ``node_id`` when given), in the order offered."""
    return [
        fix
        for problem in problems
        if node_id is None or problem.node_id == node_id
        for fix in problem_fixes(network, problem)
    ]


def problem_fixes(network: Network, problem: Problem) -> list[Fix]:
    """The standard fixes of one problem; none where there is no standard fix."""
    if problem.path == "(output)":
        return _head_fixes(network, problem.output_shape)
    if not problem.node_id:
        return []
    try:
        where = edit.locate(network, problem.node_id)
    except edit.EditError:  # a problem of another version of the network
        return []
    x, fx = problem.input_shape, problem.output_shape
    if isinstance(where.node, Residual) and problem.message == preactivation_problem(where.node):
        return [_preactivation_off(where.node)]
    if isinstance(where.node, Residual) and x is not None and fx is not None:
        return _shortcut_fixes(where.node, x, fx)
    if isinstance(where.node, Linear) and x is not None and len(x) == 3:
        return _flatten_fixes(where, x)
    return []


def _preactivation_off(block: Residual) -> Fix:
    """A pre-activation block whose body does not begin as one: make it an ordinary block."""
    return SetField(
        for_node=block.id,
        text=QT_TRANSLATE_NOOP("fixes", "Turn pre-activation off"),
        detail=QT_TRANSLATE_NOOP(
            "fixes", "the shortcut takes x itself, and the body needs no BatchNorm and ReLU first"
        ),
        node_id=block.id,
        field="preactivation",
        value=False,
    )


def _shortcut_fixes(block: Residual, x: Shape, fx: Shape) -> list[Fix]:
    """Shortcuts that carry x to F(x)'s shape, or F(x) resized to x's channels."""
    if len(x) != 3 or len(fx) != 3 or x == fx:
        return []
    stride = shortcut_stride(x, fx)
    kind = resolve_shortcut(block.shortcut, x, fx)
    fixes: list[Fix] = []
    if stride is not None and fx[0] >= x[0] and kind != "zero-pad":
        fixes.append(
            SetField(
                for_node=block.id,
                text=QT_TRANSLATE_NOOP("fixes", "Zero-padded shortcut (option A)"),
                detail=QT_TRANSLATE_NOOP(
                    "fixes",
                    "x subsampled by the stride, the new channels filled with zeros; no parameters",
                ),
                node_id=block.id,
                field="shortcut",
                value="zero-pad",
            )
        )
    if stride is not None and block.shortcut not in ("auto", "projection"):
        # "auto": a projection where the shapes change and x itself where they do not,
        # which is option B also when the block repeats in a stage.
        fixes.append(
            SetField(
                for_node=block.id,
                text=QT_TRANSLATE_NOOP("fixes", "Projection shortcut (option B)"),
                detail=QT_TRANSLATE_NOOP(
                    "fixes",
                    "a 1×1 conv with stride and BatchNorm where the shapes change, x itself "
                    "where they match (the auto shortcut)",
                ),
                node_id=block.id,
                field="shortcut",
                value="auto",
            )
        )
    conv = _channel_setter(block)
    same_map = x[1:] == fx[1:] or (kind == "zero-pad" and stride is not None)
    if conv is not None and x[0] != fx[0] and same_map and x[0] % conv.groups == 0:
        fixes.append(
            SetField(
                for_node=block.id,
                text=QT_TRANSLATE_NOOP("fixes", "Set {0} to {1} channels"),
                args=(conv.name, str(x[0])),
                detail=QT_TRANSLATE_NOOP(
                    "fixes", "{0} gives as many output channels as x has, so x fits the addition"
                ),
                node_id=conv.id,
                field="out_channels",
                value=x[0],
            )
        )
    return fixes


def _channel_setter(block: Residual) -> Conv2d | None:
    """The conv of the body whose output channels the body gives, if it is a direct child."""
    for node in reversed(block.body):
        if isinstance(node, Conv2d):
            return node
        if not isinstance(node, _KEEP_CHANNELS):
            return None
    return None


def _flatten_fixes(where: edit.Location, x: Shape) -> list[Fix]:
    """A Flatten before the Linear; for a map larger than 1×1 also GlobalAvgPool first."""
    linear = where.node
    fixes: list[Fix] = [
        InsertNodes(
            for_node=linear.id,
            text=QT_TRANSLATE_NOOP("fixes", "Insert Flatten before {0}"),
            args=(linear.name,),
            detail=QT_TRANSLATE_NOOP("fixes", "C×H×W becomes C·H·W features for {0}"),
            parent_id=where.parent_id,
            index=where.index,
            nodes=(Flatten(name="flatten"),),
        )
    ]
    if x[1:] != (1, 1):
        fixes.append(
            InsertNodes(
                for_node=linear.id,
                text=QT_TRANSLATE_NOOP("fixes", "Insert GlobalAvgPool + Flatten before {0}"),
                args=(linear.name,),
                detail=QT_TRANSLATE_NOOP(
                    "fixes",
                    "the mean of each channel, then its C features for {0}, as a ResNet ends",
                ),
                parent_id=where.parent_id,
                index=where.index,
                nodes=(GlobalAvgPool(name="avgpool"), Flatten(name="flatten")),
            )
        )
    return fixes


def _head_fixes(network: Network, out: Shape | None) -> list[Fix]:
    """End a network that does not give its class scores with the ResNet head."""
    end = len(network.body)
    if out is not None and len(out) == 3:
        head = (GlobalAvgPool(name="avgpool"), Flatten(name="flatten"), Linear(name="fc"))
        return [
            InsertNodes(
                for_node="",
                text=QT_TRANSLATE_NOOP("fixes", "Append GlobalAvgPool, Flatten, Linear"),
                detail=QT_TRANSLATE_NOOP("fixes", "the ResNet head: one score per class"),
                parent_id=None,
                index=end,
                nodes=head,
            )
        ]
    if out is None or len(out) != 1:
        return []
    last = network.body[-1] if network.body else None
    if isinstance(last, Linear) and last.out_features is not None:
        return [
            SetField(
                for_node="",
                text=QT_TRANSLATE_NOOP("fixes", "Give {0} one output per class"),
                args=(last.name, f"{network.classes:,}"),
                detail=QT_TRANSLATE_NOOP(
                    "fixes", "{0} gets {1} outputs, as many as the network has classes"
                ),
                node_id=last.id,
                field="out_features",
                value=None,
            )
        ]
    return [
        InsertNodes(
            for_node="",
            text=QT_TRANSLATE_NOOP("fixes", "Append a Linear layer"),
            detail=QT_TRANSLATE_NOOP("fixes", "one output per class"),
            parent_id=None,
            index=end,
            nodes=(Linear(name="fc"),),
        )
    ]
