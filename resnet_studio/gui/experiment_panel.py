"""The Experiments tab: experiments under the runs folder, and the chosen one's progress.

On the left, the experiments found under the runs folder (and any opened from
elsewhere) and the chosen one's grid, a square per run coloured by status
(:mod:`experiment_grid`); on the right its figures (Fig. 6 and error against
depth, :mod:`experiment_figures`) and its table by depth with the verdict, as
``experiment show`` prints them. Stop and Resume act on the whole experiment.

Reading an experiment's run folders (a second for 1,000 runs) and building its
figures happen in the background, at most every :data:`REFRESH_MS` while it
runs (here or in another process); a cell that starts or ends recolours its
square at once.
"""

from __future__ import annotations

import html
import math
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.figures.figure import CurveFigure
from resnet_studio.gui.core_text import shown_error
from resnet_studio.gui.experiment_figures import ExperimentFigures
from resnet_studio.gui.experiment_grid import CellGrid
from resnet_studio.gui.experiment_runner import ExperimentsController, experiment_key
from resnet_studio.gui.full_version_box import refused_without_torch
from resnet_studio.gui.on_screen import ScreenWatch, on_screen
from resnet_studio.gui.runs_model import status_word
from resnet_studio.gui.tasks import run_in_background
from resnet_studio.training.experiment import (
    EXPERIMENT_FILE,
    Cell,
    Experiment,
    ExperimentError,
    read_experiment,
)
from resnet_studio.training.experiment_results import HEADER, Results
from resnet_studio.training.scheduler import CellState

REFRESH_MS = 2000  # while an experiment runs, its folders are read again this often
# Points per curve in Fig. 6: about a wide plot's pixels; a zoom shows the bins' means.
VIEW_POINTS = 1000
OPENED_KEY = "experiments/opened"  # experiment folders opened from outside the runs folder
PENDING = ("queued", "stopped", "cancelled", "interrupted", "failed")  # what Resume runs
# How the heading counts the runs: what moves first.
HEADING_ORDER = ("running", "queued", "finished", "stopped", "interrupted", "failed", "diverged")
ERROR_STYLE = "color: #c62828;"
WARN_STYLE = "color: #b26a00;"


translate = QCoreApplication.translate


@dataclass
class CellShown:
    """One cell as read from its run folder."""

    status: str
    reason: str
    progress: float | None
    note: str


@dataclass
class Snapshot:
    """What the view shows of an experiment, read and computed off the GUI thread."""

    experiment: Experiment
    results: Results
    cells: dict[str, CellShown]
    rows: list[list[str]]
    verdict: list[str]
    curves: CurveFigure
    depth: CurveFigure


def view_curves(results: Results, smoothing: float) -> CurveFigure:
    """Fig. 6 as the view draws it: each curve at most :data:`VIEW_POINTS` points, each
    the mean of its span of steps (made off the GUI thread; see ``bench/plots.py``)."""
    from resnet_studio.figures.bands import binned_figure
    from resnet_studio.figures.experiment import experiment_curves

    return binned_figure(experiment_curves(results, smoothing=smoothing), VIEW_POINTS)


def read_snapshot(experiment: Experiment, smoothing: float) -> Snapshot:
    """Read every cell's run folder and make the table, verdict and figures (no Qt)."""
    from resnet_studio.figures.experiment import depth_figure
    from resnet_studio.training.experiment import cell_status
    from resnet_studio.training.experiment_results import read_results, table_rows, verdict

    results = read_results(experiment)
    cells = {}
    for cell in experiment.cells:
        record = results.records.get(cell.key)
        if record is None:
            status, reason = cell_status(experiment, cell)
            cells[cell.key] = CellShown(status, reason, None, "")
            continue
        reason = record.reason
        cells[cell.key] = CellShown(record.status, reason, _progress(record), _note(record))
    return Snapshot(
        experiment,
        results,
        cells,
        table_rows(results),
        verdict(results),
        view_curves(results, smoothing),
        depth_figure(results),
    )


def _progress(record) -> float | None:
    """How much of its training a run has done, 0 to 1; None when unknown."""
    if record.damaged:
        return None
    started = record.started
    if started is not None and started.iterations:
        return min(1.0, record.history.iteration / started.iterations)
    epochs = record.recipe.epochs if record.recipe.iterations is None else None
    return min(1.0, record.history.epochs_done / epochs) if epochs else None


