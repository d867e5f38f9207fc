"""Getting runs ready to train, new or resumed: the steps the window and ``train`` share.

A run is set up (data loaded, network fitted to it, model and batches built, the
checkpoint it resumes from read) before anything is written, so one that cannot
start says why in one line and leaves no folder, or leaves a resumed run as it was.
The window and the CLI resume alike: from the run's own network, recipe and data
set as ``run.json`` records them, checked when read.

Torch-free at import: the window imports this module before torch is loaded
(the Train dialog checks a network against a data set's shape on every keystroke);
what needs torch is imported where it is used.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from resnet_studio.arch.inference import Problem, format_shape, infer
from resnet_studio.arch.messages import Message, located
from resnet_studio.arch.spec import Network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.arch.twin import plain_twin, twin_name
from resnet_studio.training.recipe import Recipe, default_threads
from resnet_studio.training.runs import RunFolder, RunRecord, read_run

if TYPE_CHECKING:  # torch loads lazily
    from resnet_studio.training.datasets import DataBundle
    from resnet_studio.training.launch import RunHandle


class DataMismatchError(ValueError):
    """The network's input shape or class count does not fit the data set, or the
    network fitted to it cannot run. ``problem`` is the sentence without the remedy."""

    def __init__(self, problem: str, remedy: str = "") -> None:
        message = problem
        if remedy:
            message = Message(
                "data.mismatch_remedy",
                QT_TRANSLATE_NOOP("messages", "{problem}; {remedy}"),
                problem=problem,
                remedy=remedy,
            )
        super().__init__(message)
        self.problem = problem


class CannotStartError(ValueError):
    """A run that cannot start (a checkpoint that does not fit, no training batches…);
    nothing was written. One line; names the checkpoint when resuming."""


class NothingLeftError(CannotStartError):
    """A finished run resumed with nothing more to train: ``done`` its length
    (``3 epochs``), ``unit`` (``epochs`` or ``iterations``) and ``count`` (3)."""

    def __init__(self, path: Path, done: str, unit: str, count: int) -> None:
        super().__init__(_nothing_left(path, unit, count))
        self.path, self.done, self.unit, self.count = path, done, unit, count


def _nothing_left(path: Path, unit: str, count: int) -> Message:
    if unit == "iterations":
        return Message(
            "resume.nothing_left.iterations",
            QT_TRANSLATE_NOOP(
                "messages",
                "{path}: already finished {count:,} iterations; "
                "give it more iterations to train longer",
            ),
            path=str(path),
            count=count,
        )
    if count == 1:
        return Message(
            "resume.nothing_left.epoch",
            QT_TRANSLATE_NOOP(
                "messages", "{path}: already finished 1 epoch; give it more epochs to train longer"
            ),
            path=str(path),
        )
    return Message(
        "resume.nothing_left.epochs",
        QT_TRANSLATE_NOOP(
            "messages",
            "{path}: already finished {count} epochs; give it more epochs to train longer",
        ),
        path=str(path),
        count=count,
    )


def problem_message(problem: Problem) -> str:
    """A network's problem as ``str(problem)`` says it, its message kept translatable."""
    return located(problem.path, problem.message) if problem.path else problem.message


# --- the network against the data ------------------------------------------------------


class DataShape(Protocol):
    """What the fit needs of a data set: a loaded one (DataBundle) or one known
    without loading it (dataset_info.DatasetInfo)."""

    name: str
    input_shape: tuple[int, ...]
    classes: int


