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

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

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
    _INT: Message("recipe.type.int", QT_TRANSLATE_NOOP("messages", "a whole number")),
    _NUMBER: Message("recipe.type.number", QT_TRANSLATE_NOOP("messages", "a number")),
    _OPTIONAL_INT: Message(
        "recipe.type.optional_int", QT_TRANSLATE_NOOP("messages", "a whole number or null")
    ),
    (bool,): Message("recipe.type.bool", QT_TRANSLATE_NOOP("messages", "true or false")),
    (str,): Message("recipe.type.text", QT_TRANSLATE_NOOP("messages", "text")),
    (tuple,): Message("recipe.type.list", QT_TRANSLATE_NOOP("messages", "a list")),
}
# What a field's value must be, for its message ("lr: must be above 0…, got 20").
_BELOW_ONE = Message("recipe.range.below_one", QT_TRANSLATE_NOOP("messages", "from 0 to below 1"))
_UP_TO_TEN = Message(
    "recipe.range.up_to_ten", QT_TRANSLATE_NOOP("messages", "a number above 0 and at most 10")
)
_ABOVE_ZERO = Message(
    "recipe.range.above_zero", QT_TRANSLATE_NOOP("messages", "above 0 and at most 10")
)
_FRACTIONS = Message(
    "recipe.range.fractions", QT_TRANSLATE_NOOP("messages", "fractions between 0 and 1")
)
_AT_LEAST_ONE = Message("recipe.range.at_least_one", QT_TRANSLATE_NOOP("messages", "at least 1"))


def _from_to(low: int, high: int, grouped: bool = True) -> Message:
    """``from 1 to 65,536`` (a seed's limits ungrouped, as torch writes them)."""
    return Message(
        "recipe.range.from_to",
        QT_TRANSLATE_NOOP("messages", "from {low} to {high}"),
        low=f"{low:,}" if grouped else str(low),
        high=f"{high:,}" if grouped else str(high),
    )


def _one_of(choices: tuple[str, ...]) -> Message:
    return Message(
        "recipe.range.one_of",
        QT_TRANSLATE_NOOP("messages", "one of {choices}"),
        choices=", ".join(choices),
    )


def _must_be(name: str, expected: str, value: object) -> RecipeError:
    """``name: must be EXPECTED, got VALUE``: the field's name and value as they are."""
    return RecipeError(
        Message(
            "recipe.must_be",
            QT_TRANSLATE_NOOP("messages", "{name}: must be {expected}, got {value}"),
            name=name,
            expected=expected,
            value=repr(value),
        )
    )


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
                raise _must_be(name, _TYPE_NAMES[kinds], value)
        if not all(_is_number(m) for m in self.milestones):
            raise _must_be(
                "milestones",
                Message("recipe.type.numbers", QT_TRANSLATE_NOOP("messages", "numbers")),
                self.milestones,
            )
        checks = [
            ("optimizer", lambda: self.optimizer in OPTIMIZERS, _one_of(OPTIMIZERS)),
            ("schedule", lambda: self.schedule in SCHEDULES, _one_of(SCHEDULES)),
            ("lr", lambda: 0 < self.lr <= 10, _UP_TO_TEN),
            ("momentum", lambda: 0 <= self.momentum < 1, _BELOW_ONE),
            ("weight_decay", lambda: 0 <= self.weight_decay < 1, _BELOW_ONE),
            ("batch_size", lambda: 1 <= self.batch_size <= 65536, _from_to(1, 65536)),
            ("epochs", lambda: 1 <= self.epochs <= 100_000, _from_to(1, 100_000)),
            (
                "iterations",
                lambda: self.iterations is None or 1 <= self.iterations <= MAX_ITERATIONS,
                _from_to(1, MAX_ITERATIONS),
            ),
            ("milestones", lambda: all(0 < m < 1 for m in self.milestones), _FRACTIONS),
            (
                "warmup_iterations",
                lambda: 0 <= self.warmup_iterations <= MAX_ITERATIONS,
                _from_to(0, MAX_ITERATIONS),
            ),
            ("warmup_lr", lambda: 0 < self.warmup_lr <= 10, _ABOVE_ZERO),
            ("label_smoothing", lambda: 0 <= self.label_smoothing < 1, _BELOW_ONE),
            # What torch.Generator.manual_seed accepts; beyond it training would fail late.
            (
                "seed",
                lambda: MIN_SEED <= self.seed <= MAX_SEED,
                _from_to(MIN_SEED, MAX_SEED, grouped=False),
            ),
            (
                "threads",
                lambda: self.threads is None or 1 <= self.threads <= MAX_THREADS,
                _from_to(1, MAX_THREADS),
            ),
            ("log_every", lambda: 1 <= self.log_every <= MAX_ITERATIONS, _AT_LEAST_ONE),
        ]
        for name, ok, expected in checks:
            if not ok():
                raise _must_be(name, expected, getattr(self, name))

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
                raise _must_be(
                    "milestones",
                    Message(
                        "recipe.type.fractions",
                        QT_TRANSLATE_NOOP("messages", "a list of fractions"),
                    ),
                    milestones,
                )
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
            Message(
                "recipe.device.unknown",
                QT_TRANSLATE_NOOP(
                    "messages", "device: {name} is not a device; use auto, cpu, cuda, cuda:N or mps"
                ),
                name=repr(name),
            )
        ) from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise RecipeError(
                Message(
                    "recipe.device.no_cuda",
                    QT_TRANSLATE_NOOP(
                        "messages", "device: CUDA was asked for but no CUDA GPU is available"
                    ),
                )
            )
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise RecipeError(
                Message(
                    "recipe.device.no_such_gpu",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "device: {name} does not exist; this machine has {count} CUDA device(s)",
                    ),
                    name=name,
                    count=torch.cuda.device_count(),
                )
            )
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise RecipeError(
            Message(
                "recipe.device.no_mps",
                QT_TRANSLATE_NOOP("messages", "device: MPS was asked for but is not available"),
            )
        )
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
