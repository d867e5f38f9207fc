"""Two runs compared: their recipe, data set and device (library and ``resnet-studio diff``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from resnet_studio.training.launch import new_run
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.run_diff import diff_runs
from resnet_studio.training.runs import RunFolder, read_run
from tests.cli_in_process import assert_one_line_error, cli
from tests.training.conftest import tiny_network

QUICK = dict(iterations=2, batch_size=32, log_every=1, threads=1)


@pytest.fixture(scope="module")
def runs(tiny_data, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two real runs of two iterations: ``residual`` (lr 0.1, seed 0) and ``plain``
    (its plain twin, lr 0.05, seed 1), and ``more-data``: ``residual`` as if trained
    on 128 images (its run.json edited)."""
    root = tmp_path_factory.mktemp("runs")
    made = {}
    for name, shortcut, lr, seed in (("residual", "auto", 0.1, 0), ("plain", "none", 0.05, 1)):
        recipe = Recipe(lr=lr, seed=seed, **QUICK)
        handle = new_run(tiny_network(shortcut), tiny_data, recipe, root / name, name=name)
        assert handle.run().status == "finished"
        made[name] = root / name
    made["more-data"] = root / "more-data"
    shutil.copytree(made["residual"], made["more-data"])
    folder = RunFolder(made["more-data"])
    dataset = folder.read_info()["dataset"]
    folder.update_info(dataset={**dataset, "subset": 128, "train_images": 128})
    return made


def test_the_recipe_fields_that_differ(runs: dict[str, Path]) -> None:
    diff = diff_runs(read_run(runs["residual"]), read_run(runs["plain"]))
    assert not diff.identical
    recipe, data, ran_on = diff.sections
    assert recipe.name == "recipe"
    assert [tuple(d) for d in recipe.differences] == [("lr", 0.1, 0.05), ("seed", 0, 1)]
    assert recipe.same == len(Recipe().to_dict()) - 2
    assert (data.name, data.differences) == ("data", ())
    assert ran_on.differences == () and ran_on.same == 5  # device and four versions
    same = diff_runs(read_run(runs["residual"]), read_run(runs["residual"]))
    assert same.identical


def test_the_data_fields_that_differ(runs: dict[str, Path]) -> None:
    diff = diff_runs(read_run(runs["residual"]), read_run(runs["more-data"]))
    recipe, data, _ = diff.sections
    assert recipe.differences == ()
    assert [tuple(d) for d in data.differences] == [
        ("subset", None, 128),
        ("train_images", 256, 128),
    ]


def test_cli_diff_of_two_runs(capsys: pytest.CaptureFixture[str], runs: dict[str, Path]) -> None:
    code, out, err = cli(capsys, "diff", runs["residual"], runs["plain"])
    assert code == 1, err
    assert f"A: tiny ({runs['residual']}, run 'residual', finished)" in out
    assert "~  block  Residual" in out and "shortcut auto → none" in out
    lines = out.splitlines()
    at = lines.index("recipe: 2 differ, 19 the same")
    assert lines[at + 1].split() == ["field", "A", "B"]
    assert lines[at + 2].split() == ["lr", "0.1", "0.05"]
    assert lines[at + 3].split() == ["seed", "0", "1"]
    assert "data: the same (13 fields)" in lines and "ran on: the same (5 fields)" in lines

    code, out, err = cli(capsys, "diff", runs["residual"], runs["more-data"])
    assert code == 1, err  # the same network and recipe, other data
    assert "the networks are the same" in out
    assert "recipe: the same (21 fields)" in out and "data: 2 differ, 11 the same" in out

    code, out, err = cli(capsys, "diff", runs["residual"], runs["residual"])
    assert code == 0, err


def test_long_lists_show_their_first_difference(
    capsys: pytest.CaptureFixture[str], runs: dict[str, Path], tmp_path: Path
) -> None:
    renamed = tmp_path / "renamed"
    shutil.copytree(runs["residual"], renamed)
    folder = RunFolder(renamed)
    dataset = folder.read_info()["dataset"]
    names = list(dataset["class_names"])
    names[3] = "plus"
    folder.update_info(dataset={**dataset, "class_names": names})
    code, out, err = cli(capsys, "diff", runs["residual"], renamed)
    assert code == 1, err
    line = next(line for line in out.splitlines() if line.lstrip().startswith("class_names"))
    assert line.split() == [
        "class_names",
        "10",
        "items,",
        "[3]",
        "cross",
        "10",
        "items,",
        "[3]",
        "plus",
    ]


def test_cli_diff_of_two_runs_as_json(
    capsys: pytest.CaptureFixture[str], runs: dict[str, Path]
) -> None:
    code, out, err = cli(capsys, "diff", runs["residual"], runs["plain"], "--json")
    assert code == 1, err
    doc = json.loads(out)
    assert doc["a"]["kind"] == "run folder" and doc["a"]["run"] == "residual"
    sections = doc["run"]["sections"]
    assert sections["recipe"]["differences"] == {
        "lr": {"a": 0.1, "b": 0.05},
        "seed": {"a": 0, "b": 1},
    }
    assert sections["data"] == {"same": 13, "differences": {}}


def test_a_run_against_a_project_compares_networks_only(
    capsys: pytest.CaptureFixture[str], runs: dict[str, Path], tmp_path: Path
) -> None:
    from resnet_studio.arch.project import save_project

    project = tmp_path / "tiny.json"
    save_project(project, tiny_network())
    code, out, err = cli(capsys, "diff", runs["residual"], project)
    assert code == 0, err
    assert "(A is a run folder, B a project)" in out


def test_a_damaged_run_is_one_line(
    capsys: pytest.CaptureFixture[str], runs: dict[str, Path], tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged"
    shutil.copytree(runs["residual"], damaged)
    info = json.loads((damaged / "run.json").read_text())
    info["recipe"]["lr"] = "0.1"  # edited by hand
    (damaged / "run.json").write_text(json.dumps(info))
    code, _, err = cli(capsys, "diff", runs["residual"], damaged)
    assert_one_line_error(code, err, str(damaged), "run.json", "lr")


def test_diff_of_runs_does_not_import_torch(runs: dict[str, Path]) -> None:
    wrapper = (
        "import sys\n"
        "from resnet_studio.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print('torch' in sys.modules, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, "diff", str(runs["residual"]), str(runs["plain"])],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == "False"
