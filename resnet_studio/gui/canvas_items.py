"""The graphics items of the network canvas: layer cards, block frames, arrows.

Items only paint what they are told; :mod:`resnet_studio.gui.canvas` lays
them out from the document and handles every mouse and drag event, so an
item can be deleted by a rebuild at any moment without a handler of its own
still running.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from resnet_studio.gui.colours import kind_colour

# --- geometry (scene units = pixels at 100 % zoom) ---------------------------------

CARD_W = 260.0
CARD_H = 30.0
GAP = 18.0  # vertical space between stacked items; holds an arrow
AXIS = CARD_W / 2  # every card is centred on this vertical line
PAD_X = 12.0  # frame padding left and right of its body
LANE = 40.0  # room right of a residual body for the skip arrow
RESIDUAL_HEADER = 26.0
REPEAT_HEADER = 32.0
SUMMARY_LINE = 22.0  # the extra line of a collapsed Repeat
ADD_R = 9.0  # radius of the ⊕ circle
TAG_H = 18.0  # height of the "relu" tag under the ⊕
BOTTOM_PAD = 8.0
TOGGLE_W = 26.0  # clickable ▸/▾ area at the left of a Repeat header

# --- colours --------------------------------------------------------------------------

BACKGROUND = QColor("#F5F6F8")
TEXT = QColor("#1F2937")
MUTED = QColor("#5B6472")
ARROW = QColor("#5B6472")
ACCENT = QColor("#2563EB")
ERROR = QColor("#DC2626")

# Point sizes; the scene scales them with the zoom.
FONT_SIZE = 10.0
SMALL_SIZE = 9.0
TITLE_SIZE = 13.0

# Z order: frames (by depth) < connectors < cards < drop indicator.
Z_FRAME = 0.0
Z_CONNECTOR = 50.0
Z_CARD = 100.0
Z_INDICATOR = 1000.0


# A plain name that pyside6-lupdate extracts from: translate("Context", "text").
translate = QCoreApplication.translate


def tint(colour: QColor, amount: float) -> QColor:
    """``colour`` mixed with white; ``amount`` 0 keeps it, 1 gives white."""
    r, g, b = colour.redF(), colour.greenF(), colour.blueF()
    return QColor.fromRgbF(r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def font(size: float = FONT_SIZE, bold: bool = False, italic: bool = False) -> QFont:
    """The canvas font at ``size`` points."""
    f = QFont()
    f.setPointSizeF(size)
    f.setBold(bold)
    f.setItalic(italic)
    return f


def _is_exporting(item: QGraphicsItem) -> bool:
    scene = item.scene()
    return bool(scene is not None and scene.property("exporting"))


def _shape_width(shape_text: str) -> float:
    return QFontMetricsF(font(SMALL_SIZE)).horizontalAdvance(shape_text)


def _draw_shape(painter: QPainter, row: QRectF, right: float, shape_text: str) -> float:
    """Output shape right-aligned at ``right`` in ``row``; returns where the rest must end."""
    shape_w = _shape_width(shape_text)
    painter.setFont(font(SMALL_SIZE))
    painter.setPen(MUTED)
    painter.drawText(
        QRectF(right - shape_w, row.top(), shape_w + 1, row.height()),
        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
        shape_text,
    )
    return right - shape_w - 10


def fix_text() -> str:
    """The label of the button that offers a card's quick fixes."""
    return translate("CanvasView", "Fix…")


def _badge_rect(row: QRectF, right: float, fixable: bool) -> QRectF:
    """Where the error badge ends at ``right``: a ! circle, or a wider "Fix…" button."""
    y = row.center().y()
    if fixable:
        width = QFontMetricsF(font(SMALL_SIZE, bold=True)).horizontalAdvance(fix_text()) + 12
        return QRectF(right - width, y - 8, width, 16)
    return QRectF(right - 14, y - 7, 14, 14)


def _draw_badge(painter: QPainter, rect: QRectF, fixable: bool) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ERROR)
    if fixable:
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    else:
        painter.drawEllipse(rect)
    painter.setPen(QColor("white"))
    painter.setFont(font(SMALL_SIZE, bold=True))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, fix_text() if fixable else "!")


