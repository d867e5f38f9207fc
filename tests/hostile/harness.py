"""Run a command on hostile input and check the README's promises.

The promises: a command ends with status 0, 1 (the network or run has
problems, told in its output) or 2 (a mistake, told in exactly one line on
stderr that starts with ``resnet-studio: error:``); never a traceback; never a
hang; and no file changes but the ones the command was asked to write.

Commands run in this process (``resnet_studio.cli.main``), which is what
makes thousands of cases affordable; a watchdog alarm turns a hang into a
failure that names the case.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from resnet_studio.cli import main

ERROR_PREFIX = "resnet-studio: error: "
# Long runs (RESNET_STUDIO_LONG_TESTS=1) try many more generated cases.
LONG = os.environ.get("RESNET_STUDIO_LONG_TESTS") == "1"
DEFAULT_TIMEOUT_S = 120


class Hang(Exception):
    """A command ran past its time limit."""


@dataclass
class Outcome:
    """What one command did."""

    argv: list[str]
    code: int | None  # None: it raised (``crash`` holds the traceback)
    out: str
    err: str
    seconds: float
    crash: str = ""

    def describe(self) -> str:
        return (
            f"resnet-studio {' '.join(self.argv)}\n  exit {self.code} after {self.seconds:.1f} s\n"
            f"  stdout: {self.out[-1500:]!r}\n  stderr: {self.err[-1500:]!r}\n{self.crash}"
        )


def _alarm(_signum, _frame) -> None:
    raise Hang


def run(*argv: object, timeout_s: int = DEFAULT_TIMEOUT_S) -> Outcome:
    """Run ``resnet-studio ARGV`` in this process, with stdout and stderr captured."""
    args = [str(a) for a in argv]
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout_s)
    started = time.perf_counter()
    code: int | None = None
    crash = ""
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    except Hang:
        crash = f"HANG: still running after {timeout_s} s"
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code if isinstance(exit_.code, int) else 2
    except BaseException:  # noqa: BLE001 - anything escaping main is a broken promise
        crash = traceback.format_exc()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(args, code, out.getvalue(), err.getvalue(), time.perf_counter() - started, crash)


def broken_promises(outcome: Outcome) -> list[str]:
    """What ``outcome`` did that the README promises it never does (empty: all kept)."""
    problems = []
    if outcome.crash:
        problems.append("raised instead of returning a status")
    elif outcome.code not in (0, 1, 2):
        problems.append(f"exit status {outcome.code}")
    if "Traceback (most recent call last)" in outcome.err + outcome.out:
        problems.append("printed a traceback")
    if outcome.code == 2:
        lines = [line for line in outcome.err.splitlines() if line.strip()]
        if len(lines) != 1 or not lines[0].startswith(ERROR_PREFIX):
            problems.append("a mistake not told in exactly one 'resnet-studio: error:' line")
    return problems


def snapshot(*roots: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``roots``: its size and a hash of its bytes."""
    files = {}
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            data = path.read_bytes()
            files[str(path)] = (len(data), hashlib.blake2b(data, digest_size=16).hexdigest())
    return files


def changed(before: dict, after: dict, allowed: set[str] = frozenset()) -> list[str]:
    """Files added, removed or changed between two snapshots, but for ``allowed``."""
    names = (set(before) | set(after)) - set(allowed)
    return sorted(n for n in names if before.get(n) != after.get(n))


def check(outcome: Outcome, before: dict, after: dict, allowed: set[str] = frozenset()) -> None:
    """Fail with the whole story when a promise was broken."""
    problems = broken_promises(outcome)
    touched = changed(before, after, allowed)
    if touched:
        problems.append(f"changed files it should not: {touched[:5]}")
    assert not problems, "; ".join(problems) + "\n" + outcome.describe()
