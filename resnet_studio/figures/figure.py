"""What a curve figure shows, as plain data: panels of lines, drawn by :mod:`.render`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Series:
    """One line: its points, how it is drawn, and an optional ± ``spread`` band around it."""

    x: np.ndarray
    y: np.ndarray
    colour: str
    label: str = ""  # the legend's text; empty: not in the legend
    dashed: bool = False  # the paper's training curves
    markers: bool = False  # keeps a short run visible: one epoch is a single point
    spread: np.ndarray | None = None  # ± a std around y: a band, or bars with ``error_bars``
    error_bars: bool = False  # the spread as a bar at each point (few points, e.g. depths)
    # The depth (weighted layers) of the network the line stands for, where a figure
    # compares depths: a view keys colours by it without reading the label's words.
    depth: int | None = None


@dataclass(frozen=True)
class Panel:
    """One plot of a figure, with its own title and legend."""

    title: str
    series: tuple[Series, ...]


@dataclass(frozen=True)
class CurveFigure:
    """Panels side by side sharing their axes' labels (and their ranges, to compare)."""

    panels: tuple[Panel, ...]
    x_label: str
    y_label: str
    caption: str = ""  # above the panels: how to read them
    columns: int = 0  # panels per row; 0: all in one row
    # Panels share their axes' ranges: all of them, or (True) those of one row only,
    # e.g. a row per depth, each with its own number of layers and scale of values.
    ranges_by_row: bool = False
    # The x values to label, when they are few and meaningful (depths); None: round ones.
    x_ticks: tuple[float, ...] | None = None

    @property
    def grid(self) -> tuple[int, int]:
        """(rows, columns) the panels are laid out in."""
        columns = min(self.columns or len(self.panels), len(self.panels)) or 1
        return -(-len(self.panels) // columns), columns
