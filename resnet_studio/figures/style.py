"""Colours of runs in every plot (the window's and the files drawn headless)."""

from __future__ import annotations

# One colour per training run: distinct, and they survive printing in grey (Tableau 10).
RUN_PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip


def run_colour(index: int) -> str:
    """The ``index``-th run's colour (the palette repeats after ten)."""
    return RUN_PALETTE[index % len(RUN_PALETTE)]
