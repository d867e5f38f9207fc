"""Per-layer statistics of a run as curve data (the paper's Fig. 7), without Qt.

The engine records, at the end of an epoch, each 3×3 layer's response std
(its BatchNorm output, before the ReLU or the addition) and each conv/linear
weight's gradient norm, in the order of the model's modules. The paper plots
the response std in network order and ranked in descending order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from resnet_studio.figures.curves import History
    from resnet_studio.training.events import EpochEnd

RESPONSE_STD = "response_std"
GRAD_NORM = "grad_norm"
LAYER_METRICS = (RESPONSE_STD, GRAD_NORM)


def stats_epochs(history: History) -> list[EpochEnd]:
    """The epoch ends of ``history`` that carry layer statistics, in order."""
    return [e for e in history.epochs if e.layer_stats]


def layer_values(
    epoch: EpochEnd, metric: str, ranked: bool = False
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(layer paths, x, y) of one epoch's ``metric``: x counts layers from 1.

    Layers without a value for ``metric`` are left out. In network order, or
    ``ranked``: largest first (a NaN last), the paths following their values.
    """
    if metric not in LAYER_METRICS:
        raise ValueError(f"unknown layer metric {metric!r}; one of {', '.join(LAYER_METRICS)}")
    pairs = [(s.path, getattr(s, metric)) for s in epoch.layer_stats]
    pairs = [(path, float(v)) for path, v in pairs if v is not None]
    paths = [p for p, _v in pairs]
    y = np.array([v for _p, v in pairs], dtype=np.float64)
    if ranked:
        order = np.argsort(-y, kind="stable")  # NaN sorts last
        y = y[order]
        paths = [paths[i] for i in order]
    return paths, np.arange(1, len(y) + 1, dtype=np.float64), y
