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

import io
import json
import os
import platform
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resnet_studio import __version__
from resnet_studio.arch.project import network_from_dict, network_to_dict
from resnet_studio.arch.spec import Network
from resnet_studio.processes import pid_alive
from resnet_studio.training.events import (
    FINAL_STATUS,
    EpochEnd,
    Event,
    Failed,
    Finished,
    RunStarted,
    StepMetrics,
    event_from_dict,
    event_to_dict,
)
from resnet_studio.training.recipe import Recipe
from resnet_studio.userdirs import user_data_dir
from resnet_studio.writing import write_atomically

if TYPE_CHECKING:  # torch loads lazily: the window lists runs before torch is imported
    import torch

    from resnet_studio.model.metadata import ModelMeta

RUN_FILE = "run.json"
METRICS_FILE = "metrics.jsonl"
LOG_FILE = "log.txt"
CHECKPOINT_FILE = "checkpoint.pt"
MODEL_FILE = "model.pt"


class RunFolderError(ValueError):
    """A run folder that cannot be created or read; the message names it."""


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
    """A fresh folder name under ``root``: ``20261123-101500-resnet20``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)[:60] or "run"
    path = root / f"{stamp}-{safe}"
    n = 2
    while path.exists():
        path = root / f"{stamp}-{safe}-{n}"
        n += 1
    return path


class RunFolder:
    """Writes one run's folder; :meth:`on_event` is a training listener."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._tail_checked = False

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
    ) -> RunFolder:
        """Start a new run folder; refuses one that already holds a run."""
        folder = cls(path)
        if (folder.path / RUN_FILE).exists():
            raise RunFolderError(
                f"{folder.path} already holds a run; choose another --out or use --resume"
            )
        try:
            folder.path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise RunFolderError(f"{folder.path}: cannot create ({err.strerror})") from None
        folder.write_info(
            {
                "name": name,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "network": network_to_dict(network),
                "recipe": recipe.to_dict(),
                "dataset": dataset,
                "seed": recipe.seed,
                "device": device,
                "versions": versions(),
                "status": "created",
                "reason": "",
            }
        )
        return folder

    # --- run.json --------------------------------------------------------------------

    def read_info(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / RUN_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RunFolderError(f"{self.path}: not a run folder (no {RUN_FILE})") from None
        except (OSError, ValueError) as err:
            raise RunFolderError(f"{self.path / RUN_FILE}: unreadable ({err})") from None

    def write_info(self, info: dict[str, Any]) -> None:
        write_atomically(self.path / RUN_FILE, (json.dumps(info, indent=1) + "\n").encode())

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

    def on_event(self, event: Event) -> None:
        """Record a training event: metrics line, log line and status."""
        self.append_event(event)
        if isinstance(event, RunStarted):
            self.update_info(
                status="running",
                pid=os.getpid(),
                host=socket.gethostname(),
                device=event.device,
                reason="",
            )
            where = (
                "from the start"
                if event.start_iteration == 0
                else (f"resuming at iteration {event.start_iteration}")
            )
            self.log(f"started on {event.device}, {event.params:,} parameters, {where}")
        elif isinstance(event, EpochEnd):
            self.log(
                f"epoch {event.epoch}: train loss {event.train_loss:.4f} error "
                f"{event.train_error:.2%}, val loss {event.val_loss:.4f} error "
                f"{event.val_error:.2%}, {event.seconds:.1f} s"
            )
        elif type(event) in FINAL_STATUS:
            reason = getattr(event, "reason", "")
            changes: dict[str, Any] = {"status": FINAL_STATUS[type(event)], "reason": reason}
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

    def read_checkpoint(self) -> dict[str, Any]:
        """The training checkpoint, loaded safely (tensors and plain data only)."""
        path = self.path / CHECKPOINT_FILE
        if not path.exists():
            raise RunFolderError(f"{self.path}: no {CHECKPOINT_FILE} to resume from")
        import torch

        try:
            return torch.load(path, map_location="cpu", weights_only=True)
        except Exception as err:  # noqa: BLE001 - any unreadable file is the same to the user
            raise RunFolderError(f"{path}: cannot be loaded ({err})".splitlines()[0]) from None

    def save_model(self, network: Network, model: torch.nn.Module, meta: ModelMeta) -> Path:
        """The trained network as ``model.pt`` (spec, weights and metadata, see model.export)."""
        from resnet_studio.model.export import save_checkpoint

        path = self.path / MODEL_FILE
        save_checkpoint(path, network, model, meta)
        return path


def _ends_mid_line(path: Path) -> bool:
    """True when ``path`` exists, is not empty and its last byte is not a newline."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            if f.tell() == 0:
                return False
            f.seek(-1, os.SEEK_END)
            return f.read(1) != b"\n"
    except FileNotFoundError:
        return False


# --- reading runs -----------------------------------------------------------------------


@dataclass
class RunRecord:
    """A run as read from disk."""

    path: Path
    info: dict[str, Any]
    epochs: list[EpochEnd] = field(default_factory=list)
    steps: list[StepMetrics] = field(default_factory=list)
    final: Event | None = None
    started: RunStarted | None = None  # the latest start or resume

    @property
    def name(self) -> str:
        return self.info.get("name", self.path.name)

    @property
    def status(self) -> str:
        """As recorded; ``interrupted`` for a 'running' run whose process is gone."""
        status = self.info.get("status", "unknown")
        if status == "running" and not _process_alive(self.info):
            return "interrupted"
        return status

    @property
    def network(self) -> Network:
        return network_from_dict(self.info["network"])

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
        return Recipe.from_dict(self.info.get("recipe", {}))


def _process_alive(info: dict[str, Any]) -> bool:
    pid = info.get("pid")
    if not isinstance(pid, int) or info.get("host") != socket.gethostname():
        return True  # cannot tell from here; trust the record
    return pid_alive(pid)


def read_run(path: str | os.PathLike[str]) -> RunRecord:
    """Read a run folder; a damaged last line (a killed writer) is skipped."""
    folder = RunFolder(path)
    record = RunRecord(folder.path, folder.read_info())
    metrics = folder.path / METRICS_FILE
    if metrics.exists():
        with open(metrics, encoding="utf-8") as f:
            for line in f:
                try:
                    event = event_from_dict(json.loads(line))
                except ValueError:
                    continue
                if isinstance(event, EpochEnd):
                    record.epochs.append(event)
                elif isinstance(event, StepMetrics):
                    record.steps.append(event)
                elif isinstance(event, RunStarted):
                    # A resumed run repeats nothing: drop records past its starting point.
                    record.epochs = [e for e in record.epochs if e.epoch <= event.start_epoch]
                    record.steps = [s for s in record.steps if s.iteration <= event.start_iteration]
                    record.final = None
                    record.started = event
                elif event is not None:
                    record.final = event
    return record


def list_runs(root: str | os.PathLike[str] | None = None) -> list[RunRecord]:
    """Every readable run under ``root``, oldest first."""
    root = Path(root) if root else default_runs_root()
    if not root.is_dir():
        return []
    runs = []
    for path in sorted(root.iterdir()):
        if (path / RUN_FILE).is_file():
            try:
                runs.append(read_run(path))
            except RunFolderError:
                continue
    return runs
