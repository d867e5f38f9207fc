"""The TorchScript frontend: a scripted or traced module (``torch.jit.load`` of an
archive) described as the same IR :class:`~resnet_studio.importer.ir.Graph` the
torch.fx frontend makes, so the rest of the importer works unchanged.

The module's *inlined* graph is run once, node by node, on the example input
(eval mode, no gradients): that gives every tensor's shape, and the value of
every size or flag the graph computes, so control flow (``if self.training``)
takes the branch it takes in eval mode. Each node knows the module instances it
ran in (``getModuleHierarchy``): the nodes run inside one of torch's own layers
(``torch.nn.Conv2d`` …, matched by the archive's full class name) make one
module call, as torch.fx leaves them; everything else becomes a function op.

A traced module keeps no settings (``stride``, ``eps``) as attributes, so each
layer is rebuilt as the real ``torch.nn`` class from the arguments its own
operation ran with (``aten::_convolution``'s stride …), holding the archive's
tensors, and kept only if it gives the archive's output on the same input: the
classifier then reads it like any other module. The archive's own forward gives
the reference output; the graph run must agree with it, or the archive is
refused rather than misread.

Only TorchScript runs: ``torch.jit.load`` compiles TorchScript, never Python.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.importer.errors import SourceError
from resnet_studio.importer.ir import CONSTANT, FUNCTION, INPUT, MODULE, Graph, Op, Ref, refs_in

# ``name(Type)`` entries of a node's module hierarchy; SELF and UNKNOWN_INSTANCE
# stand for method and function calls, not modules.
_HIERARCHY_ENTRY = re.compile(r"([^.()]+)\(([^()]*)\)")
_NOT_MODULES = frozenset({"SELF", "UNKNOWN_INSTANCE"})
_CONTAINERS = frozenset(
    {"Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"}
)
# A slice end this large is "to the end" (traced graphs write ``::2`` so).
_TO_THE_END = 2**62
_PADDING_MODES = {"reflect": "reflect", "replicate": "replicate", "circular": "circular"}
_PAD_KINDS = {"reflection_pad2d": "reflect", "replication_pad2d": "replicate"}
# Operations that turn a tensor's values into a plain number or flag.
_READS_VALUES = frozenset({"Bool", "Int", "Float", "item", "ScalarImplicit", "is_nonzero"})
# Tolerance when a rebuilt layer is compared with the archive's own: the same kernels run.
_LAYER_TOLERANCE = 1e-5


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0].strip() if text else type(err).__name__


def torch_class(module: Any) -> tuple[type[nn.Module] | None, str]:
    """(the ``torch.nn`` class a script module was made from, or None for any other
    class; its class name). Matched by full name: a user's class named ``Conv2d`` is
    not torch's."""
    qualified = module._c._type().qualified_name()
    name = re.sub(r"___torch_mangle_\d+\.", "", qualified).removeprefix("__torch__.")
    short = name.rpartition(".")[2]
    cls = getattr(nn, short, None)
    if (
        isinstance(cls, type)
        and issubclass(cls, nn.Module)
        and f"{cls.__module__}.{cls.__qualname__}" == name
        and name.startswith("torch.nn.modules.")
    ):
        return cls, short
    return None, short


@dataclass
class _Ran:
    """One ATen operation run inside a layer call: its name and arguments by name."""

    name: str
    args: dict[str, Any]


@dataclass
class _LayerCall:
    """A call of one of torch's layers: its op, what it took and gave, what it ran."""

    op: Op
    module: Any  # the script module
    cls: type[nn.Module] | None
    class_name: str
    input: torch.Tensor | None
    output: torch.Tensor | None = None
    ran: list[_Ran] = field(default_factory=list)


# --- rebuilding a layer from the operations it ran -------------------------------------


def _find(ran: list[_Ran], *names: str) -> _Ran | None:
    return next((r for r in ran if r.name in names), None)


