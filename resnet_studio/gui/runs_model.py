"""The table of training runs: live ones from their workers, past ones from disk.

Each row keeps the run's whole history (epochs and logged steps) in a
:class:`RunEntry`, folded by :class:`training.history.RunHistory` as the CLI
folds it; plots read it through :meth:`RunsModel.record` and redraw on their
own timer. Live rows change only in the GUI thread: the worker's
signals are queued there. A run whose run.json cannot be used is a row too,
of status ``damaged``, with the reason as its tooltip: one damaged folder
never empties the table. A run started from given weights (fine-tuned) says so
in the tooltips of its name and network.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor

from resnet_studio.figures.style import run_colour
from resnet_studio.gui.core_text import shown
from resnet_studio.gui.run_worker import RunWorker
from resnet_studio.training.dataset_info import FOLDER_PREFIX
from resnet_studio.training.events import EpochEnd, Event, Finished, RunStarted, StepMetrics
from resnet_studio.training.history import RunHistory, is_final
from resnet_studio.training.run_summary import (
    RunSummary,
    format_params,
    format_percent,
    format_seconds,
    network_params,
    summarize,
)
from resnet_studio.training.runs import RunRecord, list_runs

if TYPE_CHECKING:  # torch loads lazily: the window must not wait for it
    from resnet_studio.training.launch import RunHandle

# The values and their wording are those of ``resnet-studio compare`` (training.run_summary).
# What a run is doing comes first, what it is last: at 1280 pixels the tab is about 720
# wide, and the columns from Time on are scrolled to.
COLUMNS = (
    QT_TRANSLATE_NOOP("RunsModel", "Name"),
    QT_TRANSLATE_NOOP("RunsModel", "Data"),
    QT_TRANSLATE_NOOP("RunsModel", "Status"),
    QT_TRANSLATE_NOOP("RunsModel", "Progress"),
    QT_TRANSLATE_NOOP("RunsModel", "Train err"),
    QT_TRANSLATE_NOOP("RunsModel", "Val err"),
    QT_TRANSLATE_NOOP("RunsModel", "Test err"),
    QT_TRANSLATE_NOOP("RunsModel", "Best val"),
    QT_TRANSLATE_NOOP("RunsModel", "Time"),
    QT_TRANSLATE_NOOP("RunsModel", "Images/s"),
    QT_TRANSLATE_NOOP("RunsModel", "Params"),
    QT_TRANSLATE_NOOP("RunsModel", "Network"),
)
(
    NAME,
    DATA,
    STATUS,
    PROGRESS,
    TRAIN_ERROR,
    VAL_ERROR,
    TEST_ERROR,
    BEST_VAL,
    TIME,
    IMAGES_PER_S,
    PARAMS,
    NETWORK,
) = range(len(COLUMNS))
HEADER_TIPS = {
    PROGRESS: QT_TRANSLATE_NOOP(
        "RunsModel", "Epochs done of all, and the time left at the speed so far"
    ),
    PARAMS: QT_TRANSLATE_NOOP("RunsModel", "Parameters of the network trained"),
    TRAIN_ERROR: QT_TRANSLATE_NOOP(
        "RunsModel", "Training error of the last epoch (of the last logged steps before it)"
    ),
    VAL_ERROR: QT_TRANSLATE_NOOP("RunsModel", "Validation error of the last epoch"),
    TEST_ERROR: QT_TRANSLATE_NOOP(
        "RunsModel", "The final model's error on the test split, once it finished"
    ),
    BEST_VAL: QT_TRANSLATE_NOOP("RunsModel", "Lowest validation error of any epoch"),
    TIME: QT_TRANSLATE_NOOP("RunsModel", "Training time of the epochs completed"),
    IMAGES_PER_S: QT_TRANSLATE_NOOP("RunsModel", "Training speed"),
}
_NUMERIC = {PARAMS, PROGRESS, TRAIN_ERROR, VAL_ERROR, TEST_ERROR, BEST_VAL, TIME, IMAGES_PER_S}
DAMAGED = "damaged"  # the status of a run whose run.json cannot be used (training.runs)
# A run's status as the Status column shows it: the word of training.history (and the
# run store), translated; scripts and settings keep the English word.
STATUS_WORDS = (
    QT_TRANSLATE_NOOP("RunsModel", "queued"),
    QT_TRANSLATE_NOOP("RunsModel", "starting"),
    QT_TRANSLATE_NOOP("RunsModel", "running"),
    QT_TRANSLATE_NOOP("RunsModel", "stopping"),
    QT_TRANSLATE_NOOP("RunsModel", "stopped"),
    QT_TRANSLATE_NOOP("RunsModel", "interrupted"),
    QT_TRANSLATE_NOOP("RunsModel", "finished"),
    QT_TRANSLATE_NOOP("RunsModel", "failed"),
    QT_TRANSLATE_NOOP("RunsModel", "diverged"),
    QT_TRANSLATE_NOOP("RunsModel", "damaged"),
)


def status_word(status: str) -> str:
    """A run's or a cell's status (``finished``) as the window words it, translated."""
    return QCoreApplication.translate("RunsModel", status)


Index = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)  # a run is itself: compared and hashed by identity
class RunEntry:
    """One run's row and its :class:`RunHistory`; ``epochs`` and ``steps`` grow while
    it trains."""

    name: str
    network: str
    data: str
    device: str
    status: str
    total_epochs: int | None
    path: Path | None = None
    live: bool = False
    handle: RunHandle | None = None
    reason: str = ""
    history: RunHistory = field(default_factory=RunHistory)
    group: str = ""  # runs started together (a network and its plain twin) share it
    colour: str = ""  # the run's colour in every plot; set by the model
    shown: bool = True  # drawn in the plots (the Name column's check box)
    version: int = 0  # bumped by every event, so views redraw only what changed
    total_iterations: int | None = None
    # (monotonic time, iteration) when this process started or resumed the run: the ETA
    clock_start: tuple[float, int] | None = None
    test_error: float | None = None  # the final model on the test split, once evaluated
    record: RunRecord | None = None  # what it was read from, for a past run
    initial_weights: str = ""  # the file a fine-tuned run started from ("" from scratch)
    new_classifier: str = ""  # its classifier, started fresh (the weights had other classes)
    # (first convolution, the weights' channels, the run's) when adapted to other channels
    adapted_input: tuple[str, int, int] | None = None
    _params: int | None = field(default=None, repr=False)
    _summary: tuple[tuple[int, int, int], RunSummary] | None = field(default=None, repr=False)

    # --- the history, as the plots and the table read it --------------------------------

    @property
    def epochs(self) -> list[EpochEnd]:
        return self.history.epochs

    @epochs.setter
    def epochs(self, epochs: list[EpochEnd]) -> None:
        self.history.epochs = epochs

    @property
    def steps(self) -> list[StepMetrics]:
        return self.history.steps

    @steps.setter
    def steps(self, steps: list[StepMetrics]) -> None:
        self.history.steps = steps

    @property
    def final(self) -> Event | None:
        return self.history.final

    @property
    def started(self) -> RunStarted | None:
        return self.history.started

    @property
    def last_epoch(self) -> EpochEnd | None:
        return self.history.last_epoch

    @property
    def last_step(self) -> StepMetrics | None:
        return self.history.last_step

    @property
    def epochs_done(self) -> int:
        return self.history.epochs_done

    @property
    def iteration(self) -> int:
        """The latest iteration reported."""
        return self.history.iteration

    @property
    def fraction(self) -> float | None:
        """How much of training is done, 0 to 1; None when the total is unknown."""
        if isinstance(self.final, Finished):
            return 1.0
        if not self.total_iterations:
            return None
        return min(1.0, self.iteration / self.total_iterations)

    def eta_seconds(self, now: float | None = None) -> float | None:
        """Seconds left at the speed since this run (re)started; None when unknown."""
        if self.final is not None or self.clock_start is None or not self.total_iterations:
            return None
        started, first = self.clock_start
        done = self.iteration - first
        if done <= 0:
            return None
        elapsed = (time.monotonic() if now is None else now) - started
        return elapsed / done * (self.total_iterations - self.iteration)

    @property
    def images_per_s(self) -> float | None:
        """The latest speed: from the last logged step, else the last epoch."""
        if self.live and self.final is None and self.steps:
            return self.steps[-1].images_per_s
        if self.epochs:
            return self.epochs[-1].images_per_s
        return self.steps[-1].images_per_s if self.steps else None

    @property
    def summary(self) -> RunSummary:
        """Its errors final and best, and its time, as ``compare`` reports them."""
        key = (self.version, len(self.epochs), len(self.steps))
        if self._summary is None or self._summary[0] != key:
            self._summary = (key, summarize(self.history))
        return self._summary[1]

    @property
    def params(self) -> int | None:
        """The network's parameter count; None when its spec cannot be read."""
        if self._params is None:
            try:
                if self.handle is not None:
                    self._params = network_params(self.handle.network)
                elif self.record is not None and not self.damaged:
                    self._params = network_params(self.record.network)
            except ValueError:  # a spec read_run let through but the catalogue refuses
                return None
        return self._params

    def apply(self, event: Event) -> None:
        """Fold one live training event into the entry (its history, then its row)."""
        self.version += 1
        self.history.apply(event)
        if isinstance(event, RunStarted):
            self.device = event.device
            self.total_epochs = event.epochs
            self.total_iterations = event.iterations
            self.clock_start = (time.monotonic(), event.start_iteration)
        if isinstance(event, RunStarted) or event is self.history.final:
            # Steps leave the status alone: a run being stopped stays "stopping".
            self.status = self.history.status or self.status
            self.reason = self.history.reason
            self.test_error = self.history.test_error

    @property
    def damaged(self) -> bool:
        """Read from a run folder whose run.json cannot be used (``reason`` says why)."""
        return self.status == DAMAGED

    @classmethod
    def from_record(cls, record: RunRecord) -> RunEntry:
        """The row of a run read from disk (read_run checked the type of each field)."""
        if record.damaged:
            return cls(record.name, "", "", "", DAMAGED, None, record.path, reason=record.reason)
        info = record.info
        recipe = info.get("recipe") or {}
        total = recipe.get("epochs") if not recipe.get("iterations") else None
        return cls(
            name=record.name,
            network=(info.get("network") or {}).get("name", ""),
            data=(info.get("dataset") or {}).get("name", ""),
            device=str(info.get("device", "")),
            status=record.status,
            total_epochs=total if isinstance(total, int) else None,
            path=record.path,
            reason=record.reason,
            history=record.history,
            group=str(info.get("group", "")),
            total_iterations=record.started.iterations if record.started else None,
            test_error=record.test_error,
            record=record,
            initial_weights=record.initial_weights,
            new_classifier=record.new_classifier,
            adapted_input=record.adapted_input,
        )


