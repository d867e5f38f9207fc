"""Running ``python -m resnet_studio`` as a user does, for the CLI tests of training.

Each user environment points ``RESNET_STUDIO_RUNS``, ``RESNET_STUDIO_DATA`` and
``RESNET_STUDIO_HOME`` into a temporary folder, so nothing touches the real home.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ERROR_PREFIX = "resnet-studio: error: "
RUN_FILES = {"run.json", "metrics.jsonl", "log.txt", "checkpoint.pt", "model.pt"}
TIMEOUT = 300


@dataclass
class Result:
    code: int
    out: str
    err: str


def user_env(base: Path) -> dict[str, str]:
    """The environment of a user whose runs, data and settings live under ``base``."""
    env = dict(os.environ)
    env.update(
        RESNET_STUDIO_RUNS=str(base / "runs"),
        RESNET_STUDIO_DATA=str(base / "data"),
        RESNET_STUDIO_HOME=str(base / "home"),
        PYTHONUNBUFFERED="1",
    )
    return env


def start(env: dict[str, str], *argv: object) -> subprocess.Popen[str]:
    """Start ``python -m resnet_studio ARGV`` (without waiting)."""
    return subprocess.Popen(
        [sys.executable, "-m", "resnet_studio", *map(str, argv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def finish(proc: subprocess.Popen[str]) -> Result:
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"timed out after {TIMEOUT} s: {proc.args}\n{out}\n{err}")
    return Result(proc.returncode, out, err)


def run_cli(env: dict[str, str], *argv: object) -> Result:
    return finish(start(env, *argv))


def finish_all(procs: dict[str, subprocess.Popen[str]]) -> dict[str, Result]:
    return {key: finish(proc) for key, proc in procs.items()}


def assert_one_line_error(result: Result, *fragments: str) -> str:
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.err}"
    assert lines[0].startswith(ERROR_PREFIX), lines[0]
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def metrics_lines(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
