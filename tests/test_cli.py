"""The headless subcommands: presets, new, summary, export, and how they report mistakes.

Most tests call ``main`` in-process (fast); the subprocess tests check what a
user really sees: exit status, one line on stderr, no traceback, no torch.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import PRESETS, preset_network
from resnet_studio.arch.project import load_project, project_to_json, save_project
from resnet_studio.arch.spec import (
    BatchNorm2d,
    Conv2d,
    Flatten,
    GlobalAvgPool,
    Linear,
    Network,
    ReLU,
    Repeat,
    Residual,
)
from resnet_studio.model.metadata import ModelMeta
from tests.cli_in_process import assert_one_line_error, cli

# Users still load TorchScript with torch.jit.load, deprecated or not.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.load` is deprecated:FutureWarning")


def tiny_network(shortcut: str = "zero-pad") -> Network:
    """A few layers with a residual stage: quick to build, trace and export."""
    block = Residual(
        name="block",
        shortcut=shortcut,
        body=(Conv2d(name="conv1", out_channels=8, stride=2), BatchNorm2d(name="bn1")),
    )
    return Network(
        name="tiny",
        input_shape=(3, 8, 8),
        classes=5,
        body=(
            Conv2d(name="conv", out_channels=4),
            BatchNorm2d(name="bn"),
            ReLU(name="relu"),
            Repeat(name="stage", count=2, body=(block,)),
            GlobalAvgPool(name="pool"),
            Flatten(name="flatten"),
            Linear(name="fc"),
        ),
    )


def run_cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m resnet_studio`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "resnet_studio", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    save_project(path, tiny_network())
    return path


# What a trained tiny network's files record: made-up statistics, as a run would store.
TRAINED_META = ModelMeta(
    input_shape=(3, 8, 8),
    categories=tuple("abcde"),
    mean=(0.5, 0.4, 0.3),
    std=(0.25, 0.2, 0.3),
    dataset="made-up",
    trained=True,
)


@pytest.fixture(scope="module")
def model_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A checkpoint and a TorchScript file of the tiny network, as if trained."""
    from resnet_studio.model.build import build_model
    from resnet_studio.model.export import save_checkpoint, save_torchscript

    folder = tmp_path_factory.mktemp("models")
    network = tiny_network()
    model = build_model(network)
    files = {"checkpoint": folder / "tiny-ckpt.pt", "torchscript": folder / "tiny-ts.pt"}
    save_checkpoint(files["checkpoint"], network, model, TRAINED_META)
    save_torchscript(files["torchscript"], network, model, TRAINED_META)
    return files


# --- presets -------------------------------------------------------------------------


