"""The plots' axes: an opaque grid, and log scales labelled 10, 20, 50 as people write them.

pyqtgraph labels a log axis ``8·10¹`` and ``2·10⁻³``, at every mantissa from 1 to 9;
ours reads 10, 20, 50, 100 (0.002 for a small gradient norm), with ticks at 1, 2 and
5 times each power of ten, or at round steps when the axis spans less than a decade
(85 to 93 % error: 86, 88, 90, 92).
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPainter, QPen

MANTISSAS = (2, 5)  # ticks between powers of ten
GRID_Z = -200  # under pyqtgraph's view box (-100), which holds the curves


def plain_numbers(values: list[float]) -> list[str]:
    """``values`` without exponents: 20, 0.002, 150, 1,000,000 (1e-07 past that), with
    three significant digits, or the decimals that tell neighbours apart (99.95, 100)."""
    finite = sorted(v for v in values if math.isfinite(v))
    gaps = [b - a for a, b in zip(finite, finite[1:], strict=False) if b > a]
    telling = math.ceil(-math.log10(min(gaps))) if gaps else 0
    shown = []
    for value in values:
        if not 1e-5 <= abs(value) < 1e9:  # zero, or too many zeros to read: 1e-07
            shown.append(f"{value:g}")
            continue
        decimals = max(0, 2 - math.floor(math.log10(abs(value))), telling)
        text = f"{value:,.{decimals}f}"
        shown.append(text.rstrip("0").rstrip(".") if "." in text else text)
    return shown


def log_ticks(low: float, high: float) -> list[tuple[float | None, list[float]]]:
    """Ticks of a log axis showing log10 values ``low`` to ``high``: pyqtgraph's levels
    ``(spacing, values)``. Over a decade or more: powers of ten, then 2 and 5 times them.
    Within less (85 to 93 % error), log and linear look alike: round steps, 86, 88, 90."""
    low, high = sorted((low, high))
    if high - low < 1:
        first, last = 10.0**low, 10.0**high
        step = _round_step((last - first) / 5)
        # The ends count when float rounding puts them a hair outside (10**log10(40)).
        start, stop = math.ceil(first / step - 1e-9), math.floor(last / step + 1e-9)
        values = [i * step for i in range(start, stop + 1)]
        return [(None, [math.log10(v) for v in values if v > 0])]
    powers = [float(p) for p in range(math.ceil(low), math.floor(high) + 1)]
    between = [
        p + math.log10(m)
        for p in range(math.floor(low), math.ceil(high))
        for m in MANTISSAS
        if low <= p + math.log10(m) <= high
    ]
    return [(1.0, powers), (None, between)]


def _round_step(rough: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that is at least ``rough``."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


class OpaqueGridAxis(pg.AxisItem):
    """An axis whose grid lines are opaque (the same light grey on the white background)
    and whose log scale reads in plain numbers.

    Qt's raster engine draws translucent lines about ten times slower than
    opaque ones; pyqtgraph's translucent grid took more time than the curves.
    Opaque, the grid goes behind the curves, not over them: the axis stays under
    the view box (z -100) whatever z the plot gives it.
    """

    def setZValue(self, z: float) -> None:  # noqa: N802 - Qt's name
        super().setZValue(min(z, GRID_Z))

    def generateDrawSpecs(self, p: QPainter):  # noqa: N802 - pyqtgraph's name
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis, ticks, texts = specs
        return axis, [(_on_white(pen), a, b) for pen, a, b in ticks], texts

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 - pyqtgraph's
        return log_ticks(minVal, maxVal)

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        return plain_numbers([10.0**v * scale for v in values])


def _on_white(pen: QPen) -> QPen:
    """``pen`` with its colour blended onto white, fully opaque."""
    colour = pen.color()
    alpha = colour.alphaF()
    if alpha >= 1.0:
        return pen
    opaque = QPen(pen)
    r, g, b = (alpha * c + 1.0 - alpha for c in colour.getRgbF()[:3])
    opaque.setColor(QColor.fromRgbF(r, g, b))
    return opaque
