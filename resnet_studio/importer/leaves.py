"""What each operation becomes on its own: a layer of the spec, nothing, a part of a
residual (an addition, a shortcut's subsample or padding), or a reason it cannot be
expressed. One look per operation, so every operation that cannot be expressed is
found, not only the first.

Torch modules are matched by exact class (a subclass may change ``forward``), and
every setting that changes the output in eval mode must equal what the spec
builds (BatchNorm's ``eps``, pooling's ``ceil_mode`` …).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from torch import nn

from resnet_studio.arch import spec as s
from resnet_studio.arch.messages import Message, located, message_of
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.importer.ir import CONSTANT, INPUT, MODULE, Graph, Op

ADD = "add"  # an addition of two tensors: the join of a residual block
SHORTCUT_PART = "shortcut part"  # subsample or pad: only inside a zero-padded shortcut

# Operations that change nothing in eval mode.
NO_OPS = frozenset({"contiguous", "clone", "detach"})


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
        raise ValueError(
            Message(
                "import.not_square",
                QT_TRANSLATE_NOOP("messages", "{what} {size} is not square; the designer's are"),
                what=what,
                size="×".join(map(str, values)),
            )
        )
    return int(values[0])


def _node(kind: type[s.Node], **fields: Any) -> Mapped:
    """A spec node of ``kind`` (its name is set when placed); its ranges checked now."""
    return Mapped((kind(name="layer", **fields),))


def _no_kind(label: str) -> Problem:
    return Problem(
        Message(
            "import.no_kind",
            QT_TRANSLATE_NOOP("messages", "{op} has no kind in the designer"),
            op=label,
        )
    )


def _conv(m: nn.Conv2d, x: tuple[int, ...]) -> Classified:
    if m.padding_mode != "zeros":
        return Problem(
            Message(
                "import.conv.padding_mode",
                QT_TRANSLATE_NOOP(
                    "messages", "padding_mode {mode}: the designer pads with zeros only"
                ),
                mode=repr(m.padding_mode),
            )
        )
    kernel = _pair(m.kernel_size, "kernel")
    dilation = _pair(m.dilation, "dilation")
    padding = m.padding
    if padding == "valid":
        padding = 0
    elif padding == "same":
        total = dilation * (kernel - 1)
        if total % 2:
            return Problem(
                Message(
                    "import.conv.same_even",
                    QT_TRANSLATE_NOOP(
                        "messages", "padding 'same' with an even kernel pads one side more"
                    ),
                )
            )
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
        return Problem(
            Message(
                "import.bn.not_affine",
                QT_TRANSLATE_NOOP(
                    "messages", "BatchNorm without learned scale or running statistics"
                ),
            )
        )
    if m.eps != 1e-5:
        return Problem(
            Message(
                "import.bn.eps",
                QT_TRANSLATE_NOOP(
                    "messages", "eps {eps}; the designer's BatchNorm uses PyTorch's default 1e-05"
                ),
                eps=f"{m.eps:g}",
            )
        )
    note = None
    if m.momentum != 0.1:
        note = Message(
            "import.bn.momentum",
            QT_TRANSLATE_NOOP(
                "messages", "momentum {momentum} becomes 0.1 (changes training only)"
            ),
            momentum=str(m.momentum),
        )
    return Mapped((s.BatchNorm2d(name="layer"),), note)


def _pool(kind: type[s.Node], kernel, stride, padding, ceil_mode, **rest: Any) -> Classified:
    """A windowed pool; ``rest`` holds (argument, value, the one value the spec builds)
    for settings it has no field for, and the fields it has (``count_include_pad``)."""
    fields = {}
    for what, value, default in rest.values():
        if what in {f.name for f in dataclasses.fields(kind)}:
            fields[what] = bool(value)
        elif value != default:
            return Problem(
                Message(
                    "import.pool.setting",
                    QT_TRANSLATE_NOOP(
                        "messages", "{setting}={value}; the designer's pool has {default}"
                    ),
                    setting=what,
                    value=repr(value),
                    default=repr(default),
                )
            )
    kernel = _pair(kernel, "kernel")
    stride = kernel if stride is None or stride == [] or stride == () else _pair(stride, "stride")
    return _node(
        kind,
        kernel=kernel,
        stride=stride,
        padding=_pair(padding, "padding"),
        ceil_mode=bool(ceil_mode),
        **fields,
    )


def _adaptive(output_size: Any) -> Classified:
    """A square grid: GlobalAvgPool for 1×1 (the kind our presets use, so an imported
    ResNet reads as the preset does; it builds the same module), else AdaptiveAvgPool2d."""
    sizes = (output_size,) if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) == 1:
        sizes *= 2
    if len(sizes) == 2 and sizes[0] == sizes[1] and isinstance(sizes[0], int):
        if sizes[0] == 1:
            return _node(s.GlobalAvgPool)
        return _node(s.AdaptiveAvgPool2d, output_size=sizes[0])
    return Problem(
        Message(
            "import.adaptive_pool.not_square",
            QT_TRANSLATE_NOOP(
                "messages",
                "adaptive average pooling to {size}: the designer's pools to a square grid",
            ),
            size="×".join(map(str, sizes)),
        )
    )


def _gelu(approximate: Any) -> Classified:
    return _node(s.GELU, approximate=str(approximate))


def _hardtanh(low: Any, high: Any, label: str) -> Classified:
    """``hardtanh(x, 0, 6)`` is ReLU6; other limits have no kind."""
    if (float(low), float(high)) == (0.0, 6.0):
        return _node(s.ReLU6)
    return Problem(
        Message(
            "import.hardtanh",
            QT_TRANSLATE_NOOP(
                "messages", "{op} clamps to [{low}, {high}]; only [0, 6] (ReLU6) is a kind"
            ),
            op=label,
            low=f"{float(low):g}",
            high=f"{float(high):g}",
        )
    )


def _flatten(x: tuple[int, ...], out: tuple[int, ...] | None) -> Classified:
    features = 1
    for v in x[1:]:
        features *= v
    if out == (x[0], features) and len(x) > 2:
        return _node(s.Flatten)
    if out == x:
        return Mapped(())
    return Problem(
        Message(
            "import.reshape",
            QT_TRANSLATE_NOOP(
                "messages", "reshapes {before} to {after}; only flattening each image is a kind"
            ),
            before=_shape(x),
            after=_shape(out),
        )
    )


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
    if cls is nn.ReLU6:
        return _node(s.ReLU6)
    if cls is nn.Hardtanh:
        return _hardtanh(m.min_val, m.max_val, op.label)
    if cls is nn.SiLU:
        return _node(s.SiLU)
    if cls is nn.GELU:
        return _gelu(m.approximate)
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
            return Problem(
                Message(
                    "import.linear.not_flat",
                    QT_TRANSLATE_NOOP(
                        "messages", "Linear on {shape}: the designer's Linear takes flat features"
                    ),
                    shape=_shape(x),
                )
            )
        return _node(s.Linear, out_features=m.out_features, bias=m.bias is not None)
    if cls is nn.Dropout:
        return _node(s.Dropout, p=float(m.p))
    if cls is nn.Identity:
        return _node(s.Identity)
    return _no_kind(op.label)


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
        return Problem(
            Message(
                "import.held_tensor",
                QT_TRANSLATE_NOOP(
                    "messages", "{op} on a tensor the model holds ({held}); use a layer module"
                ),
                op=op.label,
                held=held,
            )
        )
    if t == "add":
        alpha = _bind(op, ("input", "other"), {"alpha": 1})["alpha"]
        if len(op.inputs) < 2:
            return Problem(
                Message(
                    "import.add.constant",
                    QT_TRANSLATE_NOOP("messages", "adds a constant to a tensor"),
                )
            )
        if alpha != 1:
            return Problem(
                Message(
                    "import.add.alpha",
                    QT_TRANSLATE_NOOP("messages", "adds with alpha={alpha}"),
                    alpha=repr(alpha),
                )
            )
        return Part(ADD)
    if t in ("relu", "relu_"):
        return _node(s.ReLU)
    if t == "leaky_relu":
        slope = _bind(op, ("input", "negative_slope"), {"negative_slope": 0.01})["negative_slope"]
        return _node(s.LeakyReLU, negative_slope=float(slope))
    if t == "relu6":
        return _node(s.ReLU6)
    if t == "hardtanh":
        a = _bind(op, ("input", "min_val", "max_val"), {"min_val": -1.0, "max_val": 1.0})
        return _hardtanh(a["min_val"], a["max_val"], op.label)
    if t == "silu":
        return _node(s.SiLU)
    if t == "gelu":
        return _gelu(_bind(op, ("input",), {"approximate": "none"})["approximate"])
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
        return Problem(
            Message(
                "import.mean",
                QT_TRANSLATE_NOOP(
                    "messages", "mean over dimensions {dims}; only over height and width is a kind"
                ),
                dims=repr(a["dim"]),
            )
        )
    if t == "dropout":
        a = _bind(op, ("input", "p", "training"), {"p": 0.5, "training": True})
        if a["training"]:
            return Problem(
                Message(
                    "import.dropout.training",
                    QT_TRANSLATE_NOOP(
                        "messages", "dropout that also drops in eval mode (training=True)"
                    ),
                )
            )
        return _node(s.Dropout, p=float(a["p"]))
    if t in ("pad", "getitem"):
        return Part(SHORTCUT_PART)
    if t == "cat":
        return Problem(
            Message(
                "import.cat",
                QT_TRANSLATE_NOOP(
                    "messages", "concatenates tensors; the designer joins branches only by addition"
                ),
            )
        )
    if t == "mul" and len(op.inputs) == 2:
        return Problem(
            Message(
                "import.mul",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "multiplies two tensors; the designer joins branches only by addition",
                ),
            )
        )
    return _no_kind(op.label)


def classify(op: Op, graph: Graph) -> Classified:
    """What ``op`` is on its own. Ranges the spec refuses are problems too."""
    if op.kind in (INPUT, CONSTANT):
        return Mapped(())  # a constant's use is judged where it is used
    if op.shape is None:
        return Problem(
            Message(
                "import.several_tensors",
                QT_TRANSLATE_NOOP(
                    "messages", "{op} gives several tensors; the designer's layers give one"
                ),
                op=op.label,
            )
        )
    x = graph.ops[op.inputs[0]].shape if op.inputs else None
    if x is None:
        return Problem(
            Message(
                "import.not_network_tensor",
                QT_TRANSLATE_NOOP("messages", "{op} does not take the network's tensors"),
                op=op.label,
            )
        )
    try:
        if op.kind == MODULE:
            return _module(op, x)
        return _function(op, x, graph)
    except s.SpecError as err:
        return Problem(located(err.where, err.message))
    except (ValueError, TypeError) as err:
        return Problem(message_of(err))
