"""``resnet-studio train`` on other data sets, and the mistakes it answers with one line.

Fresh interpreters, started side by side (module fixtures); each user
environment points into a temporary folder. A mistake must exit with status
2 and one line on stderr, without a traceback, a run folder or a download.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from resnet_studio.arch.project import save_project
from resnet_studio.training.launch import new_run
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import read_run
from tests.conftest import SHARED_DATA
from tests.training.cli_helpers import (
    Result,
    assert_one_line_error,
    finish_all,
    start,
    user_env,
)
from tests.training.conftest import tiny_network


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, tiny_data) -> Path:
    """A user folder with the tiny project, an empty folder and a finished one-epoch run."""
    path = tmp_path_factory.mktemp("user")
    save_project(path / "tiny.json", tiny_network())
    (path / "empty").mkdir()
    recipe = Recipe(epochs=1, batch_size=64, threads=1)
    handle = new_run(tiny_network(), tiny_data, recipe, path / "short", name="short")
    assert handle.run().status == "finished"
    return path


@pytest.fixture(scope="module")
def env(base: Path) -> dict[str, str]:
    return user_env(base)


def test_preset_adapts_to_fashion_mnist(base: Path, launched: dict[str, Result]) -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data directory not found: {SHARED_DATA}")
    result = launched["fashion"]
    assert result.code == 0, result.err
    note = (
        "adapted cifar-resnet20 from 3×32×32 images and 10 classes to "
        "fashion-mnist's 1×28×28 images and 10 classes"
    )
    assert result.out.splitlines()[0] == f"note: {note}"
    assert note in (base / "fashion" / "log.txt").read_text()
    info = json.loads((base / "fashion" / "run.json").read_text())
    assert info["network"]["input_shape"] == [1, 28, 28]
    assert info["dataset"]["name"] == "fashion-mnist" and info["dataset"]["subset"] == 256
    assert info["dataset"]["root"] == str(SHARED_DATA)
    from resnet_studio.model.load import load_checkpoint

    _, model, _ = load_checkpoint(base / "fashion" / "model.pt")
    with torch.no_grad():
        assert model.eval()(torch.zeros(2, 1, 28, 28)).shape == (2, 10)


# --- mistakes ---------------------------------------------------------------------------

# name: (arguments after "train", fragments the error line must contain)
MISTAKES = {
    "unknown data set": (
        ["--preset", "cifar-resnet20", "--dataset", "imagenet-22k"],
        ["unknown data set 'imagenet-22k'", "cifar10", "folder:PATH"],
    ),
    "cifar10 not in the data root": (
        ["--preset", "cifar-resnet20", "--dataset", "cifar10", "--data-root", "{base}/empty"],
        ["cifar10: no data in", "cifar-10-batches-py", "--download"],
    ),
    "zero epochs": (["--preset", "cifar-resnet20", "--epochs", "0"], ["--epochs", "got 0"]),
    "negative lr": (["--preset", "cifar-resnet20", "--lr", "-1"], ["lr", "above 0", "-1"]),
    "zero batch size": (
        ["--preset", "cifar-resnet20", "--batch-size", "0"],
        ["--batch-size", "got 0"],
    ),
    "lr not a number": (["--preset", "cifar-resnet20", "--lr", "fast"], None),
    "missing project file": (["{base}/nowhere.json"], ["nowhere.json", "no such file"]),
    "resume of a folder that is no run": (
        ["--resume", "{base}/empty"],
        ["empty: not a run folder (no run.json)"],
    ),
    "--out holds a run": (
        ["--preset", "cifar-resnet20", "--out", "{base}/short"],
        ["short already holds a run", "--resume"],
    ),
    "resume a finished run with nothing left to do": (
        ["--resume", "{base}/short"],
        ["short: already finished 1 epoch;", "pass --epochs M (more than 1)"],
    ),
    "project network does not fit the data": (
        ["{base}/tiny.json", "--dataset", "fashion-mnist", "--data-root", str(SHARED_DATA)],
        ["the network takes 3×32×32 images and 10 classes", "fashion-mnist has 1×28×28 images"],
    ),
    "unavailable device": (["--preset", "cifar-resnet20", "--device", "cuda:7"], ["device"]),
}


@pytest.fixture(scope="module")
def launched(base: Path, env: dict[str, str]) -> dict[str, Result]:
    """Every mistake of MISTAKES and, with the shared data, the CIFAR ResNet-20 preset
    trained briefly on Fashion-MNIST: all started side by side."""
    procs = {
        name: start(env, "train", *(a.format(base=base) for a in argv), "--threads", 1)
        for name, (argv, _) in MISTAKES.items()
    }
    if SHARED_DATA.is_dir():
        procs["fashion"] = start(
            env, "train", "--preset", "cifar-resnet20", "--dataset", "fashion-mnist",
            "--data-root", SHARED_DATA, "--epochs", 1, "--subset", 256, "--batch-size", 64,
            "--threads", 1, "--out", base / "fashion",
        )  # fmt: skip
    return finish_all(procs)


@pytest.mark.parametrize("name", list(MISTAKES))
def test_mistake_exits_2_with_one_line(name: str, base: Path, launched: dict[str, Result]) -> None:
    if name == "project network does not fit the data" and not SHARED_DATA.is_dir():
        pytest.skip(f"shared data directory not found: {SHARED_DATA}")
    if name == "unavailable device" and torch.cuda.device_count() > 7:
        pytest.skip("this machine has 8 GPUs")
    result = launched[name]
    fragments = MISTAKES[name][1]
    if fragments is None:  # argparse's own usage error: exit 2, no traceback
        assert result.code == 2 and "Traceback" not in result.err
        assert result.err.splitlines()[-1].endswith("argument --lr: invalid float value: 'fast'")
    else:
        assert_one_line_error(result, *fragments)
    assert result.out == ""  # said nothing else, started no training
    assert not (base / "runs").exists()  # and created no run folder (the others use --out)
    assert list((base / "empty").iterdir()) == []  # nothing downloaded or written there
    if name == "resume a finished run with nothing left to do":
        assert len(read_run(base / "short").epochs) == 1  # the run is left as it was
