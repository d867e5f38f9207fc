"""One process trains a run folder at a time (training/run_lock.py).

Real processes race for one run: two ``train --resume`` of it at once (the
issue's example, which used to interleave ``metrics.jsonl``), and several
processes taking over one stale lock at the same moment. Locks left by dead
processes, zombies and reused process ids are taken over; live ones are not.
Every way a run ends gives its lock back: the end, a failure, a refused resume,
and Ctrl-C sent to a ``resnet-studio train`` process.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import torch

from resnet_studio.arch.project import save_project
from resnet_studio.training import engine, run_lock
from resnet_studio.training.launch import new_run
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.run_lock import (
    LOCK_FILE,
    UNREADABLE_GRACE_S,
    RunLockedError,
    lock_run,
)
from resnet_studio.training.runs import CHECKPOINT_FILE, RunFolder, RunFolderError, read_run
from tests.cli_in_process import assert_one_line_error, cli
from tests.training.cli_helpers import user_env
from tests.training.conftest import tiny_network

TIMEOUT = 300
QUICK = ["--subset", 256, "--batch-size", 32, "--threads", 1]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def write_lock(folder: Path, pid: int, started: float | None, host: str | None = None) -> None:
    """A lock file as a holder with these particulars would have left it."""
    record = {
        "pid": pid,
        "host": host or socket.gethostname(),
        "process_started": started,
        "since": time.time() - 60,
    }
    (folder / LOCK_FILE).write_text(json.dumps(record))


def holder_pid(folder: Path) -> int:
    return json.loads((folder / LOCK_FILE).read_text())["pid"]


def wait_until(ready, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not ready():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the process ended ({proc.returncode}) before {what}")
        assert time.monotonic() < deadline, f"no {what} within {TIMEOUT} s"
        time.sleep(0.01)


def dead_process() -> tuple[int, float]:
    """The id and start time of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    started = psutil.Process(proc.pid).create_time()
    proc.wait()
    return proc.pid, started


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "run"
    path.mkdir()
    return path


# --- taking, refusing and releasing, in this process ------------------------------------------


def test_a_held_lock_is_refused_in_one_line_naming_its_holder(folder: Path) -> None:
    with lock_run(folder) as lock:
        assert lock.held and holder_pid(folder) == os.getpid()
        before = snapshot(folder)
        with pytest.raises(RunLockedError) as refused:
            lock_run(folder)  # a second window of this process: refused too
        message = str(refused.value)
        clock = time.strftime("%H:%M", time.localtime(lock.holder.since))
        assert message == (
            f"{folder}: being trained by process {os.getpid()} on host "
            f"{socket.gethostname()} since {clock}; wait for it to end or stop it"
        )
        assert snapshot(folder) == before  # the refused one wrote nothing
    assert not (folder / LOCK_FILE).exists()
    lock_run(folder).release()  # free again


def test_a_lock_of_a_dead_process_is_taken_over(folder: Path) -> None:
    pid, started = dead_process()
    write_lock(folder, pid, started)
    with lock_run(folder):
        assert holder_pid(folder) == os.getpid()


def test_a_lock_whose_id_now_names_another_process_is_taken_over(folder: Path, sleeper) -> None:
    write_lock(folder, sleeper.pid, sleeper.create_time())
    with pytest.raises(RunLockedError, match=f"being trained by process {sleeper.pid} on host"):
        lock_run(folder)
    # The same id, started an hour earlier: the holder died, its id was given to another.
    write_lock(folder, sleeper.pid, sleeper.create_time() - 3600)
    with lock_run(folder):
        assert holder_pid(folder) == os.getpid()


def test_a_lock_of_a_zombie_is_taken_over(folder: Path, zombie) -> None:
    write_lock(folder, zombie.pid, zombie.create_time())
    with lock_run(folder):
        assert holder_pid(folder) == os.getpid()


def test_a_lock_of_another_host_is_kept(folder: Path) -> None:
    write_lock(folder, 1234, time.time(), host="elsewhere.example")
    with pytest.raises(RunLockedError) as refused:
        lock_run(folder)
    assert "being trained by process 1234 on host elsewhere.example since" in str(refused.value)
    assert f"if it does not, delete {folder / LOCK_FILE}" in str(refused.value)
    assert holder_pid(folder) == 1234


