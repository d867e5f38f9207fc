"""Runs on disk: one folder per run, readable while it trains and after a crash.

A run folder holds

- ``run.json``: name, network spec, recipe, data set, seed, device, versions, status;
- ``metrics.jsonl``: one event per line, appended and flushed as it happens;
- ``log.txt``: human-readable log, with full tracebacks of failures;
- ``checkpoint.pt``: model, optimizer, scheduler, progress and RNG states,
  rewritten atomically after every epoch and on cancel;
- ``model.pt``: the final network as a ResNet Studio checkpoint (spec + weights).

A process killed mid-epoch leaves everything up to its last completed epoch.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import platform
import socket
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from resnet_studio import __version__
from resnet_studio.arch.messages import (
    Message,
    located,
    message_from_plain,
    message_of,
    message_to_plain,
    text_of,
)
from resnet_studio.arch.project import network_from_dict, network_to_dict
from resnet_studio.arch.spec import Network, SpecError
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.processes import process_alive, this_process
from resnet_studio.reading import MAX_RUN_INFO_BYTES, ReadError, read_json
from resnet_studio.training.events import (
    EVENT_TYPES,
    FINAL_STATUS,
    OBJECT,
    EpochEnd,
    Event,
    Failed,
    Finished,
    PlainValueError,
    RunStarted,
    StepMetrics,
    describe,
    event_from_dict,
    event_to_dict,
    from_plain,
    missing_field,
    wrong_field,
)
from resnet_studio.training.history import INTERRUPTED, RunHistory, status_as_read
from resnet_studio.training.recipe import Recipe, RecipeError
from resnet_studio.userdirs import user_data_dir
from resnet_studio.writing import AlreadyExistsError, WriteError, write_atomically

if TYPE_CHECKING:  # torch loads lazily: the window lists runs before torch is imported
    import torch

    from resnet_studio.model.metadata import ModelMeta
    from resnet_studio.model.weights import WeightsFit
    from resnet_studio.training.run_lock import RunLock

RUN_FILE = "run.json"
METRICS_FILE = "metrics.jsonl"
LOG_FILE = "log.txt"
CHECKPOINT_FILE = "checkpoint.pt"
MODEL_FILE = "model.pt"


def _adapted_input(info: dict[str, Any]) -> tuple[str, int, int] | None:
    """run.json's ``adapted_input`` as (layer, from channels, to channels), if well-formed."""
    adapted = info.get("adapted_input")
    if not isinstance(adapted, dict):
        return None
    layer, old, new = (adapted.get(k) for k in ("layer", "from_channels", "to_channels"))
    if isinstance(layer, str) and type(old) is int and type(new) is int:
        return layer, old, new
    return None


def adaptations(info: dict[str, Any]) -> list[str]:
    """What a fine-tuned run adapted of its starting weights, as run.json says, in words:
    ``its classifier fc new, for another number of classes``."""
    out = []
    fresh = info.get("new_classifier")
    if isinstance(fresh, str) and fresh:
        out.append(f"its classifier {fresh} new, for another number of classes")
    adapted = _adapted_input(info)
    if adapted is not None:
        layer, old, new = adapted
        out.append(f"{layer} adapted from {old} input channels to {new}")
    return out


class RunFolderError(ValueError):
    """A run folder that cannot be created or read; the message names it (a
    :class:`Message` the window shows in its language)."""


def cannot_create(path: Path, err: OSError) -> Message:
    """``path: cannot create (the system's reason)``."""
    return Message(
        "runs.cannot_create",
        QT_TRANSLATE_NOOP("messages", "{path}: cannot create ({reason})"),
        path=str(path),
        reason=err.strerror or str(err),
    )


def cannot_read(path: Path, err: OSError) -> Message:
    """``path: cannot read (the system's reason)``."""
    return Message(
        "runs.cannot_read",
        QT_TRANSLATE_NOOP("messages", "{path}: cannot read ({reason})"),
        path=str(path),
        reason=err.strerror or str(err),
    )


def default_runs_root() -> Path:
    """``$RESNET_STUDIO_RUNS``, else ``runs`` in the per-user data folder."""
    env = os.environ.get("RESNET_STUDIO_RUNS")
    return Path(env) if env else user_data_dir() / "runs"


