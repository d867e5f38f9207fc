"""The training engine: events, cancellation, exact resume, divergence, failures."""

from __future__ import annotations

import math

import pytest
import torch

from resnet_studio.training.engine import Trainer
from resnet_studio.training.events import (
    Cancelled,
    Diverged,
    EpochEnd,
    Failed,
    Finished,
    RunStarted,
    StepMetrics,
)
from resnet_studio.training.launch import RunHandle, new_run
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.responses import response_layers
from resnet_studio.training.runs import read_run
from tests.training.conftest import tiny_network

FAST = dict(batch_size=32, log_every=2, threads=1)


def train(data, recipe, listeners=(), **kwargs):
    events = []
    trainer = Trainer(tiny_network(), data, recipe, listeners=[events.append, *listeners], **kwargs)
    return trainer.run(), events


def epoch_metrics(events):
    return [
        (e.epoch, e.iteration, e.train_loss, e.train_error, e.val_loss, e.val_error, e.lr)
        for e in events
        if isinstance(e, EpochEnd)
    ]


def test_events_of_a_whole_run(tiny_data):
    result, events = train(tiny_data, Recipe(epochs=2, **FAST))
    assert result.status == "finished"
    assert isinstance(events[0], RunStarted) and isinstance(events[-1], Finished)
    started = events[0]
    assert (started.epochs, started.steps_per_epoch, started.iterations) == (2, 8, 16)
    assert started.train_images == 256 and started.val_images == 128
    steps = [e for e in events if isinstance(e, StepMetrics)]
    assert [s.iteration for s in steps] == list(range(2, 17, 2))
    for s in steps:
        assert isinstance(s.loss, float) and math.isfinite(s.loss)
        assert 0 <= s.error <= 1 and s.images_per_s > 0
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.epoch for e in epochs] == [1, 2]
    assert all(0 <= e.val_error <= 1 and e.seconds > 0 for e in epochs)
    # the paper's step schedule: ÷10 at 50% and 75% of training
    assert [s.lr for s in steps] == pytest.approx([0.1] * 3 + [0.01] * 2 + [0.001] * 3)
    assert events[-1].best_val_error == min(e.val_error for e in epochs)


def test_training_learns(tiny_data):
    _, events = train(tiny_data, Recipe(epochs=6, schedule="constant", lr=0.05, **FAST))
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert epochs[-1].train_loss < epochs[0].train_loss
    assert epochs[-1].train_error < 0.85  # better than guessing among 10 classes


def test_iterations_instead_of_epochs(tiny_data):
    result, events = train(tiny_data, Recipe(iterations=12, **FAST))
    assert result.last_event.iterations == 12
    assert [e.iteration for e in events if isinstance(e, EpochEnd)] == [8, 12]


def test_cancel_stops_within_one_batch_and_resume_is_exact(tiny_data, tmp_path):
    recipe = Recipe(epochs=3, **FAST)
    _, straight = train(tiny_data, recipe)

    for stop_at in (5, 8):  # mid-epoch, and exactly at an epoch's end
        folder_path = tmp_path / f"run{stop_at}"
        handle = new_run(tiny_network(), tiny_data, recipe, folder_path, name="tiny")

        def stop(event, handle=handle, stop_at=stop_at):
            if isinstance(event, StepMetrics | EpochEnd) and event.iteration >= stop_at:
                handle.cancel()

        first = handle.run([stop])
        assert first.status == "stopped"
        assert first.last_event.iteration in (stop_at, stop_at + 1)  # within one batch
        assert read_run(folder_path).status == "stopped"

        resumed = RunHandle(tiny_network(), tiny_data, recipe, handle.folder, resume=True)
        events = []
        second = resumed.run([events.append])
        assert second.status == "finished"
        assert events[0].start_iteration == first.last_event.iteration
        # every epoch the resumed run finished matches the uninterrupted run exactly
        done = epoch_metrics(events)
        assert done == epoch_metrics(straight)[-len(done) :]
        record = read_run(folder_path)
        assert [e.epoch for e in record.epochs] == [1, 2, 3]
        assert (folder_path / "model.pt").exists()


