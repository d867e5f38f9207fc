"""What measuring the response std (Fig. 7) costs, against training steps.

Two costs, on cifar-resnet20 (3×32×32) with batches of 128 synthetic images:

- **per epoch** (``--layer-stats``): the engine watches the first 4 validation
  batches it runs anyway; the extra is the hooks' mean and variance per 3×3
  layer. Timed as a validation forward pass with and without the hooks.
- **once, at the end of training**: the finished model is measured in both
  BatchNorm modes over 4 batches, 8 forward passes in all. Timed, and set
  against a training step (forward, backward, SGD step) and against an epoch
  of CIFAR-10 (391 steps) and of the quick study (8,000 images: 63 steps).

Each figure is the median of ``--repeats`` timings (other programs on a
shared machine slow some of them, not the middle one). Goals: the per-epoch
extra at most 1% of a CIFAR-10 epoch, the end-of-run measurement at most 10
training steps; exits 1 when one is missed. Run from the repository root::

    python bench/responses.py               # about a minute on 2 CPU cores
    python bench/responses.py --device cuda
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

import torch  # noqa: E402
from torch import nn  # noqa: E402

from resnet_studio.arch.presets import preset_network  # noqa: E402
from resnet_studio.model.build import build_model  # noqa: E402
from resnet_studio.training.recipe import Recipe, make_optimizer  # noqa: E402
from resnet_studio.training.response_file import DEFAULT_BATCHES, MODES  # noqa: E402
from resnet_studio.training.responses import (  # noqa: E402
    ResponseMoments,
    measure_responses,
    response_layers,
)

CIFAR_EPOCH_STEPS = 391  # 50,000 images / 128
GOAL_EPOCH_SHARE = 0.01  # per-epoch extra, of a CIFAR-10 epoch
GOAL_FINAL_STEPS = 10  # the end-of-run measurement, in training steps
QUICK_EPOCH_STEPS = 63  # the quick study's 8,000 images / 128


def median_seconds(work, repeats: int, device: torch.device) -> float:
    times = []
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        start = time.perf_counter()
        work()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default="cifar-resnet20")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    device = torch.device(args.device)
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    model = build_model(preset_network(args.preset)).to(device)
    batches = [
        (torch.randn(128, 3, 32, 32, device=device), torch.randint(0, 10, (128,), device=device))
        for _ in range(DEFAULT_BATCHES)
    ]
    optimizer = make_optimizer(Recipe(), model)
    criterion = nn.CrossEntropyLoss()
    images, labels = batches[0]

    def train_step() -> None:
        model.train()
        loss = criterion(model(images), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    @torch.no_grad()
    def validate(watch: bool) -> None:
        model.eval()
        with ResponseMoments(response_layers(model) if watch else []) as moments:
            for x, _y in batches:
                model(x)
        moments.stds()

    def record() -> None:
        for mode in MODES:
            measure_responses(model, batches, mode=mode)

    train_step()  # warm-up: first-call costs of every kernel
    validate(True)
    step = median_seconds(train_step, args.repeats, device)
    bare = median_seconds(lambda: validate(False), args.repeats, device)
    watched = median_seconds(lambda: validate(True), args.repeats, device)
    final = median_seconds(record, args.repeats, device)
    layers = len(response_layers(model))
    print(f"{args.preset} ({layers} 3×3 layers), batches of 128 on {device}")
    print(f"  training step: {1000 * step:.0f} ms")
    print(
        f"  per epoch, {DEFAULT_BATCHES} validation batches: {1000 * bare:.0f} ms bare, "
        f"{1000 * watched:.0f} ms watched -> +{1000 * (watched - bare):.1f} ms "
        f"({100 * (watched - bare) / bare:+.1f}% of those batches, "
        f"{100 * (watched - bare) / (CIFAR_EPOCH_STEPS * step):.2f}% of a CIFAR-10 epoch)"
    )
    print(
        f"  at the end, both modes: {1000 * final:.0f} ms = {final / step:.1f} training steps "
        f"= {100 * final / (CIFAR_EPOCH_STEPS * step):.2f}% of a CIFAR-10 epoch, "
        f"{100 * final / (QUICK_EPOCH_STEPS * step):.1f}% of a quick-study epoch"
    )
    epoch_share = (watched - bare) / (CIFAR_EPOCH_STEPS * step)
    met = epoch_share <= GOAL_EPOCH_SHARE and final / step <= GOAL_FINAL_STEPS
    print(
        f"goals: per epoch <= {100 * GOAL_EPOCH_SHARE:.0f}% of an epoch, at the end <= "
        f"{GOAL_FINAL_STEPS} steps: {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
