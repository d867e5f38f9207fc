"""``torchrun --nproc_per_node=2 -m resnet_studio train``: DDP on two CPU processes (gloo).

Only rank 0 writes the run folder and prints; the data is sharded between the
ranks and the metrics are summed over both. A resumed run restarts every rank
from the checkpoint.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch.distributed as dist

from resnet_studio.arch.project import save_project
from resnet_studio.training.runs import read_run
from tests.training.conftest import tiny_network

pytestmark = pytest.mark.skipif(
    not dist.is_available() or not dist.is_gloo_available(), reason="needs torch.distributed/gloo"
)


def torchrun(env: dict[str, str], *argv: object) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--standalone",
        "-m", "resnet_studio", "train", *map(str, argv),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)


@pytest.fixture(scope="module")
def ddp_run(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("ddp")
    env = dict(
        os.environ,
        RESNET_STUDIO_RUNS=str(base / "runs"),
        RESNET_STUDIO_DATA=str(base / "data"),
        RESNET_STUDIO_HOME=str(base / "home"),
    )
    save_project(base / "tiny.json", tiny_network())
    run_dir = base / "run"
    result = torchrun(
        env, base / "tiny.json", "--subset", 256, "--batch-size", 32, "--epochs", 1,
        "--seed", 5, "--out", run_dir,
    )  # fmt: skip
    return base, env, run_dir, result


def events(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]


def test_two_processes_train_one_run(ddp_run) -> None:
    base, _, run_dir, result = ddp_run
    assert result.returncode == 0, result.stderr[-3000:]
    # Only rank 0 wrote: the run folder given, nothing under the default root.
    assert {p.name for p in run_dir.iterdir()} == {
        "run.json", "metrics.jsonl", "log.txt", "checkpoint.pt", "model.pt", "responses.json",
    }  # fmt: skip
    assert not (base / "runs").exists() and not (base / "home").exists()
    kinds = [e["event"] for e in events(run_dir)]
    assert kinds == ["RunStarted", "EpochEnd", "Finished"]  # one process recorded it
    assert log_lines(run_dir, "started on") == 1


def log_lines(run_dir: Path, text: str) -> int:
    return sum(text in line for line in (run_dir / "log.txt").read_text().splitlines())


def test_data_is_sharded_and_metrics_are_all_reduced(ddp_run) -> None:
    _, _, run_dir, result = ddp_run
    assert result.returncode == 0, result.stderr[-3000:]
    started, epoch, finished = events(run_dir)
    # Each rank trains on half of the 256 images: 4 batches of 32 per epoch.
    assert started["train_images"] == 256 and started["val_images"] == 2000
    assert (started["steps_per_epoch"], started["iterations"]) == (4, 4)
    assert started["device"] == "cpu"
    assert epoch["epoch"] == 1 and epoch["iteration"] == 4
    for key in ("train_loss", "val_loss"):
        assert math.isfinite(epoch[key]) and 0 < epoch[key] < 10
    # Errors averaged over all images of both ranks: multiples of 1/256 and 1/2000.
    assert 0 <= epoch["train_error"] <= 1 and (epoch["train_error"] * 256) % 1 == 0
    assert 0 <= epoch["val_error"] <= 1
    assert abs(epoch["val_error"] * 2000 - round(epoch["val_error"] * 2000)) < 1e-6
    assert finished["final_val_error"] == epoch["val_error"]
    info = json.loads((run_dir / "run.json").read_text())
    assert info["status"] == "finished" and info["recipe"]["seed"] == 5
    # Both processes share the cores instead of each taking all of them.
    assert info["recipe"]["threads"] == max(1, (os.cpu_count() or 1) // 2)


def test_progress_is_printed_once(ddp_run) -> None:
    _, _, run_dir, result = ddp_run
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout.splitlines()
    assert sum(line.startswith("training tiny on synthetic") for line in out) == 1
    assert sum(line.startswith("epoch 1/1:") for line in out) == 1
    assert sum(line.startswith("finished:") for line in out) == 1
    # one tqdm bar, reaching the end once
    assert result.stderr.count("4/4 [") >= 1
    assert result.stderr.count("0/4 [") == 1


def test_resume_restarts_every_rank_from_the_checkpoint(ddp_run) -> None:
    _, env, run_dir, result = ddp_run
    assert result.returncode == 0, result.stderr[-3000:]
    resumed = torchrun(env, "--resume", run_dir, "--epochs", 2)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    record = read_run(run_dir)
    assert record.status == "finished"
    assert [(e.epoch, e.iteration) for e in record.epochs] == [(1, 4), (2, 8)]
    starts = [e for e in events(run_dir) if e["event"] == "RunStarted"]
    assert [(s["start_epoch"], s["start_iteration"]) for s in starts] == [(0, 0), (1, 4)]
    assert sum(line.startswith("epoch 2/2:") for line in resumed.stdout.splitlines()) == 1
