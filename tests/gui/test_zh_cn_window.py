"""The window in Simplified Chinese shows no English word beyond names: every menu, dock
and dialog as it opens, read the way a user reads it (labels, buttons, tooltips,
table headers, list entries).

Names stay as they are in every language (layer kinds, networks, data sets,
optimisers, the studies' names, file types, units): the allow-list is made from the
program's own tables where it can be. What a dialog shows only later (a run's curves,
a problem's message from the Qt-free core) is left to the tests of those parts.
"""

from __future__ import annotations

import html
import re

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QTextBrowser,
    QTreeWidget,
    QWidget,
)

from resnet_studio.arch.spec import NODE_TYPES
from resnet_studio.gui.main_window import MainWindow
from resnet_studio.training.experiment import BUILT_INS

NAMES = {
    *NODE_TYPES,
    *"SGD Adam AdamW".split(),
    *BUILT_INS,
    *"ResNet Studio VGG CIFAR MNIST Fashion SVHN ImageNet BatchNorm GlobalAvgPool".split(),
    *"CPU GPU CUDA MPS PyTorch torchvision torchinfo Nesterov MACs GFLOPs".split(),
    *"PNG SVG CSV ONNX TorchScript json png svg csv onnx pt".split(),
    *"Zhang Ren Sun".split(),  # the paper's authors (He is too short to be taken for a word)
    "English",  # the language's own name, in the language menu
    "max",  # max(0, x)
    *"min sigmoid tanh swish".split(),  # the activations' formulas and names
    *"MobileNet EfficientNet Transformer".split(),  # networks that use them
    "top",  # top-1, top-5
    "Ctrl",
    "Shift",
    "Fig",
    "Esc",
}
# Names of several words: the paper's title, commands of the command line (which stays
# English, shown in the guide).
NAMED = re.compile(r"Deep Residual Learning for Image Recognition|resnet-studio [a-z ]+")
# A word: letters only, not part of a name with digits, dots or slashes (cifar10-subset/,
# report.json, conv1, /tmp/data).
WORD = re.compile(r"(?<![\w./-])[A-Za-z]{3,}(?![\w./-]|-\d)")


def shown_texts(widget: QWidget) -> list[str]:
    """What ``widget`` shows or tells on hover."""
    texts = [widget.toolTip()]
    if isinstance(widget, (QLabel, QAbstractButton)):
        texts.append(widget.text())
    if isinstance(widget, QGroupBox):
        texts.append(widget.title())
    if isinstance(widget, QDockWidget):
        texts.append(widget.windowTitle())
    if isinstance(widget, QLineEdit):
        texts.append(widget.placeholderText())  # its text is the user's (a name, a path)
    if isinstance(widget, QComboBox):
        texts += [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QTabBar):
        for i in range(widget.count()):
            texts += [widget.tabText(i), widget.tabToolTip(i)]
    if isinstance(widget, QTextBrowser):
        texts.append(widget.toPlainText())
    if isinstance(widget, QTreeWidget):
        items = [widget.invisibleRootItem()]
        while items:
            item = items.pop()
            for i in range(item.childCount()):
                child = item.child(i)
                items.append(child)
                texts += [child.text(0), child.toolTip(0)]
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        try:
            columns = model.columnCount(QModelIndex())
        except TypeError:  # a list model: no header worth reading
            columns = 0
        for column in range(columns):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                texts.append(str(model.headerData(column, Qt.Orientation.Horizontal, role) or ""))
    for action in widget.actions():
        texts += [action.text(), action.toolTip()]
    return texts


def english_words(where: str, root: QWidget) -> list[str]:
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        for text in shown_texts(widget):
            plain = NAMED.sub(" ", html.unescape(re.sub(r"<[^>]+>", " ", text or "")))
            words = [w for w in WORD.findall(plain) if w not in NAMES]
            if words:
                found.append(f"{where} {type(widget).__name__}: {words} in {plain.strip()[:80]!r}")
    return found


def test_window_menus_and_docks_are_in_chinese(chinese, qtbot) -> None:
    window = MainWindow()
    window.show()
    qtbot.waitExposed(window)
    found = english_words("window", window)
    for menu in window.findChildren(QMenu):
        menu.aboutToShow.emit()  # fills the recent files and the language choice
        found += english_words(f"menu {menu.title()}", menu)
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "opens", ["train", "new_experiment", "show_guide", "show_welcome", "show_shortcuts"]
)
def test_dialogs_are_in_chinese(chinese, qtbot, opens) -> None:
    window = MainWindow()
    window.show()
    qtbot.waitExposed(window)
    before = set(QApplication.topLevelWidgets())
    getattr(window, opens)()
    dialogs = [
        w for w in QApplication.topLevelWidgets() if w not in before and isinstance(w, QDialog)
    ]
    assert dialogs, f"{opens} opened no dialog"
    found = [line for dialog in dialogs for line in english_words(opens, dialog)]
    for dialog in dialogs:
        dialog.close()
    assert not found, "\n".join(found)


def test_preset_dialog_is_in_chinese(chinese, qtbot, monkeypatch) -> None:
    found = []

    def read_instead_of_waiting(dialog: QDialog) -> int:
        found.extend(english_words("preset", dialog))
        return 0  # cancelled

    monkeypatch.setattr(QDialog, "exec", read_instead_of_waiting)
    window = MainWindow()
    window.new_from_preset()
    assert not found, "\n".join(found)
