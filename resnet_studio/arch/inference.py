"""The layers table without tensors: shapes, parameters and multiply-adds by formula.

One pass over the spec gives a :class:`Row` per layer instance (repetitions
expanded), with the same paths, shapes, parameter counts and multiply-adds
that ``torchinfo.summary(model, (1, C, H, W), device="cpu")`` reports for
the built module (batch size 1). A layer that cannot apply to its input gets
an error that says why and how to fix it; layers whose input is unknown
because of an earlier error are marked ``computed=False``.

The table stays bounded however far repetitions multiply (a Repeat ×1,000 in a
Repeat ×1,000 in a Repeat ×1,000 is a 500-byte file): once it holds
:data:`MAX_ROWS` rows, a Repeat's further repetitions are folded into one
``Repeated`` row that stands for them (``repeats`` says how many), and every
total (parameters, MACs, modules, activations, depth) is still exact, by
multiplication. Repetitions are expanded as before below that, so every
paper network's table is complete.

Multiply-add conventions follow torchinfo: a conv counts (weights + bias) ×
output positions, BatchNorm and Linear count their parameters once, pools and
activations count nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from resnet_studio.arch.messages import Message
from resnet_studio.arch.spec import (
    GELU,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Group,
    Identity,
    LeakyReLU,
    Linear,
    MaxPool2d,
    Network,
    Node,
    ReLU,
    ReLU6,
    Repeat,
    Residual,
    SiLU,
)
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

Shape = tuple[int, ...]

# A network over these limits would exhaust memory when built or run.
MAX_PARAMS = 2_000_000_000
MAX_ACTIVATION = 2**31 - 1
# Rows one table holds before repetitions fold (ResNet-1202 has 4,209): a Qt view
# and a text table of this many still build in a fraction of a second.
MAX_ROWS = 20_000
# Layers one pass may work out one by one (folded repetitions are multiplied, not
# worked out): bounds the time of a pass on any file, a second or two at most.
MAX_EVALUATIONS = 1_000_000
# The kind of a row that stands for repetitions not listed one by one.
FOLDED = "Repeated"


class Row(NamedTuple):
    """One line of the layers table (a tuple: thousands are made per edit)."""

    path: str
    kind: str
    node_id: str
    depth: int
    output_shape: Shape | None
    params: int
    macs: int
    error: str | None = None
    computed: bool = True
    is_container: bool = False
    is_shortcut: bool = False
    repeats: int = 1  # how many repetitions a FOLDED row stands for


@dataclass(frozen=True, slots=True)
class Problem:
    """An error found by inference, located by path and node id.

    ``input_shape`` and ``output_shape`` are what the node met and gave where
    the problem was found (a residual: x and the body's F(x)), so a fix can be
    worked out from them (:mod:`resnet_studio.arch.fixes`); None where unknown.
    """

    path: str
    node_id: str
    message: str
    input_shape: Shape | None = None
    output_shape: Shape | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(frozen=True)
class Summary:
    """The whole table plus totals and problems.

    ``modules`` counts the torch modules the network builds into (layers,
    blocks, stages), ``activations`` the values every layer outputs for one
    image, and ``folded`` the repetitions shown as ``Repeated`` rows: all exact.
    """

    rows: tuple[Row, ...]
    total_params: int
    total_macs: int
    output_shape: Shape | None
    problems: tuple[Problem, ...]
    depth: int
    modules: int = 0
    activations: int = 0
    folded: int = 0

    @property
    def ok(self) -> bool:
        """True when the network can be built and run."""
        return not self.problems


def format_shape(shape: Shape | None) -> str:
    """``(16, 32, 32)`` → ``16×32×32``; None → ``?``."""
    return "×".join(str(v) for v in shape) if shape else "?"


Counts = tuple[int, int, int]  # modules, weighted layers, activation values


class _TooLarge(Exception):
    """More layers to work out than :data:`MAX_EVALUATIONS`."""


class _Pass:
    """State of one inference pass: rows so far, problems found and running counts."""

    def __init__(self, classes: int, max_rows: int = MAX_ROWS) -> None:
        self.classes = classes
        self.max_rows = max_rows
        self.rows: list[Row | None] = []
        self.problems: dict[tuple[str, str], Problem] = {}
        self.modules = self.weighted = self.activations = 0
        self.evaluations = self.folded = 0

    def counts(self) -> Counts:
        return self.modules, self.weighted, self.activations

    def add(self, counts: Counts, times: int) -> None:
        """Count ``counts`` (of one repetition) ``times`` more."""
        self.modules += counts[0] * times
        self.weighted += counts[1] * times
        self.activations += counts[2] * times

    def since(self, before: Counts) -> Counts:
        return (
            self.modules - before[0],
            self.weighted - before[1],
            self.activations - before[2],
        )

    # Errors in repeated bodies are one problem, not one per repetition.
    def problem(
        self, path: str, node_id: str, message: str, x: Shape | None, out: Shape | None
    ) -> None:
        self.problems.setdefault((node_id, message), Problem(path, node_id, message, x, out))

    def leaf(
        self,
        node: Node,
        path: str,
        depth: int,
        shape: Shape | None,
        stride_one: bool,
        kind: str | None = None,
    ) -> tuple[Shape | None, int, int]:
        kind = kind or node.kind
        self.evaluations += 1
        if self.evaluations > MAX_EVALUATIONS:
            raise _TooLarge
        self.modules += 1
        if isinstance(node, Conv2d | Linear):
            self.weighted += 1
        if shape is None:
            self.rows.append(Row(path, kind, node.id, depth, None, 0, 0, computed=False))
            return None, 0, 0
        try:
            out, params, macs, error = _LEAF_FORMULAS[type(node)](node, shape, stride_one, self)
        except _Fatal as fatal:
            out, params, macs, error = None, 0, 0, fatal.args[0]  # the Message itself
        if out is not None and _numel(out) > MAX_ACTIVATION:
            error = Message(
                "layer.output_too_large",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "output {shape} has {values:,} values per image, too many to hold in memory;"
                    " use fewer channels or a smaller input",
                ),
                shape=format_shape(out),
                values=_numel(out),
            )
            out = None
        if error:
            self.problem(path, node.id, error, shape, out)
        if out is not None:
            self.activations += _numel(out)
        self.rows.append(Row(path, kind, node.id, depth, out, params, macs, error))
        return out, params, macs

    def sequence(
        self,
        nodes: tuple[Node, ...],
        shape: Shape | None,
        prefix: str,
        depth: int,
        stride_one: bool,
    ) -> tuple[Shape | None, int, int]:
        total_params = total_macs = 0
        for node in nodes:
            path = f"{prefix}.{node.name}" if prefix else node.name
            shape, params, macs = self.node(node, shape, path, depth, stride_one)
            total_params += params
            total_macs += macs
        return shape, total_params, total_macs

    def node(
        self, node: Node, shape: Shape | None, path: str, depth: int, stride_one: bool
    ) -> tuple[Shape | None, int, int]:
        if isinstance(node, Residual):
            return self.residual(node, shape, path, depth, stride_one)
        if isinstance(node, Repeat):
            return self.repeat(node, shape, path, depth, stride_one)
        if isinstance(node, Group):
            return self.group(node, shape, path, depth, stride_one)
        return self.leaf(node, path, depth, shape, stride_one)

    def group(
        self, node: Group, shape: Shape | None, path: str, depth: int, stride_one: bool
    ) -> tuple[Shape | None, int, int]:
        """A named sequence: its row, then its children's under its path."""
        index = len(self.rows)
        self.rows.append(None)
        computed = shape is not None
        out, params, macs = self.sequence(node.body, shape, path, depth + 1, stride_one)
        self.container_row(index, node, path, depth, out, params, macs, computed)
        return out, params, macs

    def container_row(
        self,
        index: int,
        node: Node,
        path: str,
        depth: int,
        out: Shape | None,
        params: int,
        macs: int,
        computed: bool,
        error: str | None = None,
        kind: str | None = None,
    ) -> None:
        self.modules += 1  # a ResidualBlock or an nn.Sequential
        self.rows[index] = Row(
            path,
            kind or node.kind,
            node.id,
            depth,
            out,
            params,
            macs,
            error,
            computed,
            is_container=True,
        )

    def repeat(
        self, node: Repeat, shape: Shape | None, path: str, depth: int, stride_one: bool
    ) -> tuple[Shape | None, int, int]:
        index = len(self.rows)
        self.rows.append(None)
        computed = shape is not None
        total_params = total_macs = params = macs = 0
        # The last computed repetition: its input, strides, rows (start, end, path), counts.
        last_input: Shape | None = None
        last_stride_one = False
        template: tuple[int, int, str, Counts] | None = None
        # Repetitions past the row budget: folded into one row at the end.
        folded = first_folded = folded_params = folded_macs = 0
        folded_computed = True
        for i in range(node.count):
            rep_path = f"{path}.{i}"
            rep_stride_one = stride_one or (i > 0 and node.strides_first_only)
            if template and last_input == shape and last_stride_one == rep_stride_one:
                # Same input, same strides: the same rows again, and so every repetition left.
                start, end, old_path, counts = template
                left = node.count - i
                if folded or len(self.rows) + left * (end - start) > self.max_rows:
                    if not folded:
                        first_folded, folded_computed = i, shape is not None
                    folded += left
                    folded_params += params * left
                    folded_macs += macs * left
                    total_params += params * left
                    total_macs += macs * left
                    self.add(counts, left)
                    break
                self.copy_rows(start, end, old_path, rep_path)
                self.add(counts, 1)
            else:
                last_input, last_stride_one, start = shape, rep_stride_one, len(self.rows)
                before = self.counts()
                shape, params, macs = self.repetition(node, shape, rep_path, depth, rep_stride_one)
                template = (start, len(self.rows), rep_path, self.since(before))
                if i > 0 and (folded or len(self.rows) > self.max_rows):
                    del self.rows[start:]  # over the budget: keep its totals, not its rows
                    if not folded:
                        first_folded, folded_computed = i, last_input is not None
                    folded += 1
                    folded_params += params
                    folded_macs += macs
            total_params += params
            total_macs += macs
        if folded:
            last = node.count - 1
            fold_path = f"{path}.{first_folded}" + (f"-{last}" if last > first_folded else "")
            self.rows.append(
                Row(
                    fold_path,
                    FOLDED,
                    node.id,
                    depth + 1,
                    shape,
                    folded_params,
                    folded_macs,
                    computed=folded_computed,
                    repeats=folded,
                )
            )
            self.folded += folded
        self.container_row(index, node, path, depth, shape, total_params, total_macs, computed)
        return shape, total_params, total_macs

    def repetition(
        self, node: Repeat, shape: Shape | None, path: str, depth: int, stride_one: bool
    ) -> tuple[Shape | None, int, int]:
        """One repetition: a single-node body is named by number, longer bodies get a row."""
        if len(node.body) == 1:
            return self.node(node.body[0], shape, path, depth + 1, stride_one)
        index = len(self.rows)
        self.rows.append(None)
        computed = shape is not None
        out, params, macs = self.sequence(node.body, shape, path, depth + 2, stride_one)
        self.container_row(
            index, node, path, depth + 1, out, params, macs, computed, kind="Repetition"
        )
        return out, params, macs

    def copy_rows(self, start: int, end: int, old_prefix: str, new_prefix: str) -> None:
        """Append rows[start:end] again, paths moved from ``old_prefix`` to ``new_prefix``."""
        cut = len(old_prefix)
        make = tuple.__new__  # Row(...) without NamedTuple's per-call overhead
        self.rows.extend(
            make(Row, (new_prefix + row[0][cut:], *row[1:]))  # type: ignore[index]
            for row in self.rows[start:end]
        )

    def residual(
        self, node: Residual, shape: Shape | None, path: str, depth: int, stride_one: bool
    ) -> tuple[Shape | None, int, int]:
        index = len(self.rows)
        self.rows.append(None)
        computed = shape is not None
        out, params, macs = self.sequence(node.body, shape, path, depth + 1, stride_one)
        error = preactivation_problem(node)
        if shape is not None and out is not None and node.shortcut != "none":
            sc_params, sc_macs, sc_error = self.shortcut(node, shape, out, path, depth + 1)
            params += sc_params
            macs += sc_macs
            error = error or sc_error
        if error:
            self.problem(path, node.id, error, shape, out)
        if out is not None:  # the addition and the ReLU after it make new tensors
            self.activations += _numel(out) * ((node.shortcut != "none") + node.post_relu)
        self.container_row(index, node, path, depth, out, params, macs, computed, error)
        return out, params, macs

    def shortcut(
        self, node: Residual, x: Shape, fx: Shape, path: str, depth: int
    ) -> tuple[int, int, str | None]:
        """Rows for the shortcut of ``node``; returns its params, MACs and any error."""
        if len(x) != 3 or len(fx) != 3:
            return (
                0,
                0,
                Message(
                    "residual.flat_features",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "residual add needs feature maps, but the body gives {body} from {input};"
                        " keep Flatten and Linear outside the block",
                    ),
                    body=format_shape(fx),
                    input=format_shape(x),
                ),
            )
        kind = resolve_shortcut(node.shortcut, x, fx)
        if kind == "identity":
            if x != fx:
                return (
                    0,
                    0,
                    Message(
                        "residual.shape_mismatch",
                        QT_TRANSLATE_NOOP(
                            "messages",
                            "residual add: body gives {body}, shortcut gives {shortcut}"
                            " — use a projection or zero-padded shortcut",
                        ),
                        body=format_shape(fx),
                        shortcut=format_shape(x),
                    ),
                )
            return 0, 0, None
        (c, h, w), (c2, h2, w2) = x, fx
        stride = shortcut_stride(x, fx)
        if kind == "zero-pad":
            if stride is None:
                return (
                    0,
                    0,
                    Message(
                        "residual.zero_pad_stride",
                        QT_TRANSLATE_NOOP(
                            "messages",
                            "zero-padded shortcut cannot subsample {input} to {body} with one"
                            " stride; check the body's strides and padding",
                        ),
                        input=f"{h}×{w}",
                        body=f"{h2}×{w2}",
                    ),
                )
            if c2 < c:
                return (
                    0,
                    0,
                    Message(
                        "residual.zero_pad_fewer_channels",
                        QT_TRANSLATE_NOOP(
                            "messages",
                            "zero-padded shortcut cannot reduce channels ({input} → {body});"
                            " use a projection",
                        ),
                        input=c,
                        body=c2,
                    ),
                )
            self.modules += 1
            self.activations += _numel(fx)
            self.rows.append(
                Row(
                    f"{path}.shortcut",
                    "ZeroPadShortcut",
                    node.id,
                    depth,
                    fx,
                    0,
                    0,
                    is_shortcut=True,
                )
            )
            return 0, 0, None
        if stride is None:
            return (
                0,
                0,
                Message(
                    "residual.projection_stride",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "projection shortcut cannot map {input} to {body} with a 1×1 strided conv;"
                        " check the body's strides and padding",
                    ),
                    input=f"{h}×{w}",
                    body=f"{h2}×{w2}",
                ),
            )
        conv_params = c * c2
        conv_macs = conv_params * h2 * w2
        if node.preactivation:
            return self.preactivation_projection(fx, conv_params, conv_macs, node, path, depth)
        bn_params = 2 * c2
        base = f"{path}.downsample"
        self.modules += 3  # nn.Sequential(conv, bn)
        self.activations += 2 * _numel(fx)
        self.rows.append(
            Row(
                base,
                "Projection",
                node.id,
                depth,
                fx,
                conv_params + bn_params,
                conv_macs + bn_params,
                is_container=True,
                is_shortcut=True,
            )
        )
        self.rows.append(
            Row(
                f"{base}.0",
                "Conv2d",
                node.id,
                depth + 1,
                fx,
                conv_params,
                conv_macs,
                is_shortcut=True,
            )
        )
        self.rows.append(
            Row(
                f"{base}.1",
                "BatchNorm2d",
                node.id,
                depth + 1,
                fx,
                bn_params,
                bn_params,
                is_shortcut=True,
            )
        )
        return conv_params + bn_params, conv_macs + bn_params, None

    def preactivation_projection(
        self, fx: Shape, params: int, macs: int, node: Residual, path: str, depth: int
    ) -> tuple[int, int, None]:
        """A pre-activation block's projection: a 1×1 conv alone (its input is already
        normalised), named ``shortcut`` as in the common PyTorch code of these blocks."""
        base = f"{path}.shortcut"
        self.modules += 2  # nn.Sequential(conv)
        self.activations += _numel(fx)
        for row_path, kind, nested, container in (
            (base, "Projection", 0, True),
            (f"{base}.0", "Conv2d", 1, False),
        ):
            self.rows.append(
                Row(
                    row_path,
                    kind,
                    node.id,
                    depth + nested,
                    fx,
                    params,
                    macs,
                    is_container=container,
                    is_shortcut=True,
                )
            )
        return params, macs, None


