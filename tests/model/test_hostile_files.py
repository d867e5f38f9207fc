"""Hostile, damaged and foreign model files: each is refused with one clear line, and
nothing in a hostile one ever runs.

Every payload below creates a marker file when unpickled unsafely (proven once per
kind and per way of storing it); every entry point that reads a model file, in
Python and on the command line, must refuse it and leave no marker behind.
"""

from __future__ import annotations

import builtins
import os
import pathlib
import pickle
import shlex
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from PIL import Image

import resnet_studio.model.load as load_module
from resnet_studio.arch.project import project_to_json
from resnet_studio.arch.spec import Network
from resnet_studio.cli import main
from resnet_studio.model.build import build_model
from resnet_studio.model.export import checkpoint_dict, save_onnx
from resnet_studio.model.files import META_ENTRY, SPEC_ENTRY, ModelFileError
from resnet_studio.model.load import (
    load_checkpoint,
    load_model_file,
    read_meta,
    read_network,
)
from resnet_studio.model.metadata import ModelMeta
from resnet_studio.model.predictor import open_predictor
from tests.cli_in_process import ERROR_PREFIX
from tests.training.conftest import tiny_network

# The README's words for a file that could run code, after "<file>: ".
REFUSED = (
    "refused to load: the file holds Python objects other than tensors and plain data, "
    "which could run code"
)
# What a trained tiny network's files record: made-up statistics, as a run would store.
TRAINED_META = ModelMeta(
    input_shape=(3, 32, 32),
    categories=tuple("abcdefghij"),
    mean=(0.5, 0.4, 0.3),
    std=(0.25, 0.2, 0.3),
    dataset="made-up",
    trained=True,
)

# TorchScript is deprecated upstream but still what users load .pt models with.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.:FutureWarning")


# --- payloads: each creates ``target`` when unpickled unsafely -----------------------------


class SystemPayload:
    """``os.system("touch TARGET")``: the pickle names ``posix.system``."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (os.system, (f"touch {shlex.quote(str(self.target))}",))


class ExecPayload:
    """``exec("open(TARGET, 'w').close()")``: the pickle names ``builtins.exec``."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (builtins.exec, (f"open({str(self.target)!r}, 'w').close()",))


class _BoundTouch:
    """Pickles as ``getattr(Path(TARGET), "touch")``; callable only so pickle accepts it
    as the callable of :class:`GetattrPayload`."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __call__(self) -> None:  # never called: unpickling calls what getattr returns
        raise AssertionError

    def __reduce__(self):
        return (getattr, (self.target, "touch"))


class GetattrPayload:
    """A reduce whose callable is itself the result of a reduce: ``getattr(Path(T), "touch")()``."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (_BoundTouch(self.target), ())


