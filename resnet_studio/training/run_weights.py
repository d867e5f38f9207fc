"""A run folder's trained network: its weights, and how its input must be prepared.

Export and evaluation of a run go through here, from the command line and the
window alike. The weights are the finished ``model.pt``, else the last
``checkpoint.pt`` of a stopped run. The input normalisation comes from the
model file or ``run.json``; a run written before either recorded it gets its
statistics recomputed from its data set (they are a pure function of the data
and the run's seed), or is refused: never exported without normalisation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from torch import nn

from resnet_studio.arch.messages import Message, located, text_of
from resnet_studio.arch.spec import Network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.model.build import build_model
from resnet_studio.model.files import ModelFileError
from resnet_studio.model.load import load_checkpoint
from resnet_studio.model.metadata import (
    META_FORMAT,
    META_VERSION,
    MetaError,
    ModelMeta,
    meta_from_dict,
)
from resnet_studio.training.dataset_info import FOLDER_PREFIX
from resnet_studio.training.runs import (
    CHECKPOINT_FILE,
    MODEL_FILE,
    RUN_FILE,
    RunFolder,
    RunFolderError,
    RunRecord,
    read_run,
)


@dataclass
class RunWeights:
    """A run's network with trained weights (eval mode) and their metadata."""

    network: Network
    model: nn.Module
    meta: ModelMeta
    source: str  # for messages: "the finished model" or "the last checkpoint (epoch 3)"


def is_run_folder(path: str | os.PathLike[str]) -> bool:
    return (Path(path) / RUN_FILE).is_file()


def _meta_from_record(record: RunRecord, network: Network) -> ModelMeta | None:
    """The metadata run.json holds (None when the run predates it)."""
    data = record.info.get("dataset") or {}
    if not isinstance(data, dict) or data.get("mean") is None or data.get("std") is None:
        return None
    names = data.get("class_names") or [str(i) for i in range(network.classes)]
    seed = record.info.get("seed")
    try:
        return meta_from_dict(
            {
                "format": META_FORMAT,
                "version": META_VERSION,
                "input_shape": list(network.input_shape),
                "categories": names,
                "mean": data.get("mean"),
                "std": data.get("std"),
                "dataset": data.get("name"),
                "trained": True,
                "split_seed": seed if type(seed) is int else None,
            },
            network.classes,
        )
    except MetaError as err:
        raise RunFolderError(located(str(record.path / RUN_FILE), text_of(err))) from None


def recompute_meta(record: RunRecord, network: Network, data_root: str | None) -> ModelMeta:
    """The run's statistics, recomputed from its data set (a run from before they were kept)."""
    from resnet_studio.training.datasets import DatasetError, load_dataset

    data = record.info.get("dataset") or {}
    name = data.get("name") if isinstance(data, dict) else None
    seed = record.info.get("seed", 0)
    if not isinstance(name, str):
        raise RunFolderError(
            Message(
                "run_weights.no_dataset",
                QT_TRANSLATE_NOOP("messages", "{path}: run.json names no data set"),
                path=str(record.path),
            )
        )
    if data_root and name.startswith(FOLDER_PREFIX):
        # An image folder's name is its path, so a root given for it is where the
        # folder is now (the message below asks for --data-root when it moved).
        name = f"{FOLDER_PREFIX}{data_root}"
    try:
        bundle = load_dataset(
            name,
            data_root or data.get("root"),
            seed=seed if type(seed) is int else 0,
            skip_bad_images=data.get("skip_bad_images") is True,
        )
    except DatasetError as err:
        raise RunFolderError(
            Message(
                "run_weights.data_unavailable",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: the run does not record the input normalisation it trained with, "
                    "and it cannot be recomputed because its data cannot be loaded ({reason}); "
                    "make the data available (--data-root) and try again",
                ),
                path=str(record.path),
                reason=text_of(err),
            )
        ) from None
    if bundle.input_shape != network.input_shape or bundle.classes != network.classes:
        raise RunFolderError(
            Message(
                "run_weights.data_does_not_fit",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: the run does not record its input normalisation, and {data} no "
                    "longer fits its network",
                ),
                path=str(record.path),
                data=bundle.name,
            )
        )
    return bundle.model_meta()


def run_meta(path: str | os.PathLike[str], data_root: str | None = None) -> ModelMeta:
    """The input contract of a run's model, from run.json or recomputed."""
    record = read_run(path)
    network = record.network
    return _meta_from_record(record, network) or recompute_meta(record, network, data_root)


def _checkpoint_weights(record: RunRecord) -> tuple[Network, nn.Module, str]:
    folder = RunFolder(record.path)
    state: dict[str, Any] = folder.read_checkpoint()
    network = record.network
    model = build_model(network)
    try:
        model.load_state_dict(state["model"])
    except (KeyError, TypeError, RuntimeError) as err:
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise RunFolderError(
            Message(
                "run_weights.do_not_fit",
                QT_TRANSLATE_NOOP(
                    "messages", "{path}: weights do not fit the run's network ({reason})"
                ),
                path=str(record.path / CHECKPOINT_FILE),
                reason=message,
            )
        ) from None
    progress = state.get("progress") if isinstance(state.get("progress"), dict) else {}
    return network, model.eval(), _last_checkpoint(progress, record)


def _last_checkpoint(progress: dict[str, Any], record: RunRecord) -> Message:
    """``the last checkpoint (epoch 2)``, or ``(epoch 1.41)`` for a run stopped within an
    epoch: where the weights come from, for messages."""
    epoch, batch = progress.get("epoch"), progress.get("batch")
    if type(epoch) is not int:
        return Message(
            "run_weights.last_checkpoint",
            QT_TRANSLATE_NOOP("messages", "the last checkpoint"),
        )
    # Stopped mid-epoch: the weights are past the last whole epoch, as far as
    # `train` said when it stopped ("stopped at epoch 1.41").
    steps = record.started.steps_per_epoch if record.started is not None else 0
    if type(batch) is not int or batch <= 0 or steps > 0:
        return Message(
            "run_weights.last_checkpoint_at",
            QT_TRANSLATE_NOOP("messages", "the last checkpoint (epoch {epoch})"),
            epoch=epoch if type(batch) is not int or batch <= 0 else f"{epoch + batch / steps:.2f}",
        )
    return Message(
        "run_weights.last_checkpoint_batch",
        QT_TRANSLATE_NOOP("messages", "the last checkpoint (epoch {epoch}, batch {batch})"),
        epoch=epoch,
        batch=batch,
    )


def run_weights(path: str | os.PathLike[str], data_root: str | None = None) -> RunWeights:
    """The trained network of the run folder at ``path``; :class:`RunFolderError` if none."""
    record = read_run(path)
    model_file = record.path / MODEL_FILE
    if model_file.is_file():
        try:
            network, model, meta = load_checkpoint(model_file)
        except ModelFileError as err:
            raise RunFolderError(text_of(err)) from None
        source = Message(
            "run_weights.finished_model", QT_TRANSLATE_NOOP("messages", "the finished model")
        )
    elif (record.path / CHECKPOINT_FILE).is_file():
        network, model, source = _checkpoint_weights(record)
        meta = None
    else:
        raise RunFolderError(
            Message(
                "run_weights.none_yet",
                QT_TRANSLATE_NOOP(
                    "messages", "{path}: no trained weights yet (neither {model} nor {checkpoint})"
                ),
                path=str(record.path),
                model=MODEL_FILE,
                checkpoint=CHECKPOINT_FILE,
            )
        )
    if meta is None:
        meta = _meta_from_record(record, network) or recompute_meta(record, network, data_root)
    return RunWeights(network, model, meta, source)
