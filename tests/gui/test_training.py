"""Training from the window: the Train dialog, the controller and the runs panel.

Small real runs (a tiny residual network and its plain twin) on the built-in
synthetic data and on Fashion-MNIST from ../shared/data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import Conv2d, Network
from resnet_studio.gui.runs_model import DATA, TEST_ERROR, RunsModel
from resnet_studio.gui.runs_panel import ProgressDelegate, RunsPanel, format_duration
from resnet_studio.gui.train_dialog import SETTINGS_KEY, TrainDialog
from resnet_studio.gui.training import TrainingController
from resnet_studio.training.orchestration import cpu_threads_each
from resnet_studio.training.runs import CHECKPOINT_FILE, MODEL_FILE, read_run
from tests.training.conftest import tiny_network

WAIT_MS = 180_000


def dialog_for(network: Network, controller, qtbot, **fields) -> TrainDialog:
    """A Train dialog on synthetic data with a quick recipe, plus ``fields``."""
    dialog = TrainDialog(network, controller)
    qtbot.addWidget(dialog)
    dialog.dataset.setCurrentIndex(dialog.dataset.findData(fields.pop("dataset", "synthetic")))
    dialog.subset.setValue(fields.pop("subset", 256))
    dialog.epochs.setValue(fields.pop("epochs", 2))
    dialog.batch_size.setValue(fields.pop("batch_size", 32))
    dialog.twin.setChecked(fields.pop("twin", False))
    for name, value in fields.items():
        widget = getattr(dialog, name)
        widget.setText(value) if isinstance(value, str) else widget.setValue(value)
    return dialog


def wait_started(qtbot, controller, count: int) -> None:
    qtbot.waitUntil(lambda: controller.model.rowCount() == count, timeout=WAIT_MS)


def test_dialog_shows_the_papers_recipe_and_remembers_the_last_choices(qtbot, controller):
    dialog = TrainDialog(preset_network("cifar-resnet20"), controller)
    qtbot.addWidget(dialog)
    recipe = dialog.recipe()
    assert (recipe.optimizer, recipe.lr, recipe.momentum, recipe.weight_decay) == (
        "sgd",
        0.1,
        0.9,
        1e-4,
    )
    assert (recipe.batch_size, recipe.schedule, recipe.milestones) == (128, "step", (0.5, 0.75))
    assert dialog.dataset.currentData() == "synthetic" and dialog.start_button.isEnabled()
    assert dialog.twin.isEnabled() and not dialog.twin.isChecked()
    dialog.twin.setChecked(True)
    assert "cifar-resnet20 and cifar-plain20" in dialog.check_label.text()

    dialog.lr.setValue(0.05)
    dialog.epochs.setValue(3)
    dialog.dataset.setCurrentIndex(dialog.dataset.findData("mnist"))
    dialog.twin.setChecked(True)
    QSettings().setValue(SETTINGS_KEY, json.dumps(dialog._values()))
    again = TrainDialog(preset_network("cifar-resnet20"), controller)
    qtbot.addWidget(again)
    assert again.lr.value() == 0.05 and again.epochs.value() == 3
    assert again.dataset.currentData() == "mnist" and again.twin.isChecked()
    again.reset_recipe()
    assert again.recipe().lr == 0.1 and again.recipe().epochs == 10

    QSettings().setValue(SETTINGS_KEY, "{not json")  # damaged settings: defaults, no crash
    damaged = TrainDialog(preset_network("cifar-resnet20"), controller)
    qtbot.addWidget(damaged)
    assert damaged.recipe().lr == 0.1


def test_dialog_refuses_what_cannot_train_and_says_why(qtbot, controller, tmp_path):
    net = preset_network("cifar-resnet20")
    dialog = TrainDialog(net, controller)
    qtbot.addWidget(dialog)

    # Fashion-MNIST is 1×28×28: fitting adapts the network, not fitting is refused.
    dialog.dataset.setCurrentIndex(dialog.dataset.findData("fashion-mnist"))
    assert dialog.start_button.isEnabled()
    assert "fitted to Fashion-MNIST: 1×28×28" in dialog.check_label.text()
    dialog.fit.setChecked(False)
    assert not dialog.start_button.isEnabled()
    assert "3×32×32" in dialog.check_label.text() and "1×28×28" in dialog.check_label.text()

    # Missing files are pointed out before anything loads, with the Download button.
    dialog.fit.setChecked(True)
    dialog.data_root.setText(str(tmp_path / "empty"))
    assert "Not in" in dialog.data_label.text() and "FashionMNIST/raw/" in dialog.data_label.text()
    assert dialog.download_button.isEnabled()

    # A folder that is not there; an empty name.
    dialog.dataset.setCurrentIndex(dialog.dataset.findData("folder"))
    assert not dialog.download_button.isEnabled()
    assert "Folder:" in dialog.check_label.text() and not dialog.start_button.isEnabled()
    dialog.folder.setText(str(tmp_path / "nowhere"))
    assert "is not a folder" in dialog.check_label.text()
    dialog.dataset.setCurrentIndex(dialog.dataset.findData("synthetic"))
    dialog.name.setText("  ")
    assert "Name:" in dialog.check_label.text() and not dialog.start_button.isEnabled()

    # A network with a problem cannot start; the reason names the layer.
    broken = Network(
        name="broken",
        input_shape=(3, 32, 32),
        classes=10,
        body=(Conv2d(name="conv", out_channels=8, groups=3),),
    )
    bad = TrainDialog(broken, controller)
    qtbot.addWidget(bad)
    assert not bad.start_button.isEnabled() and "conv" in bad.check_label.text()
    bad.start()  # pressing Start anyway does nothing
    assert controller.model.rowCount() == 0

    # A network without shortcuts has no plain twin to train.
    plain = TrainDialog(preset_network("cifar-plain20"), controller)
    qtbot.addWidget(plain)
    assert not plain.twin.isEnabled()


def test_a_failure_while_preparing_keeps_the_dialog_open(qtbot, controller):
    dialog = dialog_for(tiny_network(), controller, qtbot)
    dialog.device.addItem("CUDA 9", "cuda:9")  # not on this machine
    dialog.device.setCurrentIndex(dialog.device.findData("cuda:9"))
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.result() == 0
    assert "CUDA" in dialog.check_label.text()
    assert controller.model.rowCount() == 0


def test_a_pair_trains_side_by_side_stops_apart_and_comes_back_from_disk(
    qtbot, qtmodeltester, controller, tmp_path
):
    dialog = dialog_for(tiny_network(), controller, qtbot, twin=True, epochs=300)
    dialog.name.setText("tiny-resnet")
    dialog.show()
    dialog.start()
    wait_started(qtbot, controller, 2)
    assert not dialog.isVisible()  # accepted once both runs started
    model = controller.model
    resnet, plain = model.record(0), model.record(1)
    assert (resnet.name, plain.name) == ("tiny-resnet", "tiny-plain")
    assert resnet.group and resnet.group == plain.group
    assert resnet.colour != plain.colour
    assert len(controller.training()) == 2
    # Two runs at once share the cores but one (the GUI's).
    assert resnet.handle.recipe.threads == cpu_threads_each(2)
    # Same seed, data order and recipe; the twin has no shortcuts.
    assert resnet.handle.recipe == plain.handle.recipe
    assert resnet.handle.data is plain.handle.data
    assert plain.handle.network.name == "tiny-plain"

    # 8 steps an epoch, logged every 20: by epoch 3 both have step points and epoch points.
    qtbot.waitUntil(lambda: len(resnet.epochs) >= 3 and len(plain.epochs) >= 3, timeout=WAIT_MS)
    assert resnet.steps and plain.steps
    qtmodeltester.check(model)

    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    panel.select_row(1)
    assert panel.stop_action.isEnabled() and not panel.resume_action.isEnabled()
    assert not panel.delete_action.isEnabled()  # cannot delete a run that trains
    panel.stop_selected()
    qtbot.waitUntil(lambda: plain.final is not None, timeout=WAIT_MS)
    assert plain.status == "stopped"
    assert (plain.path / CHECKPOINT_FILE).exists()
    qtbot.wait(200)
    assert resnet.final is None and controller.thread_of(resnet) is not None  # still training
    qtbot.waitUntil(lambda: panel.resume_action.isEnabled(), timeout=5_000)

    controller.stop(0)
    qtbot.waitUntil(lambda: not controller.training(), timeout=WAIT_MS)

    # A new controller (the app started again) reads both runs, paired, with their curves.
    again = TrainingController(runs_root=tmp_path / "runs")
    again.model.load_from_disk(tmp_path / "runs")
    qtmodeltester.check(again.model)
    names = {again.model.record(r).name: again.model.record(r) for r in range(2)}
    assert set(names) == {"tiny-resnet", "tiny-plain"}
    assert names["tiny-resnet"].group == names["tiny-plain"].group == resnet.group
    assert names["tiny-plain"].epochs == plain.epochs and names["tiny-resnet"].steps
    assert all(e.shown for e in names.values())  # the latest pair is plotted at once
    assert read_run(plain.path).info["recipe"]["threads"] == cpu_threads_each(2)
    again.deleteLater()


def test_resume_continues_a_stopped_run_to_the_end(qtbot, controller):
    dialog = dialog_for(tiny_network(), controller, qtbot, epochs=3)
    dialog.start()
    wait_started(qtbot, controller, 1)
    entry = controller.model.record(0)
    qtbot.waitUntil(lambda: bool(entry.steps), timeout=WAIT_MS)
    controller.stop(0)
    qtbot.waitUntil(lambda: entry.final is not None, timeout=WAIT_MS)
    assert entry.status == "stopped"
    stopped_at = entry.epochs_done

    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    panel.select_row(0)
    qtbot.waitUntil(panel.resume_action.isEnabled, timeout=5_000)
    panel.resume_selected()
    qtbot.waitUntil(lambda: controller.model.record(0).status == "finished", timeout=WAIT_MS)
    resumed = controller.model.record(0)
    assert controller.model.rowCount() == 1  # the same run, not a new row
    assert [e.epoch for e in resumed.epochs] == [1, 2, 3]
    assert resumed.epochs_done == 3 >= stopped_at
    assert (resumed.path / MODEL_FILE).exists()
    assert resumed.colour == entry.colour


def test_a_run_that_raises_shows_its_error_and_the_other_finishes(qtbot, controller, monkeypatch):
    from resnet_studio.training import engine

    real_epoch = engine.Trainer.train_one_epoch

    def train_one_epoch(trainer):
        if trainer.network.name == "tiny-plain":
            raise RuntimeError("the plain twin refused to build")
        return real_epoch(trainer)

    monkeypatch.setattr(engine.Trainer, "train_one_epoch", train_one_epoch)
    dialog = dialog_for(tiny_network(), controller, qtbot, twin=True, epochs=1)
    dialog.start()
    wait_started(qtbot, controller, 2)
    resnet, plain = controller.model.record(0), controller.model.record(1)
    qtbot.waitUntil(lambda: resnet.final is not None and plain.final is not None, timeout=WAIT_MS)
    assert resnet.status == "finished"
    assert plain.status == "failed" and "refused to build" in plain.reason

    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    panel.select_row(1)
    assert "refused to build" in panel.details.text()
    assert panel.resume_action.isEnabled()  # from the checkpoint of its starting point
    assert "refused to build" in (plain.path / "log.txt").read_text()


def test_delete_asks_and_export_writes_a_model(qtbot, controller, dialogs, tmp_path):
    from resnet_studio.model.load import read_network

    dialog = dialog_for(tiny_network(), controller, qtbot, epochs=1)
    dialog.start()
    wait_started(qtbot, controller, 1)
    entry = controller.model.record(0)
    qtbot.waitUntil(lambda: entry.status == "finished", timeout=WAIT_MS)
    # The final model's test error reaches the table live, as run.json records it.
    assert entry.test_error is not None
    assert entry.test_error == read_run(entry.path).test_error
    assert controller.model.index(0, TEST_ERROR).data() == f"{entry.test_error:.2%}"

    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    panel.select_row(0)
    assert panel.export_action.isEnabled() and panel.open_action.isEnabled()
    dialogs.save_path = tmp_path / "exported.pt"
    panel.export_selected()
    qtbot.waitUntil(lambda: (tmp_path / "exported.pt").exists(), timeout=WAIT_MS)
    assert read_network(tmp_path / "exported.pt").name == "tiny"
    qtbot.waitUntil(lambda: "Exported" in panel.details.text(), timeout=5_000)
    assert "weights from the finished model" in panel.details.text()

    dialogs.answer = dialogs.answer.No
    panel.delete_selected()
    assert dialogs.of("question") and entry.path.exists()
    assert controller.model.rowCount() == 1
    dialogs.answer = dialogs.answer.Yes
    panel.delete_selected()
    assert not entry.path.exists() and controller.model.rowCount() == 0


def test_fashion_mnist_from_the_shared_folder_trains_resnet20_fitted(
    qtbot, controller, shared_data
):
    dialog = dialog_for(
        preset_network("cifar-resnet20"),
        controller,
        qtbot,
        dataset="fashion-mnist",
        subset=128,
        epochs=1,
        batch_size=64,
    )
    dialog.data_root.setText(str(shared_data))
    assert "Found in" in dialog.data_label.text()
    dialog.start()
    wait_started(qtbot, controller, 1)
    entry = controller.model.record(0)
    qtbot.waitUntil(lambda: entry.final is not None, timeout=WAIT_MS)
    assert entry.status == "finished", entry.reason
    assert entry.data == "fashion-mnist"
    assert entry.handle.network.input_shape == (1, 28, 28)
    assert "adapted" in (entry.path / "log.txt").read_text()


def test_progress_text_and_eta(qtbot, controller):
    from resnet_studio.gui.runs_model import RunEntry
    from resnet_studio.training.events import RunStarted, StepMetrics

    entry = RunEntry("r", "n", "synthetic", "cpu", "starting", 10)
    entry.apply(RunStarted("cpu", 1, 10, 1000, 100, 100, 10, 0, 0))
    entry.clock_start = (0.0, 0)
    entry.apply(StepMetrics(2.5, 250, 1.0, 0.5, 0.1, 100.0))
    assert entry.fraction == 0.25
    assert entry.eta_seconds(now=60.0) == pytest.approx(180.0)
    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    text = ProgressDelegate(panel).text(entry)
    assert text.startswith("0/10 · ") and text.endswith(" left")  # epochs done/all, ETA
    assert format_duration(75) == "1:15" and format_duration(3725) == "1:02:05"


def test_the_name_check_box_shows_and_hides_a_run(qtmodeltester):
    from resnet_studio.gui.runs_model import NAME
    from resnet_studio.training.runs import RunRecord

    model = RunsModel()
    records = [
        RunRecord(Path(f"/runs/{n}"), {"name": n, "group": g})
        for n, g in [("old", ""), ("a", "pair"), ("b", "pair")]
    ]
    model.set_past(records)
    qtmodeltester.check(model)
    # At first only the latest pair is plotted.
    assert [model.record(r).shown for r in range(3)] == [False, True, True]
    index = model.index(0, NAME)
    assert index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert (
        model.record(0).shown
        and index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    )
    assert model.record(0).colour != model.record(1).colour
    model.set_past(records)  # read again: choices and colours stay
    assert model.record(0).shown and model.record(1).colour == model.record(1).colour


def test_an_image_folder_chosen_with_browse_trains_in_the_window(
    qtbot, controller, shared_data, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    folder = shared_data / "cifar10-subset"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(folder))
    dialog = dialog_for(tiny_network(), controller, qtbot, dataset="folder", epochs=1)
    assert not dialog.start_button.isEnabled()  # no folder yet
    dialog._browse_folder()
    assert dialog.folder.text() == str(folder) and dialog.start_button.isEnabled()
    dialog.start()
    wait_started(qtbot, controller, 1)
    entry = controller.model.record(0)
    qtbot.waitUntil(lambda: entry.final is not None, timeout=WAIT_MS)
    assert entry.status == "finished", entry.reason
    assert entry.data == f"folder:{folder.resolve()}"  # the folder itself, links followed
    index = controller.model.index(0, DATA)
    assert index.data() == "folder:cifar10-subset"  # short in the table, whole in the tooltip
    assert index.data(Qt.ItemDataRole.ToolTipRole) == entry.data
    assert 0.0 <= entry.epochs[0].val_error <= 1.0


def test_download_fetches_into_the_data_root_and_says_when_it_cannot(
    qtbot, controller, tmp_path, monkeypatch
):
    from resnet_studio.training import datasets

    root = tmp_path / "data"

    def offline(name, data_root, **_kwargs):
        raise datasets.DatasetError(f"{name}: download into {data_root} failed (no network)")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    dialog = dialog_for(preset_network("cifar-resnet20"), controller, qtbot, dataset="mnist")
    dialog.data_root.setText(str(root))
    assert "Not in" in dialog.data_label.text()
    dialog.download_button.click()
    qtbot.waitUntil(lambda: "failed" in dialog.data_label.text(), timeout=WAIT_MS)
    assert "no network" in dialog.data_label.text() and dialog.download_button.isEnabled()

    def fetched(name, data_root, **_kwargs):
        (data_root / "MNIST" / "raw").mkdir(parents=True)  # what torchvision leaves behind

    monkeypatch.setattr(datasets, "load_dataset", fetched)
    dialog.download_button.click()
    qtbot.waitUntil(lambda: "Found in" in dialog.data_label.text(), timeout=WAIT_MS)


def test_the_dialog_grows_to_its_wrapped_texts(qtbot, controller, shared_data: Path) -> None:
    """Qt sizes a window once: showing the folder's rows, and their wrapped texts, must
    grow the dialog rather than squeeze the rows into each other."""
    dialog = dialog_for(tiny_network(), controller, qtbot)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(dialog.width(), dialog.minimumSizeHint().height())  # as small as it goes
    dialog.dataset.setCurrentIndex(dialog.dataset.findData("folder"))
    dialog.folder.setText(str(shared_data / "cifar10-subset"))
    dialog.check_images()
    qtbot.waitUntil(lambda: "every one can be read" in dialog.images_label.text(), timeout=60_000)

    def bottom(widget) -> int:
        return widget.mapTo(dialog, widget.rect().bottomLeft()).y()

    def top(widget) -> int:
        return widget.mapTo(dialog, widget.rect().topLeft()).y()

    layout = dialog.layout()
    qtbot.waitUntil(
        lambda: dialog.height() >= layout.totalHeightForWidth(dialog.width()), timeout=5_000
    )
    rows = [dialog.data_label, dialog.skip_bad, dialog.images_label, dialog.subset, dialog.fit]
    for above, below in zip(rows, rows[1:], strict=False):
        assert bottom(above) < top(below), (above, below)