def fit_network_to_data(
    network: Network, data: DataShape, adaptable: bool, label: str = ""
) -> tuple[Network, str | None]:
    """``network`` ready for ``data``, and a note when it had to be adapted.

    A preset adapts its input and classifier to the data (``adaptable``); a network
    the user designed is refused instead, since changing it silently would surprise.
    An adapted network that cannot run at the data's shape (too small for its
    strides) is refused too. :class:`DataMismatchError` says why, naming the data
    set by ``label`` (the window's "MNIST"), else by its name (the CLI's "mnist").
    """
    if network.input_shape == data.input_shape and network.classes == data.classes:
        return network, None
    label = label or data.name
    have = f"{format_shape(network.input_shape)} images and {network.classes} classes"
    need = f"{format_shape(data.input_shape)} images and {data.classes} classes"
    if not adaptable:
        raise DataMismatchError(
            Message(
                "data.mismatch",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "the network takes {shape} images and {classes} classes, "
                    "but {data} has {data_shape} images and {data_classes} classes",
                ),
                shape=format_shape(network.input_shape),
                classes=network.classes,
                data=label,
                data_shape=format_shape(data.input_shape),
                data_classes=data.classes,
            ),
            Message(
                "data.mismatch_fix",
                QT_TRANSLATE_NOOP("messages", "set the network's input shape and classes to match"),
            ),
        )
    fitted = network.with_input(tuple(data.input_shape), data.classes)
    summary = infer(fitted)
    if not summary.ok:
        raise DataMismatchError(
            Message(
                "data.fitted_cannot_run",
                QT_TRANSLATE_NOOP(
                    "messages", "{network} cannot run on {data}'s {shape} images: {problem}"
                ),
                network=network.name,
                data=label,
                shape=format_shape(data.input_shape),
                problem=problem_message(summary.problems[0]),
            )
        )
    return fitted, f"adapted {network.name} from {have} to {label}'s {need}"


# --- new runs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InitialWeights:
    """Weights a new run starts from instead of a fresh initialisation (fine-tuning):
    a ``state_dict`` that must fit the network exactly, and where it came from."""

    state: Mapping[str, Any]  # tensors by key, as model.weights.read_weights gives them
    source: str  # the file, as run.json records it ("initial_weights")

    @property
    def file_name(self) -> str:
        return Path(self.source).name


@dataclass(frozen=True)
class TrainRequest:
    """Everything the Train dialog (or ``train``'s options) ask for."""

    network: Network
    dataset: str  # a built-in name or ``folder:PATH``
    data_root: str | None
    subset: int | None
    recipe: Recipe
    name: str
    val_subset: int | None = None  # validate on a seeded sample of this many images
    with_twin: bool = False  # also train the plain twin, same seed, data order and recipe
    fit_to_data: bool = True  # adapt input shape and classes to the data set
    skip_bad_images: bool = False  # leave an image folder's unreadable images out
    download: bool = False  # fetch a missing built-in data set (the CLI's --download)
    # Start the network (not its plain twin) from these weights instead of from scratch.
    initial_weights: InitialWeights | None = None


@dataclass(frozen=True)
class PreparedRun:
    """A run set up and ready to train (``handle.run``)."""

    name: str
    handle: RunHandle
    group: str  # runs started together (a network and its plain twin) share it
    note: str | None = None  # how the network was adapted to the data, if it was


def run_names(name: str, with_twin: bool) -> list[str]:
    """The runs a request starts: ``name``, and its plain twin's name when it has one."""
    return [name, twin_name(name)] if with_twin else [name]


def unique_run_name(name: str, with_twin: bool, taken: Collection[str]) -> str:
    """``name``, else ``name-2``, ``name-3``…: the first whose runs (it and its twin's)
    are none of ``taken``, so that two runs in one table never share a name."""
    for n in itertools.count(1):
        candidate = name if n == 1 else f"{name}-{n}"
        if not any(run in taken for run in run_names(candidate, with_twin)):
            return candidate
    raise AssertionError("unreachable")  # itertools.count never ends


def twin_folder(out: Path) -> Path:
    """Where a run given the folder ``out`` puts its plain twin's run: ``out``-plain beside it."""
    return out.with_name(f"{out.name}-plain")


