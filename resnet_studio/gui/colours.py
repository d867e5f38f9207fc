"""One colour per layer kind, shared by the palette, the canvas and the layers table.

Hues group kinds by role (convolutions blue, normalisation green, activations
orange, pools purple, heads red, no-ops grey, containers as frames) so the
same colour means the same thing in every view. Colours are mid-tone so black
text stays readable on them and white backgrounds still show them.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

KIND_COLOURS: dict[str, str] = {
    # layers
    "Conv2d": "#5B8FD4",
    "BatchNorm2d": "#5DB176",
    "ReLU": "#F29A3D",
    "LeakyReLU": "#F6B867",
    "ReLU6": "#E8862A",
    "SiLU": "#F4A95A",
    "GELU": "#EFB27A",
    "MaxPool2d": "#9A7BD0",
    "AvgPool2d": "#B79BDE",
    "GlobalAvgPool": "#8E959E",
    "AdaptiveAvgPool2d": "#A58FC8",
    "Flatten": "#A9AFB6",
    "Linear": "#E0645F",
    "Dropout": "#C9CDD2",
    "Identity": "#DADDE1",
    # containers (drawn as frames) and the rows inference adds for them
    "Residual": "#2A9D8F",
    "Repeat": "#C9962B",
    "Group": "#7C8AA5",
    "Repetition": "#DDB65C",
    "Projection": "#6CC2B6",
    "ZeroPadShortcut": "#A3D9D1",
}
DEFAULT_COLOUR = "#B0B0B0"


# Kinds drawn as a frame around their children rather than as a filled box.
FRAME_KINDS = frozenset({"Residual", "Repeat", "Repetition", "Projection", "Group"})


def kind_colour(kind: str) -> QColor:
    """The colour of a layer kind (a neutral grey for kinds without one)."""
    return QColor(KIND_COLOURS.get(kind, DEFAULT_COLOUR))


def tint(colour: QColor, amount: float) -> QColor:
    """``colour`` mixed with white: 0 gives the colour, 1 gives white (a pale fill)."""
    return QColor.fromRgbF(
        colour.redF() + (1 - colour.redF()) * amount,
        colour.greenF() + (1 - colour.greenF()) * amount,
        colour.blueF() + (1 - colour.blueF()) * amount,
    )


def _paint_icon(kind: str, size: int, block: bool) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    colour = kind_colour(kind)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 16
    rect = QRectF(1.5 * unit, 1.5 * unit, size - 3 * unit, size - 3 * unit)
    radius = 3 * unit
    if kind in FRAME_KINDS or block:
        # A frame: coloured outline on a pale fill, like the canvas's container boxes.
        painter.setPen(QPen(colour, 2 * unit))
        painter.setBrush(tint(colour, 0.8))
        painter.drawRoundedRect(rect, radius, radius)
        if block:
            # Two small layers inside: a block is a Residual with its body filled in.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(kind_colour("Conv2d"))
            bar_h = 2.5 * unit
            painter.drawRoundedRect(QRectF(4.5 * unit, 4.5 * unit, 7 * unit, bar_h), unit, unit)
            painter.setBrush(kind_colour("BatchNorm2d"))
            painter.drawRoundedRect(QRectF(4.5 * unit, 9 * unit, 7 * unit, bar_h), unit, unit)
    else:
        painter.setPen(QPen(colour.darker(140), unit))
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, radius, radius)
    painter.end()
    return pixmap


@cache
def kind_icon(kind: str, block: bool = False) -> QIcon:
    """A small rounded-square icon in the kind's colour (a frame for containers).

    ``block`` draws a frame with two layers inside, for ready-made blocks.
    Drawn at 16, 32 and 64 px so it stays crisp on high-DPI screens.
    """
    icon = QIcon()
    for size in (16, 32, 64):
        pixmap = _paint_icon(kind, size, block)
        icon.addPixmap(pixmap)
        icon.addPixmap(pixmap, QIcon.Mode.Selected)  # keep the true colour on selected rows
    return icon
