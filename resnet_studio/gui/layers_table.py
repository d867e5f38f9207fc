"""The layers table: every row of the inference summary as a tree, plus totals and problems.

:class:`LayersModel` exposes ``document.summary.rows`` as a tree (a row's
parent is the nearest preceding row with a smaller depth); it rebuilds its
index in one pass on every document change, fast enough for ResNet-1202's
4,209 rows. The summary never holds more than about
:data:`~resnet_studio.arch.inference.MAX_ROWS` rows: past that, further
repetitions of a Repeat are one ``Repeated ×N`` row, so a file that multiplies
to a billion layers opens as quickly as a small one. :class:`LayersView` shows
it with the totals and the problem list and keeps its selection in step with the
document's.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.arch.fixes import problem_fixes
from resnet_studio.arch.inference import FOLDED, Row, format_shape
from resnet_studio.arch.kinds import relabelled
from resnet_studio.formatting import format_count
from resnet_studio.gui.colours import kind_icon
from resnet_studio.gui.core_text import shown, shown_problem
from resnet_studio.gui.document import NetworkDocument
from resnet_studio.gui.quick_fixes import fix_button
from resnet_studio.writing import WriteError, write_atomically

NODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's node id (str)
PATH_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's full path (str)

LAYER, KIND, SHAPE, PARAMS, MACS = range(5)
ERROR_COLOUR = QColor("#C62828")
NOT_COMPUTED_COLOUR = QColor("#8A8A8A")

MAX_PROBLEM_LINES = 5
FIX_ROOM_ROLE = Qt.ItemDataRole.UserRole + 3  # pixels a problem's "Fix…" button covers (int)

ModelIndex = QModelIndex | QPersistentModelIndex


AUTO_EXPAND_LIMIT = 32  # children of a top-level container opened by default


class LayersModel(QAbstractItemModel):
    """The document's summary rows as a tree model (read-only).

    Roles: ``UserRole`` gives raw values (ints for Params and MACs, the
    shape as a list), :data:`NODE_ID_ROLE` the node id, :data:`PATH_ROLE` the
    full path.
    """

    def __init__(self, document: NetworkDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._rows: tuple[Row, ...] = ()
        self._parent: list[int] = []  # row → its parent row (-1: top level)
        self._position: list[int] = []  # row → its position among its siblings
        self._children: dict[int, list[int]] = {}  # row → its child rows
        self._top: list[int] = []  # top-level rows
        self._first_row: dict[str, int] = {}  # node id → its first row
        self._by_path: dict[str, int] = {}
        self._kind_labels: dict[str, str] = {}  # node id → kind shown (a plain block)
        self._headers = (
            self.tr("Layer"),
            self.tr("Kind"),
            self.tr("Output shape"),
            self.tr("Params"),
            self.tr("MACs"),
        )
        self._header_tips = (
            self.tr("The layer's name; hover for its full path"),
            self.tr("The layer's type"),
            self.tr("Output of the layer for one image (channels×height×width or features)"),
            self.tr("Learned parameters"),
            self.tr("Multiply-adds for one image, counted as torchinfo does"),
        )
        self._folded_tip = self.tr(
            "{0}\n{1} more repetitions of {2}, not listed one by one (the table would be "
            "too long); their parameters and multiply-adds are summed here"
        )
        self._not_computed = self.tr("not computed")
        self._not_computed_tip = self.tr("Not computed: an earlier layer has an error")
        self._warning_icon: QIcon | None = None
        self._italic = QFont()
        self._italic.setItalic(True)
        self._build()
        document.changed.connect(self.refresh)

    # --- building ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild from the document's summary."""
        self.beginResetModel()
        self._build()
        self.endResetModel()

    def _build(self) -> None:
        rows = self.document.summary.rows
        count = len(rows)
        parent = [-1] * count
        position = [0] * count
        children: dict[int, list[int]] = {}
        top: list[int] = []
        first_row: dict[str, int] = {}
        by_path: dict[str, int] = {}
        stack: list[int] = []  # the chain of rows that could parent the next one
        for i, row in enumerate(rows):
            depth = row.depth
            while stack and rows[stack[-1]].depth >= depth:
                stack.pop()
            if stack:
                p = stack[-1]
                siblings = children.get(p)
                if siblings is None:
                    siblings = children[p] = []
                parent[i] = p
            else:
                siblings = top
            position[i] = len(siblings)
            siblings.append(i)
            stack.append(i)
            first_row.setdefault(row.node_id, i)
            by_path[row.path] = i
        self._rows = rows
        self._parent = parent
        self._position = position
        self._children = children
        self._top = top
        self._first_row = first_row
        self._by_path = by_path
        self._kind_labels = relabelled(self.document.network)

    # --- lookups for the view -------------------------------------------------------------

    def index_of_row(self, row: int, column: int = 0) -> QModelIndex:
        """The model index of summary row number ``row``."""
        return self.createIndex(self._position[row], column, row)

    def first_index(self, node_id: str) -> QModelIndex:
        """The index of the first row of ``node_id`` (invalid if it has none)."""
        row = self._first_row.get(node_id)
        return QModelIndex() if row is None else self.index_of_row(row)

    def index_for_path(self, path: str) -> QModelIndex:
        """The index of the row with ``path`` (invalid if none)."""
        row = self._by_path.get(path)
        return QModelIndex() if row is None else self.index_of_row(row)

    def top_level_container_rows(self, max_children: int | None = None) -> list[int]:
        """Summary row numbers of the top-level containers (with at most ``max_children``)."""
        return [
            i
            for i in self._top
            if i in self._children
            and (max_children is None or len(self._children[i]) <= max_children)
        ]

    # --- QAbstractItemModel -----------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        siblings = self._top if not parent.isValid() else self._children[parent.internalId()]
        return self.createIndex(row, column, siblings[row])

    def parent(self, child: ModelIndex | None = None) -> QModelIndex | QObject:  # type: ignore[override]
        if child is None:  # QObject.parent()
            return super().parent()
        if not child.isValid():
            return QModelIndex()
        p = self._parent[child.internalId()]
        if p < 0:
            return QModelIndex()
        return self.createIndex(self._position[p], 0, p)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return len(self._top)
        if parent.column() > 0:
            return 0
        return len(self._children.get(parent.internalId(), ()))

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return len(self._headers)

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        return self.rowCount(parent) > 0

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() not in self._children:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tips[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (PARAMS, MACS):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.internalId()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (PARAMS, MACS):
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.error:
                return QBrush(ERROR_COLOUR)
            if not row.computed:
                return QBrush(NOT_COMPUTED_COLOUR)
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._italic if not row.computed else None
        if role == Qt.ItemDataRole.DecorationRole and column == LAYER:
            if row.error:
                return self._warning()
            return kind_icon("Repeat" if row.kind == FOLDED else row.kind)
        if role == Qt.ItemDataRole.UserRole:
            return self._raw(row, column)
        if role == NODE_ID_ROLE:
            return row.node_id
        if role == PATH_ROLE:
            return row.path
        return None

    def _display(self, row: Row, column: int) -> str:
        if column == LAYER:
            return row.path.rpartition(".")[2]
        if column == KIND:
            if row.kind == FOLDED:
                return f"{row.kind} ×{row.repeats:,}"
            return row.kind if row.is_shortcut else self._kind_labels.get(row.node_id, row.kind)
        if column == SHAPE:
            return format_shape(row.output_shape) if row.computed else self._not_computed
        if not row.computed:
            return ""
        return f"{row.params:,}" if column == PARAMS else f"{row.macs:,}"

    def _tooltip(self, row: Row, column: int) -> str | None:
        if row.error:
            error = shown(row.error)
            return f"{row.path}\n{error}" if column == LAYER else error
        if row.kind == FOLDED and column in (LAYER, KIND):
            stage = row.path.rpartition(".")[0]
            return self._folded_tip.format(row.path, f"{row.repeats:,}", stage)
        if column == LAYER:
            return row.path
        if not row.computed:
            return self._not_computed_tip
        if column == MACS and row.macs >= 1000:
            return format_count(row.macs)
        return None

    @staticmethod
    def _raw(row: Row, column: int) -> object:
        if column == LAYER:
            return row.path
        if column == KIND:
            return row.kind
        if column == SHAPE:
            return list(row.output_shape) if row.output_shape else None
        return row.params if column == PARAMS else row.macs

    def _warning(self) -> QIcon:
        if self._warning_icon is None:
            style = QApplication.style()
            self._warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._warning_icon


class LayersView(QWidget):
    """The layers tree with a totals line and, when there are any, the problems.

    Selecting rows selects their nodes in the document; a selection made
    elsewhere selects and reveals the first row of each node here.
    """

    def __init__(self, document: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("layersView")
        self._syncing = False  # True while the view follows the document's selection
        self._restoring = False  # True while expanding rows after a reset
        self._expanded: set[str] = set()  # paths the user expanded
        self._collapsed: set[str] = set()  # top-level containers the user collapsed
        self._scroll = 0

        self.model = LayersModel(document, self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setIndentation(14)
        self._size_columns()

        self.totals_label = QLabel()
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals_label.setContentsMargins(4, 2, 4, 2)

        self.problems_list = QListWidget()
        self.problems_list.setObjectName("problems")
        # One line per problem, elided at the right; the tooltip has the whole message.
        self.problems_list.setWordWrap(False)
        self.problems_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.problems_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems_list.setIconSize(QSize(16, 16))
        self.problems_list.setItemDelegate(_ProblemDelegate(self.problems_list))
        self.problems_list.setToolTip(self.tr("Click a problem to select its layer"))
        self.problems_list.itemClicked.connect(self._on_problem_clicked)
        self.problems_list.itemActivated.connect(self._on_problem_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.problems_list)

        self.tree.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.tree.expanded.connect(self._on_expanded)
        self.tree.collapsed.connect(self._on_collapsed)
        self.model.modelAboutToBeReset.connect(self._before_reset)
        self.model.modelReset.connect(self._after_reset)
        document.changed.connect(self._update_footer)
        document.selection_changed.connect(self._on_document_selection)

        self._after_reset()
        self._update_footer()

    def _size_columns(self) -> None:
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(LAYER, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        metrics = self.tree.fontMetrics()
        # Widths from sample texts, not ResizeToContents: that would measure thousands of rows.
        samples = {
            KIND: "ZeroPadShortcut",
            SHAPE: "2048×224×224",
            PARAMS: "143,667,240",
            MACS: "19,646,923,752",
        }
        for column, sample in samples.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)

    # --- footer ----------------------------------------------------------------------------

    def _update_footer(self) -> None:
        summary = self.document.summary
        self.totals_label.setText(
            self.tr("Total: {0} parameters · {1} multiply-adds · depth {2}").format(
                f"{summary.total_params:,}", format_count(summary.total_macs), summary.depth
            )
        )
        self.totals_label.setToolTip(
            self.tr(
                "{0} parameters\n{1} multiply-adds per image\n"
                "depth: {2} weighted layers (convolutions and Linear, shortcuts not counted)"
            ).format(f"{summary.total_params:,}", f"{summary.total_macs:,}", summary.depth)
        )
        self.problems_list.clear()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        for problem in summary.problems:
            text = shown_problem(problem)
            item = QListWidgetItem(icon, text)
            item.setData(Qt.ItemDataRole.UserRole, problem.node_id)
            item.setToolTip(text)
            self.problems_list.addItem(item)
            fixes = problem_fixes(self.document.network, problem)
            if fixes:
                self._add_fix_button(item, fixes)
        self.problems_list.setVisible(bool(summary.problems))
        self._fit_problems()

    def _add_fix_button(self, item: QListWidgetItem, fixes: list) -> None:
        """A "Fix…" button at the right end of a problem's line; its text stops short of it."""
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 2, 0)
        row.addStretch(1)  # the rest of the line still takes the clicks that select
        button = fix_button(self.document, fixes, self)
        row.addWidget(button)
        item.setData(FIX_ROOM_ROLE, button.sizeHint().width() + 6)
        delegate = self.problems_list.itemDelegate()
        delegate.line_height = max(delegate.line_height, button.sizeHint().height())
        self.problems_list.setItemWidget(item, holder)

    def _fit_problems(self) -> None:
        """Make the problem list as tall as its items, up to five lines; it scrolls beyond."""
        lines = min(max(self.problems_list.count(), 1), MAX_PROBLEM_LINES)
        line = self.problems_list.sizeHintForRow(0)
        if line <= 0:
            line = max(16, self.fontMetrics().height()) + 4
        frame = 2 * self.problems_list.frameWidth()
        self.problems_list.setFixedHeight(lines * line + frame + 2)

    def _on_problem_clicked(self, item: QListWidgetItem) -> None:
        node_id = item.data(Qt.ItemDataRole.UserRole)
        if node_id:
            self.document.select([node_id])
            self._reveal(self.model.first_index(node_id))

    # --- expanded state across resets -----------------------------------------------------------

    def _on_expanded(self, index: QModelIndex) -> None:
        if not self._restoring:
            path = index.data(PATH_ROLE)
            self._expanded.add(path)
            self._collapsed.discard(path)

    def _on_collapsed(self, index: QModelIndex) -> None:
        if not self._restoring:
            path = index.data(PATH_ROLE)
            self._expanded.discard(path)
            self._collapsed.add(path)

    def _before_reset(self) -> None:
        self._scroll = self.tree.verticalScrollBar().value()

    def _after_reset(self) -> None:
        """Expand top-level containers (unless collapsed) and what the user expanded."""
        model = self.model
        self._restoring = True
        try:
            # Open small stages only: laying out ResNet-1202's 200-block stages on every
            # edit would cost more than the edit itself (the user can still open them).
            for row in model.top_level_container_rows(max_children=AUTO_EXPAND_LIMIT):
                index = model.index_of_row(row)
                if index.data(PATH_ROLE) not in self._collapsed:
                    self.tree.expand(index)
            for path in self._expanded:
                index = model.index_for_path(path)
                if index.isValid():
                    self.tree.expand(index)
        finally:
            self._restoring = False
        self._select_nodes(self.document.selection, reveal=False)
        self.tree.verticalScrollBar().setValue(self._scroll)

    # --- selection both ways -------------------------------------------------------------------

    def _selected_ids(self) -> list[str]:
        indexes = sorted(
            self.tree.selectionModel().selectedRows(LAYER), key=lambda i: i.internalId()
        )
        return list(dict.fromkeys(i.data(NODE_ID_ROLE) for i in indexes))

    def _on_view_selection(self, *_args: object) -> None:
        if not self._syncing:
            self.document.select(self._selected_ids())

    def _on_document_selection(self, node_ids: list[str]) -> None:
        if set(node_ids) != set(self._selected_ids()):
            self._select_nodes(node_ids, reveal=True)

    def _select_nodes(self, node_ids: list[str], reveal: bool) -> None:
        """Select the first row of each node; with ``reveal``, scroll to the first one."""
        selection = QItemSelection()
        first = QModelIndex()
        last_column = self.model.columnCount() - 1
        for node_id in node_ids:
            index = self.model.first_index(node_id)
            if not index.isValid():
                continue
            if not first.isValid():
                first = index
            selection.select(index, index.siblingAtColumn(last_column))
        self._syncing = True
        try:
            model = self.tree.selectionModel()
            flags = QItemSelectionModel.SelectionFlag
            model.select(selection, flags.ClearAndSelect | flags.Rows)
            if first.isValid():
                model.setCurrentIndex(first, flags.NoUpdate)
        finally:
            self._syncing = False
        if reveal and first.isValid():
            self._reveal(first)

    def _reveal(self, index: QModelIndex) -> None:
        """Expand the parents of ``index`` and scroll it into view."""
        parent = index.parent()
        chain = []
        while parent.isValid():
            chain.append(parent)
            parent = parent.parent()
        for ancestor in reversed(chain):
            self.tree.expand(ancestor)
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    # --- export ---------------------------------------------------------------------------------

    def to_csv(self, path: str | Path) -> None:
        """Write every row (path, kind, output shape, params, MACs, error) as CSV (UTF-8).

        Written whole or not at all (see :mod:`resnet_studio.writing`); a path that
        cannot be written raises :class:`OSError` with one line naming it.
        """
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(["path", "kind", "output_shape", "params", "macs", "error"])
        for row in self.document.summary.rows:
            shape = format_shape(row.output_shape) if row.output_shape else ""
            error = row.error or ("" if row.computed else "not computed")
            writer.writerow([row.path, row.kind, shape, row.params, row.macs, error])
        try:
            write_atomically(path, text.getvalue().encode("utf-8"))
        except WriteError as err:
            raise OSError(err.args[0]) from None  # the window's export action shows its message


class _ProblemDelegate(QStyledItemDelegate):
    """Draws a problem's text short of its "Fix…" button, so the button hides none of it;
    every line is as tall as the tallest button, so the list keeps one line height."""

    line_height = 0

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), self.line_height))

    def paint(self, painter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        room = index.data(FIX_ROOM_ROLE)
        if room:
            option = QStyleOptionViewItem(option)
            option.rect = option.rect.adjusted(0, 0, -int(room), 0)
        super().paint(painter, option, index)
