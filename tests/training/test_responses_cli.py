"""``resnet-studio responses``: a run's response std per 3×3 layer as a table, CSV and Fig. 7."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from resnet_studio.training.launch import new_run
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.response_file import read_responses
from tests.cli_in_process import assert_one_line_error, cli
from tests.training.conftest import tiny_network

PATHS = ["conv1", "block.conv1", "block.conv2"]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    """A finished run of the tiny network on synthetic images (its own validation split)."""
    from resnet_studio.training.datasets import load_dataset

    data = load_dataset("synthetic", subset=256)
    path = tmp_path_factory.mktemp("runs") / "tiny"
    recipe = Recipe(epochs=1, batch_size=32, log_every=2, threads=1)
    assert new_run(tiny_network(), data, recipe, path, name="tiny").run().status == "finished"
    return path


@pytest.mark.parametrize("mode", ["eval", "train"])
def test_a_run_s_responses_as_table_csv_and_figure(finished_run, tmp_path, capsys, mode) -> None:
    csv_path, figure = tmp_path / "r.csv", tmp_path / "fig7.svg"
    code, out, err = cli(
        capsys, "responses", finished_run, "--mode", mode, "--csv", csv_path, "-o", figure
    )
    assert code == 0, err
    assert f"tiny, 3 3×3 layers, {mode} mode, 128 validation images (4 batches)" in out
    rows = list(csv.reader(io.StringIO(csv_path.read_text())))
    assert rows[0] == ["source", "network", "mode", "images", "layer", "path", "response_std"]
    assert [r[4:6] for r in rows[1:]] == [["1", "conv1"], ["2", "block.conv1"], ["3", PATHS[2]]]
    assert {tuple(r[:4]) for r in rows[1:]} == {(str(finished_run), "tiny", mode, "128")}
    # The run recorded the same measurement when it finished (same images, batch size).
    recorded = read_responses(finished_run).stds[mode]
    assert [float(r[6]) for r in rows[1:]] == pytest.approx(recorded, rel=1e-5)
    svg = figure.read_text()
    assert "<svg" in svg and "sorted" in svg and "network order" in svg


def test_fewer_batches_and_the_model_file_alone(finished_run, capsys) -> None:
    code, out, err = cli(
        capsys, "responses", finished_run, finished_run / "model.pt", "--batches", "1"
    )
    assert code == 0, err
    assert "32 validation images (1 batch)" in out  # the run's batch size
    assert "128 validation images (1 batch)" in out  # a model file's default
    header = next(line for line in out.splitlines() if line.startswith("layer"))
    assert str(finished_run / "model.pt") in header


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--batches", "0"], "--batches: must be from 1"),
        (["--batch-size", "0"], "--batch-size: must be from 1"),
        (["-o", "fig.txt"], "-o fig.txt"),
    ],
)
def test_a_bad_option_is_one_line(finished_run, capsys, argv, fragment) -> None:
    code, _out, err = cli(capsys, "responses", finished_run, *argv)
    assert_one_line_error(code, err, fragment)


def test_a_folder_that_is_no_run_and_an_exported_file_are_one_line(
    finished_run, tmp_path, capsys
) -> None:
    code, _out, err = cli(capsys, "responses", tmp_path)
    assert_one_line_error(code, err, "not a run folder")
    exported = tmp_path / "tiny.onnx"
    exported.write_bytes(b"\x08\x07")
    code, _out, err = cli(capsys, "responses", exported)
    assert_one_line_error(code, err, "tiny.onnx")


def test_a_run_without_data_names_the_data_set(finished_run, tmp_path, capsys) -> None:
    import shutil

    moved = tmp_path / "run"
    shutil.copytree(finished_run, moved)
    info = json.loads((moved / "run.json").read_text())
    info["dataset"]["name"] = "cifar10"
    (moved / "run.json").write_text(json.dumps(info))
    code, _out, err = cli(capsys, "responses", moved, "--data-root", tmp_path / "none")
    assert_one_line_error(code, err, "cifar")


def test_record_writes_what_the_run_would_have_written(finished_run, tmp_path, capsys) -> None:
    import shutil

    old = tmp_path / "old"
    shutil.copytree(finished_run, old)
    (old / "responses.json").unlink()  # a run trained before runs recorded it
    code, out, err = cli(capsys, "responses", old, "--record")
    assert code == 0, err
    assert f"recorded {old / 'responses.json'}" in out
    again, original = read_responses(old), read_responses(finished_run)
    assert (again.paths, again.images, again.batch_size) == (
        original.paths,
        original.images,
        original.batch_size,
    )
    for mode in ("eval", "train"):
        assert again.stds[mode] == pytest.approx(original.stds[mode], rel=1e-5)


@pytest.mark.parametrize(
    ("source", "extra", "fragment"),
    [
        ("model.pt", [], "is not a run folder"),
        ("", ["--dataset", "synthetic"], "leave out --dataset"),
    ],
)
def test_record_only_into_a_finished_run_about_its_own_data(
    finished_run, capsys, source, extra, fragment
) -> None:
    code, _out, err = cli(capsys, "responses", finished_run / source, "--record", *extra)
    assert_one_line_error(code, err, "--record", fragment)