def _note(record) -> str:
    """``train err 12.3% · val err 14.0%`` of its last epoch, or nothing."""
    if record.damaged or not record.epochs:
        return ""
    last = record.epochs[-1]
    parts = [translate("ExperimentsPanel", "epoch {0}").format(record.history.epochs_done)]
    errors = (
        (translate("ExperimentsPanel", "train err {0}"), last.train_error),
        (translate("ExperimentsPanel", "val err {0}"), last.val_error),
    )
    for text, value in errors:
        if value is not None and math.isfinite(value):
            parts.append(text.format(f"{value:.1%}"))
    return " · ".join(parts)


def find_experiments(root: Path, also: list[str]) -> list[Experiment | tuple[Path, str]]:
    """The experiments under ``root`` and at the paths ``also``, newest first; one that
    cannot be read is (its folder, why)."""
    folders: list[Path] = []
    try:
        folders = [p for p in root.iterdir() if (p / EXPERIMENT_FILE).is_file()]
    except OSError:
        pass  # no runs folder yet: nothing found there
    known = {experiment_key(p) for p in folders}
    folders += [Path(p) for p in also if experiment_key(p) not in known and Path(p).is_dir()]
    found: list[Experiment | tuple[Path, str]] = []
    for folder in folders:
        try:
            found.append(read_experiment(folder))
        except ExperimentError as err:
            found.append((folder, shown_error(err)))
    return sorted(
        found,
        key=lambda e: e.created if isinstance(e, Experiment) else 0.0,
        reverse=True,
    )


