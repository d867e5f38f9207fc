"""Progress of a run: the engine tells of every batch, and ``train``'s bar moves with it."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from resnet_studio.cli_commands.train import _ProgressBar
from resnet_studio.training.engine import Trainer
from resnet_studio.training.events import EpochEnd, RunStarted
from resnet_studio.training.recipe import Recipe
from tests.cli_in_process import cli
from tests.training.conftest import tiny_network


def test_the_engine_tells_of_every_batch_of_every_phase(tiny_data) -> None:
    calls: list[tuple[str, int, int]] = []
    trainer = Trainer(tiny_network(), tiny_data, Recipe(epochs=2, batch_size=32, threads=1))
    trainer.on_batch = lambda *call: calls.append(call)
    assert trainer.run().status == "finished"
    # 256 training images: 8 steps an epoch, counted over the whole run; 128 validation
    # images: 4 batches each epoch; the 2,000 test images once, at the end.
    train = [(i, total) for phase, i, total in calls if phase == "train"]
    assert train == [(i, 16) for i in range(1, 17)]
    val = [(i, total) for phase, i, total in calls if phase == "val"]
    assert val == [(i, 4) for i in range(1, 5)] * 2
    test = [(i, total) for phase, i, total in calls if phase == "test"]
    assert test == [(i, 63) for i in range(1, 64)]
    # In order: an epoch's steps, then its validation.
    phases = [phase for phase, _, _ in calls]
    assert phases[:12] == ["train"] * 8 + ["val"] * 4 and phases[-1] == "test"


def started(iterations: int) -> RunStarted:
    return RunStarted("cpu", 100, 1, iterations, iterations, 64, 32, 0, 0)


def drawn(text: str) -> list[str]:
    """What a bar drew, one redraw each."""
    return [part.strip() for part in re.split(r"[\r\n]", text) if part.strip()]


def test_the_bar_moves_on_every_step_before_any_metrics() -> None:
    out = io.StringIO()
    bar = _ProgressBar(file=out, mininterval=0)
    bar(started(5))
    for step in range(1, 6):
        bar.on_batch("train", step, 5)
        assert bar.bar.n == step
        assert f"{step}/5" in drawn(out.getvalue())[-1]
    bar.close()


def test_validation_is_a_phase_of_its_own() -> None:
    out = io.StringIO()
    bar = _ProgressBar(file=out, mininterval=0)
    bar(started(4))
    for step in range(1, 5):
        bar.on_batch("train", step, 4)
    for batch in range(1, 4):
        bar.on_batch("val", batch, 3)
        if batch < 3:
            assert bar.pass_bar.n == batch and bar.pass_bar.total == 3
    lines = drawn(out.getvalue())
    assert any(line.startswith("validating:") and "2/3" in line for line in lines)
    assert bar.pass_bar is None  # gone when the pass ends; the run's bar stays
    assert bar.bar.n == 4
    bar(EpochEnd(1, 4, 2.3, 0.9, 2.3, 0.9, 0.1, 1.0, 64.0))
    bar.on_batch("test", 1, 2)
    assert any(line.startswith("testing:") for line in drawn(out.getvalue()))
    bar.close()
    assert bar.pass_bar is None


def test_twin_bars_name_their_runs() -> None:
    out = io.StringIO()
    bar = _ProgressBar("cifar-plain20", position=1, file=out, mininterval=0)
    bar(started(2))
    bar.on_batch("train", 1, 2)
    bar.on_batch("val", 1, 2)
    text = out.getvalue()
    assert "cifar-plain20:" in text and "cifar-plain20: validating:" in text
    bar.close()


def test_train_shows_validation_and_a_val_subset(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESNET_STUDIO_RUNS", str(tmp_path / "runs"))
    run_dir = tmp_path / "run"
    code, out, err = cli(
        capsys, "train", "--preset", "cifar-resnet20", "--width", "0.25", "--subset", 128,
        "--batch-size", 32, "--iterations", 4, "--val-subset", 40, "--threads", 1,
        "--out", run_dir,
    )  # fmt: skip
    assert code == 0, err
    first = out.splitlines()[0]
    assert first == (
        "training cifar-resnet20-w0.25 on synthetic (128 train / 40 val (--val-subset: a "
        f"sample of 2,000) / 2,000 test images) -> {run_dir}"
    )
    # The validation pass (2 batches of the 40 images) had its own bar, counting batches.
    assert re.search(r"validating: +\d+%.*\| [0-2]/2 \[.*batch/s", err), err
    assert re.search(r"training: 100%.*\| 4/4 ", err), err
    dataset = json.loads((run_dir / "run.json").read_text())["dataset"]
    assert (dataset["val_subset"], dataset["val_images"]) == (40, 40)