class PathTouchPayload:
    """A custom class whose ``__reduce__`` calls ``pathlib.Path.touch`` (pickled by getattr)."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (pathlib.Path.touch, (self.target,))


class CustomClassPayload:
    """A class of its own that the pickle names: rebuilding it touches the target."""

    def __init__(self, target: Path | None = None) -> None:
        self.target = target

    def __reduce__(self):
        return (CustomClassPayload, (), {"target": str(self.target)})

    def __setstate__(self, state: dict) -> None:
        Path(state["target"]).touch()


# kind: (payload class, the global a refusal may name: protocol 2 names a method by
# getattr, newer protocols by its qualified name)
PAYLOADS: dict[str, tuple[type, tuple[str, ...]]] = {
    "os-system": (SystemPayload, (f"{os.system.__module__}.system",)),
    "exec": (ExecPayload, ("exec",)),
    "getattr-chain": (GetattrPayload, ("getattr",)),
    "path-touch": (PathTouchPayload, ("getattr", "pathlib.Path.touch")),
    "custom-class": (
        CustomClassPayload,
        (f"{CustomClassPayload.__module__}.CustomClassPayload",),
    ),
}


# --- files that carry a payload ----------------------------------------------------------


def checkpoint_doc(network: Network) -> dict:
    """What ``save_checkpoint`` writes for a trained ``network`` (tensors and plain data)."""
    return checkpoint_dict(network, build_model(network), TRAINED_META)


def _in_checkpoint(key: str) -> Callable[[Path, object, Network], None]:
    def make(path: Path, payload: object, network: Network) -> None:
        doc = checkpoint_doc(network)
        doc[key] = payload
        torch.save(doc, path)

    return make


# How a payload is stored in a .pt: inside an otherwise valid checkpoint, or as the
# whole file (through torch.save, or a plain pickle of the newest protocol, which torch's
# weights-only unpickler does not even parse).
PLACEMENTS: dict[str, Callable[[Path, object, Network], None]] = {
    "extra-key": _in_checkpoint("payload"),
    "as-state_dict": _in_checkpoint("state_dict"),
    "as-meta": _in_checkpoint("meta"),
    "whole-torch-save": lambda path, payload, _network: torch.save(payload, path),
    "whole-pickle": lambda path, payload, _network: path.write_bytes(
        pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    ),
}


@pytest.fixture(scope="module")
def network() -> Network:
    return tiny_network()  # 3×32×32, 10 classes: a CIFAR image fits it as it is


@pytest.fixture
def image(tmp_path: Path) -> Path:
    """A real PNG for ``predict``, which checks its images before it loads the model."""
    path = tmp_path / "cat.png"
    Image.new("RGB", (32, 32), (200, 120, 40)).save(path)
    return path


def hostile_torchscript(path: Path, payload: object, network: Network) -> None:
    """A zip laid out like a TorchScript archive, with a valid network and metadata,
    whose ``data.pkl`` (the module tree and its weights) is ``payload``."""
    meta = TRAINED_META.with_normalization_inside(True)  # so evaluate/predict would run it
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model/data.pkl", pickle.dumps(payload, protocol=2))
        archive.writestr("model/constants.pkl", pickle.dumps((), protocol=2))
        archive.writestr("model/version", "6\n")
        archive.writestr(f"model/extra/{SPEC_ENTRY}", project_to_json(network))
        archive.writestr(f"model/extra/{META_ENTRY}", meta.to_json())


@pytest.mark.parametrize("placement", [*PLACEMENTS, "torchscript"])
@pytest.mark.parametrize("kind", PAYLOADS)
def test_every_payload_is_live(tmp_path: Path, network: Network, kind: str, placement: str):
    """Guard: each file, read unsafely, creates its marker; so the refusals below matter."""
    decoy = tmp_path / "decoy"
    path = tmp_path / "live.pt"
    payload = PAYLOADS[kind][0](decoy)
    if placement == "torchscript":
        hostile_torchscript(path, payload, network)
        with zipfile.ZipFile(path) as archive:
            data = archive.read("model/data.pkl")
        assert not decoy.exists()
        pickle.loads(data)  # what a reader that trusted the archive's pickle would do
    else:
        PLACEMENTS[placement](path, payload, network)
        assert not decoy.exists()
        try:
            torch.load(path, weights_only=False)
        except RuntimeError:  # a plain pickle has no magic number: too late, it ran
            pass
    assert decoy.exists()


# --- every entry point refuses every hostile .pt -------------------------------------------


def assert_refused(message: str, path: Path, kind: str) -> None:
    """``message`` is the README's one line for ``path``, naming the global."""
    assert "\n" not in message, message
    assert message.startswith(f"{path}: {REFUSED} (Unsupported global: GLOBAL "), message
    assert message.endswith(")") and message[:-1].rpartition("GLOBAL ")[2] in PAYLOADS[kind][1]


def assert_cli_line(code: int, err: str, path: Path, kind: str | None) -> str:
    """Exit status 2 and one line naming ``path``: the refusal, when ``kind`` is given."""
    lines = err.splitlines()
    assert code == 2, err
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert lines[0].startswith(ERROR_PREFIX + str(path) + ": "), lines[0]
    if kind is not None:
        assert_refused(lines[0].removeprefix(ERROR_PREFIX), path, kind)
    return lines[0]


