"""Exported files give the same outputs as the model, load without this program, and
loading never runs code from the file."""

from __future__ import annotations

import copy
import os
import pathlib
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from unittest import mock

import pytest
import torch
from torch import nn

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import project_from_json, project_to_json
from resnet_studio.arch.spec import Network
from resnet_studio.cli import main
from resnet_studio.model.build import build_model
from resnet_studio.model.export import save_checkpoint, save_onnx, save_torchscript
from resnet_studio.model.files import CHECKPOINT_FORMAT, SPEC_ENTRY, ModelFileError
from resnet_studio.model.load import load_checkpoint, read_network
from tests.plain_python import WITHOUT_RESNET_STUDIO

TOLERANCE = 1e-6
# TorchScript is deprecated upstream but still what users load .pt models with.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")


def randomise_batchnorm(model: nn.Module, seed: int = 0) -> None:
    """Give every BatchNorm non-trivial statistics and affine values.

    Fresh BatchNorms are the identity in eval mode (mean 0, var 1, scale 1,
    shift 0), so an export that lost them, or ran in training mode, would
    still match. These values make eval mode differ visibly from train mode.
    """
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.running_mean.copy_(torch.randn(n, generator=gen) * 0.5)
                m.running_var.copy_(torch.rand(n, generator=gen) * 2 + 0.25)
                m.weight.copy_(torch.rand(n, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(n, generator=gen) * 0.2)


@pytest.fixture(scope="module")
def network() -> Network:
    return preset_network("cifar-resnet20")


@pytest.fixture(scope="module")
def model(network: Network) -> nn.Module:
    torch.manual_seed(0)
    model = build_model(network)
    randomise_batchnorm(model)
    model.train()  # exports must switch to eval mode themselves
    return model


@pytest.fixture(scope="module")
def inputs() -> torch.Tensor:
    return torch.randn(4, 3, 32, 32, generator=torch.Generator().manual_seed(1))


@pytest.fixture(scope="module")
def expected(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    reference = copy.deepcopy(model).eval()
    with torch.no_grad():
        out = reference(inputs)
        # Guard: the statistics matter, so a train-mode export could not pass.
        assert (reference.train()(inputs) - out).abs().max() > 1e-2
    return out


def max_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return (a.double() - b.double()).abs().max().item()


# --- checkpoint ------------------------------------------------------------------------


def test_checkpoint_round_trip(
    tmp_path: Path, network: Network, model: nn.Module, inputs, expected
) -> None:
    path = tmp_path / "model.pt"
    save_checkpoint(path, network, model)
    loaded_network, loaded, meta = load_checkpoint(path)
    assert meta is not None and not meta.trained and meta.mean is None
    assert loaded_network == network  # same tree, same node ids
    with torch.no_grad():
        assert max_diff(loaded.eval()(inputs), expected) <= TOLERANCE
    assert model.training  # saving left the caller's model alone


def test_checkpoint_loads_with_plain_torch(
    tmp_path: Path, network: Network, model: nn.Module, inputs, expected
) -> None:
    path = tmp_path / "model.pt"
    save_checkpoint(path, network, model)
    data = torch.load(path, weights_only=True)  # what a user's own code does
    assert set(data) == {"format", "version", "spec", "state_dict", "meta"}
    assert data["format"] == CHECKPOINT_FORMAT and data["version"] == 1
    assert data["meta"]["trained"] is False and data["meta"]["mean"] is None
    rebuilt = build_model(project_from_json(data["spec"]))
    rebuilt.load_state_dict(data["state_dict"])
    with torch.no_grad():
        assert max_diff(rebuilt.eval()(inputs), expected) <= TOLERANCE


def test_failed_save_leaves_no_file(tmp_path: Path, network: Network, model: nn.Module) -> None:
    target = tmp_path / "taken"
    target.mkdir()  # a folder is never replaced by a file
    with pytest.raises(ModelFileError, match="taken: a folder, not a regular file"):
        save_checkpoint(target, network, model)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]
    assert list(target.iterdir()) == []
    full = tmp_path / "full.pt"  # a write that fails half-way leaves nothing either
    with mock.patch("resnet_studio.writing.os.fsync", side_effect=OSError(28, "No space")):
        with pytest.raises(ModelFileError, match="full.pt: cannot write"):
            save_checkpoint(full, network, model)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


# --- TorchScript --------------------------------------------------------------------------

# Runs in a fresh interpreter where importing resnet_studio fails, as on a machine
# without this program: the file alone must be enough.
_LOAD_WITHOUT_US = WITHOUT_RESNET_STUDIO + textwrap.dedent(
    """
    import torch

    model = torch.jit.load(sys.argv[1])  # used as loaded: it must already be in eval mode
    inputs, expected = torch.load(sys.argv[2], weights_only=True)
    with torch.no_grad():
        diff = (model(inputs).double() - expected.double()).abs().max().item()
    print(diff)
    print(sorted(m for m in sys.modules if m.startswith("resnet_studio")))
    """
)


@pytest.fixture(scope="module")
def torchscript_file(
    tmp_path_factory: pytest.TempPathFactory, network: Network, model: nn.Module
) -> Path:
    path = tmp_path_factory.mktemp("torchscript") / "model.pt"
    save_torchscript(path, network, model)
    assert model.training  # restored after tracing in eval mode
    return path


def test_torchscript_runs_without_resnet_studio(
    tmp_path: Path, torchscript_file: Path, inputs, expected
) -> None:
    path = torchscript_file
    torch.save((inputs, expected), tmp_path / "io.pt")
    result = subprocess.run(
        [sys.executable, "-c", _LOAD_WITHOUT_US, str(path), str(tmp_path / "io.pt")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr
    diff, modules = result.stdout.splitlines()
    assert float(diff) <= TOLERANCE
    assert modules == "[]"


def test_torchscript_carries_the_spec(torchscript_file: Path, network: Network) -> None:
    path = torchscript_file
    assert read_network(path) == network
    with zipfile.ZipFile(path) as archive:
        (entry,) = [n for n in archive.namelist() if n.endswith(SPEC_ENTRY)]
        assert archive.read(entry).decode("utf-8") == project_to_json(network)
    with pytest.raises(ModelFileError, match="a TorchScript file, not a checkpoint"):
        load_checkpoint(path)


# --- ONNX ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def onnx_file(tmp_path_factory: pytest.TempPathFactory, network: Network, model: nn.Module) -> Path:
    """The model exported once in float64 (ONNX export takes seconds)."""
    pytest.importorskip("onnx")
    path = tmp_path_factory.mktemp("onnx") / "model.onnx"
    save_onnx(path, network, copy.deepcopy(model).double())
    return path


def test_onnx_matches_in_float64(onnx_file: Path, inputs, expected, model: nn.Module) -> None:
    import onnx
    from onnx.reference import ReferenceEvaluator

    # float64 on both sides: in float32, two correct runtimes differ by ~2e-6 through
    # rounding alone, which would hide nothing and flake at a 1e-6 tolerance.
    with torch.no_grad():
        expected64 = copy.deepcopy(model).double().eval()(inputs.double())
    assert max_diff(expected64, expected) < 1e-4  # the same model, less rounding

    proto = onnx.load(str(onnx_file))
    onnx.checker.check_model(proto)
    assert [i.name for i in proto.graph.input] == ["input"]
    assert [o.name for o in proto.graph.output] == ["logits"]
    evaluator = ReferenceEvaluator(proto)
    # Exported with a batch of 2; the batch dimension is dynamic, so 4 runs too.
    (logits,) = evaluator.run(None, {"input": inputs.double().numpy()})
    assert logits.dtype.name == "float64" and logits.shape == (4, 10)
    assert max_diff(torch.from_numpy(logits), expected64) <= TOLERANCE


def test_onnx_missing_says_how_to_install(
    tmp_path: Path, network: Network, model: nn.Module, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # "import onnx" now raises ImportError
    path = tmp_path / "model.onnx"
    with pytest.raises(ModelFileError, match=r"pip install onnx onnxscript onnxruntime"):
        save_onnx(path, network, model)
    assert list(tmp_path.iterdir()) == []


# --- files that are not what they claim ----------------------------------------------------


class Payload:
    """Unpickling this calls ``Path.touch``: code run merely by loading the file."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (pathlib.Path.touch, (self.target,))


def test_malicious_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], network: Network, model: nn.Module
) -> None:
    target = tmp_path / "pwned"
    path = tmp_path / "bad.pt"
    doc = {
        "format": CHECKPOINT_FORMAT,
        "version": 1,
        "spec": project_to_json(network),
        "state_dict": model.state_dict(),
        "payload": Payload(target),
    }
    torch.save(doc, path)

    # The payload is live: an unsafe load would run it.
    decoy = tmp_path / "decoy"
    torch.save(Payload(decoy), tmp_path / "decoy.pt")
    torch.load(tmp_path / "decoy.pt", weights_only=False)
    assert decoy.exists()

    for load in (load_checkpoint, read_network):
        with pytest.raises(ModelFileError, match="bad.pt: refused to load") as info:
            load(path)
        assert "could run code" in str(info.value)
    assert main(["summary", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("resnet-studio: error: ") and "refused to load" in err
    assert err.count("\n") == 1
    assert not target.exists()


def _plain_torchscript(path: Path) -> None:
    traced = torch.jit.trace(nn.Linear(2, 2), torch.zeros(1, 2))
    torch.jit.save(traced, str(path))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: torch.save({"weights": torch.zeros(3)}, p),
            "not a ResNet Studio checkpoint",
        ),
        (
            lambda p: torch.save(nn.Linear(2, 2).state_dict(), p),
            "not a ResNet Studio checkpoint",
        ),
        (
            lambda p: p.write_bytes(bytes(range(256)) * 8),
            "not a PyTorch file",
        ),
        (
            lambda p: p.write_text("this is text, not a model\n"),
            "not a readable PyTorch file",
        ),
        (lambda p: p.write_bytes(b""), "empty file"),
        (_plain_torchscript, "a TorchScript file without a ResNet Studio network inside"),
        (
            lambda p: torch.save({"format": CHECKPOINT_FORMAT, "version": 99}, p),
            "checkpoint version 99 is not supported",
        ),
    ],
    ids=["dict", "state-dict", "bytes", "text", "empty", "torchscript", "version"],
)
def test_foreign_files_get_a_clear_message(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "model.pt"
    make(path)
    with pytest.raises(ModelFileError, match=message) as info:
        read_network(path)
    assert "\n" not in str(info.value) and str(info.value).startswith(str(path))
    if "TorchScript" not in message:
        with pytest.raises(ModelFileError, match=message):
            load_checkpoint(path)


def test_weights_that_do_not_fit(tmp_path: Path, network: Network) -> None:
    path = tmp_path / "model.pt"
    other = build_model(preset_network("cifar-resnet20", classes=7))
    torch.save(
        {
            "format": CHECKPOINT_FORMAT,
            "version": 1,
            "spec": project_to_json(network),
            "state_dict": other.state_dict(),
        },
        path,
    )
    with pytest.raises(ModelFileError, match="weights do not fit the network"):
        load_checkpoint(path)