def versions() -> dict[str, str]:
    """Versions that decide whether a run can be reproduced."""
    import torch
    import torchvision

    return {
        "resnet_studio": __version__,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "python": platform.python_version(),
    }


def new_run_dir(root: Path, name: str) -> Path:
    """A fresh, empty folder under ``root``: ``20261123-101500-resnet20`` (``-2``… if taken).

    Made here, not just named: of two runs started in the same second with the
    same name (two processes), each gets its own folder, since ``mkdir`` fails
    for the one that comes second. Make it only once the run is ready to start.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)[:60] or "run"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RunFolderError(cannot_create(root, err)) from None
    for n in itertools.count(1):
        path = root / (f"{stamp}-{safe}" if n == 1 else f"{stamp}-{safe}-{n}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        except OSError as err:
            raise RunFolderError(cannot_create(path, err)) from None
        return path
    raise AssertionError("unreachable")  # itertools.count never ends


class RunFolder:
    """Writes one run's folder; :meth:`on_event` is a training listener."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._tail_checked = False
        # This process's lock on the folder while it trains it (see run_lock); released
        # when the run ends.
        self.lock: RunLock | None = None

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        name: str,
        network: Network,
        recipe: Recipe,
        dataset: dict[str, Any],
        device: str,
        initial_weights: str | None = None,
        weights_fit: WeightsFit | None = None,
    ) -> RunFolder:
        """Start a new run in a new folder, or in an empty one (e.g. from :func:`new_run_dir`).

        Refuses a folder that already holds a run, and one that holds anything else,
        whose files (a model.pt, a log.txt) the run would replace. Race-free: the
        folder is claimed by creating its ``run.json`` exclusively, so of two runs
        started on the same folder at once, one gets :class:`RunFolderError`.
        The new run's folder is locked for this process (``folder.lock``, see
        :mod:`~resnet_studio.training.run_lock`) until the run releases it.
        """
        from resnet_studio.training.run_lock import lock_run  # it imports this module

        folder = cls(path)
        taken = Message(
            "runs.taken",
            QT_TRANSLATE_NOOP(
                "messages", "{path} already holds a run; choose another --out or use --resume"
            ),
            path=str(folder.path),
        )
        info = {
            "name": name,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "network": network_to_dict(network),
            "recipe": recipe.to_dict(),
            "dataset": dataset,
            "seed": recipe.seed,
            "device": device,
            "versions": versions(),
            "status": "created",
            # Whose run it is from the start: one killed before it starts reads as
            # interrupted, not as "created" for ever.
            **_process_record(),
            "reason": "",
        }
        if initial_weights is not None:
            info["initial_weights"] = initial_weights
        if weights_fit is not None and weights_fit.new_classifier:  # for other classes
            info["new_classifier"] = weights_fit.new_classifier
        if weights_fit is not None and weights_fit.first_conv:  # for other input channels
            info["adapted_input"] = {
                "layer": weights_fit.first_conv,
                "from_channels": weights_fit.weights_channels,
                "to_channels": weights_fit.channels,
            }
        try:
            folder.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise RunFolderError(cannot_create(folder.path.parent, err)) from None
        try:
            folder.path.mkdir()  # atomic: of two runs making it at once, one fails here
            made = True
        except FileExistsError:
            made = False  # there already: usable only if it is an empty folder
        except OSError as err:
            raise RunFolderError(cannot_create(folder.path, err)) from None
        if not made:
            if os.path.lexists(folder.path / RUN_FILE):
                raise RunFolderError(taken)
            if not folder.path.is_dir():
                raise RunFolderError(
                    Message(
                        "runs.not_a_folder",
                        QT_TRANSLATE_NOOP(
                            "messages", "{path}: not a folder; a run needs a new or empty one"
                        ),
                        path=str(folder.path),
                    )
                )
            try:
                # A run.json on its way in (another run claiming the folder this moment)
                # is no user's file: that run wins or loses at the claim below.
                found = sorted(
                    n for n in os.listdir(folder.path) if not fnmatch(n, f".{RUN_FILE}.*.tmp")
                )
            except OSError as err:
                raise RunFolderError(cannot_read(folder.path, err)) from None
            if found:
                shown = ", ".join(found[:3]) + (", …" if len(found) > 3 else "")
                raise RunFolderError(
                    Message(
                        "runs.not_empty",
                        QT_TRANSLATE_NOOP(
                            "messages",
                            "{path}: not empty (holds {files}); a run needs a new or empty "
                            "folder, so that nothing in it is replaced",
                        ),
                        path=str(folder.path),
                        files=shown,
                    )
                )
        try:
            folder.write_info(info, exclusive=True)
        except AlreadyExistsError:
            raise RunFolderError(taken) from None
        except WriteError as err:
            if made:  # leave nothing behind: the folder is ours and empty
                with contextlib.suppress(OSError):
                    folder.path.rmdir()
            raise RunFolderError(text_of(err)) from None
        try:
            folder.lock = lock_run(folder.path)
        except RunFolderError:
            # Only a resume of this very folder, started this moment, can hold it: the
            # claim is given up, and nothing of it is left.
            (folder.path / RUN_FILE).unlink(missing_ok=True)
            if made:
                with contextlib.suppress(OSError):
                    folder.path.rmdir()
            raise
        return folder

    # --- run.json --------------------------------------------------------------------

    def read_info(self) -> dict[str, Any]:
        """run.json as an object, read bounded (see :mod:`resnet_studio.reading`).

        :class:`RunFolderError` when there is none (no run folder here);
        :class:`RunDamagedError` when it cannot be read or holds no JSON object.
        Its fields are checked by :func:`read_run`.
        """
        path = self.path / RUN_FILE
        if not os.path.lexists(path):
            raise RunFolderError(
                Message(
                    "runs.not_a_run",
                    QT_TRANSLATE_NOOP("messages", "{path}: not a run folder (no {file})"),
                    path=str(self.path),
                    file=RUN_FILE,
                )
            )
        try:
            info = read_json(path, MAX_RUN_INFO_BYTES, RUN_FILE)
        except ReadError as err:
            unreadable = Message(
                "runs.unreadable",
                QT_TRANSLATE_NOOP("messages", "unreadable ({problem})"),
                problem=err.problem,  # the file is named once, as with every damage
            )
            raise RunDamagedError(self.path, located(RUN_FILE, unreadable)) from None
        if not isinstance(info, dict):
            not_an_object = Message(
                "runs.not_an_object",
                QT_TRANSLATE_NOOP("messages", "must be a JSON object, got {got}"),
                got=describe(info),
            )
            raise RunDamagedError(self.path, located(RUN_FILE, not_an_object))
        return info

    def write_info(self, info: dict[str, Any], *, exclusive: bool = False) -> None:
        """Replace run.json whole (``exclusive``: only if there is none yet)."""
        data = (json.dumps(info, indent=1) + "\n").encode()
        write_atomically(self.path / RUN_FILE, data, exclusive=exclusive)

    def update_info(self, **changes: Any) -> None:
        info = self.read_info()
        info.update(changes)
        self.write_info(info)

    # --- metrics, log, checkpoints ------------------------------------------------------

    def log(self, message: str) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with open(self.path / LOG_FILE, "a", encoding="utf-8") as f:
            for line in message.rstrip("\n").splitlines() or [""]:
                f.write(f"{stamp} {line}\n")

    def append_event(self, event: Event) -> None:
        line = json.dumps(event_to_dict(event)) + "\n"
        if not self._tail_checked:
            # A killed writer may have left half a line; end it, or this event
            # would be glued to it and lost with it when the file is read.
            self._tail_checked = True
            if _ends_mid_line(self.path / METRICS_FILE):
                line = "\n" + line
        with open(self.path / METRICS_FILE, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()

    def remove_leftovers(self) -> None:
        """Delete temporary files a killed writer left (``.checkpoint.pt.1a2b3c4d.tmp``).

        Called as the run (re)starts: its own process is then the folder's only writer.
        """
        for name in (RUN_FILE, CHECKPOINT_FILE, MODEL_FILE):
            for leftover in self.path.glob(f".{name}.*.tmp"):
                leftover.unlink(missing_ok=True)

    def on_event(self, event: Event) -> None:
        """Record a training event: metrics line, log line and status."""
        self.append_event(event)
        if isinstance(event, RunStarted):
            self.remove_leftovers()
            info = self.read_info()
            info.update(
                status="running",
                **_process_record(),
                device=event.device,
                reason="",
                reason_message=None,
            )
            self.write_info(info)
            weights = info.get("initial_weights")
            if event.start_iteration:
                where = f"resuming at iteration {event.start_iteration}"
            elif isinstance(weights, str):
                where = f"from the weights of {weights}"
                where += "".join(f" ({what})" for what in adaptations(info))
            else:
                where = "from the start"
            self.log(f"started on {event.device}, {event.params:,} parameters, {where}")
        elif isinstance(event, EpochEnd):
            self.log(
                f"epoch {event.epoch}: train loss {event.train_loss:.4f} error "
                f"{event.train_error:.2%}, val loss {event.val_loss:.4f} error "
                f"{event.val_error:.2%}, {event.seconds:.1f} s"
            )
        elif type(event) in FINAL_STATUS:
            reason = getattr(event, "reason", "")
            changes: dict[str, Any] = {
                "status": FINAL_STATUS[type(event)],
                "reason": reason,
                # The same reason, for the window to show in its language (RunRecord.reason).
                "reason_message": message_to_plain(reason) if isinstance(reason, Message) else None,
            }
            if isinstance(event, Finished) and event.test_error is not None:
                changes["test"] = {
                    "error": event.test_error,
                    "loss": event.test_loss,
                    "images": event.test_images,
                }
                self.log(f"test error {event.test_error:.2%} on {event.test_images:,} images")
            self.update_info(**changes)
            self.log(f"{FINAL_STATUS[type(event)]}{': ' + reason if reason else ''}")
            if isinstance(event, Failed) and event.traceback:
                self.log(event.traceback)

    def write_checkpoint(self, state: dict[str, Any]) -> None:
        """Save a training checkpoint atomically (never half a file)."""
        import torch

        buffer = io.BytesIO()
        torch.save(state, buffer)
        write_atomically(self.path / CHECKPOINT_FILE, buffer.getvalue())

    def checkpoint_path(self) -> Path:
        """The training checkpoint's path, when there is one to read: a regular file
        (a pipe would block the reader for ever); else :class:`RunFolderError`."""
        path = self.path / CHECKPOINT_FILE
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise RunFolderError(
                Message(
                    "runs.no_checkpoint",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "{path}: no {file} to resume from (a run writes it at the end of each "
                        "epoch, and this one has none); train it afresh",
                    ),
                    path=str(self.path),
                    file=CHECKPOINT_FILE,
                )
            ) from None
        except OSError as err:
            raise RunFolderError(cannot_read(path, err)) from None
        if not stat.S_ISREG(mode):
            raise RunFolderError(_not_regular(path))
        return path

    def read_checkpoint(self) -> dict[str, Any]:
        """The training checkpoint, loaded safely (tensors and plain data only).

        Refused with :class:`RunFolderError`: none, no regular file (see
        :meth:`checkpoint_path`), or no training checkpoint (no model weights in it).
        """
        path = self.checkpoint_path()
        import torch

        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as err:  # noqa: BLE001 - any unreadable file is the same to the user
            raise RunFolderError(
                Message(
                    "runs.checkpoint_unloadable",
                    QT_TRANSLATE_NOOP("messages", "{path}: cannot be loaded ({reason})"),
                    path=str(path),
                    reason=first_line(err),
                )
            ) from None
        model = state.get("model") if isinstance(state, dict) else None
        if not (
            isinstance(model, dict)
            and model
            and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in model.items())
        ):
            raise RunFolderError(
                Message(
                    "runs.not_a_checkpoint",
                    QT_TRANSLATE_NOOP(
                        "messages", "{path}: not a training checkpoint (no model weights in it)"
                    ),
                    path=str(path),
                )
            )
        return state

    def save_model(self, network: Network, model: torch.nn.Module, meta: ModelMeta) -> Path:
        """The trained network as ``model.pt`` (spec, weights and metadata, see model.export)."""
        from resnet_studio.model.export import save_checkpoint

        path = self.path / MODEL_FILE
        save_checkpoint(path, network, model, meta)
        return path


