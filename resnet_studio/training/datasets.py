"""Data sets: the built-in synthetic one, torchvision's classics, and image folders.

``load_dataset(name)`` returns a :class:`DataBundle`: train and validation splits
plus what a model and the batcher need to know (input shape, classes, per-channel
mean/std, whether the paper's crop-and-flip augmentation suits the images).

Small data sets are held as :class:`TensorSplit` (one uint8 tensor), so batches
can be cut and augmented on the device in bulk (see ``batches.py``). Image
folders stay on disk as a torch ``Dataset`` of :class:`ImageFiles`.

Validation data comes out of the *training* split (a seeded hold-out), as in
the paper's 45k/5k CIFAR split, or from an image folder's own ``val/``. The
test split (torchvision's test sets, a folder's ``test/``) is held apart: it
is used once, to evaluate the final model, never to choose anything.

An image file that cannot be read (zero bytes, truncated, corrupt) is an
:class:`UnreadableImage` naming the file, in one line, even when a DataLoader
worker read it. With ``skip_bad_images`` every image of a folder is checked up
front (:func:`find_unreadable`: PIL opens it and verifies it, without decoding
its pixels) and the unreadable ones are left out and listed in
:attr:`DataBundle.skipped`; one that passes the check but fails to decode later
is replaced by the next readable image of its split (training and validation).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import Dataset

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.metadata import ModelMeta
from resnet_studio.training.dataset_info import (
    BUILTIN_DATASETS,
    DATASETS,
    FOLDER_PREFIX,
    default_data_root,
)
from resnet_studio.training.synthetic import SYNTHETIC_CLASSES, generate_shapes

__all__ = ["BUILTIN_DATASETS", "FOLDER_PREFIX", "default_data_root", "load_dataset"]

SYNTHETIC_TRAIN_SIZE = 10_000
SYNTHETIC_VAL_SIZE = 2_000
SYNTHETIC_TEST_SIZE = 2_000
FOLDER_VAL_FRACTION = 0.1
# Folder mean/std come from this many images (seeded sample): decoding a whole
# large folder just to normalise would make loading slow.
FOLDER_STATS_SAMPLE = 1_000
# Directory names accepted for a folder's validation split, in order of preference.
FOLDER_VAL_DIRS = ("val", "validation", "valid")
# The folder that holds a folder data set's test split. Without one, a val/
# folder becomes the test split and validation is held out of train/.
FOLDER_TEST_DIR = "test"


class DatasetError(ValueError):
    """A data set cannot be loaded; the message is one line meant for the user."""


SKIP_HINT = Message(
    "data.skip_hint",
    QT_TRANSLATE_NOOP(
        "messages",
        "remove it, or skip unreadable images (train or evaluate --skip-bad-images; "
        "“Skip unreadable images” in the Train dialog)",
    ),
)


class UnreadableImage(DatasetError):
    """An image file PIL cannot read; the message names the file, in one line.

    A DataLoader worker's error reaches the main process as the same type, built
    from a message with the worker's traceback in it; the original line is taken
    back out of it, so the user still reads one line naming the file.
    """

    def __init__(self, message: str) -> None:
        marker = f"{type(self).__name__}: "
        # Rebuilt from a worker's text, the message is plain English; else it is the
        # Message of unreadable_message, which the window translates.
        if "Traceback" in message and marker in message:
            message = message.rsplit(marker, 1)[1].strip().splitlines()[0]
        super().__init__(message)


def _reason(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}"[:200] if text else type(err).__name__


def unreadable_message(path: str | Path, reason: str) -> str:
    return Message(
        "data.unreadable_image",
        QT_TRANSLATE_NOOP("messages", "{path}: not a readable image ({reason}); {hint}"),
        path=str(path),
        reason=reason,
        hint=SKIP_HINT,
    )


def skipped_note(skipped: Sequence[tuple[str, str]]) -> str:
    """``left out 3 unreadable images, the first …``: for a note to the user."""
    path, reason = skipped[0]
    if len(skipped) == 1:
        return Message(
            "data.skipped_one",
            QT_TRANSLATE_NOOP(
                "messages", "left out 1 unreadable image, the first {path} ({reason})"
            ),
            path=path,
            reason=reason,
        )
    return Message(
        "data.skipped",
        QT_TRANSLATE_NOOP(
            "messages", "left out {count:,} unreadable images, the first {path} ({reason})"
        ),
        count=len(skipped),
        path=path,
        reason=reason,
    )


def check_image(path: str | Path) -> str | None:
    """Why PIL cannot read the image at ``path`` (None: it can).

    Opens it and verifies it (headers, chunk checksums) without decoding the
    pixels: a fraction of a millisecond per small image.
    """
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
    except Exception as err:  # noqa: BLE001 - PIL's decoders fail in many ways
        return _reason(err)
    return None


def find_unreadable(
    paths: Sequence[str | Path], seconds: float | None = None
) -> tuple[list[tuple[str, str]], int]:
    """(unreadable images as (path, reason), how many were checked) of ``paths``.

    With ``seconds``, stops checking when that time is up, so a huge folder is
    checked in bounded time (the count says how far it got).
    """
    deadline = None if seconds is None else time.monotonic() + seconds
    bad: list[tuple[str, str]] = []
    for checked, path in enumerate(paths):
        if deadline is not None and time.monotonic() > deadline:
            return bad, checked
        reason = check_image(path)
        if reason is not None:
            bad.append((str(path), reason))
    return bad, len(paths)


def folder_image_paths(folder: str | Path) -> list[str]:
    """Every image file a folder data set could load from ``folder`` (any split), sorted."""
    from torchvision.datasets.folder import IMG_EXTENSIONS

    found = []
    # Into linked class folders too, as loading goes (torchvision's make_dataset).
    for directory, _, files in os.walk(folder, followlinks=True):
        found.extend(
            os.path.join(directory, name) for name in files if name.lower().endswith(IMG_EXTENSIONS)
        )
    return sorted(found)


# eq=False: comparing tensors field by field has no single truth value.
@dataclass(frozen=True, eq=False)
class TensorSplit:
    """Images and labels held in memory: uint8 N×C×H×W and int64 N, on the CPU."""

    images: torch.Tensor
    labels: torch.Tensor

    def __post_init__(self) -> None:
        if self.images.dtype != torch.uint8 or self.images.dim() != 4:
            shape = tuple(self.images.shape)
            raise ValueError(f"images must be uint8 N×C×H×W, got {self.images.dtype} {shape}")
        if self.labels.dtype != torch.int64 or self.labels.shape != self.images.shape[:1]:
            raise ValueError("labels must be int64 with one label per image")

    def __len__(self) -> int:
        return len(self.labels)


class ImageFiles(Dataset):
    """Image files with labels; items are (uint8 C×H×W tensor, int label).

    Every image is converted to ``channels`` (1: grey, 3: RGB) and, only if its
    size differs from ``size`` (H, W), resized to it, so that batches stack.
    Plain attributes only, so the data set pickles into DataLoader workers.
    With ``replace_bad``, an image that cannot be read is replaced by the next
    readable one (``skipped`` lists those left out when the folder was checked).
    """

    def __init__(
        self,
        samples: Sequence[tuple[str, int]],
        channels: int,
        size: tuple[int, int],
        replace_bad: bool = False,
        skipped: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.samples = list(samples)
        self.channels = channels
        self.size = size
        self.replace_bad = replace_bad
        self.skipped = tuple(skipped)

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        path, label = self.samples[index]
        try:
            return read_image(path, self.channels, self.size), label
        except UnreadableImage:
            if not self.replace_bad or len(self.samples) < 2:
                raise
        # Passed the check, yet cannot be decoded: the next image that can, in its place.
        for step in range(1, min(len(self.samples), 100)):
            other, other_label = self.samples[(index + step) % len(self.samples)]
            try:
                return read_image(other, self.channels, self.size), other_label
            except UnreadableImage:
                continue
        return read_image(path, self.channels, self.size), label  # says which file

    @property
    def labels(self) -> torch.Tensor:
        """All labels as an int64 tensor (no image is read)."""
        return torch.tensor([label for _, label in self.samples], dtype=torch.int64)

    def subset(self, indices: Sequence[int] | torch.Tensor) -> ImageFiles:
        """A new ImageFiles with only the given samples, in the given order."""
        return ImageFiles(
            [self.samples[int(i)] for i in indices],
            self.channels,
            self.size,
            self.replace_bad,
            self.skipped,
        )

    def to_tensor_split(self, num_workers: int = 0) -> TensorSplit:
        """Read every image into one in-memory :class:`TensorSplit` (same order).

        Worth it when the images fit in memory: in-memory batches are an order
        of magnitude faster than decoding files every epoch.
        """
        from torch.utils.data import DataLoader

        batches = list(DataLoader(self, batch_size=256, num_workers=num_workers))
        if not batches:
            empty = torch.empty(0, self.channels, *self.size, dtype=torch.uint8)
            return TensorSplit(empty, torch.empty(0, dtype=torch.int64))
        images, labels = zip(*batches, strict=True)
        return TensorSplit(torch.cat(images), torch.cat(labels))


@dataclass(frozen=True, eq=False)
class DataBundle:
    """A loaded data set: splits plus what a model and the batcher need to know."""

    name: str
    input_shape: tuple[int, int, int]
    classes: int
    class_names: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    augment: bool
    train: TensorSplit | Dataset
    val: TensorSplit | Dataset
    root: Path | None
    test: TensorSplit | Dataset | None = None  # None: the data set has no test split here
    seed: int = 0  # of the train/validation hold-out and the subset
    skipped: tuple[tuple[str, str], ...] = ()  # unreadable images left out: (path, reason)
    skips_bad_images: bool = False  # an image folder loaded with unreadable images left out
    # Validation cut to a seeded sample of this many images (for quick looks), and how
    # many the whole validation split holds; None: the whole split.
    val_subset: int | None = None
    val_sampled_from: int | None = None

    def model_meta(self) -> ModelMeta:
        """What a model trained on this data records about its input and classes."""
        return ModelMeta(
            input_shape=self.input_shape,
            categories=self.class_names,
            mean=self.mean,
            std=self.std,
            dataset=self.name,
            trained=True,
            split_seed=self.seed,
        )

    def split(self, name: str) -> TensorSplit | Dataset:
        """The ``"train"``, ``"val"`` or ``"test"`` split; :class:`DatasetError` if absent."""
        if name not in ("train", "val", "test"):
            raise ValueError(f"split must be 'train', 'val' or 'test', got {name!r}")
        data = getattr(self, name)
        if data is None:
            raise DatasetError(
                Message(
                    "data.no_split",
                    QT_TRANSLATE_NOOP("messages", "{data}: no {split} split here"),
                    data=self.name,
                    split=name,
                )
            )
        return data


def derive_seed(*parts: int | str) -> int:
    """A 63-bit seed from any tuple of ints/strings, e.g. (seed, "order", epoch).

    Hashing keeps nearby tuples (seed 0 epoch 1 vs seed 1 epoch 0) uncorrelated.
    """
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def seeded_generator(*parts: int | str) -> torch.Generator:
    """A CPU generator seeded by :func:`derive_seed` of ``parts``."""
    return torch.Generator().manual_seed(derive_seed(*parts))


@dataclass(frozen=True)
class _TorchvisionSet:
    """How to load one torchvision data set and what it looks like on disk."""

    # (root, download, train) -> (uint8 N×C×H×W images, int64 labels, class names)
    load: Callable[[Path, bool, bool], tuple[torch.Tensor, torch.Tensor, Sequence[str]]]
    val_size: int
    augment: bool


def _load_mnist_like(cls_name: str) -> Callable[[Path, bool, bool], Any]:
    def load(
        root: Path, download: bool, train: bool
    ) -> tuple[torch.Tensor, torch.Tensor, Sequence[str]]:
        import torchvision.datasets as tvd

        ds = getattr(tvd, cls_name)(root, train=train, download=download)
        # MNIST's classes read "0 - zero"; the digit alone is the useful name.
        names = [str(i) for i in range(10)] if cls_name == "MNIST" else ds.classes
        return ds.data.unsqueeze(1).contiguous(), ds.targets.to(torch.int64), names

    return load


def _load_cifar(cls_name: str) -> Callable[[Path, bool, bool], Any]:
    def load(
        root: Path, download: bool, train: bool
    ) -> tuple[torch.Tensor, torch.Tensor, Sequence[str]]:
        import torchvision.datasets as tvd

        ds = getattr(tvd, cls_name)(root, train=train, download=download)
        images = torch.from_numpy(ds.data).permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
        return images, torch.tensor(ds.targets, dtype=torch.int64), ds.classes

    return load


def _load_svhn(
    root: Path, download: bool, train: bool
) -> tuple[torch.Tensor, torch.Tensor, Sequence[str]]:
    import torchvision.datasets as tvd

    ds = tvd.SVHN(root, split="train" if train else "test", download=download)
    # torchvision already maps SVHN's label 10 to digit 0.
    labels = torch.from_numpy(ds.labels).to(torch.int64)
    return torch.from_numpy(ds.data).contiguous(), labels, [str(i) for i in range(10)]


_TORCHVISION_SETS: dict[str, _TorchvisionSet] = {
    # Flips turn digits and letters into other glyphs, so only the CIFAR sets augment.
    "mnist": _TorchvisionSet(_load_mnist_like("MNIST"), 5_000, False),
    "fashion-mnist": _TorchvisionSet(_load_mnist_like("FashionMNIST"), 5_000, False),
    "cifar10": _TorchvisionSet(_load_cifar("CIFAR10"), 5_000, True),
    "cifar100": _TorchvisionSet(_load_cifar("CIFAR100"), 5_000, True),
    "svhn": _TorchvisionSet(_load_svhn, 5_000, False),
}


def dataset_can_download(name: str) -> bool:
    """Whether ``load_dataset(name, download=True)`` can fetch the files."""
    return name.strip().lower() in _TORCHVISION_SETS


def load_dataset(
    name: str,
    root: str | Path | None = None,
    *,
    download: bool = False,
    val_size: int | None = None,
    subset: int | None = None,
    val_subset: int | None = None,
    seed: int = 0,
    skip_bad_images: bool = False,
) -> DataBundle:
    """Load a data set by name: one of ``BUILTIN_DATASETS`` or ``"folder:PATH"``.

    ``root`` is where torchvision sets live (default :func:`default_data_root`);
    nothing is downloaded unless ``download`` is true. ``val_size`` overrides the
    number of training images held out for validation (for folders with their
    own val/ split it is ignored). ``subset`` keeps only the first N
    training images after the split; training images are in a seeded random
    order, so a subset is a random sample. ``val_subset`` validates on a seeded
    random sample of N validation images (quicker epochs, noisier validation
    error). ``skip_bad_images`` leaves a folder's
    unreadable images out (run.json records it, so a resume or an evaluation of the
    run leaves out the same ones).
    Raises :class:`DatasetError`.
    """
    if val_size is not None and val_size < 0:
        raise DatasetError(
            Message(
                "data.val_size",
                QT_TRANSLATE_NOOP("messages", "validation size must be 0 or more, got {value}"),
                value=val_size,
            )
        )
    if subset is not None and subset < 1:
        raise DatasetError(
            Message(
                "data.subset",
                QT_TRANSLATE_NOOP("messages", "subset must be 1 or more, got {value}"),
                value=subset,
            )
        )
    if val_subset is not None and val_subset < 1:
        raise DatasetError(
            Message(
                "data.val_subset",
                QT_TRANSLATE_NOOP("messages", "validation subset must be 1 or more, got {value}"),
                value=val_subset,
            )
        )
    key = name.strip().lower()
    if name.startswith(FOLDER_PREFIX):
        bundle = _load_folder(name[len(FOLDER_PREFIX) :], val_size, subset, seed, skip_bad_images)
    elif key == "synthetic":
        bundle = _load_synthetic(val_size, subset, seed)
    elif key in _TORCHVISION_SETS:
        # Absolute, as run.json records it: a run read from another folder must still
        # find its data (``--data-root ../shared/data`` is relative to where it started).
        # Links are kept as the user named them (abspath, not resolve).
        base = Path(os.path.abspath((Path(root) if root else default_data_root()).expanduser()))
        bundle = _load_torchvision(key, base, download, val_size, subset, seed)
    else:
        raise DatasetError(
            Message(
                "data.unknown",
                QT_TRANSLATE_NOOP(
                    "messages", "unknown data set {name}; choose one of {known} or folder:PATH"
                ),
                name=repr(name),
                known=", ".join(BUILTIN_DATASETS),
            )
        )
    return bundle if val_subset is None else sample_validation(bundle, val_subset)


def sample_validation(bundle: DataBundle, count: int) -> DataBundle:
    """``bundle`` validating on a seeded random sample of ``count`` of its validation images.

    A sample, not the first N: a folder's own val/ split is in class order. Kept in
    the split's order; the same seed always picks the same images.
    """
    val = bundle.val
    total = len(val)
    if count >= total:
        return dataclasses.replace(bundle, val_subset=count)
    order = torch.randperm(total, generator=seeded_generator(bundle.seed, "val-subset"))
    picked = order[:count].sort().values
    if isinstance(val, TensorSplit):
        sample: TensorSplit | ImageFiles = TensorSplit(val.images[picked], val.labels[picked])
    else:  # an image folder's
        sample = val.subset(picked)
    return dataclasses.replace(bundle, val=sample, val_subset=count, val_sampled_from=total)


# --- synthetic ---------------------------------------------------------------


def _load_synthetic(val_size: int | None, subset: int | None, seed: int) -> DataBundle:
    train = TensorSplit(*generate_shapes(SYNTHETIC_TRAIN_SIZE, seeded_generator(seed, "train")))
    n_val = SYNTHETIC_VAL_SIZE if val_size is None else val_size
    # Separate seed streams, so no validation or test image repeats a training image.
    val = TensorSplit(*generate_shapes(n_val, seeded_generator(seed, "val")))
    # The test set is the same whatever the run's seed: runs stay comparable.
    test = TensorSplit(*generate_shapes(SYNTHETIC_TEST_SIZE, seeded_generator(0, "test")))
    mean, std = channel_stats(train.images)
    return DataBundle(
        name="synthetic",
        input_shape=(3, 32, 32),
        classes=len(SYNTHETIC_CLASSES),
        class_names=SYNTHETIC_CLASSES,
        mean=mean,
        std=std,
        augment=True,
        train=_first(train, subset),
        val=val,
        root=None,
        test=test,
        seed=seed,
    )


# --- torchvision -------------------------------------------------------------


def _load_torchvision(
    name: str,
    root: Path,
    download: bool,
    val_size: int | None,
    subset: int | None,
    seed: int,
) -> DataBundle:
    spec = _TORCHVISION_SETS[name]
    images, labels, class_names = _read_torchvision(name, root, download, train=True)
    test_images, test_labels, _ = _read_torchvision(name, root, download, train=False)

    n_val = spec.val_size if val_size is None else val_size
    if n_val >= len(labels):
        raise DatasetError(
            Message(
                "data.val_too_large",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{data}: validation size {val} leaves no training images (of {total})",
                ),
                data=name,
                val=n_val,
                total=len(labels),
            )
        )
    order = torch.randperm(len(labels), generator=seeded_generator(seed, "split"))
    val = TensorSplit(images[order[:n_val]], labels[order[:n_val]])
    train = TensorSplit(images[order[n_val:]], labels[order[n_val:]])
    # Statistics of the whole training part, not of a subset, so that a quick
    # look normalises the same way as a full run.
    mean, std = channel_stats(train.images)
    return DataBundle(
        name=name,
        input_shape=(images.shape[1], images.shape[2], images.shape[3]),
        classes=len(class_names),
        class_names=tuple(class_names),
        mean=mean,
        std=std,
        augment=spec.augment,
        train=_first(train, subset),
        val=val,
        root=root,
        test=TensorSplit(test_images, test_labels),
        seed=seed,
    )


def _read_torchvision(
    name: str, root: Path, download: bool, train: bool
) -> tuple[torch.Tensor, torch.Tensor, Sequence[str]]:
    try:
        return _TORCHVISION_SETS[name].load(root, download, train)
    except ImportError as exc:  # SVHN's .mat files need scipy
        raise DatasetError(
            Message(
                "data.needs_scipy",
                QT_TRANSLATE_NOOP(
                    "messages", "{data}: cannot read the files ({reason}); pip install scipy"
                ),
                data=name,
                reason=str(exc),
            )
        ) from exc
    except (RuntimeError, OSError) as exc:  # URLError is an OSError
        expected = DATASETS[name].expected
        if not train:
            expected = DATASETS[name].expected_test or expected
        raise DatasetError(_missing_message(name, root, expected, download, exc)) from exc


def _missing_message(
    name: str, root: Path, expected: str, download: bool, exc: BaseException
) -> Message:
    """One line saying what was searched, what should be there, and how to fix it."""
    if download:
        # URLError says why in .reason; torchvision's own errors list every mirror
        # tried over many lines, so keep the message to one short line.
        reason = " ".join(str(getattr(exc, "reason", exc)).split()) or type(exc).__name__
        inner = re.search(r"<urlopen error (.+?)>", reason)
        reason = inner.group(1) if inner else reason
        reason = reason if len(reason) <= 160 else reason[:157] + "..."
        return Message(
            "data.download_failed",
            QT_TRANSLATE_NOOP(
                "messages",
                "{data}: download into {root} failed ({reason}); check the network, "
                "or put {expected} in {root} yourself",
            ),
            data=name,
            root=str(root),
            reason=reason,
            expected=expected,
        )
    if (root / expected.rstrip("/")).exists():
        return Message(
            "data.damaged",
            QT_TRANSLATE_NOOP(
                "messages",
                "{data}: the files in {files} are incomplete or corrupted; "
                "delete them and download them again (Download in the Train dialog, or train "
                "--download)",
            ),
            data=name,
            files=str(root / expected),
        )
    return Message(
        "data.missing",
        QT_TRANSLATE_NOOP(
            "messages",
            "{data}: no data in {root} (expected {expected} there); download it (Download in "
            "the Train dialog, or train --download) or point the data root (--data-root) at a "
            "folder that has it",
        ),
        data=name,
        root=str(root),
        expected=expected,
    )


# --- image folders -----------------------------------------------------------


def _too_few_images(name: str, folder: Path, count: int, val: int) -> Message:
    if count == 1:
        return Message(
            "data.folder.one_image",
            QT_TRANSLATE_NOOP(
                "messages",
                "{data}: {folder} has 1 image, too few "
                "to hold out {val} for validation; add images or a val/ folder",
            ),
            data=name,
            folder=str(folder),
            val=val,
        )
    return Message(
        "data.folder.too_few",
        QT_TRANSLATE_NOOP(
            "messages",
            "{data}: {folder} has {count:,} images, too few "
            "to hold out {val} for validation; add images or a val/ folder",
        ),
        data=name,
        folder=str(folder),
        count=count,
        val=val,
    )


def _folder_splits(path: Path) -> tuple[Path, Path | None, Path | None]:
    """A folder data set's training, validation and test folders (None: not there)."""
    train_dir = path / "train" if (path / "train").is_dir() else path
    val_dir = next((path / d for d in FOLDER_VAL_DIRS if (path / d).is_dir()), None)
    test_dir = path / FOLDER_TEST_DIR if (path / FOLDER_TEST_DIR).is_dir() else None
    if train_dir == path:
        # Without train/, a val/ or test/ folder would just be another class.
        val_dir = test_dir = None
    elif test_dir is None and val_dir is not None:
        # A val/ alone is the held-apart split (as ImageNet's val is its test set);
        # validation is then held out of train/.
        test_dir, val_dir = val_dir, None
    return train_dir, val_dir, test_dir