def cpu_threads_each(runs: int) -> int:
    """CPU threads per run when ``runs`` train at once: the cores but one, shared."""
    return max(1, default_threads() // max(1, runs))


def _load_data(
    name: str,
    root: str | os.PathLike[str] | None,
    subset: int | None,
    recipe: Recipe,
    *,
    val_subset: int | None = None,
    skip_bad_images: bool,
    download: bool,
) -> DataBundle:
    """The data set, once the recipe's device is known to exist (say so before loading)."""
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.recipe import pick_device

    pick_device(recipe.device)
    return load_dataset(
        name,
        root,
        download=download,
        subset=subset,
        val_subset=val_subset,
        seed=recipe.seed,
        skip_bad_images=skip_bad_images,
    )


def prepare_runs(
    request: TrainRequest,
    runs_root: Path | None = None,
    threads: int | None = None,
    *,
    out: Path | None = None,
    write: bool = True,
) -> list[PreparedRun]:
    """Load the data, fit the network(s) to it, set each run up, then create the folders.

    ``threads`` applies when the recipe names none. Each run gets a new folder under
    ``runs_root`` (default: the user's runs folder); with ``out``, the first run goes
    there instead (a new or empty folder) and its twin beside it. ``write`` false
    (the other processes of a distributed run) writes nothing.

    Needs torch, so the window calls it in the background. Raises ``ValueError``
    subclasses with a message for the user (unavailable device, missing data, a
    network that does not fit the data or cannot start, a taken ``out`` folder);
    nothing is written then.
    """
    from resnet_studio.training.launch import RunHandle, create_run_folder
    from resnet_studio.training.runs import default_runs_root, new_run_dir

    recipe = request.recipe
    if recipe.threads is None and threads is not None:
        recipe = dataclasses.replace(recipe, threads=threads)
    data = _load_data(
        request.dataset,
        request.data_root,
        request.subset,
        recipe,
        val_subset=request.val_subset,
        skip_bad_images=request.skip_bad_images,
        download=request.download,
    )
    network, note = fit_network_to_data(request.network, data, request.fit_to_data)
    # The twin starts from scratch: the weights are the network's, not its twin's.
    networks = [(request.name, network, request.initial_weights)]
    if request.with_twin:
        networks.append((twin_name(request.name), plain_twin(network), None))
    handles = []
    for name, net, weights in networks:
        summary = infer(net)
        if not summary.ok:
            raise CannotStartError(
                Message(
                    "start.cannot_run",
                    QT_TRANSLATE_NOOP(
                        "messages", "cannot start training: {name} cannot run on {data}: {problem}"
                    ),
                    name=name,
                    data=data.name,
                    problem=problem_message(summary.problems[0]),
                )
            )
        handle = RunHandle(net, data, recipe, None, initial_weights=weights)
        handle.prepare()  # CannotStartError (weights that do not fit…) before any folder
        handles.append((name, handle))
    if not write:
        return [PreparedRun(name, handle, "", note) for name, handle in handles]
    root = runs_root or default_runs_root()
    group = f"{time.strftime('%Y%m%d-%H%M%S')}-{request.name}" if request.with_twin else ""
    prepared = []
    for i, (name, handle) in enumerate(handles):
        if out is None:
            path = new_run_dir(root, name)
        elif i == 0:
            path = out
        else:
            path = twin_folder(out)
        folder = create_run_folder(path, handle, name=name, subset=request.subset)
        if group:
            folder.update_info(group=group)
        if note:
            folder.log(note)
        prepared.append(PreparedRun(name, handle, group, note))
    return prepared


# --- resumed runs -----------------------------------------------------------------------


@dataclass(frozen=True)
class DataChoice:
    """Which data a run trains on: as its run.json records it, or as the user overrides."""

    dataset: str
    root: str | None = None
    subset: int | None = None
    val_subset: int | None = None
    skip_bad_images: bool = False


def read_resumable(path: str | os.PathLike[str]) -> RunRecord:
    """The run at ``path``, read and checked (:func:`read_run`), that has a checkpoint to
    resume from; ``RunFolderError`` (or its ``RunDamagedError``) says why not."""
    record = read_run(path)
    RunFolder(record.path).checkpoint_path()
    return record


def recorded_data(record: RunRecord) -> DataChoice:
    """The data ``record`` trained on (read_run has checked these fields): a resume
    takes the same images, leaving out the unreadable ones it left out."""
    dataset = record.info["dataset"]
    return DataChoice(
        dataset=dataset["name"],
        root=dataset.get("root"),
        subset=dataset.get("subset"),
        val_subset=dataset.get("val_subset"),
        skip_bad_images=dataset.get("skip_bad_images") is True,
    )


def check_work_left(record: RunRecord, recipe: Recipe) -> None:
    """:class:`NothingLeftError` for a finished run that ``recipe`` gives nothing more to do."""
    last = record.epochs[-1] if record.epochs else None
    if record.status != "finished" or last is None:
        return
    if recipe.iterations is not None:
        if last.iteration >= recipe.iterations:
            done = f"{last.iteration:,} iterations"
            raise NothingLeftError(record.path, done, "iterations", last.iteration)
    elif last.epoch >= recipe.epochs:
        done = f"{last.epoch} epoch" + ("s" if last.epoch != 1 else "")
        raise NothingLeftError(record.path, done, "epochs", last.epoch)


def prepare_resume(
    record: RunRecord | str | os.PathLike[str],
    *,
    recipe: Recipe | None = None,
    data: DataChoice | None = None,
    threads: int | None = None,
    write: bool = True,
    download: bool = False,
) -> PreparedRun:
    """A stopped, failed or interrupted run set up to continue from its checkpoint.

    ``record`` is the run (read with :func:`read_resumable`) or its folder. It resumes
    with its own network, recipe and data unless ``recipe`` and ``data`` say otherwise
    (the CLI's options); ``threads`` replaces the recipe's. With ``write`` false (the
    other processes of a distributed run) the run's folder is read, not written.

    Raises a ``ValueError`` subclass, with the run untouched, when it cannot resume:
    a damaged run.json, no checkpoint, nothing left to train, data that does not fit
    the network, or a checkpoint that does not fit it.
    """
    from resnet_studio.training.run_lock import lock_run

    path = record.path if isinstance(record, RunRecord) else Path(record)
    # Taken first (refused in one line, nothing written, while another process trains
    # the run) and held until the run ends: RunHandle.run releases it.
    lock = lock_run(path) if write else None
    try:
        prepared = _prepare_resume(
            read_resumable(path), recipe, data, threads, write, download
        )  # read again: as it is now that this process holds it
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if write:
        prepared.handle.folder.lock = lock
    return prepared


def _prepare_resume(
    record: RunRecord,
    recipe: Recipe | None,
    data: DataChoice | None,
    threads: int | None,
    write: bool,
    download: bool,
) -> PreparedRun:
    from resnet_studio.training.launch import RunHandle

    recipe = recipe or record.recipe
    if threads is not None:
        recipe = dataclasses.replace(recipe, threads=threads)
    check_work_left(record, recipe)
    data = data or recorded_data(record)
    bundle = _load_data(
        data.dataset,
        data.root,
        data.subset,
        recipe,
        val_subset=data.val_subset,
        skip_bad_images=data.skip_bad_images,
        download=download,
    )
    network, _ = fit_network_to_data(record.network, bundle, adaptable=False)
    folder = RunFolder(record.path)
    handle = RunHandle(
        network, bundle, recipe, folder if write else None, resume=True, resume_source=folder
    )
    # Set up before the folder is touched: a checkpoint that does not fit is told as
    # "cannot resume", and the run stays as it was.
    handle.prepare()
    if write:
        folder.update_info(recipe=recipe.to_dict())
    return PreparedRun(record.name, handle, str(record.info.get("group", "")))


def export_trained(path: Path, fmt: str, run_path: Path) -> str:
    """Export a run's trained network as ``fmt`` (needs torch); where the weights came
    from (``the final model`` or ``the last checkpoint (epoch 2)``).

    The final ``model.pt`` when the run finished, else the weights of its last
    checkpoint, with the input normalisation the run trained with.
    """
    from resnet_studio.model.export import export_model
    from resnet_studio.training.run_weights import run_weights

    weights = run_weights(run_path)
    export_model(path, fmt, weights.network, weights.model, weights.meta)
    return weights.source
