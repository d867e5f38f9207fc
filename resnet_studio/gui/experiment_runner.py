"""Running experiments from the window: one scheduler per experiment, on its own thread.

The :class:`~resnet_studio.training.scheduler.Scheduler` trains each cell as a
``resnet-studio train`` process and blocks until they end, so it runs on a
:class:`QThread`; each cell that starts or ends reaches the window as a queued
signal. Making an experiment (loading the data, fitting the networks) runs in
the background too, through the steps ``experiment run`` takes
(:mod:`resnet_studio.training.experiment_setup`). One
:class:`ExperimentsController` serves the whole application, so closing one
window stops nothing that another window shows.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from resnet_studio.gui.core_text import shown_reason
from resnet_studio.gui.tasks import run_in_background
from resnet_studio.training.experiment import Experiment, ExperimentSpec
from resnet_studio.training.scheduler import CellState, Scheduler, plan_parallel

Failure = Callable[[str], None]


def experiment_key(path: str | os.PathLike[str]) -> str:
    """One name per experiment folder, however it was reached (links, ``..``)."""
    return os.path.realpath(path)


class _SchedulerThread(QThread):
    """Runs one experiment's scheduler; ``changed`` carries a copy of each cell's state."""

    # The experiment's key and a copy of the CellState (the scheduler goes on changing its own)
    changed = Signal(str, object)

    def __init__(
        self, experiment: Experiment, parallel: int | None, resume: bool, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.key = experiment_key(experiment.path)
        self.experiment = experiment
        self.parallel = parallel
        self.resume = resume
        self.scheduler: Scheduler | None = None
        self.error = ""  # why the scheduler stopped by itself, if it did
        self.stop_asked = False

    def run(self) -> None:
        experiment = self.experiment
        try:
            # Reading every cell's status reads every run folder: here, not in the window.
            k, threads = plan_parallel(len(experiment.cells), experiment.device, self.parallel)
            scheduler = Scheduler(experiment, k, threads, self._changed, retry_failed=self.resume)
            self.scheduler = scheduler
            if self.stop_asked:  # stopped while the scheduler was being made
                scheduler.stop()
            scheduler.run()
        except Exception as err:  # noqa: BLE001 - told in the window, never lost
            self.error = shown_reason(err)

    def _changed(self, state: CellState) -> None:
        self.changed.emit(self.key, dataclasses.replace(state))

    def stop(self) -> None:
        """Ask every running cell to stop after its batch (each saves a checkpoint)."""
        self.stop_asked = True
        if self.scheduler is not None:
            self.scheduler.stop()


class ExperimentsController(QObject):
    """The application's running experiments, keyed by :func:`experiment_key`."""

    started = Signal(str)  # an experiment's key: it runs now
    cell_changed = Signal(str, object)  # key, CellState: a cell started or ended
    ended = Signal(str, str)  # key, and why it ended early ("" when it ran its course)

    def __init__(self, parent: QObject | None = None, runs_root: Path | None = None) -> None:
        super().__init__(parent)
        self.runs_root = runs_root
        self._threads: dict[str, _SchedulerThread] = {}

    def root(self) -> Path:
        """Where new experiments are made: the runs folder."""
        from resnet_studio.training.runs import default_runs_root

        return self.runs_root or default_runs_root()

    # --- state ------------------------------------------------------------------------

    def running(self) -> list[Experiment]:
        """The experiments whose scheduler is still working."""
        return [t.experiment for t in self._threads.values() if not t.isFinished()]

    def is_running(self, path: str | os.PathLike[str]) -> bool:
        thread = self._threads.get(experiment_key(path))
        return thread is not None and not thread.isFinished()

    def is_stopping(self, path: str | os.PathLike[str]) -> bool:
        thread = self._threads.get(experiment_key(path))
        return thread is not None and not thread.isFinished() and thread.stop_asked

    # --- starting ---------------------------------------------------------------------

    def create(
        self,
        spec: ExperimentSpec,
        data_root: Path,
        *,
        device: str = "auto",
        parallel: int | None = None,
        on_started: Callable[[Experiment], None] | None = None,
        on_failed: Failure | None = None,
    ) -> None:
        """Load the data, fit the networks and make the folder in the background; then
        run it. ``on_failed`` gets the one-line reason when making it fails."""
        root = self.root()

        def work() -> Experiment:
            from resnet_studio.training.experiment_setup import new_experiment

            return new_experiment(spec, data_root, root, device=device, parallel=parallel)

        def made(experiment: Experiment) -> None:
            self.run(experiment)
            if on_started is not None:
                on_started(experiment)

        def failed(reason: str, _traceback: str) -> None:
            if on_failed is not None:
                on_failed(reason)

        run_in_background(work, made, failed)

    def run(self, experiment: Experiment, resume: bool = False) -> bool:
        """Train the experiment's unfinished cells (``resume``: failed ones again too);
        False when it is running already."""
        key = experiment_key(experiment.path)
        if self.is_running(key):
            return False
        thread = _SchedulerThread(experiment, experiment.parallel, resume, self)
        # To the controller's own signal and slot: queued into the GUI thread.
        thread.changed.connect(self.cell_changed)
        thread.finished.connect(self._thread_ended)
        self._threads[key] = thread
        thread.start()
        self.started.emit(key)
        return True

    @Slot()
    def _thread_ended(self) -> None:
        thread = self.sender()
        if isinstance(thread, _SchedulerThread) and self._threads.get(thread.key) is thread:
            del self._threads[thread.key]
            self.ended.emit(thread.key, thread.error)
            thread.deleteLater()

    # --- stopping ---------------------------------------------------------------------

    def stop(self, path: str | os.PathLike[str]) -> None:
        """Ask the experiment's running cells to stop; queued ones stay queued."""
        thread = self._threads.get(experiment_key(path))
        if thread is not None:
            thread.stop()

    def stop_all(self, timeout_ms: int = 120_000) -> bool:
        """Stop every experiment and wait for its cells to save their checkpoints."""
        threads = list(self._threads.values())
        for thread in threads:
            thread.stop()
        ok = all(thread.wait(timeout_ms) for thread in threads)
        QCoreApplication.processEvents()  # the cells' last states reach the views
        return ok


_controller: ExperimentsController | None = None


def experiments_controller() -> ExperimentsController:
    """The application's controller, made on first use (a child of the QApplication)."""
    global _controller
    if _controller is None:
        _controller = ExperimentsController(QCoreApplication.instance())
        _controller.destroyed.connect(_forget_controller)
    return _controller


def stop_all_experiments(timeout_ms: int = 120_000) -> bool:
    """Stop every experiment of the application, if any (at exit)."""
    return _controller.stop_all(timeout_ms) if _controller is not None else True


def _forget_controller() -> None:
    global _controller
    _controller = None
