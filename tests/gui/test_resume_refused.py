"""Resuming from the window a run whose checkpoint cannot be resumed from.

The run is set up in the background before its folder is touched, so the
window says "Cannot resume" with the reason, and the run keeps its status and
files exactly as they were (it used to be flipped to ``failed``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from PySide6.QtCore import QCoreApplication, QEvent

from resnet_studio.gui.run_worker import running_threads
from resnet_studio.gui.runs_panel import RunsPanel
from resnet_studio.gui.training import TrainingController
from resnet_studio.training.launch import new_run
from resnet_studio.training.orchestration import prepare_resume
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import CHECKPOINT_FILE, RunFolder, read_run
from tests.training.conftest import tiny_network


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def tiny_data():
    from resnet_studio.training.datasets import load_dataset

    return load_dataset("synthetic", subset=64, val_size=64)


@pytest.fixture
def damaged(tmp_path: Path, tiny_data) -> Path:
    """A stopped run under ``tmp_path/runs`` whose checkpoint is of another shape."""
    path = tmp_path / "runs" / "stopped"
    handle = new_run(tiny_network(), tiny_data, Recipe(batch_size=64, threads=1), path, name="x")
    handle.cancel()  # stops before the first batch, with a checkpoint
    assert handle.run().status == "stopped"
    state = torch.load(path / CHECKPOINT_FILE, weights_only=True)
    state["model"]["fc.weight"] = torch.zeros(3, 8)
    RunFolder(path).write_checkpoint(state)
    return path


def test_prepare_resume_refuses_before_touching_the_run(damaged: Path) -> None:
    before = snapshot(damaged)
    with pytest.raises(ValueError, match="checkpoint.pt: cannot resume from it .size mismatch"):
        prepare_resume(damaged, threads=1)
    assert snapshot(damaged) == before


def test_the_window_says_cannot_resume(qtbot, qapp, dialogs, damaged: Path) -> None:
    controller = TrainingController(runs_root=damaged.parent)
    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    before = snapshot(damaged)
    try:
        controller.reload()
        qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=30_000)
        panel.table.selectRow(0)
        panel.resume_selected()
        qtbot.waitUntil(lambda: bool(dialogs.of("warning")), timeout=30_000)
        [(_, title, text)] = dialogs.of("warning")
        assert title == "Cannot resume"
        assert "checkpoint.pt: cannot resume from it (size mismatch for fc.weight" in text
        assert controller.training() == [] and running_threads() == []
        assert snapshot(damaged) == before
        assert read_run(damaged).status == "stopped"
    finally:
        assert controller.stop_all(60_000), "a run thread did not stop"
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
