"""The scheduler with real runs: K at a time, a failed cell alone, and a killed experiment
resumed to the same weights as one never stopped.

Cells are quarter-width CIFAR nets trained for a few steps on 128 synthetic images,
each in its own ``resnet-studio train`` process, as users run them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from resnet_studio.training.experiment import (
    ExperimentSpec,
    create_experiment,
    experiment_networks,
    read_experiment,
)
from resnet_studio.training.scheduler import Scheduler

TIMEOUT_S = 300


def _experiment(path: Path, depths=(20,), seeds=(0,)):
    spec = ExperimentSpec(
        "tiny",
        depths=depths,
        widths=(0.25,),
        seeds=seeds,
        dataset="synthetic",
        recipe={"iterations": 12, "batch_size": 32},
    )
    networks = experiment_networks(spec, fit=lambda n: n)
    return create_experiment(
        path, spec, networks, data_root=path.parent, dataset="synthetic", subset=128
    )


def test_k_at_a_time_and_a_failed_cell_stops_no_other(tmp_path: Path) -> None:
    experiment = _experiment(tmp_path / "exp", depths=(20, 32))
    broken = next(c for c in experiment.cells if c.key == "plain32-w0.25-s0")
    experiment.network_file(broken).write_text('{"format": "resnet-studio-project", "ver')
    running: set[str] = set()
    most = 0

    def on_change(state) -> None:
        nonlocal most
        if state.status == "running":
            running.add(state.cell.key)
        else:
            running.discard(state.cell.key)
        most = max(most, len(running))

    states = Scheduler(experiment, parallel=2, threads_each=1, on_change=on_change).run()
    assert most == 2
    assert {k: s.status for k, s in states.items()} == {
        "plain20-w0.25-s0": "finished",
        "resnet20-w0.25-s0": "finished",
        "plain32-w0.25-s0": "failed",
        "resnet32-w0.25-s0": "finished",
    }
    reason = states["plain32-w0.25-s0"].reason
    assert reason.startswith("resnet-studio: error: ") and "plain32-w0.25.json" in reason

    # What it found: the table by network, the figures and the CSV, from the same folders.
    shown = subprocess.run(
        [sys.executable, "-m", "resnet_studio", "experiment", "show", str(experiment.path),
         "-o", str(tmp_path / "fig.svg"), "--csv", str(tmp_path / "table.csv")],
        capture_output=True, text=True, timeout=TIMEOUT_S,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "runs: 1 failed, 3 finished" in shown.stdout
    rows = {line.split()[0]: line.split()[1] for line in shown.stdout.splitlines()[3:8] if line}
    assert rows == {
        "network": "runs",
        "plain20-w0.25": "1/1",
        "resnet20-w0.25": "1/1",
        "plain32-w0.25": "0/1",
        "resnet32-w0.25": "1/1",
    }
    assert "depth 20: residual training error" in shown.stdout
    csv_lines = (tmp_path / "table.csv").read_text().splitlines()
    assert csv_lines[0].startswith("network,runs,train err") and len(csv_lines) == 5
    for figure in ("fig.svg", "fig-depth.svg"):
        svg = (tmp_path / figure).read_text()
        assert "<svg" in svg and "plain" in svg
    assert "resnet20-w0.25" in (tmp_path / "fig.svg").read_text()


def _weights(run: Path) -> dict[str, torch.Tensor]:
    return torch.load(run / "model.pt", weights_only=True)["state_dict"]


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_killed_experiment_resumes_to_the_weights_of_one_never_stopped(tmp_path: Path) -> None:
    whole = _experiment(tmp_path / "whole")
    Scheduler(whole, parallel=2, threads_each=1).run()

    killed = _experiment(tmp_path / "killed")
    runner = subprocess.Popen(
        [sys.executable, "-m", "resnet_studio", "experiment", "resume", str(killed.path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    first = killed.cell_dir(killed.cells[0])
    try:
        # Kill everything (runner and cells, as a power cut would) once the first cell
        # has finished two of its three epochs: the first epoch's checkpoint is then
        # written (an epoch's end is logged just before its checkpoint).
        _wait_for(
            lambda: (
                (first / "metrics.jsonl").exists()
                and (first / "metrics.jsonl").read_text().count('"EpochEnd"') >= 2
            ),
            "the second epoch",
        )
        pids = [runner.pid]
        for cell in killed.cells:
            info = killed.cell_dir(cell) / "run.json"
            if info.exists():
                pids.append(json.loads(info.read_text())["pid"])
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
    finally:
        runner.kill()
        runner.wait()
    assert '"Finished"' not in (first / "metrics.jsonl").read_text()

    resumed = subprocess.run(
        [sys.executable, "-m", "resnet_studio", "experiment", "resume", str(killed.path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "interrupted" not in resumed.stdout.split("\n\n")[-1]  # the verdict part
    # The killed cell went on from its checkpoint, not from scratch.
    starts = [
        json.loads(line)
        for line in (first / "metrics.jsonl").read_text().splitlines()
        if '"RunStarted"' in line
    ]
    assert len(starts) == 2 and starts[-1]["start_iteration"] > 0, starts
    again = read_experiment(killed.path)
    for cell in again.cells:
        want, got = _weights(whole.cell_dir(cell)), _weights(again.cell_dir(cell))
        assert want.keys() == got.keys()
        for name in want:
            assert torch.equal(want[name], got[name]), f"{cell.key}: {name} differs"


@pytest.mark.parametrize("parallel", [0, 300])
def test_parallel_out_of_range_is_one_line(tmp_path: Path, parallel: int) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "resnet_studio",
            "experiment",
            "resume",
            str(tmp_path),
            "--parallel",
            str(parallel),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"resnet-studio: error: --parallel: must be from 1 to 256, got {parallel}"
    )


def test_experiment_run_from_a_spec_file_as_a_user_would(tmp_path: Path) -> None:
    spec = {
        "name": "tiny",
        "family": "cifar",
        "depths": [20],
        "widths": [0.25],
        "seeds": [0],
        "dataset": "synthetic",
        "subset": 128,
        "recipe": {"iterations": 8, "batch_size": 32},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    done = subprocess.run(
        [sys.executable, "-m", "resnet_studio", "experiment", "run", str(tmp_path / "spec.json"),
         "--out", str(tmp_path / "exp"), "--parallel", "2"],
        capture_output=True, text=True, timeout=TIMEOUT_S,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "running experiment tiny: 2 runs, 2 at a time, 1 thread each" in done.stdout
    assert "runs: 2 finished" in done.stdout
    assert "depth 20: residual training error" in done.stdout
    # A second run into the same folder is refused in one line, and changes nothing.
    again = subprocess.run(
        [sys.executable, "-m", "resnet_studio", "experiment", "run", str(tmp_path / "spec.json"),
         "--out", str(tmp_path / "exp")],
        capture_output=True, text=True, timeout=TIMEOUT_S,
    )  # fmt: skip
    assert again.returncode == 2
    assert again.stderr.strip().startswith("resnet-studio: error: --out ")


def test_a_cell_stopped_while_it_starts_reads_stopped_and_starts_afresh(tmp_path: Path) -> None:
    # Stopped at once: the signal reaches the cell before train can catch it (while
    # Python starts), so the cell records nothing; it is stopped, not failed.
    experiment = _experiment(tmp_path / "exp")
    scheduler = Scheduler(experiment, parallel=1, threads_each=1)
    scheduler.on_change = lambda state: scheduler.stop() if state.status == "running" else None
    states = scheduler.run()
    first, second = experiment.cells
    assert states[first.key].status == "stopped", states[first.key]
    assert states[second.key].status == "queued"

    resumed = Scheduler(read_experiment(experiment.path), parallel=2, threads_each=1).run()
    assert {s.status for s in resumed.values()} == {"finished"}, resumed
