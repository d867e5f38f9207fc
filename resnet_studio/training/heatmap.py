"""Colours of a confusion matrix, shared by the report files and the window (numpy only).

Kept free of torch and Qt, so the window can draw a matrix without waiting for
torch to load.
"""

from __future__ import annotations

import numpy as np

# From white (no images) to dark blue (every image of the true class), as in
# matplotlib's "Blues".
LOW = np.array([247, 251, 255], dtype=np.float32)
HIGH = np.array([8, 48, 107], dtype=np.float32)
# Above this fraction a cell is dark enough to need white text.
DARK = 0.5


def row_fractions(confusion: np.ndarray) -> np.ndarray:
    """Each count as a fraction of its true class's images (0 for an empty class)."""
    totals = confusion.sum(axis=1, keepdims=True).astype(np.float64)
    return np.divide(confusion, totals, out=np.zeros(confusion.shape), where=totals > 0)


def heat_colours(fractions: np.ndarray) -> np.ndarray:
    """uint8 H×W×3 colours of ``fractions`` (0..1) on the white-to-blue scale."""
    f = fractions.astype(np.float32)[..., None]
    return (LOW + (HIGH - LOW) * f).round().astype(np.uint8)
