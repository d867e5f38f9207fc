"""``val_subset``: validation on a seeded random sample, for quick looks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch

from resnet_studio.training.datasets import (
    DatasetError,
    ImageFiles,
    load_dataset,
    sample_validation,
)


@pytest.fixture(scope="module")
def full():
    return load_dataset("synthetic", subset=64)


def rows(images: torch.Tensor) -> set[bytes]:
    return {image.numpy().tobytes() for image in images}


def test_a_seeded_sample_of_the_validation_split(full) -> None:
    a = load_dataset("synthetic", subset=64, val_subset=50)
    assert len(a.val) == 50 and (a.val_subset, a.val_sampled_from) == (50, len(full.val))
    # A sample of the validation images (not new ones), the same for the same seed…
    assert rows(a.val.images) <= rows(full.val.images)
    b = load_dataset("synthetic", subset=64, val_subset=50)
    assert torch.equal(a.val.images, b.val.images) and torch.equal(a.val.labels, b.val.labels)
    # …and not merely the first 50: the sample is spread over the split.
    assert not torch.equal(a.val.images, full.val.images[:50])
    # Training is untouched.
    assert torch.equal(a.train.images, full.train.images)


def test_another_seed_another_sample(full) -> None:
    # The same validation images, sampled under two seeds.
    a = sample_validation(full, 50)
    b = sample_validation(dataclasses.replace(full, seed=1), 50)
    assert rows(a.val.images) != rows(b.val.images)
    assert rows(a.val.images) == rows(sample_validation(full, 50).val.images)


def test_a_sample_as_large_as_the_split_keeps_it_whole(full) -> None:
    bundle = load_dataset("synthetic", subset=64, val_size=30, val_subset=100)
    assert len(bundle.val) == 30 and bundle.val_subset == 100 and bundle.val_sampled_from is None


def test_no_empty_sample() -> None:
    with pytest.raises(DatasetError, match="validation subset must be 1 or more, got 0"):
        load_dataset("synthetic", val_subset=0)


def test_a_folder_in_class_order_is_sampled_across_its_classes(shared_data: Path) -> None:
    path = shared_data / "cifar10-subset"
    whole = load_dataset(f"folder:{path}")
    sampled = load_dataset(f"folder:{path}", val_subset=40)
    assert isinstance(sampled.val, ImageFiles) and len(sampled.val) == 40
    # The held-out split lists its files class by class: the first 40 are one class.
    assert len(set(whole.val.labels[:40].tolist())) == 1
    assert len(set(sampled.val.labels.tolist())) >= 6
    assert {p for p, _ in sampled.val.samples} <= {p for p, _ in whole.val.samples}
