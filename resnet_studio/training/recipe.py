"""How to train: optimizer, schedule and run settings, with the paper's CIFAR defaults.

The defaults are the paper's CIFAR recipe: SGD, lr 0.1, momentum 0.9, weight
decay 1e-4, batch 128, lr ÷10 at 50% and 75% of training (32k and 48k of 64k
iterations).
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch loads lazily: reading a run's recipe must not wait for it
    import torch
    from torch import nn

OPTIMIZERS = ("sgd", "adam", "adamw")
SCHEDULES = ("step", "cosine", "constant")
# Seeds torch.Generator.manual_seed takes (a negative one counts modulo 2**64).
MIN_SEED = -(2**63)
MAX_SEED = 2**64 - 1
# More threads than this makes torch's thread pool fail to start (a crash, not an error).
MAX_THREADS = 1024
# Far beyond any real run (the paper's longest is 64,000), and exact as a float.
MAX_ITERATIONS = 10**9


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_INT = (int,)
_NUMBER = (int, float)
_OPTIONAL_INT = (int, type(None))
_TYPE_NAMES = {
    _INT: "a whole number",
    _NUMBER: "a number",
    _OPTIONAL_INT: "a whole number or null",
    (bool,): "true or false",
    (str,): "text",
    (tuple,): "a list",
}
_TYPES = {
    "optimizer": (str,),
    "lr": _NUMBER,
    "momentum": _NUMBER,
    "nesterov": (bool,),
    "weight_decay": _NUMBER,
    "batch_size": _INT,
    "epochs": _INT,
    "iterations": _OPTIONAL_INT,
    "schedule": (str,),
    "milestones": (tuple,),
    "warmup_iterations": _INT,
    "warmup_lr": _NUMBER,
    "label_smoothing": _NUMBER,
    "seed": _INT,
    "device": (str,),
    "amp": (bool,),
    "channels_last": (bool,),
    "threads": _OPTIONAL_INT,
    "log_every": _INT,
    "layer_stats": (bool,),
    "zero_init_residual": (bool,),
}


class RecipeError(ValueError):
    """A recipe value out of range; the message names the field."""


@dataclass(frozen=True)
class Recipe:
    """Every setting of a training run."""

    optimizer: str = "sgd"
    lr: float = 0.1
    momentum: float = 0.9
    nesterov: bool = False
    weight_decay: float = 1e-4
    batch_size: int = 128
    epochs: int = 10
    iterations: int | None = None  # when set, train this many steps instead of epochs
    schedule: str = "step"
    milestones: tuple[float, ...] = (0.5, 0.75)  # fractions of training, for "step"
    warmup_iterations: int = 0  # e.g. 400 for ResNet-110 in the paper
    warmup_lr: float = 0.01
    label_smoothing: float = 0.0
    seed: int = 0
    device: str = "auto"
    amp: bool = True  # mixed precision, CUDA only
    channels_last: bool = True  # CUDA only
    threads: int | None = None  # CPU threads; default all cores but one (the GUI's)
    log_every: int = 20
    layer_stats: bool = False
    zero_init_residual: bool = False

    def __post_init__(self) -> None:
        # Types first: a recipe read from a damaged run.json must fail here, in one line,
        # not with a TypeError in a comparison below or later in training.
        for name, kinds in _TYPES.items():
            value = getattr(self, name)
            if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
                raise RecipeError(f"{name}: must be {_TYPE_NAMES[kinds]}, got {value!r}")
        if not all(_is_number(m) for m in self.milestones):
            raise RecipeError(f"milestones: must be numbers, got {self.milestones!r}")
        checks = [
            ("optimizer", lambda: self.optimizer in OPTIMIZERS, f"one of {', '.join(OPTIMIZERS)}"),
            ("schedule", lambda: self.schedule in SCHEDULES, f"one of {', '.join(SCHEDULES)}"),
            ("lr", lambda: 0 < self.lr <= 10, "a number above 0 and at most 10"),
            ("momentum", lambda: 0 <= self.momentum < 1, "from 0 to below 1"),
            ("weight_decay", lambda: 0 <= self.weight_decay < 1, "from 0 to below 1"),
            ("batch_size", lambda: 1 <= self.batch_size <= 65536, "from 1 to 65,536"),
            ("epochs", lambda: 1 <= self.epochs <= 100_000, "from 1 to 100,000"),
            (
                "iterations",
                lambda: self.iterations is None or 1 <= self.iterations <= MAX_ITERATIONS,
                f"from 1 to {MAX_ITERATIONS:,}",
            ),
            (
                "milestones",
                lambda: all(0 < m < 1 for m in self.milestones),
                "fractions between 0 and 1",
            ),
            (
                "warmup_iterations",
                lambda: 0 <= self.warmup_iterations <= MAX_ITERATIONS,
                f"from 0 to {MAX_ITERATIONS:,}",
            ),
            ("warmup_lr", lambda: 0 < self.warmup_lr <= 10, "above 0 and at most 10"),
            ("label_smoothing", lambda: 0 <= self.label_smoothing < 1, "from 0 to below 1"),
            # What torch.Generator.manual_seed accepts; beyond it training would fail late.
            ("seed", lambda: MIN_SEED <= self.seed <= MAX_SEED, f"from {MIN_SEED} to {MAX_SEED}"),
            (
                "threads",
                lambda: self.threads is None or 1 <= self.threads <= MAX_THREADS,
                f"from 1 to {MAX_THREADS:,}",
            ),
            ("log_every", lambda: 1 <= self.log_every <= MAX_ITERATIONS, "at least 1"),
        ]
        for name, ok, expected in checks:
            if not ok():
                raise RecipeError(f"{name}: must be {expected}, got {getattr(self, name)!r}")

    def to_dict(self) -> dict:
        """Plain values for run.json."""
        data = asdict(self)
        data["milestones"] = list(self.milestones)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Recipe:
        """Inverse of :meth:`to_dict`; unknown keys are ignored (newer versions)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "milestones" in values:
            milestones = values["milestones"]
            if not isinstance(milestones, list | tuple):
                raise RecipeError(f"milestones: must be a list of fractions, got {milestones!r}")
            values["milestones"] = tuple(milestones)
        return cls(**values)


