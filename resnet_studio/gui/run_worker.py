"""Training runs on their own QThread, reporting through typed Qt signals.

The engine knows nothing of Qt: :class:`RunWorker` hands it a listener that
re-emits every event as a signal, to be folded by the receiver into the run's
:class:`training.history.RunHistory` (as ``metrics.jsonl`` is when read). The
listener runs in the worker thread, so each signal is queued to receivers in
the GUI thread. Events are small frozen
dataclasses of floats, never tensors, so crossing threads costs nothing.

Cancelling only sets the run's token, which the loop polls once per batch;
it is safe from any thread. ``torch.set_num_threads`` is per thread and the
engine calls it inside the worker thread, so the GUI keeps its core.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from resnet_studio.training.events import NO_FINAL_REPORT, Event, Failed, failure_reason
from resnet_studio.training.history import is_final

if TYPE_CHECKING:  # torch loads lazily: the window must not wait for it
    from resnet_studio.training.launch import RunHandle


# How much lower than the GUI thread a training thread runs (Linux nice levels):
# when the cores are all busy the GUI thread still gets one at once.
TRAINING_NICENESS = 10
# The GIL: a thread waiting for it asks the running one to let go after this
# long (Python's default is 5 ms). With runs in the background, the GUI thread
# must not wait that long for every slot it runs.
GUI_SWITCH_INTERVAL_S = 0.001

# Keeps every started run (its thread and worker wrappers) alive until the
# thread has finished: a QThread destroyed while running aborts the process.
_live: set[RunThread] = set()


class RunWorker(QObject):
    """Runs one :class:`RunHandle` when :meth:`run` is called (in a worker thread).

    ``event`` carries every event before the end, in order (RunStarted,
    StepMetrics, EpochEnd); ``finished`` is emitted exactly once, with the final
    event (Finished, Cancelled, Diverged or Failed), after the run folder has
    been completed.
    """

    event = Signal(object)  # RunStarted | StepMetrics | EpochEnd
    finished = Signal(object)  # Finished | Cancelled | Diverged | Failed

    def __init__(self, handle: RunHandle, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handle = handle
        self._final: Event | None = None

    def cancel(self) -> None:
        """Ask the run to stop at the next batch; callable from any thread."""
        self.handle.cancel()

    def _emit(self, event: Event) -> None:
        """The engine's listener: runs in the worker thread."""
        if is_final(event):
            # Held back until handle.run returns, so model.pt is written first.
            self._final = event
        else:
            self.event.emit(event)

    @Slot()
    def run(self) -> None:
        """Train to the end; always finishes by emitting ``finished`` once."""
        _lower_this_threads_priority()
        self._final = None
        try:
            result = self.handle.run([self._emit])
            # When reporting the end itself failed, the engine returns a Failed
            # event that no listener heard; the result always has the truth.
            final = result.last_event if result.last_event is not None else self._final
            if final is None or not is_final(final):
                final = self._final or Failed(NO_FINAL_REPORT)
        except Exception as err:  # noqa: BLE001 - surfaced as a Failed event, never lost
            final = Failed(failure_reason(err), traceback.format_exc())
        self.finished.emit(final)


class RunThread(QObject):
    """One run on its own :class:`QThread`: connect to ``.worker``'s signals, then call
    :meth:`start`, so that no signal is emitted before anyone listens.

    The worker and the thread delete themselves (``deleteLater``) once the
    thread has finished; after that only ``handle`` and ``done`` are of use.
    """

    stopped = Signal()  # the thread has finished (GUI thread)

    def __init__(self, handle: RunHandle, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handle = handle
        self.worker = RunWorker(handle)
        self.qthread = QThread()
        self.qthread.setObjectName(f"run-{id(handle):x}")
        self.done = False
        self.worker.moveToThread(self.qthread)
        self.qthread.started.connect(self.worker.run)
        # Direct: quit from the worker thread itself, so a GUI thread blocked in
        # wait() cannot deadlock on a queued quit.
        self.worker.finished.connect(self.qthread.quit, Qt.ConnectionType.DirectConnection)
        # Runs in the worker thread as it ends: the worker dies in its own thread.
        self.qthread.finished.connect(self.worker.deleteLater, Qt.ConnectionType.DirectConnection)
        self.qthread.finished.connect(self._on_thread_finished)  # queued to the GUI thread

    def start(self) -> None:
        _live.add(self)
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL_S))
        # Honoured on Windows and macOS; on Linux the worker renices itself.
        self.qthread.start(QThread.Priority.LowPriority)

    def cancel(self) -> None:
        """Ask the run to stop; its ``finished`` signal will carry Cancelled."""
        self.handle.cancel()

    def is_running(self) -> bool:
        return not self.done and self.qthread.isRunning()

    def stop_and_wait(self, timeout_ms: int = 30_000) -> bool:
        """Cancel, then block until the thread has finished; False on timeout."""
        self.cancel()
        if self.done:
            return True
        self.qthread.quit()  # ends the thread's event loop as soon as run() returns
        if not self.qthread.wait(timeout_ms):
            return False
        self._on_thread_finished()
        return True

    @Slot()
    def _on_thread_finished(self) -> None:
        if self.done:
            return
        self.done = True
        _live.discard(self)
        self.qthread.deleteLater()
        self.stopped.emit()


def _lower_this_threads_priority() -> None:
    """Make the calling thread (and the torch threads it starts) yield to the GUI."""
    if sys.platform.startswith("linux"):
        try:  # on Linux, nice applies to the one thread whose id is given
            current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), current + TRAINING_NICENESS)
        except OSError:
            pass  # not allowed here (a sandbox): train at normal priority


def running_threads() -> list[RunThread]:
    """Runs whose thread has not finished yet (for shutdown and tests)."""
    return [r for r in _live if not r.done]


def stop_all(timeout_ms: int = 30_000) -> bool:
    """Cancel every live run and wait for its thread; False if any timed out."""
    return all([r.stop_and_wait(timeout_ms) for r in list(_live)])
