"""The window on damaged runs: one damaged run never empties the Runs tab. It is a row with
status ``damaged``, the reason in its tooltip and under the table, Delete its only action;
the Evaluation tab says it is damaged; metrics lines of strange but well-typed values
(huge counts, NaN, infinities) draw no exception in the Curves and Layer Statistics tabs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from resnet_studio.gui.runs_model import STATUS, RunsModel
from resnet_studio.gui.runs_panel import RunsPanel
from resnet_studio.gui.training import TrainingController
from tests.training.test_damaged_runs import EPOCH, append_lines, change_info, copy_run

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished tiny run of 2 epochs, with layer statistics."""
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.recipe import Recipe
    from tests.training.conftest import tiny_network

    path = tmp_path_factory.mktemp("finished") / "run"
    data = load_dataset("synthetic", subset=64, val_size=64)
    recipe = Recipe(epochs=2, batch_size=32, threads=1, log_every=1, layer_stats=True)
    assert new_run(tiny_network(), data, recipe, path, name="tiny").run().status == "finished"
    return path


@pytest.fixture
def runs(finished: Path, tmp_path: Path) -> Path:
    """runs/a-good; runs/b-list, whose run.json is a list; runs/c-bare, with a metrics line
    that is a bare number (readable: the line is skipped)."""
    root = tmp_path / "runs"
    copy_run(finished, root / "a-good")
    change_info(copy_run(finished, root / "b-list"), lambda info: [info])
    append_lines(copy_run(finished, root / "c-bare"), "3")
    return root


REASON = "run.json: must be a JSON object, got a list"


def test_runs_table_shows_a_damaged_run_as_a_row(qtmodeltester, runs: Path) -> None:
    model = RunsModel()
    model.load_from_disk(runs)
    qtmodeltester.check(model)
    rows = {model.record(r).path.name: r for r in range(model.rowCount())}
    assert set(rows) == {"a-good", "b-list", "c-bare"}
    damaged = model.record(rows["b-list"])
    assert damaged.status == "damaged" and damaged.reason == REASON
    status = model.index(rows["b-list"], STATUS)
    assert status.data() == "damaged" and status.data(3) == REASON  # 3: ToolTipRole
    assert model.record(rows["c-bare"]).status == "finished"
    assert [e.epoch for e in model.record(rows["c-bare"]).epochs] == [1, 2]


@pytest.fixture
def panel(qtbot, runs: Path) -> RunsPanel:
    controller = TrainingController(runs_root=runs)
    made = RunsPanel(controller)
    qtbot.addWidget(made)
    controller.reload()
    qtbot.waitUntil(lambda: controller.model.rowCount() == 3, timeout=WAIT_MS)
    return made


def row_of(panel: RunsPanel, folder: str) -> int:
    model = panel.controller.model
    return next(r for r in range(model.rowCount()) if model.record(r).path.name == folder)


def test_a_damaged_run_can_only_be_deleted(qtbot, panel: RunsPanel, dialogs, runs: Path):
    panel.select_row(row_of(panel, "b-list"))
    assert f"b-list damaged: {REASON}" in panel.details.text()
    for action in (panel.resume_action, panel.export_action, panel.evaluate_action):
        assert not action.isEnabled(), action.text()
    assert panel.delete_action.isEnabled() and panel.open_action.isEnabled()
    dialogs.answer = dialogs.answer.Yes
    panel.delete_selected()
    assert not (runs / "b-list").exists() and panel.controller.model.rowCount() == 2


def test_a_damaged_run_that_looks_resumable_is_not(qtbot, finished: Path, tmp_path: Path):
    """Stopped runs resume, but not one whose run.json is damaged, even with a checkpoint."""
    root = tmp_path / "runs"
    change_info(copy_run(finished, root / "stopped"), lambda info: info.update(status=7))
    controller = TrainingController(runs_root=root)
    made = RunsPanel(controller)
    qtbot.addWidget(made)
    controller.model.load_from_disk(root)
    made.select_row(0)
    assert controller.model.record(0).status == "damaged"
    assert not made.resume_action.isEnabled() and not made.export_action.isEnabled()


def test_evaluation_tab_says_a_run_is_damaged(qtbot, runs: Path) -> None:
    from resnet_studio.gui.evaluation_panel import EvaluationPanel

    model = RunsModel()
    model.load_from_disk(runs)
    panel = EvaluationPanel(model)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_on_screen(True)
    damaged = next(e for e in model.entries() if e.path.name == "b-list")
    panel.show_runs([damaged])
    title = panel.columns()[0].title.text()
    assert f"damaged: {REASON}" in title
    panel.refresh(force=True)  # Evaluate: still no evaluation of what cannot be read
    assert f"damaged: {REASON}" in panel.columns()[0].title.text()


def strange_epochs(path: Path) -> None:
    """Well-typed EpochEnd lines of values no run reports: counts near 2**53, infinities."""
    huge = {**EPOCH, "epoch": 2**53, "iteration": 2**53, "train_loss": 1e308}
    stats = [{"path": "block.body.conv1", "grad_norm": 1e308, "response_std": math.nan}]
    append_lines(
        path,
        json.dumps({**huge, "val_loss": math.inf, "layer_stats": stats}),
        json.dumps({**EPOCH, "epoch": 2**31, "val_error": -1e300, "layer_stats": stats}),
    )


def test_strange_values_draw_without_an_exception(qtbot, finished: Path, tmp_path: Path):
    from resnet_studio.gui.layer_stats import LayerStatsPanel
    from resnet_studio.gui.live_plots import CurvesPanel

    root = tmp_path / "runs"
    strange_epochs(copy_run(finished, root / "strange"))
    model = RunsModel()
    model.load_from_disk(root)
    curves = CurvesPanel(model)
    stats = LayerStatsPanel()
    for widget in (curves, stats):
        qtbot.addWidget(widget)
        widget.resize(800, 400)
        widget.show()
    entry = model.record(0)
    assert entry.epochs[-1].epoch == 2**31
    stats.show_runs([entry])
    for x_axis in ("iterations", "epochs"):
        curves.set_x_axis(x_axis)
        curves.set_log_scale(True)
        curves.redraw_now()
        curves.set_log_scale(False)
        curves.redraw_now()
    curves.hover_text(1e300)
    for metric_index in range(stats.metric_box.count()):
        stats.metric_box.setCurrentIndex(metric_index)
        stats.sorted_box.setChecked(not stats.sorted_box.isChecked())
        qtbot.wait(50)
    qtbot.wait(600)  # the layer statistics' poll


def test_a_damaged_run_has_no_progress_bar(qtbot, panel: RunsPanel) -> None:
    """The Progress cell of a damaged run is empty, not an empty bar that reads as 0 %."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from resnet_studio.gui.runs_model import PROGRESS

    def painted(folder: str) -> set[int]:
        model = panel.controller.model
        index = model.index(row_of(panel, folder), PROGRESS)
        image = QImage(160, 24, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        option = QStyleOptionViewItem()
        option.rect = QRect(0, 0, 160, 24)
        option.widget = panel.table
        option.palette = panel.table.palette()
        painter = QPainter(image)
        panel.table.itemDelegateForColumn(PROGRESS).paint(painter, option, index)
        painter.end()
        return {image.pixel(x, y) for x in range(160) for y in range(24)}

    assert len(painted("a-good")) > 1  # the bar of a finished run, with its text
    assert painted("b-list") == {QColor("white").rgb()}