def _ends_mid_line(path: Path) -> bool:
    """True when ``path`` is a regular file, not empty, whose last byte is not a newline."""
    f, _why = _open_regular(path)
    if f is None:
        return False
    with f:
        f.seek(0, os.SEEK_END)
        if f.tell() == 0:
            return False
        f.seek(-1, os.SEEK_END)
        return f.read(1) != b"\n"


def _not_regular(path: Path) -> Message:
    return Message(
        "runs.not_regular",
        QT_TRANSLATE_NOOP(
            "messages", "{path}: not a regular file (a folder, device, pipe or socket)"
        ),
        path=str(path),
    )


def first_line(err: BaseException) -> str:
    """The first line of what ``err`` says (torch's load errors run to many lines)."""
    text = str(err)
    return text.splitlines()[0] if text.strip() else text


def _open_regular(path: Path) -> tuple[BinaryIO | None, str]:
    """``path`` open for reading if it is a regular file; else None and why not ("" when
    there is no such file). Opened without waiting: a pipe nobody writes must not block."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None, ""
    except OSError as err:
        return None, Message(
            "runs.metrics_unreadable",
            QT_TRANSLATE_NOOP("messages", "cannot read ({reason})"),
            reason=err.strerror or str(err),
        )
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            return None, Message(
                "runs.metrics_folder", QT_TRANSLATE_NOOP("messages", "a folder, not a file")
            )
        return None, Message(
            "runs.metrics_not_regular",
            QT_TRANSLATE_NOOP("messages", "not a regular file (a device, pipe or socket)"),
        )
    return os.fdopen(fd, "rb"), ""


# --- reading runs -----------------------------------------------------------------------

# metrics.jsonl is read up to this size: some 400,000 events, far beyond a real run's (the
# paper's 64k iterations, logged every 20, write ~0.7 MB), so a huge file costs about 3 s
# (2 cores) and the memory of that many events, never more.
MAX_METRICS_BYTES = 64 * 2**20
# A longer line is no event (an epoch of ResNet-1202 with layer statistics is ~0.2 MB).
MAX_METRICS_LINE = 4 * 2**20
MAX_PID = 2**31 - 1
_DAMAGED = object()  # a metrics line that is no event
_decode_json = json.JSONDecoder().decode  # what json.loads does, without its checks per call


class RunDamagedError(RunFolderError):
    """A run folder whose run.json cannot be used: unreadable, or a field of the wrong type.

    ``reason`` says what, naming the file and field (``run.json: recipe must be
    an object, got text``); ``name`` is the run's name when run.json still tells it.
    """

    def __init__(self, path: Path, reason: str, name: str | None = None) -> None:
        super().__init__(
            Message(
                "runs.damaged",
                QT_TRANSLATE_NOOP("messages", "{path}: damaged: {reason}"),
                path=str(path),
                reason=reason,
            )
        )
        self.path = path
        self.reason = reason
        self.name = name


@dataclass(frozen=True)
class _Test:
    error: float | None = None
    loss: float | None = None
    images: int = 0


@dataclass(frozen=True)
class _Dataset:
    name: str
    root: str | None = None
    subset: int | None = None
    val_subset: int | None = None
    skip_bad_images: bool = False
    class_names: tuple[str, ...] | None = None
    mean: tuple[float, ...] | None = None
    std: tuple[float, ...] | None = None
    input_shape: tuple[int, ...] | None = None
    classes: int | None = None


@dataclass(frozen=True)
class _RunInfo:
    """The fields of run.json the program reads, with their types (see ``from_plain``);
    network and recipe are parsed on their own."""

    name: str = ""
    dataset: _Dataset | None = None  # required: _check_info sees that it is there
    seed: int = 0
    device: str = ""
    status: str = ""
    reason: str = ""
    group: str = ""
    pid: int = 0
    host: str = ""
    test: _Test | None = None
    initial_weights: str = ""  # the file a fine-tuned run started from


@dataclass
class RunRecord:
    """A run as read from disk: run.json, and the events of metrics.jsonl folded into
    its ``history``. A damaged one (``damaged`` says why; status ``damaged``) holds its
    path and perhaps its name, nothing more."""

    path: Path
    info: dict[str, Any]
    history: RunHistory = field(default_factory=RunHistory)
    damaged: str = ""  # why run.json cannot be used ("run.json: seed must be ..."), a Message
    notes: list[str] = field(default_factory=list)  # what reading skipped, for people
    _network: Network | None = field(default=None, repr=False, compare=False)
    _recipe: Recipe | None = field(default=None, repr=False, compare=False)

    @property
    def epochs(self) -> list[EpochEnd]:
        return self.history.epochs

    @property
    def steps(self) -> list[StepMetrics]:
        return self.history.steps

    @property
    def final(self) -> Event | None:
        """How the run ended, as its events tell; None while it trains or if it never said."""
        return self.history.final

    @property
    def started(self) -> RunStarted | None:
        """The latest start or resume."""
        return self.history.started

    @property
    def name(self) -> str:
        name = self.info.get("name")
        return name if isinstance(name, str) and name else self.path.name

    @property
    def status(self) -> str:
        """As recorded (``cancelled`` of older versions reads ``stopped``); ``interrupted``
        for a 'running' run whose process is gone; ``damaged`` for a run.json that
        cannot be used."""
        if self.damaged:
            return "damaged"
        status = status_as_read(self.info.get("status", "unknown"))
        if status in ("created", "running") and not _process_alive(self.info):
            return INTERRUPTED
        return status

    @property
    def network(self) -> Network:
        if self._network is None:
            self._check_usable()
            self._network = network_from_dict(self.info["network"])
        return self._network

    @property
    def initial_weights(self) -> str:
        """The file of the weights the run started from; "" for one started from scratch."""
        weights = self.info.get("initial_weights")
        return weights if isinstance(weights, str) else ""

    @property
    def new_classifier(self) -> str:
        """The classifier a fine-tuned run started fresh (its weights held another number
        of classes); "" when it loaded every layer, or started from scratch."""
        fresh = self.info.get("new_classifier")
        return fresh if isinstance(fresh, str) and self.initial_weights else ""

    @property
    def adapted_input(self) -> tuple[str, int, int] | None:
        """(first convolution, the weights' input channels, the run's) when a fine-tuned
        run adapted its filters to other input channels; None otherwise."""
        return _adapted_input(self.info) if self.initial_weights else None

    @property
    def test_error(self) -> float | None:
        """The final model's error on the test split; None when it was not evaluated."""
        test = self.info.get("test")
        error = test.get("error") if isinstance(test, dict) else None
        return (
            float(error) if isinstance(error, int | float) and not isinstance(error, bool) else None
        )

    @property
    def recipe(self) -> Recipe:
        if self._recipe is None:
            self._check_usable()
            self._recipe = Recipe.from_dict(self.info.get("recipe", {}))
        return self._recipe

    @property
    def reason(self) -> str:
        """Why the run failed or diverged, or why it is damaged; "" otherwise.

        A :class:`Message` (the window shows it in its language) where run.json kept
        one beside the English (``reason_message``), else the
        English as recorded: a run written before, or one whose kept message no
        longer says what the English does.
        """
        if self.damaged:
            return self.damaged
        english = self.info.get("reason")
        if not isinstance(english, str):
            return ""
        return message_from_plain(self.info.get("reason_message"), english) or english

    def _check_usable(self) -> None:
        if self.damaged:
            raise RunDamagedError(self.path, self.damaged, self.name)


