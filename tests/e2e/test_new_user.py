"""A new user's first session, driven through the window as they would.

Open the app, start from the CIFAR ResNet-20 preset, select layer1 on the
canvas, make it 9 blocks deep in the inspector, watch the totals, undo, redo,
and export a checkpoint that loads back.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QSpinBox

from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import Repeat
from resnet_studio.gui.main_window import MainWindow, open_windows
from resnet_studio.gui.preset_dialog import PresetDialog

BASE_PARAMS, BASE_MACS = 269_722, 40_552_426
DEEP_PARAMS, DEEP_MACS = 297_754, 68_864_362  # layer1 with 9 blocks instead of 3


def _pick_preset_in_the_real_dialog(window: MainWindow, key: str) -> None:
    """Queue the user's clicks in the modal dialog, which then runs its own event loop."""

    def act() -> None:
        dialog = window.findChild(PresetDialog)
        try:
            tree = dialog.tree
            items = [
                tree.topLevelItem(i).child(j)
                for i in range(tree.topLevelItemCount())
                for j in range(tree.topLevelItem(i).childCount())
            ]
            [item] = [it for it in items if it.data(0, Qt.ItemDataRole.UserRole) == key]
            tree.setCurrentItem(item)
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        finally:
            if dialog is not None and dialog.isVisible():  # never leave a modal loop running
                dialog.reject()

    QTimer.singleShot(0, act)


def _expected_totals() -> tuple[int, int]:
    """The totals for layer1 × 9, worked out without the window."""
    # One CIFAR basic block at 16 channels, 32×32: two 3×3 convs (16→16, no bias)
    # and two BatchNorms; the zero-pad identity shortcut has no weights.
    conv_params = 3 * 3 * 16 * 16
    block_params = 2 * conv_params + 2 * (2 * 16)
    conv_macs = conv_params * 32 * 32
    network = preset_network("cifar-resnet20")
    base = infer(network)
    bn_macs = next(r.macs for r in base.rows if r.path == "layer1.0.bn1")
    block_macs = 2 * conv_macs + 2 * bn_macs
    assert (block_params, block_macs) == (4_672, 4_718_656)
    # Cross-check with inference on the edited network itself.
    layer1 = next(n for n in network.body if n.name == "layer1")
    deeper = dataclasses.replace(
        network,
        body=tuple(dataclasses.replace(n, count=9) if n is layer1 else n for n in network.body),
    )
    deep = infer(deeper)
    assert (base.total_params, base.total_macs) == (BASE_PARAMS, BASE_MACS)
    assert (deep.total_params, deep.total_macs) == (
        BASE_PARAMS + 6 * block_params,
        BASE_MACS + 6 * block_macs,
    )
    return deep.total_params, deep.total_macs


def _totals_shown(window: MainWindow) -> tuple[str, str, str, str]:
    return (
        window.totals_label.text(),
        window.totals_label.toolTip(),
        window.layers.totals_label.text(),
        window.layers.totals_label.toolTip(),
    )


def _assert_totals(window: MainWindow, params: int, macs: int, macs_short: str) -> None:
    status, status_tip, table, table_tip = _totals_shown(window)
    assert status.startswith(f"{params:,} parameters · {macs_short} multiply-adds")
    assert status_tip == f"{macs:,} multiply-adds"
    assert table.startswith(f"Total: {params:,} parameters · {macs_short} multiply-adds")
    assert f"{params:,} parameters" in table_tip and f"{macs:,} multiply-adds" in table_tip


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_new_user_deepens_a_preset_and_exports_it(qtbot, dialogs, tmp_path: Path) -> None:
    deep_params, deep_macs = _expected_totals()
    assert (deep_params, deep_macs) == (DEEP_PARAMS, DEEP_MACS)

    # Open the app.
    window = MainWindow()
    window.show()
    qtbot.waitExposed(window)
    assert window.isVisible() and open_windows() == [window]

    # File > New from Preset…: ResNet-20 (CIFAR), OK. The untouched window switches in place.
    _pick_preset_in_the_real_dialog(window, "cifar-resnet20")
    window.preset_action.trigger()
    assert open_windows() == [window]
    network = window.document.network
    assert network.name == "cifar-resnet20" and "cifar-resnet20" in window.windowTitle()
    assert window.document.undo_stack.count() == 1
    _assert_totals(window, BASE_PARAMS, BASE_MACS, "40.6 M")

    # Click the header of layer1 (the first Repeat) on the canvas.
    layer1 = next(n for n in network.body if isinstance(n, Repeat))
    assert layer1.name == "layer1" and layer1.count == 3
    canvas = window.canvas
    item = canvas.item_for(layer1.id)
    header = item.header_rect()
    canvas.reveal(layer1.id)
    point = canvas.mapFromScene(header.center().x() + header.width() / 4, header.center().y())
    assert canvas.itemAt(point) is not None
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.document.selection == [layer1.id]

    # The inspector shows it; make it 9 blocks deep.
    spin = window.inspector.editor("count")
    assert isinstance(spin, QSpinBox) and spin.value() == 3
    spin.setValue(9)
    assert window.document.node(layer1.id).count == 9
    assert window.document.undo_stack.count() == 2 and window.isWindowModified()
    _assert_totals(window, DEEP_PARAMS, DEEP_MACS, "68.9 M")

    # Undo (Ctrl+Z) puts 3 back everywhere, inspector included; redo makes it 9 again.
    assert QKeySequence("Ctrl+Z") in window.undo_action.shortcuts()
    window.undo_action.trigger()
    _assert_totals(window, BASE_PARAMS, BASE_MACS, "40.6 M")
    assert window.inspector.editor("count").value() == 3
    window.redo_action.trigger()
    _assert_totals(window, DEEP_PARAMS, DEEP_MACS, "68.9 M")
    assert window.inspector.editor("count").value() == 9

    # Export a checkpoint; it loads back as the same network with the same weights count.
    from resnet_studio.model.load import load_checkpoint

    path = tmp_path / "resnet20-deep.pt"
    window.export_model_to(path, "checkpoint")
    qtbot.waitUntil(path.exists, timeout=60_000)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Exported"), timeout=60_000
    )
    loaded, model, _ = load_checkpoint(path)
    assert loaded == window.document.network
    assert sum(p.numel() for p in model.parameters()) == DEEP_PARAMS
    assert dialogs.calls == []  # nothing went wrong, nothing was asked
    assert QApplication.activeModalWidget() is None