def folder_format(path_text: str | Path) -> tuple[tuple[int, int, int], int] | None:
    """The image shape and class count a folder data set will have, as loading it sets
    them (its training folder's class subfolders, its first image's header), read
    without decoding any image; None when that cannot be told (loading says why)."""
    from torchvision.datasets.folder import IMG_EXTENSIONS, find_classes, make_dataset

    train_dir, _, _ = _folder_splits(Path(path_text).expanduser().resolve())
    try:
        classes, _ = find_classes(train_dir)
        # Loading's first image is the first class's first, in make_dataset's order; one
        # class at a time, so the folder is not walked whole here (the check walks it).
        first = next(
            samples[0][0]
            for name in classes
            if (samples := make_dataset(train_dir, {name: 0}, IMG_EXTENSIONS, allow_empty=True))
        )
        channels, size = _image_format(first)
    except (OSError, StopIteration, UnreadableImage):
        return None
    return (channels, *size), len(classes)


def _load_folder(
    path_text: str,
    val_size: int | None,
    subset: int | None,
    seed: int,
    skip_bad: bool = False,
) -> DataBundle:
    from torchvision.datasets.folder import IMG_EXTENSIONS, find_classes, make_dataset

    if not path_text.strip():
        raise DatasetError(
            Message(
                "data.folder.no_path",
                QT_TRANSLATE_NOOP("messages", "folder: no path given; use folder:PATH"),
            )
        )
    path = Path(path_text).expanduser().resolve()
    name = f"{FOLDER_PREFIX}{path}"
    if not path.is_dir():
        if path.exists():
            raise DatasetError(
                Message(
                    "data.folder.not_a_folder",
                    QT_TRANSLATE_NOOP("messages", "{data}: {path} is not a folder"),
                    data=name,
                    path=str(path),
                )
            )
        raise DatasetError(
            Message(
                "data.folder.missing",
                QT_TRANSLATE_NOOP("messages", "{data}: {path} does not exist"),
                data=name,
                path=str(path),
            )
        )
    skipped: list[tuple[str, str]] = []
    train_dir, val_dir, test_dir = _folder_splits(path)

    def classes_in(directory: Path) -> tuple[list[str], dict[str, int]]:
        try:
            return find_classes(directory)
        except FileNotFoundError:
            raise DatasetError(
                Message(
                    "data.folder.no_classes",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "{data}: no class subfolders in {folder} "
                        "(expected one folder of images per class, e.g. {example}/)",
                    ),
                    data=name,
                    folder=str(directory),
                    example=str(directory / "cat"),
                )
            ) from None

    class_names, class_to_idx = classes_in(train_dir)

    def samples_in(directory: Path) -> list[tuple[str, int]]:
        samples = make_dataset(directory, class_to_idx, IMG_EXTENSIONS, allow_empty=True)
        if skip_bad:
            bad, _ = find_unreadable([p for p, _ in samples])
            skipped.extend(bad)
            left_out = {p for p, _ in bad}
            samples = [(p, label) for p, label in samples if p not in left_out]
        if not samples:
            kinds = ", ".join(IMG_EXTENSIONS[:4])
            raise DatasetError(
                Message(
                    "data.folder.no_images",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "{data}: no images in the class folders of {folder} "
                        "(looked for {kinds}, …)",
                    ),
                    data=name,
                    folder=str(directory),
                    kinds=kinds,
                )
            )
        return samples

    def other_split(directory: Path) -> ImageFiles:
        # Labels come from the training folder's class list, so another split
        # may lack a class but must not add one.
        extra = sorted(set(classes_in(directory)[0]) - set(class_names))
        if extra:
            raise DatasetError(
                Message(
                    "data.folder.extra_classes",
                    QT_TRANSLATE_NOOP(
                        "messages", "{data}: {folder} has classes that {train} lacks: {classes}"
                    ),
                    data=name,
                    folder=str(directory),
                    train=str(train_dir),
                    classes=", ".join(extra),
                )
            )
        return ImageFiles(samples_in(directory), channels, size)

    train_samples = samples_in(train_dir)
    channels, size = _image_format(train_samples[0][0])
    # Training images in a seeded random order: a subset is then a random sample.
    order = torch.randperm(len(train_samples), generator=seeded_generator(seed, "split"))
    everything = ImageFiles(train_samples, channels, size, replace_bad=skip_bad)
    test = other_split(test_dir) if test_dir is not None else None
    if val_dir is not None:
        train = everything.subset(order)
        val = other_split(val_dir)
        val.replace_bad = skip_bad
    else:
        n = len(train_samples)
        n_val = max(1, round(n * FOLDER_VAL_FRACTION)) if val_size is None else val_size
        if n_val >= n:
            raise DatasetError(_too_few_images(name, train_dir, n, n_val))
        val = everything.subset(order[:n_val].sort().values)  # file order, for readability
        train = everything.subset(order[n_val:])

    sample = train.subset(range(min(len(train), FOLDER_STATS_SAMPLE)))
    images = torch.stack([sample[i][0] for i in range(len(sample))])
    mean, std = channel_stats(images)
    if subset is not None:
        train = train.subset(range(min(subset, len(train))))
    for split in (train, val, test):
        if isinstance(split, ImageFiles):
            split.skipped = tuple(skipped)  # the folder's, for whoever reads one split
    return DataBundle(
        name=name,
        input_shape=(channels, *size),
        classes=len(class_names),
        class_names=tuple(class_names),
        mean=mean,
        std=std,
        augment=True,
        train=train,
        val=val,
        root=path,
        test=test,
        seed=seed,
        skipped=tuple(skipped),
        skips_bad_images=skip_bad,
    )


