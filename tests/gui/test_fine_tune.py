"""Training from the weights a network was opened with (fine-tuning) in the window:
the Train dialog offers them only while they fit, the run starts from them and the
runs table says so; the plain twin starts from scratch."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch
from PySide6.QtCore import Qt

from resnet_studio.arch.blocks import conv3x3
from resnet_studio.arch.spec import Flatten, Linear
from resnet_studio.gui.document import TrainedWeights
from resnet_studio.gui.main_window import MainWindow
from resnet_studio.gui.runs_model import NAME, NETWORK
from resnet_studio.gui.train_dialog import TrainDialog
from resnet_studio.model.build import build_model
from resnet_studio.model.export import save_checkpoint
from resnet_studio.training.runs import read_run
from tests.training.conftest import tiny_network

WAIT_MS = 180_000


@pytest.fixture
def weights(tmp_path: Path) -> TrainedWeights:
    """The tiny network's weights (seed 21) as opened from ``tmp_path/opened.pt``, with it."""
    network = tiny_network()
    state = {k: v.clone() for k, v in build_model(network, seed=21).state_dict().items()}
    return TrainedWeights(state, None, tmp_path / "opened.pt", network)


def dialog_with(qtbot, controller, network, weights, dataset: str = "synthetic") -> TrainDialog:
    dialog = TrainDialog(network, controller, weights=weights)
    qtbot.addWidget(dialog)
    dialog.dataset.setCurrentIndex(dialog.dataset.findData(dataset))
    dialog.subset.setValue(64)
    dialog.epochs.setValue(1)
    dialog.batch_size.setValue(32)
    dialog.twin.setChecked(False)
    return dialog


def offered(dialog: TrainDialog) -> bool:
    return dialog.run_rows.isRowVisible(dialog.from_weights) and dialog.from_weights.isEnabled()


def test_the_weights_are_offered_ticked_and_asked_for(qtbot, controller, weights):
    # The network they were opened with: offered at once, nothing to check.
    dialog = dialog_with(qtbot, controller, weights.network, weights)
    assert offered(dialog) and dialog.from_weights.isChecked()
    assert dialog.from_weights.text() == "Start from the weights of opened.pt"
    assert "instead of a fresh initialisation" in dialog.from_weights.toolTip()
    request = dialog.request()
    assert request.initial_weights.source == str(weights.source)
    assert request.initial_weights.state is weights.state
    assert "tiny starts from the weights of opened.pt." in dialog.check_label.text()
    dialog.twin.setChecked(True)
    assert "Its plain twin starts from scratch." in dialog.check_label.text()
    dialog.from_weights.setChecked(False)
    assert dialog.request().initial_weights is None
    assert "weights" not in dialog.check_label.text()


def test_without_weights_nothing_is_said(qtbot, controller):
    dialog = dialog_with(qtbot, controller, tiny_network(), None)
    assert not dialog.run_rows.isRowVisible(dialog.from_weights)
    assert dialog.request().initial_weights is None
    assert "weights" not in dialog.check_label.text()


def test_an_edited_network_that_still_fits_is_checked_then_offered(qtbot, controller, weights):
    network = dataclasses.replace(weights.network, name="renamed")  # same keys and shapes
    dialog = dialog_with(qtbot, controller, network, weights)
    assert not dialog.from_weights.isEnabled()  # while it is checked
    qtbot.waitUntil(lambda: offered(dialog), timeout=WAIT_MS)
    assert dialog.from_weights.isChecked()


def test_weights_that_do_not_fit_the_edited_network_are_not_offered(qtbot, controller, weights):
    body = (conv3x3("conv1", 16, stride=2), *tiny_network().body[1:])
    network = dataclasses.replace(tiny_network(), body=body)
    dialog = dialog_with(qtbot, controller, network, weights)
    qtbot.waitUntil(lambda: not dialog.run_rows.isRowVisible(dialog.from_weights), timeout=WAIT_MS)
    assert dialog.request().initial_weights is None
    assert "weights" not in dialog.check_label.text()