def assert_cli_refused(capsys, argv: list, path: Path, kind: str | None) -> str:
    """Run the CLI in-process; it must fail as :func:`assert_cli_line` says."""
    code = main([str(a) for a in argv])
    return assert_cli_line(code, capsys.readouterr().err, path, kind)


PYTHON_ENTRY_POINTS: dict[str, Callable[[Path], object]] = {
    "read_network": read_network,
    "read_meta": read_meta,
    "load_checkpoint": load_checkpoint,
    "load_model_file": load_model_file,
    "open_predictor": open_predictor,
}
CLI_ENTRY_POINTS: dict[str, Callable[[Path, Path, Path], list]] = {
    "summary": lambda path, _out, _image: ["summary", path],
    "summary-json": lambda path, _out, _image: ["summary", path, "--json"],
    "export-checkpoint": lambda path, out, _image: [
        "export", path, "--format", "checkpoint", "-o", out / "new.pt",
    ],
    "export-torchscript": lambda path, out, _image: [
        "export", path, "--format", "torchscript", "-o", out / "new.pt",
    ],
    "export-onnx": lambda path, out, _image: [
        "export", path, "--format", "onnx", "-o", out / "new.onnx",
    ],
    "evaluate": lambda path, out, _image: ["evaluate", path, "-o", out / "report"],
    "predict": lambda path, _out, image: ["predict", path, image],
}  # fmt: skip


@pytest.mark.parametrize("entry", [*PYTHON_ENTRY_POINTS, *CLI_ENTRY_POINTS])
@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("kind", PAYLOADS)
def test_hostile_checkpoint_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    network: Network,
    image: Path,
    kind: str,
    placement: str,
    entry: str,
) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "bad.pt"
    PLACEMENTS[placement](path, PAYLOADS[kind][0](marker), network)
    out = tmp_path / "out"
    out.mkdir()
    if entry in PYTHON_ENTRY_POINTS:
        with pytest.raises(ModelFileError) as info:
            PYTHON_ENTRY_POINTS[entry](path)
        assert not marker.exists()
        assert_refused(str(info.value), path, kind)
    else:
        argv = CLI_ENTRY_POINTS[entry](path, out, image)
        code = main([str(a) for a in argv])
        assert not marker.exists()
        assert_cli_line(code, capsys.readouterr().err, path, kind)
    assert list(out.iterdir()) == []  # nothing written, not even a temporary file


