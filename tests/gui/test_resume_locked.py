"""Resuming from the window a run that another process is training.

Another process (another window, or ``train --resume``) holds the run's lock: it
has begun to resume the run and is still loading its data, so the run still
reads as stopped. The window's Resume is refused with the one line that says
who holds it, and the run is left as it was. Once that process is killed its
lock is stale, and the window's Resume takes it over, trains, and releases it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent

from resnet_studio.gui.run_worker import running_threads
from resnet_studio.gui.runs_panel import RunsPanel
from resnet_studio.gui.training import TrainingController
from resnet_studio.training.run_lock import LOCK_FILE
from resnet_studio.training.runs import read_run

HOLDER = """
import sys, time
from resnet_studio.training.run_lock import lock_run
lock_run(sys.argv[1])
print("held", flush=True)
time.sleep(600)
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_the_window_refuses_to_resume_a_run_another_process_trains(
    qtbot, qapp, dialogs, stopped: Path
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(stopped)], stdout=subprocess.PIPE, text=True
    )
    controller = TrainingController(runs_root=stopped.parent)
    panel = RunsPanel(controller)
    qtbot.addWidget(panel)
    try:
        assert holder.stdout.readline() == "held\n"
        before = snapshot(stopped)
        controller.reload()
        qtbot.waitUntil(lambda: controller.model.rowCount() == 1, timeout=30_000)
        panel.table.selectRow(0)
        panel.resume_selected()
        qtbot.waitUntil(lambda: bool(dialogs.of("warning")), timeout=30_000)
        [(_, title, text)] = dialogs.of("warning")
        assert title == "Cannot resume"
        assert text.startswith(
            f"{stopped}: being trained by process {holder.pid} on host {socket.gethostname()} "
            "since "
        ) and text.endswith("; wait for it to end or stop it"), text
        assert controller.training() == [] and running_threads() == []
        assert snapshot(stopped) == before

        holder.kill()  # killed outright: its lock is left behind, stale
        holder.wait()
        panel.resume_selected()
        qtbot.waitUntil(lambda: len(controller.training()) == 1, timeout=30_000)
        qtbot.waitUntil(lambda: controller.training() == [], timeout=120_000)
        assert len(dialogs.of("warning")) == 1
        assert read_run(stopped).status == "finished"
        assert not (stopped / LOCK_FILE).exists()  # released as the run ended
    finally:
        holder.kill()
        holder.wait()
        assert controller.stop_all(60_000), "a run thread did not stop"
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
