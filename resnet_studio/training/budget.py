"""Fit an experiment into a time budget: measure each network's speed, then set the length.

Each distinct network trains a few steps here, on random images of the data
set's shape, with the threads and device a cell will have; that gives its
images/s. A cell's time is then its training (iterations × batch ÷ images/s),
its validation and test passes (forward only: about a third of a training step
per image) and a fixed start-up (a process, torch, the data). The iteration
count is the largest that lets all cells, K at a time, end within the budget;
the learning-rate milestones are fractions of training, so they scale with it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import torch

from resnet_studio.arch.spec import Network
from resnet_studio.model.build import build_model

# A process's start: the interpreter, torch, the data set and the test pass of a
# small CIFAR net, measured on a 2-core CPU (about 10 s); generous on purpose.
START_UP_S = 15.0
FORWARD_SHARE = 1 / 3  # a forward pass costs about a third of a training step
MIN_ITERATIONS = 50
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600}


class BudgetError(ValueError):
    """A budget that cannot be met or read; one line."""


def parse_duration(text: str) -> float:
    """Seconds in ``45m``, ``1.5h``, ``90s`` or ``2h30m``."""
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*(h|min|m|s)", text.strip().lower())
    if not parts or "".join(f"{n}{u}" for n, u in parts) != re.sub(r"\s", "", text.lower()):
        raise BudgetError(f"--budget: give a time such as 45m, 1.5h or 90s, got {text!r}")
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise BudgetError(f"--budget: must be more than 0, got {text!r}")
    return seconds


def images_per_second(
    network: Network, batch: int, threads: int, device: str = "cpu", steps: int = 4
) -> float:
    """Training images/s of ``network`` here: a few SGD steps on random images, timed
    after one untimed step (the first allocates)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        model = build_model(network).to(device)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        images = torch.rand(batch, *network.input_shape, device=device)
        labels = torch.randint(0, network.classes, (batch,), device=device)
        loss_fn = torch.nn.CrossEntropyLoss()

        def step() -> None:
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(images), labels).backward()
            optimizer.step()

        step()
        _sync(device)
        started = time.perf_counter()
        for _ in range(steps):
            step()
        _sync(device)
        return steps * batch / (time.perf_counter() - started)
    finally:
        torch.set_num_threads(previous)


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


@dataclass(frozen=True)
class Plan:
    """The iteration count that fits, and what it rests on."""

    iterations: int
    seconds: float  # the whole experiment's expected time
    speeds: dict[str, float]  # images/s by network


def plan(
    budget_s: float,
    cells_per_network: dict[str, int],
    speeds: dict[str, float],
    *,
    batch: int,
    parallel: int,
    train_images: int,
    eval_images: int,
) -> Plan:
    """The most iterations per run that fit ``budget_s`` with ``parallel`` runs at once.

    ``eval_images`` are those each run evaluates once per epoch (validation) — the
    test pass once at the end is part of :data:`START_UP_S`.
    """
    # Seconds per iteration of each network, its validation included (an epoch of
    # train_images / batch iterations is followed by eval_images forward passes).
    per_iteration = {
        name: batch / speed * (1 + FORWARD_SHARE * eval_images / max(1, train_images))
        for name, speed in speeds.items()
    }
    cells = sum(cells_per_network.values())
    slope = sum(per_iteration[n] * count for n, count in cells_per_network.items())
    slowest = max(per_iteration[n] for n in cells_per_network)

    def seconds(iterations: int) -> float:
        # K at a time: the work shared out, but never less than the slowest run alone.
        shared = (START_UP_S * cells + slope * iterations) / parallel
        return max(shared, START_UP_S + slowest * iterations)

    fits = min(
        (budget_s * parallel - START_UP_S * cells) / slope, (budget_s - START_UP_S) / slowest
    )
    iterations = max(0, int(fits))
    iterations -= iterations % 10
    if iterations < MIN_ITERATIONS:
        raise BudgetError(
            f"--budget: too short for {cells} runs, {parallel} at a time: even "
            f"{MIN_ITERATIONS} iterations each take about {seconds(MIN_ITERATIONS) / 60:.0f} "
            "min here"
        )
    return Plan(iterations, seconds(iterations), speeds)
