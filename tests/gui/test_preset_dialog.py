"""New from Preset: the width of the CIFAR families, offered for them only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from resnet_studio.arch.spec import Conv2d, walk
from resnet_studio.gui.main_window import MainWindow
from resnet_studio.gui.preset_dialog import PresetDialog


def select(dialog: PresetDialog, key: str) -> None:
    items = [
        dialog.tree.topLevelItem(i).child(j)
        for i in range(dialog.tree.topLevelItemCount())
        for j in range(dialog.tree.topLevelItem(i).childCount())
    ]
    [item] = [it for it in items if it.data(0, Qt.ItemDataRole.UserRole) == key]
    dialog.tree.setCurrentItem(item)


@pytest.fixture
def dialog(qtbot) -> PresetDialog:
    dialog = PresetDialog()
    qtbot.addWidget(dialog)
    return dialog


def test_a_cifar_preset_takes_a_width(dialog: PresetDialog) -> None:
    select(dialog, "cifar-resnet56")
    assert dialog.width_multiplier.isEnabled()
    assert dialog.channels_note.text() == "16/32/64 channels"
    dialog.width_multiplier.setValue(0.5)
    assert dialog.channels_note.text() == "8/16/32 channels"
    network = dialog.network()
    assert network.name == "cifar-resnet56-w0.5"
    assert {n.out_channels for n in walk(network.body) if isinstance(n, Conv2d)} == {8, 16, 32}
    assert dialog.details.text().startswith("cifar-resnet56-w0.5: 56 weighted layers")


def test_the_width_spans_a_quarter_to_four(dialog: PresetDialog) -> None:
    spin = dialog.width_multiplier
    assert (spin.minimum(), spin.maximum(), spin.singleStep()) == (0.25, 4.0, 0.25)
    select(dialog, "cifar-plain20")
    spin.setValue(8)  # clamped, as a user typing it would be
    assert dialog.network().name == "cifar-plain20-w4"
    assert dialog.channels_note.text() == "64/128/256 channels"


def test_other_presets_show_no_width_and_the_choice_comes_back(dialog: PresetDialog) -> None:
    select(dialog, "cifar-resnet20")
    dialog.width_multiplier.setValue(0.25)
    select(dialog, "resnet18")
    assert not dialog.width_multiplier.isEnabled()
    assert dialog.width_multiplier.value() == 1.0  # what ResNet-18 gets
    assert dialog.channels_note.text() == "CIFAR networks only"
    assert dialog.network().name == "resnet18"
    select(dialog, "cifar-plain32")
    assert dialog.width_multiplier.isEnabled() and dialog.width_multiplier.value() == 0.25
    assert dialog.network().name == "cifar-plain32-w0.25"


def test_new_from_preset_at_a_width_in_the_window(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exec_(dialog: PresetDialog) -> int:
        select(dialog, "cifar-resnet32")
        dialog.width_multiplier.setValue(2)
        dialog.buttons.accepted.emit()
        return dialog.result()

    monkeypatch.setattr(PresetDialog, "exec", exec_)
    window.preset_action.trigger()
    assert window.document.network.name == "cifar-resnet32-w2"
    assert "cifar-resnet32-w2" in window.windowTitle()
