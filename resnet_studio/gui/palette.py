"""The palette: catalogue entries grouped as Layers, Containers and Blocks.

Dragging an entry carries only its registry key under :data:`LAYER_MIME`
(whoever receives the drop builds the node with ``make_node``); a double
click asks the window to append the entry. The palette never edits the
document itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QCoreApplication, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.arch.catalogue import ENTRIES, GROUPS, LAYER_MIME, Entry, make_node
from resnet_studio.arch.kinds import kind_help
from resnet_studio.gui.colours import kind_icon
from resnet_studio.gui.document import NetworkDocument

KEY_ROLE = Qt.ItemDataRole.UserRole  # the registry key of an entry item (None on groups)


def entry_tooltip(entry: Entry) -> str:
    """What the entry adds to its kind (if anything), then what the kind does."""
    parts = (
        QCoreApplication.translate("catalogue", entry.note) if entry.note else "",
        QCoreApplication.translate("kinds", kind_help(make_node(entry.key))),
    )
    return "\n\n".join(part for part in parts if part)


def mime_data_for(key: str, label: str = "") -> QMimeData:
    """The drag payload for palette entry ``key``: the key as bytes under LAYER_MIME."""
    mime = QMimeData()
    mime.setData(LAYER_MIME, QByteArray(key.encode("utf-8")))
    if label:
        mime.setText(label)
    return mime


class _PaletteTree(QTreeWidget):
    """The tree of entries; drags carry only the registry key."""

    activated_key = Signal(str)

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        return [LAYER_MIME]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData | None:  # noqa: N802
        keyed = [item for item in items if item.data(0, KEY_ROLE)]
        if not keyed:
            return None
        item = keyed[0]  # single selection: one entry per drag
        return mime_data_for(item.data(0, KEY_ROLE), item.text(0))

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        item = self.currentItem()
        key = item.data(0, KEY_ROLE) if item else None
        if key and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_key.emit(key)
            return
        super().keyPressEvent(event)


class PaletteWidget(QWidget):
    """Catalogue entries to drag onto the canvas, with a search field on top.

    Signals:
        append_requested(str): the registry key of an entry the user
            double-clicked (or pressed Enter on); the window appends it.
    """

    append_requested = Signal(str)

    def __init__(self, document: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document  # kept for symmetry with the other panels; never edited here
        self.setObjectName("palette")

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Search layers…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(self.tr("Show only the entries whose name contains this text"))
        self.filter_edit.textChanged.connect(self.set_filter)

        self.tree = _PaletteTree()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(8)
        self.tree.setIconSize(QSize(18, 18))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setItemsExpandable(False)
        self.tree.itemDoubleClicked.connect(self._on_double_clicked)
        self.tree.activated_key.connect(self.append_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree)

        self._groups: dict[str, QTreeWidgetItem] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self._search_text: dict[str, str] = {}
        self._populate()

    # --- building --------------------------------------------------------------

    def _populate(self) -> None:
        bold = self.tree.font()
        bold.setBold(True)
        # Roomier rows than the default: these are drag handles, easy to grab.
        row_height = max(24, self.tree.fontMetrics().height() + 10)
        for group in GROUPS:
            group_item = QTreeWidgetItem([QCoreApplication.translate("catalogue", group)])
            group_item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable, no drag
            group_item.setFont(0, bold)
            group_item.setSizeHint(0, QSize(0, row_height + 4))
            self.tree.addTopLevelItem(group_item)
            self._groups[group] = group_item
        for entry in ENTRIES:
            label = QCoreApplication.translate("catalogue", entry.label)
            tooltip = entry_tooltip(entry)
            kind = make_node(entry.key).kind
            item = QTreeWidgetItem([label])
            item.setData(0, KEY_ROLE, entry.key)
            item.setToolTip(0, tooltip)
            item.setStatusTip(0, tooltip)
            item.setIcon(0, kind_icon(kind, block=entry.group == "Blocks"))
            item.setSizeHint(0, QSize(0, row_height))
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
            self._groups[entry.group].addChild(item)
            self._items[entry.key] = item
            self._search_text[entry.key] = " ".join((label, entry.label, entry.key, kind)).lower()
        self.tree.expandAll()

    # --- public ------------------------------------------------------------------

    def item_for(self, key: str) -> QTreeWidgetItem:
        """The tree item of entry ``key``."""
        return self._items[key]

    def group_item(self, group: str) -> QTreeWidgetItem:
        """The heading item of ``group`` (one of catalogue.GROUPS)."""
        return self._groups[group]

    def mime_data_for(self, key: str) -> QMimeData:
        """The drag payload of entry ``key`` (what a drag from this palette carries)."""
        return mime_data_for(key, self._items[key].text(0))

    def set_filter(self, text: str) -> None:
        """Show only entries whose label, key or kind contains ``text`` (case-insensitive)."""
        if self.filter_edit.text() != text:
            self.filter_edit.setText(text)  # re-enters through textChanged
            return
        needle = text.strip().lower()
        for key, item in self._items.items():
            item.setHidden(bool(needle) and needle not in self._search_text[key])
        for group_item in self._groups.values():
            children = (group_item.child(i) for i in range(group_item.childCount()))
            group_item.setHidden(all(child.isHidden() for child in children))

    def visible_keys(self) -> list[str]:
        """Keys of the entries the filter leaves visible, in palette order."""
        return [
            key
            for key, item in self._items.items()
            if not item.isHidden() and not item.parent().isHidden()
        ]

    # --- slots ---------------------------------------------------------------------

    def _on_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        key = item.data(0, KEY_ROLE)
        if key:
            self.append_requested.emit(key)
