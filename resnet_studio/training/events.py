"""What the training engine reports: small frozen dataclasses of plain values.

They carry floats and strings, never tensors, so they cross threads and
processes freely and can be written to ``metrics.jsonl`` as they are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RunStarted:
    """Training is about to start (or resume)."""

    device: str
    params: int
    epochs: int
    iterations: int
    steps_per_epoch: int
    train_images: int
    val_images: int
    start_epoch: int
    start_iteration: int


@dataclass(frozen=True)
class StepMetrics:
    """Averages over the last few steps (every ``Recipe.log_every`` steps)."""

    epoch: float  # fractional: 2.5 is halfway through the third epoch
    iteration: int
    loss: float
    error: float
    lr: float
    images_per_s: float


@dataclass(frozen=True)
class LayerStat:
    """Per-layer statistics of one epoch (the paper's Fig. 7 analysis)."""

    path: str
    grad_norm: float | None = None  # conv/linear weights, last batch of the epoch
    response_std: float | None = None  # BN output after each 3×3 conv, on validation data


@dataclass(frozen=True)
class EpochEnd:
    """One epoch done: training and validation averages."""

    epoch: int
    iteration: int
    train_loss: float
    train_error: float
    val_loss: float
    val_error: float
    lr: float
    seconds: float
    images_per_s: float
    layer_stats: tuple[LayerStat, ...] = field(default=())


@dataclass(frozen=True)
class Finished:
    """All epochs done; the final model evaluated once on the test split, if there is one."""

    epochs: int
    iterations: int
    final_val_error: float
    best_val_error: float
    seconds: float
    test_loss: float | None = None
    test_error: float | None = None
    test_images: int = 0


@dataclass(frozen=True)
class Cancelled:
    """Stopped on request; a checkpoint to resume from was written."""

    epoch: float
    iteration: int


@dataclass(frozen=True)
class Diverged:
    """The loss became NaN or infinite."""

    iteration: int
    lr: float
    loss: float

    @property
    def reason(self) -> str:
        return (
            f"loss became {self.loss} at iteration {self.iteration} (lr {self.lr:g}); "
            "try a lower learning rate or a warm-up"
        )


@dataclass(frozen=True)
class Failed:
    """An exception ended the run; ``reason`` is one line, ``traceback`` the whole story."""

    reason: str
    traceback: str = ""


Event = RunStarted | StepMetrics | EpochEnd | Finished | Cancelled | Diverged | Failed
# The events that end a run, and the status each leaves it in.
FINAL_STATUS: dict[type, str] = {
    Finished: "finished",
    Cancelled: "cancelled",
    Diverged: "diverged",
    Failed: "failed",
}
FINAL_EVENTS = tuple(FINAL_STATUS)
EVENT_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (RunStarted, StepMetrics, EpochEnd, Finished, Cancelled, Diverged, Failed)
}


def event_to_dict(event: Event) -> dict[str, Any]:
    """``{"event": "EpochEnd", ...fields}`` for one line of metrics.jsonl."""
    return {"event": type(event).__name__, **asdict(event)}


def event_from_dict(data: dict[str, Any]) -> Event | None:
    """The event a metrics line describes; None for unknown or damaged lines."""
    cls = EVENT_TYPES.get(data.get("event", ""))
    if cls is None:
        return None
    fields = {k: v for k, v in data.items() if k != "event"}
    if cls is EpochEnd:
        fields["layer_stats"] = tuple(LayerStat(**s) for s in fields.get("layer_stats", ()))
    try:
        return cls(**fields)
    except TypeError:
        return None
