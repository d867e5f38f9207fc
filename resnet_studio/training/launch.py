"""Run handles: a run set up, trained, cancelled, its folder written as it goes.

What comes before (data, fitting the network to it, new and resumed runs) is in
:mod:`training.orchestration`, shared by the CLI and the window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from resnet_studio.arch.messages import Message, message_of
from resnet_studio.arch.spec import Network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.weights import WeightsFit
from resnet_studio.training.datasets import DataBundle
from resnet_studio.training.engine import BatchHook, CancelToken, Listener, Trainer, TrainResult
from resnet_studio.training.orchestration import CannotStartError, InitialWeights
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.responses import record_responses
from resnet_studio.training.runs import CHECKPOINT_FILE, RunFolder


def data_record(data: DataBundle, subset: int | None) -> dict:
    """What run.json says about the data set."""
    return {
        "name": data.name,
        "root": str(data.root) if data.root else None,
        "input_shape": list(data.input_shape),
        "classes": data.classes,
        "class_names": list(data.class_names),
        # What training normalised with, so the run's model can be exported and
        # evaluated correctly (model files record it too).
        "mean": list(data.mean),
        "std": list(data.std),
        "train_images": len(data.train),
        "val_images": len(data.val),
        "test_images": len(data.test) if data.test is not None else 0,
        "subset": subset,
        "val_subset": data.val_subset,  # validation on a seeded sample of this many
        # A resume or an evaluation of the run leaves out the same unreadable images.
        "skip_bad_images": data.skips_bad_images,
    }


def _reason(err: Exception) -> str:
    """``err`` in one short line, e.g. ``size mismatch for fc.weight: …``."""
    if isinstance(err, KeyError):
        return f"it has no {err.args[0]!r}" if err.args else "a key is missing"
    if isinstance(message_of(err), Message):  # one of ours, e.g. "no training batches…"
        return message_of(err)
    text = " ".join(str(err).split()) or type(err).__name__
    # load_state_dict lists every mismatch; the first says enough.
    if text.startswith("Error(s) in loading state_dict for "):
        text = text.partition(": ")[2] or text
    return text if len(text) <= 300 else text[:299] + "…"


@dataclass
class RunHandle:
    """A prepared run: call :meth:`run` in a worker thread, :meth:`cancel` from anywhere."""

    network: Network
    data: DataBundle
    recipe: Recipe
    folder: RunFolder | None
    resume: bool = False
    # Where to read the checkpoint when resuming, if not ``folder``: under DDP
    # every rank resumes from rank 0's folder, but only rank 0 writes it.
    resume_source: RunFolder | None = None
    # A new run's starting weights (fine-tuning); None: a fresh initialisation. A resume
    # ignores them: it continues from its checkpoint.
    initial_weights: InitialWeights | None = None

    def __post_init__(self) -> None:
        self.token = CancelToken()
        self._trainer: Trainer | None = None

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def weights_fit(self) -> WeightsFit | None:
        """How the initial weights of a prepared fine-tuned run fit its network (what was
        adapted); None for a run from scratch or not prepared yet."""
        return self._trainer.weights_fit if self._trainer is not None else None

    def prepare(self) -> None:
        """Set the run up now (model, batches, the checkpoint it resumes from), so that a
        run that cannot start says so before anything is written.

        :class:`CannotStartError` (or the run folder's :class:`RunFolderError` for a
        checkpoint that cannot be read) says why; :meth:`run` then starts from here.
        """
        if self._trainer is not None:
            return
        source = self.resume_source or self.folder
        checkpoint = source.read_checkpoint() if source and self.resume else None
        trainer = Trainer(
            self.network,
            self.data,
            self.recipe,
            cancel=self.token,
            resume_from=checkpoint,
            initial_weights=self.initial_weights,
        )
        try:
            trainer._setup()  # the engine's own set-up: what Trainer.run would do first
        except Exception as err:  # noqa: BLE001 - any of them means "cannot start"
            if self.resume and source is not None:
                where = source.path / CHECKPOINT_FILE
                raise CannotStartError(
                    Message(
                        "start.cannot_resume",
                        QT_TRANSLATE_NOOP(
                            "messages", "{checkpoint}: cannot resume from it ({reason})"
                        ),
                        checkpoint=str(where),
                        reason=_reason(err),
                    )
                ) from err
            raise CannotStartError(
                Message(
                    "start.cannot_start",
                    QT_TRANSLATE_NOOP("messages", "cannot start training: {reason}"),
                    reason=_reason(err),
                )
            ) from err
        self._trainer = trainer

    def run(
        self, listeners: Iterable[Listener] = (), on_batch: BatchHook | None = None
    ) -> TrainResult:
        """Train; the run folder records every event before other listeners hear it.
        ``on_batch`` hears of every batch (a progress bar).

        A resume is prepared first, so one that cannot start raises
        :class:`CannotStartError` and leaves the run's folder as it was. However the
        run ends, this process's lock on its folder is released.
        """
        try:
            return self._run(listeners, on_batch)
        finally:
            if self.folder is not None and self.folder.lock is not None:
                self.folder.lock.release()

    def _run(self, listeners: Iterable[Listener], on_batch: BatchHook | None) -> TrainResult:
        if self.resume:
            self.prepare()
        folder = self.folder
        source = self.resume_source or folder
        trainer = self._trainer or Trainer(
            self.network,
            self.data,
            self.recipe,
            cancel=self.token,
            resume_from=source.read_checkpoint() if source and self.resume else None,
            initial_weights=self.initial_weights,
        )
        # Given now, not when prepared: a new run's folder is made after preparing it.
        trainer.listeners = [*([folder.on_event] if folder else []), *listeners]
        trainer.save_checkpoint = folder.write_checkpoint if folder else None
        trainer.on_batch = on_batch
        if folder:
            meta = self.data.model_meta()

            def finish(model) -> None:
                folder.save_model(self.network, model, meta)
                # Fig. 7 of the final model, so experiments draw it without a model.
                record_responses(folder, model, trainer.val_batches, self.recipe.batch_size)

            trainer.on_finished = finish
        return trainer.run()


def create_run_folder(
    folder_path: Path,
    handle: RunHandle,
    *,
    name: str,
    subset: int | None = None,
    device: str = "",
) -> RunFolder:
    """Make ``handle``'s run folder at ``folder_path`` (new, or an empty folder) and give
    it to the handle; :class:`RunFolderError` if the folder is taken or not empty."""
    handle.folder = RunFolder.create(
        folder_path,
        name=name,
        network=handle.network,
        recipe=handle.recipe,
        dataset=data_record(handle.data, subset),
        device=device or handle.recipe.device,
        initial_weights=handle.initial_weights.source if handle.initial_weights else None,
        weights_fit=handle.weights_fit,
    )
    return handle.folder


def new_run(
    network: Network,
    data: DataBundle,
    recipe: Recipe,
    folder_path: Path | None,
    *,
    name: str,
    subset: int | None = None,
    device: str = "",
) -> RunHandle:
    """A run that starts from scratch (``folder_path`` None: nothing written)."""
    handle = RunHandle(network, data, recipe, None)
    if folder_path is not None:
        create_run_folder(folder_path, handle, name=name, subset=subset, device=device)
    return handle
