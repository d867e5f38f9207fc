"""Valid files to damage: a project, a finished run and its three model files.

Made once per session, in-process, from the tiny network and the built-in
synthetic data; every test copies what it damages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.training.conftest import tiny_network


@dataclass(frozen=True)
class Originals:
    project: Path
    run: Path
    checkpoint: Path
    torchscript: Path
    onnx: Path | None
    image: Path


@pytest.fixture(scope="session")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Originals:
    return make_originals(tmp_path_factory.mktemp("originals"))


def make_originals(base: Path) -> Originals:
    """Write the valid files into ``base`` (a tiny run trains for a second or two)."""
    from PIL import Image

    from resnet_studio.arch.project import save_project
    from resnet_studio.model.export import export_model
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import new_run
    from resnet_studio.training.recipe import Recipe
    from resnet_studio.training.run_weights import run_weights

    project = base / "tiny.json"
    save_project(project, tiny_network())
    data = load_dataset("synthetic", subset=64, val_size=64)
    recipe = Recipe(epochs=2, batch_size=32, threads=1)
    handle = new_run(tiny_network(), data, recipe, base / "run", name="tiny", subset=64)
    assert handle.run().status == "finished"
    weights = run_weights(base / "run")
    files = {"checkpoint": base / "tiny-ckpt.pt", "torchscript": base / "tiny-ts.pt"}
    for fmt, path in files.items():
        export_model(path, fmt, weights.network, weights.model, weights.meta)
    onnx = None
    try:
        import onnx as _onnx  # noqa: F401

        onnx = base / "tiny.onnx"
        export_model(onnx, "onnx", weights.network, weights.model, weights.meta)
    except ImportError:
        pass
    image = base / "picture.png"
    Image.new("RGB", (40, 30), (200, 120, 40)).save(image)
    return Originals(project, base / "run", files["checkpoint"], files["torchscript"], onnx, image)


@pytest.fixture(autouse=True)
def user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs, data and settings of a user who lives in a temporary folder."""
    for name, sub in (("RUNS", "runs"), ("DATA", "data"), ("HOME", "home")):
        monkeypatch.setenv(f"RESNET_STUDIO_{name}", str(tmp_path / sub))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
