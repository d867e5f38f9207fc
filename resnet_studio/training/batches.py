"""Batches for training and evaluation, augmented and normalised on the device.

Two sources, one interface (``len``, ``num_images``, ``epoch(e, start_batch)``):

- :class:`TensorBatches` holds a whole :class:`TensorSplit` as one uint8 tensor
  on the device and cuts, crops, flips and normalises whole batches with a few
  tensor operations. A per-sample DataLoader on 2 CPU cores feeds ~6k CIFAR
  images/s; this feeds an order of magnitude more (``bench/data.py``).
- :class:`FolderBatches` reads image files through a DataLoader with worker
  processes, then augments the collated uint8 batch exactly as above.

Everything random is seeded from (seed, epoch) for the order and (seed, epoch,
batch) for the augmentation, on CPU generators, so ``epoch(e, start_batch=k)``
yields exactly batches k, k+1, … of ``epoch(e)`` on any device: a run resumes
mid-epoch as if it had never stopped.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset, Sampler

from resnet_studio.training.datasets import DataBundle, TensorSplit, seeded_generator

PAD = 4  # the paper: pad 4 pixels on each side, then crop back to the original size


def epoch_order(
    count: int,
    *,
    shuffle: bool,
    seed: int,
    epoch: int,
    rank: int = 0,
    world_size: int = 1,
    drop_last: bool = False,
) -> torch.Tensor:
    """Indices (CPU int64) that ``rank`` visits in ``epoch``, like DistributedSampler.

    All ranks draw the same permutation; each takes every ``world_size``-th
    index from ``rank`` on. To give every rank the same number of images the
    permutation is cut to a multiple of ``world_size`` (``drop_last``) or
    padded by repeating its start.
    """
    if shuffle:
        order = torch.randperm(count, generator=seeded_generator(seed, "order", epoch))
    else:
        order = torch.arange(count)
    if world_size > 1:
        if drop_last:
            order = order[: count // world_size * world_size]
        elif count % world_size:
            total = math.ceil(count / world_size) * world_size
            order = order.repeat(math.ceil(total / max(count, 1)))[:total]
        order = order[rank::world_size]
    return order


def augment_batch(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Pad 4 with zeros, crop back to H×W at a random offset, flip half at random.

    ``images`` is a uint8 N×C×H×W batch on any device; the random numbers come
    from ``generator`` (CPU), so the result does not depend on the device.
    """
    cropper = _Cropper(F.pad(images, (PAD, PAD, PAD, PAD)))
    return cropper(torch.arange(len(images)), generator)


