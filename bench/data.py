"""Input pipeline speed: in-memory batched augmentation vs a per-sample DataLoader.

Both sides feed the same CIFAR-sized images (3×32×32, batch 128) with the same
training augmentation (pad 4 + random 32×32 crop + horizontal flip, then
normalise): ``TensorBatches`` on one in-memory uint8 tensor, against a
torchvision-style ``DataLoader`` that applies ``RandomCrop(32, padding=4)``,
``RandomHorizontalFlip``, ``ToDtype`` and ``Normalize`` image by image in
worker processes (as many as the cores less one, and at least two).

Run from the repository root::

    python bench/data.py                 # real CIFAR-10 photos if ../shared/data has them
    python bench/data.py --synthetic     # the generated data set instead
    python bench/data.py --device cuda   # hold and augment the data on the GPU

Prints one line, e.g. ``in-memory batches: 85,000 img/s; DataLoader: 6,000
img/s -> 14.2x (goal >= 10x)``, and exits 1 when the ratio is below the goal.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2

from resnet_studio.training.batches import TensorBatches, default_workers
from resnet_studio.training.datasets import TensorSplit, channel_stats, load_dataset

GOAL = 10.0
BATCH = 128
Batches = TensorBatches | DataLoader
SHARED_SUBSET = Path(__file__).resolve().parents[2] / "shared" / "data" / "cifar10-subset"


class PerSample(Dataset):
    """The same in-memory images, transformed one at a time as a DataLoader does."""

    def __init__(self, split: TensorSplit, transform: v2.Transform) -> None:
        self.images = split.images
        self.labels = split.labels
        self.transform = transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.transform(self.images[index]), self.labels[index]


def images_per_second(batches: Batches, epochs: int, device: torch.device) -> float:
    """Images/s over ``epochs`` passes of ``batches``, after one untimed warm-up pass."""
    for _ in iter_epoch(batches, 0):
        pass  # starts workers, fills caches
    seen = 0
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        for _, labels in iter_epoch(batches, epoch):
            seen += len(labels)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return seen / (time.perf_counter() - start)


def iter_epoch(batches: Batches, epoch: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    if isinstance(batches, TensorBatches):
        return batches.epoch(epoch)
    return iter(batches)  # a DataLoader reshuffles each time it is iterated


def load_images(synthetic: bool) -> tuple[str, TensorSplit]:
    if not synthetic and SHARED_SUBSET.is_dir():
        bundle = load_dataset(f"folder:{SHARED_SUBSET / 'train'}", val_size=1)
        return "CIFAR-10 subset", bundle.train.to_tensor_split(default_workers())
    bundle = load_dataset("synthetic")
    return "synthetic", bundle.train  # type: ignore[return-value]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="store_true", help="use the generated data set")
    parser.add_argument("--device", default="cpu", help="where the in-memory data lives")
    parser.add_argument("--epochs", type=int, default=3, help="timed DataLoader epochs")
    args = parser.parse_args()
    device = torch.device(args.device)

    name, split = load_images(args.synthetic)
    mean, std = channel_stats(split.images)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = max(2, (cores or 1) - 1)

    # One intra-op thread: as in training beside the GUI (DESIGN.md §5), and
    # a second core busy with anything else cannot stall the batch operations.
    torch.set_num_threads(1)
    fast = TensorBatches(
        split,
        BATCH,
        device=device,
        mean=mean,
        std=std,
        augment=True,
        shuffle=True,
        seed=0,
        drop_last=True,
    )
    # The in-memory side is ~10× faster, so give it ~10× the epochs for a
    # similar, stable measuring time.
    fast_rate = images_per_second(fast, 10 * args.epochs, device)

    transform = v2.Compose(
        [
            v2.RandomCrop(32, padding=4),
            v2.RandomHorizontalFlip(),
            v2.ToDtype(torch.float32, scale=True),
            v2.Normalize(mean, std),
        ]
    )
    loader = DataLoader(
        PerSample(split, transform),
        batch_size=BATCH,
        shuffle=True,
        drop_last=True,
        num_workers=workers,
        persistent_workers=True,
    )
    slow_rate = images_per_second(loader, args.epochs, torch.device("cpu"))

    ratio = fast_rate / slow_rate
    print(
        f"in-memory batches: {fast_rate:,.0f} img/s; DataLoader: {slow_rate:,.0f} img/s "
        f"-> {ratio:.1f}x (goal >= {GOAL:.0f}x)"
    )
    print(
        f"  ({name}: {len(split):,} images 3x32x32, batch {BATCH}, device {device}, "
        f"{workers} DataLoader workers on {cores} cores)",
        file=sys.stderr,
    )
    return 0 if ratio >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