def test_an_unreadable_lock_is_waited_for_then_taken_over(folder: Path) -> None:
    (folder / LOCK_FILE).write_bytes(b"")  # a holder between creating and writing it
    with pytest.raises(RunLockedError, match="another process is taking this run's lock"):
        lock_run(folder)
    old = time.time() - UNREADABLE_GRACE_S - 5  # left half-made by a killed process
    os.utime(folder / LOCK_FILE, (old, old))
    with lock_run(folder):
        assert holder_pid(folder) == os.getpid()


def test_a_lock_that_is_a_folder_is_refused_in_one_line(folder: Path) -> None:
    (folder / LOCK_FILE).mkdir()
    with pytest.raises(RunFolderError, match="run.lock: not a regular file"):
        lock_run(folder)


def test_release_leaves_a_lock_that_another_process_took_over(folder: Path, sleeper) -> None:
    lock = lock_run(folder)
    (folder / LOCK_FILE).unlink()  # as if judged stale by mistake and taken over
    write_lock(folder, sleeper.pid, sleeper.create_time())
    lock.release()
    assert holder_pid(folder) == sleeper.pid


def test_a_stale_lock_replaced_by_a_live_one_meanwhile_is_kept(
    folder: Path, sleeper, monkeypatch
) -> None:
    """The race of two takeovers, made to happen: this process judges the lock stale,
    then another takes it over (removes it, makes its own) before this one removes it."""
    write_lock(folder, *dead_process())
    read = run_lock._read_holder

    def judged_then_taken_over(path: Path):
        found = read(path)
        (folder / LOCK_FILE).unlink()
        write_lock(folder, sleeper.pid, sleeper.create_time())
        monkeypatch.setattr(run_lock, "_read_holder", read)
        return found

    monkeypatch.setattr(run_lock, "_read_holder", judged_then_taken_over)
    with pytest.raises(RunLockedError, match=f"being trained by process {sleeper.pid} "):
        lock_run(folder)
    assert holder_pid(folder) == sleeper.pid


@pytest.mark.skipif(run_lock.fcntl is None, reason="no flock: an open file cannot be deleted")
def test_a_lock_whose_holder_still_holds_it_is_kept_whatever_its_ids_say(folder: Path) -> None:
    """A holder keeps the system's lock on its file: were its id and start time misread
    (the clock set back), the lock is still not taken from it."""
    write_lock(folder, *dead_process())
    fd = os.open(folder / LOCK_FILE, os.O_RDONLY)
    try:
        run_lock.fcntl.flock(fd, run_lock.fcntl.LOCK_EX)
        with pytest.raises(RunLockedError):
            lock_run(folder)
        assert (folder / LOCK_FILE).exists()
    finally:
        os.close(fd)
    lock_run(folder).release()  # once it lets go, the lock is stale


# --- processes racing for one stale lock ------------------------------------------------------

RACER = r"""
import sys
from resnet_studio.training.run_lock import RunLockedError, lock_run
print("ready", flush=True)
sys.stdin.readline()
try:
    lock = lock_run(sys.argv[1])
except RunLockedError as err:
    print("refused", err, flush=True)
else:
    print("won", flush=True)
sys.stdin.readline()  # a winner holds the lock until every racer has answered
"""


def test_of_processes_taking_over_one_stale_lock_exactly_one_wins(tmp_path: Path) -> None:
    racers = 6
    for round_ in range(5):
        folder = tmp_path / f"run-{round_}"
        folder.mkdir()
        write_lock(folder, *dead_process())
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", RACER, str(folder)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(racers)
        ]
        try:
            for proc in procs:
                assert proc.stdout.readline() == "ready\n"
            for proc in procs:  # all are waiting: release them together
                proc.stdin.write("go\n")
                proc.stdin.flush()
            answers = [proc.stdout.readline().strip() for proc in procs]
            winners = [proc.pid for proc, a in zip(procs, answers, strict=True) if a == "won"]
            assert len(winners) == 1, answers
            assert holder_pid(folder) == winners[0]
            for answer in answers:
                assert answer == "won" or answer.startswith(
                    f"refused {folder}: being trained by process {winners[0]} on host"
                ), answer
        finally:
            for proc in procs:
                proc.communicate("done\n", timeout=TIMEOUT)
        assert not (folder / LOCK_FILE).exists()  # released as the winner exited


