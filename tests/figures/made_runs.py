"""Runs made in memory for figure tests: a preset, a recipe and a few epochs and steps."""

from __future__ import annotations

from pathlib import Path

from resnet_studio.arch.presets import preset_network
from resnet_studio.training.events import EpochEnd, StepMetrics
from resnet_studio.training.history import RunHistory
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import RunRecord


def made_run(
    name: str,
    preset: str,
    seed: int = 0,
    train: tuple[float, ...] = (0.8, 0.6, 0.5),
    lr: float = 0.1,
    mean: float = 0.5,
) -> RunRecord:
    """A finished run of ``preset``: epoch ends with these training errors (validation 0.05
    above), and four step reports per epoch, the last equal to the epoch's error."""
    epochs = [
        EpochEnd(e, 8 * e, 2 * t, t, 2 * t + 0.1, t + 0.05, lr, 1.0, 100.0)
        for e, t in enumerate(train, 1)
    ]
    steps = []
    for e, t in enumerate(train, 1):
        steps += [
            StepMetrics(e - 1 + q / 4, 8 * (e - 1) + 2 * q, 2 * t, t, lr, 100.0)
            for q in (1, 2, 3, 4)
        ]
    info = {
        "name": name,
        # Normalisation is measured on the seed's sample: it differs between seeds.
        "dataset": {"name": "synthetic", "subset": 256, "mean": [mean], "std": [0.2]},
        "status": "finished",
    }
    network = preset_network(preset)
    recipe = Recipe(seed=seed, lr=lr, epochs=len(train))
    history = RunHistory(epochs, steps)
    return RunRecord(Path(name), info, history, _network=network, _recipe=recipe)
