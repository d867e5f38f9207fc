"""Training runs on QThreads: signals, cancelling, failures, the runs table, and disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Slot

from resnet_studio.gui.run_worker import RunThread, RunWorker, running_threads, stop_all
from resnet_studio.gui.runs_model import PROGRESS, STATUS, VAL_ERROR, RunsModel
from resnet_studio.training.events import (
    Cancelled,
    EpochEnd,
    Failed,
    Finished,
    RunStarted,
    StepMetrics,
)
from resnet_studio.training.launch import RunHandle, new_run
from resnet_studio.training.recipe import Recipe
from tests.training.conftest import tiny_network

WAIT_MS = 120_000


@pytest.fixture(scope="module")
def data():
    """256 training and 128 validation images of the built-in synthetic set."""
    from resnet_studio.training.datasets import load_dataset

    return load_dataset("synthetic", subset=256, val_size=128)


@pytest.fixture(autouse=True)
def no_thread_left(qapp):
    """Every run stops by the end of its test, and its Qt objects are deleted."""
    yield
    assert stop_all(60_000), "a run thread did not stop"
    qapp.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
    assert running_threads() == []


class Recorder(QObject):
    """Collects one worker's signals in the GUI thread."""

    def __init__(self, worker: RunWorker) -> None:
        super().__init__()
        self.started: list[RunStarted] = []
        self.steps: list[StepMetrics] = []
        self.epochs: list[EpochEnd] = []
        self.final: list[object] = []
        worker.event.connect(self.on_event)
        worker.finished.connect(self.on_finished)

    @Slot(object)
    def on_event(self, event) -> None:
        kinds = {RunStarted: self.started, StepMetrics: self.steps, EpochEnd: self.epochs}
        kinds[type(event)].append(event)

    @Slot(object)
    def on_finished(self, event) -> None:
        self.final.append(event)


def recipe(**changes) -> Recipe:
    return Recipe(**{"epochs": 2, "batch_size": 32, "log_every": 2, "threads": 1, **changes})


def prepare(
    root: Path, name: str, data, model: RunsModel | None = None, **changes
) -> tuple[RunThread, Recorder]:
    """A run in ``root/name``, connected to a recorder (and the model), not yet started."""
    handle = new_run(tiny_network(), data, recipe(**changes), root / name, name=name)
    run = RunThread(handle)
    recorder = Recorder(run.worker)
    if model is not None:
        model.add_live(name, handle, run.worker)
    return run, recorder


def test_runs_train_side_by_side_and_a_failure_disturbs_none(qtbot, qtmodeltester, tmp_path, data):
    model = RunsModel()
    runs = {
        "alpha": prepare(tmp_path, "alpha", data, model),
        "beta": prepare(tmp_path, "beta", data, model),
        "broken": prepare(tmp_path, "broken", data, model, device="cuda:9"),
    }
    qtmodeltester.check(model)
    for run, _ in runs.values():
        run.start()

    qtbot.waitUntil(lambda: all(bool(rec.final) for _, rec in runs.values()), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not running_threads(), timeout=WAIT_MS)

    for name in ("alpha", "beta"):
        run, rec = runs[name]
        assert len(rec.started) == 1 and rec.started[0].epochs == 2
        assert [e.epoch for e in rec.epochs] == [1, 2]
        assert len(rec.steps) == 8  # 8 batches a epoch, logged every 2 steps, 2 epochs
        assert rec.final == [rec.final[0]] and isinstance(rec.final[0], Finished)
        assert (tmp_path / name / "model.pt").exists()  # written before `finished`
        assert run.done
    broken = runs["broken"][1]
    assert broken.epochs == [] and len(broken.final) == 1
    assert isinstance(broken.final[0], Failed)
    assert "cuda" in broken.final[0].reason.lower()

    # The table follows the signals.
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    for row, (name, status, progress) in enumerate(
        [("alpha", "finished", "2/2"), ("beta", "finished", "2/2"), ("broken", "failed", "0/2")]
    ):
        assert model.index(row, 0).data() == name
        assert model.index(row, STATUS).data() == status
        assert model.index(row, PROGRESS).data() == progress
    assert model.record(0).epochs == runs["alpha"][1].epochs
    assert model.record(0).steps == runs["alpha"][1].steps
    assert model.index(0, VAL_ERROR).data().endswith("%")
    assert "cuda" in model.index(2, STATUS).data(role=3).lower()  # ToolTipRole: the reason

    # A fresh table reads the same runs back from disk.
    past = RunsModel()
    past.load_from_disk(tmp_path)
    qtmodeltester.check(past)
    assert [past.index(r, 0).data() for r in range(past.rowCount())] == [
        "alpha",
        "beta",
        "broken",
    ]
    assert past.index(0, STATUS).data() == "finished"
    assert past.index(0, PROGRESS).data() == "2/2"
    assert past.record(0).epochs == runs["alpha"][1].epochs
    assert past.index(2, STATUS).data() == "failed"

    # Reading from disk beside live rows lists each run once.
    model.load_from_disk(tmp_path)
    assert model.rowCount() == 3


def test_stopping_one_run_leaves_the_other_to_finish(qtbot, qtmodeltester, tmp_path, data):
    model = RunsModel()
    short, short_rec = prepare(tmp_path, "short", data, model)
    long, long_rec = prepare(tmp_path, "long", data, model, epochs=200)
    short.start()
    long.start()

    qtbot.waitUntil(lambda: bool(long_rec.epochs), timeout=WAIT_MS)
    model.cancel(model.row_of("long"))
    qtbot.waitUntil(lambda: bool(long_rec.final and short_rec.final), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not running_threads(), timeout=WAIT_MS)

    assert isinstance(long_rec.final[0], Cancelled)
    assert 1 <= len(long_rec.epochs) < 200
    assert isinstance(short_rec.final[0], Finished)
    assert [e.epoch for e in short_rec.epochs] == [1, 2]
    assert model.index(model.row_of("long"), STATUS).data() == "stopped"
    assert model.index(model.row_of("short"), STATUS).data() == "finished"
    qtmodeltester.check(model)

    past = RunsModel()
    past.load_from_disk(tmp_path)
    assert {past.record(r).name: past.record(r).status for r in range(2)} == {
        "long": "stopped",
        "short": "finished",
    }


def test_stop_and_wait_cancels_and_joins(qtbot, tmp_path, data):
    run, rec = prepare(tmp_path, "waited", data, epochs=500)
    run.start()
    qtbot.waitUntil(lambda: bool(rec.steps), timeout=WAIT_MS)
    assert run.is_running()
    assert run.stop_and_wait(60_000)
    assert not run.is_running() and running_threads() == []
    qtbot.waitUntil(lambda: bool(rec.final), timeout=5_000)  # queued while the GUI waited
    assert isinstance(rec.final[0], Cancelled)


class _Exploding(RunHandle):
    def run(self, listeners=()):
        raise RuntimeError("the engine broke its promise")


def test_an_escaping_exception_becomes_failed(tmp_path, data):
    worker = RunWorker(_Exploding(tiny_network(), data, recipe(), None))
    rec = Recorder(worker)
    worker.run()  # in this thread: the signals are delivered directly
    assert len(rec.final) == 1 and isinstance(rec.final[0], Failed)
    assert rec.final[0].reason == "RuntimeError: the engine broke its promise"
    assert "Traceback" in rec.final[0].traceback
