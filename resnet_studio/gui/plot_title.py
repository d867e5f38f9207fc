"""A plot's title as its legend: a coloured key per line, above the data, never over it.

pyqtgraph's legend sits inside the plot and hides the curves under it; a title
line of keys does not, and it goes into saved figures with the plot. The keys
wrap onto as many lines as the plot's width needs (a long title line would
otherwise widen the plot past its tab), and the title's row grows to fit them.
"""

from __future__ import annotations

import html
import math

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

SIZE_PT = 9
GAP = "\u2003\u2003"  # two em spaces between keys, where lines may break
MARGIN = 16  # pixels kept free at the title's ends


class KeyTitle:
    """The title of ``plot``: keys (a coloured ``sample`` and a name) then ``caption``.

    Call :meth:`set_keys` when the lines drawn change; the title rewraps itself
    when the plot is resized.
    """

    def __init__(self, plot: pg.PlotItem, caption: str = "", sample: str = "━━") -> None:
        self.plot = plot
        self.caption = caption
        self.sample = sample
        self._keys: list[tuple[str, str]] = []
        self._lines: list[list[str]] = []
        font = QFont()
        font.setPointSizeF(SIZE_PT)
        self._metrics = QFontMetricsF(font)
        self._width = 0.0
        plot.geometryChanged.connect(self._resized)
        self._show()

    def set_keys(self, keys: list[tuple[str, str]]) -> None:
        """One key per ``(name, colour)``, in this order."""
        if keys != self._keys:
            self._keys = list(keys)
            self._show()

    def names(self) -> list[str]:
        """The names of the keys shown."""
        return [name for name, _colour in self._keys]

    def lines(self) -> list[list[str]]:
        """The title's text, line by line, as pieces (a key's name, or the caption)."""
        return [list(line) for line in self._lines]

    def _resized(self) -> None:
        if abs(self.plot.width() - self._width) >= 1:
            self._show()

    def _pieces(self) -> list[tuple[str, str, str]]:
        """(plain text to measure, HTML to show, what :meth:`lines` calls it) of each piece."""
        pieces = [
            (
                f"{self.sample} {name}",
                f"<span style='color:{colour}'>{self.sample}</span>&nbsp;{html.escape(name)}",
                name,
            )
            for name, colour in self._keys
        ]
        if self.caption:
            shown = f"<span style='color:#666'>{html.escape(self.caption)}</span>"
            pieces.append((self.caption, shown, self.caption))
        return pieces

    def _show(self) -> None:
        self._width = self.plot.width()
        room = self._width - 2 * MARGIN if self._width > 4 * MARGIN else math.inf
        gap = self._metrics.horizontalAdvance(GAP)
        lines: list[list[tuple[str, str, str]]] = []
        used = math.inf
        for piece in self._pieces():
            width = self._metrics.horizontalAdvance(piece[0])
            if lines and used + gap + width <= room:
                lines[-1].append(piece)
                used += gap + width
            else:  # a piece wider than the room still gets a line of its own
                lines.append([piece])
                used = width
        self._lines = [[name for _text, _html, name in line] for line in lines]
        if not lines:
            self.plot.setTitle(None)
            return
        text = "<br>".join(GAP.join(shown for _text, shown, _name in line) for line in lines)
        self.plot.setTitle(text, color="#222", size=f"{SIZE_PT}pt")
        height = math.ceil(len(lines) * self._metrics.lineSpacing() + 10)
        self.plot.titleLabel.setMaximumHeight(height)
        self.plot.layout.setRowFixedHeight(0, height)