def _text_label() -> QLabel:
    """A label of wrapped text that can be selected and copied."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ExperimentsPanel(QWidget):
    """The Experiments tab of a window."""

    new_requested = Signal()  # open the New Experiment dialog
    run_requested = Signal(object)  # a cell's run folder (Path): show it in the Runs tab

    def __init__(self, controller: ExperimentsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = QSettings()
        self.experiment: Experiment | None = None
        self.snapshot: Snapshot | None = None
        self._reading = False  # a read of the folders is under way
        self._dirty = False  # something changed since the last read began
        self._last_read = 0.0
        self._select_when_listed: str | None = None

        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = toolbar.addAction(self.tr("New…"), self.new_requested.emit)
        self.new_action.setToolTip(self.tr("Start a new experiment (Training → New Experiment…)"))
        self.open_action = toolbar.addAction(self.tr("Open…"), self.open_dialog)
        self.open_action.setToolTip(self.tr("Open an experiment folder from elsewhere"))
        toolbar.addSeparator()
        self.stop_action = toolbar.addAction(self.tr("Stop"), self.stop)
        self.stop_action.setToolTip(
            self.tr("Stop every running cell after its batch; each keeps a checkpoint")
        )
        self.resume_action = toolbar.addAction(self.tr("Resume"), self.resume)
        self.resume_tip = self.tr(
            "Continue: stopped and interrupted runs from their checkpoints, failed ones "
            "again, queued ones start; finished ones are kept"
        )
        self.resume_action.setToolTip(self.resume_tip)
        self.folder_action = toolbar.addAction(self.tr("Open Folder"), self.open_folder)
        toolbar.addSeparator()
        refresh = toolbar.addAction(self.tr("Refresh"), self.reload)
        refresh.setToolTip(self.tr("Look for experiments in the runs folder again"))

        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setWordWrap(True)  # a narrow column wraps an entry rather than scrolls
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._chosen)
        self.grid = CellGrid()
        self.grid.cell_activated.connect(self._open_cell)
        self.grid.cell_selected.connect(self._show_cell)
        grid_scroll = QScrollArea()
        grid_scroll.setWidgetResizable(True)
        grid_scroll.setWidget(self.grid)
        self.cell_label = _text_label()
        grid_box = QWidget()
        grid_layout = QVBoxLayout(grid_box)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(grid_scroll, 1)
        grid_layout.addWidget(self.cell_label)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.list)
        left.addWidget(grid_box)
        left.setStretchFactor(1, 3)
        left.setSizes([90, 300])

        self.figures = ExperimentFigures()
        self.figures.smoothing_changed.connect(self._smoothing_changed)
        self.table = QTableWidget(0, len(HEADER))
        self.table.setHorizontalHeaderLabels(list(HEADER))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.verdict = _text_label()
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        verdict_scroll = QScrollArea()
        verdict_scroll.setWidgetResizable(True)
        verdict_scroll.setWidget(self.verdict)
        table_box = QSplitter(Qt.Orientation.Vertical)
        table_box.addWidget(self.table)
        table_box.addWidget(verdict_scroll)
        table_box.setSizes([200, 120])
        self.tabs = QTabWidget()
        self.tabs.addTab(self.figures, self.tr("Figures"))
        self.tabs.addTab(table_box, self.tr("Table"))
        self.tabs.setCornerWidget(self.figures.smoothing_box)
        self.tabs.currentChanged.connect(
            lambda index: self.figures.smoothing_box.setVisible(index == 0)
        )

        self.heading = _text_label()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 640])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(toolbar)
        layout.addWidget(self.splitter, 1)

        self.timer = QTimer(self, interval=REFRESH_MS, timeout=self._tick)
        self.timer.start()
        self._screen = ScreenWatch(self, self._catch_up)
        controller.started.connect(self._experiment_started)
        controller.cell_changed.connect(self._cell_changed)
        controller.ended.connect(self._experiment_ended)
        self._update_actions()
        self.reload()

    # --- the list -----------------------------------------------------------------------

    def opened_elsewhere(self) -> list[str]:
        value = self.settings.value(OPENED_KEY, [])
        return [value] if isinstance(value, str) else [str(v) for v in value or []]

    def reload(self) -> None:
        """Look for experiments again (in the background: each experiment.json is read)."""
        root, also = self.controller.root(), self.opened_elsewhere()
        run_in_background(lambda: find_experiments(root, also), self._listed, lambda *_: None)

    def _listed(self, found: list) -> None:
        chosen = self._select_when_listed or (
            experiment_key(self.experiment.path) if self.experiment else None
        )
        self._select_when_listed = None
        self.list.blockSignals(True)
        self.list.clear()
        current = None
        for entry in found:
            if isinstance(entry, Experiment):
                item = QListWidgetItem(self._item_text(entry))
                item.setData(Qt.ItemDataRole.UserRole, entry)
                item.setToolTip(str(entry.path))
                key = experiment_key(entry.path)
            else:
                folder, reason = entry
                item = QListWidgetItem(self.tr("{0} (cannot be read)").format(folder.name))
                item.setToolTip(reason)
                item.setForeground(QColor("#c62828"))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                key = experiment_key(folder)
            self.list.addItem(item)
            if key == chosen:
                current = item
        if current is None and self.list.count() and self.experiment is None:
            first = self.list.item(0)
            current = first if first.data(Qt.ItemDataRole.UserRole) is not None else None
        self.list.blockSignals(False)
        if current is not None:
            self.list.setCurrentItem(current)
        elif not self.list.count():
            self.grid.set_experiment(None)
        self._update_actions()

    def _item_text(self, experiment: Experiment) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(experiment.created))
        running = self.tr(" · running") if self.controller.is_running(experiment.path) else ""
        return self.tr("{0}\n{1} · {2} runs{3}").format(
            experiment.spec.name, when, len(experiment.cells), running
        )

    def _refresh_item_texts(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            experiment = item.data(Qt.ItemDataRole.UserRole)
            if experiment is not None:
                item.setText(self._item_text(experiment))

    def _chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        experiment = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if experiment is not None:
            self.show_experiment(experiment)

    def select(self, path: str | Path) -> None:
        """Choose the experiment at ``path`` (once it is listed)."""
        self._select_when_listed = experiment_key(path)
        self.reload()

    # --- one experiment ---------------------------------------------------------------

    def show_experiment(self, experiment: Experiment) -> None:
        """Show ``experiment``: its grid at once, the rest when its folders are read."""
        if self.experiment is None or experiment_key(self.experiment.path) != experiment_key(
            experiment.path
        ):
            self.snapshot = None
            self.grid.set_experiment(experiment)
            self.table.setRowCount(0)
            self.verdict.setText("")
            self.cell_label.setText("")
            self.figures.show_figures(None, None)
        self.experiment = experiment
        self.heading.setText(self._heading())
        self._update_actions()
        self.refresh(now=True)

    def _heading(self) -> str:
        experiment = self.experiment
        if experiment is None:
            return ""
        spec = experiment.spec
        data = experiment.dataset
        if data.startswith("folder:"):
            data = f"folder:{Path(data[len('folder:') :]).name}"
        if experiment.subset:
            data += self.tr(", {0:,} images").format(experiment.subset)
        recipe = ", ".join(
            f"{k.replace('_', ' ')} {v:,}" if isinstance(v, int) else f"{k.replace('_', ' ')} {v}"
            for k, v in spec.recipe.items()
        )
        counts = self.grid.counts()
        rank = {status: i for i, status in enumerate(HEADING_ORDER)}
        told = ", ".join(
            f"{counts[s]} {status_word(s)}"
            for s in sorted(counts, key=lambda s: (rank.get(s, len(rank)), s))
        )
        if self.controller.is_stopping(experiment.path):
            told += self.tr(" — stopping: each running cell saves a checkpoint…")
        recipe = recipe or self.tr("default recipe")  # outside the f-string: lupdate skips those
        details = html.escape(f"{data} · {recipe} · {told}")
        return f"<b>{html.escape(spec.name)}</b> · {details}"

    def refresh(self, now: bool = False) -> None:
        """Read the experiment's folders again in the background (or once the read under
        way ends); ``now`` skips the wait between reads."""
        if self.experiment is None:
            return
        if self._reading:
            self._dirty = True
            return
        if not now and time.monotonic() - self._last_read < REFRESH_MS / 1000 * 0.9:
            self._dirty = True  # the timer reads it soon
            return
        self._reading, self._dirty = True, False
        self._last_read = time.monotonic()
        experiment, smoothing = self.experiment, self.figures.smoothing()
        run_in_background(
            lambda: read_snapshot(experiment, smoothing), self._read, self._read_failed
        )

    def _tick(self) -> None:
        if on_screen(self):  # a tab behind another reads nothing; it catches up when raised
            self._catch_up()

    def _catch_up(self) -> None:
        if self.experiment is not None and (self._dirty or self._running_anywhere()):
            self.refresh()

    def _running_anywhere(self) -> bool:
        """Whether the experiment's cells train, here or in another process."""
        if self.experiment is None:
            return False
        if self.controller.is_running(self.experiment.path):
            return True
        return self.snapshot is not None and any(
            c.status in ("running", "created") for c in self.snapshot.cells.values()
        )

    def _read(self, snapshot: Snapshot) -> None:
        self._reading = False
        if self.experiment is None or snapshot.experiment.path != self.experiment.path:
            self._dirty = self.experiment is not None
            return
        self.snapshot = snapshot
        for key, shown in snapshot.cells.items():
            self.grid.set_state(key, shown.status, shown.reason, shown.progress, shown.note)
        self._fill_table(snapshot)
        self.figures.show_figures(snapshot.curves, snapshot.depth)
        self.heading.setText(self._heading())
        self._show_cell(None)
        self._update_actions()

    def _read_failed(self, reason: str, _traceback: str) -> None:
        self._reading = False
        self.heading.setText(html.escape(self.tr("Cannot read the experiment: {0}").format(reason)))

    def _fill_table(self, snapshot: Snapshot) -> None:
        self.table.setRowCount(len(snapshot.rows))
        for row, values in enumerate(snapshot.rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        lines = snapshot.verdict or [
            self.tr("No verdict yet: it compares networks once their runs have finished.")
        ]
        warning = [line for line in lines if line.startswith("warning:")]
        text = "<br>".join(html.escape(line) for line in lines if not line.startswith("warning:"))
        if warning:
            text += "".join(f"<p style='{WARN_STYLE}'>{html.escape(line)}</p>" for line in warning)
        self.verdict.setText(text)

    def _smoothing_changed(self, weight: float) -> None:
        """Redraw the curves with the new smoothing, from the runs already read."""
        snapshot = self.snapshot
        if snapshot is None:
            return
        results = snapshot.results

        def work() -> CurveFigure:
            return view_curves(results, weight)

        def done(curves: CurveFigure) -> None:
            if self.snapshot is snapshot and self.figures.smoothing() == weight:
                snapshot.curves = curves
                self.figures.show_figures(curves, snapshot.depth)

        run_in_background(work, done, lambda *_: None)

    # --- cells ---------------------------------------------------------------------------

    def _cell_changed(self, key: str, state: CellState) -> None:
        """A cell of a running experiment started or ended: recolour it now, read soon."""
        if self.experiment is None or experiment_key(self.experiment.path) != key:
            return
        self.grid.set_state(state.cell.key, state.status, state.reason, None)
        self.heading.setText(self._heading())
        self._dirty = True

    def _show_cell(self, cell: Cell | None) -> None:
        key = cell.key if cell is not None else self.grid.selected
        if key is None or key not in self.grid.views:
            self.cell_label.setText(self.tr("Double-click a run to open it in the Runs tab."))
            self.cell_label.setStyleSheet("")
            return
        self.cell_label.setText(self.grid.tooltip(key).replace("\n", " · "))
        failed = self.grid.views[key].status in ("failed", "damaged", "diverged")
        self.cell_label.setStyleSheet(ERROR_STYLE if failed else "")

    def _open_cell(self, cell: Cell) -> None:
        if self.experiment is not None:
            self.run_requested.emit(self.experiment.cell_dir(cell))

    # --- the whole experiment --------------------------------------------------------------

    def _experiment_started(self, key: str) -> None:
        self._refresh_item_texts()
        if self.experiment is not None and experiment_key(self.experiment.path) == key:
            self._update_actions()
            self.refresh(now=True)
        elif not any(
            experiment_key(e.path) == key
            for e in (
                self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())
            )
            if e is not None
        ):
            self.reload()  # a new experiment: list it

    def _experiment_ended(self, key: str, error: str) -> None:
        self._refresh_item_texts()
        if self.experiment is not None and experiment_key(self.experiment.path) == key:
            self._update_actions()
            self.refresh(now=True)
            if error:
                QMessageBox.warning(self, self.tr("Experiment stopped"), error)

    def _update_actions(self) -> None:
        experiment = self.experiment
        running = experiment is not None and self.controller.is_running(experiment.path)
        stopping = experiment is not None and self.controller.is_stopping(experiment.path)
        self.stop_action.setEnabled(running and not stopping)
        self.folder_action.setEnabled(experiment is not None)
        elsewhere = self.snapshot is not None and any(
            c.status in ("running", "created") for c in self.snapshot.cells.values()
        )
        pending = self.snapshot is not None and any(
            c.status in PENDING for c in self.snapshot.cells.values()
        )
        self.resume_action.setEnabled(
            experiment is not None and not running and pending and not elsewhere
        )
        self.resume_action.setToolTip(
            self.tr("Some of its runs are training in another process; wait for them")
            if elsewhere and not running
            else self.resume_tip
        )

    def stop(self) -> None:
        if self.experiment is not None:
            self.controller.stop(self.experiment.path)
            self._update_actions()
            self.heading.setText(self._heading())

    def resume(self) -> None:
        """Run the experiment's unfinished cells (read afresh: another process may have
        changed them)."""
        if self.experiment is None or refused_without_torch(self, "Running an experiment"):
            return
        try:
            experiment = read_experiment(self.experiment.path)
        except ExperimentError as err:
            QMessageBox.warning(self, self.tr("Cannot resume"), shown_error(err))
            return
        self.experiment = experiment
        self.controller.run(experiment, resume=True)
        self._update_actions()

    def open_folder(self) -> None:
        if self.experiment is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.experiment.path)))

    def open_dialog(self) -> None:
        """Choose an experiment folder anywhere and show it."""
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Open Experiment"), str(self.controller.root())
        )
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Show the experiment at ``path``; a warning with the reason if it is none."""
        try:
            read_experiment(path)
        except ExperimentError as err:
            QMessageBox.warning(self, self.tr("Cannot open experiment"), shown_error(err))
            return False
        opened = [p for p in self.opened_elsewhere() if experiment_key(p) != experiment_key(path)]
        self.settings.setValue(OPENED_KEY, [str(path), *opened][:20])
        self.select(path)
        return True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._dirty:
            self.refresh()