def _process_record() -> dict[str, Any]:
    """The fields of run.json that name the process writing the run."""
    me = this_process()
    return {"pid": me.pid, "host": me.host, "process_started": me.started}


def _process_alive(info: dict[str, Any]) -> bool:
    """Whether the process run.json names still runs: its id *and* its start time, so a
    killed run reads as gone at once, even when its id names another process now."""
    pid = info.get("pid")
    if type(pid) is not int or not 0 < pid <= MAX_PID or info.get("host") != socket.gethostname():
        return True  # cannot tell from here; trust the record
    started = info.get("process_started")
    if not isinstance(started, int | float) or isinstance(started, bool) or started != started:
        started = None  # a run written before start times were recorded: the id alone
    return process_alive(pid, started)


_NETWORKS: dict[str, Network] = {}  # parsed networks by their JSON: runs of a grid share a few
_MAX_NETWORKS = 64


def _network_from(data: dict[str, Any]) -> Network:
    """``network_from_dict(data)``, parsed once per distinct network: an experiment's
    thousand runs hold a handful of networks, and parsing is most of reading a run."""
    key = repr(data)  # as run.json wrote it; runs of one grid are written alike (3× dumps' speed)
    network = _NETWORKS.get(key)
    if network is None:
        network = network_from_dict(data)
        if len(_NETWORKS) >= _MAX_NETWORKS:
            _NETWORKS.clear()
        _NETWORKS[key] = network
    return network


