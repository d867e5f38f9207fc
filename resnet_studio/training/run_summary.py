"""A run in a few numbers: final and best errors (or losses), training time, parameters.

``resnet-studio compare`` prints them and the window's runs table shows them;
both take them from here, so the two never disagree about a run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from resnet_studio.arch.spec import Network
    from resnet_studio.training.events import EpochEnd, StepMetrics

METRICS = ("error", "loss")


class History(Protocol):
    """What a summary reads: a run's epoch ends and logged steps, in order."""

    epochs: Sequence[EpochEnd]
    steps: Sequence[StepMetrics]


@dataclass(frozen=True)
class RunSummary:
    """One metric of a run, as its events tell it. A run stopped within its first
    epoch has only its last logged steps: its training value is theirs, and it has
    no validation value and no time yet."""

    done: str  # epochs completed ("4"), or the fraction of the first one ("0.25")
    final_train: float | None
    best_train: float | None
    final_val: float | None
    best_val: float | None
    seconds: float | None  # the epochs' training time, summed


def summarize(history: History, metric: str = "error") -> RunSummary:
    """The final and best ``metric`` ("error" or "loss") of ``history``, and its time."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; one of {', '.join(METRICS)}")
    train, val = f"train_{metric}", f"val_{metric}"
    epochs = history.epochs
    if epochs:
        last = epochs[-1]
        return RunSummary(
            done=str(last.epoch),
            final_train=getattr(last, train),
            best_train=min(getattr(e, train) for e in epochs),
            final_val=getattr(last, val),
            best_val=min(getattr(e, val) for e in epochs),
            seconds=sum(e.seconds for e in epochs),
        )
    step = history.steps[-1] if history.steps else None
    return RunSummary(
        done=f"{step.epoch:.2f}" if step else "0",
        final_train=getattr(step, metric) if step else None,
        best_train=None,
        final_val=None,
        best_val=None,
        seconds=None,
    )


def network_params(network: Network) -> int:
    """The network's parameter count, from the analytic pass (no torch)."""
    from resnet_studio.arch.inference import infer

    return infer(network).total_params


# --- how tables write them ---------------------------------------------------------------

MISSING = "-"


def format_percent(value: float | None) -> str:
    """An error as a percentage; "-" for none, or for a value no error can be (NaN, 7)."""
    return f"{value:.2%}" if value is not None and 0 <= value <= 1 else MISSING


def format_loss(value: float | None) -> str:
    """A loss to four decimals; "-" for none, or for a value no loss can be (NaN, -1)."""
    return f"{value:.4f}" if value is not None and 0 <= value < math.inf else MISSING


def format_value(value: float | None, metric: str) -> str:
    """``value`` of ``metric`` as tables write it."""
    return format_percent(value) if metric == "error" else format_loss(value)


def format_seconds(seconds: float | None) -> str:
    """Training time: ``1,234 s``; "-" before the first epoch ends."""
    return f"{seconds:,.0f} s" if seconds is not None and math.isfinite(seconds) else MISSING


def format_params(params: int | None) -> str:
    """``853,018``; "-" when unknown."""
    return f"{params:,}" if params is not None else MISSING