def preactivation_problem(node: Residual) -> str | None:
    """Why a pre-activation block's body cannot be one (None: it can, or it is not one)."""
    if not node.preactivation:
        return None
    kinds = [child.kind for child in node.body[:2]]
    if kinds == ["BatchNorm2d", "ReLU"]:
        return None
    if not kinds:
        return Message(
            "residual.preactivation_empty",
            QT_TRANSLATE_NOOP(
                "messages",
                "a pre-activation block's body must start with BatchNorm2d then ReLU, but it is"
                " empty",
            ),
        )
    return Message(
        "residual.preactivation_body",
        QT_TRANSLATE_NOOP(
            "messages",
            "a pre-activation block's body must start with BatchNorm2d then ReLU, but it starts"
            " with {start}; add them first or turn pre-activation off",
        ),
        start=", ".join(kinds),
    )


class _Fatal(Exception):
    """A layer error after which the output shape is unknown."""


def _numel(shape: Shape) -> int:
    n = 1
    for v in shape:
        n *= v
    return n


def resolve_shortcut(kind: str, x: Shape, fx: Shape) -> str:
    """``auto`` becomes identity when shapes match, projection otherwise."""
    if kind == "auto":
        return "identity" if x == fx else "projection"
    return kind


def shortcut_stride(x: Shape, fx: Shape) -> int | None:
    """The stride that maps input ``x`` to the body's output ``fx`` in both dimensions, if any.

    Zero-padding subsamples with ``x[..., ::s, ::s]`` and a projection is a 1×1
    conv with stride s: both keep ceil(n/s) of n positions (the conv's
    floor((n-1)/s)+1 is the same number). The strides that fit one dimension
    are those from ceil(n/n') up, so the smallest that may fit both is the
    larger of the two lower ends; it is also the body's own stride when the
    map is large enough to tell.
    """
    (_, h, w), (_, h2, w2) = x, fx
    if h2 < 1 or w2 < 1:
        return None
    stride = max(-(-h // h2), -(-w // w2), 1)
    if -(-h // stride) == h2 and -(-w // stride) == w2:
        return stride
    return None


def leaf_output(node: Node, shape: Shape, stride_one: bool, classes: int) -> Shape | None:
    """Output shape of a layer on ``shape``, or None where it cannot apply."""
    try:
        out = _LEAF_FORMULAS[type(node)](node, shape, stride_one, _Pass(classes))[0]
    except _Fatal:
        return None
    return out


def _feature_map(node: Node, shape: Shape) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise _Fatal(
            Message(
                "layer.needs_feature_map",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{kind} needs a C×H×W feature map, but gets {shape} flat features;"
                    " move it before Flatten",
                ),
                kind=node.kind,
                shape=format_shape(shape),
            )
        )
    return shape  # type: ignore[return-value]


def _window(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def _pool_window(size: int, kernel: int, stride: int, padding: int, ceil_mode: bool) -> int:
    """Windows of a pool along one side, as PyTorch counts them: in ceil mode the count
    rounds up, but a last window that would start in the right padding is dropped."""
    out = (size + 2 * padding - kernel + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _conv(node: Conv2d, shape: Shape, stride_one: bool, _p: _Pass):
    c, h, w = _feature_map(node, shape)
    stride = 1 if stride_one else node.stride
    ho = _window(h, node.kernel, stride, node.padding, node.dilation)
    wo = _window(w, node.kernel, stride, node.padding, node.dilation)
    if ho < 1 or wo < 1:
        span = node.dilation * (node.kernel - 1) + 1
        raise _Fatal(
            Message(
                "conv.kernel_too_large",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "kernel {kernel} (span {span}) does not fit the input {input} with padding"
                    " {padding}; use a smaller kernel, more padding or fewer downsampling layers"
                    " before it",
                ),
                kernel=f"{node.kernel}×{node.kernel}",
                span=span,
                input=f"{h}×{w}",
                padding=node.padding,
            )
        )
    error = None
    if c % node.groups or node.out_channels % node.groups:
        error = Message(
            "conv.groups_channels",
            QT_TRANSLATE_NOOP(
                "messages",
                "groups={groups} must divide both input channels ({input}) and output channels"
                " ({output})",
            ),
            groups=node.groups,
            input=c,
            output=node.out_channels,
        )
    params = node.out_channels * (c // node.groups) * node.kernel * node.kernel
    if node.bias:
        params += node.out_channels
    return (node.out_channels, ho, wo), params, params * ho * wo, error


def _batchnorm(node: BatchNorm2d, shape: Shape, _s: bool, _p: _Pass):
    c, _, _ = _feature_map(node, shape)
    return shape, 2 * c, 2 * c, None


def _passthrough(node: Node, shape: Shape, _s: bool, _p: _Pass):
    return shape, 0, 0, None


def _pool(node: MaxPool2d | AvgPool2d, shape: Shape, stride_one: bool, _p: _Pass):
    c, h, w = _feature_map(node, shape)
    stride = 1 if stride_one else node.stride
    ho = _pool_window(h, node.kernel, stride, node.padding, node.ceil_mode)
    wo = _pool_window(w, node.kernel, stride, node.padding, node.ceil_mode)
    if ho < 1 or wo < 1:
        raise _Fatal(
            Message(
                "pool.window_too_large",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "window {window} does not fit the input {input}; use a smaller window or"
                    " fewer downsampling layers before it",
                ),
                window=f"{node.kernel}×{node.kernel}",
                input=f"{h}×{w}",
            )
        )
    return (c, ho, wo), 0, 0, None


def _global_pool(node: GlobalAvgPool, shape: Shape, _s: bool, _p: _Pass):
    c, _, _ = _feature_map(node, shape)
    return (c, 1, 1), 0, 0, None


def _adaptive_pool(node: AdaptiveAvgPool2d, shape: Shape, _s: bool, _p: _Pass):
    # Any input size works, even one smaller than the output (PyTorch repeats values).
    c, _, _ = _feature_map(node, shape)
    return (c, node.output_size, node.output_size), 0, 0, None


def _flatten(node: Flatten, shape: Shape, _s: bool, _p: _Pass):
    return (_numel(shape),), 0, 0, None


def _linear(node: Linear, shape: Shape, _s: bool, p: _Pass):
    out = p.classes if node.out_features is None else node.out_features
    error = None
    if len(shape) != 1:
        # After a global pool only the Flatten is missing; a map needs pooling or flattening.
        if shape[1:] == (1, 1):
            error = Message(
                "linear.needs_flatten",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "Linear needs flat features, but gets {shape}; add a Flatten before it",
                ),
                shape=format_shape(shape),
            )
        else:
            error = Message(
                "linear.needs_pool_and_flatten",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "Linear needs flat features, but gets {shape}; add GlobalAvgPool and Flatten"
                    " (or Flatten) before it",
                ),
                shape=format_shape(shape),
            )
    features = shape[0] if len(shape) == 1 else _numel(shape)
    params = features * out + (out if node.bias else 0)
    return (out,), params, params, error


_LEAF_FORMULAS = {
    Conv2d: _conv,
    BatchNorm2d: _batchnorm,
    ReLU: _passthrough,
    LeakyReLU: _passthrough,
    ReLU6: _passthrough,
    SiLU: _passthrough,
    GELU: _passthrough,
    Dropout: _passthrough,
    Identity: _passthrough,
    MaxPool2d: _pool,
    AvgPool2d: _pool,
    GlobalAvgPool: _global_pool,
    AdaptiveAvgPool2d: _adaptive_pool,
    Flatten: _flatten,
    Linear: _linear,
}


def infer(network: Network, max_rows: int = MAX_ROWS) -> Summary:
    """Analyse ``network``: every row, the totals and every independent problem.

    Past ``max_rows`` rows, repetitions fold into ``Repeated`` rows; the totals
    stay exact. A network with more than :data:`MAX_EVALUATIONS` distinct layers
    to work out gets no rows, only a problem that says so.
    """
    p = _Pass(network.classes, max_rows)
    if _numel(network.input_shape) > MAX_ACTIVATION:
        message = Message(
            "network.input_too_large",
            QT_TRANSLATE_NOOP(
                "messages",
                "input {shape} has {values:,} values per image, too many to hold in memory;"
                " use a smaller input",
            ),
            shape=format_shape(network.input_shape),
            values=_numel(network.input_shape),
        )
        return Summary((), 0, 0, None, (Problem("(input)", "", message),), 0)
    try:
        out, params, macs = p.sequence(network.body, network.input_shape, "", 0, False)
    except _TooLarge:
        message = Message(
            "network.too_many_evaluations",
            QT_TRANSLATE_NOOP(
                "messages",
                "too large to work out: more than {limit:,} layers whose input shapes differ;"
                " use fewer or smaller Repeats",
            ),
            limit=MAX_EVALUATIONS,
        )
        return Summary((), 0, 0, None, (Problem("(network)", "", message),), 0)
    problems = list(p.problems.values())
    if out is not None and not problems and out != (network.classes,):
        message = Message(
            "network.wrong_output",
            QT_TRANSLATE_NOOP(
                "messages",
                "the network ends with {shape} but must end with {classes} class scores;"
                " finish with GlobalAvgPool, Flatten and Linear",
            ),
            shape=format_shape(out),
            classes=network.classes,
        )
        problems.append(Problem("(output)", "", message, output_shape=out))
    if params > MAX_PARAMS:
        message = Message(
            "network.too_many_params",
            QT_TRANSLATE_NOOP(
                "messages",
                "{params:,} parameters is more than the {limit:,} this program builds;"
                " use fewer channels or layers",
            ),
            params=params,
            limit=MAX_PARAMS,
        )
        problems.append(Problem("(network)", "", message))
    rows = tuple(p.rows)  # type: ignore[arg-type]
    return Summary(
        rows,
        params,
        macs,
        out,
        tuple(problems),
        p.weighted,  # conv and linear layers, shortcuts aside, repetitions multiplied
        modules=p.modules,
        activations=p.activations,
        folded=p.folded,
    )
