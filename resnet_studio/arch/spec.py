"""What a network is: immutable node dataclasses, no torch, no Qt.

A :class:`Network` holds an input shape, a class count and a tree of nodes.
Leaf nodes are layers; :class:`Residual`, :class:`Repeat` and :class:`Group` are
containers.
Every node carries a stable ``id`` (the window selects, undoes and highlights
by it) and a ``name`` that becomes one part of its path (``layer3.4.conv2``).

Nodes are frozen: an edit builds a new tree (``dataclasses.replace``), so the
undo stack can hold old and new trees without copying.

Each editable field declares its range in ``metadata``; ``__post_init__``
enforces it, so an invalid node cannot exist, and the window's inspector and
the JSON reader use the same ranges and messages.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
import uuid
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

# Bounds that keep a spec buildable on a real machine: far above any paper
# network, far below what would exhaust memory before inference can say so.
MAX_CHANNELS = 65_536
MAX_KERNEL = 64
MAX_STRIDE = 64
MAX_SPATIAL = 8_192
MAX_REPEAT = 1_000
MAX_FEATURES = 1_000_000
MAX_CLASSES = 1_000_000
# The most parts a layer's path may have (``layer1.0.conv1`` has 3): how deeply
# containers nest. Every module level costs torch several Python frames when it
# traces or exports (ONNX about nine), so this keeps export far from Python's
# recursion limit; the paper's networks use 3. Enforced wherever a network is made.
MAX_NESTING = 64
# Layers and blocks a network's spec may hold (a Repeat's body counts once): the
# canvas draws each as a card, and at this many an edit still redraws within a second.
# The paper's largest spec (ResNet-50's) has 47.
MAX_NODES = 10_000
MAX_NETWORK_NAME = 200  # characters of a network's name (free text, one line)
MAX_ID = 64  # characters of a node id (made as 12 hex digits)

# Whole-string match: ``$`` would also accept a name that ends in a line break.
NAME_PATTERN = re.compile(r"\A[A-Za-z0-9_]{1,64}\Z")
# Also the inspector's choices, which the window shows translated.
SHORTCUTS = (
    QT_TRANSLATE_NOOP("spec", "auto"),
    QT_TRANSLATE_NOOP("spec", "identity"),
    QT_TRANSLATE_NOOP("spec", "zero-pad"),
    QT_TRANSLATE_NOOP("spec", "projection"),
    QT_TRANSLATE_NOOP("spec", "none"),
)
# GELU's formulas, as PyTorch names them: exact (erf) or the tanh approximation.
GELU_APPROXIMATIONS = (QT_TRANSLATE_NOOP("spec", "none"), QT_TRANSLATE_NOOP("spec", "tanh"))
# Where a zero-padded shortcut puts its zero channels (also the inspector's choices):
# all after x's channels, or half before and half after as many CIFAR codes do.
PAD_PLACEMENTS = (
    QT_TRANSLATE_NOOP("spec", "end"),
    QT_TRANSLATE_NOOP("spec", "both"),
)
# Child names the torch side uses for a residual's shortcut.
RESERVED_NAMES = frozenset({"downsample", "shortcut"})
# Names that torch modules (and our ResidualBlock) use for their own attributes: a
# layer called "forward" or "training" could not be registered as a submodule.
# tests/model/test_build.py keeps this list in step with the installed torch.
MODULE_ATTRIBUTE_NAMES = frozenset(
    """
    T_destination add_module append apply bfloat16 body_names buffers call_super_init
    children compile cpu cuda double dump_patches eval extend extra_repr float forward
    get_buffer get_extra_state get_parameter get_submodule half insert ipu last_batchnorm
    load_state_dict mode modules mtia named_buffers named_children named_modules
    named_parameters parameters pop post_relu preactivation register_backward_hook register_buffer
    register_forward_hook register_forward_pre_hook register_full_backward_hook
    register_full_backward_pre_hook register_load_state_dict_post_hook
    register_load_state_dict_pre_hook register_module register_parameter
    register_state_dict_post_hook register_state_dict_pre_hook requires_grad_
    set_extra_state set_submodule share_memory shortcut_name state_dict to to_empty train
    training type xpu zero_grad input_mean input_std
