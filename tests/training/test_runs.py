"""The run store: reading and listing run folders, and what a killed process leaves."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from resnet_studio.arch.inference import infer
from resnet_studio.arch.project import save_project
from resnet_studio.training.events import EpochEnd, RunStarted, StepMetrics
from resnet_studio.training.launch import new_run
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import (
    RunFolder,
    RunFolderError,
    default_runs_root,
    list_runs,
    new_run_dir,
    read_run,
)
from tests.training.conftest import tiny_network

FAST = dict(batch_size=32, log_every=2, threads=1)


def finished_run(path: Path, data, epochs: int = 2, name: str = "tiny") -> Path:
    handle = new_run(tiny_network(), data, Recipe(epochs=epochs, **FAST), path, name=name)
    assert handle.run().status == "finished"
    return path


# --- reading and listing ----------------------------------------------------------------


def test_read_run_of_a_finished_run(tiny_data, tmp_path: Path) -> None:
    record = read_run(finished_run(tmp_path / "run", tiny_data))
    assert record.name == "tiny" and record.status == "finished"
    network = record.network
    assert (network.name, network.input_shape, network.classes) == ("tiny", (3, 32, 32), 10)
    assert infer(network).total_params == infer(tiny_network()).total_params
    assert record.recipe == Recipe(epochs=2, **FAST)
    assert [e.epoch for e in record.epochs] == [1, 2]
    assert [s.iteration for s in record.steps] == list(range(2, 17, 2))
    assert record.final.best_val_error == min(e.val_error for e in record.epochs)
    assert record.info["dataset"]["name"] == "synthetic"
    assert record.info["dataset"]["train_images"] == 256


def test_list_runs_oldest_first_skipping_what_is_no_run(tiny_data, tmp_path: Path) -> None:
    root = tmp_path / "runs"
    first = new_run_dir(root, "tiny one")
    assert first.parent == root and first.name.endswith("-tiny-one")
    finished_run(first, tiny_data, epochs=1, name="first")
    second = new_run_dir(root, "tiny one")  # a new folder, even within the same second
    assert second != first
    finished_run(second, tiny_data, epochs=1, name="second")
    (root / "notes").mkdir()  # no run.json
    (root / "broken").mkdir()
    (root / "broken" / "run.json").write_text("{half")
    (root / "stray.txt").write_text("")
    listed = list_runs(root)
    assert [r.name for r in listed] == ["first", "second", "broken"]
    # A damaged run is listed, marked so (tests/training/test_damaged_runs.py).
    assert listed[2].status == "damaged" and "run.json: unreadable" in listed[2].damaged
    assert list_runs(tmp_path / "nowhere") == []


def test_default_runs_root_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RESNET_STUDIO_RUNS", str(tmp_path / "r"))
    assert default_runs_root() == tmp_path / "r"
    monkeypatch.delenv("RESNET_STUDIO_RUNS")
    monkeypatch.setenv("RESNET_STUDIO_HOME", str(tmp_path / "home"))
    assert default_runs_root() == tmp_path / "home" / "runs"


def test_a_folder_that_is_no_run_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError, match="not a run folder"):
        read_run(tmp_path)
    (tmp_path / "run.json").write_text("not json")
    with pytest.raises(RunFolderError, match="run.json: unreadable"):
        read_run(tmp_path)
    with pytest.raises(RunFolderError, match="no checkpoint.pt to resume from"):
        RunFolder(tmp_path).read_checkpoint()


def test_create_refuses_a_folder_that_holds_a_run(tiny_data, tmp_path: Path) -> None:
    path = finished_run(tmp_path / "run", tiny_data, epochs=1)
    with pytest.raises(RunFolderError, match="already holds a run"):
        new_run(tiny_network(), tiny_data, Recipe(**FAST), path, name="again")
    assert read_run(path).status == "finished"


def test_status_of_a_running_record_depends_on_its_process(tiny_data, tmp_path: Path) -> None:
    path = finished_run(tmp_path / "run", tiny_data, epochs=1)
    folder = RunFolder(path)
    folder.update_info(status="running", pid=os.getpid())
    assert read_run(path).status == "running"  # this process is alive
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder.update_info(status="running", pid=dead.pid)
    assert read_run(path).status == "interrupted"
    folder.update_info(host="another-machine")
    assert read_run(path).status == "running"  # cannot tell from here: trust the record


def test_resumed_run_reads_without_repeats(tiny_data, tmp_path: Path) -> None:
    """Events a resumed run repeats (after the checkpoint) replace the first ones."""
    path = finished_run(tmp_path / "run", tiny_data, epochs=2)
    folder = RunFolder(path)
    record = read_run(path)
    # As if the process died after epoch 1's checkpoint and was resumed from there.
    folder.append_event(RunStarted("cpu", 1506, 2, 16, 8, 256, 128, 1, 8))
    folder.append_event(StepMetrics(1.25, 10, 2.0, 0.5, 0.1, 100.0))
    again = read_run(path)
    assert [e.epoch for e in again.epochs] == [1] and again.final is None
    assert [s.iteration for s in again.steps] == [2, 4, 6, 8, 10]
    assert again.epochs[0] == record.epochs[0]


# --- a killed process -------------------------------------------------------------------


def wait_for_epoch_end(proc: subprocess.Popen, metrics: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"training ended early with {proc.returncode}: {proc.stderr.read()}")
        # Two epochs: an epoch's end is recorded just before its checkpoint is written,
        # so only then is a checkpoint past the start surely on disk.
        if metrics.exists() and metrics.read_text().count('"event": "EpochEnd"') >= 2:
            return
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"no epoch finished within {timeout} s")


@pytest.fixture(scope="module")
def killed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A run of many epochs, killed with SIGKILL once its second epoch is recorded."""
    base = tmp_path_factory.mktemp("killed")
    env = dict(os.environ, RESNET_STUDIO_RUNS=str(base / "runs"), RESNET_STUDIO_HOME=str(base))
    save_project(base / "tiny.json", tiny_network())
    run_dir = base / "run"
    # stdout to DEVNULL: a full pipe that nobody reads would block the trainer.
    proc = subprocess.Popen(
        [sys.executable, "-m", "resnet_studio", "train", base / "tiny.json", "--epochs", "50",
         "--subset", "256", "--batch-size", "32", "--threads", "1", "--out", run_dir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )  # fmt: skip
    try:
        wait_for_epoch_end(proc, run_dir / "metrics.jsonl")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)  # reaped: its pid is gone, as after a crash
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return run_dir, env


