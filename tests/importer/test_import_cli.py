"""``resnet-studio import``: exit 0 and files when exact, 1 with the report when parts
cannot be expressed, 2 in one line when the source cannot be read; the user's file
source, and the weights file the other commands read."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import torch
import torchvision

from resnet_studio.model.load import load_model_file
from tests.cli_in_process import assert_one_line_error, cli

NET_PY = """
import torch.nn.functional as F
from torch import nn


class Net(nn.Module):
    def __init__(self, width=8, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, width, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        self.block = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(width, classes)

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x)))
        x = x + self.block(x)
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))
"""


@pytest.fixture
def net_py(tmp_path: Path) -> Path:
    path = tmp_path / "my_net.py"
    path.write_text(NET_PY)
    return path


def test_exact_import_writes_project_and_weights_that_export_reads(capsys, tmp_path) -> None:
    project, weights = tmp_path / "r18.json", tmp_path / "r18.pt"
    torch.manual_seed(0)
    code, out, err = cli(
        capsys, "import", "torchvision:resnet18", "--input", "3,64,64", "-o", project,
        "--weights-out", weights,
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0] == "torchvision:resnet18 (input 3×64×64): imported exactly"
    assert f"wrote {project}, {weights}" in out
    network, model, meta = load_model_file(weights)
    assert network.name == "resnet18" and network.input_shape == (3, 64, 64)
    saved = torch.load(weights, weights_only=True)["state_dict"]
    assert list(saved) == list(torchvision.models.resnet18().state_dict())
    code, out, err = cli(capsys, "summary", project)
    assert code == 0 and "11,689,512" in out, err
    ts = tmp_path / "r18_ts.pt"
    code, out, err = cli(capsys, "export", weights, "--format", "torchscript", "-o", ts)
    assert code == 0, err
    x = torch.rand(2, 3, 64, 64)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # torch.jit.load is deprecated
        torch.testing.assert_close(torch.jit.load(ts)(x), model(x))


def test_user_file_imports_with_constructor_arguments(capsys, tmp_path, net_py) -> None:
    project = tmp_path / "net.json"
    code, out, err = cli(
        capsys, "import", f"{net_py}:Net", "--args", '{"width": 4, "classes": 3}',
        "--input", "3,16,16", "-o", project, "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert report["exact"] and report["written"] == [str(project)]
    assert report["exactness"]["source_params"] == 3 * 4 * 9 + 8 + (4 * 4 * 9 + 4) + 4 * 3 + 3
    # The block added outside its nn.Sequential takes its name: every weight keeps its key.
    mapped = {m["source"]: m for m in report["mapped"]}
    assert mapped["block.0"]["path"] == "block.0" and not mapped["block.0"]["renamed"]
    data = json.loads(project.read_text())["network"]
    assert data["name"] == "Net" and data["classes"] == 3


def test_parts_that_cannot_be_expressed_exit_1_with_the_report(capsys, tmp_path) -> None:
    project = tmp_path / "m.json"
    code, out, err = cli(
        capsys, "import", "torchvision:mobilenet_v3_small", "--input", "3,64,64", "-o", project
    )
    assert code == 1, err
    assert "71 operations cannot be expressed" in out
    assert "    features.0.2 (nn.Hardswish): nn.Hardswish has no kind in the designer\n" in out
    assert out.rstrip().endswith("nothing written")
    assert not project.exists()


@pytest.mark.parametrize(
    ("source", "extra", "fragments"),
    [
        ("torchvision:resnet81", [], ("no classification model 'resnet81'", "resnet18")),
        ("torchvision:resnet18", ["--args", "[1]"], ("--args: expected a JSON object",)),
        ("torchvision:resnet18", ["--args", '{"weights": "DEFAULT"}'], ("none is downloaded",)),
        ("torchvision:resnet18", ["--args", '{"depth": 3}'], ("torchvision:resnet18:",)),
        ("model.pt", [], ("model.pt: no such file",)),
        ("net.py", [], ("a Python file is imported as FILE.py:NAME",)),
        ("missing.py:Net", [], ("missing.py: no such file",)),
        ("NET:Missing", [], ("has no class or function 'Missing' (it defines Net)",)),
        ("NET:Net", ["--input", "1,8,8"], ("the model fails on an input of shape (2, 1, 8, 8)",)),
        ("torchvision:resnet18", ["--input", "3,0,4"], ("--input:",)),
    ],
)
def test_a_source_that_cannot_be_read_is_one_line_and_exit_2(
    capsys, tmp_path, net_py, source, extra, fragments
) -> None:
    source = source.replace("NET", str(net_py))
    args = ["--input", "3,16,16", *extra] if "--input" not in extra else extra
    code, out, err = cli(capsys, "import", source, *args, "-o", tmp_path / "x.json")
    assert_one_line_error(code, err, *fragments)
    assert not (tmp_path / "x.json").exists()


def test_broken_user_file_and_weights_files_are_one_line(capsys, tmp_path, net_py) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    code, _, err = cli(capsys, "import", f"{broken}:Net", "--input", "3,8,8", "-o", "x.json")
    assert_one_line_error(code, err, "running it failed (SyntaxError")
    state = tmp_path / "state.pt"
    torch.save({"conv.weight": torch.zeros(1)}, state)
    code, _, err = cli(
        capsys, "import", f"{net_py}:Net", "--weights", state, "--input", "3,8,8",
        "-o", tmp_path / "x.json",
    )  # fmt: skip
    assert_one_line_error(code, err, "do not fit the model")


def test_weights_file_loads_into_the_source(capsys, tmp_path, net_py) -> None:
    model = _net(net_py)
    state = tmp_path / "state.pt"
    torch.save(model.state_dict(), state)
    weights = tmp_path / "w.pt"
    code, out, err = cli(
        capsys, "import", f"{net_py}:Net", "--weights", state, "--input", "3,8,8",
        "-o", tmp_path / "n.json", "--weights-out", weights,
    )  # fmt: skip
    assert code == 0, err
    saved = torch.load(weights, weights_only=True)["state_dict"]
    torch.testing.assert_close(saved["conv.weight"], model.conv.weight)


def _net(path: Path):
    """The file's Net, made here as the test's own copy (with other random weights)."""
    namespace: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace["Net"]()


def test_existing_files_need_force(capsys, tmp_path, net_py) -> None:
    project = tmp_path / "n.json"
    project.write_text("{}")
    argv = ["import", f"{net_py}:Net", "--input", "3,8,8", "-o", project]
    code, _, err = cli(capsys, *argv)
    assert_one_line_error(code, err, "already exists; add --force")
    code, _, err = cli(capsys, *argv, "--force")
    assert code == 0, err
    assert json.loads(project.read_text())["network"]["name"] == "Net"
