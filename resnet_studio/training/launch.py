"""Start, resume and finish runs: the glue the CLI and the window share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from resnet_studio.arch.inference import format_shape
from resnet_studio.arch.spec import Network
from resnet_studio.training.datasets import DataBundle
from resnet_studio.training.engine import CancelToken, Listener, Trainer, TrainResult
from resnet_studio.training.recipe import Recipe
from resnet_studio.training.runs import RunFolder


class DataMismatchError(ValueError):
    """The network's input shape or class count does not fit the data set."""


def fit_network_to_data(
    network: Network, data: DataBundle, adaptable: bool
) -> tuple[Network, str | None]:
    """``network`` ready for ``data``, and a note when it had to be adapted.

    A preset adapts its input and classifier to the data; a network the user
    designed is refused instead, since changing it silently would surprise.
    """
    if network.input_shape == data.input_shape and network.classes == data.classes:
        return network, None
    have = f"{format_shape(network.input_shape)} images and {network.classes} classes"
    need = f"{format_shape(data.input_shape)} images and {data.classes} classes"
    if not adaptable:
        raise DataMismatchError(
            f"the network takes {have}, but {data.name} has {need}; "
            "set the network's input shape and classes to match"
        )
    return network.with_input(data.input_shape, data.classes), (
        f"adapted {network.name} from {have} to {data.name}'s {need}"
    )


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
    }


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

    def __post_init__(self) -> None:
        self.token = CancelToken()

    def cancel(self) -> None:
        self.token.cancel()

    def run(self, listeners: Iterable[Listener] = ()) -> TrainResult:
        """Train; the run folder records every event before other listeners hear it."""
        folder = self.folder
        source = self.resume_source or folder
        trainer = Trainer(
            self.network,
            self.data,
            self.recipe,
            listeners=[*([folder.on_event] if folder else []), *listeners],
            cancel=self.token,
            save_checkpoint=folder.write_checkpoint if folder else None,
            resume_from=source.read_checkpoint() if source and self.resume else None,
        )
        result = trainer.run()
        if folder and result.status == "finished" and result.model is not None:
            folder.save_model(self.network, result.model, self.data.model_meta())
        return result


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
    folder = None
    if folder_path is not None:
        folder = RunFolder.create(
            folder_path,
            name=name,
            network=network,
            recipe=recipe,
            dataset=data_record(data, subset),
            device=device or recipe.device,
        )
    return RunHandle(network, data, recipe, folder)