def pick_device(name: str = "auto") -> torch.device:
    """``auto``: CUDA, then Apple MPS, then CPU. Unavailable devices are a clear error."""
    import torch

    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise RecipeError(
            f"device: {name!r} is not a device; use auto, cpu, cuda, cuda:N or mps"
        ) from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise RecipeError("device: CUDA was asked for but no CUDA GPU is available")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise RecipeError(
                f"device: {name} does not exist; this machine has "
                f"{torch.cuda.device_count()} CUDA device(s)"
            )
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise RecipeError("device: MPS was asked for but is not available")
    return device


def available_devices() -> list[tuple[str, str]]:
    """(device, description) of every accelerator here: ``cuda:N`` and ``mps``."""
    import torch

    found = [
        (f"cuda:{i}", f"CUDA {i}: {torch.cuda.get_device_name(i)}")
        for i in range(torch.cuda.device_count() if torch.cuda.is_available() else 0)
    ]
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        found.append(("mps", "Apple MPS"))
    return found


def default_threads() -> int:
    """All cores but one: the GUI thread needs a core to stay responsive."""
    return max(1, (os.cpu_count() or 2) - 1)


def make_optimizer(recipe: Recipe, model: nn.Module) -> torch.optim.Optimizer:
    """The recipe's optimizer over all of ``model``'s parameters."""
    import torch

    params = model.parameters()
    if recipe.optimizer == "sgd":
        return torch.optim.SGD(
            params,
            lr=recipe.lr,
            momentum=recipe.momentum,
            nesterov=recipe.nesterov and recipe.momentum > 0,
            weight_decay=recipe.weight_decay,
        )
    cls = torch.optim.Adam if recipe.optimizer == "adam" else torch.optim.AdamW
    return cls(params, lr=recipe.lr, weight_decay=recipe.weight_decay)


def lr_factor(recipe: Recipe, iteration: int, total: int) -> float:
    """Learning-rate multiplier at ``iteration`` of ``total``, warm-up included."""
    if iteration < recipe.warmup_iterations:
        return recipe.warmup_lr / recipe.lr
    if recipe.schedule == "step":
        passed = sum(iteration >= round(m * total) for m in recipe.milestones)
        return 0.1**passed
    if recipe.schedule == "cosine":
        return 0.5 * (1 + math.cos(math.pi * min(iteration, total) / total))
    return 1.0


def make_scheduler(
    recipe: Recipe, optimizer: torch.optim.Optimizer, total_iterations: int
) -> torch.optim.lr_scheduler.LambdaLR:
    """A per-iteration scheduler following :func:`lr_factor`."""
    import torch

    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda it: lr_factor(recipe, it, total_iterations)
    )
