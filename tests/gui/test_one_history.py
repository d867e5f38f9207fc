"""The window and the CLI tell one run's story alike (training.history, .orchestration).

- A run stopped in the window and resumed there, and a run killed (``kill -9``) by the
  CLI and resumed in the window: the Runs tab's live row, the row the window reads
  back from disk, and ``read_run``/``compare`` (the CLI) hold the same epochs, steps
  and ending, with no step repeated.
- A resume that cannot start is refused by ``train --resume`` and by the window in the
  same words (a run.json without a data set name used to resume on synthetic data in
  the window); a hand-edited run.json is a damaged row in the Runs tab.
- The Train dialog's shape check is the one starting makes.
"""

from __future__ import annotations

import dataclasses
import json
import signal
from pathlib import Path

import pytest

from resnet_studio.arch.project import save_project
from resnet_studio.arch.spec import Conv2d
from resnet_studio.gui.run_worker import running_threads
from resnet_studio.gui.runs_model import STATUS, RunEntry, RunsModel
from resnet_studio.gui.train_dialog import TrainDialog
from resnet_studio.gui.training import TrainingController
from resnet_studio.training.events import Finished
from resnet_studio.training.orchestration import (
    DataMismatchError,
    TrainRequest,
    prepare_resume,
    prepare_runs,
)
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import read_run
from tests.cli_in_process import ERROR_PREFIX, assert_one_line_error, cli
from tests.training.cli_helpers import user_env
from tests.training.conftest import tiny_network

WAIT_MS = 180_000
STEPS_PER_EPOCH = 32  # 256 synthetic images in batches of 8


def assert_one_history(
    capsys, controller: TrainingController, entry: RunEntry, log_every: int
) -> None:
    """The live row, the window's reading from disk and the CLI's agree on ``entry``'s run,
    which finished 3 epochs with a step logged every ``log_every``, none repeated."""
    cli_record = read_run(entry.path)
    from_disk = RunsModel()
    from_disk.load_from_disk(controller.runs_root)
    [row] = [from_disk.record(r) for r in range(from_disk.rowCount())]
    assert entry.history == cli_record.history == row.history
    assert entry.status == cli_record.status == row.status == "finished"
    history = cli_record.history
    assert [e.epoch for e in history.epochs] == [1, 2, 3]
    iterations = [s.iteration for s in history.steps]
    assert iterations == list(range(log_every, 3 * STEPS_PER_EPOCH + 1, log_every))
    assert isinstance(history.final, Finished)
    code, out, err = cli(capsys, "compare", entry.path)
    assert code == 0 and err == ""
    _name, _data, status, epochs, *_ = out.splitlines()[1].split()
    assert (status, epochs) == ("finished", "3")


def resume_in_window(qtbot, controller: TrainingController) -> RunEntry:
    """Resume the table's only run as the Resume button does; its row once it has finished."""
    before = controller.model.record(0)
    controller.resume(0)
    qtbot.waitUntil(
        lambda: (
            controller.model.record(0) is not before
            and controller.model.record(0).final is not None
        ),
        timeout=WAIT_MS,
    )
    assert controller.model.rowCount() == 1  # the same run, not a new row
    return controller.model.record(0)


def test_a_run_stopped_and_resumed_in_the_window_reads_the_same_in_the_cli(
    capsys, qtbot, controller
) -> None:
    recipe = Recipe(epochs=3, batch_size=8, log_every=2, threads=1)
    controller.start(TrainRequest(tiny_network(), "synthetic", None, 256, recipe, "stopped"))
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=WAIT_MS)
    entry = controller.model.record(0)
    qtbot.waitUntil(lambda: entry.iteration > STEPS_PER_EPOCH + 4, timeout=WAIT_MS)
    controller.stop(0)
    qtbot.waitUntil(lambda: entry.final is not None, timeout=WAIT_MS)
    assert entry.status == read_run(entry.path).status == "stopped"
    assert "stopped" in (entry.path / "log.txt").read_text().splitlines()[-1]
    # Where it stopped: its last batch (past its last logged step when that is odd).
    stopped_at = entry.final.iteration
    assert stopped_at >= entry.iteration
    assert entry.history == read_run(entry.path).history

    resumed = resume_in_window(qtbot, controller)
    assert resumed.started.start_iteration == stopped_at  # it went on where it stopped
    assert_one_history(capsys, controller, resumed, recipe.log_every)


def test_a_killed_run_resumed_in_the_window_reads_the_same_in_the_cli(
    capsys, qtbot, controller, tmp_path
) -> None:
    from tests.training.test_kill_and_resume import finish, start, wait_for

    project = tmp_path / "tiny.json"
    save_project(project, tiny_network())
    run = controller.runs_root / "killed"
    train = ["train", project, "--subset", 256, "--epochs", 3, "--batch-size", 8, "--threads", 1]
    # Killed in epoch 2 after 28 batches: steps at iterations 40 and 60 were logged past
    # the last checkpoint (epoch 1's, iteration 32); the resume must drop them.
    proc = start(user_env(tmp_path), [*train, "--out", run], tmp_path, "train", "train:2:28")
    try:
        wait_for(proc, (tmp_path / "marker").exists, "the kill point")
        proc.send_signal(signal.SIGKILL)
    finally:
        finish(proc)
    killed = read_run(run)
    assert killed.status == "interrupted" and killed.final is None
    assert [s.iteration for s in killed.steps] == [20, 40, 60]

    controller.reload()
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=WAIT_MS)
    shown = controller.model.record(0)
    assert shown.history == killed.history and shown.status == "interrupted"
    resumed = resume_in_window(qtbot, controller)
    assert resumed.started.start_iteration == STEPS_PER_EPOCH
    assert_one_history(capsys, controller, resumed, Recipe().log_every)


