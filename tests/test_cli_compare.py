"""``resnet-studio compare``: its table (metric, data names, stopped runs) and its options."""

from __future__ import annotations

from pathlib import Path

import pytest

from resnet_studio.arch.presets import preset_network
from resnet_studio.cli_commands.compare import short_data_names
from resnet_studio.training.events import (
    Cancelled,
    EpochEnd,
    Finished,
    RunStarted,
    StepMetrics,
)
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import RunFolder
from tests.cli_in_process import assert_one_line_error, cli

DATA_A = "/data/sets/a/cifar10-subset"
DATA_B = "/data/sets/b/cifar10-subset"


def make_run(path: Path, preset: str, data: str, events: list, seed: int = 0) -> Path:
    """A run folder written as training writes it, event by event."""
    folder = RunFolder.create(
        path,
        name=path.name,
        network=preset_network(preset),
        recipe=Recipe(seed=seed, epochs=2),
        dataset={"name": f"folder:{data}", "root": data},
        device="cpu",
    )
    start = RunStarted("cpu", 269_722, 2, 20, 10, 640, 64, 0, 0)
    for event in [start, *events]:
        folder.on_event(event)
    return path


def finished(train: tuple[float, float], test_loss: float, test_error: float) -> list:
    steps = [StepMetrics(i / 10, i, 2.0 - i / 20, 0.9 - i / 40, 0.1, 50.0) for i in range(1, 21)]
    epochs = [
        EpochEnd(e, 10 * e, 1.5 / e, t, 1.6 / e, t + 0.05, 0.1, 12.0, 50.0)
        for e, t in enumerate(train, 1)
    ]
    return [*steps[:10], epochs[0], *steps[10:], epochs[1]] + [
        Finished(2, 20, 0.5, 0.5, 24.0, test_loss, test_error, 100)
    ]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runs")
    make_run(root / "resnet20", "cifar-resnet20", DATA_A, finished((0.7, 0.5), 1.25, 0.45))
    make_run(root / "plain20", "cifar-plain20", DATA_A, finished((0.8, 0.6), 1.5, 0.55))
    make_run(root / "plain56", "cifar-plain56", DATA_B, finished((0.9, 0.8), 2.0, 0.75))
    stopped = [
        StepMetrics(0.15, 15, 2.25, 0.875, 0.1, 50.0),
        StepMetrics(0.3, 30, 2.125, 0.8125, 0.1, 50.0),
        Cancelled(0.3, 30),
    ]
    make_run(root / "stopped", "cifar-resnet20", DATA_A, stopped, seed=1)
    return root


def rows(out: str) -> dict[str, list[str]]:
    """The table's rows by run name, split at runs of two or more spaces."""
    import re

    lines = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]
    return {cells[0]: cells for cells in lines if len(cells) > 5}


def test_the_table_shows_errors_short_data_names_and_a_stopped_run(
    capsys, runs: Path, monkeypatch
) -> None:
    monkeypatch.chdir(runs)
    names = ("resnet20", "plain56", "stopped")
    code, out, err = cli(capsys, "compare", *(runs / n for n in names))
    assert code == 0 and err == "", err
    table = rows(out)
    assert table["run"] == [
        "run", "data", "status", "epochs", "train err", "best train", "val err", "best val",
        "test err", "time", "params",
    ]  # fmt: skip
    # Two folders named alike: as many last parts as tell them apart.
    assert table["resnet20"][1:] == [
        "folder:…/a/cifar10-subset", "finished", "2", "50.00%", "50.00%", "55.00%", "55.00%",
        "45.00%", "24 s", "269,722",
    ]  # fmt: skip
    assert table["plain56"][1] == "folder:…/b/cifar10-subset"
    # Stopped within its first epoch: its last logged steps' error, not dashes.
    assert table["stopped"][1:] == [
        "folder:…/a/cifar10-subset", "stopped", "0.30", "81.25%", "-", "-", "-", "-", "-",
        "269,722",
    ]  # fmt: skip
    note = "no epoch finished; train err is that of its last logged steps, up to iteration 30"
    assert f"note: {runs / 'stopped'}: {note}" in out


def test_metric_loss_applies_to_the_table(capsys, runs: Path) -> None:
    code, out, err = cli(capsys, "compare", runs / "plain20", runs / "stopped", "--metric", "loss")
    assert code == 0 and err == "", err
    table = rows(out)
    assert table["run"][4:9] == ["train loss", "best train", "val loss", "best val", "test loss"]
    assert table["plain20"][4:9] == ["0.7500", "0.7500", "0.8000", "0.8000", "1.5000"]
    assert table["stopped"][4:6] == ["2.1250", "-"]
    assert "train loss is that of its last logged steps, up to iteration 30" in out


def test_panels_smoothing_and_seed_means_draw_a_figure(capsys, runs: Path, tmp_path) -> None:
    plot = tmp_path / "fig6.svg"
    paths = [runs / n for n in ("resnet20", "plain20", "plain56", "stopped")]
    code, out, err = cli(
        capsys, "compare", *paths, "--panels", "--smooth", "0.6", "--mean-seeds", "-o", plot
    )
    assert code == 0 and err == "", err
    assert out.splitlines()[-1] == f"wrote {plot}"
    text = plot.read_text()
    for label in ("plain", "ResNet", "plain20 (20 layers)", "plain56 (56 layers)"):
        assert f">{label}</text>" in text, label
    # resnet20 and the stopped run differ only in their seed: one line.
    assert ">resnet20 (20 layers, mean ± std of 2 runs)</text>" in text


@pytest.mark.parametrize("value", ["1", "-0.5", "abc", "nan"])
def test_a_smoothing_weight_outside_0_to_1_is_a_mistake(capsys, runs: Path, value: str) -> None:
    code, _out, err = cli(capsys, "compare", runs / "resnet20", "--smooth", value)
    assert_one_line_error(code, err, "--smooth", "from 0 to below 1", repr(value))


def test_a_plot_of_another_kind_is_a_mistake(capsys, runs: Path, tmp_path: Path) -> None:
    code, _out, err = cli(capsys, "compare", runs / "resnet20", "-o", tmp_path / "fig.jpg")
    assert_one_line_error(code, err, "fig.jpg", ".png, .svg or .pdf")
    assert not (tmp_path / "fig.jpg").exists()


def test_short_data_names_pick_the_shortest_telling_path() -> None:
    cwd = Path("/home/me/study")
    names = [
        "cifar10",
        "folder:/home/me/study/data/flowers",  # relative to where the user is: shortest
        "folder:/mnt/archive/2024/photos/train",
        "folder:/mnt/other/train",
    ]
    assert short_data_names(names, cwd) == [
        "cifar10",
        "folder:data/flowers",
        "folder:…/photos/train",
        "folder:…/other/train",
    ]
    assert short_data_names(["folder:/a/b/c/set"], cwd) == ["folder:…/set"]
    assert short_data_names(["folder:/set"], cwd) == ["folder:/set"]  # nothing to leave out
