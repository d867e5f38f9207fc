"""``resnet-studio import FILE``: a weights-only state_dict opens as its preset with the
weights, a TorchScript archive as its graph; the program's own files, a ``.py`` and
pickles that name code are refused in one line, and nothing in any file runs."""

from __future__ import annotations

import json
import pickle
import warnings
import zipfile
from pathlib import Path

import pytest
import torch
import torchvision

from resnet_studio.importer.api import import_path
from resnet_studio.importer.errors import SourceError
from resnet_studio.model.load import load_model_file
from tests.cli_in_process import assert_one_line_error, cli
from tests.importer.user_models import CifarResNet
from tests.model.test_hostile_files import PAYLOADS

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")


def test_resnet50_state_dict_opens_as_the_preset_and_exports_torchvisions_outputs(
    capsys, tmp_path
) -> None:
    """The issue's done-when: a weights-only torchvision resnet50 state_dict saved to a
    file opens as the resnet50 preset with weights, and its TorchScript export gives
    torchvision's outputs on the same input."""
    torch.manual_seed(0)
    reference = torchvision.models.resnet50().eval()
    with torch.no_grad():  # weights unlike any fresh initialisation
        for buffer in reference.buffers():
            if buffer.is_floating_point():
                buffer.uniform_(0.5, 1.5)
    state_file = tmp_path / "resnet50.pth"
    torch.save(reference.state_dict(), state_file)
    project, weights, exported = tmp_path / "r50.json", tmp_path / "r50.pt", tmp_path / "ts.pt"
    code, out, err = cli(
        capsys, "import", state_file, "--input", "3,64,64", "-o", project, "--weights-out", weights
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"{state_file} (input 3×64×64): weights of preset resnet50, opened with them"
    assert "  weights: load strictly into preset resnet50" in lines
    assert lines[-1] == f"wrote {project}, {weights}"
    network, _, meta = load_model_file(weights)
    assert network.name == "resnet50" and network.input_shape == (3, 64, 64)
    assert meta.imported_from == str(state_file) and not meta.trained
    code, out, err = cli(capsys, "export", weights, "--format", "torchscript", "-o", exported)
    assert code == 0, err
    assert f"imported from {state_file}" in out and "untrained" not in out
    x = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        torch.testing.assert_close(torch.jit.load(exported)(x), reference(x))


def test_torchscript_archive_imports_from_the_command_line(capsys, tmp_path) -> None:
    source = CifarResNet(1, "B").eval()
    archive = tmp_path / "cifar_ts.pt"
    torch.jit.save(torch.jit.script(source), archive)
    project = tmp_path / "c.json"
    code, out, err = cli(capsys, "import", archive, "-o", project)
    assert_one_line_error(code, err, f"{archive}: a TorchScript archive", "--input C,H,W")
    code, out, err = cli(capsys, "import", archive, "--input", "3,32,32", "-o", project, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["exact"] and report["written"] == [str(project)]
    assert json.loads(project.read_text())["network"]["name"] == "cifar_ts"


def test_weights_that_fit_no_preset_exit_1_and_write_nothing(capsys, tmp_path) -> None:
    state = torchvision.models.resnet18().state_dict()
    state["fc.weight"] = torch.zeros(10, 256)
    path = tmp_path / "odd.pth"
    torch.save(state, path)
    code, out, err = cli(capsys, "import", path, "-o", tmp_path / "x.json")
    assert code == 1, err
    assert out.splitlines()[0].startswith(
        f"{path}: not imported: the weights fit no preset; the closest is preset resnet18"
    )
    assert "    fc.weight: 10×256 in the file, 1000×512 in the preset" in out
    assert out.rstrip().endswith("nothing written") and not (tmp_path / "x.json").exists()


def test_our_own_files_and_python_files_are_pointed_elsewhere(capsys, tmp_path) -> None:
    project = tmp_path / "net.json"
    cli(capsys, "new", "--preset", "cifar-resnet20", "-o", project)
    checkpoint, script = tmp_path / "ck.pt", tmp_path / "ts.pt"
    for path, fmt in ((checkpoint, "checkpoint"), (script, "torchscript")):
        code, _, err = cli(capsys, "export", project, "--format", fmt, "-o", path)
        assert code == 0, err
    for path in (project, checkpoint, script):
        code, _, err = cli(capsys, "import", path, "--input", "3,32,32", "-o", tmp_path / "o.json")
        assert_one_line_error(code, err, "a ResNet Studio file; open it with File → Open")
    code, _, err = cli(capsys, "import", checkpoint, "--weights", checkpoint, "-o", "o.json")
    assert_one_line_error(code, err, "--weights: only for torchvision:NAME and FILE.py:CLASS")


def _hostile_archive(path: Path, payload: object) -> None:
    """A zip laid out like a TorchScript archive whose module pickle is ``payload``."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model/data.pkl", pickle.dumps(payload, protocol=2))
        archive.writestr("model/constants.pkl", pickle.dumps((), protocol=2))
        archive.writestr("model/version", "6\n")
        archive.writestr("model/code/__torch__.py", "")


# How a payload reaches the importer: as the weights, inside them, as the whole file.
PLACEMENTS = {
    "torch-save": lambda path, payload: torch.save(payload, path),
    "in-state-dict": lambda path, payload: torch.save({"conv.weight": payload}, path),
    "under-model": lambda path, payload: torch.save({"model": payload}, path),
    "plain-pickle": lambda path, payload: path.write_bytes(pickle.dumps(payload, protocol=2)),
    "torchscript-layout": _hostile_archive,
}


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_no_file_runs_python_on_import(capsys, tmp_path, kind, placement) -> None:
    target = tmp_path / "ran"
    payload_class, _names = PAYLOADS[kind]
    path = tmp_path / "weights.pth"
    PLACEMENTS[placement](path, payload_class(target))
    with pytest.raises(SourceError) as caught:
        import_path(path, (3, 32, 32))
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    code, _, err = cli(capsys, "import", path, "--input", "3,32,32", "-o", tmp_path / "x.json")
    assert_one_line_error(code, err, str(path))
    assert not target.exists(), "a payload ran"


def test_a_refused_pickle_names_what_it_would_call(tmp_path) -> None:
    target = tmp_path / "ran"
    path = tmp_path / "evil.pth"
    payload_class, names = PAYLOADS["os-system"]
    torch.save(payload_class(target), path)
    with pytest.raises(SourceError, match="refused to load") as caught:
        import_path(path)
    assert names[0] in str(caught.value) and not target.exists()


def test_a_python_file_never_runs_from_a_model_import(tmp_path) -> None:
    script = tmp_path / "model.py"
    script.write_text("from pathlib import Path\nPath(__file__).with_suffix('.ran').touch()\n")
    with pytest.raises(SourceError, match="a Python file is imported as FILE.py:NAME"):
        import_path(script, (3, 8, 8))
    assert not script.with_suffix(".ran").exists()


def test_damaged_and_foreign_files_are_one_line(tmp_path) -> None:
    cases = {
        "empty.pt": b"",
        "text.pth": b"hello, not a model\n",
        "broken.zip": b"PK\x03\x04 broken",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(SourceError) as caught:
            import_path(path)
        assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)
    with pytest.raises(SourceError, match="no such file"):
        import_path(tmp_path / "missing.pth")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), tmp_path / "linear.pt")
    with pytest.raises(SourceError, match="fails on an input of shape 2×3×8×8"):
        import_path(tmp_path / "linear.pt", (3, 8, 8))


def test_an_archive_that_unpacks_beyond_free_memory_is_refused(tmp_path, monkeypatch) -> None:
    import resnet_studio.importer.sources as sources

    path = tmp_path / "big.pt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.save(torch.jit.script(CifarResNet(1, "B")), path)
    monkeypatch.setattr(sources, "available_memory", lambda: 1000)
    with pytest.raises(SourceError, match="more than the 1,000 bytes of memory free"):
        import_path(path, (3, 32, 32))