class _Cropper:
    """Random crops (+ random horizontal flips) out of zero-padded uint8 N×C×Hp×Wp images.

    Every H×W window of the flat padded tensor is a strided view (no copy):
    window s starts at flat position s and steps Wp per row. The crop of image
    i, channel ch at offset (y, x) is window i·C·Hp·Wp + ch·Hp·Wp + y·Wp + x, so
    one ``index_select`` (a fast row copy) fetches and crops a whole batch.
    Advanced indexing, ``gather`` or ``index_copy_`` do the same jobs several
    times slower on the CPU.
    """

    def __init__(self, padded: torch.Tensor) -> None:
        self.padded = padded.contiguous()  # the view below needs it and keeps it alive
        _, self.c, self.hp, self.wp = padded.shape
        self.h, self.w = self.hp - 2 * PAD, self.wp - 2 * PAD
        flat = self.padded.reshape(-1)
        span = (self.h - 1) * self.wp + self.w
        self.windows = flat.as_strided(
            (max(flat.numel() - span + 1, 0), self.h, self.w), (1, self.wp, 1)
        )

    def __call__(self, index: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """Crops of padded[index] (``index``: CPU int64) as uint8 n×C×H×W on the device."""
        n, c = len(index), self.c
        offsets = torch.randint(0, 2 * PAD + 1, (n, 2), generator=generator)
        flip = torch.rand(n, generator=generator) < 0.5
        area = self.hp * self.wp
        starts = (
            (index * (c * area)).view(n, 1)
            + (torch.arange(c) * area).view(1, c)
            + (offsets[:, 0] * self.wp + offsets[:, 1]).view(n, 1)
        )
        # Crop the kept and the flipped images as two groups, then restore the
        # batch order; all index arithmetic happens on the CPU and travels to
        # the device in one copy, so nothing here waits for the GPU.
        keep, turn = (~flip).nonzero().squeeze(1), flip.nonzero().squeeze(1)
        inverse = torch.empty(n, dtype=torch.int64)
        inverse[torch.cat([keep, turn])] = torch.arange(n)
        packed = torch.cat([starts[keep].view(-1), starts[turn].view(-1), inverse])
        starts_keep, starts_turn, inverse = packed.to(self.padded.device).split(
            [len(keep) * c, len(turn) * c, n]
        )
        crops = torch.cat(
            [
                self.windows.index_select(0, starts_keep),
                self.windows.index_select(0, starts_turn).flip(-1),
            ]
        )
        return crops.view(n, c, self.h, self.w).index_select(0, inverse)


class _Normalise:
    """uint8 N×C×H×W -> float32 (x/255 - mean) / std, as one multiply-add."""

    def __init__(
        self, mean: Sequence[float], std: Sequence[float], device: torch.device, channels_last: bool
    ) -> None:
        std_t = torch.tensor(std, dtype=torch.float32)
        mean_t = torch.tensor(mean, dtype=torch.float32)
        self.scale = (1 / (255 * std_t)).view(1, -1, 1, 1).to(device)
        self.shift = (-mean_t / std_t).view(1, -1, 1, 1).to(device)
        self.channels_last = channels_last

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        out = images.to(torch.float32).mul_(self.scale).add_(self.shift)
        if self.channels_last:
            out = out.contiguous(memory_format=torch.channels_last)
        return out


def _batch_count(images: int, batch_size: int, drop_last: bool) -> int:
    return images // batch_size if drop_last else math.ceil(images / batch_size)


class TensorBatches:
    """Whole data set held as one uint8 tensor on ``device``.

    Batches are cut, augmented and normalised on the device, a batch at a time.
    """

    def __init__(
        self,
        split: TensorSplit,
        batch_size: int,
        *,
        device: torch.device | str,
        mean: Sequence[float],
        std: Sequence[float],
        augment: bool,
        shuffle: bool,
        seed: int,
        drop_last: bool = False,
        rank: int = 0,
        world_size: int = 1,
        channels_last: bool = False,
    ) -> None:
        _check_args(batch_size, rank, world_size)
        self.device = torch.device(device)
        self.batch_size = batch_size
        self.augment = augment
        self.shuffle = shuffle
        self.seed = seed
        self.drop_last = drop_last
        self.rank = rank
        self.world_size = world_size
        self._labels = split.labels.to(self.device)
        images = split.images.to(self.device)
        # Augmented batches are cropped straight out of the padded data set (1.56×
        # the memory for 32×32 images), which saves a pad and a copy per batch.
        self._images = None if augment else images
        self._cropper = _Cropper(F.pad(images, (PAD, PAD, PAD, PAD))) if augment else None
        self._normalise = _Normalise(mean, std, self.device, channels_last)
        per_rank = len(self._order(0))
        self._batches = _batch_count(per_rank, batch_size, drop_last)
        self.num_images = min(per_rank, self._batches * batch_size)

    def __len__(self) -> int:
        return self._batches

    def _order(self, epoch: int) -> torch.Tensor:
        return epoch_order(
            len(self._labels),
            shuffle=self.shuffle,
            seed=self.seed,
            epoch=epoch,
            rank=self.rank,
            world_size=self.world_size,
            drop_last=self.drop_last,
        )

    def epoch(
        self, epoch: int, start_batch: int = 0
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """Yield (float32 N×C×H×W images, int64 N labels) on the device, from ``start_batch`` on."""
        _check_start(start_batch, self._batches)
        order = self._order(epoch)
        on_device = order.to(self.device)
        size = self.batch_size
        for b in range(start_batch, self._batches):
            index = on_device[b * size : (b + 1) * size]
            if self._cropper is not None:
                generator = seeded_generator(self.seed, "augment", epoch, b)
                images = self._cropper(order[b * size : (b + 1) * size], generator)
            else:
                images = self._images.index_select(0, index)  # type: ignore[union-attr]
            yield self._normalise(images), self._labels.index_select(0, index)


class _EpochBatchSampler(Sampler[list[int]]):
    """Batches of indices for one epoch from ``start_batch`` on; set before each epoch."""

    def __init__(self, count: int, batch_size: int, batches: int, **order_args: object) -> None:
        self.count = count
        self.batch_size = batch_size
        self.batches = batches
        self.order_args = order_args
        self.epoch = 0
        self.start_batch = 0

    def __len__(self) -> int:
        return self.batches - self.start_batch

    def __iter__(self) -> Iterator[list[int]]:
        order = epoch_order(self.count, epoch=self.epoch, **self.order_args)  # type: ignore[arg-type]
        size = self.batch_size
        for b in range(self.start_batch, self.batches):
            yield order[b * size : (b + 1) * size].tolist()


def default_workers() -> int:
    """DataLoader workers: leave one core to the GUI/main thread, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(0, min(4, cores - 1))


class FolderBatches:
    """Batches of a torch Dataset of (uint8 C×H×W, label), read by DataLoader workers.

    Same interface and the same order/augmentation semantics as
    :class:`TensorBatches`; only decoding happens in the workers.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int,
        *,
        device: torch.device | str,
        mean: Sequence[float],
        std: Sequence[float],
        augment: bool,
        shuffle: bool,
        seed: int,
        drop_last: bool = False,
        rank: int = 0,
        world_size: int = 1,
        channels_last: bool = False,
        num_workers: int | None = None,
    ) -> None:
        _check_args(batch_size, rank, world_size)
        self.device = torch.device(device)
        self.batch_size = batch_size
        self.augment = augment
        self.seed = seed
        count = len(dataset)  # type: ignore[arg-type]
        order_args = dict(
            shuffle=shuffle, seed=seed, rank=rank, world_size=world_size, drop_last=drop_last
        )
        per_rank = len(epoch_order(count, epoch=0, **order_args))  # type: ignore[arg-type]
        self._batches = _batch_count(per_rank, batch_size, drop_last)
        self.num_images = min(per_rank, self._batches * batch_size)
        self._sampler = _EpochBatchSampler(count, batch_size, self._batches, **order_args)
        workers = default_workers() if num_workers is None else num_workers
        self._loader = DataLoader(
            dataset,
            batch_sampler=self._sampler,
            num_workers=workers,
            # Workers start once (seconds: each imports torch), not every epoch.
            persistent_workers=workers > 0,
            pin_memory=self.device.type == "cuda",
        )
        self._normalise = _Normalise(mean, std, self.device, channels_last)

    def __len__(self) -> int:
        return self._batches

    def epoch(
        self, epoch: int, start_batch: int = 0
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """Yield (float32 N×C×H×W images, int64 N labels) on the device, from ``start_batch`` on."""
        _check_start(start_batch, self._batches)
        # The sampler runs in this process, so setting it here reaches the
        # (persistent) workers through the indices it hands them.
        self._sampler.epoch = epoch
        self._sampler.start_batch = start_batch
        if start_batch == self._batches:
            return
        for b, (images, labels) in enumerate(self._loader, start=start_batch):
            images = images.to(self.device, non_blocking=True)
            labels = labels.to(self.device, non_blocking=True)
            if self.augment:
                images = augment_batch(images, seeded_generator(self.seed, "augment", epoch, b))
            yield self._normalise(images), labels


def make_batches(
    bundle: DataBundle,
    split: str,
    batch_size: int,
    *,
    device: torch.device | str,
    seed: int,
    train: bool,
    rank: int = 0,
    world_size: int = 1,
    channels_last: bool = False,
    drop_last: bool | None = None,
) -> TensorBatches | FolderBatches:
    """Batches of ``bundle``'s ``"train"``, ``"val"`` or ``"test"`` split.

    ``train=True``: a new order every epoch, plus augmentation if ``bundle.augment``.
    ``train=False``: fixed order, no augmentation. ``drop_last=None`` drops a
    partial last batch when training (a tiny last batch upsets batch norm)
    unless that would leave no batch at all; evaluation keeps every image.
    """
    data = bundle.split(split)
    if drop_last is None:
        drop_last = train and len(data) // world_size >= batch_size  # type: ignore[arg-type]
    kwargs = dict(
        device=device,
        mean=bundle.mean,
        std=bundle.std,
        augment=train and bundle.augment,
        shuffle=train,
        seed=seed,
        drop_last=drop_last,
        rank=rank,
        world_size=world_size,
        channels_last=channels_last,
    )
    if isinstance(data, TensorSplit):
        return TensorBatches(data, batch_size, **kwargs)  # type: ignore[arg-type]
    return FolderBatches(data, batch_size, **kwargs)  # type: ignore[arg-type]


def _check_args(batch_size: int, rank: int, world_size: int) -> None:
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, got {batch_size}")
    if not 0 <= rank < world_size:
        raise ValueError(f"rank {rank} is outside world size {world_size}")


def _check_start(start_batch: int, batches: int) -> None:
    if not 0 <= start_batch <= batches:
        raise ValueError(f"start batch {start_batch} is outside 0..{batches}")