# --- refusals ------------------------------------------------------------------------------


def edit_run_json(path: Path, change) -> None:
    info = json.loads((path / "run.json").read_text())
    change(info)
    (path / "run.json").write_text(json.dumps(info))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda info: info["dataset"].pop("name"), "run.json: no dataset.name"),
        (
            lambda info: info["recipe"].update(lr="0.1"),
            "run.json: recipe.lr must be a number, got text",
        ),
        (
            lambda info: info["recipe"].update(batch_size=0),
            "run.json: recipe.batch_size must be from 1 to 65,536, got 0",
        ),
        (
            lambda info: info["dataset"].update(skip_bad_images="yes"),
            "run.json: dataset.skip_bad_images must be true or false, got text",
        ),
    ],
    ids=["no data set name", "lr text", "batch size 0", "skip_bad_images text"],
)
def test_window_and_cli_refuse_a_damaged_resume_in_the_same_words(
    capsys, qtbot, qtmodeltester, controller, stopped, change, reason
) -> None:
    edit_run_json(stopped, change)
    before = (stopped / "run.json").read_bytes()
    code, _out, err = cli(capsys, "train", "--resume", stopped)
    line = assert_one_line_error(code, err, f"{stopped}: damaged: {reason}")

    controller.reload()
    qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=WAIT_MS)
    qtmodeltester.check(controller.model)
    index = controller.model.index(0, STATUS)
    assert index.data() == "damaged" and index.data(role=3) == reason  # 3: the tooltip
    failures: list[str] = []
    controller.resume(0, on_failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert [ERROR_PREFIX + failures[0]] == [line]
    assert (stopped / "run.json").read_bytes() == before and running_threads() == []


def test_nothing_left_to_train_is_refused_before_loading(stopped) -> None:
    edit_run_json(stopped, lambda info: info.update(status="finished"))
    (stopped / "metrics.jsonl").write_text(
        json.dumps(
            {
                "event": "EpochEnd",
                **dict(epoch=10, iteration=10, train_loss=1.0, train_error=0.5),
                **dict(val_loss=1.0, val_error=0.5, lr=0.1, seconds=1.0, images_per_s=1.0),
            }
        )
        + "\n"
    )
    with pytest.raises(ValueError, match="already finished 10 epochs; give it more epochs"):
        prepare_resume(stopped)


def test_runs_that_cannot_start_are_refused_before_any_folder_is_made(
    qtbot, controller, monkeypatch
) -> None:
    """As ``train`` does: each run (here the plain twin) is set up before folders are made."""
    from resnet_studio.training import engine

    real_build = engine.build_model

    def build(network, *args, **kwargs):
        if network.name == "tiny-plain":
            raise RuntimeError("the plain twin refused to build")
        return real_build(network, *args, **kwargs)

    monkeypatch.setattr(engine, "build_model", build)
    recipe = Recipe(epochs=1, batch_size=32, threads=1)
    request = TrainRequest(tiny_network(), "synthetic", None, 64, recipe, "tiny", with_twin=True)
    failures: list[str] = []
    controller.start(request, on_failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert failures == ["cannot start training: the plain twin refused to build"]
    assert controller.model.rowCount() == 0 and not controller.runs_root.exists()


# --- the Train dialog ------------------------------------------------------------------------


def test_the_train_dialogs_shape_check_is_the_one_starting_makes(
    qtbot, controller, shared_data
) -> None:
    """The dialog says before loading what starting on the loaded data says (MNIST's
    1×28×28 images against a 3×32×32 network): as it is, and fitted to the data."""
    wide = Conv2d(name="wide", out_channels=8, kernel=30, padding=0)  # 3×3 at 32, none at 28
    for network, fit, told in (
        (
            tiny_network(),
            False,
            "the network takes 3×32×32 images and 10 classes, but MNIST has 1×28×28 images "
            "and 10 classes",
        ),
        (
            dataclasses.replace(tiny_network(), body=(wide, *tiny_network().body[1:])),
            True,
            "tiny cannot run on MNIST's 1×28×28 images: wide:",
        ),
    ):
        dialog = TrainDialog(network, controller)
        qtbot.addWidget(dialog)
        dialog.dataset.setCurrentIndex(dialog.dataset.findData("mnist"))
        dialog.fit.setChecked(fit)
        [shown] = [p for p in dialog.problems() if "MNIST" in p]
        assert shown.startswith(told), shown
        recipe = Recipe(epochs=1, batch_size=8, threads=1)
        request = TrainRequest(network, "mnist", str(shared_data), 64, recipe, "x", fit_to_data=fit)
        with pytest.raises(DataMismatchError) as refused:
            prepare_runs(request, controller.runs_root)
        # The same words; the window names the data set as its menu does, the CLI as typed.
        assert refused.value.problem.startswith(told.replace("MNIST", "mnist"))
        assert shown.startswith(refused.value.problem.replace("mnist", "MNIST"))
        assert not controller.runs_root.exists()  # refused before any folder was made
