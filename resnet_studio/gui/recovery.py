"""Autosave to a recovery file, offered back after a crash.

Each window writes its unsaved network to its own file under the per-user
data folder, and deletes it when the work is saved or the window closes
normally. A file left behind by a process that is no longer running is a
crash's unsaved work.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from resnet_studio.arch.project import ProjectError, project_from_json, project_to_json
from resnet_studio.arch.spec import Network
from resnet_studio.processes import pid_alive
from resnet_studio.userdirs import user_data_dir
from resnet_studio.writing import WriteError, write_atomically


def recovery_dir() -> Path:
    return user_data_dir() / "recovery"


@dataclass(frozen=True)
class Recovered:
    """Unsaved work found after a crash."""

    path: Path  # the recovery file
    network: Network
    saved_path: Path | None  # the project file it belonged to, if any
    saved_at: float


class RecoveryFile:
    """The recovery file of one window."""

    def __init__(self) -> None:
        self.path = recovery_dir() / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json"

    def write(self, network: Network, project_path: Path | None) -> None:
        doc = {
            "pid": os.getpid(),
            "saved_at": time.time(),
            "project_path": str(project_path) if project_path else None,
            "project": project_to_json(network),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(doc).encode())
        except (OSError, WriteError):
            pass  # autosave is best effort: a full disk must not interrupt editing

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def find_recoverable() -> list[Recovered]:
    """Recovery files of processes that are gone: unsaved work from a crash."""
    found = []
    folder = recovery_dir()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(doc.get("pid"), int) or pid_alive(doc["pid"]):
                continue
            network = project_from_json(doc["project"], str(path))
        except (OSError, ValueError, KeyError, TypeError, ProjectError):
            path.unlink(missing_ok=True)  # unreadable leftovers help nobody
            continue
        saved = doc.get("project_path")
        found.append(
            Recovered(path, network, Path(saved) if saved else None, float(doc.get("saved_at", 0)))
        )
    return found