def test_colour_weights_on_grey_data_are_offered_with_summed_filters(qtbot, controller, weights):
    dialog = dialog_with(qtbot, controller, weights.network, weights, dataset="mnist")
    summed = "The weights are for 3-channel images: the filters of conv1 are summed over the "
    qtbot.waitUntil(lambda: summed in dialog.check_label.text(), timeout=WAIT_MS)
    assert offered(dialog) and dialog.start_button.isEnabled()
    assert "classifier" not in dialog.check_label.text()  # MNIST has 10 classes too


def test_data_the_weights_do_not_fit_is_named_by_key_before_start(qtbot, controller, tmp_path):
    # No global pooling: on MNIST's 28×28 the classifier takes other inputs.
    network = dataclasses.replace(
        tiny_network(), body=(*tiny_network().body[:3], Flatten(name="flatten"), Linear(name="fc"))
    )
    state = {k: v.clone() for k, v in build_model(network, seed=21).state_dict().items()}
    weights = TrainedWeights(state, None, tmp_path / "flat.pt", network)
    dialog = dialog_with(qtbot, controller, network, weights, dataset="mnist")
    qtbot.waitUntil(lambda: not dialog.start_button.isEnabled(), timeout=WAIT_MS)
    text = dialog.check_label.text()
    assert "The weights of flat.pt do not fit the network fitted to MNIST" in text
    assert "fc.weight: 10×2048 (needs 10×1568)" in text
    assert "conv1" not in text  # adapted to the one channel: not what stops them
    dialog.from_weights.setChecked(False)  # from scratch: the network adapts as before
    assert dialog.start_button.isEnabled()


def test_a_run_started_from_the_weights_records_them(qtbot, controller, weights, tmp_path):
    dialog = dialog_with(qtbot, controller, weights.network, weights)
    dialog.twin.setChecked(True)
    dialog.name.setText("tuned")
    dialog.start()
    qtbot.waitUntil(lambda: controller.model.rowCount() == 2, timeout=WAIT_MS)
    tuned, twin = controller.model.entries()
    for entry in (tuned, twin):
        qtbot.waitUntil(lambda e=entry: e.final is not None, timeout=WAIT_MS)
    assert read_run(tuned.path).initial_weights == str(weights.source)
    assert read_run(twin.path).initial_weights == ""
    start = f"Started from the weights of {weights.source}"
    model = controller.model
    assert model.data(model.index(0, NETWORK), Qt.ItemDataRole.ToolTipRole) == start
    assert model.data(model.index(0, NAME), Qt.ItemDataRole.ToolTipRole).endswith(start)
    assert model.data(model.index(1, NETWORK), Qt.ItemDataRole.ToolTipRole) is None
    controller.model.set_past([read_run(tuned.path)])  # as read from disk, the same
    assert model.data(model.index(0, NETWORK), Qt.ItemDataRole.ToolTipRole) == start


def test_weights_for_other_classes_are_offered_with_a_new_classifier(qtbot, controller, tmp_path):
    # ImageNet weights for CIFAR, in small: the weights of a 5-class tiny for 10 classes.
    five = tiny_network().with_input(classes=5)
    state = {k: v.clone() for k, v in build_model(five, seed=21).state_dict().items()}
    weights = TrainedWeights(state, None, tmp_path / "five.pt", five)
    dialog = dialog_with(qtbot, controller, tiny_network(), weights)
    qtbot.waitUntil(lambda: offered(dialog), timeout=WAIT_MS)
    new_classifier = "The weights are for 5 classes: its classifier (fc) starts fresh for 10,"
    qtbot.waitUntil(lambda: new_classifier in dialog.check_label.text(), timeout=WAIT_MS)
    assert dialog.start_button.isEnabled()
    dialog.from_weights.setChecked(False)
    assert "classifier" not in dialog.check_label.text()
    dialog.from_weights.setChecked(True)
    dialog.name.setText("transfer")
    dialog.start()
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=WAIT_MS)
    (entry,) = controller.model.entries()
    qtbot.waitUntil(lambda: entry.final is not None, timeout=WAIT_MS)
    assert read_run(entry.path).new_classifier == "fc"
    model = controller.model
    tip = f"Started from the weights of {weights.source} (a new classifier: fc)"
    assert model.data(model.index(0, NETWORK), Qt.ItemDataRole.ToolTipRole) == tip
    controller.model.set_past([read_run(entry.path)])  # as read from disk, the same
    assert model.data(model.index(0, NETWORK), Qt.ItemDataRole.ToolTipRole) == tip


