"""Experiments as data: the grid, its networks, the folder, and the verdict's arithmetic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resnet_studio.arch.inference import infer
from resnet_studio.arch.spec import Residual, walk
from resnet_studio.training.experiment import (
    BUILT_INS,
    ExperimentError,
    ExperimentSpec,
    built_in,
    cell_network,
    create_experiment,
    experiment_networks,
    read_experiment,
)
from resnet_studio.training.experiment_results import Stat


def test_the_grid_runs_seed_by_seed_shallow_first_plain_before_residual() -> None:
    spec = ExperimentSpec("study", depths=(56, 20), widths=(0.5,), seeds=(0, 1))
    keys = [c.key for c in spec.cells()]
    assert keys == [
        "plain20-w0.5-s0",
        "resnet20-w0.5-s0",
        "plain56-w0.5-s0",
        "resnet56-w0.5-s0",
        "plain20-w0.5-s1",
        "resnet20-w0.5-s1",
        "plain56-w0.5-s1",
        "resnet56-w0.5-s1",
    ]


def test_every_built_in_expands_at_both_sizes() -> None:
    for name in BUILT_INS:
        for quick in (True, False):
            spec = built_in(name, quick)
            spec.check()
            cells = spec.cells()
            assert len({c.key for c in cells}) == len(cells)
    quick = built_in("degradation-cifar", True)
    assert {c.depth for c in quick.cells()} == {20, 32, 44, 56}
    assert {c.variant for c in quick.cells()} == {"plain", "residual"}


def test_an_unknown_study_names_the_built_in_ones() -> None:
    with pytest.raises(ExperimentError, match="degradation-cifar"):
        built_in("degredation", quick=True)


def test_width_scales_every_convolution_and_keeps_the_paper_s_counts() -> None:
    spec = ExperimentSpec("w", depths=(20,), widths=(0.5, 1.0))
    half, full = (cell_network(spec, c, {}) for c in spec.cells() if c.variant == "residual")
    # Full width is the paper's ResNet-20 exactly; half width has 8/16/32 channels.
    assert infer(full).total_params == 269_722
    shapes = [row.output_shape for row in infer(half).rows if row.kind == "Conv2d"]
    assert {s[0] for s in shapes} == {8, 16, 32}


def test_option_b_adds_projections_only_where_dimensions_grow() -> None:
    spec = ExperimentSpec("ab", depths=(20,), variants=("residual",), shortcuts=("A", "B"))
    a, b = (cell_network(spec, c, {}) for c in spec.cells())
    assert {n.shortcut for n in walk(a.body) if isinstance(n, Residual)} == {"zero-pad"}
    assert {n.shortcut for n in walk(b.body) if isinstance(n, Residual)} == {"auto"}
    # Two stages grow their channels: two 1×1 projections (+BN) are all that B adds.
    extra = infer(b).total_params - infer(a).total_params
    assert extra == (16 * 32 + 2 * 32) + (32 * 64 + 2 * 64)


def test_the_plain_cells_have_no_shortcuts() -> None:
    spec = ExperimentSpec("p", depths=(20,))
    plain = cell_network(spec, spec.cells()[0], {})
    assert spec.cells()[0].variant == "plain"
    assert {n.shortcut for n in walk(plain.body) if isinstance(n, Residual)} == {"none"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"depths": "20"}, "spec.depths"),
        ({"depths": [21]}, "depths"),
        ({"seeds": [0, 0]}, "seeds"),
        ({"widths": [8]}, "widths"),
        ({"variants": ["both"]}, "variants"),
        ({"recipe": {"lr": 0.1, "momentum": 0.8}}, "recipe.momentum"),
        ({"colour": "red"}, "spec.colour"),
        ({"name": "../x"}, "name"),
    ],
)
def test_a_bad_spec_names_its_field(change: dict, field: str) -> None:
    data = {"name": "s", "family": "cifar", "depths": [20], **change}
    with pytest.raises(ExperimentError) as caught:
        ExperimentSpec.from_dict(data)
    assert str(caught.value).startswith(field), str(caught.value)


def _create(path: Path, spec: ExperimentSpec, **options):
    networks = experiment_networks(spec, fit=lambda n: n)
    return create_experiment(
        path, spec, networks, data_root=path.parent, dataset="synthetic", **options
    )


def test_the_folder_round_trips_and_a_failed_creation_leaves_nothing(tmp_path: Path) -> None:
    spec = ExperimentSpec("s", depths=(20,), widths=(0.25,), dataset="synthetic")
    experiment = _create(tmp_path / "exp", spec, subset=64)
    again = read_experiment(tmp_path / "exp")
    assert again.cells == experiment.cells and again.spec == spec and again.subset == 64
    assert sorted(p.name for p in (tmp_path / "exp" / "networks").iterdir()) == [
        "plain20-w0.25.json",
        "resnet20-w0.25.json",
    ]

    def refuse(network):
        raise ValueError("the network takes 3×32×32 images, but mnist has 1×28×28")

    with pytest.raises(ExperimentError, match="plain20-w0.25: the network takes"):
        experiment_networks(spec, fit=refuse)
    with pytest.raises(ExperimentError, match="already exists"):
        _create(tmp_path / "exp", spec, subset=None)


def test_a_creation_that_fails_midway_leaves_no_folder(tmp_path: Path, monkeypatch) -> None:
    from resnet_studio.training import experiment as module
    from resnet_studio.writing import WriteError

    written = []

    def full_disk(path, data, **options):
        written.append(path)
        if len(written) == 2:
            raise WriteError(f"{path}: cannot write (No space left on device)")
        real_write(path, data, **options)

    real_write = module.write_atomically
    monkeypatch.setattr(module, "write_atomically", full_disk)
    with pytest.raises(WriteError):
        _create(tmp_path / "exp", ExperimentSpec("s", depths=(20,)), subset=None)
    assert len(written) == 2 and not (tmp_path / "exp").exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(cells="all"),
        lambda d: d["cells"][0].update(seed="0"),
        lambda d: d["spec"].update(depths=[20.5]),
        lambda d: d.update(version=True),
        lambda d: d.pop("dataset"),
    ],
)
def test_a_damaged_experiment_file_is_one_line(tmp_path: Path, damage) -> None:
    spec = ExperimentSpec("s", depths=(20,))
    _create(tmp_path / "e", spec, subset=None)
    path = tmp_path / "e" / "experiment.json"
    data = json.loads(path.read_text())
    damage(data)
    path.write_text(json.dumps(data))
    with pytest.raises(ExperimentError) as caught:
        read_experiment(tmp_path / "e")
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_mean_and_spread_over_seeds() -> None:
    assert Stat([0.5]).percent() == "50.0%"
    assert Stat([0.6, 0.7]).percent() == "65.0 ± 7.1%"
    assert Stat([]).percent() == "-"


def test_an_ended_run_is_read_again_only_when_its_files_change(tmp_path: Path) -> None:
    # The window reads a running experiment every few seconds: its ended runs come
    # from memory while their files stay as they were.
    import json

    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.experiment_results import read_cell
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.recipe import Recipe
    from tests.training.conftest import tiny_network

    data = load_dataset("synthetic", subset=64, val_size=64)
    path = tmp_path / "run"
    recipe = Recipe(batch_size=32, iterations=2, threads=1)
    assert new_run(tiny_network(), data, recipe, path, name="x").run().status == "finished"
    first = read_cell(path)
    assert first is not None and first.status == "finished"
    assert read_cell(path) is first
    with (path / "metrics.jsonl").open("a") as metrics:
        metrics.write('{"event": "FromANewerVersion"}\n')  # changed: read again
    second = read_cell(path)
    assert second is not first and second.status == "finished"
    assert read_cell(path) is second
    # Running (this process trained it, so it lives): read again every time.
    info = json.loads((path / "run.json").read_text())
    (path / "run.json").write_text(json.dumps({**info, "status": "running"}))
    running = read_cell(path)
    assert running.status == "running" and read_cell(path) is not running
    assert read_cell(tmp_path / "none") is None
