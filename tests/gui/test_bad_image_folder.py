"""The Train dialog on an image folder with unreadable files: it checks them in the
background, names the first, and trains without them once the user ticks
“Skip unreadable images”."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent

from resnet_studio.gui.train_dialog import TrainDialog
from resnet_studio.gui.training import TrainingController
from resnet_studio.training.runs import read_run
from tests.training.conftest import tiny_network
from tests.training.test_bad_images import BAD, folder  # noqa: F401 - the fixture


def test_the_train_dialog_checks_the_folder_and_skips_on_request(
    folder: Path,  # noqa: F811 - the fixture imported above
    qtbot,
    qapp,
    tmp_path: Path,
) -> None:
    controller = TrainingController(runs_root=tmp_path / "runs")
    try:
        dialog = TrainDialog(tiny_network(), controller)
        qtbot.addWidget(dialog)
        dialog.dataset.setCurrentIndex(dialog.dataset.findData("folder"))
        dialog.skip_bad.setChecked(False)
        dialog.epochs.setValue(1)
        dialog.folder.setText(str(folder))
        qtbot.waitUntil(lambda: dialog.image_check is not None, timeout=60_000)
        assert not dialog.start_button.isEnabled()
        reason = dialog.check_label.text()
        assert f"{len(BAD)} images cannot be read, the first {folder}" in reason, reason
        assert f"Checked all 40 images: {len(BAD)} cannot be read" in dialog.images_label.text()
        dialog.skip_bad.setChecked(True)
        assert dialog.start_button.isEnabled()
        assert "they will be left out" in dialog.images_label.text()
        dialog.show()
        dialog.start()
        qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=180_000)
        # The run records it: a resume or an evaluation leaves out the same images.
        info = read_run(controller.model.record(0).path).info
        assert info["dataset"]["skip_bad_images"] is True
        images = info["dataset"]["train_images"] + info["dataset"]["val_images"]
        assert images == 40 - len(BAD) - info["dataset"]["test_images"]
    finally:
        assert controller.stop_all(60_000)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qapp.processEvents()
        controller.deleteLater()
