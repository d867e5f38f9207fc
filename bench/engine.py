"""Engine overhead: the training engine against a bare PyTorch loop, in one process.

Both sides train the same network (cifar-resnet20, 3×32×32, built from the
same seed) with the same optimizer and per-step learning-rate scheduler as the
engine's recipe (SGD, lr 0.1, momentum 0.9, weight decay 1e-4), on the SAME
in-memory batches (``--batches`` float32 batches of ``--batch-size`` synthetic
images, made once). The bare loop does forward, loss, zero_grad, backward,
step, scheduler step, and reads the loss every ``log_every`` steps as the
engine does. The engine does all that plus what it offers: error counts,
events, the cancel check, mixed precision and loss scaling switches (off on
the CPU). Its batches come from the same list (``make_batches`` is swapped for
a stand-in), and its validation set is empty, so only training is compared.

Many short rounds alternate engine/bare, then bare/engine, after one untimed
warm-up round of each. Every training step of either side is timed (the gap
between two requests for a batch), and each side's images/s is the batch
size over its median step: a burst of load from another program slows some
steps, not the middle of the pile. Per-round figures (set-up included) are
printed too. The engine's per-epoch work (events, the empty validation) falls
outside its steps, so its per-step cost is what is compared. Both sides use
all CPU threads and read the loss every 5 steps.

Run from the repository root::

    python bench/engine.py                # about 2 minutes on 2 CPU cores
    python bench/engine.py --rounds 4 --batches 5
    python bench/engine.py --device cuda  # on a GPU (no AMP, no channels_last)
    python bench/engine.py --progress-bar # the engine drives train's progress bar too

With ``--progress-bar`` the engine side also feeds the ``train`` command's
progress bar (moved after every step, drawn into /dev/null), so the figure
includes what the bar costs.

Prints e.g. ``engine 312 img/s, bare loop 318 img/s -> 0.981 of bare (goal >= 0.97)``
and exits 1 when the ratio is below the goal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

import torch  # noqa: E402
from torch import nn  # noqa: E402

from resnet_studio.arch.presets import preset_network  # noqa: E402
from resnet_studio.model.build import build_model  # noqa: E402
from resnet_studio.training import engine  # noqa: E402
from resnet_studio.training.datasets import channel_stats, seeded_generator  # noqa: E402
from resnet_studio.training.recipe import Recipe, make_optimizer, make_scheduler  # noqa: E402
from resnet_studio.training.synthetic import generate_shapes  # noqa: E402

GOAL = 0.97
PRESET = "cifar-resnet20"

Batch = tuple[torch.Tensor, torch.Tensor]
NO_TEST_SPLIT = SimpleNamespace(test=None)  # what the engine asks of the data bundle here


class FixedBatches:
    """The engine's batch interface (len, num_images, epoch) over a fixed list.

    It notes the time whenever the next batch is asked for, so the gaps are
    the durations of the steps, whoever runs them.
    """

    def __init__(self, batches: list[Batch]) -> None:
        self.batches = batches
        self.num_images = sum(len(labels) for _, labels in batches)
        self.stamps: list[float] = []

    def __len__(self) -> int:
        return len(self.batches)

    def epoch(self, epoch: int, start_batch: int = 0) -> Iterator[Batch]:
        self.stamps = stamps = [time.perf_counter()]
        for batch in self.batches[start_batch:]:
            yield batch
            stamps.append(time.perf_counter())

    def step_seconds(self) -> list[float]:
        return [b - a for a, b in zip(self.stamps, self.stamps[1:], strict=False)]


def make_data(count: int, batch_size: int, device: torch.device) -> list[Batch]:
    """``count`` normalised batches of synthetic images, on ``device``."""
    images, labels = generate_shapes(count * batch_size, seeded_generator(0, "bench"))
    mean, std = channel_stats(images)
    x = images.float().div_(255)
    x = (x - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1)
    return [
        (xb.contiguous().to(device), yb.to(device))
        for xb, yb in zip(x.split(batch_size), labels.split(batch_size), strict=True)
    ]


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


class Round(NamedTuple):
    seconds: float  # the whole run, set-up included
    steps: list[float]  # seconds of each training step
    model: nn.Module


def run_engine(
    recipe: Recipe, batches: list[Batch], device: torch.device, progress_bar: bool = False
) -> Round:
    """The engine trains one epoch over ``batches`` (with ``progress_bar``, feeding one)."""
    train, val = FixedBatches(batches), FixedBatches([])

    def stand_in(bundle, split, *args, **kwargs):
        return train if split == "train" else val

    sync(device)
    start = time.perf_counter()
    with mock.patch.object(engine, "make_batches", stand_in), open(os.devnull, "w") as null:
        # No data set: the batches are the stand-in's; "no test split" is all it is asked.
        trainer = engine.Trainer(preset_network(PRESET), NO_TEST_SPLIT, recipe)
        if progress_bar:
            from resnet_studio.cli_commands.train import _ProgressBar

            bar = _ProgressBar(file=null)
            trainer.listeners, trainer.on_batch = [bar], bar.on_batch
        result = trainer.run()
        if progress_bar:
            bar.close()
    sync(device)
    seconds = time.perf_counter() - start
    if result.status != "finished":
        raise SystemExit(f"engine run {result.status}: {getattr(result.last_event, 'reason', '')}")
    return Round(seconds, train.step_seconds(), result.model)


def run_bare(recipe: Recipe, batches: list[Batch], device: torch.device) -> Round:
    """A bare loop does the same (model, optimizer and scheduler built inside)."""
    sync(device)
    start = time.perf_counter()
    torch.set_num_threads(recipe.threads)
    model = build_model(preset_network(PRESET), recipe.zero_init_residual, seed=recipe.seed)
    model.to(device).train()
    optimizer = make_optimizer(recipe, model)
    scheduler = make_scheduler(recipe, optimizer, len(batches))
    criterion = nn.CrossEntropyLoss()
    train = FixedBatches(batches)
    for step, (images, labels) in enumerate(train.epoch(0), start=1):
        loss = criterion(model(images), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        if step % recipe.log_every == 0:
            loss.item()
    sync(device)
    return Round(time.perf_counter() - start, train.step_seconds(), model)


def same_weights(a: nn.Module, b: nn.Module) -> bool:
    """Whether two trained models agree (they did the same arithmetic on the same data)."""
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(
        torch.allclose(sa[k].float(), sb[k].float(), rtol=1e-4, atol=1e-5) for k in sa
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds of each (default 10)")
    parser.add_argument("--batches", type=int, default=10, help="batches per round (default 10)")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--device", default="cpu")
    parser.add_argument(
        "--progress-bar", action="store_true", help="the engine feeds train's progress bar"
    )
    args = parser.parse_args()

    device = torch.device(args.device)
    threads = os.cpu_count() or 1
    recipe = Recipe(
        batch_size=args.batch_size,
        epochs=1,
        device=args.device,
        threads=threads,
        amp=False,  # same arithmetic on both sides
        channels_last=False,
        log_every=5,  # both read the loss (and the engine reports) within every round
    )
    batches = make_data(args.batches, args.batch_size, device)
    images = args.batches * args.batch_size
    print(
        f"{PRESET}, {args.batches} batches of {args.batch_size} on {device} "
        f"({threads} threads), {args.rounds} rounds after a warm-up"
        + (", the engine feeding a progress bar" if args.progress_bar else "")
    )
    run_engine(recipe, batches[:3], device)  # warm-up: first-call costs of every kernel
    run_bare(recipe, batches[:3], device)

    steps: dict[str, list[float]] = {"engine": [], "bare": []}
    sides = {
        "engine": lambda *a: run_engine(*a, progress_bar=args.progress_bar),
        "bare": run_bare,
    }
    for i in range(args.rounds):
        order = ("engine", "bare") if i % 2 == 0 else ("bare", "engine")
        rounds = {side: sides[side](recipe, batches, device) for side in order}
        for side, r in rounds.items():
            steps[side] += r.steps
        if i == 0:
            same = same_weights(rounds["engine"].model, rounds["bare"].model)
            print(f"  same weights after training: {'yes' if same else 'NO'}")
        print(
            f"  round {i + 1}: engine {images / rounds['engine'].seconds:,.0f} img/s, "
            f"bare {images / rounds['bare'].seconds:,.0f} img/s "
            f"-> {rounds['bare'].seconds / rounds['engine'].seconds:.3f}"
        )
    # Per step, the median: a burst of load from another program slows some
    # steps of either side, not the middle of the pile. (On a GPU the step
    # gaps only time the launches; there the round times above tell more.)
    rate = {side: args.batch_size / statistics.median(s) for side, s in steps.items()}
    ratio = rate["engine"] / rate["bare"]
    print(
        f"engine {rate['engine']:,.0f} img/s, bare loop {rate['bare']:,.0f} img/s "
        f"-> {ratio:.3f} of bare (goal >= {GOAL})"
    )
    return 0 if ratio >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