""".split()
)
# Names torch.jit cannot write back as attributes (``self.None``, ``self.torch``): the
# TorchScript export fails or will not load. Python's keywords too, for ONNX as well.
SCRIPT_NAMES = frozenset({"torch", "Ellipsis", "NoneType", *keyword.kwlist})


def short_repr(value: object, limit: int = 80) -> str:
    """``repr`` of a value that may come from a file, cut to one short line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot name a layer (None: it can), as the spec says it.

    A name becomes a submodule of ``nn.Module``, so it must not be one of the
    module's own attributes: every private one starts with an underscore
    (``_modules``, ``__dict__``), the public ones are listed above.
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        return Message(
            "name.invalid",
            QT_TRANSLATE_NOOP(
                "messages", "{name} is not a valid name: use 1-64 letters, digits or underscores"
            ),
            name=short_repr(name),
        )
    if name.startswith("_"):
        return Message(
            "name.underscore",
            QT_TRANSLATE_NOOP(
                "messages",
                "{name} starts with an underscore, which PyTorch keeps for its own attributes",
            ),
            name=repr(name),
        )
    if name in MODULE_ATTRIBUTE_NAMES:
        return Message(
            "name.reserved_by_pytorch",
            QT_TRANSLATE_NOOP("messages", "{name} is reserved by PyTorch; choose another name"),
            name=repr(name),
        )
    if name in SCRIPT_NAMES:
        return Message(
            "name.keyword",
            QT_TRANSLATE_NOOP(
                "messages", "{name} is a Python keyword or TorchScript name; choose another name"
            ),
            name=repr(name),
        )
    return None


