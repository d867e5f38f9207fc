"""The training loop: plain Python + torch, events through callbacks, cancel by token.

Shaped like torchvision's reference ``train.py`` (``train_one_epoch``,
``evaluate``), plus what it lacks: a cancel check per batch, events for
listeners (the run folder, a progress bar, the window), divergence and
failure reports, and resumable checkpoints that include the position inside
an epoch. Metrics accumulate on the device and are read every
``Recipe.log_every`` steps, so the GPU is not synced each step.
"""

from __future__ import annotations

import math
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.distributed as dist
from torch import nn

from resnet_studio.arch.messages import Message, text_of
from resnet_studio.arch.spec import Network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.build import build_model
from resnet_studio.model.weights import WeightsFit, load_weights
from resnet_studio.training.batches import make_batches
from resnet_studio.training.datasets import DataBundle
from resnet_studio.training.events import (
    Cancelled,
    Diverged,
    EpochEnd,
    Event,
    Failed,
    Finished,
    LayerStat,
    RunStarted,
    StepMetrics,
    failure_reason,
)
from resnet_studio.training.orchestration import InitialWeights
from resnet_studio.training.recipe import (
    Recipe,
    default_threads,
    make_optimizer,
    make_scheduler,
    pick_device,
)
from resnet_studio.training.responses import DEFAULT_BATCHES, ResponseMoments, response_layers

Listener = Callable[[Event], None]
# Told (phase, batches done, batches in all) after every batch: phase "train" (counting
# iterations of the whole run), "val" or "test" (batches of that pass). For progress
# bars: plain ints, no device sync, unlike the events.
BatchHook = Callable[[str, int, int], None]