def _tuple(value: Any) -> Any:
    """A setting as the layer's constructor takes it: a list as a tuple, and a square one
    as one number, as it is usually written (``kernel_size=3``); an empty one is None
    (``stride=[]``: the default)."""
    if not isinstance(value, list | tuple):
        return value
    if not value:
        return None
    return value[0] if len(set(value)) == 1 else tuple(value)


def _conv_settings(ran: list[_Ran]) -> dict[str, Any] | None:
    conv = _find(ran, "conv2d", "_convolution", "convolution")
    if conv is None:
        return None
    a = conv.args
    weight = a["weight"]
    settings = {
        "in_channels": int(weight.shape[1]) * int(a["groups"]),
        "out_channels": int(weight.shape[0]),
        "kernel_size": tuple(weight.shape[2:]),
        "stride": _tuple(a["stride"]),
        "padding": _tuple(a["padding"]),
        "dilation": _tuple(a["dilation"]),
        "groups": int(a["groups"]),
        "bias": a.get("bias") is not None,
    }
    pad = _find(ran, "pad", *_PAD_KINDS)
    if pad is not None:  # a padding_mode other than zeros pads first, then convolves
        mode = _PAD_KINDS.get(pad.name) or _PADDING_MODES.get(pad.args.get("mode"))
        amounts = list(pad.args.get("pad") or pad.args.get("padding") or ())
        if mode is None or len(amounts) != 4:
            return None
        settings.update(padding_mode=mode, padding=(amounts[2], amounts[0]))
    return settings


def _batchnorm_settings(ran: list[_Ran]) -> dict[str, Any] | None:
    bn = _find(ran, "batch_norm")
    if bn is None:
        return None
    a = bn.args
    return {
        "num_features": int(a["input"].shape[1]),
        "eps": float(a["eps"]),
        "momentum": float(a["momentum"]),
        "affine": a["weight"] is not None,
        "track_running_stats": a["running_mean"] is not None,
    }


def _linear_settings(ran: list[_Ran]) -> dict[str, Any] | None:
    linear = _find(ran, "linear")
    if linear is None:
        return None
    weight = linear.args["weight"]
    return {
        "in_features": int(weight.shape[1]),
        "out_features": int(weight.shape[0]),
        "bias": linear.args.get("bias") is not None,
    }


def _from(op: str, names: dict[str, str]):
    """Settings copied from the arguments of operation ``op`` (ours ← its names)."""

    def settings(ran: list[_Ran]) -> dict[str, Any] | None:
        found = _find(ran, op)
        if found is None:
            return None
        return {ours: _tuple(found.args[theirs]) for ours, theirs in names.items()}

    return settings


_SETTINGS = {
    "Conv2d": _conv_settings,
    "BatchNorm2d": _batchnorm_settings,
    "Linear": _linear_settings,
    "LeakyReLU": _from("leaky_relu", {"negative_slope": "negative_slope"}),
    "GELU": _from("gelu", {"approximate": "approximate"}),
    "Hardtanh": _from("hardtanh", {"min_val": "min_val", "max_val": "max_val"}),
    "MaxPool2d": _from(
        "max_pool2d",
        {
            "kernel_size": "kernel_size",
            "stride": "stride",
            "padding": "padding",
            "dilation": "dilation",
            "ceil_mode": "ceil_mode",
        },
    ),
    "AvgPool2d": _from(
        "avg_pool2d",
        {
            "kernel_size": "kernel_size",
            "stride": "stride",
            "padding": "padding",
            "ceil_mode": "ceil_mode",
            "count_include_pad": "count_include_pad",
            "divisor_override": "divisor_override",
        },
    ),
    "AdaptiveAvgPool2d": _from("adaptive_avg_pool2d", {"output_size": "output_size"}),
    "Flatten": _from("flatten", {"start_dim": "start_dim", "end_dim": "end_dim"}),
    "Dropout": _from("dropout", {"p": "p"}),
}


class _Holder(nn.Module):
    """A module that only holds an archive module's tensors under the same names."""