def _check_info(path: Path, info: dict[str, Any]) -> tuple[Network, Recipe]:
    """The network and recipe of run.json, after every field the program reads is checked
    (types, and the ranges of the recipe and the subset); :class:`RunDamagedError` names
    the first that is wrong."""
    name = info.get("name") if isinstance(info.get("name"), str) else None

    def damaged(problem: str) -> RunDamagedError:
        return RunDamagedError(path, located(RUN_FILE, problem), name)

    for key in ("network", "recipe", "dataset"):
        if key not in info:
            raise damaged(missing_field(key))
        if not isinstance(info[key], dict):
            raise damaged(wrong_field(key, OBJECT, info[key]))
    try:
        network = _network_from(info["network"])
    except SpecError as err:  # "network.body[2].kernel: must be …"
        raise damaged(located(err.where, err.message) if err.where else err.message) from None
    except RecursionError:
        raise damaged(
            Message(
                "runs.network_too_deep",
                QT_TRANSLATE_NOOP("messages", "network: nested too deeply"),
            )
        ) from None
    pid = info.get("pid", 1)
    if type(pid) is not int or not 0 < pid <= MAX_PID:
        process_id = Message(
            "runs.process_id",
            QT_TRANSLATE_NOOP("messages", "a process id (1 to {max:,})"),
            max=MAX_PID,
        )
        raise damaged(wrong_field("pid", process_id, pid))
    try:
        recipe = from_plain(Recipe, info["recipe"], "recipe.")
        run_info = from_plain(_RunInfo, info)
    except PlainValueError as err:
        raise damaged(text_of(err)) from None
    except RecipeError as err:  # "lr: must be ..., got 100"
        raise damaged(_in_recipe(message_of(err))) from None
    for key in ("subset", "val_subset"):
        count = getattr(run_info.dataset, key) if run_info.dataset is not None else None
        if count is not None and count < 1:
            raise damaged(
                Message(
                    "runs.subset",
                    QT_TRANSLATE_NOOP(
                        "messages", "{field} must be at least 1 (or null for all), got {count}"
                    ),
                    field=f"dataset.{key}",
                    count=count,
                )
            )
    return network, recipe


