"""Background work of the Evaluation tab: evaluating a run, classifying a dropped image.

Each job runs on Qt's thread pool with torch limited to the cores the window
can spare, and reports through queued signals: progress while it evaluates,
then the result or a one-line reason. Cancelling sets a flag the evaluation
loop checks once per batch; a cancelled job reports nothing.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

from resnet_studio.arch.messages import Message, message_of
from resnet_studio.gui.core_text import shown_reason

_running: set[_Job] = set()  # keeps jobs (and their signal objects) alive until they end


# A plain name that pyside6-lupdate extracts from: translate("Context", "text").
translate = QCoreApplication.translate


class CancelFlag:
    """What the evaluation loop polls (``cancelled``); set from the GUI thread."""

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class _Job(QObject, QRunnable):
    progress = Signal(int, int)  # images done, images in all
    done = Signal(object)
    failed = Signal(str)  # one line
    ended = Signal()  # always, last: the job may be let go

    def __init__(self, work: Callable[[_Job], Any]) -> None:
        QObject.__init__(self)
        QRunnable.__init__(self)
        self.setAutoDelete(False)
        self.work = work
        self.flag = CancelFlag()

    def run(self) -> None:
        try:
            import torch

            from resnet_studio.training.recipe import default_threads

            torch.set_num_threads(default_threads())  # per thread: the GUI keeps a core
            result = self.work(self)
        except Exception as err:  # noqa: BLE001 - reported to the window, never lost
            if not self.flag.cancelled:
                reason = shown_reason(err)
                if not isinstance(err, ValueError):  # a bug, not the user's data: say where
                    reason += " (" + traceback.format_exc().strip().splitlines()[-1] + ")"
                self.failed.emit(reason)
        else:
            if not self.flag.cancelled:
                self.done.emit(result)
        finally:
            self.ended.emit()


def start(
    work: Callable[[_Job], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[str], None],
    on_progress: Callable[[int, int], None] | None = None,
    owner: QObject | None = None,
) -> CancelFlag:
    """Run ``work(job)`` in the background; the callbacks run in the GUI thread.

    With an ``owner``, the job is cancelled when it is destroyed and no callback
    runs after that (a closed window's panel is never called back).
    """
    job = _Job(work)

    def alive(callback: Callable[..., None]) -> Callable[..., None]:
        return lambda *args: callback(*args) if owner is None or isValid(owner) else None

    job.done.connect(alive(on_done))
    job.failed.connect(alive(on_failed))
    if on_progress is not None:
        job.progress.connect(alive(on_progress))
    if owner is not None:
        flag = job.flag
        owner.destroyed.connect(lambda *_: flag.cancel())
    job.ended.connect(lambda: _running.discard(job))  # in the GUI thread, after the others
    _running.add(job)
    QThreadPool.globalInstance().start(job)
    return job.flag


def cancel_all() -> None:
    """Ask every running job to stop (the program is quitting): evaluations end at their
    next batch instead of keeping the process alive."""
    for job in list(_running):
        job.flag.cancel()


def evaluate_run_job(path: Path, split: str) -> Callable[[_Job], Any]:
    """Work that evaluates the run folder at ``path``: (report, predictor)."""

    def work(job: _Job) -> Any:
        from resnet_studio.training.evaluation import evaluate_run

        return evaluate_run(
            path,
            split,
            progress=lambda done, total: job.progress.emit(done, total),
            cancel=job.flag,
        )

    return work


def predictor_job(path: Path) -> Callable[[_Job], Any]:
    """Work that loads a run's trained model for predictions."""

    def work(_job: _Job) -> Any:
        from resnet_studio.model.predictor import module_predictor
        from resnet_studio.training.run_weights import run_weights

        weights = run_weights(path)
        return module_predictor(weights.network, weights.model, weights.meta)

    return work


def classify_job(predictor: Any, image: Path, top: int = 5) -> Callable[[_Job], Any]:
    """Work that classifies one image file: [(class name, probability)], most likely first."""

    def work(_job: _Job) -> Any:
        from resnet_studio.training.datasets import read_image

        meta = predictor.meta
        try:
            pixels = read_image(image, meta.channels, meta.size)
        except Exception as err:  # noqa: BLE001 - PIL raises many kinds for a bad file
            # PIL's reason, without the file's path and the training hint the data set's
            # message adds: the image was dropped here, not found in a data set.
            message = message_of(err)
            reason = message.fields.get("reason", message) if isinstance(message, Message) else err
            text = translate("EvaluationPanel", "{0}: not a readable image ({1})")
            raise ValueError(text.format(image.name, reason)) from None
        logits = predictor(pixels.unsqueeze(0).float().div_(255)).float().cpu()
        probabilities = logits.softmax(dim=1)[0]
        values, indices = probabilities.topk(min(top, len(meta.categories)))
        return [
            (meta.categories[i], p) for i, p in zip(indices.tolist(), values.tolist(), strict=True)
        ]

    return work


def write_report_job(report: Any, folder: Path) -> Callable[[_Job], Any]:
    """Work that writes a report's files into ``folder``; returns their paths."""

    def work(_job: _Job) -> Any:
        from resnet_studio.training.report_files import write_report

        return write_report(report, folder)

    return work