def test_the_readme_line_in_a_real_process(tmp_path: Path, network: Network) -> None:
    """What a user sees for the README's example: status 2, exactly its line, no traceback."""
    marker = tmp_path / "pwned"
    PLACEMENTS["extra-key"](tmp_path / "bad.pt", PathTouchPayload(marker), network)
    result = subprocess.run(
        [sys.executable, "-m", "resnet_studio", "summary", "bad.pt"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"{ERROR_PREFIX}bad.pt: {REFUSED} (Unsupported global: GLOBAL getattr)\n"
    )
    assert not marker.exists()


def test_refusal_does_not_depend_on_torch_wording(
    tmp_path: Path, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """torch words its refusal per payload and per version: only the type of error counts."""
    real_load = torch.load

    def reworded(*args, **kwargs):
        try:
            return real_load(*args, **kwargs)
        except pickle.UnpicklingError:
            raise pickle.UnpicklingError("Weights only load failed: some future wording") from None

    monkeypatch.setattr(load_module.torch, "load", reworded)
    for kind, (payload, _name) in PAYLOADS.items():
        marker = tmp_path / f"pwned-{kind}"
        path = tmp_path / f"{kind}.pt"
        PLACEMENTS["extra-key"](path, payload(marker), network)
        with pytest.raises(ModelFileError) as info:
            load_model_file(path)
        assert_refused(str(info.value), path, kind)
        assert not marker.exists()
    # A file that is no pickle at all is still told apart from one that names code.
    junk = tmp_path / "junk.pt"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ModelFileError, match=r"junk.pt: not a PyTorch file \("):
        load_model_file(junk)


# --- a hostile file laid out like a TorchScript archive ------------------------------------


@pytest.mark.parametrize("kind", PAYLOADS)
def test_hostile_torchscript_archive_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    network: Network,
    image: Path,
    kind: str,
) -> None:
    """Its network and metadata read as JSON; its weights never load, and nothing runs.

    File → Open (``load_model_file``) and ``export`` read the weights with the
    restricted unpickler; ``evaluate`` and ``predict`` read them the same way before
    ``torch.jit.load`` sees the file. All give the checkpoint's refusal line.
    """
    marker = tmp_path / "pwned"
    path = tmp_path / "bad.pt"
    hostile_torchscript(path, PAYLOADS[kind][0](marker), network)
    out = tmp_path / "out"
    out.mkdir()

    # Only JSON is read: harmless, and the network is what the file says.
    assert read_network(path) == network
    assert read_meta(path) == TRAINED_META.with_normalization_inside(True)
    code = main(["summary", str(path)])
    assert code == 0 and "total" in capsys.readouterr().out
    assert not marker.exists()

    for load in (load_model_file, open_predictor):
        with pytest.raises(ModelFileError) as info:
            load(path)
        assert not marker.exists()
        assert_refused(str(info.value), path, kind)
    with pytest.raises(ModelFileError, match="a TorchScript file, not a checkpoint"):
        load_checkpoint(path)
    for entry in ("export-checkpoint", "export-torchscript", "export-onnx", "evaluate", "predict"):
        code = main([str(a) for a in CLI_ENTRY_POINTS[entry](path, out, image)])
        assert not marker.exists()
        assert_cli_line(code, capsys.readouterr().err, path, kind)
    assert list(out.iterdir()) == []


def test_cyclic_torchscript_module_tree_is_a_clear_error(tmp_path: Path, network: Network):
    """A data.pkl whose module contains itself: no endless recursion, one line."""
    path = tmp_path / "loop.pt"
    # ``__torch__.M`` with attributes {"child": itself}, written as pickle opcodes.
    data = b"\x80\x02c__torch__\nM\nq\x00)\x81q\x01}q\x02X\x05\x00\x00\x00childq\x03h\x01sb."
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model/data.pkl", data)
        archive.writestr("model/constants.pkl", pickle.dumps((), protocol=2))
        archive.writestr(f"model/extra/{SPEC_ENTRY}", project_to_json(network))
    with pytest.raises(ModelFileError, match=r"loop.pt: weights do not fit the network: \d+ miss"):
        load_model_file(path)


def test_damaged_torchscript_pickle_is_one_line(tmp_path: Path, network: Network) -> None:
    """Damaged bytes fail anywhere in unpickling (here: appending to a module)."""
    path = tmp_path / "damaged.pt"
    data = b"\x80\x02c__torch__\nM\nq\x00)\x81K\x01a."  # M().append(1)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model/data.pkl", data)
        archive.writestr("model/constants.pkl", pickle.dumps((), protocol=2))
        archive.writestr(f"model/extra/{SPEC_ENTRY}", project_to_json(network))
    with pytest.raises(ModelFileError, match="damaged.pt: damaged TorchScript archive") as info:
        load_model_file(path)
    assert "\n" not in str(info.value)


