"""Killed runs, as a new user kills them: ``kill -9`` a training run, then read it back.

Each time the run folder must read back, ``compare`` must show the run as
``interrupted`` (``finished`` if it had recorded its end), and ``train --resume``
must finish with final weights equal, bit for bit, to those of an uninterrupted
run of the same seed, with every epoch recorded once. A run writes a checkpoint
of its starting point before its first step, so only one killed during its
set-up has nothing to resume from: its resume is refused in one line.

``python -m resnet_studio train`` processes (the tiny network, 256 synthetic
images, 3 epochs of 8 batches, each followed by 2,000 validation images) are
killed with SIGKILL:

- at forced moments: a hook in the trainer's process (``HOOK``) stops it at an
  exact point and says so in a marker file, and the test kills it there: inside
  an epoch's training, during validation, inside checkpoint writing (the
  temporary file written, not yet renamed into place);
- at random moments: a delay drawn at random while the uninterrupted run was
  training; the hook then only traces each phase, so the trace's last line says
  where the kill landed.

CI kills at 3 forced moments and 1 random one (under a minute);
``RESNET_STUDIO_LONG_TESTS=1`` at 7 forced and 20 random ones (seed
``RESNET_STUDIO_KILL_SEED``). With ``-s`` each kill's landing and outcome are printed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from resnet_studio.arch.project import save_project
from resnet_studio.training.runs import read_run
from tests.cli_in_process import cli
from tests.training.cli_helpers import user_env
from tests.training.conftest import tiny_network

LONG = os.environ.get("RESNET_STUDIO_LONG_TESTS") == "1"
SEED = int(os.environ.get("RESNET_STUDIO_KILL_SEED", "2026"))
TRAIN = ["--dataset", "synthetic", "--subset", "256", "--epochs", "3", "--batch-size", "32",
         "--threads", "1"]  # fmt: skip
EPOCHS = 3
TIMEOUT_S = 300

# Runs in the trainer's process, then the command itself. KILL_HOOK names a moment,
# epochs counted from 1; there the process writes KILL_MARKER and waits to be killed:
#   train:E:B   inside epoch E's training, B batches done
#   val:E:B     inside the validation after epoch E, B batches validated
#   before:E    inside writing epoch E's checkpoint: the temporary file written, not renamed
#   after:E     epoch E's checkpoint renamed into place (its epoch was recorded before)
# Checkpoint 0 is the starting point's, written before the first step.
#   trace:0     never stops; appends each phase it enters to KILL_TRACE
HOOK = r"""
import os, sys, time
from pathlib import Path
from resnet_studio.training import engine, runs

def stop_here():
    Path(os.environ["KILL_MARKER"]).write_text("stopped")
    time.sleep(600)

kind, epoch, *at = os.environ["KILL_HOOK"].split(":")
epoch = int(epoch)
if kind == "trace":
    trace = os.open(os.environ["KILL_TRACE"], os.O_WRONLY | os.O_CREAT | os.O_APPEND)

    def mark(text):
        os.write(trace, (text + "\n").encode())

    def traced(cls, name, before, after=None):
        inner = getattr(cls, name)
        def wrapper(self, *args, **kwargs):
            mark(before(self, *args))
            result = inner(self, *args, **kwargs)
            if after:
                mark(after(self, *args))
            return result
        setattr(cls, name, wrapper)

    traced(engine.Trainer, "train_one_epoch", lambda t: f"training epoch {t.progress.epoch + 1}")
    traced(engine.Trainer, "evaluate", lambda t, batches=None: (
        f"validating epoch {t.progress.epoch + 1}" if batches is None
        else "evaluating the final model on the test split"))
    ckpt = lambda s: s["progress"]["epoch"]
    traced(runs.RunFolder, "write_checkpoint",
           lambda f, s: f"writing epoch {ckpt(s)}'s checkpoint",
           lambda f, s: f"after epoch {ckpt(s)}'s checkpoint")
    traced(runs.RunFolder, "save_model", lambda f, *a: "saving the final model",
           lambda f, *a: "the process ending, the run finished")
elif kind in ("train", "val"):
    class Stopping:
        def __init__(self, inner, trainer):
            self.inner, self.trainer = inner, trainer
        def __len__(self):
            return len(self.inner)
        def __getattr__(self, name):
            return getattr(self.inner, name)
        def epoch(self, e, start_batch=0):
            for b, batch in enumerate(self.inner.epoch(e, start_batch), start_batch):
                if b == int(at[0]) and self.trainer.progress.epoch + 1 == epoch:
                    stop_here()
                yield batch

    setup = engine.Trainer._setup
    def _setup(self):
        setup(self)
        name = "train_batches" if kind == "train" else "val_batches"
        if not isinstance(getattr(self, name), Stopping):
            setattr(self, name, Stopping(getattr(self, name), self))
    engine.Trainer._setup = _setup
