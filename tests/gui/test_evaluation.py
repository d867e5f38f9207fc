"""The Evaluation tab: a run and its twin on held-out images, side by side.

A tiny residual network and its plain twin are trained once (in-process, on
the built-in synthetic data, whose test split has 2,000 images); the tests
then drive the panel as a user would: select, wait for the background
evaluation, read the heat map, click a mistake, drop an image, save a report.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from resnet_studio.gui.evaluation_panel import EvaluationPanel
from resnet_studio.gui.runs_model import TEST_ERROR, RunsModel
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import MODEL_FILE, read_run
from tests.training.conftest import tiny_network

WAIT_MS = 120_000


@pytest.fixture(scope="module")
def runs_root(tmp_path_factory) -> Path:
    """A finished tiny run and its finished plain twin, trained together."""
    from resnet_studio.training.orchestration import TrainRequest, prepare_runs

    root = tmp_path_factory.mktemp("runs")
    request = TrainRequest(
        network=tiny_network(),
        dataset="synthetic",
        data_root=None,
        subset=512,
        recipe=Recipe(epochs=2, batch_size=64, lr=0.05, threads=1),
        name="tiny",
        with_twin=True,
    )
    for prepared in prepare_runs(request, root):
        assert prepared.handle.run().status == "finished"
    return root


@pytest.fixture
def runs(runs_root: Path, tmp_path: Path) -> Path:
    """A private copy of the runs (tests may damage theirs)."""
    copy = tmp_path / "runs"
    shutil.copytree(runs_root, copy)
    return copy


@pytest.fixture
def panel(qtbot, runs: Path) -> EvaluationPanel:
    model = RunsModel()
    model.load_from_disk(runs)
    made = EvaluationPanel(model)
    qtbot.addWidget(made)
    made.resize(1100, 500)
    made.show()
    made.set_on_screen(True)
    return made


def entries(panel: EvaluationPanel) -> list:
    return panel.runs_model.entries()


def wait_reports(qtbot, panel: EvaluationPanel, count: int = 2) -> list:
    qtbot.waitUntil(
        lambda: len(panel.columns()) == count and all(c.report for c in panel.columns()),
        timeout=WAIT_MS,
    )
    return [c.report for c in panel.columns()]


def test_a_run_and_its_twin_side_by_side(qtbot, panel: EvaluationPanel, runs: Path) -> None:
    pair = entries(panel)
    assert [e.name for e in pair] == ["tiny", "tiny-plain"] and pair[0].group == pair[1].group
    panel.show_runs(pair)
    reports = wait_reports(qtbot, panel)
    for entry, column, report in zip(pair, panel.columns(), reports, strict=True):
        record = read_run(entry.path)
        assert report.split == "test" and report.images == 2_000
        assert report.dataset == "synthetic"
        # The same final model on the same test images as the run's own evaluation.
        assert report.error == pytest.approx(record.test_error, abs=0.002)
        assert int(report.confusion.sum()) == 2_000
        assert column.title.text().startswith(f"<b>{entry.name}</b>")
        assert f"{report.error:.2%}" in column.title.text()
        # Painted, not just filled: the paint comes with the event loop, later when busy.
        qtbot.waitUntil(
            lambda column=column: column.confusion.paints > 0 and column.mistakes.paints > 0,
            timeout=10_000,
        )
    assert reports[0].error != reports[1].error  # two different networks


def test_heat_map_tells_counts_and_a_mistake_its_top5(qtbot, panel: EvaluationPanel) -> None:
    panel.show_runs(entries(panel)[:1])
    (report,) = wait_reports(qtbot, panel, 1)
    column = panel.columns()[0]
    view = column.confusion
    rect, cell, _ = view._geometry()
    # The cell of row 2, column 5 reports that cell's count.
    point = QPointF(rect.left() + 5.5 * cell, rect.top() + 2.5 * cell)
    assert view.cell_at(point) == (2, 5)
    assert view.cell_at(QPointF(rect.left() - 3, rect.top() + 3)) is None

    assert report.mistakes, "an undertrained network makes mistakes"
    worst = report.mistakes[0]
    assert worst.loss == max(m.loss for m in report.mistakes)
    mistakes = column.mistakes
    cell_size = mistakes.cell
    qtbot.mouseClick(
        mistakes, Qt.MouseButton.LeftButton, pos=QPoint(cell_size.width() + 5, 5)
    )  # the second thumbnail
    assert mistakes.selected == 1
    second = report.mistakes[1]
    names = report.categories
    text = column.detail.text()
    assert column.detail.isVisibleTo(column)
    assert f"true class <b>{names[second.true]}</b>" in text
    assert text.count("%") == 5 and names[second.predicted] in text


def test_validation_split_is_the_runs_own(qtbot, panel: EvaluationPanel) -> None:
    first = entries(panel)[0]
    panel.show_runs([first])
    wait_reports(qtbot, panel, 1)
    panel.split_box.setCurrentIndex(panel.split_box.findData("val"))
    qtbot.waitUntil(
        lambda: panel.columns()[0].report is not None and panel.columns()[0].report.split == "val",
        timeout=WAIT_MS,
    )
    report = panel.columns()[0].report
    record = read_run(first.path)
    assert report.images == record.info["dataset"]["val_images"]
    # Validation error of the final model: what the last epoch reported.
    assert report.error == pytest.approx(record.epochs[-1].val_error, abs=0.002)
    assert "validation error" in panel.columns()[0].title.text()


def _drop(widget, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)


def test_a_dropped_image_is_classified_by_both_runs(qtbot, panel: EvaluationPanel, tmp_path):
    pair = entries(panel)
    panel.show_runs(pair)
    wait_reports(qtbot, panel)
    # A 64×48 RGBA picture: the models take 3×32×32, so it is converted and resized.
    pixels = np.zeros((48, 64, 4), dtype=np.uint8)
    pixels[10:30, 20:40] = (255, 200, 0, 255)
    image = tmp_path / "mine.png"
    Image.fromarray(pixels, "RGBA").save(image)
    _drop(panel, image)
    qtbot.waitUntil(
        lambda: all(f"{e.name}:" in panel.prediction.text() for e in pair), timeout=WAIT_MS
    )
    text = panel.prediction.text()
    assert text.startswith("mine.png → ")
    assert text.count("%") == 10  # the top-5 of each run
    assert not panel.drop_zone.pixmap().isNull()

    not_an_image = tmp_path / "broken.png"
    not_an_image.write_text("not a picture")
    panel.classify(not_an_image)
    qtbot.waitUntil(lambda: "not a readable image" in panel.prediction.text(), timeout=WAIT_MS)


def test_save_report_writes_each_runs_files(qtbot, panel, tmp_path, monkeypatch) -> None:
    panel.show_runs(entries(panel))
    wait_reports(qtbot, panel)
    assert panel.save_button.isEnabled()
    target = tmp_path / "reports"
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kw: str(target))
    )
    panel.save_report_dialog()
    expected = {"report.json", "confusion.csv", "confusion.png", "mistakes.png"}
    qtbot.waitUntil(
        lambda: all(
            (target / name).is_dir() and {p.name for p in (target / name).iterdir()} == expected
            for name in ("tiny", "tiny-plain")
        ),
        timeout=WAIT_MS,
    )
    report = json.loads((target / "tiny" / "report.json").read_text())
    assert report["images"] == 2_000 and report["split"] == "test"


def test_runs_that_cannot_be_evaluated_say_why(qtbot, panel: EvaluationPanel) -> None:
    first, twin = entries(panel)
    (twin.path / MODEL_FILE).unlink()
    (twin.path / "checkpoint.pt").unlink()
    info = json.loads((first.path / "run.json").read_text())
    info["dataset"]["name"] = "mnist"
    info["dataset"]["root"] = str(first.path / "nowhere")
    (first.path / "run.json").write_text(json.dumps(info))
    panel.show_runs([first, twin])
    column, twin_column = panel.columns()
    assert "no trained weights yet" in twin_column.title.text()
    qtbot.waitUntil(lambda: "nowhere" in column.title.text(), timeout=WAIT_MS)
    assert "no data in" in column.title.text() and column.report is None
    assert not column.progress.isVisibleTo(column)


def test_a_run_in_training_waits_for_its_end(qtbot, panel: EvaluationPanel) -> None:
    first = entries(panel)[0]
    first.status = "running"
    panel.show_runs([first])
    column = panel.columns()[0]
    assert "training; evaluated when it ends" in column.title.text()
    assert column.report is None
    first.status = "finished"  # as the table reports the end of the run
    panel.refresh()
    wait_reports(qtbot, panel, 1)


def test_evaluating_keeps_the_window_responsive(qtbot, panel: EvaluationPanel, tmp_path):
    """A ResNet-20 on 2,000 images evaluates in the background: the GUI thread keeps
    serving a 20 ms timer, with no gap near the evaluation's length."""
    from resnet_studio.arch.presets import preset_network
    from resnet_studio.arch.project import network_to_dict
    from resnet_studio.model.build import build_model
    from resnet_studio.model.export import save_checkpoint
    from resnet_studio.model.metadata import ModelMeta

    first = entries(panel)[0]
    network = preset_network("cifar-resnet20")
    info = json.loads((first.path / "run.json").read_text())
    info["network"] = network_to_dict(network)
    (first.path / "run.json").write_text(json.dumps(info))
    data = info["dataset"]
    meta = ModelMeta(
        (3, 32, 32), tuple(data["class_names"]), tuple(data["mean"]), tuple(data["std"]),
        "synthetic", True,
    )  # fmt: skip
    save_checkpoint(first.path / MODEL_FILE, network, build_model(network, seed=0), meta)

    ticks: list[float] = []
    timer = QTimer(interval=20, timeout=lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    panel.show_runs([first])
    qtbot.waitUntil(lambda: panel.columns()[0].report is not None, timeout=WAIT_MS)
    took = time.perf_counter() - started
    timer.stop()
    # From the first tick on (building the column and its first paint come before),
    # the timer kept its pace for the whole evaluation.
    gaps = np.diff(ticks)
    assert took > 0.5, "the evaluation was too short to tell anything"
    assert ticks[-1] - ticks[0] > 0.8 * took and len(ticks) > 0.5 * took / 0.02
    assert gaps.max() < 0.25, f"the window froze for {gaps.max():.2f} s of {took:.1f} s"


def test_runs_table_shows_the_test_error(runs: Path) -> None:
    model = RunsModel()
    model.load_from_disk(runs)
    for row, entry in enumerate(model.entries()):
        record = read_run(entry.path)
        assert model.index(row, TEST_ERROR).data() == f"{record.test_error:.2%}"
    assert model.headerData(TEST_ERROR, Qt.Orientation.Horizontal) == "Test err"  # as compare


def test_a_panel_closed_while_evaluating_is_never_called_back(qtbot, runs: Path) -> None:
    from PySide6.QtCore import QThreadPool

    from resnet_studio.gui import evaluation_jobs

    model = RunsModel()
    model.load_from_disk(runs)
    panel = EvaluationPanel(model)
    panel.set_on_screen(True)
    panel.show_runs(model.entries())
    assert len(evaluation_jobs._running) == 2
    flags = [job.flag for job in evaluation_jobs._running]
    panel.deleteLater()
    qtbot.waitUntil(lambda: all(flag.cancelled for flag in flags), timeout=5_000)
    # The jobs stop at their next batch; a late callback would raise on the deleted panel
    # (pytest-qt reports exceptions raised in Qt callbacks as failures).
    assert QThreadPool.globalInstance().waitForDone(WAIT_MS)
    qtbot.waitUntil(lambda: not evaluation_jobs._running, timeout=5_000)