def test_presets_lists_every_preset_with_its_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "presets")
    assert code == 0 and err == ""
    lines = out.splitlines()
    header, rows = lines[0], {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == list(PRESETS)
    for key, preset in PRESETS.items():
        assert preset.label in rows[key]
    resnet56 = rows["cifar-resnet56"]
    assert "ResNet-56 (CIFAR)" in resnet56 and "3×32×32" in resnet56
    assert resnet56.split()[-4:] == ["10", "56", "853,018", "125,489,770"]
    assert rows["resnet50"].split()[-3:] == ["50", "25,557,032", "4,089,238,376"]
    assert rows["vgg19"].split()[-2:] == ["143,667,240", "19,646,923,752"]
    # Aligned: every number ends in the column where its header ends.
    params_end = header.index("params") + len("params")
    for line in rows.values():
        assert line[params_end - 1].isdigit() and line[params_end] == " "
        assert len(line) == len(header)


# --- new --------------------------------------------------------------------------------


def test_new_writes_a_loadable_project(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "mnist.json"
    code, out, err = cli(
        capsys, "new", "--preset", "cifar-resnet20", "--input", "1,28,28", "--classes", "10",
        "-o", path,
    )  # fmt: skip
    assert code == 0, err
    assert str(path) in out
    network = load_project(path)
    assert network.input_shape == (1, 28, 28) and network.classes == 10
    summary = infer(network)
    assert summary.ok
    # The first conv sees 1 channel instead of 3: 16 × 2 × 3 × 3 fewer weights.
    assert summary.total_params == 269_722 - 288
    expected = infer(preset_network("cifar-resnet20", (1, 28, 28), 10))
    assert [r.path for r in summary.rows] == [r.path for r in expected.rows]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_new_keeps_an_existing_file_unless_forced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "net.json"
    path.write_text("my work", encoding="utf-8")
    code, _, err = cli(capsys, "new", "--preset", "cifar-resnet20", "-o", path)
    assert_one_line_error(code, err, "already exists", "--force")
    assert path.read_text(encoding="utf-8") == "my work"
    code, _, err = cli(capsys, "new", "--preset", "cifar-resnet56", "-o", path, "--force")
    assert code == 0, err
    assert infer(load_project(path)).total_params == 853_018


def test_new_file_gets_ordinary_permissions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    umask = os.umask(0o022)
    try:
        path = tmp_path / "net.json"
        assert cli(capsys, "new", "--preset", "cifar-resnet20", "-o", path)[0] == 0
        assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
    finally:
        os.umask(umask)


# --- summary ---------------------------------------------------------------------------


def test_summary_table_of_a_project(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "r20.json"
    save_project(path, preset_network("cifar-resnet20"))
    code, out, err = cli(capsys, "summary", path)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"cifar-resnet20 ({path}): input 3×32×32, 10 classes"
    assert lines[2].split() == ["path", "kind", "output", "shape", "params", "MACs"]
    assert lines[3].split() == ["conv1", "Conv2d", "16×32×32", "432", "442,368"]
    # Children are indented under their containers.
    assert any(line.startswith("  layer2.0 ") for line in lines)
    assert any(line.startswith("    layer2.0.conv1 ") for line in lines)
    assert any(line.startswith("    layer3.2.shortcut ") for line in lines)
    total = next(line for line in lines if line.startswith("total "))
    assert total.split() == ["total", "269,722", "40,552,426"]
    assert "problem" not in out


def check_summary_json(out: str, network: Network) -> dict:
    doc = json.loads(out)
    assert set(doc) == {"rows", "total_params", "total_macs"}
    expected = infer(network)
    assert doc["total_params"] == expected.total_params
    assert doc["total_macs"] == expected.total_macs
    assert len(doc["rows"]) == len(expected.rows)
    for row, want in zip(doc["rows"], expected.rows, strict=True):
        assert set(row) == {"path", "kind", "output_shape", "params", "macs", "error"}
        assert row["path"] == want.path and row["kind"] == want.kind
        assert row["output_shape"] == (list(want.output_shape) if want.output_shape else None)
        assert (row["params"], row["macs"], row["error"]) == (want.params, want.macs, want.error)
    return doc


def test_summary_json_of_a_preset(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "summary", "--preset", "cifar-resnet56", "--json")
    assert code == 0 and err == ""
    doc = check_summary_json(out, preset_network("cifar-resnet56"))
    assert (doc["total_params"], doc["total_macs"]) == (853_018, 125_489_770)
    assert doc["rows"][0]["output_shape"] == [16, 32, 32]


def test_summary_json_with_other_input(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    code, out, _ = cli(capsys, "summary", project, "--input", "1,16,16", "--classes", "7", "--json")
    assert code == 0
    check_summary_json(out, tiny_network().with_input((1, 16, 16), 7))


@pytest.mark.parametrize("kind", ["checkpoint", "torchscript"])
def test_summary_of_a_model_file(
    capsys: pytest.CaptureFixture[str], model_files: dict[str, Path], kind: str
) -> None:
    code, out, err = cli(capsys, "summary", model_files[kind], "--json")
    assert code == 0, err
    check_summary_json(out, tiny_network())
    code, out, err = cli(capsys, "summary", model_files[kind])
    assert code == 0, err
    assert out.startswith(f"tiny ({model_files[kind]}): input 3×8×8, 5 classes")


def test_summary_of_an_invalid_network_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    save_project(path, tiny_network(shortcut="identity"))  # 4×8×8 + 8×4×4 cannot add
    code, out, err = cli(capsys, "summary", path)
    assert code == 1 and err == ""
    message = "residual add: body gives 8×4×4, shortcut gives 4×8×8"
    row = next(line for line in out.splitlines() if line.startswith("  stage.0 "))
    assert f"error: {message}" in row
    assert "1 problem:" in out and f"  stage.0: {message}" in out
    code, out, _ = cli(capsys, "summary", path, "--json")
    assert code == 1
    doc = json.loads(out)
    assert [r["path"] for r in doc["rows"] if r["error"]] == ["stage.0"]


# The wrapper runs the CLI, then reports on stderr which heavy modules got imported.
_WRAPPER = (
    "import sys\n"
    "from resnet_studio.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "heavy = [m for m in ('torch', 'torchvision', 'PySide6') if m in sys.modules]\n"
    "print('heavy:', ','.join(heavy), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@pytest.mark.parametrize("command", ["summary-preset", "summary-project", "presets", "new"])
def test_light_commands_do_not_import_torch(project: Path, tmp_path: Path, command: str) -> None:
    argv = {
        "summary-preset": ["summary", "--preset", "cifar-resnet20", "--json"],
        "summary-project": ["summary", str(project), "--json"],
        "presets": ["presets"],
        "new": ["new", "--preset", "cifar-resnet20", "-o", str(tmp_path / "new.json")],
    }[command]
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "heavy:", result.stderr
    if command.startswith("summary"):
        assert json.loads(result.stdout)["total_params"] > 0


def test_closed_pipe_is_not_a_traceback() -> None:
    """``resnet-studio summary ... | head`` must not end in a BrokenPipeError traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "resnet_studio", "summary", "--preset", "cifar-resnet1202"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)
    process.stdout.close()  # far more than a pipe buffer is still to come
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err


# --- export ----------------------------------------------------------------------------


def layer_table(network: Network) -> list[tuple]:
    """The inference rows without node ids (a preset gets fresh ids on every call)."""
    return [(r.path, r.kind, r.output_shape, r.params, r.macs) for r in infer(network).rows]


def check_exported(path: Path, fmt: str, network: Network) -> None:
    """The file holds ``network`` and gives one score per class with plain torch / onnx."""
    import torch

    x = torch.randn(2, *network.input_shape)
    if fmt == "checkpoint":
        from resnet_studio.model.load import load_checkpoint

        loaded, model, _ = load_checkpoint(path)
        assert layer_table(loaded) == layer_table(network)
        y = model.eval()(x)
    elif fmt == "torchscript":
        from resnet_studio.model.load import read_network

        assert layer_table(read_network(path)) == layer_table(network)
        y = torch.jit.load(str(path))(x)
    else:
        import onnx
        from onnx.reference import ReferenceEvaluator

        proto = onnx.load(str(path))
        onnx.checker.check_model(proto)
        (y,) = ReferenceEvaluator(proto).run(None, {"input": x.numpy()})
    assert tuple(y.shape) == (2, network.classes)


@pytest.mark.parametrize("fmt", ["checkpoint", "torchscript", "onnx"])
@pytest.mark.parametrize("source", ["project", "preset"])
def test_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, project: Path, source: str, fmt: str
) -> None:
    out_path = tmp_path / f"model.{'onnx' if fmt == 'onnx' else 'pt'}"
    if source == "project":
        args, network = [project], tiny_network()
    else:
        args = ["--preset", "cifar-resnet20", "--input", "3,16,16", "--classes", "4"]
        network = preset_network("cifar-resnet20", (3, 16, 16), 4)
    code, out, err = cli(capsys, "export", *args, "--format", fmt, "-o", out_path)
    assert code == 0 and err == "", err
    assert out == (
        f"wrote {out_path} ({fmt}, {network.name}, {infer(network).total_params:,} params, "
        "untrained: freshly initialised weights, no preprocessing)\n"
    )
    check_exported(out_path, fmt, network)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out_path.name, project.name])


def test_export_from_a_checkpoint_keeps_its_weights(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, model_files: dict[str, Path]
) -> None:
    import torch

    from resnet_studio.model.load import load_checkpoint

    out_path = tmp_path / "copy.pt"
    code, out, err = cli(
        capsys, "export", model_files["checkpoint"], "--format", "torchscript", "-o", out_path
    )
    assert code == 0, err
    assert f"trained on made-up, weights from {model_files['checkpoint']}" in out
    assert "takes N×3×8×8 images in [0, 1] and normalises them itself" in out
    _, model, meta = load_checkpoint(model_files["checkpoint"])
    assert meta == TRAINED_META
    x = torch.rand(3, 3, 8, 8)
    mean = torch.tensor(meta.mean).view(1, 3, 1, 1)
    std = torch.tensor(meta.std).view(1, 3, 1, 1)
    with torch.no_grad():
        expected = model.eval()((x - mean) / std)
        assert torch.allclose(torch.jit.load(str(out_path))(x), expected, atol=1e-6)


# --- mistakes ----------------------------------------------------------------------------


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _bad_kernel(tmp_path: Path) -> Path:
    doc = json.loads(project_to_json(tiny_network()))
    doc["network"]["body"][3]["body"][0]["body"][0]["kernel"] = 0
    return _write(tmp_path / "net.json", json.dumps(doc))


MISTAKES = {
    "missing file": (
        lambda d: ["summary", d / "missing.json"],
        ["missing.json: no such file"],
    ),
    "bad JSON": (
        lambda d: ["summary", _write(d / "net.json", '{"format": ')],
        ["net.json: not valid JSON (line 1"],
    ),
    "not a project": (
        lambda d: ["summary", _write(d / "net.json", '{"layers": []}')],
        ["net.json: not a ResNet Studio project"],
    ),
    "invalid spec": (
        lambda d: ["summary", _bad_kernel(d)],
        ["net.json: network.body[3].body[0].body[0].kernel: must be from 1 to 64, got 0"],
    ),
    "unknown preset": (
        lambda d: ["summary", "--preset", "cifar-resnet57"],
        ["unknown preset 'cifar-resnet57'", "did you mean", "cifar-resnet56"],
    ),
    "unknown preset in new": (
        lambda d: ["new", "--preset", "resnet-50", "-o", d / "x.json"],
        ["unknown preset 'resnet-50'"],
    ),
    "input with two numbers": (
        lambda d: ["summary", "--preset", "cifar-resnet20", "--input", "3,32"],
        ["--input: expected C,H,W", "'3,32'"],
    ),
    "input not numbers": (
        lambda d: ["summary", "--preset", "cifar-resnet20", "--input", "a,b,c"],
        ["--input: expected C,H,W", "'a,b,c'"],
    ),
    "input out of range": (
        lambda d: ["new", "--preset", "cifar-resnet20", "--input", "0,32,32", "-o", d / "x.json"],
        ["--input: channels must be from 1 to 1,024, got 0"],
    ),
    "zero classes": (
        lambda d: ["summary", "--preset", "cifar-resnet20", "--classes", "0"],
        ["--classes: must be from 1 to 1,000,000, got 0"],
    ),
    "classes not a number": (
        lambda d: ["export", "--preset", "cifar-resnet20", "--classes", "ten", "--format",
                   "checkpoint", "-o", d / "x.pt"],
        ["--classes: expected a whole number, got 'ten'"],
    ),
    "new into a missing folder": (
        lambda d: ["new", "--preset", "cifar-resnet20", "-o", d / "nope" / "x.json"],
        ["x.json: cannot write (no such directory:"],
    ),
    "export into a missing folder": (
        lambda d: ["export", "--preset", "cifar-resnet20", "--format", "onnx",
                   "-o", d / "nope" / "x.onnx"],
        ["x.onnx: cannot write (no such directory:"],
    ),
    "export onto a folder": (
        lambda d: ["export", "--preset", "cifar-resnet20", "--format", "checkpoint",
                   "-o", _mkdir(d / "out.pt")],
        ["out.pt: is a directory"],
    ),
    "export as the wrong kind of file": (
        lambda d: ["export", "--preset", "cifar-resnet20", "--format", "torchscript",
                   "-o", d / "net.onnx"],
        ["net.onnx: a TorchScript file must end in .pt or .pth (.onnx is for onnx)"],
    ),
    "export ONNX under a .pt name": (
        lambda d: ["export", "--preset", "cifar-resnet20", "--format", "onnx",
                   "-o", d / "net.pt"],
        ["net.pt: an ONNX file must end in .onnx (.pt is for torchscript or checkpoint)"],
    ),
    "export below a file": (
        lambda d: ["export", "--preset", "cifar-resnet20", "--format", "checkpoint",
                   "-o", _write(d / "file.txt", "") / "x.pt"],
        ["x.pt: cannot write (not a directory:"],
    ),
    "export an invalid network": (
        lambda d: ["export", "--preset", "vgg19", "--input", "3,16,16",
                   "--format", "checkpoint", "-o", d / "x.pt"],
        ["preset: cannot export: the network has errors: pool5: window 2×2 does not fit"],
    ),
    "missing model file": (
        lambda d: ["summary", d / "gone.pt"],
        ["gone.pt: no such file"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", MISTAKES)
def test_mistake_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    make_argv, fragments = MISTAKES[name]
    argv = make_argv(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    code, out, err = cli(capsys, *argv)
    assert_one_line_error(code, err, *fragments)
    assert out == ""
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, not even half a file


def test_changing_a_checkpoint_shape_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, model_files: dict[str, Path]
) -> None:
    code, _, err = cli(
        capsys, "export", model_files["checkpoint"], "--classes", "3", "--format", "onnx",
        "-o", tmp_path / "x.onnx",
    )  # fmt: skip
    assert_one_line_error(code, err, "--input/--classes cannot change a trained network")
    assert list(tmp_path.iterdir()) == []


def test_onnx_export_without_onnx_installed(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # makes "import onnx" fail
    out_path = tmp_path / "x.onnx"
    code, _, err = cli(capsys, "export", project, "--format", "onnx", "-o", out_path)
    assert_one_line_error(code, err, "pip install onnx onnxscript onnxruntime")
    assert not out_path.exists()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write to read-only folders"
)
def test_read_only_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        for argv in (
            ["new", "--preset", "cifar-resnet20", "-o", folder / "x.json"],
            ["export", "--preset", "cifar-resnet20", "--format", "onnx", "-o", folder / "x.onnx"],
        ):
            code, _, err = cli(capsys, *argv)
            assert_one_line_error(code, err, "cannot write (Permission denied)")
            assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_mistakes_in_a_real_process(tmp_path: Path) -> None:
    """What a user sees: status 2, one line on stderr, no traceback, nothing on stdout."""
    (tmp_path / "junk.pt").write_text("not a model", encoding="utf-8")
    cases = [
        (["summary", "nope.json"], "resnet-studio: error: nope.json: no such file"),
        (
            ["summary", "--preset", "cifar-resnet20", "--input", "3,32"],
            "resnet-studio: error: --input: expected C,H,W as three whole numbers "
            "(e.g. 3,32,32), got '3,32'",
        ),
        (
            ["summary", "junk.pt"],
            "resnet-studio: error: junk.pt: not a PyTorch file",
        ),
    ]
    for argv, expected in cases:
        result = run_cli(*argv, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith(expected), result.stderr


def test_usage_errors_exit_2() -> None:
    result = run_cli("summary")
    assert result.returncode == 2
    assert "one of the arguments FILE --preset is required" in result.stderr