def _holder(module: Any) -> nn.Module:
    """An ``nn.Module`` tree with ``module``'s parameters and buffers (the same tensors)."""
    held = _Holder()
    for name, value in module.named_parameters(recurse=False):
        held.register_parameter(name, nn.Parameter(value, requires_grad=value.requires_grad))
    for name, value in module.named_buffers(recurse=False):
        held.register_buffer(name, value)
    for name, child in module.named_children():
        held.add_module(name, _holder(child))
    return held


def _rebuilt(call: _LayerCall) -> nn.Module | None:
    """The real ``torch.nn`` layer the call ran, with the archive's tensors; None when it
    cannot be rebuilt so that it gives the archive's output."""
    if call.cls is None or call.input is None or call.output is None:
        return None
    make = _SETTINGS.get(call.class_name)
    settings = make(call.ran) if make is not None else {}
    if settings is None:
        return None
    try:
        with torch.device("meta"):
            layer = call.cls(**settings)
        layer.load_state_dict(call.module.state_dict(), strict=True, assign=True)
        layer.eval()
        with torch.no_grad():  # the first image tells, at half the cost
            output = layer(call.input[:1])
    except Exception:  # noqa: BLE001 - settings a class refuses: it is not what ran
        return None
    expected = call.output[:1]
    if not isinstance(output, torch.Tensor) or output.shape != expected.shape:
        return None
    # The same kernels run, so the outputs are mostly equal bit for bit (the quick test).
    if torch.equal(output, expected):
        return layer
    scale = max(1.0, float(expected.abs().max()))
    same = float((output - expected).abs().max()) <= _LAYER_TOLERANCE * scale
    return layer if same else None


# --- running the graph ------------------------------------------------------------------


def _python_op(name: str, args: list[Any]) -> tuple[bool, Any]:
    """(True, result) for the list and scalar operations torch.ops cannot take from Python."""
    if name == "len":
        return True, len(args[0])
    if name == "__getitem__":
        return True, args[0][args[1]]
    if name == "__is__":
        return True, args[0] is args[1]
    if name == "__isnot__":
        return True, args[0] is not args[1]
    if name == "__contains__":
        return True, args[1] in args[0]
    if name == "__not__":
        return True, not args[0]
    if name == "append":
        args[0].append(args[1])
        return True, args[0]
    if name == "list":
        return True, list(args[0])
    if name == "format":
        return True, str(args[0]).format(*args[1:])
    if name in ("warn", "_set_item"):
        return True, None
    if name == "dim" and isinstance(args[0], torch.Tensor):
        return True, args[0].dim()
    if name in ("Int", "Float", "Bool", "ScalarImplicit"):
        value = args[0].item() if isinstance(args[0], torch.Tensor) else args[0]
        return True, {"Int": int, "Float": float, "Bool": bool}.get(name, lambda v: v)(value)
    return False, None


def _prim(node: Any, name: str, args: list[Any]) -> Any:
    if name == "Constant":
        return node.output().toIValue() if node.outputsSize() == 1 else None
    if name == "GetAttr":
        return getattr(args[0], node.s("name"))
    if name == "ListConstruct":
        return list(args)
    if name == "TupleConstruct":
        return tuple(args)
    if name in ("ListUnpack", "TupleUnpack"):
        return tuple(args[0])
    if name == "TupleIndex":
        return args[0][args[1]]
    if name in ("unchecked_cast", "data"):
        return args[0]
    if name == "Uninitialized":
        return None
    if name == "NumToTensor":
        return torch.tensor(args[0])
    if name in ("min", "max"):
        values = args[0] if len(args) == 1 else args
        return min(values) if name == "min" else max(values)
    if name == "dtype":
        return args[0].dtype
    if name == "device":
        return args[0].device
    if name == "shape":
        return list(args[0].shape)
    if name == "RaiseException":
        raise SourceError(
            Message(
                "import-script-raises",
                QT_TRANSLATE_NOOP("messages", "the model raises an error on this input: {what}"),
                what=str(args[0])[:200],
            )
        )
    raise SourceError(_cannot_run(f"prim::{name}"))


def _cannot_run(kind: str) -> Message:
    return Message(
        "import-script-cannot-run",
        QT_TRANSLATE_NOOP("messages", "the TorchScript graph uses {kind}, which import cannot run"),
        kind=kind,
    )


