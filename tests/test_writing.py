"""The one writing layer (resnet_studio/writing.py) and the commands that promise with it.

Whole files or none, only over regular files (never a folder, device or pipe),
exclusive creation where a command promises not to overwrite, the folder
flushed after the rename, and no temporary file left behind, even on Ctrl-C.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from resnet_studio.writing import AlreadyExistsError, WriteError, write_atomically
from tests.cli_in_process import assert_one_line_error, cli


def leftovers(folder: Path) -> list[str]:
    """Temporary files the writing layer left in ``folder``."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.pt"
    os.mkfifo(path)
    return path


# --- what may be replaced -----------------------------------------------------------------


def test_a_pipe_is_refused_and_kept(fifo: Path) -> None:
    with pytest.raises(WriteError, match=r"pipe\.pt: a pipe, not a regular file") as caught:
        write_atomically(fifo, b"data")
    assert len(str(caught.value).splitlines()) == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(fifo.parent) == []


def test_a_link_to_a_pipe_is_refused_and_kept(fifo: Path) -> None:
    link = fifo.parent / "link.pt"
    link.symlink_to(fifo)
    with pytest.raises(WriteError, match="link.pt: a pipe"):
        write_atomically(link, b"data")
    assert link.is_symlink() and stat.S_ISFIFO(os.stat(link).st_mode)


def test_a_device_is_refused_and_kept(tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # like /dev/null
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device node here (not root)")
    with pytest.raises(WriteError, match="null: a device, not a regular file"):
        write_atomically(device, b"data")
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_folder_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "net.onnx").mkdir()
    with pytest.raises(WriteError, match=r"net\.onnx: a folder, not a regular file"):
        write_atomically(tmp_path / "net.onnx", b"data")


# --- exclusive creation ---------------------------------------------------------------------


def test_exclusive_never_replaces_a_file(tmp_path: Path) -> None:
    path = tmp_path / "project.json"
    write_atomically(path, b"first", exclusive=True)
    with pytest.raises(AlreadyExistsError, match="project.json: already exists"):
        write_atomically(path, b"second", exclusive=True)
    assert path.read_bytes() == b"first"
    assert leftovers(tmp_path) == []
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600


def test_of_many_exclusive_writers_exactly_one_wins(tmp_path: Path) -> None:
    writers = 8
    for round_ in range(20):
        path = tmp_path / f"out-{round_}.json"
        barrier = threading.Barrier(writers)
        won: list[int] = []
        lost: list[int] = []

        def write(i: int, path=path, barrier=barrier, won=won, lost=lost) -> None:
            barrier.wait()
            try:
                write_atomically(path, f"writer {i}".encode() * 1000, exclusive=True)
                won.append(i)
            except AlreadyExistsError:
                lost.append(i)

        threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(won) == 1 and len(lost) == writers - 1
        assert path.read_bytes() == f"writer {won[0]}".encode() * 1000
    assert leftovers(tmp_path) == []


# --- durability and clean-up ------------------------------------------------------------------


def test_the_folder_is_flushed_after_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[bool] = []  # per fsync: was it a folder?
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomically(tmp_path / "a.json", b"{}")
    # The data first, then the folder's entry for the new name (else a crash can lose it).
    assert synced == [False, True]


def test_ctrl_c_while_writing_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.pt"
    path.write_bytes(b"old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, b"new")
    assert path.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


# --- the commands -------------------------------------------------------------------------------


def test_new_without_force_says_add_force(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    path = tmp_path / "net.json"
    path.write_text("mine")
    code, _, err = cli(capsys, "new", "--preset", "cifar-resnet20", "-o", path)
    assert_one_line_error(code, err, f"{path}: already exists; add --force to replace it")
    assert path.read_text() == "mine"


def test_new_force_will_not_replace_a_pipe(capsys: pytest.CaptureFixture[str], fifo) -> None:
    code, out, err = cli(capsys, "new", "--preset", "cifar-resnet20", "-o", fifo, "--force")
    assert_one_line_error(code, err, str(fifo), "a pipe")
    assert out == "" and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_will_not_replace_a_pipe(capsys: pytest.CaptureFixture[str], fifo) -> None:
    argv = ["export", "--preset", "cifar-resnet20", "--format", "checkpoint", "-o", fifo]
    code, out, err = cli(capsys, *argv)
    assert_one_line_error(code, err, str(fifo), "a pipe, not a regular file")
    assert out == "" and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_will_not_replace_what_a_link_points_at(
    capsys: pytest.CaptureFixture[str], fifo
) -> None:
    link = fifo.parent / "net.onnx"
    link.symlink_to(fifo)
    code, _, err = cli(
        capsys, "export", "--preset", "cifar-resnet20", "--format", "onnx", "-o", link
    )
    assert_one_line_error(code, err, str(link), "a pipe")
    assert link.is_symlink()
