"""Data sets: synthetic, torchvision (from the shared data, never downloaded), folders."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from resnet_studio.training import datasets
from resnet_studio.training.datasets import (
    BUILTIN_DATASETS,
    DatasetError,
    ImageFiles,
    TensorSplit,
    channel_stats,
    dataset_can_download,
    default_data_root,
    folder_format,
    folder_image_paths,
    load_dataset,
    seeded_generator,
)
from resnet_studio.training.synthetic import SYNTHETIC_CLASSES, generate_shapes

CIFAR_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)


@pytest.fixture(scope="module")
def synthetic() -> datasets.DataBundle:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # see one_thread below
    try:
        return load_dataset("synthetic")
    finally:
        torch.set_num_threads(threads)


@pytest.fixture
def one_thread() -> Iterator[None]:
    """Small models train faster on one thread, and a busy second core cannot stall them."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _one_line(error: pytest.ExceptionInfo[DatasetError]) -> str:
    message = str(error.value)
    assert "\n" not in message and message.strip() == message
    return message


# --- synthetic ---------------------------------------------------------------


def test_synthetic_bundle_shapes_and_names(synthetic: datasets.DataBundle) -> None:
    b = synthetic
    assert b.name == "synthetic" and b.root is None and b.augment
    assert b.input_shape == (3, 32, 32)
    assert b.classes == 10 and b.class_names == SYNTHETIC_CLASSES
    assert isinstance(b.train, TensorSplit) and isinstance(b.val, TensorSplit)
    assert b.train.images.shape == (10_000, 3, 32, 32) and b.train.images.dtype == torch.uint8
    assert b.train.labels.dtype == torch.int64 and len(b.val) == 2_000
    assert torch.bincount(b.train.labels).tolist() == [1_000] * 10  # balanced
    # Images use the whole range and are not all alike.
    assert b.train.images.min() == 0 and b.train.images.max() == 255
    assert 0.3 < min(b.mean) and max(b.mean) < 0.7 and min(b.std) > 0.2


def test_synthetic_is_deterministic(synthetic: datasets.DataBundle, one_thread: None) -> None:
    # Loading again (cut to a subset, so the test stays quick to check) gives the same images.
    again = load_dataset("synthetic", seed=0, subset=100, val_size=10)
    assert len(again.train) == 100 and len(again.val) == 10
    assert torch.equal(again.train.images, synthetic.train.images[:100])
    assert torch.equal(again.train.labels, synthetic.train.labels[:100])
    assert again.mean == synthetic.mean  # statistics of the full training split
    a = generate_shapes(64, seeded_generator(5))
    b = generate_shapes(64, seeded_generator(5))
    c = generate_shapes(64, seeded_generator(6))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


def test_synthetic_val_differs_from_train(synthetic: datasets.DataBundle) -> None:
    train = synthetic.train.images.view(len(synthetic.train), -1)
    val = synthetic.val.images[:50].view(50, -1)
    assert not (val[:, None, :] == train[None, :2000, :]).all(-1).any()


def _fit(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int, lr: float) -> None:
    torch.manual_seed(0)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    order = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        for idx in torch.randperm(len(y), generator=order).split(64):
            loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()


def _accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def test_synthetic_is_learnable_but_not_trivial(
    synthetic: datasets.DataBundle, one_thread: None
) -> None:
    mean = torch.tensor(synthetic.mean).view(1, 3, 1, 1)
    std = torch.tensor(synthetic.std).view(1, 3, 1, 1)
    x = (synthetic.train.images[:2000].float() / 255 - mean) / std
    y = synthetic.train.labels[:2000]
    xv = (synthetic.val.images[:1000].float() / 255 - mean) / std
    yv = synthetic.val.labels[:1000]

    torch.manual_seed(0)
    linear = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
    _fit(linear, x, y, epochs=4, lr=1e-3)
    assert _accuracy(linear, xv, yv) < 0.35  # colours and positions carry no class

    torch.manual_seed(0)
    cnn = nn.Sequential(
        nn.Conv2d(3, 16, 3, stride=2, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=1),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.AdaptiveMaxPool2d(1),
        nn.Flatten(),
        nn.Linear(32, 10),
    )
    _fit(cnn, x, y, epochs=2, lr=1e-2)
    assert _accuracy(cnn, xv, yv) > 0.40


# --- torchvision sets from the shared data -------------------------------------