else:
    replace, renamed = os.replace, []
    def hooked(src, dst, *args, **kwargs):
        if not str(dst).endswith("checkpoint.pt"):
            return replace(src, dst, *args, **kwargs)
        renamed.append(dst)  # the first is the starting point's: epoch E's is number E + 1
        if len(renamed) == epoch + 1 and kind == "before":
            stop_here()
        replace(src, dst, *args, **kwargs)
        if len(renamed) == epoch + 1 and kind == "after":
            stop_here()
    os.replace = hooked

from resnet_studio.cli import main
sys.exit(main(sys.argv[1:]))
"""

FORCED = ["train:2:4", "val:2:31", "before:2"]
if LONG:
    FORCED += ["train:1:4", "val:3:62", "before:1", "before:3"]
RANDOM_KILLS = 20 if LONG else 1
FORCED_PLACES = {
    "train": "training epoch {0}",
    "val": "validating epoch {0}",
    "before": "writing epoch {0}'s checkpoint",
    "after": "after epoch {0}'s checkpoint",
}


@dataclass
class Outcome:
    """What one kill did, for the figures printed at the end."""

    moment: str
    landed: str
    status: str  # as the run read back after the kill
    resumed: str = ""  # "equal", "differ", or why there was no resume
    missing_epochs: tuple[int, ...] = ()
    litter: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass
class Killed:
    """A killed run whose resume is under way (it overlaps the next kill: half the time)."""

    run: Path
    outcome: Outcome
    began: float
    resume: subprocess.Popen | None = None


@dataclass
class Setup:
    base: Path
    env: dict[str, str]
    project: Path
    reference: dict[str, torch.Tensor]  # the uninterrupted run's final weights
    span: float  # seconds from its first event to its model.pt


def start(env: dict[str, str], argv: list, folder: Path, name: str, hook: str | None = None):
    """``python -m resnet_studio ARGV`` (with ``hook``: the same command after HOOK)."""
    prefix = ["-c", HOOK] if hook else ["-m", "resnet_studio"]
    if hook:
        env = dict(env, KILL_HOOK=hook, KILL_MARKER=str(folder / "marker"))
        env["KILL_TRACE"] = str(folder / "trace")
    # Output to files, read when it has ended: a pipe nobody reads could fill and block.
    out = open(folder / f"{name}.out", "w")  # noqa: SIM115 - closed in finish()
    proc = subprocess.Popen(
        [sys.executable, *prefix, *map(str, argv)], stdout=out, stderr=out, env=env
    )
    proc.out_file = out  # type: ignore[attr-defined]
    return proc


def finish(proc: subprocess.Popen) -> int:
    try:
        return proc.wait(timeout=TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.out_file.close()  # type: ignore[attr-defined]


def wait_for(proc: subprocess.Popen, ready, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not ready():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended ({proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {TIMEOUT_S} s")
        time.sleep(0.002)


def started(run: Path) -> bool:
    try:
        return b'"RunStarted"' in (run / "metrics.jsonl").read_bytes()
    except OSError:
        return False


def final_weights(model_file: Path) -> dict[str, torch.Tensor]:
    return torch.load(model_file, map_location="cpu", weights_only=True)["state_dict"]


def equal(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    """The project, a user environment and the uninterrupted run, with no hook."""
    base = tmp_path_factory.mktemp("kill")
    env = user_env(base)
    project = base / "tiny.json"
    save_project(project, tiny_network())
    run = base / "reference" / "run"
    run.parent.mkdir()
    proc = start(env, ["train", project, *TRAIN, "--out", run], run.parent, "train")
    wait_for(proc, lambda: started(run), "first event")
    begun = time.monotonic()
    while not (run / "model.pt").exists() and proc.poll() is None:
        time.sleep(0.002)
    span = time.monotonic() - begun
    assert finish(proc) == 0, (run.parent / "train.out").read_text()
    return Setup(base, env, project, final_weights(run / "model.pt"), span)


def kill(capsys, setup: Setup, name: str, hook: str, delay: float = 0.0) -> Killed:
    """Start a run, kill it at ``hook``'s moment (a trace: ``delay`` after it started),
    check that it reads back, and start its resume."""
    began = time.monotonic()
    folder = setup.base / name
    run = folder / "run"
    folder.mkdir()
    proc = start(setup.env, ["train", setup.project, *TRAIN, "--out", run], folder, "train", hook)
    try:
        if hook.startswith("trace"):
            wait_for(proc, lambda: started(run), "first event")
            time.sleep(delay)
        else:
            wait_for(proc, (folder / "marker").exists, f"the moment {hook}")
        proc.send_signal(signal.SIGKILL)
    finally:
        code = finish(proc)  # reaped: its pid is gone, as after a crash
    if hook.startswith("trace"):
        trace = (folder / "trace").read_text().splitlines() if code < 0 else []
        landed = trace[-1] if trace else "after the process ended"
        moment = f"random {delay:.3f} s"
    else:
        kind, epoch, *_ = hook.split(":")
        landed, moment = FORCED_PLACES[kind].format(epoch), hook

    # The folder reads back; compare shows the run, interrupted unless it had finished.
    record = read_run(run)
    code, out, err = cli(capsys, "compare", run)
    assert code == 0 and err == "", err
    assert out.splitlines()[1].split()[2] == record.status
    litter = tuple(sorted(p.name for p in run.iterdir() if p.name.startswith(".")))
    killed = Killed(run, Outcome(moment, landed, record.status, litter=litter), began)
    if record.status == "finished":  # killed after the run recorded its end: nothing to resume
        weights = run / ("model.pt" if (run / "model.pt").exists() else "checkpoint.pt")
        state = torch.load(weights, weights_only=True)
        assert equal(state.get("state_dict", state.get("model")), setup.reference)
        killed.outcome.resumed = "none needed: the run had finished"
        return killed
    assert record.status == "interrupted", (landed, record.info.get("status"))
    assert record.final is None
    assert [e.epoch for e in record.epochs] == sorted({e.epoch for e in record.epochs})
    killed.resume = start(setup.env, ["train", "--resume", run], folder, "resume")
    return killed


def resumed(killed: Killed, reference: dict[str, torch.Tensor]) -> Outcome:
    """The resume's outcome: finished with the reference's weights, or refused in one line
    when the run died before its first checkpoint."""
    outcome, run = killed.outcome, killed.run
    if killed.resume is not None:
        code = finish(killed.resume)
        output = (run.parent / "resume.out").read_text()
        if not (run / "checkpoint.pt").exists():  # killed before its first epoch ended
            assert code == 2, output
            assert output.count("\n") == 1 and "no checkpoint.pt" in output, output
            outcome.resumed = "refused: no checkpoint yet (one line, exit 2)"
        else:
            assert code == 0, output
            record = read_run(run)
            assert record.status == "finished" and record.epochs[-1].epoch == EPOCHS
            epochs = [e.epoch for e in record.epochs]
            assert epochs == sorted(set(epochs))
            outcome.missing_epochs = tuple(sorted(set(range(1, EPOCHS + 1)) - set(epochs)))
            same = equal(final_weights(run / "model.pt"), reference)
            outcome.resumed = "equal" if same else "differ"
            # What the kill left half-written is gone once the run has started again.
            assert not [p.name for p in run.iterdir() if p.name.endswith(".tmp")], output
    outcome.seconds = time.monotonic() - killed.began
    return outcome


def kill_all(capsys, setup: Setup, moments: list[tuple[str, str, float]]) -> list[Outcome]:
    """Kill at each moment; each resume runs while the next run starts and is killed."""
    outcomes, pending = [], None
    for moment in moments:
        killed = kill(capsys, setup, *moment)
        if pending is not None:
            outcomes.append(resumed(pending, setup.reference))
        pending = killed
    if pending is not None:
        outcomes.append(resumed(pending, setup.reference))
    return outcomes


def report(outcomes: list[Outcome], seconds: float) -> str:
    lines = [f"{len(outcomes)} kills in {seconds:.0f} s (random moments: seed {SEED})"]
    for o in outcomes:
        extra = f"; epochs missing after resume: {list(o.missing_epochs)}" * bool(o.missing_epochs)
        extra += f"; left behind: {', '.join(o.litter)}" * bool(o.litter)
        lines.append(
            f"  {o.moment:>15}: {o.landed}; read back {o.status}; resume: {o.resumed}{extra}"
        )
    for what, counts in (("landed", Counter(o.landed for o in outcomes)),
                         ("resume", Counter(o.resumed for o in outcomes))):  # fmt: skip
        lines.append(f"  {what}: " + "; ".join(f"{n} {k}" for k, n in counts.most_common()))
    return "\n".join(lines)


def test_killed_runs_read_back_and_resume_to_the_same_weights(capsys, setup: Setup) -> None:
    began = time.monotonic()
    rng = random.Random(SEED)
    moments = [(f"forced-{i}", hook, 0.0) for i, hook in enumerate(FORCED)]
    moments += [(f"random-{i}", "trace:0", rng.uniform(0, setup.span)) for i in range(RANDOM_KILLS)]
    outcomes = kill_all(capsys, setup, moments)
    text = report(outcomes, time.monotonic() - began)
    with capsys.disabled():
        print("\n" + text)
    assert all(o.resumed != "differ" and not o.missing_epochs for o in outcomes), text
    for _moment, outcome in zip(FORCED, outcomes, strict=False):
        # Every forced moment lies after the starting point's checkpoint.
        assert outcome.status == "interrupted", text
        assert outcome.resumed == "equal", text


@pytest.mark.skipif(not LONG, reason="RESNET_STUDIO_LONG_TESTS=1")
def test_killed_between_checkpoint_and_epoch_line_loses_no_epoch(capsys, setup: Setup) -> None:
    (outcome,) = kill_all(capsys, setup, [("between", "after:2", 0.0)])
    assert outcome.resumed == "equal"
    assert outcome.missing_epochs == (), report([outcome], outcome.seconds)
