"""The torch.fx frontend: trace a module symbolically, run the trace once on the
example input to learn every tensor's shape, and describe it as an IR :class:`Graph`.

``symbolic_trace`` inlines every module's ``forward`` except torch's own layers
(``nn.Conv2d`` stays one call), and records the stack of modules each operation
ran in (``nn_module_stack``), which names the residual blocks. The one run is in
eval mode without gradients; its output is kept as the reference the exactness
check compares with, so the source model runs only once.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import fx, nn

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.importer.errors import SourceError
from resnet_studio.importer.ir import CONSTANT, FUNCTION, INPUT, MODULE, Graph, Op, Ref, refs_in

# ``x += y`` and friends trace as the in-place operators; they compute the same.
_OPERATOR_NAMES = {"iadd": "add", "isub": "sub", "imul": "mul", "itruediv": "truediv"}


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0].strip() if text else type(err).__name__


class _Recorder(fx.Interpreter):
    """Runs the trace, keeping each node's shape (tensors) or value (everything else),
    not the tensors themselves: those are freed after their last use as usual."""

    def __init__(self, module: fx.GraphModule) -> None:
        super().__init__(module)
        self.shapes: dict[fx.Node, tuple[int, ...] | None] = {}
        self.values: dict[fx.Node, Any] = {}

    def run_node(self, n: fx.Node) -> Any:
        result = super().run_node(n)
        if isinstance(result, torch.Tensor):
            self.shapes[n] = tuple(result.shape)
        elif _holds_tensor(result):
            self.shapes[n] = None  # several tensors (chunk, split): an op without one shape
        else:
            self.values[n] = result
        return result


def _holds_tensor(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(_holds_tensor(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_tensor(v) for v in value.values())
    return isinstance(value, torch.Tensor)


def _class_label(cls: type) -> str:
    if cls.__module__.startswith("torch.nn"):
        return f"nn.{cls.__name__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def _function_names(node: fx.Node) -> tuple[str, str]:
    """(canonical target, label) of a call_function or call_method node."""
    if node.op == "call_method":
        return str(node.target).strip("_"), f"Tensor.{node.target}"
    fn = node.target
    name = getattr(fn, "__name__", str(fn))
    module = getattr(fn, "__module__", None) or ""
    if module in ("_operator", "operator"):
        return _OPERATOR_NAMES.get(name, name), f"operator.{name}"
    if module in ("torch.nn.functional", "torch._C._nn"):
        label = f"F.{name.strip('_')}"
    elif not module or module == "torch" or module.startswith("torch."):
        label = f"torch.{name}"
    else:
        label = f"{module}.{name}"
    return name.strip("_"), label


def _scope(node: fx.Node) -> tuple[str, str | None]:
    """(qualified name of the module whose forward ran ``node``, the stack key of the
    module ``node`` calls itself or None)."""
    stack = list(node.meta.get("nn_module_stack", {}).items())
    own = None
    if node.op == "call_module" and stack:
        own = stack.pop()[0]
    return (stack[-1][1][0] if stack else ""), own


def trace(module: nn.Module, example: torch.Tensor) -> tuple[Graph, torch.Tensor | None]:
    """The IR graph of ``module`` on ``example`` and the output it gave (the reference).

    The module runs in eval mode; its own training flags are restored afterwards.
    :class:`SourceError` when it cannot be traced or run.
    """
    modes = [(m, m.training) for m in module.modules()]
    module.eval()
    try:
        try:
            traced = fx.symbolic_trace(module)
        except Exception as err:  # noqa: BLE001 - user code can fail any way while traced
            raise SourceError(
                Message(
                    "import.source.untraceable",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "cannot trace the model with torch.fx ({error}: {detail}); "
                        "data-dependent control flow in forward() cannot be traced",
                    ),
                    error=type(err).__name__,
                    detail=_first_line(err),
                )
            ) from None
        recorder = _Recorder(traced)
        try:
            with torch.no_grad():
                output = recorder.run(example)
        except Exception as err:  # noqa: BLE001
            raise SourceError(
                Message(
                    "import.source.fails",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "the model fails on an input of shape {shape} ({error}: {detail})",
                    ),
                    shape=str(tuple(example.shape)),
                    error=type(err).__name__,
                    detail=_first_line(err),
                )
            ) from None
    finally:
        for m, mode in modes:
            m.training = mode
    graph = _graph(module, traced.graph, recorder)
    return graph, output if isinstance(output, torch.Tensor) else None


def _graph(root: nn.Module, fx_graph: fx.Graph, recorder: _Recorder) -> Graph:
    ops: list[Op] = []
    index: dict[fx.Node, int] = {}
    output: int | None = None
    output_problem = None

    def argument(value: Any) -> Any:
        if isinstance(value, fx.Node):
            return Ref(index[value]) if value in index else recorder.values.get(value)
        return value

    for node in fx_graph.nodes:
        if node.op == "output":
            result = node.args[0]
            if isinstance(result, fx.Node) and result in index and ops[index[result]].shape:
                output = index[result]
            else:
                output_problem = Message(
                    "import.output_not_tensor",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "the model returns {type}, not one tensor; a network in the designer"
                        " has one output",
                    ),
                    type=type(_value(result, recorder)).__name__,
                )
            continue
        if node not in recorder.shapes:
            continue  # a plain value (a size, an attribute): a constant where it is used
        args = fx.node.map_aggregate(node.args, argument)
        kwargs = fx.node.map_aggregate(dict(node.kwargs), argument)
        inputs = tuple(r.op for r in refs_in((args, kwargs)))
        shape = recorder.shapes[node]
        scope, own = _scope(node)
        number = len(ops)
        if node.op == "placeholder":
            if any(op.kind == INPUT for op in ops):
                raise SourceError(
                    Message(
                        "import.source.inputs",
                        QT_TRANSLATE_NOOP(
                            "messages",
                            "the model takes more than one tensor input; import needs one",
                        ),
                    )
                )
            op = Op(number, INPUT, "input", "input", "input", "", (), shape=shape)
        elif node.op == "get_attr":
            op = Op(number, CONSTANT, str(node.target), "tensor", "tensor", scope, (), shape=shape)
        elif node.op == "call_module":
            qualname = str(node.target)
            sub = root.get_submodule(qualname)
            op = Op(
                number,
                MODULE,
                own or qualname,
                type(sub).__name__,
                _class_label(type(sub)),
                scope,
                inputs,
                args,
                kwargs,
                shape,
                sub,
                qualname,
            )
        else:
            target, label = _function_names(node)
            # Named inside the module that ran it, as a user would look for it.
            name = f"{scope}.{node.name}" if scope else node.name
            op = Op(number, FUNCTION, name, target, label, scope, inputs, args, kwargs, shape)
        index[node] = number
        ops.append(op)
    return Graph(ops, output, output_problem)


def _value(result: Any, recorder: _Recorder) -> Any:
    if isinstance(result, fx.Node):
        return recorder.values.get(result, ())
    return result


def example_batch(input_shape: tuple[int, int, int], batch: int = 2, seed: int = 0):
    """A random batch of ``input_shape`` images, the same for every import (seeded)."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, *input_shape, generator=generator)