def _image_format(path: str) -> tuple[int, tuple[int, int]]:
    """(channels, (height, width)) that a folder's first image sets for all of them."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            # getmodebase maps every PIL mode to "L" or "RGB" (e.g. "P" and "RGBA" -> RGB).
            channels = 1 if Image.getmodebase(image.mode) == "L" else 3
            return channels, (image.height, image.width)
    except Exception as err:  # noqa: BLE001 - PIL fails in many ways
        raise UnreadableImage(unreadable_message(path, _reason(err))) from None


def read_image(path: str | Path, channels: int, size: tuple[int, int]) -> torch.Tensor:
    """An image file as uint8 ``channels``×H×W (1: grey, 3: RGB), resized to ``size`` if needed."""
    # PIL rather than torchvision.io: its decoders are deprecated since torchvision
    # 0.29, and for small images PIL is within ~1.5× of their speed.
    from PIL import Image
    from torchvision.transforms.v2 import functional as F

    mode = "L" if channels == 1 else "RGB"
    try:
        with Image.open(path) as image:
            if image.mode.startswith("I"):  # 16-bit grey: PIL's convert would clip, not scale
                image = _eight_bit(image)
            tensor = F.pil_to_tensor(image if image.mode == mode else image.convert(mode))
    except Exception as err:  # noqa: BLE001 - decoders fail in many ways (OSError, SyntaxError…)
        raise UnreadableImage(unreadable_message(path, _reason(err))) from None
    if tuple(tensor.shape[1:]) != size:
        tensor = F.resize(tensor, list(size), antialias=True)
    return tensor


def _eight_bit(image: Any) -> Any:
    """A 16-bit (or 32-bit integer) grey image scaled to 8 bits, as an "L" image."""
    import numpy as np
    from PIL import Image

    values = np.asarray(image, dtype=np.float64)
    peak = float(values.max()) if values.size else 0.0
    if image.mode.startswith("I;16") or 255 < peak <= 65535:
        top = 65535.0
    else:  # 32-bit integers: 8-bit values stored wide, or a range of their own
        top = max(peak, 255.0)
    return Image.fromarray(np.clip(values / top * 255 + 0.5, 0, 255).astype(np.uint8), "L")


# --- shared helpers ----------------------------------------------------------


def channel_stats(images: torch.Tensor) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Exact per-channel mean and std of uint8 N×C×H×W images, in [0, 1] units.

    Counts a 256-bin histogram per channel instead of converting to float, so
    45,000 CIFAR images take a fraction of a second and no extra memory.
    """
    values = torch.arange(256, dtype=torch.float64) / 255
    means, stds = [], []
    for c in range(images.shape[1]):
        counts = torch.bincount(images[:, c].reshape(-1), minlength=256).to(torch.float64)
        total = counts.sum()
        mean = (counts * values).sum() / total
        var = (counts * (values - mean).square()).sum() / total
        means.append(float(mean))
        # A constant channel would divide by zero when normalising.
        stds.append(max(float(var.sqrt()), 1e-3))
    return tuple(means), tuple(stds)


def _first(split: TensorSplit, count: int | None) -> TensorSplit:
    if count is None or count >= len(split):
        return split
    return TensorSplit(split.images[:count], split.labels[:count])