class SpecError(ValueError):
    """An invalid value in a spec. ``where`` names the field, e.g. ``body[2].kernel``."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)

    def inside(self, prefix: str) -> SpecError:
        """The same error, located under ``prefix`` (``body[3]`` + ``kernel``)."""
        if not self.where or self.where.startswith("["):
            return SpecError(prefix + self.where, self.message)
        return SpecError(f"{prefix}.{self.where}" if prefix else self.where, self.message)


def new_id() -> str:
    """A fresh node id: short, unique, stable once assigned."""
    return uuid.uuid4().hex[:12]


def _int(lo: int, hi: int, help: str) -> dict[str, Any]:
    return {"type": "int", "min": lo, "max": hi, "help": help}


def _float(lo: float, hi: float, help: str) -> dict[str, Any]:
    return {"type": "float", "min": lo, "max": hi, "help": help}


def _bool(help: str) -> dict[str, Any]:
    return {"type": "bool", "help": help}


def _choice(choices: tuple[str, ...], help: str) -> dict[str, Any]:
    return {"type": "choice", "choices": choices, "help": help}


@dataclass(frozen=True, kw_only=True)
class Node:
    """Base of every node: a stable id and a name unique among its siblings."""

    kind: ClassVar[str] = "Node"
    name: str
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not 1 <= len(self.id) <= MAX_ID:
            raise SpecError(
                "id",
                Message(
                    "node.id_length",
                    QT_TRANSLATE_NOOP("messages", "must be a text of 1 to {max} characters"),
                    max=MAX_ID,
                ),
            )
        if not self.id.isprintable() or self.id != self.id.strip():
            raise SpecError(
                "id",
                Message(
                    "node.id_characters",
                    QT_TRANSLATE_NOOP("messages", "{id} has spaces or control characters"),
                    id=short_repr(self.id),
                ),
            )
        problem = name_problem(self.name)
        if problem:
            raise SpecError("name", problem)
        for f in fields(self):
            meta = f.metadata
            if "type" in meta:
                check_value(f.name, getattr(self, f.name), meta)

    @classmethod
    def editable_fields(cls) -> list[tuple[str, dict[str, Any], Any]]:
        """(field name, metadata, default) for every user-editable field, in order."""
        out = []
        for f in fields(cls):
            if "type" in f.metadata:
                default = f.default if f.default is not MISSING else None
                out.append((f.name, dict(f.metadata), default))
        return out


def check_value(name: str, value: Any, meta: dict[str, Any]) -> None:
    """Raise :class:`SpecError` unless ``value`` fits the field's metadata."""
    kind = meta["type"]
    if value is None and meta.get("optional"):
        return
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise SpecError(
                name,
                Message(
                    "field.not_whole_number",
                    QT_TRANSLATE_NOOP("messages", "expected a whole number, got {value}"),
                    value=short_repr(value),
                ),
            )
        if not meta["min"] <= value <= meta["max"]:
            raise SpecError(
                name,
                Message(
                    "field.int_out_of_range",
                    QT_TRANSLATE_NOOP("messages", "must be from {min:,} to {max:,}, got {value:,}"),
                    min=meta["min"],
                    max=meta["max"],
                    value=value,
                ),
            )
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SpecError(
                name,
                Message(
                    "field.not_number",
                    QT_TRANSLATE_NOOP("messages", "expected a number, got {value}"),
                    value=short_repr(value),
                ),
            )
        if not meta["min"] <= value <= meta["max"]:
            raise SpecError(
                name,
                Message(
                    "field.float_out_of_range",
                    QT_TRANSLATE_NOOP("messages", "must be from {min} to {max}, got {value}"),
                    min=meta["min"],
                    max=meta["max"],
                    value=value,
                ),
            )
    elif kind == "bool":
        if not isinstance(value, bool):
            raise SpecError(
                name,
                Message(
                    "field.not_bool",
                    QT_TRANSLATE_NOOP("messages", "expected true or false, got {value}"),
                    value=short_repr(value),
                ),
            )
    elif kind == "choice":
        if value not in meta["choices"]:
            options = ", ".join(meta["choices"])
            raise SpecError(
                name,
                Message(
                    "field.not_a_choice",
                    QT_TRANSLATE_NOOP("messages", "must be one of {options}; got {value}"),
                    options=options,
                    value=short_repr(value),
                ),
            )


# --- layers -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Conv2d(Node):
    """2-D convolution; input channels come from the layer before."""

    kind: ClassVar[str] = "Conv2d"
    out_channels: int = field(
        metadata=_int(1, MAX_CHANNELS, QT_TRANSLATE_NOOP("spec", "Number of output feature maps"))
    )
    kernel: int = field(
        default=3, metadata=_int(1, MAX_KERNEL, QT_TRANSLATE_NOOP("spec", "Kernel size (square)"))
    )
    stride: int = field(
        default=1,
        metadata=_int(1, MAX_STRIDE, QT_TRANSLATE_NOOP("spec", "Step between kernel positions")),
    )
    padding: int = field(
        default=1,
        metadata=_int(0, MAX_KERNEL, QT_TRANSLATE_NOOP("spec", "Zero padding on each side")),
    )
    dilation: int = field(
        default=1, metadata=_int(1, MAX_KERNEL, QT_TRANSLATE_NOOP("spec", "Spacing of kernel taps"))
    )
    groups: int = field(
        default=1,
        metadata=_int(
            1,
            MAX_CHANNELS,
            QT_TRANSLATE_NOOP("spec", "Channel groups; must divide input and output channels"),
        ),
    )
    bias: bool = field(
        default=False,
        metadata=_bool(QT_TRANSLATE_NOOP("spec", "Add a learned bias (off before BatchNorm)")),
    )


@dataclass(frozen=True, kw_only=True)
class BatchNorm2d(Node):
    """Batch normalisation over channels (2 learned values per channel)."""

    kind: ClassVar[str] = "BatchNorm2d"