def test_killed_run_is_readable_up_to_its_last_epoch(killed_run) -> None:
    run_dir, _ = killed_run
    record = read_run(run_dir)
    assert record.status == "interrupted"
    assert record.final is None
    done = [e.epoch for e in record.epochs]
    assert done and done == list(range(1, len(done) + 1)) and len(done) < 50
    assert all(0 <= e.val_error <= 1 for e in record.epochs)
    assert "epoch 1: train loss" in (run_dir / "log.txt").read_text()
    assert not (run_dir / "model.pt").exists()  # only a finished run has a final model
    # The checkpoint loads as plain data and is at most one epoch older than the last
    # recorded epoch (the process may die between recording an epoch and writing its
    # checkpoint; a resume then trains that epoch again).
    state = torch.load(run_dir / "checkpoint.pt", weights_only=True)
    assert state["progress"]["batch"] == 0
    assert state["progress"]["epoch"] in (len(done) - 1, len(done))
    assert set(state["model"]) == set(tiny_network_state())
    # No temp file either, unless the kill landed while the last epoch's checkpoint was
    # being written: then that write's temp file is left and the previous one stands.
    left = [p.name for p in run_dir.iterdir() if p.name.startswith(".")]
    if state["progress"]["epoch"] == len(done):
        assert left == []
    else:
        assert all(re.fullmatch(r"\.checkpoint\.pt\.[0-9a-f]{8}\.tmp", n) for n in left), left


def tiny_network_state() -> dict[str, torch.Tensor]:
    from resnet_studio.model.build import build_model

    return build_model(tiny_network()).state_dict()


def test_a_half_written_last_line_is_skipped(killed_run, tmp_path: Path) -> None:
    run_dir, _ = killed_run
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("run.json", "metrics.jsonl"):
        (copy / name).write_bytes((run_dir / name).read_bytes())
    before = read_run(copy)
    with open(copy / "metrics.jsonl", "a", encoding="utf-8") as f:
        f.write('{"event": "EpochEnd", "epoch": 99, "iteration": 7')  # cut off mid-line
    after = read_run(copy)
    assert after.epochs == before.epochs and after.status == "interrupted"
    # The next writer starts on a new line, so its event is not lost with the broken one.
    RunFolder(copy).append_event(StepMetrics(9.5, 1000, 1.0, 0.25, 0.1, 50.0))
    assert read_run(copy).steps[-1].iteration == 1000
    assert after.epochs == read_run(copy).epochs


def test_resume_continues_a_killed_run_from_its_checkpoint(killed_run) -> None:
    run_dir, env = killed_run
    progress = torch.load(run_dir / "checkpoint.pt", weights_only=True)["progress"]
    done = progress["epoch"]
    result = subprocess.run(
        [sys.executable, "-m", "resnet_studio", "train", "--resume", run_dir,
         "--epochs", str(done + 1)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"epoch {done + 1}/{done + 1}:" in result.stdout
    record = read_run(run_dir)
    assert record.status == "finished"
    assert [e.epoch for e in record.epochs] == list(range(1, done + 2))
    assert record.epochs[-1].iteration == (done + 1) * 8  # 256 images, batches of 32
    starts = [
        json.loads(line)
        for line in (run_dir / "metrics.jsonl").read_text().splitlines()
        if '"RunStarted"' in line
    ]
    assert [(s["start_epoch"], s["start_iteration"]) for s in starts] == [(0, 0), (done, done * 8)]
    assert f"resuming at iteration {done * 8}" in (run_dir / "log.txt").read_text()
    assert (run_dir / "model.pt").exists()
    assert isinstance(record.epochs[-1], EpochEnd)
