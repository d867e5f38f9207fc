"""The palette lists every catalogue entry by group, drags only keys, and filters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from resnet_studio.arch.catalogue import ENTRIES, GROUPS, LAYER_MIME, make_node
from resnet_studio.arch.kinds import kind_help
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import Network
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.inspector import InspectorWidget
from resnet_studio.gui.palette import PaletteWidget, entry_tooltip


@pytest.fixture
def palette(qtbot) -> PaletteWidget:
    widget = PaletteWidget(NetworkDocument(preset_network("cifar-resnet20")))
    qtbot.addWidget(widget)
    widget.resize(240, 600)
    return widget


def test_every_entry_under_its_group_with_label_tooltip_and_icon(palette) -> None:
    tree = palette.tree
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == list(GROUPS)
    for entry in ENTRIES:
        item = palette.item_for(entry.key)
        assert item.parent() is palette.group_item(entry.group)
        assert item.text(0) == entry.label
        assert item.toolTip(0) == entry_tooltip(entry)
        assert item.toolTip(0).endswith(kind_help(make_node(entry.key)))
        if entry.note:
            assert item.toolTip(0).startswith(entry.note)
        assert not item.icon(0).isNull()
        assert item.flags() & Qt.ItemFlag.ItemIsDragEnabled
    total = sum(tree.topLevelItem(i).childCount() for i in range(tree.topLevelItemCount()))
    assert total == len(ENTRIES)


def test_the_palette_and_the_inspector_explain_a_kind_alike(qtbot, palette) -> None:
    document = NetworkDocument(Network(name="one"))
    inspector = InspectorWidget(document)
    qtbot.addWidget(inspector)
    for entry in ENTRIES:
        node = make_node(entry.key)
        document.set_network(Network(name="one", body=(node,)), "entry")
        document.select([node.id])
        help_text = inspector.help_label.text()
        assert help_text and palette.item_for(entry.key).toolTip(0).endswith(help_text), entry.key


def test_group_headings_cannot_be_dragged(palette) -> None:
    for group in GROUPS:
        flags = palette.group_item(group).flags()
        assert not flags & Qt.ItemFlag.ItemIsDragEnabled
        assert not flags & Qt.ItemFlag.ItemIsSelectable
    assert palette.tree.mimeData([palette.group_item("Layers")]) is None


@pytest.mark.parametrize("key", [e.key for e in ENTRIES])
def test_drag_carries_only_the_key(palette, key) -> None:
    item = palette.item_for(key)
    for mime in (palette.tree.mimeData([item]), palette.mime_data_for(key)):
        assert bytes(mime.data(LAYER_MIME).data()) == key.encode()
        assert mime.text() == item.text(0)
        assert set(mime.formats()) == {LAYER_MIME, "text/plain"}
    assert palette.tree.mimeTypes() == [LAYER_MIME]
    assert palette.tree.dragEnabled()


def test_double_click_asks_to_append(palette, qtbot) -> None:
    palette.show()
    qtbot.waitExposed(palette)
    item = palette.item_for("basic_block")
    palette.tree.scrollToItem(item)
    centre = palette.tree.visualItemRect(item).center()
    viewport = palette.tree.viewport()
    with qtbot.waitSignal(palette.append_requested, timeout=1000) as blocker:
        # A real double click is press, release, then a double-click press: QTest's
        # mouseDClick alone skips the first press, which item views need.
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
    assert blocker.args == ["basic_block"]


def test_double_click_on_a_heading_asks_nothing(palette, qtbot) -> None:
    with qtbot.assertNotEmitted(palette.append_requested):
        palette.tree.itemDoubleClicked.emit(palette.group_item("Blocks"), 0)


def test_enter_asks_to_append(palette, qtbot) -> None:
    palette.show()
    qtbot.waitExposed(palette)
    palette.tree.setCurrentItem(palette.item_for("relu"))
    with qtbot.waitSignal(palette.append_requested, timeout=1000) as blocker:
        qtbot.keyClick(palette.tree, Qt.Key.Key_Return)
    assert blocker.args == ["relu"]


def test_filter_hides_non_matching_entries_and_empty_groups(palette, qtbot) -> None:
    qtbot.keyClicks(palette.filter_edit, "POOL")
    assert palette.visible_keys() == ["maxpool", "avgpool", "globalavgpool", "adaptiveavgpool"]
    assert not palette.group_item("Layers").isHidden()
    assert palette.group_item("Containers").isHidden()
    assert palette.group_item("Blocks").isHidden()

    palette.set_filter("bottleneck")
    assert palette.filter_edit.text() == "bottleneck"
    assert palette.visible_keys() == ["bottleneck", "plain_bottleneck"]

    palette.set_filter("no such layer")
    assert palette.visible_keys() == []

    palette.filter_edit.clear()
    assert palette.visible_keys() == [e.key for e in ENTRIES]
    assert not any(palette.group_item(g).isHidden() for g in GROUPS)


def test_search_field_has_placeholder(palette) -> None:
    assert palette.filter_edit.placeholderText() == "Search layers…"
