"""Curve points of a run: which events, errors in percent, non-finite points out, smoothing."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from resnet_studio.figures.curves import curve_points, event_points, smooth
from resnet_studio.training.events import EpochEnd, StepMetrics
from resnet_studio.training.history import RunHistory
from resnet_studio.training.runs import RunRecord


def steps(errors: list[float]) -> list[StepMetrics]:
    return [StepMetrics(i / 10, i, 2 * e, e, 0.1, 100.0) for i, e in enumerate(errors, 1)]


def epoch(n: int, train: float, val: float) -> EpochEnd:
    return EpochEnd(n, 10 * n, 2 * train, train, 2 * val, val, 0.1, 1.0, 100.0)


def test_smoothing_is_a_moving_average_that_starts_at_the_first_point() -> None:
    y = np.array([1.0, 3.0, 3.0, 0.0])
    assert smooth(y, 0.0).tolist() == y.tolist()
    # By hand: running a = w*a + (1-w)*v from 0, divided by 1 - w**k at the k-th point.
    expected, running = [], 0.0
    for k, v in enumerate(y, 1):
        running = 0.5 * running + 0.5 * v
        expected.append(running / (1 - 0.5**k))
    assert smooth(y, 0.5).tolist() == pytest.approx(expected)
    assert smooth(y, 0.5)[:2].tolist() == pytest.approx([1.0, 7 / 3])
    # A constant stays itself: no pull towards zero at the start.
    assert smooth(np.full(1000, 42.0), 0.99).tolist() == pytest.approx([42.0] * 1000)


def test_smoothing_quiets_noise_and_follows_the_trend() -> None:
    rng = np.random.default_rng(0)
    trend = np.linspace(90, 10, 5000)
    noisy = trend + rng.normal(0, 5, 5000)
    smoothed = smooth(noisy, 0.9)
    assert np.std(smoothed[100:] - trend[100:]) < np.std(noisy - trend) / 2
    assert abs(smoothed[-1] - trend[-1]) < 3


@pytest.mark.parametrize("weight", [1.0, -0.1, math.nan, 1.5])
def test_smoothing_weight_outside_0_to_1_is_refused(weight: float) -> None:
    with pytest.raises(ValueError, match="smoothing weight"):
        smooth(np.ones(3), weight)


def test_event_points_leave_out_what_is_not_finite() -> None:
    events = steps([0.5, math.nan, 0.25, math.inf])
    x, y = event_points(events, "iteration", "error", 100.0)
    assert x.tolist() == [1, 3] and y.tolist() == [50.0, 25.0]


def test_curve_points_smooth_the_chosen_curve_only(tmp_path: Path) -> None:
    history = RunHistory([epoch(1, 0.8, 0.9), epoch(2, 0.4, 0.5)], steps([0.8, 0.2, 0.8, 0.2]))
    record = RunRecord(tmp_path, {}, history)
    x, y = curve_points(record, "error", "iterations", "train")
    assert x.tolist() == [1, 2, 3, 4] and y.tolist() == pytest.approx([80, 20, 80, 20])
    _x, smoothed = curve_points(record, "error", "iterations", "train", 0.5)
    assert smoothed.tolist() == pytest.approx(smooth(y, 0.5).tolist())
    assert smoothed[1] != pytest.approx(20)
    x, y = curve_points(record, "loss", "epochs", "val")
    assert x.tolist() == [1, 2] and y.tolist() == pytest.approx([1.8, 1.0])


def test_unknown_metric_or_axis_is_refused(tmp_path: Path) -> None:
    record = RunRecord(tmp_path, {})
    with pytest.raises(ValueError, match="metric"):
        curve_points(record, "accuracy", "epochs", "train")
    with pytest.raises(ValueError, match="x axis"):
        curve_points(record, "error", "seconds", "train")