def _in_recipe(problem: str) -> str:
    """A recipe field's problem said of run.json's ``recipe`` (``recipe.lr must be …``)."""
    if isinstance(problem, Message) and problem.id == "recipe.must_be":
        fields = problem.fields
        return Message(
            "runs.recipe_field",
            QT_TRANSLATE_NOOP("messages", "{where} must be {expected}, got {got}"),
            where=f"recipe.{fields['name']}",
            expected=fields["expected"],
            got=fields["value"],
        )
    key, _, rest = str(problem).partition(": ")
    return f"recipe.{key} {rest}"  # a device's problem: only the English says it


def read_run(path: str | os.PathLike[str], *, damaged_ok: bool = False) -> RunRecord:
    """Read a run folder: run.json, every field it uses checked, then metrics.jsonl.

    A folder without run.json raises :class:`RunFolderError`. A damaged run.json
    raises :class:`RunDamagedError`, or with ``damaged_ok`` gives a record marked
    damaged. Damaged metrics lines are skipped and counted in ``notes``; a half
    last line (its writer killed, or still writing) is skipped without a word.
    """
    folder = RunFolder(path)
    try:
        info = folder.read_info()
        network, recipe = _check_info(folder.path, info)
    except RunDamagedError as err:
        if not damaged_ok:
            raise
        return RunRecord(folder.path, {"name": err.name} if err.name else {}, damaged=err.reason)
    record = RunRecord(folder.path, info, _network=network, _recipe=recipe)
    _read_metrics(record)
    return record


