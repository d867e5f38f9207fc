"""Batches: shapes, normalisation, augmentation, exact resume, sharding, folders."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from resnet_studio.training.batches import (
    FolderBatches,
    TensorBatches,
    augment_batch,
    epoch_order,
    make_batches,
)
from resnet_studio.training.datasets import (
    DataBundle,
    TensorSplit,
    channel_stats,
    load_dataset,
    seeded_generator,
)

N, C, H, W = 200, 3, 12, 10


@pytest.fixture(scope="module")
def split() -> TensorSplit:
    """Random images whose label is their own index, so pairing can be checked."""
    images = torch.randint(0, 256, (N, C, H, W), generator=torch.Generator().manual_seed(0))
    return TensorSplit(images.to(torch.uint8), torch.arange(N))


@pytest.fixture(scope="module")
def bundle(split: TensorSplit) -> DataBundle:
    mean, std = channel_stats(split.images)
    val = TensorSplit(split.images[:50], split.labels[:50])
    return DataBundle(
        name="test",
        input_shape=(C, H, W),
        classes=N,
        class_names=tuple(map(str, range(N))),
        mean=mean,
        std=std,
        augment=True,
        train=split,
        val=val,
        root=None,
    )


def _batches(
    split: TensorSplit, bundle: DataBundle, batch_size: int = 64, **kwargs: object
) -> TensorBatches:
    args: dict[str, object] = dict(
        device="cpu", mean=bundle.mean, std=bundle.std, augment=True, shuffle=True, seed=7
    )
    args.update(kwargs)
    return TensorBatches(split, batch_size, **args)  # type: ignore[arg-type]


def _collect(batches: TensorBatches | FolderBatches, epoch: int, start: int = 0) -> list:
    return [(x.clone(), y.clone()) for x, y in batches.epoch(epoch, start_batch=start)]


def _same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        torch.equal(x1, x2) and torch.equal(y1, y2) for (x1, y1), (x2, y2) in zip(a, b, strict=True)
    )


def _unnormalise(x: torch.Tensor, bundle: DataBundle) -> torch.Tensor:
    mean = torch.tensor(bundle.mean).view(1, -1, 1, 1)
    std = torch.tensor(bundle.std).view(1, -1, 1, 1)
    return ((x * std + mean) * 255).round().to(torch.uint8)


def test_shapes_dtypes_and_counts(split: TensorSplit, bundle: DataBundle) -> None:
    batches = _batches(split, bundle)
    assert len(batches) == 4 and batches.num_images == N
    sizes = []
    for x, y in batches.epoch(0):
        assert x.dtype == torch.float32 and x.shape[1:] == (C, H, W) and x.is_contiguous()
        assert y.dtype == torch.int64 and y.shape == x.shape[:1]
        sizes.append(len(y))
    assert sizes == [64, 64, 64, 8]
    dropped = _batches(split, bundle, drop_last=True)
    assert len(dropped) == 3 and dropped.num_images == 192
    assert [len(y) for _, y in dropped.epoch(0)] == [64, 64, 64]


def test_normalised_without_augmentation(split: TensorSplit, bundle: DataBundle) -> None:
    batches = _batches(split, bundle, augment=False)
    x = torch.cat([x for x, _ in batches.epoch(0)])
    assert x.mean((0, 2, 3)).abs().max() < 1e-4
    assert (x.std((0, 2, 3), correction=0) - 1).abs().max() < 1e-4
    assert torch.equal(
        _unnormalise(x[:1], bundle)[0], split.images[int(next(batches.epoch(0))[1][0])]
    )


def _crops_and_flips(image: torch.Tensor) -> torch.Tensor:
    """All 81 pad-4 crops of one C×H×W image, and their mirror images."""
    padded = F.pad(image, (4, 4, 4, 4))
    crops = padded.unfold(1, H, 1).unfold(2, W, 1)  # C×9×9×H×W
    crops = crops.permute(1, 2, 0, 3, 4).reshape(-1, C, H, W)
    return torch.cat([crops, crops.flip(3)])


def test_augmentation_changes_images_but_keeps_labels(
    split: TensorSplit, bundle: DataBundle
) -> None:
    batches = _batches(split, bundle)
    flipped = cropped = 0
    for x, y in batches.epoch(3):
        for image, label in zip(_unnormalise(x, bundle), y.tolist(), strict=True):
            source = split.images[label]
            candidates = _crops_and_flips(source)
            match = (candidates == image).flatten(1).all(1).nonzero().squeeze(1).tolist()
            assert match, "an augmented image is not a crop/flip of its labelled source"
            cropped += not torch.equal(image, source) and not torch.equal(image, source.flip(2))
            flipped += match[0] >= 81
    assert N / 4 < flipped < 3 * N / 4  # about half are flipped
    assert cropped > N * 0.8  # 80 of 81 offsets move the image


def test_augment_batch_equals_per_image_reference() -> None:
    images = torch.randint(0, 256, (40, 2, 7, 9), dtype=torch.uint8)
    out = augment_batch(images, seeded_generator(1))
    # The documented draws: offsets (n, 2) then flip probabilities (n).
    g = seeded_generator(1)
    offsets = torch.randint(0, 9, (40, 2), generator=g)
    flips = torch.rand(40, generator=g) < 0.5
    padded = F.pad(images, (4, 4, 4, 4))
    for i in range(40):
        y, x = offsets[i].tolist()
        crop = padded[i, :, y : y + 7, x : x + 9]
        assert torch.equal(out[i], crop.flip(2) if flips[i] else crop)


def test_resume_mid_epoch_is_exact(split: TensorSplit, bundle: DataBundle) -> None:
    batches = _batches(split, bundle)
    full = _collect(batches, 5)
    for start in (1, 3, 4):
        assert _same(_collect(batches, 5, start), full[start:])
    with pytest.raises(ValueError, match="start batch"):
        next(batches.epoch(5, start_batch=5))


def test_epochs_differ_and_seeds_repeat(split: TensorSplit, bundle: DataBundle) -> None:
    a = _collect(_batches(split, bundle), 0)
    assert _same(a, _collect(_batches(split, bundle), 0))  # a fresh object, same seed
    assert not _same(a, _collect(_batches(split, bundle), 1))
    assert not _same(a, _collect(_batches(split, bundle, seed=8), 0))
    # The order differs between epochs, not only the augmentation.
    plain = _batches(split, bundle, augment=False)
    assert not torch.equal(next(plain.epoch(0))[1], next(plain.epoch(1))[1])


@pytest.mark.parametrize("count", [240, 203])
def test_ranks_are_disjoint_and_cover_the_epoch(
    split: TensorSplit, bundle: DataBundle, count: int
) -> None:
    data = TensorSplit(split.images[:1].expand(count, -1, -1, -1).clone(), torch.arange(count))
    ranks = [_batches(data, bundle, rank=r, world_size=4) for r in range(4)]
    assert len({len(b) for b in ranks}) == 1 and len({b.num_images for b in ranks}) == 1
    seen = [torch.cat([y for _, y in b.epoch(2)]) for b in ranks]
    everything = torch.cat(seen)
    assert set(everything.tolist()) == set(range(count))  # every image is seen
    # Disjoint up to the few images repeated so that all ranks get as many (like
    # DistributedSampler): 240 splits evenly, 203 is padded to 204.
    assert len(everything) - len(set(everything.tolist())) == (-count) % 4
    dropped = [_batches(data, bundle, 16, rank=r, world_size=4, drop_last=True) for r in range(4)]
    labels = torch.cat([torch.cat([y for _, y in b.epoch(2)]) for b in dropped]).tolist()
    assert len(labels) == 4 * dropped[0].num_images == 4 * 16 * (count // 4 // 16)
    assert len(labels) == len(set(labels))


def test_epoch_order_pads_tiny_sets() -> None:
    orders = [epoch_order(1, shuffle=True, seed=0, epoch=0, rank=r, world_size=3) for r in range(3)]
    assert [o.tolist() for o in orders] == [[0], [0], [0]]


def test_val_batches_fixed_and_unaugmented(bundle: DataBundle) -> None:
    val = make_batches(bundle, "val", 16, device="cpu", seed=3, train=False)
    assert isinstance(val, TensorBatches) and len(val) == 4 and val.num_images == 50
    for epoch in (0, 1):
        x = torch.cat([x for x, _ in val.epoch(epoch)])
        y = torch.cat([y for _, y in val.epoch(epoch)])
        assert torch.equal(y, torch.arange(50))
        assert torch.equal(_unnormalise(x, bundle), bundle.val.images)  # type: ignore[union-attr]


def test_make_batches_options(bundle: DataBundle) -> None:
    train = make_batches(bundle, "train", 64, device="cpu", seed=0, train=True)
    assert len(train) == 3 and train.num_images == 192  # drops the partial last batch
    small = make_batches(bundle, "train", 512, device="cpu", seed=0, train=True)
    assert len(small) == 1 and small.num_images == N  # ...unless nothing would be left
    kept = make_batches(bundle, "train", 64, device="cpu", seed=0, train=True, drop_last=False)
    assert len(kept) == 4
    cl = make_batches(bundle, "val", 16, device="cpu", seed=0, train=False, channels_last=True)
    x, _ = next(cl.epoch(0))
    assert x.is_contiguous(memory_format=torch.channels_last)
    plain = dataclasses.replace(bundle, augment=False)
    a = make_batches(plain, "train", 64, device="cpu", seed=0, train=True)
    x, y = next(a.epoch(0))
    assert torch.equal(_unnormalise(x, bundle), bundle.train.images[y])  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="split"):
        make_batches(bundle, "test", 64, device="cpu", seed=0, train=False)


def test_folder_batches_match_tensor_batches(shared_data: Path) -> None:
    bundle = load_dataset(f"folder:{shared_data / 'cifar10-subset'}", subset=300, seed=2)
    train = make_batches(bundle, "train", 64, device="cpu", seed=4, train=True)
    assert isinstance(train, FolderBatches) and len(train) == 4 and train.num_images == 256
    full = _collect(train, 1)
    assert [x.shape for x, _ in full] == [(64, 3, 32, 32)] * 4
    assert all(x.dtype == torch.float32 and y.dtype == torch.int64 for x, y in full)
    assert _same(_collect(train, 1, start=2), full[2:])  # resumes exactly
    assert not _same(_collect(train, 2), full)

    # The same images held as a tensor give exactly the same batches.
    images = torch.stack([bundle.train[i][0] for i in range(len(bundle.train))])
    held = TensorSplit(images, bundle.train.labels)  # type: ignore[union-attr]
    tensor = TensorBatches(
        held,
        64,
        device="cpu",
        mean=bundle.mean,
        std=bundle.std,
        augment=True,
        shuffle=True,
        seed=4,
        drop_last=True,
    )
    assert _same(_collect(tensor, 1), full)

    val = make_batches(bundle, "val", 256, device="cpu", seed=4, train=False)
    labels = torch.cat([y for _, y in val.epoch(0)])
    assert len(val) == 4 and torch.equal(labels, bundle.val.labels)  # type: ignore[union-attr]