# --- damaged metadata -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mean", "0.5", "model metadata mean: expected a list of 3 numbers"),
        ("categories", list("abcdef"), "model metadata categories: 6 names for a network with 10"),
        ("categories", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "model metadata categories: expected"),
        ("version", True, "model metadata version: True is not supported"),
        ("input_shape", [3, -32, 32], "model metadata input_shape: expected [C, H, W]"),
        ("input_shape", [1, 28, 28], "model metadata input_shape: [1, 28, 28], but the network"),
        ("input_shape", [3, 64, 64], "model metadata input_shape: [3, 64, 64], but the network"),
        ("std", [0.0, 0.2, 0.2], "model metadata std: must be above 0, got 0.0"),
        ("trained", "yes", "model metadata trained: expected true or false"),
        (None, 42, "model metadata: expected an object, got int"),
    ],
    ids=[
        "mean-text",
        "categories-count",
        "categories-numbers",
        "version-true",
        "input_shape-negative",
        "input_shape-grey",
        "input_shape-other-size",
        "std-zero",
        "trained-text",
        "meta-not-object",
    ],
)
def test_damaged_metadata_names_the_field(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    network: Network,
    image: Path,
    field: str | None,
    value: object,
    message: str,
) -> None:
    path = tmp_path / "bad.pt"
    doc = checkpoint_doc(network)
    if field is None:
        doc["meta"] = value
    else:
        doc["meta"] = doc["meta"] | {field: value}
    torch.save(doc, path)
    out = tmp_path / "out"
    out.mkdir()
    for load in (read_meta, load_model_file, open_predictor):
        with pytest.raises(ModelFileError) as info:
            load(path)
        assert str(info.value).startswith(f"{path}: {message}"), str(info.value)
    for entry in ("summary", "export-checkpoint", "export-onnx", "evaluate", "predict"):
        line = assert_cli_refused(capsys, CLI_ENTRY_POINTS[entry](path, out, image), path, None)
        assert line.startswith(f"{ERROR_PREFIX}{path}: {message}"), line
    assert list(out.iterdir()) == []


# --- foreign files and folders ------------------------------------------------------------


@pytest.fixture
def foreign_onnx(tmp_path: Path) -> Path:
    """A valid ONNX model that ResNet Studio did not write (no network inside)."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    shape = [1, 3, 32, 32]
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])],
        "foreign",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)],
    )
    path = tmp_path / "foreign.onnx"
    onnx.save(helper.make_model(graph), str(path))
    return path


def test_onnx_without_our_network(
    capsys: pytest.CaptureFixture[str], foreign_onnx: Path, image: Path
) -> None:
    what = "an ONNX file without a ResNet Studio network inside"
    for argv in (
        ["summary", foreign_onnx],
        ["evaluate", foreign_onnx],
        ["predict", foreign_onnx, image],
    ):
        line = assert_cli_refused(capsys, argv, foreign_onnx, None)
        assert line == f"{ERROR_PREFIX}{foreign_onnx}: {what}"
    with pytest.raises(ModelFileError, match=what):
        open_predictor(foreign_onnx)


def test_damaged_onnx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("onnx")
    path = tmp_path / "junk.onnx"
    path.write_bytes(b"\x00not protobuf" * 10)
    for argv in (["summary", path], ["evaluate", path]):
        line = assert_cli_refused(capsys, argv, path, None)
        assert "not a readable ONNX file" in line


def test_summary_of_our_onnx_shows_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], network: Network
) -> None:
    pytest.importorskip("onnx")
    path = tmp_path / "tiny.onnx"
    save_onnx(path, network, build_model(network), TRAINED_META)
    assert main(["summary", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"tiny ({path}): input 3×32×32, 10 classes")
    assert "fc" in out and "total" in out


def test_summary_of_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], network: Network
) -> None:
    from resnet_studio.training.recipe import Recipe
    from resnet_studio.training.runs import RunFolder

    run = tmp_path / "run"
    RunFolder.create(
        run,
        name="tiny-run",
        network=network,
        recipe=Recipe(),
        dataset={"name": "synthetic"},
        device="cpu",
    )
    assert main(["summary", str(run)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"tiny ({run}): input 3×32×32, 10 classes") and "total" in out

    plain = tmp_path / "plain"
    plain.mkdir()
    line = assert_cli_refused(capsys, ["summary", plain], plain, None)
    assert "a folder, not a project file (.json), model file (.pt, .onnx) or run folder" in line
