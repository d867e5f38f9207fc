"""A new user trains ResNet-20 against its plain twin, offline, and keeps working.

Open the app on its default network, press Train, tick "Train plain twin
too", start on the built-in synthetic data, watch both curves grow, edit the
network meanwhile, close the window while the pair trains (it asks, then
stops both cleanly), open the app again and find both runs with their curves.
"""

from __future__ import annotations

from PySide6.QtGui import QImage

from resnet_studio.gui import training
from resnet_studio.gui.main_window import MainWindow
from resnet_studio.gui.run_worker import running_threads
from resnet_studio.gui.train_dialog import TrainDialog
from resnet_studio.training.runs import CHECKPOINT_FILE, read_run

WAIT_MS = 180_000


def test_plain_against_residual_while_editing_then_close_and_reopen(qtbot, dialogs, tmp_path):
    window = MainWindow()
    # No qtbot.addWidget: closing deletes the window; the sandbox closes what is left.
    window.show()
    assert window.document.network.name == "cifar-resnet20"

    window.train_action.trigger()
    dialog = window.findChild(TrainDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.dataset.currentData() == "synthetic"
    dialog.twin.setChecked(True)
    dialog.subset.setValue(512)  # quick: 4 steps an epoch
    dialog.batch_size.setValue(128)
    dialog.epochs.setValue(200)
    dialog.start_button.click()

    model = window.training.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=WAIT_MS)
    resnet, plain = model.record(0), model.record(1)
    assert (resnet.name, plain.name) == ("cifar-resnet20", "cifar-plain20")
    assert window.curves_dock.isVisible()

    # The user keeps editing while both train.
    conv1 = window.document.network.body[0]
    window.document.set_field(conv1.id, "out_channels", 32)
    assert window.document.network.body[0].out_channels == 32

    qtbot.waitUntil(lambda: len(resnet.epochs) >= 2 and len(plain.epochs) >= 2, timeout=WAIT_MS)
    window.curves.redraw_now()
    for entry in (resnet, plain):
        curves = window.curves.curve_data(entry)
        assert len(curves["val"][0]) >= 2 and len(curves["train"][0]) >= 2
    assert "training" in window.training_label.text()
    png = tmp_path / "curves.png"
    window.curves.save_plot(png)
    assert not QImage(str(png)).isNull()

    # Closing while the pair trains asks; "Cancel" keeps everything going.
    window.document.undo_stack.setClean()
    dialogs.answer = dialogs.answer.Cancel
    window.close()
    assert window.isVisible() and len(window.training.training()) == 2
    assert "training" in dialogs.of("question")[-1][2]

    # "Yes" stops both cleanly: each saves a checkpoint, no thread is left running.
    dialogs.answer = dialogs.answer.Yes
    window.close()
    assert not window.isVisible()
    assert running_threads() == []
    for entry in (resnet, plain):
        assert (entry.path / CHECKPOINT_FILE).exists()
        assert read_run(entry.path).status == "stopped"

    # The app opened again: both runs, paired and plotted, straight from disk.
    window.training.deleteLater()
    training._controller = None  # a new process starts with no runs in memory
    again = MainWindow()
    again.show()  # it reads the runs folder as it opens
    assert again.training is not window.training
    qtbot.waitUntil(lambda: again.training.model.rowCount() == 2, timeout=WAIT_MS)
    loaded = {e.name: e for e in again.training.model.entries()}
    assert set(loaded) == {"cifar-resnet20", "cifar-plain20"}
    assert all(e.shown and e.status == "stopped" for e in loaded.values())
    again.curves.redraw_now()
    for entry in loaded.values():
        assert len(again.curves.curve_data(entry)["val"][0]) >= 2
