"""TorchScript archives whose zip entries are doctored: each is refused in one line that
names the file and the entry, before anything is decompressed or allocated.

The zip directory says of each entry whether it is encrypted, how it is
compressed, how large it is and its CRC. Each of those is doctored here, for the
network's and metadata's JSON beside the TorchScript code and for the weights
(``data.pkl`` and a ``data/`` storage); the 5 GiB entry is a real zip bomb,
5 MB of deflated zeros.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from resnet_studio.model.export import export_model
from resnet_studio.model.files import META_ENTRY, SPEC_ENTRY, ModelFileError
from resnet_studio.model.load import load_model_file, read_network
from resnet_studio.model.torchscript_weights import read_torchscript_tensors
from tests.cli_in_process import assert_one_line_error, cli
from tests.training.conftest import tiny_network

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")

GiB = 2**30


def _bomb() -> bytes:
    """Raw deflate data of 5 GiB of zeros: 1 MiB blocks, each ending in a full flush,
    come out the same, so the stream is one block repeated (about 5 MB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(2**20)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH) == block
    return block * (5 * 1024 - 1) + compressor.compress(zeros) + compressor.flush()


def encrypted(info: zipfile.ZipInfo) -> None:
    info.flag_bits |= 0x1


def unknown_method(info: zipfile.ZipInfo) -> None:
    info.compress_type = 99  # AES, as WinZip writes it


def bad_crc(info: zipfile.ZipInfo) -> None:
    info.CRC ^= 0xFFFF


def zip_bomb(info: zipfile.ZipInfo) -> None:
    info.compress_type = zipfile.ZIP_DEFLATED  # the stored bytes are _bomb()'s stream
    info.file_size = 5 * GiB


DOCTORS: dict[str, tuple[Callable[[zipfile.ZipInfo], None], str]] = {
    "encrypted": (encrypted, "is encrypted"),
    "unknown-method": (unknown_method, "uses compression method 99"),
    "bad-crc": (bad_crc, "is damaged (Bad CRC-32"),
    "zip-bomb": (zip_bomb, "says it holds 5.0 GiB, more than the"),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ts") / "model.pt"
    export_model(path, "torchscript", tiny_network())
    return path


def doctored(source: Path, target: Path, entry: str, doctor: str) -> str:
    """Copy ``source`` to ``target`` with the directory record of ``entry`` (the first
    member whose name ends so) doctored; returns the member's full name."""
    change, _ = DOCTORS[doctor]
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        member = next(n for n in src.namelist() if n.endswith(entry))
        for info in src.infolist():
            data = _bomb() if info.filename == member and doctor == "zip-bomb" else src.read(info)
            dst.writestr(zipfile.ZipInfo(info.filename, info.date_time), data)
        change(dst.getinfo(member))  # written into the central directory on close
    return member


def refusal(call: Callable[[], object], path: Path) -> str:
    with pytest.raises(ModelFileError) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    return message


@pytest.mark.parametrize("doctor", DOCTORS)
@pytest.mark.parametrize("entry", [SPEC_ENTRY, META_ENTRY], ids=["project.json", "meta.json"])
def test_a_doctored_json_entry_is_one_line_naming_it(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, doctor: str
) -> None:
    path = tmp_path / "doctored.pt"
    member = doctored(archive, path, entry, doctor)
    for call in (lambda: read_network(path), lambda: load_model_file(path)):
        message = refusal(call, path)
        assert f"its entry {member} {DOCTORS[doctor][1]}" in message, message
    code, _, err = cli(capsys, "summary", path)
    assert_one_line_error(code, err, str(path), member)


@pytest.mark.parametrize("doctor", DOCTORS)
@pytest.mark.parametrize("entry", ["/data.pkl", "/data/0"], ids=["data.pkl", "storage"])
def test_doctored_weights_are_one_line_naming_the_entry(
    archive: Path, tmp_path: Path, entry: str, doctor: str
) -> None:
    path = tmp_path / "doctored.pt"
    member = doctored(archive, path, entry, doctor)
    message = refusal(lambda: load_model_file(path), path)
    assert f"its entry {member} {DOCTORS[doctor][1]}" in message, message


def test_weights_are_read_within_a_budget(archive: Path) -> None:
    tensors = read_torchscript_tensors(archive, max_bytes=10 * 2**20)
    need = sum(t.numel() * t.element_size() for t in tensors.values())
    message = refusal(lambda: read_torchscript_tensors(archive, max_bytes=need // 2), archive)
    assert "its weights need more than" in message