def _draw_arrow_head(painter: QPainter, tip: QPointF, angle: float, size: float = 7.0) -> None:
    """A filled triangle with its tip at ``tip``, pointing along ``angle`` (radians)."""
    back = angle + math.pi
    spread = 0.45
    p1 = tip + QPointF(math.cos(back - spread) * size, math.sin(back - spread) * size)
    p2 = tip + QPointF(math.cos(back + spread) * size, math.sin(back + spread) * size)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawPolygon(QPolygonF([tip, p1, p2]))


class NodeItem(QGraphicsItem):
    """Base of items that stand for a spec node: selectable, known by ``node_id``."""

    def __init__(self, node_id: str, kind: str, rect: QRectF) -> None:
        super().__init__()
        self.node_id = node_id
        self.kind = kind
        self.rect = QRectF(rect)
        self.error: str | None = None
        self.fixes: list = []  # arch.fixes for the error, offered behind its badge
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(False)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self.rect.adjusted(-2, -2, 2, 2)

    def set_computed(self, computed: bool) -> None:
        """Dim the item when its input is unknown because of an earlier error."""
        self.setOpacity(1.0 if computed else 0.45)

    def highlighted(self) -> bool:
        return self.isSelected() and not _is_exporting(self)

    def badge_rect(self) -> QRectF | None:
        """Where the error badge (the "Fix…" button when fixes exist) is drawn; None if none."""
        return None

    def fix_rect(self) -> QRectF | None:
        """The clickable "Fix…" button, when the item's error has fixes."""
        return self.badge_rect() if self.fixes else None


class CardItem(NodeItem):
    """A layer: a rounded box in its kind's colour with name, settings and output shape."""

    def __init__(
        self,
        node_id: str,
        kind: str,
        name: str,
        settings: str,
        shape_text: str,
        rect: QRectF,
    ) -> None:
        super().__init__(node_id, kind, rect)
        self.name = name
        self.settings = settings
        self.shape_text = shape_text
        self.setZValue(Z_CARD)

    def label(self) -> str:
        """The one-line text of the card, as shown (``conv1  3×3, 16, /2``)."""
        return f"{self.name}  {self.settings}" if self.settings else self.name

    def badge_rect(self) -> QRectF | None:
        if not self.error:
            return None
        right = self.rect.right() - 20 - _shape_width(self.shape_text)
        return _badge_rect(self.rect, right, bool(self.fixes))

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        colour = kind_colour(self.kind)
        r = self.rect
        radius = 6.0
        outline = QPainterPath()
        outline.addRoundedRect(r, radius, radius)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillPath(outline, tint(colour, 0.84))
        # The darker stripe on the left says the kind at a glance.
        painter.save()
        painter.setClipPath(outline)
        painter.fillRect(QRectF(r.left(), r.top(), 6, r.height()), colour)
        painter.restore()
        if self.error:
            pen = QPen(ERROR, 2.0)
        elif self.highlighted():
            pen = QPen(ACCENT, 2.5)
        else:
            pen = QPen(colour.darker(115), 1.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(r, radius, radius)
        if self.error and self.highlighted():
            painter.setPen(QPen(ACCENT, 1.5))
            painter.drawRoundedRect(r.adjusted(2.5, 2.5, -2.5, -2.5), radius - 2, radius - 2)

        # Output shape on the right, the error badge, then the label in what is left.
        right = _draw_shape(painter, r, r.right() - 10, self.shape_text)
        badge = self.badge_rect()
        if badge is not None:
            _draw_badge(painter, badge, bool(self.fixes))
            right = badge.left() - 6
        left = r.left() + 14
        bold = font(FONT_SIZE, bold=True)
        bold_metrics = QFontMetricsF(bold)
        name = bold_metrics.elidedText(self.name, Qt.TextElideMode.ElideRight, right - left)
        painter.setFont(bold)
        painter.setPen(TEXT)
        text_rect = QRectF(left, r.top(), right - left, r.height())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, name)
        if self.settings and name == self.name:
            left += bold_metrics.horizontalAdvance(name) + 9
            regular = font(FONT_SIZE)
            settings = QFontMetricsF(regular).elidedText(
                self.settings, Qt.TextElideMode.ElideRight, max(0.0, right - left)
            )
            painter.setFont(regular)
            painter.setPen(TEXT.lighter(130))
            painter.drawText(
                QRectF(left, r.top(), max(0.0, right - left), r.height()),
                Qt.AlignmentFlag.AlignVCenter,
                settings,
            )


