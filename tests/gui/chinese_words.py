"""Finding English words in what the window shows, for the zh_CN checks.

Names stay as they are in every language (layer kinds, networks, data sets,
optimisers, the studies' names, file types, units): the allow-list is made from the
program's own tables where it can be.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTextBrowser,
    QTreeWidget,
    QWidget,
)

from resnet_studio.arch.spec import NODE_TYPES
from resnet_studio.training.experiment import BUILT_INS

NAMES = {
    *NODE_TYPES,
    *"SGD Adam AdamW".split(),
    *BUILT_INS,
    *"ResNet Studio VGG CIFAR MNIST Fashion SVHN ImageNet BatchNorm GlobalAvgPool".split(),
    *"CPU GPU CUDA MPS PyTorch Python torchvision torchinfo Nesterov MACs GFLOPs".split(),
    *"PNG SVG CSV ONNX TorchScript JSON json png svg csv onnx pt".split(),
    *"Zhang Ren Sun".split(),  # the paper's authors (He is too short to be taken for a word)
    "English",  # the language's own name, in the language menu
    "max",  # max(0, x)
    *"min sigmoid tanh swish".split(),  # the activations' formulas and names
    *"MobileNet EfficientNet Transformer".split(),  # networks that use them
    "relu",  # the ReLU after a residual addition, named as the function
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


def words_in(text: str, allowed: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The English words of ``text`` (HTML or plain) that are not names."""
    plain = NAMED.sub(" ", html.unescape(re.sub(r"<[^>]+>", " ", text or "")))
    return [w for w in WORD.findall(plain) if w not in NAMES and w not in allowed]


def english_in_texts(
    where: str, texts: list[str], allowed: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """One line per text of ``texts`` that holds English words."""
    found = []
    for text in texts:
        words = words_in(text, allowed)
        if words:
            found.append(f"{where}: {words} in {(text or '').strip()[:80]!r}")
    return found


def english_words(where: str, root: QWidget) -> list[str]:
    """One line per widget under ``root`` (and ``root``) that shows English words."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        found += english_in_texts(f"{where} {type(widget).__name__}", shown_texts(widget))
    return found
