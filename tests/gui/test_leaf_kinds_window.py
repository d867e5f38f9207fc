"""ReLU6, SiLU, GELU, AdaptiveAvgPool2d and the pools' ceil mode in the window: palette
entries, inspector fields that edit and validate, canvas cards and table rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox

from resnet_studio.arch.catalogue import BY_KEY, make_node
from resnet_studio.arch.spec import (
    GELU,
    AdaptiveAvgPool2d,
    AvgPool2d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool2d,
    Network,
    ReLU6,
    SiLU,
)
from resnet_studio.gui.canvas import CanvasView
from resnet_studio.gui.canvas_layout import layer_settings
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.inspector import InspectorWidget
from resnet_studio.gui.language import install_translators
from resnet_studio.gui.layers_table import LayersModel
from resnet_studio.gui.palette import KEY_ROLE, PaletteWidget
from tests.gui.translation_sources import ZH_CN_QM


def leaves_network() -> Network:
    return Network(
        input_shape=(3, 9, 9),
        classes=4,
        body=(
            Conv2d(name="conv", out_channels=8),
            ReLU6(name="relu6"),
            MaxPool2d(name="maxpool", kernel=2, stride=2, ceil_mode=True),
            SiLU(name="silu"),
            AvgPool2d(name="avgpool", kernel=3, stride=1, padding=1, count_include_pad=False),
            GELU(name="gelu", approximate="tanh"),
            AdaptiveAvgPool2d(name="adaptive", output_size=7),
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )


def by_name(document: NetworkDocument, name: str):
    return next(n for n in document.network.body if n.name == name)


@pytest.fixture
def document() -> NetworkDocument:
    return NetworkDocument(leaves_network())


@pytest.fixture
def inspector(qtbot, document) -> InspectorWidget:
    widget = InspectorWidget(document)
    qtbot.addWidget(widget)
    widget.resize(320, 700)
    return widget


def test_palette_groups_them_with_the_activations_and_pools(qtbot, document) -> None:
    palette = PaletteWidget(document)
    qtbot.addWidget(palette)
    layers = palette.group_item("Layers")
    keys = [layers.child(i).data(0, KEY_ROLE) for i in range(layers.childCount())]
    assert keys.index("relu6") == keys.index("leakyrelu") + 1
    assert keys[keys.index("relu6") : keys.index("relu6") + 3] == ["relu6", "silu", "gelu"]
    assert keys.index("adaptiveavgpool") == keys.index("globalavgpool") + 1
    palette.set_filter("adaptive")
    assert palette.visible_keys() == ["adaptiveavgpool"]
    palette.set_filter("AdaptiveAvgPool2d")  # the kind finds it too
    assert palette.visible_keys() == ["adaptiveavgpool"]
    assert make_node("adaptiveavgpool").output_size == 7
    assert "VGG" in BY_KEY["adaptiveavgpool"].note


def test_gelu_approximation_is_a_choice_of_torchs_two(inspector, document) -> None:
    gelu = by_name(document, "gelu")
    document.select([gelu.id])
    combo = inspector.editor("approximate")
    assert isinstance(combo, QComboBox)
    assert [combo.itemData(i) for i in range(combo.count())] == ["none", "tanh"]
    assert combo.currentData() == "tanh"
    combo.setCurrentIndex(combo.findData("none"))
    assert document.node(gelu.id).approximate == "none"
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert combo.currentData() == "tanh"
    label = inspector.fields.form.labelForField(combo)
    assert label.text() == "Approximation"
    assert "tanh" in combo.toolTip()


def test_pool_check_boxes_edit_and_a_pool_that_stops_fitting_says_why(qtbot) -> None:
    # 1×1 input: a 2×2 window only fits when ceil mode counts the overhanging one.
    document = NetworkDocument(
        Network(
            input_shape=(3, 1, 1),
            classes=3,
            body=(MaxPool2d(name="pool", ceil_mode=True), Flatten(name="flatten")),
        )
    )
    inspector = InspectorWidget(document)
    qtbot.addWidget(inspector)
    pool = document.network.body[0]
    document.select([pool.id])
    assert "count_include_pad" not in inspector.fields.editors  # a max pool has no mean
    box = inspector.editor("ceil_mode")
    assert isinstance(box, QCheckBox) and box.isChecked()
    assert inspector.fields.form.labelForField(box).text() == "Ceil mode"
    assert document.summary.ok
    box.setChecked(False)
    assert document.node(pool.id).ceil_mode is False
    assert document.undo_stack.count() == 1
    [problem] = document.summary.problems
    assert "window 2×2 does not fit the input 1×1" in problem.message
    assert not inspector.node_error_label.isHidden()
    assert "does not fit" in inspector.node_error_label.text()
    document.undo_stack.undo()
    assert box.isChecked() and document.summary.ok


def test_count_include_pad_shows_on_average_pools(inspector, document) -> None:
    pool = by_name(document, "avgpool")
    document.select([pool.id])
    box = inspector.editor("count_include_pad")
    assert isinstance(box, QCheckBox) and not box.isChecked()
    assert inspector.fields.form.labelForField(box).text() == "Count padding"
    box.setChecked(True)
    assert document.node(pool.id).count_include_pad is True
    assert isinstance(inspector.editor("ceil_mode"), QCheckBox)


def test_adaptive_output_size_edits_the_shape_and_refuses_zero(inspector, document, qtbot) -> None:
    pool = by_name(document, "adaptive")
    document.select([pool.id])
    spin = inspector.editor("output_size")
    assert (spin.limits, spin.value()) == ((1, 8192), 7)
    assert "8×7×7" in inspector.stats_label.text()
    spin.setValue(3)
    assert document.node(pool.id).output_size == 3
    assert "8×3×3" in inspector.stats_label.text()
    assert document.summary.ok
    inspector.show()
    qtbot.waitExposed(inspector)
    spin.selectAll()
    qtbot.keyClicks(spin, "0")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert document.node(pool.id).output_size == 3
    assert inspector.error_label("output_size").text() == (
        "Output size must be from 1 to 8,192, got 0"
    )


def test_canvas_cards_name_the_settings(qtbot, document) -> None:
    assert layer_settings(by_name(document, "maxpool"), 4) == "2×2 /2, ceil"
    assert layer_settings(by_name(document, "avgpool"), 4) == "3×3"  # too narrow for more
    assert layer_settings(by_name(document, "gelu"), 4) == "tanh"
    assert layer_settings(GELU(name="g"), 4) == ""
    assert layer_settings(by_name(document, "adaptive"), 4) == "→ 7×7"
    assert layer_settings(by_name(document, "relu6"), 4) == ""
    view = CanvasView(document)
    qtbot.addWidget(view)
    card = view.item_for(by_name(document, "adaptive").id)
    assert card.label() == "adaptive  → 7×7"
    assert card.shape_text == "8×7×7"
    assert view.item_for(by_name(document, "maxpool").id).shape_text == "8×5×5"  # ceil(9/2)


def test_layers_table_lists_their_kinds_and_shapes(qapp, document) -> None:
    model = LayersModel(document)
    kinds = {
        model.index(row, 0).data(): model.index(row, 1).data() for row in range(model.rowCount())
    }
    assert kinds["relu6"] == "ReLU6"
    assert kinds["silu"] == "SiLU"
    assert kinds["gelu"] == "GELU"
    assert kinds["adaptive"] == "AdaptiveAvgPool2d"


@pytest.fixture
def chinese_here(qapp) -> Iterator[None]:
    """The window in Chinese from this checkout's ``.qm`` (the installed package's
    resources may be another checkout's, which lacks these texts)."""
    translators = install_translators(qapp, "zh_CN", own_folder=ZH_CN_QM.parent)
    assert translators
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def test_chinese_labels_for_the_new_fields(chinese_here, qtbot, document) -> None:
    inspector = InspectorWidget(document)
    qtbot.addWidget(inspector)
    document.select([by_name(document, "avgpool").id])
    labels = {
        field: inspector.fields.form.labelForField(inspector.editor(field)).text()
        for field in ("ceil_mode", "count_include_pad")
    }
    assert labels == {"ceil_mode": "向上取整", "count_include_pad": "计入填充"}
    document.select([by_name(document, "gelu").id])
    combo = inspector.editor("approximate")
    assert [combo.itemText(i) for i in range(combo.count())] == ["无", "tanh"]
