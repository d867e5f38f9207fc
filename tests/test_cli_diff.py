"""``resnet-studio diff``: two networks from presets, project and model files, compared.

Run folders, whose recipe and data are compared too, are tested in
tests/training/test_run_diff.py.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from resnet_studio.arch.edit import replace_node
from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import save_project
from tests.cli_in_process import assert_one_line_error, cli


def table_lines(out: str) -> list[str]:
    """The lines of the layers table, below its header, above the legend."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("path")) + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("~ changed (A → B)"))
    return lines[start:end]


def test_the_same_preset_twice_is_identical(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "diff", "preset:cifar-resnet56", "preset:cifar-resnet56")
    assert code == 0, err
    rows = len(infer(preset_network("cifar-resnet56")).rows)
    assert f"layers: {rows} the same: the networks are the same" in out
    assert "difference" in out.splitlines()[3]  # the totals' header
    assert not any(line.startswith(("~ ", "+ ", "- ")) for line in out.splitlines())


def test_plain_against_residual_lists_the_shortcuts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "diff", "preset:cifar-plain20", "preset:cifar-resnet20")
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0] == "A: cifar-plain20 (preset:cifar-plain20), input 3×32×32, 10 classes"
    assert lines[1] == "B: cifar-resnet20 (preset:cifar-resnet20), input 3×32×32, 10 classes"
    assert "layers: 54 the same, 9 changed, 9 only in B (--all lists every layer)" in lines
    rows = [line.split() for line in table_lines(out)]
    assert [row[:2] for row in rows] == [
        ["~", "layer1.0-2"],
        ["+", "layer1.0-2.shortcut"],
        ["~", "layer2.0"],
        ["+", "layer2.0-2.shortcut"],
        ["~", "layer2.1-2"],
        ["~", "layer3.0"],
        ["+", "layer3.0-2.shortcut"],
        ["~", "layer3.1-2"],
    ]
    assert all(" ".join(row).endswith("shortcut none → zero-pad") for row in rows if row[0] == "~")
    assert "recipe and data: compared only between two run folders" in out


def test_a_changed_project_against_its_preset(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    network = preset_network("cifar-resnet20")
    conv1 = network.body[0]
    narrower = replace_node(network, conv1.id, dataclasses.replace(conv1, out_channels=8))
    same_path, narrower_path = tmp_path / "same.json", tmp_path / "narrower.json"
    save_project(same_path, network)
    save_project(narrower_path, narrower)
    code, out, err = cli(capsys, "diff", same_path, "preset:cifar-resnet20")
    assert code == 0, err
    code, out, err = cli(capsys, "diff", "preset:cifar-resnet20", narrower_path)
    assert code == 1, err
    rows = table_lines(out)
    assert rows[0].split()[:3] == ["~", "conv1", "Conv2d"]
    assert "16×32×32 → 8×32×32" in rows[0] and rows[0].endswith("out_channels 16 → 8")
    # Its BN and ReLU have its shape; the next conv reads fewer channels: fewer weights.
    assert [row.split()[1] for row in rows[1:3]] == ["bn1", "relu"]
    params = next(line for line in out.splitlines() if line.startswith("params")).split()
    assert params[1:3] == [f"{infer(network).total_params:,}", f"{infer(narrower).total_params:,}"]


def test_all_lists_every_layer_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "diff", "preset:cifar-plain20", "preset:cifar-resnet20", "--all")
    assert code == 1, err
    rows = table_lines(out)
    assert len(rows) == len(infer(preset_network("cifar-resnet20")).rows)
    markers = [line[0] for line in rows]
    assert markers.count(" ") == 54 and markers.count("~") == 9 and markers.count("+") == 9


def test_json_lists_each_change_unfolded(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "diff", "preset:cifar-plain20", "preset:cifar-resnet20", "--json")
    assert code == 1, err
    doc = json.loads(out)
    assert doc["identical"] is False and doc["run"] is None
    assert doc["a"] == {
        "source": "preset:cifar-plain20",
        "kind": "preset",
        "network": "cifar-plain20",
        "run": None,
    }
    network = doc["network"]
    assert network["counts"] == {"same": 54, "changed": 9, "only_a": 0, "only_b": 9}
    assert network["totals"]["params"] == {"a": 269722, "b": 269722}
    assert network["totals"]["input"] == {"a": [3, 32, 32], "b": [3, 32, 32]}
    added = [layer for layer in network["layers"] if layer["status"] == "only_b"]
    assert [layer["path"] for layer in added][:3] == [
        "layer1.0.shortcut",
        "layer1.1.shortcut",
        "layer1.2.shortcut",
    ]
    assert added[0]["a"] is None and added[0]["b"]["kind"] == "ZeroPadShortcut"
    changed = next(layer for layer in network["layers"] if layer["status"] == "changed")
    assert changed["settings"] == {"shortcut": {"a": "none", "b": "zero-pad"}}
    assert changed["fields"] == []
    code, out, _ = cli(capsys, "diff", "preset:vgg19", "preset:vgg19", "--json", "--all")
    assert code == 0 and json.loads(out)["identical"] is True
    assert {layer["status"] for layer in json.loads(out)["network"]["layers"]} == {"same"}


def test_a_model_file_against_the_preset_it_came_from(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model = tmp_path / "resnet20.pt"
    code, _, err = cli(
        capsys, "export", "--preset", "cifar-resnet20", "--format", "checkpoint", "-o", model
    )
    assert code == 0, err
    code, out, err = cli(capsys, "diff", model, "preset:cifar-resnet20")
    assert code == 0, err
    assert f"A: cifar-resnet20 ({model}), input 3×32×32, 10 classes" in out
    assert "(A is a model file, B a preset)" in out


def test_large_twins_compare_fast(capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    code, out, _ = cli(capsys, "diff", "preset:cifar-plain1202", "preset:cifar-resnet1202")
    seconds = time.perf_counter() - start
    assert code == 1
    assert len(table_lines(out)) == 8  # 600 blocks and 600 shortcuts, folded by stage
    assert seconds < 1.0, f"{seconds:.2f} s"


@pytest.mark.parametrize(
    ("a", "fragments"),
    [
        ("preset:nope", ["unknown preset 'nope'"]),
        ("preset:", ["preset:: name a preset after 'preset:'"]),
        ("cifar-resnet20", ["no such file; for the built-in network write preset:cifar-resnet20"]),
        ("missing.json", ["missing.json: no such file"]),
        ("folder", ["folder: a folder without run.json", "preset:NAME"]),
        ("broken.json", ["broken.json"]),
    ],
)
def test_mistakes_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    a: str,
    fragments: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "broken.json").write_text("{half")
    code, out, err = cli(capsys, "diff", a, "preset:cifar-resnet20")
    assert out == ""
    assert_one_line_error(code, err, *fragments)
    code, out, err = cli(capsys, "diff", "preset:cifar-resnet20", a)  # either side
    assert_one_line_error(code, err, *fragments)


def test_diff_of_presets_and_projects_does_not_import_torch(tmp_path: Path) -> None:
    project = tmp_path / "p.json"
    save_project(project, preset_network("cifar-resnet20"))
    wrapper = (
        "import sys\n"
        "from resnet_studio.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = [m for m in ('torch', 'torchvision', 'PySide6') if m in sys.modules]\n"
        "print('heavy:', ','.join(heavy), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, "diff", str(project), "preset:cifar-plain20"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == "heavy:", result.stderr
