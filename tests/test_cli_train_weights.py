"""``resnet-studio train --weights FILE``: fine-tuning from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from resnet_studio.arch.project import save_project
from resnet_studio.model.build import build_model
from resnet_studio.training.runs import read_run
from tests.cli_in_process import assert_one_line_error, cli
from tests.training.conftest import tiny_network

QUICK = ("--dataset", "synthetic", "--subset", 64, "--batch-size", 32, "--epochs", 1)
QUICK += ("--threads", 1)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RESNET_STUDIO_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("RESNET_STUDIO_HOME", str(tmp_path / "home"))
    path = tmp_path / "tiny.json"
    save_project(path, tiny_network())
    return path


def saved_weights(path: Path, network=None, wrap=lambda s: s) -> dict[str, torch.Tensor]:
    state = build_model(network or tiny_network(), seed=11).state_dict()
    torch.save(wrap(state), path)
    return state


def test_a_run_starts_from_the_weights_and_records_them(capsys, tmp_path: Path, project: Path):
    saved_weights(tmp_path / "weights.pth", wrap=lambda s: {"state_dict": s})
    code, out, err = cli(
        capsys, "train", project, "--weights", tmp_path / "weights.pth", "--out", tmp_path / "run",
        *QUICK,
    )  # fmt: skip
    assert code == 0, err
    assert f"note: tiny starts from the weights of {tmp_path / 'weights.pth'}\n" in out
    record = read_run(tmp_path / "run")
    assert record.initial_weights == str(tmp_path / "weights.pth")
    log = (tmp_path / "run/log.txt").read_text()
    assert f"from the weights of {tmp_path / 'weights.pth'}" in log
    # compare is honest about where it started (that it did: tests/training).
    code, out, _ = cli(capsys, "compare", tmp_path / "run")
    assert code == 0
    assert f"started from the weights of {tmp_path / 'weights.pth'}" in out


def test_the_model_file_of_another_run(capsys, tmp_path: Path, project: Path):
    code, _, err = cli(capsys, "train", project, "--out", tmp_path / "first", *QUICK)
    assert code == 0, err
    code, out, err = cli(
        capsys, "train", project, "--weights", tmp_path / "first/model.pt", "--twin",
        "--out", tmp_path / "second", *QUICK,
    )  # fmt: skip
    assert code == 0, err
    assert "(its plain twin from scratch)" in out
    assert read_run(tmp_path / "second").initial_weights == str(tmp_path / "first/model.pt")
    assert read_run(tmp_path / "second-plain").initial_weights == ""


def test_weights_that_do_not_fit_are_one_line_naming_the_keys(capsys, tmp_path, project):
    saved_weights(tmp_path / "other.pt", tiny_network().with_input((2, 32, 32), 5))
    code, _, err = cli(capsys, "train", project, "--weights", tmp_path / "other.pt", *QUICK)
    assert_one_line_error(
        code,
        err,
        f"the weights of {tmp_path / 'other.pt'} do not fit the network",
        "conv1.weight: 8×2×3×3 (needs 8×3×3×3)",
    )
    assert "fc.weight" not in err  # a new classifier for 10 classes: not what stops them
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_weights_for_other_classes_start_a_new_classifier(capsys, tmp_path, project):
    # A network of 10 classes from the weights of its 5-class self: transfer learning.
    saved_weights(tmp_path / "five.pt", tiny_network().with_input(classes=5))
    code, out, err = cli(
        capsys, "train", project, "--weights", tmp_path / "five.pt", "--out", tmp_path / "run",
        *QUICK,
    )  # fmt: skip
    assert code == 0, err
    assert (
        "note: the weights are for 5 classes: fc starts fresh for 10, the other layers from "
        "the weights\n"
    ) in out
    assert read_run(tmp_path / "run").new_classifier == "fc"
    code, out, _ = cli(capsys, "compare", tmp_path / "run")
    assert f"{tmp_path / 'five.pt'} (its classifier fc new, for another number of classes)" in out


def test_grey_weights_start_a_colour_network(capsys, tmp_path, project):
    # Weights trained on MNIST's one channel, for a network of three.
    saved_weights(tmp_path / "grey.pt", tiny_network().with_input((1, 32, 32)))
    code, out, err = cli(
        capsys, "train", project, "--weights", tmp_path / "grey.pt", "--out", tmp_path / "run",
        *QUICK,
    )  # fmt: skip
    assert code == 0, err
    assert (
        "note: the weights are for 1-channel images: conv1's filters are spread evenly over "
        "the colours for 3 channels\n"
    ) in out
    assert "classes" not in out
    assert read_run(tmp_path / "run").adapted_input == ("conv1", 1, 3)
    log = (tmp_path / "run/log.txt").read_text()
    assert "(conv1 adapted from 1 input channels to 3)" in log
    code, out, _ = cli(capsys, "compare", tmp_path / "run")
    assert "(conv1 adapted from 1 input channels to 3)" in out


def test_unreadable_weights_are_one_line(capsys, tmp_path: Path, project: Path):
    code, _, err = cli(capsys, "train", project, "--weights", tmp_path / "none.pt", *QUICK)
    assert_one_line_error(code, err, f"--weights: {tmp_path / 'none.pt'}: no such file")
    torch.save({"epoch": 1}, tmp_path / "notes.pt")
    code, _, err = cli(capsys, "train", project, "--weights", tmp_path / "notes.pt", *QUICK)
    assert_one_line_error(code, err, "--weights:", "holds no state_dict")


def test_weights_and_resume_contradict(capsys, tmp_path: Path, project: Path):
    code, _, err = cli(capsys, "train", "--resume", tmp_path, "--weights", tmp_path / "w.pt")
    assert_one_line_error(code, err, "--weights: a resumed run continues from its own checkpoint")
