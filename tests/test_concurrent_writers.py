"""Commands that write the same file at once, in real processes released together.

Each process imports what it needs, says it is ready and waits; all are then
released at the same moment (a barrier over their stdin), so the race is as
close as two users' commands can make it. The promises: ``new`` without
``--force`` lets exactly one win; two ``export``s leave a whole, loadable file
and never print "wrote" over a broken one; two ``train --out`` on one folder
let one train and refuse the other.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tests.training.cli_helpers import Result, user_env

ERROR_PREFIX = "resnet-studio: error: "
TIMEOUT = 300

# The child: import first (so all start the race together), then wait for the word.
CHILD = """
import sys
import resnet_studio.cli
for module in sys.argv[1].split(","):
    if module:
        __import__(module)
print("ready", flush=True)
sys.stdin.readline()
sys.exit(resnet_studio.cli.main(sys.argv[2:]))
"""


def race(
    argvs: list[list[object]], env: dict[str, str] | None = None, preload: str = ""
) -> list[Result]:
    """Run ``resnet-studio ARGV`` for each of ``argvs`` at the same moment; their results."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, preload, *map(str, argv)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for argv in argvs
    ]
    for proc in procs:
        assert proc.stdout.readline() == "ready\n", proc.stderr.read()
    for proc in procs:  # the barrier: all are waiting; release them together
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"timed out: {proc.args}\n{out}\n{err}")
        results.append(Result(proc.returncode, out, err))
    return results


def one_line_error(result: Result) -> str:
    assert result.code == 2, (result.out, result.err)
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), result.err
    return lines[0]


def test_of_news_at_once_exactly_one_writes(tmp_path: Path) -> None:
    for round_ in range(10):
        path = tmp_path / f"net-{round_}.json"
        results = race([["new", "--preset", "cifar-resnet20", "-o", path]] * 3)
        winners = [r for r in results if r.code == 0]
        assert len(winners) == 1, [(r.code, r.out, r.err) for r in results]
        assert winners[0].out.startswith(f"wrote {path}:")
        for loser in (r for r in results if r.code != 0):
            assert one_line_error(loser).endswith(
                f"{path}: already exists; add --force to replace it"
            )
        assert json.loads(path.read_text())["network"]["name"] == "cifar-resnet20"
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("fmt, suffix", [("onnx", ".onnx"), ("torchscript", ".pt")])
def test_exports_at_once_leave_a_whole_file(tmp_path: Path, fmt: str, suffix: str) -> None:
    from resnet_studio.model.load import read_network

    preload = "torch,resnet_studio.model.export" + (",onnxscript" if fmt == "onnx" else "")
    for round_ in range(2):
        path = tmp_path / f"net-{round_}{suffix}"
        # Two networks, so a file mixed from both writers could not load as either.
        results = race(
            [
                ["export", "--preset", "cifar-resnet20", "--format", fmt, "-o", path],
                ["export", "--preset", "cifar-resnet32", "--format", fmt, "-o", path],
            ],
            preload=preload,
        )
        for result in results:
            if result.code == 0:
                assert result.out.startswith(f"wrote {path} ("), result.out
            else:
                one_line_error(result)  # failing is allowed, with one line
        assert any(r.code == 0 for r in results), [r.err for r in results]
        assert read_network(path).name in ("cifar-resnet20", "cifar-resnet32")
        assert run_exported(path, fmt).shape == (2, 10)  # loads and runs: a whole file
    assert not list(tmp_path.glob(".*.tmp"))


def run_exported(path: Path, fmt: str):
    """The outputs of the file at ``path`` for two blank CIFAR images, loaded as users do."""
    import numpy as np
    import torch

    images = np.zeros((2, 3, 32, 32), dtype=np.float32)
    if fmt == "onnx":
        import onnx
        import onnxruntime

        onnx.checker.check_model(onnx.load(path))
        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        return session.run(None, {"input": images})[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # TorchScript is deprecated upstream
        return torch.jit.load(path)(torch.from_numpy(images))


TRAIN = ["--subset", 64, "--batch-size", 64, "--epochs", 1, "--threads", 1]


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    from resnet_studio.arch.project import save_project
    from tests.training.conftest import tiny_network

    save_project(tmp_path / "tiny.json", tiny_network())
    return tmp_path / "tiny.json"


@pytest.mark.parametrize("exists", [False, True], ids=["new-folder", "empty-folder"])
def test_of_trains_into_one_folder_one_wins(tmp_path: Path, tiny_project: Path, exists) -> None:
    out = tmp_path / "run"
    if exists:
        out.mkdir()
    argv = ["train", tiny_project, "--out", out, *TRAIN]
    results = race([argv, argv], env=user_env(tmp_path), preload="torch")
    assert sorted(r.code for r in results) == [0, 2], [(r.code, r.err[-500:]) for r in results]
    loser = next(r for r in results if r.code == 2)
    assert f"{out} already holds a run" in one_line_error(loser)
    assert loser.out == ""  # never told "training ... -> RUNDIR"
    info = json.loads((out / "run.json").read_text())
    assert info["status"] == "finished"
    lines = (out / "metrics.jsonl").read_text().splitlines()
    events = [json.loads(line)["event"] for line in lines]
    assert events.count("RunStarted") == 1 and events.count("Finished") == 1
