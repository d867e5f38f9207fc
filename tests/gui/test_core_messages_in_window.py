"""The window shows the core's messages in its language: the problems list, a layer's
tooltip in the table, the red card on the canvas, the inspector's problem line and
its refusal of a field value. Numbers, shapes and names stay as in the English.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from resnet_studio.arch.spec import (
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    MaxPool2d,
    Network,
    Residual,
)
from resnet_studio.gui.canvas import CanvasView
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.inspector import InspectorWidget
from resnet_studio.gui.layers_table import LayersView

CJK = re.compile(r"[\u4e00-\u9fff]")
MISMATCH_EN = "residual add: body gives 16×4×4, shortcut gives 8×7×7"


@pytest.fixture
def document() -> NetworkDocument:
    """A residual whose body halves the map and doubles the channels, shortcut identity."""
    network = Network(
        input_shape=(3, 8, 8),
        body=(
            Conv2d(name="conv1", out_channels=8),
            MaxPool2d(name="pool", kernel=2, stride=1, padding=0),
            Residual(
                name="block",
                shortcut="identity",
                body=(Conv2d(name="conv2", out_channels=16, stride=2),),
            ),
            GlobalAvgPool(name="gap"),
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )
    return NetworkDocument(network)


def in_chinese(text: str) -> None:
    """``text`` is the residual mismatch in Chinese, with both shapes as in English."""
    assert CJK.search(text), text
    assert "16×4×4" in text and "8×7×7" in text, text
    assert "residual add" not in text and "shortcut" not in text, text


def test_the_english_is_the_check_of_this_network(document) -> None:
    [problem] = document.summary.problems
    assert str(problem).startswith("block: " + MISMATCH_EN)


def test_problems_list_and_table_tooltip(chinese, qtbot, document) -> None:
    view = LayersView(document)
    qtbot.addWidget(view)
    item = view.problems_list.item(0)
    assert item.text().startswith("block: ")
    in_chinese(item.text())
    in_chinese(item.toolTip())
    model = view.model
    block = next(
        model.index(r, 0) for r in range(model.rowCount()) if model.index(r, 0).data() == "block"
    )
    in_chinese(block.data(Qt.ItemDataRole.ToolTipRole))


def test_red_card_and_its_tooltip(chinese, qtbot, document) -> None:
    view = CanvasView(document)
    qtbot.addWidget(view)
    card = view.item_for(document.network.body[2].id)
    in_chinese(card.error)
    in_chinese(card.toolTip())


def test_inspector_problem_line_and_refused_value(chinese, qtbot, document) -> None:
    inspector = InspectorWidget(document)
    qtbot.addWidget(inspector)
    document.select([document.network.body[2].id])
    in_chinese(inspector.node_error_label.text())
    pool = document.network.body[1]
    document.select([pool.id])
    inspector.editor("padding").setValue(2)  # more than half the 2×2 window
    refusal = inspector.error_label("padding").text()
    assert CJK.search(refusal) and ("(1)" in refusal or "（1）" in refusal), refusal
    assert "must" not in refusal and "kernel" not in refusal, refusal
    assert document.node(pool.id).padding == 0
