"""Run an experiment's cells K at a time, each as a ``resnet-studio train`` process.

A process per cell isolates failures (a cell that fails, diverges or runs out of
memory ends alone; the others go on), gives each run its own interpreter (no
lock shared between runs) and lets the CPU cores be shared out exactly: each
cell gets ``--threads T`` with K × T at most the cores. A cell's run folder is
its whole state, so stopping and resuming an experiment is stopping and
resuming its runs: a finished cell is kept, a stopped or interrupted one
continues from its checkpoint (``train --resume``), a queued one starts.
Torch-free: the parent only watches; the children train.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.training.experiment import Cell, Experiment, cell_status, last_line
from resnet_studio.training.runs import CHECKPOINT_FILE, RUN_FILE

DONE = ("finished", "diverged")  # a result: kept when the experiment resumes
STOPPED = ("stopped", "cancelled")  # stopped on purpose ("cancelled": older run folders)
RESUMABLE = ("stopped", "cancelled", "interrupted", "failed")
GiB = 2**30
# What one cell's process takes beside its network: the interpreter, torch, the
# data set in memory (CIFAR-sized) and the allocator's slack.
CPU_PROCESS_BYTES = 2 * GiB
GPU_PROCESS_BYTES = 2 * GiB  # the CUDA context and a small CIFAR network's batches
MAX_GPU_PARALLEL = 8


# Why a cell stopped while its run was still starting (nothing of it is lost).
STOPPED_BEFORE_TRAINING = Message(
    "scheduler.stopped_before_training",
    QT_TRANSLATE_NOOP("messages", "stopped before training began"),
)


@dataclass
class CellState:
    """Where a cell stands: queued, running, finished, diverged, failed, stopped…"""

    cell: Cell
    status: str = "queued"
    reason: str = ""  # why it failed, in one line
    started: float | None = None
    ended: float | None = None


def choose_parallel(cells: int, device: str, cores: int | None = None) -> tuple[int, int]:
    """(K, threads per cell) for ``cells`` runs on ``device``.

    On a CPU small networks use one core each far better than they use several
    (their layers are too small to split well), so K is the number of cores, as
    memory allows. On a GPU several small runs fill it better than one; K is what
    its free memory holds, at most :data:`MAX_GPU_PARALLEL`.
    """
    from resnet_studio.model.resources import available_memory

    cores = cores or os.cpu_count() or 1
    memory = available_memory()
    by_memory = max(1, memory // CPU_PROCESS_BYTES) if memory else cores
    if device.startswith("cuda") or (device == "auto" and cuda_free() is not None):
        free = cuda_free() or 0
        k = max(1, min(cells, MAX_GPU_PARALLEL, free // GPU_PROCESS_BYTES, by_memory))
    else:
        k = max(1, min(cells, cores, by_memory))
    return k, max(1, cores // k)


def plan_parallel(cells: int, device: str, asked: int | None = None) -> tuple[int, int]:
    """(K, threads per cell): K as ``asked`` with the cores shared out among them, or
    both chosen by :func:`choose_parallel`."""
    if asked:
        return asked, max(1, (os.cpu_count() or 1) // asked)
    return choose_parallel(cells, device)


def cuda_free() -> int | None:
    """Free memory of the first GPU, or None without one (imports torch only if CUDA
    could be there at all)."""
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    free, _total = torch.cuda.mem_get_info()
    return int(free)


class Scheduler:
    """Runs an experiment's unfinished cells, K at a time, until all end or it is stopped.

    ``on_change(state)`` is called (from the thread that calls :meth:`run`) whenever
    a cell starts or ends. :meth:`stop` may be called from any thread: running
    cells are asked to stop (as Ctrl-C asks ``train``), keep their checkpoints, and
    read ``stopped``; queued cells stay queued for a later resume.
    """

    def __init__(
        self,
        experiment: Experiment,
        parallel: int,
        threads_each: int,
        on_change: Callable[[CellState], None] | None = None,
        poll_s: float = 0.2,
        retry_failed: bool = False,
    ) -> None:
        self.experiment = experiment
        self.parallel = max(1, parallel)
        self.threads_each = max(1, threads_each)
        self.on_change = on_change or (lambda state: None)
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._running: dict[str, tuple[CellState, subprocess.Popen]] = {}
        self._asked: set[str] = set()  # cells asked to stop (once: twice aborts mid-write)
        # Cells another process trains (left running by a runner that was killed):
        # watched until they end, then kept or resumed like the others.
        self._elsewhere: set[str] = set()
        self.states = {c.key: CellState(c) for c in experiment.cells}
        for cell in experiment.cells:
            status, reason = cell_status(experiment, cell)
            state = self.states[cell.key]
            state.status, state.reason = status, reason
            if status == "failed" and retry_failed:
                state.status = "interrupted"  # try again from its checkpoint
            elif status in ("running", "created"):
                self._elsewhere.add(cell.key)

    def stop(self) -> None:
        """Ask every running cell to stop after its batch; start no more."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def pending(self) -> list[CellState]:
        """Cells still to run, in grid order (not those another process is training)."""
        return [s for s in self.states.values() if s.status in ("queued", *RESUMABLE)]

    def run(self) -> dict[str, CellState]:
        """Run until every cell has ended or :meth:`stop` was called; the states."""
        queue = self.pending()
        try:
            while queue or self._running or self._elsewhere:
                busy = len(self._running) + len(self._elsewhere)
                while queue and busy < self.parallel and not self.stopping:
                    self._start(queue.pop(0))
                    busy += 1
                if self.stopping:
                    self._signal_all()
                self._reap()
                queue += self._watch_elsewhere()
                if self.stopping and not self._running:
                    break
                time.sleep(self.poll_s)
        except BaseException:
            # Ctrl-C or an error in the caller's callback: leave no cell running unwatched.
            self._stop.set()
            self._signal_all()
            self._wait_all()
            raise
        return self.states

    # --- one cell ---------------------------------------------------------------------

    def _command(self, state: CellState) -> list[str]:
        experiment, cell = self.experiment, state.cell
        folder = experiment.cell_dir(cell)
        base = [sys.executable, "-m", "resnet_studio", "train"]
        common = ["--threads", str(self.threads_each), "--device", experiment.device]
        if state.status in RESUMABLE and (folder / CHECKPOINT_FILE).exists():
            return [*base, "--resume", str(folder), *common]
        command = [
            *base,
            str(experiment.network_file(cell)),
            "--dataset",
            experiment.dataset,
            "--seed",
            str(cell.seed),
            "--name",
            cell.key,
            "--out",
            str(folder),
            *common,
        ]
        if experiment.data_root:
            command += ["--data-root", experiment.data_root]
        if experiment.subset:
            command += ["--subset", str(experiment.subset)]
        for option, value in experiment.spec.recipe.items():
            command += [f"--{option.replace('_', '-')}", str(value)]
        return command

    def _start(self, state: CellState) -> None:
        folder = self.experiment.cell_dir(state.cell)
        if folder.exists() and not (folder / CHECKPOINT_FILE).exists():
            # Stopped or killed before its first checkpoint: nothing to continue from
            # (train --resume refuses it), and train --out takes only a new or empty
            # folder. What it has (run.json, part of an epoch) goes; it starts afresh.
            shutil.rmtree(folder)
        output_path = self.experiment.output_file(state.cell)
        output = output_path.open("wb" if not (folder / RUN_FILE).exists() else "ab")
        popen_options: dict = {}
        if sys.platform == "win32":
            popen_options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            # Its own session: the terminal's Ctrl-C reaches this process only, which
            # then stops each cell once (two SIGINTs would abort a cell mid-write).
            popen_options["start_new_session"] = True
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        try:
            process = subprocess.Popen(
                self._command(state),
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                **popen_options,
            )
        finally:
            output.close()  # the child holds its own descriptor
        state.status, state.reason = "running", ""
        state.started, state.ended = time.time(), None
        self._running[state.cell.key] = (state, process)
        self.on_change(state)

    def _reap(self) -> None:
        for key, (state, process) in list(self._running.items()):
            code = process.poll()
            if code is None:
                continue
            del self._running[key]
            self._ended(state, code)

    def _ended(self, state: CellState, code: int) -> None:
        status, reason = cell_status(self.experiment, state.cell)
        if status in ("running", "created", "queued"):  # it never got to record an end
            if state.cell.key in self._asked:
                # Stopped while it was still starting (before train could catch the
                # signal): nothing is lost, it starts afresh when the experiment resumes.
                status, reason = "stopped", STOPPED_BEFORE_TRAINING
            else:
                status = "failed"
        if code == 2 and not reason:
            reason = last_line(self.experiment.output_file(state.cell))
        elif status == "failed" and not reason:
            reason = last_line(self.experiment.output_file(state.cell)) or Message(
                "scheduler.exit_status",
                QT_TRANSLATE_NOOP("messages", "exit status {code}"),
                code=code,
            )
        state.status, state.reason, state.ended = status, reason, time.time()
        self.on_change(state)

    def _watch_elsewhere(self) -> list[CellState]:
        """Cells that another process was training and that have ended since: those to
        run again (stopped or interrupted), which the caller queues."""
        again = []
        for key in list(self._elsewhere):
            state = self.states[key]
            status, reason = cell_status(self.experiment, state.cell)
            if status in ("running", "created"):
                continue
            self._elsewhere.discard(key)
            state.status, state.reason = status, reason
            if status in RESUMABLE and status != "failed":
                again.append(state)
            else:
                self.on_change(state)
        return again

    def _signal_all(self) -> None:
        for key, (_state, process) in self._running.items():
            if process.poll() is not None or key in self._asked:
                continue
            self._asked.add(key)  # once is enough: the cell stops after its batch
            if sys.platform == "win32":
                process.send_signal(signal.CTRL_BREAK_EVENT)
            else:
                # SIGTERM, not SIGINT: a runner started in the background (``&``,
                # nohup) passes its cells SIGINT ignored, and one sent while a cell
                # starts would be lost; SIGTERM stops train as a first Ctrl-C does.
                process.send_signal(signal.SIGTERM)

    def _wait_all(self) -> None:
        for key, (state, process) in list(self._running.items()):
            try:
                code = process.wait()
            except KeyboardInterrupt:  # a second Ctrl-C: stop waiting politely
                process.kill()
                code = process.wait()
            del self._running[key]
            self._ended(state, code)