@dataclass(frozen=True, kw_only=True)
class ReLU(Node):
    """max(0, x)."""

    kind: ClassVar[str] = "ReLU"


@dataclass(frozen=True, kw_only=True)
class LeakyReLU(Node):
    """max(0, x) + slope · min(0, x)."""

    kind: ClassVar[str] = "LeakyReLU"
    negative_slope: float = field(
        default=0.01, metadata=_float(0.0, 1.0, QT_TRANSLATE_NOOP("spec", "Slope for x < 0"))
    )


@dataclass(frozen=True, kw_only=True)
class ReLU6(Node):
    """min(max(0, x), 6): MobileNet's activation."""

    kind: ClassVar[str] = "ReLU6"


@dataclass(frozen=True, kw_only=True)
class SiLU(Node):
    """x · sigmoid(x) (also called swish): EfficientNet's activation."""

    kind: ClassVar[str] = "SiLU"


@dataclass(frozen=True, kw_only=True)
class GELU(Node):
    """x · Φ(x), Φ the normal distribution; ``approximate="tanh"`` uses PyTorch's tanh formula."""

    kind: ClassVar[str] = "GELU"
    approximate: str = field(
        default="none",
        metadata=_choice(
            GELU_APPROXIMATIONS,
            QT_TRANSLATE_NOOP("spec", "none: the exact formula; tanh: a faster approximation"),
        ),
    )