def _read_metrics(record: RunRecord) -> None:
    """Fold the events of the run's metrics.jsonl into ``record.history`` (see
    :func:`read_run`)."""
    f, why = _open_regular(record.path / METRICS_FILE)
    if f is None:
        if why:
            record.notes.append(located(METRICS_FILE, why))
        return
    skipped = first_skipped = 0
    with f:
        for number, line in enumerate(_bounded_lines(f), start=1):
            if line is not None and not line.endswith(b"\n"):
                break  # a half last line: its writer was killed or is still writing
            event = _event_of(line) if line is not None else _DAMAGED
            if event is _DAMAGED:
                skipped += 1
                first_skipped = first_skipped or number
            elif event is not None:
                record.history.apply(event)
        more = f.tell() >= MAX_METRICS_BYTES and f.read(1)
    if skipped == 1:
        note = Message(
            "runs.one_line_skipped",
            QT_TRANSLATE_NOOP("messages", "1 damaged line skipped (the first is line {first:,})"),
            first=first_skipped,
        )
    elif skipped:
        note = Message(
            "runs.lines_skipped",
            QT_TRANSLATE_NOOP(
                "messages", "{count:,} damaged lines skipped (the first is line {first:,})"
            ),
            count=skipped,
            first=first_skipped,
        )
    if skipped:
        record.notes.append(located(METRICS_FILE, note))
    if more:
        larger = Message(
            "runs.metrics_too_large",
            QT_TRANSLATE_NOOP("messages", "larger than {size}; only its first {size} were read"),
            size=f"{MAX_METRICS_BYTES // 2**20} MiB",
        )
        record.notes.append(located(METRICS_FILE, larger))


