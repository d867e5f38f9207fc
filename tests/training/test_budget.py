"""--budget: durations as people write them, and the iteration count that fits."""

from __future__ import annotations

import pytest

from resnet_studio.arch.presets import preset_network
from resnet_studio.training.budget import (
    START_UP_S,
    BudgetError,
    images_per_second,
    parse_duration,
    plan,
)


@pytest.mark.parametrize(
    ("text", "seconds"), [("45m", 2700), ("1.5h", 5400), ("90s", 90), ("2h30m", 9000)]
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["45", "soon", "0m", "-5m", "45m and more"])
def test_a_duration_that_is_no_time_is_one_line(text: str) -> None:
    with pytest.raises(BudgetError, match=r"^--budget: "):
        parse_duration(text)


def _plan(budget_s: float, parallel: int = 2):
    return plan(
        budget_s,
        {"plain20": 2, "plain56": 2},
        {"plain20": 1000.0, "plain56": 400.0},
        batch=100,
        parallel=parallel,
        train_images=10_000,
        eval_images=0,
    )


def test_the_plan_fills_the_budget_and_no_more() -> None:
    fitted = _plan(3600)
    assert fitted.seconds <= 3600
    # Shared out over two processes: 4 start-ups + 2×(0.1 + 0.25) s per iteration.
    assert fitted.iterations == int((3600 * 2 - 4 * START_UP_S) / 0.7) // 10 * 10
    longer = _plan(7200)
    assert longer.iterations > 1.9 * fitted.iterations


def test_the_slowest_run_bounds_the_plan_when_runs_outnumber_nothing() -> None:
    # With four processes for four runs, the plain56 runs alone set the length.
    fitted = _plan(3600, parallel=4)
    assert fitted.iterations == int((3600 - START_UP_S) / 0.25) // 10 * 10


def test_a_budget_too_short_says_how_long_the_least_takes() -> None:
    with pytest.raises(BudgetError, match=r"too short for 4 runs, 2 at a time: even 50 "):
        _plan(30)


def test_speed_is_measured_on_the_network_itself() -> None:
    small = preset_network("cifar-plain20")
    assert images_per_second(small, batch=8, threads=1, steps=2) > 0
