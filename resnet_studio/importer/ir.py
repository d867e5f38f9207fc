"""The importer's intermediate graph: the operations a network runs, in order.

A frontend (:mod:`resnet_studio.importer.fx_frontend` for ``torch.fx``,
:mod:`resnet_studio.importer.script_frontend` for TorchScript) turns a model into a
:class:`Graph`; the mapping to a spec reads only this, never the frontend's own
objects. Torch-free: an op holds its module as an opaque object.

Only operations on tensors are ops. Bookkeeping that yields plain values
(``x.size(0)``, ``x.shape``) is evaluated by the frontend and appears as
constants in the arguments of the ops that use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

INPUT = "input"  # the network's input tensor
MODULE = "module"  # a call of a leaf module (nn.Conv2d …): ``module`` holds it
FUNCTION = "function"  # a function or tensor method (add, relu, flatten, pad, cat …)
CONSTANT = "constant"  # a tensor held by the model and used directly (``self.weight``)


class Ref(NamedTuple):
    """In an op's ``args``/``kwargs``: the tensor made by op number ``op``."""

    op: int


def refs_in(value: Any) -> list[Ref]:
    """Every :class:`Ref` inside nested arguments (lists, tuples, dicts), in order."""
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, list | tuple):
        return [r for v in value for r in refs_in(v)]
    if isinstance(value, dict):
        return [r for v in value.values() for r in refs_in(v)]
    return []


@dataclass(eq=False)
class Op:
    """One operation.

    ``name`` is unique in the graph: a module call's qualified name
    (``layer1.0.conv1``; a second call of the same module gets ``@1``), else the
    frontend's node name. ``target`` is the module's class name (``Conv2d``) or the
    function's canonical name: lower case, no leading underscore or in-place
    suffix (``add`` for ``operator.add``, ``torch.add``, ``Tensor.add_``).
    ``label`` is how a user would write it (``torch.cat``, ``Tensor.view``,
    ``nn.ReLU6``). ``scope`` is the qualified name of the module whose
    ``forward`` ran it ("" at the top). ``shape`` is the output's shape with
    the batch dimension, None when the output is not one tensor.
    """

    index: int
    kind: str
    name: str
    target: str
    label: str
    scope: str
    inputs: tuple[int, ...]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    shape: tuple[int, ...] | None = None
    module: Any = None
    qualname: str | None = None  # a module call's module, without the ``@1`` of repeated calls


@dataclass
class Graph:
    """Ops in an order where every op comes after its inputs; ``output`` is the op whose
    tensor the model returns (None when it returns something else: ``output_problem``)."""

    ops: list[Op]
    output: int | None
    output_problem: str | None = None
    users: list[list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.users = [[] for _ in self.ops]
        for op in self.ops:
            for i in dict.fromkeys(op.inputs):  # an op using a tensor twice is one user
                self.users[i].append(op.index)

    def live(self) -> list[bool]:
        """Whether each op's result reaches the output (one backward pass)."""
        alive = [False] * len(self.ops)
        if self.output is None:
            return alive
        alive[self.output] = True
        for op in reversed(self.ops):
            if alive[op.index]:
                for i in op.inputs:
                    alive[i] = True
        return alive
