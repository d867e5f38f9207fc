"""One fold of a run's events (training.history): resumed runs repeat nothing, the latest
start clears the old ending, and statuses read the same everywhere (``cancelled`` of older
run folders reads ``stopped``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resnet_studio.training.events import (
    Cancelled,
    EpochEnd,
    Failed,
    Finished,
    RunStarted,
    StepMetrics,
    event_to_dict,
)
from resnet_studio.training.history import RunHistory, status_as_read
from resnet_studio.training.runs import METRICS_FILE, read_run
from tests.cli_in_process import cli


def started(start_epoch: int = 0, start_iteration: int = 0) -> RunStarted:
    return RunStarted("cpu", 100, 3, 24, 8, 256, 64, start_epoch, start_iteration)


def step(iteration: int, loss: float = 1.0) -> StepMetrics:
    return StepMetrics(iteration / 8, iteration, loss, 0.5, 0.1, 100.0)


def epoch(number: int, val_error: float = 0.5) -> EpochEnd:
    return EpochEnd(number, 8 * number, 1.0, 0.5, 1.0, val_error, 0.1, 1.0, 100.0)


# A run stopped in epoch 2 (iteration 12), resumed, killed in epoch 3 after logging steps
# past its last checkpoint (epoch 2, iteration 16), resumed again and finished.
EVENTS = [
    started(),
    *(step(i) for i in (2, 4, 6, 8)),
    epoch(1),
    *(step(i) for i in (10, 12)),
    Cancelled(1.5, 12),
    started(1, 12),
    *(step(i, 0.9) for i in (14, 16)),
    epoch(2),
    *(step(i) for i in (18, 20)),  # the kill: no ending, these steps are lost on resume
    started(2, 16),
    *(step(i, 0.8) for i in (18, 20, 22, 24)),
    epoch(3, 0.25),
    Finished(3, 24, 0.25, 0.25, 9.0, test_error=0.3, test_loss=1.1, test_images=100),
]
UNTIL_STOPPED = EVENTS[: EVENTS.index(Cancelled(1.5, 12)) + 1]


def fold(events) -> RunHistory:
    history = RunHistory()
    for event in events:
        history.apply(event)
    return history


def test_a_resumed_run_repeats_nothing() -> None:
    history = fold(EVENTS)
    assert [e.epoch for e in history.epochs] == [1, 2, 3]
    assert [s.iteration for s in history.steps] == list(range(2, 25, 2))
    # The resumed run's steps replace the killed run's at the same iterations.
    assert [s.loss for s in history.steps if s.iteration > 16] == [0.8] * 4
    assert history.started == started(2, 16)
    assert isinstance(history.final, Finished)
    assert (history.status, history.test_error, history.iteration) == ("finished", 0.3, 24)


def test_a_new_start_clears_the_old_ending_and_keeps_what_came_before_it() -> None:
    history = fold(UNTIL_STOPPED)
    assert history.status == "stopped" and isinstance(history.final, Cancelled)
    kept = history.carried_over()  # what the window's row keeps while the resume starts
    assert (kept.epochs, kept.steps, kept.final, kept.status) == (
        history.epochs,
        history.steps,
        None,
        None,
    )
    history.apply(started(1, 12))
    assert history.final is None and history.status == "running" and history.reason == ""
    assert history.iteration == 12 and history.epochs_done == 1
    history.apply(Failed("out of memory"))
    assert (history.status, history.reason) == ("failed", "out of memory")


def test_every_status_word_is_decided_once() -> None:
    assert fold([started(), Cancelled(0.5, 4)]).status == "stopped"
    assert fold([]).status is None
    assert status_as_read("cancelled") == "stopped"  # what older versions wrote
    assert status_as_read("stopped") == "stopped"
    assert status_as_read("finished") == "finished"


def write_run(path: Path, events, status: str) -> Path:
    """A run folder holding ``events``: a real run's run.json, with ``status``."""
    from resnet_studio.arch.project import network_to_dict
    from resnet_studio.training.recipe import Recipe
    from tests.training.conftest import tiny_network

    path.mkdir()
    info = {
        "name": "tiny",
        "network": network_to_dict(tiny_network()),
        "recipe": Recipe(epochs=3, batch_size=32).to_dict(),
        "dataset": {"name": "synthetic", "subset": 256},
        "status": status,
        "host": "elsewhere",  # not this machine's: its status is taken as written
    }
    (path / "run.json").write_text(json.dumps(info))
    lines = [json.dumps(event_to_dict(e)) + "\n" for e in events]
    (path / METRICS_FILE).write_text("".join(lines))
    return path


def test_read_run_folds_as_the_history_does(tmp_path: Path) -> None:
    record = read_run(write_run(tmp_path / "run", EVENTS, "finished"))
    assert record.history == fold(EVENTS)
    assert (record.epochs, record.steps, record.final) == (
        record.history.epochs,
        record.history.steps,
        record.history.final,
    )


@pytest.mark.parametrize("written", ["cancelled", "stopped"])
def test_a_stopped_run_reads_stopped_even_from_older_versions(capsys, tmp_path, written):
    run = write_run(tmp_path / "run", UNTIL_STOPPED, written)
    assert read_run(run).status == "stopped"
    code, out, err = cli(capsys, "compare", run)
    assert code == 0 and err == ""
    assert out.splitlines()[1].split()[2] == "stopped"
