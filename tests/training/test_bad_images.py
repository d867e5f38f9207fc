"""Unreadable files in an image folder: one line naming the file, or left out on request.

Zero bytes, a file cut short, a chunk with a bad checksum, text named ``.png``, and
an image whose checksums are right but whose pixels do not decode: PIL fails on
each in its own way (OSError, SyntaxError, UnidentifiedImageError, in a DataLoader
worker or not). The user reads one line that names the file and says how to skip
such images, and ``--skip-bad-images`` leaves them out and says how many.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from torch.utils.data import DataLoader

from resnet_studio.training.datasets import (
    ImageFiles,
    UnreadableImage,
    find_unreadable,
    load_dataset,
    read_image,
)
from resnet_studio.training.runs import read_run
from tests.cli_in_process import assert_one_line_error, cli

BAD = {
    "a/05.png": "truncated",
    "b/07.png": "empty",
    "b/09.png": "bad-crc",
    "b/11.png": "text",
}


def _png(rng: np.random.Generator) -> bytes:
    import io

    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (8, 8, 3), dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def _undecodable(png: bytes) -> bytes:
    """``png`` with its pixel data scrambled but every checksum right: it verifies, and
    fails only when decoded."""
    start = png.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", png[start : start + 4])
    data = bytes(b ^ 0x5A for b in png[start + 8 : start + 8 + length])
    crc = struct.pack(">I", zlib.crc32(b"IDAT" + data))
    return png[: start + 8] + data + crc + png[start + 12 + length :]


def _damage(png: bytes, how: str) -> bytes:
    if how == "truncated":
        return png[: len(png) // 2]
    if how == "empty":
        return b""
    if how == "bad-crc":
        return png[:60] + b"\xff" * 10 + png[70:]
    if how == "text":
        return b"not an image at all\n"
    return _undecodable(png)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two classes of 20 8×8 RGB images; the files in BAD damaged as it says."""
    rng = np.random.default_rng(0)
    root = tmp_path / "images"
    for cls in ("a", "b"):
        (root / cls).mkdir(parents=True)
        for i in range(20):
            png = _png(rng)
            name = f"{cls}/{i:02d}.png"
            (root / name).write_bytes(_damage(png, BAD[name]) if name in BAD else png)
    return root


def one_line(err: BaseException, path: Path) -> str:
    message = str(err)
    assert message.startswith(f"{path}: not a readable image ("), message
    assert "\n" not in message and "--skip-bad-images" in message, message
    return message


@pytest.mark.parametrize("name", [*BAD, "undecodable"])
def test_reading_a_bad_image_names_it_in_one_line(folder: Path, name: str) -> None:
    path = folder / name
    if name == "undecodable":
        path = folder / "a" / "undecodable.png"
        path.write_bytes(_undecodable((folder / "a" / "00.png").read_bytes()))
        assert find_unreadable([path]) == ([], 1)  # it passes the quick check
    with pytest.raises(UnreadableImage) as info:
        read_image(path, 3, (8, 8))
    one_line(info.value, path)


def test_a_bad_image_read_by_a_dataloader_worker_is_still_one_line(folder: Path) -> None:
    files = ImageFiles(
        [(str(folder / "a" / "00.png"), 0), (str(folder / "b/07.png"), 1)], 3, (8, 8)
    )
    with pytest.raises(UnreadableImage) as info:
        list(DataLoader(files, batch_size=2, num_workers=1))
    one_line(info.value, folder / "b/07.png")


def test_a_folder_with_bad_images_is_refused_naming_one_then_loads_without_them(
    folder: Path,
) -> None:
    with pytest.raises(UnreadableImage) as info:
        load_dataset(f"folder:{folder}")
    assert any(str(info.value).startswith(f"{folder / name}:") for name in BAD)
    bundle = load_dataset(f"folder:{folder}", skip_bad_images=True)
    assert sorted(Path(p).relative_to(folder).as_posix() for p, _ in bundle.skipped) == sorted(BAD)
    assert len(bundle.train) + len(bundle.val) == 40 - len(BAD)
    assert bundle.train.skipped == bundle.skipped
    for i in range(len(bundle.train)):
        assert bundle.train[i][0].shape == (3, 8, 8)


def test_an_image_that_fails_only_when_decoded_is_replaced_when_skipping(folder: Path) -> None:
    bad = folder / "a" / "undecodable.png"
    bad.write_bytes(_undecodable((folder / "a" / "00.png").read_bytes()))
    samples = [(str(bad), 0), (str(folder / "a" / "01.png"), 0)]
    with pytest.raises(UnreadableImage):
        ImageFiles(samples, 3, (8, 8))[0]
    image, label = ImageFiles(samples, 3, (8, 8), replace_bad=True)[0]
    assert image.shape == (3, 8, 8) and label == 0


def test_checking_a_folder_takes_bounded_time(folder: Path) -> None:
    paths = sorted(folder.rglob("*.png"))
    bad, checked = find_unreadable(paths)
    assert checked == 40 and [Path(p).relative_to(folder).as_posix() for p, _ in bad] == list(BAD)
    assert find_unreadable(paths, seconds=0.0) == ([], 0)


def test_train_and_evaluate_on_the_command_line(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train = ["train", "--preset", "cifar-resnet20", "--input", "3,8,8", "--epochs", "1"]
    code, _, err = cli(capsys, *train, "--dataset", f"folder:{folder}", "--out", tmp_path / "r1")
    assert_one_line_error(code, err, "not a readable image", "--skip-bad-images")
    assert not (tmp_path / "r1").exists()
    run = tmp_path / "r2"
    code, out, err = cli(
        capsys, *train, "--dataset", f"folder:{folder}", "--out", run, "--skip-bad-images"
    )
    assert code == 0, err
    assert f"note: left out {len(BAD)} unreadable images, the first {folder}" in out
    assert read_run(run).info["dataset"]["skip_bad_images"] is True
    # The run's own split: evaluating the run leaves out what its training left out.
    code, out, err = cli(capsys, "evaluate", run, "--split", "val")
    assert code == 0, err
    assert f"note: left out {len(BAD)} unreadable images" in err and "evaluated" in out
    # A model file knows nothing of the folder: the user says whether to skip.
    evaluate = ["evaluate", run / "model.pt", "--folder", folder, "--split", "val"]
    code, _, err = cli(capsys, *evaluate)
    assert_one_line_error(code, err, "not a readable image", str(folder))
    code, out, err = cli(capsys, *evaluate, "--skip-bad-images")
    assert code == 0, err
    assert f"note: left out {len(BAD)} unreadable images" in err and "evaluated" in out
