"""Groups and the new Residual fields in the window: canvas, palette, inspector, menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPointF, Qt
from PySide6.QtGui import QDropEvent

from resnet_studio.arch import spec as s
from resnet_studio.arch.catalogue import LAYER_MIME
from resnet_studio.arch.presets import preset_network
from resnet_studio.gui import canvas_items as ci
from resnet_studio.gui.canvas import CanvasView
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.inspector import InspectorWidget
from resnet_studio.gui.layers_table import PATH_ROLE, LayersModel


def grouped() -> s.Network:
    features = (
        s.Conv2d(name="0", out_channels=8),
        s.BatchNorm2d(name="1"),
        s.ReLU(name="2"),
    )
    return s.Network(
        name="grouped",
        input_shape=(3, 16, 16),
        classes=4,
        body=(
            s.Group(name="features", body=features),
            s.GlobalAvgPool(name="avgpool"),
            s.Flatten(name="flatten"),
            s.Group(name="classifier", body=(s.Linear(name="0"),)),
        ),
    )


@pytest.fixture
def canvas(qtbot):
    doc = NetworkDocument(grouped())
    view = CanvasView(doc)
    qtbot.addWidget(view)
    view.resize(700, 900)
    view.show()
    qtbot.waitExposed(view)
    return view, doc


def test_a_group_is_drawn_as_a_named_frame_around_its_layers(canvas) -> None:
    view, doc = canvas
    features = doc.network.body[0]
    frame = view.item_for(features.id)
    assert isinstance(frame, ci.ContainerItem)
    assert (frame.kind, frame.name, frame.shape_text) == ("Group", "features", "8×16×16")
    for child in features.body:
        card = view.item_for(child.id)
        assert frame.rect.contains(card.rect)
        assert card.rect.top() > frame.header_rect().bottom()
    assert "features" in frame.toolTip() and "Group" in frame.toolTip()


def test_a_layer_dropped_inside_a_group_lands_there(canvas) -> None:
    view, doc = canvas
    features = doc.network.body[0]
    a, b = view.item_for(features.body[0].id), view.item_for(features.body[1].id)
    where = QPointF(ci.AXIS, (a.rect.bottom() + b.rect.top()) / 2)
    assert view.drop_target(where) == (features.id, 1)
    mime = QMimeData()
    mime.setData(LAYER_MIME, QByteArray(b"relu"))
    event = QDropEvent(
        QPointF(view.mapFromScene(where)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dropEvent(event)
    assert [n.kind for n in doc.network.body[0].body] == ["Conv2d", "ReLU", "BatchNorm2d", "ReLU"]


def test_the_palette_group_entry_makes_an_empty_group(canvas) -> None:
    view, doc = canvas
    doc.select([doc.network.body[1].id])
    doc.add("group")
    group = doc.network.body[2]
    assert (group.kind, group.name, group.body) == ("Group", "group", ())


def _all_indexes(model, parent: QModelIndex = QModelIndex()):  # noqa: B008
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from _all_indexes(model, index)


def test_the_layers_table_nests_a_groups_layers_under_its_path(qapp) -> None:
    model = LayersModel(NetworkDocument(grouped()))
    indexes = list(_all_indexes(model))
    paths = [i.data(PATH_ROLE) for i in indexes]
    assert paths == [
        "features",
        "features.0",
        "features.1",
        "features.2",
        "avgpool",
        "flatten",
        "classifier",
        "classifier.0",
    ]
    features = indexes[0]
    assert model.rowCount(features) == 3
    assert [model.index(r, 0, features).data() for r in range(3)] == ["0", "1", "2"]
    assert indexes[1].parent() == features


def _residual_document() -> NetworkDocument:
    return NetworkDocument(preset_network("cifar-resnet20"))


@pytest.fixture
def inspector(qtbot):
    doc = _residual_document()
    widget = InspectorWidget(doc)
    qtbot.addWidget(widget)
    widget.resize(340, 700)
    widget.show()
    return widget, doc


def _visible(widget: InspectorWidget, field: str) -> bool:
    return widget.form.isRowVisible(widget.editor(field))


def test_pad_placement_shows_only_for_a_zero_pad_shortcut(inspector) -> None:
    widget, doc = inspector
    block = doc.network.body[4].body[0]  # layer2's block: zero-pad /2
    doc.select([block.id])
    assert block.shortcut == "zero-pad"
    assert _visible(widget, "pad_placement") and _visible(widget, "preactivation")
    combo = widget.editor("shortcut")
    combo.setCurrentIndex(combo.findData("projection"))
    assert doc.node(block.id).shortcut == "projection"
    assert not _visible(widget, "pad_placement")
    assert not widget.form.isRowVisible(widget.error_label("pad_placement"))
    doc.undo_stack.undo()
    assert _visible(widget, "pad_placement")
    placement = widget.editor("pad_placement")
    placement.setCurrentIndex(placement.findData("both"))
    assert doc.node(block.id).pad_placement == "both"
    assert doc.undo_stack.undoText().startswith("Change")


def test_ticking_preactivation_on_a_post_activation_block_shows_why_it_cannot_be(inspector):
    widget, doc = inspector
    block = doc.network.body[3].body[0]
    doc.select([block.id])
    widget.editor("preactivation").setChecked(True)
    assert doc.node(block.id).preactivation
    assert widget.node_error_label.isVisibleTo(widget)
    assert "must start with BatchNorm2d then ReLU" in widget.node_error_label.text()
    doc.undo_stack.undo()
    assert not widget.node_error_label.isVisibleTo(widget)


def test_wrap_in_group_from_the_menu(window) -> None:
    doc = window.document
    doc.select([n.id for n in doc.network.body[:3]])
    assert window.wrap_group_action.isEnabled()
    assert window.wrap_group_action.shortcut().toString() == "Ctrl+G"
    window.wrap_group_action.trigger()
    group = doc.network.body[0]
    assert (group.kind, [n.name for n in group.body]) == ("Group", ["conv1", "bn1", "relu"])
    assert doc.selection == [group.id]
    assert doc.summary.rows[1].path == "group.conv1"


def test_a_preactivation_projection_leaves_the_body_after_its_first_relu(canvas) -> None:
    view, doc = canvas
    doc.apply(preset_network("cifar-preact-resnet110"), "preset")
    layer2_block = doc.network.body[2].body[0]  # 16 → 32 channels: a projection
    layer1_block = doc.network.body[1].body[0]  # shapes equal: identity, from the top
    skips = {
        item.shortcut: item for item in view.scene().items() if isinstance(item, ci.SkipArrowItem)
    }
    relu1 = view.item_for(layer2_block.body[1].id).rect
    conv1 = view.item_for(layer2_block.body[2].id).rect
    start = skips["projection"].path.elementAt(0).y
    assert relu1.bottom() < start < conv1.top()
    identity_start = skips["identity"].path.elementAt(0).y
    assert identity_start < view.item_for(layer1_block.body[0].id).rect.top()