class CancelToken:
    """Set from any thread; the loop checks it once per batch."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class RunCancelled(Exception):
    """Raised inside the loop when the token is set; unwinds to a clean stop."""


class _Diverged(Exception):
    def __init__(self, event: Diverged) -> None:
        self.event = event


@dataclass
class Progress:
    """Where training stands; saved in checkpoints so a resume continues exactly."""

    epoch: int = 0  # completed epochs
    batch: int = 0  # batches done in the current epoch
    iteration: int = 0
    best_val_error: float = math.inf
    elapsed: float = 0.0
    # Sums over the current epoch's training batches so far.
    loss_sum: float = 0.0
    wrong: float = 0.0
    seen: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class TrainResult:
    """How a run ended and the trained module."""

    status: str  # finished, stopped, diverged or failed (events.FINAL_STATUS)
    model: nn.Module | None
    last_event: Event
    history: list[EpochEnd] = field(default_factory=list)


def _world() -> tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _all_reduce(values: list[float], device: torch.device) -> list[float]:
    """Sum ``values`` over all processes (a no-op when not distributed)."""
    if _world()[1] == 1:
        return values
    t = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return t.tolist()


class Trainer:
    """One training run. Call :meth:`run` (in any thread); it never raises."""

    def __init__(
        self,
        network: Network,
        data: DataBundle,
        recipe: Recipe,
        *,
        listeners: Iterable[Listener] = (),
        cancel: CancelToken | None = None,
        save_checkpoint: Callable[[dict[str, Any]], None] | None = None,
        resume_from: dict[str, Any] | None = None,
        initial_weights: InitialWeights | None = None,
    ) -> None:
        self.network = network
        self.data = data
        self.recipe = recipe
        self.listeners = list(listeners)
        self.cancel = cancel or CancelToken()
        self.save_checkpoint = save_checkpoint
        self.resume_from = resume_from
        self.initial_weights = initial_weights
        # How the initial weights fit: what of them was adapted (a new classifier …).
        self.weights_fit: WeightsFit | None = None
        self.on_finished: Callable[[nn.Module], None] | None = None  # e.g. write model.pt
        self.on_batch: BatchHook | None = None
        self.progress = Progress()
        self.history: list[EpochEnd] = []
        self.model: nn.Module | None = None

    def emit(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)

    # --- set-up -----------------------------------------------------------------

    def _setup(self) -> None:
        """Build everything training needs; raises what stops it from starting.

        Done once: RunHandle.prepare calls it before a run folder is touched, so a
        run that cannot start (a checkpoint that does not fit) changes nothing.
        """
        if getattr(self, "_set_up", False):
            return
        r = self.recipe
        torch.set_num_threads(r.threads or default_threads())
        self.device = pick_device(r.device)
        self.rank, self.world_size = _world()
        cuda = self.device.type == "cuda"
        self.channels_last = r.channels_last and cuda
        model = build_model(self.network, r.zero_init_residual, seed=r.seed)
        if self.initial_weights is not None and not self.resume_from:
            # Fine-tuning: once, here, before the loop (a resume has them in its checkpoint).
            # WeightsMismatchError names the keys that do not fit.
            self.weights_fit = load_weights(
                model, self.initial_weights.state, self.initial_weights.source
            )
        self.model = model.to(self.device)
        if self.channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.net = self.model
        if self.world_size > 1:
            self.net = nn.parallel.DistributedDataParallel(
                self.model, device_ids=[self.device.index] if cuda else None
            )
        batches = dict(
            device=self.device,
            seed=r.seed,
            rank=self.rank,
            world_size=self.world_size,
            channels_last=self.channels_last,
        )
        self.train_batches = make_batches(self.data, "train", r.batch_size, train=True, **batches)
        self.val_batches = make_batches(self.data, "val", r.batch_size, train=False, **batches)
        self.test_batches = (
            make_batches(self.data, "test", r.batch_size, train=False, **batches)
            if self.data.test is not None
            else None
        )
        self.steps_per_epoch = len(self.train_batches)
        if self.steps_per_epoch == 0:
            raise ValueError(
                Message(
                    "start.no_batches",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "no training batches: {images} images for batch size {batch}; "
                        "use a smaller batch or more data",
                    ),
                    images=self.train_batches.num_images,
                    batch=r.batch_size,
                )
            )
        self.total_iterations = r.iterations or r.epochs * self.steps_per_epoch
        self.total_epochs = math.ceil(self.total_iterations / self.steps_per_epoch)
        self.optimizer = make_optimizer(r, self.model)
        self.scheduler = make_scheduler(r, self.optimizer, self.total_iterations)
        # bfloat16 needs no loss scaling; float16 (older GPUs) does.
        self.amp_dtype = None
        if r.amp and cuda:
            self.amp_dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp_dtype == torch.float16)
        self.criterion = nn.CrossEntropyLoss(label_smoothing=r.label_smoothing)
        if self.resume_from:
            self._restore(self.resume_from)
        self._set_up = True

    def checkpoint(self) -> dict[str, Any]:
        """Everything needed to continue exactly where training stands."""
        state = {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "scaler": self.scaler.state_dict(),
            "progress": self.progress.to_dict(),
            "rng_cpu": torch.get_rng_state(),
        }
        if self.device.type == "cuda":
            state["rng_cuda"] = torch.cuda.get_rng_state(self.device)
        return state

    def _restore(self, state: dict[str, Any]) -> None:
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.scaler.load_state_dict(state["scaler"])
        self.progress = Progress(**state["progress"])
        torch.set_rng_state(state["rng_cpu"])
        if "rng_cuda" in state and self.device.type == "cuda":
            torch.cuda.set_rng_state(state["rng_cuda"], self.device)

    def _save(self) -> None:
        if self.save_checkpoint and self.rank == 0:
            self.save_checkpoint(self.checkpoint())

    # --- the loop -----------------------------------------------------------------

    def run(self) -> TrainResult:
        """Train to the end, or until cancelled, diverged or failed; report by events."""
        try:
            self._setup()
            # Again on this thread: set-up may have run on another (OpenMP's count is per thread).
            torch.set_num_threads(self.recipe.threads or default_threads())
            self.emit(
                RunStarted(
                    device=str(self.device),
                    params=sum(p.numel() for p in self.model.parameters()),
                    epochs=self.total_epochs,
                    iterations=self.total_iterations,
                    steps_per_epoch=self.steps_per_epoch,
                    train_images=self.train_batches.num_images * self.world_size,
                    val_images=self.val_batches.num_images * self.world_size,
                    start_epoch=self.progress.epoch,
                    start_iteration=self.progress.iteration,
                )
            )
            if self.progress.iteration == 0 and self.progress.batch == 0:
                # A checkpoint of the starting point: a run killed in its first epoch
                # can then resume, exactly, instead of having nothing to resume from.
                self._save()
            while self.progress.iteration < self.total_iterations:
                self.history.append(self.train_one_epoch())
            # The test split is seen once, by the final model: it never picks anything.
            test_loss = test_error = None
            if self.test_batches is not None:
                test_loss, test_error, _ = self.evaluate(self.test_batches)
            p = self.progress
            final = self.history[-1].val_error if self.history else math.nan
            event: Event = Finished(
                p.epoch,
                p.iteration,
                final,
                p.best_val_error,
                round(p.elapsed, 3),
                test_loss=test_loss,
                test_error=test_error,
                test_images=self.test_batches.num_images * self.world_size
                if self.test_batches is not None
                else 0,
            )
            if self.on_finished is not None and self.rank == 0:
                # The final model is saved before the run is recorded as finished, so
                # a "finished" run always has its model.
                self.on_finished(self.model)
            status = "finished"
        except RunCancelled:
            self._save()
            p = self.progress
            event = Cancelled(p.epoch + p.batch / max(self.steps_per_epoch, 1), p.iteration)
            status = "stopped"
        except _Diverged as d:
            event, status = d.event, "diverged"
        except torch.cuda.OutOfMemoryError:
            out_of_memory = Message(
                "engine.out_of_memory",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "the GPU ran out of memory at batch size {batch_size}; "
                    "try a smaller batch size",
                ),
                batch_size=self.recipe.batch_size,
            )
            event = Failed(out_of_memory, traceback.format_exc())
            status = "failed"
        except Exception as err:  # noqa: BLE001 - every failure becomes a Failed event
            event = Failed(failure_reason(err), traceback.format_exc())
            status = "failed"
        try:
            self.emit(event)
        except Exception as err:  # noqa: BLE001 - a failing listener must not hide the result
            report_failed = Message(
                "engine.report_failed",
                QT_TRANSLATE_NOOP("messages", "reporting the end of the run failed: {error}"),
                error=text_of(err),
            )
            event = Failed(report_failed, traceback.format_exc())
            status = "failed"
        return TrainResult(status, self.model, event, self.history)

    def train_one_epoch(self) -> EpochEnd:
        """Train until the end of the current epoch (or the last iteration)."""
        p, r = self.progress, self.recipe
        self.net.train()
        started = time.perf_counter()
        window_start, window_images = started, 0
        epoch_images = 0
        dev = self.device
        loss_sum = torch.zeros((), device=dev, dtype=torch.float64)
        wrong = torch.zeros((), device=dev, dtype=torch.int64)
        window_loss = torch.zeros((), device=dev, dtype=torch.float64)
        window_wrong = torch.zeros((), device=dev, dtype=torch.int64)
        for images, labels in self.train_batches.epoch(p.epoch, start_batch=p.batch):
            if self.cancel.cancelled:
                self._fold(loss_sum, wrong)
                p.elapsed += time.perf_counter() - started
                raise RunCancelled
            n = labels.shape[0]
            with torch.autocast(dev.type, self.amp_dtype, enabled=self.amp_dtype is not None):
                logits = self.net(images)
                loss = self.criterion(logits, labels)
            self.optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
            self.scheduler.step()
            batch_loss = loss.detach().double() * n
            batch_wrong = (logits.detach().argmax(1) != labels).sum()
            loss_sum += batch_loss
            wrong += batch_wrong
            window_loss += batch_loss
            window_wrong += batch_wrong
            p.batch += 1
            p.iteration += 1
            p.seen += n
            epoch_images += n
            window_images += n
            if self.on_batch is not None:
                self.on_batch("train", p.iteration, self.total_iterations)
            if p.iteration % r.log_every == 0:
                now = time.perf_counter()
                mean_loss = window_loss.item() / window_images
                if not math.isfinite(mean_loss):
                    raise _Diverged(Diverged(p.iteration, self._lr(), mean_loss))
                self.emit(
                    StepMetrics(
                        epoch=p.epoch + p.batch / self.steps_per_epoch,
                        iteration=p.iteration,
                        loss=mean_loss,
                        error=window_wrong.item() / window_images,
                        lr=self._lr(),
                        images_per_s=window_images * self.world_size / (now - window_start),
                    )
                )
                window_loss.zero_()
                window_wrong.zero_()
                window_start, window_images = now, 0
            if p.iteration >= self.total_iterations:
                break
        train_seconds = time.perf_counter() - started
        self._fold(loss_sum, wrong)
        train_loss, train_wrong, seen = _all_reduce([p.loss_sum, p.wrong, p.seen], dev)
        if not math.isfinite(train_loss):
            raise _Diverged(Diverged(p.iteration, self._lr(), train_loss))
        grad_norms = self._grad_norms() if r.layer_stats else {}
        val_loss, val_error, responses = self.evaluate()
        p.elapsed += time.perf_counter() - started
        event = EpochEnd(
            epoch=p.epoch + 1,
            iteration=p.iteration,
            train_loss=train_loss / seen,
            train_error=train_wrong / seen,
            val_loss=val_loss,
            val_error=val_error,
            lr=self._lr(),
            seconds=round(time.perf_counter() - started, 3),
            images_per_s=epoch_images * self.world_size / max(train_seconds, 1e-9),
            layer_stats=tuple(
                LayerStat(path, grad_norms.get(path), responses.get(path))
                for path in dict.fromkeys([*grad_norms, *responses])
            ),
        )
        p.epoch += 1
        p.batch = 0
        p.loss_sum = p.wrong = p.seen = 0.0
        p.best_val_error = min(p.best_val_error, val_error)
        # The epoch's line first, then its checkpoint: a process killed in between
        # resumes from the previous epoch and repeats this one (the reader drops the
        # repeated line), where the other order would lose the line for good.
        self.emit(event)
        self._save()
        return event

    def _fold(self, loss_sum: torch.Tensor, wrong: torch.Tensor) -> None:
        """Move the device-side epoch sums into :class:`Progress` (one sync)."""
        self.progress.loss_sum += loss_sum.item()
        self.progress.wrong += wrong.item()

    def _lr(self) -> float:
        return self.optimizer.param_groups[0]["lr"]

    def _grad_norms(self) -> dict[str, float]:
        """Gradient norm of each conv/linear weight, from the epoch's last batch."""
        norms = {}
        for name, module in self.model.named_modules():
            if isinstance(module, nn.Conv2d | nn.Linear) and module.weight.grad is not None:
                norms[name] = module.weight.grad.norm().item()
        return norms

    @torch.no_grad()
    def evaluate(self, batches: Any = None) -> tuple[float, float, dict[str, float]]:
        """Loss and error on ``batches`` (default: validation); on validation with layer
        stats, also the response std of each 3×3 layer over the first
        :data:`~resnet_studio.training.responses.DEFAULT_BATCHES` batches (eval mode,
        pooled as :mod:`~resnet_studio.training.responses` says): watching batches that
        validation runs anyway costs only the hooks' sums."""
        if batches is None:
            batches = self.val_batches
        phase, total_batches = ("val" if batches is self.val_batches else "test"), len(batches)
        self.net.eval()
        loss_sum = torch.zeros((), device=self.device, dtype=torch.float64)
        wrong = torch.zeros((), device=self.device, dtype=torch.int64)
        seen = 0
        watch = self.recipe.layer_stats and batches is self.val_batches
        moments = ResponseMoments(response_layers(self.model) if watch else [])
        with moments:
            for count, (images, labels) in enumerate(batches.epoch(0), start=1):
                if self.cancel.cancelled:
                    raise RunCancelled
                with torch.autocast(
                    self.device.type, self.amp_dtype, enabled=self.amp_dtype is not None
                ):
                    logits = self.net(images)
                loss_sum += nn.functional.cross_entropy(
                    logits.float(), labels, reduction="sum"
                ).double()
                wrong += (logits.argmax(1) != labels).sum()
                seen += labels.shape[0]
                if count == DEFAULT_BATCHES:
                    moments.stop()
                if self.on_batch is not None:
                    self.on_batch(phase, count, total_batches)
        responses = moments.stds()
        total_loss, total_wrong, total = _all_reduce(
            [loss_sum.item(), float(wrong.item()), float(seen)], self.device
        )
        self.net.train()
        if total == 0:
            return math.nan, math.nan, responses
        return total_loss / total, total_wrong / total, responses
