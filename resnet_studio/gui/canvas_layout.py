"""Layout of the network canvas: the spec tree → positioned graphics items.

One pass from top to bottom. Every card is centred on the same vertical
axis; frames grow outwards around their bodies (a residual's frame leaves a
lane on the right for its skip arrow). The pass also records, for each
container, where drops land (:class:`Zone`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QPointF, QRectF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsScene

from resnet_studio.arch.fixes import Fix, fixes_for
from resnet_studio.arch.inference import Row, Shape, format_shape, resolve_shortcut, shortcut_stride
from resnet_studio.arch.kinds import kind_label
from resnet_studio.arch.spec import (
    CONTAINERS,
    GELU,
    AdaptiveAvgPool2d,
    AvgPool2d,
    Conv2d,
    Dropout,
    GlobalAvgPool,
    Group,
    LeakyReLU,
    Linear,
    MaxPool2d,
    Network,
    Node,
    Repeat,
    Residual,
    walk,
)
from resnet_studio.formatting import format_count
from resnet_studio.gui import canvas_items as ci
from resnet_studio.gui.core_text import shown
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.quick_fixes import fix_title

# Texts are in the canvas's context, CanvasView. A plain name that pyside6-lupdate
# extracts from: translate("Context", "text").
translate = QCoreApplication.translate


def layer_settings(node: Node, classes: int) -> str:
    """The key settings of a layer in a few characters (``3×3, 16, /2``)."""
    if isinstance(node, Conv2d):
        parts = [f"{node.kernel}×{node.kernel}", str(node.out_channels)]
        if node.stride > 1:
            parts.append(f"/{node.stride}")
        if node.dilation > 1:
            parts.append(translate("CanvasView", "dilation {0}").format(node.dilation))
        if node.groups > 1:
            parts.append(translate("CanvasView", "groups {0}").format(node.groups))
        return ", ".join(parts)
    if isinstance(node, LeakyReLU):
        return translate("CanvasView", "slope {0}").format(f"{node.negative_slope:g}")
    if isinstance(node, MaxPool2d | AvgPool2d):
        parts = [f"{node.kernel}×{node.kernel}" + (f" /{node.stride}" if node.stride > 1 else "")]
        if node.ceil_mode:  # count_include_pad is left to the inspector: a card is narrow
            parts.append(translate("CanvasView", "ceil"))
        return ", ".join(parts)
    if isinstance(node, GlobalAvgPool):
        return translate("CanvasView", "global")
    if isinstance(node, AdaptiveAvgPool2d):
        return f"→ {node.output_size}×{node.output_size}"
    if isinstance(node, GELU) and node.approximate != "none":
        return translate("spec", node.approximate)
    if isinstance(node, Linear):
        return f"→ {node.out_features or classes}"
    if isinstance(node, Dropout):
        return f"p={node.p:g}"
    return ""


def shortcut_label(
    shortcut: str, x: Shape | None, fx: Shape | None, pad_placement: str = "end"
) -> tuple[str, str]:
    """(resolved kind, label) of a residual's shortcut, e.g. ("zero-pad", "zero-pad /2");
    a zero-pad that puts its zero channels on both sides of x says so."""
    kind, stride = shortcut, None
    if x is not None and fx is not None and len(x) == 3 and len(fx) == 3:
        kind = resolve_shortcut(shortcut, x, fx)
        if kind in ("zero-pad", "projection"):
            stride = shortcut_stride(x, fx)
    labels = {
        "identity": translate("CanvasView", "identity"),
        "zero-pad": translate("CanvasView", "zero-pad"),
        "projection": translate("CanvasView", "projection 1×1"),
        "auto": translate("CanvasView", "auto"),
        "none": translate(
            "CanvasView", "plain block"
        ),  # no shortcut: the header says what the block is
    }
    label = labels.get(kind, kind)
    if kind == "zero-pad" and pad_placement == "both":
        label = translate("CanvasView", "zero-pad both sides")
    if stride and stride > 1:
        label += f" /{stride}"
    return kind, label


@dataclass
class Zone:
    """Where drops into one container (None: the top level) land."""

    parent_id: str | None
    depth: int
    rect: QRectF | None  # None: everywhere
    centres: list[float]  # children's vertical centres
    slots: list[float]  # y of insertion point i, for i in 0..len(children)
    left: float
    right: float


@dataclass
class Layout:
    """What one rebuild produced, for hit-testing and selection."""

    items: dict[str, ci.NodeItem] = field(default_factory=dict)
    zones: list[Zone] = field(default_factory=list)


class Builder:
    """Lays out the spec tree top to bottom and adds the items to the scene."""

    def __init__(self, scene: QGraphicsScene, doc: NetworkDocument, collapsed: set[str]) -> None:
        self.scene = scene
        self.network = doc.network
        self.summary = doc.summary
        self.collapsed = collapsed
        self.first: dict[str, Row] = {}
        for row in self.summary.rows:
            self.first.setdefault(row.node_id, row)
        self.fixes: dict[str, list[Fix]] = {}
        for fix in fixes_for(self.network, self.summary.problems):
            self.fixes.setdefault(fix.for_node, []).append(fix)
        self.out = Layout()

    def build(self) -> Layout:
        net = self.network
        title = ci.TextBlockItem(
            ci.AXIS,
            0,
            [
                (net.name, ci.font(ci.TITLE_SIZE, bold=True), ci.TEXT),
                (
                    translate("CanvasView", "input {0}").format(format_shape(net.input_shape)),
                    ci.font(ci.FONT_SIZE),
                    ci.MUTED,
                ),
            ],
        )
        self.scene.addItem(title)
        top = title.height() + ci.GAP + 6
        self._arrow(title.height() + 4, top)
        bottom, _, _, _, zone = self.sequence(net.body, None, top, 0, net.input_shape)
        zone.rect = None
        self._arrow(bottom, bottom + ci.GAP + 4)
        self.scene.addItem(self._output_block(bottom + ci.GAP + 6))
        # Frames are made after their bodies; list them in spec order (parents first).
        made = self.out.items
        self.out.items = {n.id: made[n.id] for n in walk(net.body) if n.id in made}
        return self.out

    def _output_block(self, top: float) -> ci.TextBlockItem:
        net, summary = self.network, self.summary
        out = summary.output_shape
        problem = next((p for p in summary.problems if p.path == "(output)"), None)
        if out == (net.classes,):
            text = (
                translate("CanvasView", "1 class")
                if net.classes == 1
                else translate("CanvasView", "{0:,} classes").format(net.classes)
            )
        elif out is None:
            text = translate("CanvasView", "output unknown")
        else:
            text = translate("CanvasView", "output {0}").format(format_shape(out))
        bad = problem is not None or out is None
        totals = translate("CanvasView", "{0} parameters · {1} multiply-adds").format(
            f"{summary.total_params:,}", format_count(summary.total_macs)
        )
        item = ci.TextBlockItem(
            ci.AXIS,
            top,
            [
                (text, ci.font(ci.TITLE_SIZE - 1, bold=True), ci.ERROR if bad else ci.TEXT),
                (totals, ci.font(ci.SMALL_SIZE), ci.MUTED),
            ],
        )
        if problem:
            item.setToolTip(shown(problem.message))
        return item

    def _arrow(self, y1: float, y2: float, head: bool = True) -> None:
        self.scene.addItem(ci.ArrowItem(QPointF(ci.AXIS, y1), QPointF(ci.AXIS, y2), head))

    def sequence(
        self, nodes: tuple[Node, ...], parent_id: str | None, top: float, depth: int, shape
    ) -> tuple[float, Shape | None, float, float, Zone]:
        """Children one under another from ``top``; returns bottom, shape, extents, zone."""
        tops: list[float] = []
        bottoms: list[float] = []
        left, right = 0.0, ci.CARD_W
        y = top
        for i, node in enumerate(nodes):
            if i:
                self._arrow(bottoms[-1], y)
            bottom, shape, node_left, node_right = self.node(node, y, depth, shape)
            tops.append(y)
            bottoms.append(bottom)
            left, right = min(left, node_left), max(right, node_right)
            y = bottom + ci.GAP
        if nodes:
            slots = [tops[0] - ci.GAP / 2]
            slots += [(b + t) / 2 for b, t in zip(bottoms, tops[1:], strict=False)]
            slots.append(bottoms[-1] + ci.GAP / 2)
            bottom = bottoms[-1]
        else:
            rect = QRectF(0, top, ci.CARD_W, ci.CARD_H)
            self.scene.addItem(ci.PlaceholderItem(rect, parent_id))
            slots = [rect.center().y()]
            bottom = rect.bottom()
        centres = [(t + b) / 2 for t, b in zip(tops, bottoms, strict=True)]
        zone = Zone(parent_id, depth, None, centres, slots, left, right)
        self.out.zones.append(zone)
        return bottom, shape, left, right, zone

    def node(
        self, node: Node, top: float, depth: int, shape: Shape | None
    ) -> tuple[float, Shape | None, float, float]:
        row = self.first.get(node.id)
        out = row.output_shape if row else None
        if isinstance(node, Residual):
            bottom, left, right = self.residual(node, row, top, depth, shape)
        elif isinstance(node, Repeat):
            bottom, left, right = self.repeat(node, row, top, depth, shape)
        elif isinstance(node, Group):
            bottom, left, right = self.group(node, row, top, depth, shape)
        else:
            settings = layer_settings(node, self.network.classes)
            rect = QRectF(0, top, ci.CARD_W, ci.CARD_H)
            item = ci.CardItem(node.id, node.kind, node.name, settings, format_shape(out), rect)
            self._finish(item, node, row)
            bottom, left, right = rect.bottom(), 0.0, ci.CARD_W
        return bottom, out, left, right

    def _finish(self, item: ci.NodeItem, node: Node, row: Row | None, extra: str = "") -> None:
        """Error, dimming and tooltip from the node's first row; add to the scene."""
        kind = translate("kinds", kind_label(node))
        if row is not None:
            item.error = shown(row.error) if row.error else None
            item.fixes = self.fixes.get(item.node_id, []) if row.error else []
            item.set_computed(row.computed)
            tip = translate(
                "CanvasView", "{0} — {1}\noutput {2}\n{3} parameters · {4} multiply-adds"
            ).format(
                kind,
                row.path,
                format_shape(row.output_shape),
                f"{row.params:,}",
                format_count(row.macs),
            )
        else:
            tip = kind
        if extra:
            tip += "\n" + extra
        if item.error:
            tip += "\n\n" + translate("CanvasView", "Error: {0}").format(item.error)
        if item.fixes:
            titles = "\n".join(f"• {fix_title(fix)}" for fix in item.fixes)
            tip += "\n" + translate("CanvasView", "Click Fix… (or right-click) to:\n{0}").format(
                titles
            )
        item.setToolTip(tip)
        self.scene.addItem(item)
        self.out.items[item.node_id] = item

    def residual(
        self, node: Residual, row: Row | None, top: float, depth: int, shape: Shape | None
    ) -> tuple[float, float, float]:
        head_bottom = top + ci.RESIDUAL_HEADER
        body_top = head_bottom + ci.GAP
        self._arrow(top, body_top)
        bottom, body_out, left, right, zone = self.sequence(
            node.body, node.id, body_top, depth + 1, shape
        )
        plain = node.shortcut == "none"
        fx = row.output_shape if row else body_out
        kind, label = shortcut_label(node.shortcut, shape, fx, node.pad_placement)
        if plain:
            tag_top = bottom + ci.GAP
            if node.post_relu:
                self._arrow(bottom, tag_top)
                self.scene.addItem(ci.ReluTagItem(QPointF(ci.AXIS, tag_top + ci.TAG_H / 2)))
                self._arrow(tag_top + ci.TAG_H, tag_top + ci.TAG_H + ci.BOTTOM_PAD, head=False)
            else:
                self._arrow(bottom, tag_top + ci.TAG_H + ci.BOTTOM_PAD, head=False)
            content_bottom = tag_top + ci.TAG_H
            frame_right = right + ci.PAD_X
        else:
            add = QPointF(ci.AXIS, bottom + ci.GAP + ci.ADD_R)
            self._arrow(bottom, add.y() - ci.ADD_R)
            self.scene.addItem(ci.AddItem(add, node.post_relu))
            content_bottom = add.y() + ci.ADD_R + 4 + ci.TAG_H
            below = add.y() + ci.ADD_R + (4 + ci.TAG_H if node.post_relu else 0)
            self._arrow(below, content_bottom + ci.BOTTOM_PAD, head=False)
            lane = right + ci.LANE / 2
            split = head_bottom + 4
            if node.preactivation and kind in ("projection", "zero-pad") and len(node.body) > 2:
                split = zone.slots[2]  # x is taken after the body's leading BatchNorm and ReLU
            r = 8.0  # corner radius of the skip path
            path = QPainterPath(QPointF(ci.AXIS, split))
            path.lineTo(lane - r, split)
            path.quadTo(lane, split, lane, split + r)
            path.lineTo(lane, add.y() - r)
            path.quadTo(lane, add.y(), lane - r, add.y())
            path.lineTo(ci.AXIS + ci.ADD_R + 1, add.y())
            # Dashed where the shortcut changes x (the paper's Fig. 3); a zero-pad
            # shortcut between equal shapes is the identity.
            x, fx = shape, row.output_shape if row else body_out
            dashed = kind == "projection" or (kind == "zero-pad" and x != fx)
            self.scene.addItem(ci.SkipArrowItem(path, kind, dashed))
            frame_right = right + ci.LANE
        frame = QRectF(
            left - ci.PAD_X,
            top,
            frame_right - (left - ci.PAD_X),
            content_bottom + ci.BOTTOM_PAD - top,
        )
        item = ci.ContainerItem(node.id, node.kind, node.name, frame, depth)
        item.body_rect = QRectF(left - 2, head_bottom, right - left + 4, bottom + 4 - head_bottom)
        item.shortcut_label = label
        item.shape_text = format_shape(row.output_shape) if row else ""
        extra = "" if plain else translate("CanvasView", "shortcut: {0}").format(label)
        if node.shortcut == "auto" and kind != "auto":
            extra += " " + translate("CanvasView", "(auto)")
        self._finish(item, node, row, extra)
        zone.rect = QRectF(
            frame.left(), head_bottom, frame.width(), ci.GAP * 0.75 + bottom - head_bottom
        )
        return frame.bottom(), frame.left(), frame.right()

    def repeat(
        self, node: Repeat, row: Row | None, top: float, depth: int, shape: Shape | None
    ) -> tuple[float, float, float]:
        item = self._collapsible(node, row, top, depth, shape, ci.REPEAT_HEADER)
        item.count = node.count
        self._finish(
            item,
            node,
            row,
            (
                translate("CanvasView", "1 repetition of its body")
                if node.count == 1
                else translate("CanvasView", "{0} repetitions of its body").format(node.count)
            ),
        )
        return item.rect.bottom(), item.rect.left(), item.rect.right()

    def group(
        self, node: Group, row: Row | None, top: float, depth: int, shape: Shape | None
    ) -> tuple[float, float, float]:
        """A frame with the group's name over its body: a named module, nothing added."""
        item = self._collapsible(node, row, top, depth, shape, ci.RESIDUAL_HEADER)
        self._finish(item, node, row)
        return item.rect.bottom(), item.rect.left(), item.rect.right()

    def _collapsible(
        self,
        node: Repeat | Group,
        row: Row | None,
        top: float,
        depth: int,
        shape: Shape | None,
        header: float,
    ) -> ci.ContainerItem:
        """The frame of a Repeat or Group under a ``header`` band: its body laid out
        inside, or, collapsed, one summary line instead."""
        out = row.output_shape if row else None
        if node.id in self.collapsed:
            # As wide as when expanded, so collapsing does not make the column jump.
            left, right = _extent(node.body)
            height = header + ci.SUMMARY_LINE + 4
            frame = QRectF(left - ci.PAD_X, top, right - left + 2 * ci.PAD_X, height)
            item = ci.ContainerItem(node.id, node.kind, node.name, frame, depth)
            item.collapsed = True
            item.summary_text = self._summary(node, shape, out)
        else:
            head_bottom = top + header
            body_top = head_bottom + ci.GAP
            self._arrow(head_bottom, body_top)
            bottom, _, left, right, zone = self.sequence(
                node.body, node.id, body_top, depth + 1, shape
            )
            frame_bottom = bottom + ci.GAP
            self._arrow(bottom, frame_bottom, head=False)
            frame = QRectF(left - ci.PAD_X, top, right - left + 2 * ci.PAD_X, frame_bottom - top)
            item = ci.ContainerItem(node.id, node.kind, node.name, frame, depth)
            item.body_rect = QRectF(
                left - 2, head_bottom + 1, right - left + 4, bottom - head_bottom + 4
            )
            zone.rect = QRectF(
                frame.left(), head_bottom, frame.width(), frame_bottom - 2 - head_bottom
            )
        item.shape_text = format_shape(out)
        return item

    def _summary(self, node: Repeat | Group, x: Shape | None, out: Shape | None) -> str:
        """What a collapsed Repeat or Group holds: ``9 × block · 16→32 · /2`` for a
        stage, ``13 layers · 3→512 · /32`` for a group."""
        if not node.body:
            what = translate("CanvasView", "empty")
        elif len(node.body) == 1:
            what = node.body[0].name
        else:
            what = translate("CanvasView", "{0} layers").format(len(node.body))
        parts = [f"{node.count} × {what}" if isinstance(node, Repeat) else what]
        if x is not None and out is not None and len(x) == 3 and len(out) == 3:
            parts.append(f"{x[0]}→{out[0]}" if x[0] != out[0] else str(x[0]))
            stride = shortcut_stride(x, out)  # from both sides: a 2×32 map halves to 1×16
            if stride and stride > 1:
                parts.append(f"/{stride}")
        return " · ".join(parts)


def _extent(nodes: tuple[Node, ...]) -> tuple[float, float]:
    """Left and right edges of a laid-out sequence (cards span 0 … CARD_W)."""
    left, right = 0.0, ci.CARD_W
    for node in nodes:
        if isinstance(node, CONTAINERS):
            inner_left, inner_right = _extent(node.body)
            plain = not isinstance(node, Residual) or node.shortcut == "none"
            left = min(left, inner_left - ci.PAD_X)
            right = max(right, inner_right + (ci.PAD_X if plain else ci.LANE))
    return left, right


def ancestors(network: Network) -> dict[str, tuple[str, ...]]:
    """Each node id → the ids of the containers around it, outermost first."""
    out: dict[str, tuple[str, ...]] = {}

    def visit(nodes: tuple[Node, ...], above: tuple[str, ...]) -> None:
        for node in nodes:
            out[node.id] = above
            if isinstance(node, CONTAINERS):
                visit(node.body, (*above, node.id))

    visit(network.body, ())
    return out
