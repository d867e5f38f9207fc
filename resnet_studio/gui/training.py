"""Starting, resuming, stopping, deleting and exporting runs from the window.

One :class:`TrainingController` serves the whole application (every window's
runs panel shows its :class:`RunsModel`), so closing one window does not stop
the runs another window started. Anything that needs torch — loading data,
setting runs up, reading checkpoints — runs in the background, through the same
steps as ``resnet-studio train`` (:mod:`training.orchestration`); each run then
trains on its own thread (:mod:`run_worker`).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from resnet_studio.gui.core_text import shown
from resnet_studio.gui.run_notices import DesktopNotices
from resnet_studio.gui.run_worker import RunThread
from resnet_studio.gui.runs_model import RunEntry, RunsModel
from resnet_studio.gui.tasks import run_in_background
from resnet_studio.training.orchestration import (
    PreparedRun,
    TrainRequest,
    cpu_threads_each,
    export_trained,
    prepare_resume,
    prepare_runs,
    run_names,
    unique_run_name,
)

Failure = Callable[[str], None]  # told the one-line reason when background work fails


def _reason_only(on_failed: Failure | None) -> Callable[[str, str], None]:
    """Adapt a reason-only callback to run_in_background's (reason, traceback)."""
    return lambda reason, _traceback: on_failed(reason) if on_failed is not None else None


class TrainingController(QObject):
    """Owns the application's runs: the table, their threads, and what is done to them."""

    # Names of runs that just started (after their data loaded).
    runs_started = Signal(list)
    # A run's thread has ended: it can be resumed or deleted now.
    thread_stopped = Signal()

    def __init__(self, parent: QObject | None = None, runs_root: Path | None = None) -> None:
        super().__init__(parent)
        self.runs_root = runs_root
        self.model = RunsModel(self)
        self.notices = DesktopNotices(self.model, self)
        self._threads: dict[int, RunThread] = {}  # id(RunEntry) -> its thread
        self._starting: set[str] = set()  # names of runs being prepared

    # --- reading -------------------------------------------------------------------

    def reload(self, on_failed: Failure | None = None) -> None:
        """Re-read past runs from disk (in the background: metrics files can be long)."""
        from resnet_studio.training.runs import list_runs

        root = self.runs_root
        run_in_background(lambda: list_runs(root), self.model.set_past, _reason_only(on_failed))

    def training(self) -> list[RunEntry]:
        """Runs whose thread is still working."""
        return [e for e in self.model.entries() if self._thread_of(e) is not None]

    def thread_of(self, entry: RunEntry) -> RunThread | None:
        """The thread training ``entry``; None when it is not training."""
        return self._thread_of(entry)

    def _thread_of(self, entry: RunEntry) -> RunThread | None:
        run = self._threads.get(id(entry))
        return run if run is not None and not run.done else None

    def _threads_for_new(self, count: int) -> int:
        return cpu_threads_each(len(self.training()) + count)

    # --- starting ------------------------------------------------------------------

    def start(
        self,
        request: TrainRequest,
        on_started: Callable[[list[str]], None] | None = None,
        on_failed: Failure | None = None,
    ) -> None:
        """Prepare in the background, then train each run on its own thread.

        A name some run in the table has already is numbered (:meth:`unique_name`).
        ``on_failed`` gets the reason when preparing fails (the Train dialog
        shows it and stays open).
        """
        threads = self._threads_for_new(2 if request.with_twin else 1)
        root = self.runs_root
        request = dataclasses.replace(
            request, name=self.unique_name(request.name, request.with_twin)
        )
        names = run_names(request.name, request.with_twin)
        self._starting.update(names)  # taken while they load, before they have rows

        def started(prepared: list[PreparedRun]) -> None:
            self._starting.difference_update(names)
            self._launch(prepared)
            if on_started is not None:
                on_started([p.name for p in prepared])

        def failed(reason: str) -> None:
            self._starting.difference_update(names)
            if on_failed is not None:
                on_failed(reason)

        run_in_background(
            lambda: prepare_runs(request, root, threads), started, _reason_only(failed)
        )

    def unique_name(self, name: str, with_twin: bool = False) -> str:
        """``name``, or ``name-2``…: what a run called ``name`` (and its twin) will be
        named so that no two runs in the table share a name, past ones included."""
        taken = {e.name for e in self.model.entries()} | self._starting
        return unique_run_name(name, with_twin, taken)

    def resume(self, row: int, on_failed: Failure | None = None) -> None:
        """Continue a stopped, failed or interrupted run from its checkpoint."""
        entry = self.model.record(row)
        if entry.path is None or self._thread_of(entry) is not None:
            return
        path = entry.path
        run_in_background(
            lambda: prepare_resume(path, threads=self._threads_for_new(1)),
            lambda prepared: self._launch([prepared]),
            _reason_only(on_failed),
        )

    def _launch(self, prepared: list[PreparedRun]) -> None:
        for run in prepared:
            thread = RunThread(run.handle, self)
            row = self.model.add_live(run.name, run.handle, thread.worker, run.group)
            key = id(self.model.record(row))
            self._threads[key] = thread
            thread.stopped.connect(lambda key=key: self._thread_ended(key))
            thread.start()
        self.runs_started.emit([p.name for p in prepared])

    def _thread_ended(self, key: int) -> None:
        self._threads.pop(key, None)
        self.thread_stopped.emit()

    # --- acting on runs --------------------------------------------------------------

    def stop(self, row: int) -> None:
        """Ask a run to stop after its current batch; it saves a checkpoint."""
        self.model.cancel(row)

    def delete(self, row: int) -> str | None:
        """Remove a run that is not training, with its folder; the reason if it cannot."""
        entry = self.model.record(row)
        if self._thread_of(entry) is not None:
            return self.tr("{0} is training; stop it first").format(entry.name)
        if entry.path is not None and entry.path.exists():
            try:
                shutil.rmtree(entry.path)
            except OSError as err:
                return f"{entry.path}: {err.strerror}"
        self.model.remove(row)
        return None

    def export(
        self,
        row: int,
        path: Path,
        fmt: str,
        on_done: Callable[[str], None],
        on_failed: Failure | None = None,
    ) -> None:
        """Export a run's trained network in the background."""
        entry = self.model.record(row)
        if entry.path is None:
            return
        run_path = entry.path
        run_in_background(
            lambda: export_trained(path, fmt, run_path),
            lambda source: on_done(
                self.tr("Exported {0} (weights from {1})").format(path, shown(source))
            ),
            _reason_only(on_failed),
        )

    def stop_all(self, timeout_ms: int = 60_000) -> bool:
        """Stop every run and wait for its thread (each saves a checkpoint)."""
        ok = True
        for run in list(self._threads.values()):
            ok = run.stop_and_wait(timeout_ms) and ok
        QCoreApplication.processEvents()  # let the final events reach the table
        return ok


_controller: TrainingController | None = None


def training_controller() -> TrainingController:
    """The application's controller, made on first use (a child of the QApplication)."""
    global _controller
    if _controller is None:
        _controller = TrainingController(QCoreApplication.instance())
        _controller.destroyed.connect(_forget_controller)
    return _controller


def stop_all_training(timeout_ms: int = 60_000) -> bool:
    """Stop every run of the application, if any; at exit no thread may be left running."""
    return _controller.stop_all(timeout_ms) if _controller is not None else True


def _forget_controller() -> None:
    global _controller
    _controller = None
