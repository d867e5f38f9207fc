"""The network canvas: what it draws, where drops land, selection, zoom and export."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QContextMenuEvent, QDragMoveEvent, QDropEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from resnet_studio.arch import edit
from resnet_studio.arch import spec as s
from resnet_studio.arch.catalogue import LAYER_MIME
from resnet_studio.arch.presets import preset_network
from resnet_studio.gui import canvas_items as ci
from resnet_studio.gui.canvas import NODE_MIME, CanvasView
from resnet_studio.gui.document import NetworkDocument


@pytest.fixture
def make_view(qtbot):
    """A shown canvas on a fresh document for ``network`` (a preset key or a Network)."""

    def make(
        network: str | s.Network = "cifar-resnet20", size: tuple[int, int] = (700, 900)
    ) -> tuple[CanvasView, NetworkDocument]:
        if isinstance(network, str):
            network = preset_network(network)
        doc = NetworkDocument(network)
        view = CanvasView(doc)
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        return view, doc

    return make


def _ids(nodes: tuple[s.Node, ...]) -> list[str]:
    return [n.id for n in s.walk(nodes)]


def _between(view: CanvasView, upper: str, lower: str) -> QPointF:
    """The scene point halfway between the cards (or frames) of two nodes."""
    a, b = view.item_for(upper), view.item_for(lower)
    return QPointF(ci.AXIS, (a.rect.bottom() + b.rect.top()) / 2)


def _mime(fmt: str, text: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(fmt, QByteArray(text.encode()))
    return mime


def _drop(view: CanvasView, mime: QMimeData, scene_pos: QPointF) -> QDropEvent:
    """Deliver a real QDropEvent at ``scene_pos``, as a drag from the palette would."""
    pos = QPointF(view.mapFromScene(scene_pos))
    action = Qt.DropAction.MoveAction if mime.hasFormat(NODE_MIME) else Qt.DropAction.CopyAction
    event = QDropEvent(pos, action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    view.dropEvent(event)
    return event


def _click(qtbot, view: CanvasView, scene_pos: QPointF, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, modifier, view.mapFromScene(scene_pos)
    )


# --- what it draws -----------------------------------------------------------------------


def test_one_item_per_spec_node_not_per_repetition(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    net = doc.network
    items = view.node_items()
    assert [i.node_id for i in items] == _ids(net.body)  # layout order = spec order
    cards = [i for i in items if isinstance(i, ci.CardItem)]
    leaves = [n for n in s.walk(net.body) if not isinstance(n, s.CONTAINERS)]
    assert len(cards) == len(leaves) == 3 + 3 * 5 + 3  # stem, one block per stage, head

    conv1 = view.item_for(net.body[0].id)
    assert conv1.label() == "conv1  3×3, 16"
    assert conv1.shape_text == "16×32×32"
    layer2_conv1 = view.item_for(net.body[4].body[0].body[0].id)
    assert layer2_conv1.label() == "conv1  3×3, 32, /2"
    assert layer2_conv1.shape_text == "32×16×16"  # first repetition
    assert view.item_for(net.body[-1].id).label() == "fc  → 10"
    assert view.item_for(net.body[3].id).shape_text == "16×32×32"


def test_resnet1202_builds_quickly_with_few_items(make_view) -> None:
    view, doc = make_view("cifar-resnet1202")
    assert len(view.node_items()) == len(_ids(doc.network.body))  # 30, not 1202 layers
    assert view.item_for(doc.network.body[3].id).badge_text == "×200"
    start = time.perf_counter()
    for _ in range(5):
        view.rebuild()
    assert (time.perf_counter() - start) / 5 < 0.2
    assert len(view.scene().items()) < 150


def _skips(view: CanvasView) -> list[ci.SkipArrowItem]:
    items = [i for i in view.scene().items() if isinstance(i, ci.SkipArrowItem)]
    return sorted(items, key=lambda i: i.path.boundingRect().top())


def test_identity_shortcuts_solid_projections_dashed(make_view) -> None:
    view, doc = make_view("resnet18")  # auto: identity in layer1, projection after
    skips = _skips(view)
    assert [(k.shortcut, k.dashed) for k in skips] == [
        ("identity", False),
        ("projection", True),
        ("projection", True),
        ("projection", True),
    ]
    labels = [view.item_for(stage.body[0].id).shortcut_label for stage in doc.network.body[4:8]]
    assert labels == ["identity", "projection 1×1 /2", "projection 1×1 /2", "projection 1×1 /2"]
    adds = [i for i in view.scene().items() if isinstance(i, ci.AddItem)]
    assert len(adds) == 4 and all(a.post_relu for a in adds)


def test_zero_pad_shortcut_dashed_only_where_it_reshapes(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    assert [(k.shortcut, k.dashed) for k in _skips(view)] == [
        ("zero-pad", False),  # 16→16: the identity
        ("zero-pad", True),
        ("zero-pad", True),
    ]
    assert view.item_for(doc.network.body[4].body[0].id).shortcut_label == "zero-pad /2"
    # Zero channels on both sides of x, as many CIFAR codes pad: the label says so.
    block = doc.network.body[4].body[0]
    doc.set_field(block.id, "pad_placement", "both")
    assert view.item_for(block.id).shortcut_label == "zero-pad both sides /2"


def test_plain_blocks_have_no_skip_arrow_and_no_add(make_view) -> None:
    view, doc = make_view("cifar-plain20")
    assert _skips(view) == []
    assert not [i for i in view.scene().items() if isinstance(i, ci.AddItem)]
    block = view.item_for(doc.network.body[3].body[0].id)
    assert isinstance(block, ci.ContainerItem) and block.shortcut_label == "plain block"
    assert block.toolTip().startswith("Plain block — layer1.0\n")
    assert "shortcut" not in block.toolTip()  # no shortcut to describe
    assert [i for i in view.scene().items() if isinstance(i, ci.ReluTagItem)]


def test_errors_marked_and_later_layers_dimmed(make_view) -> None:
    net = preset_network("cifar-resnet20")
    bad = s.Conv2d(name="late_conv", out_channels=8)  # after Flatten: an error
    net = s.Network(name="bad", body=(*net.body[:-1], bad, net.body[-1]))
    view, _ = make_view(net)
    card = view.item_for(bad.id)
    assert card.error and "Flatten" in card.error
    assert "Error:" in card.toolTip()
    assert view.item_for(net.body[-1].id).opacity() < 1.0  # fc: input unknown
    assert view.item_for(net.body[0].id).opacity() == 1.0


def test_collapsed_stage_on_a_flat_input_names_its_stride(make_view) -> None:
    """On a 2×32 input layer3 maps 1×16 to 1×8: the stride shows though the height stays."""
    view, doc = make_view(preset_network("cifar-resnet20", (3, 2, 32)))
    layer3 = next(n for n in doc.network.body if n.name == "layer3")
    view.set_collapsed(layer3.id, True)
    assert view.item_for(layer3.id).summary_text == "3 × block · 32→64 · /2"


def test_repeat_badge_and_collapse_survives_rebuilds(qtbot, make_view) -> None:
    view, doc = make_view("cifar-resnet56")
    layer2 = doc.network.body[4]
    frame = view.item_for(layer2.id)
    assert frame.badge_text == "×9"
    block_id = layer2.body[0].id
    expanded = QRectF(frame.rect)

    view.set_collapsed(layer2.id, True)
    frame = view.item_for(layer2.id)
    assert frame.collapsed and view.item_for(block_id) is None
    assert (frame.rect.left(), frame.rect.right()) == (expanded.left(), expanded.right())
    assert frame.rect.height() < expanded.height() / 4
    assert frame.summary_text == "9 × block · 16→32 · /2"
    doc.insert(None, 0, s.Identity(name="first"))  # any edit rebuilds the scene
    assert view.is_collapsed(layer2.id) and view.item_for(block_id) is None

    # The ▸ toggle on the header expands it again.
    toggle = view.item_for(layer2.id).toggle_rect().center()
    _click(qtbot, view, toggle)
    assert not view.is_collapsed(layer2.id)
    assert view.item_for(block_id) is not None
    _click(qtbot, view, view.item_for(layer2.id).toggle_rect().center())
    assert view.is_collapsed(layer2.id)


def test_empty_containers_show_a_placeholder(make_view) -> None:
    net = s.Network(name="empty", body=(s.Residual(name="block"), s.Repeat(name="stage")))
    view, _ = make_view(net)
    holders = [i for i in view.scene().items() if isinstance(i, ci.PlaceholderItem)]
    assert sorted(h.parent_id for h in holders) == sorted(n.id for n in net.body)


# --- drops from the palette ------------------------------------------------------------------


def test_drop_between_top_level_cards(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    bn1, relu = doc.network.body[1], doc.network.body[2]
    where = _between(view, bn1.id, relu.id)
    assert view.drop_target(where) == (None, 2)

    event = _drop(view, _mime(LAYER_MIME, "dropout"), where)
    assert event.isAccepted()
    body = doc.network.body
    assert [n.name for n in body[:4]] == ["conv1", "bn1", "dropout", "relu"]
    assert doc.selection == [body[2].id]
    assert view.item_for(body[2].id).isSelected()


def test_drop_inside_a_residual_body(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    block = doc.network.body[4].body[0]  # layer2's block
    where = _between(view, block.body[0].id, block.body[1].id)
    assert view.drop_target(where) == (block.id, 1)

    _drop(view, _mime(LAYER_MIME, "conv3x3"), where)
    inner = doc.network.body[4].body[0].body
    assert [n.kind for n in inner[:3]] == ["Conv2d", "Conv2d", "BatchNorm2d"]
    assert inner[1].out_channels == 32  # the feature map there has 32 channels


def test_dropped_block_matches_channels(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    layer2, layer3 = doc.network.body[4], doc.network.body[5]
    where = _between(view, layer2.id, layer3.id)
    assert view.drop_target(where) == (None, 5)
    assert doc.channels_at(None, 5) == 32

    _drop(view, _mime(LAYER_MIME, "basic_block"), where)
    block = doc.network.body[5]
    assert isinstance(block, s.Residual)
    convs = [n for n in block.body if isinstance(n, s.Conv2d)]
    assert [c.out_channels for c in convs] == [32, 32]
    assert doc.summary.ok  # it fits: the network still builds


def test_drop_at_start_and_end_of_a_repeat_body(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    layer3 = doc.network.body[5]
    frame = view.item_for(layer3.id)
    block_frame = view.item_for(layer3.body[0].id)
    start = QPointF(ci.AXIS, (frame.header_rect().bottom() + block_frame.rect.top()) / 2)
    end = QPointF(ci.AXIS, (block_frame.rect.bottom() + frame.rect.bottom()) / 2)
    assert view.drop_target(start) == (layer3.id, 0)
    assert view.drop_target(end) == (layer3.id, 1)
    assert doc.channels_at(layer3.id, 0) == 32  # the stage's input
    assert doc.channels_at(layer3.id, 1) == 64
    # Over the stage's header: before the stage, at the top level.
    assert view.drop_target(frame.header_rect().center()) == (None, 5)


def test_drop_into_an_empty_container(make_view) -> None:
    net = s.Network(
        name="empty", body=(s.Conv2d(name="conv", out_channels=8), s.Residual(name="b"))
    )
    view, doc = make_view(net)
    holder = next(i for i in view.scene().items() if isinstance(i, ci.PlaceholderItem))
    assert view.drop_target(holder.rect.center()) == (net.body[1].id, 0)
    assert doc.channels_at(net.body[1].id, 0) == 8

    _drop(view, _mime(LAYER_MIME, "batchnorm"), holder.rect.center())
    assert [n.kind for n in doc.network.body[1].body] == ["BatchNorm2d"]


def test_drag_move_shows_the_indicator_at_the_slot(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    bn1, relu = doc.network.body[1], doc.network.body[2]
    where = _between(view, bn1.id, relu.id)
    mime = _mime(LAYER_MIME, "relu")
    event = QDragMoveEvent(
        view.mapFromScene(where),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dragMoveEvent(event)
    assert event.isAccepted()
    indicator = view._indicator
    assert indicator.isVisible()
    assert indicator.line.y1() == pytest.approx(where.y(), abs=0.01)


def test_unknown_mime_and_key_are_ignored(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    before = doc.network
    where = _between(view, doc.network.body[0].id, doc.network.body[1].id)
    assert not _drop(view, _mime("text/plain", "conv3x3"), where).isAccepted()
    assert not _drop(view, _mime(LAYER_MIME, "no-such-layer"), where).isAccepted()
    assert doc.network is before


# --- moving nodes ---------------------------------------------------------------------------


def test_internal_drop_reorders_cards(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    conv1, bn1, relu = doc.network.body[:3]
    event = _drop(view, _mime(NODE_MIME, relu.id), _between(view, conv1.id, bn1.id))
    assert event.isAccepted()
    assert [n.name for n in doc.network.body[:3]] == ["conv1", "relu", "bn1"]


def test_internal_drop_moves_a_card_into_a_container(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    relu = doc.network.body[2]
    block = doc.network.body[3].body[0]
    _drop(view, _mime(NODE_MIME, relu.id), _between(view, block.body[0].id, block.body[1].id))
    where = edit.locate(doc.network, relu.id)
    assert (where.parent_id, where.index) == (block.id, 1)
    assert doc.selection == [relu.id]


def test_dragging_a_card_starts_a_node_drag_that_survives_the_rebuild(
    qtbot, make_view, monkeypatch
) -> None:
    view, doc = make_view("cifar-resnet20")
    view.reset_zoom()
    conv1, bn1, relu = doc.network.body[:3]
    view.centerOn(view.item_for(bn1.id).rect.center())
    target = _between(view, conv1.id, bn1.id)
    started: list[str] = []

    class FakeDrag:
        """QDrag whose exec() drops at ``target`` at once (a real one would block)."""

        def __init__(self, source) -> None:
            self.mime = None

        def setMimeData(self, mime) -> None:  # noqa: N802
            self.mime = mime

        def setPixmap(self, pixmap) -> None:  # noqa: N802
            assert not pixmap.isNull()

        def exec(self, action) -> Qt.DropAction:
            started.append(bytes(self.mime.data(NODE_MIME).data()).decode())
            _drop(view, self.mime, target)  # rebuilds the scene under the drag
            return action

    monkeypatch.setattr("resnet_studio.gui.canvas.QDrag", FakeDrag)
    start = view.mapFromScene(view.item_for(relu.id).rect.center())
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, start - QPoint(0, 30))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start - QPoint(0, 30))
    assert started == [relu.id]
    assert [n.name for n in doc.network.body[:3]] == ["conv1", "relu", "bn1"]
    # The canvas still works after its items were replaced mid-drag.
    _click(qtbot, view, view.item_for(conv1.id).rect.center())
    assert doc.selection == [conv1.id]


def test_moving_a_container_into_itself_is_ignored(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    layer2 = doc.network.body[4]
    block = layer2.body[0]
    before = doc.network
    inside = _between(view, block.body[0].id, block.body[1].id)
    mime = _mime(NODE_MIME, layer2.id)

    move = QDragMoveEvent(
        view.mapFromScene(inside),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dragMoveEvent(move)
    assert not move.isAccepted() and not view._indicator.isVisible()
    assert not _drop(view, mime, inside).isAccepted()
    assert not view.drop_mime(mime, inside)  # the document's EditError is swallowed
    assert doc.network is before
    assert doc.undo_stack.count() == 0


# --- selection, activation ------------------------------------------------------------------------


def test_selection_follows_the_document(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    bn1 = doc.network.body[1]
    deep = doc.network.body[5].body[0].body[3]  # layer3's conv2, far down
    doc.select([bn1.id])
    assert view.item_for(bn1.id).isSelected()
    doc.select([deep.id])
    assert not view.item_for(bn1.id).isSelected()
    assert view.item_for(deep.id).isSelected()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.intersects(view.item_for(deep.id).sceneBoundingRect())


def test_selecting_a_hidden_node_expands_its_repeat(make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    layer2 = doc.network.body[4]
    view.set_collapsed(layer2.id, True)
    conv = layer2.body[0].body[0]
    doc.select([conv.id])
    assert not view.is_collapsed(layer2.id)
    assert view.item_for(conv.id).isSelected()


def test_clicks_select_in_the_document(qtbot, make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    view.reset_zoom()
    conv1, bn1, relu = doc.network.body[:3]
    view.centerOn(view.item_for(bn1.id).rect.center())

    _click(qtbot, view, view.item_for(conv1.id).rect.center())
    assert doc.selection == [conv1.id]
    _click(qtbot, view, view.item_for(bn1.id).rect.center(), Qt.KeyboardModifier.ControlModifier)
    assert doc.selection == [conv1.id, bn1.id]
    _click(qtbot, view, view.item_for(relu.id).rect.center(), Qt.KeyboardModifier.ShiftModifier)
    assert doc.selection == [conv1.id, bn1.id, relu.id]

    empty = QPoint(5, view.viewport().height() // 2)
    assert view.itemAt(empty) is None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    assert doc.selection == []


def test_clicking_a_frame_header_selects_the_block(qtbot, make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    view.reset_zoom()
    layer1 = doc.network.body[3]
    header = view.item_for(layer1.id).header_rect()
    view.centerOn(header.center())
    _click(qtbot, view, QPointF(header.center().x() + 60, header.center().y()))
    assert doc.selection == [layer1.id]


def test_rubber_band_selects_cards_inside(qtbot, make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    view.reset_zoom()
    conv1, bn1, relu = doc.network.body[:3]
    view.centerOn(view.item_for(bn1.id).rect.center())
    top_left = view.mapFromScene(QPointF(-40, view.item_for(conv1.id).rect.top() - 6))
    bottom_right = view.mapFromScene(
        QPointF(ci.CARD_W + 60, view.item_for(bn1.id).rect.bottom() + 4)
    )
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=top_left)
    qtbot.mouseMove(viewport, (top_left + bottom_right) / 2)
    qtbot.mouseMove(viewport, bottom_right)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=bottom_right)
    assert doc.selection == [conv1.id, bn1.id]


def test_double_click_activates(qtbot, make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    view.reset_zoom()
    bn1 = doc.network.body[1]
    centre = view.item_for(bn1.id).rect.center()
    view.centerOn(centre)
    with qtbot.waitSignal(view.activated, timeout=1000) as blocker:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(centre))
    assert blocker.args == [bn1.id]


# --- zoom and export -----------------------------------------------------------------------------


def test_zoom_methods(make_view) -> None:
    view, _ = make_view("cifar-resnet20")
    view.reset_zoom()
    assert view.zoom_factor() == 1.0
    view.zoom_in()
    assert view.zoom_factor() == pytest.approx(1.25)
    view.zoom_out()
    view.zoom_out()
    assert view.zoom_factor() == pytest.approx(0.8)
    view.fit_to_view()
    content = view._content_rect()
    assert view.zoom_factor() == pytest.approx(
        min(view.viewport().width() / content.width(), view.viewport().height() / content.height()),
        rel=1e-3,
    )
    for _ in range(50):
        view.zoom_out()
    assert view.zoom_factor() >= 0.05


def test_first_show_fits_small_networks_and_the_width_of_tall_ones(qtbot, make_view) -> None:
    small = s.Network(name="tiny", body=(s.Conv2d(name="conv", out_channels=8),))
    view, _ = make_view(small)
    content = view._content_rect()
    qtbot.waitUntil(lambda: view.zoom_factor() != 1.0 or content.height() < 900)
    assert view.mapToScene(view.viewport().rect()).boundingRect().contains(content)

    view, _ = make_view("cifar-resnet20", size=(300, 500))  # ~1700 px tall
    qtbot.waitUntil(lambda: view.zoom_factor() < 1.0)
    content = view._content_rect()
    assert view.zoom_factor() == pytest.approx(
        max(0.5, view.viewport().width() / content.width()), rel=1e-3
    )
    assert view.verticalScrollBar().value() == view.verticalScrollBar().minimum()  # the top


def test_ctrl_wheel_zooms_and_middle_drag_pans(qtbot, make_view) -> None:
    view, _ = make_view("resnet50")
    view.reset_zoom()
    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(view.viewport().mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom_factor() == pytest.approx(1.15)

    bar = view.verticalScrollBar()
    before = bar.value()
    start = QPoint(300, 600)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.MiddleButton, pos=start)
    qtbot.mouseMove(viewport, QPoint(300, 400))
    qtbot.mouseRelease(viewport, Qt.MouseButton.MiddleButton, pos=QPoint(300, 400))
    assert bar.value() == before + 200


def test_export_png_and_svg(tmp_path, make_view) -> None:
    view, doc = make_view("cifar-resnet20")
    doc.select([doc.network.body[0].id])
    png = tmp_path / "net.png"
    view.export_image(png)
    image = QImage(str(png))
    assert not image.isNull()
    content = view._content_rect()
    assert image.width() == pytest.approx(2 * content.width(), abs=2)
    assert image.pixelColor(2, 2).name() == "#ffffff"
    assert view.item_for(doc.network.body[0].id).isSelected()  # unchanged by the export

    svg = tmp_path / "net.svg"
    view.export_image(svg)
    assert "<svg" in svg.read_text()
    with pytest.raises(ValueError, match="png"):
        view.export_image(tmp_path / "net.jpg")


# --- quick fixes -------------------------------------------------------------------------


def _fixable_network() -> s.Network:
    """A Linear straight after the global pool (needs a Flatten), a block whose identity
    shortcut cannot add (needs option A or B) and a kernel too large (no standard fix)."""
    return s.Network(
        input_shape=(3, 8, 8),
        body=(
            s.Conv2d(name="conv", out_channels=8),
            s.Residual(
                name="block",
                shortcut="identity",
                body=(s.Conv2d(name="conv", out_channels=16, stride=2),),
            ),
            s.GlobalAvgPool(name="avgpool"),
            s.Linear(name="fc"),
        ),
    )


def test_a_card_with_a_fixable_error_offers_its_fixes_behind_one_button(qtbot, make_view) -> None:
    view, doc = make_view(_fixable_network())
    fc = doc.network.body[-1]
    card = view.item_for(fc.id)
    assert card.error and [f.title for f in card.fixes] == ["Insert Flatten before fc"]
    assert "Insert Flatten before fc" in card.toolTip()
    button = card.fix_rect()
    assert button is not None and card.rect.contains(button)
    _click(qtbot, view, button.center())
    assert view.fix_menu.isVisible()
    assert doc.selection == [fc.id]
    [action] = view.fix_menu.actions()
    assert action.text() == "Insert Flatten before fc"
    action.trigger()
    view.fix_menu.close()
    assert [n.kind for n in doc.network.body[-2:]] == ["Flatten", "Linear"]
    assert doc.undo_stack.count() == 1
    assert view.item_for(fc.id).error is None
    doc.undo_stack.undo()
    assert view.item_for(fc.id).fix_rect() is not None


def test_a_block_header_offers_its_fixes_and_so_does_a_right_click(qtbot, make_view) -> None:
    view, doc = make_view(_fixable_network())
    block = doc.network.body[1]
    frame = view.item_for(block.id)
    assert frame.header_rect().contains(frame.fix_rect())
    pos = view.mapFromScene(frame.header_rect().center())
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert view.fix_menu.isVisible()
    titles = [a.text() for a in view.fix_menu.actions()]
    assert titles == ["Zero-padded shortcut (option A)", "Projection shortcut (option B)"]
    view.fix_menu.actions()[0].trigger()
    view.fix_menu.close()
    assert doc.node(block.id).shortcut == "zero-pad"
    assert doc.undo_stack.count() == 1


def test_an_error_without_a_standard_fix_has_no_fix_button(make_view) -> None:
    network = s.Network(
        input_shape=(3, 4, 4), body=(s.Conv2d(name="big", out_channels=8, kernel=9, padding=0),)
    )
    view, doc = make_view(network)
    card = view.item_for(network.body[0].id)
    assert card.error and card.fixes == [] and card.fix_rect() is None
    assert card.badge_rect() is not None  # the ! badge alone


def test_a_group_collapses_to_its_summary_and_expands_from_its_toggle(qtbot, make_view) -> None:
    # An imported VGG's "features": a named Group of many layers.
    features = s.Group(
        name="features",
        body=(
            s.Conv2d(name="0", out_channels=8),
            s.ReLU(name="1"),
            s.MaxPool2d(name="2"),
            s.Conv2d(name="3", out_channels=16),
        ),
    )
    net = s.Network(name="vgg", body=(features, s.GlobalAvgPool(name="pool"), s.Flatten(name="f")))
    view, doc = make_view(net)
    group = doc.network.body[0]
    inner = group.body[0].id
    expanded = QRectF(view.item_for(group.id).rect)

    _click(qtbot, view, view.item_for(group.id).toggle_rect().center())
    frame = view.item_for(group.id)
    assert view.is_collapsed(group.id) and frame.collapsed
    assert view.item_for(inner) is None
    assert (frame.rect.left(), frame.rect.right()) == (expanded.left(), expanded.right())
    assert frame.rect.height() < expanded.height() / 3
    assert frame.summary_text == "4 layers · 3→16 · /2"
    doc.insert(None, 0, s.Identity(name="first"))  # any edit rebuilds the scene
    assert view.is_collapsed(group.id) and view.item_for(inner) is None

    doc.select([inner])  # selecting what it hides opens it
    assert not view.is_collapsed(group.id) and view.item_for(inner).isSelected()
    _click(qtbot, view, view.item_for(group.id).toggle_rect().center())
    assert view.is_collapsed(group.id)
    _click(qtbot, view, view.item_for(group.id).toggle_rect().center())
    assert not view.is_collapsed(group.id) and view.item_for(inner) is not None
