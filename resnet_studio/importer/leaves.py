"""What each operation becomes on its own: a layer of the spec, nothing, a part of a
residual (an addition, a shortcut's subsample or padding), or a reason it cannot be
expressed. One look per operation, so every operation that cannot be expressed is
found, not only the first.

Torch modules are matched by exact class (a subclass may change ``forward``), and
every setting that changes the output in eval mode must equal what the spec
builds (BatchNorm's ``eps``, pooling's ``ceil_mode`` …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from torch import nn

from resnet_studio.arch import spec as s
from resnet_studio.importer.ir import CONSTANT, INPUT, MODULE, Graph, Op

ADD = "add"  # an addition of two tensors: the join of a residual block
SHORTCUT_PART = "shortcut part"  # subsample or pad: only inside a zero-padded shortcut

# Operations that change nothing in eval mode.
NO_OPS = frozenset({"contiguous", "clone", "detach"})
# Where the new kinds of issue 15 will take these; until then they cannot be expressed.
COMING_KINDS = {
    "ReLU6": "ReLU6",
    "SiLU": "SiLU",
    "GELU": "GELU",
    "relu6": "ReLU6",
    "silu": "SiLU",
    "gelu": "GELU",
    "hardtanh": "ReLU6",
}


@dataclass(frozen=True)
class Mapped:
    """The layers an operation becomes (none for a no-op), as spec nodes named later."""

    nodes: tuple[s.Node, ...]
    note: str | None = None  # a difference that does not change eval outputs


@dataclass(frozen=True)
class Part:
    """An operation whose meaning depends on where it is: ``role`` is ADD or SHORTCUT_PART."""

    role: str


@dataclass(frozen=True)
class Problem:
    """Why an operation cannot be expressed."""

    reason: str


Classified = Mapped | Part | Problem


def _pair(value: Any, what: str) -> int:
    """One number from a square pair (``(3, 3)`` → 3); ValueError names a non-square one."""
    if isinstance(value, int):
        return value
    values = tuple(value)
    if len(set(values)) != 1:
        raise ValueError(f"{what} {'×'.join(map(str, values))} is not square; the designer's are")
    return int(values[0])


def _node(kind: type[s.Node], **fields: Any) -> Mapped:
    """A spec node of ``kind`` (its name is set when placed); its ranges checked now."""
    return Mapped((kind(name="layer", **fields),))


def _conv(m: nn.Conv2d, x: tuple[int, ...]) -> Classified:
    if m.padding_mode != "zeros":
        return Problem(f"padding_mode {m.padding_mode!r}: the designer pads with zeros only")
    kernel = _pair(m.kernel_size, "kernel")
    dilation = _pair(m.dilation, "dilation")
    padding = m.padding
    if padding == "valid":
        padding = 0
    elif padding == "same":
        total = dilation * (kernel - 1)
        if total % 2:
            return Problem("padding 'same' with an even kernel pads one side more")
        padding = total // 2
    return _node(
        s.Conv2d,
        out_channels=m.out_channels,
        kernel=kernel,
        stride=_pair(m.stride, "stride"),
        padding=_pair(padding, "padding"),
        dilation=dilation,
        groups=m.groups,
        bias=m.bias is not None,
    )


def _batchnorm(m: nn.BatchNorm2d, x: tuple[int, ...]) -> Classified:
    if not m.affine or not m.track_running_stats:
        return Problem("BatchNorm without learned scale or running statistics")
    if m.eps != 1e-5:
        return Problem(f"eps {m.eps:g}; the designer's BatchNorm uses PyTorch's default 1e-05")
    note = None
    if m.momentum != 0.1:
        note = f"momentum {m.momentum} becomes 0.1 (changes training only)"
    return Mapped((s.BatchNorm2d(name="layer"),), note)


def _pool(kind: type[s.Node], kernel, stride, padding, ceil_mode: bool, **rest: Any):
    if ceil_mode:
        return Problem("ceil_mode=True: the designer's pools round down (ceil_mode comes later)")
    for what, value, default in rest.values():
        if value != default:
            return Problem(f"{what}={value!r}; the designer's pool has {default!r}")
    kernel = _pair(kernel, "kernel")
    stride = kernel if stride is None or stride == [] or stride == () else _pair(stride, "stride")
    return _node(kind, kernel=kernel, stride=stride, padding=_pair(padding, "padding"))


def _adaptive(output_size: Any) -> Classified:
    sizes = (output_size,) if isinstance(output_size, int) else tuple(output_size)
    if all(v == 1 for v in sizes):
        return _node(s.GlobalAvgPool)
    shown = "×".join(str(v) for v in sizes)
    return Problem(
        f"adaptive average pooling to {shown}: only to 1×1 (GlobalAvgPool) is a kind yet"
    )


def _flatten(x: tuple[int, ...], out: tuple[int, ...] | None) -> Classified:
    features = 1
    for v in x[1:]:
        features *= v
    if out == (x[0], features) and len(x) > 2:
        return _node(s.Flatten)
    if out == x:
        return Mapped(())
    return Problem(f"reshapes {_shape(x)} to {_shape(out)}; only flattening each image is a kind")


def _shape(shape: tuple[int, ...] | None) -> str:
    return "?" if shape is None else "×".join(str(v) for v in shape[1:]) or "scalar"


def _module(op: Op, x: tuple[int, ...]) -> Classified:
    m = op.module
    cls = type(m)
    if cls is nn.Conv2d:
        return _conv(m, x)
    if cls is nn.BatchNorm2d:
        return _batchnorm(m, x)
    if cls is nn.ReLU:
        return _node(s.ReLU)
    if cls is nn.LeakyReLU:
        return _node(s.LeakyReLU, negative_slope=float(m.negative_slope))
    if cls is nn.MaxPool2d:
        return _pool(
            s.MaxPool2d,
            m.kernel_size,
            m.stride,
            m.padding,
            m.ceil_mode,
            dilation=("dilation", m.dilation, 1),
            indices=("return_indices", m.return_indices, False),
        )
    if cls is nn.AvgPool2d:
        return _pool(
            s.AvgPool2d,
            m.kernel_size,
            m.stride,
            m.padding,
            m.ceil_mode,
            count=("count_include_pad", m.count_include_pad, True),
            divisor=("divisor_override", m.divisor_override, None),
        )
    if cls is nn.AdaptiveAvgPool2d:
        return _adaptive(m.output_size)
    if cls is nn.Flatten:
        return _flatten(x, op.shape)
    if cls is nn.Linear:
        if len(x) != 2:
            return Problem(f"Linear on {_shape(x)}: the designer's Linear takes flat features")
        return _node(s.Linear, out_features=m.out_features, bias=m.bias is not None)
    if cls is nn.Dropout:
        return _node(s.Dropout, p=float(m.p))
    if cls is nn.Identity:
        return _node(s.Identity)
    if cls.__name__ in COMING_KINDS:
        return Problem(f"{cls.__name__} has no kind in the designer yet")
    return Problem(f"{op.label} has no kind in the designer")


def _bind(op: Op, names: tuple[str, ...], defaults: dict[str, Any]) -> dict[str, Any]:
    """An op's arguments by name (the first, the tensor, is ``input``)."""
    bound = dict(defaults)
    bound.update(zip(names, op.args, strict=False))
    bound.update(op.kwargs)
    return bound


