"""Making run folders, and refusing before anything is made.

``train --out`` takes a new or an empty folder, never one with the user's
files in it; every option is checked before a folder or file is made; run
folder names are claimed, so runs started at once never share one; and a
resume that cannot start leaves the run exactly as it was.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import torch

from resnet_studio.arch.project import save_project
from resnet_studio.training.launch import RunHandle, new_run
from resnet_studio.training.recipe import Recipe, RecipeError
from resnet_studio.training.runs import CHECKPOINT_FILE, RunFolder, new_run_dir, read_run
from tests.cli_in_process import assert_one_line_error, cli
from tests.training import cli_helpers
from tests.training.conftest import tiny_network

QUICK = ["--subset", 64, "--batch-size", 64, "--epochs", 1, "--threads", 1]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (recursively) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    save_project(tmp_path / "tiny.json", tiny_network())
    return tmp_path / "tiny.json"


# --- train --out ----------------------------------------------------------------------------


def test_out_folder_with_files_is_refused_and_kept(capsys, tmp_path: Path, project) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "model.pt").write_bytes(b"my own model")
    (out / "log.txt").write_text("my notes\n")
    before = snapshot(tmp_path)
    code, stdout, err = cli(capsys, "train", project, "--out", out, *QUICK)
    assert_one_line_error(code, err, f"--out {out}: not empty", "log.txt, model.pt")
    assert stdout == ""
    assert snapshot(tmp_path) == before


def test_out_that_is_a_file_is_refused(capsys, tmp_path: Path, project) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("mine")
    code, _, err = cli(capsys, "train", project, "--out", out, *QUICK)
    assert_one_line_error(code, err, f"--out {out}: not a folder")
    assert out.read_text() == "mine"


def test_create_refuses_a_folder_with_files(tmp_path: Path) -> None:
    from resnet_studio.training.runs import RunFolderError

    (tmp_path / "checkpoint.pt").write_bytes(b"keep")
    with pytest.raises(RunFolderError, match="not empty"):
        RunFolder.create(
            tmp_path, name="x", network=tiny_network(), recipe=Recipe(), dataset={}, device="cpu"
        )
    assert snapshot(tmp_path) == {"checkpoint.pt": b"keep"}


def test_runs_named_alike_at_once_get_a_folder_each(tmp_path: Path, monkeypatch) -> None:
    import resnet_studio.training.runs as runs

    monkeypatch.setattr(runs.time, "strftime", lambda _format: "20261123-101500")
    callers = 8
    barrier = threading.Barrier(callers)
    made: list[Path] = []

    def make() -> None:
        barrier.wait()
        made.append(new_run_dir(tmp_path / "runs", "tiny one"))

    threads = [threading.Thread(target=make) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == callers
    assert all(p.is_dir() and not any(p.iterdir()) for p in made)  # claimed, and empty
    assert sorted(p.name for p in made)[:2] == [
        "20261123-101500-tiny-one",
        "20261123-101500-tiny-one-2",
    ]


# --- options refused before anything is made -------------------------------------------------


@pytest.mark.parametrize(
    "recipe, field",
    [
        (dict(threads=100_000_000), "threads"),  # torch's thread pool would crash
        (dict(iterations=10**20), "iterations"),
        (dict(warmup_iterations=10**20), "warmup_iterations"),
        (dict(lr="fast"), "lr"),  # a damaged run.json: a RecipeError, not a TypeError
        (dict(epochs=2.5), "epochs"),
        (dict(milestones=("half",)), "milestones"),
    ],
)
def test_recipe_refuses_what_training_would_fail_on_late(recipe: dict, field: str) -> None:
    with pytest.raises(RecipeError, match=f"^{field}: must be"):
        Recipe(**recipe)


def test_the_seed_range_is_what_torch_takes() -> None:
    for seed in (-(2**63), -1, 0, 2**63, 2**64 - 1):
        torch.Generator().manual_seed(Recipe(seed=seed).seed)
    for seed in (-(2**63) - 1, 2**64):
        with pytest.raises(ValueError):
            torch.Generator().manual_seed(seed)
        with pytest.raises(RecipeError, match="seed: must be from -9223372036854775808 to 1844"):
            Recipe(seed=seed)


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Train with each refused option, in fresh processes started side by side.

    Processes, not in-process calls: the code as it was crashed the interpreter
    on --threads 100000000 (a segmentation fault in torch's thread pool).
    """
    base = tmp_path_factory.mktemp("user")
    save_project(base / "tiny.json", tiny_network())
    env = cli_helpers.user_env(base)
    options = {  # the last --threads wins
        "seed": ["--seed", "99999999999999999999999"],
        "negative-seed": ["--seed", "-99999999999999999999999"],
        "threads": ["--threads", "100000000"],
    }
    procs = {
        key: cli_helpers.start(
            env, "train", base / "tiny.json", *QUICK, *extra, "--out", base / key
        )
        for key, extra in options.items()
    }
    return base, cli_helpers.finish_all(procs)


