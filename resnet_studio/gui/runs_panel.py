"""The runs panel: every run, live and past, with its progress and what can be done to it.

A table over the controller's :class:`RunsModel` (the Name column's check box
shows or hides a run in the plots), a progress bar with epoch and time left,
and buttons for Train, Stop, Resume, Delete, Open Folder and Export. Below the
table, the selected run's folder, or why it failed or is damaged (a damaged run
can only be opened or deleted).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSettings,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.gui.column_widths import ColumnFitter
from resnet_studio.gui.core_text import shown
from resnet_studio.gui.full_version_box import refused_without_torch
from resnet_studio.gui.runs_model import (
    BEST_VAL,
    COLUMNS,
    DATA,
    IMAGES_PER_S,
    NAME,
    NETWORK,
    PARAMS,
    PROGRESS,
    STATUS,
    TEST_ERROR,
    TIME,
    TRAIN_ERROR,
    VAL_ERROR,
    RunEntry,
    RunsModel,
    status_word,
)
from resnet_studio.gui.training import TrainingController
from resnet_studio.model.files import FORMAT_SUFFIXES
from resnet_studio.training.history import RESUMABLE
from resnet_studio.training.runs import CHECKPOINT_FILE

EXPORT_FILTERS = {
    "TorchScript (*.pt)": ("torchscript", ".pt"),
    "Checkpoint (*.pt)": ("checkpoint", ".pt"),
    "ONNX (*.onnx)": ("onnx", ".onnx"),
}


def ask_export_path(parent: QWidget, title: str, suggested: Path) -> tuple[Path, str] | None:
    """Ask where to export a model: the file and its format (by the file type chosen; the
    format's ending added when the name lacks it); None when cancelled."""
    path, chosen = QFileDialog.getSaveFileName(
        parent, title, str(suggested), ";;".join(EXPORT_FILTERS)
    )
    if not path:
        return None
    fmt, suffix = EXPORT_FILTERS.get(chosen, ("checkpoint", ".pt"))
    target = Path(path)
    if target.suffix.lower() not in FORMAT_SUFFIXES[fmt]:
        target = target.with_name(target.name + suffix)
    return target, fmt


HIDDEN_COLUMNS_KEY = "runs/hidden-columns"  # QSettings: the headers of the columns hidden
# The widest text of each column of numbers (or short words): its width fits it.
COLUMN_SAMPLES = {
    PARAMS: "19,421,274",
    STATUS: "interrupted",
    PROGRESS: "10/10 · 1:15 left",
    TRAIN_ERROR: "100.00%",
    VAL_ERROR: "100.00%",
    TEST_ERROR: "100.00%",
    BEST_VAL: "100.00%",
    TIME: "99,999 s",
    IMAGES_PER_S: "99,999",
}
# Columns of names, and the width each keeps when the tab is narrow: a name such as
# cifar-resnet20-w0.5 beside its check box and colour; at 1280×800 the runs' errors fit
# beside them.
TEXT_COLUMNS = {NAME: 165, DATA: 110, NETWORK: 120}


def format_duration(seconds: float) -> str:
    """75 → ``1:15``; 3,725 → ``1:02:05``."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressDelegate(QStyledItemDelegate):
    """Draws the Progress column as a bar: ``3/10 · 1:15 left`` (epochs done, time left);
    nothing for a damaged run, of which nothing is known."""

    def __init__(self, panel: RunsPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        entry = self.panel.controller.model.record(index.row())
        if entry.damaged:  # an empty bar would read as "0% done"
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(option.rect.adjusted(2, 3, -2, -3))
        bar.minimum, bar.maximum = 0, 1000
        fraction = entry.fraction
        bar.progress = int(1000 * fraction) if fraction is not None else 0
        bar.text = self.text(entry)
        bar.textVisible = True
        # Qt 6 reads the orientation from the state: without State_Horizontal, Fusion
        # fills the bar bottom-up and draws its text rotated.
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)

    def text(self, entry: RunEntry) -> str:
        text = RunsModel.progress_text(entry)
        if not text:
            return ""  # nothing is known of its progress
        eta = entry.eta_seconds()
        if eta is not None:
            text += self.tr(" · {0} left").format(format_duration(eta))
        return text


class RunsPanel(QWidget):
    """The runs table and its buttons; ``train_requested`` opens the Train dialog."""

    train_requested = Signal()
    evaluate_requested = Signal()  # show the Evaluation tab for the selection
    selection_changed = Signal(list)  # the selected RunEntry objects (with their groups)

    def __init__(self, controller: TrainingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        model = controller.model
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # A name cut short keeps both ends: cifar-res…w0.5-2 and cifar-pla…w0.5-2 differ.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setItemDelegateForColumn(PROGRESS, ProgressDelegate(self))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)  # the room left goes to names, not to a number
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._restore_hidden_columns()
        self.columns = ColumnFitter(self.table, COLUMN_SAMPLES, TEXT_COLUMNS)
        self.table.doubleClicked.connect(self._toggle_shown)

        # A tool bar, not a row of buttons: in a narrow dock the rest folds into its » menu.
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.train_action = toolbar.addAction(
            self.tr("Train…"), lambda: self.train_requested.emit()
        )
        self.train_action.setToolTip(self.tr("Train the network being designed (F5)"))
        self.stop_action = toolbar.addAction(self.tr("Stop"), self.stop_selected)
        self.stop_action.setToolTip(self.tr("Stop after the current batch; it can be resumed"))
        self.resume_action = toolbar.addAction(self.tr("Resume"), self.resume_selected)
        self.resume_action.setToolTip(self.tr("Continue from the last checkpoint"))
        self.delete_action = toolbar.addAction(self.tr("Delete…"), self.delete_selected)
        self.open_action = toolbar.addAction(self.tr("Open Folder"), self.open_folder)
        self.evaluate_action = toolbar.addAction(
            self.tr("Evaluate"), lambda: self.evaluate_requested.emit()
        )
        self.evaluate_action.setToolTip(
            self.tr("Evaluate on held-out images: errors, confusion matrix, mistakes")
        )
        self.export_action = toolbar.addAction(self.tr("Export Model…"), self.export_selected)
        self.export_action.setToolTip(self.tr("Save the trained network as a .pt or .onnx file"))
        toolbar.addSeparator()
        refresh = toolbar.addAction(self.tr("Refresh"), controller.reload)
        refresh.setToolTip(self.tr("Read the runs folder again (runs started from the terminal)"))

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(toolbar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        model.dataChanged.connect(self._rows_changed)
        model.modelReset.connect(self._selection_changed)
        model.rowsRemoved.connect(self._selection_changed)
        controller.thread_stopped.connect(self._update_buttons)
        self._update_buttons()

    # --- columns ------------------------------------------------------------------------

    def _header_menu(self, pos: QPoint) -> None:
        """Right-click on the header: show or hide each column, or fit them to the view."""
        header = self.table.horizontalHeader()
        model = self.controller.model
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for column in range(1, model.columnCount()):  # the name (and check box) stays
            title = model.headerData(column, Qt.Orientation.Horizontal)
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: self.set_column_shown(c, on))
        menu.addSeparator()
        menu.addAction(self.tr("Fit Columns to Window"), self.columns.fit)
        menu.popup(header.mapToGlobal(pos))

    def set_column_shown(self, column: int, shown: bool) -> None:
        """Show or hide a column of the table; remembered for the next start."""
        self.table.setColumnHidden(column, not shown)
        hidden = [COLUMNS[c] for c in range(len(COLUMNS)) if self.table.isColumnHidden(c)]
        QSettings().setValue(HIDDEN_COLUMNS_KEY, hidden)
        self.columns.fit()

    def _restore_hidden_columns(self) -> None:
        hidden = QSettings().value(HIDDEN_COLUMNS_KEY, [])
        names = [hidden] if isinstance(hidden, str) else list(hidden or [])
        for column, title in enumerate(COLUMNS):
            self.table.setColumnHidden(column, column != NAME and title in names)

    # --- selection ----------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def selected(self) -> list[RunEntry]:
        return [self.controller.model.record(row) for row in self.selected_rows()]

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _selection_changed(self, *_: object) -> None:
        self._update_buttons()
        entries = self.selected()
        # A pair is compared together: add the runs started with the selected ones.
        groups = {e.group for e in entries if e.group}
        for entry in self.controller.model.entries():
            if entry.group in groups and entry not in entries:
                entries.append(entry)
        self.selection_changed.emit(entries)

    def _rows_changed(self, top: QModelIndex, bottom: QModelIndex, *_: object) -> None:
        if any(top.row() <= row <= bottom.row() for row in self.selected_rows()):
            self._update_buttons()

    def _update_buttons(self) -> None:
        entries = self.selected()
        training = set(map(id, self.controller.training()))
        self.stop_action.setEnabled(any(id(e) in training for e in entries))
        self.resume_action.setEnabled(any(self._resumable(e, training) for e in entries))
        self.delete_action.setEnabled(bool(entries) and not any(id(e) in training for e in entries))
        self.open_action.setEnabled(len(entries) == 1 and entries[0].path is not None)
        usable = [e for e in entries if e.path is not None and e.epochs and not e.damaged]
        self.export_action.setEnabled(len(entries) == 1 and usable == entries)
        self.evaluate_action.setEnabled(bool(usable))
        self._show_details(entries)

    @staticmethod
    def _resumable(entry: RunEntry, training: set[int]) -> bool:
        return (
            id(entry) not in training
            and entry.status in RESUMABLE  # never "damaged": its run.json cannot be used
            and entry.path is not None
            and (entry.path / CHECKPOINT_FILE).is_file()
        )

    def _show_details(self, entries: list[RunEntry]) -> None:
        if len(entries) != 1:
            self.details.setText("")
            return
        entry = entries[0]
        if entry.reason:
            self.details.setStyleSheet("color: #c62828;")
            text = self.tr("{0} {1}: {2}").format(
                entry.name, status_word(entry.status), shown(entry.reason)
            )
            self.details.setText(text)
        else:
            self.details.setStyleSheet("")
            self.details.setText(str(entry.path or ""))

    def _toggle_shown(self, index: QModelIndex | QPersistentModelIndex) -> None:
        model = self.controller.model
        model.set_shown(index.row(), not model.record(index.row()).shown)

    # --- actions ------------------------------------------------------------------------

    def stop_selected(self) -> None:
        for row in self.selected_rows():
            self.controller.stop(row)
        self._update_buttons()

    def resume_selected(self) -> None:
        if refused_without_torch(self, "Training"):
            return
        training = set(map(id, self.controller.training()))
        for row in self.selected_rows():
            if self._resumable(self.controller.model.record(row), training):
                self.controller.resume(row, self._failed(self.tr("Cannot resume")))

    def delete_selected(self) -> None:
        entries = self.selected()
        if not entries:
            return
        names = ", ".join(e.name for e in entries)
        answer = QMessageBox.question(
            self,
            self.tr("Delete runs"),
            self.tr("Delete {0} and its folder with the trained model, for good?").format(names)
            if len(entries) == 1
            else self.tr("Delete {0} runs ({1}) and their folders, for good?").format(
                len(entries), names
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        for row in reversed(self.selected_rows()):  # from the bottom: rows above keep their place
            reason = self.controller.delete(row)
            if reason:
                QMessageBox.warning(self, self.tr("Cannot delete"), reason)

    def open_folder(self) -> None:
        entries = self.selected()
        if len(entries) == 1 and entries[0].path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(entries[0].path)))

    def export_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1 or refused_without_torch(self, "Exporting a model"):
            return
        entry = self.controller.model.record(rows[0])
        chosen = ask_export_path(
            self, self.tr("Export Trained Model"), Path.home() / f"{entry.name}.pt"
        )
        if chosen is None:
            return
        target, fmt = chosen
        self.controller.export(
            rows[0], target, fmt, self._exported, self._failed(self.tr("Export failed"))
        )

    def _exported(self, message: str) -> None:
        self.details.setStyleSheet("")
        self.details.setText(message)

    def _failed(self, title: str):
        """A callback that tells the user why background work failed."""
        return lambda reason: QMessageBox.warning(self, title, reason)
