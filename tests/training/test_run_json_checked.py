"""A hand-edited run.json is checked when read: a recipe or data set field of the wrong
type or out of range is one line naming it in ``train --resume`` (exit 2), and a damaged
row with the same reason in ``compare``, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli_in_process import assert_one_line_error, cli
from tests.training.conftest import tiny_network

EDITS = {
    "lr text": (("recipe", "lr", "0.1"), "recipe.lr must be a number, got text"),
    "lr negative": (("recipe", "lr", -0.1), "recipe.lr must be a number above 0"),
    "momentum 1": (("recipe", "momentum", 1), "recipe.momentum must be from 0 to below 1"),
    "batch size float": (("recipe", "batch_size", 32.0), "recipe.batch_size must be a whole"),
    "epochs 0": (("recipe", "epochs", 0), "recipe.epochs must be from 1 to 100,000, got 0"),
    "iterations text": (("recipe", "iterations", "10"), "recipe.iterations must be a whole"),
    "optimizer": (("recipe", "optimizer", "rmsprop"), "recipe.optimizer must be one of sgd"),
    "schedule": (("recipe", "schedule", 3), "recipe.schedule must be text, got 3"),
    "weight decay text": (("recipe", "weight_decay", "1e-4"), "recipe.weight_decay must be a"),
    "warmup negative": (("recipe", "warmup_iterations", -5), "recipe.warmup_iterations must be"),
    "label smoothing": (("recipe", "label_smoothing", 2), "recipe.label_smoothing must be from"),
    "threads 0": (("recipe", "threads", 0), "recipe.threads must be from 1 to 1,024, got 0"),
    "log every 0": (("recipe", "log_every", 0), "recipe.log_every must be at least 1, got 0"),
    "amp text": (("recipe", "amp", "yes"), "recipe.amp must be true or false, got text"),
    "milestone 2": (("recipe", "milestones", [2]), "recipe.milestones must be fractions"),
    "subset 0": (("dataset", "subset", 0), "dataset.subset must be at least 1"),
    "skip text": (("dataset", "skip_bad_images", 1), "dataset.skip_bad_images must be true or"),
}


@pytest.fixture(scope="module")
def stopped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run stopped before its first step, with the checkpoint a resume needs."""
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.recipe import Recipe

    path = tmp_path_factory.mktemp("stopped") / "run"
    data = load_dataset("synthetic", subset=64, val_size=64)
    handle = new_run(tiny_network(), data, Recipe(batch_size=64, threads=1), path, name="tiny")
    handle.cancel()
    assert handle.run().status == "stopped"
    return path


@pytest.mark.parametrize("case", EDITS)
def test_a_hand_edited_field_is_one_line_in_resume_and_a_damaged_row_in_compare(
    capsys, stopped: Path, tmp_path: Path, case: str
) -> None:
    (part, key, value), reason = EDITS[case]
    run = tmp_path / "run"
    shutil.copytree(stopped, run)
    info = json.loads((run / "run.json").read_text())
    info[part][key] = value
    (run / "run.json").write_text(json.dumps(info))
    before = (run / "run.json").read_bytes()

    code, out, err = cli(capsys, "train", "--resume", run)
    assert_one_line_error(code, err, f"{run}: damaged: run.json: {reason}")
    assert out == "" and (run / "run.json").read_bytes() == before

    code, out, err = cli(capsys, "compare", run, stopped)
    assert code == 0 and err == "", err
    rows = out.splitlines()
    assert rows[1].split()[:3] == ["tiny", "-", "damaged"]
    assert rows[2].split()[2] == "stopped"  # the good run beside it
    assert any(row.startswith(f"{run}: damaged: run.json: {reason}") for row in rows), out
