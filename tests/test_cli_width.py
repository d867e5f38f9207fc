"""``--width X`` wherever a preset is named: summary, new, export (train: tests/training)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import load_project, save_project
from tests.cli_in_process import assert_one_line_error, cli


def test_summary_of_a_scaled_preset(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "summary", "--preset", "cifar-resnet20", "--width", "0.5")
    assert code == 0, err
    assert out.splitlines()[0].startswith("cifar-resnet20-w0.5 (preset)")
    assert "8×32×32" in out and "16×16×16" in out and "32×8×8" in out
    code, out, _ = cli(capsys, "summary", "--preset", "cifar-plain20", "--width", "2", "--json")
    first_conv = json.loads(out)["rows"][0]
    assert first_conv["output_shape"] == [32, 32, 32]


def test_new_writes_the_scaled_network_under_its_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "half.json"
    code, out, err = cli(capsys, "new", "--preset", "cifar-resnet56", "--width", "0.5", "-o", path)
    assert code == 0, err
    assert out.startswith(f"wrote {path}: cifar-resnet56-w0.5, input 3×32×32")
    network = load_project(path)
    assert network.name == "cifar-resnet56-w0.5"
    expected = preset_network("cifar-resnet56", width=0.5)
    assert infer(network).total_params == infer(expected).total_params


def test_export_of_a_scaled_preset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "m.pt"
    code, out, err = cli(
        capsys, "export", "--preset", "cifar-resnet20", "--width", "0.25",
        "--format", "checkpoint", "-o", out_file,
    )  # fmt: skip
    assert code == 0, err
    assert "cifar-resnet20-w0.25" in out and out_file.is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("summary", "--preset", "resnet18", "--width", "0.5"),
            "--width: applies to the CIFAR families (cifar-resnet*, cifar-plain*) only",
        ),
        (
            ("new", "--preset", "vgg19", "--width", "2", "-o", "x.json"),
            "--width: applies to the CIFAR families (cifar-resnet*, cifar-plain*) only",
        ),
        (
            ("summary", "--preset", "cifar-resnet20", "--width", "8"),
            "--width: must be from 0.25 to 4, got 8",
        ),
        (
            ("new", "--preset", "cifar-plain20", "--width", "0.1", "-o", "x.json"),
            "--width: must be from 0.25 to 4, got 0.1",
        ),
        (
            ("summary", "--preset", "cifar-resnet20", "--width", "half"),
            "--width: expected a number such as 0.5 or 2, got 'half'",
        ),
        (
            ("summary", "--preset", "cifar-resnet20", "--width", "inf"),
            "--width: expected a number such as 0.5 or 2, got 'inf'",
        ),
    ],
)
def test_a_width_that_cannot_apply_is_one_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, *argv)
    line = assert_one_line_error(code, err)
    assert line.endswith(message), line
    assert not (tmp_path / "x.json").exists() and out == ""


@pytest.mark.parametrize("command", ["summary", "export"])
def test_a_project_file_takes_no_width(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    project = tmp_path / "net.json"
    save_project(project, preset_network("cifar-resnet20"))
    extra = ("--format", "checkpoint", "-o", tmp_path / "m.pt") if command == "export" else ()
    code, _, err = cli(capsys, command, project, "--width", "0.5", *extra)
    assert_one_line_error(code, err, "--width: applies to the CIFAR families")
    assert not (tmp_path / "m.pt").exists()
