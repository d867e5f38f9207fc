"""An experiment's Fig. 7: ``experiment show`` reads each finished cell's responses.json and
writes the figure, the CSV and the verdict's share of layers where the residual net is lower.

The cells are finished run folders written here directly (no training), with chosen
response stds, so every number the command prints can be worked out by hand.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from resnet_studio.training.datasets import load_dataset
from resnet_studio.training.events import EpochEnd, Finished, RunStarted
from resnet_studio.training.experiment import (
    ExperimentSpec,
    create_experiment,
    experiment_networks,
)
from resnet_studio.training.launch import data_record
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.response_file import RecordedResponses, write_responses
from resnet_studio.training.responses import response_layers
from resnet_studio.training.runs import RunFolder
from tests.cli_in_process import assert_one_line_error, cli

LAYERS = 19  # 3×3 layers of a 20-layer CIFAR net


def _experiment(path: Path, seeds=(0, 1)):
    spec = ExperimentSpec(
        "fig7", depths=(20,), widths=(0.25,), seeds=seeds, dataset="synthetic", subset=64
    )
    networks = experiment_networks(spec, fit=lambda n: n)
    experiment = create_experiment(
        path, spec, networks, data_root=path.parent, dataset="synthetic", subset=64
    )
    return experiment, networks


def _finished_cell(experiment, cell, network) -> Path:
    """A finished run folder for ``cell``, as ``train`` leaves it (without weights)."""
    data = load_dataset("synthetic", subset=64, val_size=32)
    folder = RunFolder.create(
        experiment.cell_dir(cell),
        name=cell.key,
        network=network,
        recipe=Recipe(seed=cell.seed, iterations=2, batch_size=32),
        dataset=data_record(data, 64),
        device="cpu",
    )
    folder.on_event(RunStarted("cpu", 1000, 1, 2, 2, 64, 32, 0, 0))
    folder.on_event(EpochEnd(1, 2, 2.0, 0.8, 2.0, 0.8, 0.1, 1.0, 100.0))
    folder.on_event(Finished(1, 2, 0.8, 0.8, 1.0))
    folder.lock.release()
    return folder.path


def _paths() -> tuple[str, ...]:
    from resnet_studio.arch.presets import preset_network
    from resnet_studio.model.build import build_model

    model = build_model(preset_network("cifar-resnet20"))
    return tuple(p for p, _ in response_layers(model))


# plain: 2.0 everywhere. residual: lower in layers 1–15; layer 16 lower for seed 0 only
# (mean over seeds 2.25: not lower), layers 17–19 higher. Train mode: all equal.
EVAL = {
    ("plain", 0): [2.0] * LAYERS,
    ("plain", 1): [2.0] * LAYERS,
    ("residual", 0): [1.0] * 15 + [1.0] + [3.0] * 3,
    ("residual", 1): [1.5] * 15 + [3.5] + [3.0] * 3,
}


def _with_responses(tmp_path: Path, skip: tuple[str, ...] = ()):
    experiment, networks = _experiment(tmp_path / "exp")
    for cell in experiment.cells:
        folder = _finished_cell(experiment, cell, networks[cell.network])
        if cell.key in skip:
            continue
        stds = {"eval": tuple(EVAL[cell.variant, cell.seed]), "train": (1.0,) * LAYERS}
        write_responses(folder, RecordedResponses(_paths(), stds, "val", 32, 1, 32))
    return experiment


def test_show_writes_fig7_its_csv_and_the_share_of_lower_layers(tmp_path, capsys) -> None:
    experiment = _with_responses(tmp_path)
    code, out, err = cli(
        capsys,
        "experiment", "show", experiment.path,
        "-o", tmp_path / "fig.svg", "--responses-csv", tmp_path / "responses.csv",
    )  # fmt: skip
    assert code == 0, err
    assert (
        "response std: the residual net is lower in 79% of layers at depth 20 "
        "(resnet20-w0.25 vs plain20-w0.25: 15 of 19 3×3 layers; average std "
        f"{(15 * 1.25 + 2.25 + 9) / 19:.2f} vs 2.00; means over 2 seeds, eval mode)"
    ) in out
    svg = (tmp_path / "fig-responses.svg").read_text()
    assert "<svg" in svg and "20 layers: sorted" in svg and "plain20-w0.25" in svg
    assert f"wrote {tmp_path / 'fig-responses.svg'}" in out

    rows = list(csv.reader(io.StringIO((tmp_path / "responses.csv").read_text())))
    assert rows[0] == [
        "network", "depth", "variant", "width", "seed", "cell", "mode", "layer", "path",
        "response_std",
    ]  # fmt: skip
    assert len(rows) == 1 + 4 * LAYERS
    by_cell = {(r[5], int(r[7])): r for r in rows[1:]}
    last = by_cell["resnet20-w0.25-s1", 16]
    assert last[:5] == ["resnet20-w0.25", "20", "residual", "0.25", "1"]
    assert last[6:] == ["eval", "16", _paths()[15], "3.5"]


def test_train_mode_statistics_are_chosen_by_option(tmp_path, capsys) -> None:
    experiment = _with_responses(tmp_path)
    code, out, err = cli(
        capsys, "experiment", "show", experiment.path, "--responses-mode", "train",
        "--responses-csv", tmp_path / "r.csv",
    )  # fmt: skip
    assert code == 0, err
    assert "the residual net is lower in 0% of layers at depth 20" in out
    assert "train mode" in out
    values = [r[-1] for r in csv.reader(io.StringIO((tmp_path / "r.csv").read_text()))][1:]
    assert set(values) == {"1.0"}


def test_cells_without_responses_are_named_and_a_damaged_file_is_one_line(tmp_path, capsys) -> None:
    experiment = _with_responses(tmp_path, skip=("plain20-w0.25-s1",))
    damaged = experiment.path / "cells" / "resnet20-w0.25-s1" / "responses.json"
    damaged.write_text('{"format": "resnet-studio-responses", "version": 1, "layers"')
    code, out, err = cli(capsys, "experiment", "show", experiment.path)
    assert code == 0, err
    assert "response std: not recorded for plain20-w0.25-s1 (trained before" in out
    unreadable = [line for line in out.splitlines() if "unreadable" in line]
    assert len(unreadable) == 1 and str(damaged) in unreadable[0]
    # the seed left of each still compares: 16 of 19 lower (layer 16 is 1.0 for seed 0)
    assert "lower in 84% of layers at depth 20" in out and "2 seeds" not in out


def test_no_recorded_responses_draws_no_fig7(tmp_path, capsys) -> None:
    experiment = _with_responses(
        tmp_path, skip=("plain20-w0.25-s0", "plain20-w0.25-s1", "resnet20-w0.25-s0",
                        "resnet20-w0.25-s1"),
    )  # fmt: skip
    code, out, err = cli(capsys, "experiment", "show", experiment.path, "-o", tmp_path / "f.png")
    assert code == 0, err
    assert (tmp_path / "f.png").exists() and (tmp_path / "f-depth.png").exists()
    assert not (tmp_path / "f-responses.png").exists()
    assert "no finished run recorded its response std" in out


def test_a_responses_csv_that_cannot_be_written_is_one_line(tmp_path, capsys) -> None:
    experiment = _with_responses(tmp_path)
    target = tmp_path / "missing" / "r.csv"
    code, _out, err = cli(capsys, "experiment", "show", experiment.path, "--responses-csv", target)
    assert_one_line_error(code, err, str(target))


def test_the_mean_over_seeds_decides_not_the_first_seed() -> None:
    from resnet_studio.training.experiment_responses import NetworkResponses

    class _Net:
        network = "n"

    responses = NetworkResponses(_Net())
    for values in ([1.0, math.nan], [3.0, 2.0]):
        responses.runs.append((None, RecordedResponses(("a", "b"), {"eval": values}, "", 1, 1, 1)))
    assert responses.layer_means("eval") == [2.0, 2.0]