@dataclass(frozen=True, kw_only=True)
class _Pool2d(Node):
    """Shared fields of the windowed pools."""

    kernel: int = field(
        default=2, metadata=_int(1, MAX_KERNEL, QT_TRANSLATE_NOOP("spec", "Window size (square)"))
    )
    stride: int = field(
        default=2, metadata=_int(1, MAX_STRIDE, QT_TRANSLATE_NOOP("spec", "Step between windows"))
    )
    padding: int = field(
        default=0, metadata=_int(0, MAX_KERNEL, QT_TRANSLATE_NOOP("spec", "Padding on each side"))
    )
    ceil_mode: bool = field(
        default=False,
        metadata=_bool(
            QT_TRANSLATE_NOOP(
                "spec",
                "Round the output size up: a last window that overhangs the input still counts",
            )
        ),
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.padding * 2 > self.kernel:
            raise SpecError(
                "padding",
                Message(
                    "pool.padding_too_large",
                    QT_TRANSLATE_NOOP("messages", "must be at most half the kernel ({half})"),
                    half=self.kernel // 2,
                ),
            )


@dataclass(frozen=True, kw_only=True)
class MaxPool2d(_Pool2d):
    """Maximum over each window."""

    kind: ClassVar[str] = "MaxPool2d"


@dataclass(frozen=True, kw_only=True)
class AvgPool2d(_Pool2d):
    """Mean over each window; with ``count_include_pad`` padding counts as zeros, as in
    PyTorch, else the mean is over the input values in the window only."""

    kind: ClassVar[str] = "AvgPool2d"
    count_include_pad: bool = field(
        default=True,
        metadata=_bool(QT_TRANSLATE_NOOP("spec", "Count the padding zeros in each window's mean")),
    )


@dataclass(frozen=True, kw_only=True)
class GlobalAvgPool(Node):
    """Mean over the whole feature map: C×H×W → C×1×1."""

    kind: ClassVar[str] = "GlobalAvgPool"


@dataclass(frozen=True, kw_only=True)
class AdaptiveAvgPool2d(Node):
    """Mean over an s×s grid of regions: C×H×W → C×s×s whatever H and W (VGG's is 7×7).

    Regions overlap where the sides do not divide evenly; an output larger than the
    input repeats values, as PyTorch does.
    """

    kind: ClassVar[str] = "AdaptiveAvgPool2d"
    output_size: int = field(
        default=1,
        metadata=_int(
            1, MAX_SPATIAL, QT_TRANSLATE_NOOP("spec", "Output height and width (square)")
        ),
    )


@dataclass(frozen=True, kw_only=True)
class Flatten(Node):
    """C×H×W → C·H·W features."""

    kind: ClassVar[str] = "Flatten"


@dataclass(frozen=True, kw_only=True)
class Linear(Node):
    """Fully connected layer; ``out_features=None`` means the network's class count."""

    kind: ClassVar[str] = "Linear"
    out_features: int | None = field(
        default=None,
        metadata={
            **_int(
                1,
                MAX_FEATURES,
                QT_TRANSLATE_NOOP("spec", "Output features; empty means the number of classes"),
            ),
            "optional": True,
        },
    )
    bias: bool = field(
        default=True, metadata=_bool(QT_TRANSLATE_NOOP("spec", "Add a learned bias"))
    )


@dataclass(frozen=True, kw_only=True)
class Dropout(Node):
    """Zeroes each value with probability p while training."""

    kind: ClassVar[str] = "Dropout"
    p: float = field(
        default=0.5,
        metadata=_float(0.0, 1.0, QT_TRANSLATE_NOOP("spec", "Probability of dropping a value")),
    )


@dataclass(frozen=True, kw_only=True)
class Identity(Node):
    """Passes its input through unchanged."""

    kind: ClassVar[str] = "Identity"


# --- containers ---------------------------------------------------------------


def _check_children(body: tuple[Node, ...], reserved: frozenset[str] = frozenset()) -> None:
    if not isinstance(body, tuple):
        raise SpecError(
            "body",
            Message("body.not_a_tuple", QT_TRANSLATE_NOOP("messages", "must be a tuple of nodes")),
        )
    seen: set[str] = set()
    for i, child in enumerate(body):
        if not isinstance(child, Node):
            raise SpecError(
                f"body[{i}]",
                Message(
                    "body.not_a_node",
                    QT_TRANSLATE_NOOP("messages", "expected a node, got {type}"),
                    type=type(child).__name__,
                ),
            )
        if child.name in seen:
            raise SpecError(
                f"body[{i}].name",
                Message(
                    "name.used_twice",
                    QT_TRANSLATE_NOOP("messages", "{name} is used twice in the same block"),
                    name=repr(child.name),
                ),
            )
        if child.name in reserved:
            raise SpecError(
                f"body[{i}].name",
                Message(
                    "name.reserved_for_shortcut",
                    QT_TRANSLATE_NOOP("messages", "{name} is reserved for the shortcut"),
                    name=repr(child.name),
                ),
            )
        seen.add(child.name)


@dataclass(frozen=True, kw_only=True)
class Residual(Node):
    """H(x) = F(x) + shortcut(x): a body F plus a shortcut, then an optional ReLU.

    Shortcuts: ``identity`` (x itself), ``zero-pad`` (the paper's option A:
    subsample by the stride, fill extra channels with zeros, no parameters),
    ``projection`` (option B: 1×1 conv with stride + BatchNorm), ``auto``
    (identity when shapes match, projection otherwise) and ``none`` (the
    plain network: no addition at all). ``pad_placement`` puts a zero-pad
    shortcut's zero channels at the end or on both sides.

    With ``preactivation`` (He et al. 2016, "Identity Mappings in Deep Residual
    Networks") the body starts with BatchNorm2d and ReLU; a projection or
    zero-pad shortcut takes x after them, an identity shortcut x itself, and
    the projection is a 1×1 conv without BatchNorm, as in the authors' code.
    """

    kind: ClassVar[str] = "Residual"
    body: tuple[Node, ...] = ()
    shortcut: str = field(
        default="auto",
        metadata=_choice(SHORTCUTS, QT_TRANSLATE_NOOP("spec", "How x reaches the addition")),
    )
    post_relu: bool = field(
        default=True, metadata=_bool(QT_TRANSLATE_NOOP("spec", "Apply ReLU after the addition"))
    )
    pad_placement: str = field(
        default="end",
        metadata={
            **_choice(
                PAD_PLACEMENTS,
                QT_TRANSLATE_NOOP(
                    "spec",
                    "Zero-pad shortcut only: new zero channels all at the end, or half before"
                    " and half after x's channels",
                ),
            ),
            "applies_when": ("shortcut", ("zero-pad",)),
        },
    )
    preactivation: bool = field(
        default=False,
        metadata=_bool(
            QT_TRANSLATE_NOOP(
                "spec",
                "Pre-activation (He et al. 2016): the body starts with BatchNorm2d and ReLU, and"
                " a projection or zero-pad shortcut takes its input after them",
            )
        ),
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_children(self.body, RESERVED_NAMES)


@dataclass(frozen=True, kw_only=True)
class Repeat(Node):
    """The body N times in a row: a ResNet stage.

    With ``strides_first_only`` (the default) strides > 1 inside the body act
    in the first repetition only, so one field turns ResNet-56 (N=9) into
    ResNet-110 (N=18). A single-node body takes the repetition number as its
    name (``layer1.0``, ``layer1.1`` … as in torchvision).
    """

    kind: ClassVar[str] = "Repeat"
    body: tuple[Node, ...] = ()
    count: int = field(
        default=2, metadata=_int(1, MAX_REPEAT, QT_TRANSLATE_NOOP("spec", "Number of repetitions"))
    )
    strides_first_only: bool = field(
        default=True,
        metadata=_bool(
            QT_TRANSLATE_NOOP("spec", "Strides in the body act in the first repetition only")
        ),
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_children(self.body)


@dataclass(frozen=True, kw_only=True)
class Group(Node):
    """A named sequence of layers: one module whose children keep their names.

    What ``nn.Sequential`` is in torch code: ``features`` holding ``0``, ``1`` …
    gives the paths (and weight names) ``features.0``, ``features.1.weight``.
    """

    kind: ClassVar[str] = "Group"
    body: tuple[Node, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_children(self.body)


CONTAINERS = (Residual, Repeat, Group)
LAYERS = (
    Conv2d,
    BatchNorm2d,
    ReLU,
    LeakyReLU,
    ReLU6,
    SiLU,
    GELU,
    MaxPool2d,
    AvgPool2d,
    GlobalAvgPool,
    AdaptiveAvgPool2d,
    Flatten,
    Linear,
    Dropout,
    Identity,
)
NODE_TYPES: dict[str, type[Node]] = {cls.kind: cls for cls in (*LAYERS, *CONTAINERS)}


# --- the network ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Network:
    """A whole network: input shape (C, H, W), class count and the node tree."""

    name: str = "network"
    input_shape: tuple[int, int, int] = (3, 32, 32)
    classes: int = 10
    body: tuple[Node, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise SpecError(
                "name",
                Message(
                    "network.name_empty", QT_TRANSLATE_NOOP("messages", "must be a non-empty text")
                ),
            )
        if len(self.name) > MAX_NETWORK_NAME:
            raise SpecError(
                "name",
                Message(
                    "network.name_too_long",
                    QT_TRANSLATE_NOOP(
                        "messages", "must be at most {max} characters, got {length:,}"
                    ),
                    max=MAX_NETWORK_NAME,
                    length=len(self.name),
                ),
            )
        if any(unicodedata.category(c) in _NOT_IN_ONE_LINE for c in self.name):
            raise SpecError(
                "name",
                Message(
                    "network.name_one_line",
                    QT_TRANSLATE_NOOP(
                        "messages", "{name} holds a line break, control character or lone surrogate"
                    ),
                    name=short_repr(self.name),
                ),
            )
        shape = self.input_shape
        if (
            not isinstance(shape, tuple)
            or len(shape) != 3
            or any(isinstance(v, bool) or not isinstance(v, int) for v in shape)
        ):
            raise SpecError(
                "input_shape",
                Message(
                    "network.input_shape_form",
                    QT_TRANSLATE_NOOP(
                        "messages", "expected three whole numbers C, H, W; got {value}"
                    ),
                    value=short_repr(shape),
                ),
            )
        c, h, w = shape
        if not 1 <= c <= 1024:
            raise SpecError(
                "input_shape",
                Message(
                    "network.input_channels",
                    QT_TRANSLATE_NOOP(
                        "messages", "channels must be from 1 to {max:,}, got {value:,}"
                    ),
                    max=1024,
                    value=c,
                ),
            )
        if not (1 <= h <= MAX_SPATIAL and 1 <= w <= MAX_SPATIAL):
            raise SpecError(
                "input_shape",
                Message(
                    "network.input_size",
                    QT_TRANSLATE_NOOP(
                        "messages", "height and width must be from 1 to {max:,}, got {size}"
                    ),
                    max=MAX_SPATIAL,
                    size=f"{h}×{w}",
                ),
            )
        check_value("classes", self.classes, {"type": "int", "min": 1, "max": MAX_CLASSES})
        _check_children(self.body)
        nesting = path_parts(self.body)
        if nesting > MAX_NESTING:
            raise SpecError("body", nesting_message(nesting))
        seen: set[str] = set()
        for node in walk(self.body):
            if node.id in seen:
                raise SpecError(
                    "body",
                    Message(
                        "network.id_used_twice",
                        QT_TRANSLATE_NOOP(
                            "messages", "node id {id} is used twice; ids must be unique"
                        ),
                        id=repr(node.id),
                    ),
                )
            seen.add(node.id)
        if len(seen) > MAX_NODES:
            raise SpecError(
                "body",
                Message(
                    "network.too_many_nodes",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "{count:,} layers and blocks, more than the {max:,} a network may hold;"
                        " use a Repeat for layers that repeat",
                    ),
                    count=len(seen),
                    max=MAX_NODES,
                ),
            )

    def with_input(
        self, input_shape: tuple[int, int, int] | None = None, classes: int | None = None
    ) -> Network:
        """The same network for another input shape and/or class count."""
        return Network(
            name=self.name,
            input_shape=self.input_shape if input_shape is None else tuple(input_shape),
            classes=self.classes if classes is None else classes,
            body=self.body,
        )


# Unicode categories that break a one-line message: controls, surrogates, line separators.
_NOT_IN_ONE_LINE = frozenset({"Cc", "Cs", "Zl", "Zp"})


def child_parts(container: Node, parts: int) -> int:
    """Path parts of the children of a container whose own path has ``parts``.

    A Residual's and a Group's children add their name; a Repeat's single child is
    named by its number (``layer1.0``), several children sit in a numbered group
    (``layer1.0.conv1``), as the built modules nest.
    """
    if isinstance(container, Repeat) and len(container.body) != 1:
        return parts + 2
    return parts + 1


def path_parts(nodes: tuple[Node, ...]) -> int:
    """The most parts any layer's path has (0 for no layers); a loop, not recursion."""
    deepest = 0
    todo = [(nodes, 1)]
    while todo:
        body, parts = todo.pop()
        for node in body:
            deepest = max(deepest, parts)
            if isinstance(node, CONTAINERS) and node.body:
                todo.append((node.body, child_parts(node, parts)))
    return deepest


def nesting_message(parts: int) -> str:
    """The one message for a network nested deeper than :data:`MAX_NESTING`."""
    return Message(
        "network.nested_too_deeply",
        QT_TRANSLATE_NOOP(
            "messages",
            "nested too deeply: a layer's path would have {parts:,} parts (names joined by dots),"
            " more than the {max} allowed",
        ),
        parts=parts,
        max=MAX_NESTING,
    )


def walk(nodes: tuple[Node, ...]):
    """Every node of a tree, depth first, containers before their children."""
    for node in nodes:
        yield node
        if isinstance(node, CONTAINERS):
            yield from walk(node.body)
