"""The window's layers-table CSV and canvas image exports: whole files, only over files.

Both go through the one writing layer (resnet_studio/writing.py): the file is
drawn in memory and replaces the old one whole (a new file, so another name
for the old one keeps the old contents), and a pipe or device by that name is
refused, with the reason in the window's warning.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from resnet_studio.arch.presets import preset_network
from resnet_studio.gui.canvas import CanvasView
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.layers_table import LayersView


@pytest.fixture
def document() -> NetworkDocument:
    return NetworkDocument(preset_network("cifar-resnet20"))


def old_file_with_a_second_name(path: Path) -> Path:
    """``path`` holding "old", and another name for the same file (a hard link)."""
    path.write_text("old")
    other = path.with_name("backup-" + path.name)
    os.link(path, other)
    return other


def test_layers_csv_replaces_the_file_whole(qtbot, document, tmp_path: Path) -> None:
    view = LayersView(document)
    qtbot.addWidget(view)
    path = tmp_path / "layers.csv"
    backup = old_file_with_a_second_name(path)
    view.to_csv(path)
    assert backup.read_text() == "old"  # written in place, it would have changed too
    assert path.read_text(encoding="utf-8").startswith("path,kind,output_shape")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_canvas_image_replaces_the_file_whole(qtbot, document, tmp_path: Path, suffix: str) -> None:
    view = CanvasView(document)
    qtbot.addWidget(view)
    view.resize(700, 900)
    view.show()
    path = tmp_path / f"net{suffix}"
    backup = old_file_with_a_second_name(path)
    view.export_image(path)
    assert backup.read_text() == "old"
    if suffix == ".png":
        assert not QImage(str(path)).isNull()
    else:
        assert "<svg" in path.read_text()


def test_layers_csv_into_a_pipe_is_refused_with_a_warning(window, dialogs, tmp_path) -> None:
    path = tmp_path / "layers.csv"
    os.mkfifo(path)
    # A reader, so that writing into the pipe (what the code used to do) cannot block.
    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        dialogs.save_path = path
        window.export_csv_action.trigger()
        [(_, title, text)] = dialogs.of("warning")
        assert title == "Cannot write file"
        assert text == f"{path}: a pipe, not a regular file; refusing to replace it"
        assert os.read(reader, 100) == b""  # nothing was written into it
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(path).st_mode)


def test_canvas_image_onto_a_folder_says_so(window, dialogs, tmp_path) -> None:
    path = tmp_path / "net.png"
    path.mkdir()
    dialogs.save_path = path
    window.export_image_action.trigger()
    [(_, _, text)] = dialogs.of("warning")
    assert text == f"{path}: a folder, not a regular file; refusing to replace it"
