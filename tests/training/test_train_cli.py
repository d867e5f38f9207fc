"""``resnet-studio train`` and ``compare`` as a user runs them: fresh interpreters.

The runs start side by side (a module fixture) and the tests look at what
they left; every process uses one thread, so those running together do not
fight over the cores. Mistakes and other data sets: ``test_train_cli_data.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch

from resnet_studio.arch.project import save_project
from resnet_studio.training.runs import read_run
from tests.training.cli_helpers import (
    RUN_FILES,
    Result,
    assert_one_line_error,
    finish_all,
    metrics_lines,
    run_cli,
    start,
    user_env,
)
from tests.training.conftest import tiny_network


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("user")
    save_project(path / "tiny.json", tiny_network())
    return path


@pytest.fixture(scope="module")
def env(base: Path) -> dict[str, str]:
    return user_env(base)


@pytest.fixture(scope="module")
def runs(base: Path, env: dict[str, str]) -> dict[str, Result]:
    """Started side by side: a preset and the tiny project, and a short run to resume."""
    common = ("--subset", 256, "--batch-size", 64, "--threads", 1)
    procs = {
        "preset": start(
            env, "train", "--preset", "cifar-resnet20", "--epochs", 1, "--lr", 0.05,
            "--seed", 3, "--out", base / "preset", "--name", "preset-run", *common,
        ),
        "tiny": start(
            env, "train", base / "tiny.json", "--epochs", 2, "--out", base / "tiny",
            "--name", "tiny-run", *common,
        ),
        "short": start(
            env, "train", base / "tiny.json", "--epochs", 1, "--out", base / "short", *common
        ),
    }  # fmt: skip
    results = finish_all(procs)
    for key in ("tiny", "short"):  # other tests build on these
        assert results[key].code == 0, results[key].err
    return results


# --- a whole run ------------------------------------------------------------------------


def test_train_preset_writes_a_complete_run_folder(base: Path, runs: dict[str, Result]) -> None:
    result = runs["preset"]
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    run_dir = base / "preset"
    assert RUN_FILES <= {p.name for p in run_dir.iterdir()}
    assert not (base / "runs").exists()  # --out given: nothing under the default root

    info = json.loads((run_dir / "run.json").read_text())
    assert info["name"] == "preset-run" and info["status"] == "finished"
    assert info["network"]["name"] == "cifar-resnet20"
    assert info["seed"] == 3 and info["device"] == "cpu"
    assert set(info["versions"]) >= {"resnet_studio", "torch", "torchvision", "python"}
    assert info["versions"]["torch"] == torch.__version__
    recipe = info["recipe"]
    assert (recipe["epochs"], recipe["batch_size"], recipe["lr"], recipe["seed"]) == (
        1,
        64,
        0.05,
        3,
    )
    assert recipe["threads"] == 1 and recipe["optimizer"] == "sgd"
    assert recipe["momentum"] == 0.9 and recipe["weight_decay"] == 1e-4  # the paper's
    dataset = info["dataset"]
    assert dataset["name"] == "synthetic" and dataset["subset"] == 256
    assert dataset["train_images"] == 256 and dataset["val_images"] == 2000
    assert dataset["input_shape"] == [3, 32, 32] and dataset["classes"] == 10

    events = metrics_lines(run_dir)  # every line parses
    assert [e["event"] for e in events] == ["RunStarted", "EpochEnd", "Finished"]
    started, epoch, finished = events
    assert started["train_images"] == 256 and started["steps_per_epoch"] == 4
    assert started["params"] == 269_722
    assert epoch["epoch"] == 1 and epoch["iteration"] == 4
    assert 0 <= epoch["train_error"] <= 1 and 0 <= epoch["val_error"] <= 1
    assert finished["final_val_error"] == epoch["val_error"]

    log = (run_dir / "log.txt").read_text()
    assert "started on cpu, 269,722 parameters" in log and "epoch 1:" in log
    assert log.rstrip().endswith("finished")


def test_model_file_holds_the_trained_network(base: Path, runs: dict[str, Result]) -> None:
    from resnet_studio.model.load import load_checkpoint

    assert runs["preset"].code == 0, runs["preset"].err
    run_dir = base / "preset"
    network, model, meta = load_checkpoint(run_dir / "model.pt")
    assert network.name == "cifar-resnet20" and network.input_shape == (3, 32, 32)
    with torch.no_grad():
        out = model.eval()(torch.zeros(5, 3, 32, 32))
    assert out.shape == (5, 10)
    # plain data only, and the weights are the trained ones, not a fresh initialisation
    raw = torch.load(run_dir / "model.pt", weights_only=True)
    trained = torch.load(run_dir / "checkpoint.pt", weights_only=True)["model"]
    assert raw["state_dict"].keys() == trained.keys()
    for key, value in trained.items():
        assert torch.equal(raw["state_dict"][key], value), key


def test_terminal_shows_progress_and_summary(base: Path, runs: dict[str, Result]) -> None:
    result = runs["tiny"]
    out = result.out.splitlines()
    assert out[0] == (
        f"training tiny on synthetic (256 train / 2,000 val / 2,000 test images) -> {base / 'tiny'}"
    )
    epoch_lines = [line for line in out if line.startswith("epoch ")]
    assert [line.split(":")[0] for line in epoch_lines] == ["epoch 1/2", "epoch 2/2"]
    for line in epoch_lines:
        for part in ("train loss", "err", "| val loss", "img/s"):
            assert part in line, line
    assert out[-1].startswith("finished: final val error ")
    assert out[-1].endswith(f"model: {base / 'tiny'}/model.pt")
    # The tqdm bar (stderr): epoch, loss, error and images/s, and tqdm's ETA,
    # even though the epochs are shorter than the engine's reporting interval.
    bar = result.err.replace("\r", "\n")
    assert "8/8" in bar and re.search(r"\[\d\d:\d\d<\d\d:\d\d, ", bar)  # [elapsed<ETA
    assert "epoch 2.00/2 loss " in bar and " err " in bar and " img/s]" in bar


# --- resume -----------------------------------------------------------------------------


def test_resume_trains_the_extra_epochs(
    base: Path, env: dict[str, str], runs: dict[str, Result]
) -> None:
    run_dir = base / "short"
    before = read_run(run_dir)
    assert before.status == "finished" and [e.epoch for e in before.epochs] == [1]
    nothing_to_do = run_cli(env, "train", "--resume", run_dir)
    assert_one_line_error(
        nothing_to_do, "short: already finished 1 epoch;", "pass --epochs M (more than 1)"
    )
    assert read_run(run_dir).epochs == before.epochs  # left as it was
    result = run_cli(env, "train", "--resume", run_dir, "--epochs", 2)
    assert result.code == 0, result.err
    assert [line.split(":")[0] for line in result.out.splitlines() if line.startswith("epoch")] == [
        "epoch 2/2"
    ]
    record = read_run(run_dir)
    assert record.status == "finished"
    assert [e.epoch for e in record.epochs] == [1, 2]
    assert record.epochs[0] == before.epochs[0]  # the first epoch is kept as it was
    assert record.epochs[1].iteration == 8
    assert record.recipe.epochs == 2  # run.json records the longer recipe
    starts = [e for e in metrics_lines(run_dir) if e["event"] == "RunStarted"]
    assert [(s["start_epoch"], s["start_iteration"]) for s in starts] == [(0, 0), (1, 4)]
    assert "resuming at iteration 4" in (run_dir / "log.txt").read_text()


# --- compare ----------------------------------------------------------------------------


def distinct_colours(path: Path) -> set[int]:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image Qt can read"
    assert image.width() >= 600 and image.height() >= 300
    return {
        image.pixel(x, y) & 0xFFFFFF
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    }


def near(colours: set[int], hex_colour: str, tolerance: int = 40) -> bool:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return any(
        abs((c >> 16 & 0xFF) - r) <= tolerance
        and abs((c >> 8 & 0xFF) - g) <= tolerance
        and abs((c & 0xFF) - b) <= tolerance
        for c in colours
    )


def test_compare_prints_a_table_and_draws_the_runs(
    base: Path, env: dict[str, str], runs: dict[str, Result]
) -> None:
    assert runs["preset"].code == 0, runs["preset"].err
    plot = base / "compare.png"
    result = run_cli(env, "compare", base / "preset", base / "tiny", "-o", plot)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == [
        "run", "data", "status", "epochs", "train", "err", "best", "train", "val", "err",
        "best", "val", "test", "err", "time", "params",
    ]  # fmt: skip
    rows = {line.split()[0]: line.split() for line in lines[1:3]}
    assert set(rows) == {"preset-run", "tiny-run"}
    tiny = read_run(base / "tiny")
    assert rows["tiny-run"][1:4] == ["synthetic", "finished", "2"]
    assert rows["tiny-run"][4] == f"{tiny.epochs[-1].train_error:.2%}"
    assert rows["tiny-run"][7] == f"{min(e.val_error for e in tiny.epochs):.2%}"
    # The final model, evaluated once on the synthetic test split.
    assert tiny.test_error is not None and rows["tiny-run"][8] == f"{tiny.test_error:.2%}"
    assert tiny.info["test"]["images"] == 2_000
    assert rows["tiny-run"][-1] == "1,506" and rows["preset-run"][-1] == "269,722"
    assert lines[-1] == f"wrote {plot}"

    data = plot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000
    colours = distinct_colours(plot)
    assert len(colours) > 50  # axes, text, antialiased curves: not a blank image
    # one colour per run: the first two of the palette
    assert near(colours, "#1f77b4") and near(colours, "#d62728")


def test_compare_plots_loss(base: Path, env: dict[str, str], runs: dict[str, Result]) -> None:
    plot = base / "loss.png"
    result = run_cli(env, "compare", base / "tiny", "--metric", "loss", "-o", plot)
    assert result.code == 0, result.err
    assert "tiny-run" in result.out
    assert len(distinct_colours(plot)) > 50


def test_compare_writes_svg(base: Path, env: dict[str, str], runs: dict[str, Result]) -> None:
    from xml.etree import ElementTree

    plot = base / "compare.svg"
    result = run_cli(env, "compare", base / "tiny", "-o", plot)
    assert result.code == 0, result.err
    root = ElementTree.parse(plot).getroot()  # well-formed SVG: curves as lines, text as text
    tags = [element.tag.rpartition("}")[2] for element in root.iter()]
    assert tags[0] == "svg" and tags.count("polyline") > 10
    texts = [element.text for element in root.iter() if element.tag.endswith("text")]
    assert "tiny-run" in texts and "dashed: training, solid: validation" in texts


def test_compare_refuses_a_folder_that_is_no_run(base: Path, env: dict[str, str]) -> None:
    (base / "not-a-run").mkdir(exist_ok=True)
    result = run_cli(env, "compare", base / "not-a-run")
    assert_one_line_error(result, "not-a-run: not a run folder")


def test_training_curve_uses_epoch_ends_when_step_reports_are_sparse(tmp_path: Path) -> None:
    """Epochs shorter than the reporting interval still draw a dashed training line."""
    from resnet_studio.figures.curves import curve_points
    from resnet_studio.training.events import EpochEnd, StepMetrics
    from resnet_studio.training.history import RunHistory
    from resnet_studio.training.runs import RunRecord

    epochs = [EpochEnd(e, 8 * e, 2.0 / e, 0.9 / e, 2.5, 0.8, 0.1, 1.0, 100.0) for e in (1, 2, 3)]
    sparse = RunRecord(
        tmp_path, {}, RunHistory(epochs, [StepMetrics(2.5, 20, 1.5, 0.4, 0.1, 100.0)])
    )
    x, y = curve_points(sparse, "error", "epochs", "train")
    assert x.tolist() == [1, 2, 3] and y.tolist() == pytest.approx([90, 45, 30])
    x, y = curve_points(sparse, "loss", "iterations", "train")
    assert x.tolist() == [8, 16, 24] and y.tolist() == pytest.approx([2, 1, 2 / 3])
    steps = [StepMetrics(i / 4, 2 * i, 1.0, 0.5, 0.1, 100.0) for i in range(1, 13)]
    dense = RunRecord(tmp_path, {}, RunHistory(epochs, steps))
    x, y = curve_points(dense, "error", "epochs", "train")
    assert x.tolist() == [i / 4 for i in range(1, 13)] and set(y.tolist()) == {50.0}
    x, y = curve_points(dense, "error", "epochs", "val")
    assert x.tolist() == [1, 2, 3] and y.tolist() == pytest.approx([80] * 3)
