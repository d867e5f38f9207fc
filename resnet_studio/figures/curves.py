"""The points of a run's training and validation curves (the paper's Fig. 6), without Qt.

A curve is one metric (error or loss) of one split (training or validation)
against epochs or iterations. Training curves come from the dense step
reports, validation curves from the epoch ends (see :func:`curve_fields`).
Errors are in percent. Points that are not finite (a diverged run's NaN
loss) are left out, so a line stays drawable and smoothing is not poisoned.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from resnet_studio.training.events import EpochEnd, StepMetrics

METRICS = ("error", "loss")
X_AXES = ("epochs", "iterations")
SPLITS = ("train", "val")


class History(Protocol):
    """A run's history as read from disk (``RunRecord``) or kept live (the window's
    ``RunEntry``): the epoch ends and the logged steps, in order."""

    epochs: Sequence[EpochEnd]
    steps: Sequence[StepMetrics]


def metric_scale(metric: str) -> float:
    """Factor from a stored value to a plotted one: errors are drawn in percent."""
    return 100.0 if metric == "error" else 1.0


def curve_fields(
    metric: str, x_axis: str, split: str, n_steps: int, n_epochs: int
) -> tuple[bool, str, str]:
    """Where one curve's points come from: (from the step metrics?, x field, y field).

    Training curves use the step metrics when they are denser than the epoch
    ends (the paper plots training error densely), validation curves the epoch
    ends. Epochs shorter than ``Recipe.log_every`` steps leave fewer step
    reports than epochs (a lone report draws no line): then training uses the
    epoch ends too.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; one of {', '.join(METRICS)}")
    if x_axis not in X_AXES:
        raise ValueError(f"unknown x axis {x_axis!r}; one of {', '.join(X_AXES)}")
    from_steps = split == "train" and n_steps > n_epochs
    x_field = "epoch" if x_axis == "epochs" else "iteration"
    y_field = metric if from_steps else f"{split}_{metric}"
    return from_steps, x_field, y_field


def event_points(
    events: Sequence[object], x_field: str, y_field: str, scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of ``events`` as float64 arrays, y times ``scale``, non-finite points left out.

    The window's live curves call this on each batch of new events: it must
    stay a pass over the events and nothing more.
    """
    count = len(events)
    x = np.fromiter(map(attrgetter(x_field), events), np.float64, count)
    y = np.fromiter(map(attrgetter(y_field), events), np.float64, count)
    if scale != 1.0:
        y *= scale
    finite = np.isfinite(x) & np.isfinite(y)  # a diverged run reports NaN loss
    if not finite.all():
        x, y = x[finite], y[finite]
    return x, y


def smooth(y: np.ndarray, weight: float) -> np.ndarray:
    """``y`` smoothed by an exponential moving average; ``weight`` 0 leaves it as it is.

    Each point becomes ``weight`` times the previous average plus ``1 - weight``
    times itself, as TensorBoard's smoothing slider does, divided by the weight
    the points so far carry (``1 - weight**k`` at the k-th point): the start is
    an average of the first points, not pulled towards zero.
    """
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"smoothing weight must be at least 0 and below 1, got {weight}")
    y = np.asarray(y, dtype=np.float64)
    if weight == 0.0 or len(y) == 0:
        return y.copy()
    keep = 1.0 - weight
    # A running sum in plain floats: 100,000 points take a few milliseconds.
    running = itertools.accumulate(
        y.tolist(), lambda total, v: weight * total + keep * v, initial=0.0
    )
    averages = np.fromiter(running, np.float64, len(y) + 1)[1:]
    carried = -np.expm1(np.arange(1, len(y) + 1) * np.log(weight))  # 1 - weight**k, exact near 0
    return averages / carried


def curve_points(
    history: History, metric: str, x_axis: str, split: str, smoothing: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of one curve: ``split`` is ``train`` or ``val``; errors in percent.

    Which events it uses: :func:`curve_fields`; ``smoothing`` is the weight of
    :func:`smooth` (0: none).
    """
    from_steps, x_field, y_field = curve_fields(
        metric, x_axis, split, len(history.steps), len(history.epochs)
    )
    events = history.steps if from_steps else history.epochs
    x, y = event_points(events, x_field, y_field, metric_scale(metric))
    return x, smooth(y, smoothing) if smoothing else y