def test_a_model_file_opened_in_the_window_is_offered(qtbot, window: MainWindow, tmp_path):
    model = build_model(tiny_network(), seed=4)
    source = tmp_path / "tiny-trained.pt"
    save_checkpoint(source, tiny_network(), model)
    window.open_path(source)
    qtbot.waitUntil(lambda: window.document.trained is not None, timeout=WAIT_MS)
    window.train()
    dialog = window.findChild(TrainDialog)
    assert offered(dialog) and dialog.from_weights.text().endswith("tiny-trained.pt")
    state = dialog.request().initial_weights.state
    assert torch.equal(state["fc.weight"], model.state_dict()["fc.weight"])
    dialog.reject()


def test_a_resumed_fine_tuned_run_still_says_where_it_started(qtbot, controller, weights):
    from resnet_studio.training.orchestration import InitialWeights, TrainRequest, prepare_runs
    from resnet_studio.training.recipe import Recipe

    recipe = Recipe(epochs=1, batch_size=32, threads=1)
    start = InitialWeights(weights.state, str(weights.source))
    request = TrainRequest(
        weights.network, "synthetic", None, 64, recipe, "t", initial_weights=start
    )
    (prepared,) = prepare_runs(request, controller.runs_root)
    prepared.handle.cancel()  # stopped before its first batch, with a checkpoint
    assert prepared.handle.run().status == "stopped"
    controller.reload()
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=WAIT_MS)
    controller.resume(0)
    qtbot.waitUntil(lambda: controller.model.record(0).live, timeout=WAIT_MS)
    entry = controller.model.record(0)
    qtbot.waitUntil(lambda: entry.final is not None, timeout=WAIT_MS)
    tip = controller.model.data(controller.model.index(0, NETWORK), Qt.ItemDataRole.ToolTipRole)
    assert tip == f"Started from the weights of {weights.source}"


def test_an_image_folder_s_classes_are_known_before_start(
    qtbot, controller, weights, shared_data: Path, tmp_path: Path
):
    # CIFAR-10's cats and dogs as the user's own folder of two classes.
    folder = tmp_path / "cats-dogs"
    for split in ("train", "test"):
        for name in ("cat", "dog"):
            (folder / split).mkdir(parents=True, exist_ok=True)
            (folder / split / name).symlink_to(shared_data / "cifar10-subset" / split / name)
    dialog = dialog_with(qtbot, controller, weights.network, weights, dataset="folder")
    dialog.fit.setChecked(False)
    dialog.folder.setText(str(folder))
    dialog.check_images()
    mismatch = "but folder:cats-dogs has 3×32×32 images and 2 classes"
    qtbot.waitUntil(lambda: mismatch in dialog.check_label.text(), timeout=WAIT_MS)
    assert not dialog.start_button.isEnabled()
    dialog.fit.setChecked(True)
    text = dialog.check_label.text()
    assert dialog.start_button.isEnabled(), text
    assert "The network is fitted to folder:cats-dogs: 3×32×32 images, 2 classes." in text
    new = "The weights are for 10 classes: its classifier (fc) starts fresh for 2,"
    qtbot.waitUntil(lambda: new in dialog.check_label.text(), timeout=WAIT_MS)
