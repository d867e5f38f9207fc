"""The layers table: a correct tree model, totals, problems, selection both ways, CSV."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtWidgets import QToolButton

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import (
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    MaxPool2d,
    Network,
    ReLU,
    Residual,
)
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.layers_table import (
    ERROR_COLOUR,
    FIX_ROOM_ROLE,
    MACS,
    NODE_ID_ROLE,
    PARAMS,
    PATH_ROLE,
    SHAPE,
    LayersModel,
    LayersView,
)


def broken_network() -> Network:
    """A residual whose shapes differ, then a pool that does not fit: errors + not computed."""
    return Network(
        input_shape=(3, 8, 8),
        body=(
            Conv2d(name="conv1", out_channels=16),
            Residual(
                name="block",
                shortcut="identity",
                body=(Conv2d(name="conv", out_channels=32, stride=2),),
            ),
            MaxPool2d(name="pool", kernel=8, stride=8),
            ReLU(name="relu"),
            GlobalAvgPool(name="avgpool"),
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )


def all_indexes(model, parent: QModelIndex = QModelIndex()):  # noqa: B008
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from all_indexes(model, index)


def find(model, path: str) -> QModelIndex:
    return next(i for i in all_indexes(model) if i.data(PATH_ROLE) == path)


@pytest.fixture
def document() -> NetworkDocument:
    return NetworkDocument(preset_network("cifar-resnet20"))


@pytest.fixture
def view(qtbot, document) -> LayersView:
    widget = LayersView(document)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    return widget


@pytest.mark.parametrize("make", [lambda: preset_network("cifar-resnet20"), broken_network])
def test_model_passes_the_model_tester(qapp, qtmodeltester, make) -> None:
    model = LayersModel(NetworkDocument(make()))
    qtmodeltester.check(model)


def test_tree_matches_the_summary(qapp, document) -> None:
    model = LayersModel(document)
    rows = document.summary.rows
    indexes = list(all_indexes(model))
    assert [i.data(PATH_ROLE) for i in indexes] == [r.path for r in rows]  # depth first = order
    assert model.rowCount() == sum(1 for r in rows if r.depth == 0) == 9
    layer1 = find(model, "layer1")
    assert model.rowCount(layer1) == 3
    block = find(model, "layer1.0")
    assert model.rowCount(block) == 6  # five layers and the zero-padded shortcut
    assert model.index(5, 0, block).data() == "shortcut"
    assert block.parent() == layer1
    assert model.rowCount(find(model, "layer1.0.conv1")) == 0


def test_cell_texts_alignment_and_raw_values(qapp, document) -> None:
    model = LayersModel(document)
    conv = find(model, "layer2.0.conv1")
    assert conv.data() == "conv1"
    assert conv.data(Qt.ItemDataRole.ToolTipRole) == "layer2.0.conv1"
    assert conv.siblingAtColumn(1).data() == "Conv2d"
    assert conv.siblingAtColumn(SHAPE).data() == "32×16×16"
    assert conv.siblingAtColumn(PARAMS).data() == "4,608"
    assert conv.siblingAtColumn(MACS).data() == "1,179,648"
    assert conv.siblingAtColumn(PARAMS).data(Qt.ItemDataRole.UserRole) == 4608
    assert conv.siblingAtColumn(MACS).data(Qt.ItemDataRole.UserRole) == 1_179_648
    alignment = conv.siblingAtColumn(MACS).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert isinstance(conv.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert conv.data(NODE_ID_ROLE) == document.summary.rows[find_row(document, conv)].node_id


def find_row(document, index) -> int:
    return next(i for i, r in enumerate(document.summary.rows) if r.path == index.data(PATH_ROLE))


def test_errors_are_red_with_tooltip_and_icon_and_later_rows_not_computed(qapp) -> None:
    document = NetworkDocument(broken_network())
    model = LayersModel(document)
    block = find(model, "block")
    message = block.data(Qt.ItemDataRole.ToolTipRole)
    assert "residual add" in message
    for column in range(model.columnCount()):
        cell = block.siblingAtColumn(column)
        brush = cell.data(Qt.ItemDataRole.ForegroundRole)
        assert isinstance(brush, QBrush) and brush.color() == ERROR_COLOUR
        assert "residual add" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert isinstance(block.data(Qt.ItemDataRole.DecorationRole), QIcon)
    pool = find(model, "pool")
    assert "does not fit" in pool.data(Qt.ItemDataRole.ToolTipRole)

    relu = find(model, "relu")
    assert relu.siblingAtColumn(SHAPE).data() == "not computed"
    assert relu.siblingAtColumn(PARAMS).data() == ""
    assert relu.data(Qt.ItemDataRole.FontRole).italic()
    assert relu.data(Qt.ItemDataRole.ForegroundRole).color() != ERROR_COLOUR

    ok = find(model, "conv1")
    assert ok.data(Qt.ItemDataRole.ForegroundRole) is None
    assert ok.data(Qt.ItemDataRole.FontRole) is None


def test_totals_line(view) -> None:
    assert view.totals_label.text() == (
        "Total: 269,722 parameters · 40.6 M multiply-adds · depth 20"
    )
    assert "40,552,426" in view.totals_label.toolTip()


def test_problems_list_hidden_without_problems_and_selects_on_click(qtbot, view) -> None:
    assert view.problems_list.isHidden()
    document = NetworkDocument(broken_network())
    broken = LayersView(document)
    qtbot.addWidget(broken)
    problems = document.summary.problems
    assert not broken.problems_list.isHidden()
    texts = [broken.problems_list.item(i).text() for i in range(broken.problems_list.count())]
    assert texts == [str(p) for p in problems]
    assert any("residual add" in t for t in texts)
    assert not broken.problems_list.item(0).icon().isNull()

    broken.problems_list.itemClicked.emit(broken.problems_list.item(0))
    assert document.selection == [problems[0].node_id]
    current = broken.tree.currentIndex()
    assert current.data(NODE_ID_ROLE) == problems[0].node_id


def test_selecting_rows_selects_nodes(view, document) -> None:
    model = view.model
    conv = find(model, "layer1.1.conv1")
    view.tree.selectionModel().select(
        conv,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    conv_id = conv.data(NODE_ID_ROLE)
    assert document.selection == [conv_id]
    # The same node's first row is layer1.0.conv1, but the user's row stays selected.
    selected = view.tree.selectionModel().selectedRows()
    assert [i.data(PATH_ROLE) for i in selected] == ["layer1.1.conv1"]

    bn = find(model, "bn1")
    view.tree.selectionModel().select(
        bn,
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert set(document.selection) == {conv_id, bn.data(NODE_ID_ROLE)}


def test_document_selection_selects_and_reveals_first_row(view, document, qtbot) -> None:
    view.show()
    qtbot.waitExposed(view)
    layer3 = next(n for n in document.network.body if n.name == "layer3")
    conv2 = layer3.body[0].body[3]
    document.select([conv2.id])
    selected = view.tree.selectionModel().selectedRows()
    assert [i.data(PATH_ROLE) for i in selected] == ["layer3.0.conv2"]
    assert view.tree.isExpanded(find(view.model, "layer3.0"))
    assert view.tree.isExpanded(find(view.model, "layer3"))
    assert view.tree.visualRect(selected[0]).intersects(view.tree.viewport().rect())

    document.select([])
    assert view.tree.selectionModel().selectedRows() == []


def test_document_edit_updates_model_and_keeps_expanded_rows(view, document) -> None:
    model = view.model
    layer1 = next(n for n in document.network.body if n.name == "layer1")
    block = find(model, "layer1.2")
    view.tree.expand(block)
    view.tree.collapse(find(model, "layer2"))
    assert view.tree.isExpanded(find(model, "layer1"))  # top-level containers start open

    document.set_field(layer1.id, "count", 5)
    assert model.rowCount(find(model, "layer1")) == 5
    assert len(list(all_indexes(model))) == len(document.summary.rows)
    assert view.tree.isExpanded(find(model, "layer1.2"))
    assert not view.tree.isExpanded(find(model, "layer2"))
    assert view.tree.isExpanded(find(model, "layer3"))
    assert view.totals_label.text().startswith(f"Total: {document.summary.total_params:,} ")

    document.undo_stack.undo()
    assert model.rowCount(find(model, "layer1")) == 3


def test_selection_survives_an_edit(view, document) -> None:
    conv = next(n for n in document.network.body if n.name == "conv1")
    document.select([conv.id])
    document.set_field(conv.id, "out_channels", 8)
    selected = view.tree.selectionModel().selectedRows()
    assert [i.data(PATH_ROLE) for i in selected] == ["conv1"]


def test_csv(view, document, tmp_path) -> None:
    target = tmp_path / "layers.csv"
    view.to_csv(target)
    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    summary = document.summary.rows
    assert len(rows) == len(summary) == 72
    assert list(rows[0]) == ["path", "kind", "output_shape", "params", "macs", "error"]
    assert rows[0] == {
        "path": "conv1",
        "kind": "Conv2d",
        "output_shape": "16×32×32",
        "params": "432",
        "macs": "442368",
        "error": "",
    }
    assert sum(int(r["params"]) for r in rows if "." not in r["path"]) == 269_722


def test_csv_with_errors(qtbot, tmp_path) -> None:
    document = NetworkDocument(broken_network())
    view = LayersView(document)
    qtbot.addWidget(view)
    target = tmp_path / "broken.csv"
    view.to_csv(target)
    with open(target, newline="", encoding="utf-8") as handle:
        rows = {r["path"]: r for r in csv.DictReader(handle)}
    assert "residual add" in rows["block"]["error"]
    assert rows["relu"]["error"] == "not computed"
    assert rows["relu"]["output_shape"] == ""


def test_resnet1202_builds(qtbot) -> None:
    document = NetworkDocument(preset_network("cifar-resnet1202"))
    view = LayersView(document)
    qtbot.addWidget(view)
    model = view.model
    assert len(document.summary.rows) == 4209
    assert sum(1 for _ in all_indexes(model)) == 4209
    assert model.rowCount(find(model, "layer2")) == 200
    assert view.totals_label.text() == (
        "Total: 19,421,274 parameters · 2.83 G multiply-adds · depth 1202"
    )


def test_a_problem_with_a_standard_fix_has_a_fix_button(qtbot) -> None:
    document = NetworkDocument(broken_network())
    broken = LayersView(document)
    qtbot.addWidget(broken)
    broken.resize(900, 300)
    broken.show()
    qtbot.waitExposed(broken)
    problems = broken.problems_list
    assert problems.count() == 2  # the residual (fixable) and the pool (no standard fix)
    block_item, pool_item = problems.item(0), problems.item(1)
    assert problems.itemWidget(pool_item) is None
    button = problems.itemWidget(block_item).findChild(QToolButton)
    assert button.text() == "Fix…"
    titles = [a.text() for a in button.menu().actions()]
    assert titles == ["Zero-padded shortcut (option A)", "Projection shortcut (option B)"]
    # The text stops short of the button, and the rest of the line still selects.
    room = block_item.data(FIX_ROOM_ROLE)
    assert room >= button.width()
    line = problems.visualItemRect(block_item)
    qtbot.mouseClick(problems.viewport(), Qt.MouseButton.LeftButton, pos=line.center())
    block = document.network.body[1]
    assert document.selection == [block.id]

    button.menu().actions()[1].trigger()
    assert document.node(block.id).shortcut == "auto"
    assert document.undo_stack.count() == 1
    assert [p.path for p in document.summary.problems] == ["pool"]
    assert problems.count() == 1 and problems.itemWidget(problems.item(0)) is None