class ContainerItem(NodeItem):
    """The frame of a Residual, Repeat or Group block, with its header.

    Only the header and the frame's margins take clicks (``shape``); the
    inside belongs to the cards and to rubber-band selection.
    """

    def __init__(self, node_id: str, kind: str, name: str, rect: QRectF, depth: int) -> None:
        super().__init__(node_id, kind, rect)
        self.name = name
        self.header_h = REPEAT_HEADER if kind == "Repeat" else RESIDUAL_HEADER
        self.body_rect: QRectF | None = None  # the inside, in scene coordinates
        self.shape_text = ""
        # Repeat and Group
        self.collapsed = False
        self.summary_text = ""
        # Repeat only
        self.count = 0
        # Residual only
        self.shortcut_label = ""
        self.shortcut_tip = ""
        self.setZValue(Z_FRAME + depth)

    @property
    def badge_text(self) -> str:
        """The ``×N`` badge of a Repeat."""
        return f"×{self.count}"

    def toggle_rect(self) -> QRectF:
        """The clickable ▸/▾ area of a Repeat's or Group's header (scene coordinates)."""
        return QRectF(self.rect.left(), self.rect.top(), TOGGLE_W + 6, self.header_h)

    def header_rect(self) -> QRectF:
        return QRectF(self.rect.left(), self.rect.top(), self.rect.width(), self.header_h)

    def badge_rect(self) -> QRectF | None:
        if not self.error:
            return None
        if self.kind in ("Repeat", "Group"):  # left of the output shape, as on a card
            right = self.rect.right() - 20 - _shape_width(self.shape_text)
        else:  # left of the shortcut's label
            label_w = QFontMetricsF(font(SMALL_SIZE, italic=True)).horizontalAdvance(
                self.shortcut_label
            )
            right = self.rect.right() - 20 - label_w
        return _badge_rect(self.header_rect(), right, bool(self.fixes))

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.rect, 10, 10)
        if self.body_rect is not None and not self.collapsed:
            inner = QPainterPath()
            inner.addRect(self.body_rect)
            path = path.subtracted(inner)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        colour = kind_colour(self.kind)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.rect
        radius = 10.0
        fill = tint(colour, 0.93 if self.kind == "Repeat" else 0.88)
        if self.error:
            pen = QPen(ERROR, 2.0)
        elif self.highlighted():
            pen = QPen(ACCENT, 2.5)
        else:
            pen = QPen(tint(colour, 0.25), 1.2)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(r, radius, radius)
        if self.kind == "Repeat":
            self._paint_repeat_header(painter, colour)
        elif self.kind == "Group":
            self._paint_group_header(painter, colour)
        else:
            self._paint_residual_header(painter, colour)

    def _paint_header_band(self, painter: QPainter, colour: QColor, divider: bool) -> None:
        """A slightly stronger band for a Repeat's or Group's header, with a line under
        it when the body shows."""
        r = self.rect
        head = self.header_rect()
        band = QPainterPath()
        band.addRoundedRect(r.adjusted(1, 1, -1, -1), 9, 9)
        painter.save()
        painter.setClipRect(head.adjusted(0, 0, 0, -0.5))
        painter.fillPath(band, tint(colour, 0.78))
        painter.restore()
        if divider:
            painter.setPen(QPen(tint(colour, 0.45), 1.0))
            painter.drawLine(QLineF(r.left() + 1, head.bottom(), r.right() - 1, head.bottom()))

    def _paint_toggle(self, painter: QPainter, colour: QColor) -> None:
        """▸ when collapsed, ▾ when the body shows, at the left of the header."""
        cx, cy = self.rect.left() + 14, self.header_rect().center().y()
        if self.collapsed:
            tri = [QPointF(cx - 3, cy - 5), QPointF(cx + 4, cy), QPointF(cx - 3, cy + 5)]
        else:
            tri = [QPointF(cx - 5, cy - 3), QPointF(cx + 5, cy - 3), QPointF(cx, cy + 4)]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour.darker(140))
        painter.drawPolygon(QPolygonF(tri))

    def _paint_summary(self, painter: QPainter) -> None:
        """The line under a collapsed header: what the body holds."""
        if not (self.collapsed and self.summary_text):
            return
        r, head = self.rect, self.header_rect()
        small = font(SMALL_SIZE)
        line = QRectF(r.left() + TOGGLE_W, head.bottom(), r.width() - TOGGLE_W - 10, SUMMARY_LINE)
        painter.setFont(small)
        painter.setPen(MUTED)
        text = QFontMetricsF(small).elidedText(
            self.summary_text, Qt.TextElideMode.ElideRight, line.width()
        )
        painter.drawText(line, Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_group_header(self, painter: QPainter, colour: QColor) -> None:
        """A band with the ▸/▾ toggle and the group's name on the left and its output
        shape on the right; the summary line under it when collapsed."""
        r = self.rect
        head = self.header_rect()
        self._paint_header_band(painter, colour, divider=not self.collapsed)
        self._paint_toggle(painter, colour)
        right = _draw_shape(painter, head, r.right() - 10, self.shape_text)
        error_badge = self.badge_rect()
        if error_badge is not None:
            _draw_badge(painter, error_badge, bool(self.fixes))
            right = error_badge.left() - 6
        left = r.left() + TOGGLE_W
        bold = font(FONT_SIZE, bold=True)
        name = QFontMetricsF(bold).elidedText(
            self.name, Qt.TextElideMode.ElideRight, max(0.0, right - left)
        )
        painter.setFont(bold)
        painter.setPen(TEXT)
        painter.drawText(
            QRectF(left, head.top(), max(0.0, right - left), head.height()),
            Qt.AlignmentFlag.AlignVCenter,
            name,
        )
        self._paint_summary(painter)

    def _paint_repeat_header(self, painter: QPainter, colour: QColor) -> None:
        r = self.rect
        head = self.header_rect()
        self._paint_header_band(painter, colour, divider=not self.collapsed)
        self._paint_toggle(painter, colour)
        # name, ×N badge, output shape
        bold = font(FONT_SIZE, bold=True)
        bold_metrics = QFontMetricsF(bold)
        right = _draw_shape(painter, head, r.right() - 10, self.shape_text)
        error_badge = self.badge_rect()
        if error_badge is not None:
            _draw_badge(painter, error_badge, bool(self.fixes))
            right = error_badge.left() - 6
        badge_font = font(SMALL_SIZE, bold=True)
        badge_w = QFontMetricsF(badge_font).horizontalAdvance(self.badge_text) + 14
        left = r.left() + TOGGLE_W
        name = bold_metrics.elidedText(
            self.name, Qt.TextElideMode.ElideRight, max(0.0, right - left - badge_w - 8)
        )
        painter.setFont(bold)
        painter.setPen(TEXT)
        painter.drawText(
            QRectF(left, head.top(), right - left, head.height()),
            Qt.AlignmentFlag.AlignVCenter,
            name,
        )
        left += bold_metrics.horizontalAdvance(name) + 8
        badge = QRectF(left, head.center().y() - 9, badge_w, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour.darker(115))
        painter.drawRoundedRect(badge, 9, 9)
        painter.setPen(QColor("white"))
        painter.setFont(badge_font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, self.badge_text)
        self._paint_summary(painter)

    def _paint_residual_header(self, painter: QPainter, colour: QColor) -> None:
        r = self.rect
        head = self.header_rect()
        small = font(SMALL_SIZE)
        label_font = font(SMALL_SIZE, italic=True)
        label_w = QFontMetricsF(label_font).horizontalAdvance(self.shortcut_label)
        right = r.right() - 10
        painter.setFont(label_font)
        painter.setPen(colour.darker(150))
        painter.drawText(
            QRectF(right - label_w, head.top(), label_w + 1, head.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            self.shortcut_label,
        )
        right -= label_w + 10
        badge = self.badge_rect()
        if badge is not None:
            _draw_badge(painter, badge, bool(self.fixes))
            right = badge.left() - 6
        bold = font(SMALL_SIZE, bold=True)
        left = r.left() + 10
        right = min(right, AXIS - 8)  # keep clear of the line through the header
        painter.setFont(bold)
        painter.setPen(colour.darker(170))
        name = QFontMetricsF(bold).elidedText(
            self.name, Qt.TextElideMode.ElideRight, max(0.0, right - left)
        )
        painter.drawText(
            QRectF(left, head.top(), max(0.0, right - left), head.height()),
            Qt.AlignmentFlag.AlignVCenter,
            name,
        )
        # The block's output shape, bottom right under the body.
        if self.shape_text and self.body_rect is not None:
            row = QRectF(r.left(), r.bottom() - BOTTOM_PAD - TAG_H, CARD_W - r.left(), TAG_H)
            painter.setFont(small)
            painter.setPen(MUTED)
            painter.drawText(
                row.adjusted(0, 0, -10, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                self.shape_text,
            )


class ArrowItem(QGraphicsItem):
    """A straight connector with an optional arrowhead at its end."""

    def __init__(self, start: QPointF, end: QPointF, head: bool = True) -> None:
        super().__init__()
        self.line = QLineF(start, end)
        self.head = head
        self.setZValue(Z_CONNECTOR)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(-6, -6, 6, 6)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = QLineF(self.line)
        if self.head and line.length() > 4:
            line.setLength(line.length() - 5)  # the line stops inside the head
        painter.setPen(QPen(ARROW, 1.4))
        painter.drawLine(line)
        if self.head:
            painter.setBrush(ARROW)
            angle = math.atan2(self.line.dy(), self.line.dx())
            _draw_arrow_head(painter, self.line.p2(), angle)


class SkipArrowItem(QGraphicsItem):
    """The shortcut of a residual block: solid for identity, dashed when it reshapes x."""

    def __init__(self, path: QPainterPath, shortcut: str, dashed: bool) -> None:
        super().__init__()
        self.path = path
        self.shortcut = shortcut  # resolved: identity, zero-pad, projection, auto
        self.dashed = dashed
        self.setZValue(Z_CONNECTOR)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self.path.boundingRect().adjusted(-8, -8, 8, 8)

    def pen(self) -> QPen:
        pen = QPen(kind_colour("Residual").darker(125), 1.8)
        if self.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path)
        start = self.path.pointAtPercent(0)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(kind_colour("Residual").darker(125))
        painter.drawEllipse(start, 3.0, 3.0)  # where x branches off
        end = self.path.pointAtPercent(1)
        angle = -math.radians(self.path.angleAtPercent(1))
        _draw_arrow_head(painter, end, angle)


class AddItem(QGraphicsItem):
    """The ⊕ where body and shortcut meet, with a ``relu`` tag when ReLU follows."""

    def __init__(self, centre: QPointF, post_relu: bool) -> None:
        super().__init__()
        self.centre = centre
        self.post_relu = post_relu
        self.setZValue(Z_CARD)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(self.centre.x() - 30, self.centre.y() - ADD_R - 2, 60, 2 * ADD_R + TAG_H + 8)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = self.centre
        colour = kind_colour("Residual").darker(125)
        painter.setPen(QPen(colour, 1.6))
        painter.setBrush(QColor("white"))
        painter.drawEllipse(c, ADD_R, ADD_R)
        arm = ADD_R - 3.5
        painter.drawLine(QLineF(c.x() - arm, c.y(), c.x() + arm, c.y()))
        painter.drawLine(QLineF(c.x(), c.y() - arm, c.x(), c.y() + arm))
        if self.post_relu:
            painter.setPen(QPen(ARROW, 1.4))
            painter.drawLine(QLineF(c.x(), c.y() + ADD_R, c.x(), c.y() + ADD_R + 4))
            paint_relu_tag(painter, QPointF(c.x(), c.y() + ADD_R + 4 + TAG_H / 2))


def paint_relu_tag(painter: QPainter, centre: QPointF) -> None:
    """The small ``relu`` pill that marks a ReLU after a block."""
    colour = kind_colour("ReLU")
    small = font(SMALL_SIZE - 0.5)
    text = translate("CanvasView", "relu")
    width = QFontMetricsF(small).horizontalAdvance(text) + 14
    rect = QRectF(centre.x() - width / 2, centre.y() - TAG_H / 2, width, TAG_H)
    painter.setPen(QPen(colour.darker(115), 1.0))
    painter.setBrush(tint(colour, 0.75))
    painter.drawRoundedRect(rect, TAG_H / 2, TAG_H / 2)
    painter.setPen(TEXT)
    painter.setFont(small)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class ReluTagItem(QGraphicsItem):
    """A ``relu`` tag alone: the ReLU after a plain block (no ⊕)."""

    def __init__(self, centre: QPointF) -> None:
        super().__init__()
        self.centre = centre
        self.setZValue(Z_CARD)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(self.centre.x() - 30, self.centre.y() - TAG_H / 2 - 1, 60, TAG_H + 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_relu_tag(painter, self.centre)


class PlaceholderItem(QGraphicsItem):
    """A dashed box saying where to drop layers into an empty block (or network)."""

    def __init__(self, rect: QRectF, parent_id: str | None) -> None:
        super().__init__()
        self.rect = QRectF(rect)
        self.parent_id = parent_id
        self.text = translate("CanvasView", "drop layers here")
        self.setZValue(Z_CARD)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self.rect.adjusted(-1, -1, 1, 1)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(MUTED.lighter(150), 1.2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(self.rect, 6, 6)
        painter.setPen(MUTED)
        painter.setFont(font(SMALL_SIZE, italic=True))
        painter.drawText(self.rect, Qt.AlignmentFlag.AlignCenter, self.text)


class TextBlockItem(QGraphicsItem):
    """Lines of text centred on a vertical axis: the title and the output at the bottom."""

    def __init__(self, axis_x: float, top: float, lines: list[tuple[str, QFont, QColor]]) -> None:
        super().__init__()
        self.lines = lines
        self.axis_x = axis_x
        self.top = top
        self._heights = [QFontMetricsF(f).height() + 2 for _, f, _ in lines]
        self._width = max((QFontMetricsF(f).horizontalAdvance(t) for t, f, _ in lines), default=0)
        self.setZValue(Z_CARD)

    def height(self) -> float:
        return sum(self._heights)

    def text(self) -> str:
        return "\n".join(t for t, _, _ in self.lines)

    def boundingRect(self) -> QRectF:  # noqa: N802
        w = self._width + 8
        return QRectF(self.axis_x - w / 2, self.top, w, self.height())

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        y = self.top
        w = self._width + 8
        for (text, f, colour), h in zip(self.lines, self._heights, strict=True):
            painter.setFont(f)
            painter.setPen(colour)
            painter.drawText(
                QRectF(self.axis_x - w / 2, y, w, h), Qt.AlignmentFlag.AlignCenter, text
            )
            y += h


class DropIndicator(QGraphicsItem):
    """The accent line that shows where a drop would land."""

    def __init__(self) -> None:
        super().__init__()
        self.line = QLineF()
        self.setZValue(Z_INDICATOR)
        self.hide()

    def place(self, y: float, left: float, right: float) -> None:
        self.prepareGeometryChange()
        self.line = QLineF(left, y, right, y)
        self.show()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(-6, -6, 6, 6)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(ACCENT, 3.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(self.line)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(ACCENT))
        painter.drawEllipse(self.line.p1(), 4.5, 4.5)
        painter.drawEllipse(self.line.p2(), 4.5, 4.5)
