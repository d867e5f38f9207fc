"""The zh_CN window beyond its widgets: what the canvas draws, the context menus and
the message boxes, read as a user reads them. Names stay English (the allow-list of
tests/gui/chinese_words.py, plus the network's own layer names).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton, QStyleOptionGraphicsItem

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.spec import (
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    MaxPool2d,
    Network,
    Repeat,
    Residual,
    walk,
)
from resnet_studio.gui.language import LanguageMenu
from resnet_studio.gui.main_window import MainWindow
from tests.gui.chinese_words import english_in_texts


class RecordingPainter(QPainter):
    """A real painter that also keeps every text the item draws."""

    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.texts: list[str] = []

    def drawText(self, *args) -> None:  # noqa: N802 - Qt's name
        self.texts += [a for a in args if isinstance(a, str)]
        super().drawText(*args)


def drawn_texts(window: MainWindow) -> list[str]:
    """Every text the canvas's items draw, and their tooltips."""
    image = QImage(400, 400, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    texts = []
    try:
        for item in window.canvas.scene().items():
            item.paint(painter, QStyleOptionGraphicsItem(), None)
            texts.append(item.toolTip())
    finally:
        painter.end()
    return texts + painter.texts


def names_of(network: Network) -> set[str]:
    return {network.name, *(node.name for node in walk(network.body))}


def all_kinds_network() -> Network:
    """A residual mismatch (a red card with its fixes), a plain block, a zero-pad and a
    projection shortcut, and a Repeat."""
    return Network(
        name="mixed",
        input_shape=(3, 8, 8),
        body=(
            Conv2d(name="conv1", out_channels=8),
            MaxPool2d(name="pool", kernel=2, stride=1, padding=0),
            Residual(
                name="block",
                shortcut="identity",
                body=(Conv2d(name="conv2", out_channels=16, stride=2),),
            ),
            Residual(name="plain", shortcut="none", body=(Conv2d(name="conv3", out_channels=16),)),
            Residual(
                name="padded",
                shortcut="zero-pad",
                body=(Conv2d(name="conv4", out_channels=32, stride=2),),
            ),
            Repeat(
                name="stage",
                count=3,
                body=(
                    Residual(
                        name="unit",
                        shortcut="projection",
                        body=(Conv2d(name="conv5", out_channels=64),),
                    ),
                ),
            ),
            GlobalAvgPool(name="gap"),
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )


@pytest.mark.parametrize("network", [all_kinds_network(), preset_network("resnet50")])
def test_canvas_draws_chinese(chinese, qtbot, network) -> None:
    window = MainWindow(network)
    qtbot.addWidget(window)
    texts = drawn_texts(window)
    assert any(text for text in texts)
    found = english_in_texts("canvas", texts, names_of(network))
    if network.name == "mixed":
        repeat = next(n for n in network.body if isinstance(n, Repeat))
        window.canvas.set_collapsed(repeat.id, True)  # its summary line
        found += english_in_texts("collapsed", drawn_texts(window), names_of(network))
    assert not found, "\n".join(found)


@pytest.fixture
def popped(monkeypatch) -> list[QMenu]:
    """The menus the window pops up, instead of showing them."""
    menus: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, *args: menus.append(menu))
    return menus


def menu_texts(menu: QMenu) -> list[str]:
    texts = []
    for action in menu.actions():
        texts += [action.text(), action.toolTip()]
        if action.menu():
            texts += menu_texts(action.menu())
    return texts


def test_fix_menu_is_in_chinese(chinese, qtbot, popped) -> None:
    network = all_kinds_network()
    window = MainWindow(network)
    qtbot.addWidget(window)
    block = next(n for n in network.body if n.name == "block")
    assert window.canvas.show_fixes(block.id, QPoint(0, 0))
    texts = menu_texts(popped[-1])
    assert len([t for t in texts if t]) >= 2, texts
    found = english_in_texts("fix menu", texts, names_of(network))
    assert not found, "\n".join(found)


def test_runs_header_menu_is_in_chinese(chinese, qtbot, popped) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.runs_panel._header_menu(QPoint(0, 0))
    texts = menu_texts(popped[-1])
    assert len([t for t in texts if t]) >= 5, texts
    found = english_in_texts("runs header menu", texts)
    assert not found, "\n".join(found)


@pytest.fixture
def boxes(monkeypatch) -> list[list[str]]:
    """The message boxes the window asks or tells, each as its texts (title, text,
    buttons), built as Qt builds them instead of waiting for an answer."""
    shown: list[list[str]] = []

    def show(icon: QMessageBox.Icon, answer: QMessageBox.StandardButton):
        def instead(parent, title, text, buttons=QMessageBox.StandardButton.Ok, *rest):
            box = QMessageBox(icon, title, text, buttons, parent)
            shown.append(
                [box.windowTitle(), box.text(), *(b.text() for b in box.findChildren(QPushButton))]
            )
            box.deleteLater()
            return answer

        return instead

    cancel = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "warning", show(QMessageBox.Icon.Warning, cancel))
    monkeypatch.setattr(QMessageBox, "critical", show(QMessageBox.Icon.Critical, cancel))
    monkeypatch.setattr(QMessageBox, "information", show(QMessageBox.Icon.Information, cancel))
    monkeypatch.setattr(QMessageBox, "question", show(QMessageBox.Icon.Question, cancel))
    return shown


def test_message_boxes_are_in_chinese(chinese, qtbot, boxes, tmp_path: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    assert not window.open_path(bad)  # Cannot open project
    window.append_layer("conv3x3")
    window.close()  # unsaved changes: Save, Discard, Cancel
    window.quit_application()  # the same, when quitting
    [language] = window.findChildren(LanguageMenu)
    language.aboutToShow.emit()
    english = next(a for a in language.actions() if a.text() == "English")
    english.trigger()  # "applies after a restart"
    assert len(boxes) == 4, boxes
    found = [
        line
        for texts in boxes
        for line in english_in_texts("message box", texts, {"broken", "json", "network"})
    ]
    assert not found, "\n".join(found)
    buttons = [text for texts in boxes[1:3] for text in texts[2:]]
    assert "保存" in "".join(buttons) and "取消" in "".join(buttons), buttons