def _schema(node: Any) -> Any:
    text = node.schema()
    return None if text == "(no schema)" else torch._C.parse_schema(text)


class _Reader:
    """Runs an inlined TorchScript graph node by node, making the IR ops as it goes.

    ``values`` holds what every graph value is on the example; ``refs`` the values
    that are (or hold) the network's tensors, as :class:`Ref` to the op that made them.
    """

    def __init__(self, root: Any) -> None:
        self.root = root
        self.values: dict[int, Any] = {}
        self.refs: dict[int, Any] = {}
        self.ops: list[Op] = []
        self.modules: dict[str, Any] = dict(root.named_modules())
        self.qualnames = {id(m): name for name, m in self.modules.items()}
        self.classes = {name: torch_class(m) for name, m in self.modules.items()}
        self.mirror = _holder(root)
        self.calls: Counter[str] = Counter()
        self.names: Counter[str] = Counter()
        self.layer: _LayerCall | None = None
        self.slices: dict[int, list[slice]] = {}  # getitem op → its index so far

    # values
    def value(self, v: Any) -> Any:
        return self.values[v.unique()]

    def assign(self, target: Any, value: Any, ref: Any = None) -> None:
        self.values[target.unique()] = value
        if ref is not None:
            self.refs[target.unique()] = ref

    def copy(self, target: Any, source: Any) -> None:
        self.assign(target, self.value(source), self.refs.get(source.unique()))

    def add_op(self, kind: str, name: str, target: str, label: str, scope: str, **kw) -> Op:
        op = Op(len(self.ops), kind, name, target, label, scope, **kw)
        self.ops.append(op)
        return op

    def unique_name(self, base: str) -> str:
        count = self.names[base]
        self.names[base] += 1
        return f"{base}_{count}" if count else base

    def place(self, node: Any) -> tuple[str, tuple[str, type[nn.Module], str] | None]:
        """(qualified name of the module whose code ran ``node``, and the torch layer it
        ran inside as (qualified name, class, class name), or None)."""
        path: list[str] = []
        for name, _type in _HIERARCHY_ENTRY.findall(node.getModuleHierarchy()):
            if name in _NOT_MODULES:
                continue
            qualname = ".".join([*path, name])
            if qualname not in self.classes:
                break
            path.append(name)
            cls, class_name = self.classes[qualname]
            if cls is not None and class_name not in _CONTAINERS:
                return ".".join(path[:-1]), (qualname, cls, class_name)
        return ".".join(path), None

    # running
    def run(self, graph: Any, example: torch.Tensor) -> tuple[Graph, torch.Tensor | None]:
        inputs = list(graph.inputs())
        if len(inputs) != 2:
            raise SourceError(
                Message(
                    "import-script-inputs",
                    QT_TRANSLATE_NOOP(
                        "messages", "the model takes {count} inputs; import needs one tensor"
                    ),
                    count=len(inputs) - 1,
                )
            )
        self.assign(inputs[0], self.root)
        op = self.add_op(
            INPUT, "input", "input", "input", "", inputs=(), shape=tuple(example.shape)
        )
        self.assign(inputs[1], example, Ref(op.index))
        self.block(graph.nodes())
        self.finish_layer()
        output = list(graph.outputs())[0]
        result, ref = self.value(output), self.refs.get(output.unique())
        if isinstance(result, torch.Tensor) and isinstance(ref, Ref):
            return Graph(self.ops, ref.op), result
        problem = (
            f"the model returns {type(result).__name__}, not one tensor; a network in the "
            "designer has one output"
        )
        return Graph(self.ops, None, problem), None

    def block(self, nodes: Any) -> None:
        for node in nodes:
            kind = node.kind()
            if kind == "prim::If":
                self.branch(node)
            elif kind == "prim::Loop":
                self.loop(node)
            else:
                self.node(node)

    def branch(self, node: Any) -> None:
        chosen = list(node.blocks())[0 if self.value(node.input()) else 1]
        self.block(chosen.nodes())
        for out, result in zip(node.outputs(), chosen.outputs(), strict=True):
            self.copy(out, result)

    def loop(self, node: Any) -> None:
        inputs = list(node.inputs())
        trips, going = self.value(inputs[0]), self.value(inputs[1])
        carried = inputs[2:]
        body = list(node.blocks())[0]
        body_in, body_out = list(body.inputs()), list(body.outputs())
        i = 0
        while going and i < trips:
            self.assign(body_in[0], i)
            for target, source in zip(body_in[1:], carried, strict=True):
                self.copy(target, source)
            self.block(body.nodes())
            going = self.value(body_out[0])
            carried = body_out[1:]
            i += 1
        for out, source in zip(node.outputs(), carried, strict=True):
            self.copy(out, source)

    def node(self, node: Any) -> None:
        namespace, _, name = node.kind().partition("::")
        args = [self.value(v) for v in node.inputs()]
        refs = [self.refs.get(v.unique()) for v in node.inputs()]
        outputs = list(node.outputs())
        if name in _READS_VALUES and refs_in(refs):
            # What follows would depend on this input's values: another input could run
            # other operations (torch.fx refuses such models for the same reason).
            raise SourceError(
                Message(
                    "import-script-data-dependent",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "the model reads the values of its tensors ({kind}, in {scope}) to "
                        "decide what to run; a network in the designer runs the same "
                        "layers for every input",
                    ),
                    kind=node.kind(),
                    scope=self.place(node)[0] or "forward",
                )
            )
        if namespace == "prim":
            self.prim(node, name, args, refs, outputs)
            return
        makes_op = bool(refs_in(refs)) and any(_tensor_type(out.type()) for out in outputs)
        taken = None
        if makes_op:
            scope, layer = self.place(node)
            if layer is None or not self.continues(layer[0], refs):
                # Before this node runs: its in-place op must not change what the call gave.
                self.finish_layer()
                if layer is not None:
                    taken = args[next(i for i, r in enumerate(refs) if r is not None)]
                    if isinstance(taken, torch.Tensor) and name.endswith("_"):
                        taken = taken.clone()  # ReLU(inplace=True) overwrites what it takes
        result = self.execute(node, namespace, name, args)
        if makes_op and _holds_tensor(result):
            if layer is not None:
                self.in_layer(node, layer, args, refs, result, taken)
            else:
                self.function(node, scope, name, args, refs, result)
        elif len(outputs) == 1:
            self.assign(outputs[0], result)
        else:
            for out, part in zip(outputs, result, strict=True):
                self.assign(out, part)

    def prim(self, node: Any, name: str, args: list[Any], refs: list[Any], outputs) -> None:
        if name == "GetAttr":
            self.get_attr(node, args[0])
            return
        result = _prim(node, name, args)
        if name in ("ListConstruct", "TupleConstruct"):
            held = any(r is not None for r in refs)
            self.assign(outputs[0], result, [*map(_or, refs, args)] if held else None)
        elif name in ("ListUnpack", "TupleUnpack"):
            inner = refs[0] if isinstance(refs[0], list | tuple) else [None] * len(result)
            for out, part, ref in zip(outputs, result, inner, strict=True):
                self.assign(out, part, ref if isinstance(ref, Ref) else None)
        elif name in ("unchecked_cast", "data"):
            self.copy(outputs[0], node.input())
        elif len(outputs) == 1:
            self.assign(outputs[0], result)

    def execute(self, node: Any, namespace: str, name: str, args: list[Any]) -> Any:
        done, result = _python_op(name, args)
        if done:
            return result
        schema = _schema(node)
        if schema is None:
            raise SourceError(_cannot_run(node.kind()))
        positional, keywords = _split(schema, args)
        try:
            packet = getattr(getattr(torch.ops, namespace), name)
            return getattr(packet, schema.overload_name or "default")(*positional, **keywords)
        except (AttributeError, RuntimeError, TypeError, ValueError) as err:
            raise SourceError(
                Message(
                    "import-script-op-failed",
                    QT_TRANSLATE_NOOP("messages", "running {kind} failed ({why})"),
                    kind=node.kind(),
                    why=_first_line(err),
                )
            ) from None

    def get_attr(self, node: Any, owner: Any) -> None:
        """A submodule, a setting, or a tensor the model holds (a constant op, unless it is
        a weight of one of torch's layers, which the layer's op carries)."""
        attribute = node.s("name")
        value = getattr(owner, attribute)
        owner_name = self.qualnames.get(id(owner))
        if isinstance(value, torch.Tensor) and owner_name is not None:
            _scope, layer = self.place(node)
            if layer is None:
                name = f"{owner_name}.{attribute}" if owner_name else attribute
                shape = tuple(value.shape)
                op = self.add_op(
                    CONSTANT, name, "tensor", "tensor", owner_name, inputs=(), shape=shape
                )
                self.assign(node.output(), value, Ref(op.index))
                return
        self.assign(node.output(), value)

    # torch's layers
    def in_layer(self, node, layer, args, refs, result, taken) -> None:
        """One operation run inside a torch layer: the start of a call, or its next step."""
        qualname, cls, class_name = layer
        inputs = refs_in(refs)
        call = self.layer
        if call is None:
            calls = self.calls[qualname]
            self.calls[qualname] += 1
            op = self.add_op(
                MODULE,
                f"{qualname}@{calls}" if calls else qualname,
                class_name,
                f"nn.{class_name}",
                qualname.rpartition(".")[0],
                inputs=(inputs[0].op,),
                args=(inputs[0],),
                qualname=qualname,
            )
            call = self.layer = _LayerCall(op, self.modules[qualname], cls, class_name, taken)
        schema = _schema(node)
        if schema is not None:
            named = dict(zip((a.name for a in schema.arguments), args, strict=False))
            call.ran.append(_Ran(node.kind().partition("::")[2].rstrip("_"), named))
        outputs = list(node.outputs())
        parts = [result] if len(outputs) == 1 else list(result)
        for out, part in zip(outputs, parts, strict=True):
            self.assign(out, part, Ref(call.op.index))
        if len(outputs) == 1 and isinstance(result, torch.Tensor):
            call.output = result
            call.op.shape = tuple(result.shape)
        else:
            call.output, call.op.shape = None, None

    def continues(self, qualname: str, refs: list[Any]) -> bool:
        """Whether an operation run in layer ``qualname`` on ``refs`` is the open call's
        next step (it takes what the call made so far) rather than a new call."""
        call = self.layer
        return (
            call is not None
            and call.op.qualname == qualname
            and any(r.op == call.op.index for r in refs_in(refs))
        )

    def finish_layer(self) -> None:
        """Rebuild the layer the open call ran (once per module) and drop its tensors."""
        call, self.layer = self.layer, None
        if call is None:
            return
        qualname = call.op.qualname
        parent, _, child = qualname.rpartition(".")
        holder = self.mirror.get_submodule(parent) if parent else self.mirror
        existing = getattr(holder, child)
        if not isinstance(existing, _Holder):
            call.op.module = existing  # rebuilt at an earlier call
            return
        layer = _rebuilt(call)
        if layer is None:
            call.op.module = existing
            call.op.label = f"nn.{call.class_name} (settings not readable from the archive)"
        else:
            holder.add_module(child, layer)
            call.op.module = layer

    # everything else
    def function(self, node, scope: str, name: str, args, refs, result) -> None:
        target = name.strip("_")
        if target == "slice":
            self.slice(node, scope, args, refs, result)
            return
        values = [*map(_or, refs, args)]
        schema = _schema(node)
        positional, keywords = _split(schema, values) if schema else (values, {})
        if target == "constant_pad_nd":  # F.pad with zeros, as traced
            value = positional[2] if len(positional) > 2 else 0
            target, positional, keywords = "pad", [*positional[:2], "constant", value], {}
        outputs = list(node.outputs())
        op = self.add_op(
            FUNCTION,
            self.unique_name(f"{scope}.{target}" if scope else target),
            target,
            node.kind(),
            scope,
            inputs=tuple(r.op for r in refs_in(values)),
            args=tuple(positional),
            kwargs=keywords,
            shape=tuple(result.shape)
            if len(outputs) == 1 and isinstance(result, torch.Tensor)
            else None,
        )
        parts = [result] if len(outputs) == 1 else list(result)
        for out, part in zip(outputs, parts, strict=True):
            self.assign(out, part, Ref(op.index))

    def slice(self, node, scope: str, args, refs, result) -> None:
        """``x[:, :, ::2, ::2]`` runs as one ``aten::slice`` per dimension: one getitem op,
        as torch.fx records it."""
        source = refs[0]
        tensor, dim, start, end, step = (list(args) + [None] * 5)[:5]
        dim = dim % tensor.dim()
        part = slice(
            None if start in (None, 0) else start,
            None if end is None or end >= _TO_THE_END else end,
            None if step in (None, 1) else step,
        )
        if source.op in self.slices and len(list(node.inputs())[0].uses()) == 1:
            earlier = self.ops[source.op]
            index = self.slices[source.op]
            index[dim] = part
            earlier.args = (earlier.args[0], tuple(index))
            earlier.shape = tuple(result.shape)
            self.assign(node.output(), result, Ref(earlier.index))
            return
        index = [slice(None)] * tensor.dim()
        index[dim] = part
        op = self.add_op(
            FUNCTION,
            self.unique_name(f"{scope}.getitem" if scope else "getitem"),
            "getitem",
            "aten::slice",
            scope,
            inputs=(source.op,),
            args=(source, tuple(index)),
            shape=tuple(result.shape),
        )
        self.slices[op.index] = index
        self.assign(node.output(), result, Ref(op.index))


