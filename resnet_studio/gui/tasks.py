"""Short background jobs (importing torch, exporting a model) off the GUI thread.

The window never waits for torch: a job runs on Qt's global thread pool and
reports back through queued signals; errors are always reported, never
swallowed.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from resnet_studio.gui.core_text import shown_reason

_running: set[_Job] = set()  # keeps jobs (and their signal objects) alive until they report


class _Job(QObject, QRunnable):
    done = Signal(object)
    failed = Signal(str, str)  # one-line reason, full traceback

    def __init__(self, work: Callable[[], Any]) -> None:
        QObject.__init__(self)
        QRunnable.__init__(self)
        self.setAutoDelete(False)
        self.work = work

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as err:  # noqa: BLE001 - reported to the window, not lost
            reason = shown_reason(err)
            self.failed.emit(reason, traceback.format_exc())
        else:
            self.done.emit(result)


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[str, str], None],
) -> None:
    """Run ``work()`` on the thread pool; ``on_done``/``on_failed`` run in the GUI thread."""
    job = _Job(work)
    job.done.connect(on_done)
    job.failed.connect(on_failed)
    job.done.connect(lambda _: _running.discard(job))
    job.failed.connect(lambda *_: _running.discard(job))
    _running.add(job)
    QThreadPool.globalInstance().start(job)
