"""Help → Keyboard Shortcuts: every command that has keys, under its menu.

The window fills it from its actions, which the action table made
(:mod:`resnet_studio.gui.actions`), so the list cannot drift from the keys
that work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ShortcutsDialog(QDialog):
    """A two-column list (command, keys) grouped by menu; ``rows`` are (menu, command,
    keys) in menu order."""

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bold = self.tree.font()
        bold.setBold(True)
        groups: dict[str, QTreeWidgetItem] = {}
        for menu, command, keys in rows:
            group = groups.get(menu)
            if group is None:
                group = groups[menu] = QTreeWidgetItem(self.tree, [menu])
                group.setFont(0, bold)
                group.setFirstColumnSpanned(True)
            QTreeWidgetItem(group, [command, keys])
        self.tree.expandAll()
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self._fit(len(rows) + len(groups))

    def _fit(self, lines: int) -> None:
        """Tall enough to show every line without scrolling, where the screen allows."""
        row = self.tree.sizeHintForRow(0) if self.tree.topLevelItemCount() else 20
        keys_width = self.tree.fontMetrics().horizontalAdvance("Ctrl+Shift+Backspace, Ctrl+Y")
        width = self.tree.sizeHintForColumn(0) + keys_width + 80
        height = lines * row + self.tree.header().sizeHint().height() + 80
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            height = min(height, int(screen.height() * 0.9))
            width = min(width, int(screen.width() * 0.9))
        self.resize(width, height)

    def rows(self) -> list[tuple[str, str, str]]:
        """What the dialog lists, as (menu, command, keys), in order."""
        found = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                found.append((group.text(0), item.text(0), item.text(1)))
        return found