def _or(ref: Any, value: Any) -> Any:
    return value if ref is None else ref


def _split(schema: Any, values: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    """Arguments as torch.ops takes them: keyword-only ones (``alpha``) by name."""
    positional, keywords = [], {}
    for argument, value in zip(schema.arguments, values, strict=False):
        if argument.kwarg_only:
            keywords[argument.name] = value
        else:
            positional.append(value)
    return positional, keywords


def _tensor_type(kind: Any) -> bool:
    """Whether a graph value of type ``kind`` is a tensor or holds tensors."""
    if isinstance(kind, torch.TensorType):
        return True
    return any(_tensor_type(inner) for inner in kind.containedTypes())


def _holds_tensor(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(_holds_tensor(v) for v in value)
    return isinstance(value, torch.Tensor)


@dataclass
class ScriptRead:
    """What the frontend read: the IR graph, the archive's own output on the example
    (the reference), and an ``nn.Module`` tree with the archive's tensors under the same
    names, torch's layers among them rebuilt as their real classes (the ops' modules)."""

    graph: Graph
    reference: torch.Tensor | None
    module: nn.Module


def read_script(script: Any, example: torch.Tensor) -> ScriptRead:
    """Read a loaded TorchScript module on ``example`` (its training flags are left in
    eval mode: it is the importer's own copy). :class:`SourceError` when it cannot run."""
    script.eval()
    try:
        with torch.no_grad():
            reference = script(example)
    except Exception as err:  # noqa: BLE001 - the archive's code can fail any way
        raise SourceError(
            Message(
                "import-fails-on-input",
                QT_TRANSLATE_NOOP(
                    "messages", "the model fails on an input of shape {shape} ({why})"
                ),
                shape="×".join(map(str, example.shape)),
                why=_first_line(err),
            )
        ) from None
    reader = _Reader(script)
    with torch.no_grad():
        graph, output = reader.run(script.inlined_graph, example)
    if isinstance(reference, torch.Tensor) and (
        output is None
        or output.shape != reference.shape
        or not torch.allclose(output, reference, rtol=1e-4, atol=1e-5)
    ):
        raise SourceError(
            Message(
                "import-script-not-followed",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "the TorchScript graph, run step by step, does not give the model's own "
                    "output; it cannot be imported",
                ),
            )
        )
    return ScriptRead(
        graph, reference if isinstance(reference, torch.Tensor) else None, reader.mirror
    )
