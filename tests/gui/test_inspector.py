"""The inspector edits one field per undo step, refuses invalid values, and follows undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
)

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import (
    Conv2d,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Linear,
    MaxPool2d,
    Network,
    ReLU,
    Repeat,
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
    assert (out.limits, out.value()) == ((1, 65536), 16)
    assert out.toolTip() == "Number of output feature maps"
    assert not out.keyboardTracking()
    assert inspector.editor("kernel").value() == 3
    assert inspector.editor("kernel").limits[1] == 64
    assert inspector.editor("padding").limits[0] == 0
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
    assert padding.value() == 2  # as typed, under its reason
    assert inspector.error_label("padding").text() == (
        "Padding must be at most half the kernel (1)"
    )
    # Another field's valid edit goes through; the refused one stays until fixed.
    inspector.editor("kernel").setValue(4)
    assert small.undo_stack.count() == 1
    assert inspector.error_label("kernel").text() == ""
    assert padding.value() == 2 and inspector.error_label("padding").text()
    padding.committed.emit()  # Enter again: with a 4×4 window, 2 fits
    assert small.node(pool.id).padding == 2
    assert inspector.error_label("padding").text() == ""


def test_a_change_that_breaks_another_field_names_that_field(qtbot, small) -> None:
    inspector = InspectorWidget(small)
    qtbot.addWidget(inspector)
    pool = _by_name(small, "pool")
    small.select([pool.id])
    inspector.editor("kernel").setValue(4)
    inspector.editor("padding").setValue(2)
    inspector.editor("kernel").setValue(3)  # padding 2 is more than half of 3
    assert inspector.error_label("kernel").text() == "Padding must be at most half the kernel (1)"
    assert inspector.editor("kernel").value() == 3
    assert small.node(pool.id).kernel == 4


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
    assert name.text() == "conv1"  # as typed, until fixed or Esc
    assert document.undo_stack.count() == 0
    assert "already used" in inspector.error_label("name").text()

    name.setText("bn_first")
    name.editingFinished.emit()
    assert document.node(bn.id).name == "bn_first"
    assert document.undo_stack.count() == 1
    assert inspector.error_label("name").text() == ""


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
    assert "reserved" in inspector.error_label("name").text()


def test_a_name_with_spaces_is_refused_with_the_reason_not_changed(
    inspector, document, qtbot
) -> None:
    relu = _by_name(document, "relu")
    document.select([relu.id])
    inspector.show()
    qtbot.waitExposed(inspector)
    name = inspector.editor("name")
    name.selectAll()
    qtbot.keyClicks(name, "my conv!")
    assert name.text() == "my conv!"  # nothing typed is dropped
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert document.node(relu.id).name == "relu"
    assert document.undo_stack.count() == 0
    assert name.text() == "my conv!"
    assert inspector.error_label("name").text() == (
        "Name cannot hold space, “!”: use letters, digits, _"
    )
    qtbot.keyClick(name, Qt.Key.Key_Escape)
    assert name.text() == "relu"
    assert inspector.error_label("name").text() == ""


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("a" * 65, "Name has 65 characters; at most 64"),
        ("conv-1", "Name cannot hold “-”: use letters, digits, _"),
        ("_hidden", "starts with an underscore"),
        ("forward", "reserved by PyTorch"),
        ("None", "Python keyword"),
    ],
)
def test_each_bad_name_says_why(inspector, document, typed: str, reason: str) -> None:
    relu = _by_name(document, "relu")
    document.select([relu.id])
    name = inspector.editor("name")
    name.setText(typed)
    name.editingFinished.emit()
    assert reason in inspector.error_label("name").text()
    assert name.text() == typed
    assert document.node(relu.id).name == "relu"


def test_an_empty_name_is_refused_not_ignored(inspector, document, qtbot) -> None:
    relu = _by_name(document, "relu")
    document.select([relu.id])
    name = inspector.editor("name")
    name.clear()
    name.editingFinished.emit()
    assert name.text() == ""
    assert document.node(relu.id).name == "relu"
    assert inspector.error_label("name").text() == "Name needs 1-64 letters, digits or underscores"


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
    assert "out_channels" in inspector.fields.editors
    document.select([_by_name(document, "fc").id])
    assert "out_channels" not in inspector.fields.editors
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
    assert settings.name_edit.text() == "   "
    assert settings.error_label("name").text() == "Name needs at least one character"


# --- refusals keep what was typed, in place -----------------------------------------------


def _leave(widget) -> None:
    """The focus leaves ``widget`` (sent: the offscreen platform activates no window)."""
    QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))


def _field_geometry(inspector: InspectorWidget) -> dict[str, tuple[int, int, int, int]]:
    """Where each editor sits in the inspector."""
    out = {}
    for field, editor in inspector.fields.editors.items():
        corner = editor.mapTo(inspector, editor.rect().topLeft())
        out[field] = (corner.x(), corner.y(), editor.width(), editor.height())
    return out


def test_zero_channels_is_refused_beside_the_field_and_stays_until_esc(
    inspector, document, qtbot
) -> None:
    conv = _by_name(document, "conv1")
    document.select([conv.id])
    inspector.show()
    qtbot.waitExposed(inspector)
    qtbot.wait(10)  # let the layout settle
    before = _field_geometry(inspector)
    spin = inspector.editor("out_channels")
    spin.selectAll()
    qtbot.keyClicks(spin, "0")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert document.node(conv.id).out_channels == 16
    assert document.undo_stack.count() == 0
    assert spin.text() == "0"
    error = inspector.error_label("out_channels")
    assert error.text() == "Output channels must be from 1 to 65,536, got 0"
    assert error.isVisible()
    qtbot.wait(10)  # let the layout settle
    assert _field_geometry(inspector) == before  # the reason's line was kept free for it
    assert error.geometry().top() >= spin.geometry().bottom()  # under the field

    _leave(spin)  # leaving the field keeps it as typed
    assert spin.text() == "0" and error.text()
    qtbot.keyClick(spin, Qt.Key.Key_Escape)
    assert spin.text() == "16"
    assert error.text() == ""
    assert document.undo_stack.count() == 0


def test_an_emptied_number_field_is_refused_not_put_back(inspector, document, qtbot) -> None:
    conv = _by_name(document, "conv1")
    document.select([conv.id])
    inspector.show()
    qtbot.waitExposed(inspector)
    spin = inspector.editor("stride")
    spin.selectAll()
    qtbot.keyClick(spin, Qt.Key.Key_Delete)
    _leave(spin)
    assert spin.text() == ""
    assert inspector.error_label("stride").text() == "Stride needs a number"
    assert document.node(conv.id).stride == 1
    qtbot.keyClicks(spin, "2")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert document.node(conv.id).stride == 2
    assert inspector.error_label("stride").text() == ""


def test_arrows_step_within_the_field_range(inspector, document, qtbot) -> None:
    pool_net = NetworkDocument(Network(body=(Dropout(name="drop", p=1.0),)))
    other = InspectorWidget(pool_net)
    qtbot.addWidget(other)
    pool_net.select([pool_net.network.body[0].id])
    p = other.editor("p")
    p.stepBy(1)  # already at the top of 0–1
    assert p.value() == 1.0 and other.error_label("p").text() == ""
    p.stepBy(-1)
    assert pool_net.network.body[0].p == pytest.approx(0.99)


def test_a_refused_value_stays_while_the_network_changes_elsewhere(inspector, document) -> None:
    conv = _by_name(document, "conv1")
    document.select([conv.id])
    inspector.editor("kernel").setValue(0)
    assert inspector.error_label("kernel").text().startswith("Kernel size must be from 1")
    document.set_field(conv.id, "out_channels", 32)  # any other change refreshes the form
    assert inspector.editor("kernel").value() == 0
    assert inspector.editor("out_channels").value() == 32
    assert inspector.error_label("kernel").text()
    document.select([_by_name(document, "bn1").id])  # another layer: the typed text is dropped
    document.select([conv.id])
    assert inspector.editor("kernel").value() == 3
    assert inspector.error_label("kernel").text() == ""


def test_deleting_a_layer_with_a_refused_value_shows_the_hint(inspector, document) -> None:
    conv = _by_name(document, "conv1")
    document.select([conv.id])
    inspector.editor("out_channels").setValue(0)
    assert inspector.error_label("out_channels").text()
    document.remove([conv.id])
    assert inspector.stack.currentWidget() is inspector.hint_label
    document.undo_stack.undo()
    document.select([conv.id])
    assert inspector.editor("out_channels").value() == 16
    assert inspector.error_label("out_channels").text() == ""


def test_an_optional_number_refuses_zero(inspector, document) -> None:
    fc = _by_name(document, "fc")
    document.select([fc.id])
    box = inspector.editor("out_features")
    box.default_box.setChecked(False)
    box.spin.setValue(0)
    assert document.node(fc.id).out_features == 10
    assert box.spin.value() == 0
    assert inspector.error_label("out_features").text() == (
        "Output features must be from 1 to 1,000,000, got 0"
    )


def test_network_settings_refuse_zero_channels_under_the_shape(qtbot, document) -> None:
    settings = NetworkSettingsWidget(document)
    qtbot.addWidget(settings)
    settings.channels_spin.setValue(0)
    assert document.network.input_shape == (3, 32, 32)
    assert settings.channels_spin.value() == 0
    assert settings.error_label("input_shape").text() == (
        "Input: channels must be from 1 to 1,024, got 0"
    )
    settings.channels_spin.setValue(1)
    assert document.network.input_shape == (1, 32, 32)
    assert settings.error_label("input_shape").text() == ""


# --- the path of every kind of Repeat ---------------------------------------------------


def test_path_line_counts_repetitions_for_every_repeat(qtbot) -> None:
    """Counted from the Repeats around a node: a Repeat of 0 or 2+ layers has a row per
    repetition of its own, which must not count as repetitions of the Repeat."""
    empty = Repeat(name="empty", count=4, body=())
    pair = Repeat(name="pair", count=3, body=(ReLU(name="a"), ReLU(name="b")))
    single = Repeat(name="single", count=5, body=(ReLU(name="a"),))
    outer = Repeat(name="outer", count=2, body=(empty, pair, single))
    network = Network(input_shape=(3, 8, 8), body=(outer, Repeat(name="top", count=3, body=())))
    document = NetworkDocument(network)
    inspector = InspectorWidget(document)
    qtbot.addWidget(inspector)
    expected = {
        outer.id: "Path: outer",
        network.body[1].id: "Path: top",
        empty.id: "Path: outer.0.empty (first of 2 repetitions)",
        pair.id: "Path: outer.0.pair (first of 2 repetitions)",
        pair.body[0].id: "Path: outer.0.pair.0.a (first of 6 repetitions)",
        single.id: "Path: outer.0.single (first of 2 repetitions)",
        single.body[0].id: "Path: outer.0.single.0 (first of 10 repetitions)",
    }
    for node_id, text in expected.items():
        document.select([node_id])
        assert inspector.path_label.text() == text


# --- quick fixes ------------------------------------------------------------------------


def test_a_shape_problem_offers_its_fixes_as_buttons(qtbot) -> None:
    block = Residual(
        name="block",
        shortcut="identity",
        body=(Conv2d(name="conv", out_channels=16, stride=2),),
    )
    document = NetworkDocument(Network(body=(Conv2d(name="conv", out_channels=8), block)))
    inspector = InspectorWidget(document)
    qtbot.addWidget(inspector)
    inspector.resize(320, 600)
    inspector.show()
    qtbot.waitExposed(inspector)
    document.select([block.id])
    texts = [b.text() for b in inspector.fix_buttons]
    assert texts == ["Fix: Zero-padded shortcut (option A)", "Fix: Projection shortcut (option B)"]
    assert "no parameters" in inspector.fix_buttons[0].toolTip()
    qtbot.mouseClick(inspector.fix_buttons[0], Qt.MouseButton.LeftButton)
    assert document.node(block.id).shortcut == "zero-pad"
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Fix: Zero-padded shortcut (option A)"
    assert document.selection == [block.id]
    assert inspector.fix_buttons == [] and inspector.fix_box.isHidden()
    document.undo_stack.undo()
    assert document.node(block.id).shortcut == "identity"
    assert len(inspector.fix_buttons) == 2
