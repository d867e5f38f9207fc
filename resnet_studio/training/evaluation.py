"""Evaluate a trained model on held-out images: errors, confusion matrix, worst mistakes.

One loop over a split of uint8 images, fed to a :class:`Predictor` as [0, 1]
floats exactly as a user's own code would feed the exported file. Everything
the report needs is accumulated on the fly (a K×K confusion count, top-5 hits,
the summed loss, and the few worst-classified images), so evaluating costs
little more than the forward passes (``bench/evaluate.py``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from resnet_studio.arch.messages import Message, text_of
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.metadata import ModelMeta
from resnet_studio.model.predictor import Predictor
from resnet_studio.training.batches import default_workers
from resnet_studio.training.datasets import DatasetError, TensorSplit, load_dataset
from resnet_studio.training.engine import CancelToken, RunCancelled

EVAL_BATCH = 256
WORST_KEPT = 64  # misclassified images kept for the sheet and the window's grid
TOP_K = 5

Progress = Callable[[int, int], None]  # (images done, images in all)


class EvaluationDataError(ValueError):
    """No data to evaluate a model on, or data that does not fit it; one line for the user."""


@dataclass(frozen=True)
class Mistake:
    """One misclassified image: its index in the split, labels and top-5 guesses."""

    index: int
    true: int
    predicted: int
    loss: float
    top: tuple[tuple[int, float], ...]  # (class, probability), most likely first
    image: np.ndarray  # uint8 C×H×W, as read from the data set


@dataclass
class EvaluationReport:
    """The result of one evaluation; counts are exact, rates derived from them."""

    categories: tuple[str, ...]
    split: str
    dataset: str
    confusion: np.ndarray  # int64 K×K: rows are true classes, columns predictions
    loss_sum: float
    top5_correct: int
    mistakes: list[Mistake] = field(default_factory=list)  # worst first

    @property
    def images(self) -> int:
        return int(self.confusion.sum())

    @property
    def correct(self) -> int:
        return int(np.trace(self.confusion))

    @property
    def error(self) -> float:
        return 1 - self.correct / self.images if self.images else math.nan

    @property
    def top1(self) -> float:
        return self.correct / self.images if self.images else math.nan

    @property
    def has_top5(self) -> bool:
        return len(self.categories) > TOP_K

    @property
    def top5(self) -> float | None:
        if not self.has_top5 or not self.images:
            return None
        return self.top5_correct / self.images

    @property
    def loss(self) -> float:
        return self.loss_sum / self.images if self.images else math.nan

    def class_counts(self) -> np.ndarray:
        """Images of each true class."""
        return self.confusion.sum(axis=1)

    def per_class_error(self) -> list[float | None]:
        """Error of each class over its own images; None for a class with none here."""
        counts = self.class_counts()
        right = np.diag(self.confusion)
        return [None if n == 0 else 1 - int(r) / int(n) for r, n in zip(right, counts, strict=True)]

    def to_dict(self) -> dict:
        """Plain JSON values (``evaluate --json``)."""
        return {
            "dataset": self.dataset,
            "split": self.split,
            "images": self.images,
            "error": self.error,
            "top1": self.top1,
            "top5": self.top5,
            "loss": self.loss,
            "classes": [
                {"name": name, "images": int(n), "error": err}
                for name, n, err in zip(
                    self.categories, self.class_counts(), self.per_class_error(), strict=True
                )
            ],
            "confusion": self.confusion.tolist(),
            "worst": [
                {
                    "index": m.index,
                    "true": self.categories[m.true],
                    "predicted": self.categories[m.predicted],
                    "probability": m.top[0][1],
                }
                for m in self.mistakes
            ],
        }


def evaluation_data(
    meta: ModelMeta,
    split: str = "test",
    *,
    run_info: dict | None = None,
    dataset: str | None = None,
    data_root: str | None = None,
    label: str = "the model",
    skip_bad_images: bool = False,
) -> tuple[TensorSplit | Dataset, str]:
    """(images of ``split``, the data set's name) to evaluate a model on.

    The data set is ``dataset``, else the run's (``run_info`` is its run.json),
    else the one the model records; the root likewise. The validation split is
    the run's own hold-out: the same seed picks the same images. Raises
    :class:`EvaluationDataError` when there is no such data or it does not fit.
    """
    run_data = (run_info or {}).get("dataset") or {}
    run_data = run_data if isinstance(run_data, dict) else {}
    name = dataset or run_data.get("name") or meta.dataset
    if not isinstance(name, str) or not name:
        raise EvaluationDataError(
            Message(
                "evaluation.no_dataset",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{label}: the model records no data set (it is untrained); "
                    "name one with --dataset NAME or --folder PATH",
                ),
                label=label,
            )
        )
    root = data_root
    if root is None and run_data.get("name") == name:
        root = run_data.get("root")
    try:
        skip = skip_bad_images or (
            run_data.get("name") == name and run_data.get("skip_bad_images") is True
        )
        bundle = load_dataset(name, root, seed=meta.split_seed or 0, skip_bad_images=skip)
    except DatasetError as err:
        raise EvaluationDataError(text_of(err)) from None
    if bundle.input_shape != meta.input_shape:
        have, want = ("×".join(map(str, s)) for s in (bundle.input_shape, meta.input_shape))
        raise EvaluationDataError(
            Message(
                "evaluation.shape",
                QT_TRANSLATE_NOOP("messages", "{data} has {have} images, but {label} takes {want}"),
                data=bundle.name,
                have=have,
                label=label,
                want=want,
            )
        )
    if bundle.classes != len(meta.categories):
        raise EvaluationDataError(
            Message(
                "evaluation.classes",
                QT_TRANSLATE_NOOP(
                    "messages", "{data} has {classes} classes, but {label} has {label_classes}"
                ),
                data=bundle.name,
                classes=bundle.classes,
                label=label,
                label_classes=len(meta.categories),
            )
        )
    if meta.trained and tuple(bundle.class_names) != tuple(meta.categories):
        raise EvaluationDataError(
            Message(
                "evaluation.class_names",
                QT_TRANSLATE_NOOP(
                    "messages", "{data}'s classes ({names}, …) are not {label}'s ({label_names}, …)"
                ),
                data=bundle.name,
                names=", ".join(bundle.class_names[:4]),
                label=label,
                label_names=", ".join(meta.categories[:4]),
            )
        )
    try:
        return bundle.split(split), bundle.name
    except DatasetError:
        raise EvaluationDataError(
            Message(
                "evaluation.no_split",
                QT_TRANSLATE_NOOP("messages", "{data} has no {split} split here; use --split val"),
                data=bundle.name,
                split=split,
            )
        ) from None


def _batches(
    data: TensorSplit | Dataset, batch_size: int, workers: int | None
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """(uint8 N×C×H×W, int64 N) batches in order."""
    if isinstance(data, TensorSplit):
        for start in range(0, len(data), batch_size):
            yield data.images[start : start + batch_size], data.labels[start : start + batch_size]
        return
    workers = default_workers() if workers is None else workers
    yield from DataLoader(data, batch_size=batch_size, num_workers=workers)


class _Worst:
    """The ``keep`` misclassified images with the highest loss seen so far."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.items: list[Mistake] = []
        self.threshold = -math.inf  # a mistake must beat this once the list is full

    def offer(
        self,
        offset: int,
        images: torch.Tensor,
        labels: torch.Tensor,
        predicted: torch.Tensor,
        losses: torch.Tensor,
        top_p: torch.Tensor,
        top_i: torch.Tensor,
    ) -> None:
        wrong = (predicted != labels) & (losses > self.threshold)
        if not bool(wrong.any()):
            return
        rows = wrong.nonzero().squeeze(1)
        # Only the batch's own worst can enter the list.
        rows = rows[losses[rows].argsort(descending=True)[: self.keep]]
        for row in rows.tolist():
            self.items.append(
                Mistake(
                    index=offset + row,
                    true=int(labels[row]),
                    predicted=int(predicted[row]),
                    loss=float(losses[row]),
                    top=tuple(zip(top_i[row].tolist(), top_p[row].tolist(), strict=True)),
                    image=images[row].numpy().copy(),
                )
            )
        self.items.sort(key=lambda m: m.loss, reverse=True)
        del self.items[self.keep :]
        if len(self.items) == self.keep:
            self.threshold = self.items[-1].loss


def evaluate(
    predictor: Predictor,
    data: TensorSplit | Dataset,
    *,
    dataset: str = "",
    split: str = "test",
    batch_size: int = EVAL_BATCH,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    workers: int | None = None,
    keep_worst: int = WORST_KEPT,
) -> EvaluationReport:
    """Run ``predictor`` over every image of ``data`` once, in order.

    Raises :class:`RunCancelled` when ``cancel`` is set (checked per batch).
    """
    meta = predictor.meta
    classes = len(meta.categories)
    total = len(data)  # type: ignore[arg-type]
    confusion = torch.zeros(classes * classes, dtype=torch.int64)
    loss_sum = 0.0
    top5_correct = 0
    worst = _Worst(keep_worst)
    k = min(TOP_K, classes)
    done = 0
    for images, labels in _batches(data, batch_size, workers):
        if cancel is not None and cancel.cancelled:
            raise RunCancelled
        if tuple(images.shape[1:]) != meta.input_shape:
            raise ValueError(
                f"the data has {tuple(images.shape[1:])} images, the model takes {meta.input_shape}"
            )
        logits = predictor(images.float().div_(255)).float().cpu()
        if logits.shape != (len(labels), classes):
            raise ValueError(
                f"the model gives {tuple(logits.shape[1:])} outputs, expected {classes} classes"
            )
        if labels.numel() and int(labels.max()) >= classes:
            raise ValueError(f"the data has class {int(labels.max())}, the model {classes}")
        log_p = F.log_softmax(logits, dim=1)
        losses = -log_p.gather(1, labels.view(-1, 1)).squeeze(1)
        top_logp, top_i = log_p.topk(k, dim=1)
        predicted = top_i[:, 0]
        confusion += torch.bincount(labels * classes + predicted, minlength=classes * classes)
        loss_sum += float(losses.double().sum())
        top5_correct += int((top_i == labels.view(-1, 1)).any(dim=1).sum())
        worst.offer(done, images, labels, predicted, losses, top_logp.exp(), top_i)
        done += len(labels)
        if progress is not None:
            progress(done, total)
    return EvaluationReport(
        categories=meta.categories,
        split=split,
        dataset=dataset,
        confusion=confusion.view(classes, classes).numpy(),
        loss_sum=loss_sum,
        top5_correct=top5_correct,
        mistakes=worst.items,
    )


def evaluate_run(
    path: str | os.PathLike[str],
    split: str = "test",
    *,
    device: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> tuple[EvaluationReport, Predictor]:
    """Evaluate a run folder's trained model on its own data set's ``split``.

    Returns the report and the predictor (kept by the window for predictions
    on the user's own images).
    """
    from resnet_studio.model.predictor import module_predictor
    from resnet_studio.training.run_weights import run_weights
    from resnet_studio.training.runs import read_run

    record = read_run(path)
    weights = run_weights(path)
    predictor = module_predictor(weights.network, weights.model, weights.meta, device)
    data, name = evaluation_data(weights.meta, split, run_info=record.info, label=record.name)
    report = evaluate(predictor, data, dataset=name, split=split, progress=progress, cancel=cancel)
    return report, predictor