# --- two train --resume of one run at once --------------------------------------------------

# Each resume waits, once it holds the run's lock and before it writes anything, until
# the test lets it go: so both would be training at once if both got that far.
RESUMER = r"""
import os, sys, time
from pathlib import Path
import torch  # imported before the race, so that both start it together
import resnet_studio.cli
from resnet_studio.training import launch

go = Path(sys.argv[1])
prepare = launch.RunHandle.prepare

def held(self):
    Path(f"{go}.{os.getpid()}").write_text("holding")
    while not go.exists():
        time.sleep(0.01)
    prepare(self)

launch.RunHandle.prepare = held
print("ready", flush=True)
sys.stdin.readline()
sys.exit(resnet_studio.cli.main(sys.argv[2:]))
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    save_project(tmp_path / "tiny.json", tiny_network())
    return tmp_path / "tiny.json"


def test_two_resumes_of_one_run_at_once_one_trains_the_other_is_refused(
    capsys, tmp_path: Path, project: Path
) -> None:
    run = tmp_path / "run"
    code, _, err = cli(capsys, "train", project, *QUICK, "--epochs", 1, "--out", run)
    assert code == 0, err
    before = snapshot(run)
    go = tmp_path / "go"
    argv = ["train", "--resume", run, "--epochs", 3, "--threads", 1]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RESUMER, str(go), *map(str, argv)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=user_env(tmp_path),
        )
        for _ in range(2)
    ]
    try:
        for proc in procs:
            assert proc.stdout.readline() == "ready\n", proc.stderr.read()
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()

        def holding(proc: subprocess.Popen) -> bool:
            return Path(f"{go}.{proc.pid}").exists()

        wait_until(lambda: all(p.poll() is not None or holding(p) for p in procs), "answer")
        assert [holding(p) for p in procs].count(True) == 1, "both resumes went on to train"
        winner = next(p for p in procs if holding(p))
        loser = next(p for p in procs if p is not winner)
        out, err = loser.communicate(timeout=TIMEOUT)
        assert loser.returncode == 2 and out == "", (out, err)
        [line] = err.splitlines()
        assert line.startswith(
            f"resnet-studio: error: {run}: being trained by process {winner.pid} on host "
            f"{socket.gethostname()} since "
        ) and line.endswith("; wait for it to end or stop it"), line
        # The loser changed nothing; the winner has written nothing but its lock yet.
        assert {k: v for k, v in snapshot(run).items() if k != LOCK_FILE} == before
        assert holder_pid(run) == winner.pid
        go.write_text("go")
        out, err = winner.communicate(timeout=TIMEOUT)
        assert winner.returncode == 0, err[-2000:]
    finally:
        go.write_text("go")
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
    record = read_run(run)
    assert record.status == "finished"
    assert [e.epoch for e in record.epochs] == [1, 2, 3]
    events = [json.loads(line)["event"] for line in (run / "metrics.jsonl").open()]
    assert events.count("RunStarted") == 2 and events.count("Finished") == 2  # first, resumed
    code, out, _ = cli(capsys, "compare", run)
    assert code == 0 and out.splitlines()[1].split()[2:4] == ["finished", "3"]
    assert not (run / LOCK_FILE).exists()


# --- every way a run ends releases its lock -----------------------------------------------------


@pytest.fixture(scope="module")
def data():
    from resnet_studio.training.datasets import load_dataset

    return load_dataset("synthetic", subset=64, val_size=64)


def test_a_new_run_holds_its_lock_until_it_ends(tmp_path: Path, data) -> None:
    handle = new_run(
        tiny_network(), data, Recipe(batch_size=64, threads=1), tmp_path / "r", name="r"
    )
    assert holder_pid(tmp_path / "r") == os.getpid()
    with pytest.raises(RunLockedError):
        lock_run(tmp_path / "r")
    info = read_run(tmp_path / "r").info
    assert info["pid"] == os.getpid() and info["process_started"] == psutil.Process().create_time()
    assert handle.run().status == "finished"
    assert not (tmp_path / "r" / LOCK_FILE).exists()


def test_a_failed_run_releases_its_lock(tmp_path: Path, data, monkeypatch) -> None:
    def broken(self, *args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(engine.Trainer, "train_one_epoch", broken)
    handle = new_run(
        tiny_network(), data, Recipe(batch_size=64, threads=1), tmp_path / "r", name="r"
    )
    assert handle.run().status == "failed"
    assert not (tmp_path / "r" / LOCK_FILE).exists()


def test_a_run_that_raises_releases_its_lock(tmp_path: Path, data, monkeypatch) -> None:
    def broken(self):
        raise KeyboardInterrupt  # e.g. a second Ctrl-C

    monkeypatch.setattr(engine.Trainer, "run", broken)
    handle = new_run(
        tiny_network(), data, Recipe(batch_size=64, threads=1), tmp_path / "r", name="r"
    )
    with pytest.raises(KeyboardInterrupt):
        handle.run()
    assert not (tmp_path / "r" / LOCK_FILE).exists()


def test_a_refused_resume_releases_the_lock(capsys, tmp_path: Path, data) -> None:
    run = tmp_path / "r"
    handle = new_run(tiny_network(), data, Recipe(batch_size=64, threads=1), run, name="r")
    handle.cancel()  # stops before the first batch, with a checkpoint
    assert handle.run().status == "stopped"
    state = torch.load(run / CHECKPOINT_FILE, weights_only=True)
    state["model"]["fc.weight"] = torch.zeros(3, 8)  # a checkpoint that does not fit
    RunFolder(run).write_checkpoint(state)
    before = snapshot(run)
    code, _, err = cli(capsys, "train", "--resume", run)
    assert_one_line_error(code, err, "checkpoint.pt: cannot resume from it")
    assert snapshot(run) == before  # the lock it held is gone too


def test_ctrl_c_releases_the_lock(tmp_path: Path, project: Path) -> None:
    run = tmp_path / "run"
    proc = subprocess.Popen(
        long_training(project, run),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=user_env(tmp_path),
    )
    try:
        wait_until(lambda: b"StepMetrics" in _read(run / "metrics.jsonl"), "training", proc)
        assert holder_pid(run) == proc.pid
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err[-2000:]
    assert not (run / LOCK_FILE).exists(), err[-2000:]


def test_a_killed_run_reads_interrupted_at_once_and_its_lock_is_taken_over(
    tmp_path: Path, project: Path
) -> None:
    run = tmp_path / "run"
    proc = subprocess.Popen(
        long_training(project, run),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=user_env(tmp_path),
    )
    try:
        wait_until(lambda: b"StepMetrics" in _read(run / "metrics.jsonl"), "training", proc)
        assert read_run(run).status == "running"
        proc.send_signal(signal.SIGKILL)
        wait_until(lambda: psutil.Process(proc.pid).status() == psutil.STATUS_ZOMBIE, "death")
        # Not reaped yet, the id still taken: the run reads as interrupted all the same.
        assert read_run(run).status == "interrupted"
        with lock_run(run):
            assert holder_pid(run) == os.getpid()
    finally:
        proc.kill()
        proc.wait()


def test_a_run_whose_process_id_was_reused_reads_interrupted(tmp_path: Path, sleeper) -> None:
    folder = RunFolder.create(
        tmp_path / "r",
        name="r",
        network=tiny_network(),
        recipe=Recipe(),
        dataset={"name": "synthetic"},
        device="cpu",
    )
    folder.lock.release()
    folder.update_info(status="running", pid=sleeper.pid, process_started=sleeper.create_time())
    assert read_run(folder.path).status == "running"
    folder.update_info(process_started=sleeper.create_time() - 3600)
    assert read_run(folder.path).status == "interrupted"
    folder.update_info(process_started=None)  # a run of an older version: the id alone
    assert read_run(folder.path).status == "running"


def long_training(project: Path, run: Path) -> list[str]:
    """``resnet-studio train`` of a run that trains far longer than a test waits."""
    argv = ["train", project, *QUICK, "--epochs", 200, "--out", run]
    return [sys.executable, "-m", "resnet_studio", *map(str, argv)]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