def _function(op: Op, x: tuple[int, ...], graph: Graph) -> Classified:
    t = op.target
    data = [i for i in op.inputs if graph.ops[i].kind != CONSTANT]
    if len(data) != len(op.inputs):
        held = ", ".join(graph.ops[i].name for i in op.inputs if graph.ops[i].kind == CONSTANT)
        return Problem(f"{op.label} on a tensor the model holds ({held}); use a layer module")
    if t == "add":
        alpha = _bind(op, ("input", "other"), {"alpha": 1})["alpha"]
        if len(op.inputs) < 2:
            return Problem("adds a constant to a tensor")
        if alpha != 1:
            return Problem(f"adds with alpha={alpha!r}")
        return Part(ADD)
    if t in ("relu", "relu_"):
        return _node(s.ReLU)
    if t == "leaky_relu":
        slope = _bind(op, ("input", "negative_slope"), {"negative_slope": 0.01})["negative_slope"]
        return _node(s.LeakyReLU, negative_slope=float(slope))
    if t in ("flatten", "view", "reshape"):
        return _flatten(x, op.shape)
    if t in NO_OPS:
        return Mapped(())
    if t == "adaptive_avg_pool2d":
        return _adaptive(_bind(op, ("input", "output_size"), {})["output_size"])
    if t == "avg_pool2d":
        a = _bind(
            op,
            ("input", "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"),
            {"stride": None, "padding": 0, "ceil_mode": False, "count_include_pad": True},
        )
        return _pool(
            s.AvgPool2d,
            a["kernel_size"],
            a["stride"],
            a["padding"],
            a["ceil_mode"],
            count=("count_include_pad", a["count_include_pad"], True),
            divisor=("divisor_override", a.get("divisor_override"), None),
        )
    if t == "max_pool2d":
        a = _bind(
            op,
            ("input", "kernel_size", "stride", "padding", "dilation", "ceil_mode"),
            {"stride": None, "padding": 0, "dilation": 1, "ceil_mode": False},
        )
        return _pool(
            s.MaxPool2d,
            a["kernel_size"],
            a["stride"],
            a["padding"],
            a["ceil_mode"],
            dilation=("dilation", a["dilation"], 1),
            indices=("return_indices", a.get("return_indices", False), False),
        )
    if t == "mean":
        a = _bind(op, ("input", "dim", "keepdim"), {"dim": None, "keepdim": False})
        dims = a["dim"] if isinstance(a["dim"], list | tuple) else (a["dim"],)
        if len(x) == 4 and {d % 4 for d in dims if isinstance(d, int)} == {2, 3}:
            if a["keepdim"]:
                return _node(s.GlobalAvgPool)
            return Mapped((s.GlobalAvgPool(name="layer"), s.Flatten(name="layer")))
        return Problem(f"mean over dimensions {a['dim']!r}; only over height and width is a kind")
    if t == "dropout":
        a = _bind(op, ("input", "p", "training"), {"p": 0.5, "training": True})
        if a["training"]:
            return Problem("dropout that also drops in eval mode (training=True)")
        return _node(s.Dropout, p=float(a["p"]))
    if t in ("pad", "getitem"):
        return Part(SHORTCUT_PART)
    if t == "cat":
        return Problem("concatenates tensors; the designer joins branches only by addition")
    if t == "mul" and len(op.inputs) == 2:
        return Problem("multiplies two tensors; the designer joins branches only by addition")
    if t in COMING_KINDS:
        return Problem(f"{op.label} ({COMING_KINDS[t]}) has no kind in the designer yet")
    return Problem(f"{op.label} has no kind in the designer")


def classify(op: Op, graph: Graph) -> Classified:
    """What ``op`` is on its own. Ranges the spec refuses are problems too."""
    if op.kind in (INPUT, CONSTANT):
        return Mapped(())  # a constant's use is judged where it is used
    if op.shape is None:
        return Problem(f"{op.label} gives several tensors; the designer's layers give one")
    x = graph.ops[op.inputs[0]].shape if op.inputs else None
    if x is None:
        return Problem(f"{op.label} does not take the network's tensors")
    try:
        if op.kind == MODULE:
            return _module(op, x)
        return _function(op, x, graph)
    except s.SpecError as err:
        return Problem(f"{err.where}: {err.message}")
    except (ValueError, TypeError) as err:
        return Problem(str(err))
