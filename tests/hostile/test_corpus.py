"""Hand-made hostile input: the cases that broke a promise once, through every command.

Each file of the corpus goes through every command that reads its kind;
``harness.check`` holds each to the README's promises, and a few cases also
check what the one line says.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.harness import check, run, snapshot

# --- project files ---------------------------------------------------------------


def _project(doc_changes: Callable[[dict], None]) -> Callable[[Path, Path], Path]:
    def make(original: Path, folder: Path) -> Path:
        doc = json.loads(original.read_text())
        doc_changes(doc)
        path = folder / "p.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        return path

    return make


def _text(text: str) -> Callable[[Path, Path], Path]:
    def make(_original: Path, folder: Path) -> Path:
        path = folder / "p.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        return path

    return make


def _nested(depth: int, count: int = 2) -> dict:
    node: dict = {"kind": "Conv2d", "name": "conv", "out_channels": 4}
    for i in range(depth):
        node = {"kind": "Repeat", "name": f"r{i}", "count": count, "body": [node]}
    return node


def _first_name(value: str) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        doc["network"]["body"][0]["name"] = value

    return change


def _fifo(_original: Path, folder: Path) -> Path:
    path = folder / "fifo.json"
    os.mkfifo(path)
    return path


PROJECTS: dict[str, Callable[[Path, Path], Path]] = {
    "5000-digit number": _text(
        '{"format": "resnet-studio-project", "version": 1, "network": {"name": "n", '
        '"input_shape": [3, 32, 32], "classes": ' + "9" * 5000 + ', "body": []}}'
    ),
    "lone surrogate in a name": _text(
        '{"format": "resnet-studio-project", "version": 1, "network": {"name": "\\ud800", '
        '"input_shape": [3, 32, 32], "classes": 10, "body": []}}'
    ),
    "version true": _project(lambda d: d.update(version=True)),
    "name with a trailing newline": _project(_first_name("conv1\n")),
    "name _modules": _project(_first_name("_modules")),
    "name __dict__": _project(_first_name("__dict__")),
    "name _parameters": _project(_first_name("_parameters")),
    "name __class__": _project(_first_name("__class__")),
    "nested 200 deep": _project(lambda d: d["network"].update(body=[_nested(200, 1)])),
    "Repeat x1000 three deep": _project(lambda d: d["network"].update(body=[_nested(3, 1000)])),
    "a JSON list": _text("[1, 2, 3]"),
    "empty file": _text(""),
    "NaN classes": _text(
        '{"format": "resnet-studio-project", "version": 1, "network": {"name": "n", '
        '"input_shape": [3, 32, 32], "classes": NaN, "body": []}}'
    ),
    "deep JSON": _text("[" * 100_000 + "]" * 100_000),
    "a FIFO": _fifo,
    "/dev/zero": lambda _o, _f: Path("/dev/zero"),
}


@pytest.mark.parametrize("case", PROJECTS)
def test_hostile_project_files(originals, tmp_path: Path, case: str) -> None:
    path = PROJECTS[case](originals.project, tmp_path)
    out = tmp_path / "out.pt"
    for command in (
        ("summary", path),
        ("export", path, "--format", "checkpoint", "-o", out),
        (
            "train",
            path,
            "--epochs",
            "1",
            "--subset",
            "32",
            "--batch-size",
            "16",
            "--out",
            tmp_path / "run",
        ),  # fmt: skip
    ):
        before = snapshot(tmp_path)
        outcome = run(*command, timeout_s=60)
        allowed = {str(out)} | _run_files(tmp_path, outcome)
        check(outcome, before, snapshot(tmp_path), allowed=allowed)
        if outcome.code == 2 and path != Path("/dev/zero"):
            assert str(path) in outcome.err, outcome.describe()


def _run_files(tmp_path: Path, outcome) -> set[str]:
    """A training that ran may write its run folder."""
    run_dir = tmp_path / "run"
    if outcome.argv[0] == "train" and outcome.code in (0, 1) and run_dir.exists():
        return {str(p) for p in run_dir.rglob("*")}
    return set()


# --- model files -----------------------------------------------------------------


def _doctored(change: Callable[[zipfile.ZipInfo, bytearray, int], None]):
    """A copy of a model file whose stored network (a TorchScript archive's project.json,
    a checkpoint's data.pkl) ``change`` rewrites.

    ``change(info, data, header_offset)`` edits the raw bytes of the archive.
    """

    def make(original: Path, folder: Path) -> Path:
        data = bytearray(original.read_bytes())
        with zipfile.ZipFile(original) as archive:
            info = next(
                i for i in archive.infolist() if i.filename.endswith(("project.json", "data.pkl"))
            )
        change(info, data, info.header_offset)
        path = folder / "doctored.pt"
        path.write_bytes(bytes(data))
        return path

    return make


def _central(info: zipfile.ZipInfo, data: bytearray) -> int:
    """Where ``info``'s central directory record starts."""
    name = info.filename.encode()
    at = len(data)
    while True:
        at = data.rfind(b"PK\x01\x02", 0, at)
        if at < 0:
            raise AssertionError("no central record")
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            return at


def _encrypted(info, data, local) -> None:
    for at in (local + 6, _central(info, data) + 8):  # general-purpose flag: bit 0
        flags = struct.unpack_from("<H", data, at)[0]
        struct.pack_into("<H", data, at, flags | 1)


def _compression(info, data, local) -> None:
    for at in (local + 8, _central(info, data) + 10):
        struct.pack_into("<H", data, at, 99)  # no such method


def _bomb(info, data, local) -> None:
    central = _central(info, data)
    struct.pack_into("<I", data, central + 24, 0xFFFFFFFE)  # claims ~4 GiB uncompressed
    struct.pack_into("<I", data, local + 22, 0xFFFFFFFE)


def _crc(info, data, local) -> None:
    struct.pack_into("<I", data, local + 14, info.CRC ^ 0xFFFF)
    struct.pack_into("<I", data, _central(info, data) + 16, info.CRC ^ 0xFFFF)


def _name_not_utf8(info, data, local) -> None:
    """The entry's name flagged as UTF-8 (bit 11) but starting with a byte that is not."""
    central = _central(info, data)
    for flags_at, name_at in ((local + 6, local + 30), (central + 8, central + 46)):
        flags = struct.unpack_from("<H", data, flags_at)[0]
        struct.pack_into("<H", data, flags_at, flags | 0x800)
        data[name_at] = 0xE1


MODELS = {
    "encrypted entry": _doctored(_encrypted),
    "unknown compression": _doctored(_compression),
    "zip bomb size": _doctored(_bomb),
    "bad CRC": _doctored(_crc),
    "name not UTF-8": _doctored(_name_not_utf8),
}


@pytest.mark.parametrize("kind", ["torchscript", "checkpoint"])
@pytest.mark.parametrize("case", MODELS)
def test_doctored_model_archives(originals, tmp_path: Path, case: str, kind: str) -> None:
    path = MODELS[case](getattr(originals, kind), tmp_path)
    for command in (
        ("summary", path),
        ("export", path, "--format", "checkpoint", "-o", tmp_path / "out.pt"),
        ("predict", path, originals.image),
    ):
        before = snapshot(tmp_path)
        outcome = run(*command)
        check(outcome, before, snapshot(tmp_path), allowed={str(tmp_path / "out.pt")})


def test_onnx_metadata_that_is_not_utf8(originals, tmp_path: Path) -> None:
    pytest.importorskip("onnx")
    data = originals.onnx.read_bytes()
    at = data.index(b'"resnet-studio-project"')  # the network's JSON, in metadata_props
    path = tmp_path / "damaged.onnx"
    path.write_bytes(data[: at + 1] + b"\xff" + data[at + 2 :])
    before = snapshot(tmp_path)
    outcome = run("summary", path)
    check(outcome, before, snapshot(tmp_path))
    assert outcome.code == 2 and "not UTF-8" in outcome.err


def test_onnx_graph_that_fails_when_run(originals, tmp_path: Path) -> None:
    # It loads, but onnxruntime fails on the first batch (found by the CI harness).
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    model = onnx.load(str(originals.onnx))
    conv = next(node for node in model.graph.node if node.op_type == "Conv")
    group = next((a for a in conv.attribute if a.name == "group"), None)
    if group is None:
        conv.attribute.append(onnx.helper.make_attribute("group", 0))
    else:
        group.i = 0
    path = tmp_path / "damaged.onnx"
    onnx.save(model, str(path))
    for command in (("predict", path, originals.image),):
        before = snapshot(tmp_path)
        outcome = run(*command)
        check(outcome, before, snapshot(tmp_path))
        assert outcome.code == 2 and "fails on a batch" in outcome.err, outcome.err


# --- run folders -----------------------------------------------------------------


def _info(change: Callable[[dict], object]):
    def make(run_dir: Path) -> None:
        info = json.loads((run_dir / "run.json").read_text())
        replaced = change(info)
        (run_dir / "run.json").write_text(json.dumps(info if replaced is None else replaced))

    return make


def _metrics_line(line: str):
    def make(run_dir: Path) -> None:
        with open(run_dir / "metrics.jsonl", "a") as f:
            f.write(line + "\n")

    return make


RUNS = {
    "run.json without network": _info(lambda i: i.pop("network")),
    "run.json without dataset": _info(lambda i: i.pop("dataset")),
    "recipe as text": _info(lambda i: i.update(recipe="sgd")),
    "name as a number": _info(lambda i: i.update(name=7)),
    "run.json a list": _info(lambda i: [i]),
    "metrics: a bare number": _metrics_line("3"),
    "metrics: a list": _metrics_line("[1, 2]"),
    "metrics: wrong field types": _metrics_line(
        '{"event": "EpochEnd", "epoch": "x", "iteration": [], "train_loss": null}'
    ),
}


@pytest.mark.parametrize("case", RUNS)
def test_damaged_run_folders_hide_no_good_run(originals, tmp_path: Path, case: str) -> None:
    runs = tmp_path / "runs"
    good, bad = runs / "good", runs / "bad"
    shutil.copytree(originals.run, good)
    shutil.copytree(originals.run, bad)
    RUNS[case](bad)
    before = snapshot(runs)
    for command in (
        ("compare", good, bad),
        ("summary", bad),
        ("export", bad, "--format", "checkpoint", "-o", tmp_path / "out.pt"),
        ("train", "--resume", bad, "--epochs", "3"),
    ):
        outcome = run(*command)
        after = snapshot(runs)
        allowed = {str(tmp_path / "out.pt")}
        if command[0] == "train" and outcome.code in (0, 1):  # a resume that ran writes its run
            allowed |= {name for name in set(before) | set(after) if f"{bad}/" in name}
        check(outcome, before, after, allowed=allowed)
        before = after
        if command[0] == "compare":  # the good run's row, whatever became of the bad one
            assert outcome.code == 0 and " finished " in outcome.out, outcome.describe()
    from resnet_studio.training.runs import list_runs

    listed = list_runs(runs)
    assert str(good) in {str(r.path) for r in listed}


# --- options that fail must create nothing ---------------------------------------------


def test_a_refused_seed_creates_nothing(originals, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    outcome = run("train", originals.project, "--seed", str(2**70), "--out", tmp_path / "run")
    check(outcome, before, snapshot(tmp_path))
    assert outcome.code == 2 and "--seed" in outcome.err
    assert not (tmp_path / "run").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may replace /dev/null")
def test_export_never_replaces_a_device(originals, tmp_path: Path) -> None:
    outcome = run("export", originals.project, "--format", "checkpoint", "-o", "/dev/null")
    assert outcome.code == 2 and "/dev/null" in outcome.err, outcome.describe()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