def _bounded_lines(f: BinaryIO) -> Iterator[bytes | None]:
    """The lines of ``f``, within :data:`MAX_METRICS_BYTES` in all; None for a line longer
    than :data:`MAX_METRICS_LINE` (skipped a piece at a time, never held whole)."""
    left = MAX_METRICS_BYTES
    while left > 0:
        line = f.readline(min(MAX_METRICS_LINE + 1, left))
        if not line:
            return
        left -= len(line)
        if len(line) <= MAX_METRICS_LINE:
            yield line
            continue
        while left > 0 and not line.endswith(b"\n"):
            line = f.readline(min(2**20, left))
            if not line:
                break
            left -= len(line)
        yield None


def _event_of(line: bytes) -> Event | object | None:
    """The event of one metrics line; None for a newer version's kind, else ``_DAMAGED``."""
    try:  # not UTF-8, not JSON, a number of over 4,300 digits: ValueErrors
        data = _decode_json(line.decode("utf-8"))
    except (ValueError, RecursionError):
        return _DAMAGED
    if isinstance(data, dict) and isinstance(data.get("event"), str):
        if data["event"] not in EVENT_TYPES:
            return None
    return event_from_dict(data) or _DAMAGED


def list_runs(root: str | os.PathLike[str] | None = None) -> list[RunRecord]:
    """Every run under ``root``, oldest first. A damaged one is listed too, marked damaged
    (see :attr:`RunRecord.damaged`): one bad folder never hides the others."""
    root = Path(root) if root else default_runs_root()
    try:
        paths = sorted(root.iterdir()) if root.is_dir() else []
    except OSError:  # unreadable: as good as empty
        return []
    runs = []
    for path in paths:
        if os.path.lexists(path / RUN_FILE):
            try:
                runs.append(read_run(path, damaged_ok=True))
            except RunFolderError:
                continue  # deleted while listing
    return runs