@pytest.mark.parametrize(
    ("name", "first_class", "mean"),
    [("mnist", "0", 0.1307), ("fashion-mnist", "T-shirt/top", 0.2860)],
)
def test_mnist_like_from_shared_data(
    shared_data: Path, name: str, first_class: str, mean: float
) -> None:
    b = load_dataset(name, shared_data)
    assert b.name == name and b.root == shared_data
    assert b.input_shape == (1, 28, 28) and b.classes == 10
    assert b.class_names[0] == first_class and len(b.class_names) == 10
    assert not b.augment  # flips would turn digits and garments into other things
    assert isinstance(b.train, TensorSplit) and isinstance(b.val, TensorSplit)
    assert len(b.train) == 55_000 and len(b.val) == 5_000
    assert b.train.images.shape[1:] == (1, 28, 28) and b.train.images.dtype == torch.uint8
    assert b.mean[0] == pytest.approx(mean, abs=2e-3)
    assert torch.bincount(b.val.labels, minlength=10).min() > 350  # a random hold-out


def test_split_is_seeded_and_val_size_overrides(shared_data: Path) -> None:
    a = load_dataset("mnist", shared_data, val_size=1_000, subset=500)
    b = load_dataset("mnist", shared_data, val_size=1_000, subset=500)
    c = load_dataset("mnist", shared_data, val_size=1_000, subset=500, seed=1)
    assert len(a.val) == 1_000 and len(a.train) == 500
    assert torch.equal(a.val.images, b.val.images) and torch.equal(a.train.labels, b.train.labels)
    assert not torch.equal(a.val.images, c.val.images)
    with pytest.raises(DatasetError, match="leaves no training images") as error:
        load_dataset("mnist", shared_data, val_size=60_000)
    _one_line(error)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail every download attempt, and record it."""
    import torchvision.datasets.cifar
    import torchvision.datasets.mnist
    import torchvision.datasets.svhn

    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(str(args[0]) if args else "?")
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    for module in (torchvision.datasets.cifar, torchvision.datasets.mnist):
        monkeypatch.setattr(module, "download_and_extract_archive", refuse)
    monkeypatch.setattr(torchvision.datasets.svhn, "download_url", refuse)
    return attempts


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cifar10", "cifar-10-batches-py/"),
        ("cifar100", "cifar-100-python/"),
        ("mnist", "MNIST/raw/"),
        ("fashion-mnist", "FashionMNIST/raw/"),
        ("svhn", "train_32x32.mat"),
    ],
)
def test_missing_files_give_one_line_and_no_download(
    tmp_path: Path, no_network: list[str], name: str, expected: str
) -> None:
    with pytest.raises(DatasetError) as error:
        load_dataset(name, tmp_path)
    message = _one_line(error)
    assert message.startswith(f"{name}: no data in {tmp_path} ")
    assert f"(expected {expected} there)" in message and "--download" in message
    assert no_network == []
    assert list(tmp_path.iterdir()) == []  # nothing written either


@pytest.mark.parametrize("name", ["cifar10", "mnist"])
def test_failed_download_gives_one_line(tmp_path: Path, no_network: list[str], name: str) -> None:
    with pytest.raises(DatasetError) as error:
        load_dataset(name, tmp_path, download=True)
    message = _one_line(error)
    assert message.startswith(f"{name}: download into {tmp_path} failed")
    assert "network is unreachable" in message
    assert no_network  # it did try, since it was asked to


def test_names_and_downloadability() -> None:
    assert BUILTIN_DATASETS[0] == "synthetic"
    assert all(dataset_can_download(n) for n in BUILTIN_DATASETS[1:])
    assert not dataset_can_download("synthetic")
    assert not dataset_can_download("folder:/somewhere")
    with pytest.raises(DatasetError, match="unknown data set 'imagenet'") as error:
        load_dataset("imagenet")
    assert "folder:PATH" in _one_line(error)


def test_default_data_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RESNET_STUDIO_DATA", str(tmp_path / "data"))
    assert default_data_root() == tmp_path / "data"
    monkeypatch.delenv("RESNET_STUDIO_DATA")
    root = default_data_root()
    assert root.parts[-2:] == ("resnet-studio", "data") and root.is_absolute()
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert default_data_root() == tmp_path / "xdg" / "resnet-studio" / "data"


def test_root_defaults_to_default_data_root(
    monkeypatch: pytest.MonkeyPatch, shared_data: Path
) -> None:
    monkeypatch.setenv("RESNET_STUDIO_DATA", str(shared_data))
    assert load_dataset("fashion-mnist", subset=10).root == shared_data


# --- image folders -------------------------------------------------------------


def test_folder_with_train_and_test(shared_data: Path) -> None:
    path = shared_data / "cifar10-subset"
    b = load_dataset(f"folder:{path}")
    assert b.name == f"folder:{path.resolve()}" and b.root == path.resolve()
    assert b.class_names == CIFAR_CLASSES and b.classes == 10
    assert b.input_shape == (3, 32, 32) and b.augment
    assert isinstance(b.train, ImageFiles) and isinstance(b.val, ImageFiles)
    # test/ is held apart for the final evaluation; validation comes out of train/.
    assert isinstance(b.test, ImageFiles) and len(b.test) == 1_017
    assert len(b.val) == 807 and len(b.train) == 8_068 - 807
    image, label = b.train[0]
    assert image.dtype == torch.uint8 and image.shape == (3, 32, 32)
    assert isinstance(label, int) and 0 <= label < 10
    assert all("/test/" in p for p, _ in b.test.samples)
    assert all("/train/" in p for p, _ in b.val.samples + b.train.samples)
    assert 0.4 < b.mean[0] < 0.55 and 0.2 < b.std[0] < 0.3  # CIFAR-10 is ~0.49 / 0.25


def test_folder_without_split_is_split_by_seed(shared_data: Path) -> None:
    path = shared_data / "cifar10-subset" / "test"  # class folders, no train/
    a = load_dataset(f"folder:{path}")
    b = load_dataset(f"folder:{path}")
    c = load_dataset(f"folder:{path}", seed=1)
    assert len(a.val) == 102 and len(a.train) == 1_017 - 102  # 10%
    train, val = {p for p, _ in a.train.samples}, {p for p, _ in a.val.samples}
    assert not train & val and len(train | val) == 1_017
    assert a.val.samples == b.val.samples and a.val.samples != c.val.samples
    assert len(load_dataset(f"folder:{path}", val_size=17).val) == 17
    small = load_dataset(f"folder:{path}", subset=20)
    assert len(small.train) == 20 and small.train.samples == a.train.samples[:20]
    # A seeded random order: a subset is not all one class.
    assert len(set(small.train.labels.tolist())) > 3


def _png(path: Path, size: tuple[int, int], mode: str = "RGB", value: int = 128) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    color = value if mode in ("L", "P") else (value,) * len(mode)
    Image.new(mode, size, color).save(path)


def test_folder_sizes_and_modes_follow_the_first_image(tmp_path: Path) -> None:
    _png(tmp_path / "a" / "0.png", (24, 20))  # PIL sizes are (width, height)
    _png(tmp_path / "a" / "1.png", (16, 16), "L")
    _png(tmp_path / "b" / "0.png", (40, 40), "RGBA")
    _png(tmp_path / "b" / "1.png", (24, 20), "P")
    b = load_dataset(f"folder:{tmp_path}", val_size=1)
    assert b.input_shape == (3, 20, 24) and b.class_names == ("a", "b")
    assert folder_format(tmp_path) == ((3, 20, 24), 2)  # known without loading
    for split in (b.train, b.val):
        for i in range(len(split)):
            assert split[i][0].shape == (3, 20, 24) and split[i][0].dtype == torch.uint8

    grey = tmp_path / "grey"
    _png(grey / "x" / "0.png", (8, 8), "L")
    _png(grey / "y" / "0.png", (8, 8), "RGB")
    g = load_dataset(f"folder:{grey}", val_size=1)
    assert g.input_shape == (1, 8, 8) and len(g.mean) == 1
    # The Train dialog knows both before loading, from the folders and one image header.
    assert folder_format(grey) == (g.input_shape, g.classes) == ((1, 8, 8), 2)


def test_linked_class_folders_are_checked_as_they_load(shared_data: Path, tmp_path: Path) -> None:
    # A user's own set made of links to folders elsewhere: loading follows them, and the
    # Train dialog's check of the images must see the same files.
    for name in ("cat", "dog"):
        (tmp_path / name).symlink_to(shared_data / "cifar10-subset" / "test" / name)
    paths = folder_image_paths(tmp_path)
    bundle = load_dataset(f"folder:{tmp_path}")
    assert len(paths) == len(bundle.train) + len(bundle.val) > 100
    assert folder_format(tmp_path) == ((3, 32, 32), 2)


def test_a_folder_s_format_is_its_training_folder_s(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "cifar10-subset"  # train/ and test/, ten classes
    assert folder_format(path) == ((3, 32, 32), 10)
    assert folder_format(tmp_path / "nowhere") is None
    _png(tmp_path / "flat.png", (8, 8))  # images but no class subfolders
    assert folder_format(tmp_path) is None
    (tmp_path / "cls").mkdir()
    (tmp_path / "cls" / "0.png").write_bytes(b"not a png")  # the first image cannot be read
    assert folder_format(tmp_path) is None


@pytest.mark.parametrize(
    ("folders", "val_from", "test_from"),
    [
        (("train", "val", "test"), "val", "test"),
        (("train", "validation", "test"), "validation", "test"),
        (("train", "test"), "train", "test"),
        # A val/ alone is the held-apart split, as ImageNet's val is its test set.
        (("train", "val"), "train", "val"),
        (("train",), "train", None),
    ],
)
def test_folder_splits(tmp_path: Path, folders, val_from: str, test_from: str | None) -> None:
    for folder in folders:
        for cls in ("a", "b"):
            for i in range(5):
                _png(tmp_path / folder / cls / f"{i}.png", (8, 8))
    b = load_dataset(f"folder:{tmp_path}")
    assert {Path(p).parts[-3] for p, _ in b.val.samples} == {val_from}
    assert {Path(p).parts[-3] for p, _ in b.train.samples} == {"train"}
    if test_from is None:
        assert b.test is None
        with pytest.raises(DatasetError, match="no test split"):
            b.split("test")
    else:
        assert {Path(p).parts[-3] for p, _ in b.test.samples} == {test_from}
        assert len(b.test) == 10


def test_folder_val_may_lack_a_class_but_not_add_one(tmp_path: Path) -> None:
    for cls in ("a", "b"):
        _png(tmp_path / "train" / cls / "0.png", (8, 8))
    _png(tmp_path / "val" / "b" / "0.png", (8, 8))
    b = load_dataset(f"folder:{tmp_path}", val_size=1)
    assert b.test.samples[0][1] == 1  # "b" keeps its training label
    _png(tmp_path / "val" / "c" / "0.png", (8, 8))
    with pytest.raises(DatasetError, match="has classes that .* lacks: c") as error:
        load_dataset(f"folder:{tmp_path}")
    _one_line(error)


def test_folder_errors(tmp_path: Path) -> None:
    cases = {
        f"folder:{tmp_path / 'nowhere'}": "does not exist",
        f"folder:{tmp_path}": "no class subfolders in",
        "folder:": "no path given",
    }
    for name, expected in cases.items():
        with pytest.raises(DatasetError, match=expected) as error:
            load_dataset(name)
        _one_line(error)
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "notes.txt").write_text("not an image")
    with pytest.raises(DatasetError, match="no images in the class folders") as error:
        load_dataset(f"folder:{tmp_path}")
    _one_line(error)
    _png(tmp_path / "cat" / "0.png", (8, 8))
    with pytest.raises(DatasetError, match="too few") as error:
        load_dataset(f"folder:{tmp_path}")
    _one_line(error)


# --- helpers -------------------------------------------------------------------


def test_channel_stats_match_float_arithmetic() -> None:
    images = torch.randint(0, 256, (50, 3, 9, 7), dtype=torch.uint8)
    mean, std = channel_stats(images)
    x = images.double() / 255
    assert mean == pytest.approx(x.mean((0, 2, 3)).tolist(), abs=1e-9)
    assert std == pytest.approx(x.std((0, 2, 3), correction=0).tolist(), abs=1e-9)


def test_tensor_split_checks_its_tensors() -> None:
    with pytest.raises(ValueError):
        TensorSplit(torch.zeros(2, 1, 4, 4), torch.zeros(2, dtype=torch.int64))
    with pytest.raises(ValueError):
        TensorSplit(torch.zeros(2, 1, 4, 4, dtype=torch.uint8), torch.zeros(3, dtype=torch.int64))


def test_16_bit_grey_images_are_scaled_not_clipped(tmp_path: Path) -> None:
    from PIL import Image

    from resnet_studio.training.datasets import read_image

    ramp = (np.arange(32 * 32).reshape(32, 32) * 64).astype(np.uint16)  # 0 .. 65,472
    Image.fromarray(ramp).save(tmp_path / "deep.png")
    grey = read_image(tmp_path / "deep.png", 1, (32, 32))
    assert grey.dtype == torch.uint8
    assert abs(grey.float().mean().item() - ramp.mean() / 257) < 1
    rgb = read_image(tmp_path / "deep.png", 3, (16, 16))
    assert rgb.shape == (3, 16, 16) and 100 < rgb.float().mean().item() < 155
