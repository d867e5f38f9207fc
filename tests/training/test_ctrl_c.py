"""Ctrl-C in ``train`` stops the run on purpose: it reads ``stopped`` everywhere (exit
status 130, run.json, log.txt, ``compare``), as the window's Stop does, and resumes.
SIGTERM (``kill``; how an experiment stops its runs) does the same, even in a process
that ignores SIGINT, as one started in the background does."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from resnet_studio.arch.project import save_project
from resnet_studio.training.runs import read_run
from tests.cli_in_process import cli
from tests.training.cli_helpers import finish, start, user_env
from tests.training.conftest import tiny_network

TIMEOUT_S = 300


@pytest.mark.parametrize(
    ("stop", "ignore_sigint"),
    [(signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGTERM, True)],
    ids=["ctrl-c", "sigterm", "sigterm-sigint-ignored"],
)
def test_ctrl_c_or_sigterm_records_a_stopped_run_that_resumes(
    capsys, tmp_path: Path, stop: int, ignore_sigint: bool
) -> None:
    run, project = tmp_path / "run", tmp_path / "tiny.json"
    save_project(project, tiny_network())
    # SIGINT ignored here while the child starts: it inherits that, as from a shell's
    # background job (``&``).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN if ignore_sigint else signal.SIG_DFL)
    try:
        proc = start(
            user_env(tmp_path),
            *("train", project, "--subset", "64", "--batch-size", "32"),
            *("--epochs", "500", "--threads", "1", "--out", run),
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.monotonic() + TIMEOUT_S
    while b'"EpochEnd"' not in _read(run / "metrics.jsonl"):
        assert proc.poll() is None, finish(proc)
        assert time.monotonic() < deadline, "no epoch ended in time"
        time.sleep(0.05)
    proc.send_signal(stop)
    result = finish(proc)

    assert result.code == 130, result.err
    assert "stopped at epoch" in result.err and "Traceback" not in result.err
    assert json.loads((run / "run.json").read_text())["status"] == "stopped"
    assert (run / "log.txt").read_text().splitlines()[-1].endswith(" stopped")
    record = read_run(run)
    assert record.status == "stopped" and record.history.status == "stopped"
    code, out, err = cli(capsys, "compare", run)
    assert code == 0 and err == "" and out.splitlines()[1].split()[2] == "stopped"

    done = record.epochs[-1].epoch
    code, _out, err = cli(capsys, "train", "--resume", run, "--epochs", done + 1)
    assert code == 0, err
    assert read_run(run).status == "finished"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