@pytest.mark.parametrize(
    "key, option", [("seed", "--seed"), ("negative-seed", "--seed"), ("threads", "--threads")]
)
def test_a_refused_option_makes_no_folder(refused, key: str, option: str) -> None:
    base, results = refused
    cli_helpers.assert_one_line_error(results[key], f"{option}: must be from")
    assert results[key].out == ""
    assert sorted(p.name for p in base.iterdir()) == ["tiny.json"]  # no run folder, no runs/


def test_a_network_that_cannot_run_makes_no_folder(capsys, tmp_path: Path) -> None:
    from resnet_studio.arch import spec

    broken = spec.Network(
        input_shape=(3, 32, 32),
        body=(
            spec.Conv2d(name="conv1", out_channels=16),
            spec.Residual(
                name="block",
                shortcut="identity",
                body=(spec.Conv2d(name="conv", out_channels=32, stride=2),),
            ),
            spec.GlobalAvgPool(name="avgpool"),
            spec.Flatten(name="flatten"),
            spec.Linear(name="fc"),
        ),
    )
    save_project(tmp_path / "broken.json", broken)
    out = tmp_path / "run"
    code, stdout, err = cli(capsys, "train", tmp_path / "broken.json", "--out", out, *QUICK)
    assert_one_line_error(code, err, "cannot start training", "block: residual add")
    assert stdout == "" and not out.exists()


# --- a resume that cannot start -----------------------------------------------------------------


@pytest.fixture
def finished(tmp_path: Path, tiny_data) -> Path:
    """A finished one-epoch run of the tiny network."""
    recipe = Recipe(epochs=1, batch_size=64, threads=1)
    handle = new_run(tiny_network(), tiny_data, recipe, tmp_path / "done", name="done")
    assert handle.run().status == "finished"
    return tmp_path / "done"


def damage(run: Path, how: str) -> None:
    """Give ``run`` a checkpoint that loads but cannot be resumed from."""
    state = torch.load(run / CHECKPOINT_FILE, weights_only=True)
    if how == "wrong shapes":  # e.g. a checkpoint of another network copied in
        state["model"]["fc.weight"] = torch.zeros(3, 8)
        state["model"]["fc.bias"] = torch.zeros(3)
    else:
        del state["optimizer"]
    RunFolder(run).write_checkpoint(state)


@pytest.mark.parametrize(
    "how, why", [("wrong shapes", "size mismatch for fc.weight"), ("no optimizer", "optimizer")]
)
def test_a_resume_that_cannot_start_leaves_the_run_as_it_was(
    capsys, finished: Path, how: str, why: str
) -> None:
    damage(finished, how)
    before = snapshot(finished)
    code, out, err = cli(capsys, "train", "--resume", finished, "--epochs", 2, "--threads", 1)
    assert_one_line_error(code, err, f"{finished / CHECKPOINT_FILE}: cannot resume from it", why)
    assert out == ""
    assert snapshot(finished) == before
    assert read_run(finished).status == "finished"


def test_a_run_handle_refuses_to_resume_before_writing(finished: Path, tiny_data) -> None:
    from resnet_studio.training.launch import CannotStartError

    damage(finished, "wrong shapes")
    before = snapshot(finished)
    recipe = Recipe(epochs=2, batch_size=64, threads=1)
    handle = RunHandle(tiny_network(), tiny_data, recipe, RunFolder(finished), resume=True)
    heard = []
    with pytest.raises(CannotStartError, match="cannot resume from it .size mismatch"):
        handle.run([heard.append])
    assert heard == [] and snapshot(finished) == before
