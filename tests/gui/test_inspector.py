"""The inspector edits one field per undo step, refuses invalid values, and follows undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import (
    Conv2d,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Linear,
    MaxPool2d,
    Network,
    Residual,
)
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.inspector import InspectorWidget, NetworkSettingsWidget


def _by_name(document: NetworkDocument, name: str):
    return next(n for n in document.network.body if n.name == name)


@pytest.fixture
def document() -> NetworkDocument:
    return NetworkDocument(preset_network("cifar-resnet20"))


@pytest.fixture
def inspector(qtbot, document) -> InspectorWidget:
    widget = InspectorWidget(document)
    qtbot.addWidget(widget)
    widget.resize(320, 600)
    return widget


@pytest.fixture
def small() -> NetworkDocument:
    network = Network(
        input_shape=(3, 8, 8),
        body=(
            Conv2d(name="conv", out_channels=8),
            MaxPool2d(name="pool", kernel=2, stride=2, padding=0),
            Dropout(name="drop", p=0.5),
            Residual(name="block", body=(Conv2d(name="conv", out_channels=8),)),
            GlobalAvgPool(name="gap"),
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )
    return NetworkDocument(network)


def test_hint_when_nothing_selected_and_count_when_several(inspector, document) -> None:
    assert inspector.stack.currentWidget() is inspector.hint_label
    ids = [n.id for n in document.network.body[:3]]
    document.select(ids)
    assert inspector.stack.currentWidget() is inspector.multi_label
    assert inspector.multi_label.text() == "3 layers selected"
    document.select([])
    assert inspector.stack.currentWidget() is inspector.hint_label


def test_conv_fields_with_metadata_ranges(inspector, document) -> None:
    conv = _by_name(document, "conv1")
    document.select([conv.id])
    assert inspector.kind_label.text() == "Conv2d"
    assert "conv1" in inspector.path_label.text()
    assert "16×32×32" in inspector.stats_label.text()
    assert "432" in inspector.stats_label.text()

    out = inspector.editor("out_channels")
    assert isinstance(out, QSpinBox)
    assert (out.minimum(), out.maximum(), out.value()) == (1, 65536, 16)
    assert out.toolTip() == "Number of output feature maps"
    assert not out.keyboardTracking()
    assert inspector.editor("kernel").value() == 3
    assert inspector.editor("kernel").maximum() == 64
    assert inspector.editor("padding").minimum() == 0
    assert isinstance(inspector.editor("bias"), QCheckBox)
    assert not inspector.editor("bias").isChecked()
    assert isinstance(inspector.editor("name"), QLineEdit)
    assert inspector.editor("name").text() == "conv1"


def test_choice_and_float_editors(inspector, document, small, qtbot) -> None:
    block = next(n for n in document.network.body if n.name == "layer1").body[0]
    document.select([block.id])
    combo = inspector.editor("shortcut")
    assert isinstance(combo, QComboBox)
    assert combo.currentData() == "zero-pad"
    combo.setCurrentIndex(combo.findData("projection"))
    assert document.node(block.id).shortcut == "projection"
    assert document.undo_stack.count() == 1

    other = InspectorWidget(small)
    qtbot.addWidget(other)
    small.select([_by_name(small, "drop").id])
    p = other.editor("p")
    assert isinstance(p, QDoubleSpinBox)
    assert p.decimals() == 3
    p.setValue(0.25)
    assert _by_name(small, "drop").p == 0.25


def test_spin_change_is_one_undo_step_and_undo_redo_update_the_widget(inspector, document) -> None:
    conv = _by_name(document, "conv1")
    document.select([conv.id])
    spin = inspector.editor("out_channels")
    spin.setValue(32)
    assert document.undo_stack.count() == 1
    assert document.node(conv.id).out_channels == 32
    assert spin.value() == 32
    spin.setValue(64)  # the same field again merges into the same step
    assert document.undo_stack.count() == 1
    assert document.node(conv.id).out_channels == 64

    document.undo_stack.undo()
    assert document.node(conv.id).out_channels == 16
    assert spin.value() == 16
    assert "16×32×32" in inspector.stats_label.text()
    document.undo_stack.redo()
    assert spin.value() == 64
    assert "64×32×32" in inspector.stats_label.text()
    # Showing values never edits: the stack is exactly as undo/redo left it.
    assert document.undo_stack.count() == 1
    assert document.undo_stack.index() == 1


def test_typing_a_number_is_one_edit(inspector, document, qtbot) -> None:
    conv = _by_name(document, "conv1")
    document.select([conv.id])
    spin = inspector.editor("out_channels")
    inspector.show()
    qtbot.waitExposed(inspector)
    spin.selectAll()
    qtbot.keyClicks(spin, "128")
    assert document.undo_stack.count() == 0  # no edits for 1, 12 …
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert document.node(conv.id).out_channels == 128
    assert document.undo_stack.count() == 1


def test_invalid_value_is_refused_with_reason_and_nothing_pushed(qtbot, small) -> None:
    inspector = InspectorWidget(small)
    qtbot.addWidget(inspector)
    pool = _by_name(small, "pool")
    small.select([pool.id])
    padding = inspector.editor("padding")
    padding.setValue(2)  # more than half the 2×2 window
    assert small.undo_stack.count() == 0
    assert small.node(pool.id).padding == 0
    assert padding.value() == 0
    assert not inspector.edit_error_label.isHidden()
    assert "half the kernel" in inspector.edit_error_label.text()
    # The next valid edit clears the message.
    inspector.editor("kernel").setValue(4)
    assert inspector.edit_error_label.isHidden()
    assert small.undo_stack.count() == 1


def test_node_errors_are_shown_in_red(qtbot) -> None:
    network = Network(
        body=(
            Conv2d(name="conv", out_channels=8),
            Residual(
                name="block",
                shortcut="identity",
                body=(Conv2d(name="conv", out_channels=16, stride=2),),
            ),
        )
    )
    document = NetworkDocument(network)
    inspector = InspectorWidget(document)
    qtbot.addWidget(inspector)
    document.select([network.body[1].id])
    assert not inspector.node_error_label.isHidden()
    assert "residual add" in inspector.node_error_label.text()
    document.select([network.body[0].id])
    assert inspector.node_error_label.isHidden()


def test_duplicate_name_is_refused_and_reverted(inspector, document) -> None:
    bn = _by_name(document, "bn1")
    document.select([bn.id])
    name = inspector.editor("name")
    name.setText("conv1")
    name.editingFinished.emit()
    assert document.node(bn.id).name == "bn1"
    assert name.text() == "bn1"
    assert document.undo_stack.count() == 0
    assert not inspector.name_error_label.isHidden()
    assert "already used" in inspector.name_error_label.text()

    name.setText("bn_first")
    name.editingFinished.emit()
    assert document.node(bn.id).name == "bn_first"
    assert document.undo_stack.count() == 1
    assert inspector.name_error_label.isHidden()


def test_reserved_name_inside_residual_is_refused(qtbot, small) -> None:
    inspector = InspectorWidget(small)
    qtbot.addWidget(inspector)
    inner = _by_name(small, "block").body[0]
    small.select([inner.id])
    name = inspector.editor("name")
    name.setText("shortcut")
    name.editingFinished.emit()
    assert small.node(inner.id).name == "conv"
    assert small.undo_stack.count() == 0
    assert "reserved" in inspector.name_error_label.text()


def test_name_field_prevents_invalid_characters(inspector, document, qtbot) -> None:
    document.select([_by_name(document, "relu").id])
    name = inspector.editor("name")
    name.clear()
    qtbot.keyClicks(name, "my-layer 2!")
    assert name.text() == "mylayer2"
    assert name.validator().validate("a-b", 0)[0].name == "Invalid"


def test_linear_equals_classes(inspector, document) -> None:
    fc = _by_name(document, "fc")
    document.select([fc.id])
    box = inspector.editor("out_features")
    assert box.default_box.isChecked()
    assert not box.spin.isEnabled()
    assert box.spin.value() == 10

    box.default_box.setChecked(False)
    assert document.node(fc.id).out_features == 10
    assert box.spin.isEnabled()
    box.spin.setValue(7)
    assert document.node(fc.id).out_features == 7
    box.default_box.setChecked(True)
    assert document.node(fc.id).out_features is None
    assert not box.spin.isEnabled()
    assert box.spin.value() == 10
    # Edits of one field merge into one step (FieldEdit); back where it started, the
    # step is dropped: nothing to undo, nothing unsaved.
    assert document.undo_stack.count() == 0 and not document.modified
    box.default_box.setChecked(False)
    assert document.undo_stack.count() == 1
    assert document.node(fc.id).out_features == 10
    document.undo_stack.undo()
    assert document.node(fc.id).out_features is None
    assert box.default_box.isChecked()
    assert not box.spin.isEnabled()


def test_form_follows_the_selection_to_another_kind(inspector, document) -> None:
    document.select([_by_name(document, "conv1").id])
    assert "out_channels" in inspector._editors
    document.select([_by_name(document, "fc").id])
    assert "out_channels" not in inspector._editors
    assert inspector.kind_label.text() == "Linear"
    document.select([_by_name(document, "layer2").id])
    assert inspector.editor("count").value() == 3
    assert "first of" not in inspector.path_label.text()
    inner_conv = _by_name(document, "layer2").body[0].body[0]
    document.select([inner_conv.id])
    assert "layer2.0.conv1" in inspector.path_label.text()
    assert "first of 3" in inspector.path_label.text()


def test_deleting_the_selected_node_shows_the_hint(inspector, document) -> None:
    relu = _by_name(document, "relu")
    document.select([relu.id])
    document.remove([relu.id])
    assert inspector.stack.currentWidget() is inspector.hint_label


def test_network_settings_change_input_shape_as_one_step(qtbot, document) -> None:
    settings = NetworkSettingsWidget(document)
    qtbot.addWidget(settings)
    assert settings.channels_spin.value() == 3
    assert settings.height_spin.value() == 32
    assert settings.classes_spin.value() == 10
    assert settings.name_edit.text() == "cifar-resnet20"

    settings.height_spin.setValue(64)
    assert document.network.input_shape == (3, 64, 32)
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Change input shape"
    document.undo_stack.undo()
    assert document.network.input_shape == (3, 32, 32)
    assert settings.height_spin.value() == 32
    assert document.undo_stack.index() == 0

    settings.classes_spin.setValue(100)
    assert document.network.classes == 100
    assert document.summary.output_shape == (100,)

    settings.name_edit.setText("my net")
    settings.name_edit.editingFinished.emit()
    assert document.network.name == "my net"
    settings.name_edit.setText("   ")
    settings.name_edit.editingFinished.emit()
    assert document.network.name == "my net"
    assert settings.name_edit.text() == "my net"
