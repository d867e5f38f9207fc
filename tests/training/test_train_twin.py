"""``train --twin``: the plain twin trains beside the network, in this process, at once;
and the mistakes --twin, --width and --val-subset are refused for, in one line."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest

from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import save_project
from resnet_studio.cli_commands import train as train_command
from resnet_studio.training.launch import RunHandle
from tests.cli_in_process import assert_one_line_error, cli

QUICK = ("--subset", 128, "--batch-size", 32, "--threads", 1, "--val-subset", 32)


@pytest.fixture(autouse=True)
def runs_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RESNET_STUDIO_RUNS", str(tmp_path / "runs"))
    return tmp_path / "runs"


@pytest.fixture
def side_by_side(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make each run wait for the other before it trains: runs one after the other
    would wait in vain (BrokenBarrierError). The threads' names are recorded."""
    barrier = threading.Barrier(2, timeout=20)
    threads: list[str] = []
    run = RunHandle.run

    def meeting(self, *args, **kwargs):
        threads.append(threading.current_thread().name)
        barrier.wait()
        return run(self, *args, **kwargs)

    monkeypatch.setattr(RunHandle, "run", meeting)
    return threads


def info(run_dir: Path) -> dict:
    return json.loads((run_dir / "run.json").read_text())


def test_twin_trains_beside_the_network(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, side_by_side: list[str]
) -> None:
    out_dir = tmp_path / "w"
    code, out, err = cli(
        capsys, "train", "--preset", "cifar-resnet20", "--width", "0.25", "--twin",
        "--iterations", 4, "--seed", 7, "--out", out_dir, *QUICK,
    )  # fmt: skip
    assert code == 0, err
    twin_dir = tmp_path / "w-plain"
    lines = out.splitlines()
    assert lines[0].startswith(
        "training cifar-resnet20-w0.25 and its plain twin cifar-plain20-w0.25 on synthetic"
    )
    assert lines[0].endswith(f"-> {out_dir} and {twin_dir}")
    assert "cifar-resnet20-w0.25: finished: final val error" in out
    assert "cifar-plain20-w0.25: finished: final val error" in out
    assert f"model: {twin_dir}/model.pt" in out
    # Two worker threads, not the main one, trained them at once.
    assert len(side_by_side) == 2 and "MainThread" not in side_by_side
    # A progress bar each, named by run.
    assert "cifar-resnet20-w0.25: " in err and "cifar-plain20-w0.25: " in err

    resnet, plain = info(out_dir), info(twin_dir)
    assert (resnet["name"], plain["name"]) == ("cifar-resnet20-w0.25", "cifar-plain20-w0.25")
    assert resnet["status"] == plain["status"] == "finished"
    assert resnet["group"] == plain["group"] and resnet["group"].endswith("-cifar-resnet20-w0.25")
    # The same recipe (seed, iterations, threads) and the same data.
    assert resnet["recipe"] == plain["recipe"] and resnet["recipe"]["seed"] == 7
    assert resnet["dataset"] == plain["dataset"]
    shortcuts = {b["shortcut"] for b in _residuals(plain["network"]["body"])}
    assert shortcuts == {"none"}
    assert {b["shortcut"] for b in _residuals(resnet["network"]["body"])} == {"zero-pad"}


def _residuals(body: list[dict]) -> list[dict]:
    found = []
    for node in body:
        if node.get("kind") == "Residual":
            found.append(node)
        found += _residuals(node.get("body", []))
    return found


def test_twin_folders_by_name_under_the_runs_root(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, runs_root: Path
) -> None:
    project = tmp_path / "mine.json"
    save_project(project, preset_network("cifar-resnet20", width=0.25))
    code, out, err = cli(
        capsys, "train", project, "--twin", "--name", "mine", "--iterations", 2, *QUICK
    )
    assert code == 0, err
    names = sorted(info(path)["name"] for path in runs_root.iterdir())
    assert names == ["mine", "mine-plain"]  # a name without "resnet" gets -plain
    for path in runs_root.iterdir():
        assert str(path) in out.splitlines()[0]


def test_ctrl_c_stops_both_runs_resumably(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    side_by_side: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    meeting = RunHandle.run
    pressed = threading.Event()

    def ctrl_c_soon(self, *args, **kwargs):  # the first run to start presses Ctrl-C soon
        if not pressed.is_set():
            pressed.set()
            threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()
        return meeting(self, *args, **kwargs)

    monkeypatch.setattr(RunHandle, "run", ctrl_c_soon)
    code, out, err = cli(
        capsys, "train", "--preset", "cifar-resnet20", "--width", "0.25", "--twin",
        "--iterations", 2000, "--out", tmp_path / "r", *QUICK,
    )  # fmt: skip
    assert code == 130, err
    runs = {tmp_path / "r": "cifar-resnet20-w0.25", tmp_path / "r-plain": "cifar-plain20-w0.25"}
    for run_dir, name in runs.items():
        assert info(run_dir)["status"] == "stopped"
        assert (run_dir / "checkpoint.pt").is_file()
        assert f"{name}: stopped at epoch" in err
        assert f"resnet-studio train --resume {run_dir}" in err


def test_threads_are_shared_between_the_two_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    args = train_command_args("--preset", "cifar-resnet20")
    assert train_command._recipe(args).threads == 8
    assert train_command._recipe(args, runs=2).threads == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert train_command._recipe(args, runs=2).threads == 1


def train_command_args(*argv: str):
    from resnet_studio.cli import build_parser

    return build_parser().parse_args(["train", *argv])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("--resume", "{tmp}/run", "--twin"),
            "--twin: cannot be combined with --resume",
        ),
        (
            ("--preset", "cifar-plain20", "--twin"),
            "--twin: preset cifar-plain20 has no residual blocks (no shortcuts)",
        ),
        (
            ("--preset", "vgg19", "--twin"),
            "--twin: preset vgg19 has no residual blocks",
        ),
        (
            ("--preset", "resnet18", "--width", "0.5"),
            "--width: applies to the CIFAR families (cifar-resnet*, cifar-plain*) only",
        ),
        (
            ("--preset", "cifar-resnet20", "--width", "8"),
            "--width: must be from 0.25 to 4, got 8",
        ),
        (
            ("{tmp}/net.json", "--width", "0.5"),
            "--width: applies to the CIFAR families (cifar-resnet*, cifar-plain*) only",
        ),
        (
            ("--resume", "{tmp}/run", "--width", "0.5"),
            "--width: a resumed run keeps its network",
        ),
        (
            ("--preset", "cifar-resnet20", "--val-subset", "0"),
            "--val-subset: must be at least 1, got 0",
        ),
        (
            ("--preset", "cifar-resnet20", "--twin", "--out", "{tmp}/taken"),
            "--out {tmp}/taken-plain: not empty (holds x.txt)",
        ),
    ],
)
def test_mistakes_are_one_line_and_create_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    runs_root: Path,
    argv: tuple[str, ...],
    message: str,
) -> None:
    save_project(tmp_path / "net.json", preset_network("cifar-resnet20"))
    (tmp_path / "run").mkdir()
    (tmp_path / "taken-plain").mkdir()
    (tmp_path / "taken-plain" / "x.txt").write_text("mine")
    argv = tuple(a.replace("{tmp}", str(tmp_path)) for a in argv)
    code, out, err = cli(capsys, "train", *argv, "--iterations", 1, "--threads", 1)
    assert_one_line_error(code, err, message.replace("{tmp}", str(tmp_path)))
    assert not runs_root.exists() and not (tmp_path / "taken").exists()
    assert out == ""