def _same_path(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return False
    return os.path.realpath(a) == os.path.realpath(b)


class _LiveBinding(QObject):
    """Receives one worker's signals in the GUI thread and updates its row."""

    def __init__(self, model: RunsModel, entry: RunEntry) -> None:
        super().__init__(model)
        self.model = model
        self.entry = entry

    @Slot(object)
    def on_event(self, event: object) -> None:
        self.model._apply(self.entry, event)


class RunsModel(QAbstractTableModel):
    """Runs as rows: live ones (:meth:`add_live`) and past ones (:meth:`load_from_disk`)."""

    run_ended = Signal(object)  # a live run's RunEntry, once its final event came

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[RunEntry] = []
        self._colours_used = 0

    def _paint(self, entry: RunEntry) -> None:
        """Give ``entry`` the next colour of the palette (once: it keeps it)."""
        if not entry.colour:
            entry.colour = run_colour(self._colours_used)
            self._colours_used += 1

    # --- filling --------------------------------------------------------------------

    def add_live(self, name: str, handle: RunHandle, worker: RunWorker, group: str = "") -> int:
        """Add a run that is about to train (connect before its thread starts); its row.

        A resumed run replaces its own row (the history it had stays until the
        run reports where it restarts).
        """
        entry = RunEntry(
            name=name,
            network=handle.network.name,
            data=handle.data.name,
            device=handle.recipe.device,
            status="starting",
            total_epochs=None if handle.recipe.iterations else handle.recipe.epochs,
            path=handle.folder.path if handle.folder else None,
            live=True,
            handle=handle,
            group=group,
            initial_weights=handle.initial_weights.source if handle.initial_weights else "",
            new_classifier=(handle.weights_fit and handle.weights_fit.new_classifier) or "",
            adapted_input=_adapted_input(handle.weights_fit),
        )
        binding = _LiveBinding(self, entry)
        for signal in (worker.event, worker.finished):
            signal.connect(binding.on_event)
        if entry.path is not None:
            for row, old in enumerate(self._entries):
                if _same_path(old.path, entry.path):
                    entry.group = entry.group or old.group
                    # A resume continues from its checkpoint: where it began stays true.
                    entry.initial_weights = entry.initial_weights or old.initial_weights
                    entry.new_classifier = entry.new_classifier or old.new_classifier
                    entry.adapted_input = entry.adapted_input or old.adapted_input
                    entry.colour, entry.shown = old.colour, old.shown
                    entry.history = old.history.carried_over()
                    self.beginRemoveRows(QModelIndex(), row, row)
                    del self._entries[row]
                    self.endRemoveRows()
                    break
        return self._append(entry)

    def _append(self, entry: RunEntry) -> int:
        """Give ``entry`` its colour and a new last row; the row."""
        self._paint(entry)
        row = len(self._entries)
        self.beginInsertRows(QModelIndex(), row, row)
        self._entries.append(entry)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> RunEntry:
        """Take a run out of the table (its folder is the caller's business)."""
        self.beginRemoveRows(QModelIndex(), row, row)
        entry = self._entries.pop(row)
        self.endRemoveRows()
        return entry

    def load_from_disk(self, root: str | os.PathLike[str] | None = None) -> None:
        """(Re)read past runs under ``root`` (default: the user's runs folder).

        Live rows stay as they are; a folder that a live row trains into is
        not listed twice.
        """
        self.set_past(list_runs(root))

    def set_past(self, records: list[RunRecord]) -> None:
        """Show ``records`` (read from disk) as the past runs; live rows stay."""
        live = [e for e in self._entries if e.live]
        known = {os.path.realpath(e.path): e for e in self._entries if e.path and not e.live}
        past = []
        for record in records:
            if any(_same_path(record.path, e.path) for e in live):
                continue
            entry = RunEntry.from_record(record)
            old = known.get(os.path.realpath(record.path))
            if old is not None:  # re-read: keep its colour and check box
                entry.colour, entry.shown = old.colour, old.shown
            past.append(entry)
        if not known and not live and past:
            # First look: plot only the latest run that has points, and the runs started
            # with it. Not simply the latest: one that never logged a step (killed as it
            # started, or just started elsewhere) would leave the plot empty.
            latest = next((e for e in reversed(past) if e.epochs or e.steps), past[-1])
            for entry in past:
                entry.shown = entry is latest or bool(latest.group and entry.group == latest.group)
        for entry in past:
            self._paint(entry)
        self.beginResetModel()
        self._entries = past + live
        self.endResetModel()

    def add_past(self, record: RunRecord) -> int:
        """Show one run read from disk that the runs folder does not list (a cell of an
        experiment); its row. A run already shown is read again in its row, keeping its
        colour, unless it trains live there."""
        entry = RunEntry.from_record(record)
        for row, old in enumerate(self._entries):
            if _same_path(old.path, record.path):
                if not old.live:
                    entry.colour, entry.shown = old.colour, old.shown
                    self._entries[row] = entry
                    self._row_changed(row)
                return row
        return self._append(entry)

    # --- access ---------------------------------------------------------------------

    def record(self, row: int) -> RunEntry:
        """The run at ``row`` with its history (``epochs``, ``steps``, ``final``)."""
        return self._entries[row]

    def entries(self) -> list[RunEntry]:
        return list(self._entries)

    def row_of(self, name: str) -> int:
        """Row of the first run called ``name``; -1 when there is none."""
        return next((i for i, e in enumerate(self._entries) if e.name == name), -1)

    def with_group(self, entries: list[RunEntry]) -> list[RunEntry]:
        """``entries`` and the runs started with them (a run's plain twin), in table order."""
        groups = {e.group for e in entries if e.group}
        chosen = set(map(id, entries))
        return [e for e in self._entries if id(e) in chosen or (e.group and e.group in groups)]

    def current(self, wanted: Callable[[RunEntry], bool] | None = None) -> list[RunEntry]:
        """What a view shows when no run is selected: the latest run that trains, else the
        latest of all, with the runs started with it; [] for an empty table. Only runs
        that ``wanted`` accepts are considered, when it accepts any."""
        runs = [e for e in self._entries if wanted is None or wanted(e)] or self._entries
        training = [e for e in runs if e.live and e.final is None]
        latest = (training or runs)[-1:]
        return self.with_group(latest)

    def cancel(self, row: int) -> None:
        """Ask a live run to stop (thread-safe token; the row updates when it has)."""
        entry = self._entries[row]
        if entry.handle is not None and entry.final is None:
            entry.handle.cancel()
            entry.status = "stopping"
            self._row_changed(row)

    def _apply(self, entry: RunEntry, event: object) -> None:
        entry.apply(event)  # type: ignore[arg-type]
        row = next((i for i, e in enumerate(self._entries) if e is entry), -1)
        if row >= 0:
            self._row_changed(row)
        if is_final(event):  # type: ignore[arg-type]
            self.run_ended.emit(entry)

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- Qt model -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        # COLUMNS stay English: the settings remember hidden columns by these names.
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = HEADER_TIPS.get(section)
            return self.tr(tip) if tip else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._entries)):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATUS:  # the device has no column of its own: too narrow at 1280 px
                where = self.tr("on {0}").format(entry.device) if entry.device else None
                return shown(entry.reason) or where
            if column in (NAME, NETWORK) and entry.initial_weights:
                start = self.tr("Started from the weights of {0}").format(entry.initial_weights)
                if entry.new_classifier:
                    start += " " + self.tr("(a new classifier: {0})").format(entry.new_classifier)
                if entry.adapted_input:
                    start += " " + self.tr("({0} adapted from {1} input channels to {2})").format(
                        *entry.adapted_input
                    )
                return f"{entry.path}\n{start}" if column == NAME and entry.path else start
            if column == NAME and entry.path is not None:
                return str(entry.path)
            if column == DATA and entry.data.startswith(FOLDER_PREFIX):
                return entry.data
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == NAME and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if entry.shown else Qt.CheckState.Unchecked
        if column == NAME and role == Qt.ItemDataRole.DecorationRole and entry.colour:
            return QColor(entry.colour)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """The Name column's check box shows or hides the run in the plots."""
        if not index.isValid() or index.column() != NAME:
            return False
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        entry = self._entries[index.row()]
        entry.shown = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_shown(self, row: int, shown: bool) -> None:
        state = Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked
        self.setData(self.index(row, NAME), state, Qt.ItemDataRole.CheckStateRole)

    @staticmethod
    def progress_text(entry: RunEntry) -> str:
        """Epochs done of all (``3/10``), or iterations for a run given a number of them
        (``200/441 it``); empty for a damaged run."""
        if entry.damaged:
            return ""
        if entry.total_epochs:
            return f"{entry.epochs_done}/{entry.total_epochs}"
        if entry.total_iterations:  # a budget of iterations, not epochs
            return f"{entry.iteration:,}/{entry.total_iterations:,} it"
        return str(entry.epochs_done)

    @staticmethod
    def _display(entry: RunEntry, column: int) -> str:
        if column == NAME:
            return entry.name
        if column == NETWORK:
            return entry.network
        if column == DATA:
            # An image folder by its own name; the tooltip has the whole path.
            if entry.data.startswith(FOLDER_PREFIX):
                return f"{FOLDER_PREFIX}{Path(entry.data[len(FOLDER_PREFIX) :]).name}"
            return entry.data
        if column == STATUS:
            return QCoreApplication.translate("RunsModel", entry.status)
        if entry.damaged:
            return ""  # nothing is known of what it did
        if column == PARAMS:
            return format_params(entry.params)
        if column == PROGRESS:
            return RunsModel.progress_text(entry)
        summary = entry.summary
        if column == TRAIN_ERROR:
            return format_percent(summary.final_train)
        if column == VAL_ERROR:
            return format_percent(summary.final_val)
        if column == TEST_ERROR:
            return format_percent(entry.test_error)
        if column == BEST_VAL:
            return format_percent(summary.best_val)
        if column == TIME:
            return format_seconds(summary.seconds)
        if column == IMAGES_PER_S:
            speed = entry.images_per_s
            return "-" if speed is None or not math.isfinite(speed) else f"{speed:,.0f}"
        return ""


def _adapted_input(fit) -> tuple[str, int, int] | None:
    """(first convolution, the weights' channels, the run's) of a fit that adapted them."""
    if fit is None or not fit.first_conv:
        return None
    return fit.first_conv, fit.weights_channels, fit.channels