def test_two_plus_two_epochs_equal_four(tiny_data, tmp_path):
    """The issue's check: 2 epochs, resume, 2 more == 4 epochs straight (CPU, fixed seed)."""
    recipe = Recipe(epochs=4, seed=7, **FAST)
    _, straight = train(tiny_data, recipe)
    handle = new_run(tiny_network(), tiny_data, recipe, tmp_path / "run", name="tiny")
    handle.run([lambda e: isinstance(e, EpochEnd) and e.epoch == 2 and handle.cancel()])
    record_before = read_run(tmp_path / "run")
    assert [e.epoch for e in record_before.epochs] == [1, 2]
    resumed = RunHandle(tiny_network(), tiny_data, recipe, handle.folder, resume=True)
    resumed.run()
    record = read_run(tmp_path / "run")
    assert epoch_metrics(record.epochs) == epoch_metrics(straight)


def with_setup(trainer, after_setup):
    """Run ``after_setup(trainer)`` right after the trainer built its model and optimizer."""
    original = trainer._setup

    def setup():
        original()
        after_setup(trainer)

    trainer._setup = setup
    return trainer


def test_diverging_run_reports_step_and_lr(tiny_data):
    def nan_loss_from_step_3(trainer):
        criterion, calls = trainer.criterion, []

        def loss(logits, labels):
            calls.append(1)
            value = criterion(logits, labels)
            return value * math.nan if len(calls) >= 3 else value

        trainer.criterion = loss

    trainer = Trainer(tiny_network(), tiny_data, Recipe(epochs=2, **FAST))
    result = with_setup(trainer, nan_loss_from_step_3).run()
    assert result.status == "diverged"
    event = result.last_event
    assert isinstance(event, Diverged)
    assert event.iteration == 4  # found at the first report after it (every 2 steps)
    assert event.lr == 0.1 and math.isnan(event.loss)
    assert "lower learning rate" in event.reason


def test_exception_becomes_failed_with_traceback_in_log(tiny_data, tmp_path):
    handle = new_run(
        tiny_network(), tiny_data, Recipe(epochs=1, **FAST), tmp_path / "run", name="tiny"
    )

    def explode(event):
        if isinstance(event, StepMetrics):
            raise RuntimeError("disk on fire\nsecond line")

    result = handle.run([explode])
    assert result.status == "failed"
    assert result.last_event.reason == "RuntimeError: disk on fire"
    assert read_run(tmp_path / "run").status == "failed"
    log = (tmp_path / "run" / "log.txt").read_text()
    assert "Traceback (most recent call last)" in log and "disk on fire" in log


def test_out_of_memory_suggests_a_smaller_batch(tiny_data):
    def oom(*args):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2 GiB")

    trainer = Trainer(tiny_network(), tiny_data, Recipe(epochs=1, **FAST))
    result = with_setup(trainer, lambda t: setattr(t.net, "forward", oom)).run()
    assert result.status == "failed"
    assert "ran out of memory at batch size 32" in result.last_event.reason
    assert "smaller batch" in result.last_event.reason


def test_bad_device_fails_cleanly(tiny_data):
    result, events = train(tiny_data, Recipe(epochs=1, device="cuda:7", **FAST))
    if torch.cuda.device_count() > 7:
        pytest.skip("this machine has 8 GPUs")
    assert result.status == "failed" and isinstance(events[-1], Failed)
    assert "cuda" in events[-1].reason.lower()


def test_layer_statistics(tiny_data):
    _, events = train(tiny_data, Recipe(epochs=1, layer_stats=True, **FAST))
    stats = {s.path: s for s in events[-2].layer_stats}
    # every conv/linear has a gradient norm; 3×3 convs followed by BN have a response std
    assert set(stats) == {"conv1", "block.conv1", "block.conv2", "fc"}
    assert all(s.grad_norm > 0 for s in stats.values())
    assert stats["block.conv2"].response_std > 0 and stats["fc"].response_std is None


def test_response_layers_pair_3x3_convs_with_their_batchnorm():
    from resnet_studio.arch.presets import preset_network
    from resnet_studio.model.build import build_model

    paths = [p for p, _ in response_layers(build_model(preset_network("cifar-resnet20")))]
    assert len(paths) == 19 and paths[0] == "conv1" and paths[-1] == "layer3.2.conv2"


def test_cancelled_before_start_leaves_resumable_checkpoint(tiny_data, tmp_path):
    handle = new_run(
        tiny_network(), tiny_data, Recipe(epochs=1, **FAST), tmp_path / "run", name="tiny"
    )
    handle.cancel()
    result = handle.run()
    assert result.status == "stopped" and isinstance(result.last_event, Cancelled)
    state = torch.load(tmp_path / "run" / "checkpoint.pt", weights_only=True)
    assert state["progress"]["iteration"] == 0
